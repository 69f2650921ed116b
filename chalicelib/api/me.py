"""A citizen's own account: profile, consent, phone, password, data, deletion."""

from __future__ import annotations

import json

from chalice import Blueprint, Response

from chalicelib.api.http import client_address, forget_account_state, json_body, route
from chalicelib.services import accounts

bp = Blueprint(__name__)

_STRING = {"type": "string"}


@route(bp, "/me", "GET", "The caller's profile and consent.", auth="signed_in")
def get_profile(caller):
    return accounts.profile(caller)


@route(
    bp,
    "/me",
    "PUT",
    "Update name, email, address.",
    auth="signed_in",
    request={"name": _STRING, "email": _STRING, "address": _STRING},
    errors=(422,),
)
def put_profile(caller):
    return accounts.update_profile(caller, json_body(bp.current_request))


@route(
    bp,
    "/me/consent",
    "POST",
    "Accept the current privacy notice (`consent_version`).",
    auth="citizen",
    request={"consent_version": _STRING},
    errors=(422,),
)
def post_consent(caller):
    return accounts.consent(caller, json_body(bp.current_request))


@route(
    bp,
    "/me/phone",
    "POST",
    "Change phone: a code goes to the new number.",
    auth="citizen",
    request={"phone": _STRING},
    status=202,
    errors=(409, 422, 429),
)
def change_phone(caller):
    request = bp.current_request
    return accounts.change_phone(caller, json_body(request), client_address(request))


@route(
    bp,
    "/me/phone/confirm",
    "POST",
    "Confirm the new number with its code.",
    auth="citizen",
    request={"code": _STRING},
    errors=(409, 422),
)
def confirm_phone(caller):
    return accounts.confirm_phone(caller, json_body(bp.current_request))


@route(
    bp,
    "/me/password",
    "POST",
    "Change password; other sessions end, new tokens come back.",
    auth="signed_in",
    request={"current_password": _STRING, "new_password": _STRING},
    errors=(401, 422),
)
def change_password(caller):
    answer = accounts.change_password(caller, json_body(bp.current_request))
    forget_account_state(caller.sub)
    return answer


@route(
    bp,
    "/me/data",
    "GET",
    "Every piece of personal data held about the caller, as a download.",
    auth="citizen",
)
def export(caller):
    body = json.dumps(accounts.export(caller), ensure_ascii=False, indent=2)
    return Response(
        body=body,
        status_code=200,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Content-Disposition": 'attachment; filename="pakn-du-lieu-ca-nhan.json"',
        },
    )


@route(
    bp,
    "/me/delete",
    "POST",
    "Delete the account (password required). Reports stay public, without the person.",
    auth="citizen",
    request={"password": _STRING},
    errors=(401, 422),
)
def delete_account(caller):
    answer = accounts.delete_account(caller, json_body(bp.current_request))
    forget_account_state(caller.sub)
    return answer
