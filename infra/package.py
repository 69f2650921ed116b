"""Build one province's CloudFormation template and deployment package.

    .venv/bin/python -m infra.package --stage kontum --out build/package

1. A merge template made from the project's own definitions (``infra/tables.json``, the
   province file, the default workflow specs), written to ``build/``.
2. ``chalice package --merge-template`` in the project dir writes ``sam.json`` and
   ``deployment.zip``; it needs no AWS access, only pip and PyPI.
3. ``cfn-lint`` on ``sam.json``: an error fails the build, warnings are printed.

Chalice keeps the logical ids of what it generates; the merge template adds our
resources and overrides only what Chalice cannot express (DESIGN.md sections 10, 13).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from chalice.utils import to_cfn_resource_name

from chalicelib.domain.workflow import GROUPS as STAFF_GROUPS
from chalicelib.domain.workflow import compile_asl

PROJECT = Path(__file__).resolve().parent.parent
INFRA = PROJECT / "infra"
PROVINCES = PROJECT / "chalicelib" / "provinces"

# Chalice takes the Lambda runtime from the Python that runs it, and this venv is 3.11,
# which Lambda no longer lets anyone create (cfn-lint E2533 since 2026-07-31). So we
# run Chalice for a newer runtime and make it fetch that runtime's wheels (Pillow and
# cffi have compiled parts). TODO: drop the patches in _chalice_for_runtime once the
# project's venv runs this Python itself.
RUNTIME = "python3.13"

# The user pool's groups: the citizens, and the staff groups a workflow step may name.
GROUPS = ("citizen", *STAFF_GROUPS)

# `chalice package` calls no AWS API, but botocore wants credentials and a region, and
# real ones have no business in a build.
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "packaging",
    "AWS_SECRET_ACCESS_KEY": "packaging",
    "AWS_DEFAULT_REGION": "ap-southeast-1",
}

# cfn-lint checks we skip, each with its reason. None today: keep it that way unless a
# check is wrong about this template, and say why here.
IGNORED_CHECKS: tuple[str, ...] = ()


class PackageError(RuntimeError):
    """The template or the package is not fit to deploy."""


@dataclass(frozen=True)
class Build:
    merge_template: Path
    template: Path
    package: Path
    errors: list  # cfn-lint's findings of level E
    warnings: list  # everything else it said
    seconds: float


# --- names -------------------------------------------------------------------------


def physical_name(stage: str, name: str) -> str:
    return f"pakn-{stage}-{name}"


def logical_id(name: str, suffix: str) -> str:
    """A CloudFormation logical id from a project name (``so-xay-dung`` -> SoXayDung).

    Made the way Chalice makes its own, which drops whatever is not an ASCII letter or
    digit: two names can meet in one id, and ``_add`` refuses that.
    """
    value = to_cfn_resource_name(name) + suffix
    if not re.fullmatch(r"[A-Za-z0-9]{1,255}", value):
        raise PackageError(f"{name!r} makes no valid logical id ({value!r})")
    return value


def table_id(name: str) -> str:
    return logical_id(name, "Table")


def _add(resources: dict, resource_id: str, resource: dict) -> None:
    if resource_id in resources:
        raise PackageError(f"two resources would be called {resource_id}")
    resources[resource_id] = resource


# --- the project's definitions -----------------------------------------------------


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def table_definitions() -> dict[str, dict]:
    tables = load_json(INFRA / "tables.json")
    return {name: spec for name, spec in tables.items() if not name.startswith("_")}


def province_settings(stage: str) -> dict:
    return load_json(PROVINCES / f"{stage}.json")


def workflow_units(province: dict) -> dict[str, str]:
    """Each default unit and the spec it starts with: reception, then every agency."""
    units = {"reception": "reception"}
    for agency in province["agencies"]:
        units[agency["id"]] = agency.get("workflow", "agency-default")
    return units


# --- IAM in few words --------------------------------------------------------------


def _allow(action: str, resource, condition: dict | None = None) -> dict:
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    if condition:
        statement["Condition"] = condition
    return statement


def _role(service: str, condition: dict, policy: str, *statements: dict) -> dict:
    trust = {"Effect": "Allow", "Principal": {"Service": service}}
    trust.update(Action="sts:AssumeRole", Condition=condition)
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
            "Policies": [{"PolicyName": policy, "PolicyDocument": document}],
        },
    }


def _get_att(resource_id: str, attribute: str = "Arn") -> dict:
    return {"Fn::GetAtt": [resource_id, attribute]}


# --- resources ---------------------------------------------------------------------

# Reports and identities outlive a deleted or replaced stack: Law 91/2025 asks for
# deliberate deletion, not an accident of `aws cloudformation delete-stack`.
_RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}


def table_resource(stage: str, name: str, spec: dict) -> dict:
    """One entry of tables.json as an AWS::DynamoDB::Table."""
    key_names = list(spec["key"])
    if not 1 <= len(key_names) <= 2:
        raise PackageError(f"table {name}: a key is a hash key and maybe a range key")
    kinds = ("HASH", "RANGE")[: len(key_names)]
    attributes = {**spec["key"], **spec.get("attributes", {})}
    properties: dict = {
        "TableName": physical_name(stage, name),
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [
            {"AttributeName": a, "KeyType": k}
            for a, k in zip(key_names, kinds, strict=True)
        ],
        "AttributeDefinitions": [
            {"AttributeName": a, "AttributeType": t} for a, t in attributes.items()
        ],
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True},
        "Tags": [{"Key": "pakn-stage", "Value": stage}],
    }
    indexes = spec.get("indexes", {})
    if indexes:
        properties["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index_name,
                "KeySchema": [
                    {"AttributeName": a, "KeyType": k} for a, k in index["key"].items()
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index_name, index in indexes.items()
        ]
    if spec.get("stream"):
        properties["StreamSpecification"] = {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    if spec.get("ttl"):
        ttl = {"AttributeName": spec["ttl"], "Enabled": True}
        properties["TimeToLiveSpecification"] = ttl
    return {"Type": "AWS::DynamoDB::Table", **_RETAIN, "Properties": properties}


def bucket_resources(stage: str, domain: str) -> dict:
    block_public = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    # SSE-S3 keeps presigned POSTs and the functions free of KMS permissions.
    encryption = {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    # The browser uploads with a presigned POST and reads with presigned GETs.
    cors = {
        "AllowedOrigins": [f"https://{domain}"],
        "AllowedMethods": ["POST", "GET"],
        "AllowedHeaders": ["*"],
        "MaxAge": 600,
    }
    bucket = {
        "Type": "AWS::S3::Bucket",
        **_RETAIN,
        "Properties": {
            "BucketName": physical_name(stage, "attachments"),
            "PublicAccessBlockConfiguration": block_public,
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [encryption]},
            "OwnershipControls": {
                "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]
            },
            "CorsConfiguration": {"CorsRules": [cors]},
            "Tags": [{"Key": "pakn-stage", "Value": stage}],
        },
    }
    only_tls = {
        "Sid": "OnlyTls",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [
            _get_att("AttachmentsBucket"),
            {"Fn::Sub": "${AttachmentsBucket.Arn}/*"},
        ],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    policy = {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": "AttachmentsBucket"},
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [only_tls]},
        },
    }
    return {"AttachmentsBucket": bucket, "AttachmentsBucketPolicy": policy}


def user_pool_resources(stage: str) -> dict:
    # Cognito sends the verification SMS itself, through a role of ours.
    external_id = physical_name(stage, "cognito-sms")
    sms_role = _role(
        "cognito-idp.amazonaws.com",
        {
            "StringEquals": {
                "sts:ExternalId": external_id,
                "aws:SourceAccount": {"Ref": "AWS::AccountId"},
            }
        },
        "send-sms",
        _allow("sns:Publish", "*"),
    )
    custom = {
        "AttributeDataType": "String",
        "Mutable": True,
        "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"},
    }
    password = {
        "MinimumLength": 8,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": False,
    }
    pool = {
        "Type": "AWS::Cognito::UserPool",
        **_RETAIN,
        "Properties": {
            "UserPoolName": physical_name(stage, "users"),
            # A citizen's username *is* the phone number (sign_up passes it as
            # Username) and staff have plain usernames, as on the local stack: so
            # neither UsernameAttributes nor an alias.
            "UsernameConfiguration": {"CaseSensitive": False},
            "AutoVerifiedAttributes": ["phone_number"],
            "UserAttributeUpdateSettings": {
                "AttributesRequireVerificationBeforeUpdate": ["phone_number"]
            },
            "AccountRecoverySetting": {
                "RecoveryMechanisms": [{"Name": "verified_phone_number", "Priority": 1}]
            },
            "Policies": {"PasswordPolicy": password},
            "Schema": [{"Name": "agency_id", **custom}, {"Name": "consent", **custom}],
            "SmsConfiguration": {
                "SnsCallerArn": _get_att("UserPoolSmsRole"),
                "ExternalId": external_id,
            },
            "SmsVerificationMessage": "Mã xác nhận PAKN của bạn: {####}",
            "DeletionProtection": "ACTIVE",
            # The functions' policy file finds this stage's pool by this tag.
            "UserPoolTags": {"pakn-stage": stage},
        },
    }
    client = {
        "Type": "AWS::Cognito::UserPoolClient",
        "Properties": {
            "UserPoolId": {"Ref": "UserPool"},
            "ClientName": "web",
            "GenerateSecret": False,
            "ExplicitAuthFlows": [
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
            ],
            # The id token carries the phone only if the client may read it.
            "ReadAttributes": ["name", "phone_number", "custom:agency_id"],
            # Without this list a user may write every attribute with their own access
            # token: a citizen could give themselves an agency.
            "WriteAttributes": ["name", "phone_number", "custom:consent"],
            "PreventUserExistenceErrors": "ENABLED",
            "EnableTokenRevocation": True,
        },
    }
    resources = {
        "UserPoolSmsRole": sms_role,
        "UserPool": pool,
        "UserPoolClient": client,
    }
    for group in GROUPS:
        _add(
            resources,
            logical_id(group, "Group"),
            {
                "Type": "AWS::Cognito::UserPoolGroup",
                "Properties": {"UserPoolId": {"Ref": "UserPool"}, "GroupName": group},
            },
        )
    return resources


def workflow_resources(stage: str, province: dict) -> dict:
    """The role Step Functions assumes, and a state machine per default unit."""
    # Imported here: the adapter pulls in boto3, which nothing else here needs.
    from chalicelib.adapters.workflows import machine_name

    # Assumed only for this stage's machines, the app's later versions included.
    machines = (
        "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:"
        + physical_name(stage, "*")
    )
    # Exactly what compile_asl's states do: put a human task, write the outcome.
    role = _role(
        "states.amazonaws.com",
        {"ArnLike": {"aws:SourceArn": {"Fn::Sub": machines}}},
        "workflow-steps",
        _allow("dynamodb:PutItem", _get_att(table_id("tasks"))),
        _allow("dynamodb:UpdateItem", _get_att(table_id("reports"))),
    )
    # A fixed name, so that the policy file can let the app pass this role only.
    role["Properties"]["RoleName"] = physical_name(stage, "workflow")

    resources = {"WorkflowRole": role}
    with _environment(PAKN_STAGE=stage):  # machine_name reads the stage from it
        for unit_id, spec_name in workflow_units(province).items():
            spec = load_json(INFRA / "workflows" / f"{spec_name}.json")
            definition = compile_asl(
                spec,
                tasks_table=physical_name(stage, "tasks"),
                reports_table=physical_name(stage, "reports"),
            )
            machine = {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "StateMachineName": machine_name(unit_id, 1),
                    "StateMachineType": "STANDARD",
                    "RoleArn": _get_att("WorkflowRole"),
                    "Definition": definition,
                },
            }
            _add(resources, logical_id(unit_id, "Workflow"), machine)
    return resources


def stream_failure_queue(stage: str) -> dict:
    # A stream keeps its records for 24 hours; the queue keeps where a failed batch
    # was (shard and sequence numbers) for 14 days, for someone to look and replay.
    properties = {
        "QueueName": physical_name(stage, "stream-failures"),
        "MessageRetentionPeriod": 14 * 24 * 3600,
        "SqsManagedSseEnabled": True,
    }
    return {"StreamFailureQueue": {"Type": "AWS::SQS::Queue", "Properties": properties}}


# --- Chalice's functions -----------------------------------------------------------


@dataclass(frozen=True)
class Function:
    logical_id: str
    name: str  # the handler's name in app.py, or "api"
    stream_table: str | None = None  # for an on_dynamodb_record handler


_PLACEHOLDER_TABLE = re.compile(r":table/pakn-(?P<table>[^/]+)/stream/")


def chalice_functions() -> list[Function]:
    """The Lambda functions `chalice package` makes of app.py, with their ids.

    Read from the app itself, so that a new handler gets the environment too.
    """
    from chalice.app import DynamoDBEventConfig

    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    app = importlib.import_module("app").app
    if app.websocket_handlers:
        raise PackageError("websocket handlers are not wired into the template yet")

    functions = [Function("APIHandler", "api")] if app.routes else []
    for source in app.event_sources:
        table = None
        if isinstance(source, DynamoDBEventConfig):
            found = _PLACEHOLDER_TABLE.search(source.stream_arn)
            if not found:
                raise PackageError(f"{source.name}: no table in {source.stream_arn}")
            table = found["table"]
        functions.append(Function(logical_id(source.name, ""), source.name, table))
    for function in app.pure_lambda_functions:
        functions.append(Function(logical_id(function.name, ""), function.name))
    return functions


def stream_source(table: str) -> dict:
    """What the DynamoDB event source of a stream handler needs beyond Chalice's."""
    failures = {"Type": "SQS", "Destination": _get_att("StreamFailureQueue")}
    return {
        # app.py can only name a literal ARN, and it is unknown before the table is.
        "Stream": _get_att(table_id(table), "StreamArn"),
        # LATEST would skip what was written while the mapping was being created.
        "StartingPosition": "TRIM_HORIZON",
        # The handlers report failed records; a poisoned one is isolated by bisecting,
        # retried, then recorded in the queue: never dropped silently.
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "BisectBatchOnFunctionError": True,
        "MaximumRetryAttempts": 5,
        "DestinationConfig": {"OnFailure": failures},
        # An alert's batches are items of their own: up to 10 run at once per shard.
        **({"ParallelizationFactor": 10} if table == "alerts" else {}),
    }


def function_overrides(stage: str, province: dict, tables: dict) -> dict:
    environment = {
        "PAKN_STAGE": stage,
        "PAKN_PROVINCE": province["code"],
        "PAKN_USER_POOL_ID": {"Ref": "UserPool"},
        "PAKN_USER_POOL_CLIENT_ID": {"Ref": "UserPoolClient"},
        "PAKN_WORKFLOW_ROLE_ARN": _get_att("WorkflowRole"),
        # SNS platform applications have no CloudFormation resource: an administrator
        # creates them with the FCM and APNs credentials (docs/deploy.md).
        "PAKN_PUSH_FCM_ARN": {"Ref": "PushFcmArn"},
        "PAKN_PUSH_APNS_ARN": {"Ref": "PushApnsArn"},
    }
    overrides = {}
    for function in chalice_functions():
        properties: dict = {
            # Named like `chalice deploy` names them, so that the policy file can
            # scope the log groups to /aws/lambda/pakn-<stage>-*.
            "FunctionName": physical_name(stage, function.name),
            "Environment": {"Variables": environment},
        }
        table = function.stream_table
        if table is not None:
            if not tables.get(table, {}).get("stream"):
                raise PackageError(f"{function.name} reads {table!r}: it has no stream")
            source_id = logical_id(f"{function.name}-dynamodb-event-source", "")
            properties["Events"] = {source_id: {"Properties": stream_source(table)}}
        overrides[function.logical_id] = {"Properties": properties}
    return overrides


# --- the merge template ------------------------------------------------------------


def merge_template(stage: str) -> dict:
    """Everything of the stack that Chalice does not generate, and our overrides."""
    province = province_settings(stage)
    tables = table_definitions()
    resources: dict = {}
    for name, spec in tables.items():
        _add(resources, table_id(name), table_resource(stage, name, spec))
    groups = (
        bucket_resources(stage, province["domain"]),
        user_pool_resources(stage),
        workflow_resources(stage, province),
        stream_failure_queue(stage),
        function_overrides(stage, province, tables),
    )
    for group in groups:
        for resource_id, resource in group.items():
            _add(resources, resource_id, resource)

    # What `make deploy` needs to seed the stack: workflow records, staff accounts.
    outputs = {
        "UserPoolId": {"Value": {"Ref": "UserPool"}},
        "UserPoolClientId": {"Value": {"Ref": "UserPoolClient"}},
        "AttachmentsBucketName": {"Value": {"Ref": "AttachmentsBucket"}},
        "WorkflowRoleArn": {"Value": _get_att("WorkflowRole")},
        "StreamFailureQueueUrl": {"Value": {"Ref": "StreamFailureQueue"}},
    }
    for unit_id in workflow_units(province):
        machine = logical_id(unit_id, "Workflow")
        outputs[f"{machine}Arn"] = {"Value": {"Ref": machine}}
    return {
        "Description": f"pakn, citizens' feedback: the stack of {province['name_en']}",
        "Parameters": {
            "PushFcmArn": {
                "Type": "String",
                "Default": "",
                "Description": "SNS platform application (FCM) for Android and the web",
            },
            "PushApnsArn": {
                "Type": "String",
                "Default": "",
                "Description": "SNS platform application (APNs) for iOS",
            },
        },
        "Resources": resources,
        "Outputs": outputs,
    }


# --- chalice package, our checks, cfn-lint -----------------------------------------


@contextmanager
def _environment(**values: str):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_chalice_package(stage: str, merge_file: Path, out: Path) -> None:
    env = {**os.environ, **FAKE_AWS}
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        env.pop(name, None)
    command = [sys.executable, "-m", "infra.package", "chalice", "--runtime", RUNTIME]
    command += ["package", "--stage", stage, "--merge-template", str(merge_file)]
    command += [str(out)]
    answer = subprocess.run(
        command, cwd=PROJECT, env=env, capture_output=True, text=True
    )
    said = answer.stdout + answer.stderr
    # Chalice reports wheels it could not get as a warning, and carries on.
    if answer.returncode != 0 or "Could not install dependencies" in said:
        raise PackageError(f"chalice package failed:\n{said}")


def _chalice_for_runtime(runtime: str, args: list[str]) -> int:
    """Run the Chalice CLI as if this Python were ``runtime``.

    Chalice 1.34 asks pip for wheels of the runtime's ABI but not of its Python
    version, so pip answers for the running one; ``--python-version`` fixes that.
    """
    from chalice import cli, config
    from chalice.deploy import packager

    version = runtime.removeprefix("python")
    execute = packager.PipRunner._execute

    def execute_for_runtime(self, command, pip_args, *rest, **kwargs):
        if command == "download" and "--abi" in pip_args:
            pip_args = ["--python-version", version, *pip_args]
        return execute(self, command, pip_args, *rest, **kwargs)

    config.Config.lambda_python_version = property(lambda self: runtime)
    packager.PipRunner._execute = execute_for_runtime
    sys.argv = ["chalice", *args]
    return cli.main()


def check_package(template: dict, package: Path) -> list[str]:
    """What cfn-lint cannot see: a placeholder left over, a wheel for another Python."""
    problems = []
    for resource_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        properties = resource["Properties"]
        if properties["Runtime"] != RUNTIME:
            problems.append(f"{resource_id} runs {properties['Runtime']}")
        variables = properties.get("Environment", {}).get("Variables", {})
        if "PAKN_USER_POOL_ID" not in variables:
            problems.append(f"{resource_id} lacks the stack's environment")
        for event_id, event in properties.get("Events", {}).items():
            stream = event["Properties"].get("Stream")
            if event["Type"] == "DynamoDB" and not isinstance(stream, dict):
                problems.append(f"{event_id} still reads {stream}")

    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
    abi = "cpython-" + RUNTIME.removeprefix("python").replace(".", "")
    for name in names:
        # Only compiled modules matter: a stray .pyc of another Python is ignored.
        if name.endswith(".so") and ".cpython-" in name and abi not in name:
            problems.append(f"{name} is built for another Python")
    # Chalice leaves out a package it could not get, with a warning, and a later run
    # reuses that zip from its cache without one: so look for every requirement.
    packaged = {
        _normalized(name.split(".dist-info/")[0].rsplit("-", 1)[0])
        for name in names
        if ".dist-info/" in name
    }
    for requirement in _requirements():
        if requirement not in packaged:
            problems.append(f"{requirement} is missing from the package")
    return problems


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _requirements() -> list[str]:
    names = []
    for line in (PROJECT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.append(_normalized(re.split(r"[\[=<>!~; ]", line)[0]))
    return names


def lint(template: Path, region: str) -> tuple[list, list]:
    """cfn-lint's errors, and its other findings, on one template file."""
    from cfnlint.api import ManualArgs, lint_file

    config = ManualArgs(regions=[region], ignore_checks=list(IGNORED_CHECKS))
    matches = lint_file(template, config=config)
    errors = [m for m in matches if m.rule.id.startswith("E")]
    return errors, [m for m in matches if not m.rule.id.startswith("E")]


def build(stage: str, out: Path, build_dir: Path | None = None) -> Build:
    """Write the merge template, package with Chalice, check and lint the result.

    Raises PackageError when the package is unfit; cfn-lint's errors are returned.
    """
    started = time.monotonic()
    out = out.resolve()
    build_dir = (build_dir or PROJECT / "build").resolve()
    build_dir.mkdir(parents=True, exist_ok=True)
    merge_file = build_dir / f"merge-{stage}.json"
    text = json.dumps(merge_template(stage), indent=2, ensure_ascii=False)
    merge_file.write_text(text, encoding="utf-8")

    run_chalice_package(stage, merge_file, out)
    template_file, package = out / "sam.json", out / "deployment.zip"
    problems = check_package(load_json(template_file), package)
    if problems:
        raise PackageError("the package is not fit to deploy:\n" + "\n".join(problems))

    errors, warnings = lint(template_file, province_settings(stage)["region"])
    seconds = time.monotonic() - started
    return Build(merge_file, template_file, package, errors, warnings, seconds)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["chalice"]:  # internal: the subprocess run_chalice_package starts
        inner = argparse.ArgumentParser(prog="python -m infra.package chalice")
        inner.add_argument("--runtime", required=True)
        known, rest = inner.parse_known_args(argv[1:])
        return _chalice_for_runtime(known.runtime, rest)

    parser = argparse.ArgumentParser(
        prog="python -m infra.package", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--stage", required=True, help="the province's stage")
    parser.add_argument("--out", type=Path, default=PROJECT / "build" / "package")
    args = parser.parse_args(argv)
    try:
        result = build(args.stage, args.out)
    except PackageError as error:
        print(error, file=sys.stderr)
        return 1
    for match in result.warnings + result.errors:
        print(match, file=sys.stderr)
    print(
        f"{result.template} and {result.package} in {result.seconds:.0f} s; cfn-lint: "
        f"{len(result.errors)} errors, {len(result.warnings)} warnings"
    )
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
