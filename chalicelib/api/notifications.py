"""Push devices and notification preferences of the signed-in person, and emergency
alerts: sent by authorised staff, read by everyone."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.http import cached, idempotency_key, json_body, route
from chalicelib.services import alerts, devices, paging

bp = Blueprint(__name__)

_STRING = {"type": "string"}
_BOOL = {"type": "boolean"}
ALERT_GROUPS = ("alert_issuer", "province_leader", "admin")


@route(
    bp,
    "/me/devices",
    "POST",
    "Register this device's push token (FCM for Android and the website, APNs for "
    "iOS). Registering the same token again refreshes it.",
    auth="signed_in",
    request={"platform": _STRING, "token": _STRING},
    status=201,
    errors=(422, 502, 503),
)
def register_device(caller):
    return devices.register(caller, json_body(bp.current_request))


@route(bp, "/me/devices", "GET", "The caller's registered devices.", auth="signed_in")
def list_devices(caller):
    return devices.listing(caller)


@route(
    bp,
    "/me/devices/{device_id}",
    "DELETE",
    "Forget a device (signing out on it): it gets no more pushes.",
    auth="signed_in",
    status=204,
    errors=(404,),
)
def delete_device(caller, device_id):
    devices.remove(caller, device_id)
    return Response(body="", status_code=204)


@route(
    bp,
    "/me/notifications",
    "GET",
    "How the caller is told about changes and alerts.",
    auth="signed_in",
)
def get_preferences(caller):
    return devices.get_preferences(caller)


@route(
    bp,
    "/me/notifications",
    "PUT",
    "Set `push`, `sms` (report news by SMS too), `alerts_sms`, `alert_area` (the "
    "commune or ward followed for alerts) and `lang` (vi, en).",
    auth="signed_in",
    request={
        "push": _BOOL,
        "sms": _BOOL,
        "alerts_sms": _BOOL,
        "alert_area": _STRING,
        "lang": _STRING,
    },
    errors=(422,),
)
def put_preferences(caller):
    return devices.set_preferences(caller, json_body(bp.current_request))


@route(
    bp,
    "/alerts",
    "POST",
    'Send an emergency alert to an area (`areas`: "all" or a list); accepted at '
    "once and fanned out in batches. An `Idempotency-Key` header makes a retry safe.",
    auth="staff",
    groups=ALERT_GROUPS,
    request={
        "title": _STRING,
        "body": _STRING,
        "title_en": _STRING,
        "body_en": _STRING,
        "severity": _STRING,
        "areas": {},
        "expires_at": _STRING,
    },
    status=202,
    errors=(409, 422),
)
def create_alert(caller):
    request = bp.current_request
    return alerts.create(caller, json_body(request), idempotency_key(request))


@route(
    bp,
    "/alerts",
    "GET",
    "Every alert, newest first, with how far its sending got.",
    auth="staff",
    groups=ALERT_GROUPS,
    query=("limit", "cursor"),
)
def list_alerts(caller):
    params = bp.current_request.query_params or {}
    return alerts.history(paging.limit_of(params.get("limit")), params.get("cursor"))


@route(
    bp,
    "/alerts/active",
    "GET",
    "Alerts in force now (for one area and the whole province when `area` is given). "
    "Pages poll it; no personal data.",
    query=("area",),
)
def active_alerts():
    params = bp.current_request.query_params or {}
    return cached(alerts.active(params.get("area")), seconds=10)


@route(
    bp,
    "/alerts/{alert_id}",
    "GET",
    "One alert with its counts: devices and phones sent to, sends failed.",
    auth="staff",
    groups=ALERT_GROUPS,
    errors=(404,),
)
def get_alert(caller, alert_id):
    return alerts.shape(alerts.get(alert_id), staff=True)


@route(
    bp,
    "/alerts/{alert_id}/cancel",
    "POST",
    "End an alert early: it leaves the banner; batches not yet sent are skipped.",
    auth="staff",
    groups=ALERT_GROUPS,
    errors=(404, 409),
)
def cancel_alert(caller, alert_id):
    return alerts.cancel(caller, alert_id)
