"""Staff tasks: the inbox, and a decision applied as one conditional transaction."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.identity import Caller
from chalicelib.adapters.tables import (
    ReportModel,
    TaskModel,
    UploadModel,
    UserModel,
    connection,
)
from chalicelib.domain import clock
from chalicelib.domain.workflow import DECISIONS, Decision
from chalicelib.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
    field_error,
)
from chalicelib.services import paging, reference
from chalicelib.services import reports as report_service

NOTE_MAX = 2000
TEXT_MAX = 5000


def _task_not_found() -> NotFoundError:
    return NotFoundError(
        code="task_not_found",
        message="Không tìm thấy nhiệm vụ.",
        message_en="Task not found.",
    )


def inbox(caller: Caller, limit: int, cursor: str | None) -> dict:
    """Open tasks the caller may act on: their unit's, for their group, oldest first."""
    if not caller.is_staff or not caller.agency_id:
        raise ForbiddenError()
    groups = [g for g in caller.groups if g != "citizen"]
    # TODO: a caller in several groups pages through the first group only; staff
    # hold one group each today (demo and Cognito setup), the panel shows the rest.
    group = groups[0]
    condition = None
    if group == "officer":
        condition = TaskModel.assignee == caller.sub
    results = TaskModel.inbox_index.query(
        f"{caller.agency_id}#{group}",
        filter_condition=condition,
        limit=limit,
        last_evaluated_key=paging.decode(cursor),
    )
    tasks = list(results)
    reports = {r.id: r for r in ReportModel.batch_get({t.report_id for t in tasks})}
    items = [shape(t, reports.get(t.report_id), caller) for t in tasks]
    return {"items": items, "next_cursor": paging.encode(results.last_evaluated_key)}


def shape(task: TaskModel, report: ReportModel | None, caller: Caller) -> dict:
    spec = reference.by_id("workflow").get(task.unit_id, {}).get("spec", {})
    step = spec.get("steps", {}).get(task.step, {})
    return {
        "id": task.id,
        "report_id": task.report_id,
        "report_code": report.code if report else None,
        "report_title": report.title if report else None,
        "step": task.step,
        "step_label": step.get("label", task.step),
        "step_label_en": step.get("label_en", task.step),
        "unit_id": task.unit_id,
        "status": task.status,
        "created_at": clock.iso(clock.parse_iso(task.created_at)),
        "due_at": task.due_at,
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


def decide(caller: Caller, task_id: str, body: object) -> dict:
    """Apply a decision: task, report and timeline change together or not at all.

    The workflow hears of it from the tasks stream (``SendTaskSuccess``), so a failed
    callback is retried and never half-applies the decision.
    """
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
    if task.status != "open":
        raise ConflictError(
            code="task_already_decided",
            message="Nhiệm vụ này đã được xử lý.",
            message_en="This task has already been decided.",
        )
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
    uploads = report_service.load_own_uploads(caller, values.get("upload_ids") or [])

    report = report_service.get_model(task.report_id)
    now = clock.now()
    output = {"decision": name, **values}
    report_actions = [
        ReportModel.status.set(decision.status),
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
    public_note = values.get("reason") or note
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
            tx.update(
                task,
                actions=[
                    TaskModel.status.set("decided"),
                    TaskModel.inbox.remove(),
                    TaskModel.decision.set(output),
                    TaskModel.decided_at.set(now.isoformat()),
                    TaskModel.decided_by.set(caller.sub),
                ],
                condition=TaskModel.status == "open",
            )
            tx.update(
                report,
                actions=report_actions,
                condition=ReportModel.version == report.version,
            )
            tx.save(entry)
            for upload in uploads:
                tx.update(
                    upload,
                    actions=[
                        UploadModel.status.set("attached"),
                        UploadModel.report_id.set(report.id),
                    ],
                    condition=UploadModel.status == "pending",
                )
    except TransactWriteError as error:
        raise ConflictError(
            code="task_already_decided",
            message="Nhiệm vụ hoặc phản ánh vừa được người khác cập nhật.",
            message_en="Someone else changed this task or report.",
        ) from error
    return {"task_id": task.id, "decision": name, "status": "decided"}


def _values(decision: Decision, body: dict, task: TaskModel) -> dict:
    values: dict = {}
    errors: dict = {}
    for f in decision.fields:
        raw = body.get(f.name)
        if f.type == "uploads":
            if raw is None:
                raw = []
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
        if f.options_from and raw not in {
            o["value"] for o in _options(f.options_from, task)
        }:
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
