"""Reference data: categories, areas, agencies, workflows (seeded per province)."""

from __future__ import annotations

import time

from chalicelib.adapters.tables import ReferenceModel
from chalicelib.errors import NotFoundError

_TTL = 60.0
_cache: dict[str, tuple[float, list[dict]]] = {}


def items(kind: str) -> list[dict]:
    """Every item of a kind; a province has tens of them, cached for a minute."""
    cached = _cache.get(kind)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    found = [dict(r.data, id=r.id) for r in ReferenceModel.query(kind)]
    _cache[kind] = (time.monotonic() + _TTL, found)
    return found


def by_id(kind: str) -> dict[str, dict]:
    return {item["id"]: item for item in items(kind)}


def get(kind: str, item_id: str) -> dict:
    try:
        found = by_id(kind)[item_id]
    except KeyError as error:
        raise NotFoundError() from error
    return found


def clear_cache() -> None:
    _cache.clear()


def put(kind: str, item_id: str, data: dict) -> None:
    ReferenceModel(kind, item_id, data=data).save()
    _cache.pop(kind, None)
