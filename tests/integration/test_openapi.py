"""The OpenAPI document describes every route and is valid OpenAPI 3."""

from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_complete(stack):
    answer = stack.call("GET", "/v1/openapi.json")
    assert answer.status_code == 200
    document = answer.json_body
    validate(document)

    from app import app

    served = {
        (method.lower(), path)
        for path, methods in app.routes.items()
        for method in methods
    }
    documented = {
        (method, path) for path, item in document["paths"].items() for method in item
    }
    assert served == documented
    decision = document["paths"]["/v1/staff/tasks/{task_id}/decision"]["post"]
    assert {"401", "403", "404", "409", "422"} <= set(decision["responses"])
