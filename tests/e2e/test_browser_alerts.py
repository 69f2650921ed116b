"""Emergency alerts in a real browser, against the local stack.

The citizen pages poll the active alerts every 30 seconds; Playwright's clock moves
the page's timers forward so no test waits that long. The stack is shared, so each
test sends alerts with its own titles, looks only for those and cancels them.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta, timezone

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
        "expires_at": (datetime.now(timezone.utc) + timedelta(hours=2)).isoformat(),
        **fields,
    }
    answer = api.call("POST", "/v1/alerts", ISSUER, body)
    assert answer.status_code == 202, answer.text
    return answer.json()


def banner_item(page: Page, title: str):
    return page.get_by_test_id("alert-item").filter(has_text=title)


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
