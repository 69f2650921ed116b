"""Screenshots of the main pages, for docs/: `python -m infra.screenshots`.

Starts the local stack with its demo data on free ports (infra.stack_process, as the
browser tests do), signs in as the demo citizen and a reception officer in Debian's
Chromium, and writes one PNG per page and screen size into docs/screenshots/, with
docs/screenshots.md listing them. Everything is shown in Vietnamese, in Vietnam's
time zone. The PNGs are reduced to 256 colours, which keeps text sharp at a
fraction of the size.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect, sync_playwright

from infra.demo_data import CITIZEN, PASSWORD
from infra.stack_process import ROOT, running_stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
# The browser's own words (date inputs, "choose a file") in Vietnamese too: Debian's
# chromium-l10n (make screenshots installs it) and LANGUAGE=vi.
CHROMIUM_LANG_ARGS = ["--lang=vi"]
OUT = ROOT / "docs" / "screenshots"
INDEX = ROOT / "docs" / "screenshots.md"
RECEPTION = "tiepnhan"
DOSSIER = "000.00.24.H34-251203-0001"  # a demo dossier of infra/fake_onestop.py
TIMEOUT_MS = 15_000
SCREENS = {
    "phone": ({"width": 390, "height": 844}, "điện thoại, 390 × 844"),
    "desktop": ({"width": 1366, "height": 900}, "máy tính, 1366 × 900"),
}
MAX_SCREENS_TALL = 2.5  # a long page is cut after this many screen heights


@dataclass
class Shot:
    name: str
    caption: str  # Vietnamese, for docs/screenshots.md
    open: Callable[[Page, str], None]


def _visible(page: Page, testid: str) -> None:
    expect(page.get_by_test_id(testid).first).to_be_visible()


def _sign_in(page: Page, username: str) -> None:
    page.get_by_test_id("signin-username").fill(username)
    page.get_by_test_id("signin-password").fill(PASSWORD)
    page.get_by_test_id("signin-submit").click()
    _visible(page, "user-box")


def _home(page: Page, site: str) -> None:
    page.goto(f"{site}/")
    _visible(page, "public-item")


def _feed_map(page: Page, site: str) -> None:
    page.get_by_test_id("feed-map-toggle").click()
    expect(
        page.locator("[data-testid=feed-map] .leaflet-marker-icon").first
    ).to_be_visible()


def _send(page: Page, site: str) -> None:
    page.goto(f"{site}/#/send")
    _visible(page, "signin-form")
    _sign_in(page, CITIZEN)
    _visible(page, "report-form")


def _mine(page: Page, site: str) -> None:
    page.get_by_test_id("nav-mine").click()
    _visible(page, "mine-item")


def _detail(page: Page, site: str) -> None:
    page.get_by_test_id("mine-link").first.click()
    _visible(page, "detail-code")


def _account(page: Page, site: str) -> None:
    page.goto(f"{site}/#/account")
    _visible(page, "profile-form")


def _dossier(page: Page, site: str) -> None:
    page.goto(f"{site}/dossiers.html")
    page.get_by_test_id("dossier-code").fill(DOSSIER)
    page.get_by_test_id("dossier-submit").click()
    _visible(page, "dossier-result")


def _news(page: Page, site: str) -> None:
    page.goto(f"{site}/news.html")
    _visible(page, "news-item")


def _tasks(page: Page, site: str) -> None:
    page.goto(f"{site}/staff/")
    _visible(page, "signin-form")
    _sign_in(page, RECEPTION)
    _visible(page, "task-row")


def _task(page: Page, site: str) -> None:
    page.get_by_test_id("task-open").first.click()
    _visible(page, "task-report-code")


def _entry(page: Page, site: str) -> None:
    """Reception's form for a report received by phone, paper or email."""
    page.goto(f"{site}/staff/#/enter")
    _visible(page, "entry-form")


def _lookup(page: Page, site: str) -> None:
    """The report lookup, finding the report of the task shot just before."""
    code = page.get_by_test_id("task-report-code").text_content()
    page.goto(f"{site}/staff/report.html")
    _visible(page, "rl-form")
    page.get_by_test_id("rl-code").fill(code or "")
    page.get_by_test_id("rl-submit").click()
    _visible(page, "rl-code-shown")


def _stats(page: Page, site: str) -> None:
    page.goto(f"{site}/staff/stats.html")
    _visible(page, "stats-row")


def _as_staff(path: str, username: str, ready: str) -> Callable[[Page, str], None]:
    """Sign the staff member on screen out, and username in on the panel's path."""

    def open_page(page: Page, site: str) -> None:
        page.get_by_test_id("signout").click()
        page.goto(f"{site}/staff/{path}")
        _visible(page, "signin-form")
        _sign_in(page, username)
        _visible(page, ready)

    return open_page


def _admin(page: Page, site: str) -> None:
    _as_staff("admin.html", "quantri", "view-admin")(page, site)
    page.get_by_test_id("adm-tab-calendar").click()
    page.wait_for_load_state("networkidle")


# In this order: the citizen's pages share one sign-in, the staff's another.
SHOTS = [
    Shot("trang-chu", "Trang chủ: các phản ánh đã xử lý và công khai", _home),
    Shot("ban-do", "Trang chủ: phản ánh đã công khai trên bản đồ", _feed_map),
    Shot("gui-phan-anh", "Gửi phản ánh (đã đăng nhập)", _send),
    Shot("phan-anh-cua-toi", "Phản ánh của tôi", _mine),
    Shot("chi-tiet-phan-anh", "Chi tiết một phản ánh của công dân", _detail),
    Shot("tai-khoan", "Tài khoản của công dân", _account),
    Shot("tra-cuu-ho-so", "Tra cứu hồ sơ thủ tục hành chính", _dossier),
    Shot("tin-tuc", "Tin tức", _news),
    Shot("can-bo-cong-viec", "Cán bộ: danh sách công việc cần xử lý", _tasks),
    Shot("can-bo-phan-anh", "Cán bộ: xem và xử lý một phản ánh", _task),
    Shot("tra-cuu-phan-anh", "Cán bộ: tra cứu một phản ánh theo mã", _lookup),
    Shot(
        "tiep-nhan",
        "Tiếp nhận: nhập phản ánh nhận qua điện thoại, văn bản, email",
        _entry,
    ),
    Shot("can-bo-thong-ke", "Cán bộ: thống kê", _stats),
    Shot("quan-tri", "Quản trị: lịch ngày làm việc", _admin),
    Shot(
        "quy-trinh",
        "Lãnh đạo đơn vị: quy trình xử lý của đơn vị",
        _as_staff("workflow.html", "lanhdao.sxd", "wf-step"),
    ),
    Shot(
        "canh-bao",
        "Phát cảnh báo khẩn cấp",
        _as_staff("alerts.html", "canhbao", "alert-form"),
    ),
    Shot(
        "bien-tap-tin",
        "Biên tập: tin tức của đơn vị",
        _as_staff("news.html", "bientap", "ns-item"),
    ),
]


def save_small(page: Page, path: Path, viewport: dict) -> None:
    """The page from its top, at most MAX_SCREENS_TALL screens, in 256 colours."""
    page.evaluate("() => document.fonts.ready")
    page.mouse.move(0, 0)  # no hover effect in the picture
    page.evaluate("() => document.activeElement?.blur()")  # nor a focus ring
    height = page.evaluate("() => document.documentElement.scrollHeight")
    height = min(height, int(viewport["height"] * MAX_SCREENS_TALL))
    page.screenshot(
        path=str(path),
        full_page=True,
        clip={"x": 0, "y": 0, "width": viewport["width"], "height": height},
        animations="disabled",
        caret="hide",
    )
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256)
    small.save(path, optimize=True)


def take(site: str, out: Path) -> list[tuple[Shot, str, Path]]:
    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS + CHROMIUM_LANG_ARGS,
            env={**os.environ, "LANGUAGE": "vi"},
        )
        expect.set_options(timeout=TIMEOUT_MS)
        for screen, (viewport, _) in SCREENS.items():
            context = browser.new_context(
                locale="vi-VN",
                timezone_id="Asia/Ho_Chi_Minh",
                viewport=viewport,
                is_mobile=screen == "phone",
                has_touch=screen == "phone",
            )
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            for shot in SHOTS:
                shot.open(page, site)
                path = out / f"{shot.name}-{screen}.png"
                save_small(page, path, viewport)
                taken.append((shot, screen, path))
                print(f"  {path}", flush=True)
            context.close()
        browser.close()
    return taken


def write_index(taken: list[tuple[Shot, str, Path]], index: Path) -> None:
    lines = [
        "# Ảnh chụp màn hình / Screenshots",
        "",
        "Các trang chính, bằng tiếng Việt, trên màn hình điện thoại và máy tính, với",
        "dữ liệu mẫu của hệ thống chạy cục bộ. Made by `make screenshots`",
        "(`python -m infra.screenshots`): run it again after a change to the pages.",
        "",
    ]
    for shot in SHOTS:
        lines += [f"## {shot.caption}", ""]
        for s, screen, path in taken:
            if s is shot:
                alt = f"{shot.caption} — {SCREENS[screen][1]}"
                rel = path.relative_to(index.parent).as_posix()
                lines += [f"![{alt}]({rel})", ""]
    index.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the PNGs")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "stack.log"
        print("Starting the local stack…", flush=True)
        with running_stack(log) as stack:
            taken = take(stack.site, args.out)
    if args.out.resolve() == OUT:
        write_index(taken, INDEX)
        print(f"  {INDEX.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
