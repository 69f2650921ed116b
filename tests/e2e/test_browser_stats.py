"""The statistics dashboard and the public transparency page in a real browser.

Figures come from the streams, a moment after the demo data is seeded: each test
first waits until the API counts the demo's published report, then compares what
the page shows with what the API answers for the same question.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from infra.demo_data import ApiClient
from tests.e2e.test_browser import (  # noqa: F401
    VN,
    browser,
    browser_errors,
    page,
    sign_in,
)

PROVINCE_LEADER = "lanhdao.tinh"
AGENCY_LEADER = "lanhdao.sxd"
AGENCY = "so-xay-dung"  # the demo data publishes a report of this agency
COUNTS = (
    "received",
    "routed",
    "transferred",
    "rejected",
    "merged",
    "resolved",
    "on_time",
    "late",
    "reopened",
    "overdue",
    "rated",
)
DERIVED = ("on_time_share", "avg_days", "p90_days", "avg_rating")


@pytest.fixture
def api(local_stack) -> ApiClient:
    return ApiClient(local_stack.api)


@pytest.fixture
def period() -> dict:
    """A week up to today in Vietnam: it holds the demo data, seeded at start."""
    today = datetime.now(VN).date()
    return {"from": (today - timedelta(days=7)).isoformat(), "to": today.isoformat()}


def stats(api: ApiClient, user: str, **params) -> dict:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    answer = api.call("GET", f"/v1/stats?{query}", user)
    assert answer.status_code == 200, answer.text
    return answer.json()


def agency_row(answer: dict, agency: str) -> dict | None:
    return next((r for r in answer["rows"] if r["key"] == agency), None)


def wait_for_resolved(local_stack, api: ApiClient, period: dict) -> dict:
    """The figures by agency, once the streams have counted the published report."""

    def counted():
        answer = stats(api, PROVINCE_LEADER, group="agency", **period)
        row = agency_row(answer, AGENCY)
        return answer if row and row["resolved"] else None

    return local_stack.wait_until(counted)


def cell_value(raw: str) -> float | None:
    return float(raw) if raw != "" else None


def expect_row_matches(row_el, figures: dict) -> None:
    for measure in (*COUNTS, *DERIVED):
        cell = row_el.get_by_test_id(f"stats-cell-{measure}")
        expect(cell).to_have_attribute("data-value", _raw(figures[measure]))


def _raw(value) -> str:
    """A figure as the page writes it in data-value (a JS number, or empty)."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def open_dashboard(tab: Page, local_stack, user: str) -> None:
    tab.goto(f"{local_stack.site}/staff/stats.html")
    sign_in(tab, user)
    expect(tab.get_by_test_id("view-stats")).to_be_visible()


def show_by_agency(tab: Page, period: dict) -> None:
    tab.get_by_test_id("stats-from").fill(period["from"])
    tab.get_by_test_id("stats-to").fill(period["to"])
    tab.get_by_test_id("stats-group").select_option("agency")
    tab.get_by_test_id("stats-submit").click()


def canvas_has_pixels(tab: Page, testid: str) -> bool:
    return tab.evaluate(
        """(testid) => {
            const canvas = document.querySelector(`[data-testid="${testid}"]`);
            if (!canvas || !canvas.width || !canvas.height) return false;
            const ctx = canvas.getContext("2d");
            const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; i < data.length; i += 4) if (data[i]) return true;
            return false;
        }""",
        testid,
    )


def test_province_leader_reads_figures_by_agency_and_the_reports_behind_one(
    local_stack,
    api,
    period,
    page,  # noqa: F811
):
    # GIVEN the streams have counted the demo's published report
    expected = wait_for_resolved(local_stack, api, period)

    # WHEN the province leader groups a week's figures by agency
    open_dashboard(page, local_stack, PROVINCE_LEADER)
    expect(page.get_by_test_id("nav-stats")).to_have_attribute("aria-current", "page")
    show_by_agency(page, period)

    # THEN the table holds every agency of the API's answer with the same figures
    rows = page.get_by_test_id("stats-row")
    expect(rows).to_have_count(len(expected["rows"]))
    row = page.locator(f'[data-testid="stats-row"][data-key="{AGENCY}"]')
    expect(row.get_by_test_id("stats-row-label")).to_have_text("Sở Xây dựng")
    for figures in expected["rows"]:
        key = figures["key"]
        expect_row_matches(
            page.locator(f'[data-testid="stats-row"][data-key="{key}"]'), figures
        )
    expect_row_matches(page.get_by_test_id("stats-total"), expected["total"])
    expect(page.get_by_test_id("stats-caption")).to_contain_text("đơn vị")

    # AND the charts are drawn
    expect(page.get_by_test_id("stats-chart-counts")).to_be_visible()
    local_stack.wait_until(lambda: canvas_has_pixels(page, "stats-chart-counts"), 5)
    local_stack.wait_until(lambda: canvas_has_pixels(page, "stats-chart-share"), 5)

    # WHEN the leader opens the agency's "resolved" figure
    row.get_by_test_id("stats-cell-resolved").get_by_test_id("stats-figure").click()

    # THEN the reports behind it are listed, as the API lists them
    query = "&".join(f"{k}={v}" for k, v in period.items())
    answer = api.call(
        "GET",
        f"/v1/stats/reports?measure=resolved&agency={AGENCY}&{query}",
        PROVINCE_LEADER,
    )
    assert answer.status_code == 200, answer.text
    codes = [item["code"] for item in answer.json()["items"]]
    assert codes
    expect(page.get_by_test_id("stats-reports")).to_be_visible()
    expect(page.get_by_test_id("stats-reports-title")).to_contain_text("Sở Xây dựng")
    expect(page.get_by_test_id("stats-report-code")).to_have_text(codes)
    expect(page.get_by_test_id("stats-reports-more")).to_be_hidden()
    # ... each opening read-only in the staff lookup page
    first = answer.json()["items"][0]
    expect(page.get_by_test_id("stats-report-link").first).to_have_attribute(
        "href", f"report.html#{first['report_id']}"
    )

    # WHEN the leader downloads the table as Excel THEN it holds the API's figures
    with page.expect_download() as download:
        page.get_by_test_id("stats-download-xlsx").click()
    import io

    from openpyxl import load_workbook

    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as saved:
        sheet = load_workbook(io.BytesIO(saved.read())).active
    cells = [[c.value for c in r] for r in sheet.iter_rows()]
    total = next(r for r in cells if r and r[0] == "Tổng cộng")
    header = next(r for r in cells if r and "Đã giải quyết" in r)
    assert total[header.index("Đã giải quyết")] == expected["total"]["resolved"]
    assert total[header.index("Tiếp nhận")] == expected["total"]["received"]

    # WHEN the page switches to English THEN the labels follow the API's
    page.get_by_test_id("lang-en").click()
    expect(page.locator('th[data-measure="resolved"]')).to_have_text(
        expected["labels"]["resolved"]["en"]
    )
    expect(
        page.get_by_test_id("stats-total").get_by_test_id("stats-row-label")
    ).to_have_text("Total")


def test_agency_leader_sees_only_their_agency(
    local_stack,
    api,
    period,
    page,  # noqa: F811
):
    # GIVEN the figures are counted
    wait_for_resolved(local_stack, api, period)
    own = stats(api, AGENCY_LEADER, group="agency", **period)

    # WHEN the agency's leader opens the dashboard
    open_dashboard(page, local_stack, AGENCY_LEADER)
    show_by_agency(page, period)

    # THEN the agency select is fixed to theirs and the table has their row only
    expect(page.get_by_test_id("stats-agency")).to_be_disabled()
    expect(page.get_by_test_id("stats-agency")).to_have_value(AGENCY)
    expect(page.get_by_test_id("stats-own-agency")).to_be_visible()
    rows = page.get_by_test_id("stats-row")
    expect(rows).to_have_count(1)
    expect(rows).to_have_attribute("data-key", AGENCY)
    assert [r["key"] for r in own["rows"]] == [AGENCY]
    expect_row_matches(rows, own["rows"][0])


def test_transparency_page_shows_each_agencys_record(
    local_stack,
    api,
    period,
    page,  # noqa: F811
):
    # GIVEN the figures are counted
    wait_for_resolved(local_stack, api, period)
    year = datetime.now(VN).year
    answer = api.call("GET", f"/v1/public/stats?year={year}")
    assert answer.status_code == 200, answer.text
    public = answer.json()

    # WHEN anyone opens the transparency page from the citizen site's nav
    page.goto(f"{local_stack.site}/index.html")
    page.get_by_test_id("nav-transparency").click()

    # THEN it speaks Vietnamese and lists every agency as the API does
    expect(page.get_by_test_id("transparency-title")).to_have_text(
        "Kết quả giải quyết phản ánh của các đơn vị"
    )
    assert page.evaluate("document.documentElement.lang") == "vi"
    expect(page.get_by_test_id("transparency-year")).to_have_value(str(year))
    rows = page.get_by_test_id("transparency-row")
    expect(rows).to_have_count(len(public["agencies"]))
    for agency in public["agencies"]:
        row = page.locator(
            f'[data-testid="transparency-row"][data-agency-id="{agency["agency_id"]}"]'
        )
        expect(row.get_by_test_id("transparency-agency")).to_have_text(agency["name"])
        for measure in (
            "routed",
            "resolved",
            "on_time_share",
            "avg_days",
            "avg_rating",
        ):
            expect(row.get_by_test_id(f"transparency-{measure}")).to_have_attribute(
                "data-value", _raw(agency[measure])
            )
    expect(
        page.locator(f'[data-testid="transparency-row"][data-agency-id="{AGENCY}"]')
    ).to_contain_text("Sở Xây dựng")
    expect(page.get_by_test_id("transparency-received")).to_contain_text(
        str(public["received"])
    )
    local_stack.wait_until(lambda: canvas_has_pixels(page, "transparency-chart"), 5)
