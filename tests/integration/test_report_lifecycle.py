"""A report's whole life through the real app on moto, in process."""

from tests.integration.conftest import sms_messages

CITIZEN = "+84901234567"
REPORT = {
    "title": "Rác thải đổ trộm bên đường",
    "content": "Có người đổ rác thải xây dựng ra lề đường Trần Hưng Đạo.",
    "category_id": "moi-truong",
    "location": {
        "lat": 14.35,
        "lon": 108.0,
        "address": "Đường Trần Hưng Đạo",
        "area_id": "p-kon-tum",
    },
    "occurred_at": "2026-12-01T08:30:00+07:00",
}


def test_report_goes_from_citizen_to_published_result(stack):
    photo = stack.upload_photo(CITIZEN)
    created = stack.call(
        "POST", "/v1/reports", CITIZEN, {**REPORT, "upload_ids": [photo]}
    )
    assert created.status_code == 201, created.json_body
    report_id = created.json_body["id"]
    assert created.json_body["code"].startswith("KT-")

    triage = stack.open_task(report_id, "triage")
    inbox = stack.call("GET", "/v1/staff/tasks", "tiepnhan").json_body["items"]
    assert [t["id"] for t in inbox] == [triage.id]
    assert {d["decision"] for d in inbox[0]["allowed_decisions"]} == {
        "route",
        "reject",
        "merge",
    }
    routed = stack.call(
        "POST",
        f"/v1/staff/tasks/{triage.id}/decision",
        "tiepnhan",
        {"decision": "route", "agency_id": "so-xay-dung"},
    )
    assert routed.status_code == 200, routed.json_body

    assign = stack.open_task(report_id, "assign")
    options = stack.call("GET", "/v1/staff/tasks", "lanhdao.sxd").json_body["items"][0]
    officer = options["allowed_decisions"][0]["fields"][0]["options"][0]["value"]
    assert (
        stack.call(
            "POST",
            f"/v1/staff/tasks/{assign.id}/decision",
            "lanhdao.sxd",
            {"decision": "assign", "officer_id": officer},
        ).status_code
        == 200
    )

    process = stack.open_task(report_id, "process")
    result_photo = stack.upload_photo("chuyenvien.sxd")
    resolved = stack.call(
        "POST",
        f"/v1/staff/tasks/{process.id}/decision",
        "chuyenvien.sxd",
        {
            "decision": "resolve",
            "result": "Đã thu gom rác.",
            "upload_ids": [result_photo],
        },
    )
    assert resolved.status_code == 200, resolved.json_body

    approve = stack.open_task(report_id, "approve")
    assert (
        stack.call(
            "POST",
            f"/v1/staff/tasks/{approve.id}/decision",
            "lanhdao.sxd",
            {"decision": "approve"},
        ).status_code
        == 200
    )

    def published():
        answer = stack.call("GET", f"/v1/public/reports/{report_id}")
        return answer.json_body if answer.status_code == 200 else None

    public = stack.settle(published)
    assert public["result"]["text"] == "Đã thu gom rác."
    kinds = [e["kind"] for e in public["timeline"]]
    assert kinds == ["received", "routed", "published"]
    texts = [t for p, t in sms_messages() if p == "+84901234567"]
    assert len(texts) == 3, texts


def citizen_sms():
    return [(p, t) for p, t in sms_messages() if p == "+84901234567"]


def test_logs_carry_no_personal_data(stack, app_log):
    photo = stack.upload_photo(CITIZEN)
    created = stack.call(
        "POST", "/v1/reports", CITIZEN, {**REPORT, "upload_ids": [photo]}
    ).json_body
    task = stack.open_task(created["id"], "triage")
    stack.call(
        "POST",
        f"/v1/staff/tasks/{task.id}/decision",
        "tiepnhan",
        {"decision": "reject", "reason": "Trùng lặp."},
    )
    stack.settle(lambda: len(citizen_sms()) >= 2)
    records = [r for r in app_log if r.name == "pakn"]
    assert {r.getMessage() for r in records} >= {"request", "report record"}
    everything = " ".join(str(vars(r)) for r in records)
    assert created["id"] in everything
    for secret in ("Nguyễn Văn An", "84901234567", REPORT["location"]["address"]):
        assert secret not in everything


def test_rejection_tells_the_citizen_why(stack):
    created = stack.call("POST", "/v1/reports", CITIZEN, REPORT).json_body
    task = stack.open_task(created["id"], "triage")
    answer = stack.call(
        "POST",
        f"/v1/staff/tasks/{task.id}/decision",
        "tiepnhan",
        {"decision": "reject", "reason": "Không thuộc phạm vi PAKN."},
    )
    assert answer.status_code == 200
    texts = stack.settle(lambda: len(citizen_sms()) >= 2 and citizen_sms())
    assert texts[-1][1].startswith(f"PAKN {created['code']}: khong duoc tiep nhan")
    assert "Khong thuoc pham vi PAKN" in texts[-1][1]
    mine = stack.call("GET", f"/v1/reports/{created['id']}", CITIZEN).json_body
    assert mine["status"] == "rejected"
    assert [e["kind"] for e in mine["timeline"]] == ["received", "rejected"]


def test_public_photos_lose_their_gps_metadata(stack):
    import io

    import requests
    from PIL import Image

    # GIVEN a photo whose EXIF carries a GPS position
    image = Image.new("RGB", (64, 48), (10, 120, 60))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (14.0, 21.0, 0.0), 3: "E", 4: (108.0, 0.0, 0.0)}
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(raw.getvalue())).getexif().get_ifd(0x8825)

    # WHEN the report carrying it is published (the ward publishes without approval)
    photo = stack.upload_photo(CITIZEN, data=raw.getvalue())
    created = stack.call(
        "POST", "/v1/reports", CITIZEN, {**REPORT, "upload_ids": [photo]}
    ).json_body
    for user, decision, fields in [
        ("tiepnhan", "route", {"agency_id": "ubnd-p-kon-tum"}),
        ("lanhdao.kontum", "assign", None),
        ("chuyenvien.kontum", "resolve", {"result": "Đã xử lý."}),
    ]:
        step = {
            "route": "triage",
            "assign": "assign",
            "resolve": "process",
            "approve": "approve",
        }[decision]
        task = stack.open_task(created["id"], step)
        if fields is None:
            inbox = stack.call("GET", "/v1/staff/tasks", user).json_body["items"][0]
            officer = inbox["allowed_decisions"][0]["fields"][0]["options"][0]
            fields = {"officer_id": officer["value"]}
        answer = stack.call(
            "POST",
            f"/v1/staff/tasks/{task.id}/decision",
            user,
            {"decision": decision, **fields},
        )
        assert answer.status_code == 200, answer.json_body

    def public():
        answer = stack.call("GET", f"/v1/public/reports/{created['id']}")
        return answer.json_body if answer.status_code == 200 else None

    # THEN the public copy decodes and has no GPS, while the private one keeps it
    report = stack.settle(public)
    public_url = report["attachments"][0]["url"]
    owner = stack.call("GET", "/v1/me", CITIZEN).json_body["sub"]
    assert owner not in public_url and f"public/reports/{created['id']}/" in public_url
    public_bytes = requests.get(public_url).content
    assert not Image.open(io.BytesIO(public_bytes)).getexif().get_ifd(0x8825)
    private = stack.call("GET", f"/v1/reports/{created['id']}", CITIZEN).json_body
    private_bytes = requests.get(private["attachments"][0]["url"]).content
    assert Image.open(io.BytesIO(private_bytes)).getexif().get_ifd(0x8825)


def test_a_report_without_a_position_is_placed_at_its_areas_centre(stack):
    # GIVEN a report with an address and a ward but no map pin or GPS position
    place = {"address": "Cổng chợ Kon Tum", "area_id": "p-dak-cam"}
    created = stack.call("POST", "/v1/reports", CITIZEN, {**REPORT, "location": place})
    assert created.status_code == 201, created.json_body

    # THEN it stands at the ward's centre, and says the position is approximate
    seen = stack.call("GET", f"/v1/reports/{created.json_body['id']}", CITIZEN)
    location = seen.json_body["location"]
    ward = next(
        a
        for a in stack.call("GET", "/v1/areas").json_body["items"]
        if a["id"] == "p-dak-cam"
    )
    assert [location["lat"], location["lon"]] == ward["center"]
    assert location["approximate"] is True
    assert location["address"] == "Cổng chợ Kon Tum"

    # ... while a report with a position is exact
    pinned = stack.call("POST", "/v1/reports", CITIZEN, REPORT).json_body
    seen = stack.call("GET", f"/v1/reports/{pinned['id']}", CITIZEN).json_body
    assert seen["location"]["approximate"] is False

    # WHEN neither a position nor an address is given
    bare = stack.call(
        "POST", "/v1/reports", CITIZEN, {**REPORT, "location": {"area_id": "p-dak-cam"}}
    )

    # THEN the citizen is told how to say where
    assert bare.status_code == 422
    field = bare.json_body["fields"]["location.lat"]
    assert field["message"].startswith("Vui lòng chọn vị trí trên bản đồ")
