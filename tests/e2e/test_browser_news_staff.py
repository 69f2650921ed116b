"""The staff news page in a real browser, against the local stack.

The news editor writes a draft with a cover, edits it, publishes it and takes it
down, all on staff/news.html; the public news page and the API are read to check
each step reached the citizens. Public answers are cached by browsers for a minute,
so each look at the public page opens a fresh browser context.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from infra.demo_data import CITIZEN, ApiClient
from tests.e2e.test_browser import (  # noqa: F401
    TIMEOUT_MS,
    BrowserErrors,
    browser,
    browser_errors,
    page,
    sign_in,
)

EDITOR = "bientap"  # the province's news editor
OFFICER = "chuyenvien.sxd"


@pytest.fixture
def api(local_stack) -> ApiClient:
    return ApiClient(local_stack.api)


@pytest.fixture
def written(api):
    """Ids of the articles a test wrote: taken down or deleted after it, so the
    public list the other tests count stays as the demo data left it."""
    ids: list[str] = []
    yield ids
    for news_id in ids:
        answer = api.call("GET", f"/v1/staff/news/{news_id}", EDITOR)
        if answer.status_code != 200:
            continue
        article = answer.json()
        version = {"version": article["version"]}
        if article["status"] == "published":
            api.call("POST", f"/v1/staff/news/{news_id}/unpublish", EDITOR, version)
        elif article["status"] == "draft":
            api.call(
                "DELETE",
                f"/v1/staff/news/{news_id}?version={article['version']}",
                EDITOR,
            )


def cover_picture(tmp_path: Path) -> Path:
    path = tmp_path / "anh-bia.jpg"
    Image.new("RGB", (160, 120), (40, 120, 80)).save(path, "JPEG", quality=80)
    return path


def public_news_ids(api: ApiClient) -> list[str]:
    answer = api.call("GET", "/v1/news?limit=50")
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


def public_page(browser: Browser, errors: BrowserErrors, site: str) -> Page:  # noqa: F811
    """The citizens' news list in a context of its own (an empty HTTP cache)."""
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 375, "height": 800}
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors.watch(tab)
    tab.goto(f"{site}/news.html")
    # The demo's published articles are there: the list has loaded.
    expect(tab.get_by_test_id("news-item").first).to_be_visible()
    return tab


def test_editor_writes_publishes_and_takes_down_an_article(
    local_stack,
    api,
    written,
    tmp_path,
    browser,  # noqa: F811
    page,  # noqa: F811
    browser_errors,  # noqa: F811
):
    tag = uuid.uuid4().hex[:8]
    title = f"Khai trương nhà văn hóa thôn Kon Klor {tag}"
    summary = "Nhà văn hóa mới có sân chơi cho thiếu nhi và phòng đọc sách."
    body = "Sáng nay, nhà văn hóa thôn đã khánh thành.\n\nMọi người dân đều được dùng."

    # GIVEN the news editor signed in on the staff news page
    page.goto(f"{local_stack.site}/staff/news.html")
    sign_in(page, EDITOR)
    expect(page.get_by_test_id("view-news")).to_be_visible()
    expect(page.get_by_test_id("nav-news")).to_have_attribute("aria-current", "page")
    # the site's name leads here too: the task list is not an editor's
    expect(page.get_by_test_id("site-name")).to_have_attribute("href", "news.html")
    expect(page.get_by_test_id("ns-agency-row")).to_be_hidden()  # an editor's own
    form = page.get_by_test_id("ns-form")
    expect(form.get_by_test_id("ns-form-category").locator("option")).not_to_have_count(
        1
    )

    # WHEN the form is sent without a title, THEN the API's error shows beside it
    browser_errors.allow_failed_load("/v1/staff/news", 422)
    form.get_by_test_id("ns-form-summary").fill(summary)
    form.get_by_test_id("ns-form-body").fill(body)
    form.get_by_test_id("ns-form-category").select_option("thong-bao")
    form.get_by_test_id("ns-form-submit").click()
    title_error = form.get_by_test_id("field-error-title")
    expect(title_error).to_have_text("Vui lòng nhập tiêu đề.")
    expect(form.get_by_test_id("ns-form-title")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(form.get_by_test_id("field-error-summary")).to_be_hidden()
    # AND in English the same error reads in English
    page.get_by_test_id("lang-en").click()
    expect(title_error).to_have_text("Title is required.")
    expect(form.get_by_test_id("ns-form-submit")).to_have_text("Save the draft")
    page.get_by_test_id("lang-vi").click()
    expect(title_error).to_have_text("Vui lòng nhập tiêu đề.")

    # WHEN the title is given and a cover chosen
    form.get_by_test_id("ns-form-title").fill(title)
    form.get_by_test_id("ns-form-cover").set_input_files(cover_picture(tmp_path))
    form.get_by_test_id("ns-form-submit").click()

    # THEN the draft is saved, listed first as a draft, and the form is empty again
    expect(page.get_by_test_id("notice")).to_have_text(f"Đã lưu bản nháp «{title}».")
    row = page.get_by_test_id("ns-item").filter(has_text=tag)
    expect(row).to_have_count(1)
    news_id = row.get_attribute("data-news-id")
    written.append(news_id)
    expect(page.get_by_test_id("ns-item").first).to_have_attribute(
        "data-news-id", news_id
    )
    expect(row).to_have_attribute("data-status", "draft")
    expect(row.get_by_test_id("ns-item-status")).to_have_text("Bản nháp")
    expect(row.get_by_test_id("ns-item-category")).to_have_text("Thông báo")
    expect(title_error).to_be_hidden()
    expect(form.get_by_test_id("ns-form-title")).to_have_value("")
    stored = api.call("GET", f"/v1/staff/news/{news_id}", EDITOR).json()
    assert (stored["title"], stored["body"], stored["version"]) == (title, body, 1)
    assert stored["cover_upload_id"] and stored["cover_url"]
    assert news_id not in public_news_ids(api)

    # WHEN it is opened for editing, THEN the form holds it, its cover shown
    row.get_by_test_id("ns-item-edit").click()
    expect(form.get_by_test_id("ns-form-heading")).to_have_text("Sửa bài viết")
    expect(form.get_by_test_id("ns-form-heading")).to_be_focused()
    expect(form.get_by_test_id("ns-form-title")).to_have_value(title)
    expect(form.get_by_test_id("ns-form-body")).to_have_value(body)
    expect(form.get_by_test_id("ns-form-category")).to_have_value("thong-bao")
    expect(form.get_by_test_id("ns-cover-current-img")).to_be_visible()

    # WHEN it is changed and saved, THEN the list and the API show the change
    edited = f"Khánh thành nhà văn hóa thôn Kon Klor {tag}"
    form.get_by_test_id("ns-form-title").fill(edited)
    form.get_by_test_id("ns-form-category").select_option("van-hoa-du-lich")
    form.get_by_test_id("ns-form-submit").click()
    expect(page.get_by_test_id("notice")).to_have_text(
        f"Đã lưu thay đổi của bài «{edited}»."
    )
    expect(row.get_by_test_id("ns-item-title")).to_have_text(edited)
    expect(row.get_by_test_id("ns-item-category")).to_have_text("Văn hóa, du lịch")
    expect(form.get_by_test_id("ns-form-heading")).to_have_text("Viết bài mới")
    changed = api.call("GET", f"/v1/staff/news/{news_id}", EDITOR).json()
    assert changed["version"] == 2 and changed["title"] == edited
    assert changed["cover_upload_id"] == stored["cover_upload_id"]  # cover kept

    # WHEN someone else saves it while it is open here, THEN saving here is refused
    # with a clear message naming their version, and what was typed here stays
    row.get_by_test_id("ns-item-edit").click()
    expect(form.get_by_test_id("ns-form-title")).to_have_value(edited)
    elsewhere = f"Nhà văn hóa thôn Kon Klor mở cửa {tag}"
    answer = api.call(
        "PUT",
        f"/v1/staff/news/{news_id}",
        EDITOR,
        {
            **{k: changed[k] for k in ("summary", "body", "category_id")},
            "title": elsewhere,
            "cover_upload_id": changed["cover_upload_id"],
            "version": 2,
        },
    )
    assert answer.status_code == 200, answer.text
    browser_errors.allow_failed_load(f"/v1/staff/news/{news_id}", 409)
    typed = f"Bản sửa cũ {tag}"
    form.get_by_test_id("ns-form-title").fill(typed)
    form.get_by_test_id("ns-form-submit").click()
    expect(page.get_by_test_id("error")).to_contain_text(
        f"Bài viết vừa được người khác thay đổi (tiêu đề hiện nay: «{elsewhere}»)"
    )
    expect(form.get_by_test_id("ns-form-title")).to_have_value(typed)
    expect(row.get_by_test_id("ns-item-title")).to_have_text(elsewhere)
    assert api.call("GET", f"/v1/staff/news/{news_id}", EDITOR).json()["version"] == 3
    # WHEN it is saved again THEN this version replaces theirs
    form.get_by_test_id("ns-form-submit").click()
    expect(page.get_by_test_id("notice")).to_have_text(
        f"Đã lưu thay đổi của bài «{typed}»."
    )
    expect(row.get_by_test_id("ns-item-title")).to_have_text(typed)
    latest = api.call("GET", f"/v1/staff/news/{news_id}", EDITOR).json()
    assert (latest["version"], latest["title"]) == (4, typed)
    elsewhere = typed

    # WHEN it is published from the list
    row.get_by_test_id("ns-item-publish").click()

    # THEN the list says so and the citizens see it, with its cover's thumbnail
    expect(row).to_have_attribute("data-status", "published")
    expect(row.get_by_test_id("ns-item-status")).to_have_text("Đã đăng")
    expect(row.get_by_test_id("ns-item-published")).to_be_visible()
    expect(page.get_by_test_id("notice")).to_have_text(
        f"Đã đăng bài «{elsewhere}» lên trang Tin tức."
    )
    answer = api.call("GET", f"/v1/news/{news_id}")
    assert answer.status_code == 200, answer.text
    assert answer.json()["paragraphs"] == body.split("\n\n")
    assert answer.json()["cover_thumb_url"]
    assert news_id in public_news_ids(api)
    public = public_page(browser, browser_errors, local_stack.site)
    shown = public.get_by_test_id("news-item").filter(has_text=tag)
    expect(shown).to_have_count(1)
    expect(shown.get_by_test_id("news-link")).to_have_text(elsewhere)
    expect(shown.get_by_test_id("news-thumb")).to_be_visible()
    public.context.close()

    # WHEN it is taken down (confirmed), THEN it leaves the public list
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_test_id("ns-item-unpublish").click()
    expect(row).to_have_attribute("data-status", "unpublished")
    expect(row.get_by_test_id("ns-item-status")).to_have_text("Đã gỡ")
    expect(row.get_by_test_id("ns-item-delete")).to_have_count(0)  # was published
    assert news_id not in public_news_ids(api)
    public = public_page(browser, browser_errors, local_stack.site)
    expect(public.get_by_test_id("news-item").filter(has_text=tag)).to_have_count(0)
    public.context.close()

    # WHEN the list is narrowed by status, THEN it follows
    status = page.get_by_test_id("ns-filter-status")
    status.select_option("draft")
    expect(row).to_have_count(0)
    expect(
        page.locator('[data-testid="ns-item"]:not([data-status="draft"])')
    ).to_have_count(0)
    status.select_option("unpublished")
    expect(row).to_have_count(1)
    status.select_option("")


def test_editor_deletes_a_draft_never_published(
    local_stack,
    api,
    written,
    page,  # noqa: F811
):
    tag = uuid.uuid4().hex[:8]
    page.goto(f"{local_stack.site}/staff/news.html")
    sign_in(page, EDITOR)
    form = page.get_by_test_id("ns-form")
    form.get_by_test_id("ns-form-title").fill(f"Bản nháp thử {tag}")
    form.get_by_test_id("ns-form-summary").fill("Tóm tắt ngắn.")
    form.get_by_test_id("ns-form-body").fill("Nội dung ngắn.")
    form.get_by_test_id("ns-form-category").select_option("thong-bao")
    form.get_by_test_id("ns-form-submit").click()
    row = page.get_by_test_id("ns-item").filter(has_text=tag)
    expect(row).to_have_attribute("data-status", "draft")
    news_id = row.get_attribute("data-news-id")
    written.append(news_id)

    # WHEN the delete is refused at the browser's question, THEN nothing happens
    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_test_id("ns-item-delete").click()
    expect(row).to_have_count(1)
    assert api.call("GET", f"/v1/staff/news/{news_id}", EDITOR).status_code == 200

    # WHEN it is confirmed, THEN the draft is gone from the list and the API
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_test_id("ns-item-delete").click()
    expect(page.get_by_test_id("notice")).to_have_text(
        f"Đã xóa bản nháp «Bản nháp thử {tag}»."
    )
    expect(row).to_have_count(0)
    assert api.call("GET", f"/v1/staff/news/{news_id}", EDITOR).status_code == 404


@pytest.mark.parametrize("user", [OFFICER, CITIZEN])
def test_others_get_no_news_link_and_no_page(local_stack, page, user):  # noqa: F811
    # GIVEN someone who writes no news, signed in on the staff news page
    page.goto(f"{local_stack.site}/staff/news.html")
    sign_in(page, user)

    # THEN the menu has no news link, and the page says whom it is for
    expect(page.get_by_test_id("nav-news")).to_be_hidden()
    expect(page.get_by_test_id("view-news")).to_be_hidden()
    expect(page.get_by_test_id("error")).to_have_text(
        "Trang tin tức dành cho biên tập viên tin và quản trị viên."
    )


def test_admin_picks_the_agency_whose_news_they_read(local_stack, page):  # noqa: F811
    # GIVEN the administrator on the news page, THEN the agency choice is offered,
    # the province first, with its articles (the demo's published ones among them)
    page.goto(f"{local_stack.site}/staff/news.html")
    sign_in(page, "quantri")
    expect(page.get_by_test_id("nav-news")).to_be_visible()
    agency = page.get_by_test_id("ns-agency")
    expect(agency).to_have_value("province")
    expect(page.get_by_test_id("ns-item").first).to_be_visible()

    # WHEN an agency with no articles is chosen, THEN the list says it is empty
    agency.select_option("so-xay-dung")
    expect(page.get_by_test_id("ns-empty")).to_be_visible()
    expect(page.get_by_test_id("ns-item")).to_have_count(0)


def test_the_list_pages_with_load_more_on_a_phone(local_stack, api, written, page):  # noqa: F811
    # GIVEN more of the province's articles than one page holds (10)
    answer = api.call("GET", "/v1/staff/news?limit=100", EDITOR)
    assert answer.status_code == 200, answer.text
    tag = uuid.uuid4().hex[:8]
    for n in range(max(1, 12 - len(answer.json()["items"]))):
        created = api.call(
            "POST",
            "/v1/staff/news",
            EDITOR,
            {
                "title": f"Bản nháp số {n} {tag}",
                "summary": "Tóm tắt.",
                "body": "Nội dung.",
                "category_id": "thong-bao",
            },
        )
        assert created.status_code == 201, created.text
        written.append(created.json()["id"])
    total = len(api.call("GET", "/v1/staff/news?limit=100", EDITOR).json()["items"])

    # WHEN the editor opens the page on a 375 px screen
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{local_stack.site}/staff/news.html")
    sign_in(page, EDITOR)
    items = page.get_by_test_id("ns-item")

    # THEN one page shows, and "more" brings the rest, the last updated first
    expect(items).to_have_count(10)
    expect(items.first).to_contain_text(tag)
    more = page.get_by_test_id("ns-more")
    more.click()
    expect(items).to_have_count(min(total, 20))
    if total <= 20:
        expect(more).to_be_hidden()
    # AND nothing is wider than the screen
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 0, f"the news page is {overflow} px wider than 375 px"
