"""A fake one-stop service ("hệ thống một cửa") for the local stack and the tests.

Two units answer in two different shapes, as real ones do:

- ``GET /sxd/api/hoso/{code}`` (Sở Xây dựng): ``{"data": {...}}``, 404 when unknown;
- ``POST /motcua/tra-cuu`` (UBND phường Kon Tum) with ``{"maHoSo", "soGiayTo"}``:
  ``{"ketQua": {"hoSo": [...]}}``, an empty list when unknown (or when the ID number
  given is not the applicant's).

And three that misbehave: ``/cham/...`` sleeps longer than any connector waits,
``/loi/...`` answers 500, ``/hong/...`` answers 200 with a body that is not JSON.
Dates are relative to the day the server starts, so the demo always has one dossier
in progress, one overdue and some finished. The answers carry the applicant's name
on purpose: the API must never pass it on.

``python -m infra.fake_onestop`` serves it alone on PAKN_ONESTOP_PORT (8090).
"""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

HOST = "127.0.0.1"
SLOW_SECONDS = 12.0


def _sxd(today: date) -> dict[str, dict]:
    def d(days: int) -> str:
        return (today + timedelta(days=days)).strftime("%d/%m/%Y")

    return {
        "000.00.24.H34-251203-0001": {
            "trangThai": "Đang xử lý",
            "ngayTiepNhan": d(-5),
            "ngayHenTra": d(10),
            "ketQua": None,
            "tenThuTuc": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            "nguoiNop": "Nguyễn Văn An",
        },
        "000.00.24.H34-251015-0003": {
            "trangThai": "Đang xử lý",
            "ngayTiepNhan": d(-40),
            "ngayHenTra": d(-12),
            "ketQua": None,
            "tenThuTuc": "Điều chỉnh giấy phép xây dựng",
            "nguoiNop": "Trần Thị Bình",
        },
        "000.00.24.H34-251120-0007": {
            "trangThai": "Đã trả kết quả",
            "ngayTiepNhan": d(-20),
            "ngayHenTra": d(-6),
            "ketQua": "Đã cấp giấy phép xây dựng số 123/GPXD",
            "tenThuTuc": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            "nguoiNop": "Lê Văn Cường",
        },
    }


def _ward(today: date) -> dict[str, dict]:
    def d(days: int) -> str:
        return f"{today + timedelta(days=days)}T08:30:00+07:00"

    return {
        "000.25.31.H34-251201-0012": {
            "soGiayTo": "062090001234",
            "tinhTrang": "CHO_BO_SUNG",
            "ngayNhan": d(-3),
            "hanXuLy": d(4),
            "noiDungKetQua": "",
            "hoTen": "Phạm Thị Dung",
        },
        "000.25.31.H34-251128-0005": {
            "soGiayTo": "062085004321",
            "tinhTrang": "DA_CO_KET_QUA",
            "ngayNhan": d(-8),
            "hanXuLy": d(-1),
            "noiDungKetQua": "Bản sao trích lục khai sinh",
            "hoTen": "Võ Văn Em",
        },
    }


class _Handler(BaseHTTPRequestHandler):
    sxd: dict[str, dict] = {}
    ward: dict[str, dict] = {}
    slow_seconds = SLOW_SECONDS

    def _send(self, status: int, body: object, raw: bytes | None = None) -> None:
        data = raw if raw is not None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _misbehave(self) -> bool:
        if self.path.startswith("/cham/"):
            time.sleep(self.slow_seconds)
            self._send(200, {"data": None})
        elif self.path.startswith("/loi/"):
            self._send(500, {"error": "Lỗi máy chủ"})
        elif self.path.startswith("/hong/"):
            self._send(200, None, raw=b"<html>Bao tri</html>")
        else:
            return False
        return True

    def do_GET(self):
        if self._misbehave():
            return
        prefix = "/sxd/api/hoso/"
        if not self.path.startswith(prefix):
            self._send(404, {"error": "Không có đường dẫn này"})
            return
        code = unquote(self.path[len(prefix) :].split("?")[0])
        found = self.sxd.get(code)
        if found is None:
            self._send(404, {"error": "Không tìm thấy hồ sơ"})
        else:
            self._send(200, {"data": {"maHoSo": code, **found}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self._misbehave():
            return
        if self.path.split("?")[0] != "/motcua/tra-cuu":
            self._send(404, {"error": "Không có đường dẫn này"})
            return
        try:
            asked = json.loads(raw or b"{}")
        except ValueError:
            self._send(400, {"error": "JSON không hợp lệ"})
            return
        found = self.ward.get(asked.get("maHoSo", ""))
        id_number = asked.get("soGiayTo") or ""
        if found is None or (id_number and id_number != found["soGiayTo"]):
            self._send(200, {"ketQua": {"hoSo": []}})
        else:
            self._send(
                200, {"ketQua": {"hoSo": [{"maHoSo": asked["maHoSo"], **found}]}}
            )

    def log_message(self, format, *args):  # quiet: the paths carry dossier codes
        pass


class FakeOneStop:
    """The fake service, serving in a daemon thread until ``stop()``."""

    def __init__(self, port: int = 0, slow_seconds: float = SLOW_SECONDS) -> None:
        today = date.today()
        handler = type(
            "Handler",
            (_Handler,),
            {"sxd": _sxd(today), "ward": _ward(today), "slow_seconds": slow_seconds},
        )
        self.server = ThreadingHTTPServer((HOST, port), handler)
        self.server.daemon_threads = True  # a sleeping /cham/ must not block stop()
        self.port = self.server.server_address[1]
        self.url = f"http://{HOST}:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_for_local_stack() -> FakeOneStop:
    """Start on PAKN_ONESTOP_PORT (8090) and point the demo connectors at it."""
    fake = FakeOneStop(int(os.environ.get("PAKN_ONESTOP_PORT", "8090")))
    os.environ["PAKN_ONESTOP_URL"] = fake.url
    return fake


if __name__ == "__main__":
    server = start_for_local_stack()
    print(f"fake one-stop service on {server.url}", flush=True)
    threading.Event().wait()
