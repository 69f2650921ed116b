"""Dossier lookup and public services over HTTP, against the local stack and its
fake one-stop service (infra/fake_onestop.py)."""

import time
from urllib.parse import urlsplit

import pytest

from infra.demo_data import ApiClient

ADMIN = "quantri"
IN_PROGRESS = "000.00.24.H34-251203-0001"
WARD = "000.25.31.H34-251201-0012"


@pytest.fixture(scope="module")
def api(local_stack) -> ApiClient:
    return ApiClient(local_stack.api)


@pytest.fixture(scope="module")
def fake_url(api) -> str:
    """Where the local stack's demo connectors point: the fake one-stop service."""
    answer = api.call("GET", "/v1/admin/connectors?limit=100", ADMIN)
    assert answer.status_code == 200, answer.text
    urls = {urlsplit(c["url"]).netloc for c in answer.json()["items"]}
    assert len(urls) == 1 and urls != {""}, urls
    return f"http://{urls.pop()}"


def test_demo_dossiers_are_found_in_both_units(api, fake_url):
    built = api.call("POST", "/v1/dossiers/lookup", body={"code": IN_PROGRESS})
    ward = api.call(
        "POST",
        "/v1/dossiers/lookup",
        body={"code": WARD, "id_number": "062090001234"},
    )

    assert built.status_code == 200, built.text
    assert built.json()["status"]["label"] == "Đang xử lý"
    assert built.json()["unit"]["name"] == "Sở Xây dựng"
    assert ward.status_code == 200, ward.text
    assert ward.json()["status"]["code"] == "additional_info"
    assert fake_url.startswith("http://127.0.0.1:")


def test_unknown_dossier_is_a_404_with_both_languages(api):
    answer = api.call(
        "POST", "/v1/dossiers/lookup", body={"code": "000.00.24.H34-991231-9999"}
    )

    assert answer.status_code == 404, answer.text
    assert answer.json()["code"] == "dossier_not_found"
    assert answer.json()["message"].startswith("Không tìm thấy hồ sơ")
    assert answer.json()["message_en"].startswith("No dossier")


def test_slow_and_failing_units_over_http(api, fake_url):
    for item_id, path, timeout in (("e2e-cham", "/cham/", 1), ("e2e-loi", "/loi/", 3)):
        saved = api.call(
            "PUT",
            f"/v1/admin/connectors/{item_id}",
            ADMIN,
            {
                "name": "Đơn vị thử",
                "name_en": "Test unit",
                "code_prefixes": [f"{item_id.upper()}-"],
                "url": fake_url + path + "{code}",
                "timeout": timeout,
                "fields": {"status": "data.trangThai"},
            },
        )
        assert saved.status_code == 200, saved.text
    try:
        started = time.monotonic()
        slow = api.call("POST", "/v1/dossiers/lookup", body={"code": "E2E-CHAM-1"})
        took = time.monotonic() - started
        failing = api.call("POST", "/v1/dossiers/lookup", body={"code": "E2E-LOI-1"})
    finally:
        for item_id in ("e2e-cham", "e2e-loi"):
            api.call("DELETE", f"/v1/admin/connectors/{item_id}", ADMIN)

    assert slow.status_code == 504, slow.text
    assert took < 3.0, took
    assert failing.status_code == 502, failing.text
    assert failing.json()["code"] == "unit_unavailable"


def test_public_services_are_served(api):
    answer = api.call("GET", "/v1/services?category=xay-dung")

    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert [s["category"] for s in items] == ["xay-dung"]
    assert items[0]["url"].startswith("https://")
