"""No Scan: the botocore hook refuses it before any request leaves."""

import boto3
import pytest

from chalicelib.adapters import noscan


def test_scan_is_refused_on_any_new_client():
    noscan.install()
    client = boto3.client(
        "dynamodb", region_name="ap-southeast-1", endpoint_url="http://127.0.0.1:9"
    )  # nothing listens
    with pytest.raises(noscan.ScanForbiddenError):
        client.scan(TableName="pakn-kontum-reports")


def test_request_paths_hold_no_scan():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "chalicelib"
    offenders = [
        str(p)
        for p in root.rglob("*.py")
        if ".scan(" in p.read_text() and p.name != "noscan.py"
    ]
    assert offenders == []
