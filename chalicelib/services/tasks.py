"""Staff tasks: the inbox, decisions, extensions, and the deadline sweeper.

A decision is one conditional transaction (task, report, timeline, attachments); the
workflow hears of it from the tasks stream (``SendTaskSuccess``, the outbox), so a
failed callback is retried and never half-applies the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import (
    DoesNotExist,
    QueryError,
    TransactWriteError,
    UpdateError,
)
from pynamodb.transactions import TransactWrite

from chalicelib.adapters import workflows
from chalicelib.adapters.identity import Caller
from chalicelib.adapters.tables import (
    ReportModel,
    TaskModel,
    UserModel,
    connection,
)
from chalicelib.domain import clock, reports, search
from chalicelib.domain.workflow import DECISIONS, NO_DUE, Decision, status_after
from chalicelib.errors import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
    field_error,
)
from chalicelib.services import paging, reference, workflow_runs, workflow_specs
from chalicelib.services import reports as report_service
from chalicelib.services.calendar import working_calendar

NOTE_MAX = 2000
TEXT_MAX = 5000
EXTENSION_DAYS_MAX = 30
CLOSED_STATUSES = ("rejected", "merged")


def _task_not_found() -> NotFoundError:
    return NotFoundError(
        code="task_not_found",
        message="Không tìm thấy nhiệm vụ.",
        message_en="Task not found.",
    )


# The groups whose members hold tasks in an inbox of their unit.
TASK_GROUPS = ("reception", "agency_leader", "officer")


def task_groups(caller: Caller) -> list[str]:
    """The caller's groups that have an inbox, in a fixed order (Cognito keeps no
    order of groups): reception, then the leaders' inbox, then the officers'."""
    return [g for g in TASK_GROUPS if g in caller.groups]


def _staff_group(caller: Caller, wanted: str | None = None) -> str:
    """The inbox the caller reads: the one asked for, or their first. A leader who
    also processes reports (two groups) reads each inbox in turn, one Query each."""
    mine = task_groups(caller)
    if not caller.is_staff or not caller.agency_id or not mine:
        raise ForbiddenError()
    if wanted is None:
        return mine[0]
    if wanted not in mine:
        raise _bad(
            "bad_group",
            "Bạn không thuộc nhóm xử lý này.",
            "You are not in this group of handlers.",
        )
    return wanted


QUERY_MAX = 100


@dataclass(frozen=True)
class TaskFilter:
    """What the staff list is narrowed to; every field optional."""

    step: str | None = None
    area: str | None = None
    category: str | None = None
    q: str | None = None
    code: str | None = None
    overdue: bool = False
    group: str | None = None  # which of the caller's inboxes; their first if None


def _bad(code: str, vi: str, en: str) -> BadRequestError:
    return BadRequestError(code=code, message=vi, message_en=en)


def _check_filter(caller: Caller, wanted: TaskFilter) -> list[str]:
    """Refuse a value no task can have (400); returns the words of ``q``."""
    if wanted.step is not None and wanted.step not in _unit_steps(caller.agency_id):
        raise _bad(
            "bad_step",
            "Bước xử lý không có trong quy trình của đơn vị.",
            "This step is not in the unit's workflow.",
        )
    if wanted.area is not None and wanted.area not in reference.by_id("area"):
        raise _bad("bad_area", "Địa bàn không tồn tại.", "Unknown area.")
    if wanted.category is not None and wanted.category not in reference.by_id(
        "category"
    ):
        raise _bad("bad_category", "Lĩnh vực không tồn tại.", "Unknown category.")
    if wanted.code is not None and not reports.searchable_code(wanted.code):
        raise reports.bad_code()
    if wanted.q is None:
        return []
    if len(wanted.q) > QUERY_MAX:
        raise _bad(
            "bad_query",
            f"Từ khóa tìm kiếm tối đa {QUERY_MAX} ký tự.",
            f"The search text is at most {QUERY_MAX} characters.",
        )
    return search.words(wanted.q)


def _unit_steps(unit_id: str) -> dict:
    # TODO: a task still running on an older spec version whose step was renamed
    # since cannot be filtered by that step; the current version names the steps.
    return workflow_specs.current(unit_id)["spec"]["steps"]


def step_options(caller: Caller, group: str | None = None) -> list[dict]:
    """The steps of the caller's unit where the caller's group acts: the list's
    "status" choices."""
    group = _staff_group(caller, group)
    return [
        {
            "step": name,
            "label": step.get("label", name),
            "label_en": step.get("label_en", name),
        }
        for name, step in _unit_steps(caller.agency_id).items()
        if step.get("actor", {}).get("group") == group
    ]


def inbox(
    caller: Caller,
    limit: int,
    cursor: str | None,
    overdue: bool = False,
    wanted: TaskFilter | None = None,
) -> dict:
    """Open tasks the caller may act on, by due time: overdue first, tasks without
    a due time last; or only overdue ones. Narrowed by step, area and category
    (each a Query on its own index; when several are given, one index is read and
    the others filter it), by words of the code and title, or to one report's code.
    """
    wanted = wanted or TaskFilter(overdue=overdue)
    group = _staff_group(caller, wanted.group)
    words = _check_filter(caller, wanted)
    queue = f"{caller.agency_id}#{group}"
    now = clock.now()

    conditions = []
    if group == "officer":
        conditions.append(TaskModel.assignee == caller.sub)
    for word in words:
        conditions.append(TaskModel.search.contains(word))
    keyed = [
        (TaskModel.area_index, TaskModel.area_key, wanted.area),
        (TaskModel.category_index, TaskModel.category_key, wanted.category),
        (TaskModel.step_index, TaskModel.step_key, wanted.step),
    ]
    keyed = [(i, attr, f"{queue}#{v}") for i, attr, v in keyed if v is not None]

    if wanted.code is not None:
        found = _by_code(queue, wanted.code, conditions + _equal(keyed), now, wanted)
        return _page(found, None, now)

    index, hash_attr, hash_key = TaskModel.queue_index, TaskModel.inbox, queue
    if keyed:
        index, hash_attr, hash_key = keyed[0]
        conditions += _equal(keyed[1:])
    range_condition = (
        TaskModel.due_sort <= clock.iso_utc(now) if wanted.overdue else None
    )
    results = index.query(
        hash_key,
        range_condition,
        filter_condition=_all(conditions),
        limit=limit,
        last_evaluated_key=_cursor(cursor, hash_attr.attr_name, hash_key),
    )
    try:
        found = list(results)
    except QueryError as error:
        raise _bad_cursor() from error
    return _page(found, paging.encode(results.last_evaluated_key), now)


def _bad_cursor() -> BadRequestError:
    return _bad("bad_cursor", "Con trỏ trang không hợp lệ.", "The cursor is invalid.")


def _cursor(cursor: str | None, hash_name: str, hash_key: str) -> dict | None:
    """The start key, if it is one of this index and this key: a cursor kept from
    another filter is refused (DynamoDB refuses it too; moto fails on it)."""
    start = paging.decode(cursor)
    if start is None:
        return None
    if (
        not isinstance(start, dict)
        or set(start) != {"id", hash_name, "due_sort"}
        or start[hash_name] != {"S": hash_key}
    ):
        raise _bad_cursor()
    return start


def _equal(keyed: list) -> list:
    return [attr == value for _, attr, value in keyed]


def _all(conditions: list):
    combined = None
    for c in conditions:
        combined = c if combined is None else combined & c
    return combined


def _by_code(
    queue: str, code: str, conditions: list, now: datetime, wanted: TaskFilter
) -> list[TaskModel]:
    """The caller's open tasks of the report with this code: a Query on the
    reports' code-index, then on the tasks' report-index, kept to the caller's
    inbox (a code of another unit's report finds nothing)."""
    report = report_service.by_code(code)
    if report is None:
        return []
    conditions = [TaskModel.inbox == queue, *conditions]
    if wanted.overdue:
        conditions.append(TaskModel.due_sort <= clock.iso_utc(now))
    found = TaskModel.report_index.query(report.id, filter_condition=_all(conditions))
    return sorted(found, key=lambda t: t.due_sort or NO_DUE)


def _page(found: list[TaskModel], next_cursor: str | None, now: datetime) -> dict:
    by_id = {r.id: r for r in ReportModel.batch_get({t.report_id for t in found})}
    soon = _soon_limit(now)
    items = [shape(t, by_id.get(t.report_id), soon=soon) for t in found]
    return {"items": items, "next_cursor": next_cursor}


def _soon_limit(now: datetime) -> datetime:
    """A task due before this is due soon: the end of the next working day."""
    return working_calendar().add_working_days(now, 1)


def _spec(task: TaskModel) -> dict:
    """The spec version the task's execution started on."""
    if task.spec_version:
        return workflow_specs.version(task.unit_id, int(task.spec_version))["spec"]
    return workflow_specs.current(task.unit_id)["spec"]


def shape(
    task: TaskModel, report: ReportModel | None, soon: datetime | None = None
) -> dict:
    """A task as the staff list shows it. ``due_soon``: not yet overdue, due by the
    end of the next working day (``soon``, computed once per page)."""
    step = _spec(task)["steps"].get(task.step, {})
    now = clock.now()
    due = clock.parse_iso(task.due_at) if task.due_at else None
    overdue = bool(due and due < now)
    soon = soon or _soon_limit(now)
    return {
        "id": task.id,
        "report_id": task.report_id,
        "report_code": report.code if report else None,
        "report_title": report.title if report else None,
        "step": task.step,
        "step_label": step.get("label", task.step),
        "step_label_en": step.get("label_en", task.step),
        "unit_id": task.unit_id,
        "spec_version": task.spec_version,
        "status": task.status,
        "created_at": clock.iso(clock.parse_iso(task.created_at)),
        "area_id": report.area_id if report else task.area_id,
        "category_id": report.category_id if report else task.category_id,
        "due_at": due and clock.iso(due),
        "overdue": overdue,
        "due_soon": bool(due and not overdue and due <= soon),
        "extended": bool(task.extended_at),
        "assignee": task.assignee,
        "allowed_decisions": [
            _decision_form(DECISIONS[d], task)
            for d in sorted(task.decisions)
            if d in DECISIONS
        ],
    }


def _decision_form(decision: Decision, task: TaskModel) -> dict:
    fields = []
    for f in decision.fields:
        item = {
            "name": f.name,
            "type": f.type,
            "required": f.required,
            "label": f.label,
            "label_en": f.label_en,
        }
        if f.options_from:
            item["options"] = _options(f.options_from, task)
        fields.append(item)
    return {
        "decision": decision.name,
        "label": decision.label,
        "label_en": decision.label_en,
        "fields": fields,
    }


def _options(source: str, task: TaskModel) -> list[dict]:
    if source == "agencies":
        return [
            {"value": a["id"], "label": a["name"], "label_en": a.get("name_en")}
            for a in reference.items("agency")
            if a["id"] != task.unit_id
        ]
    officers = [
        u
        for u in UserModel.agency_index.query(task.unit_id)
        if "officer" in (u.groups or [])
    ]
    return [
        {"value": u.sub, "label": u.name or u.username, "label_en": u.name}
        for u in officers
    ]


def get_task(task_id: str) -> TaskModel:
    try:
        return TaskModel.get(task_id)
    except DoesNotExist as error:
        raise _task_not_found() from error


def may_act(caller: Caller, task: TaskModel) -> bool:
    if task.group not in caller.groups or caller.agency_id != task.unit_id:
        return False
    return not task.assignee or task.assignee == caller.sub


def _check_open(task: TaskModel) -> None:
    if task.status != "open":
        raise ConflictError(
            code="task_already_decided",
            message="Nhiệm vụ này đã được xử lý.",
            message_en="This task has already been decided.",
        )


def _check_live(task: TaskModel) -> None:
    """A task whose execution has ended can take no decision: say so, change nothing.

    The callback itself runs later from the outbox; checking the execution first is
    what keeps a stale token from leaving a decision that no workflow will follow.
    """
    version = workflow_specs.version(task.unit_id, int(task.spec_version or 1))
    if (
        workflows.execution_status(version["state_machine_arn"], task.execution)
        != "RUNNING"
    ):
        raise workflows.StaleTaskError()


def decide(caller: Caller, task_id: str, body: object) -> dict:
    if not isinstance(body, dict):
        raise ValidationError(
            fields=field_error(
                "body", "Cần một đối tượng JSON.", "A JSON object is expected."
            )
        )
    task = get_task(task_id)
    if not may_act(caller, task):
        raise ForbiddenError(
            code="not_your_task",
            message="Nhiệm vụ này không thuộc quyền xử lý của bạn.",
            message_en="This task is not yours to decide.",
        )
    _check_open(task)
    name = body.get("decision")
    if name not in task.decisions or name not in DECISIONS:
        raise ValidationError(
            code="decision_not_allowed",
            message="Quyết định này không được phép ở bước hiện tại.",
            message_en="This decision is not allowed in this step.",
            fields=field_error(
                "decision", "Quyết định không hợp lệ.", "Decision not allowed."
            ),
        )
    decision = DECISIONS[name]
    values = _values(decision, body, task)
    note = body.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > NOTE_MAX):
        raise ValidationError(
            fields=field_error(
                "note",
                f"Ghi chú tối đa {NOTE_MAX} ký tự.",
                f"The note is at most {NOTE_MAX} characters.",
            )
        )
    report = report_service.get_model(task.report_id)
    if name == "merge":
        values["into_report_id"] = _merge_target(report, values["into_code"])
    uploads = report_service.load_own_uploads(caller, values.get("upload_ids") or [])
    _check_live(task)

    target = _spec(task)["steps"][task.step]["decisions"][name]
    now = clock.now()
    output = {"decision": name, **values}
    report_actions = [
        ReportModel.status.set(status_after(name, target)),
        ReportModel.version.add(1),
    ]
    if "agency_id" in values:
        report_actions.append(ReportModel.agency_id.set(values["agency_id"]))
    if name == "assign":
        report_actions.append(ReportModel.assignee_sub.set(values["officer_id"]))
    if name == "resolve":
        report_actions += [
            ReportModel.result_text.set(values["result"]),
            ReportModel.result_upload_ids.set(values.get("upload_ids") or []),
        ]
    if name == "merge":
        report_actions.append(ReportModel.merged_into.set(values["into_report_id"]))
    public_note = values.get("reason") or values.get("question") or note
    if name == "merge":
        public_note = values["into_code"]
    entry = report_service.timeline_entry(
        report.id,
        now,
        decision.timeline,
        actor=caller,
        role=task.group,
        note=public_note,
        agency_id=values.get("agency_id") or task.unit_id,
        unit_id=task.unit_id,
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            close_task(tx, task, output, caller.sub, now)
            tx.update(
                report,
                actions=report_actions,
                condition=ReportModel.version == report.version,
            )
            tx.save(entry)
            if name == "merge":
                earlier = ReportModel(values["into_report_id"])
                tx.update(
                    earlier,
                    actions=[
                        ReportModel.followers.set(
                            (ReportModel.followers | []).append([report.owner_sub])
                        )
                    ],
                    condition=ReportModel.id.exists(),
                )
            report_service.attach_uploads(tx, uploads, report.id)
    except TransactWriteError as error:
        raise ConflictError(
            code="task_already_decided",
            message="Nhiệm vụ hoặc phản ánh vừa được người khác cập nhật.",
            message_en="Someone else changed this task or report.",
        ) from error
    return {"task_id": task.id, "decision": name, "status": "decided"}


def close_task(
    tx: TransactWrite, task: TaskModel, output: dict, by: str, now: datetime
) -> None:
    """Within ``tx``: the open task is decided with ``output``, leaves its inbox, the
    sweeper's index and the list's filter indexes, and the outbox (the tasks stream)
    will deliver ``output``."""
    tx.update(
        task,
        actions=[
            TaskModel.status.set("decided"),
            TaskModel.inbox.remove(),
            TaskModel.pending.remove(),
            TaskModel.step_key.remove(),
            TaskModel.area_key.remove(),
            TaskModel.category_key.remove(),
            TaskModel.decision.set(output),
            TaskModel.decided_at.set(now.isoformat()),
            TaskModel.decided_by.set(by),
        ],
        condition=TaskModel.status == "open",
    )


def _merge_target(report: ReportModel, code: str) -> str:
    earlier = next(
        iter(ReportModel.code_index.query(code.strip().upper(), limit=1)), None
    )
    if earlier is None or earlier.id == report.id or earlier.status in CLOSED_STATUSES:
        raise ValidationError(
            fields=field_error(
                "into_code",
                "Không có phản ánh đang xử lý mang mã này.",
                "No open report has this code.",
            )
        )
    return earlier.id


def _values(decision: Decision, body: dict, task: TaskModel) -> dict:
    values: dict = {}
    errors: dict = {}
    for f in decision.fields:
        raw = body.get(f.name)
        if f.type == "uploads":
            raw = [] if raw is None else raw
            if not isinstance(raw, list) or not all(isinstance(u, str) for u in raw):
                errors.update(
                    field_error(
                        f.name,
                        "Danh sách ảnh không hợp lệ.",
                        "A list of upload ids is expected.",
                    )
                )
            values[f.name] = raw
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if f.required:
                errors.update(
                    field_error(
                        f.name,
                        f"Vui lòng nhập {f.label.lower()}.",
                        f"{f.label_en} is required.",
                    )
                )
            continue
        if not isinstance(raw, str) or len(raw) > TEXT_MAX:
            errors.update(
                field_error(
                    f.name, f"{f.label} không hợp lệ.", f"{f.label_en} is invalid."
                )
            )
            continue
        options = _options(f.options_from, task) if f.options_from else None
        if options is not None and raw not in {o["value"] for o in options}:
            errors.update(
                field_error(
                    f.name,
                    f"{f.label} không nằm trong danh sách.",
                    f"{f.label_en} is not one of the options.",
                )
            )
            continue
        values[f.name] = raw.strip()
    if errors:
        raise ValidationError(fields=errors)
    return values


def extend(caller: Caller, task_id: str, body: object) -> dict:
    """A leader moves a task's due time once, with a reason the timeline keeps."""
    task = get_task(task_id)
    if "agency_leader" not in caller.groups or caller.agency_id != task.unit_id:
        raise ForbiddenError(
            code="leaders_only",
            message="Chỉ lãnh đạo đơn vị được gia hạn.",
            message_en="Only the unit's leader can extend a deadline.",
        )
    _check_open(task)
    body = body if isinstance(body, dict) else {}
    days, reason = body.get("days"), body.get("reason")
    errors = {}
    if (
        not isinstance(days, int)
        or isinstance(days, bool)
        or not 1 <= days <= EXTENSION_DAYS_MAX
    ):
        errors.update(
            field_error(
                "days",
                f"Số ngày gia hạn từ 1 đến {EXTENSION_DAYS_MAX} ngày làm việc.",
                f"Extend by 1 to {EXTENSION_DAYS_MAX} working days.",
            )
        )
    if not isinstance(reason, str) or not reason.strip() or len(reason) > NOTE_MAX:
        errors.update(
            field_error(
                "reason", "Vui lòng nhập lý do gia hạn.", "A reason is required."
            )
        )
    if errors:
        raise ValidationError(fields=errors)
    if task.extended_at:
        raise ConflictError(
            code="already_extended",
            message="Nhiệm vụ này đã được gia hạn một lần.",
            message_en="This deadline was already extended once.",
        )
    now = clock.now()
    base = clock.parse_iso(task.due_at) if task.due_at else now
    due = working_calendar().add_working_days(base, days)
    entry = report_service.timeline_entry(
        task.report_id,
        now,
        "extended",
        actor=caller,
        role="agency_leader",
        note=f"{reason.strip()} (hạn mới / new due: {clock.display(due)})",
        unit_id=task.unit_id,
        agency_id=task.unit_id,
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(
                task,
                actions=[
                    TaskModel.due_at.set(clock.iso_utc(due)),
                    TaskModel.due_sort.set(clock.iso_utc(due)),
                    TaskModel.pending.set(workflow_runs.OPEN),
                    TaskModel.extended_at.set(now.isoformat()),
                    TaskModel.overdue_at.remove(),
                ],
                condition=(TaskModel.status == "open")
                & TaskModel.extended_at.does_not_exist(),
            )
            tx.save(entry)
    except TransactWriteError as error:
        raise ConflictError(
            code="already_extended",
            message="Nhiệm vụ này đã được gia hạn hoặc đã xử lý xong.",
            message_en="The task was extended or decided meanwhile.",
        ) from error
    return shape(get_task(task_id), report_service.get_model(task.report_id))


def sweep_overdue(limit: int = 200) -> list[TaskModel]:
    """Mark open tasks past their due time; the task stays with its holder.

    Returns the tasks newly marked; the caller escalates them.
    """
    now = clock.iso_utc(clock.now())
    marked = []
    for task in TaskModel.open_due_index.query(
        workflow_runs.OPEN,
        TaskModel.due_at <= now,
        filter_condition=TaskModel.overdue_at.does_not_exist(),
        limit=limit,
    ):
        try:
            task.update(
                actions=[TaskModel.overdue_at.set(now)],
                condition=TaskModel.overdue_at.does_not_exist()
                & (TaskModel.status == "open"),
            )
        except UpdateError:
            continue  # decided or marked meanwhile
        marked.append(task)
    return marked
