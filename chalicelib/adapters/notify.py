"""Sending SMS (and later push) through one interface; SNS is the default sender."""

from __future__ import annotations

from typing import Protocol

from botocore.exceptions import ClientError

from chalicelib.adapters.aws import client
from chalicelib.errors import DependencyError


class Sender(Protocol):
    def send_sms(self, phone: str, text: str, sender_id: str) -> str: ...


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


def sender() -> Sender:
    # TODO: a Vietnamese brandname SMS gateway plugs in here; only SNS exists today.
    return SnsSender()
