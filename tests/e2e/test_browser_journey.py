"""A report's whole life in the browser, each person on their own screen.

A new citizen signs up, confirms the SMS code and sends a report with two photos and
a pin on the map; reception routes it in the staff panel; the agency's leader assigns
an officer, who resolves it; the leader approves; the citizen reads the published
result and rates it. Nothing is done over HTTP behind the pages' back: the API is
only read to check what the pages showed.
"""

from __future__ import annotations

import random
import uuid

from playwright.sync_api import Browser, Page, expect

from infra.demo_data import PASSWORD, ApiClient, photo
from tests.e2e import test_browser
from tests.e2e.test_browser import CODE, expect_photo_loaded, yesterday_at
from tests.e2e.test_browser_map import click_map, inside_kon_tum, typed_position
from tests.e2e.test_citizen_account import code_in_sms

browser = test_browser.browser
browser_errors = test_browser.browser_errors
api = test_browser.api

AGENCY_NAME = "Sở Xây dựng"
OFFICER_NAME = "Phạm Thị Dung"
RESULT = "Đã dọn sạch rác và đặt thêm thùng rác công cộng."
SHORT_MS = 15_000


def screen(browser: Browser, errors, width=1280, height=900) -> Page:
    """A separate person's browser: own storage, own session."""
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": width, "height": height},
    )
    context.set_default_timeout(test_browser.TIMEOUT_MS)
    tab = context.new_page()
    errors.watch(tab)
    return tab


def staff_sign_in(tab: Page, site: str, username: str) -> None:
    tab.goto(f"{site}/staff/")
    tab.get_by_test_id("signin-username").fill(username)
    tab.get_by_test_id("signin-password").fill(PASSWORD)
    tab.get_by_test_id("signin-submit").click()
    expect(tab.get_by_test_id("user-box")).to_be_visible()


def open_task(tab: Page, code: str) -> None:
    """Reload the task list until the report's task is in it, then open it."""
    tab.goto(tab.url.split("#")[0] + "#/")
    row = tab.locator(f'[data-testid="task-row"][data-report-code="{code}"]')
    for _ in range(20):
        tab.reload()
        try:
            expect(row).to_be_visible(timeout=1_000)
            break
        except AssertionError:
            continue
    row.get_by_test_id("task-open").click()
    expect(tab.get_by_test_id("task-report-code")).to_have_text(code)


def decide(tab: Page, decision: str, code: str) -> None:
    with tab.expect_response(lambda r: r.url.endswith("/decision")) as sent:
        tab.get_by_test_id("decision-submit").click()
    assert sent.value.status == 200, sent.value.text()
    expect(tab.get_by_test_id("notice")).to_have_text(
        f"Đã ghi nhận quyết định cho phản ánh {code}."
    )


def test_a_report_from_sign_up_to_rating(
    local_stack, api: ApiClient, browser, browser_errors, tmp_path
):
    phone = f"+8491{random.randint(0, 9_999_999):07d}"
    title = f"Rác thải trước chợ {uuid.uuid4().hex[:6]}"
    pictures = []
    for n, color in ((1, (200, 120, 60)), (2, (60, 120, 200))):
        picture = tmp_path / f"anh-{n}.jpg"
        picture.write_bytes(photo(f"rac {n}", color))
        pictures.append(picture)

    citizen = screen(browser, browser_errors, 390, 844)

    # GIVEN a new citizen who signs up on a phone-sized screen and confirms the code
    citizen.goto(local_stack.site)
    citizen.get_by_test_id("signup-link").click()
    citizen.get_by_test_id("signup-phone").fill("0" + phone[3:])
    citizen.get_by_test_id("signup-name").fill("Lý Thị Mai")
    citizen.get_by_test_id("signup-password").fill("MatKhau2026")
    citizen.get_by_test_id("signup-consent").check()
    citizen.get_by_test_id("signup-submit").click()
    citizen.get_by_test_id("confirm-code").fill(code_in_sms(local_stack, phone, 1))
    citizen.get_by_test_id("confirm-submit").click()
    expect(citizen.get_by_test_id("user-name")).to_have_text("Xin chào, Lý Thị Mai")

    # WHEN the citizen fills the form, puts the pin on the map and adds two photos
    citizen.get_by_test_id("home-send-link").click()
    citizen.get_by_test_id("report-title").fill(title)
    citizen.get_by_test_id("report-content").fill(
        "Rác tồn đọng trước cổng chợ nhiều ngày, bốc mùi khó chịu."
    )
    citizen.get_by_test_id("report-category").select_option("moi-truong")
    citizen.get_by_test_id("report-area").select_option("p-kon-tum")
    citizen.get_by_test_id("report-address").fill("Cổng chợ Kon Tum")
    citizen.get_by_test_id("report-occurred-at").fill(
        yesterday_at(9, 0).strftime("%Y-%m-%dT%H:%M")
    )
    click_map(citizen, 20, 10)
    expect(citizen.get_by_test_id("report-lat")).not_to_have_value("")
    lat, lon = typed_position(citizen)
    assert inside_kon_tum(lat, lon), (lat, lon)
    citizen.get_by_test_id("report-photos").set_input_files(pictures)
    citizen.get_by_test_id("report-submit").click()

    # THEN the code shows, and "my reports" lists the report with both photos
    shown = citizen.get_by_test_id("report-code")
    expect(shown).to_have_text(CODE, timeout=SHORT_MS)
    code = shown.text_content()
    citizen.get_by_test_id("nav-mine").click()
    item = citizen.locator(f'[data-testid="mine-item"][data-code="{code}"]')
    expect(item).to_be_visible()
    item.get_by_test_id("mine-link").click()
    expect(citizen.get_by_test_id("detail-title")).to_have_text(title)
    expect(citizen.get_by_test_id("detail-photo")).to_have_count(2)
    for n in range(2):
        expect_photo_loaded(citizen.get_by_test_id("detail-photo").nth(n))
    report_id = citizen.url.rsplit("/", 1)[-1]

    # WHEN reception routes it to the agency in the staff panel
    reception = screen(browser, browser_errors)
    staff_sign_in(reception, local_stack.site, "tiepnhan")
    open_task(reception, code)
    expect(reception.get_by_test_id("detail-photo")).to_have_count(2)
    # ... where the desk sees how to reach the sender (staff only)
    contact = reception.get_by_test_id("report-contact")
    expect(contact).to_have_attribute("data-source", "account")
    expect(contact.get_by_test_id("contact-channel")).to_have_text(
        "Trang web, ứng dụng"
    )
    expect(contact.get_by_test_id("contact-name")).to_have_text("Lý Thị Mai")
    expect(contact.get_by_test_id("contact-phone")).to_have_text(phone)
    reception.get_by_test_id("decision-option-route").check()
    reception.get_by_test_id("field-agency_id").select_option(label=AGENCY_NAME)
    decide(reception, "route", code)

    # ... its leader assigns the officer
    leader = screen(browser, browser_errors)
    staff_sign_in(leader, local_stack.site, "lanhdao.sxd")
    open_task(leader, code)
    leader.get_by_test_id("decision-option-assign").check()
    leader.get_by_test_id("field-officer_id").select_option(label=OFFICER_NAME)
    decide(leader, "assign", code)

    # ... the officer resolves it with a written result
    officer = screen(browser, browser_errors)
    staff_sign_in(officer, local_stack.site, "chuyenvien.sxd")
    open_task(officer, code)
    officer.get_by_test_id("decision-option-resolve").check()
    officer.get_by_test_id("field-result").fill(RESULT)
    decide(officer, "resolve", code)

    # ... and the leader approves the result
    open_task(leader, code)
    expect(leader.get_by_test_id("task-step-label")).to_have_text("Phê duyệt kết quả")
    leader.get_by_test_id("decision-option-approve").check()
    decide(leader, "approve", code)

    # THEN the result is public, with no personal data in the public view
    public = local_stack.wait_until(
        lambda: (r := api.call("GET", f"/v1/public/reports/{report_id}")).ok and r,
        timeout=15,
    ).json()
    assert public["result"]["text"] == RESULT
    assert len(public["attachments"]) == 2
    assert phone not in str(public) and "Lý Thị Mai" not in str(public)

    # WHEN the citizen opens the report again
    citizen.reload()

    # THEN the published result shows and the citizen rates it five stars
    expect(citizen.get_by_test_id("detail-status")).to_have_text(
        "Đã công khai kết quả", timeout=SHORT_MS
    )
    expect(citizen.get_by_test_id("detail-result-text")).to_have_text(RESULT)
    citizen.get_by_role("radio", name="5 sao – Rất hài lòng").check()
    citizen.get_by_test_id("rating-comment").fill("Xử lý nhanh, cảm ơn.")
    citizen.get_by_test_id("rating-submit").click()
    expect(citizen.get_by_test_id("rating-value")).to_have_attribute("data-rating", "5")

    # ... and the rating is stored on the report
    staff_view = api.call("GET", f"/v1/reports/{report_id}", "tiepnhan").json()
    assert staff_view["rating"] == 5
    assert [e["kind"] for e in staff_view["timeline"]][-1] == "rated"

    for tab in (citizen, reception, leader, officer):
        tab.context.close()
    assert not browser_errors.seen, "\n".join(browser_errors.seen)
