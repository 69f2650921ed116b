"""One local stack per test run, started as `make run` starts it, on its own ports.

The end-to-end and browser tests share it.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalStack:
    def __init__(self, api_port, site_port, aws_port):
        self.api = f"http://127.0.0.1:{api_port}"
        self.site = f"http://127.0.0.1:{site_port}"
        self.aws = f"http://127.0.0.1:{aws_port}"

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


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory):
    ports = {
        "PAKN_API_PORT": _free_port(),
        "PAKN_SITE_PORT": _free_port(),
        "PAKN_AWS_PORT": _free_port(),
        "PAKN_ONESTOP_PORT": _free_port(),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT")}
    env.update({k: str(v) for k, v in ports.items()})
    log_path = tmp_path_factory.mktemp("stack") / "stack.log"
    log = open(log_path, "w")  # noqa: SIM115 - held open for the whole session
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local_stack"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    try:
        while "PAKN_READY" not in log_path.read_text():
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
        log.close()
