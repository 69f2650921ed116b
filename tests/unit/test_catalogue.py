"""The one catalogue (static-site/assets/i18n.js): both languages hold the same keys,
and every key the pages and scripts name is in it.

A missing English label falls back to Vietnamese without a word in the browser, and a
missing key shows the key itself, so these checks are the only place either is seen.
Keys built at run time (``t(`st_channel_${c}`)``) are not checked here; the browser
tests in English see those.
"""

import re
from pathlib import Path

import pytest

SITE = Path(__file__).resolve().parents[2] / "static-site"
CATALOGUE = SITE / "assets" / "i18n.js"

# `    key: "text",` or `    key: 'text',` or a template literal, inside a language block.
_ENTRY = re.compile(r"^\s{4}([a-z][a-z0-9_]*):\s*[\"'`]", re.MULTILINE)
_BLOCK = re.compile(r"^\s{2}(vi|en):\s*\{\n(.*?)^\s{2}\},?$", re.MULTILINE | re.DOTALL)
_MARKUP = re.compile(r'data-i18n(?:-placeholder|-title|-aria-label)?="([^"]+)"')
_CALL = re.compile(r"\b(?:t|both|labelOr)\(\s*[\"']([a-z][a-z0-9_]*)[\"']")
_TITLE = re.compile(r'data-title-key="([^"]+)"')
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def catalogue() -> dict[str, set[str]]:
    text = CATALOGUE.read_text(encoding="utf-8")
    blocks = {lang: set(_ENTRY.findall(body)) for lang, body in _BLOCK.findall(text)}
    assert set(blocks) == {"vi", "en"}, "i18n.js should have a vi and an en block"
    return blocks


def named_keys() -> dict[str, set[str]]:
    """Each key named in a page or a script, with the files that name it."""
    found: dict[str, set[str]] = {}
    for path in sorted(SITE.rglob("*")):
        if "vendor" in path.parts or path.suffix not in {".html", ".js"}:
            continue
        if path == CATALOGUE:
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            text = _COMMENT.sub("", text)
        patterns = (_MARKUP, _TITLE) if path.suffix == ".html" else (_CALL,)
        for pattern in patterns:
            for key in pattern.findall(text):
                found.setdefault(key, set()).add(str(path.relative_to(SITE)))
    return found


def test_both_languages_hold_the_same_keys():
    blocks = catalogue()
    assert len(blocks["vi"]) > 500  # the parse found the catalogue, not a fragment
    assert sorted(blocks["vi"] - blocks["en"]) == [], "keys with no English label"
    assert sorted(blocks["en"] - blocks["vi"]) == [], "keys with no Vietnamese label"


def test_every_key_a_page_or_script_names_is_in_the_catalogue():
    keys = catalogue()["vi"]
    named = named_keys()
    assert len(named) > 300
    missing = {key: sorted(files) for key, files in named.items() if key not in keys}
    assert missing == {}


@pytest.mark.parametrize(
    "snippet, key",
    [
        ('<h2 data-i18n="no_such_label">x</h2>', "no_such_label"),
        ('<input data-i18n-placeholder="nor_this">', "nor_this"),
    ],
)
def test_the_markup_pattern_finds_a_key(snippet, key):
    assert _MARKUP.findall(snippet) == [key]


def test_the_call_pattern_finds_a_key():
    text = 'h("p", {}, t("st_contact_private")); both("err_x", {n: 1});'
    assert _CALL.findall(text) == ["st_contact_private", "err_x"]
