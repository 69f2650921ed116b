"""Administration: the working-day calendar."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.http import forget_account_state, json_body, route
from chalicelib.errors import BadRequestError
from chalicelib.services import accounts, calendar, paging, reference_admin

bp = Blueprint(__name__)

_DATES = {"type": "array", "items": {"type": "string", "format": "date"}}


def _year(raw: str) -> int:
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise BadRequestError(
            code="bad_year",
            message="Năm không hợp lệ.",
            message_en="The year is invalid.",
        )
    return int(raw)


@route(
    bp,
    "/admin/calendar/{year}",
    "GET",
    "A year's working-day calendar: public holidays (VN), and the extra days off "
    "and make-up working days the administrators set.",
    auth="staff",
    groups=("admin", "agency_leader", "reception"),
)
def get_calendar(year, caller):
    return calendar.year_view(_year(year))


@route(
    bp,
    "/admin/calendar/{year}",
    "PUT",
    "Set a year's extra days off and make-up working days (admin).",
    auth="staff",
    groups=("admin",),
    errors=(422,),
    request={"days_off": _DATES, "working_days": _DATES},
)
def put_calendar(year, caller):
    return calendar.set_year(caller, _year(year), json_body(bp.current_request))


_STRING = {"type": "string"}
_LIST = {"type": "array", "items": _STRING}


@route(
    bp,
    "/admin/staff",
    "GET",
    "Staff of one unit (`agency_id`), paged.",
    auth="staff",
    groups=("admin",),
    query=("agency_id", "limit", "cursor"),
)
def list_staff(caller):
    params = bp.current_request.query_params or {}
    if not params.get("agency_id"):
        raise BadRequestError(
            code="agency_required",
            message="Cần tham số agency_id.",
            message_en="agency_id is required.",
        )
    return accounts.list_staff(
        params["agency_id"], paging.limit_of(params.get("limit")), params.get("cursor")
    )


@route(
    bp,
    "/admin/staff",
    "POST",
    "Create a staff account; the temporary password is shown once and must be "
    "changed at first sign-in.",
    auth="staff",
    groups=("admin",),
    status=201,
    errors=(409, 422),
    request={
        "username": _STRING,
        "name": _STRING,
        "agency_id": _STRING,
        "groups": _LIST,
        "phone": _STRING,
    },
)
def create_staff(caller):
    return accounts.create_staff(caller, json_body(bp.current_request))


@route(
    bp,
    "/admin/staff/{sub}",
    "PUT",
    "Change a staff account: any of its name, phone (null for none), unit and "
    "groups, checked as at creation. A change of groups or unit ends the account's "
    "sessions: the new rights apply at its next sign-in.",
    auth="staff",
    groups=("admin",),
    errors=(404, 409, 422),
    request={
        "name": _STRING,
        "phone": _STRING,
        "agency_id": _STRING,
        "groups": _LIST,
    },
)
def update_staff(sub, caller):
    answer = accounts.update_staff(caller, sub, json_body(bp.current_request))
    forget_account_state(sub)  # here at once; other instances within the cache time
    return answer


@route(
    bp,
    "/admin/staff/{sub}/disable",
    "POST",
    "Disable a staff account; its sessions end within a minute.",
    auth="staff",
    groups=("admin",),
    errors=(404, 409),
)
def disable_staff(sub, caller):
    answer = accounts.set_staff_enabled(caller, sub, False)
    forget_account_state(sub)  # here at once; other instances within the cache time
    return answer


@route(
    bp,
    "/admin/staff/{sub}/enable",
    "POST",
    "Enable a staff account again.",
    auth="staff",
    groups=("admin",),
    errors=(404,),
)
def enable_staff(sub, caller):
    return accounts.set_staff_enabled(caller, sub, True)


@route(
    bp,
    "/admin/staff/{sub}/reset-password",
    "POST",
    "A new temporary password, to be changed at next sign-in.",
    auth="staff",
    groups=("admin",),
    errors=(404,),
)
def reset_staff_password(sub, caller):
    answer = accounts.reset_staff_password(caller, sub)
    forget_account_state(sub)
    return answer


@route(
    bp,
    "/admin/categories/{item_id}",
    "PUT",
    "Create or rename a category.",
    auth="staff",
    groups=("admin",),
    errors=(422,),
    request={"name": _STRING, "name_en": _STRING},
)
def put_category(item_id, caller):
    return reference_admin.put_category(item_id, json_body(bp.current_request))


@route(
    bp,
    "/admin/areas/{item_id}",
    "PUT",
    "Create or change an area: parent, names, validity dates.",
    auth="staff",
    groups=("admin",),
    errors=(422,),
    request={
        "name": _STRING,
        "name_en": _STRING,
        "parent_id": _STRING,
        "valid_from": _STRING,
        "valid_to": _STRING,
    },
)
def put_area(item_id, caller):
    return reference_admin.put_area(item_id, json_body(bp.current_request))


@route(
    bp,
    "/admin/agencies/{item_id}",
    "PUT",
    "Create or change an agency and the areas and categories it serves; a new "
    "one copies the workflow of `workflow_from`.",
    auth="staff",
    groups=("admin",),
    errors=(422,),
    request={
        "name": _STRING,
        "name_en": _STRING,
        "area_ids": _LIST,
        "category_ids": _LIST,
        "workflow_from": _STRING,
    },
)
def put_agency(item_id, caller):
    return reference_admin.put_agency(
        item_id, json_body(bp.current_request), caller.sub
    )
