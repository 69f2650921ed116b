"""boto3 clients, made once per process, pointed at the embedded AWS when it is set."""

from __future__ import annotations

from functools import lru_cache

import boto3
from botocore.config import Config

from chalicelib import settings


@lru_cache(maxsize=16)
def _client(service: str, region: str, endpoint: str | None, sigv4: bool):
    config = Config(
        retries={"max_attempts": 3, "mode": "standard"},
        signature_version="s3v4" if sigv4 else None,
        s3={"addressing_style": "path"} if service == "s3" else None,
    )
    return boto3.client(
        service, region_name=region, endpoint_url=endpoint, config=config
    )


def client(service: str):
    return _client(service, settings.region(), settings.endpoint_url(), service == "s3")
