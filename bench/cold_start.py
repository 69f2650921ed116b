"""Cold start: importing the app against a bare Chalice app, in fresh interpreters.

Run with `make bench`. Each sample is a new Python process (a Lambda cold start
imports the handler module once), measured from inside: the import's wall time and
the process's peak resident memory. Reports medians and their ratio, and the size of
the deployment package (`chalice package`), with what botocore takes of it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "9"))

PROBE = """
import json, resource, sys, time
started = time.perf_counter()
{statement}
elapsed = time.perf_counter() - started
print(json.dumps({{"seconds": elapsed,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

CASES = {
    "bare chalice app": "from chalice import Chalice; app = Chalice(app_name='bare')",
    "pakn app": "import app",
}


def sample(statement: str) -> dict:
    env = dict(
        os.environ, AWS_DEFAULT_REGION="ap-southeast-1", PYTHONDONTWRITEBYTECODE="0"
    )
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(statement=statement)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure() -> dict:
    results = {}
    for name, statement in CASES.items():
        sample(statement)  # warm the bytecode cache, as a deployed package has it
        runs = [sample(statement) for _ in range(SAMPLES)]
        results[name] = {
            "seconds": statistics.median(r["seconds"] for r in runs),
            "rss_mb": statistics.median(r["rss_mb"] for r in runs),
        }
    return results


def package_size() -> dict | None:
    """Size of the deployment zip and botocore's share (Lambda already ships it)."""
    with tempfile.TemporaryDirectory() as out:
        env = dict(
            os.environ,
            AWS_ACCESS_KEY_ID="x",
            AWS_SECRET_ACCESS_KEY="x",
            AWS_DEFAULT_REGION="ap-southeast-1",
        )
        chalice = Path(sys.executable).with_name("chalice")
        done = subprocess.run(
            [str(chalice), "package", "--stage", "kontum", out],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return None
        path = Path(out) / "deployment.zip"
        with zipfile.ZipFile(path) as zipped:
            infos = zipped.infolist()
        total = sum(i.compress_size for i in infos)
        boto = sum(
            i.compress_size
            for i in infos
            if i.filename.startswith(("botocore/", "boto3/", "s3transfer/"))
        )
        return {"zip_mb": path.stat().st_size / 1e6, "aws_sdk_share": boto / total}


def main() -> None:
    results = measure()
    bare, ours = results["bare chalice app"], results["pakn app"]
    print(f"cold import, median of {SAMPLES} fresh interpreters")
    for name, r in results.items():
        print(f"  {name:<18} {r['seconds'] * 1000:7.1f} ms  {r['rss_mb']:6.1f} MB peak")
    print(
        f"  ratio pakn/bare: time x{ours['seconds'] / bare['seconds']:.1f}, "
        f"memory x{ours['rss_mb'] / bare['rss_mb']:.1f}"
    )
    size = package_size()
    if size:
        print(
            f"deployment package: {size['zip_mb']:.1f} MB zipped, of which "
            f"{size['aws_sdk_share']:.0%} is boto3/botocore/s3transfer"
        )


if __name__ == "__main__":
    main()
