"""Refuse every DynamoDB Scan, in every mode.

Lists are paged Queries; a Scan reads the whole table and its cost grows with it. The
hook joins botocore's built-in handlers, so every session created after import (boto3's
and pynamodb's alike) carries it.
"""

from __future__ import annotations

import boto3
import botocore.handlers


class ScanForbiddenError(RuntimeError):
    """A code path tried to Scan a table."""


def refuse_scan(model=None, params=None, **kwargs):
    raise ScanForbiddenError(f"Scan refused on {params and params.get('TableName')}")


_HOOK = ("before-call.dynamodb.Scan", refuse_scan)


def install() -> None:
    if _HOOK not in botocore.handlers.BUILTIN_HANDLERS:
        botocore.handlers.BUILTIN_HANDLERS.append(_HOOK)
    # boto3's default session may exist already; it copied the handlers when made.
    if boto3.DEFAULT_SESSION is not None:
        events = boto3.DEFAULT_SESSION._session.get_component("event_emitter")
        events.unregister(*_HOOK)
        events.register(*_HOOK)
