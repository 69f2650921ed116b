"""The staff panel's follow-up tools in a real browser: the reception desk enters a
report received by phone, a leader extends a deadline and sees where the report
stands in its workflow, and reception merges a report into an earlier one.

What the browser does not do is driven over HTTP with ``ApiClient``; the browser
fixtures are the ones of ``test_browser`` (Debian's Chromium, no page or console
errors allowed).
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from infra.demo_data import ApiClient
from tests.e2e import test_browser
from tests.e2e.test_browser import (
    CODE,
    file_report_over_http,
    shown,
    sign_in,
    yesterday_at,
)

# The browser fixtures of test_browser, shared: one Chromium per module, a fresh
# page per test that fails on page or console errors.
browser = test_browser.browser
browser_errors = test_browser.browser_errors
page = test_browser.page

RECEPTION = "tiepnhan"
LEADER = "lanhdao.sxd"
OFFICER = "chuyenvien.sxd"
OFFICER_NAME = "Phạm Thị Dung"
AGENCY = "so-xay-dung"
SHORT_MS = 5_000


@pytest.fixture(scope="module")
def api(local_stack) -> ApiClient:
    """One API client for the module, so each user signs in over HTTP once: the API
    limits sign-ins per address, and every test here comes from 127.0.0.1."""
    return ApiClient(local_stack.api)


@pytest.fixture(autouse=True)
def short_expectations(browser):
    """Expectations here wait 5 s at most; test_browser's 10 s come back after."""
    expect.set_options(timeout=SHORT_MS)
    yield
    expect.set_options(timeout=test_browser.TIMEOUT_MS)


# ---------------------------------------------------------------- helpers


def new_report(api: ApiClient, what: str) -> dict:
    return file_report_over_http(
        api, f"{what} {uuid.uuid4().hex[:6]}", yesterday_at(8, 15)
    )


def staff_tasks(api: ApiClient, user: str) -> list[dict]:
    """Every open task in ``user``'s inbox, all pages."""
    items, cursor = [], None
    while True:
        path = "/v1/staff/tasks?limit=100" + (f"&cursor={cursor}" if cursor else "")
        answer = api.call("GET", path, user)
        assert answer.status_code == 200, answer.text
        items += answer.json()["items"]
        cursor = answer.json()["next_cursor"]
        if not cursor:
            return items


def task_by_code(local_stack, api: ApiClient, user: str, code: str) -> dict:
    def find():
        return next(
            (t for t in staff_tasks(api, user) if t["report_code"] == code), None
        )

    return local_stack.wait_until(find)


def staff_view(api: ApiClient, user: str, report_id: str) -> dict:
    answer = api.call("GET", f"/v1/reports/{report_id}", user)
    assert answer.status_code == 200, answer.text
    return answer.json()


def route_to_agency(local_stack, api: ApiClient, report_id: str) -> dict:
    """Reception routes the report to Sở Xây dựng; returns the leader's assign task
    once it has its due time (set a moment after the task opens)."""
    api.decide(
        RECEPTION, api.wait_task(RECEPTION, report_id), "route", agency_id=AGENCY
    )

    def due():
        task = api.wait_task(LEADER, report_id)
        return task["due_at"] and task

    task = local_stack.wait_until(due)
    assert task["step"] == "assign"
    return task


def open_task(page: Page, code: str) -> None:
    row = page.locator(f'[data-testid="task-row"][data-report-code="{code}"]')
    expect(row).to_be_visible()
    row.get_by_test_id("task-open").click()
    expect(page.get_by_test_id("task-report-code")).to_have_text(code)


# ---------------------------------------------------------------- tests


def test_reception_enters_a_report_received_by_phone(local_stack, api, page):
    # GIVEN reception signed in to the staff panel, on the entry form
    title = f"Cây đổ chắn đường {uuid.uuid4().hex[:6]}"
    page.goto(f"{local_stack.site}/staff/")
    sign_in(page, RECEPTION)
    page.get_by_test_id("nav-entry").click()
    expect(page.get_by_test_id("entry-form")).to_be_visible()
    expect(page.locator("#entry-h")).to_have_text(
        "Nhập phản ánh tiếp nhận qua điện thoại, văn bản, email"
    )

    # WHEN a phone call is entered with the caller's name and number
    page.get_by_test_id("entry-channel").select_option("phone")
    page.get_by_test_id("entry-contact-name").fill("Nguyễn Thị Hoa")
    page.get_by_test_id("entry-contact-phone").fill("0987654321")
    page.get_by_test_id("entry-title").fill(title)
    page.get_by_test_id("entry-content").fill(
        "Người dân gọi điện báo cây xà cừ bật gốc, chắn nửa lòng đường."
    )
    page.get_by_test_id("entry-category").select_option("moi-truong")
    page.get_by_test_id("entry-area").select_option("p-kon-tum")
    page.get_by_test_id("entry-address").fill("Số 40 đường Bà Triệu")
    page.get_by_test_id("entry-lat").fill("14.35")
    page.get_by_test_id("entry-lon").fill("108.0")
    when = yesterday_at(17, 5)
    page.get_by_test_id("entry-occurred-at").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.screenshot(path="/tmp/pakn-staff-entry.png", full_page=True)
    page.get_by_test_id("entry-submit").click()

    # THEN the panel shows the new report's code
    entered = page.get_by_test_id("entry-code")
    expect(entered).to_have_text(CODE)
    code = entered.text_content()

    # ... and the report reached reception's inbox with its channel and contact
    task = task_by_code(local_stack, api, RECEPTION, code)
    report = staff_view(api, RECEPTION, task["report_id"])
    assert report["title"] == title
    assert report["channel"] == "phone"
    assert report["contact"]["name"] == "Nguyễn Thị Hoa"
    assert report["contact"]["phone"] == "+84987654321"
    assert report["category_id"] == "moi-truong"
    assert report["location"]["area_id"] == "p-kon-tum"
    assert report["occurred_at"] == when.isoformat()

    # WHEN reception opens that report's task in the panel
    page.get_by_test_id("site-name").click()
    open_task(page, code)

    # THEN the report shows how it came in and whom to call back
    contact = page.get_by_test_id("report-contact")
    expect(contact.get_by_test_id("contact-channel")).to_have_text("Điện thoại")
    expect(contact.get_by_test_id("contact-name")).to_have_text("Nguyễn Thị Hoa")
    expect(contact.get_by_test_id("contact-phone")).to_have_text("+84987654321")


def test_leader_extends_a_deadline_and_sees_the_workflow_position(
    local_stack, api, page
):
    # GIVEN one report routed to Sở Xây dựng and assigned by its leader ...
    first = new_report(api, "Vỉa hè sụt lún")
    assign = route_to_agency(local_stack, api, first["id"])
    decision = next(d for d in assign["allowed_decisions"] if d["decision"] == "assign")
    field = next(f for f in decision["fields"] if f["name"] == "officer_id")
    officer = next(o for o in field["options"] if o["label"] == OFFICER_NAME)
    api.decide(LEADER, assign, "assign", officer_id=officer["value"])
    api.wait_task(OFFICER, first["id"])

    # ... whose position, over HTTP, is with the officer now
    steps = staff_view(api, LEADER, first["id"])["workflow"]
    assert [(s["step"], s["state"], s["decision"]) for s in steps] == [
        ("triage", "done", "route"),
        ("assign", "done", "assign"),
        ("process", "current", None),
    ]
    assert steps[-1]["holder"] == OFFICER_NAME

    # ... and a second report routed there, waiting for the leader to assign it
    second = new_report(api, "Nắp cống vỡ")
    task = route_to_agency(local_stack, api, second["id"])
    code = task["report_code"]

    # WHEN the leader signs in and lists only the overdue tasks
    page.goto(f"{local_stack.site}/staff/")
    sign_in(page, LEADER)
    row = page.locator(f'[data-testid="task-row"][data-report-code="{code}"]')
    expect(row).to_be_visible()
    expect(row.get_by_test_id("task-due")).to_contain_text(shown(task["due_at"]))
    with page.expect_response(lambda r: "overdue=true" in r.url) as listed:
        page.get_by_test_id("tasks-overdue-only").check()
    assert listed.value.status == 200

    # THEN the list holds overdue tasks only, so not the new one, not yet due
    expect(page.get_by_test_id("tasks-filter-note")).to_be_visible()
    answered = page.locator('[data-testid="tasks-empty"], [data-testid="task-row"]')
    expect(answered.first).to_be_visible()
    expect(row).to_have_count(0)
    on_time = page.locator('[data-testid="task-row"][data-overdue="false"]')
    expect(on_time).to_have_count(0)

    # WHEN the whole list is back and the second report's task opened
    page.get_by_test_id("tasks-overdue-only").uncheck()
    open_task(page, code)

    # THEN the position list shows triage done and the assignment current
    expect(page.get_by_test_id("task-step-label")).to_have_text(
        "Phân công cán bộ xử lý"
    )
    position = page.get_by_test_id("workflow-position")
    steps = position.get_by_test_id("position-step")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_have_attribute("data-state", "done")
    expect(steps.nth(0)).to_have_attribute("data-step", "triage")
    expect(steps.nth(0).get_by_test_id("position-decision")).to_have_text(
        "Chuyển đơn vị xử lý"
    )
    expect(steps.nth(1)).to_have_attribute("data-state", "current")
    expect(steps.nth(1)).to_have_attribute("data-step", "assign")
    current = position.get_by_test_id("position-current")
    expect(current.get_by_test_id("position-holder")).to_have_text("Lãnh đạo đơn vị")
    expect(current.get_by_test_id("position-due")).to_have_text(shown(task["due_at"]))

    # WHEN the leader extends the deadline by 2 working days, with a reason
    page.get_by_test_id("extend-days").fill("2")
    page.get_by_test_id("extend-reason").fill("Chờ kết quả khảo sát hiện trường.")
    with page.expect_response(lambda r: r.url.endswith("/extend")) as sent:
        page.get_by_test_id("extend-submit").click()
    assert sent.value.status == 200, sent.value.text()

    # THEN the new due time shows, marked as extended, here and in the position
    extended = next(t for t in staff_tasks(api, LEADER) if t["id"] == task["id"])
    assert extended["extended"] is True
    assert extended["due_at"] > task["due_at"]
    new_due = shown(extended["due_at"])
    expect(page.get_by_test_id("notice")).to_have_text(
        f"Đã gia hạn công việc của phản ánh {code} đến {new_due}."
    )
    expect(page.get_by_test_id("task-due-at")).to_have_text(new_due)
    expect(page.get_by_test_id("task-due-extended")).to_have_text("Đã gia hạn")
    expect(page.get_by_test_id("extend-new-due")).to_have_text(new_due)
    expect(page.get_by_test_id("extend-form")).to_have_count(0)
    expect(current.get_by_test_id("position-due")).to_have_text(new_due)
    expect(current.get_by_test_id("position-extended")).to_have_text("Đã gia hạn")
    page.screenshot(path="/tmp/pakn-staff-position.png", full_page=True)

    # ... and the task list marks it too
    page.get_by_test_id("task-back").click()
    expect(row.get_by_test_id("task-extended")).to_have_text("Đã gia hạn")

    # ... while a second extension is refused
    again = api.call(
        "POST",
        f"/v1/staff/tasks/{task['id']}/extend",
        LEADER,
        {"days": 1, "reason": "Lần nữa"},
    )
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "already_extended"


def test_an_extension_made_meanwhile_shows_the_apis_message(
    local_stack, api, page, browser_errors
):
    # GIVEN the leader on a task's page, with the extension form
    report = new_report(api, "Đèn tín hiệu hỏng")
    task = route_to_agency(local_stack, api, report["id"])
    page.goto(f"{local_stack.site}/staff/")
    sign_in(page, LEADER)
    open_task(page, task["report_code"])
    expect(page.get_by_test_id("extend-form")).to_be_visible()

    # ... when someone extends that deadline meanwhile
    first = api.call(
        "POST",
        f"/v1/staff/tasks/{task['id']}/extend",
        LEADER,
        {"days": 3, "reason": "Đã gia hạn ở nơi khác"},
    )
    assert first.status_code == 200, first.text

    # WHEN the form is sent too
    path = f"/v1/staff/tasks/{task['id']}/extend"
    browser_errors.allow_failed_load(path, 409)
    page.get_by_test_id("extend-days").fill("1")
    page.get_by_test_id("extend-reason").fill("Cần thêm thời gian")
    page.get_by_test_id("extend-submit").click()

    # THEN the API's message shows in the error box
    expect(page.get_by_test_id("error")).to_have_text(
        "Nhiệm vụ này đã được gia hạn một lần."
    )


def test_reception_merges_a_report_into_an_earlier_one(local_stack, api, page):
    # GIVEN an earlier report and a later one waiting at reception
    earlier = new_report(api, "Cống thoát nước tắc")
    later = new_report(api, "Cống thoát nước tắc, báo lại")
    api.wait_task(RECEPTION, later["id"])

    # WHEN reception opens the later one and picks "merge"
    page.goto(f"{local_stack.site}/staff/")
    sign_in(page, RECEPTION)
    open_task(page, later["code"])
    page.get_by_test_id("decision-option-merge").check()

    # THEN the form asks for the earlier report's code
    into = page.get_by_test_id("field-into_code")
    expect(into).to_be_visible()
    expect(page.locator('label[for="df-into_code"]')).to_have_text(
        "Mã phản ánh trước *"
    )

    # WHEN the earlier code is typed and the decision sent
    into.fill(earlier["code"])
    page.get_by_test_id("decision-submit").click()

    # THEN the panel confirms, and the later report is merged into the earlier one
    expect(page.get_by_test_id("notice")).to_have_text(
        f"Đã ghi nhận quyết định cho phản ánh {later['code']}."
    )

    def merged():
        seen = staff_view(api, RECEPTION, later["id"])
        return seen["status"] == "merged" and seen

    seen = local_stack.wait_until(merged, timeout=5)
    assert seen["merged_into"] == {"id": earlier["id"], "code": earlier["code"]}
