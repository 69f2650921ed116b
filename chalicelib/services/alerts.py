"""Emergency alerts: accepted at once, fanned out in batches from the table's stream.

Creating an alert writes one item and answers 202. Its stream record plans the work:
one batch item per source (devices, SMS followers) and per partition of the audience
("<area>#<shard>"). Each batch item's stream record reads one page of its partition,
sends, and, in one transaction, marks itself done, adds its counts to the alert and
writes the next page's batch item. No request or invocation waits for 100,000 sends,
and a replayed record counts nothing twice.
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib import settings
from chalicelib.adapters import idempotency, notify
from chalicelib.adapters.identity import Caller
from chalicelib.adapters.tables import AlertModel, DeviceModel, UserModel, connection
from chalicelib.domain import clock, push, sms
from chalicelib.errors import (
    ConflictError,
    DependencyError,
    NotFoundError,
    ValidationError,
    field_error,
)
from chalicelib.observability import logger, metrics
from chalicelib.services import devices, paging, reference

FEED = "ALERT"
SOURCES = ("devices", "phones")
MAX_HOURS = 7 * 24
TITLE_MAX = 120
BODY_MAX = 1000


def batch_size() -> int:
    return int(os.environ.get("PAKN_ALERT_BATCH", "250"))


# ------------------------------------------------------------------ the API's part


def create(caller: Caller, body: object, idempotency_key: str | None) -> dict:
    """Validate and store an alert; the fan-out starts from the stream."""
    if idempotency_key is None:
        return _create(caller, body)
    return _create_once(
        request={"owner": caller.sub, "key": idempotency_key, "body": body},
        caller=caller,
    )


def _create_from_request(request: dict, caller: Caller) -> dict:
    return _create(caller, request["body"])


_create_once = idempotency.once(
    _create_from_request, key="[owner, key]", validate="body", seconds=24 * 3600
)


def _create(caller: Caller, body: object) -> dict:
    fields = parse(body)
    now = clock.now()
    areas = fields["areas"]
    partitions = len(areas or _all_areas()) * devices.SHARDS * len(SOURCES)
    alert = AlertModel(
        f"{now.strftime('%Y%m%d%H%M%S%f')}-{uuid.uuid4().hex[:6]}",
        kind="alert",
        title=fields["title"],
        body=fields["body"],
        title_en=fields.get("title_en"),
        body_en=fields.get("body_en"),
        severity=fields["severity"],
        areas=areas,
        expires_at=clock.iso_utc(fields["expires_at"]),
        created_at=clock.iso(now),
        created_by=caller.sub,
        agency_id=caller.agency_id,
        status="sending",
        feed=FEED,
        history=FEED,
        batches_total=partitions,
    )
    alert.save(condition=AlertModel.id.does_not_exist())
    metrics.add_metric(name="AlertsSent", unit="Count", value=1)
    logger.info(
        "alert accepted",
        extra={"alert_id": alert.id, "severity": alert.severity, "areas": len(areas)},
    )
    return shape(alert, staff=True)


def parse(body: object) -> dict:
    body = body if isinstance(body, dict) else {}
    errors: dict = {}
    out: dict = {}
    for name, limit, required in (
        ("title", TITLE_MAX, True),
        ("body", BODY_MAX, True),
        ("title_en", TITLE_MAX, False),
        ("body_en", BODY_MAX, False),
    ):
        value = body.get(name)
        if value is None and not required:
            continue
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            errors.update(
                field_error(
                    name,
                    f"Bắt buộc, tối đa {limit} ký tự."
                    if required
                    else f"Tối đa {limit} ký tự.",
                    f"Required, at most {limit} characters."
                    if required
                    else f"At most {limit} characters.",
                )
            )
        else:
            out[name] = value.strip()
    if body.get("severity") not in push.SEVERITIES:
        errors.update(
            field_error(
                "severity",
                "Mức độ: extreme, severe, moderate hoặc minor.",
                "severity must be extreme, severe, moderate or minor.",
            )
        )
    else:
        out["severity"] = body["severity"]
    areas = body.get("areas")
    known = reference.by_id("area")
    if areas == "all":
        out["areas"] = []
    elif (
        isinstance(areas, list)
        and areas
        and len(areas) <= 200
        and all(isinstance(a, str) and a in known for a in areas)
    ):
        out["areas"] = sorted(set(areas))
    else:
        errors.update(
            field_error(
                "areas",
                'Chọn "all" (toàn tỉnh) hoặc danh sách xã, phường.',
                'areas must be "all" (the whole province) or a list of known areas.',
            )
        )
    try:
        expires = clock.parse_iso(body.get("expires_at") or "")
        now = clock.now()
        if not now < expires <= now + timedelta(hours=MAX_HOURS):
            raise ValueError
        out["expires_at"] = expires
    except (TypeError, ValueError):
        errors.update(
            field_error(
                "expires_at",
                "Thời điểm hết hiệu lực phải trong 7 ngày tới (ISO 8601, có múi giờ).",
                "expires_at must be within the next 7 days (ISO 8601 with offset).",
            )
        )
    if errors:
        raise ValidationError(fields=errors)
    return out


def active(area_id: str | None) -> dict:
    """Alerts still on, soonest to expire first; only those for ``area_id`` (and
    province-wide ones) when it is given. No personal data: not who sent it."""
    now = clock.iso_utc(clock.now())
    found = [
        shape(alert, staff=False)
        for alert in AlertModel.active_index.query(
            FEED, AlertModel.expires_at > now, limit=50
        )
        if not area_id or not alert.areas or area_id in alert.areas
    ]
    found.sort(key=lambda a: (_rank(a["severity"]), a["created_at"]), reverse=True)
    return {"items": found, "checked_at": clock.iso(clock.now())}


def history(limit: int, cursor: str | None) -> dict:
    return paging.page(
        AlertModel.history_index.query(
            FEED,
            scan_index_forward=False,
            limit=limit,
            last_evaluated_key=paging.decode(cursor),
        ),
        lambda a: shape(a, staff=True),
    )


def get(alert_id: str) -> AlertModel:
    try:
        alert = AlertModel.get(alert_id, consistent_read=True)
    except DoesNotExist:
        alert = None
    if alert is None or alert.kind != "alert":
        raise NotFoundError(
            code="alert_not_found",
            message="Không tìm thấy cảnh báo.",
            message_en="No such alert.",
        )
    return alert


def cancel(caller: Caller, alert_id: str) -> dict:
    alert = get(alert_id)
    try:
        alert.update(
            actions=[AlertModel.status.set("cancelled"), AlertModel.feed.remove()],
            condition=AlertModel.status != "cancelled",
        )
    except UpdateError as error:
        raise ConflictError(
            code="alert_cancelled",
            message="Cảnh báo đã được hủy trước đó.",
            message_en="The alert was cancelled already.",
        ) from error
    logger.info("alert cancelled", extra={"alert_id": alert.id})
    return shape(get(alert_id), staff=True)


def shape(alert: AlertModel, *, staff: bool) -> dict:
    areas = reference.by_id("area")
    vi, en = push.SEVERITIES[alert.severity]
    out = {
        "id": alert.id,
        "title": alert.title,
        "body": alert.body,
        "title_en": alert.title_en,
        "body_en": alert.body_en,
        "severity": alert.severity,
        "severity_label": vi,
        "severity_label_en": en,
        "areas": [
            {
                "id": a,
                "name": areas.get(a, {}).get("name", a),
                "name_en": areas.get(a, {}).get("name_en"),
            }
            for a in alert.areas or []
        ],
        "whole_province": not alert.areas,
        "created_at": alert.created_at,
        "expires_at": clock.iso(clock.parse_iso(alert.expires_at)),
    }
    if staff:
        out.update(
            status=alert.status,
            agency_id=alert.agency_id,
            sent={
                "devices": int(alert.devices_sent),
                "devices_failed": int(alert.devices_failed),
                "phones": int(alert.phones_sent),
                "phones_failed": int(alert.phones_failed),
                "batches_done": int(alert.batches_done),
                "batches_total": int(alert.batches_total),
            },
            finished_at=alert.finished_at,
        )
    return out


def _rank(severity: str) -> int:
    return len(push.SEVERITIES) - list(push.SEVERITIES).index(severity)


def _all_areas() -> list[str]:
    """Every area a device or a follower can be in, and "none" for the rest."""
    return sorted(reference.by_id("area")) + [devices.NO_AREA]


# ------------------------------------------------------------------ the stream's part


def plan(alert: AlertModel) -> int:
    """Write the first batch of every partition; returns how many were new."""
    written = 0
    expires = int((clock.now() + timedelta(days=7)).timestamp())
    for area in alert.areas or _all_areas():
        for shard in range(devices.SHARDS):
            for source in SOURCES:
                key = f"{area}#{shard}"
                batch = AlertModel(
                    f"{alert.id}#{source}#{key}#0",
                    kind="batch",
                    alert_id=alert.id,
                    source=source,
                    key=key,
                    number=0,
                    expires_ttl=expires,
                )
                try:
                    batch.save(condition=AlertModel.id.does_not_exist())
                    written += 1
                except PutError:
                    pass  # a replayed record: that batch exists already
    return written


def run_batch(batch: AlertModel) -> dict:
    """Send one page of one partition and record it; nothing twice on a replay."""
    batch = AlertModel.get(batch.id, consistent_read=True)
    if batch.done:
        return {"skipped": True}
    alert = get(batch.alert_id)
    counts = {
        "devices_sent": 0,
        "devices_failed": 0,
        "phones_sent": 0,
        "phones_failed": 0,
    }
    if batch.source == "devices":
        page = DeviceModel.alert_index.query(
            batch.key, limit=batch_size(), last_evaluated_key=batch.cursor
        )
        members = list(page)
        if alert.status != "cancelled":
            _push_all(alert, members, counts)
    else:
        page = UserModel.alert_sms_index.query(
            batch.key, limit=batch_size(), last_evaluated_key=batch.cursor
        )
        members = list(page)
        if alert.status != "cancelled":
            _sms_all(alert, members, counts)
    cursor = page.last_evaluated_key
    actions = [AlertModel.batches_done.add(1)] + [
        getattr(AlertModel, name).add(value) for name, value in counts.items() if value
    ]
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(
                batch,
                actions=[AlertModel.done.set(True)],
                condition=AlertModel.done.does_not_exist(),
            )
            if cursor:
                actions.append(AlertModel.batches_total.add(1))
                tx.save(
                    AlertModel(
                        f"{alert.id}#{batch.source}#{batch.key}#{int(batch.number) + 1}",
                        kind="batch",
                        alert_id=alert.id,
                        source=batch.source,
                        key=batch.key,
                        number=int(batch.number) + 1,
                        cursor=cursor,
                        expires_ttl=batch.expires_ttl,
                    ),
                    condition=AlertModel.id.does_not_exist(),
                )
            tx.update(alert, actions=actions)
    except TransactWriteError:
        return {"skipped": True}  # another delivery of this record got there first
    _finish_if_done(alert.id)
    return {"members": len(members), **counts, "more": bool(cursor)}


def _finish_if_done(alert_id: str) -> None:
    alert = get(alert_id)
    if alert.status == "sending" and alert.batches_done >= alert.batches_total:
        try:
            alert.update(
                actions=[
                    AlertModel.status.set("sent"),
                    AlertModel.finished_at.set(clock.iso(clock.now())),
                ],
                condition=AlertModel.status == "sending",
            )
        except UpdateError:
            return
        logger.info(
            "alert sent",
            extra={
                "alert_id": alert.id,
                "devices": int(alert.devices_sent),
                "phones": int(alert.phones_sent),
                "failed": int(alert.devices_failed + alert.phones_failed),
            },
        )


def _ttl_seconds(alert: AlertModel) -> int:
    left = clock.parse_iso(alert.expires_at) - clock.now()
    return max(60, int(left.total_seconds()))


def _push_all(alert: AlertModel, members: list[DeviceModel], counts: dict) -> None:
    # TODO: failed sends are counted, not retried, and a batch that dies mid-page
    # resends up to one page when its record is retried (no per-device mark).
    sender = notify.sender()
    for device in members:
        english = device.lang == "en"
        title = (alert.title_en if english else None) or alert.title
        body = (alert.body_en if english else None) or alert.body
        label = push.SEVERITIES[alert.severity][1 if english else 0]
        message = push.sns_message(
            device.platform,
            f"{label.upper()}: {title}",
            body,
            {"kind": "alert", "alert_id": alert.id, "severity": alert.severity},
            severity=alert.severity,
            ttl_seconds=_ttl_seconds(alert),
        )
        try:
            sender.send_push(
                device.endpoint_arn, message, push.attributes(device.platform, True)
            )
            counts["devices_sent"] += 1
        except notify.EndpointGone:
            devices.forget_endpoint(device.id, device.endpoint_arn)
            counts["devices_failed"] += 1
        except DependencyError:
            counts["devices_failed"] += 1


def _sms_all(alert: AlertModel, members: list[UserModel], counts: dict) -> None:
    sender = notify.sender()
    label = sms.fold(push.SEVERITIES[alert.severity][0]).upper()
    text = sms.fold(f"CANH BAO {label}: {alert.title}. {alert.body}")[: sms.SEGMENT]
    sender_id = settings.province()["sms_sender_id"]
    for user in members:
        if not user.phone or user.status != "active":
            continue
        try:
            sender.send_sms(user.phone, text, sender_id)
            counts["phones_sent"] += 1
        except DependencyError:
            counts["phones_failed"] += 1
