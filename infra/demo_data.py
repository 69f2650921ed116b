"""Demo reports, filed and handled through the API as people would.

The same small client drives the end-to-end tests.
"""

from __future__ import annotations

import io
import time
import uuid

import requests
from PIL import Image, ImageDraw

PASSWORD = "Demo@2026"
CITIZEN = "+84901234567"


class ApiClient:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.session = requests.Session()
        self.tokens: dict[str, str] = {}

    def sign_in(self, username: str, password: str = PASSWORD) -> str:
        if username not in self.tokens:
            answer = self.session.post(
                f"{self.base}/v1/auth/sign-in",
                timeout=30,
                json={"username": username, "password": password},
            )
            answer.raise_for_status()
            self.tokens[username] = answer.json()["id_token"]
        return self.tokens[username]

    def call(
        self,
        method: str,
        path: str,
        user: str | None = None,
        body: object | None = None,
        headers: dict | None = None,
    ):
        all_headers = dict(headers or {})
        if user:
            all_headers["Authorization"] = f"Bearer {self.sign_in(user)}"
        return self.session.request(
            method, f"{self.base}{path}", json=body, headers=all_headers, timeout=30
        )

    def upload(self, user: str, data: bytes, content_type: str = "image/jpeg") -> str:
        slot = self.call(
            "POST",
            "/v1/uploads",
            user,
            {"filename": "anh.jpg", "content_type": content_type, "size": len(data)},
        )
        slot.raise_for_status()
        slot = slot.json()
        answer = requests.post(
            slot["url"],
            data=slot["fields"],
            timeout=30,
            files={"file": ("anh.jpg", data, content_type)},
        )
        answer.raise_for_status()
        return slot["upload_id"]

    def wait_task(self, user: str, report_id: str, timeout: float = 15.0) -> dict:
        """The open task of ``report_id`` in ``user``'s inbox, once it appears."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answer = self.call("GET", "/v1/staff/tasks?limit=100", user)
            answer.raise_for_status()
            for task in answer.json()["items"]:
                if task["report_id"] == report_id:
                    return task
            time.sleep(0.05)
        raise TimeoutError(f"no task for {report_id} reached {user}")

    def decide(self, user: str, task: dict, decision: str, **fields) -> dict:
        answer = self.call(
            "POST",
            f"/v1/staff/tasks/{task['id']}/decision",
            user,
            {"decision": decision, **fields},
        )
        answer.raise_for_status()
        return answer.json()


def photo(text: str = "PAKN", color=(90, 140, 200)) -> bytes:
    image = Image.new("RGB", (320, 240), color)
    ImageDraw.Draw(image).text((20, 110), text, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


SAMPLES = [
    {
        "title": "Đèn đường hỏng trên đường Phan Đình Phùng",
        "content": "Ba cột đèn liên tiếp không sáng từ tuần trước, đoạn gần trường học.",
        "category_id": "trat-tu-do-thi",
        "location": {
            "lat": 14.3545,
            "lon": 108.0076,
            "address": "Đường Phan Đình Phùng",
            "area_id": "p-kon-tum",
        },
    },
    {
        "title": "Rác thải tập kết sai nơi quy định",
        "content": "Bãi rác tự phát ven sông Đăk Bla, bốc mùi ảnh hưởng khu dân cư.",
        "category_id": "moi-truong",
        "location": {
            "lat": 14.3401,
            "lon": 108.0152,
            "address": "Bờ sông Đăk Bla",
            "area_id": "p-dak-bla",
        },
    },
    {
        "title": "Ổ gà lớn trên tỉnh lộ",
        "content": "Mặt đường có nhiều ổ gà sâu, xe máy dễ té ngã khi trời mưa.",
        "category_id": "giao-thong",
        "location": {
            "lat": 14.6120,
            "lon": 107.9540,
            "address": "Tỉnh lộ 671",
            "area_id": "x-dak-ha",
        },
    },
]


def file_report(client: ApiClient, sample: dict, when: str) -> dict:
    upload_id = client.upload(CITIZEN, photo(sample["title"][:12]))
    answer = client.call(
        "POST",
        "/v1/reports",
        CITIZEN,
        {**sample, "occurred_at": when, "upload_ids": [upload_id]},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    answer.raise_for_status()
    return answer.json()


def seed(base: str) -> None:
    """One published report, one in an agency's hands, one waiting at reception."""
    client = ApiClient(base)
    first, second, third = (
        file_report(client, s, "2026-11-28T07:45:00+07:00") for s in SAMPLES
    )
    task = client.wait_task("tiepnhan", first["id"])
    client.decide("tiepnhan", task, "route", agency_id="so-xay-dung")
    task = client.wait_task("lanhdao.sxd", first["id"])
    officer = task["allowed_decisions"][0]["fields"][0]["options"][0]["value"]
    client.decide("lanhdao.sxd", task, "assign", officer_id=officer)
    task = client.wait_task("chuyenvien.sxd", first["id"])
    result = client.upload("chuyenvien.sxd", photo("Da sua", (60, 160, 90)))
    client.decide(
        "chuyenvien.sxd",
        task,
        "resolve",
        upload_ids=[result],
        result="Đã thay bóng đèn và kiểm tra lại toàn tuyến.",
    )
    task = client.wait_task("lanhdao.sxd", first["id"])
    client.decide("lanhdao.sxd", task, "approve")
    task = client.wait_task("tiepnhan", second["id"])
    client.decide("tiepnhan", task, "route", agency_id="ubnd-p-kon-tum")
    client.wait_task("tiepnhan", third["id"])
