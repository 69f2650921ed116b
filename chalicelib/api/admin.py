"""Administration: the working-day calendar."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.http import json_body, route
from chalicelib.errors import BadRequestError
from chalicelib.services import calendar

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
