"""The whole system on this machine: `make run` starts this.

An embedded AWS (moto server, Step Functions executions on), every resource created
from infra/, the demo province seeded, the API (chalice local, started from Python),
the static site, and a pump feeding DynamoDB Streams to the same handlers Lambda runs.
Ctrl-C (or SIGTERM) stops everything it started.

Ports: PAKN_API_PORT (8000), PAKN_SITE_PORT (8080), PAKN_AWS_PORT (4566),
PAKN_ONESTOP_PORT (8090, the fake one-stop service).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def configure_environment(aws_port: int) -> None:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ["AWS_DEFAULT_REGION"] = os.environ["AWS_REGION"] = "ap-southeast-1"
    os.environ["AWS_ENDPOINT_URL"] = f"http://{HOST}:{aws_port}"
    # The ASL interpreter calls service integrations on this port.
    os.environ["MOTO_PORT"] = str(aws_port)
    os.environ.setdefault("PAKN_STAGE", "kontum")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "pakn")
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "pakn")
    # Every browser and test reaches the local stack from 127.0.0.1: per-address
    # limits would count them all as one client (docs/limitations.md).
    os.environ.setdefault("PAKN_LIMIT_SIGNIN_PER_ADDRESS", "10000")
    os.environ.setdefault("PAKN_LIMIT_SMS_PER_ADDRESS", "10000")
    os.environ.setdefault("PAKN_LIMIT_DOSSIER_PER_ADDRESS", "10000")
    # Metrics would print a JSON blob per request on the console; Lambda ships them.
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")


def start_aws(port: int):
    import requests
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
    server.start()
    requests.post(
        f"http://{HOST}:{port}/moto-api/config",
        json={"stepfunctions": {"execute_state_machine": True}},
        timeout=10,
    )
    return server


def start_api(port: int):
    from chalice import local
    from chalice.cli.factory import CLIFactory

    # chalice local pays ~40 ms per keep-alive request with Nagle on, and its listen
    # backlog of 5 drops connections under a burst (DESIGN.md section 13).
    local.ChaliceRequestHandler.disable_nagle_algorithm = True
    local.ThreadedHTTPServer.request_queue_size = 128
    factory = CLIFactory(project_dir=str(ROOT), debug=False)
    config = factory.create_config_obj(chalice_stage_name=os.environ["PAKN_STAGE"])
    import app as app_module

    server = factory.create_local_server(app_module.app, config, HOST, port)
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    return server, app_module


class _SiteHandler(SimpleHTTPRequestHandler):
    config_body = b"{}"
    # Python's mimetypes does not know the web app manifest.
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".webmanifest": "application/manifest+json",
        ".js": "text/javascript",
    }

    def end_headers(self):
        # The service worker and the manifest are checked for updates on every visit.
        if self.path.split("?")[0] in ("/sw.js", "/manifest.webmanifest"):
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self):
        if self.path.split("?")[0] == "/config.json":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(self.config_body)))
            self.end_headers()
            self.wfile.write(self.config_body)
            return
        super().do_GET()

    def log_message(self, format, *args):  # quiet: the API logs requests already
        pass


def start_site(port: int, api_port: int):
    handler = type(
        "SiteHandler",
        (_SiteHandler,),
        # No map tiles: the stack runs offline, and a failed tile is a console error.
        {
            "config_body": json.dumps(
                {"api_base": f"http://{HOST}:{api_port}", "map_tiles": ""}
            ).encode()
        },
    )
    server = ThreadingHTTPServer(
        (HOST, port), partial(handler, directory=str(ROOT / "static-site"))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_schedule(app_module, stop: threading.Event, seconds: float) -> None:
    """EventBridge's part: call the scheduled handler as Lambda would, in its shape."""
    event = {
        "version": "0",
        "id": "local",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "region": os.environ["AWS_REGION"],
        "resources": [],
        "detail": {},
    }
    while not stop.wait(seconds):
        event["time"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        for job in (app_module.sweep_deadlines, app_module.retry_notifications):
            try:
                job(event, None)
            except Exception:
                logging.getLogger("pakn.local").exception("scheduled job failed")


def main() -> int:
    api_port = int(os.environ.get("PAKN_API_PORT", "8000"))
    site_port = int(os.environ.get("PAKN_SITE_PORT", "8080"))
    aws_port = int(os.environ.get("PAKN_AWS_PORT", "4566"))
    demo = os.environ.get("PAKN_DEMO_DATA", "1") != "0"
    configure_environment(aws_port)
    sys.path.insert(0, str(ROOT))
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    started = time.perf_counter()
    from infra import fake_onestop

    aws = start_aws(aws_port)
    onestop = fake_onestop.start_for_local_stack()  # before bootstrap seeds connectors
    from chalicelib.adapters import noscan

    noscan.install()
    from infra import bootstrap
    from infra.pump import StreamPump

    site_origin = f"http://{HOST}:{site_port}"
    info = bootstrap.bootstrap(
        allowed_origins=[site_origin, f"http://localhost:{site_port}"]
    )
    api, app_module = start_api(api_port)
    site = start_site(site_port, api_port)
    pump = StreamPump(
        bootstrap.stream_handlers(info, app_module),
        region=os.environ["AWS_REGION"],
        endpoint_url=os.environ["AWS_ENDPOINT_URL"],
    )
    threading.Thread(target=pump.run, args=(stop,), daemon=True).start()
    sweep_seconds = float(os.environ.get("PAKN_SWEEP_SECONDS", "60"))
    threading.Thread(
        target=run_schedule, args=(app_module, stop, sweep_seconds), daemon=True
    ).start()

    if demo:
        from infra import demo_data

        demo_data.seed(f"http://{HOST}:{api_port}")
    print(
        banner(api_port, site_port, aws_port, time.perf_counter() - started), flush=True
    )
    print("PAKN_READY", flush=True)

    stop.wait()
    print("Stopping...", flush=True)
    api.server.shutdown()
    api.server.server_close()
    site.shutdown()
    site.server_close()
    aws.stop()
    onestop.stop()
    return 0


def banner(api_port: int, site_port: int, aws_port: int, seconds: float) -> str:
    from chalicelib import settings

    lines = [
        "",
        f"pakn is running ({seconds:.1f} s to start). Ctrl-C stops everything.",
        f"  Citizen site   http://{HOST}:{site_port}/",
        f"  Staff panel    http://{HOST}:{site_port}/staff/",
        f"  API            http://{HOST}:{api_port}/v1/health",
        f"  OpenAPI        http://{HOST}:{api_port}/v1/openapi.json",
        f"  Embedded AWS   http://{HOST}:{aws_port}/ (moto)",
        f"  One-stop (fake) http://{HOST}:{os.environ.get('PAKN_ONESTOP_PORT', '8090')}/",
        "  Demo sign-ins (password for all: Demo@2026):",
    ]
    roles = {
        "citizen": "công dân / citizen",
        "reception": "tiếp nhận / reception",
        "agency_leader": "lãnh đạo đơn vị / agency leader",
        "officer": "chuyên viên / officer",
        "admin": "quản trị / administrator",
        "province_leader": "lãnh đạo tỉnh / province leader",
        "editor": "biên tập tin / news editor",
        "alert_issuer": "phát cảnh báo / alert issuer",
    }
    for user in settings.province()["demo_users"]:
        where = f" ({user['agency_id']})" if user.get("agency_id") else ""
        lines.append(
            f"    {user['username']:<20} {roles.get(user['groups'][0], '')}{where}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
