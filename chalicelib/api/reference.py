"""Health and reference data: categories, areas, agencies."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import settings
from chalicelib.adapters.tables import ReferenceModel
from chalicelib.api.http import route
from chalicelib.domain import clock
from chalicelib.services import reference

bp = Blueprint(__name__)


@route(bp, "/health", "GET", "The stack's parts and their state.", errors=(503,))
def health():
    parts = {}
    try:
        ReferenceModel.query("category", limit=1).next()
        parts["dynamodb"] = "ok"
    except StopIteration:
        parts["dynamodb"] = "empty"
    except Exception:  # the health check reports, it does not fail
        parts["dynamodb"] = "down"
    ok = all(v != "down" for v in parts.values())
    return {
        "status": "ok" if ok else "degraded",
        "stage": settings.stage(),
        "time": clock.iso(clock.now()),
        "parts": parts,
    }


def _listing(kind: str, keys: tuple[str, ...]) -> dict:
    items = sorted(reference.items(kind), key=lambda i: i.get("order", 0))
    return {"items": [{k: i.get(k) for k in keys} for i in items], "next_cursor": None}


@route(bp, "/categories", "GET", "Report categories (lĩnh vực).")
def categories():
    return _listing("category", ("id", "name", "name_en"))


@route(bp, "/areas", "GET", "Areas: the province and its communes and wards.")
def areas():
    return _listing(
        "area",
        ("id", "name", "name_en", "parent_id", "valid_from", "valid_to", "center"),
    )


@route(bp, "/agencies", "GET", "Agencies that handle reports.")
def agencies():
    return _listing("agency", ("id", "name", "name_en", "area_ids", "category_ids"))
