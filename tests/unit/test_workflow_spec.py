"""Workflow specs are checked before they compile; the default ones compile."""

import copy
import json
from pathlib import Path

import pytest

from chalicelib.domain.workflow import compile_asl, validate_spec
from chalicelib.errors import ValidationError

WORKFLOWS = Path(__file__).resolve().parents[2] / "infra" / "workflows"
DEFAULT = json.loads((WORKFLOWS / "agency-default.json").read_text())


@pytest.mark.parametrize("name", ["reception", "agency-default"])
def test_default_specs_are_valid(name):
    validate_spec(json.loads((WORKFLOWS / f"{name}.json").read_text()))


def _broken(mutate):
    spec = copy.deepcopy(DEFAULT)
    mutate(spec)
    with pytest.raises(ValidationError) as caught:
        validate_spec(spec)
    return caught.value.fields


def test_a_step_nobody_can_act_in_is_named():
    fields = _broken(lambda s: s["steps"]["approve"]["actor"].update(group="nobody"))
    assert "steps.approve" in fields


def test_a_decision_leading_nowhere_is_named():
    fields = _broken(lambda s: s["steps"]["assign"]["decisions"].update(assign="lost"))
    assert "steps.assign" in fields


def test_a_deadline_of_zero_is_refused():
    fields = _broken(lambda s: s["steps"]["process"].update(deadline_days=0))
    assert "steps.process" in fields


def test_a_step_that_cannot_reach_an_end_is_named():
    def loop(spec):
        spec["steps"]["approve"]["decisions"] = {"return": "process"}
        spec["steps"]["process"]["decisions"] = {"resolve": "approve"}

    assert "steps.assign" in _broken(loop) or "steps.process" in _broken(loop)


def test_an_unreachable_step_is_named():
    def orphan(spec):
        spec["steps"]["extra"] = copy.deepcopy(spec["steps"]["approve"])

    assert "steps.extra" in _broken(orphan)


def test_compiled_asl_waits_for_a_token_and_branches_on_the_decision():
    asl = compile_asl(DEFAULT, tasks_table="tasks", reports_table="reports")
    assert asl["StartAt"] == "entry"
    entry = asl["States"]["entry"]
    assert entry["Default"] == "assign"
    assert {c["StringEquals"]: c["Next"] for c in entry["Choices"]}["process"] == (
        "process"
    )
    task = asl["States"]["process"]
    assert task["Resource"].endswith("dynamodb:putItem.waitForTaskToken")
    assert task["ResultPath"] == "$.steps.process"
    assert task["Parameters"]["Item"]["assignee"] == {
        "S.$": "$.steps.assign.officer_id"
    }
    choices = {
        c["StringEquals"]: c["Next"] for c in asl["States"]["process?"]["Choices"]
    }
    assert choices == {
        "resolve": "approve",
        "transfer": "process@handoff",
        "request_info": "process@ask_citizen",
    }
    ask = asl["States"]["process@ask_citizen"]
    assert ask["Next"] == "process"
    assert ask["Parameters"]["Item"]["group"] == {"S": "citizen"}
    end = asl["States"]["approve@publish"]
    assert end["End"] is True
    assert end["Parameters"]["TableName"] == "reports"


def test_request_info_must_ask_the_citizen_and_route_must_hand_off():
    fields = _broken(
        lambda s: s["steps"]["process"]["decisions"].update(request_info="approve")
    )
    assert "steps.process" in fields
    fields = _broken(lambda s: s["steps"]["assign"]["decisions"].update(transfer="x"))
    assert "steps.assign" in fields


def test_named_officer_and_assignee_source_are_checked():
    fields = _broken(
        lambda s: s["steps"]["process"]["actor"].update(assignee_from="approve")
    )
    assert "steps.process" in fields


@pytest.mark.parametrize(
    "mutate, where",
    [
        (
            lambda s: s["steps"]["assign"]["decisions"].update(assign=["x"]),
            "steps.assign",
        ),
        (lambda s: s.update(start=["assign"]), "start"),
        (lambda s: s.update(reopen_step={"a": 1}), "reopen_step"),
        (
            lambda s: s["steps"]["process"]["actor"].update(assignee_from=["assign"]),
            "steps.process",
        ),
        (lambda s: s["steps"]["process"]["actor"].update(user="u-1"), "steps.process"),
        (
            lambda s: s["steps"]["approve"]["actor"].update(group="admin"),
            "steps.approve",
        ),
    ],
)
def test_malformed_specs_are_422_not_500(mutate, where):
    assert where in _broken(mutate)


@pytest.mark.parametrize("name", ["entry", "unknown_decision", "Bước 1", "x" * 41])
def test_step_names_that_would_break_the_asl_are_refused(name):
    def add(spec):
        spec["steps"][name] = copy.deepcopy(spec["steps"]["approve"])
        spec["steps"]["process"]["decisions"]["resolve"] = name

    assert f"steps.{name}" in _broken(add)
