"""The province's working-day calendar: the VN holidays plus the administrators' days."""

from __future__ import annotations

from datetime import date

import holidays

from chalicelib.adapters.identity import Caller
from chalicelib.domain import clock
from chalicelib.domain.calendar import WorkingCalendar
from chalicelib.errors import ValidationError, field_error
from chalicelib.services import reference

MAX_DAYS = 100


def working_calendar() -> WorkingCalendar:
    off: list[date] = []
    on: list[date] = []
    for year in reference.items("calendar"):
        off += [date.fromisoformat(d) for d in year.get("days_off", [])]
        on += [date.fromisoformat(d) for d in year.get("working_days", [])]
    return WorkingCalendar(extra_off=off, extra_on=on)


def year_view(year: int) -> dict:
    stored = reference.by_id("calendar").get(str(year), {})
    # Named in both languages explicitly: without a language the package may follow
    # the process's locale, and the staff page shows Vietnamese first.
    public = holidays.country_holidays("VN", years=year, language="vi")
    public_en = holidays.country_holidays("VN", years=year, language="en_US")
    return {
        "year": year,
        "holidays": [
            {"date": d.isoformat(), "name": name, "name_en": public_en.get(d, name)}
            for d, name in sorted(public.items())
        ],
        "days_off": stored.get("days_off", []),
        "working_days": stored.get("working_days", []),
        "updated_at": stored.get("updated_at"),
    }


def set_year(caller: Caller, year: int, body: object) -> dict:
    """Replace the administrators' extra days off and make-up working days of a year."""
    body = body if isinstance(body, dict) else {}
    lists = {}
    for name in ("days_off", "working_days"):
        raw = body.get(name, [])
        try:
            days = sorted({date.fromisoformat(d) for d in raw})
        except (TypeError, ValueError) as error:
            raise ValidationError(
                fields=field_error(
                    name, "Ngày phải theo dạng YYYY-MM-DD.", "Dates must be YYYY-MM-DD."
                )
            ) from error
        if len(days) > MAX_DAYS or any(d.year != year for d in days):
            raise ValidationError(
                fields=field_error(
                    name,
                    f"Tối đa {MAX_DAYS} ngày, đều thuộc năm {year}.",
                    f"At most {MAX_DAYS} days, all in {year}.",
                )
            )
        lists[name] = [d.isoformat() for d in days]
    if set(lists["days_off"]) & set(lists["working_days"]):
        raise ValidationError(
            fields=field_error(
                "working_days",
                "Một ngày không thể vừa nghỉ vừa làm.",
                "A day cannot be both off and a working day.",
            )
        )
    reference.put(
        "calendar",
        str(year),
        {**lists, "updated_at": clock.iso(clock.now()), "updated_by": caller.sub},
    )
    return year_view(year)
