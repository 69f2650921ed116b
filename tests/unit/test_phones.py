"""Vietnamese mobile numbers in the forms people type them."""

import pytest

from chalicelib.domain.phones import looks_like_phone, normalize_mobile
from chalicelib.errors import ValidationError


@pytest.mark.parametrize(
    "raw",
    [
        "0901234567",
        "+84 90 123 4567",
        "84901234567",
        "(090) 123-4567",
        "+84-90-123-4567",
    ],
)
def test_usual_forms_become_e164(raw):
    assert normalize_mobile(raw) == "+84901234567"


@pytest.mark.parametrize(
    "raw", ["0123", "0281234567", "+14155550100", "", "số điện thoại", None, 901234567]
)
def test_what_is_not_a_vietnamese_mobile_is_refused(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_mobile(raw)
    assert "phone" in caught.value.fields


def test_usernames_are_not_phones():
    assert looks_like_phone("090 123 4567")
    assert not looks_like_phone("tiepnhan")
    assert not looks_like_phone("123")
