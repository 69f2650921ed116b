"""The send form's drafts, its outbox and the offline shell, in a real browser.

A draft lives in IndexedDB: it survives a reload and a closed tab; a report sent
while the API cannot be reached waits there and goes out, once, when it answers
again. The service worker keeps the citizen pages usable offline.

The fixtures are those of ``test_browser`` (Debian's Chromium, no page or console
error allowed), except that the failed loads a test provokes on purpose (the API
blocked, the browser offline) are not errors.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from pathlib import Path

import pytest
import requests
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from infra.demo_data import CITIZEN, photo
from tests.e2e import test_browser
from tests.e2e.test_browser import (
    CODE,
    PHOTO_WIDTH,
    TIMEOUT_MS,
    BrowserErrors,
    fill_report_form,
    sign_in,
    yesterday_at,
)
from tests.e2e.test_browser_map import click_map, near, pin, typed_position

browser = test_browser.browser
api = test_browser.api

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "static-site"
QUEUED = (
    "Chưa kết nối được máy chủ. Phản ánh đã được lưu và sẽ tự động gửi khi có"
    " kết nối trở lại."
)
# The outbox retries every 10 s; give it two tries once the API answers again.
RETRY_WAIT_MS = 25_000
NETWORK_FAILURE = re.compile(
    r"Failed to load resource: net::ERR_(FAILED|INTERNET_DISCONNECTED)"
)


class NetworkTolerantErrors(BrowserErrors):
    """BrowserErrors that let through the network failures a test provokes."""

    def __init__(self):
        super().__init__()
        self.cut_off: list[str] = []  # URL prefixes the test makes unreachable

    def allow_unreachable(self, prefix: str) -> None:
        self.cut_off.append(prefix)

    def _on_console(self, message) -> None:
        url = message.location.get("url", "")
        if (
            message.type == "error"
            and NETWORK_FAILURE.search(message.text)
            and any(url.startswith(p) for p in self.cut_off)
        ):
            return
        super()._on_console(message)


@pytest.fixture
def browser_errors() -> NetworkTolerantErrors:
    return NetworkTolerantErrors()


def new_context(browser: Browser, service_workers: str):
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Europe/Berlin",
        viewport={"width": 375, "height": 800},  # a phone
        service_workers=service_workers,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def page(browser: Browser, browser_errors: NetworkTolerantErrors):
    # Playwright's routing does not see what a service worker fetches: the draft
    # tests run without one (the offline-shell test has its own page).
    context = new_context(browser, "block")
    tab = context.new_page()
    browser_errors.watch(tab)
    yield tab
    context.close()
    assert not browser_errors.seen, "\n".join(browser_errors.seen)


@pytest.fixture
def pwa_page(browser: Browser, browser_errors: NetworkTolerantErrors):
    context = new_context(browser, "allow")
    tab = context.new_page()
    browser_errors.watch(tab)
    yield tab
    context.close()
    assert not browser_errors.seen, "\n".join(browser_errors.seen)


# ---------------------------------------------------------------- helpers


def photos_on_disk(tmp_path: Path, *names: str) -> list[Path]:
    paths = []
    for i, name in enumerate(names):
        path = tmp_path / f"{name}.jpg"
        path.write_bytes(photo(name, color=(60 + 40 * i, 120, 180)))
        paths.append(path)
    return paths


def my_reports_titled(api, title: str) -> list[dict]:
    answer = api.call("GET", "/v1/me/reports?limit=100", CITIZEN)
    assert answer.status_code == 200, answer.text
    return [r for r in answer.json()["items"] if r["title"] == title]


def open_send_form(tab: Page, site: str) -> None:
    tab.goto(f"{site}/#/send")
    sign_in(tab, CITIZEN)
    expect(tab.get_by_test_id("report-form")).to_be_visible()
    # The lookups are loaded (and kept for offline use) once the selects fill.
    expect(tab.get_by_test_id("report-category").locator("option")).not_to_have_count(1)


# ---------------------------------------------------------------- tests


def test_a_report_sent_while_the_api_is_unreachable_waits_and_goes_out_once(
    local_stack, api, page, browser_errors, tmp_path
):
    # GIVEN the citizen on the send form, with two photos on disk
    pictures = photos_on_disk(tmp_path, "cong-vo", "nap-cong")
    title = f"Nắp cống vỡ {uuid.uuid4().hex[:6]}"
    open_send_form(page, local_stack.site)

    # AND the API no longer reachable
    browser_errors.allow_unreachable(local_stack.api)
    page.route(f"{local_stack.api}/**", lambda route: route.abort())

    # WHEN the form is filled, with a pin on the map and two photos, and sent
    fill_report_form(page, title=title, lat="", lon="", when=yesterday_at(6, 45))
    click_map(page, 25, -15)
    expect(page.get_by_test_id("report-lat")).not_to_have_value("")
    lat, lon = typed_position(page)
    page.get_by_test_id("report-photos").set_input_files(pictures)
    expect(page.get_by_test_id("photo-item")).to_have_count(2)
    page.get_by_test_id("report-submit").click()

    # THEN the page says the report waits and will be sent
    expect(page.get_by_test_id("notice")).to_have_text(QUEUED)
    expect(page.get_by_test_id("queue-box")).to_be_visible()
    expect(page.get_by_test_id("queue-text")).to_contain_text(title)
    expect(page.locator("#queue-h")).to_be_focused()
    expect(page.get_by_test_id("report-success")).to_be_hidden()

    # WHEN the page is reloaded, the API still unreachable
    page.reload()

    # THEN the waiting report is still there: text, pin and both thumbnails
    expect(page.get_by_test_id("queue-box")).to_be_visible()
    expect(page.get_by_test_id("report-title")).to_have_value(title)
    expect(page.get_by_test_id("report-category")).to_have_value("moi-truong")
    expect(page.get_by_test_id("photo-item")).to_have_count(2)
    expect(page.get_by_test_id("photo-thumb").first).to_have_js_property(
        "naturalWidth", PHOTO_WIDTH
    )
    assert typed_position(page) == (lat, lon)
    assert near(pin(page), lat, lon)
    assert my_reports_titled(api, title) == []

    # WHEN the API answers again
    page.unroute(f"{local_stack.api}/**")

    # THEN the report goes out by itself, and the page shows its code
    shown = page.get_by_test_id("report-code")
    expect(shown).to_have_text(CODE, timeout=RETRY_WAIT_MS)
    code = shown.text_content()

    # AND the API holds exactly one such report, with both photos and the pin
    sent = my_reports_titled(api, title)
    assert [r["code"] for r in sent] == [code]
    assert len(sent[0]["attachments"]) == 2
    assert sent[0]["location"]["lat"] == lat
    assert sent[0]["location"]["lon"] == lon

    # AND nothing waits any more: a reload shows an empty form
    page.reload()
    expect(page.get_by_test_id("report-form")).to_be_visible()
    expect(page.get_by_test_id("queue-box")).to_be_hidden()
    expect(page.get_by_test_id("report-title")).to_have_value("")
    assert len(my_reports_titled(api, title)) == 1


def press_try_now_unless_sent(tab: Page) -> None:
    """Press "try now" unless the outbox's own timer (every 10 s) got there first:
    checked and clicked in one step of the page, so the two cannot cross."""
    tab.evaluate(
        """() => {
          const b = document.querySelector('[data-testid="queue-retry"]');
          if (b && !b.disabled && b.offsetParent !== null) b.click();
        }"""
    )


def test_photos_uploaded_before_the_connection_dropped_are_not_uploaded_again(
    local_stack, api, page, browser_errors, tmp_path
):
    # GIVEN the citizen on the send form, and every upload request counted
    pictures = photos_on_disk(tmp_path, "den-hong", "cot-den")
    title = f"Đèn tín hiệu hỏng {uuid.uuid4().hex[:6]}"
    open_send_form(page, local_stack.site)
    uploads: list[str] = []
    page.on(
        "request",
        lambda r: uploads.append(r.url)
        if r.method == "POST" and r.url == f"{local_stack.api}/v1/uploads"
        else None,
    )

    # AND the connection lost just before the report itself is filed
    reports = f"{local_stack.api}/v1/reports"
    browser_errors.allow_unreachable(reports)
    page.route(reports, lambda route: route.abort())

    # WHEN the form is filled with two photos and sent
    fill_report_form(
        page, title=title, lat="14.36", lon="108.01", when=yesterday_at(18, 0)
    )
    page.get_by_test_id("report-photos").set_input_files(pictures)
    page.get_by_test_id("report-submit").click()

    # THEN the photos are up (their bars full), and the report waits
    expect(page.get_by_test_id("queue-box")).to_be_visible()
    for i in range(2):
        expect(page.get_by_test_id("photo-state").nth(i)).to_have_text("Đã tải lên")
        expect(page.get_by_test_id("photo-progress").nth(i)).to_have_js_property(
            "value", 100
        )
    assert len(uploads) == 2

    # WHEN the page is reloaded, the connection back, and "try now" pressed
    page.reload()
    expect(page.get_by_test_id("photo-state").first).to_have_text("Đã tải lên")
    expect(page.get_by_test_id("queue-retry")).to_be_enabled()  # load's try failed
    page.unroute(reports)
    press_try_now_unless_sent(page)

    # THEN the report is filed with both photos, neither uploaded a second time
    shown = page.get_by_test_id("report-code")
    expect(shown).to_have_text(CODE)
    sent = my_reports_titled(api, title)
    assert [r["code"] for r in sent] == [shown.text_content()]
    assert len(sent[0]["attachments"]) == 2
    assert len(uploads) == 2


def test_a_queued_report_whose_session_ended_is_sent_after_signing_in_again(
    local_stack, api, page, browser_errors
):
    # GIVEN a report queued while the API was unreachable
    title = f"Biển báo bị che {uuid.uuid4().hex[:6]}"
    open_send_form(page, local_stack.site)
    browser_errors.allow_unreachable(local_stack.api)
    page.route(f"{local_stack.api}/**", lambda route: route.abort())
    fill_report_form(
        page, title=title, lat="14.35", lon="108.0", when=yesterday_at(9, 30)
    )
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("queue-box")).to_be_visible()

    # AND meanwhile the session has ended on the server (its token no longer valid)
    page.evaluate(
        "() => { const k = 'pakn.citizen.session';"
        " const s = JSON.parse(sessionStorage.getItem(k));"
        " s.id_token = s.id_token.slice(0, -4) + 'AAAA';"
        " sessionStorage.setItem(k, JSON.stringify(s)); }"
    )
    for path in ("/v1/reports", "/v1/categories", "/v1/areas", "/v1/me"):
        browser_errors.allow_failed_load(path, 401)

    # WHEN the API answers again and the page retries the report
    page.unroute(f"{local_stack.api}/**")
    page.reload()

    # THEN the citizen is asked to sign in, and told a report waits for it
    expect(page.get_by_test_id("signin-form")).to_be_visible()
    expect(page.get_by_test_id("notice")).to_have_text(
        "Có phản ánh đang chờ gửi. Vui lòng đăng nhập để gửi."
    )
    assert my_reports_titled(api, title) == []

    # WHEN they sign in
    sign_in(page, CITIZEN)

    # THEN the report goes out, once
    shown = page.get_by_test_id("report-code")
    expect(shown).to_have_text(CODE)
    sent = my_reports_titled(api, title)
    assert [r["code"] for r in sent] == [shown.text_content()]


def test_a_draft_survives_a_closed_tab_and_can_be_discarded(
    local_stack, page, browser_errors
):
    # GIVEN the citizen half-way through the form
    title = f"Cây đổ chắn đường {uuid.uuid4().hex[:6]}"
    open_send_form(page, local_stack.site)
    page.get_by_test_id("report-title").fill(title)
    page.get_by_test_id("report-content").fill("Cây lớn đổ sau cơn mưa tối qua.")
    page.get_by_test_id("report-category").select_option("moi-truong")
    expect(page.get_by_test_id("draft-status")).to_have_text(
        re.compile(r"^Bản nháp đã được lưu trên máy này lúc ")
    )

    # WHEN the tab is closed and the site opened again in a new one
    context = page.context
    page.close()
    tab = context.new_page()
    browser_errors.watch(tab)
    open_send_form(tab, local_stack.site)

    # THEN the draft is back, and the page says so
    expect(tab.get_by_test_id("draft-restored")).to_be_visible()
    expect(tab.get_by_test_id("draft-restored")).to_contain_text(
        "Đã khôi phục bản nháp chưa gửi của bạn."
    )
    expect(tab.get_by_test_id("report-title")).to_have_value(title)
    expect(tab.get_by_test_id("report-content")).to_have_value(
        "Cây lớn đổ sau cơn mưa tối qua."
    )
    expect(tab.get_by_test_id("report-category")).to_have_value("moi-truong")

    # WHEN the citizen discards it
    tab.get_by_test_id("draft-discard").click()

    # THEN the form is empty, and stays empty after a reload
    expect(tab.get_by_test_id("notice")).to_have_text("Đã xóa bản nháp.")
    expect(tab.get_by_test_id("draft-restored")).to_be_hidden()
    expect(tab.get_by_test_id("report-title")).to_have_value("")
    expect(tab.get_by_test_id("report-title")).to_be_focused()
    tab.reload()
    expect(tab.get_by_test_id("report-form")).to_be_visible()
    expect(tab.get_by_test_id("report-category").locator("option")).not_to_have_count(1)
    expect(tab.get_by_test_id("report-title")).to_have_value("")
    expect(tab.get_by_test_id("draft-restored")).to_be_hidden()


def stored_drafts(tab: Page) -> int:
    """How many send-form records the site's IndexedDB holds."""
    return tab.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open("pakn");
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const db = open.result;
                const range = IDBKeyRange.bound("send:", "send:\uffff");
                const keys = db.transaction("drafts").objectStore("drafts").getAllKeys(range);
                keys.onsuccess = () => { db.close(); resolve(keys.result.length); };
                keys.onerror = () => reject(keys.error);
            };
        })"""
    )


def test_signing_out_asks_whether_to_keep_the_draft_on_this_device(local_stack, page):
    # GIVEN the citizen half-way through the form, the last keystroke just typed
    title = f"Biển báo bị đổ {uuid.uuid4().hex[:6]}"
    open_send_form(page, local_stack.site)
    page.get_by_test_id("report-title").fill(title)
    dialog = page.get_by_test_id("signout-dialog")

    # WHEN they sign out, THEN the page asks what to do with the draft
    page.get_by_test_id("signout").click()
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("signout-text")).to_contain_text(
        "Nếu đây là máy dùng chung, hãy xoá bản nháp trước khi đăng xuất."
    )
    expect(page.get_by_test_id("signout-keep")).to_be_focused()

    # WHEN Escape is pressed, THEN they stay signed in with the form as it was
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("user-box")).to_be_visible()
    expect(page.get_by_test_id("report-title")).to_have_value(title)

    # WHEN they keep the draft and sign out, THEN it is back after signing in
    page.get_by_test_id("signout").click()
    page.get_by_test_id("signout-keep").click()
    expect(page.get_by_test_id("user-box")).to_be_hidden()
    assert stored_drafts(page) == 1
    open_send_form(page, local_stack.site)
    expect(page.get_by_test_id("report-title")).to_have_value(title)
    expect(page.get_by_test_id("draft-restored")).to_be_visible()

    # WHEN they delete it and sign out
    page.get_by_test_id("signout").click()
    page.get_by_test_id("signout-discard").click()

    # THEN nothing of it is left on the device, and signing in shows an empty form
    expect(page.get_by_test_id("user-box")).to_be_hidden()
    assert stored_drafts(page) == 0
    open_send_form(page, local_stack.site)
    expect(page.get_by_test_id("report-title")).to_have_value("")
    expect(page.get_by_test_id("draft-restored")).to_be_hidden()

    # WHEN they sign out with nothing typed, THEN nothing is asked
    page.get_by_test_id("signout").click()
    expect(page.get_by_test_id("user-box")).to_be_hidden()
    expect(dialog).to_be_hidden()


def test_chosen_photos_show_as_thumbnails_one_is_removed_and_limits_hold(
    local_stack, api, page, tmp_path
):
    # GIVEN the citizen on the send form, three photos, a text file and a big image
    pictures = photos_on_disk(tmp_path, "mot", "hai", "ba")
    not_image = tmp_path / "ghi-chu.txt"
    not_image.write_text("không phải ảnh", encoding="utf-8")
    too_big = tmp_path / "qua-lon.jpg"
    too_big.write_bytes(b"\xff\xd8" + b"0" * (11 * 1024 * 1024))
    title = f"Đường ngập nước {uuid.uuid4().hex[:6]}"
    open_send_form(page, local_stack.site)

    # WHEN the three photos are chosen
    page.get_by_test_id("report-photos").set_input_files(pictures)

    # THEN each shows as a thumbnail with its own remove button, and it is said so
    expect(page.get_by_test_id("photo-item")).to_have_count(3)
    expect(page.get_by_test_id("photo-status")).to_have_text("Đã thêm 3 ảnh (3/10).")
    expect(page.get_by_test_id("photo-thumb").nth(1)).to_have_attribute(
        "alt", "Ảnh 2: hai.jpg"
    )

    # WHEN the second is removed with its button (reached by its label)
    page.get_by_role("button", name="Bỏ ảnh 2: hai.jpg").click()

    # THEN two remain, the status line says which went, the focus stays in the list
    expect(page.get_by_test_id("photo-item")).to_have_count(2)
    expect(page.get_by_test_id("photo-status")).to_have_text(
        "Đã bỏ ảnh “hai.jpg” (2/10)."
    )
    expect(page.get_by_role("button", name="Bỏ ảnh 2: ba.jpg")).to_be_focused()

    # WHEN a text file and a too big image are chosen
    page.get_by_test_id("report-photos").set_input_files([not_image, too_big])

    # THEN both are refused with a message beside the photos, nothing is added
    error = page.get_by_test_id("field-error-upload_ids")
    expect(error).to_contain_text("Ảnh “ghi-chu.txt” không được nhận")
    expect(error).to_contain_text("Ảnh “qua-lon.jpg” nặng 11 MB, vượt quá 10 MB.")
    expect(page.get_by_test_id("report-photos")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_test_id("photo-item")).to_have_count(2)

    # WHEN the citizen switches to English
    page.get_by_test_id("lang-en").click()

    # THEN the photo list and the refusals are in English too
    expect(page.get_by_role("button", name="Remove photo 2: ba.jpg")).to_be_visible()
    expect(page.get_by_test_id("photo-thumb").first).to_have_attribute(
        "alt", "Photo 1: mot.jpg"
    )
    expect(error).to_contain_text("“qua-lon.jpg” is 11 MB, more than 10 MB.")
    page.get_by_test_id("lang-vi").click()

    # WHEN the form is filled and sent
    fill_report_form(
        page, title=title, lat="14.35", lon="108.0", when=yesterday_at(7, 5)
    )
    page.get_by_test_id("report-submit").click()

    # THEN the report is filed with the two photos left
    shown = page.get_by_test_id("report-code")
    expect(shown).to_have_text(CODE)
    sent = my_reports_titled(api, title)
    assert [r["code"] for r in sent] == [shown.text_content()]
    assert len(sent[0]["attachments"]) == 2


def test_the_site_installs_and_its_shell_opens_offline(
    local_stack, pwa_page, browser_errors
):
    page = pwa_page
    # GIVEN the manifest: served as a manifest, in Vietnamese, with its icons
    answer = requests.get(f"{local_stack.site}/manifest.webmanifest", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/manifest+json")
    manifest = answer.json()
    assert manifest["lang"] == "vi"
    assert manifest["display"] == "standalone"
    assert manifest["name"] and manifest["short_name"]
    icons = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= icons
    for icon in manifest["icons"]:
        png = requests.get(f"{local_stack.site}/{icon['src']}", timeout=10)
        assert png.headers["Content-Type"] == "image/png"
        width, height = Image.open(io.BytesIO(png.content)).size
        assert f"{width}x{height}" == icon["sizes"]
    worker = requests.get(f"{local_stack.site}/sw.js", timeout=10)
    assert worker.headers["Cache-Control"] == "no-cache"

    # WHEN the citizen opens the send form
    open_send_form(page, local_stack.site)
    expect(page.locator('link[rel="manifest"]')).to_have_attribute(
        "href", "manifest.webmanifest"
    )

    # THEN the service worker is active, with the shell cached and no API answer
    state = page.evaluate(
        "async () => (await navigator.serviceWorker.ready).active.state"
    )
    assert state in ("activating", "activated")
    page.wait_for_function(
        "() => navigator.serviceWorker.controller"
        " && navigator.serviceWorker.controller.state === 'activated'"
    )
    cached = page.evaluate(
        "async () => { const out = [];"
        " for (const name of await caches.keys()) {"
        "   const cache = await caches.open(name);"
        "   for (const r of await cache.keys()) out.push(r.url); }"
        " return out; }"
    )
    paths = {u.removeprefix(local_stack.site) for u in cached}
    assert {"/index.html", "/assets/citizen.js", "/assets/draft.js"} <= paths
    assert not [u for u in cached if u.startswith(local_stack.api)]
    assert "/config.json" not in paths

    # WHEN the browser goes offline and the page is reloaded
    browser_errors.allow_unreachable(local_stack.api)
    browser_errors.allow_unreachable(f"{local_stack.site}/config.json")
    # Without config.json the map falls back to OpenStreetMap's tiles (map.js).
    browser_errors.allow_unreachable("https://tile.openstreetmap.org/")
    page.context.set_offline(True)
    page.reload()

    # THEN the shell renders from the cache: the send form, in Vietnamese
    expect(page.locator("#send-h")).to_have_text("Gửi phản ánh mới")
    expect(page.get_by_test_id("report-form")).to_be_visible()
    # ... with the categories kept from the last visit
    expect(page.get_by_test_id("report-category")).to_contain_text("Môi trường")

    # AND another citizen page opens offline too
    page.goto(f"{local_stack.site}/news.html")
    expect(page).to_have_title(re.compile("Tin tức"))
    page.context.set_offline(False)


def test_every_file_the_citizen_pages_load_is_in_the_offline_shell():
    # The shell list in sw.js is kept by hand: a page or module it misses would
    # not open offline, and a listed file that is gone breaks the installation.
    worker = (SITE / "sw.js").read_text(encoding="utf-8")
    listed = set(
        re.findall(r'"((?:assets/)[^"]+|[a-z]+\.html|manifest\.webmanifest)"', worker)
    )
    for name in listed:
        assert (SITE / name).is_file(), f"sw.js lists {name}, which does not exist"
    needed = set()
    pages = [
        "index.html",
        "news.html",
        "dossiers.html",
        "services.html",
        "transparency.html",
    ]
    for name in pages:
        html = (SITE / name).read_text(encoding="utf-8")
        needed |= set(re.findall(r'(?:src|href)="(assets/[^"]+)"', html))
    modules = [p for p in needed if p.endswith(".js")]
    while modules:
        module = modules.pop()
        text = (SITE / module).read_text(encoding="utf-8")
        for found in re.findall(r'(?:from |import |URL\()"\./([^"]+)"', text):
            path = f"assets/{found}"
            if path not in needed:
                needed.add(path)
                if path.endswith(".js"):
                    modules.append(path)
    manifest = json.loads((SITE / "manifest.webmanifest").read_text(encoding="utf-8"))
    needed |= {icon["src"] for icon in manifest["icons"]}
    assert needed - listed == set()
    assert set(pages) <= listed
