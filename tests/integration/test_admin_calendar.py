"""The working-day calendar as the administration page reads it."""

from __future__ import annotations

from tests.integration.test_bad_input import assert_error


def test_a_years_holidays_are_named_in_vietnamese_and_english(stack):
    answer = stack.call("GET", "/v1/admin/calendar/2026", "quantri")
    assert answer.status_code == 200, answer.json_body
    by_date = {h["date"]: h for h in answer.json_body["holidays"]}
    assert by_date["2026-09-02"]["name"] == "Quốc khánh"
    assert by_date["2026-09-02"]["name_en"] == "National Day"
    assert by_date["2026-02-17"]["name"] == "Tết Nguyên Đán"
    assert by_date["2026-02-17"]["name_en"] == "Lunar New Year"
    assert all(h["name"] and h["name_en"] for h in by_date.values())


def test_a_bad_year_is_a_400_and_an_officer_cannot_read_the_calendar(stack):
    assert_error(
        stack.call("GET", "/v1/admin/calendar/1999", "quantri"), 400, "bad_year"
    )
    assert_error(
        stack.call("GET", "/v1/admin/calendar/2026", "chuyenvien.sxd"), 403, "forbidden"
    )
