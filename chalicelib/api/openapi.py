"""The OpenAPI 3 document, built from the routes as they are registered."""

from __future__ import annotations

import re

from chalice import Blueprint

from chalicelib.api.http import ROUTES, route

bp = Blueprint(__name__)

_PARAM = re.compile(r"{(\w+)}")
ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message", "message_en"],
    "properties": {
        "code": {"type": "string", "description": "Stable, for programs."},
        "message": {"type": "string", "description": "Vietnamese, for people."},
        "message_en": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "object"}},
    },
}


def document() -> dict:
    paths: dict[str, dict] = {}
    for doc in ROUTES:
        operation: dict = {
            "summary": doc.summary,
            "operationId": f"{doc.method.lower()}_{_slug(doc.path)}",
            "responses": {str(doc.status): {"description": "OK"}},
        }
        if doc.status != 204:
            operation["responses"][str(doc.status)]["content"] = {
                "application/json": {"schema": {"type": "object"}}
            }
        for status in doc.errors:
            operation["responses"][str(status)] = {
                "description": "Error",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}
                    }
                },
            }
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in _PARAM.findall(doc.path)
        ]
        parameters += [
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
            }
            for name in doc.query
        ]
        if doc.method == "POST" and doc.path.endswith("/reports"):
            parameters.append(
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                }
            )
        if parameters:
            operation["parameters"] = parameters
        if doc.request is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": doc.request}
                    }
                },
            }
        if doc.auth:
            operation["security"] = [{"bearer": []}]
            if doc.groups:
                operation["description"] = "Groups: " + ", ".join(doc.groups)
        paths.setdefault(doc.path, {})[doc.method.lower()] = operation
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "pakn API",
            "version": "1",
            "description": "Phản ánh kiến nghị: citizens' reports and their "
            "handling. Errors share one body (Error).",
        },
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR_SCHEMA},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", path.lower()).strip("_")


@route(bp, "/openapi.json", "GET", "This document.")
def openapi():
    return document()
