"""The CloudFormation template and deployment package of a province (infra/package.py).

The module builds the kontum package once, for real: `chalice package` runs pip, so a
first build on a machine takes up to a minute (7 s here with pip's cache warm); Chalice
keeps the zip in .chalice/deployments and reuses it while the code is unchanged. The
test that imports the package on the Lambda runtime's Python skips without one.
"""

from __future__ import annotations

import copy
import fnmatch
import json
import os
import shutil
import subprocess
import zipfile
from glob import glob
from pathlib import Path

import pytest
from cfnlint.api import lint

from chalicelib.domain.workflow import compile_asl
from infra import bootstrap, package

STAGE = "kontum"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    where = tmp_path_factory.mktemp("package")
    return package.build(STAGE, where / "out", build_dir=where)


@pytest.fixture(scope="module")
def resources(built):
    return package.load_json(built.template)["Resources"]


def _of_type(resources, kind):
    return {rid: r for rid, r in resources.items() if r["Type"] == kind}


# --- the whole template --------------------------------------------------------------


def test_cfn_lint_finds_no_error_in_the_template(built):
    assert [str(m) for m in built.errors] == []


def test_every_table_is_there_with_pitr_and_the_streams_it_declares(resources):
    for name, spec in package.table_definitions().items():
        table = resources[package.table_id(name)]
        properties = table["Properties"]

        assert table["Type"] == "AWS::DynamoDB::Table"
        assert properties["TableName"] == f"pakn-{STAGE}-{name}"
        assert properties["BillingMode"] == "PAY_PER_REQUEST"
        assert properties["PointInTimeRecoverySpecification"] == {
            "PointInTimeRecoveryEnabled": True
        }
        assert properties["SSESpecification"] == {"SSEEnabled": True}
        if spec.get("stream"):
            assert properties["StreamSpecification"] == {
                "StreamViewType": "NEW_AND_OLD_IMAGES"
            }
        else:
            assert "StreamSpecification" not in properties
        if spec.get("ttl"):
            assert properties["TimeToLiveSpecification"] == {
                "AttributeName": spec["ttl"],
                "Enabled": True,
            }
        for index in properties.get("GlobalSecondaryIndexes", []):
            assert index["Projection"] == {"ProjectionType": "ALL"}


def test_stream_handlers_read_their_tables_from_the_trim_horizon(resources):
    functions = _of_type(resources, "AWS::Serverless::Function")
    expected = {
        "OnReportsStream": "ReportsTable",
        "OnTasksStream": "TasksTable",
        "OnOutboxStream": "OutboxTable",
        "OnAlertsStream": "AlertsTable",
        "OnReportsStatsStream": "ReportsTable",
        "OnTimelineStream": "TimelineTable",
    }
    found = {}
    for function_id, function in functions.items():
        for event in function["Properties"].get("Events", {}).values():
            if event["Type"] == "DynamoDB":
                found[function_id] = event["Properties"]

    assert set(found) == set(expected)
    for function_id, source in found.items():
        assert source["Stream"] == {"Fn::GetAtt": [expected[function_id], "StreamArn"]}
        assert source["StartingPosition"] == "TRIM_HORIZON"
        assert source["BisectBatchOnFunctionError"] is True
        assert source["MaximumRetryAttempts"] == 5
        assert source["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        queue = source["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"]
        assert resources[queue[0]]["Type"] == "AWS::SQS::Queue"


def test_a_state_machine_exists_for_reception_and_every_agency(resources):
    agencies = package.province_settings(STAGE)["agencies"]
    machines = _of_type(resources, "AWS::StepFunctions::StateMachine")
    names = {m["Properties"]["StateMachineName"] for m in machines.values()}

    assert names == {
        f"pakn-{STAGE}-{unit}-v1"
        for unit in ["reception", *(a["id"] for a in agencies)]
    }
    for machine in machines.values():
        properties = machine["Properties"]
        assert properties["RoleArn"] == {"Fn::GetAtt": ["WorkflowRole", "Arn"]}
        tables = {
            s["Parameters"]["TableName"]
            for s in properties["Definition"]["States"].values()
            if s["Type"] == "Task"
        }
        assert tables <= {f"pakn-{STAGE}-tasks", f"pakn-{STAGE}-reports"}


def test_the_workflow_role_may_only_put_tasks_and_update_reports(resources):
    role = resources["WorkflowRole"]["Properties"]
    grants = [
        (s["Action"], s["Resource"])
        for policy in role["Policies"]
        for s in policy["PolicyDocument"]["Statement"]
    ]

    assert sorted(grants) == [
        ("dynamodb:PutItem", {"Fn::GetAtt": ["TasksTable", "Arn"]}),
        ("dynamodb:UpdateItem", {"Fn::GetAtt": ["ReportsTable", "Arn"]}),
    ]


def test_every_function_gets_the_stack_environment(resources):
    for function in _of_type(resources, "AWS::Serverless::Function").values():
        variables = function["Properties"]["Environment"]["Variables"]

        assert variables["PAKN_USER_POOL_ID"] == {"Ref": "UserPool"}
        assert variables["PAKN_USER_POOL_CLIENT_ID"] == {"Ref": "UserPoolClient"}
        assert variables["PAKN_WORKFLOW_ROLE_ARN"] == {
            "Fn::GetAtt": ["WorkflowRole", "Arn"]
        }
        assert variables["PAKN_STAGE"] == STAGE
        assert variables["PAKN_PROVINCE"] == STAGE


def test_citizens_cannot_write_their_own_agency(resources):
    client = resources["UserPoolClient"]["Properties"]

    assert "custom:agency_id" in client["ReadAttributes"]
    assert "custom:agency_id" not in client["WriteAttributes"]


def _statements(node):
    """Every IAM statement anywhere in the template, policies and trust alike."""
    if isinstance(node, dict):
        if "Effect" in node and ("Action" in node or "NotAction" in node):
            yield node
        for value in node.values():
            yield from _statements(value)
    elif isinstance(node, list):
        for value in node:
            yield from _statements(value)


def _grants(statement, action):
    def matches(patterns):
        patterns = patterns if isinstance(patterns, list) else [patterns]
        return any(fnmatch.fnmatch(action.lower(), p.lower()) for p in patterns)

    if statement["Effect"] != "Allow":
        return False
    if "NotAction" in statement:
        return not matches(statement["NotAction"])
    return matches(statement["Action"])


def test_no_policy_grants_dynamodb_scan(resources):
    statements = list(_statements(resources))

    assert len(statements) > 20  # the walk does find the policies
    assert [s for s in statements if _grants(s, "dynamodb:Scan")] == []


def test_the_package_runs_on_the_lambda_runtime(built, tmp_path):
    python = _runtime_python()
    if python is None:
        pytest.skip(f"no {package.RUNTIME} here; set PAKN_RUNTIME_PYTHON to one")
    task = tmp_path / "task"
    with zipfile.ZipFile(built.package) as archive:
        archive.extractall(task)
    # Lambda's runtime brings boto3; the package brings everything else.
    provided = tmp_path / "runtime"
    provided.mkdir()
    for module in ("boto3", "botocore", "s3transfer"):
        origin = Path(__import__(module).__file__).parent
        (provided / module).symlink_to(origin)

    answer = subprocess.run(
        [python, "-I", "-c", _SMOKE, str(task), str(provided)],
        cwd=tmp_path,
        env={
            "PAKN_STAGE": STAGE,
            "AWS_DEFAULT_REGION": "ap-southeast-1",
            "PATH": os.environ.get("PATH", ""),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.split() == ["app", "image", "jwt"]


# The imports that need compiled code: Pillow, and cryptography through cffi.
_SMOKE = """
import io, sys
sys.path[:0] = sys.argv[1:]
import app
print("app")
from PIL import Image
buffer = io.BytesIO()
Image.new("RGB", (2, 2)).save(buffer, "WEBP")
Image.open(io.BytesIO(buffer.getvalue())).load()
print("image")
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
token = jwt.encode({"sub": "x"}, key, algorithm="RS256")
jwt.decode(token, key.public_key(), algorithms=["RS256"])
print("jwt")
"""


def _runtime_python() -> str | None:
    version = package.RUNTIME.removeprefix("python")
    pyenv = os.path.expanduser(f"~/.pyenv/versions/{version}*/bin/python{version}")
    candidates = [
        os.environ.get("PAKN_RUNTIME_PYTHON"),
        shutil.which(f"python{version}"),
    ]
    probe = f"import sys; assert sys.version.startswith('{version}.')"
    for candidate in filter(None, [*candidates, *sorted(glob(pyenv))]):
        # A pyenv shim exists even when its version is not selected: ask it.
        answer = subprocess.run([candidate, "-c", probe], capture_output=True)
        if answer.returncode == 0:
            return candidate
    return None


# --- fast: parts of the template on their own ----------------------------------------


def _machine_template(definition: dict) -> str:
    role = f"arn:aws:iam::123456789012:role/pakn-{STAGE}-workflow"
    machine = {"RoleArn": role, "Definition": definition}
    resources = {
        "Workflow": {"Type": "AWS::StepFunctions::StateMachine", "Properties": machine}
    }
    return json.dumps({"Resources": resources})


WORKFLOW_SPECS = sorted((package.INFRA / "workflows").glob("*.json"))


def _compiled(path: Path) -> dict:
    return compile_asl(
        package.load_json(path),
        tasks_table="pakn-kontum-tasks",
        reports_table="pakn-kontum-reports",
    )


def _agency_asl() -> dict:
    return _compiled(package.INFRA / "workflows" / "agency-default.json")


def test_every_default_workflow_is_linted():
    assert {p.stem for p in WORKFLOW_SPECS} >= {"reception", "agency-default"}


@pytest.mark.parametrize("spec_path", WORKFLOW_SPECS, ids=lambda p: p.stem)
def test_compiled_asl_passes_cfn_lints_state_machine_checks(spec_path):
    matches = lint(_machine_template(_compiled(spec_path)), regions=["ap-southeast-1"])

    assert [str(m) for m in matches] == []


def test_cfn_lint_would_catch_a_broken_state_machine():
    broken = copy.deepcopy(_agency_asl())
    del broken["States"]["assign?"]["Choices"]

    matches = lint(_machine_template(broken), regions=["ap-southeast-1"])

    assert {m.rule.id for m in matches} == {"E3601"}


def test_tables_have_the_keys_and_indexes_of_the_local_stack():
    # The local stack (infra/bootstrap.py) creates its tables from the same file; the
    # two translations must agree, or local and production drift apart.
    for name, spec in package.table_definitions().items():
        cloud = package.table_resource(STAGE, name, spec)["Properties"]
        local = bootstrap.create_table_kwargs(name, spec)

        assert cloud["KeySchema"] == local["KeySchema"]
        assert cloud["AttributeDefinitions"] == local["AttributeDefinitions"]
        assert cloud.get("GlobalSecondaryIndexes") == local.get(
            "GlobalSecondaryIndexes"
        )


def test_two_units_whose_ids_meet_in_one_logical_id_are_refused():
    province = {"agencies": [{"id": "so-xay-dung"}, {"id": "so_xay_dung"}]}

    with pytest.raises(package.PackageError, match="SoXayDungWorkflow"):
        package.workflow_resources(STAGE, province)


def test_the_policy_file_is_scoped_to_its_stage():
    policy = package.load_json(package.PROJECT / ".chalice" / f"policy-{STAGE}.json")
    scoped = [s for s in policy["Statement"] if s["Resource"] != "*"]

    assert scoped
    for statement in scoped:
        resources = statement["Resource"]
        resources = resources if isinstance(resources, list) else [resources]
        by_name = all(f"pakn-{STAGE}-" in r for r in resources)
        condition = statement.get("Condition", {}).get("StringEquals", {})
        by_tag = condition.get("aws:ResourceTag/pakn-stage") == STAGE
        assert by_name or by_tag, statement["Sid"]
