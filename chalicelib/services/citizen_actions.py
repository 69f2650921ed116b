"""What a citizen does on their report after filing it: answer, rate, reopen.

Also the reception desk's entry of a report received by phone, paper or email.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib import settings
from chalicelib.adapters.identity import Caller
from chalicelib.adapters.tables import ReportModel, TaskModel, connection
from chalicelib.domain import clock
from chalicelib.errors import (
    ConflictError,
    ForbiddenError,
    ValidationError,
    field_error,
)
from chalicelib.services import reports as report_service
from chalicelib.services import tasks, workflow_runs

TEXT_MAX = 5000
# How a report came in, as the timeline names it (citizens' own reports are "web").
CHANNELS = {
    "phone": "Qua điện thoại",
    "paper": "Qua văn bản giấy",
    "email": "Qua thư điện tử",
    "in_person": "Trực tiếp tại bộ phận tiếp nhận",
}


def _own(caller: Caller, report_id: str) -> ReportModel:
    report = report_service.get_model(report_id)
    if report.owner_sub != caller.sub:
        raise ForbiddenError()
    return report


def _text(body: dict, name: str, vi: str, en: str, required: bool = True) -> str:
    value = body.get(name)
    if not required and (value is None or value == ""):
        return ""
    if not isinstance(value, str) or not value.strip() or len(value) > TEXT_MAX:
        raise ValidationError(
            fields=field_error(name, f"Vui lòng nhập {vi}.", f"{en} is required.")
        )
    return value.strip()


def answer(caller: Caller, report_id: str, body: object) -> dict:
    """The citizen answers the agency's question; the workflow resumes."""
    body = body if isinstance(body, dict) else {}
    report = _own(caller, report_id)
    task = next(
        (
            t
            for t in TaskModel.inbox_index.query(f"citizen#{caller.sub}")
            if t.report_id == report.id and t.status == "open"
        ),
        None,
    )
    if task is None:
        raise ConflictError(
            code="no_question",
            message="Phản ánh này không có câu hỏi nào đang chờ.",
            message_en="No question is waiting on this report.",
        )
    text = _text(body, "text", "nội dung bổ sung", "The answer")
    upload_ids = body.get("upload_ids") or []
    if not isinstance(upload_ids, list):
        raise ValidationError(
            fields=field_error(
                "upload_ids",
                "Danh sách ảnh không hợp lệ.",
                "upload_ids must be a list.",
            )
        )
    uploads = report_service.load_own_uploads(caller, upload_ids)
    now = clock.now()
    entry = report_service.timeline_entry(
        report.id,
        now,
        "answered",
        actor=caller,
        role="citizen",
        note=text,
        unit_id=task.unit_id,
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            tasks.close_task(
                tx,
                task,
                {"decision": "answer", "text": text, "upload_ids": upload_ids},
                caller.sub,
                now,
            )
            tx.update(
                report,
                actions=[
                    ReportModel.status.set("in_progress"),
                    ReportModel.pending_question.remove(),
                    ReportModel.upload_ids.set(
                        list(report.upload_ids or []) + upload_ids
                    ),
                    ReportModel.version.add(1),
                ],
                condition=ReportModel.version == report.version,
            )
            tx.save(entry)
            report_service.attach_uploads(tx, uploads, report.id)
    except TransactWriteError as error:
        raise ConflictError(
            code="report_changed",
            message="Phản ánh vừa thay đổi, vui lòng tải lại rồi gửi lại.",
            message_en="The report changed meanwhile; reload and send again.",
        ) from error
    return {"report_id": report.id, "status": "in_progress"}


def rate(caller: Caller, report_id: str, body: object) -> dict:
    """1 to 5 stars and a comment on a published result; or reopen it, with a reason,
    within the province's number of days."""
    body = body if isinstance(body, dict) else {}
    report = _own(caller, report_id)
    if report.status != "published" or not report.published_at:
        raise ConflictError(
            code="not_published",
            message="Phản ánh chưa có kết quả công khai.",
            message_en="The report has no published result yet.",
        )
    if body.get("reopen") is True:
        return _reopen(caller, report, _text(body, "reason", "lý do", "A reason"))
    stars = body.get("stars")
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise ValidationError(
            fields=field_error("stars", "Chọn từ 1 đến 5 sao.", "Choose 1 to 5 stars.")
        )
    comment = _text(body, "comment", "nhận xét", "Comment", required=False)
    if report.rating is not None:
        # Checked before the transaction too: a refused transaction costs a rollback
        # (and on moto, a table restore that can lose a concurrent write).
        raise _already_rated()
    now = clock.now()
    entry = report_service.timeline_entry(
        report.id,
        now,
        "rated",
        actor=caller,
        role="citizen",
        note=f"{stars}/5 {comment}",
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(
                report,
                actions=[
                    ReportModel.rating.set(stars),
                    ReportModel.rating_comment.set(comment),
                    ReportModel.version.add(1),
                ],
                condition=(ReportModel.version == report.version)
                & ReportModel.rating.does_not_exist(),
            )
            tx.save(entry)
    except TransactWriteError as error:
        raise _already_rated() from error
    return {"report_id": report.id, "rating": stars}


def _already_rated() -> ConflictError:
    return ConflictError(
        code="already_rated",
        message="Bạn đã đánh giá kết quả này.",
        message_en="You have already rated this result.",
    )


def _reopen(caller: Caller, report: ReportModel, reason: str) -> dict:
    days = int(settings.province().get("reopen_days", 30))
    published = clock.parse_iso(report.published_at)
    if clock.now() > published + timedelta(days=days):
        raise ConflictError(
            code="reopen_window_passed",
            message=f"Chỉ được yêu cầu xử lý lại trong {days} ngày "
            "kể từ khi công khai kết quả.",
            message_en=f"A result can be reopened within {days} days "
            "of its publication.",
        )
    now = clock.now()
    entry = report_service.timeline_entry(
        report.id,
        now,
        "reopened",
        actor=caller,
        role="citizen",
        note=reason,
        agency_id=report.agency_id,
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(
                report,
                actions=[
                    ReportModel.status.set("in_progress"),
                    # back once published again
                    *report_service.leave_public_feeds_actions(),
                    ReportModel.reopen_count.add(1),
                    ReportModel.version.add(1),
                ],
                condition=(ReportModel.version == report.version)
                & (ReportModel.status == "published"),
            )
            tx.save(entry)
    except TransactWriteError as error:
        raise ConflictError() from error
    workflow_runs.reopen(report)
    return {"report_id": report.id, "status": "in_progress"}


def enter_for_citizen(
    caller: Caller, body: object, idempotency_key: str | None
) -> dict:
    """Reception enters a report received by phone, paper or email."""
    body = body if isinstance(body, dict) else {}
    channel = body.get("channel")
    contact = body.get("contact") if isinstance(body.get("contact"), dict) else {}
    errors = {}
    if channel not in CHANNELS:
        errors.update(
            field_error(
                "channel",
                "Kênh tiếp nhận không hợp lệ.",
                f"channel must be one of {', '.join(CHANNELS)}.",
            )
        )
    name = contact.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 120:
        errors.update(
            field_error(
                "contact.name",
                "Vui lòng nhập họ tên người gửi.",
                "The sender's name is required.",
            )
        )
    phone = contact.get("phone") or None  # an empty field is no phone
    if phone is not None:
        phone = str(phone).strip()
        if phone.startswith("0"):
            phone = "+84" + phone[1:]
        if not (phone.startswith("+84") and phone[1:].isdigit() and len(phone) == 12):
            errors.update(
                field_error(
                    "contact.phone",
                    "Số điện thoại không hợp lệ.",
                    "The phone number is invalid.",
                )
            )
    email = contact.get("email") or None
    if email is not None and (not isinstance(email, str) or "@" not in email):
        errors.update(
            field_error("contact.email", "Email không hợp lệ.", "The email is invalid.")
        )
    if errors:
        raise ValidationError(fields=errors)
    # The contact has no account: the report gets an owner of its own, that nobody
    # signs in as; the desk uploads its photos, and SMS go to the contact's phone.
    owner = Caller(sub=f"contact-{uuid.uuid4().hex}", username="", groups=())
    extra = {
        "channel": channel,
        "channel_label": CHANNELS[channel],
        "contact_name": name.strip(),
        "contact_phone": phone,
        "contact_email": email,
    }
    return report_service.create(
        owner, body, idempotency_key, extra=extra, uploader=caller
    )
