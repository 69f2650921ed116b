"""Create a stack's resources from infra/ definitions, on the embedded AWS or in tests.

The CloudFormation template (infra/package.py) is made from the same files, so the
local stack and production cannot drift apart.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import boto3

from chalicelib import settings
from chalicelib.adapters.tables import ReferenceModel, UserModel, bind
from chalicelib.domain import clock
from chalicelib.services import dossiers, workflow_specs
from chalicelib.services.accounts import STAFF_GROUPS

INFRA = Path(__file__).resolve().parent
TABLES = json.loads((INFRA / "tables.json").read_text())
WORKFLOWS = INFRA / "workflows"
ACCOUNT = "123456789012"


def _client(service: str):
    return boto3.client(
        service, region_name=settings.region(), endpoint_url=settings.endpoint_url()
    )


def table_definitions() -> dict[str, dict]:
    return {k: v for k, v in TABLES.items() if not k.startswith("_")}


def create_table_kwargs(name: str, spec: dict) -> dict:
    """CreateTable arguments for one entry of tables.json."""
    attributes = dict(spec["key"])
    attributes.update(spec.get("attributes", {}))
    key_names = list(spec["key"])
    kwargs = {
        "TableName": settings.table_name(name),
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": key_names[0], "KeyType": "HASH"}]
        + (
            [{"AttributeName": key_names[1], "KeyType": "RANGE"}]
            if len(key_names) > 1
            else []
        ),
        "AttributeDefinitions": [
            {"AttributeName": a, "AttributeType": t} for a, t in attributes.items()
        ],
    }
    if spec.get("indexes"):
        kwargs["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index_name,
                "KeySchema": [
                    {"AttributeName": a, "KeyType": t} for a, t in index["key"].items()
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index_name, index in spec["indexes"].items()
        ]
    if spec.get("stream"):
        kwargs["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        }
    return kwargs


def create_tables() -> dict[str, str]:
    """Create every table; returns the stream ARN of each streamed table."""
    ddb = _client("dynamodb")
    streams = {}
    for name, spec in table_definitions().items():
        answer = ddb.create_table(**create_table_kwargs(name, spec))
        if spec.get("ttl"):
            ddb.update_time_to_live(
                TableName=settings.table_name(name),
                TimeToLiveSpecification={"Enabled": True, "AttributeName": spec["ttl"]},
            )
        if spec.get("stream"):
            streams[name] = answer["TableDescription"]["LatestStreamArn"]
    return streams


def create_bucket(allowed_origins: list[str]) -> None:
    s3 = _client("s3")
    s3.create_bucket(
        Bucket=settings.bucket(),
        CreateBucketConfiguration={"LocationConstraint": settings.region()},
    )
    s3.put_public_access_block(
        Bucket=settings.bucket(),
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_cors(
        Bucket=settings.bucket(),
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": allowed_origins,
                    "AllowedMethods": ["GET", "POST"],
                    "AllowedHeaders": ["*"],
                    "MaxAgeSeconds": 600,
                }
            ]
        },
    )


def create_user_pool() -> tuple[str, str]:
    idp = _client("cognito-idp")
    pool = idp.create_user_pool(
        PoolName=f"pakn-{settings.stage()}",
        UsernameAttributes=[],
        AutoVerifiedAttributes=["phone_number"],
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 8,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": False,
            }
        },
        Schema=[
            {"Name": "agency_id", "AttributeDataType": "String", "Mutable": True},
            {"Name": "consent", "AttributeDataType": "String", "Mutable": True},
        ],
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool,
        ClientName="web",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ReadAttributes=["name", "phone_number", "custom:agency_id"],
    )["UserPoolClient"]["ClientId"]
    for group in ("citizen", *STAFF_GROUPS):
        idp.create_group(UserPoolId=pool, GroupName=group)
    return pool, client_id


def create_push_applications() -> dict[str, str]:
    """The SNS platform applications devices join: FCM (Android and the website) and
    APNs (iOS). On AWS an administrator creates them with the real credentials
    (docs/deploy.md); here they get placeholders."""
    sns = _client("sns")
    stage = settings.stage()
    fcm = sns.create_platform_application(
        Name=f"pakn-{stage}-fcm",
        Platform="GCM",
        Attributes={"PlatformCredential": "local-fcm-service-account"},
    )["PlatformApplicationArn"]
    apns = sns.create_platform_application(
        Name=f"pakn-{stage}-apns",
        Platform="APNS",
        Attributes={"PlatformCredential": "local", "PlatformPrincipal": "local"},
    )["PlatformApplicationArn"]
    os.environ["PAKN_PUSH_FCM_ARN"] = fcm
    os.environ["PAKN_PUSH_APNS_ARN"] = apns
    return {"fcm": fcm, "apns": apns}


def stream_handlers(info: dict, app_module) -> dict:
    """Each streamed table's ARN and the app's handler for it, as the event source
    mappings wire them on AWS. The reports' stream has two mappings there (workflows
    and statistics); here one call runs both and retries from the first failure."""
    handlers = {
        info["streams"][name]: getattr(app_module, f"on_{name}_stream")
        for name in ("tasks", "outbox", "alerts", "timeline")
    }
    handlers[info["streams"]["reports"]] = _both(
        app_module.on_reports_stream, app_module.on_reports_stats_stream
    )
    return handlers


def _both(first, second):
    def handler(event, context):
        failed = []
        for one in (first, second):
            answer = one(event, context) or {}
            failed += answer.get("batchItemFailures") or []
        # The earliest failed record: the pump resumes there for both.
        order = [r["dynamodb"]["SequenceNumber"] for r in event["Records"]]
        failed.sort(key=lambda f: order.index(f["itemIdentifier"]))
        return {"batchItemFailures": failed[:1]}

    return handler


def create_user(pool: str, user: dict) -> str:
    """A confirmed user with a permanent password (demo and tests)."""
    idp = _client("cognito-idp")
    is_citizen = user["username"].startswith("+")
    attributes = [{"Name": "name", "Value": user["name"]}]
    if user["username"].startswith("+"):
        attributes += [
            {"Name": "phone_number", "Value": user["username"]},
            {"Name": "phone_number_verified", "Value": "true"},
        ]
    if user.get("agency_id"):
        attributes.append({"Name": "custom:agency_id", "Value": user["agency_id"]})
    # Citizens sign in with their phone, which the app resolves to this username: the
    # number can change, a Cognito username cannot.
    username = citizen_username(user["username"]) if is_citizen else user["username"]
    created = idp.admin_create_user(
        UserPoolId=pool,
        Username=username,
        UserAttributes=attributes,
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(
        UserPoolId=pool,
        Username=username,
        Password=user["password"],
        Permanent=True,
    )
    for group in user["groups"]:
        if group != "citizen":
            idp.admin_add_user_to_group(
                UserPoolId=pool, Username=username, GroupName=group
            )
    sub = next(a["Value"] for a in created["User"]["Attributes"] if a["Name"] == "sub")
    UserModel(
        sub,
        username=username,
        name=user["name"],
        phone=user["username"] if is_citizen else user.get("phone"),
        groups=user["groups"],
        agency_id=user.get("agency_id"),
        status="active",
        consent_version=settings.province()["privacy_notice_version"]
        if is_citizen
        else None,
        consent_at=clock.iso(clock.now()) if is_citizen else None,
    ).save()
    return sub


def citizen_username(phone: str) -> str:
    return "c-" + phone.lstrip("+")


def load_spec(name: str) -> dict:
    return json.loads((WORKFLOWS / f"{name}.json").read_text(encoding="utf-8"))


def seed_reference(province: dict) -> None:
    for order, item in enumerate(province["categories"]):
        ReferenceModel("category", item["id"], data={**item, "order": order}).save()
    for order, item in enumerate(province["areas"]):
        ReferenceModel("area", item["id"], data={**item, "order": order}).save()
    for order, item in enumerate(province["agencies"]):
        data = {k: v for k, v in item.items() if k != "workflow"}
        ReferenceModel("agency", item["id"], data={**data, "order": order}).save()


def bootstrap(*, allowed_origins: list[str] | None = None, users: bool = True) -> dict:
    """Everything a fresh stack needs; sets the environment the app reads."""
    province = settings.province()
    streams = create_tables()
    bind()
    create_bucket(allowed_origins or ["*"])
    pool, client_id = create_user_pool()
    os.environ["PAKN_USER_POOL_ID"] = pool
    os.environ["PAKN_USER_POOL_CLIENT_ID"] = client_id
    push = create_push_applications()
    seed_reference(province)
    dossiers.seed_demo(province, os.environ.get("PAKN_ONESTOP_URL"))
    workflow_specs.deploy("reception", load_spec("reception"), note="mặc định")
    for agency in province["agencies"]:
        spec = load_spec(agency.get("workflow", "agency-default"))
        workflow_specs.deploy(agency["id"], spec, note="mặc định")
    subs = {}
    if users:
        for user in province["demo_users"]:
            subs[user["username"]] = create_user(pool, user)
    return {
        "user_pool_id": pool,
        "client_id": client_id,
        "streams": streams,
        "users": subs,
        "push": push,
    }
