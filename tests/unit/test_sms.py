"""SMS texts fit one GSM-7 segment whatever the names."""

import pytest

from chalicelib.domain import sms

LONGEST_AGENCY = "Ủy ban nhân dân phường Đăk Cấm và Ban quản lý " * 6
LONG_REASON = "Nội dung phản ánh không thuộc thẩm quyền giải quyết của tỉnh. " * 20


def test_fold_strips_diacritics_and_writes_d_for_đ():
    assert sms.fold("Đường Trần Hưng Đạo, phường Đăk Cấm") == (
        "Duong Tran Hung Dao, phuong Dak Cam"
    )
    assert sms.fold("Ủy ban nhân dân tỉnh") == "Uy ban nhan dan tinh"


def test_fold_drops_characters_outside_gsm7():
    folded = sms.fold("Ổ gà 🚧 ~ lớn")
    assert sms.is_gsm7(folded)
    assert "O ga" in folded


@pytest.mark.parametrize("status", ["received", "routed", "rejected", "published"])
def test_every_status_message_fits_one_segment_even_with_long_names(status):
    text = sms.status_message(
        "KT-2612-12345",
        status,
        "pakn.kontum.gov.vn",
        agency=LONGEST_AGENCY,
        reason=LONG_REASON,
    )
    assert text is not None
    assert len(text) <= sms.SEGMENT
    assert sms.is_gsm7(text)
    assert "KT-2612-12345" in text


def test_routed_message_names_the_agency_in_plain_latin():
    text = sms.status_message(
        "KT-2612-0042", "routed", "pakn.kontum.gov.vn", agency="Sở Xây dựng"
    )
    assert text == (
        "PAKN KT-2612-0042: da chuyen den So Xay dung xu ly. Xem tai pakn.kontum.gov.vn"
    )


def test_steps_without_an_sms_return_none():
    assert sms.status_message("KT-2612-0042", "in_progress", "x") is None
