"""Folding Vietnamese text for a search that ignores case and diacritics.

"Đường Trần Phú" and "duong tran phu" fold to the same words, so that staff can type
without accents. The folded text is stored on the task (``search``) and a query's
words are matched with ``contains`` on it.
"""

from __future__ import annotations

import re
import unicodedata

# đ/Đ is a letter of its own in Unicode, not d with a combining mark.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, no diacritics, words of letters and digits separated by a space."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_LETTERS))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(w for w in _NOT_WORD.split(bare.lower()) if w)


def words(query: str) -> list[str]:
    """The distinct folded words of a query, in order."""
    seen: list[str] = []
    for word in fold(query).split():
        if word not in seen:
            seen.append(word)
    return seen


def task_text(code: str | None, title: str | None) -> str:
    """What a task is found by: its report's code and title, folded. The code is
    there in parts ("KT-2612-0042" -> "kt 2612 0042") and whole ("kt26120042"), so
    that a code typed without dashes is found too."""
    compact = fold(code or "").replace(" ", "")
    return " ".join(p for p in (fold(code or ""), compact, fold(title or "")) if p)
