"""The staff panel's task list in a real browser: filters by area, category and text,
kept in the address across a reload; find by code; an overdue task first with its
past-due label; and the report's read-only map.

The reports are filed over HTTP; one task's deadline is moved into the past in the
embedded DynamoDB, as if its time had run out (the stack's clock is the real one).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from infra.demo_data import CITIZEN, ApiClient, photo
from tests.e2e import test_browser
from tests.e2e.test_browser import sign_in, yesterday_at

browser = test_browser.browser
browser_errors = test_browser.browser_errors
page = test_browser.page

RECEPTION = "tiepnhan"
SHORT_MS = 5_000


@pytest.fixture(scope="module")
def api(local_stack) -> ApiClient:
    return ApiClient(local_stack.api)


@pytest.fixture(autouse=True)
def short_expectations(browser):
    expect.set_options(timeout=SHORT_MS)
    yield
    expect.set_options(timeout=test_browser.TIMEOUT_MS)


def file(api: ApiClient, title: str, category: str, area: str) -> dict:
    answer = api.call(
        "POST",
        "/v1/reports",
        CITIZEN,
        {
            "title": title,
            "content": "Phản ánh để kiểm tra bộ lọc danh sách công việc.",
            "category_id": category,
            "location": {
                "lat": 14.35,
                "lon": 108.0,
                "address": "Đường Lê Hồng Phong",
                "area_id": area,
            },
            "occurred_at": yesterday_at(9, 0).isoformat(),
            "upload_ids": [api.upload(CITIZEN, photo("loc"))],
        },
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def listed(api: ApiClient, **params) -> list[dict]:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    answer = api.call("GET", f"/v1/staff/tasks?limit=100&{query}", RECEPTION)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def make_overdue(local_stack, task_id: str) -> None:
    """The deadline passed yesterday (written where the sweeper would read it)."""
    set_due(local_stack, task_id, timedelta(days=-1))


def set_due(local_stack, task_id: str, from_now: timedelta) -> None:
    """Move the task's deadline to now + from_now."""
    due = (datetime.now(UTC) + from_now).strftime("%Y-%m-%dT%H:%M:%SZ")
    local_stack.table("pakn-kontum-tasks").update_item(
        Key={"id": task_id},
        UpdateExpression="SET due_at = :d, due_sort = :d",
        ExpressionAttributeValues={":d": due},
    )


def rows(page: Page):
    return page.get_by_test_id("task-row")


def test_staff_filter_find_by_code_and_see_the_overdue_task_first(
    local_stack, api, page
):
    # GIVEN three reports at the reception desk, told apart by a tag in the title
    tag = uuid.uuid4().hex[:8]
    pothole = file(api, f"Ổ gà đường Phan Đình Phùng {tag}", "giao-thong", "p-kon-tum")
    rubbish = file(api, f"Rác thải bên đường {tag}", "moi-truong", "p-kon-tum")
    lamp = file(api, f"Đèn chiếu sáng hỏng {tag}", "giao-thong", "p-dak-cam")
    ours = local_stack.wait_until(
        lambda: (found := listed(api, q=tag)) and len(found) == 3 and found
    )
    by_code = {t["report_code"]: t for t in ours}
    # ... the lamp's deadline has passed, the rubbish's is in two hours and the
    # pothole's in ten days (reception's own deadline is a working day: always soon)
    make_overdue(local_stack, by_code[lamp["code"]]["id"])
    set_due(local_stack, by_code[rubbish["code"]]["id"], timedelta(hours=2))
    set_due(local_stack, by_code[pothole["code"]]["id"], timedelta(days=10))

    # WHEN reception signs in and searches the tag without accents
    page.goto(f"{local_stack.site}/staff/")
    sign_in(page, RECEPTION)
    page.get_by_test_id("filter-q").fill(tag)
    page.get_by_test_id("filter-q").press("Enter")

    # THEN the three show, the overdue one first, labelled past due in words
    expect(rows(page)).to_have_count(3)
    first = rows(page).first
    expect(first).to_have_attribute("data-report-code", lamp["code"])
    expect(first).to_have_attribute("data-overdue", "true")
    state = first.get_by_test_id("task-due-state")
    expect(state).to_have_text("Quá hạn")
    expect(state).to_have_attribute("data-state", "overdue")
    # ... then the one due soon, then the one on time, each in words and its colour
    soon = rows(page).nth(1)
    expect(soon).to_have_attribute("data-report-code", rubbish["code"])
    expect(soon.get_by_test_id("task-due-state")).to_have_text("Sắp đến hạn")
    expect(soon.get_by_test_id("task-due-state")).to_have_attribute(
        "data-state", "soon"
    )
    on_time = rows(page).nth(2).get_by_test_id("task-due-state")
    expect(on_time).to_have_text("Trong hạn")
    colours = {
        badge.get_attribute("data-state"): badge.evaluate(
            "b => getComputedStyle(b).backgroundColor + ' ' + getComputedStyle(b).color"
        )
        for badge in (state, soon.get_by_test_id("task-due-state"), on_time)
    }
    assert len(set(colours.values())) == 3, colours
    expect(first.get_by_test_id("task-area")).to_have_text("Phường Đăk Cấm")
    expect(first.get_by_test_id("task-category")).to_have_text("Giao thông")

    # WHEN the list is narrowed to the area of Phường Kon Tum
    page.get_by_test_id("filter-area").select_option("p-kon-tum")

    # THEN only the two reports filed there remain, and the address says so
    expect(rows(page)).to_have_count(2)
    expect(page.locator(f'[data-report-code="{lamp["code"]}"]')).to_have_count(0)
    assert "area=p-kon-tum" in page.url and f"q={tag}" in page.url

    # WHEN the category is set too, and the page reloaded
    page.get_by_test_id("filter-category").select_option("moi-truong")
    expect(rows(page)).to_have_count(1)
    page.reload()

    # THEN the same filters and the same single row come back
    expect(page.get_by_test_id("filter-category")).to_have_value("moi-truong")
    expect(page.get_by_test_id("filter-area")).to_have_value("p-kon-tum")
    expect(page.get_by_test_id("filter-q")).to_have_value(tag)
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_have_attribute("data-report-code", rubbish["code"])

    # WHEN the filters are cleared and a code typed in lower case is looked up
    page.get_by_test_id("filter-clear").click()
    expect(page.get_by_test_id("filter-q")).to_have_value("")
    page.get_by_test_id("filter-code").fill(pothole["code"].lower())
    page.get_by_test_id("filter-apply").click()

    # THEN exactly that report's task is listed
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_have_attribute("data-report-code", pothole["code"])

    # WHEN it is opened
    rows(page).first.get_by_test_id("task-open").click()

    # THEN its report shows the place on a read-only map, and the photo opens
    # at full size in a new tab
    expect(page.get_by_test_id("task-report-code")).to_have_text(pothole["code"])
    marker = page.get_by_test_id("detail-map").locator(".leaflet-marker-icon")
    expect(marker).to_have_count(1)
    expect(marker).to_have_attribute("alt", f"Vị trí phản ánh {pothole['code']}")
    photo_link = page.get_by_test_id("detail-photos").locator("a").first
    expect(photo_link).to_have_attribute("target", "_blank")

    # WHEN back to the list, the code filter is still there
    page.get_by_test_id("task-back").click()
    expect(page.get_by_test_id("filter-code")).to_have_value(pothole["code"])
    expect(rows(page)).to_have_count(1)


def test_a_bad_filter_in_the_address_shows_the_apis_message(
    local_stack, browser_errors, page
):
    # GIVEN an address with an area that does not exist
    browser_errors.allow_failed_load("/v1/staff/tasks", 400)
    page.goto(f"{local_stack.site}/staff/#/?area=khong-co")
    sign_in(page, RECEPTION)

    # THEN the API's message shows, in Vietnamese
    expect(page.get_by_test_id("error")).to_contain_text("Địa bàn không tồn tại.")


def test_the_filters_fit_a_phone_screen(local_stack, page):
    # GIVEN a phone-sized screen
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{local_stack.site}/staff/")
    sign_in(page, RECEPTION)

    # THEN every filter is there, labelled, and the page does not scroll sideways
    for testid, label in (
        ("filter-step", "Trạng thái (bước xử lý)"),
        ("filter-area", "Địa bàn"),
        ("filter-category", "Lĩnh vực"),
        ("filter-q", "Tìm theo tiêu đề hoặc mã"),
        ("filter-code", "Tra mã phản ánh"),
    ):
        control = page.get_by_label(label, exact=True)
        expect(control).to_have_attribute("data-testid", testid)
        control.scroll_into_view_if_needed()
        expect(control).to_be_in_viewport()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width

    # WHEN the step filter is reached from the keyboard and a step chosen
    page.get_by_test_id("filter-step").focus()
    expect(page.get_by_test_id("filter-step").locator("option")).to_have_count(2)
    page.keyboard.press("ArrowDown")
    # THEN the list follows it, with the step in the address
    expect(page).to_have_url(re.compile(r"step=triage"))


def test_the_task_pages_menu_follows_the_role(local_stack, page):
    def nav(name):
        return page.get_by_test_id(f"nav-{name}")

    # GIVEN reception signed in on the task page, with a filter in the address
    page.goto(f"{local_stack.site}/staff/#/?overdue=1")
    sign_in(page, RECEPTION)

    # THEN the shell's menu marks the task page, offers the desk's entry form and
    # no administration; the filter from the address is applied
    expect(nav("tasks")).to_have_attribute("aria-current", "page")
    expect(nav("entry")).to_be_visible()
    expect(nav("admin")).to_be_hidden()
    expect(page.get_by_test_id("site-name")).to_have_attribute("href", "./")
    expect(page.get_by_test_id("view-tasks")).to_be_visible()
    expect(page.get_by_test_id("tasks-overdue-only")).to_be_checked()

    # WHEN the entry form is opened from the menu THEN the mark moves to it
    nav("entry").click()
    expect(page.get_by_test_id("view-entry")).to_be_visible()
    expect(nav("entry")).to_have_attribute("aria-current", "page")
    expect(nav("tasks")).not_to_have_attribute("aria-current", "page")

    # WHEN reception signs out THEN the sign-in form is back, without the entry link
    page.get_by_test_id("signout").click()
    expect(page.get_by_test_id("view-signin")).to_be_visible()
    expect(page.get_by_test_id("view-entry")).to_be_hidden()
    expect(nav("entry")).to_be_hidden()

    # WHEN the administrator signs in here
    sign_in(page, "quantri")

    # THEN the menu has the administration link but neither the tasks nor the desk's
    # entry form, and the page says it has no tasks for them instead of asking the
    # API in vain
    expect(nav("admin")).to_be_visible()
    expect(nav("tasks")).to_be_hidden()
    expect(nav("entry")).to_be_hidden()
    expect(page.get_by_test_id("error")).to_have_text(
        "Trang công việc dành cho bộ phận tiếp nhận, chuyên viên và lãnh đạo đơn vị."
    )
    expect(page.get_by_test_id("view-tasks")).to_be_hidden()
    # ... and the site's name leads to the first page the administrator may use
    expect(page.get_by_test_id("site-name")).to_have_attribute("href", "report.html")


def staff_in_two_groups(api: ApiClient, password: str) -> str:
    """A new unit leader of so-xay-dung who also processes reports, signed in once
    over HTTP so that the browser's sign-in needs no new password."""
    username = f"kiem.{uuid.uuid4().hex[:8]}"
    created = api.call(
        "POST",
        "/v1/admin/staff",
        "quantri",
        {
            "username": username,
            "name": "Đỗ Văn Kiêm",
            "agency_id": "so-xay-dung",
            "groups": ["officer", "agency_leader"],
        },
    )
    assert created.status_code == 201, created.text
    first = api.call(
        "POST",
        "/v1/auth/sign-in",
        body={"username": username, "password": created.json()["temporary_password"]},
    )
    chosen = api.call(
        "POST",
        "/v1/auth/new-password",
        body={
            "username": username,
            "session": first.json()["session"],
            "new_password": password,
        },
    )
    assert chosen.status_code == 200, chosen.text
    return username


def step_labels(api: ApiClient, username: str, group: str) -> list[str]:
    answer = api.call("GET", f"/v1/staff/tasks?group={group}", username)
    assert answer.status_code == 200, answer.text
    labels = [s["label"] for s in answer.json()["steps"]]
    assert labels, f"no step of {group}"
    return labels


def test_a_leader_who_also_processes_switches_between_inboxes(local_stack, page):
    # A client of its own: signing out in the browser (an earlier test here) ends
    # every session of that person, the module's client's included.
    api = ApiClient(local_stack.api)
    password = "Kiem@2026cv"
    username = staff_in_two_groups(api, password)
    report = file(
        api, f"Vỉa hè sụt lún {uuid.uuid4().hex[:6]}", "giao-thong", "p-kon-tum"
    )
    api.decide(
        RECEPTION,
        api.wait_task(RECEPTION, report["id"]),
        "route",
        agency_id="so-xay-dung",
    )
    api.sign_in(username, password)
    api.wait_task(username, report["id"])  # in the leaders' inbox

    # GIVEN the person signed in on the task page
    page.goto(f"{local_stack.site}/staff/")
    page.get_by_test_id("signin-username").fill(username)
    page.get_by_test_id("signin-password").fill(password)
    page.get_by_test_id("signin-submit").click()

    # THEN a role choice shows, on the leaders' inbox, which holds the new report
    role = page.get_by_test_id("filter-group")
    expect(page.get_by_test_id("filter-group-field")).to_be_visible()
    expect(role).to_have_value("agency_leader")
    expect(role.locator("option")).to_have_text(["Lãnh đạo đơn vị", "Chuyên viên"])
    expect(rows(page).filter(has_text=report["code"])).to_have_count(1)
    expect(page.get_by_test_id("filter-step").locator("option")).to_have_text(
        ["Tất cả các bước", *step_labels(api, username, "agency_leader")]
    )

    # WHEN the officers' role is chosen
    role.select_option("officer")

    # THEN the address names it, the list is the officer's own (nothing yet), and
    # the step choices are the officers'
    expect(page).to_have_url(re.compile(r"group=officer"))
    expect(page.get_by_test_id("tasks-empty")).to_be_visible()
    expect(rows(page)).to_have_count(0)
    expect(page.get_by_test_id("filter-step").locator("option")).to_have_text(
        ["Tất cả các bước", *step_labels(api, username, "officer")]
    )

    # WHEN the page is reloaded THEN the choice holds
    page.reload()
    expect(role).to_have_value("officer")

    # AND someone in one group only sees no role choice
    page.get_by_test_id("signout").click()
    sign_in(page, RECEPTION)
    expect(rows(page).first).to_be_visible()
    expect(page.get_by_test_id("filter-group-field")).to_be_hidden()
