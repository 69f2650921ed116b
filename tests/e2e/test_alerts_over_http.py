"""Over HTTP on the local stack: a phone registers for pushes, follows a commune, and
an alert to that commune rings it; the counts show on the alert; the banner's list
has it until it is cancelled. What SNS accepted is read from the embedded AWS."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import requests

from infra.demo_data import CITIZEN, ApiClient

ISSUER = "canhbao"
AREA = "x-mang-den"


def test_an_alert_rings_a_registered_phone_in_its_commune(local_stack):
    api = ApiClient(local_stack.api)
    token = f"e2e-fcm-{uuid.uuid4().hex}"
    device = api.call(
        "POST", "/v1/me/devices", CITIZEN, {"platform": "android", "token": token}
    )
    assert device.status_code == 201, device.text
    prefs = api.call("PUT", "/v1/me/notifications", CITIZEN, {"alert_area": AREA})
    assert prefs.status_code == 200, prefs.text

    title = f"Sạt lở đất {uuid.uuid4().hex[:6]}"
    expires = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    created = api.call(
        "POST",
        "/v1/alerts",
        ISSUER,
        {
            "title": title,
            "body": "Tránh xa sườn đồi.",
            "severity": "severe",
            "areas": [AREA],
            "expires_at": expires,
        },
    )
    assert created.status_code == 202, created.text
    alert_id = created.json()["id"]
    try:
        done = local_stack.wait_until(
            lambda: (a := api.call("GET", f"/v1/alerts/{alert_id}", ISSUER).json())[
                "status"
            ]
            == "sent"
            and a,
            timeout=30,
        )
        assert done["sent"]["devices"] >= 1 and done["sent"]["devices_failed"] == 0
        data = requests.get(f"{local_stack.aws}/moto-api/data.json", timeout=10).json()
        ours = [
            json.loads(json.loads(m)["GCM"])["fcmV1Message"]["message"]
            for e in data["sns"].get("PlatformEndpoint", [])
            for m in e["messages"].values()
            if title in m
        ]
        assert len(ours) == 1
        assert ours[0]["android"]["priority"] == "high"
        assert ours[0]["notification"]["title"] == f"NGUY HIỂM: {title}"

        active = api.call("GET", f"/v1/alerts/active?area={AREA}").json()["items"]
        assert title in [a["title"] for a in active]
        elsewhere = api.call("GET", "/v1/alerts/active?area=p-kon-tum").json()["items"]
        assert title not in [a["title"] for a in elsewhere]
    finally:
        api.call("POST", f"/v1/alerts/{alert_id}/cancel", ISSUER)
        api.call("DELETE", f"/v1/me/devices/{device.json()['id']}", CITIZEN)
        api.call("PUT", "/v1/me/notifications", CITIZEN, {"alert_area": None})
    active = api.call("GET", "/v1/alerts/active").json()["items"]
    assert title not in [a["title"] for a in active]
