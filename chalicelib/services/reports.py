"""Reports: filing one, reading it as its owner, as staff, or as the public."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib import settings
from chalicelib.adapters import idempotency, storage
from chalicelib.adapters.identity import Caller
from chalicelib.adapters.tables import (
    CounterModel,
    ReportModel,
    TaskModel,
    TimelineModel,
    UploadModel,
    UserModel,
    connection,
)
from chalicelib.domain import clock, reports
from chalicelib.errors import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
    field_error,
)
from chalicelib.services import paging, reference, workflow_specs

PUBLIC_FEED = "PUBLIC"
STAFF_WIDE_GROUPS = {"reception", "province_leader", "admin"}


def create(
    caller: Caller,
    body: object,
    idempotency_key: str | None,
    *,
    extra: dict | None = None,
    uploader: Caller | None = None,
) -> dict:
    """File a report; the same ``Idempotency-Key`` returns the first answer.

    ``caller`` owns the report. When the reception desk enters one for a citizen
    without an account, ``uploader`` is the desk (whose photos it attaches) and
    ``extra`` holds the channel and the contact.
    """
    uploader = uploader or caller
    if not idempotency_key:
        return _create(caller, body, extra, uploader)
    request = {"owner": uploader.sub, "key": idempotency_key, "body": body}
    return _idempotent_create(
        request=request, caller=caller, extra=extra, uploader=uploader
    )


def _create_once(
    request: dict, caller: Caller, extra: dict | None, uploader: Caller
) -> dict:
    return _create(caller, request["body"], extra, uploader)


_idempotent_create = idempotency.once(
    _create_once, key="[owner, key]", validate="body", seconds=24 * 3600
)


def _create(caller: Caller, body: object, extra: dict | None, uploader: Caller) -> dict:
    province = settings.province()
    new = reports.parse_new_report(
        body,
        categories=set(reference.by_id("category")),
        areas={a["id"] for a in reference.items("area") if a.get("parent_id")},
        boundary=province["boundary"],
        centers={a["id"]: a.get("center") for a in reference.items("area")},
    )
    uploads = load_own_uploads(uploader, new.upload_ids)

    now = clock.now()
    code = reports.format_code(province["report_prefix"], now, _next_number(now))
    report = ReportModel(
        uuid.uuid4().hex,
        code=code,
        owner_sub=caller.sub,
        status="received",
        title=new.title,
        content=new.content,
        category_id=new.category_id,
        area_id=new.area_id,
        lat=new.lat,
        lon=new.lon,
        address=new.address,
        approximate=new.approximate or None,
        occurred_at=clock.iso(new.occurred_at),
        created_at=_utc(now),
        upload_ids=list(new.upload_ids),
        unit_id="reception",
        version=1,
    )
    if extra:
        for name in ("channel", "contact_name", "contact_phone", "contact_email"):
            setattr(report, name, extra.get(name))
    role = "reception" if extra else "citizen"
    entry = timeline_entry(
        report.id,
        now,
        "received",
        actor=uploader,
        role=role,
        note=extra and extra.get("channel_label"),
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(report, condition=ReportModel.id.does_not_exist())
            tx.save(entry)
            attach_uploads(tx, uploads, report.id)
    except TransactWriteError as error:
        raise ConflictError(
            code="upload_already_used",
            message="Ảnh đã được dùng cho phản ánh khác.",
            message_en="An upload is already attached elsewhere.",
        ) from error
    return {"id": report.id, "code": code, "status": report.status}


def attach_uploads(
    tx: TransactWrite, uploads: list[UploadModel], report_id: str
) -> None:
    """Within ``tx``: each checked upload becomes an attachment of the report, once.

    The condition keeps an upload from being attached twice, and from changing hands
    between the check and the write (its owner is part of what was checked)."""
    for upload in uploads:
        tx.update(
            upload,
            actions=[
                UploadModel.status.set("attached"),
                UploadModel.report_id.set(report_id),
            ],
            condition=(UploadModel.status == "pending")
            & (UploadModel.owner_sub == upload.owner_sub),
        )


def load_own_uploads(caller: Caller, upload_ids) -> list[UploadModel]:
    """The caller's pending uploads, each checked (size, type, decodes)."""
    if not upload_ids:
        return []
    found = {u.id: u for u in UploadModel.batch_get(list(upload_ids))}
    result = []
    for upload_id in upload_ids:
        upload = found.get(upload_id)
        if upload is None or upload.owner_sub != caller.sub:
            raise ValidationError(
                code="upload_not_found",
                message="Không tìm thấy ảnh đã tải lên.",
                message_en="The upload does not exist or is not yours.",
                fields=field_error(
                    "upload_ids", "Ảnh không tồn tại.", "Unknown upload."
                ),
            )
        if upload.status != "pending":
            raise ConflictError(
                code="upload_already_used",
                message="Ảnh đã được dùng cho phản ánh khác.",
                message_en="An upload is already attached elsewhere.",
            )
        storage.verify_image(upload.key, upload.content_type, int(upload.size))
        result.append(upload)
    return result


def _next_number(now) -> int:
    local = now.astimezone(clock.VN_TZ)
    counter = CounterModel(f"report-code#{local:%y%m}")
    counter.update(actions=[CounterModel.value.add(1)])
    return int(counter.value)


def _utc(moment) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def timeline_entry(
    report_id: str,
    at,
    kind: str,
    *,
    actor: Caller | None = None,
    role: str | None = None,
    note: str | None = None,
    agency_id: str | None = None,
    unit_id: str | None = None,
    entry_id: str | None = None,
) -> TimelineModel:
    public = reports.TIMELINE_KINDS[kind][2]
    return TimelineModel(
        report_id,
        f"{_utc(at)}#{entry_id or uuid.uuid4().hex[:12]}",
        at=clock.iso(at),
        kind=kind,
        public=public,
        actor_sub=actor.sub if actor else None,
        actor_role=role,
        note=note,
        agency_id=agency_id,
        unit_id=unit_id,
    )


def get_model(report_id: str) -> ReportModel:
    try:
        return ReportModel.get(report_id)
    except DoesNotExist as error:
        raise _report_not_found() from error


def _report_not_found() -> NotFoundError:
    return NotFoundError(
        code="report_not_found",
        message="Không tìm thấy phản ánh.",
        message_en="Report not found.",
    )


def staff_may_view(caller: Caller, report: ReportModel) -> bool:
    if STAFF_WIDE_GROUPS & set(caller.groups):
        return True
    return (
        caller.is_staff
        and bool(caller.agency_id)
        and caller.agency_id in (report.unit_id, report.agency_id)
    )


def by_code(code: str) -> ReportModel | None:
    """The report with this (upper-cased) code: a Query on the code index."""
    return next(iter(ReportModel.code_index.query(code, limit=1)), None)


def find_by_code(caller: Caller, code: object) -> list[dict]:
    """The report with this code, in a list of none or one: a Query on the code
    index. A report the caller may not see is not found, as if it did not exist."""
    code = code.strip().upper() if isinstance(code, str) else ""
    if not code:
        raise BadRequestError(
            code="missing_code",
            message="Vui lòng nhập mã phản ánh.",
            message_en="Give a report code.",
        )
    if not reports.searchable_code(code):
        raise reports.bad_code()
    found = by_code(code)
    if found is None or not staff_may_view(caller, found):
        return []
    vi, en = reports.status_labels(found.status)
    return [
        {
            "id": found.id,
            "code": found.code,
            "title": found.title,
            "status": found.status,
            "status_label": vi,
            "status_label_en": en,
            "created_at": clock.iso(clock.parse_iso(found.created_at)),
        }
    ]


def view_for(caller: Caller, report_id: str) -> dict:
    report = get_model(report_id)
    if report.owner_sub == caller.sub:
        return shape(report, audience="owner")
    if staff_may_view(caller, report):
        return shape(report, audience="staff")
    if caller.sub in (report.followers or []):
        # A citizen whose report was merged into this one follows it: the public
        # view, nothing of the other citizen.
        return {**shape(report, audience="public"), "viewer": "follower"}
    raise ForbiddenError()


def list_mine(caller: Caller, limit: int, cursor: str | None) -> dict:
    results = ReportModel.owner_index.query(
        caller.sub,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=paging.decode(cursor),
    )
    return paging.page(results, lambda r: shape(r, audience="owner", timeline=False))


# What a citizen can tell apart among published reports. A report leaves the feed
# while it is handled again after its owner reopened it, and comes back with its
# new result: "reopened" is such a report, "resolved" one whose first result stood.
# Rejected and merged reports are never public (their text is the citizen's own and
# was not vetted by an agency).
PUBLIC_STATUSES = {
    "resolved": ("Đã giải quyết", "Resolved"),
    "reopened": (
        "Đã xử lý lại theo yêu cầu của công dân",
        "Handled again at the citizen's request",
    ),
}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class PublicFilters:
    """The public feed's filters, checked: ids that exist, a period in UTC keys."""

    area: str | None = None
    category: str | None = None
    status: str | None = None
    since: str | None = None  # published_at >= since (UTC ISO, start of a VN day)
    until: str | None = None  # published_at <= until (UTC ISO, end of a VN day)


def _bad_filter(name: str, vi: str, en: str) -> BadRequestError:
    return BadRequestError(
        code="bad_feed_filter",
        message=f"Bộ lọc không hợp lệ: {vi}",
        message_en=f"Invalid filter: {en}",
        fields=field_error(name, vi, en),
    )


def _vn_day(raw: str, name: str) -> date:
    if not _DATE_RE.match(raw):
        raise _bad_filter(
            name,
            "ngày phải có dạng YYYY-MM-DD.",
            "the date must read YYYY-MM-DD.",
        )
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise _bad_filter(name, "ngày không tồn tại.", "no such date.") from error


def _day_start_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=clock.VN_TZ).astimezone(UTC)


def parse_public_filters(params: dict) -> PublicFilters:
    """``area``, ``category``, ``status``, ``from`` and ``to`` of the query string.

    Dates are days in Vietnam's time, both ends included, on the publication date.
    """
    area = params.get("area") or None
    category = params.get("category") or None
    status = params.get("status") or None
    if area is not None:
        known = reference.by_id("area").get(area)
        # Reports are filed in a commune or ward (an area with a parent), removed
        # ones included: reports keep the area they were filed in.
        if not known or not known.get("parent_id"):
            raise _bad_filter("area", "không có xã, phường này.", "unknown area.")
    if category is not None and category not in reference.by_id("category"):
        raise _bad_filter("category", "không có lĩnh vực này.", "unknown category.")
    if status is not None and status not in PUBLIC_STATUSES:
        raise _bad_filter(
            "status",
            "trạng thái phải là " + ", ".join(PUBLIC_STATUSES) + ".",
            "status must be one of " + ", ".join(PUBLIC_STATUSES) + ".",
        )
    start = _vn_day(params["from"], "from") if params.get("from") else None
    end = _vn_day(params["to"], "to") if params.get("to") else None
    if start and end and start > end:
        raise _bad_filter(
            "to", "ngày kết thúc trước ngày bắt đầu.", "to is before from."
        )
    since = _day_start_utc(start).isoformat() if start else None
    until = (
        (
            _day_start_utc(end + timedelta(days=1)) - timedelta(microseconds=1)
        ).isoformat()
        if end
        else None
    )
    return PublicFilters(area, category, status, since, until)


def list_public(
    limit: int, cursor: str | None, filters: PublicFilters | None = None
) -> dict:
    """Published reports, newest first: one Query on the public index, or on the
    area's or the category's when one is asked for (an area and a category: the
    area's index, the category as a filter). The period is the range-key condition;
    the status is a filter on the reopen count."""
    filters = filters or PublicFilters()
    if filters.area:
        index, hash_name, hash_value = (
            ReportModel.public_area_index,
            "public_area",
            filters.area,
        )
    elif filters.category:
        index, hash_name, hash_value = (
            ReportModel.public_category_index,
            "public_category",
            filters.category,
        )
    else:
        index, hash_name, hash_value = (
            ReportModel.public_index,
            "public_feed",
            PUBLIC_FEED,
        )

    period = None
    if filters.since and filters.until:
        period = ReportModel.published_at.between(filters.since, filters.until)
    elif filters.since:
        period = ReportModel.published_at >= filters.since
    elif filters.until:
        period = ReportModel.published_at <= filters.until

    conditions = []
    if filters.area and filters.category:
        conditions.append(ReportModel.category_id == filters.category)
    if filters.status == "resolved":
        conditions.append(
            ReportModel.reopen_count.does_not_exist() | (ReportModel.reopen_count == 0)
        )
    elif filters.status == "reopened":
        conditions.append(ReportModel.reopen_count > 0)
    condition = None
    for part in conditions:
        condition = part if condition is None else condition & part

    # TODO: a status filter reads past the reports it drops, page after page, to
    # fill a page; if one status grows rare, give it a sparse index of its own.
    results = index.query(
        hash_value,
        range_key_condition=period,
        filter_condition=condition,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=_feed_cursor(cursor, hash_name, hash_value, filters),
    )
    return paging.page(results, lambda r: shape(r, audience="public", timeline=False))


def _feed_cursor(
    cursor: str | None, hash_name: str, hash_value: str, filters: PublicFilters
) -> dict | None:
    """The cursor, if it was made by this very query: DynamoDB refuses a start key
    of another index or outside the period (a 500 otherwise)."""
    start = paging.decode(cursor)
    if start is None:
        return None
    bad = BadRequestError(
        code="bad_cursor",
        message="Con trỏ trang không hợp lệ.",
        message_en="The cursor is invalid.",
    )
    if not isinstance(start, dict) or set(start) != {"id", hash_name, "published_at"}:
        raise bad
    values = {}
    for name, value in start.items():
        if not (
            isinstance(value, dict)
            and set(value) == {"S"}
            and isinstance(value["S"], str)
        ):
            raise bad
        values[name] = value["S"]
    published = values["published_at"]
    if (
        values[hash_name] != hash_value
        or (filters.since and published < filters.since)
        or (filters.until and published > filters.until)
    ):
        raise bad
    return start


# TODO: reports published before public-area-index and public-category-index existed
# have no public_area/public_category; a stack with such data needs a one-off pass
# over public-index setting them (there is no migration runner yet).
def public_feed_actions(report: ReportModel, published_at: str) -> list:
    """The update actions that put a report in every public feed (on publication)."""
    return [
        ReportModel.public_feed.set(PUBLIC_FEED),
        ReportModel.public_area.set(report.area_id),
        ReportModel.public_category.set(report.category_id),
        ReportModel.published_at.set(published_at),
    ]


def leave_public_feeds_actions() -> list:
    """The update actions that take a report out of every public feed (reopened)."""
    return [
        ReportModel.public_feed.remove(),
        ReportModel.public_area.remove(),
        ReportModel.public_category.remove(),
    ]


def public_status(report: ReportModel) -> str:
    return "reopened" if int(report.reopen_count or 0) > 0 else "resolved"


def get_public(report_id: str) -> dict:
    report = get_model(report_id)
    if report.public_feed != PUBLIC_FEED:
        raise _report_not_found()
    return shape(report, audience="public")


def shape(report: ReportModel, *, audience: str, timeline: bool = True) -> dict:
    """The report as one audience may see it: the public never gets personal data."""
    categories = reference.by_id("category")
    areas = reference.by_id("area")
    agencies = reference.by_id("agency")
    category = categories.get(report.category_id, {})
    area = areas.get(report.area_id, {})
    agency = agencies.get(report.agency_id or "", {})
    vi, en = reports.status_labels(report.status)
    published = report.status == "published"
    body = {
        "id": report.id,
        "code": report.code,
        "title": report.title,
        "content": report.content,
        "category_id": report.category_id,
        "category_name": category.get("name"),
        "category_name_en": category.get("name_en"),
        "location": {
            "lat": float(report.lat),
            "lon": float(report.lon),
            "address": report.address,
            "area_id": report.area_id,
            "area_name": area.get("name"),
            "area_name_en": area.get("name_en"),
            "approximate": bool(report.approximate),
        },
        "occurred_at": report.occurred_at,
        "created_at": clock.iso(clock.parse_iso(report.created_at)),
        "status": report.status,
        "status_label": vi,
        "status_label_en": en,
        "agency_id": report.agency_id,
        "agency_name": agency.get("name"),
        "agency_name_en": agency.get("name_en"),
        "channel": report.channel,
        "attachments": _attachments(report.upload_ids or [], audience),
        "result": None,
    }
    if (published or audience == "staff") and report.result_text:
        body["result"] = {
            "text": report.result_text,
            "attachments": _attachments(report.result_upload_ids or [], audience),
            "published_at": report.published_at
            and clock.iso(clock.parse_iso(report.published_at)),
        }
    body["viewer"] = audience
    if audience == "public":
        body["public_status"] = public_status(report)
        body["public_status_label"], body["public_status_label_en"] = PUBLIC_STATUSES[
            body["public_status"]
        ]
    else:
        body["pending_question"] = report.pending_question
        body["rating"] = report.rating and int(report.rating)
        body["rating_comment"] = report.rating_comment
        body["merged_into"] = None
        if report.merged_into:
            earlier = get_model(report.merged_into)
            body["merged_into"] = {"id": earlier.id, "code": earlier.code}
        if published and report.published_at:
            days = int(settings.province().get("reopen_days", 30))
            body["reopen_until"] = clock.iso(
                clock.parse_iso(report.published_at) + timedelta(days=days)
            )
    if audience == "staff":
        body["contact"] = contact_of(report)
        if timeline:
            body["workflow"] = workflow_position(report)
    if timeline:
        body["timeline"] = timeline_of(
            report.id, staff=audience == "staff", public=audience == "public"
        )
    return body


def contact_of(report: ReportModel) -> dict | None:
    """How staff reach the citizen behind a report: the contact the reception desk
    typed in for someone without an account, or else the owner's own profile. Staff
    only; None once the owner deleted their account (the report keeps a pseudonym)."""
    if report.contact_name or report.contact_phone or report.contact_email:
        return {
            "source": "desk",
            "name": report.contact_name,
            "phone": report.contact_phone,
            "email": report.contact_email,
        }
    try:
        owner = UserModel.get(report.owner_sub)
    except UserModel.DoesNotExist:
        return None
    if "citizen" not in (owner.groups or []):
        return None
    return {
        "source": "account",
        "name": owner.name,
        "phone": owner.phone,
        "email": owner.email,
    }


def workflow_position(report: ReportModel) -> list[dict]:
    """Every step the report has been through, in order: who held it, since when,
    until when, and what they decided; the open one is where it is now."""
    steps = []
    names = {}
    for task in TaskModel.report_index.query(report.id):
        spec = workflow_specs.version(task.unit_id, int(task.spec_version or 1))
        step = spec["spec"]["steps"].get(task.step, {})
        holder = task.assignee or None
        if holder and holder not in names:
            names[holder] = _staff_name(holder)
        steps.append(
            {
                "task_id": task.id,
                "unit_id": task.unit_id,
                "step": task.step,
                "label": step.get("label", "Công dân bổ sung thông tin"),
                "label_en": step.get("label_en", "The citizen's answer"),
                "group": task.group,
                "holder": names.get(holder),
                "since": clock.iso(clock.parse_iso(task.created_at)),
                "due_at": task.due_at and clock.iso(clock.parse_iso(task.due_at)),
                "overdue": bool(task.overdue_at),
                "extended": bool(task.extended_at),
                "state": "current" if task.status == "open" else "done",
                "decision": (task.decision or {}).get("decision"),
                "decided_at": task.decided_at
                and clock.iso(clock.parse_iso(task.decided_at)),
                "spec_version": task.spec_version,
            }
        )
    return steps


def _staff_name(sub: str) -> str | None:
    try:
        user = UserModel.get(sub)
    except UserModel.DoesNotExist:
        return None
    # A citizen holding their own question step is named by role, never by name.
    return None if "citizen" in (user.groups or []) else user.name


def _attachments(upload_ids: list[str], audience: str) -> list[dict]:
    if not upload_ids:
        return []
    out = []
    for upload in UploadModel.batch_get(upload_ids):
        key = upload.key
        if audience == "public":
            if not upload.public_key:
                continue
            key = upload.public_key
        out.append(
            {
                "upload_id": upload.id,
                "url": storage.read_url(key),
                "content_type": upload.content_type,
            }
        )
    order = {u: i for i, u in enumerate(upload_ids)}
    return sorted(out, key=lambda a: order[a["upload_id"]])


def timeline_of(report_id: str, *, staff: bool, public: bool = False) -> list[dict]:
    """The entries an audience may see. The public sees public steps, but never a
    citizen's own words (answers, rating comments, reasons to reopen)."""
    # A report's timeline is tens of entries: one Query, every page drained.
    entries = []
    agencies = reference.by_id("agency")
    for entry in TimelineModel.query(report_id):
        if not staff and not entry.public:
            continue
        vi, en, _ = reports.TIMELINE_KINDS.get(
            entry.kind, (entry.kind, entry.kind, False)
        )
        item = {
            "at": entry.at,
            "kind": entry.kind,
            "label": vi,
            "label_en": en,
            "note": None if public and entry.actor_role == "citizen" else entry.note,
            "public": entry.public,
            "agency_id": entry.agency_id,
            "agency_name": agencies.get(entry.agency_id or "", {}).get("name"),
            "agency_name_en": agencies.get(entry.agency_id or "", {}).get("name_en"),
        }
        if staff:
            item["actor_role"] = entry.actor_role
            item["unit_id"] = entry.unit_id
        entries.append(item)
    return entries
