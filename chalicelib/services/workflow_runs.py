"""Running the report through units: start executions, apply their outcomes, time.

An execution is one unit's handling of one report; executions are named
``<report id>-<n>`` in the order they start, so that a retried stream record never
starts one twice.
"""

from __future__ import annotations

from contextlib import suppress

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.adapters import storage, workflows
from chalicelib.adapters.tables import (
    ReferenceModel,
    ReportModel,
    TaskModel,
    UploadModel,
)
from chalicelib.domain import clock, search
from chalicelib.domain.calendar import WorkingCalendar
from chalicelib.domain.workflow import ASK, first_step_days, reopen_step
from chalicelib.errors import NotFoundError
from chalicelib.services import reports as report_service
from chalicelib.services import workflow_specs
from chalicelib.services.calendar import working_calendar

OPEN = "OPEN"


def execution_name(report_id: str, index: int) -> str:
    return f"{report_id}-{index}"


def next_execution_name(previous: str) -> str:
    report_id, _, index = previous.rpartition("-")
    return execution_name(report_id, int(index) + 1)


def start_unit(
    report: ReportModel, unit_id: str, name: str, resume_step: str | None = None
) -> str:
    """Start ``unit_id``'s current workflow version for the report (idempotent)."""
    try:  # past the cache: a version saved a second ago applies to the next report
        workflow = ReferenceModel.get("workflow", unit_id).data
    except ReferenceModel.DoesNotExist as error:
        raise NotFoundError(code="workflow_not_found") from error
    payload = {
        "report_id": report.id,
        "unit_id": unit_id,
        "spec_version": str(workflow["version"]),
        "owner_sub": report.owner_sub,
        "steps": {},
        "resume_step": resume_step or "",
    }
    if resume_step and report.assignee_sub:  # the officer who had it keeps it
        payload["steps"] = {
            name: {"officer_id": report.assignee_sub}
            for name in _assigning_steps(workflow["spec"])
        }
    return workflows.start(workflow["state_machine_arn"], name, payload)


def _assigning_steps(spec: dict) -> list[str]:
    return [n for n, s in spec["steps"].items() if "assign" in s["decisions"]]


def on_report_created(report: ReportModel) -> None:
    start_unit(report, "reception", execution_name(report.id, 0))


def apply_outcome(report: ReportModel) -> None:
    """An execution ended: hand the report on, merge it, or publish it."""
    if report.outcome == "handoff" and report.outcome_agency:
        start_unit(
            report, report.outcome_agency, next_execution_name(report.outcome_execution)
        )
        with suppress(UpdateError):  # a retried record: the unit is already set
            report.update(
                actions=[ReportModel.unit_id.set(report.outcome_agency)],
                condition=ReportModel.unit_id != report.outcome_agency,
            )
    elif report.outcome == "publish":
        publish(report)


def reopen(report: ReportModel) -> str:
    """Send a reopened report back to its agency's processing step."""
    unit_id = report.agency_id or report.unit_id
    spec = workflow_specs.current(unit_id)["spec"]
    return start_unit(
        report,
        unit_id,
        next_execution_name(report.outcome_execution),
        resume_step=reopen_step(spec),
    )


def publish(report: ReportModel) -> None:
    now = clock.now()
    for upload in UploadModel.batch_get(
        list(report.upload_ids or []) + list(report.result_upload_ids or [])
    ):
        if not upload.public_key:
            # Named after the report, not the uploader's key (which holds their sub):
            # a public link must not identify the citizen's account.
            extension = upload.key.rsplit(".", 1)[-1] if "." in upload.key else "jpg"
            public_key = f"public/reports/{report.id}/{upload.id}.{extension}"
            storage.write_public_copy(upload.key, public_key)
            upload.update(actions=[UploadModel.public_key.set(public_key)])
    try:
        report.update(
            actions=[
                ReportModel.status.set("published"),
                *report_service.public_feed_actions(report, now.isoformat()),
                ReportModel.version.add(1),
            ],
            condition=ReportModel.status == "approved",
        )
    except UpdateError:
        return  # already published by an earlier delivery of this record
    entry = report_service.timeline_entry(
        report.id,
        now,
        "published",
        role="system",
        unit_id=report.unit_id,
        agency_id=report.agency_id,
        entry_id=f"published-{report.outcome_execution}",
    )
    with suppress(PutError):  # written by an earlier delivery
        entry.save(condition=report_service.TimelineModel.seq.does_not_exist())


def ask_citizen(task: TaskModel) -> None:
    """The citizen's question step exists: the report now waits for their answer."""
    with suppress(UpdateError):  # a redelivered record: already waiting
        ReportModel(task.report_id).update(
            actions=[
                ReportModel.status.set("waiting_citizen"),
                ReportModel.pending_question.set(task.question),
                ReportModel.version.add(1),
            ],
            condition=ReportModel.status != "waiting_citizen",
        )


def set_due_time(task: TaskModel) -> None:
    """A new task gets its deadline in working days from when its step started, and
    the keys the staff list filters on (``filter_actions``).

    A step that comes back after the citizen answered a question gets the time that
    was left when it asked: waiting for the citizen does not count against the unit.
    """
    if task.due_at or task.group == "citizen":
        return
    started = clock.parse_iso(task.created_at)
    calendar = working_calendar()
    left = _days_left_before_asking(task, calendar)
    if left is not None:
        due = calendar.add_working_days(started, left)
    else:
        due = calendar.add_working_days(started, int(task.deadline_days))
    due_at = clock.iso_utc(due)
    with suppress(UpdateError):  # set by an earlier delivery
        task.update(
            actions=[
                TaskModel.due_at.set(due_at),
                TaskModel.due_sort.set(due_at),
                TaskModel.pending.set(OPEN),
                *filter_actions(task),
            ],
            condition=TaskModel.due_at.does_not_exist() & (TaskModel.status == "open"),
        )


def filter_actions(task: TaskModel) -> list:
    """Copy onto an open task what the staff list filters it by: its step, its
    report's area, category, and code and title (folded for the text search), each
    key ``<unit>#<group>#<value>`` of a sparse index ordered by ``due_sort``.

    A report's area, category, code and title never change once filed, so the copy
    is made once, when the task opens; a decision removes the keys (tasks.close_task).
    """
    try:
        report = ReportModel.get(task.report_id)
    except ReportModel.DoesNotExist:
        return []
    queue = f"{task.unit_id}#{task.group}"
    return [
        TaskModel.area_id.set(report.area_id),
        TaskModel.category_id.set(report.category_id),
        TaskModel.search.set(search.task_text(report.code, report.title)),
        TaskModel.step_key.set(f"{queue}#{task.step}"),
        TaskModel.area_key.set(f"{queue}#{report.area_id}"),
        TaskModel.category_key.set(f"{queue}#{report.category_id}"),
    ]


def _days_left_before_asking(task: TaskModel, calendar: WorkingCalendar) -> int | None:
    asked = None
    for earlier in TaskModel.report_index.query(task.report_id):
        if (
            earlier.execution == task.execution
            and earlier.step == task.step
            and earlier.id != task.id
            and earlier.decision
            and earlier.decision.get("decision") == "request_info"
        ):
            asked = earlier
    if asked is None or not asked.due_at or not asked.decided_at:
        return None
    return calendar.working_days_between(
        clock.parse_iso(asked.decided_at), clock.parse_iso(asked.due_at)
    )


def first_step_deadline(unit_id: str) -> int:
    return first_step_days(workflow_specs.current(unit_id)["spec"])


def deliver_decision(task: TaskModel) -> None:
    """The outbox: tell the waiting execution what was decided."""
    try:
        workflows.send_success(task.token, task.decision or {})
    except workflows.StaleTaskError:
        # The API checks the execution before deciding, so this is a race with the
        # execution ending; the task is marked so that staff see it, not retried.
        task.update(actions=[TaskModel.status.set("callback_failed")])


def is_citizen_step(step: str) -> bool:
    return step.endswith(ASK)
