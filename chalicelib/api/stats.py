"""Statistics for leaders and the reception desk, and the public record by agency."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.http import route
from chalicelib.services import stats

bp = Blueprint(__name__)

_QUERY = ("from", "to", "group", "period", "agency", "area", "category", "channel")


@route(
    bp,
    "/stats",
    "GET",
    "Figures grouped by `group` (agency, area, category, channel, status, period by "
    "`period`: day, month, quarter, year) between `from` and `to`, filtered on each "
    "dimension. An agency leader reads their own agency.",
    auth="staff",
    groups=stats.READERS,
    query=_QUERY,
)
def read_stats(caller):
    return stats.query(caller, bp.current_request.query_params or {})


@route(
    bp,
    "/stats/reports",
    "GET",
    "The reports behind a figure: `measure` (a flow, or `s_<status>`) and the same "
    "period and filters; paged.",
    auth="staff",
    groups=stats.READERS,
    query=(*_QUERY, "measure", "limit", "cursor"),
)
def stats_reports(caller):
    return stats.drill(caller, bp.current_request.query_params or {})


@route(
    bp,
    "/public/stats",
    "GET",
    "How each agency performs in a `year`: reports received and resolved, share on "
    "time, average working days, satisfaction. No personal data.",
    query=("year",),
)
def public_stats():
    return Response(
        body=stats.public(bp.current_request.query_params or {}),
        status_code=200,
        headers={"Cache-Control": "public, max-age=300"},
    )
