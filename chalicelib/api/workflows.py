"""A unit's workflow: read it, save a new version, list the versions, restore one.

Any staff member reads a unit's current workflow, drawn for the panel as steps in the
order a report meets them. The agency's own leader, or an administrator, saves a new
version (checked by ``validate_spec``, then here for what needs the users table: a step
that names an officer must name one of the agency's, in the step's group), lists the
versions and restores one. The reception desk's workflow is changed by administrators
only. Reports already in a unit keep the version they started on.
"""

from __future__ import annotations

import copy
import re

from chalice import Blueprint

from chalicelib.adapters.identity import Caller
from chalicelib.adapters.tables import UserModel
from chalicelib.api.http import json_body, route
from chalicelib.domain.workflow import (
    ASK,
    DECISIONS,
    ENDS,
    fixed_target,
    validate_spec,
)
from chalicelib.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
    field_error,
)
from chalicelib.services import paging, reference, workflow_specs
from chalicelib.services.accounts import GROUP_LABELS

bp = Blueprint(__name__)

RECEPTION = "reception"
NOTE_MAX = 500
LABEL_MAX = 200
MAX_STEPS = 30
MAX_VERSION = 99_999  # versions are kept as v00001 .. v99999
# Step names become state names (``<step>@ask_citizen`` and the like, at most 80
# characters in ASL) and must not meet the states compile_asl adds itself.
_STEP_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_RESERVED_STEPS = {"entry", "unknown_decision"}

# Who can act in a unit's steps: the staff task routes serve these groups only, and
# a task's inbox is the unit's own (``<unit>#<group>``).
_UNIT_GROUPS = {
    RECEPTION: ("reception",),
    "agency": ("officer", "agency_leader"),
}
END_LABELS = {
    "@handoff": ("Chuyển đến đơn vị được chọn", "Hand over to the chosen agency"),
    "@reject": ("Kết thúc: không tiếp nhận", "End: rejected"),
    "@merge": ("Kết thúc: gộp vào phản ánh trước", "End: merged into a report"),
    "@publish": ("Kết thúc: công khai kết quả", "End: publish the result"),
    ASK: (
        "Hỏi người dân, rồi quay lại bước này",
        "Ask the citizen, then come back to this step",
    ),
}
RECEPTION_NAMES = ("Bộ phận tiếp nhận", "Reception desk")


# ---------------------------------------------------------------- routes


@route(
    bp,
    "/agencies/{agency_id}/workflow",
    "GET",
    "A unit's current workflow, drawn as steps, with what an editor may choose.",
    auth="staff",
    errors=(404,),
)
def get_workflow(agency_id, caller):
    unit = _unit(agency_id)
    return _present(unit, workflow_specs.current(agency_id), caller)


@route(
    bp,
    "/agencies/{agency_id}/workflow",
    "PUT",
    "Save a new version of a unit's workflow (its leader, or an administrator).",
    auth="staff",
    groups=("agency_leader", "admin"),
    request={
        "spec": {"type": "object"},
        "note": {"type": "string"},
        "base_version": {"type": "integer"},
    },
    errors=(404, 409, 422),
)
def put_workflow(agency_id, caller):
    unit = _unit(agency_id)
    _may_change(caller, unit)
    body = json_body(bp.current_request)
    if not isinstance(body, dict):
        raise _invalid("body", "Cần một đối tượng JSON.", "A JSON object is expected.")
    note = _note(body.get("note"))
    spec = _checked(unit, body.get("spec"))
    _expect_version(unit["id"], body.get("base_version"))
    data = workflow_specs.deploy(unit["id"], spec, actor=caller.sub, note=note)
    return _present(unit, data, caller)


@route(
    bp,
    "/agencies/{agency_id}/workflow/versions",
    "GET",
    "The versions of a unit's workflow, newest first.",
    auth="staff",
    groups=("agency_leader", "admin"),
    query=("limit", "cursor"),
    errors=(404,),
)
def list_versions(agency_id, caller):
    unit = _unit(agency_id)
    _may_change(caller, unit)
    params = bp.current_request.query_params or {}
    page = workflow_specs.list_versions(
        unit["id"], paging.limit_of(params.get("limit")), params.get("cursor")
    )
    names = _names(item.get("created_by") for item in page["items"])
    for item in page["items"]:
        item["created_by_name"] = names.get(item.get("created_by"))
    current = workflow_specs.current(unit["id"])
    return {**page, "current_version": current["version"]}


@route(
    bp,
    "/agencies/{agency_id}/workflow/versions/{version}",
    "GET",
    "One version of a unit's workflow, with its spec.",
    auth="staff",
    groups=("agency_leader", "admin"),
    errors=(404,),
)
def get_version(agency_id, version, caller):
    unit = _unit(agency_id)
    _may_change(caller, unit)
    data = workflow_specs.version(unit["id"], _version_number(version))
    return _present(unit, data, caller)


@route(
    bp,
    "/agencies/{agency_id}/workflow/versions/{version}/restore",
    "POST",
    "A new version carrying an old version's spec.",
    auth="staff",
    groups=("agency_leader", "admin"),
    request={"base_version": {"type": "integer"}},
    errors=(404, 409, 422),
)
def restore_version(agency_id, version, caller):
    unit = _unit(agency_id)
    _may_change(caller, unit)
    body = json_body(bp.current_request)
    number = _version_number(version)
    old = workflow_specs.version(unit["id"], number)
    # The old spec passed when it was saved; its named officers may have left since.
    _checked(unit, old.get("spec"))
    _expect_version(
        unit["id"], body.get("base_version") if isinstance(body, dict) else None
    )
    data = workflow_specs.restore(unit["id"], number, actor=caller.sub)
    return _present(unit, data, caller)


# ---------------------------------------------------------------- who and what


def _unit(unit_id: str) -> dict:
    if unit_id == RECEPTION:
        vi, en = RECEPTION_NAMES
        return {"id": RECEPTION, "name": vi, "name_en": en, "kind": RECEPTION}
    agency = reference.by_id("agency").get(unit_id)
    if agency is None:
        raise NotFoundError(
            code="unit_not_found",
            message="Không tìm thấy đơn vị.",
            message_en="Unit not found.",
        )
    return {
        "id": unit_id,
        "name": agency.get("name"),
        "name_en": agency.get("name_en"),
        "kind": "agency",
    }


def _can_change(caller: Caller, unit: dict) -> bool:
    if "admin" in caller.groups:
        return True
    return (
        unit["kind"] != RECEPTION
        and "agency_leader" in caller.groups
        and caller.agency_id == unit["id"]
    )


def _may_change(caller: Caller, unit: dict) -> None:
    if not _can_change(caller, unit):
        raise ForbiddenError(
            code="not_your_workflow",
            message="Chỉ lãnh đạo đơn vị hoặc quản trị viên được quản lý quy trình này.",
            message_en="Only the unit's leader or an administrator manages this workflow.",
        )


def _version_number(raw: str) -> int:
    if raw.isdigit() and 1 <= int(raw) <= MAX_VERSION:
        return int(raw)
    raise NotFoundError(
        code="workflow_version_not_found",
        message="Không tìm thấy phiên bản quy trình.",
        message_en="Workflow version not found.",
    )


def _expect_version(unit_id: str, base_version: object) -> None:
    """With ``base_version``, refuse to save over a version the caller has not seen."""
    if base_version is None:
        return
    if not isinstance(base_version, int) or isinstance(base_version, bool):
        raise _invalid(
            "base_version",
            "Phiên bản gốc phải là số.",
            "base_version must be a number.",
        )
    if int(workflow_specs.current(unit_id)["version"]) != base_version:
        raise ConflictError(
            code="workflow_changed",
            message="Quy trình vừa được người khác cập nhật, vui lòng tải lại.",
            message_en="Someone else changed the workflow meanwhile; reload it.",
        )


def _note(raw: object) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str) or len(raw) > NOTE_MAX:
        raise _invalid(
            "note",
            f"Ghi chú tối đa {NOTE_MAX} ký tự.",
            f"The note is at most {NOTE_MAX} characters.",
        )
    return raw.strip()


# ---------------------------------------------------------------- checking a spec


def _invalid(where: str, vi: str, en: str) -> ValidationError:
    return ValidationError(fields=field_error(where, vi, en))


def _bad_spec(where: str, vi: str, en: str) -> ValidationError:
    """The same body as ``validate_spec``'s refusals."""
    return ValidationError(
        code="invalid_workflow",
        message=f"Quy trình chưa hợp lệ: {vi}",
        message_en=f"The workflow is invalid: {en}",
        fields=field_error(where, vi, en),
    )


def _optional_text(value: object) -> bool:
    return value is None or (isinstance(value, str) and len(value) <= LABEL_MAX)


def _optional_name(value: object) -> bool:
    return value is None or isinstance(value, str)


def _check_shape(spec: object) -> None:
    """JSON types first, so that ``validate_spec`` only ever meets the types it knows."""
    if not isinstance(spec, dict):
        raise _bad_spec("spec", "cần một đối tượng JSON.", "a JSON object is expected.")
    for key in ("label", "label_en"):
        if not _optional_text(spec.get(key)):
            raise _bad_spec(
                key,
                f"tên quy trình tối đa {LABEL_MAX} ký tự.",
                f"the workflow's name is at most {LABEL_MAX} characters.",
            )
    for key in ("start", "reopen_step"):
        if not _optional_name(spec.get(key)):
            raise _bad_spec(key, "cần tên một bước.", "a step's name is expected.")
    steps = spec.get("steps")
    if not isinstance(steps, dict):
        return  # validate_spec names it
    if len(steps) > MAX_STEPS:
        raise _bad_spec(
            "steps",
            f"quy trình có tối đa {MAX_STEPS} bước.",
            f"a workflow has at most {MAX_STEPS} steps.",
        )
    for name, step in steps.items():
        _check_step_shape(name, step)


def _check_step_shape(name: str, step: object) -> None:
    where = f"steps.{name}"
    if not _STEP_NAME.match(name) or name in _RESERVED_STEPS:
        raise _bad_spec(
            where,
            f"tên bước {name} phải gồm chữ thường không dấu, chữ số hoặc _ (tối đa 40 "
            "ký tự), và không trùng tên dành riêng.",
            f"step name {name} must be lower-case letters, digits or _ (at most 40), "
            "and not a reserved name.",
        )
    if not isinstance(step, dict):
        raise _bad_spec(
            where, f"bước {name} không hợp lệ.", f"step {name} is malformed."
        )
    if not (_optional_text(step.get("label")) and _optional_text(step.get("label_en"))):
        raise _bad_spec(
            where,
            f"bước {name}: tên bước tối đa {LABEL_MAX} ký tự.",
            f"step {name}: its label is at most {LABEL_MAX} characters.",
        )
    actor = step.get("actor")
    if actor is not None and not (
        isinstance(actor, dict)
        and all(
            _optional_name(actor.get(k)) for k in ("group", "assignee_from", "user")
        )
    ):
        raise _bad_spec(
            where,
            f"bước {name}: người xử lý không hợp lệ.",
            f"step {name}: who acts in it is malformed.",
        )
    decisions = step.get("decisions")
    if isinstance(decisions, dict) and not all(
        isinstance(t, str) for t in decisions.values()
    ):
        raise _bad_spec(
            where,
            f"bước {name}: mỗi quyết định phải dẫn đến một bước hoặc một kết thúc.",
            f"step {name}: each decision must lead to a step or an end.",
        )


def _checked(unit: dict, spec: object) -> dict:
    """The spec as it will be saved, or a 422 naming the faulty step."""
    _check_shape(spec)
    validate_spec(spec)
    allowed = _UNIT_GROUPS[unit["kind"]]
    members = None
    for name, step in spec["steps"].items():
        actor = step["actor"]
        group = actor["group"]
        if group not in allowed:
            vi, en = GROUP_LABELS[group]
            raise _bad_spec(
                f"steps.{name}",
                f"bước {name}: nhóm {vi} không xử lý công việc của đơn vị này.",
                f"step {name}: the group {en} does not act in this unit's work.",
            )
        if actor.get("user") is None:
            continue
        if members is None:
            members = _staff(unit["id"])
        user = members.get(actor["user"])
        if user is None or group not in (user.groups or []):
            raise _bad_spec(
                f"steps.{name}",
                f"bước {name}: cán bộ được chỉ định không thuộc nhóm "
                f"{GROUP_LABELS[group][0]} của đơn vị.",
                f"step {name}: the named officer is not in this unit's "
                f"{GROUP_LABELS[group][1]} group.",
            )
    return _clean(spec)


def _clean(spec: dict) -> dict:
    """Only what a spec means: no stray keys stored with a version."""
    out: dict = {"start": spec["start"], "steps": {}}
    for key in ("label", "label_en", "reopen_step"):
        if spec.get(key) is not None:
            out[key] = spec[key]
    for name, step in spec["steps"].items():
        actor = {
            k: step["actor"][k]
            for k in ("group", "assignee_from", "user")
            if step["actor"].get(k) is not None
        }
        clean = {
            "actor": actor,
            "deadline_days": step["deadline_days"],
            "decisions": dict(step["decisions"]),
        }
        for key in ("label", "label_en"):
            if step.get(key) is not None:
                clean[key] = step[key]
        out["steps"][name] = clean
    return copy.deepcopy(out)


def _staff(unit_id: str) -> dict[str, UserModel]:
    return {u.sub: u for u in UserModel.agency_index.query(unit_id)}


def _names(subs) -> dict[str, str]:
    wanted = {s for s in subs if s}
    if not wanted:
        return {}
    return {u.sub: u.name or u.username for u in UserModel.batch_get(list(wanted))}


# ---------------------------------------------------------------- the answer


def _present(unit: dict, data: dict, caller: Caller) -> dict:
    spec = data.get("spec") or {}
    staff = _staff(unit["id"])
    names = {sub: u.name or u.username for sub, u in staff.items()}
    names.update(_names([data.get("created_by")]))
    step_names = list(spec.get("steps", {}))
    return {
        "unit_id": unit["id"],
        "unit_name": unit["name"],
        "unit_name_en": unit["name_en"],
        "version": data.get("version"),
        "spec": spec,
        "created_at": data.get("created_at"),
        "created_by": data.get("created_by"),
        "created_by_name": names.get(data.get("created_by")),
        "note": data.get("note"),
        "restored_from": data.get("restored_from"),
        "start": spec.get("start"),
        "reopen_step": spec.get("reopen_step"),
        "steps": _drawn_steps(spec, names),
        "decisions_catalogue": [
            {
                "decision": d.name,
                "label": d.label,
                "label_en": d.label_en,
                "fixed": fixed_target(d.name) is not None,
                "targets": (
                    [fixed_target(d.name)]
                    if fixed_target(d.name)
                    else [*step_names, "@publish"]
                ),
            }
            for d in DECISIONS.values()
        ],
        "ends": [
            {"target": end, "label": vi, "label_en": en}
            for end, (vi, en) in END_LABELS.items()
        ],
        "groups": [
            {"group": g, "label": GROUP_LABELS[g][0], "label_en": GROUP_LABELS[g][1]}
            for g in _UNIT_GROUPS[unit["kind"]]
        ],
        "officers": sorted(
            (
                {"sub": u.sub, "name": u.name or u.username}
                for u in staff.values()
                if "officer" in (u.groups or [])
            ),
            key=lambda o: o["name"] or "",
        ),
        "can_edit": _can_change(caller, unit),
    }


def _order(spec: dict) -> list[str]:
    """Steps as a report meets them: breadth first from the start, by decision."""
    steps = spec.get("steps", {})
    order: list[str] = []
    todo = [spec.get("start")]
    while todo:
        name = todo.pop(0)
        if name in steps and name not in order:
            order.append(name)
            todo.extend(steps[name].get("decisions", {}).values())
    return order + [n for n in steps if n not in order]


def _drawn_steps(spec: dict, names: dict[str, str]) -> list[dict]:
    steps = spec.get("steps", {})
    drawn = []
    for name in _order(spec):
        step = steps[name]
        actor = step.get("actor", {})
        group_vi, group_en = GROUP_LABELS.get(actor.get("group"), (None, None))
        decisions = []
        for decision, target in step.get("decisions", {}).items():
            known = DECISIONS.get(decision)
            if target in steps:
                to_vi = steps[target].get("label") or target
                to_en = steps[target].get("label_en") or to_vi
            else:
                to_vi, to_en = END_LABELS.get(target, (target, target))
            decisions.append(
                {
                    "decision": decision,
                    "label": known.label if known else decision,
                    "label_en": known.label_en if known else decision,
                    "target": target,
                    "target_label": to_vi,
                    "target_label_en": to_en,
                    "ends": target in ENDS,
                }
            )
        drawn.append(
            {
                "name": name,
                "label": step.get("label") or name,
                "label_en": step.get("label_en") or step.get("label") or name,
                "group": actor.get("group"),
                "group_label": group_vi,
                "group_label_en": group_en,
                "assignee_from": actor.get("assignee_from"),
                "user": actor.get("user"),
                "user_name": names.get(actor.get("user")),
                "deadline_days": step.get("deadline_days"),
                "start": name == spec.get("start"),
                "decisions": decisions,
            }
        )
    return drawn
