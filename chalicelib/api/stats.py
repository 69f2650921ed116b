"""Statistics for leaders and the reception desk, and the public record by agency."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.http import cached, route
from chalicelib.errors import BadRequestError
from chalicelib.services import stats, stats_export

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
    return cached(stats.public(bp.current_request.query_params or {}), seconds=300)


# ------------------------------------------------------------------ files (issue 6)

# Chalice base64-encodes a body, and API Gateway decodes it, only for these media
# types (app.py registers them; `chalice package` writes them into the REST API's
# binaryMediaTypes). CSV is text and travels as it is.
BINARY_TYPES = (stats_export.XLSX,)


def _file(download: stats_export.Download) -> Response:
    if download.content_type in BINARY_TYPES:
        _require_accept(download.content_type)
    return Response(
        body=download.body,
        status_code=200,
        headers={
            "Content-Type": download.content_type,
            "Content-Disposition": f'attachment; filename="{download.filename}"',
        },
    )


def _require_accept(media_type: str) -> None:
    # API Gateway decodes a binary body only when the *first* type of the request's
    # Accept is a binary type; a browser's `*/*` would get the base64 text as the file.
    # Refusing here says so in our error body, the same locally and in production.
    accept = (bp.current_request.headers or {}).get("accept") or ""
    first = accept.split(",", 1)[0].split(";", 1)[0].strip().lower()
    if first != media_type:
        raise BadRequestError(
            code="accept_required",
            message=f"Cần gửi tiêu đề Accept: {media_type} để tải tệp.",
            message_en=f"Send Accept: {media_type} to download the file.",
        )


@route(
    bp,
    "/stats/export",
    "GET",
    "The table of `/v1/stats` for the same parameters as a file: `format` xlsx "
    "(send `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml."
    "sheet`) or csv (UTF-8 with BOM), Vietnamese headers, a total row.",
    auth="staff",
    groups=stats.READERS,
    query=(*_QUERY, "format"),
)
def export_stats(caller):
    params = bp.current_request.query_params or {}
    return _file(stats_export.export(caller, params))


@route(
    bp,
    "/stats/summary",
    "GET",
    "One agency's report for a `period` (2026-11, 2026-H1, 2026-H2): totals, reports "
    "still in progress by status, by category and by area; `format` json or xlsx.",
    auth="staff",
    groups=stats.READERS,
    query=("agency", "period", "format"),
)
def stats_summary(caller):
    answer = stats_export.summary(caller, bp.current_request.query_params or {})
    return _file(answer) if isinstance(answer, stats_export.Download) else answer
