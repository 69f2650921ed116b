"""Workflow specs: the steps a unit takes a report through, and their ASL.

A spec is data (``infra/workflows/*.json``)::

    {"start": "assign",
     "steps": {"assign": {"actor": {"group": "agency_leader"}, "deadline_days": 1,
                          "decisions": {"assign": "process"}}, ...}}

A decision leads to another step or to an end: ``@handoff`` (the report goes to the
agency the decision names), ``@reject`` or ``@publish``. Each step compiles to a Task
that writes a human task into the tasks table and waits for its token, and a Choice on
the decision; each end compiles to an ``updateItem`` that writes the outcome onto the
report, where the stream handler picks it up (DESIGN.md section 5).
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.errors import ValidationError, field_error

ENDS = ("@handoff", "@reject", "@publish")
GROUPS = ("reception", "officer", "agency_leader", "province_leader", "admin")


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # text, textarea, choice, uploads
    required: bool
    label: str
    label_en: str
    options_from: str | None = None  # "agencies" or "officers"


@dataclass(frozen=True)
class Decision:
    name: str
    label: str
    label_en: str
    fields: tuple[Field, ...]
    status: str  # the report's status once decided
    timeline: str  # the timeline entry it writes


_NOTE_REQUIRED = Field("note", "textarea", True, "Ghi chú", "Note")

DECISIONS: dict[str, Decision] = {
    d.name: d
    for d in (
        Decision(
            "route",
            "Chuyển đơn vị xử lý",
            "Route to an agency",
            (Field("agency_id", "choice", True, "Đơn vị xử lý", "Agency", "agencies"),),
            "routed",
            "routed",
        ),
        Decision(
            "reject",
            "Từ chối tiếp nhận",
            "Reject",
            (Field("reason", "textarea", True, "Lý do", "Reason"),),
            "rejected",
            "rejected",
        ),
        Decision(
            "assign",
            "Phân công",
            "Assign",
            (
                Field(
                    "officer_id", "choice", True, "Cán bộ xử lý", "Officer", "officers"
                ),
            ),
            "in_progress",
            "assigned",
        ),
        Decision(
            "resolve",
            "Báo cáo kết quả",
            "Record the result",
            (
                Field("result", "textarea", True, "Kết quả xử lý", "Result"),
                Field("upload_ids", "uploads", False, "Ảnh kết quả", "Result photos"),
            ),
            "resolved",
            "resolved",
        ),
        Decision(
            "transfer",
            "Chuyển đơn vị khác",
            "Transfer to another agency",
            (
                Field("agency_id", "choice", True, "Đơn vị nhận", "Agency", "agencies"),
                Field("reason", "textarea", True, "Lý do", "Reason"),
            ),
            "routed",
            "routed",
        ),
        Decision("approve", "Phê duyệt", "Approve", (), "approved", "approved"),
        Decision(
            "return",
            "Trả lại xử lý lại",
            "Return for rework",
            (_NOTE_REQUIRED,),
            "in_progress",
            "returned",
        ),
    )
}


def validate_spec(spec: dict) -> None:
    """Refuse a spec that could strand a report; the 422 names the faulty step."""
    steps = spec.get("steps")
    start = spec.get("start")
    if not isinstance(steps, dict) or not steps:
        raise ValidationError(
            fields=field_error(
                "steps", "Quy trình chưa có bước nào.", "The workflow has no steps."
            )
        )
    if start not in steps:
        raise ValidationError(
            fields=field_error(
                "start", "Bước bắt đầu không tồn tại.", "The start step does not exist."
            )
        )
    for name, step in steps.items():
        where = f"steps.{name}"
        actor = step.get("actor") or {}
        if actor.get("group") not in GROUPS:
            raise ValidationError(
                fields=field_error(
                    where,
                    f"Bước {name}: không ai được xử lý.",
                    f"Step {name}: nobody can act in it.",
                )
            )
        days = step.get("deadline_days")
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise ValidationError(
                fields=field_error(
                    where,
                    f"Bước {name}: thời hạn phải từ 1 ngày làm việc.",
                    f"Step {name}: the deadline must be at least one working day.",
                )
            )
        decisions = step.get("decisions") or {}
        if not decisions:
            raise ValidationError(
                fields=field_error(
                    where,
                    f"Bước {name}: chưa có quyết định nào.",
                    f"Step {name}: it has no decisions.",
                )
            )
        for decision, target in decisions.items():
            if decision not in DECISIONS:
                raise ValidationError(
                    fields=field_error(
                        where,
                        f"Bước {name}: quyết định {decision} không được hỗ trợ.",
                        f"Step {name}: unknown decision {decision}.",
                    )
                )
            if target not in steps and target not in ENDS:
                raise ValidationError(
                    fields=field_error(
                        where,
                        f"Bước {name}: quyết định {decision} không dẫn đến đâu.",
                        f"Step {name}: decision {decision} leads nowhere.",
                    )
                )
    reachable = _reachable(steps, start)
    for name in steps:
        if name not in reachable:
            raise ValidationError(
                fields=field_error(
                    f"steps.{name}",
                    f"Bước {name}: không thể đến được.",
                    f"Step {name}: it can never be reached.",
                )
            )
    for name in steps:
        if not any(t in ENDS for t in _reachable_targets(steps, name)):
            raise ValidationError(
                fields=field_error(
                    f"steps.{name}",
                    f"Bước {name}: không thể kết thúc.",
                    f"Step {name}: it can never reach an end.",
                )
            )


def _reachable(steps: dict, start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen or name not in steps:
            continue
        seen.add(name)
        todo.extend(steps[name]["decisions"].values())
    return seen


def _reachable_targets(steps: dict, start: str) -> set[str]:
    targets: set[str] = set()
    for name in _reachable(steps, start):
        targets.update(steps[name]["decisions"].values())
    return targets


def compile_asl(spec: dict, *, tasks_table: str, reports_table: str) -> dict:
    """Amazon States Language for ``spec``.

    The execution's input is ``{"report_id", "unit_id", "spec_version"}``; each step's
    decision lands at ``$.steps.<step>`` so later steps can read it (the officer that
    ``assign`` chose, for instance).
    """
    validate_spec(spec)
    states: dict[str, dict] = {}
    for name, step in spec["steps"].items():
        states[name] = _task_state(name, step, tasks_table)
        choices = []
        for decision, target in step["decisions"].items():
            nxt = target if target in spec["steps"] else f"{name}{target}"
            if target in ENDS:
                states[nxt] = _end_state(name, target, reports_table)
            choices.append(
                {
                    "Variable": f"$.steps.{name}.decision",
                    "StringEquals": decision,
                    "Next": nxt,
                }
            )
        states[f"{name}?"] = {
            "Type": "Choice",
            "Choices": choices,
            "Default": "unknown_decision",
        }
    states["unknown_decision"] = {
        "Type": "Fail",
        "Error": "UnknownDecision",
        "Cause": "The decision is not allowed in this step.",
    }
    return {
        "Comment": spec.get("label_en", "pakn workflow"),
        "StartAt": spec["start"],
        "States": states,
    }


def _task_state(name: str, step: dict, tasks_table: str) -> dict:
    group = step["actor"]["group"]
    item = {
        "id": {"S.$": "States.UUID()"},
        "report_id": {"S.$": "$.report_id"},
        "unit_id": {"S.$": "$.unit_id"},
        "inbox": {"S.$": f"States.Format('{{}}#{group}', $.unit_id)"},
        "step": {"S": name},
        "group": {"S": group},
        "status": {"S": "open"},
        "deadline_days": {"N": str(step["deadline_days"])},
        "decisions": {"SS": sorted(step["decisions"])},
        "token": {"S.$": "$$.Task.Token"},
        "execution": {"S.$": "$$.Execution.Name"},
        "created_at": {"S.$": "$$.State.EnteredTime"},
    }
    source = step["actor"].get("assignee_from")
    if source:
        item["assignee"] = {"S.$": f"$.steps.{source}.officer_id"}
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken",
        "Parameters": {"TableName": tasks_table, "Item": item},
        "ResultPath": f"$.steps.{name}",
        "Next": f"{name}?",
    }


def _end_state(step: str, end: str, reports_table: str) -> dict:
    values = {
        ":kind": {"S": end.lstrip("@")},
        ":execution": {"S.$": "$$.Execution.Name"},
        ":unit": {"S.$": "$.unit_id"},
    }
    update = "SET outcome = :kind, outcome_execution = :execution, outcome_unit = :unit"
    if end == "@handoff":
        values[":agency"] = {"S.$": f"$.steps.{step}.agency_id"}
        update += ", outcome_agency = :agency"
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::aws-sdk:dynamodb:updateItem",
        "Parameters": {
            "TableName": reports_table,
            "Key": {"id": {"S.$": "$.report_id"}},
            "UpdateExpression": update,
            "ExpressionAttributeValues": values,
        },
        "ResultPath": None,
        "End": True,
    }


def step_of(spec: dict, step: str) -> dict:
    return spec["steps"][step]
