"""Citizen sign-up, confirmation and sign-in through Cognito on moto."""

from chalicelib.adapters.tables import UserModel


def test_citizen_signs_up_confirms_and_signs_in(stack):
    body = {
        "phone": "0912345678",
        "name": "Lê Thị Hoa",
        "password": "Matkhau@2026",
        "consent_version": "2026-01",
    }
    created = stack.call("POST", "/v1/auth/sign-up", body=body)
    assert created.status_code == 201, created.json_body
    user = UserModel.get(created.json_body["sub"])
    assert user.phone == "+84912345678"
    assert user.consent_version == "2026-01" and user.consent_at

    again = stack.call("POST", "/v1/auth/sign-up", body=body)
    assert again.status_code == 409 and again.json_body["code"] == "account_exists"

    # moto accepts any code (the local stack's limits are in docs/limitations.md)
    confirmed = stack.call(
        "POST", "/v1/auth/confirm", body={"phone": "0912345678", "code": "123456"}
    )
    assert confirmed.status_code == 200
    signed_in = stack.call(
        "POST",
        "/v1/auth/sign-in",
        body={"username": "0912345678", "password": "Matkhau@2026"},
    )
    assert signed_in.status_code == 200, signed_in.json_body
    assert signed_in.json_body["user"]["groups"] == ["citizen"]


def test_bad_phone_and_wrong_password_are_refused(stack):
    bad = stack.call(
        "POST",
        "/v1/auth/sign-up",
        body={
            "phone": "12345",
            "name": "A",
            "password": "Matkhau@2026",
            "consent_version": "2026-01",
        },
    )
    assert bad.status_code == 422 and "phone" in bad.json_body["fields"]
    wrong = stack.call(
        "POST",
        "/v1/auth/sign-in",
        body={"username": "tiepnhan", "password": "sai-mat-khau"},
    )
    assert wrong.status_code == 401 and wrong.json_body["code"] == "bad_credentials"
