"""Powertools Logger and Metrics, shared by the routes and the event handlers.

Logs are JSON, one INFO line per request or event, domain ids as keys and never a
citizen's name, phone or address.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager

from aws_lambda_powertools import Logger, Metrics

# Outside Lambda (chalice local, tests) there is no context to read the time left from;
# idempotency then keeps its default in-progress expiry, which is what we want.
warnings.filterwarnings("ignore", message="Couldn't determine the remaining time left")

logger = Logger(service="pakn")
metrics = Metrics(namespace="pakn", service="pakn")


@contextmanager
def metrics_flushed():
    """Emit what a request or event recorded; nothing when it recorded nothing."""
    try:
        yield
    finally:
        if metrics.metric_set:
            metrics.flush_metrics()
