"""Dossier lookup ("tra cứu hồ sơ") and online public services ("dịch vụ công").

Connectors (kind ``connector``) and service links (kind ``service``) are reference
data that administrators edit; the lookup picks a connector, asks the unit's one-stop
system through ``adapters.onestop`` and answers with the mapped fields only.
"""

from __future__ import annotations

import os
import re
import time
from urllib.parse import urlsplit

from chalicelib.adapters import onestop
from chalicelib.adapters.tables import ReferenceModel
from chalicelib.domain import clock
from chalicelib.domain.dossiers import (
    Connector,
    check_code,
    check_connector,
    check_id_number,
)
from chalicelib.errors import NotFoundError, ValidationError, field_error
from chalicelib.observability import logger
from chalicelib.services import limits, reference

CONNECTOR = "connector"
SERVICE = "service"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def lookup_rule() -> limits.Rule:
    # Read at each call: the local stack raises it (every browser is 127.0.0.1).
    return limits.Rule(
        "dossier-addr",
        int(os.environ.get("PAKN_LIMIT_DOSSIER_PER_ADDRESS", "60")),
        15 * 60,
    )


class DossierNotFoundError(NotFoundError):
    code = "dossier_not_found"
    message = "Không tìm thấy hồ sơ với mã này. Vui lòng kiểm tra lại mã hồ sơ."
    message_en = "No dossier has this code. Please check the code."


class UnitUnknownError(NotFoundError):
    code = "dossier_unit_unknown"
    message = (
        "Không xác định được đơn vị đang giữ hồ sơ có mã này. Vui lòng chọn đơn vị "
        "hoặc kiểm tra lại mã."
    )
    message_en = (
        "We cannot tell which unit holds a dossier with this code. Choose the unit "
        "or check the code."
    )


def _check_id(raw: str) -> str:
    if not _ID.match(raw or ""):
        raise ValidationError(
            fields=field_error(
                "id",
                "Mã chỉ gồm chữ thường, số và gạch ngang (2-63 ký tự).",
                "Ids are 2-63 lower-case letters, digits and dashes.",
            )
        )
    return raw


def _connectors() -> list[Connector]:
    items = sorted(reference.items(CONNECTOR), key=lambda i: i.get("order", 0))
    return [Connector(i["id"], i) for i in items]


def units() -> dict:
    """The units whose dossiers can be looked up, for the citizen's choice."""
    return {
        "items": [
            {"id": c.id, "name": c.data["name"], "name_en": c.data["name_en"]}
            for c in _connectors()
        ],
        "next_cursor": None,
    }


def lookup(body: object, address: str) -> dict:
    """A dossier's state from the one-stop system of the unit that holds it."""
    body = body if isinstance(body, dict) else {}
    code = check_code(body.get("code"))
    id_number = check_id_number(body.get("id_number"))
    unit = body.get("unit") or None
    connectors = _connectors()
    if unit is not None:
        connector = next((c for c in connectors if c.id == unit), None)
        if connector is None:
            raise ValidationError(
                fields=field_error(
                    "unit", "Đơn vị không tồn tại.", "The unit does not exist."
                )
            )
    else:
        connector = next((c for c in connectors if c.holds(code)), None)
        if connector is None:
            raise UnitUnknownError()
    if connector.data.get("id_number_required") and not id_number:
        raise ValidationError(
            fields=field_error(
                "id_number",
                "Đơn vị này yêu cầu số giấy tờ của người nộp hồ sơ.",
                "This unit asks for the applicant's ID number.",
            )
        )
    limits.check(lookup_rule(), address)

    started = time.perf_counter()
    outcome = "error"
    try:
        request = connector.request(code, id_number)
        answer = onestop.call(
            request["method"],
            request["url"],
            request["headers"],
            request["json"],
            connector.timeout,
        )
        if connector.is_not_found(answer.status, answer.body):
            outcome = "not_found"
            raise DossierNotFoundError()
        if answer.status >= 400 or answer.body is None:
            raise onestop.UnitDownError()
        found = connector.read(answer.body, clock.now().date())
        outcome = "found"
    except onestop.UnitTimeoutError:
        outcome = "timeout"
        raise
    finally:
        # Never the code's owner, the ID number or the answer: only how it went.
        logger.info(
            "dossier lookup",
            extra={
                "connector_id": connector.id,
                "outcome": outcome,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )

    return {
        "code": code,
        "unit": {
            "id": connector.id,
            "name": connector.data["name"],
            "name_en": connector.data["name_en"],
        },
        **found,
        "checked_at": clock.iso(clock.now()),
    }


def put_connector(item_id: str, body: object) -> dict:
    connector = check_connector(_check_id(item_id), body)
    data = {**connector.data, "order": _order(CONNECTOR, item_id)}
    reference.put(CONNECTOR, item_id, data)
    return {"id": item_id, **data}


def delete(kind: str, item_id: str) -> None:
    try:
        ReferenceModel.get(kind, item_id).delete()
    except ReferenceModel.DoesNotExist as error:
        raise NotFoundError() from error
    reference.clear_cache()


def _order(kind: str, item_id: str) -> int:
    existing = reference.by_id(kind).get(item_id)
    if existing is not None:
        return existing.get("order", 0)
    return len(reference.items(kind))


# ---------------------------------------------------------------- public services


def _text(body: dict, name: str, errors: dict, limit: int, required=True):
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        errors.update(
            field_error(
                name,
                f"Vui lòng nhập nội dung (tối đa {limit} ký tự).",
                f"A text of at most {limit} characters is required.",
            )
        )
        return None
    return value.strip()


def put_service(item_id: str, body: object) -> dict:
    """An online public service: a link, under a category, offered by an agency."""
    _check_id(item_id)
    body = body if isinstance(body, dict) else {}
    errors: dict[str, dict[str, str]] = {}
    data = {
        "name": _text(body, "name", errors, 200),
        "name_en": _text(body, "name_en", errors, 200),
        "category": _text(body, "category", errors, 63),
        "category_name": _text(body, "category_name", errors, 200),
        "category_name_en": _text(body, "category_name_en", errors, 200),
        "description": _text(body, "description", errors, 500, required=False),
        "description_en": _text(body, "description_en", errors, 500, required=False),
    }
    if data["category"] and not _ID.match(data["category"]):
        errors.update(
            field_error(
                "category",
                "Mã nhóm chỉ gồm chữ thường, số và gạch ngang.",
                "A category is lower-case letters, digits and dashes.",
            )
        )
    url = body.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme != "https" or not parts.netloc or len(url) > 500:
        errors.update(
            field_error(
                "url",
                "Đường dẫn phải bắt đầu bằng https://.",
                "The link must start with https://.",
            )
        )
    data["url"] = url
    agency = body.get("agency_id")
    if agency not in reference.by_id("agency"):
        errors.update(
            field_error(
                "agency_id", "Cơ quan không tồn tại.", "The agency does not exist."
            )
        )
    data["agency_id"] = agency
    order = body.get("order", _order(SERVICE, item_id))
    if isinstance(order, bool) or not isinstance(order, int) or order < 0:
        errors.update(
            field_error(
                "order", "Thứ tự là số nguyên không âm.", "order is a whole number."
            )
        )
    data["order"] = order
    if errors:
        raise ValidationError(fields=errors)
    data = {k: v for k, v in data.items() if v is not None}
    reference.put(SERVICE, item_id, data)
    return {"id": item_id, **data}


def services(category: str | None, agency: str | None) -> dict:
    """Service links, by category then order, optionally of one category or agency."""
    agencies = reference.by_id("agency")
    items = [
        i
        for i in reference.items(SERVICE)
        if (not category or i.get("category") == category)
        and (not agency or i.get("agency_id") == agency)
    ]
    items.sort(key=lambda i: (i.get("category", ""), i.get("order", 0), i["id"]))
    keys = (
        "id",
        "name",
        "name_en",
        "url",
        "category",
        "category_name",
        "category_name_en",
        "agency_id",
        "description",
        "description_en",
        "order",
    )
    out = []
    for item in items:
        shaped = {k: item.get(k) for k in keys}
        owner = agencies.get(item.get("agency_id"), {})
        shaped["agency_name"] = owner.get("name")
        shaped["agency_name_en"] = owner.get("name_en")
        out.append(shaped)
    return {"items": out, "next_cursor": None}


# ---------------------------------------------------------------- demo data


def seed_demo(province: dict, onestop_url: str | None = None) -> None:
    """The province file's connectors and service links; ``onestop_url`` (the local
    stack's fake one-stop service) replaces each connector URL's scheme and host."""
    for order, item in enumerate(province.get("dossier_connectors", [])):
        data = {k: v for k, v in item.items() if k != "id"}
        if onestop_url:
            parts = urlsplit(data["url"])
            data["url"] = (
                onestop_url.rstrip("/")
                + data["url"][len(f"{parts.scheme}://{parts.netloc}") :]
            )
        connector = check_connector(item["id"], data)
        ReferenceModel(
            CONNECTOR, item["id"], data={**connector.data, "order": order}
        ).save()
    for order, item in enumerate(province.get("online_services", [])):
        data = {k: v for k, v in item.items() if k != "id"}
        ReferenceModel(SERVICE, item["id"], data={"order": order, **data}).save()
    reference.clear_cache()
