"""Push notifications: the texts a citizen reads and the payload each platform wants.

One SNS message carries a body per platform (``MessageStructure=json``): FCM HTTP v1
(``GCM`` key) for Android and for the installable website, APNs for iOS. Emergency
alerts ring even when the app is closed: FCM ``android.priority`` high with a sound on
an alert channel, web push ``Urgency: high``, APNs ``aps.sound`` with an
``interruption-level`` (``critical`` for the gravest ones).
"""

from __future__ import annotations

import json

PLATFORMS = ("android", "ios", "web")

# A report event -> (Vietnamese, English) title and text; ``{code}`` and ``{agency}``
# are filled in. These go to the citizen, so they keep their diacritics.
REPORT_EVENTS = {
    "received": (
        ("Đã tiếp nhận phản ánh {code}", "Phản ánh của bạn đã được tiếp nhận."),
        ("Report {code} received", "Your report has been received."),
    ),
    "routed": (
        ("Phản ánh {code} đã được chuyển", "Đơn vị xử lý: {agency}."),
        ("Report {code} routed", "Handled by: {agency}."),
    ),
    "waiting_citizen": (
        ("Phản ánh {code} cần bổ sung", "Cơ quan xử lý cần bạn bổ sung thông tin."),
        ("Report {code} needs more", "The agency needs more information from you."),
    ),
    "published": (
        ("Phản ánh {code} đã có kết quả", "Kết quả xử lý đã được công khai."),
        ("Report {code} has a result", "The result has been published."),
    ),
    "reopened": (
        ("Phản ánh {code} được xử lý lại", "Yêu cầu xử lý lại đã được ghi nhận."),
        ("Report {code} reopened", "Your request to reopen it was recorded."),
    ),
    "rejected": (
        ("Phản ánh {code} không được tiếp nhận", "Xem lý do trong phản ánh."),
        ("Report {code} was rejected", "See the reason in the report."),
    ),
    "merged": (
        ("Phản ánh {code} đã được gộp", "Theo dõi kết quả ở phản ánh trước."),
        ("Report {code} merged", "Follow the earlier report for the result."),
    ),
}

STAFF_EVENTS = {
    "task": (
        ("Việc mới: {code}", "Bước {step} đang chờ bạn xử lý."),
        ("New task: {code}", "Step {step} is waiting for you."),
    ),
    "overdue": (
        ("Quá hạn: {code}", "Bước {step} đã quá hạn xử lý."),
        ("Overdue: {code}", "Step {step} is past its deadline."),
    ),
}

# CAP severities (as in the national disaster warning system) -> labels.
SEVERITIES = {
    "extreme": ("Đặc biệt nguy hiểm", "Extreme"),
    "severe": ("Nguy hiểm", "Severe"),
    "moderate": ("Cần chú ý", "Moderate"),
    "minor": ("Thông tin", "Minor"),
}

ALERT_CHANNEL = "pakn_emergency"  # the Android channel the app creates, with sound
ALERT_SOUND = "emergency.caf"


def text(catalogue: dict, event: str, lang: str, **values: str) -> tuple[str, str]:
    vi, en = catalogue[event]
    title, body = en if lang == "en" else vi
    return title.format(**values), body.format(**values)


def sns_message(
    platform: str,
    title: str,
    body: str,
    data: dict[str, str],
    *,
    severity: str | None = None,
    ttl_seconds: int = 86400,
) -> str:
    """The ``Message`` for ``Publish(TargetArn=endpoint, MessageStructure="json")``.

    ``severity`` set makes it an emergency alert: high priority, sound, shown on a
    locked screen.
    """
    data = {k: str(v) for k, v in data.items()}
    if platform == "ios":
        aps: dict = {"alert": {"title": title, "body": body}, "sound": "default"}
        if severity:
            critical = severity == "extreme"
            aps["sound"] = (
                {"critical": 1, "name": ALERT_SOUND, "volume": 1.0}
                if critical
                else ALERT_SOUND
            )
            aps["interruption-level"] = "critical" if critical else "time-sensitive"
        apns = json.dumps({"aps": aps, **data}, ensure_ascii=False)
        return json.dumps(
            {"default": body, "APNS": apns, "APNS_SANDBOX": apns}, ensure_ascii=False
        )
    message: dict = {"notification": {"title": title, "body": body}, "data": data}
    if platform == "web":
        message["webpush"] = {
            "headers": {
                "Urgency": "high" if severity else "normal",
                "TTL": str(ttl_seconds),
            },
            "notification": {"requireInteraction": bool(severity)},
        }
    else:
        notification = {"sound": "default"}
        if severity:
            notification = {
                "sound": ALERT_SOUND.removesuffix(".caf"),
                "channel_id": ALERT_CHANNEL,
                "notification_priority": "PRIORITY_MAX",
                "visibility": "PUBLIC",
            }
        message["android"] = {
            "priority": "high" if severity else "normal",
            "ttl": f"{ttl_seconds}s",
            "notification": notification,
        }
    fcm = json.dumps({"fcmV1Message": {"message": message}}, ensure_ascii=False)
    return json.dumps({"default": body, "GCM": fcm}, ensure_ascii=False)


def attributes(platform: str, urgent: bool) -> dict:
    """SNS message attributes: APNs wants its priority and push type named."""
    if platform != "ios":
        return {}
    return {
        "AWS.SNS.MOBILE.APNS.PRIORITY": {
            "DataType": "String",
            "StringValue": "10" if urgent else "5",
        },
        "AWS.SNS.MOBILE.APNS.PUSH_TYPE": {"DataType": "String", "StringValue": "alert"},
    }
