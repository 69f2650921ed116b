"""The administration page of the staff panel in a real browser.

Runs against the session's local stack with the browser and page fixtures of
test_browser.py. What a test changes in the shared demo data (a category's name, a
year's calendar) is put back at the end; the staff account it creates has a name of
its own.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e import test_browser as _browser
from tests.e2e.axe import describe, run_axe

browser = _browser.browser
browser_errors = _browser.browser_errors
page = _browser.page
api = _browser.api
sign_in = _browser.sign_in

ADMIN = "quantri"
CATEGORY = "moi-truong"
YEAR = 2031  # far from today: no deadline of the other tests moves
NEW_PASSWORD = "Moi@2026matkhau"


def _open_admin(page, local_stack, user=ADMIN):
    page.goto(f"{local_stack.site}/staff/admin.html")
    sign_in(page, user)


def _api_error(api, method, path, user, body):
    answer = api.call(method, path, user, body)
    assert 400 <= answer.status_code < 500, answer.text
    return answer.json()


def test_admin_creates_a_staff_account_who_then_signs_in(
    local_stack, api, page, browser_errors
):
    browser_errors.allow_failed_load("/v1/admin/staff", 422)  # the bad username
    browser_errors.allow_failed_load("/v1/admin/staff", 403)  # the officer's refusal
    username = f"cv.{uuid.uuid4().hex[:8]}"
    name = "Trịnh Văn Thử"
    _open_admin(page, local_stack)
    expect(page.get_by_test_id("view-admin")).to_be_visible()
    expect(page.get_by_test_id("nav-admin")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("adm-staff-row").first).to_be_visible()

    # WHEN the form is sent with a username the API refuses
    form = page.get_by_test_id("adm-staff-form")
    bad = {
        "name": name,
        "username": "sai ten!",
        "agency_id": "so-xay-dung",
        "groups": ["officer"],
    }
    expected = _api_error(api, "POST", "/v1/admin/staff", ADMIN, bad)
    page.get_by_test_id("adm-new-name").fill(name)
    page.get_by_test_id("adm-new-username").fill(bad["username"])
    page.get_by_test_id("adm-new-agency").select_option("so-xay-dung")
    form.locator('[data-testid="adm-new-group"][value="officer"]').check()
    page.get_by_test_id("adm-new-submit").click()

    # THEN the API's Vietnamese message shows by the field, and nothing is created
    expect(form.get_by_test_id("field-error-username")).to_have_text(
        expected["fields"]["username"]["message"]
    )
    expect(page.get_by_test_id("error")).to_contain_text(expected["message"])
    expect(page.get_by_test_id("adm-temp")).to_be_hidden()

    # WHEN the username is corrected
    page.get_by_test_id("adm-new-username").fill(username)
    page.get_by_test_id("adm-new-phone").fill("0900000199")
    page.get_by_test_id("adm-new-submit").click()

    # THEN the temporary password shows once and the unit's list holds the account
    expect(page.get_by_test_id("adm-temp-username")).to_have_text(username)
    temporary = page.get_by_test_id("adm-temp-password").inner_text()
    assert len(temporary) >= 8
    expect(page.get_by_test_id("adm-staff-unit")).to_have_value("so-xay-dung")
    row = page.locator(f'[data-testid="adm-staff-row"][data-username="{username}"]')
    expect(row.get_by_test_id("adm-staff-name")).to_have_text(name)
    expect(row.get_by_test_id("adm-staff-groups")).to_have_text("Chuyên viên")
    expect(form.get_by_test_id("field-error-username")).to_be_hidden()
    listed = api.call("GET", "/v1/admin/staff?agency_id=so-xay-dung&limit=100", ADMIN)
    assert username in [u["username"] for u in listed.json()["items"]]

    # WHEN the admin signs out and the new officer signs in with that password
    page.get_by_test_id("signout").click()
    page.get_by_test_id("signin-username").fill(username)
    page.get_by_test_id("signin-password").fill(temporary)
    page.get_by_test_id("signin-submit").click()

    # THEN a new password is asked for first; mismatched ones are refused here
    expect(page.get_by_test_id("view-newpw")).to_be_visible()
    page.get_by_test_id("newpw-password").fill(NEW_PASSWORD)
    page.get_by_test_id("newpw-confirm").fill(NEW_PASSWORD + "x")
    page.get_by_test_id("newpw-submit").click()
    expect(page.get_by_test_id("field-error-confirm")).to_have_text(
        "Hai mật khẩu không khớp."
    )
    page.get_by_test_id("newpw-confirm").fill(NEW_PASSWORD)
    page.get_by_test_id("newpw-submit").click()

    # AND then the officer is signed in, without the admin link, and refused here
    expect(page.get_by_test_id("user-name")).to_have_text(f"Xin chào, {name}")
    expect(page.get_by_test_id("nav-tasks")).to_be_visible()
    expect(page.get_by_test_id("nav-admin")).to_be_hidden()
    expect(page.get_by_test_id("error")).to_have_text(
        "Bạn không có quyền thực hiện thao tác này."
    )
    again = api.session.post(
        f"{local_stack.api}/v1/auth/sign-in",
        json={"username": username, "password": NEW_PASSWORD},
        timeout=30,
    )
    assert again.status_code == 200 and "id_token" in again.json(), again.text

    # WHEN the admin disables the account THEN its row says so and sign-in fails
    page.get_by_test_id("signout").click()
    sign_in(page, ADMIN)
    page.get_by_test_id("adm-staff-unit").select_option("so-xay-dung")
    row.get_by_test_id("adm-staff-disable").click()
    expect(row).to_have_attribute("data-status", "disabled")
    expect(row.get_by_test_id("adm-staff-status")).to_have_text("Đã khóa")
    refused = api.session.post(
        f"{local_stack.api}/v1/auth/sign-in",
        json={"username": username, "password": NEW_PASSWORD},
        timeout=30,
    )
    assert refused.status_code == 401, refused.text


def test_non_admin_sees_no_admin_link_and_the_apis_refusal(
    local_stack, api, page, browser_errors
):
    browser_errors.allow_failed_load("/v1/admin/staff", 403)
    leader = "lanhdao.sxd"
    refusal = _api_error(
        api, "GET", "/v1/admin/staff?agency_id=reception", leader, None
    )
    page.goto(f"{local_stack.site}/staff/stats.html")
    sign_in(page, leader)
    expect(page.get_by_test_id("nav-stats")).to_be_visible()
    expect(page.get_by_test_id("nav-workflow")).to_be_visible()
    expect(page.get_by_test_id("nav-admin")).to_be_hidden()

    page.goto(f"{local_stack.site}/staff/admin.html")
    expect(page.get_by_test_id("error")).to_have_text(refusal["message"])
    expect(page.get_by_test_id("adm-panel-staff")).to_be_hidden()
    expect(page.get_by_test_id("adm-tab-staff")).to_be_hidden()


def test_admin_renames_a_category_and_the_send_form_lists_it(
    local_stack, api, page, browser_errors
):
    browser_errors.allow_failed_load(f"/v1/admin/categories/{CATEGORY}", 422)
    before = next(
        c
        for c in api.call("GET", "/v1/categories").json()["items"]
        if c["id"] == CATEGORY
    )
    renamed = f"Môi trường đô thị {uuid.uuid4().hex[:4]}"
    try:
        _open_admin(page, local_stack)
        page.get_by_test_id("adm-tab-ref").click()
        row = page.locator(f'[data-testid="adm-ref-row"][data-id="{CATEGORY}"]')
        expect(row.get_by_test_id("adm-ref-name")).to_have_text(before["name"])

        # WHEN the name is emptied THEN the API's message shows by the field
        row.get_by_test_id("adm-ref-edit").click()
        expect(page.get_by_test_id("adm-ref-id")).to_have_value(CATEGORY)
        page.get_by_test_id("adm-ref-input-name").fill("")
        page.get_by_test_id("adm-ref-save").click()
        expect(
            page.get_by_test_id("adm-ref-form").get_by_test_id("field-error-name")
        ).to_have_text("Vui lòng nhập tên (tối đa 200 ký tự).")

        # WHEN it is given a new name in both languages
        page.get_by_test_id("adm-ref-input-name").fill(renamed)
        page.get_by_test_id("adm-ref-input-name-en").fill("Urban environment")
        page.get_by_test_id("adm-ref-save").click()

        # THEN the list and the API say so, and so does the citizen's send form
        expect(row.get_by_test_id("adm-ref-name")).to_have_text(renamed)
        expect(page.get_by_test_id("notice")).to_contain_text(renamed)
        listed = api.call("GET", "/v1/categories").json()["items"]
        assert {
            "id": CATEGORY,
            "name": renamed,
            "name_en": "Urban environment",
        } in listed

        page.get_by_test_id("signout").click()
        page.goto(f"{local_stack.site}/#/send")
        sign_in(page, "0901234567")
        expect(
            page.get_by_test_id("report-category").locator(
                f'option[value="{CATEGORY}"]'
            )
        ).to_have_text(renamed)
    finally:
        api.call(
            "PUT",
            f"/v1/admin/categories/{CATEGORY}",
            ADMIN,
            {"name": before["name"], "name_en": before["name_en"]},
        )


def test_admin_adds_a_day_off_to_a_years_calendar(
    local_stack, api, page, browser_errors
):
    path = f"/v1/admin/calendar/{YEAR}"
    browser_errors.allow_failed_load(path, 422)  # a day of another year
    before = api.call("GET", path, ADMIN).json()
    try:
        _open_admin(page, local_stack)
        page.get_by_test_id("adm-tab-calendar").click()
        page.get_by_test_id("adm-cal-year").fill(str(YEAR))
        page.get_by_test_id("adm-cal-load").click()

        # THEN the year's public holidays are listed as the API gives them
        expect(page.get_by_test_id("adm-cal-holiday").first).to_have_attribute(
            "data-date", before["holidays"][0]["date"]
        )
        expect(page.get_by_test_id("adm-cal-holiday")).to_have_count(
            len(before["holidays"])
        )
        expect(page.get_by_test_id("adm-cal-holiday-name").first).to_have_text(
            before["holidays"][0]["name"]
        )

        # WHEN a day of another year is added and saved THEN the API refuses it
        page.get_by_test_id("adm-cal-date").fill(f"{YEAR - 1}-12-31")
        page.get_by_test_id("adm-cal-add").click()
        expect(page.get_by_test_id("adm-cal-dirty")).to_be_visible()
        page.get_by_test_id("adm-cal-save").click()
        expect(page.get_by_test_id("field-error-days_off")).to_have_text(
            f"Tối đa 100 ngày, đều thuộc năm {YEAR}."
        )
        assert api.call("GET", path, ADMIN).json()["days_off"] == before["days_off"]

        # WHEN it is removed, a day off and a make-up working day added, and saved
        page.locator(
            f'[data-testid="adm-cal-day"][data-date="{YEAR - 1}-12-31"]'
        ).get_by_test_id("adm-cal-remove").click()
        page.get_by_test_id("adm-cal-date").fill(f"{YEAR}-03-11")
        page.get_by_test_id("adm-cal-add").click()
        page.get_by_test_id("adm-cal-date").fill(f"{YEAR}-03-15")
        page.get_by_test_id("adm-cal-kind").select_option("working_days")
        page.get_by_test_id("adm-cal-add").click()
        page.get_by_test_id("adm-cal-save").click()

        # THEN the page and the API hold them
        expect(page.get_by_test_id("notice")).to_have_text(
            f"Đã lưu lịch làm việc năm {YEAR}."
        )
        expect(page.get_by_test_id("adm-cal-dirty")).to_be_hidden()
        expect(
            page.get_by_test_id("adm-cal-days-off").get_by_test_id("adm-cal-day")
        ).to_have_attribute("data-date", f"{YEAR}-03-11")
        after = api.call("GET", path, ADMIN).json()
        assert after["days_off"] == sorted({*before["days_off"], f"{YEAR}-03-11"})
        assert f"{YEAR}-03-15" in after["working_days"]

        # WHEN a day is added but, unsaved, another year is asked for and the
        # question is answered "cancel"
        asked: list[str] = []

        def answer(accept: bool):
            def on_dialog(dialog):
                asked.append(dialog.message)
                dialog.accept() if accept else dialog.dismiss()

            return on_dialog

        page.get_by_test_id("adm-cal-date").fill(f"{YEAR}-04-20")
        page.get_by_test_id("adm-cal-add").click()
        page.once("dialog", answer(False))
        page.get_by_test_id("adm-cal-year").fill(str(YEAR + 1))
        page.get_by_test_id("adm-cal-load").click()

        # THEN the page asked in Vietnamese, and the year and its change stay
        expect(page.get_by_test_id("adm-cal-year")).to_have_value(str(YEAR))
        assert asked == [f"Lịch năm {YEAR} có thay đổi chưa lưu. Bỏ các thay đổi đó?"]
        expect(page.get_by_test_id("adm-cal-dirty")).to_be_visible()
        expect(
            page.locator(f'[data-testid="adm-cal-day"][data-date="{YEAR}-04-20"]')
        ).to_have_count(1)

        # WHEN asked again and answered "OK", THEN the other year shows, unchanged
        page.once("dialog", answer(True))
        page.get_by_test_id("adm-cal-year").fill(str(YEAR + 1))
        page.get_by_test_id("adm-cal-load").click()
        expect(page.get_by_test_id("adm-cal-holiday").first).to_have_attribute(
            "data-date", re.compile(f"^{YEAR + 1}-")
        )
        expect(page.get_by_test_id("adm-cal-dirty")).to_be_hidden()
        assert len(asked) == 2
        assert f"{YEAR}-04-20" not in api.call("GET", path, ADMIN).json()["days_off"]
    finally:
        api.call(
            "PUT",
            path,
            ADMIN,
            {"days_off": before["days_off"], "working_days": before["working_days"]},
        )


def test_admin_page_fits_a_phone_and_switches_to_english(local_stack, page):
    page.set_viewport_size({"width": 375, "height": 740})
    _open_admin(page, local_stack)
    expect(page.get_by_test_id("adm-staff-row").first).to_be_visible()

    # The tabs answer the arrow keys
    page.get_by_test_id("adm-tab-staff").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("adm-tab-ref")).to_be_focused()
    expect(page.get_by_test_id("adm-panel-ref")).to_be_visible()
    expect(page.get_by_test_id("adm-panel-staff")).to_be_hidden()

    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("adm-tab-ref")).to_have_text("Reference data")
    expect(page.get_by_test_id("nav-admin")).to_have_text("Administration")
    expect(page).to_have_title("Administration — Staff panel")
    for tab in ("staff", "ref", "calendar"):
        page.get_by_test_id(f"adm-tab-{tab}").click()
        expect(page.get_by_test_id(f"adm-panel-{tab}")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{tab}: the page is {width} px wide"


def test_admin_changes_a_staff_accounts_name_groups_and_unit(
    local_stack, api, page, browser_errors
):
    # GIVEN an officer of Sở Xây dựng, made for this test
    username = f"cv.{uuid.uuid4().hex[:8]}"
    created = api.call(
        "POST",
        "/v1/admin/staff",
        ADMIN,
        {
            "username": username,
            "name": "Đặng Thị Cũ",
            "agency_id": "so-xay-dung",
            "groups": ["officer"],
        },
    )
    assert created.status_code == 201, created.text
    sub = created.json()["sub"]
    path = f"/v1/admin/staff/{sub}"
    browser_errors.allow_failed_load(path, 422)  # the bad phone
    expected = _api_error(api, "PUT", path, ADMIN, {"phone": "12345"})

    _open_admin(page, local_stack)
    page.get_by_test_id("adm-staff-unit").select_option("so-xay-dung")
    row = page.locator(f'[data-testid="adm-staff-row"][data-username="{username}"]')
    expect(row.get_by_test_id("adm-staff-name")).to_have_text("Đặng Thị Cũ")

    # WHEN the row's "Sửa" is pressed THEN the form opens on the account, focused
    edit = row.get_by_test_id("adm-staff-edit")
    expect(edit).to_have_text("Sửa")
    edit.click()
    form = page.get_by_test_id("adm-edit-form")
    expect(form).to_be_visible()
    expect(page.get_by_test_id("adm-edit-name")).to_be_focused()
    expect(page.get_by_test_id("adm-edit-name")).to_have_value("Đặng Thị Cũ")
    expect(page.get_by_test_id("adm-edit-agency")).to_have_value("so-xay-dung")
    expect(
        form.locator('[data-testid="adm-edit-group"][value="officer"]')
    ).to_be_checked()

    # AND Escape closes it, back to the row's button
    page.keyboard.press("Escape")
    expect(form).to_be_hidden()
    expect(row.get_by_test_id("adm-staff-edit")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("adm-edit-name")).to_be_focused()

    # WHEN a phone the API refuses is sent THEN its Vietnamese message is by the field
    page.get_by_test_id("adm-edit-phone").fill("12345")
    page.get_by_test_id("adm-edit-save").click()
    expect(form.get_by_test_id("field-error-phone")).to_have_text(
        expected["fields"]["phone"]["message"]
    )
    expect(form.get_by_test_id("field-error-phone")).to_contain_text(
        "Số điện thoại di động không hợp lệ"
    )
    expect(page.get_by_test_id("adm-edit-phone")).to_have_attribute(
        "aria-invalid", "true"
    )
    violations = run_axe(page)
    assert not violations, describe(violations, "the staff change form")
    listed = api.call("GET", "/v1/admin/staff?agency_id=so-xay-dung&limit=100", ADMIN)
    mine = next(u for u in listed.json()["items"] if u["sub"] == sub)
    assert (mine["name"], mine["phone"]) == ("Đặng Thị Cũ", None)

    # WHEN the name, the phone and the groups are changed and saved
    page.get_by_test_id("adm-edit-name").fill("Đặng Thị Mới")
    page.get_by_test_id("adm-edit-phone").fill("0900000288")
    form.locator('[data-testid="adm-edit-group"][value="editor"]').check()
    page.get_by_test_id("adm-edit-save").click()

    # THEN the form closes, focus is back on the row, which shows the change
    expect(form).to_be_hidden()
    expect(row.get_by_test_id("adm-staff-edit")).to_be_focused()
    expect(row.get_by_test_id("adm-staff-name")).to_have_text("Đặng Thị Mới")
    expect(row.get_by_test_id("adm-staff-groups")).to_have_text(
        "Chuyên viên, Biên tập tin"
    )
    expect(page.get_by_test_id("notice")).to_contain_text("Đặng Thị Mới")
    listed = api.call("GET", "/v1/admin/staff?agency_id=so-xay-dung&limit=100", ADMIN)
    mine = next(u for u in listed.json()["items"] if u["sub"] == sub)
    assert mine["name"] == "Đặng Thị Mới"
    assert mine["phone"] == "+84900000288"
    assert mine["groups"] == ["officer", "editor"]

    # WHEN the account is moved to the ward THEN its row leaves this unit's list
    row.get_by_test_id("adm-staff-edit").click()
    page.get_by_test_id("adm-edit-agency").select_option("ubnd-p-kon-tum")
    page.get_by_test_id("adm-edit-save").click()
    expect(form).to_be_hidden()
    expect(row).to_have_count(0)
    expect(page.get_by_test_id("adm-staff-unit")).to_be_focused()
    ward = api.call("GET", "/v1/admin/staff?agency_id=ubnd-p-kon-tum&limit=100", ADMIN)
    assert sub in [u["sub"] for u in ward.json()["items"]]
    page.get_by_test_id("adm-staff-unit").select_option("ubnd-p-kon-tum")
    expect(row.get_by_test_id("adm-staff-name")).to_have_text("Đặng Thị Mới")

    # AND on a phone the open form fits the screen
    page.set_viewport_size({"width": 375, "height": 740})
    row.get_by_test_id("adm-staff-edit").click()
    expect(page.get_by_test_id("adm-edit-name")).to_be_focused()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width} px wide"
    # AND in English the open form keeps what it holds
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("adm-edit-title")).to_have_text(
        "Edit account: Đặng Thị Mới"
    )
    expect(page.get_by_test_id("adm-edit-save")).to_have_text("Save changes")
    editor = form.locator('[data-testid="adm-edit-group"][value="editor"]')
    expect(editor).to_be_checked()
    label = form.locator("label", has=page.locator('input[value="editor"]'))
    expect(label).to_have_text("News editor")
    expect(page.get_by_test_id("adm-edit-agency")).to_have_value("ubnd-p-kon-tum")
    page.get_by_test_id("adm-edit-cancel").click()
    expect(form).to_be_hidden()
    expect(row.get_by_test_id("adm-staff-edit")).to_be_focused()
