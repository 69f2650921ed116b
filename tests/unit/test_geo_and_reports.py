"""The province boundary and the rules of a new report."""

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import settings
from chalicelib.domain import geo, reports
from chalicelib.errors import ValidationError

SQUARE = [[0, 0], [0, 10], [10, 10], [10, 0]]


@pytest.mark.parametrize(
    "lat, lon, inside",
    [
        (5, 5, True),
        (0, 5, True),
        (10, 10, True),
        (-1, 5, False),
        (5, 11, False),
    ],
)
def test_contains_counts_edges_inside(lat, lon, inside):
    assert geo.contains(SQUARE, lat, lon) is inside


def test_kon_tum_boundary_holds_the_city_but_not_its_bounding_box_corner():
    boundary = settings.province()["boundary"]
    assert geo.contains(boundary, 14.35, 108.0)  # Kon Tum city
    assert not geo.contains(boundary, 15.40, 108.50)


def _body(**change):
    body = {
        "title": "Tiêu đề",
        "content": "Nội dung",
        "category_id": "c",
        "location": {"lat": 5, "lon": 5, "address": "", "area_id": "a"},
        "occurred_at": "2026-12-01T08:00:00+07:00",
    }
    body.update(change)
    return body


def _parse(body):
    return reports.parse_new_report(
        body, categories={"c"}, areas={"a"}, boundary=SQUARE
    )


def test_a_valid_report_parses():
    parsed = _parse(_body())
    assert parsed.occurred_at == datetime(2026, 12, 1, 1, tzinfo=UTC)
    assert parsed.upload_ids == ()


def test_every_bad_field_is_named_at_once():
    with pytest.raises(ValidationError) as caught:
        _parse(_body(title="", category_id="x", occurred_at="hôm qua"))
    assert set(caught.value.fields) == {"title", "category_id", "occurred_at"}


def test_booleans_are_not_coordinates():
    with pytest.raises(ValidationError) as caught:
        _parse(_body(location={"lat": True, "lon": 5, "area_id": "a"}))
    assert "location.lat" in caught.value.fields


def test_duplicate_uploads_are_refused():
    with pytest.raises(ValidationError) as caught:
        _parse(_body(upload_ids=["u1", "u1"]))
    assert "upload_ids" in caught.value.fields


def test_code_is_short_and_in_vietnam_time():
    moment = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # 1 Dec in Vietnam
    assert reports.format_code("KT", moment, 42) == "KT-2612-0042"
    assert reports.is_code("KT-2612-0042")
    assert not reports.is_code("KT-2612-42")
    assert reports.format_code("KT", moment + timedelta(days=40), 12345) == (
        "KT-2701-12345"
    )


def test_an_address_and_area_stand_in_for_a_missing_position():
    body = _body(location={"address": "Chợ Kon Tum", "area_id": "a"})
    parsed = reports.parse_new_report(
        body, categories={"c"}, areas={"a"}, boundary=SQUARE, centers={"a": [4, 6]}
    )
    assert (parsed.lat, parsed.lon, parsed.approximate) == (4, 6, True)
    assert not _parse(_body()).approximate


@pytest.mark.parametrize(
    "location",
    [
        {"address": "", "area_id": "a"},  # nothing says where
        {"address": "Chợ", "area_id": "b"},  # no such area, so no centre
        {"address": "Chợ", "area_id": ["a"]},  # not even an id
        {"lat": 4, "address": "Chợ", "area_id": "a"},  # half a position
    ],
)
def test_without_a_position_the_address_and_a_known_area_are_needed(location):
    with pytest.raises(ValidationError) as caught:
        reports.parse_new_report(
            _body(location=location),
            categories={"c"},
            areas={"a"},
            boundary=SQUARE,
            centers={"a": [4, 6]},
        )
    assert "location.lat" in caught.value.fields or (
        "location.area_id" in caught.value.fields
    )
