"""Statistics as files to keep and send: the /v1/stats table, and an agency's summary.

Both read only through ``stats.query``, so a file shows exactly the figures the API
answers for the same parameters, and the same people may read them (``parse_query``
keeps agency leaders to their agency). The layout speaks Vietnamese: these files go
to people, and upwards in the administration.
"""

from __future__ import annotations

import calendar as month_calendar
import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chalicelib import settings
from chalicelib.adapters.identity import Caller
from chalicelib.domain import clock
from chalicelib.domain import stats as domain
from chalicelib.domain.reports import STATUSES
from chalicelib.errors import BadRequestError
from chalicelib.services import reference, stats

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
JSON = "application/json; charset=utf-8"
GROUP_HEADERS = {
    "agency": "Cơ quan",
    "area": "Địa bàn",
    "category": "Lĩnh vực",
    "channel": "Kênh",
    "status": "Trạng thái",
    "period": "Kỳ",
}
MEASURES = (*domain.FLOWS, "on_time_share", "avg_days", "p90_days", "avg_rating")
NUMBER_FORMATS = {
    "on_time_share": "0.0",
    "avg_days": "0.0",
    "p90_days": "0",
    "avg_rating": "0.00",
}
STATUS_PREFIX = "Hiện trạng: "  # the stock columns' headers: where reports stand now
TOTAL = "Tổng cộng"
FINISHED = ("rejected", "published", "merged")  # a report in these is no longer worked
SUMMARY_TITLE = "Báo cáo kết quả tiếp nhận, xử lý phản ánh, kiến nghị"
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2]|H1|H2)$")


@dataclass(frozen=True)
class Download:
    """A file answer: its bytes (or text), its media type, the name to save it as."""

    body: bytes | str
    content_type: str
    filename: str


# ------------------------------------------------------------------ the stats table


def export(caller: Caller, params: dict) -> Download:
    """The table of ``/v1/stats`` for the same parameters, as XLSX or CSV."""
    kind = format_of(params, ("xlsx", "csv"), "xlsx")
    answer = stats.query(caller, params)

    statuses = _status_columns([*answer["rows"], answer["total"]])
    header = [
        GROUP_HEADERS[answer["group"]],
        *(domain.LABELS[m][0] for m in MEASURES),
        *(STATUS_PREFIX + STATUSES.get(s, (s,))[0] for s in statuses),
    ]
    lines = [[row["label"], *_figures(row, statuses)] for row in answer["rows"]] + [
        [TOTAL, *_figures(answer["total"], statuses)]
    ]
    name = f"thong-ke-{answer['from']}-{answer['to']}"

    if kind == "csv":
        return Download(_csv(header, lines), CSV, f"{name}.csv")
    book = Workbook()
    sheet = book.active
    sheet.title = "Thống kê"
    sheet.append([f"{_province_name()}: thống kê phản ánh, kiến nghị"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"Thời gian: {_span(answer['from'], answer['to'])}"])
    sheet.append([f"Lọc theo: {_filters_text(answer['filters'])}"])
    sheet.append([f"Nhóm theo: {GROUP_HEADERS[answer['group']].lower()}"])
    sheet.append([])
    first = _table(sheet, header, lines, statuses)
    sheet.freeze_panes = sheet.cell(row=first + 1, column=2)
    return Download(_xlsx_bytes(book), XLSX, f"{name}.xlsx")


def _figures(figures: dict, statuses: list[str]) -> list:
    return [figures.get(m) for m in MEASURES] + [
        figures.get("statuses", {}).get(s, 0) for s in statuses
    ]


def _status_columns(all_figures: list[dict]) -> list[str]:
    seen = {s for figures in all_figures for s in figures.get("statuses", {})}
    known = [s for s in STATUSES if s in seen]
    return known + sorted(seen - set(known))


# ------------------------------------------------------------------ the summary


def summary(caller: Caller, params: dict) -> dict | Download:
    """One agency's month or half year, for the page (dict) or to send (XLSX)."""
    kind = format_of(params, ("json", "xlsx"), "json")
    start, end, period_label = period_of(params.get("period"))
    agency = params.get("agency") or None
    if agency is None and set(caller.groups) & set(stats.WIDE):
        raise _bad("agency", "agency: the agency's id")
    known = {domain.RECEPTION, *reference.by_id("agency")}
    if (agency or caller.agency_id or "") not in known:
        raise _bad("agency", "agency: an agency of the province")

    base = {"from": start.isoformat(), "to": end.isoformat(), "agency": agency or ""}
    overall = stats.query(caller, {**base, "group": "agency"})
    agency = overall["filters"]["agency"]  # a leader's own, when they named none
    by_category = stats.query(caller, {**base, "group": "category"})
    by_area = stats.query(caller, {**base, "group": "area"})

    named = stats.label("agency", agency)
    totals = overall["total"]
    in_progress = [
        {"status": s, "label": label[0], "label_en": label[1], "count": count}
        for s, label in STATUSES.items()
        if s not in FINISHED and (count := totals["statuses"].get(s, 0))
    ]
    answer = {
        "title": SUMMARY_TITLE,
        "province": {"name": _province_name(), "name_en": _province_name("name_en")},
        "agency": {"id": agency, "name": named["label"], "name_en": named["label_en"]},
        "period": {
            "key": params.get("period"),
            "label": period_label,
            "from": base["from"],
            "to": base["to"],
        },
        "made_at": clock.iso(clock.now()),
        "totals": totals,
        "in_progress": in_progress,
        "by_category": by_category["rows"],
        "by_area": by_area["rows"],
        "labels": overall["labels"],
    }
    if kind == "json":
        return answer
    return Download(
        _summary_xlsx(answer),
        XLSX,
        f"bao-cao-{agency}-{params.get('period')}.xlsx",
    )


def period_of(raw: str | None) -> tuple[date, date, str]:
    """``2026-11`` (a month) or ``2026-H1``, ``2026-H2`` (a half year)."""
    match = _PERIOD.match(raw or "")
    if not match:
        raise _bad("period", "period: YYYY-MM, YYYY-H1 or YYYY-H2")
    year, part = int(match[1]), match[2]
    if part == "H1":
        return date(year, 1, 1), date(year, 6, 30), f"6 tháng đầu năm {year}"
    if part == "H2":
        return date(year, 7, 1), date(year, 12, 31), f"6 tháng cuối năm {year}"
    month = int(part)
    last = month_calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last), f"Tháng {month}/{year}"


# Summary rows: (label, figure in ``totals``).
SUMMARY_TOTALS = (
    ("Số phản ánh tiếp nhận", "received"),
    ("Số phản ánh được giao xử lý", "routed"),
    ("Số phản ánh đã giải quyết", "resolved"),
    ("Trong đó: đúng hạn", "on_time"),
    ("Trong đó: trễ hạn", "late"),
    (domain.LABELS["on_time_share"][0], "on_time_share"),
    (domain.LABELS["avg_days"][0], "avg_days"),
    (domain.LABELS["p90_days"][0], "p90_days"),
    ("Số lượt đánh giá", "rated"),
    (domain.LABELS["avg_rating"][0], "avg_rating"),
    ("Số phản ánh phải xử lý lại", "reopened"),
    ("Số phản ánh chuyển đơn vị khác", "transferred"),
    ("Số phản ánh từ chối", "rejected"),
    ("Số lượt quá hạn", "overdue"),
)
IN_PROGRESS_TOTAL = "Tổng số còn đang xử lý"


def _summary_xlsx(answer: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    made = clock.parse_iso(answer["made_at"]).astimezone(clock.VN_TZ)
    period = answer["period"]
    for text in (
        answer["province"]["name"].upper(),
        answer["agency"]["name"].upper(),
        "",
        SUMMARY_TITLE.upper(),
        f"{period['label']} ({_span(period['from'], period['to'])})",
        f"Ngày lập: {made.strftime('%d/%m/%Y')}",
        "",
    ):
        sheet.append([text])
    for row in (1, 2, 4):
        sheet.cell(row=row, column=1).font = Font(
            bold=True, size=13 if row == 4 else 11
        )

    _section(sheet, "I. Kết quả chung")
    totals = answer["totals"]
    for label, measure in SUMMARY_TOTALS:
        if measure == "received" and answer["agency"]["id"] != domain.RECEPTION:
            continue  # the reception desk receives; an agency is assigned reports
        sheet.append([label, totals[measure]])
        _number_format(sheet.cell(row=sheet.max_row, column=2), measure)
    sheet.append([])

    _section(sheet, "II. Phản ánh còn đang xử lý, theo trạng thái")
    for item in answer["in_progress"]:
        sheet.append([item["label"], item["count"]])
    sheet.append([IN_PROGRESS_TOTAL, sum(i["count"] for i in answer["in_progress"])])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append([])

    header = [*(domain.LABELS[m][0] for m in MEASURES)]
    for title, group, rows in (
        ("III. Theo lĩnh vực", "category", answer["by_category"]),
        ("IV. Theo địa bàn", "area", answer["by_area"]),
    ):
        _section(sheet, title)
        lines = [[r["label"], *_figures(r, [])] for r in rows]
        lines.append([TOTAL, *_figures(totals, [])])
        _table(sheet, [GROUP_HEADERS[group], *header], lines, [])
        sheet.append([])
    sheet.column_dimensions["A"].width = 48
    return _xlsx_bytes(book)


def _section(sheet: Worksheet, title: str) -> None:
    sheet.append([title])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)


# ------------------------------------------------------------------ writing files


def _table(sheet: Worksheet, header: list, lines: list[list], statuses: list) -> int:
    """Append a header and its lines (the last one a total); the header's row."""
    sheet.append(header)
    first = sheet.max_row
    for cell in sheet[first]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for line in lines:
        sheet.append(line)
        for column, measure in enumerate(MEASURES, start=2):
            _number_format(sheet.cell(row=sheet.max_row, column=column), measure)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    widest = max(len(str(line[0])) for line in [header, *lines])
    label_width = sheet.column_dimensions["A"].width or 0
    sheet.column_dimensions["A"].width = max(label_width, min(widest + 2, 60))
    for column in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.row_dimensions[first].height = 48
    return first


def _number_format(cell, measure: str) -> None:
    cell.number_format = NUMBER_FORMATS.get(measure, "0")


def _xlsx_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(header: list, lines: list[list]) -> str:
    # The BOM tells Excel the file is UTF-8; without it Vietnamese comes out garbled.
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in line] for line in lines)
    return out.getvalue()


# ------------------------------------------------------------------ words


def format_of(params: dict, allowed: tuple[str, ...], default: str) -> str:
    kind = params.get("format") or default
    if kind not in allowed:
        raise BadRequestError(
            code="bad_export_format",
            message=f"Định dạng không hỗ trợ; chọn một trong: {', '.join(allowed)}.",
            message_en=f"Unsupported format; one of: {', '.join(allowed)}.",
        )
    return kind


def _span(start: str, end: str) -> str:
    def day(text: str) -> str:
        return date.fromisoformat(text).strftime("%d/%m/%Y")

    return f"{day(start)} – {day(end)}"


def _filters_text(filters: dict) -> str:
    named = [
        f"{GROUP_HEADERS[name]}: {_name(name, value)}"
        for name, value in filters.items()
        if value
    ]
    return "; ".join(named) or "không"


def _name(dimension: str, key: str) -> str:
    return stats.label(dimension, key)["label"]


def _province_name(field: str = "name") -> str:
    return settings.province().get(field, "")


def _bad(name: str, english: str) -> BadRequestError:
    return BadRequestError(
        code="bad_summary_query",
        message=f"Tham số {name} không hợp lệ.",
        message_en=english,
    )
