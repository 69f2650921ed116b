"""Telling the citizen: one SMS per status change that matters, never twice."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from chalicelib import settings
from chalicelib.adapters import idempotency, notify
from chalicelib.adapters.tables import ReportModel, UserModel
from chalicelib.domain import sms
from chalicelib.services import reference

SMS_STATUSES = (
    "received",
    "routed",
    "rejected",
    "published",
    "waiting_citizen",
    "merged",
)


def status_changed(report: ReportModel, **values: str | None) -> bool:
    """Send the SMS for the report's current status; False when none is due.

    ``values`` fill the text: ``reason``, ``question``, ``into`` (an earlier code).
    """
    if report.status not in SMS_STATUSES:
        return False
    request = {
        "report_id": report.id,
        "status": report.status,
        "version": int(report.version),
        "values": values,
    }
    return bool(_send_once(request=request).get("sent"))


def citizen_phone(report: ReportModel) -> str | None:
    """The owner's phone, or the contact's for a report entered by staff."""
    if report.contact_phone:
        return report.contact_phone
    try:
        return UserModel.get(report.owner_sub).phone
    except DoesNotExist:
        return None


def _send(request: dict) -> dict:
    report = ReportModel.get(request["report_id"])
    phone = citizen_phone(report)
    if not phone:
        return {"sent": False}
    province = settings.province()
    agency = reference.by_id("agency").get(report.agency_id or "", {})
    values = {"agency": agency.get("name", ""), **(request.get("values") or {})}
    text = sms.status_message(
        report.code,
        request["status"],
        province["domain"],
        **{k: v or "" for k, v in values.items()},
    )
    if text is None:
        return {"sent": False}
    message_id = notify.sender().send_sms(phone, text, province["sms_sender_id"])
    return {"sent": True, "message_id": message_id}


def tell_staff(subs: list[str], text: str) -> int:
    """An SMS to each staff member with a phone on file (escalations)."""
    province = settings.province()
    sent = 0
    for user in UserModel.batch_get(list(dict.fromkeys(subs))):
        if user.phone:
            notify.sender().send_sms(
                user.phone, sms.fold(text)[: sms.SEGMENT], province["sms_sender_id"]
            )
            sent += 1
    return sent


# One SMS per (report, status, version): a redelivered stream record sends nothing.
_send_once = idempotency.once(
    _send, key="[report_id, status, version]", seconds=7 * 24 * 3600
)
