"""A citizen follows up on their own report in the browser: answers the agency's
question, rates the published result, asks for it to be handled again, and finds
the earlier report theirs was merged into.

The staff side is driven over HTTP with ``ApiClient``; the browser fixtures are the
ones of ``test_browser`` (Debian's Chromium, no page or console errors allowed).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from infra.demo_data import CITIZEN, ApiClient, photo
from tests.e2e import test_browser
from tests.e2e.test_browser import (
    expect_photo_loaded,
    file_report_over_http,
    shown,
    sign_in,
    yesterday_at,
)

# The fixtures of test_browser, shared: one Chromium per module, a fresh page per
# test that fails on page or console errors, an API client on the local stack.
browser = test_browser.browser
browser_errors = test_browser.browser_errors
page = test_browser.page
api = test_browser.api

RECEPTION = "tiepnhan"
LEADER = "lanhdao.sxd"
OFFICER = "chuyenvien.sxd"
AGENCY = "so-xay-dung"
SHORT_MS = 5_000
QUESTION = "Ổ gà nằm trước số nhà bao nhiêu? Xin gửi thêm ảnh chụp gần."


# ---------------------------------------------------------------- helpers


def new_report(api: ApiClient, what: str) -> dict:
    title = f"{what} {uuid.uuid4().hex[:6]}"
    return file_report_over_http(api, title, yesterday_at(8, 15))


def route_and_assign(api: ApiClient, report_id: str) -> dict:
    """Reception routes the report to Sở Xây dựng, its leader assigns the officer;
    returns the officer's task."""
    task = api.wait_task(RECEPTION, report_id)
    api.decide(RECEPTION, task, "route", agency_id=AGENCY)
    task = api.wait_task(LEADER, report_id)
    assign = next(d for d in task["allowed_decisions"] if d["decision"] == "assign")
    officers = next(f for f in assign["fields"] if f["name"] == "officer_id")
    api.decide(LEADER, task, "assign", officer_id=officers["options"][0]["value"])
    task = api.wait_task(OFFICER, report_id)
    assert task["step"] == "process"
    return task


def owner_view(api: ApiClient, report_id: str) -> dict:
    answer = api.call("GET", f"/v1/reports/{report_id}", CITIZEN)
    assert answer.status_code == 200, answer.text
    return answer.json()


def citizen_turn_open(api: ApiClient, local_stack, report_id: str) -> None:
    """Wait until the workflow has opened the citizen's answer step.

    The report shows the question as soon as the officer decides, but the step
    that takes the answer opens a moment later; an answer sent in between is
    refused with 409 ``no_question``.
    """

    def open_step():
        seen = api.call("GET", f"/v1/reports/{report_id}", OFFICER).json()
        return any(
            s["state"] == "current" and s["group"] == "citizen"
            for s in seen.get("workflow", [])
        )

    local_stack.wait_until(open_step, timeout=10)


def publish(api: ApiClient, local_stack, report_id: str) -> None:
    """The officer resolves, the leader approves, the result goes public."""
    task = route_and_assign(api, report_id)
    result_photo = api.upload(OFFICER, photo("Da va", (60, 160, 90)))
    api.decide(
        OFFICER,
        task,
        "resolve",
        result="Đã vá ổ gà và trải lại mặt đường.",
        upload_ids=[result_photo],
    )
    task = api.wait_task(LEADER, report_id)
    assert task["step"] == "approve"
    api.decide(LEADER, task, "approve")
    local_stack.wait_until(
        lambda: api.call("GET", f"/v1/public/reports/{report_id}").status_code == 200,
        timeout=15,
    )


def open_my_report(page: Page, local_stack, report: dict) -> None:
    page.goto(f"{local_stack.site}/#/report/{report['id']}")
    sign_in(page, CITIZEN)
    expect(page.get_by_test_id("detail-code")).to_have_text(report["code"])


# ---------------------------------------------------------------- tests


def test_citizen_answers_the_agencys_question(local_stack, api, page, tmp_path):
    # GIVEN a report in the officer's hands, who asks the citizen a question
    report = new_report(api, "Ổ gà cần bổ sung")
    task = route_and_assign(api, report["id"])
    api.decide(OFFICER, task, "request_info", question=QUESTION)
    citizen_turn_open(api, local_stack, report["id"])

    # WHEN the citizen opens the report
    open_my_report(page, local_stack, report)

    # THEN the question stands out, with a form to answer it
    panel = page.get_by_test_id("question-panel")
    expect(panel.get_by_role("heading")).to_have_text(
        "Cơ quan xử lý cần bạn bổ sung thông tin"
    )
    expect(page.get_by_test_id("pending-question")).to_have_text(QUESTION)
    expect(page.get_by_test_id("detail-status")).to_have_text(
        "Chờ công dân bổ sung thông tin"
    )
    expect(page.get_by_test_id("answer-form")).to_be_visible()
    expect(page.get_by_test_id("rating-form")).to_have_count(0)
    page.screenshot(path="/tmp/pakn-citizen-question.png", full_page=True)

    # WHEN the citizen answers with a text and a photo
    picture = tmp_path / "o-ga-gan.jpg"
    picture.write_bytes(photo("o ga gan", (200, 120, 60)))
    page.get_by_test_id("answer-text").fill("Trước số nhà 45, ảnh chụp gần gửi kèm.")
    page.get_by_test_id("answer-photos").set_input_files(picture)
    page.get_by_test_id("answer-submit").click()

    # THEN the page confirms and shows the report handled again, with both photos
    expect(page.get_by_test_id("notice")).to_have_text(
        "Đã gửi thông tin bổ sung. Phản ánh tiếp tục được xử lý.", timeout=SHORT_MS
    )
    expect(page.get_by_test_id("question-panel")).to_have_count(0)
    expect(page.get_by_test_id("detail-status")).to_have_text("Đang xử lý")
    expect(page.get_by_test_id("timeline-label").last).to_have_text(
        "Công dân bổ sung thông tin"
    )
    expect(page.get_by_test_id("detail-photo")).to_have_count(2)
    expect_photo_loaded(page.get_by_test_id("detail-photo").last)

    # ... the API has the report back in progress, the question answered ...
    seen = owner_view(api, report["id"])
    assert seen["status"] == "in_progress"
    assert seen["pending_question"] is None
    assert len(seen["attachments"]) == 2
    assert seen["timeline"][-1]["kind"] == "answered"

    # ... and the officer has the report to process again
    task = api.wait_task(OFFICER, report["id"])
    assert task["step"] == "process"


def test_citizen_rates_then_reopens_a_published_result(local_stack, api, page):
    # GIVEN a report whose result is published
    report = new_report(api, "Ổ gà đã vá")
    publish(api, local_stack, report["id"])

    # WHEN the citizen opens it
    open_my_report(page, local_stack, report)

    # THEN the result can be rated and reopened
    expect(page.get_by_test_id("detail-status")).to_have_text("Đã công khai kết quả")
    expect(page.get_by_test_id("rating-form")).to_be_visible()
    expect(page.get_by_test_id("reopen-form")).to_be_visible()
    # ... until the date the API gives, in Vietnam time
    until = shown(owner_view(api, report["id"])["reopen_until"])
    expect(page.get_by_test_id("reopen-until")).to_have_text(
        f"Hạn yêu cầu xử lý lại: {until}."
    )
    page.screenshot(path="/tmp/pakn-citizen-rating.png", full_page=True)

    # WHEN four stars (picked by their accessible name) and a comment are entered,
    # and the page switches to English and back
    page.get_by_role("radio", name="4 sao – Hài lòng").check()
    page.get_by_test_id("rating-comment").fill("Sửa nhanh, nhưng còn đọng nước.")
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("rating-submit")).to_have_text("Send rating")
    expect(page.get_by_role("radio", name="4 stars – Satisfied")).to_be_checked()
    expect(page.get_by_test_id("reopen-until")).to_have_text(
        f"You can ask for it to be handled again until {until}."
    )
    page.get_by_test_id("lang-vi").click()

    # THEN nothing entered is lost
    expect(page.get_by_test_id("rating-star-4")).to_be_checked()
    expect(page.get_by_test_id("rating-comment")).to_have_value(
        "Sửa nhanh, nhưng còn đọng nước."
    )

    # WHEN the rating is sent
    page.get_by_test_id("rating-submit").click()

    # THEN the stars given show instead of the form
    expect(page.get_by_test_id("notice")).to_have_text(
        "Cảm ơn bạn đã đánh giá kết quả xử lý.", timeout=SHORT_MS
    )
    rating = page.get_by_test_id("rating-value")
    expect(rating).to_have_attribute("data-rating", "4")
    expect(rating).to_contain_text("4/5 sao")
    expect(page.get_by_test_id("rating-form")).to_have_count(0)
    page.screenshot(path="/tmp/pakn-citizen-rated.png", full_page=True)

    # WHEN the citizen asks for the report to be handled again
    page.get_by_test_id("reopen-reason").fill("Sau mưa mặt đường lại lún.")
    page.get_by_test_id("reopen-submit").click()

    # THEN the report is in progress again and the forms are gone
    expect(page.get_by_test_id("notice")).to_have_text(
        "Đã gửi yêu cầu xử lý lại. Phản ánh được chuyển lại cho cơ quan xử lý.",
        timeout=SHORT_MS,
    )
    expect(page.get_by_test_id("detail-status")).to_have_text("Đang xử lý")
    expect(page.get_by_test_id("reopen-form")).to_have_count(0)
    expect(page.get_by_test_id("timeline-label").last).to_have_text(
        "Công dân yêu cầu xử lý lại"
    )

    # ... and so it is in the API, the rating and the reopening last in its history
    seen = owner_view(api, report["id"])
    assert seen["status"] == "in_progress"
    assert seen["rating"] == 4
    kinds = [entry["kind"] for entry in seen["timeline"]]
    assert kinds[-2:] == ["rated", "reopened"], kinds
    assert seen["timeline"][-1]["note"] == "Sau mưa mặt đường lại lún."


def test_a_result_published_too_long_ago_cannot_be_reopened(local_stack, api, page):
    # GIVEN a report whose result was published 31 days ago (the province allows 30)
    report = new_report(api, "Ổ gà cũ")
    publish(api, local_stack, report["id"])
    published = datetime.now(UTC) - timedelta(days=31)
    local_stack.table("pakn-kontum-reports").update_item(
        Key={"id": report["id"]},
        UpdateExpression="SET published_at = :p",
        ExpressionAttributeValues={":p": published.strftime("%Y-%m-%dT%H:%M:%SZ")},
    )
    until = shown(owner_view(api, report["id"])["reopen_until"])

    # WHEN the citizen opens it
    open_my_report(page, local_stack, report)

    # THEN it can still be rated, but the page says the time to reopen has ended
    expect(page.get_by_test_id("rating-form")).to_be_visible()
    expect(page.get_by_test_id("reopen-closed")).to_have_text(
        f"Đã hết hạn yêu cầu xử lý lại (hạn cuối {until}). "
        "Nếu vấn đề vẫn còn, hãy gửi một phản ánh mới."
    )
    expect(page.get_by_test_id("reopen-form")).to_have_count(0)
    # ... as the API does
    refused = api.call(
        "POST",
        f"/v1/reports/{report['id']}/rating",
        CITIZEN,
        {"reopen": True, "reason": "Vẫn còn ổ gà."},
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "reopen_window_passed"


def test_a_merged_report_links_to_the_earlier_one(local_stack, api, page):
    # GIVEN two reports of the citizen; reception merges the later into the earlier
    earlier = new_report(api, "Ổ gà báo trước")
    later = new_report(api, "Ổ gà báo lại")
    task = api.wait_task(RECEPTION, later["id"])
    api.decide(RECEPTION, task, "merge", into_code=earlier["code"])
    local_stack.wait_until(
        lambda: owner_view(api, later["id"])["status"] == "merged", timeout=10
    )

    # WHEN the citizen opens the later report
    open_my_report(page, local_stack, later)

    # THEN a notice links to the earlier report, which opens
    expect(page.get_by_test_id("merged-notice")).to_be_visible()
    link = page.get_by_test_id("merged-link")
    expect(link).to_have_text(earlier["code"])
    link.click()
    expect(page.get_by_test_id("detail-code")).to_have_text(earlier["code"])
    expect(page.get_by_test_id("merged-notice")).to_have_count(0)
