"""Sign-up with an SMS code, sign-in, refresh, sign-out, and password reset."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.adapters import identity
from chalicelib.api.http import client_address, forget_account_state, json_body, route
from chalicelib.services import accounts, devices

bp = Blueprint(__name__)

_STRING = {"type": "string"}


@route(
    bp,
    "/auth/sign-up",
    "POST",
    "Create a citizen account; a code is sent by SMS to the phone.",
    request={
        "phone": _STRING,
        "name": _STRING,
        "password": _STRING,
        "consent_version": _STRING,
    },
    status=201,
    errors=(409, 422, 429),
)
def sign_up():
    request = bp.current_request
    return accounts.sign_up(json_body(request), client_address(request))


@route(
    bp,
    "/auth/resend",
    "POST",
    "Send the sign-up code again.",
    request={"phone": _STRING},
    errors=(422, 429),
)
def resend():
    request = bp.current_request
    return accounts.resend(json_body(request), client_address(request))


@route(
    bp,
    "/auth/confirm",
    "POST",
    "Confirm a new account with the SMS code.",
    request={"phone": _STRING, "code": _STRING},
    errors=(422,),
)
def confirm():
    return accounts.confirm(json_body(bp.current_request))


@route(
    bp,
    "/auth/sign-in",
    "POST",
    "Sign in with a phone (citizen) or a username (staff). A staff member's first "
    "sign-in answers `challenge: NEW_PASSWORD_REQUIRED` with a session.",
    request={"username": _STRING, "password": _STRING},
    errors=(401, 422, 429),
)
def sign_in():
    request = bp.current_request
    answer = accounts.sign_in(json_body(request), client_address(request))
    if "user" in answer:  # a session opened right after a sign-out is known here
        forget_account_state(answer["user"]["sub"])
    return answer


@route(
    bp,
    "/auth/new-password",
    "POST",
    "Choose a password in place of the temporary one; answers with tokens.",
    request={"username": _STRING, "session": _STRING, "new_password": _STRING},
    errors=(401, 422),
)
def new_password():
    return accounts.new_password(json_body(bp.current_request))


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
    body = body if isinstance(body, dict) else {}
    return identity.refresh(
        accounts.required_text(
            body, "refresh_token", "refresh_token", "refresh_token", 4096
        )
    )


@route(
    bp,
    "/auth/sign-out",
    "POST",
    "Sign out everywhere: every token issued so far stops working and no device "
    "gets this account's pushes any more.",
    auth="signed_in",
    status=204,
)
def sign_out(caller):
    accounts.revoke_sessions(accounts.get_user(caller.sub))
    devices.remove_all(caller.sub)
    forget_account_state(caller.sub)
    return Response(body="", status_code=204)


@route(
    bp,
    "/auth/forgot-password",
    "POST",
    "Send a password reset code by SMS (the answer is the same for unknown numbers).",
    request={"phone": _STRING},
    status=202,
    errors=(422, 429),
)
def forgot_password():
    request = bp.current_request
    return accounts.forgot_password(json_body(request), client_address(request))


@route(
    bp,
    "/auth/reset-password",
    "POST",
    "Set a new password with the SMS code; every session ends.",
    request={"phone": _STRING, "code": _STRING, "new_password": _STRING},
    errors=(422,),
)
def reset_password():
    return accounts.reset_password(json_body(bp.current_request))
