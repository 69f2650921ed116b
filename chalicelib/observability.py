"""Powertools Logger and Metrics, shared by the routes and the event handlers.

Logs are JSON, one INFO line per request or event, domain ids as keys and never a
citizen's name, phone or address.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="pakn")
metrics = Metrics(namespace="pakn", service="pakn")
