"""The staff inbox, decisions, deadline extensions, and reports entered by staff."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.http import idempotency_key, json_body, route
from chalicelib.errors import BadRequestError
from chalicelib.observability import metrics
from chalicelib.services import citizen_actions, paging, tasks
from chalicelib.services import reports as report_service

bp = Blueprint(__name__)

STAFF = tasks.TASK_GROUPS


@route(
    bp,
    "/staff/tasks",
    "GET",
    "Open tasks the caller may act on, by due time (overdue first, no due time "
    "last), with the decisions allowed and their fields. Filters: `step`, `area`, "
    "`category` (each a Query on its index), `q` (words of the code and title, "
    "without accents), `code` (one report among the caller's tasks), "
    "`overdue=true` (only overdue ones), `group` (which of the caller's inboxes, "
    "when they are in several; `groups` lists them). `steps` lists the steps where "
    "the caller's group acts.",
    auth="staff",
    groups=STAFF,
    query=(
        "limit",
        "cursor",
        "overdue",
        "group",
        "step",
        "area",
        "category",
        "q",
        "code",
    ),
)
def list_tasks(caller):
    params = bp.current_request.query_params or {}
    overdue = params.get("overdue", "false")
    if overdue not in ("true", "false"):
        raise BadRequestError(
            code="bad_overdue",
            message="Tham số overdue phải là true hoặc false.",
            message_en="overdue must be true or false.",
        )

    def given(name):  # an empty parameter is no filter
        value = (params.get(name) or "").strip()
        return value or None

    code = given("code")
    wanted = tasks.TaskFilter(
        step=given("step"),
        area=given("area"),
        category=given("category"),
        q=given("q"),
        code=code and code.upper(),
        overdue=overdue == "true",
        group=given("group"),
    )
    answer = tasks.inbox(
        caller,
        paging.limit_of(params.get("limit")),
        params.get("cursor"),
        wanted=wanted,
    )
    groups = tasks.task_groups(caller)
    return {
        **answer,
        "steps": tasks.step_options(caller, wanted.group),
        "group": wanted.group or groups[0],
        "groups": groups,
    }


@route(
    bp,
    "/staff/tasks/{task_id}/decision",
    "POST",
    "Decide a task: route, reject, merge, assign, resolve, transfer, "
    "request_info, approve, return.",
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


@route(
    bp,
    "/staff/tasks/{task_id}/extend",
    "POST",
    "Extend a task's deadline once, by working days, with a reason (the unit's "
    "leader).",
    auth="staff",
    groups=("agency_leader",),
    request={"days": {"type": "integer"}, "reason": {"type": "string"}},
    errors=(404, 409, 422),
)
def extend(task_id, caller):
    return tasks.extend(caller, task_id, json_body(bp.current_request))


@route(
    bp,
    "/staff/reports",
    "POST",
    "Enter a report received by phone, paper or email, for a citizen "
    "(`channel`, `contact`). Honours Idempotency-Key.",
    auth="staff",
    groups=("reception",),
    status=201,
    errors=(409, 422),
    request={
        "channel": {"type": "string"},
        "contact": {"type": "object"},
        "title": {"type": "string"},
        "content": {"type": "string"},
        "category_id": {"type": "string"},
        "location": {"type": "object"},
        "occurred_at": {"type": "string"},
        "upload_ids": {"type": "array", "items": {"type": "string"}},
    },
)
def enter_report(caller):
    request = bp.current_request
    created = citizen_actions.enter_for_citizen(
        caller, json_body(request), idempotency_key(request)
    )
    metrics.add_metric(name="ReportsReceived", unit="Count", value=1)
    return created


@route(
    bp,
    "/staff/reports",
    "GET",
    "Find a report by its code (`code`, required): a list of none or one, the report "
    "if the caller's unit holds or held it (reception, province leaders and "
    "administrators: any report); then `GET /v1/reports/{id}` shows it whole.",
    auth="staff",
    groups=(*tasks.TASK_GROUPS, "province_leader", "admin"),
    query=("code",),
)
def find_report(caller):
    params = bp.current_request.query_params or {}
    return {"items": report_service.find_by_code(caller, params.get("code"))}
