"""English, the second language: each main page, switched to English in Debian's
Chromium, shows no Vietnamese in its own words.

The page's own words are those the site writes: headings, labels, buttons, legends,
table heads, links of the navigation, and the placeholder, title and aria-label of
every element. What the data says (a report's title, a person's or a ward's name,
an article) stays as it was written: elements that carry data are left out by
their test id (``DATA``).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import test_accessibility as pages
from tests.e2e.test_accessibility import PAGES, open_page

browser = pages.browser
browser_errors = pages.browser_errors
api = pages.api
report = pages.report
reception_task = pages.reception_task

# Letters that English never uses and Vietnamese does (the base letters and every
# tone mark); a word with one of them is Vietnamese.
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
    re.IGNORECASE,
)

# The site's own words, and where data sits inside them (left out).
_OWN_WORDS = """(dataSelector) => {
  const chrome = "h1, h2, h3, h4, label, legend, button, th, caption, summary, " +
    "nav a, [data-i18n], .field-error, .hint, [role=status], [role=alert]";
  const isData = (el) => el.closest(dataSelector);
  const shown = (el) => el.offsetParent !== null || el.getClientRects().length > 0;
  const found = [];
  for (const el of document.querySelectorAll(chrome)) {
    if (!shown(el) || isData(el)) continue;
    // the element's own text, without the text of data inside it
    const copy = el.cloneNode(true);
    for (const d of copy.querySelectorAll(dataSelector)) d.remove();
    const text = copy.textContent.replace(/\\s+/g, " ").trim();
    if (text) found.push({ where: el.dataset.testid || el.tagName, text });
  }
  for (const el of document.querySelectorAll("[placeholder], [title], [aria-label]")) {
    if (isData(el)) continue;
    for (const name of ["placeholder", "title", "aria-label"]) {
      const v = el.getAttribute(name);
      if (v) found.push({ where: `${el.dataset.testid || el.tagName}@${name}`, text: v });
    }
  }
  found.push({ where: "title", text: document.title });
  return found;
}"""

# Elements whose text is data: what a citizen, an editor or an administrator wrote
# (titles, names), left as written whatever the language.
DATA = ", ".join(
    [
        "select",  # options name areas, categories and units as the data has them
        ".leaflet-container",
        '[data-testid="user-name"]',
        '[data-testid="detail-title"]',
        '[data-testid="public-link"]',
        '[data-testid="mine-link"]',
        '[data-testid="news-link"]',
        '[data-testid="home-news-link"]',
        '[data-testid="news-article-title"]',
        '[data-testid="ns-item-title"]',
        # "Disable the account of <name>": an English label around a person's name
        '[data-testid="adm-staff-edit"]',
        '[data-testid="adm-staff-disable"]',
        '[data-testid="adm-staff-enable"]',
        '[data-testid="adm-staff-reset"]',
    ]
)


def vietnamese_words(tab: Page) -> list[str]:
    found = tab.evaluate(_OWN_WORDS, DATA)
    return [f"{f['where']}: {f['text']}" for f in found if VIETNAMESE.search(f["text"])]


def to_english(tab: Page) -> None:
    switch = tab.locator('[data-lang="en"]').first
    if tab.locator("dialog[open]").count():
        # A modal question covers the header: the language was chosen before it
        # opened, which the button's own click handler stands for here.
        switch.dispatch_event("click")
    else:
        switch.click()
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    expect(tab.get_by_test_id("loading")).to_be_hidden()


@pytest.fixture
def page(browser, browser_errors):
    context, tab = open_page(browser, browser_errors, {"width": 1280, "height": 800})
    yield tab
    context.close()
    assert not browser_errors.seen, "\n".join(browser_errors.seen)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_in_english_shows_no_vietnamese_of_its_own(
    local_stack, page, report, reception_task, name
):
    # GIVEN the page open in Vietnamese, its content loaded
    PAGES[name](page, local_stack.site, report, reception_task)
    assert vietnamese_words(page), f"{name}: the check sees no Vietnamese at first"

    # WHEN the reader chooses English
    to_english(page)

    # THEN none of the page's own words is left in Vietnamese
    left = vietnamese_words(page)
    assert not left, f"{name} in English:\n" + "\n".join(left)
