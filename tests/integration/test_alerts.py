"""Emergency alerts: one commune's devices and SMS followers get it, nobody else;
the counts grow batch by batch; a replayed stream sends nothing twice."""

from datetime import timedelta

import pytest

from chalicelib.adapters.tables import AlertModel
from chalicelib.domain import clock
from infra.bootstrap import create_user
from infra.pump import StreamPump
from tests.integration.conftest import sms_messages
from tests.integration.test_notifications import pushes, register
from tests.integration.test_workflows import CITIZEN

ISSUER = "lanhdao.tinh"
NEIGHBOUR = "+84907654321"
FOLLOWER = "+84912345678"


@pytest.fixture(autouse=True)
def real_time():
    clock.reset()
    yield
    clock.reset()


@pytest.fixture
def people(stack):
    """Citizen A follows Sa Thầy (an Android phone); B follows Kon Tum ward (an
    iPhone); C follows Sa Thầy by SMS only; a staff member's phone follows nothing."""
    for phone in (NEIGHBOUR, FOLLOWER):
        create_user(
            stack.info["user_pool_id"],
            {
                "username": phone,
                "password": "Demo@2026",
                "name": "Người thử",
                "groups": ["citizen"],
            },
        )
    arns = {}
    for who, area, platform in (
        (CITIZEN, "x-sa-thay", "android"),
        (NEIGHBOUR, "p-kon-tum", "ios"),
        ("chuyenvien.sxd", None, "web"),
    ):
        stack.call("PUT", "/v1/me/notifications", who, {"alert_area": area})
        arns[who] = register(stack, who, platform, f"token-{who}-{'x' * 30}")[1]
    answer = stack.call(
        "PUT",
        "/v1/me/notifications",
        FOLLOWER,
        {"alert_area": "x-sa-thay", "alerts_sms": True},
    )
    assert answer.status_code == 200
    return arns


def alert(**change):
    return {
        "title": "Lũ quét trên suối Đăk Xú",
        "body": "Người dân tránh xa khu vực ven suối, di chuyển lên vùng cao ngay.",
        "severity": "extreme",
        "areas": ["x-sa-thay"],
        "expires_at": clock.iso(clock.now() + timedelta(hours=6)),
        **change,
    }


def sent(stack, alert_id):
    def done():
        body = stack.call("GET", f"/v1/alerts/{alert_id}", ISSUER).json_body
        return body["status"] == "sent" and body

    return stack.settle(done, timeout=20)


def test_an_alert_to_one_commune_reaches_only_its_devices_and_followers(stack, people):
    answer = stack.call("POST", "/v1/alerts", ISSUER, alert())
    assert answer.status_code == 202, answer.json_body
    assert answer.json_body["status"] == "sending"
    done = sent(stack, answer.json_body["id"])
    assert done["sent"] | {"batches_total": 0} == {
        "devices": 1,
        "devices_failed": 0,
        "phones": 1,
        "phones_failed": 0,
        "batches_done": done["sent"]["batches_total"],
        "batches_total": 0,
    }

    [message] = pushes(people[CITIZEN])
    fcm = message["GCM"]["fcmV1Message"]["message"]
    assert fcm["android"]["priority"] == "high"
    assert (
        fcm["android"]["notification"]["sound"]
        and fcm["android"]["notification"]["channel_id"]
    )
    assert (
        fcm["notification"]["title"] == "ĐẶC BIỆT NGUY HIỂM: Lũ quét trên suối Đăk Xú"
    )
    assert fcm["data"]["alert_id"] == answer.json_body["id"]
    assert pushes(people[NEIGHBOUR]) == [] and pushes(people["chuyenvien.sxd"]) == []
    [(phone, text)] = [(p, t) for p, t in sms_messages() if t.startswith("CANH BAO")]
    assert phone == FOLLOWER
    assert text.startswith("CANH BAO DAC BIET NGUY HIEM: Lu quet tren suoi Dak Xu.")
    assert len(text) <= 160


def test_a_province_wide_alert_rings_every_device_with_its_platform_payload(
    stack, people
):
    answer = stack.call(
        "POST", "/v1/alerts", ISSUER, alert(areas="all", severity="severe")
    )
    done = sent(stack, answer.json_body["id"])
    assert done["sent"]["devices"] == 3 and done["sent"]["phones"] == 1
    [ios] = pushes(people[NEIGHBOUR])
    aps = ios["APNS"]["aps"]
    assert aps["interruption-level"] == "time-sensitive" and aps["sound"]
    [web] = pushes(people["chuyenvien.sxd"])
    webpush = web["GCM"]["fcmV1Message"]["message"]["webpush"]
    assert webpush["headers"]["Urgency"] == "high"


def test_batches_chain_through_a_crowded_commune_and_a_replay_counts_nothing_twice(
    stack, people, monkeypatch
):
    monkeypatch.setenv("PAKN_ALERT_BATCH", "1")
    for n in range(4):  # more phones in Sa Thầy than one batch holds
        phone = f"+8490300000{n}"
        create_user(
            stack.info["user_pool_id"],
            {
                "username": phone,
                "password": "Demo@2026",
                "name": "X",
                "groups": ["citizen"],
            },
        )
        stack.call("PUT", "/v1/me/notifications", phone, {"alert_area": "x-sa-thay"})
        register(stack, phone, "android", f"token-crowd-{n}-{'y' * 30}")
    answer = stack.call("POST", "/v1/alerts", ISSUER, alert())
    done = sent(stack, answer.json_body["id"])
    assert done["sent"]["devices"] == 5 and done["sent"]["devices_failed"] == 0
    assert done["sent"]["batches_total"] > 2 * 8  # pages beyond the first per shard
    texts = len(sms_messages())

    from app import on_alerts_stream

    replay = StreamPump(
        {stack.info["streams"]["alerts"]: on_alerts_stream}, region="ap-southeast-1"
    )
    assert replay.drain() > 0
    again = stack.call("GET", f"/v1/alerts/{answer.json_body['id']}", ISSUER).json_body
    assert again["sent"] == done["sent"]
    assert len(pushes(people[CITIZEN])) == 1 and len(sms_messages()) == texts


def test_the_banner_shows_alerts_in_force_for_an_area_until_expiry_or_cancel(
    stack, people
):
    here = stack.call("POST", "/v1/alerts", ISSUER, alert()).json_body
    everywhere = stack.call(
        "POST",
        "/v1/alerts",
        ISSUER,
        alert(
            areas="all",
            severity="minor",
            title="Mất điện",
            expires_at=clock.iso(clock.now() + timedelta(hours=1)),
        ),
    ).json_body

    def active(query=""):
        answer = stack.call("GET", f"/v1/alerts/active{query}")
        assert answer.status_code == 200
        return [a["id"] for a in answer.json_body["items"]]

    assert active() == [here["id"], everywhere["id"]]  # the gravest first
    assert active("?area=x-sa-thay") == [here["id"], everywhere["id"]]
    assert active("?area=p-kon-tum") == [everywhere["id"]]
    public = stack.call("GET", "/v1/alerts/active").json_body["items"][0]
    assert (
        "status" not in public and "created_by" not in public and "sent" not in public
    )

    clock.advance(timedelta(hours=2))
    assert active() == [here["id"]]
    cancelled = stack.call("POST", f"/v1/alerts/{here['id']}/cancel", ISSUER)
    assert cancelled.status_code == 200 and cancelled.json_body["status"] == "cancelled"
    assert active() == []
    again = stack.call("POST", f"/v1/alerts/{here['id']}/cancel", ISSUER)
    assert again.status_code == 409
    listed = stack.call("GET", "/v1/alerts?limit=1", ISSUER).json_body
    assert [a["id"] for a in listed["items"]] == [everywhere["id"]] and listed[
        "next_cursor"
    ]


def test_a_bad_alert_is_refused_field_by_field_and_nothing_is_stored(stack):
    wrong = stack.call(
        "POST",
        "/v1/alerts",
        ISSUER,
        {"title": "", "severity": "loud", "areas": ["atlantis"], "expires_at": "mai"},
    )
    assert wrong.status_code == 422
    assert set(wrong.json_body["fields"]) == {
        "title",
        "body",
        "severity",
        "areas",
        "expires_at",
    }
    late = stack.call(
        "POST",
        "/v1/alerts",
        ISSUER,
        alert(expires_at=clock.iso(clock.now() + timedelta(days=8))),
    )
    assert set(late.json_body["fields"]) == {"expires_at"}
    assert AlertModel.count() == 0
    citizen = stack.call("POST", "/v1/alerts", CITIZEN, alert())
    assert citizen.status_code == 403


def test_the_same_idempotency_key_sends_an_alert_once(stack):
    headers = {"Idempotency-Key": "lu-quet-1"}
    body = alert()
    first = stack.call("POST", "/v1/alerts", ISSUER, body, headers=headers)
    second = stack.call("POST", "/v1/alerts", ISSUER, body, headers=headers)
    assert first.status_code == second.status_code == 202
    assert first.json_body["id"] == second.json_body["id"]
    assert len(list(AlertModel.history_index.query("ALERT"))) == 1
    other = stack.call(
        "POST", "/v1/alerts", ISSUER, alert(title="Khác"), headers=headers
    )
    assert other.status_code == 422
    assert other.json_body["code"] == "idempotency_key_reused"
