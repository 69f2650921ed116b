"""Settings of one stack, read lazily from the environment.

Chalice's test client applies stage variables only during a request, so nothing here
is read at import time.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def stage() -> str:
    return os.environ.get("PAKN_STAGE", "kontum")


def table_name(name: str) -> str:
    return f"{os.environ.get('PAKN_TABLE_PREFIX', 'pakn-' + stage() + '-')}{name}"


def bucket() -> str:
    return os.environ.get("PAKN_BUCKET", f"pakn-{stage()}-attachments")


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get(
        "AWS_DEFAULT_REGION", "ap-southeast-1"
    )


def user_pool_id() -> str:
    return os.environ.get("PAKN_USER_POOL_ID", "")


def user_pool_client_id() -> str:
    return os.environ.get("PAKN_USER_POOL_CLIENT_ID", "")


def workflow_role_arn() -> str:
    return os.environ.get(
        "PAKN_WORKFLOW_ROLE_ARN", "arn:aws:iam::123456789012:role/pakn-workflow"
    )


def endpoint_url() -> str | None:
    """The embedded AWS of the local stack; None in production."""
    return os.environ.get("AWS_ENDPOINT_URL") or None


@lru_cache(maxsize=4)
def _province(code: str) -> dict:
    # The province file ships inside chalicelib so that the Lambda package has it.
    path = ROOT / "provinces" / f"{code}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def province() -> dict:
    return _province(os.environ.get("PAKN_PROVINCE", stage()))
