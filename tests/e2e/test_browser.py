"""The citizen site and the staff panel in a real browser, against the local stack.

Debian's Chromium is driven by Playwright's sync API; Playwright's own browser
download is never used. Every test fails on an uncaught page error or a console
error, except for the failed resource loads the test itself provokes.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from infra.demo_data import CITIZEN, PASSWORD, ApiClient, photo

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
VN = timezone(timedelta(hours=7))
CODE = re.compile(r"^KT-\d{4}-\d{4}$")
PHOTO_WIDTH = 320  # infra.demo_data.photo() draws 320 x 240 images
OUTSIDE_PROVINCE = "Vị trí nằm ngoài địa giới tỉnh."


@pytest.fixture(scope="module")
def browser():
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class BrowserErrors:
    """Page errors and console errors seen by one page."""

    def __init__(self):
        self.seen: list[str] = []
        self.allowed_loads: set[tuple[str, int]] = set()

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.seen.append(f"page error: {error}"))
        page.on("console", self._on_console)

    def allow_failed_load(self, path: str, status: int) -> None:
        """The test is about to make a request to path fail with status on purpose."""
        self.allowed_loads.add((path, status))

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        failed = re.match(r"Failed to load resource: .* status of (\d+)", message.text)
        if failed and (urlsplit(url).path, int(failed[1])) in self.allowed_loads:
            return
        self.seen.append(f"console error: {message.text} ({url})")


@pytest.fixture
def browser_errors() -> BrowserErrors:
    return BrowserErrors()


@pytest.fixture
def page(browser: Browser, browser_errors: BrowserErrors):
    # Not Vietnam's time zone: the pages must show Vietnam time on their own.
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Europe/Berlin",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    browser_errors.watch(page)
    yield page
    context.close()
    assert not browser_errors.seen, "\n".join(browser_errors.seen)


@pytest.fixture
def api(local_stack) -> ApiClient:
    return ApiClient(local_stack.api)


# ---------------------------------------------------------------- helpers


def yesterday_at(hour: int, minute: int) -> datetime:
    """Yesterday in Vietnam, at the given time (always in the past)."""
    day = datetime.now(VN) - timedelta(days=1)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def shown(iso: str) -> str:
    """An API time as the pages show it: Vietnam time, dd/mm/yyyy HH:MM."""
    return datetime.fromisoformat(iso).astimezone(VN).strftime("%d/%m/%Y %H:%M")


def sign_in(page: Page, username: str) -> None:
    page.get_by_test_id("signin-username").fill(username)
    page.get_by_test_id("signin-password").fill(PASSWORD)
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("user-box")).to_be_visible()


def fill_report_form(
    page: Page, *, title: str, lat: str, lon: str, when: datetime
) -> None:
    page.get_by_test_id("report-title").fill(title)
    page.get_by_test_id("report-content").fill(
        "Rác thải đổ thành đống bên lề đường, bốc mùi suốt mấy ngày nay."
    )
    page.get_by_test_id("report-category").select_option("moi-truong")
    page.get_by_test_id("report-area").select_option("p-kon-tum")
    page.get_by_test_id("report-address").fill("Số 12 đường Trần Hưng Đạo")
    page.get_by_test_id("report-lat").fill(lat)
    page.get_by_test_id("report-lon").fill(lon)
    page.get_by_test_id("report-occurred-at").fill(when.strftime("%Y-%m-%dT%H:%M"))


def expect_photo_loaded(image: Locator) -> None:
    """The <img> was fetched and decoded (a broken image has naturalWidth 0)."""
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("naturalWidth", PHOTO_WIDTH)


def file_report_over_http(api: ApiClient, title: str, when: datetime) -> dict:
    upload_id = api.upload(CITIZEN, photo("o ga"))
    answer = api.call(
        "POST",
        "/v1/reports",
        CITIZEN,
        {
            "title": title,
            "content": "Ổ gà sâu giữa đường, xe máy phải lách qua rất nguy hiểm.",
            "category_id": "giao-thong",
            "location": {
                "lat": 14.35,
                "lon": 108.0,
                "address": "Đường Lê Hồng Phong",
                "area_id": "p-kon-tum",
            },
            "occurred_at": when.isoformat(),
            "upload_ids": [upload_id],
        },
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


# ---------------------------------------------------------------- tests


def test_citizen_sends_a_report_with_a_photo_in_the_browser(
    local_stack, api, page, tmp_path
):
    # GIVEN a photo on disk and the citizen signed in on the send form
    picture = tmp_path / "rac-thai.jpg"
    picture.write_bytes(photo("rac thai"))
    title = f"Rác thải ven đường {uuid.uuid4().hex[:6]}"
    page.goto(f"{local_stack.site}/#/send")
    expect(page.get_by_test_id("signin-reason")).to_be_visible()
    sign_in(page, "0901234567")
    expect(page.get_by_test_id("report-form")).to_be_visible()

    # WHEN the form is filled with a photo and sent
    fill_report_form(
        page, title=title, lat="14.35", lon="108.0", when=yesterday_at(7, 30)
    )
    page.get_by_test_id("report-photos").set_input_files(picture)
    page.get_by_test_id("report-submit").click()

    # THEN the page shows the report's code ...
    shown = page.get_by_test_id("report-code")
    expect(shown).to_have_text(CODE)
    code = shown.text_content()

    # ... and the API holds that report, with the one photo
    mine = api.call("GET", "/v1/me/reports?limit=50", CITIZEN)
    assert mine.status_code == 200, mine.text
    report = next((r for r in mine.json()["items"] if r["code"] == code), None)
    assert report is not None, f"{code} is not among the citizen's reports"
    assert report["title"] == title
    assert len(report["attachments"]) == 1

    # WHEN the citizen opens "my reports" and then the new report
    page.get_by_test_id("nav-mine").click()
    item = page.locator(f'[data-testid="mine-item"][data-code="{code}"]')
    expect(item).to_be_visible()
    item.get_by_test_id("mine-link").click()

    # THEN the detail shows the code, the first timeline entry and the photo
    expect(page.get_by_test_id("detail-code")).to_have_text(code)
    expect(page.get_by_test_id("detail-title")).to_have_text(title)
    expect(page.get_by_test_id("timeline-label").first).to_have_text(
        "Tiếp nhận phản ánh"
    )
    expect(page.get_by_test_id("detail-photo")).to_have_count(1)
    expect_photo_loaded(page.get_by_test_id("detail-photo"))
    page.screenshot(path="/tmp/pakn-citizen-detail.png", full_page=True)


def test_reception_routes_a_report_in_the_staff_panel(local_stack, api, page):
    # GIVEN a report filed over HTTP whose task has reached reception
    when = yesterday_at(16, 20)
    report = file_report_over_http(api, f"Ổ gà lớn {uuid.uuid4().hex[:6]}", when)
    code = report["code"]
    api.wait_task("tiepnhan", report["id"])

    # WHEN reception signs in to the staff panel and opens that report's task
    page.goto(f"{local_stack.site}/staff/")
    sign_in(page, "tiepnhan")
    row = page.locator(f'[data-testid="task-row"][data-report-code="{code}"]')
    expect(row).to_be_visible()
    row.get_by_test_id("task-open").click()

    # THEN the task shows the report with its photo, place and time
    expect(page.get_by_test_id("task-report-code")).to_have_text(code)
    expect_photo_loaded(page.get_by_test_id("detail-photo"))
    expect(page.get_by_test_id("detail-address")).to_have_text("Đường Lê Hồng Phong")
    expect(page.get_by_test_id("detail-area")).to_have_text("Phường Kon Tum")
    expect(page.get_by_test_id("detail-coords")).to_contain_text("14.35, 108")
    expect(page.get_by_test_id("detail-occurred-at")).to_have_text(
        when.strftime("%d/%m/%Y %H:%M")
    )
    page.screenshot(path="/tmp/pakn-staff-task.png", full_page=True)

    # WHEN reception routes it to Sở Xây dựng
    page.get_by_test_id("decision-option-route").check()
    page.get_by_test_id("field-agency_id").select_option(label="Sở Xây dựng")
    page.get_by_test_id("decision-submit").click()

    # THEN the panel confirms, and the report is routed to that agency
    expect(page.get_by_test_id("notice")).to_have_text(
        f"Đã ghi nhận quyết định cho phản ánh {code}."
    )

    def routed():
        seen = api.call("GET", f"/v1/reports/{report['id']}", "tiepnhan").json()
        return seen["status"] == "routed" and seen

    seen = local_stack.wait_until(routed, timeout=5)
    assert seen["agency_id"] == "so-xay-dung"


def test_bad_input_shows_the_vietnamese_message(local_stack, page, browser_errors):
    # GIVEN the citizen on the send form; the API will refuse the report
    browser_errors.allow_failed_load("/v1/reports", 422)
    page.goto(f"{local_stack.site}/#/send")
    sign_in(page, CITIZEN)

    # WHEN the position is inside the province's bounding box but not the province
    fill_report_form(
        page, title="Vị trí sai", lat="15.40", lon="108.50", when=yesterday_at(9, 0)
    )
    page.get_by_test_id("report-submit").click()

    # THEN the API's Vietnamese message shows beside the position, and no code
    expect(page.get_by_test_id("error")).to_be_visible()
    expect(page.get_by_test_id("field-error-lat")).to_have_text(OUTSIDE_PROVINCE)
    expect(page.get_by_test_id("report-success")).to_be_hidden()

    # WHEN the citizen switches to English
    page.get_by_test_id("lang-en").click()

    # THEN the page's own labels are English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title("Citizen feedback")
    expect(page.get_by_test_id("nav-send")).to_have_text("Send a report")
    expect(page.locator("#send-h")).to_have_text("Send a new report")
    expect(page.locator('label[for="r-title"]')).to_have_text("Title *")
    expect(page.locator('label[for="r-occurred-at"]')).to_have_text(
        "When it happened *"
    )
    expect(page.get_by_test_id("report-submit")).to_have_text("Send report")
    expect(
        page.get_by_test_id("report-category").locator("option:checked")
    ).to_have_text("Environment")
    expect(page.get_by_test_id("field-error-lat")).to_have_text(
        "The position is outside the province."
    )
