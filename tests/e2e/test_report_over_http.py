"""Steps 1 to 5 of a report's life over HTTP, against the running local stack."""

import uuid

import requests

from chalicelib.domain.sms import SEGMENT, is_gsm7
from infra.demo_data import CITIZEN, ApiClient, photo

REPORT = {
    "title": "Cây xanh gãy đổ chắn lối đi",
    "content": "Sau cơn mưa lớn, một cây xanh gãy đổ chắn ngang vỉa hè.",
    "category_id": "trat-tu-do-thi",
    "location": {
        "lat": 14.3498,
        "lon": 108.0002,
        "address": "Đường Bà Triệu",
        "area_id": "p-kon-tum",
    },
    "occurred_at": "2026-12-02T16:20:00+07:00",
}


def test_citizen_report_is_routed_processed_approved_and_published(local_stack):
    api = ApiClient(local_stack.api)
    sms_before = len(local_stack.sms())

    # 1. The citizen uploads a photo and files the report; the code comes at once.
    upload_id = api.upload(CITIZEN, photo("cay do"))
    key = uuid.uuid4().hex
    created = api.call(
        "POST",
        "/v1/reports",
        CITIZEN,
        {**REPORT, "upload_ids": [upload_id]},
        headers={"Idempotency-Key": key},
    )
    assert created.status_code == 201, created.text
    report = created.json()
    assert report["status"] == "received"
    retried = api.call(
        "POST",
        "/v1/reports",
        CITIZEN,
        {**REPORT, "upload_ids": [upload_id]},
        headers={"Idempotency-Key": key},
    )
    assert retried.json() == report

    # 2. Reception sees it with photo, place and time, and routes it.
    task = api.wait_task("tiepnhan", report["id"])
    seen = api.call("GET", f"/v1/reports/{report['id']}", "tiepnhan").json()
    assert seen["location"]["lat"] == REPORT["location"]["lat"]
    assert seen["occurred_at"] == REPORT["occurred_at"]
    image = requests.get(seen["attachments"][0]["url"], timeout=10)
    assert image.content[:3] == b"\xff\xd8\xff"
    api.decide("tiepnhan", task, "route", agency_id="so-xay-dung")

    # 3. The leader assigns, the officer resolves with a photo, the leader approves.
    task = api.wait_task("lanhdao.sxd", report["id"])
    officers = task["allowed_decisions"][0]["fields"][0]["options"]
    officer = next(o["value"] for o in officers if o["label"] == "Phạm Thị Dung")
    api.decide("lanhdao.sxd", task, "assign", officer_id=officer)
    task = api.wait_task("chuyenvien.sxd", report["id"])
    result_photo = api.upload("chuyenvien.sxd", photo("da don"))
    api.decide(
        "chuyenvien.sxd",
        task,
        "resolve",
        result="Đã cưa dọn cây đổ.",
        upload_ids=[result_photo],
    )
    task = api.wait_task("lanhdao.sxd", report["id"])
    assert task["step"] == "approve"
    api.decide("lanhdao.sxd", task, "approve")

    # 4. The result is public, with no personal data, and the citizen got 3 SMS.
    def published():
        answer = api.call("GET", f"/v1/public/reports/{report['id']}")
        return answer.json() if answer.status_code == 200 else None

    public = local_stack.wait_until(published)
    assert public["result"]["text"] == "Đã cưa dọn cây đổ."
    assert [e["kind"] for e in public["timeline"]] == [
        "received",
        "routed",
        "published",
    ]
    flat = str(public)
    for secret in ("Nguyễn Văn An", CITIZEN, "owner_sub", "84901234567"):
        assert secret not in flat
    feed = api.call("GET", "/v1/public/reports?limit=50").json()["items"]
    assert report["id"] in [r["id"] for r in feed]

    messages = local_stack.wait_until(
        lambda: (m := local_stack.sms()[sms_before:])
        and len([x for x in m if x[0] == CITIZEN]) >= 3
        and m
    )
    ours = [m for m in messages if report["code"] in m[1] and m[0] == CITIZEN]
    assert len(ours) == 3, messages
    for phone, text, *_ in ours:
        assert phone == CITIZEN
        assert len(text) <= SEGMENT and is_gsm7(text)
    assert "tiep nhan" in ours[0][1] and "So Xay dung" in ours[1][1]
    assert "cong khai" in ours[2][1]

    # 5. The citizen follows it in "my reports" and sees every public step.
    mine = api.call("GET", "/v1/me/reports?limit=50", CITIZEN).json()["items"]
    assert report["id"] in [r["id"] for r in mine]
    detail = api.call("GET", f"/v1/reports/{report['id']}", CITIZEN).json()
    assert [e["kind"] for e in detail["timeline"]] == [
        "received",
        "routed",
        "published",
    ]
    assert detail["status"] == "published"
