"""Telling the citizen: one SMS per status change that matters, never twice."""

from __future__ import annotations

from functools import lru_cache

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from pynamodb.exceptions import DoesNotExist

from chalicelib import settings
from chalicelib.adapters import notify
from chalicelib.adapters.aws import client
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
    return bool(_send_once()(request=request))


@lru_cache(maxsize=4)
def _send_once_for(table: str):
    store = DynamoDBPersistenceLayer(table_name=table, boto3_client=client("dynamodb"))
    config = IdempotencyConfig(
        event_key_jmespath="[report_id, status, version]",
        expires_after_seconds=7 * 24 * 3600,
    )

    @idempotent_function(
        data_keyword_argument="request",
        persistence_store=store,
        config=config,
        key_prefix="sms",
    )
    def send(request: dict) -> dict:
        return _send(request)

    return send


def _send_once():
    return _send_once_for(settings.table_name("idempotency"))


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
