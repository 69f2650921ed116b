// The staff report lookup (staff/report.html), in the staff shell: a code finds a
// report the caller's unit may see (GET /v1/staff/reports?code=), which is shown
// read-only as on the task page, with where it stands in its workflow and a link to
// the caller's own open task of it. report.html#<id> opens a report directly.
import { t, pick } from "./i18n.js";
import { h, fill, showError, clearError, clearNotice, busy, focusHeading } from "./dom.js";
import { startStaffPage } from "./staff-shell.js";
import { drawStaffReport, loadUnits, positionPanel } from "./staff-report.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
// Who may look reports up: those the API lets in (it also decides which reports).
const READERS = ["reception", "officer", "agency_leader", "province_leader", "admin"];
const TASK_GROUPS = ["reception", "officer", "agency_leader"];

const state = {
  seq: 0, // bumps on every report opened; late answers of older ones are dropped
  report: null, // the report on screen (staff view)
  task: null, // the caller's own open task of it, if any
  notFound: null, // the code last looked up in vain
};

function reportId() {
  return decodeURIComponent(location.hash.replace(/^#\/?/, ""));
}

/** Signed in as a reader: open the report the address names, if any. */
function show() {
  if (reportId()) openReport(reportId());
  else focusHeading(document.getElementById("view-lookup"));
}

function onSignedOut() {
  state.seq += 1;
  state.report = null;
  state.task = null;
  state.notFound = null;
  $("rl-result").hidden = true;
  $("rl-not-found").hidden = true;
  if (location.hash) history.replaceState(null, "", location.pathname);
}

async function onLookup(ev) {
  ev.preventDefault();
  clearError();
  clearNotice();
  const form = ev.currentTarget;
  const code = form.elements.code.value.trim().toUpperCase();
  $("rl-not-found").hidden = true;
  const restore = busy($("rl-submit"), "loading");
  try {
    const data = await api.get("/v1/staff/reports", { code });
    const hit = data && data.items && data.items[0];
    if (!hit) {
      state.notFound = code;
      drawNotFound();
      return;
    }
    state.notFound = null;
    if (reportId() === hit.id) openReport(hit.id);
    else location.hash = `#${encodeURIComponent(hit.id)}`; // hashchange opens it
  } catch (e) {
    showError(e, form);
  } finally {
    restore();
  }
}

function drawNotFound() {
  const box = $("rl-not-found");
  box.textContent = state.notFound ? t("rl_not_found", { code: state.notFound }) : "";
  box.hidden = !state.notFound;
}

async function openReport(id) {
  const seq = ++state.seq;
  clearError();
  $("loading").hidden = false;
  try {
    const [report] = await Promise.all([api.get(`/v1/reports/${encodeURIComponent(id)}`), loadUnits(api)]);
    if (seq !== state.seq) return;
    state.report = report;
    state.task = await ownTask(report);
    if (seq !== state.seq) return;
    drawReport();
    focusHeading($("rl-result"));
  } catch (e) {
    if (seq === state.seq) {
      $("rl-result").hidden = true;
      showError(e);
    }
  } finally {
    if (seq === state.seq) $("loading").hidden = true;
  }
}

/** The caller's open task of this report, found by its code; null for none. */
async function ownTask(report) {
  if (!shell.hasRole(TASK_GROUPS) || !report.code) return null;
  try {
    const data = await api.get("/v1/staff/tasks", { code: report.code });
    return (data && data.items && data.items[0]) || null;
  } catch (e) {
    console.warn(e); // the report shows without the link
    return null;
  }
}

function drawReport() {
  const { report, task } = state;
  if (!report) return;
  $("rl-result").hidden = false;
  fill($("rl-heading"), t("rl_report_heading"), " ", h("span", { testid: "rl-code-shown" }, report.code || ""));
  fill(
    document.getElementById("rl-open-task-slot"),
    task
      ? h(
          "a",
          { href: `./#/task/${encodeURIComponent(task.id)}`, testid: "rl-open-task" },
          t("rl_open_task", { step: pick(task, "step_label") || task.step || "" }),
        )
      : null,
  );
  drawStaffReport(document.getElementById("rl-report"), report);
  const panel = positionPanel(report);
  document.getElementById("rl-position").replaceChildren(...(panel ? [panel] : []));
}

function onLanguage() {
  drawNotFound();
  drawReport();
}

const shell = startStaffPage({
  page: "report",
  view: "view-lookup",
  roles: READERS,
  forbiddenKey: "rl_forbidden",
  onSignedIn: show,
  onSignedOut,
  onLanguage,
});
const { api } = shell;

$("rl-form").addEventListener("submit", onLookup);
window.addEventListener("hashchange", () => {
  if (shell.user() && reportId()) openReport(reportId());
});
