"""Cognito: sign-in for citizens and staff, and the verification of its tokens.

The app checks the id token itself, in one place, the same way in production, in
``chalice local`` and in the test client: RS256 signature against the pool's JWKS
(cached), issuer, audience, expiry, ``token_use``, and the user's valid-after time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import jwt
import requests
from botocore.exceptions import ClientError

from chalicelib import settings
from chalicelib.adapters.aws import client
from chalicelib.errors import (
    ConflictError,
    DependencyError,
    UnauthorizedError,
    ValidationError,
)

JWKS_SECONDS = 3600


@dataclass(frozen=True)
class Caller:
    sub: str
    username: str
    groups: tuple[str, ...] = ()
    agency_id: str | None = None
    phone: str | None = None
    name: str | None = None
    issued_at: int = 0
    claims: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_staff(self) -> bool:
        return any(g != "citizen" for g in self.groups)


def issuer() -> str:
    return f"https://cognito-idp.{settings.region()}.amazonaws.com/{settings.user_pool_id()}"


def _jwks_url() -> str:
    base = settings.endpoint_url()
    if base:  # the embedded AWS serves the same document under its own address
        return f"{base.rstrip('/')}/{settings.user_pool_id()}/.well-known/jwks.json"
    return f"{issuer()}/.well-known/jwks.json"


_jwks: dict[str, tuple[float, jwt.PyJWKSet]] = {}


def _keys() -> jwt.PyJWKSet:
    url = _jwks_url()
    cached = _jwks.get(url)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        answer = requests.get(url, timeout=5)
        answer.raise_for_status()
        keys = jwt.PyJWKSet.from_dict(answer.json())
    except (requests.RequestException, ValueError, jwt.PyJWTError) as error:
        raise DependencyError(code="identity_unavailable") from error
    _jwks[url] = (time.monotonic() + JWKS_SECONDS, keys)
    return keys


def verify(token: str) -> Caller:
    """The caller an id token names, or UnauthorizedError."""
    bad = UnauthorizedError(
        code="invalid_token",
        message="Phiên đăng nhập không hợp lệ hoặc đã hết hạn.",
        message_en="The sign-in token is invalid or has expired.",
    )
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise bad from error
    keys = _keys()
    key = next((k for k in keys.keys if k.key_id == header.get("kid")), None)
    if key is None:
        raise bad
    try:
        claims = jwt.decode(
            token,
            key.key,
            algorithms=["RS256"],
            audience=settings.user_pool_client_id(),
            issuer=issuer(),
            options={
                "require": ["exp", "iat", "sub", "token_use"],
                "verify_iat": False,
            },
        )
    except jwt.PyJWTError as error:
        raise bad from error
    if claims.get("token_use") != "id":
        raise bad
    return Caller(
        sub=claims["sub"],
        username=claims.get("cognito:username", ""),
        groups=tuple(claims.get("cognito:groups") or ()),
        agency_id=claims.get("custom:agency_id"),
        phone=claims.get("phone_number"),
        name=claims.get("name"),
        issued_at=int(claims["iat"]),
        claims=claims,
    )


def _cognito_error(error: ClientError) -> Exception:
    code = error.response["Error"]["Code"]
    if code in ("NotAuthorizedException", "UserNotFoundException"):
        return UnauthorizedError(
            code="bad_credentials",
            message="Sai tên đăng nhập hoặc mật khẩu.",
            message_en="Wrong username or password.",
        )
    if code == "UserNotConfirmedException":
        return UnauthorizedError(
            code="not_confirmed",
            message="Tài khoản chưa được xác nhận.",
            message_en="The account is not confirmed yet.",
        )
    if code == "UsernameExistsException":
        return ConflictError(
            code="account_exists",
            message="Số điện thoại đã được đăng ký.",
            message_en="This phone number is already registered.",
        )
    if code == "InvalidPasswordException":
        return ValidationError(
            code="weak_password",
            message="Mật khẩu tối thiểu 8 ký tự, có chữ hoa, chữ thường và chữ số.",
            message_en="The password needs 8 characters with upper and lower case "
            "letters and a digit.",
            fields={
                "password": {
                    "message": "Mật khẩu chưa đủ mạnh.",
                    "message_en": "The password is too weak.",
                }
            },
        )
    if code in (
        "InvalidParameterException",
        "CodeMismatchException",
        "ExpiredCodeException",
    ):
        return ValidationError(code="invalid_credentials_input")
    return DependencyError(code="identity_unavailable")


def sign_in(username: str, password: str) -> dict:
    try:
        answer = client("cognito-idp").initiate_auth(
            ClientId=settings.user_pool_client_id(),
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
    except ClientError as error:
        raise _cognito_error(error) from error
    return _tokens(answer)


def _tokens(answer: dict) -> dict:
    result = answer.get("AuthenticationResult")
    if not result:
        # Staff signing in with a temporary password must choose their own first.
        return {
            "challenge": answer.get("ChallengeName"),
            "session": answer.get("Session"),
        }
    return {
        "id_token": result["IdToken"],
        "access_token": result["AccessToken"],
        "refresh_token": result.get("RefreshToken"),
        "expires_in": result["ExpiresIn"],
    }


def refresh(refresh_token: str) -> dict:
    try:
        answer = client("cognito-idp").initiate_auth(
            ClientId=settings.user_pool_client_id(),
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    except ClientError as error:
        raise _cognito_error(error) from error
    result = answer["AuthenticationResult"]
    return {
        "id_token": result["IdToken"],
        "access_token": result["AccessToken"],
        "refresh_token": refresh_token,
        "expires_in": result["ExpiresIn"],
    }


def global_sign_out(access_token: str) -> None:
    try:
        client("cognito-idp").global_sign_out(AccessToken=access_token)
    except ClientError as error:
        # The app's own valid-after time already ends the session; Cognito's refusal
        # (an access token already revoked) changes nothing for the user.
        if error.response["Error"]["Code"] != "NotAuthorizedException":
            raise _cognito_error(error) from error


def _idp():
    return client("cognito-idp")


def _call(operation: str, **kwargs) -> dict:
    try:
        return getattr(_idp(), operation)(UserPoolId=settings.user_pool_id(), **kwargs)
    except ClientError as error:
        raise _cognito_error(error) from error


def create_user(
    username: str, attributes: dict[str, str], *, temporary_password: str | None = None
) -> str:
    """A user made by the app (citizens after their code, staff by an administrator);
    Cognito sends nothing: the app sends its own codes. Returns the ``sub``."""
    kwargs = {"TemporaryPassword": temporary_password} if temporary_password else {}
    answer = _call(
        "admin_create_user",
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
        **kwargs,
    )
    return next(a["Value"] for a in answer["User"]["Attributes"] if a["Name"] == "sub")


def set_password(
    username: str, password: str, *, permanent: bool = True, field: str = "password"
) -> None:
    """``field`` is the request's name for the password, for a weak one's 422."""
    try:
        _call(
            "admin_set_user_password",
            Username=username,
            Password=password,
            Permanent=permanent,
        )
    except ValidationError as error:
        if error.code == "weak_password":
            error.fields = {field: error.fields.get("password", {})}
        raise


def update_attributes(username: str, attributes: dict[str, str]) -> None:
    _call(
        "admin_update_user_attributes",
        Username=username,
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )


def add_to_group(username: str, group: str) -> None:
    _call("admin_add_user_to_group", Username=username, GroupName=group)


def remove_from_group(username: str, group: str) -> None:
    _call("admin_remove_user_from_group", Username=username, GroupName=group)


def set_enabled(username: str, enabled: bool) -> None:
    _call("admin_enable_user" if enabled else "admin_disable_user", Username=username)


def delete_user(username: str) -> None:
    _call("admin_delete_user", Username=username)


def sign_out_everywhere(username: str) -> None:
    _call("admin_user_global_sign_out", Username=username)


def new_password(username: str, session: str, password: str) -> dict:
    """Answer Cognito's NEW_PASSWORD_REQUIRED challenge (a staff member's first
    sign-in, or after an administrator's reset)."""
    try:
        answer = _idp().respond_to_auth_challenge(
            ClientId=settings.user_pool_client_id(),
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=session,
            ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": password},
        )
    except ClientError as error:
        raise _cognito_error(error) from error
    return _tokens(answer)
