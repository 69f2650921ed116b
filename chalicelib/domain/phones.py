"""Vietnamese mobile numbers, in whatever form people type them, as E.164.

``phonenumbers`` (Google's libphonenumber data) knows Vietnam's numbering plan,
including the 2018 renumbering of mobile prefixes; a hand-written pattern would not
keep up.
"""

from __future__ import annotations

import phonenumbers

from chalicelib.errors import ValidationError, field_error


def normalize_mobile(raw: object, field: str = "phone") -> str:
    """``0901234567``, ``+84 90 123 4567``, ``84901234567`` -> ``+84901234567``."""
    invalid = ValidationError(
        fields=field_error(
            field,
            "Số điện thoại di động không hợp lệ (ví dụ 0901234567).",
            "The mobile number is invalid (e.g. 0901234567).",
        )
    )
    if not isinstance(raw, str) or not 6 <= len(raw) <= 20:
        raise invalid
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException as error:
        raise invalid from error
    if (
        number.country_code != 84
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise invalid
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(text: str) -> bool:
    """A sign-in name made of digits, spaces and + ( ) - is a phone, not a username."""
    stripped = text.strip()
    return (
        bool(stripped)
        and all(c.isdigit() or c in " +()-." for c in stripped)
        and (sum(c.isdigit() for c in stripped) >= 9)
    )
