"""WCAG 2.1 AA on the main flows, checked by axe-core in Debian's Chromium.

Every main page of the citizen site and the staff panel, in Vietnamese, on a desktop
(1280 x 800) and a phone (390 x 844) screen, once its content has loaded, with no
sideways scrolling on the phone; a citizen who sends a report with the keyboard
alone, typing the place's coordinates instead of clicking the map; a focus ring of
3:1 contrast on every control reached with Tab; and Vietnamese letters drawn with
real glyphs. axe-core checks what a machine can (names, labels, contrast, landmarks,
ARIA); the rest of WCAG still needs a person.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from infra.demo_data import CITIZEN, PASSWORD, ApiClient
from tests.e2e import test_browser
from tests.e2e.axe import expect_accessible, run_axe
from tests.e2e.test_browser import (
    CODE,
    BrowserErrors,
    file_report_over_http,
    sign_in,
    yesterday_at,
)

# Debian's Chromium, one per module, and the page-error watcher of test_browser.
browser = test_browser.browser
browser_errors = test_browser.browser_errors

RECEPTION = "tiepnhan"
LEADER = "lanhdao.sxd"
ISSUER = "canhbao"
ADMIN = "quantri"
EDITOR = "bientap"
OVERDUE_DOSSIER = "000.00.24.H34-251015-0003"  # a demo dossier of the fake one-stop
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
MAX_TABS = 80  # more presses than any form here needs to reach its last control


@pytest.fixture(scope="module")
def api(local_stack) -> ApiClient:
    """One client for the module: each user signs in over HTTP once."""
    return ApiClient(local_stack.api)


@pytest.fixture(scope="module")
def report(api) -> dict:
    """A report of the demo citizen, waiting at the reception desk."""
    return file_report_over_http(
        api, f"Ổ gà trên đường Nguyễn Huệ {uuid.uuid4().hex[:6]}", yesterday_at(9, 0)
    )


@pytest.fixture(scope="module")
def reception_task(api, report) -> dict:
    return api.wait_task(RECEPTION, report["id"])


def open_page(browser: Browser, errors: BrowserErrors, viewport: dict):
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=viewport,
        is_mobile=viewport["width"] < 600,
        has_touch=viewport["width"] < 600,
    )
    context.set_default_timeout(test_browser.TIMEOUT_MS)
    tab = context.new_page()
    errors.watch(tab)
    return context, tab


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def page(request, browser, browser_errors):
    context, tab = open_page(browser, browser_errors, VIEWPORTS[request.param])
    yield tab
    context.close()
    assert not browser_errors.seen, "\n".join(browser_errors.seen)


# ---------------------------------------------------------------- the pages


def visible(tab: Page, testid: str) -> None:
    expect(tab.get_by_test_id(testid).first).to_be_visible()


def citizen(tab: Page, site: str, route: str, ready: str) -> None:
    tab.goto(f"{site}/{route}")
    sign_in(tab, CITIZEN)
    visible(tab, ready)


def staff(tab: Page, site: str, path: str, user: str, ready: str) -> None:
    tab.goto(f"{site}/staff/{path}")
    sign_in(tab, user)
    visible(tab, ready)


def send_with_errors(tab: Page, site: str) -> None:
    """The send form after an empty submit: every field error showing."""
    citizen(tab, site, "#/send", "report-form")
    tab.get_by_test_id("report-title").fill("")
    tab.get_by_test_id("report-submit").click()
    visible(tab, "field-error-title")


def sign_out_with_a_draft(tab: Page, site: str) -> None:
    """The question asked on signing out with a draft stored on the device."""
    citizen(tab, site, "#/send", "report-form")
    tab.get_by_test_id("report-title").fill("Bản nháp chưa gửi")
    tab.get_by_test_id("signout").click()
    visible(tab, "signout-dialog")


def open_article(tab: Page, site: str) -> None:
    tab.goto(f"{site}/news.html")
    tab.get_by_test_id("news-link").first.click()
    visible(tab, "news-article-title")


def look_up_dossier(tab: Page, site: str) -> None:
    """The lookup page showing an overdue demo dossier (docs/dossiers.md)."""
    tab.goto(f"{site}/dossiers.html")
    tab.get_by_test_id("dossier-code").fill(OVERDUE_DOSSIER)
    tab.get_by_test_id("dossier-submit").click()
    visible(tab, "dossier-overdue")


def admin_tab(tab: Page, site: str, name: str, ready: str) -> None:
    """A tab of the administration page: reference data or the calendar."""
    staff(tab, site, "admin.html", ADMIN, "adm-staff-row")
    tab.get_by_test_id(f"adm-tab-{name}").click()
    visible(tab, ready)


def open_published(tab: Page, site: str) -> None:
    """A published report, opened from the home feed."""
    tab.goto(f"{site}/")
    tab.get_by_test_id("public-link").first.click()
    visible(tab, "detail-result-text")


# name -> how to open it: (page, site address, the module's report and task)
PAGES: dict[str, Callable[[Page, str, dict, dict], None]] = {
    "home": lambda t, s, r, k: (t.goto(f"{s}/"), visible(t, "public-item")),
    "published": lambda t, s, r, k: open_published(t, s),
    "signup": lambda t, s, r, k: (t.goto(f"{s}/#/sign-up"), visible(t, "signup-form")),
    "send": lambda t, s, r, k: citizen(t, s, "#/send", "report-form"),
    "send-errors": lambda t, s, r, k: send_with_errors(t, s),
    "signout-draft": lambda t, s, r, k: sign_out_with_a_draft(t, s),
    "mine": lambda t, s, r, k: citizen(t, s, "#/mine", "mine-item"),
    "detail": lambda t, s, r, k: citizen(t, s, f"#/report/{r['id']}", "detail-code"),
    "account": lambda t, s, r, k: citizen(t, s, "#/account", "profile-form"),
    "forgot": lambda t, s, r, k: (t.goto(f"{s}/#/forgot"), visible(t, "forgot-form")),
    "news": lambda t, s, r, k: (t.goto(f"{s}/news.html"), visible(t, "news-item")),
    "news-article": lambda t, s, r, k: open_article(t, s),
    "dossiers": lambda t, s, r, k: (
        t.goto(f"{s}/dossiers.html"),
        visible(t, "dossier-form"),
    ),
    "dossier-found": lambda t, s, r, k: look_up_dossier(t, s),
    "services": lambda t, s, r, k: (
        t.goto(f"{s}/services.html"),
        visible(t, "service-item"),
    ),
    "transparency": lambda t, s, r, k: (
        t.goto(f"{s}/transparency.html"),
        visible(t, "transparency-table"),
    ),
    "staff-signin": lambda t, s, r, k: (
        t.goto(f"{s}/staff/"),
        visible(t, "signin-form"),
    ),
    "staff-tasks": lambda t, s, r, k: staff(t, s, "", RECEPTION, "task-row"),
    "staff-task": lambda t, s, r, k: staff(
        t, s, f"#/task/{k['id']}", RECEPTION, "task-report-code"
    ),
    "staff-entry": lambda t, s, r, k: staff(t, s, "#/enter", RECEPTION, "entry-form"),
    "staff-stats": lambda t, s, r, k: staff(t, s, "stats.html", RECEPTION, "stats-row"),
    "staff-workflow": lambda t, s, r, k: staff(
        t, s, "workflow.html", LEADER, "wf-step"
    ),
    "staff-alerts": lambda t, s, r, k: staff(t, s, "alerts.html", ISSUER, "alert-form"),
    "staff-report": lambda t, s, r, k: staff(
        t, s, f"report.html#{r['id']}", RECEPTION, "rl-code-shown"
    ),
    "staff-admin": lambda t, s, r, k: staff(t, s, "admin.html", ADMIN, "adm-staff-row"),
    "staff-admin-ref": lambda t, s, r, k: admin_tab(t, s, "ref", "adm-ref-row"),
    "staff-admin-calendar": lambda t, s, r, k: admin_tab(
        t, s, "calendar", "adm-cal-holiday"
    ),
    "staff-news": lambda t, s, r, k: staff(t, s, "news.html", EDITOR, "ns-item"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_meets_wcag_21_aa(local_stack, page, report, reception_task, name):
    # GIVEN the page open in Vietnamese, its content loaded
    PAGES[name](page, local_stack.site, report, reception_task)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_test_id("loading")).to_be_hidden()

    # THEN axe-core finds no WCAG 2.0/2.1 A or AA violation ...
    width = page.viewport_size["width"]
    expect_accessible(page, f"{name} ({width} px)")

    # ... and the page fits the screen's width: no sideways scrolling (reflow)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 0, f"{name} is {overflow} px wider than a {width} px screen"


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_the_check_catches_a_violation(local_stack, page):
    # GIVEN a page that passes, WHEN an image without a text alternative and an
    # unlabelled input are added, THEN axe reports both (the check can fail)
    page.goto(f"{local_stack.site}/staff/")
    visible(page, "signin-form")
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.insertAdjacentHTML("beforeend",
            '<img src="data:," id="bad-img"><input id="bad-input" type="text">');
        }"""
    )
    found = {v["id"]: v for v in run_axe(page)}
    assert "image-alt" in found, found.keys()
    assert "label" in found, found.keys()
    assert found["label"]["nodes"][0]["target"] == ["#bad-input"]


# ---------------------------------------------------------------- keyboard only


def focused_testid(tab: Page) -> str | None:
    return tab.evaluate("() => document.activeElement?.dataset?.testid ?? null")


def tab_to(tab: Page, testid: str) -> None:
    """Press Tab until the control is focused: it must be reachable by keyboard."""
    for _ in range(MAX_TABS):
        if focused_testid(tab) == testid:
            return
        tab.keyboard.press("Tab")
    raise AssertionError(f"{testid} not reached with {MAX_TABS} presses of Tab")


def type_into(tab: Page, testid: str, text: str) -> None:
    tab_to(tab, testid)
    tab.keyboard.type(text)


def choose_with_arrows(tab: Page, testid: str, value: str) -> None:
    """Pick an option of a closed <select> with the arrow keys."""
    tab_to(tab, testid)
    select = tab.get_by_test_id(testid)
    for _ in range(select.locator("option").count()):
        if select.input_value() == value:
            return
        tab.keyboard.press("ArrowDown")
    assert select.input_value() == value


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_citizen_sends_a_report_with_the_keyboard_only(local_stack, api, page):
    # GIVEN the send form, signed in with the keyboard
    page.goto(f"{local_stack.site}/#/send")
    visible(page, "signin-reason")
    type_into(page, "signin-username", CITIZEN)
    type_into(page, "signin-password", PASSWORD)
    page.keyboard.press("Enter")
    visible(page, "report-form")

    # WHEN every field is reached with Tab and typed, the place as coordinates
    title = f"Đèn đường hỏng ở đường Phan Đình Phùng {uuid.uuid4().hex[:6]}"
    type_into(page, "report-title", title)
    type_into(page, "report-content", "Ba cột đèn liền nhau không sáng từ tối qua.")
    choose_with_arrows(page, "report-category", "giao-thong")
    choose_with_arrows(page, "report-area", "p-kon-tum")
    type_into(page, "report-address", "Trước số 88 đường Phan Đình Phùng")
    type_into(page, "report-lat", "14.3545")
    type_into(page, "report-lon", "108.0076")
    tab_to(page, "report-submit")
    expect(page.get_by_test_id("report-submit")).to_be_focused()
    page.keyboard.press("Enter")

    # THEN the report is filed, its code shown ...
    shown = page.get_by_test_id("report-code")
    expect(shown).to_have_text(CODE)
    code = shown.text_content()

    # ... and the API holds it with the typed place
    mine = api.call("GET", "/v1/me/reports?limit=50", CITIZEN)
    assert mine.status_code == 200, mine.text
    filed = next((r for r in mine.json()["items"] if r["code"] == code), None)
    assert filed is not None, f"{code} is not among the citizen's reports"
    assert filed["title"] == title
    assert filed["location"]["lat"] == pytest.approx(14.3545)
    assert filed["location"]["lon"] == pytest.approx(108.0076)


# ---------------------------------------------------------------- focus

# What the focused element shows: its outline and box-shadow colours, and the colour
# of what lies behind it (the first ancestor with a background).
_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const rings = [];
  if (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0) {
    rings.push(cs.outlineColor);
  }
  if (cs.boxShadow !== "none") {
    rings.push(...(cs.boxShadow.match(/rgba?\\([^)]*\\)/g) || []));
  }
  let behind = "rgb(255, 255, 255)";
  for (let n = el.parentElement; n; n = n.parentElement) {
    const bg = getComputedStyle(n).backgroundColor;
    if (bg !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(bg)) {
      behind = bg;
      break;
    }
  }
  const name = el.dataset.testid || el.id || el.className || el.tagName;
  return { name: `${el.tagName.toLowerCase()} ${name}`, rings, behind };
}"""


def _rgba(css: str) -> tuple[float, float, float, float]:
    parts = [float(x) for x in css[css.index("(") + 1 : -1].split(",")]
    return (*parts[:3], parts[3] if len(parts) == 4 else 1.0)


def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(ring: str, behind: str) -> float:
    """WCAG contrast ratio of a (possibly translucent) ring over its background."""
    r, g, b, a = _rgba(ring)
    under = _rgba(behind)[:3]
    seen = [a * c + (1 - a) * u for c, u in zip((r, g, b), under, strict=True)]
    high, low = sorted((_luminance(seen), _luminance(under)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def focus_problems(tab: Page, presses: int = MAX_TABS) -> tuple[int, list[str]]:
    """Tab through the page; every control that takes focus must show a ring of
    3:1 contrast or more against what is behind it (WCAG 1.4.11, 2.4.7)."""
    problems, seen = [], set()
    for _ in range(presses):
        tab.keyboard.press("Tab")
        shown = tab.evaluate(_FOCUS)
        if shown is None or shown["name"] in seen:
            continue
        seen.add(shown["name"])
        best = max((contrast(r, shown["behind"]) for r in shown["rings"]), default=0)
        if best < 3:
            problems.append(
                f"{shown['name']}: focus ring contrast {best:.2f}:1 "
                f"({shown['rings']} over {shown['behind']})"
            )
    return len(seen), problems


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
@pytest.mark.parametrize("name", ["home", "send", "staff-tasks", "staff-task"])
def test_focus_is_visible_on_every_control(
    local_stack, page, report, reception_task, name
):
    # GIVEN the page open, its content loaded
    PAGES[name](page, local_stack.site, report, reception_task)
    page.locator("body").focus()

    # WHEN it is walked through with Tab
    reached, problems = focus_problems(page)

    # THEN each control reached shows where the focus is, clearly
    assert reached > 5, f"only {reached} controls reached with Tab on {name}"
    assert not problems, f"{name}:\n" + "\n".join(problems)


# ---------------------------------------------------------------- fonts

VIETNAMESE = "Phản ánh kiến nghị, Đường Nguyễn Huệ, Sở Xây dựng, ỹ ự ặ ộ ờ ẵ ữ"
NO_GLYPH = "\U0010fffd"  # a private-use code point no font draws: its box
ALSO_NO_GLYPH = "\U0010fffc"  # another: the check must see it as a box


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_vietnamese_letters_are_drawn_not_boxes(local_stack, page):
    # GIVEN the home page, in the site's own font
    page.goto(f"{local_stack.site}/")
    visible(page, "site-name")

    # WHEN each letter is drawn on a canvas in that font, beside a character that
    # no font has (which comes out as the "missing glyph" box)
    boxes = page.evaluate(
        """([text, missing]) => {
          const font = "32px " + getComputedStyle(document.body).fontFamily;
          const draw = (ch) => {
            const c = document.createElement("canvas");
            c.width = c.height = 48;
            const ctx = c.getContext("2d");
            ctx.font = font;
            ctx.fillText(ch, 4, 36);
            return Array.from(ctx.getImageData(0, 0, 48, 48).data).join(",");
          };
          const box = draw(missing);
          const letters = [...new Set(text.replace(/[\\s,]/g, ""))];
          return letters.filter((ch) => draw(ch) === box);
        }""",
        [VIETNAMESE + ALSO_NO_GLYPH, NO_GLYPH],
    )

    # THEN no Vietnamese letter looks like that box (and the control character does)
    assert ALSO_NO_GLYPH in boxes, "the check does not see a missing glyph"
    boxes.remove(ALSO_NO_GLYPH)
    assert not boxes, f"drawn as boxes (no font has them): {' '.join(boxes)}"
