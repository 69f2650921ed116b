"""A statistics query at 1,000 and at 100,000 reports, side by side in one run.

Each size gets a fresh embedded DynamoDB (moto, in process, with the one-partition
Query of infra/moto_speedup.py, as the local stack runs). A year of reports over Kon
Tum's agencies, areas, categories and channels (skewed, as real traffic is) is turned
into the rows the timeline would produce (domain.stats.rows_for, the pipeline's own
code) and summed into the month cells the pipeline writes; the queries then run
through the service, as the API calls it. What is timed is the reading: the pipeline's
own cost is what tests/integration/test_stats_history.py pays (2,000 reports).

Reports medians of several runs per query, the cells read, and the ratios.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for name, value in {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "ap-southeast-1",
    "AWS_REGION": "ap-southeast-1",
    "PAKN_STAGE": "kontum",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}.items():
    os.environ.setdefault(name, value)
os.environ.pop("AWS_ENDPOINT_URL", None)

SIZES = (1_000, 100_000)
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
YEAR_START = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
CHANNELS = ("web", "web", "web", "phone", "paper", "email", "in_person")
QUERIES = {
    "a year by agency": {"from": "2026-01-01", "to": "2026-12-31", "group": "agency"},
    "a year by month, one agency": {
        "from": "2026-01-01",
        "to": "2026-12-31",
        "group": "period",
        "period": "month",
        "agency": "so-xay-dung",
    },
    "a month by category": {
        "from": "2026-11-01",
        "to": "2026-11-30",
        "group": "category",
    },
    "a year by area, one category": {
        "from": "2026-01-01",
        "to": "2026-12-31",
        "group": "area",
        "category": "moi-truong",
    },
    "six weeks by day": {
        "from": "2026-10-20",
        "to": "2026-11-30",
        "group": "period",
        "period": "day",
    },
}


def skewed(rng: random.Random, items: list[str]) -> str:
    """A Zipf-like pick: the first items are much more frequent."""
    weights = [1 / (i + 1) for i in range(len(items))]
    return rng.choices(items, weights)[0]


def fill(size: int) -> int:
    """Write the month cells of ``size`` reports; returns how many cells."""
    from chalicelib.adapters.tables import StatModel
    from chalicelib.domain import stats as domain
    from chalicelib.domain.calendar import WorkingCalendar
    from chalicelib.domain.stats import Dims, Event
    from chalicelib.services import reference

    rng = random.Random(size)
    calendar = WorkingCalendar()
    agencies = [a["id"] for a in reference.items("agency")]
    areas = [a["id"] for a in reference.items("area") if a.get("parent_id")]
    categories = [c["id"] for c in reference.items("category")]
    cells: dict[tuple[str, str], dict] = {}

    def count(row, dims: Dims) -> None:
        day = domain.day_of(row.at)
        cell = cells.setdefault((day[:7], dims.key()), {"values": {}, "days": {}})
        domain.add(cell["values"], row.values)
        domain.add(cell["days"].setdefault(day, {}), row.values)

    for _ in range(size):
        created = YEAR_START + timedelta(minutes=rng.uniform(0, 364 * 24 * 60))
        area, category = skewed(rng, areas), skewed(rng, categories)
        channel, agency = rng.choice(CHANNELS), skewed(rng, agencies)
        events = [Event("received", created, unit="reception")]
        at = created + timedelta(hours=rng.uniform(1, 30))
        events.append(Event("routed", at, agency=agency, unit="reception"))
        if rng.random() < 0.2:
            at += timedelta(hours=rng.uniform(24, 200))
            events.append(Event("overdue", at, agency=agency, unit=agency))
        if rng.random() < 0.85:
            at += timedelta(hours=rng.uniform(10, 400))
            events.append(Event("published", at, agency=agency, unit=agency))
            if rng.random() < 0.5:
                at += timedelta(hours=rng.uniform(1, 48))
                events.append(Event("rated", at, note=f"{rng.randint(1, 5)}/5"))
        for index, event in enumerate(events):
            for row in domain.rows_for(event, events[:index], created, calendar):
                count(row, Dims(row.agency, area, category, channel))
        status = (
            "published" if events[-1].kind in ("published", "rated") else "in_progress"
        )
        stock = Dims(agency, area, category, channel)
        day = domain.day_of(created)
        cell = cells.setdefault((day[:7], stock.key()), {"values": {}, "days": {}})
        domain.add(cell["values"], {f"s_{status}": 1})
        domain.add(cell["days"].setdefault(day, {}), {f"s_{status}": 1})

    with StatModel.batch_write() as batch:
        for (month, dims), cell in cells.items():
            batch.save(
                StatModel(
                    f"m#{month}",
                    dims,
                    values=cell["values"],
                    days=cell["days"],
                    computed=1,
                )
            )
    return len(cells)


def measure(size: int) -> dict:
    from moto import mock_aws

    from chalicelib.services import reference, stats
    from infra import bootstrap

    with mock_aws():
        reference.clear_cache()
        bootstrap.create_tables()
        bootstrap.bind()
        bootstrap.seed_reference(bootstrap.settings.province())
        started = time.perf_counter()
        cells = fill(size)
        filled = time.perf_counter() - started
        results = {"cells": cells, "fill_seconds": filled, "queries": {}}
        for name, params in QUERIES.items():
            stats.query(None, params)  # warm: the reference cache, botocore
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                answer = stats.query(None, params)
                times.append(time.perf_counter() - started)
            results["queries"][name] = {
                "ms": statistics.median(times) * 1000,
                "rows": len(answer["rows"]),
                "received": answer["total"]["received"],
            }
        reference.clear_cache()
    return results


def main() -> int:
    from infra import moto_speedup

    moto_speedup.install()
    found = {size: measure(size) for size in SIZES}
    small, large = found[SIZES[0]], found[SIZES[-1]]
    print(f"statistics query, median of {RUNS} runs (moto in process, one core)")
    print(
        f"  cells written: {small['cells']:,} at {SIZES[0]:,} reports, "
        f"{large['cells']:,} at {SIZES[-1]:,} (x{large['cells'] / small['cells']:.1f})"
    )
    print(f"  {'query':<30} {SIZES[0]:>9,} {SIZES[-1]:>9,}   ratio")
    for name in QUERIES:
        a, b = small["queries"][name], large["queries"][name]
        print(
            f"  {name:<30} {a['ms']:>7.1f}ms {b['ms']:>7.1f}ms   x{b['ms'] / a['ms']:.1f}"
        )
    print(f"  (reports x{SIZES[-1] // SIZES[0]}; a query reads cells, never reports)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
