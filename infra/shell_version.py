"""Name the service worker's cache after what it caches.

`static-site/sw.js` serves the offline shell cache-first, so a browser keeps an old
copy of a file until the cache's name (VERSION) changes. This writes VERSION as a
hash of every page and file the worker lists; `tests/unit/test_shell_version.py`
fails when a listed file changed and this was not run.

    python -m infra.shell_version          # rewrite VERSION in sw.js
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

SITE = Path(__file__).resolve().parents[1] / "static-site"
WORKER = SITE / "sw.js"
_VERSION = re.compile(r'^const VERSION = "([^"]*)";$', re.M)
_LISTED = re.compile(r'"((?:assets/)[^"]+|[a-z]+\.html|manifest\.webmanifest)"')


def expected(worker_text: str) -> str:
    """The cache name for the files the worker lists, as they are now."""
    digest = hashlib.sha256()
    for name in sorted(set(_LISTED.findall(worker_text))):
        digest.update(name.encode() + b"\0" + (SITE / name).read_bytes() + b"\0")
    return f"pakn-shell-{digest.hexdigest()[:12]}"


def current(worker_text: str) -> str:
    found = _VERSION.search(worker_text)
    if found is None:
        raise ValueError('sw.js has no `const VERSION = "...";` line')
    return found[1]


def main() -> None:
    text = WORKER.read_text(encoding="utf-8")
    version = expected(text)
    WORKER.write_text(
        _VERSION.sub(f'const VERSION = "{version}";', text), encoding="utf-8"
    )
    print(version)


if __name__ == "__main__":
    main()
