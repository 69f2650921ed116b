"""Sending SMS and push through one interface; SNS is the default sender.

Push goes to SNS platform endpoints, one per device, created in the platform
application of its kind: FCM for Android and the installable website, APNs for iOS.
"""

from __future__ import annotations

import os
from contextlib import suppress
from typing import Protocol

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import client
from chalicelib.errors import DependencyError


class EndpointGone(Exception):
    """SNS says the endpoint is disabled or gone: the app was removed or the token
    expired. The device is forgotten."""


class Sender(Protocol):
    def send_sms(self, phone: str, text: str, sender_id: str) -> str: ...

    def send_push(self, endpoint_arn: str, message: str, attributes: dict) -> str: ...


class SnsSender:
    def send_sms(self, phone: str, text: str, sender_id: str) -> str:
        try:
            answer = client("sns").publish(
                PhoneNumber=phone,
                Message=text,
                MessageAttributes={
                    "AWS.SNS.SMS.SenderID": {
                        "DataType": "String",
                        "StringValue": sender_id,
                    },
                    "AWS.SNS.SMS.SMSType": {
                        "DataType": "String",
                        "StringValue": "Transactional",
                    },
                },
            )
        except ClientError as error:
            raise DependencyError(code="sms_failed") from error
        return answer["MessageId"]

    def send_push(self, endpoint_arn: str, message: str, attributes: dict) -> str:
        try:
            answer = client("sns").publish(
                TargetArn=endpoint_arn,
                Message=message,
                MessageStructure="json",
                MessageAttributes=attributes,
            )
        except ClientError as error:
            if _gone(error):
                raise EndpointGone(endpoint_arn) from error
            raise DependencyError(code="push_failed") from error
        return answer["MessageId"]


def sender() -> Sender:
    # TODO: a Vietnamese brandname SMS gateway plugs in here; only SNS exists today.
    return SnsSender()


def _gone(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in (
        "EndpointDisabled",
        "NotFound",
        "InvalidParameter",  # SNS's answer for a deleted endpoint ARN
    )


def application_arn(platform: str) -> str:
    """The platform application a device of this kind joins (set per stack)."""
    name = "PAKN_PUSH_APNS_ARN" if platform == "ios" else "PAKN_PUSH_FCM_ARN"
    arn = os.environ.get(name, "")
    if not arn:
        raise DependencyError(
            code="push_unavailable",
            message="Hệ thống chưa cấu hình thông báo đẩy.",
            message_en="Push notifications are not configured on this system.",
        )
    return arn


def ensure_endpoint(platform: str, token: str, endpoint_arn: str | None) -> str:
    """An enabled endpoint for this token: the known one refreshed, or a new one.

    SNS's own advice: create (which returns the existing endpoint for the same token),
    then read it back and re-enable it or set the new token if it went stale.
    """
    sns = client("sns")
    try:
        if endpoint_arn is None:
            endpoint_arn = sns.create_platform_endpoint(
                PlatformApplicationArn=application_arn(platform), Token=token
            )["EndpointArn"]
        attributes = sns.get_endpoint_attributes(EndpointArn=endpoint_arn)["Attributes"]
        if attributes.get("Token") != token or attributes.get("Enabled") in (
            "false",
            False,
        ):
            sns.set_endpoint_attributes(
                EndpointArn=endpoint_arn,
                Attributes={"Token": token, "Enabled": "true"},
            )
        return endpoint_arn
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code")
        if code == "NotFound" and endpoint_arn:
            return ensure_endpoint(platform, token, None)  # deleted behind our back
        if code == "InvalidParameter" and "already exists" in str(error):
            # The token has an endpoint with other attributes: take that one over.
            arn = _arn_in(str(error))
            if arn:
                sns.set_endpoint_attributes(
                    EndpointArn=arn, Attributes={"Token": token, "Enabled": "true"}
                )
                return arn
        raise DependencyError(code="push_failed") from error


def delete_endpoint(endpoint_arn: str) -> None:
    # Already gone, or SNS unreachable: nothing more to do here.
    with suppress(ClientError):
        client("sns").delete_endpoint(EndpointArn=endpoint_arn)


def _arn_in(message: str) -> str | None:
    for word in message.replace(",", " ").split():
        if word.startswith("arn:aws:sns:") and "/endpoint/" not in word[:12]:
            return word
    return None
