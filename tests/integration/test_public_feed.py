"""The public feed's filters: area, category, status and period, each a Query.

Most reports here are published by the real publication code
(``workflow_runs.publish``) with the clock set to the moment wanted, so that the
period filter meets reports of several days without the full workflow for each; one
test takes a report through the real workflow, reopens it and publishes it again.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from chalicelib.adapters.tables import ReportModel
from chalicelib.domain import clock
from chalicelib.services import workflow_runs
from tests.integration.test_bad_input import assert_error
from tests.integration.test_report_lifecycle import CITIZEN, REPORT
from tests.integration.test_workflows import publish as publish_through_workflow

PLACES = {
    "p-kon-tum": (14.3545, 108.0076),
    "p-dak-bla": (14.3401, 108.0152),
}


@pytest.fixture(autouse=True)
def real_time():
    clock.reset()
    yield
    clock.reset()


def vn_day(days_ago: int):
    return (clock.now().astimezone(clock.VN_TZ) - timedelta(days=days_ago)).date()


def vn_moment(day, hour, minute=0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.VN_TZ)


def file(stack, title, area, category, user=CITIZEN, path="/v1/reports", **extra):
    lat, lon = PLACES[area]
    body = {
        **REPORT,
        "title": title,
        "category_id": category,
        "location": {**REPORT["location"], "area_id": area, "lat": lat, "lon": lon},
        **extra,
    }
    created = stack.call("POST", path, user, body)
    assert created.status_code == 201, created.json_body
    return created.json_body["id"]


def publish_at(report_id: str, moment: datetime) -> None:
    """The agency's result, approved, published by the real publication code at
    ``moment`` (the clock moved there and back)."""
    report = ReportModel.get(report_id)
    report.update(
        actions=[
            ReportModel.status.set("approved"),
            ReportModel.agency_id.set("so-xay-dung"),
            ReportModel.unit_id.set("so-xay-dung"),
            ReportModel.result_text.set("Đã xử lý xong."),
        ]
    )
    clock.reset()
    clock.advance(moment - clock.now())
    try:
        workflow_runs.publish(ReportModel.get(report_id))
    finally:
        clock.reset()


def feed(stack, query: str = "") -> list[str]:
    answer = stack.call("GET", f"/v1/public/reports?limit=100{query}")
    assert answer.status_code == 200, answer.json_body
    assert answer.json_body["next_cursor"] is None
    return [item["id"] for item in answer.json_body["items"]]


@pytest.fixture
def published(stack):
    """Four published reports on three Vietnam days, and one never published.

    ``a`` is published at 00:30 of day 0 in Vietnam (the evening before in UTC),
    ``b`` at 23:30 of the day before: the period is read on Vietnam's days."""
    day0, day_before, long_ago = vn_day(20), vn_day(21), vn_day(80)
    ids = {
        "a": file(stack, "Rác bên hồ", "p-kon-tum", "moi-truong"),
        "b": file(stack, "Ổ gà đường Lê Lợi", "p-kon-tum", "giao-thong"),
        "c": file(stack, "Khói nhà máy", "p-dak-bla", "moi-truong"),
        "d": file(stack, "Đèn tín hiệu hỏng", "p-dak-bla", "giao-thong"),
        "hidden": file(stack, "Chưa công khai", "p-kon-tum", "moi-truong"),
    }
    publish_at(ids["c"], vn_moment(long_ago, 12))
    publish_at(ids["b"], vn_moment(day_before, 23, 30))
    publish_at(ids["a"], vn_moment(day0, 0, 30))
    publish_at(ids["d"], vn_moment(vn_day(2), 9))
    return ids, day0, day_before


def test_each_filter_and_their_combinations(stack, published):
    ids, day0, day_before = published
    a, b, c, d = ids["a"], ids["b"], ids["c"], ids["d"]

    # GIVEN no filter: every published report, newest first, never the other
    assert feed(stack) == [d, a, b, c]
    # area, category: each its own index
    assert feed(stack, "&area=p-kon-tum") == [a, b]
    assert feed(stack, "&area=p-dak-bla") == [d, c]
    assert feed(stack, "&category=moi-truong") == [a, c]
    assert feed(stack, "&category=giao-thong") == [d, b]
    # both: the area's index, the category as a filter
    assert feed(stack, "&area=p-kon-tum&category=moi-truong") == [a]
    assert feed(stack, "&area=p-dak-bla&category=giao-thong") == [d]
    assert feed(stack, "&area=p-kon-tum&category=trat-tu-do-thi") == []

    # the period is read on Vietnam's days, both ends included
    assert feed(stack, f"&from={day0}") == [d, a]
    assert feed(stack, f"&to={day_before}") == [b, c]
    assert feed(stack, f"&from={day_before}&to={day_before}") == [b]
    assert feed(stack, f"&from={day_before}&to={day0}") == [a, b]
    assert feed(stack, f"&from={day0}&to={day0}&area=p-kon-tum") == [a]
    assert feed(stack, f"&to={day_before}&category=moi-truong") == [c]
    assert feed(stack, f"&from={day_before}&area=p-dak-bla&category=moi-truong") == []

    # status: nothing here was reopened
    assert feed(stack, "&status=resolved") == [d, a, b, c]
    assert feed(stack, "&status=reopened") == []
    assert feed(stack, "&status=resolved&area=p-kon-tum&category=giao-thong") == [b]

    one = stack.call("GET", "/v1/public/reports?area=p-kon-tum&limit=1").json_body
    item = one["items"][0]
    assert item["public_status"] == "resolved"
    assert item["public_status_label"] == "Đã giải quyết"
    assert item["location"]["area_id"] == "p-kon-tum"


def test_paging_keeps_the_filters_and_refuses_another_querys_cursor(stack):
    day = vn_day(3)
    ids = [file(stack, f"Cây đổ số {n}", "p-kon-tum", "moi-truong") for n in range(5)]
    other = file(stack, "Cây đổ nơi khác", "p-dak-bla", "moi-truong")
    for n, report_id in enumerate(ids + [other]):
        publish_at(report_id, vn_moment(day, 8, n))

    for query in ("&area=p-kon-tum", "&area=p-kon-tum&category=moi-truong"):
        seen, cursor, pages = [], None, 0
        while True:
            path = f"/v1/public/reports?limit=2{query}"
            answer = stack.call("GET", path + (f"&cursor={cursor}" if cursor else ""))
            assert answer.status_code == 200, answer.json_body
            seen += [item["id"] for item in answer.json_body["items"]]
            pages += 1
            cursor = answer.json_body["next_cursor"]
            if not cursor:
                break
        assert seen == list(reversed(ids)), query
        assert pages == 3

    first = stack.call("GET", "/v1/public/reports?limit=2&area=p-kon-tum").json_body
    cursor = first["next_cursor"]
    # The same cursor on another index, another area, or outside the period: 400
    for query in (
        "&category=moi-truong",
        "&area=p-dak-bla",
        "",
        f"&area=p-kon-tum&to={vn_day(30)}",
        f"&area=p-kon-tum&from={vn_day(1)}",
    ):
        answer = stack.call("GET", f"/v1/public/reports?limit=2&cursor={cursor}{query}")
        assert_error(answer, 400, "bad_cursor")
    second = stack.call(
        "GET", f"/v1/public/reports?limit=2&area=p-kon-tum&cursor={cursor}"
    )
    assert [i["id"] for i in second.json_body["items"]] == [ids[2], ids[1]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("area=xa-khong-co", "area"),
        ("area=kt", "area"),  # the province itself: no report is filed there
        ("category=khong-co", "category"),
        ("status=published", "status"),
        ("status=in_progress", "status"),
        ("from=2026-13-01", "from"),
        ("from=2026-02-30", "from"),
        ("to=1%2F12%2F2026", "to"),
        ("from=20261201", "from"),
        ("from=2026-12-02&to=2026-12-01", "to"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(stack, query, field):
    answer = stack.call("GET", f"/v1/public/reports?{query}")
    assert_error(answer, 400, "bad_feed_filter", field)


def test_bad_cursors_are_a_400(stack):
    import base64

    for raw in (
        "not-base64!",
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(
            json.dumps({"id": {"S": "x"}, "public_feed": {"N": "1"}}).encode()
        ).decode(),
        base64.urlsafe_b64encode(
            json.dumps(
                {
                    "id": {"S": "x"},
                    "public_feed": {"S": "OTHER"},
                    "published_at": {"S": "2026-01-01"},
                }
            ).encode()
        ).decode(),
    ):
        assert_error(
            stack.call("GET", f"/v1/public/reports?cursor={raw}"), 400, "bad_cursor"
        )


def test_a_reopened_report_leaves_every_feed_and_returns_reopened(stack):
    # GIVEN a report published through its agency's real workflow
    report_id = file(stack, "Rác tràn ra đường", "p-dak-bla", "moi-truong")
    publish_through_workflow(stack, report_id)
    stored = ReportModel.get(report_id)
    assert (stored.public_area, stored.public_category) == ("p-dak-bla", "moi-truong")
    everywhere = ("", "&area=p-dak-bla", "&category=moi-truong", "&status=resolved")
    for query in everywhere:
        assert feed(stack, query) == [report_id], query

    # WHEN the citizen reopens it, THEN it leaves the feed and each filtered feed
    reopened = stack.call(
        "POST",
        f"/v1/reports/{report_id}/rating",
        CITIZEN,
        {"reopen": True, "reason": "Rác lại bị đổ ra."},
    )
    assert reopened.status_code == 200, reopened.json_body
    for query in everywhere:
        assert feed(stack, query) == [], query
    assert stack.call("GET", f"/v1/public/reports/{report_id}").status_code == 404
    stored = ReportModel.get(report_id)
    assert stored.public_area is None and stored.public_category is None

    # WHEN its new result is published, THEN it is back, as handled again
    publish_at(report_id, clock.now() + timedelta(minutes=5))
    for query in ("", "&area=p-dak-bla", "&category=moi-truong", "&status=reopened"):
        assert feed(stack, query) == [report_id], query
    assert feed(stack, "&status=resolved") == []
    public = stack.call("GET", f"/v1/public/reports/{report_id}").json_body
    assert public["public_status"] == "reopened"
    assert public["public_status_label_en"] == "Handled again at the citizen's request"


def test_the_feed_carries_no_personal_data(stack):
    me = stack.call("GET", "/v1/me", CITIZEN).json_body
    own = file(stack, "Nước ngập sau mưa", "p-kon-tum", "moi-truong")
    entered = file(
        stack,
        "Cống bị tắc",
        "p-kon-tum",
        "moi-truong",
        user="tiepnhan",
        path="/v1/staff/reports",
        channel="phone",
        contact={"name": "Bà Trần Thị Lan", "phone": "0987654321", "email": "lan@x.vn"},
    )
    for report_id in (own, entered):
        publish_at(report_id, clock.now() - timedelta(hours=1))
    stored = ReportModel.get(own)
    secrets = [
        me["name"],
        me["phone"],
        me["phone"].replace("+84", "0"),
        stored.owner_sub,
        "Trần Thị Lan",
        "987654321",
        "lan@x.vn",
    ]
    answers = [
        stack.call("GET", "/v1/public/reports"),
        stack.call("GET", "/v1/public/reports?area=p-kon-tum&category=moi-truong"),
        stack.call("GET", "/v1/public/reports?category=moi-truong&status=resolved"),
        stack.call("GET", f"/v1/public/reports/{own}"),
        stack.call("GET", f"/v1/public/reports/{entered}"),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.json_body
        text = json.dumps(answer.json_body, ensure_ascii=False)
        for secret in secrets:
            assert secret not in text
        items = answer.json_body.get("items") or [answer.json_body]
        for item in items:
            assert not {"contact", "owner_sub", "rating_comment"} & set(item)
    listed = [i["id"] for i in answers[1].json_body["items"]]
    assert sorted(listed) == sorted([own, entered])
