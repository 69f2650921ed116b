"""The one clock of the system, so that tests can move time instead of sleeping."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")
__all__ = ["UTC", "VN_TZ", "now", "advance", "reset", "iso", "iso_utc", "parse_iso"]

_offset = timedelta(0)


def now() -> datetime:
    """The current time, UTC-aware, shifted by what the tests or the local stack set."""
    shift = os.environ.get("PAKN_CLOCK_OFFSET_SECONDS")
    extra = timedelta(seconds=float(shift)) if shift else timedelta(0)
    return datetime.now(UTC) + _offset + extra


def advance(delta: timedelta) -> None:
    """Move this process's clock forward (tests only)."""
    global _offset
    _offset += delta


def reset() -> None:
    global _offset
    _offset = timedelta(0)


def iso(moment: datetime) -> str:
    """ISO 8601 in Vietnam's offset, the form every API answer uses."""
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds")


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC: for keys that must sort (due times, retry times)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment


def display(moment: datetime) -> str:
    """How a person reads a time here: ``14/12/2026 17:00`` in Vietnam's time."""
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
