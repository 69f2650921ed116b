"""The pynamodb models, one per table of ``infra/tables.json``.

Each model lists the access patterns it serves. Table names come from the environment
and are bound by ``bind()`` at the start of every request or event, never at import
(Chalice's test client applies stage variables only during a request).
"""

from __future__ import annotations

from functools import lru_cache

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)
from pynamodb.connection import Connection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib import settings


class _Meta:
    table_name = "unbound"
    region = "ap-southeast-1"


class OwnerIndex(GlobalSecondaryIndex):
    """A citizen's own reports, newest first."""

    class Meta:
        index_name = "owner-index"
        projection = AllProjection()

    owner_sub = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class PublicIndex(GlobalSecondaryIndex):
    """The public feed: published reports, newest first (sparse: only published)."""

    class Meta:
        index_name = "public-index"
        projection = AllProjection()

    public_feed = UnicodeAttribute(hash_key=True)
    published_at = UnicodeAttribute(range_key=True)


class PublicAreaIndex(GlobalSecondaryIndex):
    """The public feed of one commune or ward, newest first (sparse: only published;
    ``public_area`` is the report's area while it is public)."""

    class Meta:
        index_name = "public-area-index"
        projection = AllProjection()

    public_area = UnicodeAttribute(hash_key=True)
    published_at = UnicodeAttribute(range_key=True)


class PublicCategoryIndex(GlobalSecondaryIndex):
    """The public feed of one category, newest first (sparse, like the area's)."""

    class Meta:
        index_name = "public-category-index"
        projection = AllProjection()

    public_category = UnicodeAttribute(hash_key=True)
    published_at = UnicodeAttribute(range_key=True)


class CodeIndex(GlobalSecondaryIndex):
    """Find a report by the code a citizen reads out on the phone."""

    class Meta:
        index_name = "code-index"
        projection = AllProjection()

    code = UnicodeAttribute(hash_key=True)


class ReportModel(Model):
    """A report. Get by id; Query by owner, by code, and the public feed (all, by
    area, by category)."""

    class Meta(_Meta):
        logical = "reports"

    id = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute()
    owner_sub = UnicodeAttribute()
    channel = UnicodeAttribute(default="web")
    status = UnicodeAttribute()
    version = NumberAttribute(default=1)
    title = UnicodeAttribute()
    content = UnicodeAttribute()
    category_id = UnicodeAttribute()
    area_id = UnicodeAttribute()
    lat = NumberAttribute()
    lon = NumberAttribute()
    address = UnicodeAttribute(default="")
    # Set when no position was given: lat/lon are the area's centre.
    approximate = BooleanAttribute(null=True)
    occurred_at = UnicodeAttribute()
    created_at = UnicodeAttribute()
    upload_ids = ListAttribute(of=UnicodeAttribute, default=list)
    unit_id = UnicodeAttribute()
    agency_id = UnicodeAttribute(null=True)
    assignee_sub = UnicodeAttribute(null=True)
    result_text = UnicodeAttribute(null=True)
    result_upload_ids = ListAttribute(of=UnicodeAttribute, null=True)
    outcome = UnicodeAttribute(null=True)
    outcome_execution = UnicodeAttribute(null=True)
    outcome_unit = UnicodeAttribute(null=True)
    outcome_agency = UnicodeAttribute(null=True)
    public_feed = UnicodeAttribute(null=True)
    # Set with public_feed and removed with it: the keys of the filtered feeds.
    public_area = UnicodeAttribute(null=True)
    public_category = UnicodeAttribute(null=True)
    published_at = UnicodeAttribute(null=True)
    pending_question = UnicodeAttribute(null=True)
    merged_into = UnicodeAttribute(null=True)  # the earlier report's id
    followers = ListAttribute(of=UnicodeAttribute, null=True)  # owners merged in
    rating = NumberAttribute(null=True)
    rating_comment = UnicodeAttribute(null=True)
    reopen_count = NumberAttribute(default=0)
    # A report entered by staff for someone without an account (phone, paper, email).
    contact_name = UnicodeAttribute(null=True)
    contact_phone = UnicodeAttribute(null=True)
    contact_email = UnicodeAttribute(null=True)

    owner_index = OwnerIndex()
    public_index = PublicIndex()
    public_area_index = PublicAreaIndex()
    public_category_index = PublicCategoryIndex()
    code_index = CodeIndex()


class TimelineModel(Model):
    """Append-only history of a report; Query by report in time order."""

    class Meta(_Meta):
        logical = "timeline"

    report_id = UnicodeAttribute(hash_key=True)
    seq = UnicodeAttribute(range_key=True)  # "<UTC ISO time>#<id>": sorts by time
    at = UnicodeAttribute()
    kind = UnicodeAttribute()
    public = BooleanAttribute(default=False)
    actor_sub = UnicodeAttribute(null=True)
    actor_role = UnicodeAttribute(null=True)
    unit_id = UnicodeAttribute(null=True)
    agency_id = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)


class InboxIndex(GlobalSecondaryIndex):
    """A unit's open tasks for one group: ``<unit>#<group>``, oldest first (sparse)."""

    class Meta:
        index_name = "inbox-index"
        projection = AllProjection()

    inbox = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class ReportTasksIndex(GlobalSecondaryIndex):
    """Every task of one report, in order: where the report is in its workflow."""

    class Meta:
        index_name = "report-index"
        projection = AllProjection()

    report_id = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


# TODO: a stack deployed before these four indexes gets them one per update (DynamoDB
# creates one GSI per UpdateTable), and its open tasks lack due_sort and the keys: a
# one-off backfill (filter_actions for each open task) is not written yet.
class QueueIndex(GlobalSecondaryIndex):
    """A unit's open tasks for one group (``<unit>#<group>``) by ``due_sort``:
    overdue first, tasks without a due time last (sparse: ``inbox`` leaves on a
    decision)."""

    class Meta:
        index_name = "queue-index"
        projection = AllProjection()

    inbox = UnicodeAttribute(hash_key=True)
    due_sort = UnicodeAttribute(range_key=True)


class StepQueueIndex(GlobalSecondaryIndex):
    """Open tasks of one step: ``<unit>#<group>#<step>``, by ``due_sort`` (sparse)."""

    class Meta:
        index_name = "step-index"
        projection = AllProjection()

    step_key = UnicodeAttribute(hash_key=True)
    due_sort = UnicodeAttribute(range_key=True)


class AreaQueueIndex(GlobalSecondaryIndex):
    """Open tasks of reports filed in one area: ``<unit>#<group>#<area>`` (sparse)."""

    class Meta:
        index_name = "area-index"
        projection = AllProjection()

    area_key = UnicodeAttribute(hash_key=True)
    due_sort = UnicodeAttribute(range_key=True)


class CategoryQueueIndex(GlobalSecondaryIndex):
    """Open tasks of reports of one category: ``<unit>#<group>#<category>``
    (sparse)."""

    class Meta:
        index_name = "category-index"
        projection = AllProjection()

    category_key = UnicodeAttribute(hash_key=True)
    due_sort = UnicodeAttribute(range_key=True)


class OpenDueIndex(GlobalSecondaryIndex):
    """Every open task by due time (``pending = OPEN``): what the sweeper reads."""

    class Meta:
        index_name = "open-due-index"
        projection = AllProjection()

    pending = UnicodeAttribute(hash_key=True)
    due_at = UnicodeAttribute(range_key=True)


class TaskModel(Model):
    """A human step, written by the state machine (putItem.waitForTaskToken)."""

    class Meta(_Meta):
        logical = "tasks"

    id = UnicodeAttribute(hash_key=True)
    report_id = UnicodeAttribute()
    unit_id = UnicodeAttribute()
    inbox = UnicodeAttribute(null=True)  # removed once decided: leaves the inbox
    step = UnicodeAttribute()
    group = UnicodeAttribute()
    status = UnicodeAttribute()  # open, decided, callback_failed
    deadline_days = NumberAttribute()
    decisions = UnicodeSetAttribute()
    token = UnicodeAttribute()
    execution = UnicodeAttribute()
    created_at = UnicodeAttribute()
    spec_version = UnicodeAttribute(null=True)
    assignee = UnicodeAttribute(null=True)
    question = UnicodeAttribute(null=True)  # for the citizen, on an @ask_citizen task
    due_at = UnicodeAttribute(null=True)  # UTC ISO 8601, so that it sorts
    pending = UnicodeAttribute(null=True)  # "OPEN" while open with a due time
    overdue_at = UnicodeAttribute(null=True)
    extended_at = UnicodeAttribute(null=True)
    decision = JSONAttribute(null=True)
    decided_at = UnicodeAttribute(null=True)
    decided_by = UnicodeAttribute(null=True)
    # The staff list's filters, copied from the report and the due time while the
    # task is open (services/workflow_runs.index_task); the keys leave on a decision.
    due_sort = UnicodeAttribute(null=True)  # due_at, or NO_DUE: sorts last
    area_id = UnicodeAttribute(null=True)
    category_id = UnicodeAttribute(null=True)
    search = UnicodeAttribute(null=True)  # the code and title, folded (domain/search)
    step_key = UnicodeAttribute(null=True)  # "<unit>#<group>#<step>"
    area_key = UnicodeAttribute(null=True)  # "<unit>#<group>#<area>"
    category_key = UnicodeAttribute(null=True)  # "<unit>#<group>#<category>"

    inbox_index = InboxIndex()
    report_index = ReportTasksIndex()
    queue_index = QueueIndex()
    step_index = StepQueueIndex()
    area_index = AreaQueueIndex()
    category_index = CategoryQueueIndex()
    open_due_index = OpenDueIndex()


class UploadModel(Model):
    """An upload slot and, once checked, the attachment it became. Get by id."""

    class Meta(_Meta):
        logical = "uploads"

    id = UnicodeAttribute(hash_key=True)
    owner_sub = UnicodeAttribute()
    key = UnicodeAttribute()
    public_key = UnicodeAttribute(null=True)
    filename = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    status = UnicodeAttribute(default="pending")  # pending, verified, attached
    report_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    expires_ttl = NumberAttribute(null=True)


class ReferenceModel(Model):
    """Reference data by kind (category, area, agency, workflow); Query by kind."""

    class Meta(_Meta):
        logical = "reference"

    kind = UnicodeAttribute(hash_key=True)
    id = UnicodeAttribute(range_key=True)
    data = JSONAttribute()


class CounterModel(Model):
    """Atomic counters: report codes per month, abuse limits, sign-in locks, and the
    SMS codes sent (hashed), the last three expiring by TTL."""

    class Meta(_Meta):
        logical = "counters"

    id = UnicodeAttribute(hash_key=True)
    value = NumberAttribute(default=0)
    expires_ttl = NumberAttribute(null=True)
    data = JSONAttribute(null=True)


class AgencyStaffIndex(GlobalSecondaryIndex):
    """The staff of one agency (who can be assigned)."""

    class Meta:
        index_name = "agency-index"
        projection = AllProjection()

    agency_id = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute(range_key=True)


class PhoneIndex(GlobalSecondaryIndex):
    """Who holds a phone number: sign-in by phone, and one account per number."""

    class Meta:
        index_name = "phone-index"
        projection = AllProjection()

    phone = UnicodeAttribute(hash_key=True)


class AlertSmsIndex(GlobalSecondaryIndex):
    """Who wants emergency alerts by SMS, by area and shard (sparse)."""

    class Meta:
        index_name = "alert-sms-index"
        projection = AllProjection()

    alert_sms_key = UnicodeAttribute(hash_key=True)
    sub = UnicodeAttribute(range_key=True)


class UserModel(Model):
    """What the app keeps about an identity: profile, staff directory, account state,
    consent, tokens' valid-after. Get by sub; Query by agency or by phone."""

    class Meta(_Meta):
        logical = "users"

    sub = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute(null=True)
    name = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)  # E.164; personal data, never logged
    email = UnicodeAttribute(null=True)
    address = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="active")  # pending, active, disabled
    created_at = UnicodeAttribute(null=True)
    groups = ListAttribute(of=UnicodeAttribute, default=list)
    agency_id = UnicodeAttribute(null=True)
    valid_after = NumberAttribute(default=0)  # epoch seconds
    # Sessions (origin_jti) opened in the very second of valid_after: tokens carry
    # whole seconds, so these are told apart from the revoked ones by name.
    kept_sessions = ListAttribute(of=UnicodeAttribute, null=True)
    consent_version = UnicodeAttribute(null=True)  # the privacy notice accepted
    consent_at = UnicodeAttribute(null=True)
    # Notification preferences (services/devices.py); None means the defaults.
    notify = JSONAttribute(null=True)
    # "<area or none>#<shard>" while the person wants emergency alerts by SMS.
    alert_sms_key = UnicodeAttribute(null=True)

    agency_index = AgencyStaffIndex()
    phone_index = PhoneIndex()
    alert_sms_index = AlertSmsIndex()


class DeviceOwnerIndex(GlobalSecondaryIndex):
    """The devices of one person: where their notifications go."""

    class Meta:
        index_name = "owner-index"
        projection = AllProjection()

    sub = UnicodeAttribute(hash_key=True)
    id = UnicodeAttribute(range_key=True)


class DeviceAlertIndex(GlobalSecondaryIndex):
    """Devices by alert area and shard: what an emergency alert fans out over."""

    class Meta:
        index_name = "alert-index"
        projection = AllProjection()

    alert_key = UnicodeAttribute(hash_key=True)
    id = UnicodeAttribute(range_key=True)


class DeviceModel(Model):
    """A phone or browser that receives pushes: one SNS platform endpoint.

    The id is derived from the push token, so a token belongs to one person at a time.
    """

    class Meta(_Meta):
        logical = "devices"

    id = UnicodeAttribute(hash_key=True)
    sub = UnicodeAttribute()
    platform = UnicodeAttribute()  # android, ios, web
    endpoint_arn = UnicodeAttribute()
    alert_key = UnicodeAttribute()  # "<area or none>#<shard>"
    lang = UnicodeAttribute(default="vi")
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()

    owner_index = DeviceOwnerIndex()
    alert_index = DeviceAlertIndex()


class RetryIndex(GlobalSecondaryIndex):
    """Failed sends waiting for their next try (``retry = RETRY``), by time."""

    class Meta:
        index_name = "retry-index"
        projection = AllProjection()

    retry = UnicodeAttribute(hash_key=True)
    retry_at = UnicodeAttribute(range_key=True)


class OutboxModel(Model):
    """One message to one recipient (a push to a device, or an SMS).

    Written once per change and recipient (the id says which), sent from the table's
    stream, retried by the schedule: a failed send never holds up the change itself.
    """

    class Meta(_Meta):
        logical = "outbox"

    id = UnicodeAttribute(hash_key=True)
    channel = UnicodeAttribute()  # push, sms
    device_id = UnicodeAttribute(null=True)
    endpoint_arn = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)  # personal data: never logged
    message = JSONAttribute()  # push: {title, body, data}; sms: {text}
    status = UnicodeAttribute(default="queued")  # queued, sent, failed, dropped
    attempts = NumberAttribute(default=0)
    retry = UnicodeAttribute(null=True)
    retry_at = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    sent_at = UnicodeAttribute(null=True)
    error = UnicodeAttribute(null=True)
    expires_ttl = NumberAttribute(null=True)

    retry_index = RetryIndex()


class ActiveAlertIndex(GlobalSecondaryIndex):
    """Alerts still on (``feed = ALERT``) by expiry: the banner's Query (sparse)."""

    class Meta:
        index_name = "active-index"
        projection = AllProjection()

    feed = UnicodeAttribute(hash_key=True)
    expires_at = UnicodeAttribute(range_key=True)


class AlertHistoryIndex(GlobalSecondaryIndex):
    """Every alert, newest first (``history = ALERT``; batch rows lack it). Alert ids
    begin with their creation time, to the microsecond."""

    class Meta:
        index_name = "history-index"
        projection = AllProjection()

    history = UnicodeAttribute(hash_key=True)
    id = UnicodeAttribute(range_key=True)


class AlertModel(Model):
    """An emergency alert (``kind = alert``) and the batches it fans out in
    (``kind = batch``, id ``<alert>#<source>#<area key>#<n>``), each its own item so
    that the stream hands batches out in parallel."""

    class Meta(_Meta):
        logical = "alerts"

    id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # alert, batch
    # alert
    title = UnicodeAttribute(null=True)
    body = UnicodeAttribute(null=True)
    title_en = UnicodeAttribute(null=True)
    body_en = UnicodeAttribute(null=True)
    severity = UnicodeAttribute(null=True)
    areas = ListAttribute(of=UnicodeAttribute, null=True)  # [] is the whole province
    expires_at = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute(null=True)
    agency_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)  # sending, sent, cancelled
    feed = UnicodeAttribute(null=True)
    history = UnicodeAttribute(null=True)
    batches_total = NumberAttribute(default=0)
    batches_done = NumberAttribute(default=0)
    devices_sent = NumberAttribute(default=0)
    devices_failed = NumberAttribute(default=0)
    phones_sent = NumberAttribute(default=0)
    phones_failed = NumberAttribute(default=0)
    finished_at = UnicodeAttribute(null=True)
    # batch
    alert_id = UnicodeAttribute(null=True)
    source = UnicodeAttribute(null=True)  # devices, phones
    key = UnicodeAttribute(null=True)  # the index partition read
    cursor = JSONAttribute(null=True)  # where the page starts
    number = NumberAttribute(null=True)
    done = BooleanAttribute(null=True)
    expires_ttl = NumberAttribute(null=True)

    active_index = ActiveAlertIndex()
    history_index = AlertHistoryIndex()


# TODO: the news indexes project every attribute, bodies included, though the lists
# never show a body; infra/tables.json (and so bootstrap and package) has no
# per-index projection yet.
class NewsPublicIndex(GlobalSecondaryIndex):
    """Published news, newest first (sparse: ``public_feed = PUBLIC`` only while
    published)."""

    class Meta:
        index_name = "public-index"
        projection = AllProjection()

    public_feed = UnicodeAttribute(hash_key=True)
    published_at = UnicodeAttribute(range_key=True)


class NewsCategoryIndex(GlobalSecondaryIndex):
    """Published news of one category, newest first (sparse, as above)."""

    class Meta:
        index_name = "category-index"
        projection = AllProjection()

    category_feed = UnicodeAttribute(hash_key=True)
    published_at = UnicodeAttribute(range_key=True)


class NewsAgencyIndex(GlobalSecondaryIndex):
    """An agency's articles in every status, the last updated first (staff)."""

    class Meta:
        index_name = "agency-index"
        projection = AllProjection()

    agency_id = UnicodeAttribute(hash_key=True)
    updated_at = UnicodeAttribute(range_key=True)


class NewsAgencyStatusIndex(GlobalSecondaryIndex):
    """An agency's articles in one status (``<agency>#<status>``), last updated
    first."""

    class Meta:
        index_name = "agency-status-index"
        projection = AllProjection()

    agency_status = UnicodeAttribute(hash_key=True)
    updated_at = UnicodeAttribute(range_key=True)


class NewsModel(Model):
    """A news article (tin tức). Get by id; Query the public feed, the feed of a
    category, and an agency's articles (all, or in one status)."""

    class Meta(_Meta):
        logical = "news"

    id = UnicodeAttribute(hash_key=True)
    agency_id = UnicodeAttribute()
    status = UnicodeAttribute()  # draft, published, unpublished
    agency_status = UnicodeAttribute()  # "<agency_id>#<status>"
    version = NumberAttribute(default=1)
    category_id = UnicodeAttribute()
    title = UnicodeAttribute()
    summary = UnicodeAttribute()
    body = UnicodeAttribute()  # plain text; paragraphs split by a blank line
    cover_upload_id = UnicodeAttribute(null=True)
    cover_key = UnicodeAttribute(null=True)  # the private upload
    cover_public_key = UnicodeAttribute(null=True)  # re-encoded, while published
    cover_thumb_key = UnicodeAttribute(null=True)  # small copy for lists
    created_at = UnicodeAttribute()  # UTC ISO 8601, so that it sorts
    updated_at = UnicodeAttribute()
    created_by = UnicodeAttribute()  # staff sub; never shown to the public
    updated_by = UnicodeAttribute()
    public_feed = UnicodeAttribute(null=True)  # "PUBLIC" while published
    category_feed = UnicodeAttribute(null=True)  # the category while published
    published_at = UnicodeAttribute(null=True)

    public_index = NewsPublicIndex()
    category_index = NewsCategoryIndex()
    agency_index = NewsAgencyIndex()
    agency_status_index = NewsAgencyStatusIndex()


class DrillIndex(GlobalSecondaryIndex):
    """The reports behind a figure: ``<measure>#<month>``, then agency, time, report
    (sparse: only the rows carry it)."""

    class Meta:
        index_name = "drill-index"
        projection = AllProjection()

    mkey = UnicodeAttribute(hash_key=True)
    skey = UnicodeAttribute(range_key=True)


class StatModel(Model):
    """Statistics (domain/stats.py), three kinds of item:

    - rows, one per thing counted: ``L#<month>#<dims>`` / ``<measure>#<source>``;
    - cells, the sums the readers Query: ``m#<month>`` / ``<dims>`` (the month's
      totals), ``dd#<month>`` / ``<dims>`` (by day), and the roll-ups by agency
      ``a#<month>`` / ``<agency>`` (totals and days);
    - version heads, which order the summations of a cell: ``L#<month>#<dims>`` and
      ``A#<month>#<agency>`` / ``#head``.
    """

    class Meta(_Meta):
        logical = "stats"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    values = JSONAttribute(null=True)
    days = JSONAttribute(null=True)  # a cell's sums by day
    day = UnicodeAttribute(null=True)  # a row's day
    computed = NumberAttribute(null=True)  # the head version a cell was summed at
    v = NumberAttribute(null=True)  # a head's version
    version = NumberAttribute(null=True)  # a stock row's report version
    report_id = UnicodeAttribute(null=True)
    at = UnicodeAttribute(null=True)
    mkey = UnicodeAttribute(null=True)
    skey = UnicodeAttribute(null=True)

    drill_index = DrillIndex()


MODELS: tuple[type[Model], ...] = (
    ReportModel,
    TimelineModel,
    TaskModel,
    UploadModel,
    ReferenceModel,
    CounterModel,
    UserModel,
    DeviceModel,
    OutboxModel,
    AlertModel,
    NewsModel,
    StatModel,
)

_bound: tuple[str, str, str | None] | None = None


def bind() -> None:
    """Point every model at this stack's tables (cheap when nothing changed)."""
    global _bound
    wanted = (settings.table_name(""), settings.region(), settings.endpoint_url())
    if wanted == _bound:
        return
    for model in MODELS:
        model.Meta.table_name = settings.table_name(model.Meta.logical)
        model.Meta.region = settings.region()
        model.Meta.host = settings.endpoint_url()
        model._connection = None
        for index in model._indexes.values():
            index.Meta.model = model
    _bound = wanted


def connection() -> Connection:
    """A connection for TransactWrite (pynamodb 6.1 needs one passed in).

    Kept per process: each new one builds a botocore client, about 70 ms here
    (bench/workflow.py), which every decision paid before."""
    return _connection(settings.region(), settings.endpoint_url())


@lru_cache(maxsize=4)
def _connection(region: str, host: str | None) -> Connection:
    return Connection(region=region, host=host)
