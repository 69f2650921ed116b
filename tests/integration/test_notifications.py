"""Pushes and SMS for a report's whole life, staff tasks, devices and preferences.

What SNS accepted is read back from moto: the SMS it recorded and, for push, the
messages on each platform endpoint, with their per-platform payloads.
"""

import json
from datetime import timedelta

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from chalicelib.adapters import notify
from chalicelib.adapters.tables import DeviceModel, OutboxModel, ReportModel
from chalicelib.domain import clock
from chalicelib.errors import DependencyError
from infra.pump import StreamPump
from tests.integration.conftest import sms_messages
from tests.integration.test_workflows import (
    CITIZEN,
    SCHEDULE_EVENT,
    decide,
    file,
    publish,
    to_process,
)

ANDROID = "fcm-token-android-" + "a" * 40
IPHONE = "apns-token-iphone-" + "b" * 40


@pytest.fixture(autouse=True)
def real_time():
    clock.reset()
    yield
    clock.reset()


def sns():
    return sns_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-1"]


def pushes(endpoint_arn):
    """Every message published to an endpoint, parsed: {platform key: payload}."""
    endpoint = sns().platform_endpoints.get(endpoint_arn)
    out = []
    for raw in endpoint.messages.values() if endpoint else []:
        message = json.loads(raw)
        out.append(
            {k: json.loads(v) if k != "default" else v for k, v in message.items()}
        )
    return out


def register(stack, user, platform, token):
    answer = stack.call(
        "POST", "/v1/me/devices", user, {"platform": platform, "token": token}
    )
    assert answer.status_code == 201, answer.json_body
    return answer.json_body["id"], DeviceModel.get(answer.json_body["id"]).endpoint_arn


def citizen_sms(phone=CITIZEN):
    return [t for p, t in sms_messages() if p == phone]


def fcm_titles(endpoint_arn):
    return [
        m["GCM"]["fcmV1Message"]["message"]["notification"]["title"]
        for m in pushes(endpoint_arn)
    ]


def test_a_report_life_reaches_each_device_by_push_and_sms_only_when_chosen(stack):
    _, android = register(stack, CITIZEN, "android", ANDROID)
    _, iphone = register(stack, CITIZEN, "ios", IPHONE)
    report = file(stack)
    code = report["code"]
    publish(stack, report["id"])
    stack.settle(lambda: len(pushes(iphone)) >= 3)

    assert fcm_titles(android) == [
        f"Đã tiếp nhận phản ánh {code}",
        f"Phản ánh {code} đã được chuyển",
        f"Phản ánh {code} đã có kết quả",
    ]
    first = pushes(android)[0]["GCM"]["fcmV1Message"]["message"]
    assert first["data"] == {
        "kind": "report",
        "event": "received",
        "report_id": report["id"],
    }
    assert first["android"]["priority"] == "normal"
    routed = pushes(iphone)[1]["APNS"]
    assert routed["aps"]["alert"] == {
        "title": f"Phản ánh {code} đã được chuyển",
        "body": "Đơn vị xử lý: Sở Xây dựng.",
    }
    assert "interruption-level" not in routed["aps"]  # a report update is not an alert
    assert citizen_sms() == []  # devices, and SMS not chosen

    # The citizen chooses SMS too, in English: the reopening comes both ways.
    prefs = stack.call(
        "PUT", "/v1/me/notifications", CITIZEN, {"sms": True, "lang": "en"}
    )
    assert prefs.status_code == 200 and prefs.json_body["sms"] is True
    path = f"/v1/reports/{report['id']}/rating"
    stack.call("POST", path, CITIZEN, {"reopen": True, "reason": "Chưa xong."})
    stack.settle(lambda: len(pushes(android)) >= 4 and citizen_sms())
    assert fcm_titles(android)[-1] == f"Report {code} reopened"
    assert citizen_sms() == [
        f"PAKN {code}: da duoc mo lai de xu ly lai theo yeu cau cua ban. "
        "Xem tai pakn.kontum.example"
    ]


def test_without_a_device_the_citizen_gets_sms_and_an_answer_request_is_told(stack):
    report = file(stack)
    to_process(stack, report["id"])
    decide(stack, "chuyenvien.sxd", report["id"], "request_info", question="Thêm ảnh?")
    texts = stack.settle(lambda: len(citizen_sms()) >= 3 and citizen_sms())
    assert [t.split(": ", 1)[1][:20] for t in texts] == [
        "da duoc tiep nhan. X",
        "da chuyen den So Xay",
        "can bo sung thong ti",
    ]


def test_a_replayed_stream_sends_nothing_twice(stack):
    _, android = register(stack, CITIZEN, "android", ANDROID)
    report = file(stack)
    publish(stack, report["id"])
    stack.settle(lambda: len(pushes(android)) >= 3)
    before_push, before_sms = len(pushes(android)), len(sms_messages())
    outbox = OutboxModel.count()

    # A second pump reads the reports' and the outbox's streams from their start:
    # every record is delivered again, as a retried batch would be.
    from app import on_outbox_stream, on_reports_stream

    streams = stack.info["streams"]
    replay = StreamPump(
        {streams["reports"]: on_reports_stream, streams["outbox"]: on_outbox_stream},
        region="ap-southeast-1",
    )
    assert replay.drain() > 0
    stack.settle()
    assert len(pushes(android)) == before_push
    assert len(sms_messages()) == before_sms
    assert OutboxModel.count() == outbox


def test_a_failed_send_is_retried_later_and_never_holds_up_the_report(
    stack, monkeypatch
):
    _, android = register(stack, CITIZEN, "android", ANDROID)
    real = notify.SnsSender.send_push
    failures = []

    def flaky(self, endpoint_arn, message, attributes):
        if not failures:
            failures.append(endpoint_arn)
            raise DependencyError(code="push_failed")
        return real(self, endpoint_arn, message, attributes)

    monkeypatch.setattr(notify.SnsSender, "send_push", flaky)
    report = file(stack)
    stack.settle(lambda: ReportModel.get(report["id"]).status == "received")
    item = stack.settle(
        lambda: next((o for o in OutboxModel.retry_index.query("RETRY")), None)
    )
    assert item.status == "failed" and item.attempts == 1 and pushes(android) == []
    # The report moves on meanwhile.
    decide(stack, "tiepnhan", report["id"], "route", agency_id="so-xay-dung")
    stack.settle(lambda: len(pushes(android)) >= 1)
    assert fcm_titles(android) == [f"Phản ánh {report['code']} đã được chuyển"]

    from app import retry_notifications

    assert retry_notifications(SCHEDULE_EVENT, None) == {}  # its pause is not over yet
    clock.advance(timedelta(minutes=2))
    assert retry_notifications(SCHEDULE_EVENT, None) == {"sent": 1}
    assert fcm_titles(android)[-1] == f"Đã tiếp nhận phản ánh {report['code']}"
    assert OutboxModel.get(item.id).status == "sent"
    assert list(OutboxModel.retry_index.query("RETRY")) == []


def test_a_disabled_endpoint_is_dropped_and_sms_takes_over(stack):
    device_id, android = register(stack, CITIZEN, "android", ANDROID)
    boto3.client("sns", region_name="ap-southeast-1").set_endpoint_attributes(
        EndpointArn=android, Attributes={"Enabled": "false"}
    )
    report = file(stack)
    stack.settle(lambda: not DeviceModel.count(device_id))
    assert android not in sns().platform_endpoints
    decide(stack, "tiepnhan", report["id"], "route", agency_id="so-xay-dung")
    texts = stack.settle(lambda: citizen_sms())
    assert "da chuyen den So Xay dung" in texts[0]


def test_registering_again_refreshes_and_sign_out_forgets_devices(stack):
    device_id, arn = register(stack, CITIZEN, "web", ANDROID)
    assert register(stack, CITIZEN, "web", ANDROID) == (device_id, arn)
    assert len(sns().platform_endpoints) == 1
    # The endpoint vanished on SNS's side: registering again makes a new one.
    boto3.client("sns", region_name="ap-southeast-1").delete_endpoint(EndpointArn=arn)
    again_id, again = register(stack, CITIZEN, "web", ANDROID)
    assert again_id == device_id and again != arn and again in sns().platform_endpoints
    listed = stack.call("GET", "/v1/me/devices", CITIZEN).json_body["items"]
    assert [d["id"] for d in listed] == [device_id] and "token" not in listed[0]

    bad = stack.call(
        "POST", "/v1/me/devices", CITIZEN, {"platform": "nokia", "token": "x"}
    )
    assert bad.status_code == 422 and set(bad.json_body["fields"]) == {
        "platform",
        "token",
    }

    assert stack.call("POST", "/v1/auth/sign-out", CITIZEN).status_code == 204
    assert DeviceModel.count(device_id) == 0 and again not in sns().platform_endpoints


def test_a_token_signed_in_by_someone_else_changes_hands(stack):
    device_id, _ = register(stack, CITIZEN, "android", ANDROID)
    register(stack, "chuyenvien.sxd", "android", ANDROID)
    assert (
        DeviceModel.get(device_id).sub
        != stack.call("GET", "/v1/me", CITIZEN).json_body["sub"]
    )
    assert stack.call("GET", "/v1/me/devices", CITIZEN).json_body["items"] == []
    gone = stack.call("DELETE", f"/v1/me/devices/{device_id}", CITIZEN)
    assert gone.status_code == 404 and gone.json_body["code"] == "device_not_found"


def test_staff_hear_of_new_and_overdue_tasks_by_push_or_sms(stack):
    _, officer = register(stack, "chuyenvien.sxd", "android", ANDROID)
    report = file(stack)
    desk = stack.settle(
        lambda: [t for t in citizen_sms("+84900000101") if report["code"] in t]
    )
    assert desk[0].startswith(f"PAKN Viec moi: {report['code']}")
    process = to_process(stack, report["id"])
    stack.settle(lambda: fcm_titles(officer))
    assert fcm_titles(officer) == [f"Việc mới: {report['code']}"]
    leader = [t for t in citizen_sms("+84900000102") if report["code"] in t]
    assert len(leader) == 1  # the assign step, by SMS: no device

    stack.settle(lambda: ReportModel.get(report["id"]) and process)
    clock.advance(timedelta(days=30))
    from app import sweep_deadlines

    sweep_deadlines(SCHEDULE_EVENT, None)
    stack.settle(lambda: len(fcm_titles(officer)) >= 2)
    assert fcm_titles(officer)[-1] == f"Quá hạn: {report['code']}"


def test_preferences_are_validated_and_kept(stack):
    wrong = stack.call(
        "PUT",
        "/v1/me/notifications",
        CITIZEN,
        {"sms": "yes", "alert_area": "atlantis", "lang": "fr"},
    )
    assert wrong.status_code == 422
    assert set(wrong.json_body["fields"]) == {"sms", "alert_area", "lang"}
    assert stack.call("GET", "/v1/me/notifications", CITIZEN).json_body["sms"] is False
    kept = stack.call(
        "PUT",
        "/v1/me/notifications",
        CITIZEN,
        {"alerts_sms": True, "alert_area": "x-sa-thay"},
    )
    assert kept.status_code == 200
    assert stack.call("GET", "/v1/me/notifications", CITIZEN).json_body == {
        "push": True,
        "sms": False,
        "alerts_sms": True,
        "alert_area": "x-sa-thay",
        "lang": "vi",
    }
