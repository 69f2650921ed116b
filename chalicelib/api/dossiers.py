"""Dossier lookup, online public services, and their administration."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.http import client_address, json_body, route
from chalicelib.services import dossiers, paging, reference_admin

bp = Blueprint(__name__)

_STRING = {"type": "string"}
_OBJECT = {"type": "object"}


@route(
    bp,
    "/dossiers/lookup",
    "POST",
    "A dossier's state in the one-stop system of the unit that holds it "
    "(POST keeps the ID number out of URLs and logs).",
    errors=(404, 422, 429, 502, 504),
    request={"code": _STRING, "id_number": _STRING, "unit": _STRING},
)
def lookup_dossier():
    request = bp.current_request
    return dossiers.lookup(json_body(request), client_address(request))


@route(bp, "/dossiers/units", "GET", "Units whose dossiers can be looked up.")
def dossier_units():
    return dossiers.units()


@route(
    bp,
    "/services",
    "GET",
    "Online public services (weblinks), by category and agency.",
    query=("category", "agency"),
)
def list_services():
    params = bp.current_request.query_params or {}
    return dossiers.services(params.get("category"), params.get("agency"))


@route(
    bp,
    "/admin/connectors",
    "GET",
    "One-stop connectors, paged (admin).",
    auth="staff",
    groups=("admin",),
    query=("limit", "cursor"),
)
def list_connectors(caller):
    params = bp.current_request.query_params or {}
    return reference_admin.list_kind(
        dossiers.CONNECTOR, paging.limit_of(params.get("limit")), params.get("cursor")
    )


@route(
    bp,
    "/admin/connectors/{item_id}",
    "PUT",
    "Create or change a unit's one-stop connector (docs/dossiers.md).",
    auth="staff",
    groups=("admin",),
    errors=(422,),
    request={
        "name": _STRING,
        "name_en": _STRING,
        "code_pattern": _STRING,
        "code_prefixes": {"type": "array", "items": _STRING},
        "url": _STRING,
        "method": _STRING,
        "headers": _OBJECT,
        "body": _OBJECT,
        "timeout": {"type": "number"},
        "fields": _OBJECT,
        "status_map": _OBJECT,
        "not_found": _OBJECT,
        "date_format": _STRING,
    },
)
def put_connector(item_id, caller):
    return dossiers.put_connector(item_id, json_body(bp.current_request))


@route(
    bp,
    "/admin/connectors/{item_id}",
    "DELETE",
    "Remove a unit's connector.",
    auth="staff",
    groups=("admin",),
    status=204,
    errors=(404,),
)
def delete_connector(item_id, caller):
    dossiers.delete(dossiers.CONNECTOR, item_id)
    return Response(body="", status_code=204)


@route(
    bp,
    "/admin/services/{item_id}",
    "PUT",
    "Create or change an online public service link (https only).",
    auth="staff",
    groups=("admin",),
    errors=(422,),
    request={
        "name": _STRING,
        "name_en": _STRING,
        "url": _STRING,
        "category": _STRING,
        "category_name": _STRING,
        "category_name_en": _STRING,
        "agency_id": _STRING,
        "order": {"type": "integer"},
        "description": _STRING,
        "description_en": _STRING,
    },
)
def put_service(item_id, caller):
    return dossiers.put_service(item_id, json_body(bp.current_request))


@route(
    bp,
    "/admin/services/{item_id}",
    "DELETE",
    "Remove an online public service link.",
    auth="staff",
    groups=("admin",),
    status=204,
    errors=(404,),
)
def delete_service(item_id, caller):
    dossiers.delete(dossiers.SERVICE, item_id)
    return Response(body="", status_code=204)
