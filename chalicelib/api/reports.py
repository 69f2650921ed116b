"""Citizens' reports and their attachments."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

from chalice import Blueprint

from chalicelib.adapters import storage
from chalicelib.adapters.tables import UploadModel
from chalicelib.api.http import idempotency_key, json_body, route
from chalicelib.domain import clock
from chalicelib.errors import PayloadTooLargeError, ValidationError, field_error
from chalicelib.observability import metrics
from chalicelib.services import accounts, citizen_actions, paging
from chalicelib.services import reports as report_service

bp = Blueprint(__name__)

_STRING = {"type": "string"}


@route(
    bp,
    "/uploads",
    "POST",
    "An upload slot: a presigned POST for one image.",
    auth="signed_in",
    request={"filename": _STRING, "content_type": _STRING, "size": {"type": "integer"}},
    status=201,
    errors=(413, 422),
)
def create_upload(caller):
    body = json_body(bp.current_request)
    if not isinstance(body, dict):
        body = {}
    content_type = body.get("content_type")
    size = body.get("size")
    filename = body.get("filename")
    if content_type not in storage.ALLOWED_TYPES:
        raise ValidationError(
            code="upload_type",
            fields=field_error(
                "content_type",
                "Chỉ nhận ảnh JPEG, PNG hoặc WEBP.",
                "Only JPEG, PNG or WEBP images are accepted.",
            ),
        )
    if not isinstance(filename, str) or not filename or len(filename) > 200:
        raise ValidationError(
            fields=field_error(
                "filename", "Tên tệp không hợp lệ.", "The file name is invalid."
            )
        )
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ValidationError(
            fields=field_error(
                "size", "Dung lượng không hợp lệ.", "The size is invalid."
            )
        )
    if size > storage.MAX_BYTES:
        raise PayloadTooLargeError(
            code="upload_too_large",
            message=f"Ảnh tối đa {storage.MAX_BYTES // 1024 // 1024} MB.",
            message_en=f"Images are at most {storage.MAX_BYTES // 1024 // 1024} MB.",
        )
    upload_id = uuid.uuid4().hex
    extension = os.path.splitext(filename)[1].lower()[:8]
    key = f"uploads/{caller.sub}/{upload_id}{extension}"
    now = clock.now()
    slot = storage.upload_slot(key, content_type, size)
    UploadModel(
        upload_id,
        owner_sub=caller.sub,
        key=key,
        filename=filename,
        content_type=content_type,
        size=size,
        created_at=now.isoformat(),
        expires_ttl=int((now + timedelta(days=2)).timestamp()),
    ).save()
    return {
        "upload_id": upload_id,
        "url": slot["url"],
        "fields": slot["fields"],
        "expires_at": clock.iso(now + timedelta(seconds=storage.SLOT_SECONDS)),
    }


@route(
    bp,
    "/reports",
    "POST",
    "File a report (citizen). Honours Idempotency-Key.",
    auth="citizen",
    status=201,
    errors=(409, 422),
    request={
        "title": _STRING,
        "content": _STRING,
        "category_id": _STRING,
        "location": {"type": "object"},
        "occurred_at": _STRING,
        "upload_ids": {"type": "array", "items": _STRING},
    },
)
def create_report(caller):
    request = bp.current_request
    key = idempotency_key(request)
    accounts.require_consent(caller)
    created = report_service.create(caller, json_body(request), key)
    metrics.add_metric(name="ReportsReceived", unit="Count", value=1)
    return created


@route(
    bp,
    "/me/reports",
    "GET",
    "The caller's own reports, newest first.",
    auth="signed_in",
    query=("limit", "cursor"),
)
def my_reports(caller):
    params = bp.current_request.query_params or {}
    return report_service.list_mine(
        caller, paging.limit_of(params.get("limit")), params.get("cursor")
    )


@route(
    bp,
    "/reports/{report_id}",
    "GET",
    "One report with its timeline (owner: public steps; staff: all).",
    auth="signed_in",
    errors=(404,),
)
def get_report(report_id, caller):
    return report_service.view_for(caller, report_id)


@route(
    bp,
    "/public/reports",
    "GET",
    "Published reports, newest first; no personal data. Filters: area (a commune "
    "or ward), category, status (resolved, reopened), from and to (publication "
    "dates, YYYY-MM-DD in Vietnam's time, both included).",
    query=("limit", "cursor", "area", "category", "status", "from", "to"),
)
def public_reports():
    params = bp.current_request.query_params or {}
    return report_service.list_public(
        paging.limit_of(params.get("limit")),
        params.get("cursor"),
        report_service.parse_public_filters(params),
    )


@route(bp, "/public/reports/{report_id}", "GET", "One published report.", errors=(404,))
def public_report(report_id):
    return report_service.get_public(report_id)


@route(
    bp,
    "/reports/{report_id}/answers",
    "POST",
    "Answer the agency's request for more information (text, upload_ids); the "
    "workflow resumes.",
    auth="citizen",
    errors=(404, 409, 422),
    request={"text": _STRING, "upload_ids": {"type": "array", "items": _STRING}},
)
def answer(report_id, caller):
    return citizen_actions.answer(caller, report_id, json_body(bp.current_request))


@route(
    bp,
    "/reports/{report_id}/rating",
    "POST",
    "Rate a published result (stars 1-5, comment), or reopen it "
    "(`reopen: true`, reason) within the province's days.",
    auth="citizen",
    errors=(404, 409, 422),
    request={
        "stars": {"type": "integer"},
        "comment": _STRING,
        "reopen": {"type": "boolean"},
        "reason": _STRING,
    },
)
def rate(report_id, caller):
    return citizen_actions.rate(caller, report_id, json_body(bp.current_request))
