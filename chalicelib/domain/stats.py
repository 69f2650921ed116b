"""Statistics: what each event of a report counts for, and how counts add up.

Two kinds of figures:

- **flows**, counted when they happen, from the report's timeline: received, routed
  (an agency got it to handle: routed or transferred in), transferred (out), rejected,
  merged, resolved (the result published; on time or late; its processing time in
  working days), reopened, overdue (a step passed its deadline), rated (with stars);
- **stock**: where the reports filed in a period are now (their current status).

Each figure is a *row* with a deterministic key (the timeline entry, or the report for
its stock), so writing it twice changes nothing; the cells that the statistics read
are recomputed from the rows. All of it is pure: the services store and read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.domain import clock
from chalicelib.domain.calendar import WorkingCalendar

RECEPTION = "reception"
FLOWS = (
    "received",
    "routed",
    "transferred",
    "rejected",
    "merged",
    "resolved",
    "on_time",
    "late",
    "reopened",
    "overdue",
    "rated",
)
# Labels in Vietnamese and English: the dashboard's, the exports' headers.
LABELS = {
    "received": ("Tiếp nhận", "Received"),
    "routed": ("Được giao xử lý", "Assigned to agency"),
    "transferred": ("Chuyển đơn vị khác", "Transferred out"),
    "rejected": ("Từ chối", "Rejected"),
    "merged": ("Gộp", "Merged"),
    "resolved": ("Đã giải quyết", "Resolved"),
    "on_time": ("Đúng hạn", "On time"),
    "late": ("Trễ hạn", "Late"),
    "reopened": ("Xử lý lại", "Reopened"),
    "overdue": ("Lượt quá hạn", "Steps overdue"),
    "rated": ("Lượt đánh giá", "Ratings"),
    "on_time_share": ("Tỷ lệ đúng hạn (%)", "On time (%)"),
    "avg_days": ("Thời gian xử lý TB (ngày làm việc)", "Average time (working days)"),
    "p90_days": (
        "Thời gian xử lý P90 (ngày làm việc)",
        "90th percentile (working days)",
    ),
    "avg_rating": ("Mức hài lòng TB (1-5)", "Average satisfaction (1-5)"),
}
DIMENSIONS = ("agency", "area", "category", "channel")
GROUPS = (*DIMENSIONS, "status", "period")
PERIODS = ("day", "month", "quarter", "year")
HISTOGRAM_MAX = 60  # working days; slower ones count in the last bucket


@dataclass(frozen=True)
class Dims:
    agency: str
    area: str
    category: str
    channel: str

    def key(self) -> str:
        return "|".join((self.agency, self.area, self.category, self.channel))

    @classmethod
    def parse(cls, key: str) -> Dims:
        agency, area, category, channel = key.split("|")
        return cls(agency, area, category, channel)


@dataclass(frozen=True)
class Event:
    """One timeline entry, as statistics see it."""

    kind: str
    at: datetime
    agency: str | None = None  # the entry's agency_id
    unit: str | None = None  # the unit whose step wrote it
    note: str | None = None


@dataclass
class Row:
    """What one event counts for: flows at the event's day, in one agency."""

    measure: str
    agency: str
    at: datetime
    values: dict[str, int] = field(default_factory=dict)


def rows_for(
    event: Event, history: list[Event], created_at: datetime, calendar: WorkingCalendar
) -> list[Row]:
    """The flow rows of ``event``; ``history`` is the report's timeline before it."""
    kind = event.kind
    here = event.agency or event.unit or RECEPTION
    if kind == "received":
        return [Row("received", RECEPTION, event.at, {"received": 1})]
    if kind == "routed":
        return [Row("routed", event.agency or RECEPTION, event.at, {"routed": 1})]
    if kind == "transferred":
        return [
            Row("transferred", event.unit or RECEPTION, event.at, {"transferred": 1}),
            Row("routed", event.agency or RECEPTION, event.at, {"routed": 1}),
        ]
    if kind in ("rejected", "merged"):
        return [Row(kind, event.unit or RECEPTION, event.at, {kind: 1})]
    if kind == "reopened":
        return [Row("reopened", here, event.at, {"reopened": 1})]
    if kind == "overdue":
        return [Row("overdue", here, event.at, {"overdue": 1})]
    if kind == "rated":
        stars = _stars(event.note)
        if stars is None:
            return []
        agency = current_agency(history)
        return [Row("rated", agency, event.at, {"rated": 1, "rating_sum": stars})]
    if kind == "published":
        start = created_at
        late = False
        for earlier in history:  # a reopened report's new round starts afresh
            if earlier.kind == "reopened":
                start, late = earlier.at, False
            elif earlier.kind == "overdue":
                late = True
        days = calendar.working_days_between(start, event.at)
        bucket = f"h{min(days, HISTOGRAM_MAX)}"
        values = {"resolved": 1, "days_sum": days, bucket: 1}
        timing = "late" if late else "on_time"
        return [
            Row("resolved", here, event.at, values),
            Row(timing, here, event.at, {timing: 1}),
        ]
    return []


def current_agency(history: Iterable[Event]) -> str:
    agency = RECEPTION
    for event in history:
        if event.kind in ("routed", "transferred") and event.agency:
            agency = event.agency
    return agency


def _stars(note: str | None) -> int | None:
    head = (note or "").split("/", 1)[0].strip()
    return int(head) if head.isdigit() and 1 <= int(head) <= 5 else None


# ------------------------------------------------------------------ periods


def day_of(moment: datetime) -> str:
    return moment.astimezone(clock.VN_TZ).date().isoformat()


def period_of(day: str, period: str) -> str:
    year, month = day[:4], int(day[5:7])
    if period == "day":
        return day
    if period == "month":
        return day[:7]
    if period == "quarter":
        return f"{year}-Q{(month - 1) // 3 + 1}"
    return year


# ------------------------------------------------------------------ adding up


def add(total: dict[str, int], values: dict[str, int]) -> None:
    for name, value in values.items():
        total[name] = total.get(name, 0) + value


def figures(total: dict[str, int]) -> dict:
    """The figures of one group from its summed counters."""
    out = {name: int(total.get(name, 0)) for name in FLOWS}
    resolved = out["resolved"]
    out["on_time_share"] = (
        round(100 * out["on_time"] / resolved, 1) if resolved else None
    )
    out["avg_days"] = (
        round(total.get("days_sum", 0) / resolved, 1) if resolved else None
    )
    out["p90_days"] = percentile(total, 0.9)
    out["avg_rating"] = (
        round(total.get("rating_sum", 0) / out["rated"], 2) if out["rated"] else None
    )
    statuses = {
        name[2:]: int(value)
        for name, value in total.items()
        if name.startswith("s_") and value
    }
    out["statuses"] = dict(sorted(statuses.items()))
    return out


def percentile(total: dict[str, int], share: float) -> int | None:
    """The smallest number of working days within which ``share`` were resolved."""
    count = sum(int(total.get(f"h{d}", 0)) for d in range(HISTOGRAM_MAX + 1))
    if not count:
        return None
    rank = math.ceil(share * count)
    seen = 0
    for days in range(HISTOGRAM_MAX + 1):
        seen += int(total.get(f"h{days}", 0))
        if seen >= rank:
            return days
    return HISTOGRAM_MAX
