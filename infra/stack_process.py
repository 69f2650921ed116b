"""The local stack (`python -m infra.local_stack`) as a child process on free ports.

The end-to-end tests (tests/e2e/conftest.py) and the screenshots tool
(infra/screenshots.py) both start it this way: the same command `make run` uses,
with its own ports so that it never meets a stack already running on the defaults.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import requests

ROOT = Path(__file__).resolve().parent.parent
READY = "PAKN_READY"  # the line infra.local_stack prints once everything is up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalStack:
    """Where a running local stack answers, and a few things to ask it."""

    def __init__(self, api_port: int, site_port: int, aws_port: int):
        self.api = f"http://127.0.0.1:{api_port}"
        self.site = f"http://127.0.0.1:{site_port}"
        self.aws = f"http://127.0.0.1:{aws_port}"

    def table(self, name: str):
        """A table of the embedded DynamoDB, for a test to set what no API sets (a
        deadline already passed, a result published a month ago)."""
        return boto3.resource(
            "dynamodb",
            region_name="ap-southeast-1",  # infra.local_stack's region
            endpoint_url=self.aws,
            aws_access_key_id="local",
            aws_secret_access_key="local",
        ).Table(name)

    def sms(self) -> list[tuple[str, str]]:
        """(phone, text) of every SMS the embedded SNS accepted, oldest first."""
        data = requests.get(f"{self.aws}/moto-api/data.json", timeout=10).json()
        return [(m["phone_number"], m["message"]) for m in data["sns"]["SMS"]]

    def wait_until(self, check, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = check()
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError("condition not met in time")


@contextmanager
def running_stack(log_path: Path, start_timeout: float = 120) -> Iterator[LocalStack]:
    """Start the local stack, wait until it is ready, stop it on the way out.

    Its output goes to log_path, which is also shown if it fails to start.
    """
    ports = {
        "PAKN_API_PORT": free_port(),
        "PAKN_SITE_PORT": free_port(),
        "PAKN_AWS_PORT": free_port(),
        "PAKN_ONESTOP_PORT": free_port(),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT")}
    env.update({k: str(v) for k, v in ports.items()})
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "infra.local_stack"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + start_timeout
        try:
            while READY not in log_path.read_text():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "local stack did not start:\n" + log_path.read_text()
                    )
                time.sleep(0.2)
            yield LocalStack(
                ports["PAKN_API_PORT"], ports["PAKN_SITE_PORT"], ports["PAKN_AWS_PORT"]
            )
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
