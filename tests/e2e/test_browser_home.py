"""The home page in a real browser: the public feed filtered by area, category and
period (kept in the URL), the feed on a map whose popups open the reports, the
latest news, on a desktop and on a phone-sized screen.

Two reports are filed and published through their agency's workflow over HTTP
(``ApiClient``); the browser fixtures are those of ``test_browser``.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from infra.demo_data import CITIZEN, ApiClient
from tests.e2e import test_browser
from tests.e2e.test_browser import yesterday_at
from tests.e2e.test_citizen_followup import publish

browser = test_browser.browser
browser_errors = test_browser.browser_errors
page = test_browser.page
api = test_browser.api

SHORT_MS = 5_000


def file_report(api: ApiClient, title: str, category: str, area: str, lat, lon):
    answer = api.call(
        "POST",
        "/v1/reports",
        CITIZEN,
        {
            "title": title,
            "content": "Sự việc kéo dài nhiều ngày, ảnh hưởng tới người qua lại.",
            "category_id": category,
            "location": {
                "lat": lat,
                "lon": lon,
                "address": "Gần chợ",
                "area_id": area,
            },
            "occurred_at": yesterday_at(7, 30).isoformat(),
        },
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert answer.status_code == 201, answer.text
    return {**answer.json(), "title": title}


@pytest.fixture(scope="module")
def published(local_stack):
    """A traffic report in Kon Tum ward and an environment one in Đăk Bla ward,
    both published (the result of their agency, approved)."""
    client = ApiClient(local_stack.api)
    tag = uuid.uuid4().hex[:6]
    road = file_report(
        client, f"Cầu tạm xuống cấp {tag}", "giao-thong", "p-kon-tum", 14.356, 108.001
    )
    smoke = file_report(
        client, f"Đốt rác gây khói {tag}", "moi-truong", "p-dak-bla", 14.338, 108.02
    )
    for report in (road, smoke):
        publish(client, local_stack, report["id"])
    return {"road": road, "smoke": smoke}


def items(page: Page):
    return page.get_by_test_id("public-item")


def item_of(page: Page, report: dict):
    return page.locator(f'[data-testid="public-item"][data-report-id="{report["id"]}"]')


def apply_filters(page: Page, **chosen) -> None:
    form = page.get_by_test_id("feed-filters")
    for name, value in chosen.items():
        form.get_by_test_id(f"feed-{name}").select_option(value)
    page.get_by_test_id("feed-apply").click()


def test_home_filters_the_feed_by_area_category_and_period(
    local_stack, api, page, published
):
    road, smoke = published["road"], published["smoke"]
    news = api.call("GET", "/v1/news?limit=3").json()["items"]

    # GIVEN the home page
    page.goto(f"{local_stack.site}/")
    # THEN the way to send a report stands out, and the latest news titles show
    send = page.get_by_test_id("home-send")
    expect(send).to_have_text("Gửi phản ánh")
    expect(send).to_have_attribute("href", "#/send")
    expect(page.get_by_test_id("home-news-link")).to_have_text(
        [n["title"] for n in news]
    )
    for box in ("home-dossiers", "home-services", "home-transparency"):
        expect(page.get_by_test_id(box)).to_be_visible()
    expect(item_of(page, road)).to_be_visible()
    expect(item_of(page, smoke)).to_be_visible()

    # WHEN an area is chosen, THEN only that ward's reports remain, and the URL says so
    apply_filters(page, area="p-dak-bla")
    expect(page).to_have_url(f"{local_stack.site}/#/?area=p-dak-bla")
    expect(item_of(page, road)).to_have_count(0)
    expect(item_of(page, smoke)).to_be_visible()
    expect(items(page).get_by_test_id("public-area")).to_have_text(
        ["Phường Đăk Bla"] * items(page).count()
    )
    expect(page.get_by_test_id("feed-count")).to_contain_text("Đang hiển thị")

    # WHEN a category is chosen for the whole province
    apply_filters(page, area="", category="giao-thong")
    expect(item_of(page, smoke)).to_have_count(0)
    expect(item_of(page, road)).to_be_visible()
    categories = items(page).get_by_test_id("public-category")
    expect(categories).to_have_text(["Giao thông"] * categories.count())

    # WHEN both are chosen and nothing matches, THEN the page says so
    apply_filters(page, area="p-dak-bla", category="giao-thong")
    expect(items(page)).to_have_count(0)
    expect(page.get_by_test_id("public-empty")).to_have_text(
        "Không có phản ánh nào khớp bộ lọc."
    )

    # WHEN only resolved results are asked for, THEN both show, and the URL says so
    apply_filters(page, area="", category="", status="resolved")
    expect(page).to_have_url(f"{local_stack.site}/#/?status=resolved")
    expect(item_of(page, road)).to_be_visible()
    expect(item_of(page, smoke)).to_be_visible()
    statuses = items(page).get_by_test_id("public-status")
    expect(statuses).to_have_text(["Đã giải quyết"] * statuses.count())

    # WHEN only reopened ones are asked for, THEN neither of the two shows
    apply_filters(page, status="reopened")
    expect(item_of(page, road)).to_have_count(0)
    expect(item_of(page, smoke)).to_have_count(0)
    apply_filters(page, status="")

    # WHEN the page is opened again from its URL, THEN the filters are back
    page.goto(f"{local_stack.site}/#/?category=moi-truong&period=month")
    page.reload()
    expect(page.get_by_test_id("feed-category")).to_have_value("moi-truong")
    expect(page.get_by_test_id("feed-period")).to_have_value("month")
    expect(item_of(page, smoke)).to_be_visible()
    expect(item_of(page, road)).to_have_count(0)

    # WHEN a period long past is chosen, THEN nothing published then shows
    page.get_by_test_id("feed-period").select_option("custom")
    page.get_by_test_id("feed-from").fill("2020-01-01")
    page.get_by_test_id("feed-to").fill("2020-12-31")
    page.get_by_test_id("feed-apply").click()
    expect(page).to_have_url(
        f"{local_stack.site}/#/?category=moi-truong&period=custom"
        "&from=2020-01-01&to=2020-12-31"
    )
    expect(items(page)).to_have_count(0)

    # AND in English the filters read in English
    page.get_by_test_id("feed-reset").click()
    expect(item_of(page, road)).to_be_visible()
    page.get_by_test_id("lang-en").click()
    expect(page.locator('label[for="feed-area"]')).to_have_text("Commune or ward")
    expect(page.get_by_test_id("home-send")).to_have_text("Send a report")
    expect(item_of(page, road).get_by_test_id("public-category")).to_have_text(
        "Traffic"
    )


def test_the_feed_on_a_map_opens_a_report_from_its_popup(local_stack, page, published):
    smoke = published["smoke"]
    page.goto(f"{local_stack.site}/#/?area=p-dak-bla")
    expect(item_of(page, smoke)).to_be_visible()
    listed = items(page).count()

    # WHEN the map is shown, THEN each listed report has its marker
    toggle = page.get_by_test_id("feed-map-toggle")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_url(f"{local_stack.site}/#/?area=p-dak-bla&map=1")
    expect(page.get_by_test_id("feed-map")).to_be_visible()
    markers = page.get_by_test_id("feed-marker")
    expect(markers).to_have_count(listed)
    # the list stays, the accessible way to the same reports
    expect(item_of(page, smoke)).to_be_visible()

    # WHEN the report's marker is chosen with the keyboard, THEN its popup opens
    marker = page.locator(
        f'[data-testid="feed-marker"][data-report-id="{smoke["id"]}"]'
    )
    marker.focus()
    page.keyboard.press("Enter")
    link = page.get_by_test_id("feed-popup-link")
    expect(link).to_have_text(smoke["title"], timeout=SHORT_MS)
    expect(link).to_be_focused()

    # AND its link opens the published report
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("detail-title")).to_have_text(smoke["title"])
    expect(page.get_by_test_id("detail-code")).to_have_text(smoke["code"])

    # AND going back leads to the feed as it was filtered, map and all
    page.get_by_test_id("detail-back").click()
    expect(page).to_have_url(f"{local_stack.site}/#/?area=p-dak-bla&map=1")
    expect(page.get_by_test_id("feed-area")).to_have_value("p-dak-bla")
    expect(page.get_by_test_id("feed-marker")).to_have_count(listed)


def test_the_home_page_fits_a_phone_screen(local_stack, page, published):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{local_stack.site}/#/?map=1")
    expect(item_of(page, published["road"])).to_be_visible()
    expect(page.get_by_test_id("feed-marker").first).to_be_visible()
    for testid in ("home-send", "feed-area", "feed-category", "feed-apply"):
        box = page.get_by_test_id(testid).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, testid
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
