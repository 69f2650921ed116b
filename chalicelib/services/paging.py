"""Opaque cursors over DynamoDB's LastEvaluatedKey."""

from __future__ import annotations

import base64
import binascii
import json

from chalicelib.errors import BadRequestError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def limit_of(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError as error:
        raise BadRequestError(
            code="bad_limit",
            message="Tham số limit phải là số.",
            message_en="limit must be a number.",
        ) from error
    if not 1 <= value <= MAX_LIMIT:
        raise BadRequestError(
            code="bad_limit",
            message=f"limit phải từ 1 đến {MAX_LIMIT}.",
            message_en=f"limit must be between 1 and {MAX_LIMIT}.",
        )
    return value


def decode(cursor: str | None) -> dict | None:
    if not cursor:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise BadRequestError(
            code="bad_cursor",
            message="Con trỏ trang không hợp lệ.",
            message_en="The cursor is invalid.",
        ) from error


def encode(last_key: dict | None) -> str | None:
    if not last_key:
        return None
    return base64.urlsafe_b64encode(json.dumps(last_key).encode()).decode()


def page(result_iterator, shape) -> dict:
    """Drain one page of a pynamodb query and shape its items."""
    items = [shape(item) for item in result_iterator]
    return {"items": items, "next_cursor": encode(result_iterator.last_evaluated_key)}
