"""News: staff write, publish and take down articles; anyone reads the published ones.

The real app on moto, in process (fixture ``stack``).
"""

import io
import json
from datetime import timedelta

import boto3
import pytest
from PIL import Image

from chalicelib import settings
from chalicelib.domain import clock
from infra.bootstrap import create_user
from tests.integration.conftest import jpeg_bytes, s3_keys
from tests.integration.test_bad_input import assert_error, snapshot

EDITOR = "bientap"  # editor of agency "province"
EDITOR_SXD = "bientap.sxd"  # editor of Sở Xây dựng, made below
ADMIN = "quantri"
CITIZEN = "+84901234567"
OFFICER = "chuyenvien.sxd"
ARTICLE = {
    "title": "Kon Tum khởi công tuyến đường tránh phía Tây",
    "summary": "Tuyến đường dài 12 km giúp giảm ùn tắc trong trung tâm phường.",
    "body": "Sáng nay, tỉnh khởi công tuyến đường tránh.\n\n"
    "Công trình dự kiến hoàn thành trong 18 tháng.\nVốn đầu tư 600 tỷ đồng.",
    "category_id": "hoat-dong",
}


@pytest.fixture
def newsroom(stack):
    """The stack with a second editor, at another agency; the clock put back after."""
    create_user(
        stack.info["user_pool_id"],
        {
            "username": EDITOR_SXD,
            "password": "Demo@2026",
            "name": "Lý Thị Biên",
            "groups": ["editor"],
            "agency_id": "so-xay-dung",
        },
    )
    yield stack
    clock.reset()


def draft(stack, user=EDITOR, **changes):
    answer = stack.call("POST", "/v1/staff/news", user, {**ARTICLE, **changes})
    assert answer.status_code == 201, answer.json_body
    return answer.json_body


def act(stack, article, action, user=EDITOR):
    answer = stack.call(
        "POST",
        f"/v1/staff/news/{article['id']}/{action}",
        user,
        {"version": article["version"]},
    )
    assert answer.status_code == 200, answer.json_body
    return answer.json_body


def published(stack, user=EDITOR, **changes):
    clock.advance(timedelta(minutes=1))  # distinct publication times
    return act(stack, draft(stack, user, **changes), "publish", user)


def public_ids(stack, query=""):
    answer = stack.call("GET", f"/v1/news{query}")
    assert answer.status_code == 200, answer.json_body
    return [item["id"] for item in answer.json_body["items"]]


def photo_bytes(size=(960, 640)):
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def image_size(key):
    s3 = boto3.client("s3", region_name="ap-southeast-1")
    body = s3.get_object(Bucket=settings.bucket(), Key=key)["Body"].read()
    with Image.open(io.BytesIO(body)) as image:
        return image.size


# ---------------------------------------------------------------- the whole life


def test_article_goes_from_draft_to_public_and_back_down(newsroom):
    stack = newsroom
    cover = stack.upload_photo(EDITOR, photo_bytes())

    # GIVEN a draft with a cover: staff see it, the public does not
    created = draft(stack, cover_upload_id=cover)
    assert created["status"] == "draft" and created["version"] == 1
    assert created["agency_name"] == "Tỉnh Kon Tum"
    assert created["cover_upload_id"] == cover
    assert public_ids(stack) == []
    assert stack.call("GET", f"/v1/news/{created['id']}").status_code == 404
    assert not [k for k in s3_keys(settings.bucket()) if k.startswith("public/")]

    # WHEN it is edited, THEN the version moves on and the text is cleaned
    edited = stack.call(
        "PUT",
        f"/v1/staff/news/{created['id']}",
        EDITOR,
        {
            **ARTICLE,
            "title": "  Kon Tum   khởi công đường tránh  ",
            "body": "Đoạn một.\r\n\r\n\r\n\r\nĐoạn hai.   ",
            "category_id": "kinh-te-xa-hoi",
            "cover_upload_id": cover,
            "version": 1,
        },
    )
    assert edited.status_code == 200, edited.json_body
    article = edited.json_body
    assert article["version"] == 2
    assert article["title"] == "Kon Tum khởi công đường tránh"
    assert article["body"] == "Đoạn một.\n\nĐoạn hai."

    # WHEN it is published
    article = act(stack, article, "publish")
    assert article["status"] == "published" and article["published_at"]

    # THEN it is in the public list, in its category's list, and readable
    assert public_ids(stack) == [article["id"]]
    assert public_ids(stack, "?category=kinh-te-xa-hoi") == [article["id"]]
    assert public_ids(stack, "?category=hoat-dong") == []
    listed = stack.call("GET", "/v1/news")
    assert listed.headers["Cache-Control"] == "public, max-age=60"
    item = listed.json_body["items"][0]
    assert "body" not in item and "paragraphs" not in item
    assert item["category_name"] == "Kinh tế, xã hội"
    assert item["agency_name"] == "Tỉnh Kon Tum"
    assert f"/public/news/{article['id']}/" in item["cover_thumb_url"]
    read = stack.call("GET", f"/v1/news/{article['id']}")
    assert read.status_code == 200
    assert read.headers["Cache-Control"] == "public, max-age=60"
    assert read.json_body["paragraphs"] == ["Đoạn một.", "Đoạn hai."]
    assert f"/public/news/{article['id']}/{cover}.jpg" in read.json_body["cover_url"]
    public_keys = [k for k in s3_keys(settings.bucket()) if k.startswith("public/")]
    assert len(public_keys) == 2
    thumb = next(k for k in public_keys if k.endswith("-thumb.jpg"))
    assert image_size(thumb) == (480, 320)

    # WHEN it is taken down, THEN it is gone everywhere public, its copies too
    article = act(stack, article, "unpublish")
    assert article["status"] == "unpublished"
    assert public_ids(stack) == []
    assert public_ids(stack, "?category=kinh-te-xa-hoi") == []
    gone = stack.call("GET", f"/v1/news/{article['id']}")
    assert_error(gone, 404, "news_not_found")
    assert not [k for k in s3_keys(settings.bucket()) if k.startswith("public/")]

    # AND staff still find it, and may publish it again
    again = act(stack, article, "publish")
    assert public_ids(stack) == [again["id"]]


def test_editing_a_published_article_moves_it_and_swaps_its_cover(newsroom):
    stack = newsroom
    first_cover = stack.upload_photo(EDITOR, jpeg_bytes())
    article = published(stack, cover_upload_id=first_cover)
    old_copies = [k for k in s3_keys(settings.bucket()) if k.startswith("public/")]
    assert len(old_copies) == 2

    # WHEN its category and cover change while it is published
    second_cover = stack.upload_photo(EDITOR, jpeg_bytes(color=(10, 200, 10)))
    edited = stack.call(
        "PUT",
        f"/v1/staff/news/{article['id']}",
        EDITOR,
        {
            **ARTICLE,
            "category_id": "thong-bao",
            "cover_upload_id": second_cover,
            "version": article["version"],
        },
    )
    assert edited.status_code == 200, edited.json_body
    assert edited.json_body["status"] == "published"

    # THEN it moves to the new category's list and shows the new cover only
    assert public_ids(stack, "?category=thong-bao") == [article["id"]]
    assert public_ids(stack, "?category=hoat-dong") == []
    read = stack.call("GET", f"/v1/news/{article['id']}").json_body
    assert f"/{second_cover}.jpg" in read["cover_url"]
    copies = [k for k in s3_keys(settings.bucket()) if k.startswith("public/")]
    assert len(copies) == 2 and not set(copies) & set(old_copies)

    # AND without a cover, no public copy is left
    stack.call(
        "PUT",
        f"/v1/staff/news/{article['id']}",
        EDITOR,
        {**ARTICLE, "version": edited.json_body["version"]},
    )
    assert stack.call("GET", f"/v1/news/{article['id']}").json_body["cover_url"] is None
    assert not [k for k in s3_keys(settings.bucket()) if k.startswith("public/")]


def test_public_lists_are_newest_first_and_paged_by_cursor(newsroom):
    stack = newsroom
    first = published(stack, title="Tin thứ nhất", category_id="thong-bao")
    second = published(stack, title="Tin thứ hai")
    third = published(stack, title="Tin thứ ba", category_id="thong-bao")
    draft(stack, title="Bản nháp chưa đăng", category_id="thong-bao")

    assert public_ids(stack) == [third["id"], second["id"], first["id"]]
    assert public_ids(stack, "?category=thong-bao") == [third["id"], first["id"]]

    page = stack.call("GET", "/v1/news?limit=2").json_body
    assert [i["id"] for i in page["items"]] == [third["id"], second["id"]]
    rest = stack.call("GET", f"/v1/news?limit=2&cursor={page['next_cursor']}")
    assert [i["id"] for i in rest.json_body["items"]] == [first["id"]]
    assert rest.json_body["next_cursor"] is None

    by_category = stack.call("GET", "/v1/news?category=thong-bao&limit=1").json_body
    assert [i["id"] for i in by_category["items"]] == [third["id"]]
    cursor = by_category["next_cursor"]
    rest = stack.call("GET", f"/v1/news?category=thong-bao&limit=1&cursor={cursor}")
    assert [i["id"] for i in rest.json_body["items"]] == [first["id"]]

    # A cursor of one list is refused by another, and a made-up one too.
    assert_error(
        stack.call("GET", f"/v1/news?cursor={page['next_cursor']}&category=thong-bao"),
        400,
        "bad_cursor",
    )
    assert_error(stack.call("GET", "/v1/news?cursor=eyJ4IjogMX0="), 400, "bad_cursor")
    assert_error(stack.call("GET", "/v1/news?category=khong-co"), 400, "bad_category")
    assert_error(stack.call("GET", "/v1/news?limit=0"), 400, "bad_limit")


def test_default_page_is_ten_articles(newsroom):
    for n in range(11):
        published(newsroom, title=f"Tin số {n}")
    page = newsroom.call("GET", "/v1/news").json_body
    assert len(page["items"]) == 10 and page["next_cursor"]


def test_staff_list_their_agencys_articles_by_status(newsroom):
    stack = newsroom
    one = draft(stack, title="Nháp một")
    clock.advance(timedelta(minutes=1))
    two = published(stack, title="Đã đăng")
    clock.advance(timedelta(minutes=1))
    three = draft(stack, title="Nháp hai")
    other = draft(stack, EDITOR_SXD, title="Tin của Sở Xây dựng")

    def ids(user, query=""):
        answer = stack.call("GET", f"/v1/staff/news{query}", user)
        assert answer.status_code == 200, answer.json_body
        return [i["id"] for i in answer.json_body["items"]]

    assert ids(EDITOR) == [three["id"], two["id"], one["id"]]
    assert ids(EDITOR, "?status=draft") == [three["id"], one["id"]]
    assert ids(EDITOR, "?status=published") == [two["id"]]
    assert ids(EDITOR_SXD) == [other["id"]]
    assert ids(ADMIN, "?agency_id=so-xay-dung") == [other["id"]]
    assert ids(ADMIN, "?agency_id=province&status=published") == [two["id"]]
    assert_error(
        stack.call("GET", "/v1/staff/news?status=xoa", EDITOR), 400, "bad_status"
    )
    assert_error(
        stack.call("GET", "/v1/staff/news?agency_id=province", EDITOR_SXD),
        403,
        "forbidden",
    )


# ---------------------------------------------------------------- who may do what


def test_citizens_and_officers_cannot_write_news(newsroom):
    for user in (CITIZEN, OFFICER):
        answer = newsroom.call("POST", "/v1/staff/news", user, ARTICLE)
        assert answer.status_code == 403, (user, answer.json_body)
        assert newsroom.call("GET", "/v1/staff/news", user).status_code == 403


def test_editor_of_another_agency_cannot_touch_an_article(newsroom):
    stack = newsroom
    article = draft(stack)
    path = f"/v1/staff/news/{article['id']}"
    before = snapshot()
    for method, suffix, body in (
        ("GET", "", None),
        ("PUT", "", {**ARTICLE, "version": 1}),
        ("POST", "/publish", {"version": 1}),
        ("POST", "/unpublish", {"version": 1}),
        ("DELETE", "?version=1", None),
    ):
        answer = stack.call(method, path + suffix, EDITOR_SXD, body)
        assert_error(answer, 403, "forbidden")
    # Nor may an editor write for another agency.
    answer = stack.call(
        "POST", "/v1/staff/news", EDITOR_SXD, {**ARTICLE, "agency_id": "province"}
    )
    assert_error(answer, 403, "forbidden")
    assert snapshot() == before


def test_admin_acts_for_any_agency_and_names_it(newsroom):
    stack = newsroom
    article = draft(stack)
    assert act(stack, article, "publish", ADMIN)["status"] == "published"
    missing = stack.call("POST", "/v1/staff/news", ADMIN, ARTICLE)
    assert_error(missing, 422, "invalid_input", "agency_id")
    created = draft(stack, ADMIN, agency_id="so-xay-dung")
    assert created["agency_name"] == "Sở Xây dựng"


# ---------------------------------------------------------------- conflicts


def test_a_stale_version_is_a_409_and_changes_nothing(newsroom):
    stack = newsroom
    article = draft(stack)
    path = f"/v1/staff/news/{article['id']}"
    first = stack.call("PUT", path, EDITOR, {**ARTICLE, "title": "Mới", "version": 1})
    assert first.status_code == 200

    before = snapshot()
    late = stack.call("PUT", path, EDITOR, {**ARTICLE, "title": "Cũ", "version": 1})
    assert_error(late, 409, "news_version_stale")
    assert_error(
        stack.call("POST", f"{path}/publish", EDITOR, {"version": 1}),
        409,
        "news_version_stale",
    )
    assert_error(
        stack.call("DELETE", f"{path}?version=1", EDITOR), 409, "news_version_stale"
    )
    assert snapshot() == before
    assert stack.call("GET", path, EDITOR).json_body["title"] == "Mới"


def test_only_a_draft_is_deleted_and_only_a_published_one_taken_down(newsroom):
    stack = newsroom
    article = draft(stack)
    assert_error(
        stack.call(
            "POST", f"/v1/staff/news/{article['id']}/unpublish", EDITOR, {"version": 1}
        ),
        409,
        "news_not_published",
    )
    live = published(stack)
    assert_error(
        stack.call("DELETE", f"/v1/staff/news/{live['id']}?version=2", EDITOR),
        409,
        "news_not_draft",
    )
    assert_error(
        stack.call(
            "POST", f"/v1/staff/news/{live['id']}/publish", EDITOR, {"version": 2}
        ),
        409,
        "news_already_published",
    )
    gone = stack.call("DELETE", f"/v1/staff/news/{article['id']}?version=1", EDITOR)
    assert gone.status_code == 204
    missing = stack.call("GET", f"/v1/staff/news/{article['id']}", EDITOR)
    assert_error(missing, 404, "news_not_found")


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "change, fields",
    [
        ({"title": "", "summary": None, "body": 5, "category_id": "x"},
         {"title", "summary", "body", "category_id"}),
        ({"title": "T" * 201}, {"title"}),
        ({"summary": "S" * 501}, {"summary"}),
        ({"body": "B" * 20_001}, {"body"}),
        ({"body": "Xem <script>alert(1)</script> nhé"}, {"body"}),
        ({"title": "<b>Đậm</b>"}, {"title"}),
        ({"summary": "Ký tự \u0007 lạ"}, {"summary"}),
        ({"body": "Nửa cặp \ud800"}, {"body"}),
        ({"cover_upload_id": 42}, {"cover_upload_id"}),
        ({"cover_upload_id": "khong-co-anh"}, {"cover_upload_id"}),
    ],
)  # fmt: skip
def test_invalid_article_is_refused_with_every_field_named(newsroom, change, fields):
    before = snapshot()
    answer = newsroom.call("POST", "/v1/staff/news", EDITOR, {**ARTICLE, **change})
    assert_error(answer, 422, answer.json_body["code"])
    assert set(answer.json_body["fields"]) == fields
    assert snapshot() == before


def test_a_cover_that_is_not_an_image_or_not_ones_own_is_refused(newsroom):
    stack = newsroom
    fake = stack.upload_photo(EDITOR, b"not an image at all")
    citizens = stack.upload_photo(CITIZEN, jpeg_bytes())
    before = snapshot()
    for upload, code in ((fake, "upload_invalid"), (citizens, "upload_not_found")):
        answer = stack.call(
            "POST", "/v1/staff/news", EDITOR, {**ARTICLE, "cover_upload_id": upload}
        )
        assert_error(answer, 422, code, "cover_upload_id")
    assert snapshot() == before


def test_a_cover_is_used_once(newsroom):
    stack = newsroom
    cover = stack.upload_photo(EDITOR, jpeg_bytes())
    draft(stack, cover_upload_id=cover)
    again = stack.call(
        "POST", "/v1/staff/news", EDITOR, {**ARTICLE, "cover_upload_id": cover}
    )
    assert_error(again, 409, "upload_already_used")


def test_missing_version_and_unknown_ids(newsroom):
    stack = newsroom
    article = draft(stack)
    path = f"/v1/staff/news/{article['id']}"
    assert_error(stack.call("PUT", path, EDITOR, ARTICLE), 422, "invalid_input")
    assert_error(
        stack.call("POST", f"{path}/publish", EDITOR, {"version": True}),
        422,
        "invalid_input",
        "version",
    )
    assert_error(stack.call("DELETE", path, EDITOR), 422, "invalid_input", "version")
    for news_id in ("0" * 32, "x" * 3000, "..%2F"):
        assert_error(stack.call("GET", f"/v1/news/{news_id}"), 404, "news_not_found")
    assert_error(
        stack.call("POST", "/v1/staff/news", EDITOR, "{oops"), 400, "invalid_json"
    )


# ---------------------------------------------------------------- privacy


def test_public_news_names_the_agency_never_the_author(newsroom):
    stack = newsroom
    cover = stack.upload_photo(EDITOR, jpeg_bytes())
    article = published(stack, cover_upload_id=cover)
    staff = stack.call("GET", f"/v1/staff/news/{article['id']}", EDITOR).json_body
    author_sub = stack.info and next(
        sub for name, sub in stack.info["users"].items() if name == EDITOR
    )
    answers = [
        stack.call("GET", "/v1/news"),
        stack.call("GET", f"/v1/news/{article['id']}"),
        stack.call("GET", "/v1/news?category=hoat-dong"),
    ]
    for answer in answers:
        text = json.dumps(answer.json_body, ensure_ascii=False)
        for secret in ("Đặng Thu Hà", "bientap", "+84900000106", author_sub):
            assert secret not in text, secret
        assert "Tỉnh Kon Tum" in text
    # The cover's public link is to the re-encoded copy, never the upload itself.
    private_path = staff["cover_url"].split("?")[0]
    public_path = answers[1].json_body["cover_url"].split("?")[0]
    assert "/uploads/" in private_path and "/public/news/" in public_path


def test_news_categories_are_the_provinces(stack):
    answer = stack.call("GET", "/v1/news-categories")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=60"
    items = answer.json_body["items"]
    assert items[0] == {
        "id": "hoat-dong",
        "name": "Tin hoạt động",
        "name_en": "Activities",
    }
    assert all(i["name"] and i["name_en"] and i["name"] != i["name_en"] for i in items)
