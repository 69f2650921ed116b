"""Dossier lookup against a fake one-stop service over real HTTP, connectors and
online public services edited by administrators."""

import socket
import time

import pytest

from chalicelib import settings
from chalicelib.services import dossiers
from infra.fake_onestop import FakeOneStop

ADMIN = "quantri"
CITIZEN = "+84901234567"
IN_PROGRESS = "000.00.24.H34-251203-0001"
OVERDUE = "000.00.24.H34-251015-0003"
HANDED_OVER = "000.00.24.H34-251120-0007"
WARD = "000.25.31.H34-251201-0012"
WARD_ID_NUMBER = "062090001234"
# The fake's answers name the applicants; none of it may come out of the API.
APPLICANTS = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung")


@pytest.fixture(scope="module")
def onestop():
    fake = FakeOneStop(slow_seconds=4.0)
    yield fake
    fake.stop()


@pytest.fixture
def world(stack, onestop):
    # The demo connectors, pointed at the fake as the local stack points them.
    dossiers.seed_demo(settings.province(), onestop.url)
    return stack


def lookup(stack, body, user=None):
    return stack.call("POST", "/v1/dossiers/lookup", user, body)


def put_connector(stack, item_id, **overrides):
    body = {
        "name": "Đơn vị thử",
        "name_en": "Test unit",
        "code_prefixes": [f"{item_id.upper()}-"],
        "url": "http://127.0.0.1:9/api/{code}",
        "timeout": 1,
        "fields": {"status": "data.trangThai"},
        "status_map": {"Đang xử lý": "processing"},
    }
    body.update(overrides)
    body = {k: v for k, v in body.items() if v is not None}  # None drops a default
    return stack.call("PUT", f"/v1/admin/connectors/{item_id}", ADMIN, body)


def assert_error(answer, status, code, field=None):
    assert answer.status_code == status, answer.json_body
    body = answer.json_body
    assert body["code"] == code, body
    assert body["message"] and body["message_en"]
    assert body["message"] != body["message_en"]
    if field:
        assert field in body["fields"], body["fields"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- found


def test_dossier_in_progress_is_found_by_its_code_alone(world):
    answer = lookup(world, {"code": IN_PROGRESS})

    assert answer.status_code == 200, answer.json_body
    found = answer.json_body
    assert found["code"] == IN_PROGRESS
    assert found["unit"] == {
        "id": "so-xay-dung",
        "name": "Sở Xây dựng",
        "name_en": "Department of Construction",
    }
    assert found["status"] == {
        "code": "processing",
        "label": "Đang xử lý",
        "label_en": "In progress",
    }
    assert found["received_date"] < found["due_date"]
    assert found["result"] is None
    assert found["overdue"] is False
    assert set(found) == {
        "code",
        "unit",
        "status",
        "received_date",
        "due_date",
        "result",
        "overdue",
        "checked_at",
    }
    text = answer.body.decode() if isinstance(answer.body, bytes) else answer.body
    assert not [name for name in APPLICANTS if name in text]


def test_overdue_and_handed_over_dossiers(world):
    overdue = lookup(world, {"code": OVERDUE}).json_body
    done = lookup(world, {"code": HANDED_OVER}).json_body

    assert overdue["status"]["code"] == "processing"
    assert overdue["overdue"] is True
    assert done["status"]["code"] == "returned"
    assert done["status"]["label"] == "Đã trả kết quả"
    assert done["result"] == "Đã cấp giấy phép xây dựng số 123/GPXD"
    assert done["overdue"] is False  # finished, even though the due date passed


def test_ward_dossier_is_asked_by_post_with_the_id_number(world):
    answer = lookup(world, {"code": WARD, "id_number": WARD_ID_NUMBER})

    assert answer.status_code == 200, answer.json_body
    assert answer.json_body["unit"]["id"] == "ubnd-p-kon-tum"
    assert answer.json_body["status"]["code"] == "additional_info"
    assert answer.json_body["result"] is None  # the unit's empty text is no result
    # The ward answers an ID number that is not the applicant's as if nothing
    # were there: the same 404 as an unknown code, and nothing of the dossier.
    wrong = lookup(world, {"code": WARD, "id_number": "079123456789"})
    assert_error(wrong, 404, "dossier_not_found")


def test_the_unit_chosen_by_the_citizen_is_asked_whatever_the_code(world):
    answer = lookup(world, {"code": "KHAC-0001", "unit": "so-xay-dung"})

    assert_error(answer, 404, "dossier_not_found")


# ---------------------------------------------------------------- not found, bad input


def test_unknown_dossier_is_a_404_whether_the_unit_says_404_or_nothing(world):
    assert_error(
        lookup(world, {"code": "000.00.24.H34-991231-9999"}), 404, "dossier_not_found"
    )
    assert_error(
        lookup(world, {"code": "000.25.31.H34-991231-9999"}), 404, "dossier_not_found"
    )


@pytest.mark.parametrize(
    "body, status, code, field",
    [
        ({}, 422, "invalid_input", "code"),
        ({"code": "ab"}, 422, "invalid_input", "code"),
        ({"code": "000 00 24<script>"}, 422, "invalid_input", "code"),
        (
            {"code": IN_PROGRESS, "id_number": "12-34"},
            422,
            "invalid_input",
            "id_number",
        ),
        ({"code": IN_PROGRESS, "unit": "khong-co"}, 422, "invalid_input", "unit"),
        ({"code": "ZZZ.99-000001"}, 404, "dossier_unit_unknown", None),
    ],
)
def test_bad_lookups_are_refused_with_a_clear_message(world, body, status, code, field):
    assert_error(lookup(world, body), status, code, field)


def test_malformed_json_is_a_400(world):
    answer = lookup(world, "{not json")

    assert_error(answer, 400, "invalid_json")


# ---------------------------------------------------------------- units failing


def test_slow_unit_is_a_504_within_its_timeout(world, onestop):
    put_connector(world, "cham", url=onestop.url + "/cham/api/hoso/{code}", timeout=1)

    started = time.monotonic()
    answer = lookup(world, {"code": "CHAM-0001"})
    took = time.monotonic() - started

    assert_error(answer, 504, "unit_timeout")
    assert took < 2.5, took  # the fake sleeps 4 s; the connector waits 1 s


@pytest.mark.parametrize(
    "path, code",
    [("/loi/api/hoso/{code}", "unit_unavailable"), ("/hong/{code}", "unit_bad_answer")],
)
def test_failing_unit_is_a_502(world, onestop, path, code):
    put_connector(world, "loi", url=onestop.url + path)

    assert_error(lookup(world, {"code": "LOI-0001"}), 502, code)


def test_unit_refusing_connections_is_a_502_at_once(world):
    put_connector(world, "tat", url=f"http://127.0.0.1:{closed_port()}/{{code}}")

    started = time.monotonic()
    answer = lookup(world, {"code": "TAT-0001"})

    assert_error(answer, 502, "unit_unavailable")
    assert time.monotonic() - started < 2.0


def test_lookups_are_limited_per_client_address(world, monkeypatch):
    monkeypatch.setenv("PAKN_LIMIT_DOSSIER_PER_ADDRESS", "2")

    answers = [lookup(world, {"code": IN_PROGRESS}) for _ in range(3)]

    assert [a.status_code for a in answers[:2]] == [200, 200]
    assert_error(answers[2], 429, "too_many_requests")
    assert int(answers[2].headers["Retry-After"]) > 0


def test_the_id_number_and_the_applicant_never_reach_the_logs(world, app_log):
    found = lookup(world, {"code": WARD, "id_number": WARD_ID_NUMBER})
    lookup(world, {"code": WARD, "id_number": "079123456789"})

    assert found.status_code == 200
    records = [r for r in app_log if r.name == "pakn"]
    lookups = [vars(r) for r in records if r.getMessage() == "dossier lookup"]
    assert [r["outcome"] for r in lookups] == ["found", "not_found"]
    everything = " ".join(str(vars(r)) for r in records)
    for secret in (WARD_ID_NUMBER, "079123456789", "Phạm Thị Dung"):
        assert secret not in everything


# ---------------------------------------------------------------- administration


@pytest.mark.parametrize(
    "change, field",
    [
        ({"url": "ftp://motcua.example/{code}"}, "url"),
        ({"url": "https://motcua.example/{ho_ten}"}, "url"),
        ({"url": "https://motcua.example/{code.__class__}"}, "url"),
        ({"method": "DELETE"}, "method"),
        ({"body": {"ma": "{code}"}}, "body"),  # a body with GET
        ({"method": "POST", "body": {"ma": "{ten}"}}, "body"),
        ({"headers": {"X-Key": 5}}, "headers"),
        ({"timeout": 9}, "timeout"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": "5"}, "timeout"),
        ({"fields": {"status": "data.["}}, "fields.status"),
        ({"fields": {"status": "a", "ho_ten": "b"}}, "fields.ho_ten"),
        ({"fields": {"due_date": "a"}}, "fields"),
        ({"status_map": {"Xong": "finished"}}, "status_map"),
        ({"code_prefixes": None, "code_pattern": "(["}, "code_pattern"),
        ({"code_prefixes": None}, "code_pattern"),
        ({"code_prefixes": []}, "code_prefixes"),
        ({"not_found": {"http_status": [200]}}, "not_found"),
        ({"not_found": {"empty": "a.["}}, "not_found"),
        ({"name": ""}, "name"),
    ],
)
def test_connector_is_validated_field_by_field(world, change, field):
    answer = put_connector(world, "thu", **change)

    assert_error(answer, 422, "invalid_input", field)
    listed = world.call("GET", "/v1/admin/connectors?limit=100", ADMIN).json_body
    assert "thu" not in [c["id"] for c in listed["items"]]


def test_admin_adds_lists_and_removes_a_unit_without_code(world, onestop):
    # GIVEN a new unit's connector, set by an administrator
    saved = put_connector(
        world,
        "so-tu-phap",
        name="Sở Tư pháp",
        name_en="Department of Justice",
        url=onestop.url + "/sxd/api/hoso/{code}",
        code_pattern=r"STP-\d+",
        code_prefixes=None,
        fields={"status": "data.trangThai", "due_date": "data.ngayHenTra"},
        date_format="%d/%m/%Y",
    )
    assert saved.status_code == 200, saved.json_body

    # THEN citizens can choose it, and the admin list pages through connectors
    units = world.call("GET", "/v1/dossiers/units").json_body["items"]
    assert {
        "id": "so-tu-phap",
        "name": "Sở Tư pháp",
        "name_en": "Department of Justice",
    } in units
    first = world.call("GET", "/v1/admin/connectors?limit=2", ADMIN).json_body
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = world.call(
        "GET", f"/v1/admin/connectors?limit=2&cursor={first['next_cursor']}", ADMIN
    ).json_body
    ids = [c["id"] for c in first["items"] + rest["items"]]
    assert sorted(ids) == ["so-tu-phap", "so-xay-dung", "ubnd-p-kon-tum"]

    # WHEN it is removed, THEN its codes belong to no unit any more
    assert (
        world.call("DELETE", "/v1/admin/connectors/so-tu-phap", ADMIN).status_code
        == 204
    )
    assert_error(lookup(world, {"code": "STP-12"}), 404, "dossier_unit_unknown")
    again = world.call("DELETE", "/v1/admin/connectors/so-tu-phap", ADMIN)
    assert_error(again, 404, "not_found")


# ---------------------------------------------------------------- public services


def test_services_are_listed_grouped_and_filtered(world):
    everything = world.call("GET", "/v1/services").json_body["items"]
    construction = world.call("GET", "/v1/services?category=xay-dung").json_body
    police = world.call("GET", "/v1/services?agency=cong-an-tinh").json_body

    assert len(everything) == len(settings.province()["online_services"])
    assert [s["category"] for s in everything] == sorted(
        s["category"] for s in everything
    )
    assert all(s["url"].startswith("https://") for s in everything)
    assert [s["id"] for s in construction["items"]] == ["cap-phep-xay-dung"]
    assert construction["items"][0]["agency_name"] == "Sở Xây dựng"
    assert [s["agency_id"] for s in police["items"]] == ["cong-an-tinh"]


def test_admin_edits_services_and_bad_links_are_refused(world):
    good = {
        "name": "Đăng ký kết hôn",
        "name_en": "Marriage registration",
        "url": "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
        "category": "ho-tich",
        "category_name": "Hộ tịch",
        "category_name_en": "Civil status",
        "agency_id": "ubnd-p-kon-tum",
    }
    for change, field in [
        ({"url": "http://dichvucong.gov.vn/"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"agency_id": "khong-co"}, "agency_id"),
        ({"category": "Hộ Tịch"}, "category"),
        ({"order": -1}, "order"),
        ({"name_en": ""}, "name_en"),
    ]:
        answer = world.call(
            "PUT", "/v1/admin/services/ket-hon", ADMIN, {**good, **change}
        )
        assert_error(answer, 422, "invalid_input", field)

    assert (
        world.call("PUT", "/v1/admin/services/ket-hon", ADMIN, good).status_code == 200
    )
    listed = world.call("GET", "/v1/services?category=ho-tich").json_body["items"]
    assert "ket-hon" in [s["id"] for s in listed]

    assert world.call("DELETE", "/v1/admin/services/ket-hon", ADMIN).status_code == 204
    listed = world.call("GET", "/v1/services?category=ho-tich").json_body["items"]
    assert "ket-hon" not in [s["id"] for s in listed]
