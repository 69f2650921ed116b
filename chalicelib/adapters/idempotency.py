"""Powertools idempotency over this stack's idempotency table, bound lazily.

Powertools binds a function to its persistence store when decorating; the table's name
comes from the environment, which Chalice's test client sets only during a request. So
the decorated function is built on first call, once per table name.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from chalicelib import settings
from chalicelib.adapters.aws import client


def once(
    function: Callable[..., dict],
    *,
    key: str,
    validate: str | None = None,
    seconds: int,
) -> Callable[..., dict]:
    """``function(request=..., **rest)`` run once per ``key`` (a JMESPath on request).

    A repeated call returns the stored answer; with ``validate``, a repeat whose
    payload differs raises ``IdempotencyValidationError``.
    """

    @lru_cache(maxsize=4)
    def bound(table: str):
        store = DynamoDBPersistenceLayer(
            table_name=table, boto3_client=client("dynamodb")
        )
        config = IdempotencyConfig(
            event_key_jmespath=key,
            payload_validation_jmespath=validate,
            expires_after_seconds=seconds,
        )
        return idempotent_function(
            function,
            data_keyword_argument="request",
            persistence_store=store,
            config=config,
            key_prefix=function.__qualname__,
        )

    def call(**kwargs) -> dict:
        return bound(settings.table_name("idempotency"))(**kwargs)

    return call
