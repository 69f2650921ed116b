"""Telling the citizen: one SMS per status change that matters, never twice."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from chalicelib import settings
from chalicelib.adapters import idempotency, notify
from chalicelib.adapters.tables import ReportModel, UserModel
from chalicelib.domain import sms
from chalicelib.services import reference

SMS_STATUSES = ("received", "routed", "rejected", "published")


def status_changed(report: ReportModel, reason: str | None = None) -> bool:
    """Send the SMS for the report's current status; False when none is due."""
    if report.status not in SMS_STATUSES:
        return False
    request = {
        "report_id": report.id,
        "status": report.status,
        "version": int(report.version),
        "reason": reason,
    }
    return bool(_send_once(request=request).get("sent"))


def _send(request: dict) -> dict:
    report = ReportModel.get(request["report_id"])
    try:
        owner = UserModel.get(report.owner_sub)
    except DoesNotExist:
        return {"sent": False}
    if not owner.phone:
        return {"sent": False}
    province = settings.province()
    agency = reference.by_id("agency").get(report.agency_id or "", {})
    text = sms.status_message(
        report.code,
        request["status"],
        province["domain"],
        agency=agency.get("name", ""),
        reason=request.get("reason") or "",
    )
    if text is None:
        return {"sent": False}
    message_id = notify.sender().send_sms(owner.phone, text, province["sms_sender_id"])
    return {"sent": True, "message_id": message_id}


# One SMS per (report, status, version): a redelivered stream record sends nothing.
_send_once = idempotency.once(
    _send, key="[report_id, status, version]", seconds=7 * 24 * 3600
)
