"""What a report is, the states it goes through, and what a valid one looks like."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain import clock, geo
from chalicelib.errors import BadRequestError, ValidationError, field_error

TITLE_MAX = 200
CONTENT_MAX = 5000
ADDRESS_MAX = 300
UPLOADS_MAX = 10

# status -> (Vietnamese, English). The citizen sees these words.
STATUSES = {
    "received": ("Đã tiếp nhận", "Received"),
    "routed": ("Đã chuyển đơn vị xử lý", "Routed to an agency"),
    "rejected": ("Không được tiếp nhận", "Rejected"),
    "in_progress": ("Đang xử lý", "In progress"),
    "resolved": ("Chờ phê duyệt kết quả", "Awaiting approval"),
    "approved": ("Đã phê duyệt", "Approved"),
    "published": ("Đã công khai kết quả", "Result published"),
    "waiting_citizen": ("Chờ công dân bổ sung thông tin", "Waiting for your answer"),
    "merged": ("Đã gộp vào phản ánh khác", "Merged into another report"),
}

# timeline kind -> (Vietnamese, English, public?). Public entries are what a citizen and
# the public page see; the rest is the internal audit trail.
TIMELINE_KINDS = {
    "received": ("Tiếp nhận phản ánh", "Report received", True),
    "routed": ("Chuyển đơn vị xử lý", "Routed to an agency", True),
    "rejected": ("Từ chối tiếp nhận", "Rejected", True),
    "assigned": ("Phân công cán bộ xử lý", "Officer assigned", False),
    "resolved": ("Cán bộ báo cáo kết quả", "Result recorded", False),
    "returned": ("Trả lại để xử lý lại", "Returned for rework", False),
    "approved": ("Lãnh đạo phê duyệt kết quả", "Result approved", False),
    "published": ("Công khai kết quả xử lý", "Result published", True),
    "transferred": ("Chuyển đơn vị khác xử lý", "Transferred to another agency", True),
    "merged": ("Gộp vào phản ánh trước", "Merged into an earlier report", True),
    "info_requested": ("Yêu cầu bổ sung thông tin", "More information requested", True),
    "answered": ("Công dân bổ sung thông tin", "The citizen answered", True),
    "extended": ("Gia hạn thời hạn xử lý", "Deadline extended", False),
    "overdue": ("Quá hạn xử lý, đã báo lãnh đạo", "Overdue, escalated", False),
    "rated": ("Công dân đánh giá kết quả", "The citizen rated the result", True),
    "reopened": ("Công dân yêu cầu xử lý lại", "Reopened by the citizen", True),
}

_CODE_RE = re.compile(r"^[A-Z]{2,4}-\d{4}-\d{4,}$")


@dataclass(frozen=True)
class NewReport:
    title: str
    content: str
    category_id: str
    area_id: str
    lat: float
    lon: float
    address: str
    occurred_at: datetime
    upload_ids: tuple[str, ...]
    # True when no position was given and the area's centre stands in for it.
    approximate: bool = False


def parse_new_report(
    body: object,
    *,
    categories: set[str],
    areas: set[str],
    boundary: list,
    centers: dict[str, list] | None = None,
) -> NewReport:
    """Check a citizen's report; raise one ValidationError naming every bad field.

    A report may come without a position (no map, no GPS: a phone call, a screen
    reader, an old phone): an address and an area are enough, and the area's centre
    (``centers``) stands in for the position, marked approximate.
    """
    if not isinstance(body, dict):
        raise ValidationError(
            fields=field_error(
                "body", "Cần một đối tượng JSON.", "A JSON object is expected."
            )
        )
    errors: dict[str, dict[str, str]] = {}

    def text(name: str, limit: int, vi: str, en: str) -> str:
        value = body.get(name)
        if not isinstance(value, str) or not value.strip():
            errors.update(
                field_error(name, f"Vui lòng nhập {vi}.", f"{en} is required.")
            )
            return ""
        if len(value) > limit:
            errors.update(
                field_error(
                    name,
                    f"{vi.capitalize()} dài quá {limit} ký tự.",
                    f"{en} is longer than {limit} characters.",
                )
            )
        return value.strip()

    title = text("title", TITLE_MAX, "tiêu đề", "Title")
    content = text("content", CONTENT_MAX, "nội dung", "Content")

    category_id = body.get("category_id")
    if category_id not in categories:
        errors.update(
            field_error("category_id", "Lĩnh vực không tồn tại.", "Unknown category.")
        )

    location = body.get("location")
    lat = lon = 0.0
    address = ""
    area_id = ""
    approximate = False
    if not isinstance(location, dict):
        errors.update(
            field_error("location", "Vui lòng chọn vị trí.", "Location is required.")
        )
    else:
        area_id = location.get("area_id")
        area_id = area_id if isinstance(area_id, str) else ""
        if area_id not in areas:
            errors.update(
                field_error(
                    "location.area_id", "Địa bàn không tồn tại.", "Unknown area."
                )
            )
        address = location.get("address") or ""
        if not isinstance(address, str) or len(address) > ADDRESS_MAX:
            errors.update(
                field_error(
                    "location.address",
                    f"Địa chỉ dài quá {ADDRESS_MAX} ký tự.",
                    f"Address is longer than {ADDRESS_MAX} characters.",
                )
            )
            address = ""
        lat, lon = location.get("lat"), location.get("lon")
        center = (centers or {}).get(area_id)
        if lat is None and lon is None and address.strip() and center:
            lat, lon = center
            approximate = True
        elif lat is None and lon is None:
            errors.update(
                field_error(
                    "location.lat",
                    "Vui lòng chọn vị trí trên bản đồ, hoặc ghi địa chỉ và chọn "
                    "địa bàn.",
                    "Choose the place on the map, or write the address and choose "
                    "the area.",
                )
            )
        elif not _is_number(lat) or not _is_number(lon):
            errors.update(
                field_error(
                    "location.lat",
                    "Vĩ độ, kinh độ phải là số.",
                    "Latitude and longitude must be numbers.",
                )
            )
            lat = lon = 0.0
        elif not geo.contains(boundary, float(lat), float(lon)):
            errors.update(
                field_error(
                    "location.lat",
                    "Vị trí nằm ngoài địa giới tỉnh.",
                    "The position is outside the province.",
                )
            )

    occurred_at = clock.now()
    raw_time = body.get("occurred_at")
    try:
        occurred_at = clock.parse_iso(raw_time)
        if occurred_at > clock.now() + timedelta(minutes=5):
            errors.update(
                field_error(
                    "occurred_at",
                    "Thời gian xảy ra ở tương lai.",
                    "The time is in the future.",
                )
            )
    except (TypeError, ValueError, AttributeError):
        errors.update(
            field_error(
                "occurred_at",
                "Thời gian không hợp lệ (ISO 8601 có múi giờ).",
                "Time must be ISO 8601 with an offset.",
            )
        )

    upload_ids = body.get("upload_ids", [])
    if not isinstance(upload_ids, list) or not all(
        isinstance(u, str) and u for u in upload_ids
    ):
        errors.update(
            field_error(
                "upload_ids",
                "Danh sách ảnh không hợp lệ.",
                "upload_ids must be a list of ids.",
            )
        )
        upload_ids = []
    elif len(upload_ids) > UPLOADS_MAX or len(set(upload_ids)) != len(upload_ids):
        errors.update(
            field_error(
                "upload_ids",
                f"Tối đa {UPLOADS_MAX} ảnh, không trùng nhau.",
                f"At most {UPLOADS_MAX} distinct uploads.",
            )
        )

    if errors:
        raise ValidationError(fields=errors)
    return NewReport(
        title,
        content,
        category_id,
        area_id,
        float(lat),
        float(lon),
        address,
        occurred_at,
        tuple(upload_ids),
        approximate,
    )


def format_code(prefix: str, moment: datetime, number: int) -> str:
    """A code short enough to read out on the phone: ``KT-2612-0042``."""
    local = moment.astimezone(clock.VN_TZ)
    return f"{prefix}-{local:%y%m}-{number:04d}"


def is_code(text: str) -> bool:
    return bool(_CODE_RE.match(text))


# What a search for a code accepts (of any province's prefix): refused before a Query.
CODE_MAX = 32
_CODE_CHARS = re.compile(r"^[A-Z0-9-]+$")


def searchable_code(code: str) -> bool:
    """An upper-cased code a staff member may look up: letters, digits, dashes."""
    return len(code) <= CODE_MAX and bool(_CODE_CHARS.match(code))


def bad_code() -> BadRequestError:
    return BadRequestError(
        code="bad_code",
        message=f"Mã phản ánh gồm chữ, số và dấu gạch ngang, tối đa {CODE_MAX} ký tự.",
        message_en=f"A report code is letters, digits and dashes, at most {CODE_MAX}.",
    )


def status_labels(status: str) -> tuple[str, str]:
    return STATUSES.get(status, (status, status))


def _is_number(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and (value == value and abs(value) != float("inf"))
    )
