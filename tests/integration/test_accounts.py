"""Accounts on the real app and moto's Cognito: codes are the app's own, sent by SMS
and read back from moto's SNS records, so every flow runs for real."""

import re
from datetime import timedelta

import pytest

from chalicelib.domain import clock
from tests.integration.conftest import sms_messages
from tests.integration.test_bad_input import assert_error
from tests.integration.test_report_lifecycle import CITIZEN, REPORT

PASSWORD = "Matkhau@2026"
SIGN_UP = {
    "phone": "+84 91 234 5678",
    "name": "Lê Thị Hoa",
    "password": PASSWORD,
    "consent_version": "2026-01",
}
PHONE = "+84912345678"


@pytest.fixture(autouse=True)
def real_time():
    clock.reset()
    yield
    clock.reset()


def last_code(phone):
    texts = [t for p, t in sms_messages() if p == phone]
    assert texts, f"no SMS to {phone}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def sign_in(stack, username, password=PASSWORD):
    return stack.call(
        "POST", "/v1/auth/sign-in", body={"username": username, "password": password}
    )


def bearer(answer):
    return {
        "Authorization": f"Bearer {answer.json_body['id_token']}",
        "Content-Type": "application/json",
    }


def citizen(stack):
    assert stack.call("POST", "/v1/auth/sign-up", body=SIGN_UP).status_code == 201
    assert (
        stack.call(
            "POST",
            "/v1/auth/confirm",
            body={"phone": "0912345678", "code": last_code(PHONE)},
        ).status_code
        == 200
    )
    answer = sign_in(stack, "0912345678")
    assert answer.status_code == 200, answer.json_body
    return bearer(answer)


def test_sign_up_confirm_sign_in_refresh(stack):
    created = stack.call("POST", "/v1/auth/sign-up", body=SIGN_UP)
    assert created.status_code == 201, created.json_body
    assert created.json_body["consent"]["version"] == "2026-01"
    text = [t for p, t in sms_messages() if p == PHONE][-1]
    assert len(text) <= 160 and "10 phut" in text

    assert_error(sign_in(stack, "0912345678"), 401, "not_confirmed")
    wrong = stack.call(
        "POST", "/v1/auth/confirm", body={"phone": PHONE, "code": "000000"}
    )
    assert_error(wrong, 422, "code_invalid", "code")
    right = stack.call(
        "POST",
        "/v1/auth/confirm",
        body={"phone": "84912345678", "code": last_code(PHONE)},
    )
    assert right.status_code == 200, right.json_body

    answer = sign_in(stack, "(091) 234-5678")
    assert answer.status_code == 200, answer.json_body
    assert answer.json_body["user"]["consent_required"] is False
    refreshed = stack.call(
        "POST",
        "/v1/auth/refresh",
        body={"refresh_token": answer.json_body["refresh_token"]},
    )
    assert refreshed.status_code == 200
    me = stack.client.http.get("/v1/me", headers=bearer(refreshed)).json_body
    assert me["phone"] == PHONE and me["name"] == "Lê Thị Hoa"
    assert me["consent"]["at"]
    again = stack.call("POST", "/v1/auth/sign-up", body=SIGN_UP)
    assert_error(again, 409, "account_exists")


@pytest.mark.parametrize("phone", ["12345", "0281234567", "+1 415 555 0100", 912])
def test_sign_up_refuses_what_is_not_a_vietnamese_mobile(stack, phone):
    answer = stack.call("POST", "/v1/auth/sign-up", body={**SIGN_UP, "phone": phone})
    assert_error(answer, 422, "invalid_input", "phone")


def test_sign_up_needs_the_current_notice_and_a_strong_password(stack):
    old = stack.call(
        "POST", "/v1/auth/sign-up", body={**SIGN_UP, "consent_version": "2020-01"}
    )
    assert_error(old, 422, "consent_required", "consent_version")
    weak = stack.call("POST", "/v1/auth/sign-up", body={**SIGN_UP, "password": "abc"})
    assert_error(weak, 422, "weak_password", "password")


def test_codes_expire_in_ten_minutes_are_single_use_and_allow_five_tries(stack):
    stack.call("POST", "/v1/auth/sign-up", body=SIGN_UP)
    code = last_code(PHONE)
    clock.advance(timedelta(minutes=11))
    expired = stack.call(
        "POST", "/v1/auth/confirm", body={"phone": PHONE, "code": code}
    )
    assert_error(expired, 422, "code_expired")

    clock.reset()
    stack.call("POST", "/v1/auth/resend", body={"phone": PHONE})
    code = last_code(PHONE)
    for _ in range(5):
        stack.call("POST", "/v1/auth/confirm", body={"phone": PHONE, "code": "111111"})
    spent = stack.call("POST", "/v1/auth/confirm", body={"phone": PHONE, "code": code})
    assert_error(spent, 422, "code_expired")

    stack.call("POST", "/v1/auth/resend", body={"phone": PHONE})
    code = last_code(PHONE)
    ok = stack.call("POST", "/v1/auth/confirm", body={"phone": PHONE, "code": code})
    assert ok.status_code == 200
    reused = stack.call("POST", "/v1/auth/confirm", body={"phone": PHONE, "code": code})
    assert_error(reused, 422, "code_expired")


def test_five_wrong_passwords_lock_sign_in_for_fifteen_minutes(stack):
    for _ in range(5):
        assert_error(sign_in(stack, "tiepnhan", "sai-mat-khau"), 401, "bad_credentials")
    locked = sign_in(stack, "tiepnhan", "Demo@2026")
    assert_error(locked, 429, "too_many_requests")
    assert 0 < int(locked.headers["Retry-After"]) <= 900
    assert sign_in(stack, "lanhdao.sxd", "Demo@2026").status_code == 200
    clock.advance(timedelta(minutes=16))
    assert sign_in(stack, "tiepnhan", "Demo@2026").status_code == 200


def test_thirty_attempts_per_address_then_429(stack):
    for i in range(30):
        sign_in(stack, f"khong-co-{i}", "x")
    assert_error(sign_in(stack, "tiepnhan", "Demo@2026"), 429, "too_many_requests")


def test_five_sms_per_phone_an_hour(stack):
    stack.call("POST", "/v1/auth/sign-up", body=SIGN_UP)  # the first
    for _ in range(4):
        answer = stack.call("POST", "/v1/auth/resend", body={"phone": PHONE})
        assert answer.status_code == 200
    sent = len([p for p, _ in sms_messages() if p == PHONE])
    sixth = stack.call("POST", "/v1/auth/resend", body={"phone": PHONE})
    assert_error(sixth, 429, "too_many_requests")
    assert len([p for p, _ in sms_messages() if p == PHONE]) == sent == 5


def test_profile_phone_change_and_password_change(stack):
    headers = citizen(stack)
    updated = stack.client.http.put(
        "/v1/me",
        headers=headers,
        body=('{"email": "hoa@example.vn", "address": "12 Lê Lợi, Kon Tum"}'),
    )
    assert updated.status_code == 200 and updated.json_body["email"] == "hoa@example.vn"
    bad = stack.client.http.put("/v1/me", headers=headers, body='{"email": "x"}')
    assert_error(bad, 422, "invalid_input", "email")

    taken = stack.client.http.post(
        "/v1/me/phone", headers=headers, body='{"phone": "+84901234567"}'
    )
    assert_error(taken, 409, "phone_taken")
    asked = stack.client.http.post(
        "/v1/me/phone", headers=headers, body='{"phone": "0987000111"}'
    )
    assert asked.status_code == 202
    code = last_code("+84987000111")
    done = stack.client.http.post(
        "/v1/me/phone/confirm", headers=headers, body=f'{{"code": "{code}"}}'
    )
    assert done.status_code == 200 and done.json_body["phone"] == "+84987000111"
    assert sign_in(stack, "0987000111").status_code == 200
    assert sign_in(stack, "0912345678").status_code == 401

    changed = stack.client.http.post(
        "/v1/me/password",
        headers=headers,
        body=(f'{{"current_password": "{PASSWORD}", "new_password": "Moi@20262027"}}'),
    )
    assert changed.status_code == 200, changed.json_body
    old = stack.client.http.get("/v1/me", headers=headers)
    assert_error(old, 401, "session_revoked")
    assert stack.client.http.get("/v1/me", headers=bearer(changed)).status_code == 200


def test_forgotten_password_is_reset_by_sms_code(stack):
    headers = citizen(stack)
    unknown = stack.call(
        "POST", "/v1/auth/forgot-password", body={"phone": "0977000000"}
    )
    known = stack.call("POST", "/v1/auth/forgot-password", body={"phone": PHONE})
    assert unknown.status_code == known.status_code == 202
    assert unknown.json_body == known.json_body
    reset = stack.call(
        "POST",
        "/v1/auth/reset-password",
        body={"phone": PHONE, "code": last_code(PHONE), "new_password": "Lai@20262027"},
    )
    assert reset.status_code == 200, reset.json_body
    assert sign_in(stack, PHONE, "Lai@20262027").status_code == 200
    assert_error(
        stack.client.http.get("/v1/me", headers=headers), 401, "session_revoked"
    )


def test_export_and_deletion_keep_reports_without_the_person(stack):
    headers = citizen(stack)
    filed = stack.client.http.post(
        "/v1/reports", headers=headers, body=__import__("json").dumps(REPORT)
    )
    assert filed.status_code == 201, filed.json_body
    report_id = filed.json_body["id"]
    data = stack.client.http.get("/v1/me/data", headers=headers)
    assert "attachment" in data.headers["Content-Disposition"]
    exported = __import__("json").loads(data.body)
    assert exported["phone"] == PHONE
    assert [r["id"] for r in exported["reports"]] == [report_id]

    # While the account lives, staff reach its owner through the profile; the owner's
    # own view carries no contact block.
    desk = stack.call("GET", f"/v1/reports/{report_id}", "tiepnhan").json_body
    assert desk["contact"] == {
        "source": "account",
        "name": "Lê Thị Hoa",
        "phone": PHONE,
        "email": None,
    }
    own = stack.client.http.get(f"/v1/reports/{report_id}", headers=headers)
    assert "contact" not in own.json_body

    wrong = stack.client.http.post(
        "/v1/me/delete", headers=headers, body='{"password": "sai"}'
    )
    assert_error(wrong, 422, "wrong_password", "password")
    deleted = stack.client.http.post(
        "/v1/me/delete", headers=headers, body=f'{{"password": "{PASSWORD}"}}'
    )
    assert deleted.status_code == 200
    assert_error(sign_in(stack, PHONE), 401, "bad_credentials")
    assert_error(
        stack.client.http.get("/v1/me", headers=headers), 401, "session_revoked"
    )
    kept = stack.call("GET", f"/v1/reports/{report_id}", "tiepnhan").json_body
    assert kept["title"] == REPORT["title"]
    assert "Lê Thị Hoa" not in str(kept) and PHONE not in str(kept)
    assert kept["contact"] is None
    again = stack.call("POST", "/v1/auth/sign-up", body=SIGN_UP)
    assert again.status_code == 201  # the number is free again


def test_a_new_privacy_notice_asks_again(stack, monkeypatch):
    from chalicelib import settings

    province = dict(settings.province(), privacy_notice_version="2027-01")
    monkeypatch.setattr(settings, "province", lambda: province)
    answer = sign_in(stack, CITIZEN, "Demo@2026")
    assert answer.json_body["user"]["consent_required"] is True
    headers = bearer(answer)
    refused = stack.client.http.post(
        "/v1/reports", headers=headers, body=__import__("json").dumps(REPORT)
    )
    assert_error(refused, 403, "consent_required")
    accepted = stack.client.http.post(
        "/v1/me/consent", headers=headers, body='{"consent_version": "2027-01"}'
    )
    assert accepted.status_code == 200
    assert accepted.json_body["consent"]["required"] is False
    filed = stack.client.http.post(
        "/v1/reports", headers=headers, body=__import__("json").dumps(REPORT)
    )
    assert filed.status_code == 201


def test_administrator_creates_disables_and_resets_staff(stack):
    body = {
        "username": "canbo.moi",
        "name": "Cán Bộ Mới",
        "agency_id": "so-xay-dung",
        "groups": ["officer"],
    }
    refused = stack.call("POST", "/v1/admin/staff", "lanhdao.sxd", body)
    assert_error(refused, 403, "forbidden")
    created = stack.call("POST", "/v1/admin/staff", "quantri", body)
    assert created.status_code == 201, created.json_body
    temporary = created.json_body["temporary_password"]
    assert_error(
        stack.call("POST", "/v1/admin/staff", "quantri", body), 409, "account_exists"
    )

    first = sign_in(stack, "canbo.moi", temporary)
    assert first.json_body["challenge"] == "NEW_PASSWORD_REQUIRED"
    chosen = stack.call(
        "POST",
        "/v1/auth/new-password",
        body={
            "username": "canbo.moi",
            "session": first.json_body["session"],
            "new_password": "Canbo@2026",
        },
    )
    assert chosen.status_code == 200, chosen.json_body
    headers = bearer(chosen)
    assert stack.client.http.get("/v1/staff/tasks", headers=headers).status_code == 200
    listed = stack.call("GET", "/v1/admin/staff?agency_id=so-xay-dung", "quantri")
    assert "canbo.moi" in [s["username"] for s in listed.json_body["items"]]

    sub = created.json_body["sub"]
    off = stack.call("POST", f"/v1/admin/staff/{sub}/disable", "quantri")
    assert off.status_code == 200 and off.json_body["status"] == "disabled"
    assert_error(
        stack.client.http.get("/v1/staff/tasks", headers=headers),
        401,
        "session_revoked",
    )
    assert sign_in(stack, "canbo.moi", "Canbo@2026").status_code == 401
    stack.call("POST", f"/v1/admin/staff/{sub}/enable", "quantri")
    reset = stack.call("POST", f"/v1/admin/staff/{sub}/reset-password", "quantri")
    again = sign_in(stack, "canbo.moi", reset.json_body["temporary_password"])
    assert again.json_body["challenge"] == "NEW_PASSWORD_REQUIRED"


def test_administrator_manages_areas_categories_and_agencies(stack):
    put = stack.call(
        "PUT",
        "/v1/admin/categories/an-toan-thuc-pham",
        "quantri",
        {"name": "An toàn thực phẩm", "name_en": "Food safety"},
    )
    assert put.status_code == 200
    area = {
        "name": "Phường Mới",
        "name_en": "New ward",
        "parent_id": "kt",
        "valid_from": "2026-01-01",
    }
    assert (
        stack.call("PUT", "/v1/admin/areas/p-moi", "quantri", area).status_code == 200
    )
    cycle = stack.call(
        "PUT",
        "/v1/admin/areas/kt",
        "quantri",
        {**area, "parent_id": "p-moi", "valid_from": "1991-08-12"},
    )
    assert_error(cycle, 422, "invalid_input", "parent_id")
    dates = stack.call(
        "PUT", "/v1/admin/areas/p-moi", "quantri", {**area, "valid_to": "2025-01-01"}
    )
    assert_error(dates, 422, "invalid_input", "valid_to")
    agency = {
        "name": "Sở Y tế",
        "name_en": "Department of Health",
        "area_ids": ["p-moi"],
        "category_ids": ["an-toan-thuc-pham"],
    }
    missing = stack.call("PUT", "/v1/admin/agencies/so-y-te", "quantri", agency)
    assert_error(missing, 422, "invalid_input", "workflow_from")
    made = stack.call(
        "PUT",
        "/v1/admin/agencies/so-y-te",
        "quantri",
        {**agency, "workflow_from": "so-xay-dung"},
    )
    assert made.status_code == 200, made.json_body
    from chalicelib.services import reference

    reference.clear_cache()
    agencies = stack.call("GET", "/v1/agencies").json_body["items"]
    assert {
        "id": "so-y-te",
        "name": "Sở Y tế",
        "name_en": "Department of Health",
        "area_ids": ["p-moi"],
        "category_ids": ["an-toan-thuc-pham"],
    } in agencies
    workflow = stack.call("GET", "/v1/agencies/so-y-te/workflow", "quantri")
    assert workflow.status_code == 200 and workflow.json_body["version"] == 1


def test_twenty_sms_per_client_address_an_hour(stack):
    phones = [f"091200{n:04d}" for n in range(5)]
    for phone in phones:
        answer = stack.call(
            "POST", "/v1/auth/sign-up", body={**SIGN_UP, "phone": phone}
        )
        assert answer.status_code == 201, answer.json_body
    for phone in phones:
        for _ in range(3):
            assert (
                stack.call("POST", "/v1/auth/resend", body={"phone": phone}).status_code
                == 200
            )
    # 20 sent from this address, no phone past its own 5: the next one is refused
    extra = stack.call(
        "POST", "/v1/auth/sign-up", body={**SIGN_UP, "phone": "0912009999"}
    )
    assert_error(extra, 429, "too_many_requests")
    clock.advance(timedelta(hours=1))
    again = stack.call("POST", "/v1/auth/resend", body={"phone": phones[0]})
    assert again.status_code == 200


def test_signing_in_again_right_after_signing_out_works(stack):
    headers = citizen(stack)
    out = stack.client.http.post("/v1/auth/sign-out", headers=headers, body="{}")
    assert out.status_code == 204
    # within the same second: the old token is refused, the new one is not
    again = sign_in(stack, PHONE)
    assert again.status_code == 200
    assert stack.client.http.get("/v1/me", headers=bearer(again)).status_code == 200
    assert_error(
        stack.client.http.get("/v1/me", headers=headers), 401, "session_revoked"
    )


def test_a_typo_in_the_current_password_is_a_422_on_that_field(stack):
    headers = citizen(stack)
    answer = stack.client.http.post(
        "/v1/me/password",
        headers=headers,
        body=('{"current_password": "sai", "new_password": "Moi@20262027"}'),
    )
    assert_error(answer, 422, "wrong_password", "current_password")
    weak = stack.client.http.post(
        "/v1/me/password",
        headers=headers,
        body=(f'{{"current_password": "{PASSWORD}", "new_password": "abc"}}'),
    )
    assert_error(weak, 422, "weak_password", "new_password")
    assert stack.client.http.get("/v1/me", headers=headers).status_code == 200
