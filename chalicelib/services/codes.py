"""One-time codes sent by SMS: sign-up, phone change, password reset.

The app makes and checks its own codes rather than Cognito's, so that they expire in
ten minutes, are used once, allow five tries, and behave the same on the local stack
(moto's Cognito accepts any code and sends none). A code is kept only as a salted
hash, in the counters table, with a TTL.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from pynamodb.exceptions import DeleteError

from chalicelib import settings
from chalicelib.adapters import notify
from chalicelib.adapters.tables import CounterModel
from chalicelib.domain import clock, sms
from chalicelib.errors import ValidationError, field_error
from chalicelib.services import limits

CODE_SECONDS = 10 * 60
MAX_TRIES = 5
_TEXT = {
    "signup": "ma xac nhan dang ky",
    "phone": "ma xac nhan so dien thoai moi",
    "reset": "ma dat lai mat khau",
}


def _key(purpose: str, subject: str) -> str:
    return f"code#{purpose}#{subject}"


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def ensure_can_send(phone: str, address: str) -> None:
    """Refuse (429) before anything is created when no code could be sent."""
    for rule, subject in (
        (limits.SMS_PER_PHONE, phone),
        (limits.SMS_PER_ADDRESS, address),
    ):
        if limits.peek(rule, subject) >= rule.limit:
            raise limits.TooManyRequestsError(retry_after=limits.retry_after(rule))


def send(
    purpose: str, subject: str, phone: str, address: str, data: dict | None = None
) -> None:
    """Make a code for ``subject`` (a sub), send it to ``phone``; a new code replaces
    the old one. At most 5 sends per phone and 20 per client address an hour."""
    limits.check(limits.SMS_PER_PHONE, phone)
    limits.check(limits.SMS_PER_ADDRESS, address)
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    expires = int(clock.now().timestamp()) + CODE_SECONDS
    CounterModel(
        _key(purpose, subject),
        value=0,
        expires_ttl=expires,
        data={
            "salt": salt,
            "hash": _digest(salt, code),
            "expires": expires,
            **(data or {}),
        },
    ).save()
    text = (
        f"PAKN: {_TEXT[purpose]} la {code}, hieu luc 10 phut. "
        "Khong chia se ma nay voi ai."
    )
    notify.sender().send_sms(
        phone, sms.fold(text), settings.province()["sms_sender_id"]
    )


def _refused(code: str, vi: str, en: str) -> ValidationError:
    return ValidationError(
        code=code, message=vi, message_en=en, fields=field_error("code", vi, en)
    )


def verify(purpose: str, subject: str, code: object) -> dict:
    """The data stored with the code, once; the code is gone afterwards."""
    expired = _refused(
        "code_expired",
        "Mã xác nhận đã hết hạn, vui lòng lấy mã mới.",
        "The code has expired; ask for a new one.",
    )
    try:
        item = CounterModel.get(_key(purpose, subject))
    except CounterModel.DoesNotExist as error:
        raise expired from error
    data = item.data or {}
    if data.get("expires", 0) < clock.now().timestamp() or item.value >= MAX_TRIES:
        raise expired
    if not isinstance(code, str) or not hmac.compare_digest(
        _digest(data["salt"], code.strip()), data["hash"]
    ):
        item.update(actions=[CounterModel.value.add(1)])
        raise _refused("code_invalid", "Mã xác nhận không đúng.", "The code is wrong.")
    try:  # single use: whoever deletes it first wins
        item.delete(condition=CounterModel.value == item.value)
    except DeleteError as error:
        raise expired from error
    return {k: v for k, v in data.items() if k not in ("salt", "hash", "expires")}
