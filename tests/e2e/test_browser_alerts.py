"""Emergency alerts in a real browser, against the local stack.

The citizen pages poll the active alerts every 30 seconds; Playwright's clock moves
the page's timers forward so no test waits that long. The stack is shared, so each
test sends alerts with its own titles, looks only for those and cancels them.
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from playwright.sync_api import Page, expect

from infra.demo_data import ApiClient
from tests.e2e.test_browser import browser, browser_errors, page, sign_in  # noqa: F401

ISSUER = "canhbao"
POLL_MS = 31_000


@pytest.fixture
def api(local_stack) -> ApiClient:
    return ApiClient(local_stack.api)


@pytest.fixture
def sent_alerts(api):
    """Ids of the alerts a test sent; those still in force are cancelled after it."""
    ids: list[str] = []
    yield ids
    for alert_id in ids:
        api.call("POST", f"/v1/alerts/{alert_id}/cancel", ISSUER)


def send_alert(api: ApiClient, **fields) -> dict:
    body = {
        "severity": "severe",
        "areas": ["x-sa-thay"],
        "expires_at": (datetime.now(UTC) + timedelta(hours=2)).isoformat(),
        **fields,
    }
    answer = api.call("POST", "/v1/alerts", ISSUER, body)
    assert answer.status_code == 202, answer.text
    return answer.json()


def banner_item(tab: Page, title: str):
    return tab.get_by_test_id("alert-item").filter(has_text=title)


def test_banner_shows_a_new_alert_without_a_reload_and_drops_it_when_cancelled(
    local_stack,
    api,
    sent_alerts,
    page,  # noqa: F811
):
    tag = uuid.uuid4().hex[:8]
    title = f"Lũ quét tại xã Sa Thầy {tag}"
    title_en = f"Flash flood in Sa Thay commune {tag}"

    # GIVEN a citizen page open, with the page's timers under the test's control
    page.clock.install()
    page.goto(f"{local_stack.site}/news.html")
    expect(page.get_by_test_id("news-list")).to_be_visible()
    expect(banner_item(page, tag)).to_have_count(0)

    # WHEN an alert is sent to one commune and the page's next check comes round
    alert = send_alert(
        api,
        title=title,
        body="Người dân tránh xa suối Đăk Sia, di chuyển lên vùng cao.",
        title_en=title_en,
        body_en="Keep away from the Dak Sia stream and move to higher ground.",
    )
    sent_alerts.append(alert["id"])
    page.clock.fast_forward(POLL_MS)

    # THEN the banner shows it, in Vietnamese, without a reload
    item = banner_item(page, tag)
    expect(item).to_be_visible()
    expect(item).to_have_attribute("role", "alert")
    expect(item).to_have_attribute("data-severity", "severe")
    expect(item.get_by_test_id("alert-severity")).to_have_text("Nguy hiểm")
    expect(item.get_by_test_id("alert-title")).to_have_text(title)
    expect(item.get_by_test_id("alert-body")).to_contain_text("suối Đăk Sia")
    expect(item.get_by_test_id("alert-areas")).to_have_text("Xã Sa Thầy")
    expires = datetime.fromisoformat(alert["expires_at"]).astimezone(
        timezone(timedelta(hours=7))
    )
    expect(item.get_by_test_id("alert-expires")).to_have_text(
        expires.strftime("%d/%m/%Y %H:%M")
    )

    # WHEN the reader switches to English, THEN the English text is shown
    page.get_by_test_id("lang-en").click()
    expect(item.get_by_test_id("alert-title")).to_have_text(title_en)
    expect(item.get_by_test_id("alert-severity")).to_have_text("Severe")
    expect(item.get_by_test_id("alert-areas")).to_have_text("Sa Thay commune")

    # WHEN the alert is cancelled and the next check comes round, THEN it is gone
    answer = api.call("POST", f"/v1/alerts/{alert['id']}/cancel", ISSUER)
    assert answer.status_code == 200, answer.text
    sent_alerts.remove(alert["id"])
    page.clock.fast_forward(POLL_MS)
    expect(banner_item(page, tag)).to_have_count(0)


def wait_for_status(row, status: str, timeout: float = 20.0) -> None:
    """The page refreshes the history by itself while an alert is sending."""
    deadline = time.monotonic() + timeout
    while row.get_attribute("data-status") != status:
        assert time.monotonic() < deadline, f"the alert did not reach {status}"
        time.sleep(0.2)


def test_issuer_sends_an_alert_to_one_commune_and_follows_it(
    local_stack,
    api,
    sent_alerts,
    page,  # noqa: F811
    browser_errors,  # noqa: F811
):
    tag = uuid.uuid4().hex[:8]
    title = f"Sạt lở đất tại xã Đăk Tô {tag}"

    # GIVEN the alert issuer signed in on the alerts page
    page.goto(f"{local_stack.site}/staff/alerts.html")
    sign_in(page, ISSUER)
    expect(page.get_by_test_id("view-alerts")).to_be_visible()
    form = page.get_by_test_id("alert-form")

    # WHEN the form is sent without a title, THEN the API's field error shows
    browser_errors.allow_failed_load("/v1/alerts", 422)
    form.get_by_test_id("alert-form-body").fill("Nội dung thử.")
    form.get_by_test_id("alert-form-submit").click()
    expect(form.get_by_test_id("field-error-title")).to_have_text(
        "Bắt buộc, tối đa 120 ký tự."
    )
    expect(form.get_by_test_id("alert-form-title")).to_have_attribute(
        "aria-invalid", "true"
    )

    # WHEN an alert for one commune is sent through the form
    form.get_by_test_id("alert-form-title").fill(title)
    form.get_by_test_id("alert-form-body").fill(
        "Đất đá sạt xuống quốc lộ 40B; người dân không đi qua đoạn đèo."
    )
    form.get_by_test_id("alert-form-title-en").fill(f"Landslide in Dak To {tag}")
    form.get_by_test_id("alert-form-severity").select_option("extreme")
    form.get_by_test_id("alert-form-scope-some").check()
    form.get_by_test_id("alert-form-areas").select_option("x-dak-to")
    form.get_by_test_id("alert-form-hours").fill("3")
    form.get_by_test_id("alert-form-submit").click()

    # THEN it is accepted and shown, then listed in the history
    created = page.get_by_test_id("alert-created")
    expect(created).to_be_visible()
    expect(created.get_by_test_id("alert-row-title")).to_have_text(title)
    expect(created.get_by_test_id("alert-row-severity")).to_have_text(
        "Đặc biệt nguy hiểm"
    )
    expect(created.get_by_test_id("alert-row-areas")).to_have_text("Xã Đăk Tô")
    expect(form.get_by_test_id("field-error-title")).to_be_hidden()
    row = page.get_by_test_id("alert-row").filter(has_text=tag)
    expect(row).to_have_count(1)
    sent_alerts.append(row.get_attribute("data-alert-id"))

    # AND its sending finishes with its counts shown, without a reload
    wait_for_status(row, "sent")
    expect(row.get_by_test_id("alert-row-status")).to_have_text("Đã gửi xong")
    pair = re.compile(r"^\d+ / \d+$")
    expect(row.get_by_test_id("alert-row-devices")).to_have_text(pair)
    expect(row.get_by_test_id("alert-row-phones")).to_have_text(pair)
    done, total = row.get_by_test_id("alert-row-batches").inner_text().split(" / ")
    assert done == total != "0"
    answer = api.call("GET", f"/v1/alerts/{sent_alerts[0]}", ISSUER)
    counts = answer.json()["sent"]
    expect(row.get_by_test_id("alert-row-devices")).to_have_text(
        f"{counts['devices']} / {counts['devices_failed']}"
    )
    expect(row.get_by_test_id("alert-row-phones")).to_have_text(
        f"{counts['phones']} / {counts['phones_failed']}"
    )

    # WHEN it is cancelled from its row, THEN it says so and offers no more cancel
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_test_id("alert-row-cancel").click()
    expect(row).to_have_attribute("data-status", "cancelled")
    expect(row.get_by_test_id("alert-row-status")).to_have_text("Đã hủy")
    expect(row.get_by_test_id("alert-row-cancel")).to_have_count(0)
    sent_alerts.clear()
