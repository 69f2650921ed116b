"""Calls to the units' one-stop systems ("hệ thống một cửa điện tử") over HTTP.

Each call has connect and read timeouts and an overall deadline: a unit that answers
slowly, or trickles its body a byte at a time, gets a 504 within its connector's
timeout; a refused connection, a 5xx or an answer that is not JSON gets a 502. No
``requests`` error crosses this module.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

import requests

from chalicelib.errors import DependencyError

MAX_ANSWER = 256 * 1024
CONNECT_TIMEOUT = 3.0
_CHUNK = 8192

# Read timeouts are per socket read: the deadline of the whole call is kept by
# waiting on a worker thread. A worker that outlives its caller stops at its next
# read (see _fetch), so the pool never fills with stuck calls for long.
# TODO: a worker cannot be cut short: with 8 slow units at once, the next lookups
# wait their turn (within their own deadline, so they answer 504, never hang).
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="onestop")


class UnitDownError(DependencyError):
    code = "unit_unavailable"
    http_status = 502
    message = "Hệ thống một cửa của đơn vị đang gặp sự cố, vui lòng thử lại sau."
    message_en = "The unit's one-stop system is failing; try again later."


class UnitTimeoutError(DependencyError):
    code = "unit_timeout"
    http_status = 504
    message = "Hệ thống một cửa của đơn vị không trả lời kịp, vui lòng thử lại sau."
    message_en = "The unit's one-stop system did not answer in time; try again later."


@dataclass(frozen=True)
class Answer:
    status: int
    body: object  # parsed JSON, or None when the unit sent an empty body


def call(method: str, url: str, headers: dict, body: object, timeout: float) -> Answer:
    """One request to a one-stop system; its answer within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    future = _pool.submit(_fetch, method, url, headers, body, timeout, deadline)
    try:
        status, raw = future.result(timeout=timeout)
    except FutureTimeout as error:
        raise UnitTimeoutError() from error
    if status >= 500:
        raise UnitDownError()
    if not raw.strip():
        return Answer(status, None)
    try:
        return Answer(status, json.loads(raw))
    except (ValueError, UnicodeDecodeError) as error:
        if status >= 400:  # an HTML error page for a 404, say: the status decides
            return Answer(status, None)
        raise UnitDownError(code="unit_bad_answer") from error


def _fetch(method, url, headers, body, timeout, deadline) -> tuple[int, bytes]:
    # TODO: no guard on where the URL points (internal addresses included): only
    # administrators set connectors; an allow-list of hosts per province would be
    # the next step.
    try:
        with requests.request(
            method,
            url,
            headers=headers,
            json=body,
            timeout=(min(CONNECT_TIMEOUT, timeout), timeout),
            stream=True,
            allow_redirects=False,
        ) as response:
            chunks, size = [], 0
            for chunk in response.iter_content(_CHUNK):
                size += len(chunk)
                if size > MAX_ANSWER:
                    raise UnitDownError(code="unit_answer_too_large")
                if time.monotonic() > deadline:
                    raise UnitTimeoutError()
                chunks.append(chunk)
            return response.status_code, b"".join(chunks)
    except requests.Timeout as error:
        raise UnitTimeoutError() from error
    except requests.RequestException as error:
        # Refused, reset, DNS, TLS: the unit is down as far as the citizen can tell.
        raise UnitDownError() from error
