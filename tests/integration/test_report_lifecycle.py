"""A report's whole life through the real app on moto, in process."""

from tests.integration.conftest import sms_messages

CITIZEN = "+84901234567"
REPORT = {
    "title": "Rác thải đổ trộm bên đường",
    "content": "Có người đổ rác thải xây dựng ra lề đường Trần Hưng Đạo.",
    "category_id": "moi-truong",
    "location": {"lat": 14.35, "lon": 108.0, "address": "Đường Trần Hưng Đạo",
                 "area_id": "p-kon-tum"},
    "occurred_at": "2026-12-01T08:30:00+07:00",
}


def test_report_goes_from_citizen_to_published_result(stack):
    photo = stack.upload_photo(CITIZEN)
    created = stack.call("POST", "/v1/reports", CITIZEN, {**REPORT, "upload_ids": [photo]})
    assert created.status_code == 201, created.json_body
    report_id = created.json_body["id"]
    assert created.json_body["code"].startswith("KT-")

    triage = stack.open_task(report_id, "triage")
    inbox = stack.call("GET", "/v1/staff/tasks", "tiepnhan").json_body["items"]
    assert [t["id"] for t in inbox] == [triage.id]
    assert {d["decision"] for d in inbox[0]["allowed_decisions"]} == {"route", "reject"}
    routed = stack.call("POST", f"/v1/staff/tasks/{triage.id}/decision", "tiepnhan",
                        {"decision": "route", "agency_id": "so-xay-dung"})
    assert routed.status_code == 200, routed.json_body

    assign = stack.open_task(report_id, "assign")
    options = stack.call("GET", "/v1/staff/tasks", "lanhdao.sxd").json_body["items"][0]
    officer = options["allowed_decisions"][0]["fields"][0]["options"][0]["value"]
    assert stack.call("POST", f"/v1/staff/tasks/{assign.id}/decision", "lanhdao.sxd",
                      {"decision": "assign", "officer_id": officer}).status_code == 200

    process = stack.open_task(report_id, "process")
    result_photo = stack.upload_photo("chuyenvien.sxd")
    resolved = stack.call("POST", f"/v1/staff/tasks/{process.id}/decision",
                          "chuyenvien.sxd", {"decision": "resolve",
                                             "result": "Đã thu gom rác.",
                                             "upload_ids": [result_photo]})
    assert resolved.status_code == 200, resolved.json_body

    approve = stack.open_task(report_id, "approve")
    assert stack.call("POST", f"/v1/staff/tasks/{approve.id}/decision", "lanhdao.sxd",
                      {"decision": "approve"}).status_code == 200

    def published():
        answer = stack.call("GET", f"/v1/public/reports/{report_id}")
        return answer.json_body if answer.status_code == 200 else None

    public = stack.settle(published)
    assert public["result"]["text"] == "Đã thu gom rác."
    kinds = [e["kind"] for e in public["timeline"]]
    assert kinds == ["received", "routed", "published"]
    texts = [m[1] for m in sms_messages()]
    assert len(texts) == 3, texts
