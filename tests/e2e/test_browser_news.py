"""News on the citizen site in a real browser, against the local stack.

The demo data publishes four articles through the API; this test publishes one more
with a body that carries markup-like text, and reads it back as text.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.test_browser import browser, browser_errors, page  # noqa: F401

EDITOR = "bientap"


def test_citizen_reads_news_by_category_in_the_browser(
    local_stack,
    page,  # noqa: F811
    browser_errors,  # noqa: F811
):
    from infra.demo_data import ApiClient

    api = ApiClient(local_stack.api)
    created = api.call(
        "POST",
        "/v1/staff/news",
        EDITOR,
        {
            "title": "Mở lại cầu treo Đăk Bla sau khi sửa chữa",
            "summary": "Cầu được gia cố, người đi bộ và xe máy qua lại bình thường.",
            "body": "Sau hai tháng sửa chữa, cầu treo đã thông xe.\n\n"
            "Xe trên 1 tấn vẫn không được qua cầu; 2 < 3 là chuyện thường.",
            "category_id": "thong-bao",
        },
    )
    assert created.status_code == 201, created.text
    article = created.json()
    answer = api.call(
        "POST", f"/v1/staff/news/{article['id']}/publish", EDITOR, {"version": 1}
    )
    assert answer.status_code == 200, answer.text

    # GIVEN the citizen site, WHEN the reader follows the news link
    page.goto(f"{local_stack.site}/")
    page.get_by_test_id("nav-news").click()
    items = page.get_by_test_id("news-item")
    expect(items.first).to_be_visible()
    # THEN the newest article comes first, with its thumbnail, and no body
    expect(items.first.get_by_test_id("news-link")).to_have_text(article["title"])
    expect(items.first.get_by_test_id("news-agency")).to_have_text("Tỉnh Kon Tum")
    expect(items).to_have_count(5)
    expect(page.get_by_test_id("news-thumb").first).to_be_visible()

    # WHEN a category is chosen, THEN only its articles remain
    page.get_by_test_id("news-filter-van-hoa-du-lich").click()
    expect(items).to_have_count(1)
    expect(items.get_by_test_id("news-category")).to_have_text("Văn hóa, du lịch")
    page.get_by_test_id("news-filter-thong-bao").click()
    expect(items).to_have_count(2)

    # WHEN the article is opened, THEN its Vietnamese text is shown as text
    items.first.get_by_test_id("news-link").click()
    expect(page.get_by_test_id("news-article-title")).to_have_text(article["title"])
    paragraphs = page.get_by_test_id("news-paragraph")
    expect(paragraphs).to_have_count(2)
    expect(paragraphs.nth(0)).to_have_text(
        "Sau hai tháng sửa chữa, cầu treo đã thông xe."
    )
    expect(paragraphs.nth(1)).to_contain_text("2 < 3 là chuyện thường.")
    expect(page.get_by_test_id("news-article-category")).to_have_text("Thông báo")

    # AND in English the labels follow, the article stays as written
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("news-article-category")).to_have_text("Announcements")
    expect(page.get_by_test_id("news-back")).to_have_text("← Back to the news")

    # WHEN an article is not (or no longer) published, THEN the page says so
    missing = "0" * 32
    browser_errors.allow_failed_load(f"/v1/news/{missing}", 404)
    page.goto(f"{local_stack.site}/news.html#/article/{missing}")
    expect(page.get_by_test_id("view-news-notfound")).to_be_visible()
    expect(page.get_by_test_id("view-news-notfound")).to_contain_text(
        "Article not found."
    )
