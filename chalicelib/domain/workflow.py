"""Workflow specs: the steps a unit takes a report through, and their ASL.

A spec is data (``infra/workflows/*.json``, then versions edited by agency leaders)::

    {"start": "assign", "reopen_step": "process",
     "steps": {"assign": {"actor": {"group": "agency_leader"}, "deadline_days": 5,
                          "decisions": {"assign": "process", "transfer": "@handoff"}},
               ...}}

``actor`` names a group, and optionally who in it: ``assignee_from`` (the officer an
earlier ``assign`` chose) or ``user`` (a named officer). A decision leads to another
step or to an end: ``@handoff`` (route or transfer to the agency the decision names),
``@reject``, ``@merge``, ``@publish``; ``@ask_citizen`` waits for the citizen's answer
and comes back to the same step.

Each step compiles to a Task that writes a human task into the tasks table and waits
for its token, and a Choice on the decision; each end compiles to an ``updateItem``
that writes the outcome onto the report, where the stream handler picks it up. An
entry Choice lets an execution start at any step (``resume_step``): a reopened report
goes back to the processing step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.errors import ValidationError, field_error

ENDS = ("@handoff", "@reject", "@publish", "@merge")
ASK = "@ask_citizen"
# The groups whose members work a unit's inbox (``<unit>#<group>``).
GROUPS = ("reception", "officer", "agency_leader")
# Names the compiled ASL uses for its own states, and the shape of a step's name: ASL
# caps state names at 80 characters and a step adds up to 13 to its own.
RESERVED_NAMES = ("entry", "unknown_decision")
_STEP_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_DEADLINE_DAYS = 365
# The law gives an agency that is not competent 5 working days to transfer a report:
# the deadline of its first step unless the spec sets one.
FIRST_STEP_DAYS = 5

# Where a decision must lead, when it is not free to lead to any step.
_FIXED_TARGETS = {
    "route": "@handoff",
    "transfer": "@handoff",
    "reject": "@reject",
    "merge": "@merge",
    "request_info": ASK,
}
# The report's status once a decision leads to an end.
_END_STATUS = {
    "@handoff": "routed",
    "@reject": "rejected",
    "@merge": "merged",
    "@publish": "approved",
    # The report waits for the citizen only once their question step exists (the
    # tasks stream sets it), so that an answer is never refused for coming too soon.
    ASK: "in_progress",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # text, textarea, choice, uploads, number
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
    status: str  # the report's status when the decision leads to another step
    timeline: str  # the timeline entry it writes


def _decision(name, label, label_en, fields, status, timeline) -> Decision:
    return Decision(name, label, label_en, tuple(fields), status, timeline)


_REASON = Field("reason", "textarea", True, "Lý do", "Reason")

DECISIONS: dict[str, Decision] = {
    d.name: d
    for d in (
        _decision(
            "route",
            "Chuyển đơn vị xử lý",
            "Route to an agency",
            [Field("agency_id", "choice", True, "Đơn vị xử lý", "Agency", "agencies")],
            "routed",
            "routed",
        ),
        _decision(
            "reject", "Từ chối tiếp nhận", "Reject", [_REASON], "rejected", "rejected"
        ),
        _decision(
            "merge",
            "Gộp vào phản ánh trước",
            "Merge into an earlier report",
            [
                Field(
                    "into_code",
                    "text",
                    True,
                    "Mã phản ánh trước",
                    "Earlier report's code",
                )
            ],
            "merged",
            "merged",
        ),
        _decision(
            "assign",
            "Phân công",
            "Assign",
            [
                Field(
                    "officer_id", "choice", True, "Cán bộ xử lý", "Officer", "officers"
                )
            ],
            "in_progress",
            "assigned",
        ),
        _decision(
            "resolve",
            "Báo cáo kết quả",
            "Record the result",
            [
                Field("result", "textarea", True, "Kết quả xử lý", "Result"),
                Field("upload_ids", "uploads", False, "Ảnh kết quả", "Result photos"),
            ],
            "resolved",
            "resolved",
        ),
        _decision(
            "transfer",
            "Chuyển đơn vị khác",
            "Transfer to another agency",
            [
                Field("agency_id", "choice", True, "Đơn vị nhận", "Agency", "agencies"),
                _REASON,
            ],
            "routed",
            "transferred",
        ),
        _decision(
            "request_info",
            "Yêu cầu bổ sung thông tin",
            "Ask the citizen for more information",
            [Field("question", "textarea", True, "Nội dung cần bổ sung", "Question")],
            "waiting_citizen",
            "info_requested",
        ),
        _decision("approve", "Phê duyệt", "Approve", [], "resolved", "approved"),
        _decision(
            "return",
            "Trả lại xử lý lại",
            "Return for rework",
            [Field("note", "textarea", True, "Ghi chú", "Note")],
            "in_progress",
            "returned",
        ),
    )
}


def fixed_target(decision: str) -> str | None:
    """Where ``decision`` must lead, or None when it may lead to any step."""
    return _FIXED_TARGETS.get(decision)


def status_after(decision: str, target: str) -> str:
    """The report's status once ``decision`` is taken and leads to ``target``."""
    return _END_STATUS.get(target) or DECISIONS[decision].status


def first_step_days(spec: dict) -> int:
    return spec["steps"][spec["start"]].get("deadline_days", FIRST_STEP_DAYS)


def reopen_step(spec: dict) -> str:
    """Where a reopened report starts: the spec's choice, else the step that resolves."""
    if spec.get("reopen_step"):
        return spec["reopen_step"]
    for name, step in spec["steps"].items():
        if "resolve" in step["decisions"]:
            return name
    return spec["start"]


def _fail(where: str, vi: str, en: str) -> ValidationError:
    return ValidationError(
        code="invalid_workflow",
        message=f"Quy trình chưa hợp lệ: {vi}",
        message_en=f"The workflow is invalid: {en}",
        fields=field_error(where, vi, en),
    )


def validate_spec(spec: object) -> None:
    """Refuse a spec that could strand a report; the 422 names the faulty step."""
    if not isinstance(spec, dict):
        raise _fail("spec", "cần một đối tượng JSON.", "a JSON object is expected.")
    steps = spec.get("steps")
    start = spec.get("start")
    if not isinstance(steps, dict) or not steps:
        raise _fail(
            "steps", "quy trình chưa có bước nào.", "the workflow has no steps."
        )
    if not isinstance(start, str) or start not in steps:
        raise _fail(
            "start", "bước bắt đầu không tồn tại.", "the start step does not exist."
        )
    for name, step in steps.items():
        _check_step(name, step, steps)
    reopen = spec.get("reopen_step")
    if reopen is not None and (not isinstance(reopen, str) or reopen not in steps):
        raise _fail(
            "reopen_step",
            "bước mở lại không tồn tại.",
            "the reopen step does not exist.",
        )
    reachable = _reachable(steps, start)
    for name in steps:
        if name not in reachable:
            raise _fail(
                f"steps.{name}",
                f"bước {name} không thể đến được.",
                f"step {name} can never be reached.",
            )
    for name in steps:
        if not any(t in ENDS for t in _reachable_targets(steps, name)):
            raise _fail(
                f"steps.{name}",
                f"bước {name} không thể kết thúc.",
                f"step {name} can never reach an end.",
            )


def _check_step(name: str, step: object, steps: dict) -> None:
    where = f"steps.{name}"
    if not _STEP_NAME.match(name) or name in RESERVED_NAMES:
        raise _fail(
            where,
            f"tên bước {name} không hợp lệ (chữ thường, số, _; tối đa 40 ký tự).",
            f"step name {name} is invalid (lower case letters, "
            "digits, _; at most 40 characters).",
        )
    if not isinstance(step, dict):
        raise _fail(where, f"bước {name} không hợp lệ.", f"step {name} is malformed.")
    actor = step.get("actor") if isinstance(step.get("actor"), dict) else {}
    if actor.get("group") not in GROUPS:
        raise _fail(
            where,
            f"bước {name}: không ai được xử lý.",
            f"step {name}: nobody can act in it.",
        )
    source = actor.get("assignee_from")
    if source is not None and (
        not isinstance(source, str)
        or source not in steps
        or "assign" not in (steps[source] or {}).get("decisions", {})
    ):
        raise _fail(
            where,
            f"bước {name}: không có bước phân công {source}.",
            f"step {name}: there is no assigning step {source}.",
        )
    user = actor.get("user")
    if user is not None and source is not None:
        raise _fail(
            where,
            f"bước {name}: chỉ chọn một cán bộ được chỉ định hoặc cán "
            "bộ được phân công.",
            f"step {name}: name an officer or take the assigned one, not both.",
        )
    if user is not None and (not isinstance(user, str) or not user):
        raise _fail(
            where,
            f"bước {name}: cán bộ được chỉ định không hợp lệ.",
            f"step {name}: the named officer is invalid.",
        )
    days = step.get("deadline_days")
    if (
        not isinstance(days, int)
        or isinstance(days, bool)
        or not 1 <= days <= MAX_DEADLINE_DAYS
    ):
        raise _fail(
            where,
            f"bước {name}: thời hạn phải từ 1 đến {MAX_DEADLINE_DAYS} ngày làm việc.",
            f"step {name}: the deadline must be 1 to {MAX_DEADLINE_DAYS} working days.",
        )
    decisions = step.get("decisions")
    if not isinstance(decisions, dict) or not decisions:
        raise _fail(
            where,
            f"bước {name}: chưa có quyết định nào.",
            f"step {name}: it has no decisions.",
        )
    for decision, target in decisions.items():
        if not isinstance(target, str):
            target = ""  # leads nowhere; refused below
        if decision not in DECISIONS:
            raise _fail(
                where,
                f"bước {name}: quyết định {decision} không được hỗ trợ.",
                f"step {name}: unknown decision {decision}.",
            )
        fixed = _FIXED_TARGETS.get(decision)
        leads_somewhere = (
            (target == fixed) if fixed else (target in steps or target == "@publish")
        )
        if not leads_somewhere:
            raise _fail(
                where,
                f"bước {name}: quyết định {decision} không dẫn đến đâu.",
                f"step {name}: decision {decision} leads nowhere.",
            )


def _targets(step: dict, name: str) -> list[str]:
    # Asking the citizen comes back to the same step.
    return [name if t == ASK else t for t in step["decisions"].values()]


def _reachable(steps: dict, start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen or name not in steps:
            continue
        seen.add(name)
        todo.extend(_targets(steps[name], name))
    return seen


def _reachable_targets(steps: dict, start: str) -> set[str]:
    targets: set[str] = set()
    for name in _reachable(steps, start):
        targets.update(_targets(steps[name], name))
    return targets


def compile_asl(spec: dict, *, tasks_table: str, reports_table: str) -> dict:
    """Amazon States Language for ``spec``.

    The execution's input is ``{"report_id", "unit_id", "spec_version" (a string),
    "owner_sub", "steps": {}, "resume_step"}``; ``resume_step`` is "" to begin at the
    start step, or the step to begin at. Each
    step's decision lands at ``$.steps.<step>`` so later steps can read it (the
    officer that ``assign`` chose, for instance).
    """
    validate_spec(spec)
    states: dict[str, dict] = {"entry": _entry_state(spec)}
    for name, step in spec["steps"].items():
        states[name] = _task_state(name, step, tasks_table)
        choices = []
        for decision, target in step["decisions"].items():
            nxt = target if target in spec["steps"] else f"{name}{target}"
            if target in ENDS:
                states[nxt] = _end_state(name, target, reports_table)
            elif target == ASK:
                states[nxt] = _ask_state(name, tasks_table)
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
        "StartAt": "entry",
        "States": states,
    }


def _entry_state(spec: dict) -> dict:
    # Every execution's input carries resume_step ("" for the start step): moto's
    # interpreter evaluates both sides of an And, so IsPresent cannot guard it.
    return {
        "Type": "Choice",
        "Choices": [
            {"Variable": "$.resume_step", "StringEquals": name, "Next": name}
            for name in spec["steps"]
        ],
        "Default": spec["start"],
    }


# A new task's ``due_sort`` until the tasks stream gives it its due time: after every
# real one, so that the staff list (queue-index) holds the task from the start.
NO_DUE = "9999-12-31T23:59:59Z"


def _task_item(
    step: str, group: str, decisions: list[str], deadline_days: int, inbox: str
) -> dict:
    return {
        "id": {"S.$": "States.UUID()"},
        "report_id": {"S.$": "$.report_id"},
        "unit_id": {"S.$": "$.unit_id"},
        "inbox": {"S.$": inbox},
        "step": {"S": step},
        "group": {"S": group},
        "status": {"S": "open"},
        "deadline_days": {"N": str(deadline_days)},
        "decisions": {"SS": sorted(decisions)},
        "token": {"S.$": "$$.Task.Token"},
        "execution": {"S.$": "$$.Execution.Name"},
        "spec_version": {"S.$": "$.spec_version"},
        "created_at": {"S.$": "$$.State.EnteredTime"},
        "due_sort": {"S": NO_DUE},
    }


def _wait(item: dict, tasks_table: str, result_path: str, nxt: str) -> dict:
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken",
        "Parameters": {"TableName": tasks_table, "Item": item},
        "ResultPath": result_path,
        "Next": nxt,
    }


def _task_state(name: str, step: dict, tasks_table: str) -> dict:
    actor = step["actor"]
    group = actor["group"]
    item = _task_item(
        name,
        group,
        list(step["decisions"]),
        step["deadline_days"],
        f"States.Format('{{}}#{group}', $.unit_id)",
    )
    if actor.get("user"):
        item["assignee"] = {"S": actor["user"]}
    elif actor.get("assignee_from"):
        item["assignee"] = {"S.$": f"$.steps.{actor['assignee_from']}.officer_id"}
    return _wait(item, tasks_table, f"$.steps.{name}", f"{name}?")


def _ask_state(step: str, tasks_table: str) -> dict:
    """The citizen's turn: a task in their own inbox, then back to ``step``."""
    item = _task_item(
        f"{step}{ASK}",
        "citizen",
        ["answer"],
        1,
        "States.Format('citizen#{}', $.owner_sub)",
    )
    item["assignee"] = {"S.$": "$.owner_sub"}
    item["question"] = {"S.$": f"$.steps.{step}.question"}
    return _wait(item, tasks_table, f"$.answers.{step}", step)


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
