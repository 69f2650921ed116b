"""Devices that receive pushes, and each person's notification preferences."""

from __future__ import annotations

import hashlib
from contextlib import suppress

from pynamodb.exceptions import DeleteError, DoesNotExist

from chalicelib.adapters import notify
from chalicelib.adapters.identity import Caller
from chalicelib.adapters.tables import DeviceModel, UserModel
from chalicelib.domain import clock, push
from chalicelib.errors import NotFoundError, ValidationError, field_error
from chalicelib.services import reference

# Emergency alerts read devices by "<area>#<shard>": a province-wide alert reads every
# shard of every area at once instead of one long partition (DESIGN.md section 8).
SHARDS = 8
NO_AREA = "none"

DEFAULTS = {
    "push": True,  # report updates by push to my devices
    "sms": False,  # report updates by SMS as well (always, when no device gets push)
    "alerts_sms": False,  # emergency alerts by SMS too
    "alert_area": None,  # the commune or ward I follow for alerts
    "lang": "vi",
}


def alert_key(area_id: str | None, member: str) -> str:
    shard = int(hashlib.sha256(member.encode()).hexdigest()[:8], 16) % SHARDS
    return f"{area_id or NO_AREA}#{shard}"


def preferences(user: UserModel | None) -> dict:
    return {**DEFAULTS, **((user.notify or {}) if user else {})}


def _user(sub: str) -> UserModel:
    try:
        return UserModel.get(sub)
    except DoesNotExist as error:
        raise NotFoundError(code="account_not_found") from error


def get_preferences(caller: Caller) -> dict:
    return preferences(_user(caller.sub))


def set_preferences(caller: Caller, body: object) -> dict:
    body = body if isinstance(body, dict) else {}
    user = _user(caller.sub)
    wanted = preferences(user)
    errors: dict = {}
    for name in ("push", "sms", "alerts_sms"):
        if name in body:
            if isinstance(body[name], bool):
                wanted[name] = body[name]
            else:
                errors.update(
                    field_error(
                        name, "Phải là có hoặc không.", f"{name} must be a boolean."
                    )
                )
    if "alert_area" in body:
        area = body["alert_area"]
        if area is None or area in reference.by_id("area"):
            wanted["alert_area"] = area
        else:
            errors.update(
                field_error("alert_area", "Địa bàn không tồn tại.", "No such area.")
            )
    if "lang" in body:
        if body["lang"] in ("vi", "en"):
            wanted["lang"] = body["lang"]
        else:
            errors.update(
                field_error("lang", "Ngôn ngữ: vi hoặc en.", "lang: vi or en.")
            )
    if errors:
        raise ValidationError(fields=errors)
    sms_key = (
        alert_key(wanted["alert_area"], user.sub)
        if wanted["alerts_sms"] and user.phone
        else None
    )
    actions = [UserModel.notify.set(wanted)]
    actions.append(
        UserModel.alert_sms_key.set(sms_key)
        if sms_key
        else UserModel.alert_sms_key.remove()
    )
    user.update(actions=actions)
    for device in DeviceModel.owner_index.query(user.sub):
        device.update(
            actions=[
                DeviceModel.alert_key.set(alert_key(wanted["alert_area"], device.id)),
                DeviceModel.lang.set(wanted["lang"]),
            ]
        )
    return wanted


def shape(device: DeviceModel) -> dict:
    return {
        "id": device.id,
        "platform": device.platform,
        "created_at": device.created_at,
        "updated_at": device.updated_at,
    }


def register(caller: Caller, body: object) -> dict:
    """Register (or refresh) this device's push token for the caller."""
    body = body if isinstance(body, dict) else {}
    platform, token = body.get("platform"), body.get("token")
    errors: dict = {}
    if platform not in push.PLATFORMS:
        errors.update(
            field_error(
                "platform",
                "Nền tảng phải là android, ios hoặc web.",
                "platform must be android, ios or web.",
            )
        )
    if (
        not isinstance(token, str)
        or not 16 <= len(token) <= 4096
        or token.strip() != token
    ):
        errors.update(
            field_error(
                "token", "Mã thiết bị không hợp lệ.", "token must be a push token."
            )
        )
    if errors:
        raise ValidationError(fields=errors)
    user = _user(caller.sub)
    prefs = preferences(user)
    device_id = hashlib.sha256(f"{platform}:{token}".encode()).hexdigest()[:32]
    now = clock.iso(clock.now())
    try:
        known = DeviceModel.get(device_id)
    except DoesNotExist:
        known = None
    # The token names one installed app: if someone else signed in on it before,
    # it is now this person's device.
    arn = notify.ensure_endpoint(platform, token, known.endpoint_arn if known else None)
    device = DeviceModel(
        device_id,
        sub=caller.sub,
        platform=platform,
        endpoint_arn=arn,
        alert_key=alert_key(prefs["alert_area"], device_id),
        lang=prefs["lang"],
        created_at=known.created_at if known and known.sub == caller.sub else now,
        updated_at=now,
    )
    device.save()
    return shape(device)


def of(sub: str) -> list[DeviceModel]:
    return list(DeviceModel.owner_index.query(sub))


def listing(caller: Caller) -> dict:
    return {"items": [shape(d) for d in of(caller.sub)], "next_cursor": None}


def remove(caller: Caller, device_id: str) -> None:
    try:
        device = DeviceModel.get(device_id)
    except DoesNotExist:
        device = None
    if device is None or device.sub != caller.sub:
        raise NotFoundError(
            code="device_not_found",
            message="Không tìm thấy thiết bị.",
            message_en="No such device.",
        )
    forget(device)


def remove_all(sub: str) -> int:
    """Sign-out everywhere and account deletion: no device keeps this person's news."""
    found = of(sub)
    for device in found:
        forget(device)
    return len(found)


def forget(device: DeviceModel) -> None:
    notify.delete_endpoint(device.endpoint_arn)
    device.delete(condition=DeviceModel.endpoint_arn == device.endpoint_arn)


def forget_endpoint(device_id: str | None, endpoint_arn: str | None) -> None:
    """SNS reported the endpoint disabled or gone: drop it (unless re-registered)."""
    if not device_id:
        return
    try:
        device = DeviceModel.get(device_id)
    except DoesNotExist:
        return
    if device.endpoint_arn == endpoint_arn:
        with suppress(DeleteError):  # re-registered meanwhile: the new one stays
            forget(device)
