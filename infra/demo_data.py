"""Demo reports, filed and handled through the API as people would.

The same small client drives the end-to-end tests.
"""

from __future__ import annotations

import io
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial

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


NEWS = [
    {
        "title": "Khởi công cải tạo đường Phan Đình Phùng",
        "summary": "Tuyến đường được thay mặt đường, lắp đèn chiếu sáng mới và hoàn "
        "thành trước Tết Nguyên đán.",
        "body": "Sáng nay, Sở Xây dựng khởi công cải tạo đoạn đường Phan Đình Phùng "
        "qua trung tâm phường Kon Tum.\n\nTrong thời gian thi công, xe qua lại theo "
        "một làn; người dân vui lòng đi chậm và theo hướng dẫn.\n\nMọi phản ánh về "
        "công trình xin gửi qua mục Gửi phản ánh.",
        "category_id": "hoat-dong",
        "color": (70, 120, 170),
    },
    {
        "title": "Thông báo lịch cắt điện ngày 15 tháng 12",
        "summary": "Điện lực tạm ngừng cấp điện từ 7 giờ đến 11 giờ để bảo dưỡng "
        "đường dây tại phường Đăk Cấm.",
        "body": "Để bảo dưỡng đường dây trung thế, điện lực tạm ngừng cấp điện từ 7 "
        "giờ đến 11 giờ ngày 15 tháng 12.\n\nKhu vực ảnh hưởng: các tổ dân phố "
        "1, 2 và 3 phường Đăk Cấm.",
        "category_id": "thong-bao",
        "color": (200, 140, 40),
    },
    {
        "title": "Hướng dẫn gửi phản ánh kiến nghị trực tuyến",
        "summary": "Người dân gửi phản ánh kèm ảnh và vị trí, theo dõi kết quả xử lý "
        "ngay trên điện thoại.",
        "body": "Người dân đăng ký tài khoản bằng số điện thoại, sau đó chọn Gửi "
        "phản ánh.\n\nMỗi phản ánh có một mã để tra cứu; kết quả xử lý được công "
        "khai và báo qua tin nhắn.",
        "category_id": "chinh-sach",
        "color": (60, 150, 100),
    },
    {
        "title": "Lễ hội văn hóa cồng chiêng tại Măng Đen",
        "summary": "Chương trình giới thiệu văn hóa các dân tộc Tây Nguyên diễn ra "
        "trong ba ngày cuối tuần.",
        "body": "Lễ hội gồm biểu diễn cồng chiêng, trưng bày nghề dệt thổ cẩm và "
        "ẩm thực địa phương.\n\nVào cửa tự do.",
        "category_id": "van-hoa-du-lich",
        "color": (150, 70, 110),
    },
]


def seed_news(client: ApiClient, editor: str = "bientap") -> list[dict]:
    """Published news of the province, each with a cover, written by its editor."""
    articles = []
    for n, sample in enumerate(NEWS, start=1):
        cover = client.upload(editor, photo(f"Tin tuc {n}", sample["color"]))
        fields = {k: v for k, v in sample.items() if k != "color"}
        answer = client.call(
            "POST", "/v1/staff/news", editor, {**fields, "cover_upload_id": cover}
        )
        answer.raise_for_status()
        draft = answer.json()
        answer = client.call(
            "POST",
            f"/v1/staff/news/{draft['id']}/publish",
            editor,
            {"version": draft["version"]},
        )
        answer.raise_for_status()
        articles.append(answer.json())
    return articles


# Resolved and published, so that the public feed, its map and its filters have
# something to show in several places and categories.
PUBLISHED = [
    (
        {
            "title": "Nắp cống bị vỡ trước trường tiểu học",
            "content": "Nắp cống vỡ một góc, học sinh đi qua rất dễ sụp chân.",
            "category_id": "giao-thong",
            "location": {
                "lat": 14.3662,
                "lon": 108.0231,
                "address": "Đường Trần Phú",
                "area_id": "p-dak-cam",
            },
        },
        "Đã thay nắp cống mới bằng bê tông cốt thép.",
    ),
    (
        {
            "title": "Nước sinh hoạt có màu đục",
            "content": "Mấy hôm nay nước máy có màu vàng đục, có mùi lạ.",
            "category_id": "dien-nuoc",
            "location": {
                "lat": 14.3478,
                "lon": 107.9921,
                "address": "Tổ dân phố 4",
                "area_id": "p-kon-tum",
            },
        },
        "Đã súc xả đường ống và kiểm tra mẫu nước đạt chuẩn.",
    ),
    (
        {
            "title": "Cây xanh nghiêng đổ sau mưa lớn",
            "content": "Cây phượng lớn nghiêng sát đường dây điện, nguy cơ gãy đổ.",
            "category_id": "moi-truong",
            "location": {
                "lat": 14.3389,
                "lon": 108.0098,
                "address": "Đường Bạch Đằng",
                "area_id": "p-dak-bla",
            },
        },
        "Đã cắt tỉa và chằng chống cây, kiểm tra an toàn lưới điện.",
    ),
]


def publish(client: ApiClient, report: dict, result: str) -> None:
    """Route to Sở Xây dựng, assign, resolve with a photo, approve: public."""
    task = client.wait_task("tiepnhan", report["id"])
    client.decide("tiepnhan", task, "route", agency_id="so-xay-dung")
    task = client.wait_task("lanhdao.sxd", report["id"])
    officer = task["allowed_decisions"][0]["fields"][0]["options"][0]["value"]
    client.decide("lanhdao.sxd", task, "assign", officer_id=officer)
    task = client.wait_task("chuyenvien.sxd", report["id"])
    after = client.upload("chuyenvien.sxd", photo("Da sua", (60, 160, 90)))
    client.decide("chuyenvien.sxd", task, "resolve", upload_ids=[after], result=result)
    task = client.wait_task("lanhdao.sxd", report["id"])
    client.decide("lanhdao.sxd", task, "approve")


def seed(base: str) -> None:
    """Published reports, one in an agency's hands, one waiting at reception."""
    client = ApiClient(base)
    seed_news(client)
    first, second, third = (
        file_report(client, s, "2026-11-28T07:45:00+07:00") for s in SAMPLES
    )
    # The four go through their workflows side by side: start-up waits for one.
    later = [file_report(client, s, "2026-11-20T15:10:00+07:00") for s, _ in PUBLISHED]
    results = ["Đã thay bóng đèn và kiểm tra lại toàn tuyến."]
    results += [result for _, result in PUBLISHED]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(partial(publish, client), [first, *later], results))
    task = client.wait_task("tiepnhan", second["id"])
    client.decide("tiepnhan", task, "route", agency_id="ubnd-p-kon-tum")
    client.wait_task("tiepnhan", third["id"])
