"""What every route shares: the caller's identity, JSON in, the error body out.

``route`` wraps each view once: it checks the token and the caller's groups, turns an
``AppError`` into the error body of the API contract, and records the route for the
OpenAPI document. Chalice's local server and test client skip its Cognito authorizer,
so the check lives here and behaves the same everywhere.
"""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass, field

from chalice import Blueprint, CORSConfig, Response
from pynamodb.exceptions import DoesNotExist

from chalicelib.adapters import identity
from chalicelib.adapters.identity import Caller
from chalicelib.adapters.tables import UserModel, bind
from chalicelib.errors import (
    AppError,
    BadRequestError,
    ForbiddenError,
    PayloadTooLargeError,
    UnauthorizedError,
    ValidationError,
    field_error,
)
from chalicelib.observability import logger

MAX_BODY = 64 * 1024
VALID_AFTER_SECONDS = 30.0

# Bearer tokens, never cookies: any origin may call the API (the site, the app, and
# other civic systems), so "*" exposes nothing a token does not already grant.
CORS = CORSConfig(
    allow_origin="*",
    allow_headers=["Idempotency-Key"],
    max_age=600,
    # A page on another origin reads how long to wait, and a download's file name.
    expose_headers=["Retry-After", "Content-Disposition"],
)


@dataclass
class RouteDoc:
    method: str
    path: str
    summary: str
    auth: str | None
    groups: tuple[str, ...]
    request: dict | None
    status: int
    errors: tuple[int, ...]
    query: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default_factory=tuple)


ROUTES: list[RouteDoc] = []


def route(
    bp: Blueprint,
    path: str,
    method: str,
    summary: str,
    *,
    auth: str | None = None,
    groups: tuple[str, ...] = (),
    request: dict | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    query: tuple[str, ...] = (),
):
    """Register a view. ``auth``: None (anyone), "signed_in", "citizen" or "staff"."""
    docs_errors = set(errors) | {400}
    if auth:
        docs_errors |= {401, 403}
    ROUTES.append(
        RouteDoc(
            method,
            "/v1" + path if not path.startswith("/open311") else path,
            summary,
            auth,
            groups,
            request,
            status,
            tuple(sorted(docs_errors)),
            query,
            (bp.name,) if hasattr(bp, "name") else (),
        )
    )

    def wrap(view):
        @functools.wraps(view)
        def handler(**params):
            request_ = bp.current_request
            started = time.perf_counter()
            bind()
            try:
                if auth:
                    params["caller"] = authenticate(request_, auth, groups)
                result = view(**params)
                response = (
                    result
                    if isinstance(result, Response)
                    else Response(body=result, status_code=status)
                )
            except AppError as error:
                response = error_response(error)
            except Exception:
                logger.exception(
                    "unhandled error", extra={"path": path, "method": method}
                )
                response = error_response(AppError(code="internal"))
            logger.info(
                "request",
                extra={
                    "method": method,
                    "route": path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response

        bp.route(path, methods=[method], cors=CORS)(handler)
        return handler

    return wrap


def error_response(error: AppError) -> Response:
    headers = {"Content-Type": "application/json; charset=utf-8"}
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        headers["Retry-After"] = str(int(retry_after))
    return Response(body=error.body(), status_code=error.http_status, headers=headers)


def idempotency_key(request) -> str | None:
    """The request's ``Idempotency-Key`` header, checked: 1 to 128 characters."""
    key = (request.headers or {}).get("idempotency-key")
    if key is not None and not (1 <= len(key) <= 128):
        raise ValidationError(
            code="bad_idempotency_key",
            fields=field_error(
                "Idempotency-Key",
                "Khóa Idempotency-Key dài 1 đến 128 ký tự.",
                "Idempotency-Key must be 1 to 128 characters.",
            ),
        )
    return key


def cached(body: dict, seconds: int) -> Response:
    """A public answer that browsers and CDNs may keep for ``seconds``."""
    return Response(
        body=body,
        status_code=200,
        headers={"Cache-Control": f"public, max-age={seconds}"},
    )


def client_address(request) -> str:
    """The caller's IP address as API Gateway (or chalice local) saw it."""
    identity_ = (request.context or {}).get("identity") or {}
    return identity_.get("sourceIp") or "unknown"


def json_body(request) -> object:
    raw = request.raw_body or b""
    if len(raw) > MAX_BODY:
        raise PayloadTooLargeError()
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequestError(
            code="invalid_json",
            message="Nội dung gửi lên không phải JSON hợp lệ.",
            message_en="The body is not valid JSON.",
        ) from error


def authenticate(request, auth: str, groups: tuple[str, ...] = ()) -> Caller:
    header = (request.headers or {}).get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise UnauthorizedError()
    caller = identity.verify(token.strip())
    valid_after, status, kept = _account_state(caller.sub)
    session = caller.claims.get("origin_jti") or caller.claims.get("jti")
    revoked = caller.issued_at < valid_after and session not in kept
    if status != "active" or revoked:
        raise UnauthorizedError(
            code="session_revoked",
            message="Phiên đăng nhập đã bị thu hồi hoặc tài khoản đã bị khóa.",
            message_en="This session was signed out or the account is disabled.",
        )
    if auth == "citizen" and caller.is_staff:
        raise ForbiddenError(
            code="citizens_only",
            message="Chức năng dành cho công dân.",
            message_en="Only citizens can do this.",
        )
    if auth == "staff" and not caller.is_staff:
        raise ForbiddenError(
            code="staff_only",
            message="Chức năng dành cho cán bộ.",
            message_en="Only staff can do this.",
        )
    if groups and not set(groups) & set(caller.groups):
        raise ForbiddenError()
    return caller


_account_cache: dict[str, tuple[float, tuple[int, str, tuple[str, ...]]]] = {}


def _account_state(sub: str) -> tuple[int, str, tuple[str, ...]]:
    """(valid-after time, status): tokens issued before the time are refused (sign-out
    everywhere, password change), and so are tokens of a disabled or closed account.
    Cached for half a minute: a change takes effect within a minute everywhere."""
    cached = _account_cache.get(sub)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        user = UserModel.get(sub)
        state = (
            int(user.valid_after or 0),
            user.status or "active",
            tuple(user.kept_sessions or ()),
        )
    except DoesNotExist:
        state = (0, "closed", ())  # every session makes the row: none means deleted
    _account_cache[sub] = (time.monotonic() + VALID_AFTER_SECONDS, state)
    return state


def forget_account_state(sub: str) -> None:
    _account_cache.pop(sub, None)
