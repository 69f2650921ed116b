"""pakn: the API and event handlers of one province's stack.

This file only wires: the blueprints, the stream handlers and the schedule.
"""

from chalice import Chalice

from chalicelib.adapters import noscan

noscan.install()  # before any botocore session exists

from chalicelib.api import (  # noqa: E402
    admin,
    auth,
    dossiers,
    me,
    news,
    notifications,
    openapi,
    reference,
    reports,
    staff,
    stats,
    workflows,
)
from chalicelib.events import schedule, streams  # noqa: E402
from chalicelib.observability import metrics_flushed  # noqa: E402

app = Chalice(app_name="pakn")
app.api.binary_types.extend(stats.BINARY_TYPES)  # XLSX downloads (issue 6)

for module in (
    reference,
    auth,
    me,
    notifications,
    reports,
    staff,
    stats,
    workflows,
    admin,
    openapi,
):
    app.register_blueprint(module.bp, url_prefix="/v1")
app.register_blueprint(dossiers.bp, url_prefix="/v1")  # issue 5: dossiers, services
app.register_blueprint(news.bp, url_prefix="/v1")

# The stream ARNs are only known once the tables exist: infra/package.py replaces these
# placeholders with Fn::GetAtt in the merged template (DESIGN.md section 13).
_STREAM = (
    "arn:aws:dynamodb:ap-southeast-1:123456789012:table/pakn-{}/stream/placeholder"
)


@app.on_dynamodb_record(stream_arn=_STREAM.format("reports"), batch_size=25)
def on_reports_stream(event):
    with metrics_flushed():
        return streams.handle_reports(event.to_dict())


@app.on_dynamodb_record(stream_arn=_STREAM.format("tasks"), batch_size=25)
def on_tasks_stream(event):
    with metrics_flushed():
        return streams.handle_tasks(event.to_dict())


@app.on_dynamodb_record(stream_arn=_STREAM.format("reports"), batch_size=100)
def on_reports_stats_stream(event):
    # Its own event source on the reports' stream: statistics never hold up workflows.
    with metrics_flushed():
        return streams.handle_report_stats(event.to_dict())


@app.on_dynamodb_record(stream_arn=_STREAM.format("timeline"), batch_size=100)
def on_timeline_stream(event):
    with metrics_flushed():
        return streams.handle_timeline(event.to_dict())


@app.on_dynamodb_record(stream_arn=_STREAM.format("outbox"), batch_size=50)
def on_outbox_stream(event):
    with metrics_flushed():
        return streams.handle_outbox(event.to_dict())


@app.on_dynamodb_record(stream_arn=_STREAM.format("alerts"), batch_size=1)
def on_alerts_stream(event):
    # One record a call: a batch of an alert is already a page of up to 250 sends.
    with metrics_flushed():
        return streams.handle_alerts(event.to_dict())


@app.schedule("rate(15 minutes)")
def sweep_deadlines(event):
    return schedule.sweep()


@app.schedule("rate(2 minutes)")
def retry_notifications(event):
    return schedule.retry_notifications()


@app.middleware("http")
def flush_request_metrics(event, get_response):
    with metrics_flushed():
        return get_response(event)
