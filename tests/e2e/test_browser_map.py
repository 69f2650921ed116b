"""The map on the send-report form, in a real browser against the local stack.

The local stack's config.json sets no tile server (map_tiles is empty), so the map
is a blank background with the pin; the page must still raise no console error.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect

from infra.demo_data import CITIZEN
from tests.e2e import test_browser
from tests.e2e.test_browser import (  # noqa: F401
    CODE,
    api,
    browser,
    browser_errors,
    fill_report_form,
    page,
    sign_in,
    yesterday_at,
)

PROVINCE = Path(__file__).parents[2] / "chalicelib" / "provinces" / "kontum.json"
SIX_DECIMALS = re.compile(r"^-?\d+\.\d{6}$")


def inside_kon_tum(lat: float, lon: float) -> bool:
    """Ray casting over the province's boundary ([lat, lon] corners)."""
    corners = json.loads(PROVINCE.read_text(encoding="utf-8"))["boundary"]
    inside = False
    for (lat1, lon1), (lat2, lon2) in zip(
        corners, corners[1:] + corners[:1], strict=True
    ):
        if (lon1 > lon) != (lon2 > lon):
            crossing = lat1 + (lon - lon1) * (lat2 - lat1) / (lon2 - lon1)
            if lat < crossing:
                inside = not inside
    return inside


def pin(tab: Page) -> tuple[float, float] | None:
    """The marker's position, through the handle map.js exposes."""
    return tab.evaluate(
        "() => { const m = window.paknMap && window.paknMap.marker();"
        " return m ? [m.getLatLng().lat, m.getLatLng().lng] : null; }"
    )


def typed_position(tab: Page) -> tuple[float, float]:
    lat = tab.get_by_test_id("report-lat").input_value()
    lon = tab.get_by_test_id("report-lon").input_value()
    assert SIX_DECIMALS.match(lat) and SIX_DECIMALS.match(lon), (lat, lon)
    return float(lat), float(lon)


def near(seen, lat: float, lon: float) -> bool:
    return seen is not None and abs(seen[0] - lat) < 1e-6 and abs(seen[1] - lon) < 1e-6


def click_map(tab: Page, dx: int, dy: int) -> None:
    """Click the map dx, dy pixels away from its middle."""
    box = tab.get_by_test_id("report-map").bounding_box()
    assert box is not None
    position = {"x": box["width"] / 2 + dx, "y": box["height"] / 2 + dy}
    tab.get_by_test_id("report-map").click(position=position)


def test_citizen_places_the_pin_on_the_map_and_sends_the_report(
    local_stack,
    api,  # noqa: F811
    page,  # noqa: F811
):
    # GIVEN the citizen signed in on the send form, the position still empty
    title = f"Đèn đường hỏng {uuid.uuid4().hex[:6]}"
    page.goto(f"{local_stack.site}/#/send")
    sign_in(page, CITIZEN)
    fill_report_form(page, title=title, lat="", lon="", when=yesterday_at(20, 0))
    expect(page.get_by_test_id("report-map")).to_be_visible()
    expect(page.get_by_test_id("report-map")).to_have_attribute(
        "aria-label", "Bản đồ chọn vị trí phản ánh"
    )
    assert pin(page) is None

    # WHEN the citizen clicks the map near its middle
    click_map(page, 30, -20)

    # THEN the inputs hold a position inside Kon Tum, with the pin on it
    expect(page.get_by_test_id("report-lat")).not_to_have_value("")
    lat, lon = typed_position(page)
    assert inside_kon_tum(lat, lon), (lat, lon)
    assert near(pin(page), lat, lon)

    # WHEN the citizen types another position
    page.get_by_test_id("report-lat").fill("14.35")
    page.get_by_test_id("report-lon").fill("108.0")

    # THEN the pin follows it
    assert near(pin(page), 14.35, 108.0)

    # WHEN the citizen focuses the map with the keyboard and presses Enter
    page.get_by_test_id("report-map").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("report-lat")).not_to_have_value("14.35")

    # THEN the pin and the inputs move to the map's middle, still in the province
    lat, lon = typed_position(page)
    assert (lat, lon) != (14.35, 108.0)
    assert inside_kon_tum(lat, lon), (lat, lon)
    assert near(pin(page), lat, lon)

    # WHEN the citizen places the pin with one more click, then drags it a little
    click_map(page, -40, 35)
    clicked = typed_position(page)
    marker = page.locator("[data-testid=report-map] .leaflet-marker-icon")
    box = marker.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 25, y + 15, steps=5)
    page.mouse.up()

    # THEN the inputs hold the dragged pin's position, still in the province
    expect(page.get_by_test_id("report-lat")).not_to_have_value(f"{clicked[0]:.6f}")
    lat, lon = typed_position(page)
    assert inside_kon_tum(lat, lon), (lat, lon)
    assert near(pin(page), lat, lon)

    page.get_by_test_id("report-map").screenshot(path="/tmp/pakn-report-map.png")

    # WHEN the citizen sends the report
    page.get_by_test_id("report-submit").click()

    # THEN the report is accepted, at the pin's position
    shown = page.get_by_test_id("report-code")
    expect(shown).to_have_text(CODE)
    code = shown.text_content()
    mine = api.call("GET", "/v1/me/reports?limit=50", CITIZEN)
    assert mine.status_code == 200, mine.text
    report = next((r for r in mine.json()["items"] if r["code"] == code), None)
    assert report is not None, f"{code} is not among the citizen's reports"
    assert report["location"]["lat"] == lat
    assert report["location"]["lon"] == lon

    # WHEN the citizen sends another report
    page.get_by_test_id("send-another").click()

    # THEN the emptied form leaves no pin on the map
    expect(page.get_by_test_id("report-lat")).to_have_value("")
    page.wait_for_function("() => !window.paknMap.marker()")


def test_citizen_sends_a_report_with_only_the_address_and_the_ward(
    local_stack,
    api,  # noqa: F811
    page,  # noqa: F811
):
    # GIVEN the citizen on the send form, told the map is not needed
    title = f"Cống thoát nước tắc {uuid.uuid4().hex[:6]}"
    page.goto(f"{local_stack.site}/#/send")
    sign_in(page, CITIZEN)
    expect(page.get_by_test_id("report-address-hint")).to_contain_text(
        "Ghi rõ địa chỉ và chọn địa bàn là đủ"
    )

    # WHEN the form is sent with an address and a ward, no pin and no position
    fill_report_form(page, title=title, lat="", lon="", when=yesterday_at(6, 45))
    page.get_by_test_id("report-area").select_option("p-dak-cam")
    page.get_by_test_id("report-submit").click()

    # THEN it is filed at the ward's centre, marked approximate, and says so
    expect(page.get_by_test_id("report-code")).to_have_text(CODE)
    code = page.get_by_test_id("report-code").text_content()
    page.get_by_test_id("report-created-link").click()
    expect(page.get_by_test_id("detail-approximate")).to_have_text(
        "(vị trí gần đúng: trung tâm địa bàn)"
    )
    mine = api.call("GET", "/v1/me/reports?limit=50", CITIZEN).json()["items"]
    report = next(r for r in mine if r["code"] == code)
    ward = next(
        a
        for a in api.call("GET", "/v1/areas").json()["items"]
        if a["id"] == "p-dak-cam"
    )
    location = report["location"]
    assert location["approximate"] is True
    assert [location["lat"], location["lon"]] == ward["center"]


def test_citizen_uses_the_current_position_and_sends_the_report(
    local_stack,
    api,  # noqa: F811
    page,  # noqa: F811
):
    # GIVEN a phone whose location service puts it in Kon Tum, the citizen on the form
    here = (14.354321, 108.007654)
    page.context.grant_permissions(["geolocation"], origin=local_stack.site)
    page.context.set_geolocation({"latitude": here[0], "longitude": here[1]})
    title = f"Ổ gà trước cổng trường {uuid.uuid4().hex[:6]}"
    page.goto(f"{local_stack.site}/#/send")
    sign_in(page, CITIZEN)
    fill_report_form(page, title=title, lat="", lon="", when=yesterday_at(9, 15))
    assert pin(page) is None

    # WHEN the citizen asks for the current position
    page.get_by_test_id("report-geolocate").click()

    # THEN the inputs and the pin hold it, and the page says so in Vietnamese
    expect(page.get_by_test_id("geo-status")).to_have_text("Đã điền vị trí hiện tại.")
    assert typed_position(page) == here
    assert near(pin(page), *here)

    # WHEN the report is sent, THEN it is filed at that position
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-code")).to_have_text(CODE)
    code = page.get_by_test_id("report-code").text_content()
    mine = api.call("GET", "/v1/me/reports?limit=50", CITIZEN).json()["items"]
    report = next(r for r in mine if r["code"] == code)
    assert (report["location"]["lat"], report["location"]["lon"]) == here
    assert report["location"].get("approximate") is not True


def test_a_refused_location_is_explained_in_the_pages_language(
    local_stack,
    page,  # noqa: F811
):
    # GIVEN a browser that refuses the site its location (no permission granted)
    page.goto(f"{local_stack.site}/#/send")
    sign_in(page, CITIZEN)

    # WHEN the citizen asks for the current position
    page.get_by_test_id("report-geolocate").click()

    # THEN the page says why in Vietnamese, and how to go on without it
    status = page.get_by_test_id("geo-status")
    expect(status).to_contain_text("không cho phép lấy vị trí")
    expect(status).to_contain_text("chọn vị trí trên bản đồ hay nhập địa chỉ")
    expect(page.get_by_test_id("report-lat")).to_have_value("")
    assert pin(page) is None

    # AND in English, asked again, in English
    page.get_by_test_id("lang-en").click()
    page.get_by_test_id("report-geolocate").click()
    expect(status).to_contain_text("does not allow your location")


def tile_png() -> bytes:
    """One plain 256 x 256 tile."""
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 200)).save(out, format="PNG")
    return out.getvalue()


def test_every_map_draws_the_tiles_and_the_credit_config_json_names(
    local_stack,
    browser,  # noqa: F811
    browser_errors,  # noqa: F811
):
    # GIVEN a province whose config.json names its own tile server and its credit
    # (the requests are answered by the test; no service worker stands in between)
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, service_workers="block"
    )
    context.set_default_timeout(test_browser.TIMEOUT_MS)
    tab = context.new_page()
    browser_errors.watch(tab)
    site = local_stack.site
    asked: list[str] = []
    png = tile_png()

    def config(route):
        body = route.fetch().json()
        body["map_tiles"] = f"{site}/test-tiles/{{z}}/{{x}}/{{y}}.png"
        body["map_attribution"] = "© Sở Tài nguyên và Môi trường"
        route.fulfill(json=body)

    def tile(route):
        asked.append(route.request.url)
        route.fulfill(body=png, content_type="image/png")

    tab.route(f"{site}/config.json*", config)
    tab.route(f"{site}/test-tiles/**", tile)

    def drawn(map_testid: str) -> None:
        box = tab.get_by_test_id(map_testid)
        expect(box.locator("img.leaflet-tile-loaded").first).to_be_visible()
        expect(box.locator(".leaflet-control-attribution")).to_contain_text(
            "© Sở Tài nguyên và Môi trường"
        )
        expect(box.locator(".leaflet-control-attribution")).not_to_contain_text(
            "OpenStreetMap"
        )

    # WHEN the send form, the home feed's map and a staff member's report are opened
    # THEN each map draws the province's tiles with its credit
    tab.goto(f"{site}/#/send")
    sign_in(tab, CITIZEN)
    drawn("report-map")
    tab.goto(f"{site}/#/?map=1")
    drawn("feed-map")
    tab.goto(f"{site}/staff/")
    sign_in(tab, "tiepnhan")
    tab.get_by_test_id("task-open").first.click()
    drawn("detail-map")
    assert all("/test-tiles/" in url for url in asked) and len(asked) >= 3
    context.close()
    assert not browser_errors.seen, "\n".join(browser_errors.seen)
