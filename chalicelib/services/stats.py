"""Statistics kept from the streams, read without touching the reports.

The timeline's stream writes one row per thing counted (domain/stats.py), keyed by the
timeline entry; the reports' stream keeps one stock row per report where it stands
now. Rows live in partitions by day and dimensions (agency, area, category, channel);
after a batch, each partition it touched is summed into its day cell, and the day
cells of the month into the month cell. A cell is written only by a summation that
started after every row it covers was written (a version head orders them), so
replayed or concurrent batches leave the cells right: nothing counts twice.
"""

from __future__ import annotations

import calendar as month_calendar
from contextlib import suppress
from datetime import date, timedelta

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.adapters.identity import Caller
from chalicelib.adapters.tables import ReportModel, StatModel, TimelineModel
from chalicelib.domain import clock
from chalicelib.domain import stats as domain
from chalicelib.domain.reports import STATUSES
from chalicelib.domain.stats import Dims, Event
from chalicelib.errors import BadRequestError, ForbiddenError
from chalicelib.services import paging, reference
from chalicelib.services.calendar import working_calendar

READERS = ("reception", "agency_leader", "province_leader", "admin")
WIDE = ("reception", "province_leader", "admin")  # every agency
MAX_DAYS = 366 * 2
MAX_DAYS_BY_DAY = 93
HEAD = "#head"
CHANNEL_LABELS = {
    "web": ("Trang web, ứng dụng", "Website, app"),
    "phone": ("Điện thoại", "Phone"),
    "paper": ("Văn bản giấy", "Paper"),
    "email": ("Thư điện tử", "Email"),
    "in_person": ("Trực tiếp", "In person"),
}
Partition = tuple[str, str]  # (month, dims key)


# ------------------------------------------------------------------ writing rows

# Only these need the report's earlier timeline (processing time, rating's agency).
_NEEDS_HISTORY = ("published", "rated")


# TODO: reports filed before the statistics existed are not counted: a backfill would
# replay each report's timeline through count_timeline and count_reports.
def count_timeline(entries: list[TimelineModel]) -> set[Partition]:
    """Write the rows a batch of timeline entries counts for; the partitions touched."""
    if not entries:
        return set()
    reports = {
        r.id: r for r in ReportModel.batch_get(list({e.report_id for e in entries}))
    }
    histories: dict[str, list[TimelineModel]] = {}
    calendar = working_calendar()
    rows: list[StatModel] = []
    touched: set[Partition] = set()
    for entry in entries:
        report = reports.get(entry.report_id)
        if report is None:
            continue
        history: list[Event] = []
        if entry.kind in _NEEDS_HISTORY:
            if report.id not in histories:
                histories[report.id] = list(
                    TimelineModel.query(report.id, consistent_read=True)
                )
            history = [_event(e) for e in histories[report.id] if e.seq < entry.seq]
        for row in domain.rows_for(
            _event(entry), history, clock.parse_iso(report.created_at), calendar
        ):
            dims = Dims(row.agency, report.area_id, report.category_id, report.channel)
            day = domain.day_of(row.at)
            rows.append(
                StatModel(
                    f"L#{day[:7]}#{dims.key()}",
                    f"{row.measure}#{entry.report_id}#{entry.seq}",
                    values=row.values,
                    day=day,
                    report_id=entry.report_id,
                    at=clock.iso(row.at),
                    mkey=f"{row.measure}#{day[:7]}",
                    skey=f"{row.agency}|{clock.iso_utc(row.at)}|{entry.report_id}",
                )
            )
            touched.add((day[:7], dims.key()))
    with StatModel.batch_write() as batch:  # the same key rewrites the same row
        for row in rows:
            batch.save(row)
    return touched


def count_reports(
    changes: list[tuple[ReportModel | None, ReportModel]],
) -> set[Partition]:
    """Keep each report's stock row where the report stands now.

    A batch's changes of one report collapse into one (its first old image, its last
    new one). A row left behind becomes a tombstone at the new version, so that a
    late replay of an older change cannot bring it back.
    """
    net: dict[str, tuple[ReportModel | None, ReportModel]] = {}
    for old, new in changes:
        first = net[new.id][0] if new.id in net else old
        net[new.id] = (first, new)
    touched: set[Partition] = set()
    for old, new in net.values():
        if old is not None and (old.status, old.agency_id) == (
            new.status,
            new.agency_id,
        ):
            continue  # nothing the stock sees has moved
        version = int(new.version)
        month, dims = _stock_place(new)
        created = clock.parse_iso(new.created_at)
        row = StatModel(
            f"L#{month}#{dims.key()}",
            f"stock#{new.id}",
            values={f"s_{new.status}": 1},
            day=domain.day_of(created),
            version=version,
            report_id=new.id,
            at=new.created_at,
            mkey=f"s_{new.status}#{month}",
            skey=f"{dims.agency}|{clock.iso_utc(created)}|{new.id}",
        )
        if _save_newer(row, version):
            touched.add((month, dims.key()))
        if old is not None:
            old_month, old_dims = _stock_place(old)
            if (old_month, old_dims) != (month, dims):
                tombstone = StatModel(
                    f"L#{old_month}#{old_dims.key()}",
                    f"stock#{new.id}",
                    values={},
                    version=version,
                    report_id=new.id,
                )
                if _save_newer(tombstone, version):
                    touched.add((old_month, old_dims.key()))
    return touched


def _save_newer(item: StatModel, version: int) -> bool:
    try:
        item.save(
            condition=StatModel.version.does_not_exist() | (StatModel.version < version)
        )
    except PutError:
        return False  # a newer change of this report is there already
    return True


def _stock_place(report: ReportModel) -> tuple[str, Dims]:
    dims = Dims(
        report.agency_id or domain.RECEPTION,
        report.area_id,
        report.category_id,
        report.channel,
    )
    return domain.day_of(clock.parse_iso(report.created_at))[:7], dims


def _event(entry: TimelineModel) -> Event:
    return Event(
        kind=entry.kind,
        at=clock.parse_iso(entry.at),
        agency=entry.agency_id,
        unit=entry.unit_id,
        note=entry.note,
    )


# ------------------------------------------------------------------ summing cells


def recompute(partitions: set[Partition]) -> int:
    """Sum each touched row partition into its cells, then each touched agency's
    month into its roll-up.

    Cells of one month and dimensions: ``m#<month>`` (the totals, small: what a
    whole month reads) and ``dd#<month>`` (by day: what the edges of a period read).
    Roll-ups ``a#<month>`` / agency sum an agency's cells over areas, categories and
    channels: what the common questions (by agency, status or period) read.

    A head is bumped before each summation; a cell keeps only the summation with the
    highest version, which read everything written before its bump.
    """
    agencies: set[tuple[str, str]] = set()
    for month, dims in sorted(partitions):
        pk = f"L#{month}#{dims}"
        version = _bump(pk)
        total: dict[str, int] = {}
        days: dict[str, dict[str, int]] = {}
        for row in StatModel.query(pk, StatModel.sk > HEAD, consistent_read=True):
            values = row.values or {}
            domain.add(total, values)
            if row.day and values:
                domain.add(days.setdefault(row.day, {}), values)
        _write_cell(f"m#{month}", dims, version, values=total)
        _write_cell(f"dd#{month}", dims, version, days=days)
        agencies.add((month, Dims.parse(dims).agency))
    for month, agency in sorted(agencies):
        version = _bump(f"A#{month}#{agency}")
        total, days = {}, {}
        for cell in StatModel.query(
            f"m#{month}", StatModel.sk.startswith(f"{agency}|"), consistent_read=True
        ):
            domain.add(total, cell.values or {})
        for cell in StatModel.query(
            f"dd#{month}", StatModel.sk.startswith(f"{agency}|"), consistent_read=True
        ):
            for day, values in (cell.days or {}).items():
                domain.add(days.setdefault(day, {}), values)
        _write_cell(f"a#{month}", agency, version, values=total, days=days)
    return len(partitions)


def _bump(pk: str) -> int:
    head = StatModel(pk, HEAD)
    head.update(actions=[StatModel.v.add(1)])
    return int(head.v)


def _write_cell(pk: str, sk: str, version: int, values=None, days=None) -> None:
    actions = [StatModel.computed.set(version)]
    if values is not None:
        actions.append(StatModel.values.set(values))
    if days is not None:
        actions.append(StatModel.days.set(days))
    with suppress(UpdateError):  # a later summation wrote it already
        StatModel(pk, sk).update(
            actions=actions,
            condition=StatModel.computed.does_not_exist()
            | (StatModel.computed < version),
        )


# ------------------------------------------------------------------ reading


def parse_query(caller: Caller | None, params: dict) -> dict:
    """The period, grouping and filters of a statistics request, checked."""
    today = clock.now().astimezone(clock.VN_TZ).date()
    start = _date(params.get("from"), "from", today.replace(day=1))
    end = _date(params.get("to"), "to", today)
    group = params.get("group") or "agency"
    period = params.get("period") or "month"
    if group not in domain.GROUPS:
        raise _bad("group", f"group: {', '.join(domain.GROUPS)}")
    if period not in domain.PERIODS:
        raise _bad("period", f"period: {', '.join(domain.PERIODS)}")
    if end < start:
        raise _bad("to", "to must not be before from")
    by_day = group == "period" and period == "day"
    if (end - start).days + 1 > (MAX_DAYS_BY_DAY if by_day else MAX_DAYS):
        raise _bad("to", "the period is too long")
    filters = {name: params.get(name) or None for name in domain.DIMENSIONS}
    if caller is not None and not set(caller.groups) & set(WIDE):
        own = caller.agency_id or ""
        if filters["agency"] not in (None, own):
            raise ForbiddenError(
                code="stats_other_agency",
                message="Chỉ xem được số liệu của đơn vị mình.",
                message_en="You can read your own agency's figures only.",
            )
        filters["agency"] = own
    return {
        "from": start,
        "to": end,
        "group": group,
        "period": period,
        "filters": filters,
    }


def query(caller: Caller | None, params: dict) -> dict:
    spec = parse_query(caller, params)
    groups: dict[str, dict[str, int]] = {}
    total: dict[str, int] = {}
    for dims, day, values in _cells(spec):
        domain.add(total, values)
        if spec["group"] == "status":
            for name, value in values.items():
                if name.startswith("s_") and value:
                    domain.add(groups.setdefault(name[2:], {}), {name: value})
            continue
        key = (
            domain.period_of(day, spec["period"])
            if spec["group"] == "period"
            else getattr(dims, spec["group"])
        )
        domain.add(groups.setdefault(key, {}), values)
    rows = [
        {"key": key, **label(spec["group"], key), **domain.figures(values)}
        for key, values in groups.items()
    ]
    rows.sort(key=lambda r: r["key"] if spec["group"] == "period" else r["label"])
    return {
        "from": spec["from"].isoformat(),
        "to": spec["to"].isoformat(),
        "group": spec["group"],
        "period": spec["period"],
        "filters": spec["filters"],
        "rows": rows,
        "total": domain.figures(total),
        "labels": {k: {"vi": v[0], "en": v[1]} for k, v in domain.LABELS.items()},
    }


def public(params: dict) -> dict:
    """For each agency: received, resolved, on time, average days, satisfaction."""
    year = params.get("year") or str(clock.now().astimezone(clock.VN_TZ).year)
    if not (year.isdigit() and 2000 <= int(year) <= 2100):
        raise _bad("year", "year: four digits")
    last = min(date(int(year), 12, 31), clock.now().astimezone(clock.VN_TZ).date())
    answer = query(
        None,
        {"from": f"{year}-01-01", "to": max(last, date(int(year), 1, 1)).isoformat()},
    )
    keep = ("routed", "resolved", "on_time_share", "avg_days", "avg_rating", "rated")
    rows = [
        {"agency_id": r["key"], "name": r["label"], "name_en": r["label_en"]}
        | {k: r[k] for k in keep}
        for r in answer["rows"]
        if r["key"] != domain.RECEPTION
    ]
    return {
        "year": int(year),
        "agencies": rows,
        "received": answer["total"]["received"],
    }


def drill(caller: Caller, params: dict) -> dict:
    """The reports behind one figure: a paged Query, month by month."""
    spec = parse_query(caller, params)
    measure = params.get("measure") or ""
    if measure not in domain.FLOWS and not (
        measure.startswith("s_") and len(measure) > 2
    ):
        raise _bad("measure", f"measure: {', '.join(domain.FLOWS)} or s_<status>")
    limit = paging.limit_of(params.get("limit"))
    months = _months(spec["from"], spec["to"])
    state = paging.decode(params.get("cursor")) or {"m": 0, "k": None}
    index, last_key = int(state.get("m", 0)), state.get("k")
    agency = spec["filters"]["agency"]
    items: list[dict] = []
    while index < len(months) and len(items) < limit:
        condition = StatModel.skey.startswith(f"{agency}|") if agency else None
        page = StatModel.drill_index.query(
            f"{measure}#{months[index]}",
            condition,
            limit=limit - len(items),
            last_evaluated_key=last_key,
        )
        for row in page:
            day, dims = row.day or "", Dims.parse(row.pk[10:])
            is_stock = measure.startswith("s_")
            moment = day
            if _matches(dims, spec["filters"]) and (
                is_stock or spec["from"].isoformat() <= moment <= spec["to"].isoformat()
            ):
                items.append(
                    {"report_id": row.report_id, "at": row.at, "agency_id": dims.agency}
                )
        last_key = page.last_evaluated_key
        if not last_key:
            index, last_key = index + 1, None
    reports = {
        r.id: r for r in ReportModel.batch_get(list({i["report_id"] for i in items}))
    }
    for item in items:
        report = reports.get(item["report_id"])
        if report:
            item.update(code=report.code, title=report.title, status=report.status)
    more = index < len(months)
    return {
        "items": items,
        "next_cursor": paging.encode({"m": index, "k": last_key}) if more else None,
    }


def _cells(spec: dict):
    """(dims, day, values) of every cell in the period that passes the filters: a
    month inside the period as its totals, a month at an edge (or any month when
    grouping by day) day by day."""
    start, end = spec["from"].isoformat(), spec["to"].isoformat()
    by_day = spec["group"] == "period" and spec["period"] == "day"
    filters = spec["filters"]
    # By agency, status or period, filtered on the agency at most: the roll-ups do.
    # TODO: other groupings read every month cell (x10 for x100 reports in
    # bench/stats.py); roll-ups by area and by category would bound them too.
    rolled = spec["group"] in ("agency", "status", "period") and not any(
        filters[name] for name in ("area", "category", "channel")
    )
    for month in _months(spec["from"], spec["to"]):
        first = f"{month}-01"
        last = f"{month}-{month_calendar.monthrange(int(month[:4]), int(month[5:]))[1]:02d}"
        whole = start <= first and last <= end and not by_day
        if rolled:
            agency = filters["agency"]
            condition = StatModel.sk == agency if agency else None
            for cell in StatModel.query(f"a#{month}", condition):
                dims = Dims(cell.sk, "", "", "")
                if whole:
                    yield dims, first, cell.values or {}
                    continue
                for day, values in (cell.days or {}).items():
                    if start <= day <= end:
                        yield dims, day, values
            continue
        for cell in StatModel.query(f"m#{month}" if whole else f"dd#{month}"):
            dims = Dims.parse(cell.sk)
            if not _matches(dims, filters):
                continue
            if whole:
                yield dims, first, cell.values or {}
                continue
            for day, values in (cell.days or {}).items():
                if start <= day <= end:
                    yield dims, day, values


def _months(start: date, end: date) -> list[str]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day.isoformat()[:7])
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _matches(dims: Dims, filters: dict) -> bool:
    return all(
        value is None or getattr(dims, name) == value for name, value in filters.items()
    )


def label(group: str, key: str) -> dict:
    """The Vietnamese and English name of one group's key (an agency, a status...)."""
    if group == "period":
        return {"label": key, "label_en": key}
    if group == "status":
        vi, en = STATUSES.get(key, (key, key))
        return {"label": vi, "label_en": en}
    if group == "channel":
        vi, en = CHANNEL_LABELS.get(key, (key, key))
        return {"label": vi, "label_en": en}
    if group == "agency" and key == domain.RECEPTION:
        return {"label": "Bộ phận tiếp nhận", "label_en": "Reception desk"}
    item = reference.by_id(
        {"agency": "agency", "area": "area", "category": "category"}[group]
    ).get(key, {})
    return {"label": item.get("name", key), "label_en": item.get("name_en") or key}


def _date(raw: str | None, name: str, default: date) -> date:
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _bad(name, f"{name}: a date YYYY-MM-DD") from None


def _bad(name: str, english: str) -> BadRequestError:
    return BadRequestError(
        code="bad_stats_query",
        message=f"Tham số {name} không hợp lệ.",
        message_en=english,
    )
