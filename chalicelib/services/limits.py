"""Abuse limits: counters in DynamoDB with a TTL, so they hold across Lambda instances.

Fixed windows: a counter item per (rule, subject, window start), incremented with an
atomic ADD; DynamoDB's TTL removes it after the window (the code never trusts the TTL
to have run: the window is part of the key).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from chalicelib.adapters.tables import CounterModel
from chalicelib.domain import clock
from chalicelib.errors import AppError


class TooManyRequestsError(AppError):
    code = "too_many_requests"
    http_status = 429
    message = "Bạn thao tác quá nhiều lần, vui lòng thử lại sau."
    message_en = "Too many attempts; try again later."

    def __init__(self, retry_after: int, **kwargs):
        super().__init__(**kwargs)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window_seconds: int


def _per_address(default: int, variable: str) -> int:
    # The local stack serves every browser and test from 127.0.0.1: it raises the
    # per-address limits (PAKN_LIMIT_*); a deployed stack keeps the defaults.
    return int(os.environ.get(variable, default))


SIGN_IN_FAILURES = Rule("signin-fail", 5, 15 * 60)
SIGN_IN_PER_ADDRESS = Rule(
    "signin-addr", _per_address(30, "PAKN_LIMIT_SIGNIN_PER_ADDRESS"), 15 * 60
)
SMS_PER_PHONE = Rule("sms-phone", 5, 3600)
SMS_PER_ADDRESS = Rule("sms-addr", _per_address(20, "PAKN_LIMIT_SMS_PER_ADDRESS"), 3600)
LOCK_SECONDS = 15 * 60


def _subject(value: str) -> str:
    # Phones and addresses are personal data: the counters keep a hash of them.
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def _key(rule: Rule, subject: str) -> tuple[str, int]:
    now = int(clock.now().timestamp())
    start = now - now % rule.window_seconds
    return f"limit#{rule.name}#{_subject(subject)}#{start}", start + rule.window_seconds


def count(rule: Rule, subject: str) -> int:
    """Add one to the subject's counter in the current window; the new value."""
    key, window_end = _key(rule, subject)
    counter = CounterModel(key)
    counter.update(
        actions=[
            CounterModel.value.add(1),
            CounterModel.expires_ttl.set(window_end + 60),
        ]
    )
    return int(counter.value)


def peek(rule: Rule, subject: str) -> int:
    key, _ = _key(rule, subject)
    try:
        return int(CounterModel.get(key).value)
    except CounterModel.DoesNotExist:
        return 0


def check(rule: Rule, subject: str) -> None:
    """Count one more attempt; 429 once past the limit."""
    if count(rule, subject) > rule.limit:
        raise TooManyRequestsError(retry_after=retry_after(rule))


def retry_after(rule: Rule) -> int:
    now = int(clock.now().timestamp())
    return rule.window_seconds - now % rule.window_seconds


def lock(subject: str) -> None:
    """Refuse sign-in for ``subject`` for LOCK_SECONDS from now."""
    until = int(clock.now().timestamp()) + LOCK_SECONDS
    CounterModel(
        f"lock#{_subject(subject)}", value=until, expires_ttl=until + 60
    ).save()


def locked_for(subject: str) -> int:
    """Seconds left on a lock, 0 when there is none."""
    try:
        until = int(CounterModel.get(f"lock#{_subject(subject)}").value)
    except CounterModel.DoesNotExist:
        return 0
    return max(0, until - int(clock.now().timestamp()))
