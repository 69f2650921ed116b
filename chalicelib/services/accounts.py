"""Accounts: citizens' sign-up, sign-in, profile, phone, password, data and deletion;
staff accounts made by administrators.

Cognito keeps passwords and issues tokens. The app keeps the rest in the users table:
the phone a citizen signs in with (resolved to their Cognito username, since a number
can change and a username cannot), the account's state, consent, and the time before
which tokens are refused.
"""

from __future__ import annotations

import hashlib
import secrets
import string
import uuid
from contextlib import suppress

from pynamodb.exceptions import DoesNotExist

from chalicelib import settings
from chalicelib.adapters import identity
from chalicelib.adapters.identity import Caller
from chalicelib.adapters.tables import ReportModel, UserModel
from chalicelib.domain import clock, phones
from chalicelib.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
    ValidationError,
    field_error,
)
from chalicelib.observability import logger
from chalicelib.services import codes, devices, limits, paging, reference
from chalicelib.services import reports as report_service

# Each staff group, with its name in Vietnamese and English.
GROUP_LABELS = {
    "reception": ("Cán bộ tiếp nhận", "Reception desk"),
    "officer": ("Chuyên viên", "Officer"),
    "agency_leader": ("Lãnh đạo đơn vị", "Agency leader"),
    "province_leader": ("Lãnh đạo tỉnh", "Province leader"),
    "admin": ("Quản trị hệ thống", "Administrator"),
    "editor": ("Biên tập tin tức", "News editor"),  # writes and publishes news
    "alert_issuer": ("Phát cảnh báo khẩn cấp", "Emergency alert issuer"),
}
STAFF_GROUPS = tuple(GROUP_LABELS)
NAME_MAX = 120
ADDRESS_MAX = 300


def notice_version() -> str:
    return settings.province()["privacy_notice_version"]


def required_text(body: dict, name: str, vi: str, en: str, limit: int = 256) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ValidationError(
            fields=field_error(name, f"Vui lòng nhập {vi}.", f"{en} is required.")
        )
    return value.strip()


def _by_phone(phone: str) -> UserModel | None:
    """The citizen account that holds a phone number. A staff member may have the
    same number on file (for SMS about their tasks); staff sign in by username, so
    their number must neither take a citizen's sign-in nor block a sign-up."""
    holders = UserModel.phone_index.query(
        phone, filter_condition=UserModel.groups.contains("citizen")
    )
    return next(iter(holders), None)


def get_user(sub: str) -> UserModel:
    try:
        return UserModel.get(sub)
    except DoesNotExist as error:
        raise NotFoundError(
            code="account_not_found",
            message="Không tìm thấy tài khoản.",
            message_en="Account not found.",
        ) from error


# Citizens ---------------------------------------------------------------------------


def sign_up(body: object, address: str) -> dict:
    body = body if isinstance(body, dict) else {}
    phone = phones.normalize_mobile(body.get("phone"))
    name = required_text(body, "name", "họ tên", "Name", NAME_MAX)
    password = required_text(body, "password", "mật khẩu", "Password")
    consent = body.get("consent_version")
    if consent != notice_version():
        raise ValidationError(
            code="consent_required",
            fields=field_error(
                "consent_version",
                "Vui lòng đồng ý với thông báo xử lý dữ liệu cá nhân "
                f"phiên bản {notice_version()}.",
                f"Please accept privacy notice version {notice_version()}.",
            ),
        )
    codes.ensure_can_send(phone, address)  # before anything is created
    existing = _by_phone(phone)
    if existing and existing.status != "pending":
        raise ConflictError(
            code="account_exists",
            message="Số điện thoại đã được đăng ký.",
            message_en="This phone number is already registered.",
        )
    if existing:  # signed up before and never confirmed: start again
        identity.delete_user(existing.username)
        existing.delete()
    username = f"c-{uuid.uuid4().hex}"
    sub = identity.create_user(username, {"phone_number": phone, "name": name})
    try:
        identity.set_password(username, password)
    except ValidationError:
        identity.delete_user(username)
        raise
    identity.set_enabled(username, False)  # until the phone is confirmed
    now = clock.iso(clock.now())
    UserModel(
        sub,
        username=username,
        name=name,
        phone=phone,
        groups=["citizen"],
        status="pending",
        consent_version=consent,
        consent_at=now,
        created_at=now,
    ).save()
    codes.send("signup", sub, phone, address)
    return {
        "sub": sub,
        "confirmation_required": True,
        "consent": {"version": consent, "at": now},
    }


def resend(body: object, address: str) -> dict:
    body = body if isinstance(body, dict) else {}
    phone = phones.normalize_mobile(body.get("phone"))
    user = _by_phone(phone)
    if user and user.status == "pending":
        codes.send("signup", user.sub, phone, address)
    return {"sent": True}  # the same answer whether or not the number is known


def confirm(body: object) -> dict:
    body = body if isinstance(body, dict) else {}
    phone = phones.normalize_mobile(body.get("phone"))
    user = _by_phone(phone)
    if user is None or user.status != "pending":
        raise ValidationError(
            code="code_expired",
            fields=field_error(
                "code",
                "Không có mã nào đang chờ cho số này.",
                "No code is waiting for this number.",
            ),
        )
    codes.verify("signup", user.sub, body.get("code"))
    identity.update_attributes(user.username, {"phone_number_verified": "true"})
    identity.set_enabled(user.username, True)
    user.update(actions=[UserModel.status.set("active")])
    return {"confirmed": True}


def sign_in(body: object, address: str) -> dict:
    body = body if isinstance(body, dict) else {}
    login = required_text(body, "username", "tên đăng nhập", "Username")
    password = required_text(body, "password", "mật khẩu", "Password")
    limits.check(limits.SIGN_IN_PER_ADDRESS, address)
    subject = login.lower()
    username = login
    user = None
    if phones.looks_like_phone(login):
        phone = phones.normalize_mobile(login, field="username")
        subject = phone
        user = _by_phone(phone)
        username = user.username if user else f"unknown-{phone}"
    left = limits.locked_for(subject)
    if left:
        raise limits.TooManyRequestsError(retry_after=left)
    if user is not None and user.status == "pending":
        raise UnauthorizedError(
            code="not_confirmed",
            message="Tài khoản chưa xác nhận số điện thoại.",
            message_en="The phone number is not confirmed yet.",
        )
    try:
        tokens = identity.sign_in(username, password)
    except UnauthorizedError:
        if (
            limits.count(limits.SIGN_IN_FAILURES, subject)
            >= limits.SIGN_IN_FAILURES.limit
        ):
            limits.lock(subject)
        raise
    if "challenge" in tokens:
        return {
            "challenge": tokens["challenge"],
            "session": tokens["session"],
            "username": username,
        }
    return _signed_in(tokens)


def new_password(body: object) -> dict:
    """A staff member's first sign-in: the temporary password is replaced."""
    body = body if isinstance(body, dict) else {}
    tokens = identity.new_password(
        required_text(body, "username", "tên đăng nhập", "Username"),
        required_text(body, "session", "phiên", "Session", 4096),
        required_text(body, "new_password", "mật khẩu mới", "New password"),
    )
    return _signed_in(tokens)


def _signed_in(tokens: dict) -> dict:
    caller = identity.verify(tokens["id_token"])
    user = UserModel.get(caller.sub) if _exists(caller.sub) else None
    if user is not None and user.status == "disabled":
        raise UnauthorizedError(
            code="account_disabled",
            message="Tài khoản đã bị khóa.",
            message_en="This account is disabled.",
        )
    groups = list(caller.groups) or ["citizen"]
    actions = [UserModel.username.set(caller.username), UserModel.groups.set(groups)]
    if caller.agency_id:
        actions.append(UserModel.agency_id.set(caller.agency_id))
    if user is None and caller.name:
        actions.append(UserModel.name.set(caller.name))
    if user is not None and caller.issued_at < int(user.valid_after or 0):
        # Signed in again within the second of a sign-out: this session is new.
        session = caller.claims.get("origin_jti") or caller.claims.get("jti")
        actions.append(
            UserModel.kept_sessions.set(
                (UserModel.kept_sessions | []).append([session])
            )
        )
    UserModel(caller.sub).update(actions=actions)
    user = UserModel.get(caller.sub)
    consent_required = "citizen" in groups and user.consent_version != notice_version()
    return {
        **tokens,
        "user": {
            "sub": caller.sub,
            "name": user.name,
            "groups": groups,
            "agency_id": caller.agency_id,
            "consent_required": consent_required,
            "privacy_notice_version": notice_version(),
        },
    }


def _exists(sub: str) -> bool:
    try:
        UserModel.get(sub)
    except DoesNotExist:
        return False
    return True


def forgot_password(body: object, address: str) -> dict:
    body = body if isinstance(body, dict) else {}
    phone = phones.normalize_mobile(body.get("phone"))
    user = _by_phone(phone)
    if user and user.status == "active":
        codes.send("reset", user.sub, phone, address)
    return {"sent": True}  # never says whether the number has an account


def reset_password(body: object) -> dict:
    body = body if isinstance(body, dict) else {}
    phone = phones.normalize_mobile(body.get("phone"))
    password = required_text(body, "new_password", "mật khẩu mới", "New password")
    user = _by_phone(phone)
    if user is None or user.status != "active":
        raise ValidationError(
            code="code_expired",
            fields=field_error(
                "code",
                "Mã xác nhận đã hết hạn, vui lòng lấy mã mới.",
                "The code has expired; ask for a new one.",
            ),
        )
    codes.verify("reset", user.sub, body.get("code"))
    identity.set_password(user.username, password, field="new_password")
    revoke_sessions(user)
    return {"reset": True}


def revoke_sessions(user: UserModel, keep_session: str | None = None) -> None:
    """Every token issued before now stops working (within the cache's half minute),
    except those of ``keep_session`` (an ``origin_jti``: the session just opened)."""
    user.update(actions=_revocation(keep_session))
    _sign_out_refresh_tokens(user)


def _revocation(keep_session: str | None = None) -> list:
    """The users-table actions that refuse every token issued before now."""
    return [
        UserModel.valid_after.set(int(clock.now().timestamp()) + 1),
        UserModel.kept_sessions.set([keep_session])
        if keep_session
        else UserModel.kept_sessions.remove(),
    ]


def _sign_out_refresh_tokens(user: UserModel) -> None:
    # A user Cognito no longer knows has no refresh token left to revoke.
    with suppress(UnauthorizedError):
        identity.sign_out_everywhere(user.username)


def profile(caller: Caller) -> dict:
    user = get_user(caller.sub)
    return {
        "sub": user.sub,
        "name": user.name,
        "phone": user.phone,
        "email": user.email,
        "address": user.address,
        "groups": list(user.groups or []),
        "agency_id": user.agency_id,
        "consent": {
            "version": user.consent_version,
            "at": user.consent_at,
            "required": "citizen" in (user.groups or [])
            and user.consent_version != notice_version(),
            "current_version": notice_version(),
        },
    }


def update_profile(caller: Caller, body: object) -> dict:
    body = body if isinstance(body, dict) else {}
    user = get_user(caller.sub)
    actions = []
    if "name" in body:
        name = required_text(body, "name", "họ tên", "Name", NAME_MAX)
        actions.append(UserModel.name.set(name))
        identity.update_attributes(user.username, {"name": name})
    if "email" in body:
        email = body["email"]
        if email is not None and (
            not isinstance(email, str) or "@" not in email or len(email) > 254
        ):
            raise ValidationError(
                fields=field_error(
                    "email", "Email không hợp lệ.", "The email is invalid."
                )
            )
        actions.append(
            UserModel.email.set(email) if email else UserModel.email.remove()
        )
    if "address" in body:
        address = body["address"]
        if address is not None and (
            not isinstance(address, str) or len(address) > ADDRESS_MAX
        ):
            raise ValidationError(
                fields=field_error(
                    "address",
                    f"Địa chỉ tối đa {ADDRESS_MAX} ký tự.",
                    f"The address is at most {ADDRESS_MAX} characters.",
                )
            )
        actions.append(
            UserModel.address.set(address) if address else UserModel.address.remove()
        )
    if actions:
        user.update(actions=actions)
    return profile(caller)


def consent(caller: Caller, body: object) -> dict:
    body = body if isinstance(body, dict) else {}
    if body.get("consent_version") != notice_version():
        raise ValidationError(
            code="consent_required",
            fields=field_error(
                "consent_version",
                f"Phiên bản hiện hành là {notice_version()}.",
                f"The current version is {notice_version()}.",
            ),
        )
    get_user(caller.sub).update(
        actions=[
            UserModel.consent_version.set(notice_version()),
            UserModel.consent_at.set(clock.iso(clock.now())),
        ]
    )
    return profile(caller)


def require_consent(caller: Caller) -> None:
    """A citizen who has not accepted the current privacy notice files nothing."""
    try:
        user = UserModel.get(caller.sub)
    except DoesNotExist:
        return
    if user.consent_version != notice_version():
        raise ForbiddenError(
            code="consent_required",
            message="Vui lòng đồng ý với thông báo xử lý dữ liệu cá nhân mới.",
            message_en="Please accept the new privacy notice first.",
        )


def change_phone(caller: Caller, body: object, address: str) -> dict:
    body = body if isinstance(body, dict) else {}
    phone = phones.normalize_mobile(body.get("phone"))
    holder = _by_phone(phone)
    if holder is not None:
        raise ConflictError(
            code="phone_taken",
            message="Số điện thoại này đã thuộc một tài khoản khác.",
            message_en="This number belongs to another account.",
        )
    codes.send("phone", caller.sub, phone, address, data={"phone": phone})
    return {"sent": True}


def confirm_phone(caller: Caller, body: object) -> dict:
    body = body if isinstance(body, dict) else {}
    data = codes.verify("phone", caller.sub, body.get("code"))
    phone = data["phone"]
    if _by_phone(phone) is not None:
        raise ConflictError(
            code="phone_taken",
            message="Số điện thoại này đã thuộc một tài khoản khác.",
            message_en="This number belongs to another account.",
        )
    user = get_user(caller.sub)
    identity.update_attributes(
        user.username, {"phone_number": phone, "phone_number_verified": "true"}
    )
    user.update(actions=[UserModel.phone.set(phone)])
    return profile(caller)


def _check_password(user: UserModel, password: str, field: str) -> None:
    """A signed-in person retyping their password: a typo is a 422 on the field,
    never a 401 that a client would take for an expired session."""
    try:
        identity.sign_in(user.username, password)
    except UnauthorizedError as error:
        raise ValidationError(
            code="wrong_password",
            fields=field_error(field, "Mật khẩu không đúng.", "The password is wrong."),
        ) from error


def change_password(caller: Caller, body: object) -> dict:
    body = body if isinstance(body, dict) else {}
    current = required_text(
        body, "current_password", "mật khẩu hiện tại", "Current password"
    )
    new = required_text(body, "new_password", "mật khẩu mới", "New password")
    user = get_user(caller.sub)
    _check_password(user, current, "current_password")
    identity.set_password(user.username, new, field="new_password")
    tokens = identity.sign_in(user.username, new)
    kept = identity.verify(tokens["id_token"]).claims.get("origin_jti")
    revoke_sessions(user, keep_session=kept)
    return _signed_in(tokens)


def export(caller: Caller) -> dict:
    """Everything the system holds about the caller, for them to download."""
    data = profile(caller)
    mine = []
    last = None
    while True:
        page = ReportModel.owner_index.query(
            caller.sub, limit=100, last_evaluated_key=last
        )
        for report in page:
            mine.append(report_service.shape(report, audience="owner"))
        last = page.last_evaluated_key
        if not last:
            break
    data["reports"] = mine
    data["exported_at"] = clock.iso(clock.now())
    return data


def delete_account(caller: Caller, body: object) -> dict:
    """Close the account. Reports stay for the public record, without the person:
    their link to the account is replaced by a pseudonym no one can sign in as."""
    body = body if isinstance(body, dict) else {}
    user = get_user(caller.sub)
    _check_password(
        user, required_text(body, "password", "mật khẩu", "Password"), "password"
    )
    pseudonym = (
        "deleted-"
        + hashlib.sha256(f"{caller.sub}:{secrets.token_hex(8)}".encode()).hexdigest()[
            :16
        ]
    )
    last = None
    while True:
        page = ReportModel.owner_index.query(
            caller.sub, limit=100, last_evaluated_key=last
        )
        for report in page:
            report.update(actions=[ReportModel.owner_sub.set(pseudonym)])
        last = page.last_evaluated_key
        if not last:
            break
    # TODO: timeline entries keep the sub of the citizen who wrote them (answers,
    # ratings); it names nobody once the account is gone. Pending uploads never
    # attached to a report are left to their two-day TTL: finding them needs an owner
    # index on uploads.
    devices.remove_all(caller.sub)
    identity.delete_user(user.username)
    user.delete()
    return {"deleted": True}


# Staff ------------------------------------------------------------------------------


def _temporary_password() -> str:
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"Pk{core}7a"


# Units that are not agencies; which groups belong to which kind of unit. The desks'
# own groups work at their desk only, the task groups of agencies in an agency only;
# news editors and alert issuers may sit anywhere.
DESKS = ("reception", "province", "admin")
DESK_GROUPS = {
    "reception": "reception",
    "province_leader": "province",
    "admin": "admin",
}
AGENCY_GROUPS = ("officer", "agency_leader")
STAFF_FIELDS = ("name", "phone", "agency_id", "groups")  # what an administrator sets


def _staff_groups(body: dict) -> list[str]:
    groups = body.get("groups")
    if (
        not isinstance(groups, list)
        or not groups
        or not all(isinstance(g, str) for g in groups)
        or not set(groups) <= set(STAFF_GROUPS)
    ):
        raise ValidationError(
            code="bad_groups",
            fields=field_error(
                "groups", "Nhóm không hợp lệ.", f"groups must be among {STAFF_GROUPS}."
            ),
        )
    return list(dict.fromkeys(groups))  # once each, in the order given


def _staff_unit(body: dict) -> str:
    agency_id = body.get("agency_id")
    if not isinstance(agency_id, str) or agency_id not in {
        *DESKS,
        *reference.by_id("agency"),
    }:
        raise ValidationError(
            code="unknown_agency",
            fields=field_error("agency_id", "Đơn vị không tồn tại.", "Unknown agency."),
        )
    return agency_id


def _staff_phone(body: dict) -> str | None:
    """Optional: None (or empty) for none."""
    raw = body.get("phone")
    if raw is None or raw == "":
        return None
    try:
        return phones.normalize_mobile(raw)
    except ValidationError as error:
        raise ValidationError(code="bad_phone", fields=error.fields) from error


def _check_groups_fit(groups: list[str], unit: str, field: str) -> None:
    agency = unit not in DESKS
    misplaced = [
        g
        for g in groups
        if (g in AGENCY_GROUPS and not agency)
        or (g in DESK_GROUPS and DESK_GROUPS[g] != unit)
    ]
    if misplaced:
        raise ValidationError(
            code="group_not_for_unit",
            fields=field_error(
                field,
                "Nhóm không phù hợp với đơn vị: chuyên viên và lãnh đạo đơn vị thuộc "
                "một cơ quan xử lý; tiếp nhận, lãnh đạo tỉnh, quản trị thuộc bộ phận "
                f"cùng tên ({', '.join(GROUP_LABELS[g][0] for g in misplaced)}).",
                "A group does not fit the unit: officers and agency leaders belong to "
                "an agency; reception, province leaders and administrators to the desk "
                f"of that name ({', '.join(GROUP_LABELS[g][1] for g in misplaced)}).",
            ),
        )


def _staff_fields(body: dict, current: UserModel | None = None) -> dict:
    """The account fields ``body`` sets, each checked: all of them for a new account
    (``current`` None), those present for a change. Raises before anything is written.
    """
    new = current is None
    values: dict = {}
    if new or "name" in body:
        values["name"] = required_text(body, "name", "họ tên", "Name", NAME_MAX)
    if new or "groups" in body:
        values["groups"] = _staff_groups(body)
    if new or "agency_id" in body:
        values["agency_id"] = _staff_unit(body)
    if new or "phone" in body:
        values["phone"] = _staff_phone(body)
    if "groups" in values or "agency_id" in values:
        _check_groups_fit(
            values.get("groups") or list(current.groups or []),
            values.get("agency_id") or current.agency_id,
            "groups" if "groups" in values else "agency_id",
        )
    return values


def create_staff(caller: Caller, body: object) -> dict:
    body = body if isinstance(body, dict) else {}
    username = required_text(body, "username", "tên đăng nhập", "Username", 64).lower()
    if not all(c.isalnum() or c in "._-" for c in username) or phones.looks_like_phone(
        username
    ):
        raise ValidationError(
            fields=field_error(
                "username",
                "Tên đăng nhập chỉ gồm chữ, số, dấu chấm, gạch.",
                "Usernames are letters, digits, dots and dashes.",
            )
        )
    values = _staff_fields(body)
    name, groups, agency_id = values["name"], values["groups"], values["agency_id"]
    if any(u.username == username for u in UserModel.agency_index.query(agency_id)):
        raise _username_taken()
    temporary = _temporary_password()
    try:
        sub = identity.create_user(
            username,
            {"name": name, "custom:agency_id": agency_id},
            temporary_password=temporary,
        )
    except ConflictError as error:
        # Taken in another unit: Cognito's own answer speaks of a phone number.
        raise _username_taken() from error
    for group in groups:
        identity.add_to_group(username, group)
    UserModel(
        sub,
        username=username,
        name=name,
        phone=values["phone"],
        groups=groups,
        agency_id=agency_id,
        status="active",
        created_at=clock.iso(clock.now()),
    ).save()
    return {**staff_view(get_user(sub)), "temporary_password": temporary}


def _username_taken() -> ConflictError:
    return ConflictError(
        code="account_exists",
        message="Tên đăng nhập đã tồn tại.",
        message_en="This username already exists.",
    )


def update_staff(caller: Caller, sub: str, body: object) -> dict:
    """Change a staff account's name, phone, unit or groups. Everything is checked
    before the first write; Cognito (the name and unit tokens carry, the groups) is
    written first, then the users table. A change of groups or unit ends the
    account's sessions: tokens carry both, so the new rights apply at the next
    sign-in."""
    body = body if isinstance(body, dict) else {}
    user = _staff(sub)
    if not set(STAFF_FIELDS) & body.keys():
        raise ValidationError(
            code="nothing_to_change",
            message="Không có gì để thay đổi: gửi name, phone, agency_id hoặc groups.",
            message_en="Nothing to change: send name, phone, agency_id or groups.",
        )
    values = _staff_fields(body, user)
    before = list(user.groups or [])
    groups = values.get("groups", before)
    if sub == caller.sub and "admin" in before and "admin" not in groups:
        raise ConflictError(
            code="cannot_remove_own_admin",
            message="Không thể tự bỏ quyền quản trị của mình.",
            message_en="You cannot remove your own administrator group.",
        )
    added = [g for g in groups if g not in before]
    removed = [g for g in before if g not in groups]
    moved = values.get("agency_id", user.agency_id) != user.agency_id
    attributes, previous = {}, {}
    if values.get("name", user.name) != user.name:
        attributes["name"], previous["name"] = values["name"], user.name
    if moved:
        attributes["custom:agency_id"] = values["agency_id"]
        previous["custom:agency_id"] = user.agency_id

    actions = []
    if "name" in values:
        actions.append(UserModel.name.set(values["name"]))
    if "phone" in values:
        actions.append(
            UserModel.phone.set(values["phone"])
            if values["phone"]
            else UserModel.phone.remove()
        )
    if "groups" in values:
        actions.append(UserModel.groups.set(groups))
    if moved:
        actions.append(UserModel.agency_id.set(values["agency_id"]))
    end_sessions = bool(added or removed or moved)
    if end_sessions:
        actions += _revocation()

    done: list[tuple[str, object]] = []  # the Cognito writes made, to undo
    try:
        if attributes:
            identity.update_attributes(user.username, attributes)
            done.append(("attributes", previous))
        for group in added:
            identity.add_to_group(user.username, group)
            done.append(("added", group))
        for group in removed:
            identity.remove_from_group(user.username, group)
            done.append(("removed", group))
        user.update(actions=actions)
    except Exception:
        _undo_in_cognito(user, done)
        raise
    if end_sessions:
        _sign_out_refresh_tokens(user)
    logger.info(
        "staff account changed",
        extra={"sub": sub, "fields": sorted(values), "sessions_ended": end_sessions},
    )
    return staff_view(get_user(sub))


def _undo_in_cognito(user: UserModel, done: list[tuple[str, object]]) -> None:
    """Put back what a failed change had written in Cognito, last write first.
    TODO: Cognito has no transactions: if an undo fails too, Cognito keeps part of
    the change and the users table none of it (it is written last). Sending the same
    change again completes it (it states the target, not a difference), and the
    account's next sign-in copies Cognito's groups and unit into the table."""
    for kind, what in reversed(done):
        try:
            if kind == "added":
                identity.remove_from_group(user.username, what)
            elif kind == "removed":
                identity.add_to_group(user.username, what)
            else:
                identity.update_attributes(
                    user.username, {k: v for k, v in what.items() if v}
                )
        except Exception:  # the first error is the one to answer
            logger.warning(
                "staff change not undone in Cognito",
                extra={"sub": user.sub, "step": kind},
            )


def staff_view(user: UserModel) -> dict:
    return {
        "sub": user.sub,
        "username": user.username,
        "name": user.name,
        "phone": user.phone,
        "groups": list(user.groups or []),
        "agency_id": user.agency_id,
        "status": user.status,
    }


def list_staff(agency_id: str, limit: int, cursor: str | None) -> dict:
    results = UserModel.agency_index.query(
        agency_id, limit=limit, last_evaluated_key=paging.decode(cursor)
    )
    return paging.page(results, staff_view)


def _staff(sub: str) -> UserModel:
    user = get_user(sub)
    if "citizen" in (user.groups or []):
        raise NotFoundError(code="account_not_found")
    return user


def set_staff_enabled(caller: Caller, sub: str, enabled: bool) -> dict:
    user = _staff(sub)
    if sub == caller.sub and not enabled:
        raise ConflictError(
            code="cannot_disable_self",
            message="Không thể tự khóa tài khoản của mình.",
            message_en="You cannot disable your own account.",
        )
    identity.set_enabled(user.username, enabled)
    user.update(actions=[UserModel.status.set("active" if enabled else "disabled")])
    if not enabled:
        revoke_sessions(user)
    return staff_view(get_user(sub))


def reset_staff_password(caller: Caller, sub: str) -> dict:
    user = _staff(sub)
    temporary = _temporary_password()
    identity.set_password(user.username, temporary, permanent=False)
    revoke_sessions(user)
    return {**staff_view(user), "temporary_password": temporary}
