"""Reports through agency workflows: transfer, merge, questions, deadlines, ratings.

Time comes from the system clock the tests move (``clock.advance``); no test sleeps
for a deadline.
"""

import json
from datetime import timedelta
from pathlib import Path

import boto3
import pytest

from app import sweep_deadlines
from chalicelib.adapters.tables import TaskModel
from chalicelib.domain import clock
from chalicelib.domain.calendar import WorkingCalendar
from tests.integration.conftest import sms_messages
from tests.integration.test_bad_input import assert_error, snapshot
from tests.integration.test_report_lifecycle import CITIZEN, REPORT

SCHEDULE_EVENT = json.loads(
    (Path(__file__).parents[1] / "events" / "schedule.json").read_text()
)
STEP_OF = {
    "route": "triage",
    "reject": "triage",
    "merge": "triage",
    "assign": "assign",
    "resolve": "process",
    "request_info": "process",
    "approve": "approve",
    "return": "approve",
}


@pytest.fixture(autouse=True)
def real_time():
    clock.reset()
    yield
    clock.reset()


def file(stack, **change):
    created = stack.call("POST", "/v1/reports", CITIZEN, {**REPORT, **change})
    assert created.status_code == 201, created.json_body
    return created.json_body


def decide(stack, user, report_id, decision, step=None, **fields):
    task = stack.open_task(report_id, step or STEP_OF.get(decision, decision))
    answer = stack.call(
        "POST",
        f"/v1/staff/tasks/{task.id}/decision",
        user,
        {"decision": decision, **fields},
    )
    assert answer.status_code == 200, answer.json_body
    return task


def officer_of(stack, leader):
    items = stack.call("GET", "/v1/staff/tasks", leader).json_body["items"]
    assign = next(d for d in items[0]["allowed_decisions"] if d["decision"] == "assign")
    return assign["fields"][0]["options"][0]["value"]


def to_process(stack, report_id, agency="so-xay-dung", leader="lanhdao.sxd"):
    decide(stack, "tiepnhan", report_id, "route", agency_id=agency)
    stack.open_task(report_id, "assign")
    decide(stack, leader, report_id, "assign", officer_id=officer_of(stack, leader))
    return stack.open_task(report_id, "process")


def publish(stack, report_id):
    to_process(stack, report_id)
    decide(stack, "chuyenvien.sxd", report_id, "resolve", result="Đã xử lý xong.")
    decide(stack, "lanhdao.sxd", report_id, "approve")
    stack.settle(
        lambda: stack.call("GET", f"/v1/public/reports/{report_id}").status_code == 200
    )


def view(stack, report_id, user=CITIZEN):
    return stack.call("GET", f"/v1/reports/{report_id}", user).json_body


def test_transfer_continues_in_the_other_agency_with_both_on_the_timeline(stack):
    report = file(stack)
    to_process(stack, report["id"])
    decide(
        stack,
        "chuyenvien.sxd",
        report["id"],
        "transfer",
        step="process",
        agency_id="ubnd-p-kon-tum",
        reason="Thuộc thẩm quyền của phường.",
    )

    # the ward's own workflow takes it, from its first step
    task = stack.settle(
        lambda: next(
            (
                t
                for t in TaskModel.report_index.query(report["id"])
                if t.unit_id == "ubnd-p-kon-tum" and t.status == "open"
            ),
            None,
        )
    )
    assert task.step == "assign"
    seen = view(stack, report["id"])
    routed = [e for e in seen["timeline"] if e["kind"] in ("routed", "transferred")]
    assert [e["agency_id"] for e in routed] == ["so-xay-dung", "ubnd-p-kon-tum"]
    assert routed[1]["note"] == "Thuộc thẩm quyền của phường."
    assert seen["agency_id"] == "ubnd-p-kon-tum"


def test_first_agency_step_is_due_within_five_working_days(stack):
    report = file(stack)
    decide(stack, "tiepnhan", report["id"], "route", agency_id="so-xay-dung")
    task = stack.open_task(report["id"], "assign")
    task = stack.settle(
        lambda: TaskModel.get(task.id).due_at and TaskModel.get(task.id)
    )
    started = clock.parse_iso(task.created_at)
    due = clock.parse_iso(task.due_at)
    assert due == WorkingCalendar().add_working_days(started, 5)


def test_commune_without_approval_publishes_on_resolve(stack):
    report = file(stack)
    to_process(stack, report["id"], "ubnd-p-kon-tum", "lanhdao.kontum")
    decide(stack, "chuyenvien.kontum", report["id"], "resolve", result="Đã sửa.")
    public = stack.settle(
        lambda: (
            a := stack.call("GET", f"/v1/public/reports/{report['id']}")
        ).status_code
        == 200
        and a
    )
    assert public.json_body["result"]["text"] == "Đã sửa."


def test_merge_tells_the_citizen_who_then_follows_the_earlier_report(stack):
    earlier = file(stack)
    later = file(stack, title="Cùng vụ rác thải")
    decide(stack, "tiepnhan", later["id"], "merge", into_code=earlier["code"])

    merged = stack.settle(
        lambda: (v := view(stack, later["id"]))["status"] == "merged" and v
    )
    assert merged["merged_into"] == {"id": earlier["id"], "code": earlier["code"]}
    texts = stack.settle(
        lambda: [t for _, t in sms_messages() if later["code"] in t and "gop" in t]
    )
    assert earlier["code"] in texts[0] and len(texts[0]) <= 160
    followed = stack.call("GET", f"/v1/reports/{earlier['id']}", CITIZEN)
    assert followed.status_code == 200


def test_merge_into_an_unknown_code_is_refused(stack):
    report = file(stack)
    task = stack.open_task(report["id"], "triage")
    before = snapshot()
    answer = stack.call(
        "POST",
        f"/v1/staff/tasks/{task.id}/decision",
        "tiepnhan",
        {"decision": "merge", "into_code": "KT-0000-0000"},
    )
    assert_error(answer, 422, "invalid_input", "into_code")
    assert snapshot() == before


def test_question_and_answer_resume_with_the_time_that_was_left(stack):
    report = file(stack)
    process = to_process(stack, report["id"])
    process = stack.settle(lambda: (t := TaskModel.get(process.id)).due_at and t)
    calendar = WorkingCalendar()

    # GIVEN three working days pass, WHEN the officer asks the citizen
    clock.advance(timedelta(days=5))
    decide(
        stack,
        "chuyenvien.sxd",
        report["id"],
        "request_info",
        question="Xin gửi thêm ảnh chụp ban ngày.",
    )
    asked = TaskModel.get(process.id)
    left = calendar.working_days_between(
        clock.parse_iso(asked.decided_at), clock.parse_iso(asked.due_at)
    )
    assert 0 < left < 10

    # THEN the citizen gets an SMS and sees the question in "my reports"
    mine = stack.settle(
        lambda: (v := view(stack, report["id"]))["status"] == "waiting_citizen" and v
    )
    assert mine["pending_question"] == "Xin gửi thêm ảnh chụp ban ngày."
    assert any("bo sung" in t and report["code"] in t for _, t in sms_messages())

    # WHEN they answer, weeks later, with a photo
    clock.advance(timedelta(days=20))
    stack.open_task(report["id"], "process@ask_citizen")
    photo = stack.upload_photo(CITIZEN)
    answered = stack.call(
        "POST",
        f"/v1/reports/{report['id']}/answers",
        CITIZEN,
        {"text": "Đã gửi thêm ảnh.", "upload_ids": [photo]},
    )
    assert answered.status_code == 200, answered.json_body

    # THEN processing resumes with only the time that was left
    resumed = stack.settle(
        lambda: next(
            (
                t
                for t in TaskModel.report_index.query(report["id"])
                if t.step == "process" and t.status == "open" and t.due_at
            ),
            None,
        )
    )
    assert resumed.assignee == process.assignee
    due = calendar.add_working_days(clock.parse_iso(resumed.created_at), left)
    assert clock.parse_iso(resumed.due_at) == due
    again = stack.call(
        "POST", f"/v1/reports/{report['id']}/answers", CITIZEN, {"text": "Lần nữa."}
    )
    assert_error(again, 409, "no_question")
    kinds = [e["kind"] for e in view(stack, report["id"])["timeline"]]
    assert kinds[-2:] == ["info_requested", "answered"]


def test_deadline_passes_escalates_and_the_officer_keeps_the_task(stack):
    report = file(stack)
    process = to_process(stack, report["id"])
    stack.settle(lambda: TaskModel.get(process.id).due_at)
    before = len(sms_messages())

    clock.advance(timedelta(days=30))
    assert sweep_deadlines(SCHEDULE_EVENT, None)["marked"] >= 1
    stack.pump.drain()  # the SMS leave through the outbox's stream
    task = TaskModel.get(process.id)
    assert task.overdue_at and task.status == "open" and task.assignee
    texts = [t for _, t in sms_messages()[before:]]
    phones = {p for p, _ in sms_messages()[before:]}
    assert {"+84900000101", "+84900000102"} <= phones  # reception, leader
    assert all(report["code"] in t for t in texts)
    assert sweep_deadlines(SCHEDULE_EVENT, None)["marked"] == 0  # escalated once

    overdue = stack.call("GET", "/v1/staff/tasks?overdue=true", "chuyenvien.sxd")
    assert [t["id"] for t in overdue.json_body["items"]] == [process.id]
    assert overdue.json_body["items"][0]["overdue"] is True
    staff_view = view(stack, report["id"], "lanhdao.sxd")
    assert "overdue" in [e["kind"] for e in staff_view["timeline"]]
    current = [s for s in staff_view["workflow"] if s["state"] == "current"]
    assert current[0]["step"] == "process" and current[0]["overdue"]
    assert current[0]["holder"] == "Phạm Thị Dung"


def test_leader_extends_a_deadline_once_with_a_reason(stack):
    report = file(stack)
    process = to_process(stack, report["id"])
    process = stack.settle(lambda: (t := TaskModel.get(process.id)).due_at and t)
    path = f"/v1/staff/tasks/{process.id}/extend"

    officer = stack.call("POST", path, "chuyenvien.sxd", {"days": 3, "reason": "x"})
    assert_error(officer, 403, "forbidden")
    bad = stack.call("POST", path, "lanhdao.sxd", {"days": 0})
    assert_error(bad, 422, "invalid_input", "days")
    answer = stack.call(
        "POST", path, "lanhdao.sxd", {"days": 3, "reason": "Chờ kết quả đo đạc."}
    )
    assert answer.status_code == 200, answer.json_body
    extended = TaskModel.get(process.id)
    assert clock.parse_iso(extended.due_at) == WorkingCalendar().add_working_days(
        clock.parse_iso(process.due_at), 3
    )
    assert_error(
        stack.call("POST", path, "lanhdao.sxd", {"days": 1, "reason": "Lần nữa."}),
        409,
        "already_extended",
    )
    timeline = view(stack, report["id"], "lanhdao.sxd")["timeline"]
    assert any(e["kind"] == "extended" and "đo đạc" in e["note"] for e in timeline)


def test_rating_and_reopening_send_it_back_to_processing(stack):
    report = file(stack)
    publish(stack, report["id"])
    path = f"/v1/reports/{report['id']}/rating"

    assert_error(
        stack.call("POST", path, CITIZEN, {"stars": 6}), 422, "invalid_input", "stars"
    )
    rated = stack.call("POST", path, CITIZEN, {"stars": 4, "comment": "Khá nhanh."})
    assert rated.status_code == 200, rated.json_body
    assert_error(stack.call("POST", path, CITIZEN, {"stars": 5}), 409, "already_rated")

    reopened = stack.call(
        "POST", path, CITIZEN, {"reopen": True, "reason": "Rác lại bị đổ ra."}
    )
    assert reopened.status_code == 200, reopened.json_body
    task = stack.settle(
        lambda: next(
            (
                t
                for t in TaskModel.report_index.query(report["id"])
                if t.step == "process" and t.status == "open"
            ),
            None,
        )
    )
    assert task.unit_id == "so-xay-dung" and task.assignee
    kinds = [e["kind"] for e in view(stack, report["id"])["timeline"]]
    assert kinds[-3:] == ["published", "rated", "reopened"]

    # resolved again and approved, it is published a second time
    decide(stack, "chuyenvien.sxd", report["id"], "resolve", result="Đã dọn lần hai.")
    decide(stack, "lanhdao.sxd", report["id"], "approve")
    stack.settle(lambda: view(stack, report["id"])["status"] == "published")


def test_reopening_after_the_window_is_refused(stack):
    report = file(stack)
    publish(stack, report["id"])
    clock.advance(timedelta(days=31))
    answer = stack.call(
        "POST",
        f"/v1/reports/{report['id']}/rating",
        CITIZEN,
        {"reopen": True, "reason": "Muộn."},
    )
    assert_error(answer, 409, "reopen_window_passed")


def test_reception_enters_a_report_received_by_phone(stack):
    body = {
        **REPORT,
        "channel": "phone",
        "contact": {"name": "Bà Lan", "phone": "0987654321"},
    }
    created = stack.call("POST", "/v1/staff/reports", "tiepnhan", body)
    assert created.status_code == 201, created.json_body
    report_id = created.json_body["id"]
    staff_view = view(stack, report_id, "tiepnhan")
    assert staff_view["channel"] == "phone"
    assert staff_view["contact"]["phone"] == "+84987654321"
    stack.open_task(report_id, "triage")
    assert stack.settle(lambda: any(p == "+84987654321" for p, _ in sms_messages()))
    citizen = stack.call("POST", "/v1/staff/reports", CITIZEN, body)
    assert_error(citizen, 403, "staff_only")
    bad = stack.call(
        "POST", "/v1/staff/reports", "tiepnhan", {**body, "channel": "pigeon"}
    )
    assert_error(bad, 422, "invalid_input", "channel")


def test_decision_on_a_stale_execution_is_a_409_that_changes_nothing(stack):
    # GIVEN a task whose execution has ended behind the app's back (its token failed;
    # moto's StopExecution leaves a waiting execution RUNNING, so it cannot stand in)
    report = file(stack)
    task = stack.open_task(report["id"], "triage")
    sfn = boto3.client("stepfunctions", region_name="ap-southeast-1")
    sfn.send_task_failure(taskToken=task.token, error="Gone", cause="test")
    machine = next(
        m["stateMachineArn"]
        for m in sfn.list_state_machines()["stateMachines"]
        if m["name"].endswith("-reception-v1")
    )
    execution = machine.replace(":stateMachine:", ":execution:") + ":" + task.execution
    stack.settle(
        lambda: sfn.describe_execution(executionArn=execution)["status"] == "FAILED"
    )
    before = snapshot()

    # WHEN reception decides it, THEN 409 and nothing changed
    answer = stack.call(
        "POST",
        f"/v1/staff/tasks/{task.id}/decision",
        "tiepnhan",
        {"decision": "route", "agency_id": "so-xay-dung"},
    )
    assert_error(answer, 409, "task_token_stale")
    stack.settle()
    assert snapshot() == before


def test_administrators_adjust_the_calendar_and_deadlines_follow(stack):
    from chalicelib.services import reference

    # GIVEN the first working day after today is declared a day off
    calendar = WorkingCalendar()
    today = clock.now().astimezone(clock.VN_TZ)
    next_day = calendar.add_working_days(today, 1).date()
    path = f"/v1/admin/calendar/{next_day.year}"
    refused = stack.call("PUT", path, "lanhdao.sxd", {"days_off": [str(next_day)]})
    assert_error(refused, 403, "forbidden")
    bad = stack.call("PUT", path, "quantri", {"days_off": ["2026-13-01"]})
    assert_error(bad, 422, "invalid_input", "days_off")
    saved = stack.call("PUT", path, "quantri", {"days_off": [str(next_day)]})
    assert saved.status_code == 200, saved.json_body
    assert saved.json_body["days_off"] == [str(next_day)]
    assert any(h["name"] for h in saved.json_body["holidays"])
    reference.clear_cache()

    # WHEN a report reaches reception, THEN its one-day deadline skips that day
    report = file(stack)
    task = stack.open_task(report["id"], "triage")
    task = stack.settle(lambda: (t := TaskModel.get(task.id)).due_at and t)
    adjusted = WorkingCalendar(extra_off=[next_day])
    assert clock.parse_iso(task.due_at) == adjusted.add_working_days(
        clock.parse_iso(task.created_at), 1
    )
    assert clock.parse_iso(task.due_at) != calendar.add_working_days(
        clock.parse_iso(task.created_at), 1
    )
