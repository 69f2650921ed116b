"""An agency leader edits the workflow in the staff panel, in a real browser.

Runs against the session's local stack (tests/e2e/conftest.py) with the browser and
page fixtures of test_browser.py. The agency's workflow is put back as it was at the
end, so the other end-to-end tests still meet the default one.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e import test_browser as _browser

# The browser, page, error watch and API client of test_browser.py: pytest finds
# fixtures by their names in the module.
browser = _browser.browser
browser_errors = _browser.browser_errors
page = _browser.page
api = _browser.api
sign_in = _browser.sign_in

AGENCY = "so-xay-dung"
PATH = f"/v1/agencies/{AGENCY}/workflow"
LEADER = "lanhdao.sxd"


def _step_editor(page, name):
    return page.locator(f'[data-testid="wf-edit-step"][data-step="{name}"]')


def _decision_row(step, decision):
    return step.locator(f'[data-testid="wf-edit-decision"][data-decision="{decision}"]')


def test_leader_adds_a_review_step_and_restores_the_old_version(
    local_stack, api, page, browser_errors
):
    before = api.call("GET", PATH, LEADER).json()
    first = before["version"]
    officer = before["officers"][0]
    try:
        # GIVEN the leader signed in to the staff panel, opening the workflow page
        page.goto(f"{local_stack.site}/staff/")
        sign_in(page, LEADER)
        page.get_by_test_id("nav-workflow").click()

        # THEN the agency's workflow is drawn as its three steps, in order
        expect(page.get_by_test_id("wf-heading")).to_have_text(
            "Quy trình xử lý — Sở Xây dựng"
        )
        expect(page.get_by_test_id("wf-version")).to_have_text(f"Phiên bản {first}")
        cards = page.get_by_test_id("wf-step")
        expect(cards).to_have_count(3)
        expect(cards.get_by_test_id("wf-step-label")).to_have_text(
            ["Phân công cán bộ xử lý", "Xử lý phản ánh", "Phê duyệt kết quả"]
        )
        expect(page.get_by_test_id("wf-arrow")).to_have_count(2)
        process_card = page.locator('[data-testid="wf-step"][data-step="process"]')
        expect(
            process_card.locator('[data-decision="resolve"]').get_by_test_id(
                "wf-step-target"
            )
        ).to_have_text("Phê duyệt kết quả")

        # WHEN a review step by a named officer is added between process and approve
        page.get_by_test_id("wf-new-step-id").fill("review")
        page.get_by_test_id("wf-new-step-label").fill("Chuyên viên thẩm định")
        page.get_by_test_id("wf-add-step").click()
        review = _step_editor(page, "review")
        expect(review).to_be_visible()
        review.get_by_test_id("wf-edit-label-en").fill("Officer review")
        review.get_by_test_id("wf-edit-who").select_option(f"user:{officer['sub']}")
        review.get_by_test_id("wf-edit-decision-add").click()
        review.get_by_test_id("wf-edit-decision-name").last.select_option("approve")
        review.get_by_test_id("wf-edit-target").last.select_option("approve")
        review.get_by_test_id("wf-edit-decision-add").click()
        review.get_by_test_id("wf-edit-decision-name").last.select_option("return")
        review.get_by_test_id("wf-edit-target").last.select_option("process")
        _decision_row(_step_editor(page, "process"), "resolve").get_by_test_id(
            "wf-edit-target"
        ).select_option("review")

        # ... with a deadline of 0 days first
        review.get_by_test_id("wf-edit-deadline").fill("0")
        browser_errors.allow_failed_load(PATH, 422)
        page.get_by_test_id("wf-save").click()

        # THEN the API's message shows and the review step is highlighted
        expect(page.get_by_test_id("error")).to_contain_text(
            "Quy trình chưa hợp lệ: bước review: thời hạn phải từ 1 đến 365"
        )
        expect(review.get_by_test_id("wf-step-error")).to_have_text(
            "bước review: thời hạn phải từ 1 đến 365 ngày làm việc."
        )
        expect(review).to_have_class("wf-edit wf-invalid")
        expect(page.get_by_test_id("wf-version")).to_have_text(f"Phiên bản {first}")

        # WHEN the deadline is fixed and the workflow saved
        review.get_by_test_id("wf-edit-deadline").fill("3")
        page.get_by_test_id("wf-note").fill("Thêm bước thẩm định")
        page.get_by_test_id("wf-save").click()

        # THEN a new version is in use, drawn with the review step after processing
        second = first + 1
        expect(page.get_by_test_id("notice")).to_have_text(
            f"Đã lưu quy trình, phiên bản {second}."
        )
        expect(page.get_by_test_id("error")).to_be_hidden()
        expect(page.get_by_test_id("wf-version")).to_have_text(f"Phiên bản {second}")
        expect(cards.get_by_test_id("wf-step-label")).to_have_text(
            [
                "Phân công cán bộ xử lý",
                "Xử lý phản ánh",
                "Chuyên viên thẩm định",
                "Phê duyệt kết quả",
            ]
        )
        review_card = page.locator('[data-testid="wf-step"][data-step="review"]')
        expect(review_card.get_by_test_id("wf-step-actor")).to_have_text(
            f"Người xử lý: Chuyên viên — {officer['name']}"
        )
        expect(review_card.get_by_test_id("wf-step-deadline")).to_have_text(
            "Thời hạn: 3 ngày làm việc"
        )
        current_row = page.locator(
            f'[data-testid="wf-version-row"][data-version="{second}"]'
        )
        expect(current_row.get_by_test_id("wf-version-current")).to_be_visible()
        saved = api.call("GET", PATH, LEADER).json()
        assert saved["version"] == second
        assert saved["spec"]["steps"]["review"] == {
            "label": "Chuyên viên thẩm định",
            "label_en": "Officer review",
            "actor": {"group": "officer", "user": officer["sub"]},
            "deadline_days": 3,
            "decisions": {"approve": "approve", "return": "process"},
        }
        assert saved["note"] == "Thêm bước thẩm định"
        page.screenshot(path="/tmp/pakn-workflow-editor.png", full_page=True)

        # WHEN the page is switched to English
        page.get_by_test_id("lang-en").click()

        # THEN the drawing follows
        expect(page.get_by_test_id("wf-heading")).to_have_text(
            "Workflow — Department of Construction"
        )
        expect(review_card.get_by_test_id("wf-step-label")).to_have_text(
            "Officer review"
        )
        expect(review_card.get_by_test_id("wf-step-deadline")).to_have_text(
            "Deadline: 3 working days"
        )

        # WHEN the first version is restored
        page.locator(
            f'[data-testid="wf-version-row"][data-version="{first}"]'
        ).get_by_test_id("wf-restore").click()

        # THEN a third version carries the first one's steps
        expect(page.get_by_test_id("notice")).to_have_text(
            f"Version {first} restored as version {second + 1}."
        )
        expect(cards).to_have_count(3)
        restored = api.call("GET", PATH, LEADER).json()
        assert restored["version"] == second + 1
        assert restored["spec"]["steps"] == before["spec"]["steps"]
        page.get_by_test_id("lang-vi").click()
    finally:
        now = api.call("GET", PATH, LEADER).json()
        if now["spec"]["steps"] != before["spec"]["steps"]:
            api.call("POST", f"{PATH}/versions/{first}/restore", LEADER)
