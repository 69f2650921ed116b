"""Bad input gets a 4xx with the error body, and nothing stored changes.

Each test takes a snapshot of every table, the bucket and the executions before and
after; moto's backends are read directly, since the app refuses Scan everywhere.
"""

import json
import time

import boto3
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from chalicelib import settings
from tests.integration.conftest import jpeg_bytes, s3_keys
from tests.integration.test_report_lifecycle import CITIZEN, REPORT

REGION = "ap-southeast-1"


def snapshot():
    tables = {}
    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]
    for name, table in backend.tables.items():
        if name.endswith("idempotency"):
            continue  # Powertools keeps its own records of refused requests
        # Abuse counters count every attempt, refused or not: that is their job.
        tables[name] = sorted(
            json.dumps(item.to_json(), sort_keys=True)
            for item in table.all_items()
            if not item.hash_key.value.startswith("limit#")
        )
    sfn = boto3.client("stepfunctions", region_name=REGION)
    executions = {}
    for machine in sfn.list_state_machines()["stateMachines"]:
        arn = machine["stateMachineArn"]
        executions[arn] = sorted(
            (e["name"], e["status"])
            for e in sfn.list_executions(stateMachineArn=arn)["executions"]
        )
    return {
        "tables": tables,
        "bucket": s3_keys(settings.bucket()),
        "executions": executions,
    }


def assert_error(answer, status, code, field=None):
    assert answer.status_code == status, answer.json_body
    body = answer.json_body
    assert body["code"] == code
    assert (
        body["message"] and body["message_en"] and body["message"] != body["message_en"]
    )
    if field:
        assert field in body["fields"], body["fields"]


@pytest.fixture
def settled(stack):
    """A stack with one report at the reception desk, every stream drained."""
    stack.sign_in(CITIZEN)
    created = stack.call("POST", "/v1/reports", CITIZEN, REPORT).json_body
    stack.report_id = created["id"]
    stack.triage = stack.open_task(created["id"], "triage")
    stack.settle()
    return stack


def unchanged(stack, action):
    """Run ``action`` and return its answer after checking nothing changed."""
    before = snapshot()
    answer = action()
    stack.settle()
    assert snapshot() == before
    return answer


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": None}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"content": ""}, "content"),
        ({"content": "x" * 5001}, "content"),
        ({"category_id": "khong-co"}, "category_id"),
        (
            {"location": {**REPORT["location"], "area_id": "x-khong-co"}},
            "location.area_id",
        ),
        ({"location": {**REPORT["location"], "lat": "14.3"}}, "location.lat"),
        (
            {"location": {**REPORT["location"], "lat": 15.40, "lon": 108.50}},
            "location.lat",
        ),
        ({"location": None}, "location"),
        ({"occurred_at": "2026-12-01 08:30"}, "occurred_at"),
        ({"occurred_at": "2099-01-01T00:00:00+07:00"}, "occurred_at"),
        ({"upload_ids": "abc"}, "upload_ids"),
    ],
)
def test_invalid_report_is_refused_with_the_field_named(settled, change, field):
    answer = unchanged(
        settled,
        lambda: settled.call("POST", "/v1/reports", CITIZEN, {**REPORT, **change}),
    )
    assert_error(answer, 422, "invalid_input", field)


def test_point_in_bounding_box_but_outside_the_polygon_is_refused(settled):
    from chalicelib.domain.geo import bounding_box, contains

    boundary = settings.province()["boundary"]
    south, west, north, east = bounding_box(boundary)
    assert south < 15.40 < north and west < 108.50 < east
    assert not contains(boundary, 15.40, 108.50)
    answer = unchanged(
        settled,
        lambda: settled.call(
            "POST",
            "/v1/reports",
            CITIZEN,
            {**REPORT, "location": {**REPORT["location"], "lat": 15.40, "lon": 108.50}},
        ),
    )
    assert answer.json_body["fields"]["location.lat"]["message"] == (
        "Vị trí nằm ngoài địa giới tỉnh."
    )


def test_malformed_json_is_a_400(settled):
    answer = unchanged(
        settled, lambda: settled.call("POST", "/v1/reports", CITIZEN, b"{not json")
    )
    assert_error(answer, 400, "invalid_json")


def test_upload_slot_refuses_too_big_and_non_images(settled):
    too_big = settled.call(
        "POST",
        "/v1/uploads",
        CITIZEN,
        {"filename": "a.jpg", "content_type": "image/jpeg", "size": 50 * 1024 * 1024},
    )
    assert_error(too_big, 413, "upload_too_large")
    wrong_type = settled.call(
        "POST",
        "/v1/uploads",
        CITIZEN,
        {"filename": "a.exe", "content_type": "application/x-msdownload", "size": 10},
    )
    assert_error(wrong_type, 422, "upload_type", "content_type")


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00 this is not an image at all" * 10,  # wrong magic bytes
        b"\xff\xd8\xff\xe0" + b"\x00" * 200,  # JPEG magic, does not decode
    ],
)
def test_report_with_a_file_that_is_not_an_image_is_refused(settled, data):
    upload_id = settled.upload_photo(CITIZEN, data=data)
    answer = unchanged(
        settled,
        lambda: settled.call(
            "POST", "/v1/reports", CITIZEN, {**REPORT, "upload_ids": [upload_id]}
        ),
    )
    assert_error(answer, 422, "upload_invalid", "upload_ids")


def test_upload_bigger_than_its_slot_is_refused(settled):
    # moto stores what breaks the POST policy; the check after upload catches it.
    slot = settled.call(
        "POST",
        "/v1/uploads",
        CITIZEN,
        {"filename": "a.jpg", "content_type": "image/jpeg", "size": 100},
    ).json_body
    import requests

    requests.post(
        slot["url"],
        data=slot["fields"],
        files={"file": ("a.jpg", jpeg_bytes((400, 400)), "image/jpeg")},
    )
    answer = unchanged(
        settled,
        lambda: settled.call(
            "POST",
            "/v1/reports",
            CITIZEN,
            {**REPORT, "upload_ids": [slot["upload_id"]]},
        ),
    )
    assert_error(answer, 422, "upload_invalid")


def test_someone_elses_upload_cannot_be_attached(settled):
    upload_id = settled.upload_photo("chuyenvien.sxd")
    answer = unchanged(
        settled,
        lambda: settled.call(
            "POST", "/v1/reports", CITIZEN, {**REPORT, "upload_ids": [upload_id]}
        ),
    )
    assert_error(answer, 422, "upload_not_found", "upload_ids")


def test_decision_not_allowed_in_the_step_is_refused(settled):
    answer = unchanged(
        settled,
        lambda: settled.call(
            "POST",
            f"/v1/staff/tasks/{settled.triage.id}/decision",
            "tiepnhan",
            {"decision": "approve"},
        ),
    )
    assert_error(answer, 422, "decision_not_allowed", "decision")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"decision": "route"}, "agency_id"),
        ({"decision": "route", "agency_id": "khong-co"}, "agency_id"),
        ({"decision": "route", "agency_id": "reception"}, "agency_id"),
        ({"decision": "reject", "reason": "  "}, "reason"),
    ],
)
def test_decision_with_missing_or_unknown_fields_is_refused(settled, body, field):
    answer = unchanged(
        settled,
        lambda: settled.call(
            "POST", f"/v1/staff/tasks/{settled.triage.id}/decision", "tiepnhan", body
        ),
    )
    assert_error(answer, 422, "invalid_input", field)


def test_task_already_decided_is_a_409(settled):
    path = f"/v1/staff/tasks/{settled.triage.id}/decision"
    first = settled.call(
        "POST", path, "tiepnhan", {"decision": "reject", "reason": "Không phải PAKN."}
    )
    assert first.status_code == 200
    sfn = boto3.client("stepfunctions", region_name=REGION)
    execution = settled.triage.execution

    def reception_done():
        for machine in sfn.list_state_machines()["stateMachines"]:
            for run in sfn.list_executions(stateMachineArn=machine["stateMachineArn"])[
                "executions"
            ]:
                if run["name"] == execution:
                    return run["status"] != "RUNNING"
        return False

    settled.settle(reception_done)
    answer = unchanged(
        settled,
        lambda: settled.call(
            "POST", path, "tiepnhan", {"decision": "route", "agency_id": "so-xay-dung"}
        ),
    )
    assert_error(answer, 409, "task_already_decided")


def test_staff_of_another_unit_and_citizens_cannot_decide(settled):
    path = f"/v1/staff/tasks/{settled.triage.id}/decision"
    body = {"decision": "route", "agency_id": "so-xay-dung"}
    other = unchanged(settled, lambda: settled.call("POST", path, "lanhdao.sxd", body))
    assert_error(other, 403, "not_your_task")
    citizen = unchanged(settled, lambda: settled.call("POST", path, CITIZEN, body))
    assert_error(citizen, 403, "staff_only")


def test_citizen_cannot_read_another_citizens_report(settled):
    stack = settled
    from infra.bootstrap import create_user

    create_user(
        stack.info["user_pool_id"],
        {
            "username": "+84907654321",
            "password": "Other@2026",
            "name": "Khác",
            "groups": ["citizen"],
        },
    )
    token = stack.sign_in("+84907654321", "Other@2026")
    answer = stack.client.http.get(f"/v1/reports/{stack.report_id}", headers=token)
    assert_error(answer, 403, "forbidden")


def _moto_signed(claims):
    import gzip
    from pathlib import Path

    import moto.cognitoidp

    path = Path(moto.cognitoidp.__file__).parent / "resources" / "jwks-private.json.gz"
    key = jwt.PyJWK.from_dict(json.loads(gzip.decompress(path.read_bytes())))
    return jwt.encode(claims, key.key, algorithm="RS256", headers={"kid": "dummy"})


def _forged_token(claims):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "dummy"})


def test_forged_expired_and_revoked_tokens_are_401(settled):
    stack = settled
    real = stack.sign_in(CITIZEN)["Authorization"].split()[1]
    claims = jwt.decode(real, options={"verify_signature": False})

    def with_token(token):
        return stack.client.http.get(
            "/v1/me/reports", headers={"Authorization": f"Bearer {token}"}
        )

    assert with_token(real).status_code == 200
    assert_error(with_token(_forged_token(claims)), 401, "invalid_token")
    assert_error(with_token("not-a-jwt"), 401, "invalid_token")
    assert_error(stack.client.http.get("/v1/me/reports"), 401, "unauthorized")

    # an expired token, signed with the very key moto signs with: the same token
    # still valid passes, so it is the expiry that is refused
    assert with_token(_moto_signed(claims)).status_code == 200
    assert_error(
        with_token(_moto_signed({**claims, "exp": int(time.time()) - 5})),
        401,
        "invalid_token",
    )

    signed_out = stack.client.http.post(
        "/v1/auth/sign-out", headers={"Authorization": f"Bearer {real}"}, body="{}"
    )
    assert signed_out.status_code == 204
    assert_error(with_token(real), 401, "session_revoked")


def test_reused_idempotency_key_with_another_body_is_refused(settled):
    key = {"Idempotency-Key": "abc-123"}
    first = settled.call("POST", "/v1/reports", CITIZEN, REPORT, headers=key)
    again = settled.call("POST", "/v1/reports", CITIZEN, REPORT, headers=key)
    assert first.status_code == 201 and again.json_body == first.json_body
    settled.open_task(first.json_body["id"], "triage")
    settled.settle()
    answer = unchanged(
        settled,
        lambda: settled.call(
            "POST", "/v1/reports", CITIZEN, {**REPORT, "title": "Khác"}, headers=key
        ),
    )
    assert_error(answer, 422, "idempotency_key_reused")
