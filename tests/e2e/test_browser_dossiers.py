"""The dossier lookup and public services pages in Debian's Chromium, against the
local stack and its fake one-stop service. Fixtures come from test_browser.py."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e import test_browser as shared
from tests.e2e.test_browser import BrowserErrors

# The browser, the page and its error watch are test_browser.py's fixtures.
browser = shared.browser
browser_errors = shared.browser_errors
page = shared.page

IN_PROGRESS = "000.00.24.H34-251203-0001"
OVERDUE = "000.00.24.H34-251015-0003"
DAY = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def test_citizen_looks_up_a_dossier_and_sees_its_status(local_stack, page: Page):
    # GIVEN the lookup page, reached from the home page's menu
    page.goto(f"{local_stack.site}/")
    page.get_by_test_id("nav-dossiers").click()
    expect(page.get_by_test_id("dossier-unit")).to_contain_text("Sở Xây dựng")

    # WHEN a demo dossier's code is looked up
    page.get_by_test_id("dossier-code").fill(IN_PROGRESS)
    page.get_by_test_id("dossier-submit").click()

    # THEN its unit and status show, and it is not overdue
    result = page.get_by_test_id("dossier-result")
    expect(result).to_be_visible()
    expect(page.get_by_test_id("dossier-result-code")).to_have_text(IN_PROGRESS)
    expect(page.get_by_test_id("dossier-unit-name")).to_have_text("Sở Xây dựng")
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đang xử lý")
    expect(page.get_by_test_id("dossier-overdue")).to_be_hidden()
    expect(page.get_by_test_id("dossier-received")).to_have_text(DAY)

    # WHEN an overdue one is looked up with the unit chosen, in English
    page.get_by_test_id("lang-en").click()
    page.get_by_test_id("dossier-unit").select_option("so-xay-dung")
    page.get_by_test_id("dossier-code").fill(OVERDUE)
    page.get_by_test_id("dossier-submit").click()

    # THEN the English label and the overdue badge show
    expect(page.get_by_test_id("dossier-result-code")).to_have_text(OVERDUE)
    expect(page.get_by_test_id("dossier-status")).to_have_text("In progress")
    expect(page.get_by_test_id("dossier-overdue")).to_be_visible()


def test_unknown_dossier_shows_the_apis_message(
    local_stack, page: Page, browser_errors: BrowserErrors
):
    browser_errors.allow_failed_load("/v1/dossiers/lookup", 404)
    browser_errors.allow_failed_load("/v1/dossiers/lookup", 422)
    page.goto(f"{local_stack.site}/dossiers.html")

    page.get_by_test_id("dossier-code").fill("000.00.24.H34-991231-9999")
    page.get_by_test_id("dossier-submit").click()

    expect(page.get_by_test_id("error")).to_contain_text("Không tìm thấy hồ sơ")
    expect(page.get_by_test_id("dossier-result")).to_be_hidden()
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("error")).to_contain_text("No dossier has this code")

    # A malformed code is named beside its field
    page.get_by_test_id("dossier-code").fill("ab")
    page.get_by_test_id("dossier-submit").click()
    expect(page.get_by_test_id("field-error-code")).to_contain_text("malformed")


def test_public_services_are_grouped_and_open_in_a_new_tab(local_stack, page: Page):
    page.goto(f"{local_stack.site}/")
    page.get_by_test_id("nav-services").click()

    groups = page.get_by_test_id("service-group")
    expect(groups.first).to_be_visible()
    construction = page.locator(
        '[data-testid="service-group"][data-category="xay-dung"]'
    )
    expect(construction.get_by_test_id("service-group-name")).to_have_text("Xây dựng")
    link = construction.get_by_test_id("service-link")
    expect(link).to_have_text("Cấp giấy phép xây dựng nhà ở riêng lẻ")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("href", "https://dichvucong.kontum.gov.vn/")
    expect(construction.get_by_test_id("service-agency")).to_have_text("Sở Xây dựng")
    assert groups.count() == 4
