"""Every page of the citizen website offers the same main menu, in the same order
(WCAG 2.1 3.2.3, consistent navigation): a reader of the news can reach the send form
and the dossier lookup as from the home page."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

SITE = Path(__file__).parents[2] / "static-site"
PAGES = [
    "index.html",
    "news.html",
    "dossiers.html",
    "services.html",
    "transparency.html",
]
# Shown by the home page alone, once a citizen is signed in (it knows the session).
SIGNED_IN_ONLY = {"nav-account"}


class MainNav(HTMLParser):
    """The (test id, page, route) of each link in <nav class="main-nav">."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[tuple[str, str, str]] = []
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav" and "main-nav" in (a.get("class") or "").split():
            self.depth = 1
        elif tag == "nav" and self.depth:
            self.depth += 1
        elif tag == "a" and self.depth:
            page, _, route = (a.get("href") or "").partition("#")
            self.links.append(
                (a.get("data-testid", ""), page or "index.html", route or "/")
            )
            if a.get("aria-current") == "page":
                self.current.append(a.get("data-testid", ""))

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1


def main_nav(page: str) -> MainNav:
    parser = MainNav()
    parser.feed((SITE / page).read_text(encoding="utf-8"))
    return parser


def test_every_citizen_page_has_the_home_pages_menu():
    home = [
        link for link in main_nav("index.html").links if link[0] not in SIGNED_IN_ONLY
    ]
    assert len(home) >= 7, home
    for page in PAGES[1:]:
        assert main_nav(page).links == home, page


def test_each_page_marks_itself_in_the_menu():
    for page in PAGES[1:]:
        nav = main_nav(page)
        assert len(nav.current) == 1, (page, nav.current)
        marked = next(link for link in nav.links if link[0] == nav.current[0])
        assert marked[1] == page, (page, marked)
