"""News (tin tức): public reading, and the staff's drafts, publishing and takedowns."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.http import cached, json_body, route
from chalicelib.services import news

bp = Blueprint(__name__)

_STRING = {"type": "string"}
_VERSION = {"version": {"type": "integer"}}
_ARTICLE = {
    "title": _STRING,
    "summary": _STRING,
    "body": {
        "type": "string",
        "description": "Plain text; a blank line between paragraphs.",
    },
    "category_id": _STRING,
    "cover_upload_id": {"type": "string", "nullable": True},
    "agency_id": {"type": "string", "description": "Administrators only."},
}
EDITORS = ("editor", "admin")
# A phone on a slow network rereads lists often; a minute of staleness is harmless.
PUBLIC_CACHE_SECONDS = 60


def _cached(body: dict) -> Response:
    return cached(body, PUBLIC_CACHE_SECONDS)


@route(bp, "/news-categories", "GET", "News categories (chuyên mục tin).")
def news_categories():
    return _cached({"items": news.categories(), "next_cursor": None})


@route(
    bp,
    "/news",
    "GET",
    "Published news, newest first, 10 a page; `category` narrows it. No body.",
    query=("category", "limit", "cursor"),
)
def public_news():
    return _cached(news.list_public(bp.current_request.query_params or {}))


@route(bp, "/news/{news_id}", "GET", "One published article.", errors=(404,))
def public_article(news_id):
    return _cached(news.get_public(news_id))


@route(
    bp,
    "/staff/news",
    "GET",
    "An agency's articles in every status (or `status`), the last updated first.",
    auth="staff",
    groups=EDITORS,
    query=("status", "agency_id", "limit", "cursor"),
)
def staff_news(caller):
    return news.list_for_staff(caller, bp.current_request.query_params or {})


@route(
    bp,
    "/staff/news",
    "POST",
    "A new draft of the caller's agency.",
    auth="staff",
    groups=EDITORS,
    request=_ARTICLE,
    status=201,
    errors=(409, 413, 422),
)
def create_news(caller):
    return news.create(caller, json_body(bp.current_request))


@route(
    bp,
    "/staff/news/{news_id}",
    "GET",
    "One article as its agency's staff see it.",
    auth="staff",
    groups=EDITORS,
    errors=(404,),
)
def staff_article(news_id, caller):
    return news.get_for_staff(caller, news_id)


@route(
    bp,
    "/staff/news/{news_id}",
    "PUT",
    "Replace an article's text, category and cover; 409 unless `version` is current.",
    auth="staff",
    groups=EDITORS,
    request={**_ARTICLE, **_VERSION},
    errors=(404, 409, 413, 422),
)
def update_news(news_id, caller):
    return news.update(caller, news_id, json_body(bp.current_request))


@route(
    bp,
    "/staff/news/{news_id}/publish",
    "POST",
    "Publish: the article and its cover (a copy without metadata) become public.",
    auth="staff",
    groups=EDITORS,
    request=_VERSION,
    errors=(404, 409, 422),
)
def publish_news(news_id, caller):
    return news.publish(caller, news_id, json_body(bp.current_request))


@route(
    bp,
    "/staff/news/{news_id}/unpublish",
    "POST",
    "Take down: out of the public lists, 404 to read, public cover copies deleted.",
    auth="staff",
    groups=EDITORS,
    request=_VERSION,
    errors=(404, 409, 422),
)
def unpublish_news(news_id, caller):
    return news.unpublish(caller, news_id, json_body(bp.current_request))


@route(
    bp,
    "/staff/news/{news_id}",
    "DELETE",
    "Delete a draft never published (`?version=`).",
    auth="staff",
    groups=EDITORS,
    status=204,
    errors=(404, 409, 422),
    query=("version",),
)
def delete_news(news_id, caller):
    params = bp.current_request.query_params or {}
    news.delete(caller, news_id, params.get("version"))
    return Response(body="", status_code=204)
