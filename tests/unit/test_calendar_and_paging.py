"""Working days on the Vietnamese calendar, and opaque cursors."""

from datetime import date, datetime

import pytest

from chalicelib.domain.calendar import WorkingCalendar
from chalicelib.domain.clock import VN_TZ
from chalicelib.errors import BadRequestError
from chalicelib.services import paging


def test_weekends_and_tet_are_not_working_days():
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(date(2026, 12, 5))  # Saturday
    assert not calendar.is_working_day(date(2026, 2, 17))  # Tết 2026
    assert calendar.is_working_day(date(2026, 12, 3))


def test_swapped_days_follow_the_government_notice():
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(date(2026, 8, 31))
    assert calendar.is_working_day(date(2026, 8, 22))  # a Saturday worked


def test_administrators_add_days_on_top():
    calendar = WorkingCalendar(
        extra_off=[date(2026, 12, 3)], extra_on=[date(2026, 12, 5)]
    )
    assert not calendar.is_working_day(date(2026, 12, 3))
    assert calendar.is_working_day(date(2026, 12, 5))


def test_deadline_skips_the_weekend():
    friday = datetime(2026, 12, 4, 9, 0, tzinfo=VN_TZ)
    due = WorkingCalendar().add_working_days(friday, 2)
    assert due == datetime(2026, 12, 8, 17, 0, tzinfo=VN_TZ)


def test_cursor_round_trips_and_garbage_is_a_400():
    key = {"id": {"S": "abc"}}
    assert paging.decode(paging.encode(key)) == key
    assert paging.encode(None) is None
    with pytest.raises(BadRequestError):
        paging.decode("%%%")


@pytest.mark.parametrize("raw", ["0", "101", "x"])
def test_limit_out_of_range_is_a_400(raw):
    with pytest.raises(BadRequestError):
        paging.limit_of(raw)
