// The citizen site's transparency page (transparency.html): how each agency
// handled the reports of a year, as a table and a bar chart of the same counts.
// Public figures only (GET /v1/public/stats): nobody signs in.
import { Api } from "./api.js";
import { t, getLang, pick, initLangToggle, onLangChange } from "./i18n.js";
import { h, fill, showError, clearError, refreshError } from "./dom.js";
import { COLORS, newChart } from "./charts.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const FIRST_YEAR = 2024; // the first year the system counted
const api = new Api(null);

const state = { data: null, seq: 0, chart: null };

function vnYear() {
  return new Date(Date.now() + 7 * 3600 * 1000).getUTCFullYear();
}

function drawYears() {
  const select = $("transparency-year");
  const last = vnYear();
  const years = [];
  for (let y = last; y >= Math.min(FIRST_YEAR, last); y -= 1) years.push(y);
  fill(select, years.map((y) => h("option", { value: String(y) }, String(y))));
  select.value = String(last);
}

async function load() {
  const year = $("transparency-year").value;
  const seq = ++state.seq;
  clearError();
  $("loading").hidden = false;
  try {
    const data = await api.get("/v1/public/stats", { year });
    if (seq !== state.seq) return;
    state.data = data;
    draw();
  } catch (e) {
    if (seq === state.seq) showError(e);
  } finally {
    if (seq === state.seq) $("loading").hidden = true;
  }
}

const numberFormat = () => new Intl.NumberFormat(getLang() === "en" ? "en-GB" : "vi-VN");

function cell(agency, measure, suffix = "") {
  const value = agency[measure];
  const text = value === null || value === undefined ? "—" : `${numberFormat().format(value)}${suffix}`;
  return h("td", { class: "num", testid: `transparency-${measure}`, dataset: { value: value ?? "" } }, text);
}

function row(agency) {
  const rated = agency.rated ? h("span", { class: "muted" }, ` (${t("stats_public_rated", { n: agency.rated })})`) : null;
  const rating = cell(agency, "avg_rating");
  if (rated) rating.append(rated);
  return h(
    "tr",
    { testid: "transparency-row", dataset: { agencyId: agency.agency_id } },
    h("th", { scope: "row", testid: "transparency-agency" }, pick(agency, "name")),
    cell(agency, "routed"),
    cell(agency, "resolved"),
    cell(agency, "on_time_share", " %"),
    cell(agency, "avg_days"),
    rating,
  );
}

function draw() {
  const data = state.data;
  if (!data) return;
  const agencies = data.agencies || [];
  const empty = agencies.length === 0;
  $("transparency-received").textContent = t("stats_public_received", {
    year: data.year,
    n: numberFormat().format(data.received || 0),
  });
  $("transparency-caption").textContent = t("stats_public_caption", { year: data.year });
  fill(document.getElementById("transparency-rows"), agencies.map(row));
  $("transparency-table").hidden = empty;
  $("transparency-empty").hidden = !empty;
  document.getElementById("transparency-figure").hidden = empty;
  if (state.chart) state.chart.destroy();
  state.chart = null;
  if (empty) return;
  const label = (key) => t(key);
  state.chart = newChart(
    $("transparency-chart"),
    "bar",
    agencies.map((a) => pick(a, "name")),
    [
      { label: label("stats_public_col_received"), data: agencies.map((a) => a.routed), backgroundColor: COLORS.received },
      { label: label("stats_public_col_resolved"), data: agencies.map((a) => a.resolved), backgroundColor: COLORS.resolved },
    ],
  );
}

function start() {
  initLangToggle(document);
  onLangChange(() => {
    refreshError();
    draw();
  });
  drawYears();
  $("transparency-year").addEventListener("change", load);
  load();
}

start();
