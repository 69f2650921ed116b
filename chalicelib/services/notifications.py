"""Telling people what changed: pushes to their devices and SMS, through an outbox.

A change that matters (a report's status, a task arriving, a deadline passing) writes
one outbox item per recipient and channel, keyed by the change: a stream record read
twice writes nothing new. The outbox table's own stream sends each item once; a failed
send is marked and retried on a schedule with growing pauses, so it never holds up or
loses the change that caused it.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from chalicelib import settings
from chalicelib.adapters import notify
from chalicelib.adapters.tables import OutboxModel, ReportModel, TaskModel, UserModel
from chalicelib.domain import clock, push, sms
from chalicelib.errors import DependencyError
from chalicelib.observability import logger, metrics
from chalicelib.services import devices, reference

REPORT_EVENTS = tuple(push.REPORT_EVENTS)
RETRY = "RETRY"
MAX_ATTEMPTS = 5
BACKOFF_MINUTES = (1, 5, 30, 120)
KEEP_DAYS = 30


def report_event(old: ReportModel | None, new: ReportModel) -> str | None:
    """What the citizen is told about this change of the report, if anything."""
    if old is None:
        return "received" if new.status == "received" else None
    if new.status == old.status:
        return None
    if new.status == "in_progress" and old.status == "published":
        return "reopened"
    if new.status in ("received", "in_progress", "resolved", "approved"):
        return None  # inner steps: the citizen hears about the result
    return new.status if new.status in REPORT_EVENTS else None


def report_changed(
    old: ReportModel | None, new: ReportModel, **values: str | None
) -> int:
    """Queue the pushes and the SMS for this change; returns how many were queued.

    ``values`` fill the SMS text: ``reason``, ``question``, ``into`` (an earlier code).
    """
    event = report_event(old, new)
    if event is None:
        return 0
    change = f"report#{new.id}#{event}#{int(new.version)}"
    agency = reference.by_id("agency").get(new.agency_id or "", {})
    user = _user(new.owner_sub)
    prefs = devices.preferences(user)
    queued = 0
    pushed = False
    if user and prefs["push"]:
        for device in devices.of(user.sub):
            lang = device.lang or prefs["lang"]
            title, body = push.text(
                push.REPORT_EVENTS,
                event,
                lang,
                code=new.code,
                agency=_name(agency, lang),
            )
            data = {"kind": "report", "event": event, "report_id": new.id}
            queued += _queue_push(
                f"{change}#push#{device.id}", device, title, body, data
            )
            pushed = True
    phone = new.contact_phone or (user.phone if user else None)
    if phone and (prefs["sms"] or not pushed):
        text = sms.status_message(
            new.code,
            "reopened" if event == "reopened" else new.status,
            settings.province()["domain"],
            **{
                "agency": agency.get("name", ""),
                **{k: v or "" for k, v in values.items()},
            },
        )
        if text:
            queued += _queue_sms(f"{change}#sms", phone, text)
    return queued


def task_arrived(task: TaskModel) -> int:
    """A new task for staff: its assignee, or everyone of its group in its unit."""
    if task.group == "citizen":
        return 0
    return tell_staff(
        _holders(task), f"task#{task.id}", "task", task.report_id, task.step
    )


def task_overdue(task: TaskModel, escalate_to: list[str]) -> int:
    """A task past its deadline: its holder and those it escalates to are told."""
    return tell_staff(
        _holders(task) + escalate_to,
        f"overdue#{task.id}",
        "overdue",
        task.report_id,
        task.step,
    )


def tell_staff(
    subs: list[str], change: str, event: str, report_id: str, step: str
) -> int:
    """Push to each person's devices, or an SMS to those with none."""
    code = ReportModel.get(report_id).code
    queued = 0
    for user in UserModel.batch_get(list(dict.fromkeys(s for s in subs if s))):
        prefs = devices.preferences(user)
        pushed = False
        for device in devices.of(user.sub):
            title, body = push.text(
                push.STAFF_EVENTS,
                event,
                device.lang or prefs["lang"],
                code=code,
                step=step,
            )
            data = {"kind": event, "report_id": report_id}
            queued += _queue_push(
                f"{change}#{user.sub}#push#{device.id}", device, title, body, data
            )
            pushed = True
        if user.phone and not pushed:
            title, body = push.text(
                push.STAFF_EVENTS, event, "vi", code=code, step=step
            )
            text = sms.fold(f"PAKN {title}. {body}")[: sms.SEGMENT]
            queued += _queue_sms(f"{change}#{user.sub}#sms", user.phone, text)
    return queued


# ------------------------------------------------------------------ the outbox


def _queue_push(item_id: str, device, title: str, body: str, data: dict) -> int:
    return _queue(
        OutboxModel(
            item_id,
            channel="push",
            device_id=device.id,
            endpoint_arn=device.endpoint_arn,
            message={
                "platform": device.platform,
                "title": title,
                "body": body,
                "data": data,
            },
        )
    )


def _queue_sms(item_id: str, phone: str, text: str) -> int:
    return _queue(
        OutboxModel(item_id, channel="sms", phone=phone, message={"text": text})
    )


def _queue(item: OutboxModel) -> int:
    now = clock.now()
    item.created_at = clock.iso(now)
    item.expires_ttl = int((now + timedelta(days=KEEP_DAYS)).timestamp())
    try:
        item.save(condition=OutboxModel.id.does_not_exist())
    except PutError as error:
        if _condition_failed(error):
            return 0  # this change was queued already: a replayed record
        raise
    return 1


def deliver(item_id: str) -> str:
    """Send one queued (or failed) item; returns its status afterwards."""
    try:
        item = OutboxModel.get(item_id, consistent_read=True)
    except DoesNotExist:
        return "missing"
    if item.status not in ("queued", "failed"):
        return item.status  # sent or dropped already: a redelivered record
    # TODO: a sender that dies after SNS accepted the message and before the mark
    # below sends this item again on the retry; SNS has no idempotency key to close it.
    try:
        if item.channel == "sms":
            notify.sender().send_sms(
                item.phone, item.message["text"], settings.province()["sms_sender_id"]
            )
        else:
            platform = item.message["platform"]
            message = push.sns_message(
                platform,
                item.message["title"],
                item.message["body"],
                item.message["data"],
            )
            notify.sender().send_push(
                item.endpoint_arn, message, push.attributes(platform, urgent=False)
            )
    except notify.EndpointGone:
        devices.forget_endpoint(item.device_id, item.endpoint_arn)
        return _mark(item, "dropped", error="endpoint_gone")
    except DependencyError as error:
        attempts = int(item.attempts) + 1
        if attempts >= MAX_ATTEMPTS:
            logger.error(
                "notification dropped after retries",
                extra={"outbox_id": item.id, "channel": item.channel},
            )
            return _mark(item, "dropped", error=error.code)
        return _mark(item, "failed", error=error.code, attempts=attempts)
    metrics.add_metric(
        name="PushSent" if item.channel == "push" else "SmsSent", unit="Count", value=1
    )
    return _mark(item, "sent")


def _mark(
    item: OutboxModel, status: str, error: str | None = None, attempts=None
) -> str:
    now = clock.now()
    actions = [OutboxModel.status.set(status)]
    if status == "failed":
        pause = BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1]
        actions += [
            OutboxModel.attempts.set(attempts),
            OutboxModel.retry.set(RETRY),
            OutboxModel.retry_at.set(clock.iso_utc(now + timedelta(minutes=pause))),
            OutboxModel.error.set(error),
        ]
    else:
        actions += [OutboxModel.retry.remove(), OutboxModel.retry_at.remove()]
        if status == "sent":
            actions.append(OutboxModel.sent_at.set(clock.iso(now)))
        if error:
            actions.append(OutboxModel.error.set(error))
    with suppress(UpdateError):  # someone else marked it in between: theirs stands
        item.update(actions=actions, condition=OutboxModel.status == item.status)
    # The outbox id names the change and a device or an account, never a phone.
    logger.info(
        "notification",
        extra={"outbox_id": item.id, "channel": item.channel, "status": status},
    )
    return status


def retry_due(limit: int = 200) -> dict:
    """The schedule's part: send again what failed and whose pause is over."""
    now = clock.iso_utc(clock.now())
    counts: dict[str, int] = {}
    for item in OutboxModel.retry_index.query(
        RETRY, OutboxModel.retry_at <= now, limit=limit
    ):
        status = deliver(item.id)
        counts[status] = counts.get(status, 0) + 1
    return counts


# ------------------------------------------------------------------ helpers


def _user(sub: str | None) -> UserModel | None:
    if not sub:
        return None
    try:
        return UserModel.get(sub)
    except DoesNotExist:
        return None  # a deleted account's pseudonym, or a report entered for someone


def _holders(task: TaskModel) -> list[str]:
    """Who holds a task: its assignee, or everyone of its group in its unit."""
    if task.assignee:
        return [task.assignee]
    return _group_subs(task.unit_id, task.group)


def _group_subs(unit_id: str, group: str) -> list[str]:
    return [
        u.sub
        for u in UserModel.agency_index.query(unit_id)
        if group in (u.groups or [])
    ]


def _name(item: dict, lang: str) -> str:
    return (item.get("name_en") if lang == "en" else None) or item.get("name", "")


def _condition_failed(error: Exception) -> bool:
    cause = getattr(error, "cause_response_code", None)
    return cause == "ConditionalCheckFailedException"
