"""Workflow specs as versioned data: each version its own state machine.

Reference items: ``workflow``/<unit> is the unit's current version; each version is kept
as ``workflow#<unit>``/``v00007`` with its spec and state machine. Running executions
keep the machine they started on; new ones use the current version.
"""

from __future__ import annotations

import copy

from pynamodb.exceptions import PutError

from chalicelib import settings
from chalicelib.adapters import workflows
from chalicelib.adapters.tables import ReferenceModel
from chalicelib.domain import clock
from chalicelib.domain.workflow import compile_asl, validate_spec
from chalicelib.errors import ConflictError, NotFoundError
from chalicelib.services import paging, reference


def _versions_kind(unit_id: str) -> str:
    return f"workflow#{unit_id}"


def _version_id(version: int) -> str:
    return f"v{version:05d}"


def current(unit_id: str) -> dict:
    try:
        return reference.get("workflow", unit_id)
    except NotFoundError as error:
        raise NotFoundError(
            code="workflow_not_found",
            message="Đơn vị chưa có quy trình xử lý.",
            message_en="This unit has no workflow.",
        ) from error


def version(unit_id: str, number: int) -> dict:
    """One version of a unit's spec (the one a running execution started on)."""
    try:
        item = ReferenceModel.get(_versions_kind(unit_id), _version_id(number))
    except ReferenceModel.DoesNotExist as error:
        raise NotFoundError(
            code="workflow_version_not_found",
            message="Không tìm thấy phiên bản quy trình.",
            message_en="Workflow version not found.",
        ) from error
    return dict(item.data)


def list_versions(unit_id: str, limit: int, cursor: str | None) -> dict:
    results = ReferenceModel.query(
        _versions_kind(unit_id),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=paging.decode(cursor),
    )
    return paging.page(
        results,
        lambda item: {
            k: item.data.get(k)
            for k in ("version", "created_at", "created_by", "note", "restored_from")
        },
    )


def deploy(
    unit_id: str,
    spec: dict,
    *,
    actor: str | None = None,
    note: str | None = None,
    restored_from: int | None = None,
) -> dict:
    """Validate, compile and create the next version's state machine; make it current.

    The version number is reserved first (a conditional put), so two leaders saving at
    once get one new version each, never one machine for two specs.
    """
    validate_spec(spec)
    spec = copy.deepcopy(spec)
    spec["unit"] = unit_id
    try:  # read past the cache: another process may have saved a version
        number = int(ReferenceModel.get("workflow", unit_id).data["version"]) + 1
    except ReferenceModel.DoesNotExist:
        number = 1
    asl = compile_asl(
        spec,
        tasks_table=settings.table_name("tasks"),
        reports_table=settings.table_name("reports"),
    )
    data = {
        "version": number,
        "spec": spec,
        "created_at": clock.iso(clock.now()),
        "created_by": actor,
        "note": note,
        "restored_from": restored_from,
    }
    reserved = ReferenceModel(_versions_kind(unit_id), _version_id(number), data=data)
    try:
        reserved.save(condition=ReferenceModel.id.does_not_exist())
    except PutError as error:
        raise ConflictError(
            code="workflow_changed",
            message="Quy trình vừa được người khác cập nhật.",
            message_en="Someone else changed the workflow meanwhile.",
        ) from error
    try:
        arn = workflows.create_machine(workflows.machine_name(unit_id, number), asl)
    except Exception:
        reserved.delete()
        raise
    data["state_machine_arn"] = arn
    reserved.update(actions=[ReferenceModel.data.set(data)])
    reference.put("workflow", unit_id, data)
    return data


def restore(unit_id: str, number: int, *, actor: str | None = None) -> dict:
    """A new version carrying an old version's spec."""
    old = version(unit_id, number)
    return deploy(unit_id, old["spec"], actor=actor, restored_from=number)
