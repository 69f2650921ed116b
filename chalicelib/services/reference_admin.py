"""Administrators' reference data: areas (a tree with validity dates), agencies (the
areas and categories each serves), categories."""

from __future__ import annotations

import re
from datetime import date

from chalicelib import settings
from chalicelib.adapters.tables import ReferenceModel
from chalicelib.domain import geo
from chalicelib.errors import ValidationError, field_error
from chalicelib.services import paging, reference, workflow_specs

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
DEFAULT_AGENCY_WORKFLOW = "agency-default"


def _id(raw: str) -> str:
    if not _ID.match(raw or ""):
        raise ValidationError(
            fields=field_error(
                "id",
                "Mã chỉ gồm chữ thường, số và gạch ngang (2-63 ký tự).",
                "Ids are 2-63 lower-case letters, digits and dashes.",
            )
        )
    return raw


def _names(body: dict) -> dict:
    errors = {}
    out = {}
    for name in ("name", "name_en"):
        value = body.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > 200:
            errors.update(
                field_error(
                    name,
                    "Vui lòng nhập tên (tối đa 200 ký tự).",
                    "A name of at most 200 characters is required.",
                )
            )
        else:
            out[name] = value.strip()
    if errors:
        raise ValidationError(fields=errors)
    return out


def _date(body: dict, name: str, required: bool) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError) as error:
        raise ValidationError(
            fields=field_error(
                name, "Ngày theo dạng YYYY-MM-DD.", "Dates are YYYY-MM-DD."
            )
        ) from error


def _order(kind: str, item_id: str) -> int:
    existing = reference.by_id(kind).get(item_id)
    if existing is not None:
        return existing.get("order", 0)
    return len(reference.items(kind))


def put_category(item_id: str, body: object) -> dict:
    body = body if isinstance(body, dict) else {}
    data = {**_names(body), "order": _order("category", _id(item_id))}
    reference.put("category", item_id, data)
    return {"id": item_id, **data}


def put_area(item_id: str, body: object) -> dict:
    """An area: its parent, and the dates it is valid (units merge and split)."""
    body = body if isinstance(body, dict) else {}
    _id(item_id)
    data = _names(body)
    parent = body.get("parent_id")
    areas = reference.by_id("area")
    if parent is not None:
        if parent not in areas or parent == item_id:
            raise ValidationError(
                fields=field_error(
                    "parent_id",
                    "Địa bàn cấp trên không tồn tại.",
                    "The parent area does not exist.",
                )
            )
        seen, cursor = {item_id}, parent
        while cursor is not None:  # the tree must stay a tree
            if cursor in seen:
                raise ValidationError(
                    fields=field_error(
                        "parent_id",
                        "Địa bàn không thể là cấp trên của chính nó.",
                        "An area cannot be its own ancestor.",
                    )
                )
            seen.add(cursor)
            cursor = areas.get(cursor, {}).get("parent_id")
    valid_from = _date(body, "valid_from", required=True)
    valid_to = _date(body, "valid_to", required=False)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError(
            fields=field_error(
                "valid_to",
                "Ngày hết hiệu lực phải sau ngày hiệu lực.",
                "valid_to must not be before valid_from.",
            )
        )
    data.update(
        parent_id=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        center=_center(body.get("center")),
        order=_order("area", item_id),
    )
    reference.put("area", item_id, data)
    return {"id": item_id, **data}


def _center(value: object) -> list[float] | None:
    """Where a report without a position is placed: [lat, lon] inside the province."""
    if value is None:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        and geo.contains(settings.province()["boundary"], *map(float, value))
    ):
        return [float(value[0]), float(value[1])]
    raise ValidationError(
        fields=field_error(
            "center",
            "Tâm địa bàn là [vĩ độ, kinh độ] nằm trong tỉnh.",
            "center is [lat, lon] inside the province.",
        )
    )


def put_agency(item_id: str, body: object, actor: str) -> dict:
    """An agency and what it serves; a new one starts on the default workflow."""
    body = body if isinstance(body, dict) else {}
    _id(item_id)
    if item_id in ("reception", "admin", "province"):
        raise ValidationError(
            fields=field_error("id", "Mã này được dành riêng.", "This id is reserved.")
        )
    data = _names(body)
    for name, kind in (("area_ids", "area"), ("category_ids", "category")):
        values = body.get(name, [])
        known = reference.by_id(kind)
        if not isinstance(values, list) or any(v not in known for v in values):
            raise ValidationError(
                fields=field_error(
                    name,
                    "Có mục không tồn tại trong danh sách.",
                    "The list names something that does not exist.",
                )
            )
        data[name] = sorted(set(values))
    is_new = item_id not in reference.by_id("agency")
    source = body.get("workflow_from")
    if is_new and source not in reference.by_id("agency"):
        raise ValidationError(
            fields=field_error(
                "workflow_from",
                "Đơn vị mới cần sao chép quy trình của một đơn vị có sẵn.",
                "A new agency starts with a copy of an existing agency's workflow.",
            )
        )
    data["order"] = _order("agency", item_id)
    if is_new:  # workflow first: an agency without one could not receive reports
        spec = workflow_specs.current(source)["spec"]
        workflow_specs.deploy(item_id, spec, actor=actor, note=f"sao chép từ {source}")
    reference.put("agency", item_id, data)
    return {"id": item_id, **data}


def list_kind(kind: str, limit: int, cursor: str | None) -> dict:
    results = ReferenceModel.query(
        kind, limit=limit, last_evaluated_key=paging.decode(cursor)
    )
    return paging.page(results, lambda r: {"id": r.id, **r.data})
