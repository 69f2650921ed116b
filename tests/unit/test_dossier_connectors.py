"""Connectors: requests rendered from them, answers read with them (no I/O)."""

from datetime import date

import pytest

from chalicelib.domain.dossiers import check_code, check_connector
from chalicelib.errors import ValidationError

TODAY = date(2026, 3, 10)


def connector(**changes):
    body = {
        "name": "Sở Xây dựng",
        "name_en": "Department of Construction",
        "code_pattern": r"000\.00\.24\.H34-\d{6}-\d{4}",
        "url": "https://motcua.example/hoso/{code}?cccd={id_number}",
        "fields": {
            "status": "data.trangThai",
            "received_date": "data.ngayNhan",
            "due_date": "data.hanTra",
            "result": "data.ketQua",
        },
        "date_format": "%d/%m/%Y",
        "status_map": {"Đang xử lý ": "processing", "Đã trả": "returned"},
    }
    body.update(changes)
    return check_connector("so-xay-dung", body)


def test_placeholders_are_url_encoded_in_the_url_and_raw_in_a_body():
    post = connector(
        method="POST",
        url="https://motcua.example/tra-cuu",
        body={"hoSo": {"ma": "{code}", "giayTo": ["{id_number}"]}, "kieu": 1},
        headers={"X-Ma": "ma={code}"},
    )

    get = connector().request("A/B?x=1&y", "0620")
    sent = post.request("000.00.24.H34-251203-0001", None)

    assert get["url"] == "https://motcua.example/hoso/A%2FB%3Fx%3D1%26y?cccd=0620"
    assert get["json"] is None
    assert sent["json"] == {
        "hoSo": {"ma": "000.00.24.H34-251203-0001", "giayTo": [""]},
        "kieu": 1,
    }
    assert sent["headers"] == {"X-Ma": "ma=000.00.24.H34-251203-0001"}


def test_codes_are_matched_by_pattern_or_prefix():
    by_pattern = connector()
    by_prefix = connector(code_pattern=None, code_prefixes=["000.25.31.H34-"])

    assert by_pattern.holds("000.00.24.H34-251203-0001")
    assert not by_pattern.holds("000.00.24.H34-251203-0001-x")  # whole code only
    assert by_prefix.holds("000.25.31.H34-251201-0012")
    assert not by_prefix.holds("000.00.24.H34-251203-0001")


def test_an_answer_is_read_into_the_mapped_fields_only():
    answer = {
        "data": {
            "trangThai": "Đang xử lý",
            "ngayNhan": "01/03/2026",
            "hanTra": "09/03/2026",
            "ketQua": None,
            "hoTen": "Nguyễn Văn An",
        }
    }

    read = connector().read(answer, TODAY)

    assert read == {
        "status": {
            "code": "processing",
            "label": "Đang xử lý",
            "label_en": "In progress",
        },
        "received_date": "2026-03-01",
        "due_date": "2026-03-09",
        "result": None,
        "overdue": True,
    }


def test_unmapped_status_is_unknown_and_bad_dates_are_missing():
    answer = {"data": {"trangThai": "Lạ", "ngayNhan": "2026-13-45", "hanTra": "x"}}

    read = connector().read(answer, TODAY)

    assert read["status"]["code"] == "unknown"
    assert read["received_date"] is None and read["due_date"] is None
    assert read["overdue"] is False


def test_finished_dossiers_are_never_overdue():
    answer = {"data": {"trangThai": "Đã trả", "hanTra": "01/01/2026", "ketQua": 7}}

    read = connector().read(answer, TODAY)

    assert read["overdue"] is False
    assert read["result"] == "7"


def test_not_found_by_http_status_or_by_an_empty_field():
    default = connector()
    by_empty = connector(not_found={"http_status": [410], "empty": "items[0]"})

    assert default.is_not_found(404, None)
    assert default.is_not_found(200, {"data": None})
    assert not default.is_not_found(200, {"data": {"trangThai": "Đã trả"}})
    assert by_empty.is_not_found(410, None)
    assert not by_empty.is_not_found(404, {"items": [{"a": 1}]})
    assert by_empty.is_not_found(200, {"items": []})


@pytest.mark.parametrize(
    "code", ["000.00.24.H34-251203-0001", "HS-2026/15", "  abc1  "]
)
def test_plausible_codes_pass(code):
    assert check_code(code) == code.strip()


@pytest.mark.parametrize("code", [None, 12, "ab", "a b c d", "x" * 65, "ab<c>d"])
def test_implausible_codes_are_refused(code):
    with pytest.raises(ValidationError) as caught:
        check_code(code)
    assert "code" in caught.value.fields
