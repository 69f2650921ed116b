"""The staff task list's filters, order and paging, through the real app on moto.

Every filter must be a Query on an index: the Scan guard (tests/conftest.py) fails a
Scan, and ``queried`` records which index each Query of the tasks table read.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from pynamodb.connection.base import Connection

from chalicelib.adapters.tables import TaskModel
from chalicelib.domain import clock
from chalicelib.domain.workflow import NO_DUE
from tests.integration.test_bad_input import assert_error
from tests.integration.test_report_lifecycle import CITIZEN, REPORT
from tests.integration.test_workflows import decide, officer_of

RECEPTION = "tiepnhan"
LEADER = "lanhdao.sxd"
OFFICER = "chuyenvien.sxd"

# Three reports that differ in area, category and title.
RUBBISH = {"title": "Rác thải đổ trộm bên đường", "category_id": "moi-truong"}
POTHOLE = {
    "title": "Ổ gà lớn trên đường Phan Đình Phùng",
    "category_id": "giao-thong",
    "area": "p-dak-cam",
}
LAMP = {"title": "Đèn chiếu sáng công cộng hỏng", "category_id": "giao-thong"}


@pytest.fixture(autouse=True)
def real_time():
    clock.reset()
    yield
    clock.reset()


@pytest.fixture
def queried(monkeypatch):
    """The index (or None for the table) of every Query on the tasks table."""
    seen: list[str | None] = []
    original = Connection.query

    def spy(self, table_name, hash_key, *args, **kwargs):
        if table_name.endswith("-tasks"):
            seen.append(kwargs.get("index_name"))
        return original(self, table_name, hash_key, *args, **kwargs)

    monkeypatch.setattr(Connection, "query", spy)
    return seen


def file(stack, what: dict) -> dict:
    body = {**REPORT, "title": what["title"], "category_id": what["category_id"]}
    body["location"] = {**REPORT["location"], "area_id": what.get("area", "p-kon-tum")}
    created = stack.call("POST", "/v1/reports", CITIZEN, body)
    assert created.status_code == 201, created.json_body
    return created.json_body


def filed_and_listed(stack, step: str, *what: dict) -> list[dict]:
    """File each report and wait until its task in ``step`` has its filter keys."""
    reports = [file(stack, w) for w in what]
    for report in reports:
        task = stack.open_task(report["id"], step)
        stack.settle(lambda t=task: TaskModel.get(t.id).area_key)
    return reports


def listed(stack, user: str, **params) -> dict:
    path = "/v1/staff/tasks" + (f"?{urlencode(params)}" if params else "")
    answer = stack.call("GET", path, user)
    assert answer.status_code == 200, answer.json_body
    return answer.json_body


def codes(stack, user: str, **params) -> set[str]:
    return {t["report_code"] for t in listed(stack, user, **params)["items"]}


def route(stack, report: dict) -> None:
    decide(stack, RECEPTION, report["id"], "route", agency_id="so-xay-dung")
    task = stack.open_task(report["id"], "assign")
    stack.settle(lambda: TaskModel.get(task.id).area_key)


def test_each_filter_is_a_query_on_its_index_and_they_combine(stack, queried):
    rubbish, pothole, lamp = filed_and_listed(stack, "triage", RUBBISH, POTHOLE, LAMP)
    every = {rubbish["code"], pothole["code"], lamp["code"]}

    queried.clear()
    assert codes(stack, RECEPTION) == every
    assert queried == ["queue-index"]

    queried.clear()
    assert codes(stack, RECEPTION, area="p-kon-tum") == {rubbish["code"], lamp["code"]}
    assert queried == ["area-index"]

    queried.clear()
    assert codes(stack, RECEPTION, category="giao-thong") == {
        pothole["code"],
        lamp["code"],
    }
    assert queried == ["category-index"]

    queried.clear()
    assert codes(stack, RECEPTION, step="triage") == every
    assert queried == ["step-index"]

    # two keyed filters: one index is read, the other filters it
    queried.clear()
    assert codes(stack, RECEPTION, area="p-kon-tum", category="giao-thong") == {
        lamp["code"]
    }
    assert queried == ["area-index"]
    assert codes(stack, RECEPTION, area="p-dak-cam", category="moi-truong") == set()

    # text: words of the title, without accents or case; and of the code
    assert codes(stack, RECEPTION, q="duong") == {rubbish["code"], pothole["code"]}
    assert codes(stack, RECEPTION, q="ĐƯỜNG phan") == {pothole["code"]}
    assert codes(stack, RECEPTION, q="den chieu sang") == {lamp["code"]}
    assert codes(stack, RECEPTION, q=lamp["code"].lower()) == {lamp["code"]}
    assert codes(stack, RECEPTION, q=lamp["code"].replace("-", "")) == {lamp["code"]}
    assert codes(stack, RECEPTION, q="duong", category="giao-thong") == {
        pothole["code"]
    }
    assert codes(stack, RECEPTION, q="không có") == set()

    # an empty parameter is no filter
    assert codes(stack, RECEPTION, area="", q=" ") == every

    # the items carry what the panel shows
    item = next(
        t
        for t in listed(stack, RECEPTION, area="p-dak-cam")["items"]
        if t["report_code"] == pothole["code"]
    )
    assert item["area_id"] == "p-dak-cam" and item["category_id"] == "giao-thong"
    assert item["step"] == "triage" and item["due_at"]
    # triage is due in one working day: due soon from the start
    assert item["overdue"] is False and item["due_soon"] is True


def test_find_by_code_only_among_the_callers_tasks(stack, queried):
    rubbish, pothole = filed_and_listed(stack, "triage", RUBBISH, POTHOLE)
    route(stack, pothole)

    queried.clear()
    found = listed(stack, RECEPTION, code=rubbish["code"].lower())
    assert [t["report_code"] for t in found["items"]] == [rubbish["code"]]
    assert found["next_cursor"] is None
    assert queried == ["report-index"]

    # the pothole is the leader's now: reception, and another unit, find nothing
    assert listed(stack, RECEPTION, code=pothole["code"])["items"] == []
    assert listed(stack, "lanhdao.kontum", code=pothole["code"])["items"] == []
    assert codes(stack, LEADER, code=pothole["code"]) == {pothole["code"]}
    # with other filters, which must match too
    assert codes(stack, LEADER, code=pothole["code"], area="p-dak-cam") == {
        pothole["code"]
    }
    assert codes(stack, LEADER, code=pothole["code"], area="p-kon-tum") == set()
    # a code nobody has
    assert listed(stack, RECEPTION, code="KT-0101-9999")["items"] == []


def test_step_is_where_the_report_stands_for_the_leader(stack):
    rubbish, lamp = filed_and_listed(stack, "triage", RUBBISH, LAMP)
    route(stack, rubbish)
    route(stack, lamp)
    decide(stack, LEADER, lamp["id"], "assign", officer_id=officer_of(stack, LEADER))
    decide(stack, OFFICER, lamp["id"], "resolve", result="Đã thay bóng đèn.")
    approve = stack.open_task(lamp["id"], "approve")
    stack.settle(lambda: TaskModel.get(approve.id).area_key)

    assert codes(stack, LEADER, step="assign") == {rubbish["code"]}
    assert codes(stack, LEADER, step="approve") == {lamp["code"]}
    # a step of the workflow where the leader does not act: nothing, not an error
    assert codes(stack, LEADER, step="process") == set()
    steps = listed(stack, LEADER)["steps"]
    assert [s["step"] for s in steps] == ["assign", "approve"]
    assert all(s["label"] and s["label_en"] for s in steps)
    # decided tasks leave every filter's index
    assert codes(stack, LEADER, category="moi-truong") == {rubbish["code"]}
    assert codes(stack, OFFICER, category="giao-thong") == set()


def test_overdue_first_then_by_due_time_without_a_due_time_last(stack):
    rubbish, pothole, lamp = filed_and_listed(stack, "triage", RUBBISH, POTHOLE, LAMP)
    for report in (rubbish, pothole, lamp):
        route(stack, report)
    by_code = {t["report_code"]: t for t in listed(stack, LEADER)["items"]}
    extended = stack.call(
        "POST",
        f"/v1/staff/tasks/{by_code[pothole['code']]['id']}/extend",
        LEADER,
        {"days": 10, "reason": "Chờ khảo sát."},
    )
    assert extended.status_code == 200, extended.json_body
    # a task the stream has not given a due time yet (as the state machine writes it)
    first = TaskModel.get(by_code[lamp["code"]]["id"])
    TaskModel(
        "no-due-yet",
        report_id=first.report_id,
        unit_id="so-xay-dung",
        inbox="so-xay-dung#agency_leader",
        step="assign",
        group="agency_leader",
        status="open",
        deadline_days=5,
        decisions={"assign"},
        token="t",
        execution="x",
        created_at=first.created_at,
        spec_version=first.spec_version,
        due_sort=NO_DUE,
    ).save()

    # WHEN the first deadline has passed
    due = clock.parse_iso(by_code[rubbish["code"]]["due_at"])
    clock.advance(due - clock.now() + timedelta(hours=1))

    items = listed(stack, LEADER)["items"]
    assert [t["report_code"] for t in items[:2]] in (
        [rubbish["code"], lamp["code"]],
        [lamp["code"], rubbish["code"]],
    )
    assert [t["overdue"] for t in items] == [True, True, False, False]
    assert items[2]["report_code"] == pothole["code"]
    assert items[3]["id"] == "no-due-yet" and items[3]["due_at"] is None
    assert codes(stack, LEADER, overdue="true") == {rubbish["code"], lamp["code"]}
    assert codes(stack, LEADER, overdue="true", category="giao-thong") == {lamp["code"]}
    assert codes(stack, LEADER, overdue="true", code=pothole["code"]) == set()
    assert items[2]["due_soon"] is False

    # WHEN the extended one is due within the next working day
    later = clock.parse_iso(items[2]["due_at"])
    clock.advance(later - clock.now() - timedelta(hours=2))
    soon = next(
        t for t in listed(stack, LEADER)["items"] if t["report_code"] == pothole["code"]
    )
    assert soon["due_soon"] is True and soon["overdue"] is False


def test_pages_follow_the_filter(stack):
    kinds = (RUBBISH, LAMP, RUBBISH, LAMP, RUBBISH)
    reports = filed_and_listed(stack, "triage", *kinds)
    rubbish = {r["code"] for r, k in zip(reports, kinds, strict=True) if k is RUBBISH}

    for params in ({"category": "moi-truong"}, {"q": "rac thai"}, {}):
        seen, cursor, pages = [], None, 0
        while True:
            more = {"cursor": cursor} if cursor else {}
            page = listed(stack, RECEPTION, limit=1, **params, **more)
            pages += 1
            seen += [t["report_code"] for t in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        expected = rubbish if params else {r["code"] for r in reports}
        assert sorted(seen) == sorted(expected), params
        assert pages >= len(expected)

    # a cursor from one index is refused by another, as a bad request
    cursor = listed(stack, RECEPTION, limit=1, category="moi-truong")["next_cursor"]
    answer = stack.call(
        "GET", f"/v1/staff/tasks?limit=1&area=p-kon-tum&cursor={cursor}", RECEPTION
    )
    assert_error(answer, 400, "bad_cursor")


def test_officers_see_only_their_own_tasks_under_every_filter(stack):
    rubbish, lamp = filed_and_listed(stack, "triage", RUBBISH, LAMP)
    for report in (rubbish, lamp):
        route(stack, report)
        decide(
            stack, LEADER, report["id"], "assign", officer_id=officer_of(stack, LEADER)
        )
    processes = [stack.open_task(r["id"], "process") for r in (rubbish, lamp)]
    for task in processes:
        stack.settle(lambda t=task: TaskModel.get(t.id).area_key)
    # the lamp is another officer's of the same unit
    TaskModel.get(processes[1].id).update(
        actions=[TaskModel.assignee.set("another-officer")]
    )

    assert codes(stack, OFFICER) == {rubbish["code"]}
    for params in (
        {"area": "p-kon-tum"},
        {"category": "giao-thong"},
        {"step": "process"},
        {"q": "den"},
        {"code": lamp["code"]},
    ):
        assert lamp["code"] not in codes(stack, OFFICER, **params), params
    assert codes(stack, OFFICER, step="process", q="rac") == {rubbish["code"]}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"step": "nope"}, "bad_step"),
        ({"area": "vung-khong-co"}, "bad_area"),
        ({"category": "khong-co"}, "bad_category"),
        ({"q": "x" * 101}, "bad_query"),
        ({"code": "KT 2612/0042"}, "bad_code"),
        ({"code": "K" * 33}, "bad_code"),
        ({"overdue": "maybe"}, "bad_overdue"),
        ({"cursor": "%%%"}, "bad_cursor"),
        ({"limit": "0", "area": "p-kon-tum"}, "bad_limit"),
    ],
)
def test_bad_filters_are_400_with_both_languages(stack, params, code):
    answer = stack.call("GET", f"/v1/staff/tasks?{urlencode(params)}", RECEPTION)
    assert_error(answer, 400, code)


def two_group_leader(stack) -> str:
    """A unit leader of so-xay-dung who also processes reports: two inboxes."""
    body = {
        "username": "lanhdao.kiem.cv",
        "name": "Lãnh Đạo Kiêm Chuyên Viên",
        "agency_id": "so-xay-dung",
        "groups": ["agency_leader", "officer"],
    }
    created = stack.call("POST", "/v1/admin/staff", "quantri", body)
    assert created.status_code == 201, created.json_body
    first = stack.call(
        "POST",
        "/v1/auth/sign-in",
        body={
            "username": body["username"],
            "password": created.json_body["temporary_password"],
        },
    )
    chosen = stack.call(
        "POST",
        "/v1/auth/new-password",
        body={
            "username": body["username"],
            "session": first.json_body["session"],
            "new_password": "Kiem@2026cv",
        },
    )
    assert chosen.status_code == 200, chosen.json_body
    stack.sign_in(body["username"], "Kiem@2026cv")
    return body["username"]


def test_a_person_in_two_groups_reads_each_inbox(stack, queried):
    both_hats = two_group_leader(stack)
    # GIVEN a report routed to the unit: a task of its leaders ("assign")
    (report,) = filed_and_listed(stack, "triage", RUBBISH)
    decide(stack, RECEPTION, report["id"], "route", agency_id="so-xay-dung")
    stack.open_task(report["id"], "assign")

    # WHEN the person lists without naming a group THEN their first inbox shows,
    # with both groups offered and the leaders' steps
    first = listed(stack, both_hats)
    assert first["groups"] == ["agency_leader", "officer"]
    assert first["group"] == "agency_leader"
    assert report["id"] in [t["report_id"] for t in first["items"]]
    assert {s["step"] for s in first["steps"]} == {"assign", "approve"}

    # WHEN they assign it to themselves and read their officer's inbox
    decide(
        stack, both_hats, report["id"], "assign", officer_id=sub_of(stack, both_hats)
    )
    stack.open_task(report["id"], "process")
    queried.clear()
    second = listed(stack, both_hats, group="officer")

    # THEN the processing task is there, the officers' steps offered, one Query read
    assert second["group"] == "officer"
    assert [t["step"] for t in second["items"] if t["report_id"] == report["id"]] == [
        "process"
    ]
    assert {s["step"] for s in second["steps"]} == {"process"}
    assert queried == ["queue-index"]
    # ... and it is no longer among the leaders' tasks
    again = listed(stack, both_hats, group="agency_leader")
    assert report["id"] not in [t["report_id"] for t in again["items"]]

    # AND a group the caller is not in is refused
    answer = stack.call("GET", "/v1/staff/tasks?group=reception", both_hats)
    assert_error(answer, 400, "bad_group")
    answer = stack.call("GET", "/v1/staff/tasks?group=officer", LEADER)
    assert_error(answer, 400, "bad_group")


def sub_of(stack, username: str) -> str:
    return stack.call("GET", "/v1/me", username).json_body["sub"]


def test_staff_find_a_report_by_code_if_their_unit_may_see_it(stack):
    # GIVEN a report routed to Sở Xây dựng and waiting for its leader
    (report,) = filed_and_listed(stack, "triage", LAMP)
    decide(stack, RECEPTION, report["id"], "route", agency_id="so-xay-dung")
    stack.open_task(report["id"], "assign")

    def found(user, code=report["code"]):
        answer = stack.call(
            "GET", f"/v1/staff/reports?{urlencode({'code': code})}", user
        )
        assert answer.status_code == 200, answer.json_body
        return [item["id"] for item in answer.json_body["items"]]

    # THEN reception (no longer holding it), the province's leader, the unit's own
    # officer (not assigned yet) and leader find it, in any case of the code
    for user in (RECEPTION, "lanhdao.tinh", OFFICER, LEADER):
        assert found(user) == [report["id"]], user
    assert found(LEADER, report["code"].lower()) == [report["id"]]
    # ... and another unit's staff do not, as if it did not exist
    assert found("lanhdao.kontum") == []
    assert found(RECEPTION, "KT-0000-0000") == []
    # ... and what is found names the report, nothing of its sender (a Query on the
    # code index: the Scan guard of tests/conftest.py fails any Scan)
    item = stack.call(
        "GET", f"/v1/staff/reports?code={report['code']}", RECEPTION
    ).json_body["items"][0]
    assert (item["code"], item["title"], item["status"]) == (
        report["code"],
        LAMP["title"],
        "routed",
    )
    assert "contact" not in item and "owner_sub" not in item


@pytest.mark.parametrize(
    ("query", "code"),
    [("", "missing_code"), ("code=", "missing_code"), ("code=KT%202612", "bad_code")],
)
def test_finding_a_report_needs_a_code(stack, query, code):
    answer = stack.call("GET", f"/v1/staff/reports?{query}", RECEPTION)
    assert_error(answer, 400, code)
