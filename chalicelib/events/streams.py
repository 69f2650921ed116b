"""DynamoDB Streams handlers: the side effects of state changes.

A failed record is reported back (partial batch response) and retried by the event
source; every effect here is idempotent, so a retry never sends a second SMS or starts
a second execution.
"""

from __future__ import annotations

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
)

from chalicelib.adapters.tables import (
    AlertModel,
    OutboxModel,
    ReportModel,
    TaskModel,
    TimelineModel,
    bind,
)
from chalicelib.observability import logger, metrics
from chalicelib.services import alerts, notifications, stats, workflow_runs

_reports = BatchProcessor(event_type=EventType.DynamoDBStreams)
_tasks = BatchProcessor(event_type=EventType.DynamoDBStreams)
_outbox = BatchProcessor(event_type=EventType.DynamoDBStreams)
_alerts = BatchProcessor(event_type=EventType.DynamoDBStreams)


def _image(model, record: DynamoDBRecord, which: str):
    raw = getattr(record.dynamodb, which)
    if not raw:
        return None
    # Powertools deserializes images to Python values; pynamodb wants the raw form.
    data = record.raw_event["dynamodb"][
        "NewImage" if which == "new_image" else "OldImage"
    ]
    return model.from_raw_data(data)


def report_record(record: DynamoDBRecord) -> None:
    new = _image(ReportModel, record, "new_image")
    old = _image(ReportModel, record, "old_image")
    if new is None:
        return
    outcome = "none"
    if old is None or new.status != old.status:
        if notifications.report_changed(old, new, **_sms_values(new)):
            outcome = "notified"
        if new.status == "published":
            metrics.add_metric(name="ReportsPublished", unit="Count", value=1)
    if old is None:
        workflow_runs.on_report_created(new)
        outcome = "workflow_started"
    elif new.outcome_execution and new.outcome_execution != old.outcome_execution:
        workflow_runs.apply_outcome(new)
        outcome = f"outcome_{new.outcome}"
    logger.info(
        "report record",
        extra={"report_id": new.id, "status": new.status, "outcome": outcome},
    )


def _sms_values(report: ReportModel) -> dict:
    if report.status == "rejected":
        return {"reason": _last_note(report.id, "rejected")}
    if report.status == "waiting_citizen":
        return {"question": report.pending_question}
    if report.status == "merged" and report.merged_into:
        return {"into": ReportModel.get(report.merged_into).code}
    return {}


def _last_note(report_id: str, kind: str) -> str | None:
    for entry in TimelineModel.query(report_id, scan_index_forward=False, limit=20):
        if entry.kind == kind:
            return entry.note
    return None


def task_record(record: DynamoDBRecord) -> None:
    new = _image(TaskModel, record, "new_image")
    old = _image(TaskModel, record, "old_image")
    if new is None:
        return
    if old is None and new.status == "open":
        if new.group == "citizen":
            workflow_runs.ask_citizen(new)
        workflow_runs.set_due_time(new)
        notifications.task_arrived(new)
        logger.info(
            "task opened",
            extra={"task_id": new.id, "report_id": new.report_id, "step": new.step},
        )
    elif new.status == "decided" and (old is None or old.status == "open"):
        workflow_runs.deliver_decision(new)
        logger.info(
            "decision delivered", extra={"task_id": new.id, "report_id": new.report_id}
        )


def outbox_record(record: DynamoDBRecord) -> None:
    if record.raw_event.get("eventName") != "INSERT":
        return  # the sender's own marks (sent, failed) come back here too
    item = _image(OutboxModel, record, "new_image")
    notifications.deliver(item.id)


def alert_record(record: DynamoDBRecord) -> None:
    if record.raw_event.get("eventName") != "INSERT":
        return  # counts growing on the alert
    item = _image(AlertModel, record, "new_image")
    if item.kind == "alert":
        planned = alerts.plan(item)
        logger.info("alert planned", extra={"alert_id": item.id, "batches": planned})
    else:
        result = alerts.run_batch(item)
        logger.info(
            "alert batch",
            extra={"alert_id": item.alert_id, "batch": item.id, **result},
        )


def handle_reports(event: dict) -> dict:
    bind()
    return process_partial_response(
        event=event, record_handler=report_record, processor=_reports
    )


def handle_tasks(event: dict) -> dict:
    bind()
    return process_partial_response(
        event=event, record_handler=task_record, processor=_tasks
    )


def handle_outbox(event: dict) -> dict:
    bind()
    return process_partial_response(
        event=event, record_handler=outbox_record, processor=_outbox
    )


def handle_alerts(event: dict) -> dict:
    bind()
    return process_partial_response(
        event=event, record_handler=alert_record, processor=_alerts
    )


def handle_timeline(event: dict) -> dict:
    """Statistics from the timeline: the whole batch at once (a failure retries it,
    and its rows rewrite the same)."""
    bind()
    entries = [
        TimelineModel.from_raw_data(record["dynamodb"]["NewImage"])
        for record in event.get("Records", [])
        if record.get("eventName") == "INSERT"  # the timeline is append-only
    ]
    touched = stats.recompute(stats.count_timeline(entries))
    logger.info("statistics", extra={"entries": len(entries), "cells": touched})
    return {"batchItemFailures": []}


def handle_report_stats(event: dict) -> dict:
    """Statistics from the reports: where each stands now, the batch at once."""
    bind()
    changes = []
    for record in event.get("Records", []):
        data = record.get("dynamodb", {})
        if "NewImage" not in data:
            continue
        old = (
            ReportModel.from_raw_data(data["OldImage"]) if "OldImage" in data else None
        )
        changes.append((old, ReportModel.from_raw_data(data["NewImage"])))
    touched = stats.recompute(stats.count_reports(changes))
    logger.info("statistics", extra={"changes": len(changes), "cells": touched})
    return {"batchItemFailures": []}
