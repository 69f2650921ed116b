"""Statistics from the streams: a report's life counted, and who reads what."""

import pytest

from chalicelib.domain import clock
from tests.integration.test_workflows import CITIZEN, decide, file, publish

LEADER, OTHER_LEADER, PROVINCE = "lanhdao.sxd", "lanhdao.kontum", "lanhdao.tinh"


@pytest.fixture(autouse=True)
def real_time():
    clock.reset()
    yield
    clock.reset()


def figures(stack, user=PROVINCE, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    answer = stack.call("GET", f"/v1/stats?{query}", user)
    assert answer.status_code == 200, answer.json_body
    return answer.json_body


def test_a_report_life_is_counted_where_it_happened(stack):
    report = file(stack)
    publish(stack, report["id"])
    rated = stack.call(
        "POST", f"/v1/reports/{report['id']}/rating", CITIZEN, {"stars": 4}
    )
    assert rated.status_code == 200
    rejected = file(stack, category_id="giao-thong")
    decide(stack, "tiepnhan", rejected["id"], "reject", reason="Không rõ địa điểm.")
    stack.settle()

    by_agency = {r["key"]: r for r in figures(stack)["rows"]}
    assert by_agency["reception"]["received"] == 2
    assert by_agency["reception"]["rejected"] == 1
    sxd = by_agency["so-xay-dung"]
    assert sxd["label"] == "Sở Xây dựng"
    assert (sxd["routed"], sxd["resolved"], sxd["on_time"], sxd["late"]) == (1, 1, 1, 0)
    assert sxd["avg_days"] == 0 and sxd["p90_days"] == 0
    assert (sxd["rated"], sxd["avg_rating"]) == (1, 4.0)
    assert sxd["statuses"] == {"published": 1}

    statuses = {r["key"]: r for r in figures(stack, group="status")["rows"]}
    assert {k: v["statuses"][k] for k, v in statuses.items()} == {
        "published": 1,
        "rejected": 1,
    }
    by_category = {
        r["key"]: r["received"] for r in figures(stack, group="category")["rows"]
    }
    assert by_category == {"moi-truong": 1, "giao-thong": 1}

    behind = stack.call(
        "GET", "/v1/stats/reports?measure=resolved&agency=so-xay-dung", PROVINCE
    ).json_body
    assert [i["code"] for i in behind["items"]] == [report["code"]]


def test_an_agency_leader_reads_only_their_agency(stack):
    report = file(stack)
    publish(stack, report["id"])
    stack.settle()
    own = figures(stack, LEADER)
    assert {r["key"] for r in own["rows"]} == {"so-xay-dung"}
    other = figures(stack, OTHER_LEADER)
    assert other["rows"] == [] and other["total"]["resolved"] == 0
    refused = stack.call("GET", "/v1/stats?agency=so-xay-dung", OTHER_LEADER)
    assert (
        refused.status_code == 403 and refused.json_body["code"] == "stats_other_agency"
    )
    officer = stack.call("GET", "/v1/stats", "chuyenvien.sxd")
    assert officer.status_code == 403


def test_bad_parameters_are_a_400_naming_the_parameter(stack):
    for query in ("group=colour", "from=hôm-qua", "from=2026-05-01&to=2026-04-01"):
        answer = stack.call("GET", f"/v1/stats?{query}", PROVINCE)
        assert (
            answer.status_code == 400 and answer.json_body["code"] == "bad_stats_query"
        )


def test_the_public_record_names_agencies_and_nobody_else(stack):
    report = file(stack)
    publish(stack, report["id"])
    stack.settle()
    answer = stack.call("GET", "/v1/public/stats")
    assert answer.status_code == 200
    [sxd] = answer.json_body["agencies"]
    assert sxd["agency_id"] == "so-xay-dung" and sxd["resolved"] == 1
    assert sxd["on_time_share"] == 100.0
    flat = str(answer.json_body)
    for secret in ("Nguyễn Văn An", "84901234567", report["id"]):
        assert secret not in flat
