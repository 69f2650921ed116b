"""The real Chalice app on moto, in process: tables, bucket, user pool, state machines.

Step Functions executions run for real (moto's ASL interpreter) and stream records
reach the handlers through the same pump the local stack uses.
"""

import io
import time

import boto3
import pytest
import requests
from chalice.test import Client
from moto import mock_aws
from PIL import Image

from chalicelib.adapters.tables import TaskModel
from chalicelib.services import reference
from infra import bootstrap
from infra.pump import StreamPump

SFN_CONFIG = {"stepfunctions": {"execute_state_machine": True}}


class Stack:
    def __init__(self, info, client, pump):
        self.info = info
        self.client = client
        self.pump = pump
        self.tokens: dict[str, str] = {}

    def sign_in(self, username, password="Demo@2026"):
        if username not in self.tokens:
            answer = self.client.http.post(
                "/v1/auth/sign-in",
                headers={"Content-Type": "application/json"},
                body=_json({"username": username, "password": password}),
            )
            assert answer.status_code == 200, answer.json_body
            self.tokens[username] = answer.json_body["id_token"]
        return {
            "Authorization": f"Bearer {self.tokens[username]}",
            "Content-Type": "application/json",
        }

    def call(self, method, path, user=None, body=None, headers=None):
        all_headers = dict(
            self.sign_in(user) if user else {"Content-Type": "application/json"}
        )
        all_headers.update(headers or {})
        payload = (
            body if isinstance(body, (bytes, str)) or body is None else _json(body)
        )
        return getattr(self.client.http, method.lower())(
            path, headers=all_headers, body=payload
        )

    def settle(self, until=None, timeout=10.0):
        """Pump streams until ``until()`` is truthy (or nothing moves and no test)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump.drain()
            if until is None or until():
                return until() if until else None
            time.sleep(0.02)
        raise AssertionError("the stack did not settle in time")

    def open_task(self, report_id, step):
        def find():
            for task in TaskModel.report_index.query(report_id):
                if task.step == step and task.status == "open":
                    return task
            return None

        return self.settle(find)

    def upload_photo(self, user, data=None, content_type="image/jpeg"):
        data = data if data is not None else jpeg_bytes()
        slot = self.call(
            "POST",
            "/v1/uploads",
            user,
            {"filename": "anh.jpg", "content_type": content_type, "size": len(data)},
        )
        assert slot.status_code == 201, slot.json_body
        slot = slot.json_body
        answer = requests.post(
            slot["url"],
            data=slot["fields"],
            files={"file": ("anh.jpg", data, content_type)},
        )
        assert answer.status_code in (200, 204), answer.text
        return slot["upload_id"]


def _json(body):
    import json

    return json.dumps(body)


def jpeg_bytes(size=(64, 48), color=(200, 80, 40)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def stack(monkeypatch):
    with mock_aws(config=SFN_CONFIG):
        reference.clear_cache()
        info = bootstrap.bootstrap()
        import app as app_module
        from app import app

        pump = StreamPump(
            bootstrap.stream_handlers(info, app_module),
            region="ap-southeast-1",
        )
        with Client(app) as client:
            yield Stack(info, client, pump)
        reference.clear_cache()


def sms_messages():
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    return list(
        sns_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-1"].sms_messages.values()
    )


def s3_keys(bucket):
    s3 = boto3.client("s3", region_name="ap-southeast-1")
    return sorted(
        o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    )


@pytest.fixture
def app_log():
    """Every record the app's logger emits during the test, caught at the logger
    itself (not through the root logger, which other tests' setup may have changed)."""
    import logging

    from chalicelib.observability import logger

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    keep = Keep(level=logging.INFO)
    previous = logger.log_level
    logger.addHandler(keep)
    logger.setLevel(logging.INFO)
    try:
        yield records
    finally:
        logger.removeHandler(keep)
        logger.setLevel(previous)
