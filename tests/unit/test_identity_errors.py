"""Cognito's refusals become the app's errors (Cognito stubbed: no I/O).

moto's Cognito accepts any code and never refuses a weak password the way Cognito
does, so these answers are checked against botocore's stubbed errors instead.
"""

import pytest
from botocore.stub import Stubber

from chalicelib.adapters import identity
from chalicelib.adapters.aws import client
from chalicelib.errors import (
    ConflictError,
    DependencyError,
    UnauthorizedError,
    ValidationError,
)


@pytest.fixture
def cognito(monkeypatch):
    monkeypatch.setenv("PAKN_USER_POOL_ID", "ap-southeast-1_test")
    monkeypatch.setenv("PAKN_USER_POOL_CLIENT_ID", "client")
    with Stubber(client("cognito-idp")) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    "code, error, app_code",
    [
        ("NotAuthorizedException", UnauthorizedError, "bad_credentials"),
        ("UserNotFoundException", UnauthorizedError, "bad_credentials"),
        ("UserNotConfirmedException", UnauthorizedError, "not_confirmed"),
        ("TooManyRequestsException", DependencyError, "identity_unavailable"),
    ],
)
def test_sign_in_refusals(cognito, code, error, app_code):
    cognito.add_client_error("initiate_auth", service_error_code=code)
    with pytest.raises(error) as caught:
        identity.sign_in("tiepnhan", "x")
    assert caught.value.code == app_code


def test_weak_password_names_the_field(cognito):
    cognito.add_client_error(
        "admin_set_user_password", service_error_code="InvalidPasswordException"
    )
    with pytest.raises(ValidationError) as caught:
        identity.set_password("c-1", "abc")
    assert caught.value.code == "weak_password"
    assert "password" in caught.value.fields


def test_an_existing_username_is_a_conflict(cognito):
    cognito.add_client_error(
        "admin_create_user", service_error_code="UsernameExistsException"
    )
    with pytest.raises(ConflictError):
        identity.create_user("canbo", {"name": "A"})


@pytest.mark.parametrize("code", ["CodeMismatchException", "ExpiredCodeException"])
def test_cognito_code_errors_are_422(cognito, code):
    cognito.add_client_error("respond_to_auth_challenge", service_error_code=code)
    with pytest.raises(ValidationError):
        identity.new_password("canbo", "s" * 30, "Moi@20262027")


def test_a_challenge_comes_back_instead_of_tokens(cognito):
    cognito.add_response(
        "initiate_auth", {"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "s" * 30}
    )
    assert identity.sign_in("canbo", "Tam@2026") == {
        "challenge": "NEW_PASSWORD_REQUIRED",
        "session": "s" * 30,
    }
