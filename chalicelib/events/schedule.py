"""The deadline sweeper, run on a schedule (every 15 minutes on AWS)."""

from __future__ import annotations

from contextlib import suppress

from pynamodb.exceptions import PutError

from chalicelib.adapters.tables import ReportModel, TimelineModel, UserModel, bind
from chalicelib.domain import clock
from chalicelib.observability import logger, metrics
from chalicelib.services import notifications, tasks
from chalicelib.services import reports as report_service


def sweep() -> dict:
    """Mark tasks past their due time and escalate each once.

    The task stays with whoever holds it; its holders, the unit's leaders and the
    reception desk are told (a push, or an SMS to those without a device) and the
    timeline records it.
    """
    bind()
    marked = tasks.sweep_overdue()
    told = 0
    for task in marked:
        report = ReportModel.get(task.report_id)
        entry = report_service.timeline_entry(
            report.id,
            clock.parse_iso(task.overdue_at or clock.now().isoformat()),
            "overdue",
            role="system",
            unit_id=task.unit_id,
            agency_id=task.unit_id,
            note=task.step,
            entry_id=f"overdue-{task.id}",
        )
        with suppress(PutError):  # a second sweep of the same task writes nothing
            entry.save(condition=TimelineModel.seq.does_not_exist())
        told += notifications.task_overdue(task, _escalation_subs(task.unit_id))
    if marked:
        metrics.add_metric(name="TasksOverdue", unit="Count", value=len(marked))
    logger.info("deadline sweep", extra={"marked": len(marked), "told": told})
    return {"marked": len(marked), "told": told}


def _escalation_subs(unit_id: str) -> list[str]:
    leaders = [
        u.sub
        for u in UserModel.agency_index.query(unit_id)
        if "agency_leader" in (u.groups or [])
    ]
    desk = [u.sub for u in UserModel.agency_index.query("reception")]
    return leaders + desk


def retry_notifications() -> dict:
    """Send again the notifications that failed, once their pause is over."""
    bind()
    counts = notifications.retry_due()
    logger.info("notification retries", extra=counts)
    return counts
