"""The staff inbox and decisions."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.http import json_body, route
from chalicelib.observability import metrics
from chalicelib.services import paging, tasks

bp = Blueprint(__name__)

STAFF = ("reception", "officer", "agency_leader")


@route(
    bp,
    "/staff/tasks",
    "GET",
    "Open tasks the caller may act on, with the decisions allowed and their fields.",
    auth="staff",
    groups=STAFF,
    query=("limit", "cursor"),
)
def list_tasks(caller):
    params = bp.current_request.query_params or {}
    return tasks.inbox(
        caller, paging.limit_of(params.get("limit")), params.get("cursor")
    )


@route(
    bp,
    "/staff/tasks/{task_id}/decision",
    "POST",
    "Decide a task: route, reject, assign, resolve, transfer, approve, return.",
    auth="staff",
    groups=STAFF,
    request={"decision": {"type": "string"}, "note": {"type": "string"}},
    errors=(404, 409, 422),
)
def decide(task_id, caller):
    result = tasks.decide(caller, task_id, json_body(bp.current_request))
    if result["decision"] in ("route", "transfer"):
        metrics.add_metric(name="ReportsRouted", unit="Count", value=1)
    return result
