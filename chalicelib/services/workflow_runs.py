"""Running the report through units: start executions, apply their outcomes."""

from __future__ import annotations

from contextlib import suppress

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.adapters import storage, workflows
from chalicelib.adapters.tables import ReportModel, TaskModel, UploadModel
from chalicelib.domain import clock
from chalicelib.domain.calendar import WorkingCalendar
from chalicelib.services import reference
from chalicelib.services import reports as report_service


def execution_name(report_id: str, index: int) -> str:
    return f"{report_id}-{index}"


def next_execution_name(previous: str) -> str:
    report_id, _, index = previous.rpartition("-")
    return execution_name(report_id, int(index) + 1)


def start_unit(report_id: str, unit_id: str, name: str) -> str:
    """Start ``unit_id``'s current workflow version for the report (idempotent)."""
    workflow = reference.get("workflow", unit_id)
    return workflows.start(
        workflow["state_machine_arn"],
        name,
        {
            "report_id": report_id,
            "unit_id": unit_id,
            "spec_version": workflow["version"],
        },
    )


def on_report_created(report_id: str) -> None:
    start_unit(report_id, "reception", execution_name(report_id, 0))


def apply_outcome(report: ReportModel) -> None:
    """An execution ended: hand the report on, or publish it."""
    if report.outcome == "handoff" and report.outcome_agency:
        start_unit(
            report.id,
            report.outcome_agency,
            next_execution_name(report.outcome_execution),
        )
        with suppress(UpdateError):  # a retried record: the unit is already set
            report.update(
                actions=[ReportModel.unit_id.set(report.outcome_agency)],
                condition=ReportModel.unit_id != report.outcome_agency,
            )
    elif report.outcome == "publish":
        publish(report)


def publish(report: ReportModel) -> None:
    now = clock.now()
    for upload in UploadModel.batch_get(
        list(report.upload_ids or []) + list(report.result_upload_ids or [])
    ):
        if not upload.public_key:
            public_key = f"public/{upload.key}"
            storage.write_public_copy(upload.key, public_key)
            upload.update(actions=[UploadModel.public_key.set(public_key)])
    try:
        report.update(
            actions=[
                ReportModel.status.set("published"),
                ReportModel.public_feed.set(report_service.PUBLIC_FEED),
                ReportModel.published_at.set(now.isoformat()),
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


def set_due_time(task: TaskModel) -> None:
    """A new task gets its deadline in working days from when its step started."""
    if task.due_at:
        return
    started = clock.parse_iso(task.created_at)
    due = WorkingCalendar().add_working_days(started, int(task.deadline_days))
    with suppress(UpdateError):  # set by an earlier delivery
        task.update(
            actions=[TaskModel.due_at.set(clock.iso(due))],
            condition=TaskModel.due_at.does_not_exist(),
        )


def deliver_decision(task: TaskModel) -> None:
    """The outbox: tell the waiting execution what was decided."""
    try:
        workflows.send_success(task.token, task.decision or {})
    except workflows.StaleTaskError:
        # TODO: issue 3 turns this into a 409 that leaves task and report untouched;
        # here the task is marked so staff see it, and the record is not retried.
        task.update(actions=[TaskModel.status.set("callback_failed")])
