"""Agency leaders edit their workflow; reports keep the version they started on.

The real app on moto, in process. Refusals leave every table, the bucket and the state
machines as they were (snapshots of moto's backends, as in test_bad_input).
"""

import copy

import pytest

from infra import bootstrap
from tests.integration.test_bad_input import assert_error, snapshot
from tests.integration.test_report_lifecycle import CITIZEN, REPORT

PATH = "/v1/agencies/so-xay-dung/workflow"
ADMIN = "quantri.kiemthu"  # an administrator of this test's own
EVERYONE = (
    CITIZEN,
    "tiepnhan",
    "lanhdao.sxd",
    "chuyenvien.sxd",
    "lanhdao.kontum",
    "chuyenvien.kontum",
)


@pytest.fixture
def ready(stack):
    """Every demo user signed in (signing in writes the users table), and an admin."""
    bootstrap.create_user(
        stack.info["user_pool_id"],
        {
            "username": ADMIN,
            "password": "Demo@2026",
            "name": "Quản trị viên",
            "groups": ["admin"],
        },
    )
    for user in (*EVERYONE, ADMIN):
        stack.sign_in(user)
    stack.settle()
    return stack


def officer_sub(stack, username="chuyenvien.sxd"):
    return stack.info["users"][username]


def with_review(stack, spec):
    """The default agency spec with a second review by a named officer."""
    spec = copy.deepcopy(spec)
    spec["steps"]["process"]["decisions"]["resolve"] = "review"
    spec["steps"]["review"] = {
        "label": "Chuyên viên thẩm định kết quả",
        "label_en": "An officer reviews the result",
        "actor": {"group": "officer", "user": officer_sub(stack)},
        "deadline_days": 3,
        "decisions": {"approve": "approve", "return": "process"},
    }
    return spec


def current(stack, user="lanhdao.sxd"):
    answer = stack.call("GET", PATH, user)
    assert answer.status_code == 200, answer.json_body
    return answer.json_body


def unchanged(stack, action):
    before = snapshot()
    answer = action()
    stack.settle()
    assert snapshot() == before
    return answer


# ---------------------------------------------------------------- reading


def test_any_staff_member_reads_the_workflow_drawn_as_steps(ready):
    body = current(ready, "chuyenvien.sxd")

    assert body["unit_id"] == "so-xay-dung"
    assert body["version"] == 1
    assert body["created_at"] and body["created_by"] is None
    assert [s["name"] for s in body["steps"]] == ["assign", "process", "approve"]
    process = body["steps"][1]
    assert process["group"] == "officer"
    assert process["assignee_from"] == "assign"
    assert process["deadline_days"] == 10
    assert process["label"] == "Xử lý phản ánh"
    assert {
        d["decision"]: (d["target"], d["target_label"]) for d in process["decisions"]
    } == {
        "resolve": ("approve", "Phê duyệt kết quả"),
        "transfer": ("@handoff", "Chuyển đến đơn vị được chọn"),
        "request_info": ("@ask_citizen", "Hỏi người dân, rồi quay lại bước này"),
    }
    catalogue = {d["decision"]: d["targets"] for d in body["decisions_catalogue"]}
    assert catalogue["route"] == catalogue["transfer"] == ["@handoff"]
    assert catalogue["request_info"] == ["@ask_citizen"]
    assert catalogue["merge"] == ["@merge"]
    assert catalogue["approve"] == ["assign", "process", "approve", "@publish"]
    assert {g["group"] for g in body["groups"]} == {"officer", "agency_leader"}
    assert body["officers"] == [{"sub": officer_sub(ready), "name": "Phạm Thị Dung"}]
    assert body["can_edit"] is False
    assert current(ready)["can_edit"] is True


def test_reception_and_unknown_units(ready):
    reception = ready.call("GET", "/v1/agencies/reception/workflow", "lanhdao.sxd")
    assert reception.status_code == 200
    assert [s["name"] for s in reception.json_body["steps"]] == ["triage"]
    assert [g["group"] for g in reception.json_body["groups"]] == ["reception"]

    missing = ready.call("GET", "/v1/agencies/khong-co/workflow", "lanhdao.sxd")
    assert_error(missing, 404, "unit_not_found")
    citizen = ready.call("GET", PATH, CITIZEN)
    assert_error(citizen, 403, "staff_only")
    assert_error(ready.call("GET", PATH), 401, "unauthorized")


# ---------------------------------------------------------------- saving


def test_leader_adds_a_review_step_and_sees_version_2(ready):
    before = current(ready)
    spec = with_review(ready, before["spec"])

    saved = ready.call(
        "PUT", PATH, "lanhdao.sxd", {"spec": spec, "note": "Thêm bước thẩm định"}
    )

    assert saved.status_code == 200, saved.json_body
    body = saved.json_body
    assert body["version"] == 2
    assert body["created_by"] == ready.info["users"]["lanhdao.sxd"]
    assert body["created_by_name"] == "Lê Văn Cường"
    assert body["note"] == "Thêm bước thẩm định"
    assert [s["name"] for s in body["steps"]] == [
        "assign",
        "process",
        "review",
        "approve",
    ]
    review = body["steps"][2]
    assert review["user"] == officer_sub(ready)
    assert review["user_name"] == "Phạm Thị Dung"
    assert [(d["decision"], d["target"]) for d in review["decisions"]] == [
        ("approve", "approve"),
        ("return", "process"),
    ]
    assert current(ready, "tiepnhan") == {**body, "can_edit": False}


def test_admin_changes_the_reception_workflow_and_leaders_cannot(ready):
    reception_path = "/v1/agencies/reception/workflow"
    spec = copy.deepcopy(ready.call("GET", reception_path, ADMIN).json_body["spec"])
    spec["steps"]["triage"]["deadline_days"] = 2

    for user, code in [("lanhdao.sxd", "not_your_workflow"), ("tiepnhan", "forbidden")]:
        refused = unchanged(
            ready,
            lambda u=user: ready.call("PUT", reception_path, u, {"spec": spec}),
        )
        assert_error(refused, 403, code)

    saved = ready.call("PUT", reception_path, ADMIN, {"spec": spec})
    assert saved.status_code == 200, saved.json_body
    assert saved.json_body["version"] == 2
    assert saved.json_body["steps"][0]["deadline_days"] == 2
    assert saved.json_body["can_edit"] is True

    agency = ready.call("PUT", PATH, ADMIN, {"spec": current(ready)["spec"]})
    assert agency.status_code == 200, agency.json_body
    assert agency.json_body["version"] == 2


def _set(path, value):
    def mutate(spec, stack):
        node = spec
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value(stack) if callable(value) else value

    return mutate


def _loop(spec, stack):
    spec["steps"]["review"]["decisions"]["return"] = "loop"
    spec["steps"]["loop"] = {
        "actor": {"group": "officer"},
        "deadline_days": 1,
        "decisions": {"return": "loop"},
    }


def _rename(old, new):
    def mutate(spec, stack):
        spec["steps"][new] = spec["steps"].pop(old)
        spec["steps"]["process"]["decisions"]["resolve"] = new

    return mutate


REVIEW = ["steps", "review"]


@pytest.mark.parametrize(
    "mutate, field",
    [
        pytest.param(
            _set([*REVIEW, "actor", "group"], "nobody"),
            "steps.review",
            id="nobody-can-act",
        ),
        pytest.param(_set([*REVIEW, "actor"], {}), "steps.review", id="no-actor"),
        pytest.param(
            _set([*REVIEW, "decisions", "approve"], "lost"),
            "steps.review",
            id="leads-nowhere",
        ),
        pytest.param(
            _set([*REVIEW, "decisions", "transfer"], "approve"),
            "steps.review",
            id="transfer-not-to-handoff",
        ),
        pytest.param(_loop, "steps.loop", id="cannot-reach-an-end"),
        pytest.param(
            _set([*REVIEW, "deadline_days"], 0), "steps.review", id="deadline-0"
        ),
        pytest.param(
            _set([*REVIEW, "deadline_days"], "3"), "steps.review", id="deadline-text"
        ),
        pytest.param(
            _set(
                [*REVIEW, "actor", "user"],
                lambda stack: officer_sub(stack, "chuyenvien.kontum"),
            ),
            "steps.review",
            id="officer-of-another-agency",
        ),
        pytest.param(
            _set(
                [*REVIEW, "actor", "user"],
                lambda stack: stack.info["users"]["lanhdao.sxd"],
            ),
            "steps.review",
            id="named-user-not-in-the-group",
        ),
        pytest.param(
            _set([*REVIEW, "actor", "group"], "reception"),
            "steps.review",
            id="group-not-of-this-unit",
        ),
        pytest.param(
            _set([*REVIEW, "decisions", "approve"], ["approve"]),
            "steps.review",
            id="target-not-a-string",
        ),
        pytest.param(_rename("review", "entry"), "steps.entry", id="reserved-name"),
        pytest.param(_rename("review", "Thẩm định"), "steps.Thẩm định", id="bad-name"),
        pytest.param(_set(["start"], "khong-co"), "start", id="no-start"),
        pytest.param(_set(["steps"], {}), "steps", id="no-steps"),
    ],
)
def test_invalid_spec_is_refused_naming_the_step(ready, mutate, field):
    spec = with_review(ready, current(ready)["spec"])
    mutate(spec, ready)

    answer = unchanged(
        ready, lambda: ready.call("PUT", PATH, "lanhdao.sxd", {"spec": spec})
    )

    assert_error(answer, 422, "invalid_workflow", field)
    assert answer.json_body["message"].startswith("Quy trình chưa hợp lệ")
    assert current(ready)["version"] == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ([], "body"),
        ({}, "spec"),
        ({"spec": "khong"}, "spec"),
        ({"note": "x" * 501}, "note"),
        ({"base_version": "1"}, "base_version"),
    ],
)
def test_malformed_body_is_refused(ready, body, field):
    if isinstance(body, dict) and "spec" not in body and field != "spec":
        body = {**body, "spec": current(ready)["spec"]}
    answer = unchanged(ready, lambda: ready.call("PUT", PATH, "lanhdao.sxd", body))
    assert answer.status_code == 422, answer.json_body
    assert field in answer.json_body["fields"]


def test_only_the_agencys_leader_or_an_admin_may_save(ready):
    spec = with_review(ready, current(ready)["spec"])
    for user, code in [
        ("lanhdao.kontum", "not_your_workflow"),
        ("chuyenvien.sxd", "forbidden"),
        ("tiepnhan", "forbidden"),
        (CITIZEN, "staff_only"),
    ]:
        answer = unchanged(
            ready, lambda u=user: ready.call("PUT", PATH, u, {"spec": spec})
        )
        assert_error(answer, 403, code)
    missing = unchanged(
        ready,
        lambda: ready.call(
            "PUT", "/v1/agencies/khong-co/workflow", "lanhdao.sxd", {"spec": spec}
        ),
    )
    assert_error(missing, 404, "unit_not_found")


def test_saving_over_a_version_not_seen_is_a_409(ready):
    spec = with_review(ready, current(ready)["spec"])
    first = ready.call("PUT", PATH, "lanhdao.sxd", {"spec": spec, "base_version": 1})
    assert first.status_code == 200

    stale = unchanged(
        ready,
        lambda: ready.call(
            "PUT", PATH, "lanhdao.sxd", {"spec": spec, "base_version": 1}
        ),
    )
    assert_error(stale, 409, "workflow_changed")


# ---------------------------------------------------------------- versions


def test_versions_are_listed_newest_first_and_one_is_restored(ready):
    original = current(ready)["spec"]
    assert (
        ready.call(
            "PUT", PATH, "lanhdao.sxd", {"spec": with_review(ready, original)}
        ).status_code
        == 200
    )

    restored = ready.call("POST", f"{PATH}/versions/1/restore", "lanhdao.sxd")

    assert restored.status_code == 200, restored.json_body
    assert restored.json_body["version"] == 3
    assert restored.json_body["restored_from"] == 1
    assert restored.json_body["spec"] == {**original}
    assert [s["name"] for s in restored.json_body["steps"]] == [
        "assign",
        "process",
        "approve",
    ]
    page = ready.call("GET", f"{PATH}/versions?limit=2", "lanhdao.sxd").json_body
    assert [v["version"] for v in page["items"]] == [3, 2]
    assert page["items"][0]["restored_from"] == 1
    assert page["items"][1]["created_by_name"] == "Lê Văn Cường"
    assert page["current_version"] == 3
    rest = ready.call(
        "GET", f"{PATH}/versions?limit=2&cursor={page['next_cursor']}", ADMIN
    ).json_body
    assert [v["version"] for v in rest["items"]] == [1]
    assert rest["next_cursor"] is None

    two = ready.call("GET", f"{PATH}/versions/2", "lanhdao.sxd")
    assert two.status_code == 200
    assert "review" in two.json_body["spec"]["steps"]
    assert two.json_body["version"] == 2


def test_versions_are_for_the_leader_and_admins_only(ready):
    for user, code in [
        ("lanhdao.kontum", "not_your_workflow"),
        ("chuyenvien.sxd", "forbidden"),
        (CITIZEN, "staff_only"),
    ]:
        assert_error(ready.call("GET", f"{PATH}/versions", user), 403, code)
        assert_error(ready.call("GET", f"{PATH}/versions/1", user), 403, code)
        answer = unchanged(
            ready,
            lambda u=user: ready.call("POST", f"{PATH}/versions/1/restore", u),
        )
        assert_error(answer, 403, code)
    for version in ("9", "0", "abc", "1000000"):
        answer = unchanged(
            ready,
            lambda v=version: ready.call(
                "POST", f"{PATH}/versions/{v}/restore", "lanhdao.sxd"
            ),
        )
        assert_error(answer, 404, "workflow_version_not_found")
    assert_error(
        ready.call("GET", f"{PATH}/versions?cursor=abc", "lanhdao.sxd"),
        400,
        "bad_cursor",
    )


def test_restoring_a_version_whose_officer_left_is_refused(ready):
    from chalicelib.adapters.tables import UserModel

    saved = ready.call(
        "PUT", PATH, "lanhdao.sxd", {"spec": with_review(ready, current(ready)["spec"])}
    )
    assert saved.status_code == 200
    ready.call("POST", f"{PATH}/versions/1/restore", "lanhdao.sxd")
    # The named officer moves to another agency.
    UserModel(officer_sub(ready)).update(
        actions=[UserModel.agency_id.set("ubnd-p-kon-tum")]
    )

    answer = unchanged(
        ready,
        lambda: ready.call("POST", f"{PATH}/versions/2/restore", "lanhdao.sxd"),
    )

    assert_error(answer, 422, "invalid_workflow", "steps.review")


# ---------------------------------------------------------------- running reports


def file_and_route(stack, title):
    created = stack.call("POST", "/v1/reports", CITIZEN, {**REPORT, "title": title})
    assert created.status_code == 201, created.json_body
    report_id = created.json_body["id"]
    triage = stack.open_task(report_id, "triage")
    answer = stack.call(
        "POST",
        f"/v1/staff/tasks/{triage.id}/decision",
        "tiepnhan",
        {"decision": "route", "agency_id": "so-xay-dung"},
    )
    assert answer.status_code == 200, answer.json_body
    return report_id, stack.open_task(report_id, "assign")


def assign_and_resolve(stack, report_id, assign):
    officer = officer_sub(stack)
    answer = stack.call(
        "POST",
        f"/v1/staff/tasks/{assign.id}/decision",
        "lanhdao.sxd",
        {"decision": "assign", "officer_id": officer},
    )
    assert answer.status_code == 200, answer.json_body
    process = stack.open_task(report_id, "process")
    answer = stack.call(
        "POST",
        f"/v1/staff/tasks/{process.id}/decision",
        "chuyenvien.sxd",
        {"decision": "resolve", "result": "Đã xử lý xong."},
    )
    assert answer.status_code == 200, answer.json_body
    return process


def next_open_task(stack, report_id, after):
    from chalicelib.adapters.tables import TaskModel

    def find():
        for task in TaskModel.report_index.query(report_id):
            if task.status == "open" and task.id != after.id:
                return task
        return None

    return stack.settle(find)


def test_reports_keep_the_version_they_started_on(ready):
    # GIVEN a report already in the agency's hands on version 1
    old_id, old_assign = file_and_route(ready, "Phản ánh trước khi đổi quy trình")
    assert old_assign.spec_version == "1"

    # WHEN the leader adds a review step (version 2) and a new report arrives
    saved = ready.call(
        "PUT", PATH, "lanhdao.sxd", {"spec": with_review(ready, current(ready)["spec"])}
    )
    assert saved.status_code == 200 and saved.json_body["version"] == 2
    new_id, new_assign = file_and_route(ready, "Phản ánh sau khi đổi quy trình")
    assert new_assign.spec_version == "2"

    # THEN once resolved, the old report goes to approval as version 1 says ...
    old_process = assign_and_resolve(ready, old_id, old_assign)
    assert old_process.spec_version == "1"
    old_next = next_open_task(ready, old_id, old_process)
    assert (old_next.step, old_next.spec_version) == ("approve", "1")
    assert old_next.decisions == {"approve", "return"}

    # ... and the new one to the named officer's review, as version 2 says
    new_process = assign_and_resolve(ready, new_id, new_assign)
    new_next = next_open_task(ready, new_id, new_process)
    assert (new_next.step, new_next.spec_version) == ("review", "2")
    assert new_next.assignee == officer_sub(ready)
    assert new_next.decisions == {"approve", "return"}
    inbox = ready.call("GET", "/v1/staff/tasks", "chuyenvien.sxd").json_body["items"]
    assert [t["step"] for t in inbox] == ["review"]
    assert inbox[0]["step_label"] == "Chuyên viên thẩm định kết quả"

    # WHEN the officer approves the review THEN the leader approves, still on v2
    answer = ready.call(
        "POST",
        f"/v1/staff/tasks/{new_next.id}/decision",
        "chuyenvien.sxd",
        {"decision": "approve"},
    )
    assert answer.status_code == 200, answer.json_body
    last = next_open_task(ready, new_id, new_next)
    assert (last.step, last.spec_version) == ("approve", "2")
