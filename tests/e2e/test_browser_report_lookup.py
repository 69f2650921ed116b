"""The staff report lookup (staff/report.html) in a real browser, against the local
stack: a report found by its code by whoever's unit may see it, shown read-only with
where it stands; the caller's own task of it one click away; nothing for another
unit; the API's message for a malformed code; and a direct link by report id.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from infra.demo_data import ApiClient
from tests.e2e import test_browser
from tests.e2e.test_browser import file_report_over_http, sign_in, yesterday_at

browser = test_browser.browser
browser_errors = test_browser.browser_errors
page = test_browser.page

RECEPTION = "tiepnhan"
LEADER, OFFICER = "lanhdao.sxd", "chuyenvien.sxd"  # Sở Xây dựng
OTHER_LEADER = "lanhdao.kontum"  # another unit


@pytest.fixture(scope="module")
def processing(local_stack) -> dict:
    """A report routed to Sở Xây dựng and assigned to its officer: in "process"."""
    api = ApiClient(local_stack.api)
    title = f"Cống thoát nước bị tắc {uuid.uuid4().hex[:6]}"
    report = file_report_over_http(api, title, yesterday_at(7, 30))
    api.decide(
        RECEPTION,
        api.wait_task(RECEPTION, report["id"]),
        "route",
        agency_id="so-xay-dung",
    )
    officer = api.call("GET", "/v1/me", OFFICER).json()["sub"]
    api.decide(
        LEADER, api.wait_task(LEADER, report["id"]), "assign", officer_id=officer
    )
    api.wait_task(OFFICER, report["id"])
    return {**report, "title": title}


def look_up(page, site: str, user: str, code: str) -> None:
    page.goto(f"{site}/staff/report.html")
    sign_in(page, user)
    expect(page.get_by_test_id("view-lookup")).to_be_visible()
    page.get_by_test_id("rl-code").fill(code)
    page.get_by_test_id("rl-submit").click()


def test_reception_finds_a_report_the_agency_is_processing(
    local_stack, page, browser_errors, processing
):
    browser_errors.allow_failed_load("/v1/staff/reports", 400)  # the malformed code
    # WHEN reception, which routed it, looks its code up (typed in lower case)
    look_up(page, local_stack.site, RECEPTION, processing["code"].lower())

    # THEN the report shows read-only: its code, title, the sender's contact, and
    # where it stands (the officer's step at Sở Xây dựng); no task of reception's
    expect(page.get_by_test_id("rl-code-shown")).to_have_text(processing["code"])
    expect(page.get_by_test_id("detail-title")).to_have_text(processing["title"])
    expect(page.get_by_test_id("report-contact")).to_have_attribute(
        "data-source", "account"
    )
    current = page.locator('[data-testid="position-step"][data-state="current"]')
    expect(current).to_have_attribute("data-step", "process")
    expect(current.get_by_test_id("position-unit")).to_have_text("Sở Xây dựng")
    expect(current.get_by_test_id("position-holder")).to_contain_text("Phạm Thị Dung")
    expect(page.get_by_test_id("rl-open-task")).to_have_count(0)
    expect(page.get_by_test_id("nav-report")).to_have_attribute("aria-current", "page")
    assert page.url.endswith(f"#{processing['id']}")

    # WHEN a malformed code is looked up THEN the API's message shows in Vietnamese
    page.get_by_test_id("rl-code").fill("KT 2612")
    page.get_by_test_id("rl-submit").click()
    expect(page.get_by_test_id("error")).to_contain_text(
        "Mã phản ánh gồm chữ, số và dấu gạch ngang"
    )


def test_the_officer_goes_from_the_report_to_their_task(local_stack, page, processing):
    # GIVEN the officer who holds it, looking it up
    look_up(page, local_stack.site, OFFICER, processing["code"])

    # THEN a link leads to their open task, which opens on the task page
    link = page.get_by_test_id("rl-open-task")
    expect(link).to_contain_text("Xử lý phản ánh")
    link.click()
    expect(page.get_by_test_id("task-report-code")).to_have_text(processing["code"])
    expect(page.get_by_test_id("decision-option-resolve")).to_be_visible()


def test_another_unit_finds_nothing(local_stack, page, processing):
    look_up(page, local_stack.site, OTHER_LEADER, processing["code"])
    expect(page.get_by_test_id("rl-not-found")).to_have_text(
        f"Không tìm thấy phản ánh {processing['code']} trong phạm vi đơn vị của bạn."
    )
    expect(page.get_by_test_id("rl-result")).to_be_hidden()


def test_a_link_by_id_opens_the_report_for_the_province_leader(
    local_stack, page, processing
):
    page.goto(f"{local_stack.site}/staff/report.html#{processing['id']}")
    sign_in(page, "lanhdao.tinh")
    expect(page.get_by_test_id("rl-code-shown")).to_have_text(processing["code"])
    expect(page.get_by_test_id("workflow-position")).to_be_visible()


def test_an_editor_gets_the_pages_refusal_and_no_link(local_stack, page):
    page.goto(f"{local_stack.site}/staff/report.html")
    sign_in(page, "bientap")
    expect(page.get_by_test_id("error")).to_have_text(
        "Trang tra cứu dành cho cán bộ tiếp nhận, chuyên viên, lãnh đạo và quản trị."
    )
    expect(page.get_by_test_id("nav-report")).to_be_hidden()
    expect(page.get_by_test_id("view-lookup")).to_be_hidden()
