"""Statistics as files: the /v1/stats table as XLSX and CSV, and an agency's summary.

Every figure a file shows is read back (openpyxl, the csv module) and compared with
what ``/v1/stats`` answers for the same parameters.
"""

import base64
import csv
import io
from datetime import date

import pytest
from chalice.deploy.swagger import CFNSwaggerGenerator
from openpyxl import load_workbook

from chalicelib.domain import clock
from chalicelib.domain.stats import LABELS
from chalicelib.services.stats_export import (
    CSV,
    GROUP_HEADERS,
    IN_PROGRESS_TOTAL,
    MEASURES,
    SUMMARY_TOTALS,
    TOTAL,
    XLSX,
)
from tests.integration.test_workflows import CITIZEN, decide, file, publish, to_process

LEADER, OTHER_LEADER, PROVINCE = "lanhdao.sxd", "lanhdao.kontum", "lanhdao.tinh"
RECEPTION = "tiepnhan"
AGENCY = "so-xay-dung"


@pytest.fixture(autouse=True)
def real_time():
    clock.reset()
    yield
    clock.reset()


@pytest.fixture
def lived(stack):
    """GIVEN one report published and rated, one rejected, one still in progress."""
    published = file(stack)
    publish(stack, published["id"])
    rated = stack.call(
        "POST", f"/v1/reports/{published['id']}/rating", CITIZEN, {"stars": 4}
    )
    assert rated.status_code == 200, rated.json_body
    rejected = file(stack, category_id="giao-thong")
    decide(stack, RECEPTION, rejected["id"], "reject", reason="Không rõ địa điểm.")
    working = file(stack, category_id="trat-tu-do-thi")
    to_process(stack, working["id"])
    stack.settle()
    return stack


def month_span() -> tuple[str, str, str]:
    today = clock.now().astimezone(clock.VN_TZ).date()
    first = today.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    last = date.fromordinal(following.toordinal() - 1)
    return first.isoformat(), last.isoformat(), first.isoformat()[:7]


def query(**params) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items())


def figures(stack, user=PROVINCE, **params):
    answer = stack.call("GET", f"/v1/stats?{query(**params)}", user)
    assert answer.status_code == 200, answer.json_body
    return answer.json_body


def download(stack, path, user=PROVINCE, accept=XLSX):
    return stack.call("GET", path, user, headers={"Accept": accept})


def expected_line(label, figures_, statuses):
    return [label, *(figures_[m] for m in MEASURES)] + [
        figures_["statuses"].get(s, 0) for s in statuses
    ]


def api_statuses(api):
    seen = {s for r in [*api["rows"], api["total"]] for s in r["statuses"]}
    return seen


def sheet_table(sheet, first_header):
    """The header and the lines of the table whose header starts with
    ``first_header``, down to its total line."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == first_header)
    end = next(i for i in range(start, len(rows)) if rows[i][0] == TOTAL)
    return list(rows[start]), [list(r) for r in rows[start + 1 : end + 1]]


@pytest.mark.parametrize("group", ["agency", "category", "area", "status", "channel"])
def test_the_xlsx_export_holds_every_figure_of_the_stats_api(lived, group):
    start, _, _ = month_span()
    today = clock.now().astimezone(clock.VN_TZ).date().isoformat()
    params = {"from": start, "to": today, "group": group}
    api = figures(lived, **params)

    answer = download(lived, f"/v1/stats/export?format=xlsx&{query(**params)}")

    assert answer.status_code == 200, answer.body[:300]
    assert answer.headers["Content-Type"] == XLSX
    assert answer.headers["Content-Disposition"] == (
        f'attachment; filename="thong-ke-{start}-{today}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(answer.body)).active
    assert "Tỉnh Kon Tum" in sheet["A1"].value
    assert sheet["A2"].value == (
        f"Thời gian: {date.fromisoformat(start):%d/%m/%Y} – "
        f"{date.fromisoformat(today):%d/%m/%Y}"
    )
    header, lines = sheet_table(sheet, GROUP_HEADERS[group])
    assert sheet.freeze_panes == f"B{sheet_row(sheet, GROUP_HEADERS[group]) + 1}"
    assert sheet.cell(row=sheet_row(sheet, GROUP_HEADERS[group]), column=2).font.b
    assert header[1 : 1 + len(MEASURES)] == [LABELS[m][0] for m in MEASURES]
    statuses = [h.removeprefix("Hiện trạng: ") for h in header[1 + len(MEASURES) :]]
    assert len(statuses) == len(api_statuses(api))
    codes = status_codes(statuses)
    assert lines == [
        *(expected_line(r["label"], r, codes) for r in api["rows"]),
        expected_line(TOTAL, api["total"], codes),
    ]
    assert len(lines) == len(api["rows"]) + 1 and api["total"]["received"] == 3


def sheet_row(sheet, first_header):
    for row in sheet.iter_rows():
        if row[0].value == first_header:
            return row[0].row
    raise AssertionError(first_header)


def status_codes(vietnamese):
    from chalicelib.domain.reports import STATUSES

    by_label = {vi: code for code, (vi, _) in STATUSES.items()}
    return [by_label[v] for v in vietnamese]


def test_numbers_in_the_xlsx_are_numbers_not_text(lived):
    answer = download(lived, "/v1/stats/export?group=agency")
    sheet = load_workbook(io.BytesIO(answer.body)).active
    _, lines = sheet_table(sheet, "Cơ quan")
    sxd = next(line for line in lines if line[0] == "Sở Xây dựng")
    assert isinstance(sxd[1 + MEASURES.index("resolved")], int)
    assert sxd[1 + MEASURES.index("on_time_share")] == 100.0
    share = next(
        row[1 + MEASURES.index("on_time_share")]
        for row in sheet.iter_rows()
        if row[0].value == "Sở Xây dựng"
    )
    assert share.data_type == "n" and share.number_format == "0.0"


def test_the_csv_export_parses_back_to_the_same_figures(lived):
    api = figures(lived, group="category")

    answer = lived.call("GET", "/v1/stats/export?format=csv&group=category", PROVINCE)

    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == CSV
    assert answer.headers["Content-Disposition"].endswith('.csv"')
    assert answer.body.startswith(b"\xef\xbb\xbf")
    [header, *lines] = list(csv.reader(io.StringIO(answer.body.decode("utf-8-sig"))))
    assert header[0] == "Lĩnh vực"
    assert header[1 : 1 + len(MEASURES)] == [LABELS[m][0] for m in MEASURES]
    codes = status_codes(
        [h.removeprefix("Hiện trạng: ") for h in header[1 + len(MEASURES) :]]
    )

    def text(line):
        return ["" if v is None else str(v) for v in line]

    assert lines == [
        *(text(expected_line(r["label"], r, codes)) for r in api["rows"]),
        text(expected_line(TOTAL, api["total"], codes)),
    ]
    assert {line[0] for line in lines} >= {"Môi trường", "Giao thông", TOTAL}


def test_the_summary_json_matches_the_stats_of_the_agency(lived):
    start, end, month = month_span()
    api = figures(lived, **{"from": start, "to": end, "agency": AGENCY})

    answer = lived.call(
        "GET", f"/v1/stats/summary?agency={AGENCY}&period={month}", PROVINCE
    )

    assert answer.status_code == 200, answer.json_body
    summary = answer.json_body
    assert summary["agency"]["name"] == "Sở Xây dựng"
    assert summary["province"]["name"] == "Tỉnh Kon Tum"
    assert (summary["period"]["from"], summary["period"]["to"]) == (start, end)
    assert summary["totals"] == api["total"]
    assert summary["totals"]["resolved"] == 1 and summary["totals"]["routed"] == 2
    assert [i["status"] for i in summary["in_progress"]] == ["in_progress"]
    by_category = figures(
        lived, **{"from": start, "to": end, "agency": AGENCY, "group": "category"}
    )
    assert summary["by_category"] == by_category["rows"]
    by_area = figures(
        lived, **{"from": start, "to": end, "agency": AGENCY, "group": "area"}
    )
    assert summary["by_area"] == by_area["rows"]
    desk = lived.call(
        "GET", f"/v1/stats/summary?agency=reception&period={month}", PROVINCE
    )
    assert desk.json_body["agency"]["name"] == "Bộ phận tiếp nhận"
    assert desk.json_body["totals"]["received"] == 3
    assert desk.json_body["totals"]["rejected"] == 1


def test_the_summary_xlsx_shows_the_same_totals_and_breakdowns(lived):
    start, end, month = month_span()
    totals = figures(lived, **{"from": start, "to": end, "agency": AGENCY})["total"]
    by_category = figures(
        lived, **{"from": start, "to": end, "agency": AGENCY, "group": "category"}
    )

    answer = download(
        lived, f"/v1/stats/summary?agency={AGENCY}&period={month}&format=xlsx"
    )

    assert answer.status_code == 200, answer.body[:300]
    assert answer.headers["Content-Type"] == XLSX
    assert (
        f'filename="bao-cao-{AGENCY}-{month}.xlsx"'
        in (answer.headers["Content-Disposition"])
    )
    sheet = load_workbook(io.BytesIO(answer.body)).active
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert sheet["A1"].value == "TỈNH KON TUM" and sheet["A2"].value == "SỞ XÂY DỰNG"
    assert sheet["A4"].value.startswith("BÁO CÁO KẾT QUẢ TIẾP NHẬN")
    for label, measure in SUMMARY_TOTALS:
        if measure != "received":  # only the reception desk's report has it
            assert cells[label] == totals[measure], label
    assert "Số phản ánh tiếp nhận" not in cells
    assert cells["Đang xử lý"] == 1 and cells[IN_PROGRESS_TOTAL] == 1
    _, lines = sheet_table(sheet, "Lĩnh vực")
    assert lines == [
        *(expected_line(r["label"], r, []) for r in by_category["rows"]),
        expected_line(TOTAL, totals, []),
    ]
    _, areas = sheet_table(sheet, "Địa bàn")
    assert areas[-1] == expected_line(TOTAL, totals, [])


def test_an_agency_leader_gets_only_their_own_agency(lived):
    _, _, month = month_span()

    own = lived.call("GET", f"/v1/stats/summary?period={month}", LEADER)
    other = lived.call(
        "GET", f"/v1/stats/summary?period={month}&agency={AGENCY}", OTHER_LEADER
    )
    export = download(lived, f"/v1/stats/export?agency={AGENCY}", OTHER_LEADER)

    assert own.status_code == 200 and own.json_body["agency"]["id"] == AGENCY
    for refused in (other, export):
        assert refused.status_code == 403
        assert refused.json_body["code"] == "stats_other_agency"
    officer = download(lived, "/v1/stats/export", "chuyenvien.sxd")
    assert officer.status_code == 403


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/v1/stats/export?format=pdf", "bad_export_format"),
        ("/v1/stats/export?group=colour", "bad_stats_query"),
        ("/v1/stats/summary?agency=so-xay-dung&period=2026-13", "bad_summary_query"),
        ("/v1/stats/summary?agency=so-xay-dung&period=2026-H3", "bad_summary_query"),
        ("/v1/stats/summary?agency=so-xay-dung", "bad_summary_query"),
        ("/v1/stats/summary?period=2026-H1", "bad_summary_query"),
        ("/v1/stats/summary?agency=khong-co&period=2026-H1", "bad_summary_query"),
        ("/v1/stats/summary?agency=so-xay-dung&period=2026-H1&format=csv", None),
    ],
)
def test_bad_format_or_period_is_a_400_with_a_stable_code(stack, path, code):
    answer = download(stack, path)

    assert answer.status_code == 400
    assert answer.json_body["code"] == (code or "bad_export_format")
    assert answer.json_body["message"] and answer.json_body["message_en"]


def test_an_xlsx_without_a_matching_accept_is_refused_in_our_words(stack):
    for accept in (None, "*/*", "application/json"):
        headers = {"Accept": accept} if accept else {}
        answer = stack.call("GET", "/v1/stats/export", PROVINCE, headers=headers)
        assert answer.status_code == 400
        assert answer.json_body["code"] == "accept_required"


def test_a_half_year_summary_reads_six_months(stack):
    answer = stack.call(
        "GET", f"/v1/stats/summary?agency={AGENCY}&period=2026-H2", PROVINCE
    )

    assert answer.status_code == 200, answer.json_body
    period = answer.json_body["period"]
    assert (period["from"], period["to"]) == ("2026-07-01", "2026-12-31")
    assert period["label"] == "6 tháng cuối năm 2026"


def test_xlsx_is_a_binary_media_type_of_the_api():
    from app import app

    assert XLSX in app.api.binary_types
    swagger = CFNSwaggerGenerator().generate_swagger(app)
    assert XLSX in swagger["x-amazon-apigateway-binary-media-types"]


def test_the_local_server_hands_a_browser_the_file_itself(stack):
    # GIVEN the gateway `chalice local` runs, the one the browser tests talk to
    from chalice.config import Config
    from chalice.local import LocalGateway

    from app import app

    gateway = LocalGateway(app, Config.create())
    headers = {"accept": XLSX, **stack.sign_in(PROVINCE)}

    # WHEN the page fetches an XLSX with the token and the Accept header
    answer = gateway.handle_request("GET", "/v1/stats/export", headers, None)

    # THEN the body is marked base64, which the server (like API Gateway) turns back
    # into the workbook's bytes for the browser
    assert answer["statusCode"] == 200 and answer["isBase64Encoded"] is True
    body = base64.b64decode(answer["body"])
    assert "Tỉnh Kon Tum" in load_workbook(io.BytesIO(body)).active["A1"].value
