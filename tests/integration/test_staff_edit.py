"""An administrator changes a staff account: name, phone, unit, groups.

On the real app and moto's Cognito: the groups and unit a token carries are read back
from a fresh sign-in, and every refused change is checked against a snapshot of the
tables and of the account in Cognito.
"""

import boto3
import jwt
import pytest

from chalicelib.adapters import identity
from chalicelib.domain import clock
from chalicelib.errors import DependencyError
from tests.integration.test_accounts import bearer
from tests.integration.test_bad_input import assert_error, snapshot
from tests.integration.test_report_lifecycle import CITIZEN, REPORT

ADMIN = "quantri"
PASSWORD = "Demo@2026"
OFFICER, LEADER = "chuyenvien.sxd", "lanhdao.sxd"  # Sở Xây dựng
OFFICER_2, LEADER_2 = "chuyenvien.kontum", "lanhdao.kontum"  # UBND phường Kon Tum


@pytest.fixture(autouse=True)
def real_time():
    clock.reset()
    yield
    clock.reset()


def sub_of(stack, username):
    return stack.info["users"][username]


def edit(stack, username, body, caller=ADMIN):
    return stack.call("PUT", f"/v1/admin/staff/{sub_of(stack, username)}", caller, body)


def listed(stack, unit):
    answer = stack.call("GET", f"/v1/admin/staff?agency_id={unit}&limit=100", ADMIN)
    assert answer.status_code == 200, answer.json_body
    return {u["username"]: u for u in answer.json_body["items"]}


def cognito(stack, username):
    """The account as Cognito holds it: attributes and groups."""
    idp = boto3.client("cognito-idp", region_name="ap-southeast-1")
    pool = stack.info["user_pool_id"]
    user = idp.admin_get_user(UserPoolId=pool, Username=username)
    groups = idp.admin_list_groups_for_user(UserPoolId=pool, Username=username)
    return {
        "attributes": {a["Name"]: a["Value"] for a in user["UserAttributes"]},
        "groups": sorted(g["GroupName"] for g in groups["Groups"]),
    }


def fresh_sign_in(stack, username):
    """A new sign-in (not the stack's cached token): its answer and its claims."""
    stack.tokens.pop(username, None)
    answer = stack.call(
        "POST",
        "/v1/auth/sign-in",
        body={"username": username, "password": PASSWORD},
    )
    assert answer.status_code == 200, answer.json_body
    claims = jwt.decode(
        answer.json_body["id_token"], options={"verify_signature": False}
    )
    return answer, claims


def decide(stack, task, user, body):
    answer = stack.call("POST", f"/v1/staff/tasks/{task.id}/decision", user, body)
    assert answer.status_code == 200, answer.json_body


def routed_to(stack, agency_id):
    """A new report, routed by reception to ``agency_id``: its assign task."""
    created = stack.call("POST", "/v1/reports", CITIZEN, REPORT).json_body
    triage = stack.open_task(created["id"], "triage")
    decide(stack, triage, "tiepnhan", {"decision": "route", "agency_id": agency_id})
    return created["id"], stack.open_task(created["id"], "assign")


def officer_options(stack, leader, task):
    items = stack.call("GET", "/v1/staff/tasks", leader).json_body["items"]
    item = next(i for i in items if i["id"] == task.id)
    assign = next(d for d in item["allowed_decisions"] if d["decision"] == "assign")
    return [o["value"] for o in assign["fields"][0]["options"]]


def task_reports(headers, stack):
    answer = stack.client.http.get("/v1/staff/tasks", headers=headers)
    assert answer.status_code == 200, answer.json_body
    return {t["report_id"] for t in answer.json_body["items"]}


# ---------------------------------------------------------------- changes


def test_admin_changes_name_and_phone_and_the_list_shows_them(stack, app_log):
    old_token = stack.sign_in(OFFICER)

    answer = edit(stack, OFFICER, {"name": "Phạm Văn Mới", "phone": "0912 345 678"})

    assert answer.status_code == 200, answer.json_body
    assert answer.json_body["name"] == "Phạm Văn Mới"
    assert answer.json_body["phone"] == "+84912345678"
    row = listed(stack, "so-xay-dung")[OFFICER]
    assert (row["name"], row["phone"]) == ("Phạm Văn Mới", "+84912345678")
    assert row["groups"] == ["officer"] and row["agency_id"] == "so-xay-dung"
    assert cognito(stack, OFFICER)["attributes"]["name"] == "Phạm Văn Mới"
    # Neither groups nor unit changed: the session goes on.
    assert stack.client.http.get("/v1/me", headers=old_token).status_code == 200
    # No personal data in the logs; the account's sub is there.
    records = [r for r in app_log if r.name == "pakn"]
    everything = " ".join(str(vars(r)) for r in records)
    assert "staff account changed" in {r.getMessage() for r in records}
    assert sub_of(stack, OFFICER) in everything
    for secret in ("Phạm Văn Mới", "84912345678", "912 345 678"):
        assert secret not in everything

    # WHEN the phone is cleared THEN the account has none
    cleared = edit(stack, OFFICER, {"phone": None})
    assert cleared.status_code == 200, cleared.json_body
    assert listed(stack, "so-xay-dung")[OFFICER]["phone"] is None
    assert listed(stack, "so-xay-dung")[OFFICER]["name"] == "Phạm Văn Mới"


def test_changed_groups_reach_cognito_and_end_the_old_sessions(stack):
    old = stack.sign_in(OFFICER)
    assert stack.client.http.get("/v1/me", headers=old).status_code == 200

    answer = edit(stack, OFFICER, {"groups": ["agency_leader", "editor"]})

    assert answer.status_code == 200, answer.json_body
    assert answer.json_body["groups"] == ["agency_leader", "editor"]
    assert cognito(stack, OFFICER)["groups"] == ["agency_leader", "editor"]
    assert listed(stack, "so-xay-dung")[OFFICER]["groups"] == [
        "agency_leader",
        "editor",
    ]
    # The old token carries the old groups: it no longer opens anything.
    assert_error(stack.client.http.get("/v1/me", headers=old), 401, "session_revoked")
    # A new sign-in carries the new groups, and /v1/me says so.
    signed_in, claims = fresh_sign_in(stack, OFFICER)
    assert sorted(claims["cognito:groups"]) == ["agency_leader", "editor"]
    assert sorted(signed_in.json_body["user"]["groups"]) == ["agency_leader", "editor"]
    me = stack.client.http.get("/v1/me", headers=bearer(signed_in)).json_body
    assert sorted(me["groups"]) == ["agency_leader", "editor"]

    # WHEN the groups go back THEN the added ones leave Cognito
    back = edit(stack, OFFICER, {"groups": ["officer"]})
    assert back.status_code == 200, back.json_body
    assert cognito(stack, OFFICER)["groups"] == ["officer"]
    _, claims = fresh_sign_in(stack, OFFICER)
    assert claims["cognito:groups"] == ["officer"]


def test_an_officer_moved_to_another_unit_works_there_and_no_longer_here(stack):
    # GIVEN the ward's officer holds one of the ward's tasks
    ward_report, ward_assign = routed_to(stack, "ubnd-p-kon-tum")
    decide(
        stack,
        ward_assign,
        LEADER_2,
        {"decision": "assign", "officer_id": sub_of(stack, OFFICER_2)},
    )
    stack.open_task(ward_report, "process")
    old = stack.sign_in(OFFICER_2)
    assert task_reports(old, stack) == {ward_report}

    # WHEN the administrator moves them to Sở Xây dựng
    answer = edit(stack, OFFICER_2, {"agency_id": "so-xay-dung"})

    # THEN the lists, Cognito and a new token say so, and the old token is refused
    assert answer.status_code == 200, answer.json_body
    assert answer.json_body["agency_id"] == "so-xay-dung"
    assert OFFICER_2 not in listed(stack, "ubnd-p-kon-tum")
    assert listed(stack, "so-xay-dung")[OFFICER_2]["groups"] == ["officer"]
    assert cognito(stack, OFFICER_2)["attributes"]["custom:agency_id"] == "so-xay-dung"
    assert_error(
        stack.client.http.get("/v1/staff/tasks", headers=old), 401, "session_revoked"
    )
    signed_in, claims = fresh_sign_in(stack, OFFICER_2)
    assert claims["custom:agency_id"] == "so-xay-dung"
    assert signed_in.json_body["user"]["agency_id"] == "so-xay-dung"
    headers = bearer(signed_in)
    me = stack.client.http.get("/v1/me", headers=headers).json_body
    assert me["agency_id"] == "so-xay-dung"

    # AND the new unit's leader can give them its tasks, the old unit's cannot
    assert task_reports(headers, stack) == set()  # the ward's task is not theirs here
    new_report, new_assign = routed_to(stack, "so-xay-dung")
    assert sub_of(stack, OFFICER_2) in officer_options(stack, LEADER, new_assign)
    _, other_ward_assign = routed_to(stack, "ubnd-p-kon-tum")
    assert sub_of(stack, OFFICER_2) not in officer_options(
        stack, LEADER_2, other_ward_assign
    )
    decide(
        stack,
        new_assign,
        LEADER,
        {"decision": "assign", "officer_id": sub_of(stack, OFFICER_2)},
    )
    stack.open_task(new_report, "process")
    assert task_reports(headers, stack) == {new_report}


def test_admin_changes_their_own_name_but_keeps_their_admin_group(stack):
    headers = stack.sign_in(ADMIN)
    renamed = edit(stack, ADMIN, {"name": "Quản Trị Viên Mới"})
    assert renamed.status_code == 200, renamed.json_body
    assert stack.client.http.get("/v1/me", headers=headers).status_code == 200

    before = snapshot()
    refused = edit(stack, ADMIN, {"groups": ["editor"]})
    assert_error(refused, 409, "cannot_remove_own_admin")
    assert snapshot() == before
    assert cognito(stack, ADMIN)["groups"] == ["admin"]
    assert stack.client.http.get("/v1/me", headers=headers).status_code == 200


# ---------------------------------------------------------------- refusals

BAD = [
    ({"agency_id": "khong-co"}, "unknown_agency", "agency_id"),
    ({"agency_id": ["so-xay-dung"]}, "unknown_agency", "agency_id"),
    ({"groups": ["citizen"]}, "bad_groups", "groups"),
    ({"groups": ["officer", "boss"]}, "bad_groups", "groups"),
    ({"groups": []}, "bad_groups", "groups"),
    ({"groups": "officer"}, "bad_groups", "groups"),
    ({"groups": [{"name": "officer"}]}, "bad_groups", "groups"),
    ({"groups": ["reception"]}, "group_not_for_unit", "groups"),
    ({"agency_id": "province"}, "group_not_for_unit", "agency_id"),
    (
        {"agency_id": "admin", "groups": ["admin", "officer"]},
        "group_not_for_unit",
        "groups",
    ),
    ({"phone": "12345"}, "bad_phone", "phone"),
    ({"phone": "0241234567"}, "bad_phone", "phone"),  # a landline
    ({"phone": 912345678}, "bad_phone", "phone"),
    ({"name": ""}, "invalid_input", "name"),
    ({"name": "x" * 121}, "invalid_input", "name"),
    ({"name": None}, "invalid_input", "name"),
    # Nothing half-written: the good fields of a refused change are not kept either.
    ({"name": "Tên Hợp Lệ", "phone": "12345"}, "bad_phone", "phone"),
    (
        {"name": "Tên Hợp Lệ", "groups": ["agency_leader"], "agency_id": "x"},
        "unknown_agency",
        "agency_id",
    ),
    ({}, "nothing_to_change", None),
    ({"username": "doiten"}, "nothing_to_change", None),
]


@pytest.mark.parametrize(("body", "code", "field"), BAD)
def test_bad_changes_are_refused_and_change_nothing(stack, body, code, field):
    stack.sign_in(ADMIN)
    old = stack.sign_in(OFFICER)
    before, account = snapshot(), cognito(stack, OFFICER)

    answer = edit(stack, OFFICER, body)

    assert_error(answer, 422, code, field)
    if field is None:
        assert answer.json_body["fields"] == {}
    else:
        message = answer.json_body["fields"][field]
        assert message["message"] and message["message_en"]
        assert message["message"] != message["message_en"]
    assert snapshot() == before
    assert cognito(stack, OFFICER) == account
    assert stack.client.http.get("/v1/me", headers=old).status_code == 200


def test_malformed_bodies_get_a_4xx(stack):
    stack.sign_in(ADMIN)
    before = snapshot()
    assert_error(edit(stack, OFFICER, "{not json"), 400, "invalid_json")
    assert_error(edit(stack, OFFICER, "[1, 2]"), 422, "nothing_to_change")
    assert snapshot() == before


def test_citizens_and_unknown_accounts_are_not_found(stack):
    stack.sign_in(ADMIN)
    before = snapshot()
    assert_error(edit(stack, CITIZEN, {"name": "Tên Khác"}), 404, "account_not_found")
    missing = stack.call(
        "PUT", "/v1/admin/staff/khong-co-sub", ADMIN, {"name": "Tên Khác"}
    )
    assert_error(missing, 404, "account_not_found")
    assert snapshot() == before


@pytest.mark.parametrize("who", [LEADER, OFFICER, "tiepnhan", "lanhdao.tinh", CITIZEN])
def test_only_an_administrator_may_change_an_account(stack, who):
    stack.sign_in(who)
    before = snapshot()
    answer = edit(stack, OFFICER_2, {"name": "Tên Khác"}, caller=who)
    assert answer.status_code == 403, answer.json_body
    assert snapshot() == before
    assert OFFICER_2 in listed(stack, "ubnd-p-kon-tum")


def test_creation_checks_the_same_way(stack):
    stack.sign_in(ADMIN)
    body = {
        "username": "canbo.sai",
        "name": "Cán Bộ Sai",
        "agency_id": "reception",
        "groups": ["officer"],
    }
    before = snapshot()
    created = stack.call("POST", "/v1/admin/staff", ADMIN, body)
    assert_error(created, 422, "group_not_for_unit", "groups")
    bad_phone = stack.call(
        "POST",
        "/v1/admin/staff",
        ADMIN,
        {**body, "groups": ["reception"], "phone": "1"},
    )
    assert_error(bad_phone, 422, "bad_phone", "phone")
    assert snapshot() == before

    # A username already taken in another unit is said to be a username
    taken = stack.call(
        "POST",
        "/v1/admin/staff",
        ADMIN,
        {**body, "username": OFFICER, "groups": ["reception"]},
    )
    assert_error(taken, 409, "account_exists")
    assert taken.json_body["message_en"] == "This username already exists."
    assert snapshot() == before


def test_a_cognito_failure_midway_is_undone(stack, monkeypatch):
    old = stack.sign_in(OFFICER)
    stack.sign_in(ADMIN)
    before, account = snapshot(), cognito(stack, OFFICER)

    real = identity.remove_from_group

    def fail_for_officer(username, group):
        if group == "officer":
            raise DependencyError(code="identity_unavailable")
        real(username, group)

    # The name and the new groups are written in Cognito, then removing the old one
    # fails: the name and the added groups are taken back.
    monkeypatch.setattr(identity, "remove_from_group", fail_for_officer)
    answer = edit(
        stack, OFFICER, {"name": "Tên Mới", "groups": ["agency_leader", "editor"]}
    )

    assert_error(answer, 502, "identity_unavailable")
    assert cognito(stack, OFFICER) == account
    assert snapshot() == before
    assert stack.client.http.get("/v1/me", headers=old).status_code == 200


def test_a_staff_member_with_a_citizens_number_takes_nothing_from_them(stack):
    # GIVEN an officer given, by mistake or because they share it, the demo
    # citizen's number; and another number held by staff alone
    assert edit(stack, OFFICER, {"phone": CITIZEN}).status_code == 200
    assert edit(stack, LEADER, {"phone": "0977111222"}).status_code == 200

    # WHEN the citizen signs in with that number THEN they are themselves
    stack.tokens.pop(CITIZEN, None)
    me = stack.call("GET", "/v1/me", CITIZEN).json_body
    assert me["groups"] == ["citizen"]

    # AND a citizen may sign up with the number only staff hold
    signed_up = stack.call(
        "POST",
        "/v1/auth/sign-up",
        body={
            "phone": "0977111222",
            "name": "Người Dân Mới",
            "password": "Moi@2026dan",
            "consent_version": "2026-01",
        },
    )
    assert signed_up.status_code == 201, signed_up.json_body

    # AND staff cannot sign in by phone: their number is no way into their account
    answer = stack.call(
        "POST",
        "/v1/auth/sign-in",
        body={"username": "0977111222", "password": PASSWORD},
    )
    assert answer.status_code == 401
