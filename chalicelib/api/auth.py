"""Sign-up, sign-in, refresh and sign-out."""

from __future__ import annotations

import re

from chalice import Blueprint, Response

from chalicelib.adapters import identity
from chalicelib.adapters.tables import UserModel
from chalicelib.api.http import forget_valid_after, json_body, route
from chalicelib.domain import clock
from chalicelib.errors import ValidationError, field_error

bp = Blueprint(__name__)

_PHONE = re.compile(r"^\+84\d{9}$")
_STRING = {"type": "string"}


def _text(body: object, name: str, vi: str, en: str, limit: int = 256) -> str:
    value = body.get(name) if isinstance(body, dict) else None
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ValidationError(
            fields=field_error(name, f"Vui lòng nhập {vi}.", f"{en} is required.")
        )
    return value.strip()


def _phone(body: object) -> str:
    phone = _text(body, "phone", "số điện thoại", "Phone")
    if phone.startswith("0"):
        phone = "+84" + phone[1:]
    if not _PHONE.match(phone):
        raise ValidationError(
            fields=field_error(
                "phone",
                "Số điện thoại không hợp lệ (ví dụ 0901234567).",
                "The phone number is invalid (e.g. +84901234567).",
            )
        )
    return phone


@route(
    bp,
    "/auth/sign-up",
    "POST",
    "Create a citizen account (an SMS code follows).",
    request={
        "phone": _STRING,
        "name": _STRING,
        "password": _STRING,
        "consent_version": _STRING,
    },
    status=201,
    errors=(409, 422),
)
def sign_up():
    body = json_body(bp.current_request)
    phone = _phone(body)
    name = _text(body, "name", "họ tên", "Name", 120)
    password = _text(body, "password", "mật khẩu", "Password")
    consent = _text(
        body, "consent_version", "phiên bản điều khoản đã đồng ý", "Consent version", 32
    )
    sub = identity.sign_up(phone, password, name, consent)
    # Law 91/2025: what the citizen agreed to, and when, is kept with the account.
    at = clock.iso(clock.now())
    UserModel(
        sub,
        username=phone,
        name=name,
        phone=phone,
        groups=["citizen"],
        consent_version=consent,
        consent_at=at,
    ).save()
    return {
        "sub": sub,
        "confirmation_required": True,
        "consent": {"version": consent, "at": at},
    }


@route(
    bp,
    "/auth/confirm",
    "POST",
    "Confirm a new account with the SMS code.",
    request={"phone": _STRING, "code": _STRING},
    errors=(401, 422),
)
def confirm():
    body = json_body(bp.current_request)
    identity.confirm(_phone(body), _text(body, "code", "mã xác nhận", "Code", 12))
    return {"confirmed": True}


@route(
    bp,
    "/auth/sign-in",
    "POST",
    "Sign in with a phone (citizen) or username.",
    request={"username": _STRING, "password": _STRING},
    errors=(401, 422),
)
def sign_in():
    body = json_body(bp.current_request)
    username = _text(body, "username", "tên đăng nhập", "Username")
    password = _text(body, "password", "mật khẩu", "Password")
    if username.startswith("0") and username.isdigit():
        username = "+84" + username[1:]
    tokens = identity.sign_in(username, password)
    caller = identity.verify(tokens["id_token"])
    groups = list(caller.groups) or ["citizen"]
    UserModel(caller.sub).update(
        actions=[
            UserModel.username.set(caller.username),
            UserModel.groups.set(groups),
            *([UserModel.name.set(caller.name)] if caller.name else []),
            *([UserModel.phone.set(caller.phone)] if caller.phone else []),
            *([UserModel.agency_id.set(caller.agency_id)] if caller.agency_id else []),
        ]
    )
    return {
        **tokens,
        "user": {
            "sub": caller.sub,
            "name": caller.name,
            "groups": groups,
            "agency_id": caller.agency_id,
        },
    }


@route(
    bp,
    "/auth/refresh",
    "POST",
    "New tokens from a refresh token.",
    request={"refresh_token": _STRING},
    errors=(401, 422),
)
def refresh():
    body = json_body(bp.current_request)
    return identity.refresh(
        _text(body, "refresh_token", "refresh_token", "refresh_token", 4096)
    )


@route(
    bp,
    "/auth/sign-out",
    "POST",
    "Sign out everywhere: every token issued so far stops working.",
    auth="signed_in",
    status=204,
)
def sign_out(caller):
    body = json_body(bp.current_request)
    access = body.get("access_token") if isinstance(body, dict) else None
    if isinstance(access, str) and access:
        identity.global_sign_out(access)
    UserModel(caller.sub).update(
        actions=[UserModel.valid_after.set(int(clock.now().timestamp()) + 1)]
    )
    forget_valid_after(caller.sub)
    return Response(body="", status_code=204)
