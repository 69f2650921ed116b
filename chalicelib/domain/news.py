"""What a news article (tin tức) may hold, and the states it goes through.

An article's text is plain text: no markup is stored or served, so no page or app can
be made to inject it. Paragraphs are separated by a blank line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from chalicelib.errors import ValidationError, field_error

TITLE_MAX = 200
SUMMARY_MAX = 500
BODY_MAX = 20_000

# status -> (Vietnamese, English), as the staff panel shows them.
STATUSES = {
    "draft": ("Bản nháp", "Draft"),
    "published": ("Đã đăng", "Published"),
    "unpublished": ("Đã gỡ", "Unpublished"),
}

# Anything that looks like an HTML or XML tag: refused, so that no client that renders
# markup (an app's web view, a feed reader) can be handed any.
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ArticleText:
    title: str
    summary: str
    body: str
    category_id: str
    cover_upload_id: str | None


def parse_article(payload: object, *, categories: set[str]) -> ArticleText:
    """The article a staff member sent, cleaned; every wrong field named at once."""
    if not isinstance(payload, dict):
        payload = {}
    errors: dict[str, dict[str, str]] = {}
    title = _text(
        payload, "title", TITLE_MAX, errors, multiline=False, vi="tiêu đề", en="Title"
    )
    summary = _text(
        payload,
        "summary",
        SUMMARY_MAX,
        errors,
        multiline=True,
        vi="tóm tắt",
        en="Summary",
    )
    body = _text(
        payload, "body", BODY_MAX, errors, multiline=True, vi="nội dung", en="Body"
    )
    category_id = payload.get("category_id")
    if not isinstance(category_id, str) or category_id not in categories:
        errors.update(
            field_error(
                "category_id",
                "Vui lòng chọn chuyên mục tin.",
                "Choose one of the news categories.",
            )
        )
    cover = payload.get("cover_upload_id")
    if cover is not None and (not isinstance(cover, str) or not 1 <= len(cover) <= 64):
        errors.update(
            field_error("cover_upload_id", "Ảnh bìa không hợp lệ.", "Unknown upload.")
        )
    if errors:
        raise ValidationError(fields=errors)
    return ArticleText(title, summary, body, category_id, cover)


def parse_version(payload: object) -> int:
    """The version the caller last read: a change to an older one is refused."""
    value = payload.get("version") if isinstance(payload, dict) else None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(
            fields=field_error(
                "version",
                "Thiếu phiên bản của bài viết đã đọc.",
                "version (the version you read) is required.",
            )
        )
    return value


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs; a single line break stays inside its paragraph."""
    return [part for part in body.split("\n\n") if part.strip()]


def _text(
    payload: dict,
    name: str,
    limit: int,
    errors: dict,
    *,
    multiline: bool,
    vi: str,
    en: str,
) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value.strip():
        errors.update(field_error(name, f"Vui lòng nhập {vi}.", f"{en} is required."))
        return ""
    text = clean(value, multiline=multiline)
    if not text:
        errors.update(field_error(name, f"Vui lòng nhập {vi}.", f"{en} is required."))
    elif len(text) > limit:
        errors.update(
            field_error(
                name,
                f"{vi.capitalize()} tối đa {limit} ký tự (hiện có {len(text)}).",
                f"{en} is at most {limit} characters (it has {len(text)}).",
            )
        )
    elif not _printable(text):
        errors.update(
            field_error(
                name,
                f"{vi.capitalize()} chứa ký tự điều khiển không hợp lệ.",
                f"{en} contains control characters.",
            )
        )
    elif _TAG.search(text):
        errors.update(
            field_error(
                name,
                f"{vi.capitalize()} là văn bản thuần, không được chứa thẻ HTML.",
                f"{en} is plain text: HTML tags are not allowed.",
            )
        )
    return text


def clean(value: str, *, multiline: bool) -> str:
    """NFC (text typed on some systems arrives decomposed), trimmed; a one-line field
    keeps single spaces, a text keeps its paragraphs and at most one blank line."""
    text = unicodedata.normalize("NFC", value)
    if not multiline:
        return _SPACES.sub(" ", text).strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _printable(text: str) -> bool:
    # Cc: control characters (tabs and line breaks aside); Cs: lone surrogates, which
    # JSON can carry but UTF-8, and so DynamoDB, cannot.
    return not any(
        unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t" for ch in text
    )
