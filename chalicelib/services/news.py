"""News (tin tức): staff write drafts, publish and take them down; anyone reads them.

An article belongs to an agency, never to a person: the public sees the agency's name,
and the staff who wrote it are kept by ``sub`` for the staff panel only. Its cover is
an upload from the ordinary upload slots, checked like a report's photos; a copy
without metadata (and a thumbnail) is public only while the article is published.
"""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from datetime import UTC

from pynamodb.exceptions import (
    DeleteError,
    DoesNotExist,
    TransactWriteError,
    UpdateError,
)
from pynamodb.transactions import TransactWrite

from chalicelib import settings
from chalicelib.adapters import storage
from chalicelib.adapters.identity import Caller
from chalicelib.adapters.tables import NewsModel, connection
from chalicelib.domain import clock, news
from chalicelib.errors import (
    AppError,
    BadRequestError,
    ConflictError,
    DependencyError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
    field_error,
)
from chalicelib.observability import logger
from chalicelib.services import paging, reference
from chalicelib.services import reports as report_service

PUBLIC_FEED = "PUBLIC"
PAGE = 10  # small pages: a list is read on a phone
THUMB_SIDE = 480
ALL_AGENCIES = {"admin"}  # groups that act on every agency's articles
_ID = re.compile(r"^[0-9a-f]{32}$")


# Reference ------------------------------------------------------------------------


def categories() -> list[dict]:
    """The province's news categories (chuyên mục), in the file's order."""
    # TODO: administrators cannot change them without a deployment; they belong in
    # the reference data beside the report categories once the admin pages have it.
    return [
        {"id": c["id"], "name": c["name"], "name_en": c["name_en"]}
        for c in settings.province().get("news_categories", [])
    ]


def _category_ids() -> set[str]:
    return {c["id"] for c in categories()}


def _publishers() -> dict[str, dict]:
    """Who may publish: the province itself and every agency."""
    province = settings.province()
    found = {"province": {"name": province["name"], "name_en": province["name_en"]}}
    found.update(reference.by_id("agency"))
    return found


# Staff ----------------------------------------------------------------------------


def create(caller: Caller, payload: object) -> dict:
    """A new draft of the caller's agency (an administrator names the agency)."""
    agency_id = _agency_of_new(caller, payload)
    text = news.parse_article(payload, categories=_category_ids())
    cover = _own_cover(caller, text.cover_upload_id)

    now = _utc(clock.now())
    article = NewsModel(
        uuid.uuid4().hex,
        agency_id=agency_id,
        status="draft",
        agency_status=f"{agency_id}#draft",
        version=1,
        category_id=text.category_id,
        title=text.title,
        summary=text.summary,
        body=text.body,
        cover_upload_id=cover and cover.id,
        cover_key=cover and cover.key,
        created_at=now,
        updated_at=now,
        created_by=caller.sub,
        updated_by=caller.sub,
    )
    with _refused_as(_cover_in_use), TransactWrite(connection=connection()) as tx:
        tx.save(article, condition=NewsModel.id.does_not_exist())
        if cover:
            report_service.attach_uploads(tx, [cover], f"news:{article.id}")
    logger.info("news created", extra={"news_id": article.id, "agency_id": agency_id})
    return shape_for_staff(article)


def update(caller: Caller, news_id: str, payload: object) -> dict:
    """Replace an article's text, category and cover, if ``version`` is current.

    A published article stays published: its feeds follow a new category, and a new
    cover is made public at once (the old public copies are taken down)."""
    article = _editable(caller, news_id)
    version = news.parse_version(payload)
    _check_version(article, version)
    text = news.parse_article(payload, categories=_category_ids())
    new_cover = None
    if text.cover_upload_id and text.cover_upload_id != article.cover_upload_id:
        new_cover = _own_cover(caller, text.cover_upload_id)

    published = article.status == "published"
    actions = [
        NewsModel.title.set(text.title),
        NewsModel.summary.set(text.summary),
        NewsModel.body.set(text.body),
        NewsModel.category_id.set(text.category_id),
        NewsModel.updated_at.set(_utc(clock.now())),
        NewsModel.updated_by.set(caller.sub),
        NewsModel.version.add(1),
    ]
    if published:
        actions.append(NewsModel.category_feed.set(text.category_id))
    old_public = []
    if text.cover_upload_id != article.cover_upload_id:
        old_public = [
            k for k in (article.cover_public_key, article.cover_thumb_key) if k
        ]
        if new_cover:
            actions += [
                NewsModel.cover_upload_id.set(new_cover.id),
                NewsModel.cover_key.set(new_cover.key),
            ]
        else:
            actions += [
                NewsModel.cover_upload_id.remove(),
                NewsModel.cover_key.remove(),
            ]
        if published and new_cover:
            public_key, thumb_key = _make_cover_public(
                article.id, new_cover.id, new_cover.key
            )
            actions += [
                NewsModel.cover_public_key.set(public_key),
                NewsModel.cover_thumb_key.set(thumb_key),
            ]
        else:
            actions += [
                NewsModel.cover_public_key.remove(),
                NewsModel.cover_thumb_key.remove(),
            ]
    with _refused_as(_stale), TransactWrite(connection=connection()) as tx:
        tx.update(article, actions=actions, condition=NewsModel.version == version)
        if new_cover:
            report_service.attach_uploads(tx, [new_cover], f"news:{article.id}")
    _take_down(old_public, article.id)
    # TODO: a replaced cover stays attached to the article in the uploads table and in
    # the bucket; nothing reclaims it yet.
    logger.info("news updated", extra={"news_id": article.id})
    return shape_for_staff(_get(article.id))


def publish(caller: Caller, news_id: str, payload: object) -> dict:
    article = _editable(caller, news_id)
    version = news.parse_version(payload)
    _check_version(article, version)
    if article.status == "published":
        raise ConflictError(
            code="news_already_published",
            message="Bài viết đã được đăng.",
            message_en="The article is already published.",
        )

    # The copies are written before the article shows them; a refused write below
    # leaves them unused (and unreachable through the API), never the reverse.
    public_key = thumb_key = None
    if article.cover_key:
        public_key, thumb_key = _make_cover_public(
            article.id, article.cover_upload_id, article.cover_key
        )
    now = _utc(clock.now())
    actions = [
        NewsModel.status.set("published"),
        NewsModel.agency_status.set(f"{article.agency_id}#published"),
        NewsModel.public_feed.set(PUBLIC_FEED),
        NewsModel.category_feed.set(article.category_id),
        NewsModel.published_at.set(now),
        NewsModel.updated_at.set(now),
        NewsModel.updated_by.set(caller.sub),
        NewsModel.version.add(1),
    ]
    if public_key:
        actions += [
            NewsModel.cover_public_key.set(public_key),
            NewsModel.cover_thumb_key.set(thumb_key),
        ]
    _conditional_update(
        article,
        actions,
        (NewsModel.version == version) & (NewsModel.status != "published"),
    )
    logger.info("news published", extra={"news_id": article.id})
    return shape_for_staff(_get(article.id))


def unpublish(caller: Caller, news_id: str, payload: object) -> dict:
    """Take a published article down: out of every public list, 404 to read, and its
    public cover copies deleted."""
    article = _editable(caller, news_id)
    version = news.parse_version(payload)
    _check_version(article, version)
    if article.status != "published":
        raise ConflictError(
            code="news_not_published",
            message="Bài viết chưa được đăng.",
            message_en="The article is not published.",
        )

    # Read before the update: pynamodb refreshes the object from its answer.
    public_copies = [
        k for k in (article.cover_public_key, article.cover_thumb_key) if k
    ]
    now = _utc(clock.now())
    _conditional_update(
        article,
        [
            NewsModel.status.set("unpublished"),
            NewsModel.agency_status.set(f"{article.agency_id}#unpublished"),
            NewsModel.public_feed.remove(),
            NewsModel.category_feed.remove(),
            NewsModel.cover_public_key.remove(),
            NewsModel.cover_thumb_key.remove(),
            NewsModel.updated_at.set(now),
            NewsModel.updated_by.set(caller.sub),
            NewsModel.version.add(1),
        ],
        (NewsModel.version == version) & (NewsModel.status == "published"),
    )
    _take_down(public_copies, article.id)
    logger.info("news unpublished", extra={"news_id": article.id})
    return shape_for_staff(_get(article.id))


def delete(caller: Caller, news_id: str, raw_version: str | None) -> None:
    """Delete a draft that was never published (a taken-down article is kept)."""
    article = _editable(caller, news_id)
    version = news.parse_version({"version": raw_version})
    _check_version(article, version)
    if article.status != "draft":
        raise ConflictError(
            code="news_not_draft",
            message="Chỉ xóa được bản nháp chưa từng đăng.",
            message_en="Only a draft that was never published can be deleted.",
        )
    try:
        article.delete(
            condition=(NewsModel.version == version) & (NewsModel.status == "draft")
        )
    except DeleteError as error:
        if _condition_failed(error):
            raise _stale() from error
        raise DependencyError() from error
    # TODO: the deleted draft's cover stays in the bucket, attached to nothing.
    logger.info("news deleted", extra={"news_id": article.id})


def list_for_staff(caller: Caller, params: dict) -> dict:
    """An agency's articles, the last updated first; ``status`` narrows them."""
    agency_id = params.get("agency_id") or caller.agency_id or ""
    if not _acts_for(caller, agency_id):
        raise ForbiddenError()
    status = params.get("status") or None
    if status is not None and status not in news.STATUSES:
        raise BadRequestError(
            code="bad_status",
            message="Trạng thái phải là draft, published hoặc unpublished.",
            message_en="status must be draft, published or unpublished.",
        )
    limit = _limit(params)
    if status:
        partition = f"{agency_id}#{status}"
        start = _start_key(
            params.get("cursor"), "agency_status", partition, "updated_at"
        )
        results = NewsModel.agency_status_index.query(
            partition, scan_index_forward=False, limit=limit, last_evaluated_key=start
        )
    else:
        start = _start_key(params.get("cursor"), "agency_id", agency_id, "updated_at")
        results = NewsModel.agency_index.query(
            agency_id, scan_index_forward=False, limit=limit, last_evaluated_key=start
        )
    return paging.page(results, lambda a: shape_for_staff(a, body=False))


def get_for_staff(caller: Caller, news_id: str) -> dict:
    return shape_for_staff(_editable(caller, news_id))


# Public ---------------------------------------------------------------------------


def list_public(params: dict) -> dict:
    """Published articles, newest first; ``category`` narrows them. No body."""
    category = params.get("category") or None
    if category is not None and category not in _category_ids():
        raise BadRequestError(
            code="bad_category",
            message="Chuyên mục tin không tồn tại.",
            message_en="Unknown news category.",
        )
    limit = _limit(params)
    if category:
        start = _start_key(
            params.get("cursor"), "category_feed", category, "published_at"
        )
        results = NewsModel.category_index.query(
            category, scan_index_forward=False, limit=limit, last_evaluated_key=start
        )
    else:
        start = _start_key(
            params.get("cursor"), "public_feed", PUBLIC_FEED, "published_at"
        )
        results = NewsModel.public_index.query(
            PUBLIC_FEED, scan_index_forward=False, limit=limit, last_evaluated_key=start
        )
    return paging.page(results, lambda a: shape_for_public(a, body=False))


def get_public(news_id: str) -> dict:
    article = _get(news_id)
    if article.public_feed != PUBLIC_FEED:
        raise _not_found()
    return shape_for_public(article)


# Shapes ---------------------------------------------------------------------------


def _common(article: NewsModel) -> dict:
    category = {c["id"]: c for c in categories()}.get(article.category_id, {})
    agency = _publishers().get(article.agency_id, {})
    return {
        "id": article.id,
        "title": article.title,
        "summary": article.summary,
        "category_id": article.category_id,
        "category_name": category.get("name"),
        "category_name_en": category.get("name_en"),
        "agency_id": article.agency_id,
        "agency_name": agency.get("name"),
        "agency_name_en": agency.get("name_en"),
        "published_at": _local(article.published_at),
    }


def shape_for_public(article: NewsModel, *, body: bool = True) -> dict:
    """What anyone may read: the agency speaks, no staff member is named."""
    shaped = _common(article)
    shaped["cover_thumb_url"] = article.cover_thumb_key and storage.read_url(
        article.cover_thumb_key
    )
    if body:
        shaped["cover_url"] = article.cover_public_key and storage.read_url(
            article.cover_public_key
        )
        shaped["paragraphs"] = news.paragraphs(article.body)
    return shaped


def shape_for_staff(article: NewsModel, *, body: bool = True) -> dict:
    vi, en = news.STATUSES[article.status]
    shaped = _common(article)
    shaped.update(
        status=article.status,
        status_label=vi,
        status_label_en=en,
        version=int(article.version),
        created_at=_local(article.created_at),
        updated_at=_local(article.updated_at),
        cover_upload_id=article.cover_upload_id,
    )
    if body:
        shaped["body"] = article.body
        shaped["cover_url"] = article.cover_key and storage.read_url(article.cover_key)
    return shaped


# Helpers --------------------------------------------------------------------------


def _acts_for(caller: Caller, agency_id: str) -> bool:
    return bool(ALL_AGENCIES & set(caller.groups)) or caller.agency_id == agency_id


def _agency_of_new(caller: Caller, payload: object) -> str:
    wanted = payload.get("agency_id") if isinstance(payload, dict) else None
    if not ALL_AGENCIES & set(caller.groups):
        if wanted not in (None, caller.agency_id):
            raise ForbiddenError()
        return caller.agency_id or ""
    if not isinstance(wanted, str) or wanted not in _publishers():
        raise ValidationError(
            fields=field_error(
                "agency_id",
                "Vui lòng chọn cơ quan đăng tin.",
                "Choose the agency that publishes the article.",
            )
        )
    return wanted


def _own_cover(caller: Caller, upload_id: str | None):
    """The caller's pending upload, checked (size, type, decodes), or None."""
    if not upload_id:
        return None
    try:
        (upload,) = report_service.load_own_uploads(caller, [upload_id])
    except ValidationError as error:
        # The same checks as a report's photos; the field here is the cover.
        if error.fields:
            error.fields = {"cover_upload_id": next(iter(error.fields.values()))}
        raise
    except ConflictError as error:
        raise _cover_in_use() from error
    return upload


def _make_cover_public(article_id: str, upload_id: str, key: str) -> tuple[str, str]:
    # Named after the article, not the upload's key: that holds the uploader's sub.
    extension = key.rsplit(".", 1)[1] if "." in key.rsplit("/", 1)[-1] else "img"
    base = f"public/news/{article_id}/{upload_id}"
    public_key, thumb_key = f"{base}.{extension}", f"{base}-thumb.{extension}"
    storage.write_public_copy(key, public_key)
    storage.write_public_copy(key, thumb_key, max_side=THUMB_SIDE)
    return public_key, thumb_key


def _take_down(keys: list[str], news_id: str) -> None:
    try:
        storage.delete_objects(keys)
    except DependencyError:
        # The article is already out of every public answer; the copies' presigned
        # links die within READ_SECONDS.
        # TODO: retry the deletion (a queue or a sweep) instead of only logging it.
        logger.warning("public cover not deleted", extra={"news_id": news_id})


def _get(news_id: str) -> NewsModel:
    if not _ID.match(news_id or ""):
        raise _not_found()
    try:
        return NewsModel.get(news_id)
    except DoesNotExist as error:
        raise _not_found() from error


def _editable(caller: Caller, news_id: str) -> NewsModel:
    article = _get(news_id)
    if not _acts_for(caller, article.agency_id):
        raise ForbiddenError()
    return article


def _check_version(article: NewsModel, version: int) -> None:
    if int(article.version) != version:
        raise _stale()


def _conditional_update(article: NewsModel, actions: list, condition) -> None:
    try:
        article.update(actions=actions, condition=condition)
    except UpdateError as error:
        if _condition_failed(error):
            raise _stale() from error
        raise DependencyError() from error


def _condition_failed(error: Exception) -> bool:
    return getattr(error, "cause_response_code", None) == (
        "ConditionalCheckFailedException"
    )


@contextmanager
def _refused_as(make_error):
    """A refused transaction becomes ``make_error()``: the article changed meanwhile,
    or the cover was attached elsewhere in the same instant."""
    try:
        yield
    except TransactWriteError as error:
        raise make_error() from error


def _limit(params: dict) -> int:
    raw = params.get("limit")
    return PAGE if raw is None else paging.limit_of(raw)


def _start_key(
    cursor: str | None, partition_name: str, partition: str, sort_name: str
) -> dict | None:
    """The cursor's key, if it is one this very list handed out; DynamoDB answers
    anything else with an error the caller could not read."""
    key = paging.decode(cursor)
    if key is None:
        return None
    valid = (
        isinstance(key, dict)
        and set(key) == {"id", partition_name, sort_name}
        and all(
            isinstance(v, dict) and list(v) == ["S"] and isinstance(v["S"], str)
            for v in key.values()
        )
        and key.get(partition_name, {}).get("S") == partition
    )
    if not valid:
        raise BadRequestError(
            code="bad_cursor",
            message="Con trỏ trang không hợp lệ.",
            message_en="The cursor is invalid.",
        )
    return key


def _utc(moment) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def _local(stored: str | None) -> str | None:
    return stored and clock.iso(clock.parse_iso(stored))


def _stale() -> ConflictError:
    return ConflictError(
        code="news_version_stale",
        message="Bài viết đã được người khác thay đổi, vui lòng tải lại.",
        message_en="The article changed meanwhile; reload it and try again.",
    )


def _cover_in_use() -> ConflictError:
    return ConflictError(
        code="upload_already_used",
        message="Ảnh đã được dùng ở nơi khác.",
        message_en="The upload is already attached elsewhere.",
    )


def _not_found() -> AppError:
    return NotFoundError(
        code="news_not_found",
        message="Không tìm thấy bài viết.",
        message_en="Article not found.",
    )
