"""Who may call what: every route of the app, as every kind of caller.

The table below is the contract: for each route, the callers let in. The test walks the
app's routes, so a route added without an entry here fails it. A caller is "let in"
when the answer is not an authentication or authorization refusal; a 404, 409 or 422
for a deliberately incomplete body still means the door was open.
"""

import json

import pytest

from infra.bootstrap import create_user
from tests.integration.test_report_lifecycle import REPORT

ANON = "anonymous"
CITIZEN_A, CITIZEN_B = "+84901234567", "+84907654321"
RECEPTION = "tiepnhan"
OFFICER, LEADER = "chuyenvien.sxd", "lanhdao.sxd"  # Sở Xây dựng: owns the report
OFFICER_2, LEADER_2 = "chuyenvien.kontum", "lanhdao.kontum"  # another agency
PROVINCE, ADMIN = "lanhdao.tinh", "quantri"
EDITOR = "bientap"  # news editor of the province
EVERYONE = {
    EDITOR,
    ANON,
    CITIZEN_A,
    CITIZEN_B,
    RECEPTION,
    OFFICER,
    LEADER,
    OFFICER_2,
    LEADER_2,
    PROVINCE,
    ADMIN,
}
SIGNED_IN = EVERYONE - {ANON}
CITIZENS = {CITIZEN_A, CITIZEN_B}
STAFF = SIGNED_IN - CITIZENS
INBOX = {RECEPTION, OFFICER, LEADER, OFFICER_2, LEADER_2}

# (method, path) -> (callers let in, body). Path parameters are filled in below:
# the report is citizen A's, at Sở Xây dựng, in its officer's "process" step.
MATRIX = {
    ("GET", "/v1/health"): (EVERYONE, None),
    ("GET", "/v1/categories"): (EVERYONE, None),
    ("GET", "/v1/areas"): (EVERYONE, None),
    ("GET", "/v1/agencies"): (EVERYONE, None),
    ("GET", "/v1/openapi.json"): (EVERYONE, None),
    ("GET", "/v1/public/reports"): (EVERYONE, None),
    ("GET", "/v1/public/reports/{report_id}"): (EVERYONE, None),
    ("POST", "/v1/auth/sign-up"): (EVERYONE, {}),
    ("POST", "/v1/auth/resend"): (EVERYONE, {}),
    ("POST", "/v1/auth/confirm"): (EVERYONE, {}),
    ("POST", "/v1/auth/sign-in"): (EVERYONE, {}),
    ("POST", "/v1/auth/new-password"): (EVERYONE, {}),
    ("POST", "/v1/auth/refresh"): (EVERYONE, {}),
    ("POST", "/v1/auth/forgot-password"): (EVERYONE, {}),
    ("POST", "/v1/auth/reset-password"): (EVERYONE, {}),
    ("POST", "/v1/auth/sign-out"): (SIGNED_IN, {}),
    ("GET", "/v1/me"): (SIGNED_IN, None),
    ("PUT", "/v1/me"): (SIGNED_IN, {"email": "x"}),
    ("POST", "/v1/me/consent"): (CITIZENS, {}),
    ("POST", "/v1/me/devices"): (SIGNED_IN, {}),
    ("GET", "/v1/me/devices"): (SIGNED_IN, None),
    ("DELETE", "/v1/me/devices/{device_id}"): (SIGNED_IN, None),
    ("GET", "/v1/me/notifications"): (SIGNED_IN, None),
    ("PUT", "/v1/me/notifications"): (SIGNED_IN, {"lang": "x"}),
    ("GET", "/v1/alerts/active"): (EVERYONE, None),
    ("GET", "/v1/stats"): ({RECEPTION, LEADER, LEADER_2, PROVINCE, ADMIN}, None),
    ("GET", "/v1/stats/reports"): (
        {RECEPTION, LEADER, LEADER_2, PROVINCE, ADMIN},
        None,
    ),
    ("GET", "/v1/stats/export"): (
        {RECEPTION, LEADER, LEADER_2, PROVINCE, ADMIN},
        None,
    ),
    ("GET", "/v1/stats/summary"): (
        {RECEPTION, LEADER, LEADER_2, PROVINCE, ADMIN},
        None,
    ),
    ("GET", "/v1/public/stats"): (EVERYONE, None),
    ("POST", "/v1/alerts"): ({PROVINCE, ADMIN}, {}),
    ("GET", "/v1/alerts"): ({PROVINCE, ADMIN}, None),
    ("GET", "/v1/alerts/{alert_id}"): ({PROVINCE, ADMIN}, None),
    ("POST", "/v1/alerts/{alert_id}/cancel"): ({PROVINCE, ADMIN}, None),
    ("POST", "/v1/me/phone"): (CITIZENS, {}),
    ("POST", "/v1/me/phone/confirm"): (CITIZENS, {}),
    ("GET", "/v1/me/data"): (CITIZENS, None),
    ("POST", "/v1/me/delete"): (CITIZENS, {"password": "sai-mat-khau"}),
    ("POST", "/v1/me/password"): (SIGNED_IN, {}),
    ("GET", "/v1/me/reports"): (SIGNED_IN, None),
    ("POST", "/v1/uploads"): (SIGNED_IN, {}),
    ("POST", "/v1/reports"): (CITIZENS, {}),
    ("GET", "/v1/reports/{report_id}"): (
        {CITIZEN_A, RECEPTION, OFFICER, LEADER, PROVINCE, ADMIN},
        None,
    ),
    ("POST", "/v1/reports/{report_id}/answers"): ({CITIZEN_A}, {}),
    ("POST", "/v1/reports/{report_id}/rating"): ({CITIZEN_A}, {}),
    ("GET", "/v1/staff/tasks"): (INBOX, None),
    ("POST", "/v1/staff/tasks/{task_id}/decision"): ({OFFICER}, {"decision": "x"}),
    ("POST", "/v1/staff/tasks/{task_id}/extend"): ({LEADER}, {"days": 0}),
    ("POST", "/v1/staff/reports"): ({RECEPTION}, {}),
    ("GET", "/v1/staff/reports"): (INBOX | {PROVINCE, ADMIN}, None),
    ("GET", "/v1/agencies/{agency_id}/workflow"): (STAFF, None),
    ("PUT", "/v1/agencies/{agency_id}/workflow"): ({LEADER, ADMIN}, {}),
    ("GET", "/v1/agencies/{agency_id}/workflow/versions"): ({LEADER, ADMIN}, None),
    ("GET", "/v1/agencies/{agency_id}/workflow/versions/{version}"): (
        {LEADER, ADMIN},
        None,
    ),
    ("POST", "/v1/agencies/{agency_id}/workflow/versions/{version}/restore"): (
        {LEADER, ADMIN},
        {},
    ),
    ("GET", "/v1/admin/calendar/{year}"): ({ADMIN, LEADER, LEADER_2, RECEPTION}, None),
    ("PUT", "/v1/admin/calendar/{year}"): ({ADMIN}, {"days_off": "x"}),
    ("GET", "/v1/admin/staff"): ({ADMIN}, None),
    ("POST", "/v1/admin/staff"): ({ADMIN}, {}),
    ("PUT", "/v1/admin/staff/{sub}"): ({ADMIN}, {}),
    ("POST", "/v1/admin/staff/{sub}/disable"): ({ADMIN}, {}),
    ("POST", "/v1/admin/staff/{sub}/enable"): ({ADMIN}, {}),
    ("POST", "/v1/admin/staff/{sub}/reset-password"): ({ADMIN}, {}),
    ("PUT", "/v1/admin/categories/{item_id}"): ({ADMIN}, {}),
    ("PUT", "/v1/admin/areas/{item_id}"): ({ADMIN}, {}),
    ("PUT", "/v1/admin/agencies/{item_id}"): ({ADMIN}, {}),
    ("POST", "/v1/dossiers/lookup"): (EVERYONE, {}),
    ("GET", "/v1/dossiers/units"): (EVERYONE, None),
    ("GET", "/v1/services"): (EVERYONE, None),
    ("GET", "/v1/admin/connectors"): ({ADMIN}, None),
    ("PUT", "/v1/admin/connectors/{item_id}"): ({ADMIN}, {}),
    ("DELETE", "/v1/admin/connectors/{item_id}"): ({ADMIN}, None),
    ("PUT", "/v1/admin/services/{item_id}"): ({ADMIN}, {}),
    ("DELETE", "/v1/admin/services/{item_id}"): ({ADMIN}, None),
    ("GET", "/v1/news-categories"): (EVERYONE, None),
    ("GET", "/v1/news"): (EVERYONE, None),
    ("GET", "/v1/news/{news_id}"): (EVERYONE, None),
    ("GET", "/v1/staff/news"): ({EDITOR, ADMIN}, None),
    ("POST", "/v1/staff/news"): ({EDITOR, ADMIN}, {}),
    ("GET", "/v1/staff/news/{news_id}"): ({EDITOR, ADMIN}, None),
    ("PUT", "/v1/staff/news/{news_id}"): ({EDITOR, ADMIN}, {}),
    ("DELETE", "/v1/staff/news/{news_id}"): ({EDITOR, ADMIN}, None),
    ("POST", "/v1/staff/news/{news_id}/publish"): ({EDITOR, ADMIN}, {}),
    ("POST", "/v1/staff/news/{news_id}/unpublish"): ({EDITOR, ADMIN}, {}),
}

# 401s that are about the credentials in the body (a wrong password), not the caller.
AUTH_REFUSALS = {"unauthorized", "invalid_token", "session_revoked"}


def refused(answer) -> bool:
    if answer.status_code == 403:
        return True
    return answer.status_code == 401 and answer.json_body.get("code") in AUTH_REFUSALS


@pytest.fixture
def world(stack):
    create_user(
        stack.info["user_pool_id"],
        {
            "username": CITIZEN_B,
            "password": "Demo@2026",
            "name": "Trần Văn Bình",
            "groups": ["citizen"],
        },
    )
    created = stack.call("POST", "/v1/reports", CITIZEN_A, REPORT).json_body
    report_id = created["id"]
    task = stack.open_task(report_id, "triage")
    stack.call(
        "POST",
        f"/v1/staff/tasks/{task.id}/decision",
        RECEPTION,
        {"decision": "route", "agency_id": "so-xay-dung"},
    )
    task = stack.open_task(report_id, "assign")
    items = stack.call("GET", "/v1/staff/tasks", LEADER).json_body["items"]
    officer = items[0]["allowed_decisions"][0]["fields"][0]["options"][0]["value"]
    stack.call(
        "POST",
        f"/v1/staff/tasks/{task.id}/decision",
        LEADER,
        {"decision": "assign", "officer_id": officer},
    )
    process = stack.open_task(report_id, "process")
    return {
        "report_id": report_id,
        "task_id": process.id,
        "agency_id": "so-xay-dung",
        "version": "1",
        "year": "2026",
        "item_id": "kiem-tra",
        "sub": "khong-co-ai",
        "code": created["code"],
        "device_id": "khong-co-thiet-bi",
        "alert_id": "khong-co-canh-bao",
        "news_id": "0" * 32,
    }


def call(stack, who, method, path, body):
    headers = {"Content-Type": "application/json"}
    if who != ANON:
        headers.update(stack.sign_in(who, "Demo@2026"))
    payload = None if body is None else json.dumps(body)
    return getattr(stack.client.http, method.lower())(
        path, headers=headers, body=payload
    )


def test_every_route_lets_in_exactly_who_the_table_says(stack, world):
    from app import app

    served = {(m, p) for p, methods in app.routes.items() for m in methods}
    assert served == set(MATRIX), {
        "routes without an entry": served - set(MATRIX),
        "entries without a route": set(MATRIX) - served,
    }

    wrong = []
    # Signing out ends every session of the caller: it goes last.
    order = sorted(MATRIX, key=lambda route: (route[1] == "/v1/auth/sign-out", route))
    for method, template in order:
        allowed, body = MATRIX[(method, template)]
        path = template.format(**world)
        for who in sorted(EVERYONE):
            answer = call(stack, who, method, path, body)
            if who in allowed and refused(answer):
                wrong.append((method, template, who, "refused", answer.status_code))
            if who not in allowed and not refused(answer):
                wrong.append((method, template, who, "let in", answer.status_code))
    assert wrong == [], "\n".join(map(str, wrong))


def test_no_route_shows_a_citizen_anything_of_another_citizen(stack, world):
    secrets = (
        "+84901234567",
        "84901234567",
        "Nguyễn Văn An",
        world["report_id"],
        world["code"],
    )
    for (method, template), (_, body) in MATRIX.items():
        if method != "GET":
            continue
        answer = call(stack, CITIZEN_B, method, template.format(**world), body)
        text = (
            answer.body.decode() if isinstance(answer.body, bytes) else str(answer.body)
        )
        text += json.dumps(answer.json_body or {}, ensure_ascii=False)
        leaked = [s for s in secrets if s in text]
        assert not leaked, (template, leaked)


def test_staff_of_another_agency_see_none_of_its_tasks(stack, world):
    for who in (OFFICER_2, LEADER_2):
        items = call(stack, who, "GET", "/v1/staff/tasks", None).json_body["items"]
        assert world["report_id"] not in [t["report_id"] for t in items]
    mine = call(stack, OFFICER, "GET", "/v1/staff/tasks", None).json_body["items"]
    assert world["task_id"] in [t["id"] for t in mine]


def _token_from(pool_id, client_id, username, create=True):
    import boto3

    idp = boto3.client("cognito-idp", region_name="ap-southeast-1")
    if create:
        idp.admin_create_user(
            UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS"
        )
        idp.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password="Demo@2026", Permanent=True
        )
    answer = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": "Demo@2026"},
    )
    return answer["AuthenticationResult"]["IdToken"]


def test_tokens_for_another_client_or_another_pool_are_refused(stack):
    import boto3

    idp = boto3.client("cognito-idp", region_name="ap-southeast-1")
    pool = stack.info["user_pool_id"]
    other_client = idp.create_user_pool_client(
        UserPoolId=pool,
        ClientName="other",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    other_pool = idp.create_user_pool(PoolName="another-province")["UserPool"]["Id"]
    other_pool_client = idp.create_user_pool_client(
        UserPoolId=other_pool,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]

    # The demo citizen through the app's own client is let in; through another client
    # of the same pool, or as the same username in another pool, only the audience or
    # the issuer differs, and each is refused.
    own = stack.sign_in(CITIZEN_A, "Demo@2026")["Authorization"].split()[1]
    username = "c-84901234567"
    for token, expected in (
        (own, 200),
        (_token_from(pool, other_client, username, create=False), 401),
        (_token_from(other_pool, other_pool_client, username), 401),
    ):
        answer = stack.client.http.get(
            "/v1/me/reports", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == expected, answer.json_body
        if expected == 401:
            assert answer.json_body["code"] == "invalid_token"
