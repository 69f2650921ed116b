"""Step Functions: the state machines of workflow specs and their executions."""

from __future__ import annotations

import json

from botocore.exceptions import ClientError

from chalicelib import settings
from chalicelib.adapters.aws import client
from chalicelib.errors import ConflictError, DependencyError


class StaleTaskError(ConflictError):
    code = "task_token_stale"
    message = "Bước xử lý này đã hết hiệu lực."
    message_en = "This task is no longer waiting for a decision."


def machine_name(unit_id: str, version: int) -> str:
    return f"pakn-{settings.stage()}-{unit_id}-v{version}"


def create_machine(name: str, definition: dict) -> str:
    sfn = client("stepfunctions")
    try:
        return sfn.create_state_machine(
            name=name,
            definition=json.dumps(definition),
            roleArn=settings.workflow_role_arn(),
            type="STANDARD",
        )["stateMachineArn"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "StateMachineAlreadyExists":
            account = client("sts").get_caller_identity()["Account"]
            return f"arn:aws:states:{settings.region()}:{account}:stateMachine:{name}"
        raise DependencyError() from error


def start(machine_arn: str, name: str, payload: dict) -> str:
    """Start an execution; a retry with the same name is a no-op."""
    sfn = client("stepfunctions")
    try:
        return sfn.start_execution(
            stateMachineArn=machine_arn, name=name, input=json.dumps(payload)
        )["executionArn"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "ExecutionAlreadyExists":
            return machine_arn.replace(":stateMachine:", ":execution:") + ":" + name
        raise DependencyError() from error


def send_success(token: str, output: dict) -> None:
    try:
        client("stepfunctions").send_task_success(
            taskToken=token, output=json.dumps(output)
        )
    except ClientError as error:
        if error.response["Error"]["Code"] in (
            "TaskTimedOut",
            "InvalidToken",
            "TaskDoesNotExist",
        ):
            raise StaleTaskError() from error
        raise DependencyError() from error


def execution_status(machine_arn: str, name: str) -> str:
    """RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED."""
    arn = machine_arn.replace(":stateMachine:", ":execution:") + ":" + name
    try:
        return client("stepfunctions").describe_execution(executionArn=arn)["status"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "ExecutionDoesNotExist":
            return "MISSING"
        raise DependencyError() from error
