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

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError

from chalicelib.adapters.identity import Caller
from chalicelib.adapters.tables import ReportModel, StatModel, TimelineModel
from chalicelib.domain import clock
from chalicelib.domain import stats as domain
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
Partition = tuple[str, str]  # (day, dims key)


# ------------------------------------------------------------------ writing rows


def on_timeline(entry: TimelineModel) -> set[Partition]:
    """Write the rows one timeline entry counts for; the partitions touched."""
    try:
        report = ReportModel.get(entry.report_id)
    except DoesNotExist:
        return set()
    history = [
        _event(e)
        for e in TimelineModel.query(
            entry.report_id, TimelineModel.seq < entry.seq, consistent_read=True
        )
    ]
    rows = domain.rows_for(
        _event(entry),
        history,
        clock.parse_iso(report.created_at),
        working_calendar(),
    )
    touched = set()
    for row in rows:
        dims = Dims(row.agency, report.area_id, report.category_id, report.channel)
        day = domain.day_of(row.at)
        StatModel(
            f"L#{day}#{dims.key()}",
            f"{row.measure}#{entry.report_id}#{entry.seq}",
            values=row.values,
            report_id=entry.report_id,
            at=clock.iso(row.at),
            mkey=f"{row.measure}#{day[:7]}",
            skey=f"{row.agency}|{clock.iso_utc(row.at)}|{entry.report_id}",
        ).save()
        touched.add((day, dims.key()))
    return touched


def on_report(old: ReportModel | None, new: ReportModel) -> set[Partition]:
    """Move the report's stock row to where it stands now (status, agency)."""
    if old is not None and (old.status, old.agency_id) == (new.status, new.agency_id):
        return set()
    version = int(new.version)
    marker = StatModel(f"R#{new.id}", "stock")
    try:  # a record older than the last one applied changes nothing
        marker.update(
            actions=[StatModel.version.set(version)],
            condition=StatModel.version.does_not_exist()
            | (StatModel.version <= version),
        )
    except UpdateError:
        return set()
    day, dims = _stock_place(new)
    created = clock.parse_iso(new.created_at)
    StatModel(
        f"L#{day}#{dims.key()}",
        f"stock#{new.id}",
        values={f"s_{new.status}": 1},
        version=version,
        report_id=new.id,
        at=new.created_at,
        mkey=f"s_{new.status}#{day[:7]}",
        skey=f"{dims.agency}|{clock.iso_utc(created)}|{new.id}",
    ).save()
    touched = {(day, dims.key())}
    if old is not None:
        old_day, old_dims = _stock_place(old)
        if (old_day, old_dims) != (day, dims):
            with suppress(DeleteError):  # gone, or newer there: it stays
                StatModel(f"L#{old_day}#{old_dims.key()}", f"stock#{new.id}").delete(
                    condition=StatModel.version <= int(old.version)
                )
            touched.add((old_day, old_dims.key()))
    return touched


def _stock_place(report: ReportModel) -> tuple[str, Dims]:
    dims = Dims(
        report.agency_id or domain.RECEPTION,
        report.area_id,
        report.category_id,
        report.channel,
    )
    return domain.day_of(clock.parse_iso(report.created_at)), dims


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
    """Sum each touched partition into its day cell, then the months they are in."""
    months: set[tuple[str, str]] = set()
    for day, dims in sorted(partitions):
        _sum_day(day, dims)
        months.add((day[:7], dims))
    for month, dims in sorted(months):
        _sum_month(month, dims)
    return len(partitions)


def _bump(pk: str, sk: str) -> int:
    head = StatModel(pk, sk)
    head.update(actions=[StatModel.v.add(1)])
    return int(head.v)


def _write_cell(pk: str, sk: str, total: dict, version: int) -> None:
    with suppress(UpdateError):  # a later summation wrote it already
        StatModel(pk, sk).update(
            actions=[StatModel.values.set(total), StatModel.computed.set(version)],
            condition=StatModel.computed.does_not_exist()
            | (StatModel.computed < version),
        )


def _sum_day(day: str, dims: str) -> None:
    pk = f"L#{day}#{dims}"
    version = _bump(pk, HEAD)
    total: dict[str, int] = {}
    for row in StatModel.query(pk, StatModel.sk > HEAD, consistent_read=True):
        domain.add(total, row.values or {})
    _write_cell(f"d#{day}", dims, total, version)


def _sum_month(month: str, dims: str) -> None:
    version = _bump(f"H#{month}", dims)
    year, number = int(month[:4]), int(month[5:7])
    days = month_calendar.monthrange(year, number)[1]
    keys = [(f"d#{month}-{d:02d}", dims) for d in range(1, days + 1)]
    total: dict[str, int] = {}
    for cell in StatModel.batch_get(keys, consistent_read=True):
        domain.add(total, cell.values or {})
    _write_cell(f"m#{month}", dims, total, version)


# ------------------------------------------------------------------ reading


def parse_query(caller: Caller | None, params: dict) -> dict:
    """The period, grouping and filters of a statistics request, checked."""
    today = clock.now().astimezone(clock.VN_TZ).date()
    start = _date(params.get("from"), "from", today.replace(day=1))
    end = _date(params.get("to"), "to", today)
    group = params.get("group") or "agency"
    period = params.get("period") or "month"
    if group not in domain.GROUPS:
        _bad("group", f"group: {', '.join(domain.GROUPS)}")
    if period not in domain.PERIODS:
        _bad("period", f"period: {', '.join(domain.PERIODS)}")
    if end < start:
        _bad("to", "to must not be before from")
    by_day = group == "period" and period == "day"
    if (end - start).days + 1 > (MAX_DAYS_BY_DAY if by_day else MAX_DAYS):
        _bad("to", "the period is too long")
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
    by_day = spec["group"] == "period" and spec["period"] == "day"
    for pk, first_day in _partitions(spec["from"], spec["to"], by_day):
        for cell in StatModel.query(pk):
            dims = Dims.parse(cell.sk)
            if not _matches(dims, spec["filters"]):
                continue
            values = cell.values or {}
            domain.add(total, values)
            if spec["group"] == "status":
                for name, value in values.items():
                    if name.startswith("s_") and value:
                        domain.add(groups.setdefault(name[2:], {}), {name: value})
                continue
            key = (
                domain.period_of(first_day, spec["period"])
                if spec["group"] == "period"
                else getattr(dims, spec["group"])
            )
            domain.add(groups.setdefault(key, {}), values)
    rows = [
        {"key": key, **_label(spec["group"], key), **domain.figures(values)}
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
        _bad("year", "year: four digits")
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
        _bad("measure", f"measure: {', '.join(domain.FLOWS)} or s_<status>")
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
            day, dims = row.pk[2:12], Dims.parse(row.pk[13:])
            is_stock = measure.startswith("s_")
            moment = row.at[:10] if not is_stock else day
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


def _partitions(start: date, end: date, by_day: bool):
    """The cells to read: whole months as month cells, the edges day by day."""
    day = start
    while day <= end:
        month_end = day.replace(day=month_calendar.monthrange(day.year, day.month)[1])
        if not by_day and day.day == 1 and month_end <= end:
            yield f"m#{day.isoformat()[:7]}", day.isoformat()
            day = month_end + timedelta(days=1)
        else:
            yield f"d#{day.isoformat()}", day.isoformat()
            day += timedelta(days=1)


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


def _label(group: str, key: str) -> dict:
    if group == "period":
        return {"label": key, "label_en": key}
    if group == "status":
        from chalicelib.domain.reports import STATUSES

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
        _bad(name, f"{name}: a date YYYY-MM-DD")
    raise AssertionError  # unreachable


def _bad(name: str, english: str) -> None:
    raise BadRequestError(
        code="bad_stats_query",
        message=f"Tham số {name} không hợp lệ.",
        message_en=english,
    )
