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
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

from chalicelib import settings
from chalicelib.adapters.aws import client
from chalicelib.errors import ConflictError, ValidationError


def once(
    function: Callable[..., dict],
    *,
    key: str,
    validate: str | None = None,
    seconds: int,
) -> Callable[..., dict]:
    """``function(request=..., **rest)`` run once per ``key`` (a JMESPath on request).

    A repeated call returns the stored answer; with ``validate``, a repeat whose
    payload differs is a 422 ``idempotency_key_reused``; a repeat while the first is
    still running is a 409 ``request_in_progress``.
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
        try:
            return bound(settings.table_name("idempotency"))(**kwargs)
        except IdempotencyValidationError as error:
            raise ValidationError(
                code="idempotency_key_reused",
                message="Khóa Idempotency-Key đã dùng cho một yêu cầu khác.",
                message_en="This Idempotency-Key was used for a different request.",
            ) from error
        except IdempotencyAlreadyInProgressError as error:
            raise ConflictError(
                code="request_in_progress",
                message="Yêu cầu này đang được xử lý.",
                message_en="This request is still being processed.",
            ) from error

    return call
