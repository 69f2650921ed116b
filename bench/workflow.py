"""Workflow: reports through reception and a 5-step agency workflow, end to end.

Run with `make bench`. Starts the local stack (`python -m infra.local_stack`, without
demo data) in a subprocess on free ports, saves a 5-step workflow for so-xay-dung as
its leader, then takes BENCH_REPORTS reports (10) from filing to published, one at a
time, over HTTP as the citizen, reception, the leader and the officer would; then as
many again, 4 at once (threads), on a second fresh stack, for the rate.

Measured from the client, per report: the wall time from POST /v1/reports until the
public report shows "published"; the API requests that act (file, decide); and the
waits, from a request's answer until the next task shows in its actor's inbox (or the
report is public): Step Functions, the stream pump and their DynamoDB calls, plus the
granularity of one poll. The server process cannot be instrumented from here, so the
DynamoDB part of a decision is an estimate: the decision's DynamoDB calls, replayed
directly against the stack's embedded AWS endpoint and timed one by one.
"""

from __future__ import annotations

import base64
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3

from infra.demo_data import CITIZEN, ApiClient

ROOT = Path(__file__).resolve().parent.parent
REPORTS = int(os.environ.get("BENCH_REPORTS", "10"))
DB_SAMPLES = int(os.environ.get("BENCH_DB_SAMPLES", "100"))
THREADS = 4
WAIT_SECONDS = 30.0  # for any one task, or the published report, to appear
POLL_SECONDS = float(os.environ.get("BENCH_POLL_MS", "10")) / 1000  # between polls
START_SECONDS = 120.0
IDLE_SECONDS = 3.0  # to see what the stack's process spends with nothing to do
REGION = "ap-southeast-1"
TABLE = "pakn-kontum-{}"
SCRATCH = "pakn-bench-scratch"
BIG = 1000  # items in the scratch table for the second transaction figure
AGENCY = "so-xay-dung"
RECEPTION, LEADER, OFFICER = "tiepnhan", "lanhdao.sxd", "chuyenvien.sxd"
ICT = timezone(timedelta(hours=7))

REPORT = {
    "title": "Cây xanh gãy đổ chắn lối đi",
    "content": "Sau cơn mưa lớn, một cây xanh gãy đổ chắn ngang vỉa hè.",
    "category_id": "trat-tu-do-thi",
    "location": {
        "lat": 14.3498,
        "lon": 108.0002,
        "address": "Đường Bà Triệu",
        "area_id": "p-kon-tum",
    },
}


def workflow_spec(officer_sub: str) -> dict:
    def step(group: str, days: int, decisions: dict, **who: str) -> dict:
        return {
            "actor": {"group": group, **who},
            "deadline_days": days,
            "decisions": decisions,
        }

    return {
        "label": "Quy trình 5 bước (đo hiệu năng)",
        "label_en": "5-step workflow (benchmark)",
        "start": "assign",
        "reopen_step": "process",
        "steps": {
            "assign": step("agency_leader", 2, {"assign": "process"}),
            "process": step(
                "officer", 10, {"resolve": "review"}, assignee_from="assign"
            ),
            "review": step("officer", 3, {"approve": "approve"}, user=officer_sub),
            "approve": step("agency_leader", 2, {"approve": "publish_check"}),
            "publish_check": step("agency_leader", 1, {"approve": "@publish"}),
        },
    }


def plan(officer_sub: str) -> list[tuple[str, str, str, dict]]:
    """(who, step, decision, fields) in the order a report meets them."""
    return [
        (RECEPTION, "triage", "route", {"agency_id": AGENCY}),
        (LEADER, "assign", "assign", {"officer_id": officer_sub}),
        (OFFICER, "process", "resolve", {"result": "Đã cưa dọn cây đổ."}),
        (OFFICER, "review", "approve", {}),
        (LEADER, "approve", "approve", {}),
        (LEADER, "publish_check", "approve", {}),
    ]


# ---------------------------------------------------------------- the stack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """`python -m infra.local_stack` in a subprocess, on its own ports."""

    def __init__(self) -> None:
        self.ports = {k: free_port() for k in ("API", "SITE", "AWS")}
        self.api = f"http://127.0.0.1:{self.ports['API']}"
        self.aws = f"http://127.0.0.1:{self.ports['AWS']}"
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            "w+", prefix="pakn-bench-", suffix=".log"
        )
        self.process: subprocess.Popen | None = None
        self.start_seconds = 0.0

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT")}
        env.update({f"PAKN_{k}_PORT": str(v) for k, v in self.ports.items()})
        env["PAKN_DEMO_DATA"] = "0"
        started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infra.local_stack"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        while "PAKN_READY" not in Path(self.log.name).read_text():
            if self.process.poll() is not None or (
                time.monotonic() - started > START_SECONDS
            ):
                raise RuntimeError(f"local stack did not start:\n{self.tail()}")
            time.sleep(0.1)
        self.start_seconds = time.monotonic() - started

    def cpu_seconds(self) -> float:
        """CPU time the stack's process has used so far (Linux /proc), else 0."""
        try:
            stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        except (AttributeError, OSError):
            return 0.0
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def tail(self, lines: int = 40) -> str:
        return "\n".join(Path(self.log.name).read_text().splitlines()[-lines:])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.log.close()


# ---------------------------------------------------------------- one report


@dataclass
class Trace:
    """One report's figures, in seconds."""

    total: float = 0.0
    requests: dict[str, list[float]] = field(default_factory=dict)
    waits: dict[str, float] = field(default_factory=dict)  # hop -> seconds
    report_id: str = ""
    task_id: str = ""  # the last task decided
    transaction: float = 0.0  # a decision's transaction, replayed once it is done
    cpu: float = 0.0  # the stack process's CPU time while this report went through

    def add(self, kind: str, seconds: float) -> None:
        self.requests.setdefault(kind, []).append(seconds)

    def spent(self, prefix: str) -> float:
        return sum(sum(v) for k, v in self.requests.items() if k.startswith(prefix))


def checked(answer, what: str):
    if answer.status_code >= 300:
        raise RuntimeError(f"{what}: HTTP {answer.status_code} {answer.text[:500]}")
    return answer.json()


class Runner:
    """One person at each desk, over one HTTP session (one per thread)."""

    def __init__(self, base: str, tokens: dict[str, str], officer_sub: str):
        self.api = ApiClient(base)
        self.api.tokens.update(tokens)
        self.plan = plan(officer_sub)

    def timed(self, trace: Trace, kind: str, method: str, path: str, user=None, **kw):
        started = time.perf_counter()
        answer = self.api.call(method, path, user, **kw)
        trace.add(kind, time.perf_counter() - started)
        return answer

    def until(self, trace: Trace, what: str, poll: Callable[[], object]):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            found = poll()
            if found:
                return found
            time.sleep(POLL_SECONDS)
        raise TimeoutError(f"{what} did not happen in {WAIT_SECONDS:.0f} s")

    def task(self, trace: Trace, user: str, report_id: str, step: str) -> dict:
        def poll():
            answer = self.timed(
                trace, "poll inbox", "GET", "/v1/staff/tasks?limit=100", user
            )
            items = checked(answer, "inbox")["items"]
            return next(
                (t for t in items if t["report_id"] == report_id and t["step"] == step),
                None,
            )

        return self.until(trace, f"task {step} of {report_id} for {user}", poll)

    def published(self, trace: Trace, report_id: str) -> dict:
        def poll():
            answer = self.timed(
                trace, "poll public report", "GET", f"/v1/public/reports/{report_id}"
            )
            if answer.status_code == 404:
                return None
            body = checked(answer, "public report")
            return body if body.get("status") == "published" else None

        return self.until(trace, f"publication of {report_id}", poll)

    def report(self, number: int) -> Trace:
        trace = Trace()
        occurred = datetime.now(ICT) - timedelta(hours=1)
        body = {
            **REPORT,
            "title": f"{REPORT['title']} ({number})",
            "occurred_at": occurred.isoformat(timespec="seconds"),
        }
        started = time.perf_counter()
        answer = self.timed(
            trace,
            "file",
            "POST",
            "/v1/reports",
            CITIZEN,
            body=body,
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        trace.report_id = checked(answer, "file")["id"]
        mark = time.perf_counter()
        for user, step, decision, fields in self.plan:
            task = self.task(trace, user, trace.report_id, step)
            trace.waits[step] = time.perf_counter() - mark
            answer = self.timed(
                trace,
                f"decide {step}",
                "POST",
                f"/v1/staff/tasks/{task['id']}/decision",
                user,
                body={"decision": decision, **fields},
            )
            checked(answer, f"decide {step}")
            trace.task_id = task["id"]
            mark = time.perf_counter()
        self.published(trace, trace.report_id)
        trace.waits["published"] = time.perf_counter() - mark
        trace.total = time.perf_counter() - started
        return trace


# ---------------------------------------------------------------- DynamoDB per call


def per_call(call: Callable[[int], object]) -> float:
    """Median seconds of one call, after a few to warm the connection."""
    for i in range(5):
        call(-1 - i)
    samples = []
    for i in range(DB_SAMPLES):
        started = time.perf_counter()
        call(i)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


class Dynamo:
    """The calls a decision makes (chalicelib/services/tasks.py, decide), one by one.

    A decision, as the API runs it:
      authenticate  users GetItem (account state; cached 30 s per user, left out)
      get_task      tasks GetItem
      _values       users agency-index Query (assign only: the officers' options;
                    route reads the agencies from a cache)
      get_model     reports GetItem
      load_own_uploads  uploads BatchGetItem (only with photos; none here)
      _check_live   reference GetItem (the spec version), then Step Functions
                    DescribeExecution (not DynamoDB, timed apart)
      _spec         reference GetItem (the spec version, again)
      TransactWrite one TransactWriteItems (task, report, timeline entry), on the
                    process's one pynamodb Connection (tables.connection())
    Reads replay those items. moto deep-copies every table a transaction touches
    (for its rollback), stream records included, so the transaction costs more as the
    stack fills up: it is replayed on the stack's own three tables as condition
    checks (the same copies, nothing written) after each report; writes go to a
    scratch table, small and then with BIG report-sized items.
    """

    def __init__(self, aws: str):
        fake = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
        self.ddb = boto3.client(
            "dynamodb", region_name=REGION, endpoint_url=aws, **fake
        )
        self.sfn = boto3.client(
            "stepfunctions", region_name=REGION, endpoint_url=aws, **fake
        )

    def sizes(self) -> dict[str, int]:
        return {
            name: self.ddb.scan(TableName=TABLE.format(name), Select="COUNT")["Count"]
            for name in ("tasks", "reports", "timeline")
        }

    def _check(self, table: str, key: dict) -> dict:
        return {
            "ConditionCheck": {
                "TableName": TABLE.format(table),
                "Key": key,
                "ConditionExpression": "attribute_exists(#k)",
                "ExpressionAttributeNames": {"#k": next(iter(key))},
            }
        }

    def transaction(self, trace: Trace, samples: int = 5) -> float:
        """Median seconds of a decision's transaction on the stack's tables, now."""
        entry = self.ddb.query(
            TableName=TABLE.format("timeline"),
            KeyConditionExpression="report_id = :r",
            ExpressionAttributeValues={":r": {"S": trace.report_id}},
            Limit=1,
        )["Items"][0]
        items = [
            self._check("tasks", {"id": {"S": trace.task_id}}),
            self._check("reports", {"id": {"S": trace.report_id}}),
            self._check("timeline", {k: entry[k] for k in ("report_id", "seq")}),
        ]
        self.ddb.transact_write_items(TransactItems=items)
        runs = []
        for _ in range(samples):
            started = time.perf_counter()
            self.ddb.transact_write_items(TransactItems=items)
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    def costs(self, last: Trace, version: int) -> dict[str, float]:
        ddb, sfn = self.ddb, self.sfn
        ddb.create_table(
            TableName=SCRATCH,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        )
        report_key = {"id": {"S": last.report_id}}
        report = ddb.get_item(TableName=TABLE.format("reports"), Key=report_key)
        scratch = {**report["Item"], "id": {"S": "report"}, "version": {"N": "1"}}
        ddb.put_item(TableName=SCRATCH, Item=scratch)
        ddb.put_item(TableName=SCRATCH, Item={"id": {"S": "task"}, "s": {"S": "a"}})
        version_key = {
            "kind": {"S": f"workflow#{AGENCY}"},
            "id": {"S": f"v{version:05d}"},
        }
        machine = next(
            m["stateMachineArn"]
            for page in sfn.get_paginator("list_state_machines").paginate()
            for m in page["stateMachines"]
            if m["name"] == f"pakn-kontum-{AGENCY}-v{version}"
        )
        execution = machine.replace(":stateMachine:", ":execution:")
        execution += f":{last.report_id}-1"

        def get(table: str, key: dict) -> Callable[[int], object]:
            return lambda _: ddb.get_item(TableName=TABLE.format(table), Key=key)

        def writes(i: int) -> object:
            task = {"id": {"S": "task"}}
            return ddb.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": SCRATCH,
                            "Key": task,
                            "UpdateExpression": "SET s = :new",
                            "ExpressionAttributeValues": {":new": {"S": f"s{i % 2}"}},
                        }
                    },
                    {
                        "Update": {
                            "TableName": SCRATCH,
                            "Key": {"id": {"S": "report"}},
                            "UpdateExpression": "SET version = version + :one",
                            "ConditionExpression": "attribute_exists(version)",
                            "ExpressionAttributeValues": {":one": {"N": "1"}},
                        }
                    },
                    {  # the same key each time: the table keeps its size
                        "Put": {
                            "TableName": SCRATCH,
                            "Item": {"id": {"S": "entry"}, "note": {"S": "x" * 200}},
                        }
                    },
                ]
            )

        def fill(count: int) -> None:
            for start in range(0, count, 25):
                ddb.batch_write_item(
                    RequestItems={
                        SCRATCH: [
                            {"PutRequest": {"Item": {**scratch, "id": {"S": f"f{n}"}}}}
                            for n in range(start, min(count, start + 25))
                        ]
                    }
                )

        try:
            costs = {
                "GetItem task": per_call(get("tasks", {"id": {"S": last.task_id}})),
                "GetItem report": per_call(get("reports", report_key)),
                "GetItem spec version": per_call(get("reference", version_key)),
                "Query officers": per_call(
                    lambda _: ddb.query(
                        TableName=TABLE.format("users"),
                        IndexName="agency-index",
                        KeyConditionExpression="agency_id = :a",
                        ExpressionAttributeValues={":a": {"S": AGENCY}},
                    )
                ),
                "PutItem": per_call(
                    lambda _: ddb.put_item(TableName=SCRATCH, Item=scratch)
                ),
                "Transact, 3 writes, 3 items": per_call(writes),
            }
            fill(BIG)
            costs[f"Transact, 3 writes, {BIG} items"] = per_call(writes)
            costs["SFN DescribeExecution"] = per_call(
                lambda _: sfn.describe_execution(executionArn=execution)
            )
            return costs
        finally:
            ddb.delete_table(TableName=SCRATCH)


# ---------------------------------------------------------------- figures


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def row(label: str, values: list[float], extra: str = "") -> str:
    return (
        f"  {label:<34}{ms(statistics.median(values))}"
        f"{ms(p90(values))}  {extra}".rstrip()
    )


def sub_of(token: str) -> str:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))[
        "sub"
    ]


def run_concurrently(base: str, tokens: dict, officer: str) -> tuple[float, list]:
    local = threading.local()

    def one(number: int) -> Trace:
        if not hasattr(local, "runner"):
            local.runner = Runner(base, tokens, officer)
        return local.runner.report(number)

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        traces = list(pool.map(one, range(1000, 1000 + REPORTS)))
    return time.perf_counter() - started, traces


def report(
    stack: Stack,
    traces: list[Trace],
    walls: tuple[float, float],
    concurrent_traces: list[Trace],
    cpus: tuple[float, float],
    costs: dict[str, float],
    sizes: dict[str, int],
) -> None:
    steps = [step for _, step, _, _ in plan("")]
    totals = [t.total for t in traces]
    acting = [t.spent("file") + t.spent("decide") for t in traces]
    waiting = [sum(t.waits.values()) for t in traces]
    other = [t - a - w for t, a, w in zip(totals, acting, waiting, strict=True)]
    polling = sum(t.spent("poll") for t in traces)
    all_of = {
        kind: [s for t in traces for s in t.requests.get(kind, [])]
        for kind in ["file", *(f"decide {s}" for s in steps)]
        + ["poll inbox", "poll public report"]
    }
    print(
        f"workflow: {REPORTS} reports filed, triaged, taken through 5 agency steps "
        f"and published\n(local stack, started in {stack.start_seconds:.1f} s; "
        f"one at a time; ms; polls {POLL_SECONDS * 1000:.0f} ms apart)"
    )
    print(f"  {'':<34}{'median':>7}{'p90':>7}")
    print(row("total, filed -> published", totals))
    print(row("API requests that act (7)", acting, "file + 6 decisions"))
    print(row("waiting for the workflow (7)", waiting, "SFN + pump + DynamoDB"))
    print(row("other (client side)", other))
    grand = sum(totals)
    print(
        f"  split of the total: API {sum(acting) / grand:.0%} / waiting "
        f"{sum(waiting) / grand:.0%} / other {sum(other) / grand:.0%}\n"
        f"  of the waiting, {polling / sum(waiting):.0%} is inside poll requests"
    )
    print("per request")
    for kind, values in all_of.items():
        print(row(kind, values, f"n={len(values)}"))
    print("per hop: from the previous answer until the next task shows")
    for hop in [*steps, "published"]:
        print(row(f"-> {hop}", [t.waits[hop] for t in traces]))

    gets = costs["GetItem task"] + costs["GetItem report"]
    gets += 2 * costs["GetItem spec version"]
    transactions = [t.transaction for t in traces]
    dynamo = gets + statistics.median(transactions)
    query = costs["Query officers"]
    decide = statistics.median(
        s for k, v in all_of.items() if k.startswith("decide") for s in v
    )
    print(f"DynamoDB per call, direct to the stack's endpoint (median of {DB_SAMPLES})")
    print(
        "  items in the stack now: " + ", ".join(f"{k} {v}" for k, v in sizes.items())
    )
    for name, seconds in costs.items():
        print(f"  {name:<34}{ms(seconds)}")
    print(
        row("Transact, 3 checks, stack tables", transactions, "after each report")
        + f"; first {transactions[0] * 1000:.1f}, last {transactions[-1] * 1000:.1f}"
    )
    print(
        "ESTIMATE of DynamoDB in one decision: 4 GetItem + 1 TransactWriteItems\n"
        f"  = {dynamo * 1000:.1f} ms (assign: +{query * 1000:.1f} ms Query) of a "
        f"median decision of {decide * 1000:.1f} ms: {dynamo / decide:.0%}"
    )
    sequential, concurrent = walls
    idle, concurrent_cpu = cpus
    seq_rate = REPORTS / sequential
    con_rate = REPORTS / concurrent
    cpu = sum(t.cpu for t in traces)
    con_total = statistics.median(t.total for t in concurrent_traces)
    print(
        f"rate: one at a time {seq_rate:.2f} reports/s; {THREADS} at once "
        f"{con_rate:.2f} reports/s (x{con_rate / seq_rate:.2f})\n"
        f"  median total with {THREADS} at once {con_total * 1000:.0f} ms "
        f"(x{con_total / statistics.median(totals):.2f})\n"
        f"stack process CPU per report: one at a time {cpu / REPORTS * 1000:.0f} ms "
        f"(busy {cpu / grand:.0%}); {THREADS} at once "
        f"{concurrent_cpu / REPORTS * 1000:.0f} ms "
        f"(busy {concurrent_cpu / concurrent:.0%}); idle, busy {idle:.0%}"
    )


def prepare(stack: Stack) -> tuple[dict[str, str], str, int]:
    """Sign everyone in and save the 5-step workflow: (tokens, officer, version)."""
    stack.start()
    api = ApiClient(stack.api)
    tokens = {u: api.sign_in(u) for u in (CITIZEN, RECEPTION, LEADER, OFFICER)}
    officer = sub_of(tokens[OFFICER])
    saved = checked(
        api.call(
            "PUT",
            f"/v1/agencies/{AGENCY}/workflow",
            LEADER,
            body={"spec": workflow_spec(officer), "note": "benchmark"},
        ),
        "save the workflow",
    )
    Runner(stack.api, tokens, officer).report(0)  # warm caches; not counted
    return tokens, officer, int(saved["version"])


def main() -> None:
    # Each phase on a fresh stack: moto's transactions slow down as tables fill up.
    first, second = Stack(), Stack()
    stack = first
    try:
        tokens, officer, version = prepare(first)
        runner = Runner(first.api, tokens, officer)
        dynamo = Dynamo(first.aws)
        cpu = first.cpu_seconds()
        time.sleep(IDLE_SECONDS)
        idle = (first.cpu_seconds() - cpu) / IDLE_SECONDS
        traces, probing = [], 0.0
        started = time.perf_counter()
        for number in range(1, REPORTS + 1):
            cpu = first.cpu_seconds()
            traces.append(runner.report(number))
            traces[-1].cpu = first.cpu_seconds() - cpu
            probe = time.perf_counter()
            traces[-1].transaction = dynamo.transaction(traces[-1])
            probing += time.perf_counter() - probe
        sequential = time.perf_counter() - started - probing
        sizes = dynamo.sizes()
        costs = dynamo.costs(traces[-1], version)
        first.stop()
        stack = second
        tokens, officer, _ = prepare(second)
        cpu = second.cpu_seconds()
        concurrent, concurrent_traces = run_concurrently(second.api, tokens, officer)
        concurrent_cpu = second.cpu_seconds() - cpu
        report(
            first,
            traces,
            (sequential, concurrent),
            concurrent_traces,
            (idle, concurrent_cpu),
            costs,
            sizes,
        )
    except Exception:
        print(stack.tail(), file=sys.stderr)
        raise
    finally:
        first.stop()
        second.stop()


if __name__ == "__main__":
    main()
