"""A citizen's account in the browser: sign-up with the SMS code, profile, phone and
password changes, the data download, deletion, a forgotten password, and the notice
asking to accept a new privacy notice.

The codes are read from the SMS the embedded SNS accepted. The browser fixtures are
the ones of ``test_browser`` (Debian's Chromium, no page or console errors allowed).
"""

from __future__ import annotations

import json
import math
import re
import time

import requests
from playwright.sync_api import Page, Route, expect

from infra.demo_data import PASSWORD
from tests.e2e import test_browser

# The fixtures of test_browser, shared.
browser = test_browser.browser
browser_errors = test_browser.browser_errors
page = test_browser.page

SHORT_MS = 5_000
PHONE = "+84912000111"  # typed as "091 2000 111"
NEW_PHONE = "+84912000222"
RESET_PHONE = "+84912000333"
NAME = "Nguyễn Văn An"
NEW_NAME = "Nguyễn Thị Bình"
EMAIL = "binh@example.vn"
FIRST_PASSWORD = "MatKhau2026"
SECOND_PASSWORD = "MatKhauMoi2027"
NOTICE_TITLE = "Thông báo xử lý dữ liệu cá nhân phiên bản 2026-01"
TOO_MANY = "Bạn thao tác quá nhiều lần, vui lòng thử lại sau."
WRONG_CREDENTIALS = "Sai tên đăng nhập hoặc mật khẩu."
SIX_DIGITS = re.compile(r"\b(\d{6})\b")


# ---------------------------------------------------------------- helpers


def texts_to(local_stack, phone: str) -> list[str]:
    return [text for to, text in local_stack.sms() if to == phone]


def code_in_sms(local_stack, phone: str, count: int) -> str:
    """The code of the count-th SMS sent to phone, once it has been sent."""

    def sent():
        found = texts_to(local_stack, phone)
        return found if len(found) >= count else None

    texts = local_stack.wait_until(sent, timeout=SHORT_MS / 1000)
    assert len(texts) == count, texts
    return SIX_DIGITS.search(texts[-1])[1]


def past_revocation(local_stack, revoked_at: float) -> None:
    """Wait for the whole second after a sign-out or reset.

    The API refuses every token issued before ``int(now) + 1`` of the revocation,
    so a sign-in in that same second gets a token that never works (API bug).
    """
    local_stack.wait_until(lambda: time.time() >= math.floor(revoked_at) + 1, timeout=2)


def expose_retry_after(route: Route) -> None:
    """Let the page read Retry-After: the API's CORS answers do not expose it."""
    response = route.fetch()
    headers = {**response.headers, "access-control-expose-headers": "Retry-After"}
    route.fulfill(response=response, headers=headers)


def sign_in_as(page: Page, phone: str, password: str) -> None:
    page.get_by_test_id("signin-username").fill(phone)
    page.get_by_test_id("signin-password").fill(password)
    page.get_by_test_id("signin-submit").click()


def notice(page: Page):
    return page.get_by_test_id("notice")


# ---------------------------------------------------------------- tests


def test_citizen_signs_up_manages_and_deletes_the_account(
    local_stack, page, browser_errors, tmp_path
):
    browser_errors.allow_failed_load("/v1/auth/resend", 429)
    browser_errors.allow_failed_load("/v1/me/password", 422)
    browser_errors.allow_failed_load("/v1/auth/sign-in", 401)

    # GIVEN the sign-up page, reached from the sign-in panel
    page.goto(local_stack.site)
    page.get_by_test_id("signup-link").click()
    expect(page.get_by_test_id("signup-notice-title")).to_have_text(NOTICE_TITLE)

    # WHEN the form is sent without accepting the privacy notice
    page.get_by_test_id("signup-phone").fill("091 2000 111")
    page.get_by_test_id("signup-name").fill(NAME)
    page.get_by_test_id("signup-password").fill(FIRST_PASSWORD)
    page.screenshot(path="/tmp/pakn-citizen-signup.png", full_page=True)
    page.get_by_test_id("signup-submit").click()

    # THEN the checkbox says it is required, and nothing was sent
    expect(page.get_by_test_id("signup-error-consent_version")).to_have_text(
        "Vui lòng đánh dấu đồng ý với thông báo xử lý dữ liệu cá nhân."
    )
    assert texts_to(local_stack, PHONE) == []

    # WHEN it is accepted and the form sent
    page.get_by_test_id("signup-consent").check()
    expect(page.get_by_test_id("signup-error-consent_version")).to_be_hidden()
    page.get_by_test_id("signup-submit").click()

    # THEN the code step names the number the code went to
    expect(page.get_by_test_id("confirm-sent-to")).to_contain_text("0912 000 111")
    code_in_sms(local_stack, PHONE, 1)

    # WHEN the code is asked for again four times (five SMS an hour per phone)
    for sent in range(2, 6):
        page.get_by_test_id("confirm-resend").click()
        expect(notice(page)).to_have_text("Đã gửi lại mã xác nhận.")
        code_in_sms(local_stack, PHONE, sent)

    # ... and a fifth time, the API's Retry-After readable by the page
    page.route("**/v1/auth/resend", expose_retry_after)
    page.get_by_test_id("confirm-resend").click()

    # THEN the 429 message shows with the minutes to wait, and no SMS went out
    expect(page.get_by_test_id("error")).to_have_text(
        re.compile(re.escape(TOO_MANY) + r" Thời gian chờ: khoảng \d+ phút\.")
    )
    page.unroute("**/v1/auth/resend")

    # WHEN the last code is entered
    page.get_by_test_id("confirm-code").fill(code_in_sms(local_stack, PHONE, 5))
    page.get_by_test_id("confirm-submit").click()

    # THEN the citizen is signed in
    expect(notice(page)).to_have_text(
        "Đã xác nhận số điện thoại. Tài khoản đã được tạo và bạn đã đăng nhập."
    )
    expect(page.get_by_test_id("user-name")).to_have_text(f"Xin chào, {NAME}")
    expect(page.get_by_test_id("signed-in-box")).to_be_visible()

    # WHEN the account page is opened, and the name and email changed
    page.get_by_test_id("nav-account").click()
    expect(page.get_by_test_id("profile-phone")).to_have_text("0912 000 111")
    expect(page.get_by_test_id("profile-name")).to_have_value(NAME)
    expect(page.get_by_test_id("account-consent")).to_have_text(
        re.compile(r"phiên bản 2026-01 lúc \d{2}/\d{2}/\d{4} \d{2}:\d{2}\.$")
    )
    page.get_by_test_id("profile-name").fill(NEW_NAME)
    page.get_by_test_id("profile-email").fill(EMAIL)
    page.get_by_test_id("profile-submit").click()

    # THEN they are saved, and still there after a reload
    expect(notice(page)).to_have_text("Đã lưu thông tin cá nhân.")
    expect(page.get_by_test_id("user-name")).to_have_text(f"Xin chào, {NEW_NAME}")
    page.reload()
    expect(page.get_by_test_id("profile-name")).to_have_value(NEW_NAME)
    expect(page.get_by_test_id("profile-email")).to_have_value(EMAIL)

    # WHEN the phone is changed with the code sent to the new number
    page.get_by_test_id("phone-new").fill("0912000222")
    page.get_by_test_id("phone-submit").click()
    expect(page.get_by_test_id("phone-sent-to")).to_contain_text("0912 000 222")
    page.get_by_test_id("phone-code").fill(code_in_sms(local_stack, NEW_PHONE, 1))
    page.get_by_test_id("phone-confirm-submit").click()

    # THEN the account has the new number
    expect(notice(page)).to_have_text(
        "Đã đổi số điện thoại. Từ nay bạn đăng nhập bằng số 0912 000 222."
    )
    expect(page.get_by_test_id("profile-phone")).to_have_text("0912 000 222")

    # WHEN the password is changed with a wrong current password
    page.get_by_test_id("password-current").fill("KhongDung2026")
    page.get_by_test_id("password-new").fill(SECOND_PASSWORD)
    page.get_by_test_id("password-submit").click()

    # THEN the field says so and the citizen stays signed in
    expect(page.get_by_test_id("password-error-current_password")).to_have_text(
        "Mật khẩu không đúng."
    )
    expect(page.get_by_test_id("user-box")).to_be_visible()

    # WHEN it is changed with the right one
    page.get_by_test_id("password-current").fill(FIRST_PASSWORD)
    page.get_by_test_id("password-new").fill(SECOND_PASSWORD)
    page.get_by_test_id("password-submit").click()

    # THEN the page keeps working on the fresh tokens (the old ones are revoked)
    expect(notice(page)).to_have_text(
        "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đăng xuất."
    )
    page.screenshot(path="/tmp/pakn-citizen-account.png", full_page=True)
    page.reload()
    expect(page.get_by_test_id("profile-phone")).to_have_text("0912 000 222")

    # WHEN the citizen signs out and signs in with the new number
    page.get_by_test_id("signout").click()
    expect(notice(page)).to_have_text("Đã đăng xuất.")
    past_revocation(local_stack, time.time())
    sign_in_as(page, "0912000222", SECOND_PASSWORD)

    # THEN they are signed in
    expect(page.get_by_test_id("user-name")).to_have_text(f"Xin chào, {NEW_NAME}")

    # WHEN the personal data is downloaded from the account page
    page.get_by_test_id("nav-account").click()
    expect(page.get_by_test_id("profile-phone")).to_have_text("0912 000 222")
    with page.expect_download() as download_info:
        page.get_by_test_id("data-download").click()
    download = download_info.value

    # THEN the file holds the profile with the new number
    assert download.suggested_filename == "pakn-du-lieu-ca-nhan.json"
    saved = tmp_path / "data.json"
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["phone"] == NEW_PHONE
    assert data["name"] == NEW_NAME
    assert data["email"] == EMAIL
    assert data["consent"]["version"] == "2026-01"
    assert data["reports"] == []

    # WHEN the account is deleted with the password
    page.get_by_test_id("delete-password").fill(SECOND_PASSWORD)
    page.get_by_test_id("delete-confirm").check()
    page.get_by_test_id("delete-submit").click()

    # THEN the citizen is signed out and told their reports stay, without them
    expect(notice(page)).to_have_text(
        "Tài khoản của bạn đã được xóa. Các phản ánh bạn đã gửi vẫn được công khai "
        "nhưng không còn gắn với danh tính của bạn."
    )
    expect(page.get_by_test_id("user-box")).to_be_hidden()

    # WHEN they try to sign in again
    sign_in_as(page, "0912000222", SECOND_PASSWORD)

    # THEN it fails with the Vietnamese message
    expect(page.get_by_test_id("error")).to_have_text(WRONG_CREDENTIALS)
    expect(page.get_by_test_id("user-box")).to_be_hidden()


def test_citizen_resets_a_forgotten_password(local_stack, page):
    # GIVEN an account made over HTTP
    base = local_stack.api
    answer = requests.post(
        f"{base}/v1/auth/sign-up",
        json={
            "phone": "0912000333",
            "name": "Lê Văn Cường",
            "password": FIRST_PASSWORD,
            "consent_version": "2026-01",
        },
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    answer = requests.post(
        f"{base}/v1/auth/confirm",
        json={"phone": RESET_PHONE, "code": code_in_sms(local_stack, RESET_PHONE, 1)},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text

    # WHEN "forgot password" is asked for that number
    page.goto(local_stack.site)
    page.get_by_test_id("forgot-link").click()
    page.get_by_test_id("forgot-phone").fill("0912 000 333")
    page.get_by_test_id("forgot-submit").click()

    # THEN the code step names the number
    expect(page.get_by_test_id("reset-sent-to")).to_contain_text("0912 000 333")

    # WHEN the code and a new password are entered
    page.get_by_test_id("reset-code").fill(code_in_sms(local_stack, RESET_PHONE, 2))
    page.get_by_test_id("reset-password").fill(SECOND_PASSWORD)
    page.get_by_test_id("reset-submit").click()

    # THEN the sign-in form waits with the number filled in
    expect(notice(page)).to_have_text(
        "Đã đặt lại mật khẩu. Vui lòng đăng nhập bằng mật khẩu mới."
    )
    reset_at = time.time()
    expect(page.get_by_test_id("signin-username")).to_have_value(RESET_PHONE)

    # WHEN the citizen signs in with the new password and opens the account
    past_revocation(local_stack, reset_at)
    page.get_by_test_id("signin-password").fill(SECOND_PASSWORD)
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("user-name")).to_have_text("Xin chào, Lê Văn Cường")
    page.get_by_test_id("nav-account").click()

    # THEN the account page loads
    expect(page.get_by_test_id("profile-phone")).to_have_text("0912 000 333")


def test_a_new_privacy_notice_must_be_accepted(local_stack, page):
    # GIVEN a sign-in answer saying the citizen accepted an older privacy notice
    def needs_consent(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        body["user"].update(consent_required=True, privacy_notice_version="2026-01")
        route.fulfill(response=response, json=body)

    page.route("**/v1/auth/sign-in", needs_consent)
    page.goto(local_stack.site)

    # WHEN the citizen signs in
    sign_in_as(page, "0901234567", PASSWORD)

    # THEN a blocking notice asks to accept the new version; Escape does not close it
    dialog = page.get_by_test_id("consent-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("consent-text")).to_contain_text("(2026-01)")
    page.screenshot(path="/tmp/pakn-citizen-consent.png")
    page.keyboard.press("Escape")
    expect(dialog).to_be_visible()

    # WHEN it is accepted without ticking the box, then with it
    page.get_by_test_id("consent-accept").click()
    expect(page.get_by_test_id("consent-error-consent_version")).to_be_visible()
    page.get_by_test_id("consent-check").check()
    with page.expect_response("**/v1/me/consent") as consent_info:
        page.get_by_test_id("consent-accept").click()

    # THEN the API records the version, and the notice closes for good
    assert consent_info.value.status == 200
    assert consent_info.value.request.post_data_json == {"consent_version": "2026-01"}
    expect(dialog).to_be_hidden()
    expect(notice(page)).to_have_text("Cảm ơn bạn. Sự đồng ý của bạn đã được ghi nhận.")
    page.reload()
    expect(page.get_by_test_id("user-box")).to_be_visible()
    expect(dialog).to_be_hidden()
