// The staff statistics (staff/stats.html), in the staff shell: the filters, two charts of
// the figures and the table that says the same in words and numbers; each number
// opens the reports behind it (/v1/stats/reports), a page at a time; and the
// download of the same figures as a spreadsheet.
import { ApiError, loadConfig } from "./api.js";
import { t, getLang, pick, both, formatDateTime } from "./i18n.js";
import {
  h,
  fill,
  showError,
  clearError,
  clearNotice,
  busy,
  clearFieldErrors,
} from "./dom.js";
import { COLORS, newChart } from "./charts.js";
import { startStaffPage } from "./staff-shell.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const READERS = ["reception", "agency_leader", "province_leader", "admin"];
const WIDE = ["reception", "province_leader", "admin"]; // read every agency
const CHANNELS = ["web", "phone", "paper", "email", "in_person"];
const DIMENSIONS = ["agency", "area", "category", "channel"];
// The table's columns: the counts open their reports; the rest are derived.
const COUNTS = [
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
];
const DERIVED = ["on_time_share", "avg_days", "p90_days", "avg_rating"];
const DRILL_PAGE = 20;

const state = {
  refs: null, // {agencies, areas, categories} for the selects
  data: null, // the last /v1/stats answer
  params: null, // the query that answer is for
  seq: 0, // bumps on every load; older answers are dropped
  charts: [], // the Chart objects drawn, destroyed before the next ones
  drill: null, // {measure, row, query, items, next, seq}
};

const groupsOf = () => (shell.user() && shell.user().groups) || [];
const isWide = () => groupsOf().some((g) => WIDE.includes(g));
const ownAgency = () => (!isWide() && shell.user() && shell.user().agency_id) || "";

// ---------------------------------------------------------------- page state

async function showStats() {
  const form = $("stats-form");
  if (!form.elements.from.value) {
    const today = vnToday();
    form.elements.from.value = `${today.slice(0, 8)}01`;
    form.elements.to.value = today;
  }
  try {
    await loadRefs();
  } catch (e) {
    showError(e);
    return;
  }
  drawSelects();
  load();
}

/** Today in Vietnam, "yyyy-mm-dd" (the API's default period ends there). */
function vnToday() {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- filters

async function loadRefs() {
  if (state.refs) return;
  const [agencies, areas, categories] = await Promise.all([
    api.get("/v1/agencies"),
    api.get("/v1/areas"),
    api.get("/v1/categories"),
  ]);
  const items = (d) => (d && d.items) || [];
  state.refs = { agency: items(agencies), area: items(areas), category: items(categories) };
}

function option(value, text, selected) {
  return h("option", { value, selected: selected || null }, text);
}

function drawSelects() {
  const form = $("stats-form");
  for (const name of ["agency", "area", "category"]) {
    const select = form.elements[name];
    const keep = select.value;
    const items = state.refs[name].slice().sort((a, b) => pick(a, "name").localeCompare(pick(b, "name"), getLang()));
    fill(select, option("", t("stats_all")), items.map((i) => option(i.id, pick(i, "name"), i.id === keep)));
  }
  const channel = form.elements.channel;
  const keep = channel.value;
  fill(channel, option("", t("stats_all")), CHANNELS.map((c) => option(c, t(`stats_channel_${c}`), c === keep)));

  // An agency leader reads their own agency: the select shows it, fixed.
  const own = ownAgency();
  if (own) form.elements.agency.value = own;
  form.elements.agency.disabled = !!own;
  $("stats-own-agency").hidden = !own;
  onGroup();
}

function onGroup() {
  document.getElementById("st-period-field").hidden = $("stats-group").value !== "period";
}

function readForm() {
  const el = $("stats-form").elements;
  const params = {
    from: el.from.value,
    to: el.to.value,
    group: el.group.value,
    period: el.group.value === "period" ? el.period.value : null,
  };
  for (const name of DIMENSIONS) params[name] = el[name].value || null;
  if (ownAgency()) params.agency = ownAgency();
  return params;
}

function onSubmit(ev) {
  ev.preventDefault();
  clearError();
  clearNotice();
  const form = ev.currentTarget;
  clearFieldErrors(form);
  const params = readForm();
  const fields = {};
  if (!params.from) fields.from = both("required");
  if (!params.to) fields.to = both("required");
  if (Object.keys(fields).length) {
    showError(new ApiError({ code: "validation", ...both("check_fields"), fields }), form);
    return;
  }
  load();
}

// ---------------------------------------------------------------- figures

async function load() {
  const params = readForm();
  const seq = ++state.seq;
  const button = $("stats-submit");
  const restore = busy(button, "loading");
  $("loading").hidden = false;
  try {
    const data = await api.get("/v1/stats", params);
    if (seq !== state.seq) return;
    state.data = data;
    state.params = params;
    closeDrill();
    drawAll();
  } catch (e) {
    if (seq === state.seq) showError(e, $("stats-form"));
  } finally {
    if (seq === state.seq) $("loading").hidden = true;
    restore();
  }
}

function measureLabel(measure) {
  const labels = (state.data && state.data.labels) || {};
  const pair = labels[measure];
  if (pair) return getLang() === "en" ? pair.en : pair.vi;
  return measure === "in_status" ? t("stats_col_in_status") : measure;
}

function rowLabel(row) {
  if (state.data.group === "status") return t(`stats_status_${row.key}`) || pick(row, "label");
  return pick(row, "label") || row.key;
}

function columns() {
  return state.data.group === "status" ? ["in_status"] : [...COUNTS, ...DERIVED];
}

function valueOf(figures, measure, key) {
  if (measure !== "in_status") return figures[measure];
  const statuses = figures.statuses || {};
  if (key !== undefined) return statuses[key] || 0;
  return Object.values(statuses).reduce((a, b) => a + b, 0);
}

const numberFormat = () => new Intl.NumberFormat(getLang() === "en" ? "en-GB" : "vi-VN");

function formatValue(value) {
  return value === null || value === undefined ? "—" : numberFormat().format(value);
}

function drawAll() {
  const data = state.data;
  const rows = data.rows || [];
  const empty = rows.length === 0;
  $("stats-table").hidden = empty;
  $("stats-empty").hidden = !empty;
  document.getElementById("stats-charts").hidden = empty;
  drawTable();
  drawCharts();
}

function drawTable() {
  const data = state.data;
  const cols = columns();
  const groupName = t(`stats_group_${data.group}`);
  $("stats-caption").textContent = t("stats_table_caption", {
    group: groupName.toLowerCase(),
    from: dayText(data.from),
    to: dayText(data.to),
  });
  fill(
    document.getElementById("stats-head"),
    h("th", { scope: "col" }, groupName),
    cols.map((m) => h("th", { scope: "col", dataset: { measure: m } }, measureLabel(m))),
  );
  fill($("stats-rows"), data.rows.map((row) => tableRow(row, cols, "stats-row")));
  fill(document.getElementById("stats-foot"), tableRow(null, cols, "stats-total"));
}

function dayText(iso) {
  const [y, m, d] = (iso || "").split("-");
  return d ? `${d}/${m}/${y}` : iso || "";
}

/** One row of the table; row null is the total. */
function tableRow(row, cols, testid) {
  const figures = row || state.data.total;
  const label = row ? rowLabel(row) : t("stats_total");
  return h(
    "tr",
    { testid, dataset: row ? { key: row.key } : {} },
    h("th", { scope: "row", testid: "stats-row-label" }, label),
    cols.map((m) => {
      const value = valueOf(figures, m, row && state.data.group === "status" ? row.key : undefined);
      const cell = h("td", { testid: `stats-cell-${m}`, class: "num", dataset: { value: value ?? "" } });
      const drillable = (COUNTS.includes(m) || m === "in_status") && value > 0;
      if (!drillable) return fill(cell, formatValue(value));
      return fill(
        cell,
        h(
          "button",
          {
            type: "button",
            class: "link-button figure",
            testid: "stats-figure",
            dataset: { measure: m },
            "aria-label": t("stats_open_figure", { n: value, measure: measureLabel(m), group: label }),
            onclick: () => openDrill(m, row),
          },
          formatValue(value),
        ),
      );
    }),
  );
}

// ---------------------------------------------------------------- charts

function destroyCharts() {
  for (const chart of state.charts) if (chart) chart.destroy();
  state.charts = [];
}

function drawCharts() {
  destroyCharts();
  const rows = state.data.rows || [];
  if (!rows.length) return;
  const labels = rows.map(rowLabel);
  const status = state.data.group === "status";
  const counts = status
    ? [{ label: measureLabel("in_status"), data: rows.map((r) => valueOf(r, "in_status", r.key)), backgroundColor: COLORS.received }]
    : [
        { label: measureLabel("received"), data: rows.map((r) => r.received), backgroundColor: COLORS.received },
        { label: measureLabel("resolved"), data: rows.map((r) => r.resolved), backgroundColor: COLORS.resolved },
      ];
  state.charts.push(newChart($("stats-chart-counts"), "bar", labels, counts));
  const shareFigure = $("stats-chart-share").closest("figure");
  shareFigure.hidden = status;
  if (!status) {
    const share = [{ label: measureLabel("on_time_share"), data: rows.map((r) => r.on_time_share), backgroundColor: COLORS.share }];
    state.charts.push(newChart($("stats-chart-share"), "bar", labels, share, { min: 0, max: 100 }));
  }
}

// ---------------------------------------------------------------- reports behind a figure

/** The period a row of a by-time grouping covers, within the query's period. */
function periodRange(key, from, to) {
  let start;
  let end;
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) {
    start = end = key;
  } else if (/^\d{4}-\d{2}$/.test(key)) {
    const [y, m] = key.split("-").map(Number);
    start = `${key}-01`;
    end = `${key}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0")}`;
  } else if (/^\d{4}-Q[1-4]$/.test(key)) {
    const y = Number(key.slice(0, 4));
    const q = Number(key.slice(6));
    const lastMonth = q * 3;
    start = `${y}-${String(lastMonth - 2).padStart(2, "0")}-01`;
    end = `${y}-${String(lastMonth).padStart(2, "0")}-${new Date(Date.UTC(y, lastMonth, 0)).getUTCDate()}`;
  } else {
    start = `${key}-01-01`;
    end = `${key}-12-31`;
  }
  return { from: start > from ? start : from, to: end < to ? end : to };
}

function drillQuery(measure, row) {
  const base = { ...state.params };
  delete base.group;
  delete base.period;
  let apiMeasure = measure;
  if (row) {
    const group = state.data.group;
    if (DIMENSIONS.includes(group)) base[group] = row.key;
    else if (group === "period") Object.assign(base, periodRange(row.key, base.from, base.to));
    else if (group === "status") apiMeasure = `s_${row.key}`;
  }
  return { ...base, measure: apiMeasure };
}

function openDrill(measure, row) {
  state.drill = { measure, row, query: drillQuery(measure, row), items: [], next: null, seq: 0 };
  $("stats-reports").hidden = false;
  drawDrillTitle();
  fill($("stats-reports-list"));
  $("stats-reports-empty").hidden = true;
  $("stats-reports-more").hidden = true;
  loadDrill(false);
  $("stats-reports").focus({ preventScroll: true });
  $("stats-reports").scrollIntoView({ block: "nearest" });
}

function closeDrill() {
  if (state.drill) state.drill.seq += 1;
  state.drill = null;
  $("stats-reports").hidden = true;
}

function drawDrillTitle() {
  const { measure, row } = state.drill;
  $("stats-reports-title").textContent = t("stats_reports_title", {
    measure: measureLabel(measure),
    group: row ? rowLabel(row) : t("stats_total"),
  });
}

async function loadDrill(more) {
  const drill = state.drill;
  const seq = ++drill.seq;
  const restore = more ? busy($("stats-reports-more"), "loading") : null;
  try {
    const data = await api.get("/v1/stats/reports", {
      ...drill.query,
      limit: DRILL_PAGE,
      cursor: more ? drill.next : null,
    });
    if (state.drill !== drill || seq !== drill.seq) return;
    const items = (data && data.items) || [];
    drill.items = more ? drill.items.concat(items) : items;
    drill.next = (data && data.next_cursor) || null;
    drawDrill();
  } catch (e) {
    if (state.drill === drill) showError(e);
  } finally {
    if (restore) restore();
  }
}

function reportRow(item) {
  // Each report opens read-only in the staff lookup page, whatever its status.
  const code = item.code || item.report_id;
  const codeCell = h("a", { href: `report.html#${encodeURIComponent(item.report_id)}`, testid: "stats-report-link" }, code);
  const status = item.status ? t(`stats_status_${item.status}`) : "";
  return h(
    "tr",
    { testid: "stats-report", dataset: { reportId: item.report_id } },
    h("td", { testid: "stats-report-code" }, codeCell),
    h("td", { testid: "stats-report-title" }, item.title || ""),
    h("td", { testid: "stats-report-status" }, status),
    h("td", { testid: "stats-report-at" }, item.at ? h("time", { datetime: item.at }, atText(item.at)) : ""),
  );
}

function atText(at) {
  return at.length > 10 ? formatDateTime(at) : dayText(at);
}

function drawDrill() {
  const drill = state.drill;
  if (!drill) return;
  drawDrillTitle();
  fill($("stats-reports-list"), drill.items.map(reportRow));
  $("stats-reports-empty").hidden = drill.items.length > 0;
  $("stats-reports-more").hidden = !drill.next;
}

// ---------------------------------------------------------------- download

async function onDownload(ev) {
  const button = ev.currentTarget;
  const format = button.dataset.format;
  clearError();
  const restore = busy(button, "loading");
  try {
    // A link cannot carry the bearer token: fetch the file, then save the blob.
    const { api_base } = await loadConfig();
    const query = new URLSearchParams({ format });
    for (const [k, v] of Object.entries(readForm())) if (v) query.set(k, v);
    let res;
    try {
      // API Gateway hands back a binary body only when Accept names its type first.
      const accept = format === "xlsx" ? XLSX_TYPE : "text/csv";
      res = await fetch(`${api_base}/v1/stats/export?${query}`, {
        headers: { Authorization: `Bearer ${shell.session.idToken}`, Accept: accept },
      });
    } catch {
      throw new ApiError(both("stats_download_failed"));
    }
    if (!res.ok) throw new ApiError({ status: res.status, code: `http_${res.status}`, ...both("stats_download_failed") });
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: `thong-ke-${query.get("from")}-${query.get("to")}.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    showError(e);
  } finally {
    restore();
  }
}

// ---------------------------------------------------------------- sign-in / out

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function onSignedOut() {
  state.data = null;
  state.seq += 1;
  closeDrill();
  destroyCharts();
  $("stats-form").reset();
}

// ---------------------------------------------------------------- start

function onLanguage() {
  if (state.refs) drawSelects();
  if (state.data) drawAll();
  drawDrill();
}

const shell = startStaffPage({
  page: "stats",
  view: "view-stats",
  roles: READERS,
  forbiddenKey: "stats_forbidden",
  onSignedIn: showStats,
  onSignedOut,
  onLanguage,
});
const { api } = shell;

$("stats-form").addEventListener("submit", onSubmit);
$("stats-group").addEventListener("change", onGroup);
$("stats-download-xlsx").addEventListener("click", onDownload);
$("stats-download-csv").addEventListener("click", onDownload);
$("stats-reports-close").addEventListener("click", closeDrill);
$("stats-reports-more").addEventListener("click", () => loadDrill(true));
