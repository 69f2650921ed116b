// The staff task page (staff/index.html), in the staff shell (staff-shell.js draws
// the header, sign-in and session): task list (all, or only the overdue ones), one
// task with its report, where the report stands in its workflow, the decision
// forms drawn from allowed_decisions and the leader's deadline extension; and the
// reception desk's entry of a report received by phone, paper or email.
import { ApiError, UploadCache, uuid } from "./api.js";
import { t, pick, both, formatDateTime, nowForDatetimeLocal, datetimeLocalToIso } from "./i18n.js";
import {
  h,
  showError,
  clearError,
  showNotice,
  clearNotice,
  busy,
  focusHeading,
  clearFieldErrors,
  bindLabel,
  unbindLabel,
  fill,
  refreshBoundLabels,
} from "./dom.js";
import { startStaffPage } from "./staff-shell.js";
import {
  overdueBadge,
  extendedBadge,
  groupName,
  timeOrDash,
  loadUnits,
  drawStaffReport,
  positionPanel,
} from "./staff-report.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

// Every label comes from the one catalogue (i18n.js); this page's own keys start
// with st_ (its "shared" section).

// Those who have tasks (the API's /v1/staff/tasks refuses the other groups).
const TASK_GROUPS = ["reception", "officer", "agency_leader"];

// The shell shows sign-in or view-staff (the three views below) and calls back.
const shell = startStaffPage({
  page: "tasks",
  view: "view-staff",
  roles: TASK_GROUPS,
  forbiddenKey: "st_tasks_forbidden",
  onSignedIn: () => render({ keepMessages: true }),
  onSignedOut: forget,
  onLanguage,
});
const api = shell.api;

const isLeader = () => shell.hasRole(["agency_leader"]);
const isReception = () => shell.hasRole(["reception"]);

const VIEWS = ["view-tasks", "view-task", "view-entry"];
const PAGE = 50;

const state = {
  renderSeq: 0,
  route: null,
  tasks: { items: [], next: null },
  steps: null, // [{step, label, label_en}]: the steps where the caller acts
  groups: [], // the caller's groups that have an inbox; a choice when more than one
  listHash: "#/", // the list with its filters, to come back to from a task
  overdueOnly: false, // the task list shows only overdue tasks
  listSeq: 0, // bumps on every fresh list load; late answers of older ones are dropped
  current: null, // {task, report}
  flash: null,
  uploads: new UploadCache(),
  entry: {
    categories: null,
    areas: null,
    pending: null, // {key, json}: the Idempotency-Key of the submission being sent
    uploads: new UploadCache(),
    sent: null, // {id, code, status} of the report just entered
  },
};

// ---------------------------------------------------------------- routing

// The task list's filters, kept in the hash (#/?area=...&q=...&overdue=1) so that a
// reload or a shared link shows the same list.
const FILTERS = ["group", "step", "area", "category", "q", "code"];
// The role is which inbox is listed, not a narrowing of it.
const NARROWING = FILTERS.filter((k) => k !== "group");

function readFilters(query) {
  const params = new URLSearchParams(query || "");
  const filters = {};
  for (const key of FILTERS) {
    const v = (params.get(key) || "").trim();
    if (v) filters[key] = v;
  }
  filters.overdue = params.get("overdue") === "1";
  return filters;
}

function filtersHash(filters) {
  const params = new URLSearchParams();
  for (const key of FILTERS) if (filters[key]) params.set(key, filters[key]);
  if (filters.overdue) params.set("overdue", "1");
  const query = params.toString();
  return query ? `#/?${query}` : "#/";
}

function parseRoute() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const m = /^\/task\/([^/?#]+)$/.exec(hash);
  if (m) return { name: "task", id: decodeURIComponent(m[1]) };
  if (hash === "/enter") return { name: "enter" };
  const query = hash.startsWith("/?") ? hash.slice(2) : "";
  return { name: "tasks", filters: readFilters(query) };
}

function showViews(...ids) {
  for (const id of VIEWS) document.getElementById(id).hidden = !ids.includes(id);
}

function setLoading(on) {
  $("loading").hidden = !on;
}

function navigate(hash, notice) {
  if (location.hash === hash || (hash === "#/" && location.hash === "")) {
    render({ keepMessages: true });
    showNotice(notice || null);
    return;
  }
  state.flash = notice || null;
  location.hash = hash;
}

function render({ keepMessages = false } = {}) {
  const route = parseRoute();
  const changed = !state.route || route.name !== state.route.name || route.id !== state.route.id;
  state.route = route;
  state.renderSeq += 1;
  if (changed && !keepMessages) clearError();
  setLoading(false);

  // Signed out or without tasks: the shell shows the sign-in form or the refusal.
  if (!shell.user() || !shell.hasRole(TASK_GROUPS)) return;
  markNav(route.name);
  if (route.name === "task") {
    showViews("view-task");
    $("task-back").setAttribute("href", state.listHash);
    openTask(route.id);
  } else if (route.name === "enter") {
    showViews("view-entry");
    renderEntry();
  } else {
    showViews("view-tasks");
    state.overdueOnly = route.filters.overdue;
    state.listHash = filtersHash(route.filters);
    drawFilterForm();
    loadLookups();
    loadTasks(false);
  }
  if (changed) focusHeading(document.querySelector(".view:not([hidden])"));
}

// ---------------------------------------------------------------- header

/**
 * This page's additions to the shell's header: the reception's entry link
 * (#/enter), and the site name and task link kept inside the page (#/) so that
 * going back to the list is a route change, not a reload.
 */
function extendHeader() {
  $("site-name").setAttribute("href", "#/");
  const tasks = $("nav-tasks");
  tasks.setAttribute("href", "#/");
  tasks.after(
    h("a", { href: "#/enter", testid: "nav-entry", dataset: { route: "enter", i18n: "st_nav_entry" }, hidden: true }, t("st_nav_entry")),
  );
}

/** Mark the link of the route shown (aria-current) and show the entry link to reception. */
function markNav(name) {
  const entry = $("nav-entry");
  entry.hidden = !isReception();
  const current = name === "enter" ? entry : $("nav-tasks");
  for (const link of [entry, $("nav-tasks")]) {
    if (link === current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

/** Signed out (or the session ran out): forget what the last user saw. */
function forget() {
  state.tasks = { items: [], next: null };
  state.groups = [];
  state.steps = null;
  state.current = null;
  state.route = null;
  state.flash = null;
  state.uploads.clear();
  resetEntry();
  showViews();
  $("nav-entry").hidden = true;
  // The next user starts from the task list, not from the last one's task.
  if (location.hash && location.hash !== "#/") history.replaceState(null, "", "#/");
}

// ---------------------------------------------------------------- task list

async function loadTasks(more) {
  const seq = state.renderSeq;
  if (!more) state.listSeq += 1;
  const listSeq = state.listSeq;
  const restore = more ? busy($("tasks-more"), "loading") : null;
  if (!more) setLoading(true);
  try {
    const filters = currentFilters();
    const data = await api.get("/v1/staff/tasks", {
      limit: PAGE,
      cursor: more ? state.tasks.next : null,
      overdue: filters.overdue ? "true" : null,
      group: filters.group,
      step: filters.step,
      area: filters.area,
      category: filters.category,
      q: filters.q,
      code: filters.code,
    });
    if (listSeq !== state.listSeq) return; // the filter changed meanwhile
    if (!more && seq !== state.renderSeq) return;
    const items = (data && data.items) || [];
    state.tasks.items = more ? state.tasks.items.concat(items) : items;
    state.tasks.next = (data && data.next_cursor) || null;
    if (data && Array.isArray(data.steps)) state.steps = data.steps;
    if (data && Array.isArray(data.groups)) state.groups = data.groups;
    drawGroupOptions();
    drawStepOptions();
    drawTasks();
  } catch (e) {
    if (listSeq === state.listSeq && (more || seq === state.renderSeq)) showError(e);
  } finally {
    if (restore) restore();
    if (seq === state.renderSeq && listSeq === state.listSeq) setLoading(false);
  }
}

function timeCell(iso, testid) {
  return h("td", { testid }, iso ? h("time", { datetime: iso }, formatDateTime(iso)) : "—");
}

function isOverdue(task) {
  if (typeof task.overdue === "boolean") return task.overdue;
  const due = Date.parse(task.due_at || "");
  return Number.isFinite(due) && due < Date.now();
}

function drawTasks() {
  const tbody = $("task-list");
  tbody.replaceChildren(
    ...state.tasks.items.map((task) => {
      const href = `#/task/${encodeURIComponent(task.id)}`;
      const overdue = isOverdue(task);
      const extended = !!task.extended;
      const row = h(
        "tr",
        {
          testid: "task-row",
          class: overdue ? "overdue" : task.due_soon ? "due-soon" : null,
          dataset: { taskId: task.id, reportCode: task.report_code || "", overdue: String(overdue), extended: String(extended) },
        },
        h("td", { testid: "task-code" }, h("a", { href, testid: "task-open" }, task.report_code || task.id)),
        h("td", { testid: "task-title" }, task.report_title || ""),
        h("td", { testid: "task-step" }, pick(task, "step_label") || task.step || ""),
        h("td", { testid: "task-area", dataset: { area: task.area_id || "" } }, lookupName("areas", task.area_id)),
        h("td", { testid: "task-category", dataset: { category: task.category_id || "" } }, lookupName("categories", task.category_id)),
        timeCell(task.created_at, "task-created"),
        h(
          "td",
          { testid: "task-due" },
          task.due_at ? h("time", { datetime: task.due_at }, formatDateTime(task.due_at)) : "—",
          [" ", dueState(task)],
          extended ? [" ", extendedBadge("task-extended")] : null,
        ),
      );
      // The whole row opens the task; the link on the code is the keyboard way.
      row.addEventListener("click", (ev) => {
        if (ev.target.closest("a")) return;
        location.hash = href;
      });
      return row;
    }),
  );
  const empty = $("tasks-empty");
  const filtered = NARROWING.some((k) => currentFilters()[k]);
  empty.textContent = filtered ? t("tl_empty_filtered") : state.overdueOnly ? t("st_empty_overdue") : t("empty_tasks");
  empty.hidden = state.tasks.items.length > 0;
  const n = state.tasks.items.length;
  $("tasks-count").textContent = n ? t(state.tasks.next ? "tl_count_more" : "tl_count", { n }) : "";
  $("tasks-more").hidden = !state.tasks.next;
  $("tasks-filter-note").hidden = !state.overdueOnly;
  $("tasks-overdue-only").checked = state.overdueOnly;
}

function onOverdueToggle(ev) {
  applyFilters({ ...currentFilters(), overdue: ev.currentTarget.checked });
}

/** Past due (red), due within the next working day (amber) or on time: a colour and
 * a text label, never the colour alone. */
function dueState(task) {
  if (!task.due_at) return null;
  const stateName = isOverdue(task) ? "overdue" : task.due_soon ? "soon" : "ok";
  const label = { overdue: "tl_due_overdue", soon: "tl_due_soon", ok: "tl_due_ok" }[stateName];
  return h("span", { class: `badge due-${stateName}`, testid: "task-due-state", dataset: { state: stateName } }, t(label));
}

// ---------------------------------------------------------------- task list filters

function currentFilters() {
  return (state.route && state.route.filters) || readFilters("");
}

/** Show the list for these filters: through the hash, so a reload keeps them. */
function applyFilters(filters) {
  clearError();
  clearNotice();
  const hash = filtersHash(filters);
  if (location.hash === hash || (hash === "#/" && (location.hash === "" || location.hash === "#/"))) {
    loadTasks(false);
    return;
  }
  // Nothing is said about the new list until it is in.
  state.tasks = { items: [], next: null };
  $("task-list").replaceChildren();
  $("tasks-empty").hidden = true;
  $("tasks-more").hidden = true;
  $("tasks-count").textContent = "";
  location.hash = hash;
}

function filtersFromForm() {
  const form = $("tasks-filters");
  const filters = { overdue: $("tasks-overdue-only").checked };
  for (const key of FILTERS) {
    const v = form.elements[key].value.trim();
    if (v) filters[key] = key === "code" ? v.toUpperCase() : v;
  }
  return filters;
}

function onFilterSubmit(ev) {
  ev.preventDefault();
  applyFilters(filtersFromForm());
}

function onFilterClear() {
  const group = currentFilters().group; // the role stays: clearing narrows nothing
  $("tasks-filters").reset();
  applyFilters({ overdue: false, group });
  $("filter-step").focus();
}

/** The form shows the filters of the hash. */
function drawFilterForm() {
  const filters = currentFilters();
  const form = $("tasks-filters");
  drawGroupOptions();
  for (const key of NARROWING) {
    const control = form.elements[key];
    const v = filters[key] || "";
    if (control.tagName === "SELECT" && v && ![...control.options].some((o) => o.value === v)) {
      control.append(h("option", { value: v }, v)); // until its name is loaded
    }
    control.value = v;
  }
  $("tasks-overdue-only").checked = !!filters.overdue;
  $("tasks-filter-note").hidden = !filters.overdue;
}

function fillSelect(select, allKey, items, labelOf) {
  const keep = currentFilters()[select.name] || select.value;
  select.replaceChildren(
    h("option", { value: "", "data-i18n": allKey }, t(allKey)),
    ...items.map((it) => h("option", { value: String(it.value) }, labelOf(it))),
  );
  if (keep && !items.some((it) => String(it.value) === keep)) select.append(h("option", { value: keep }, keep));
  select.value = keep || "";
}

/** The role choice, for a person in several groups that hold tasks. */
function drawGroupOptions() {
  const groups = state.groups || [];
  $("filter-group-field").hidden = groups.length < 2;
  const select = $("filter-group");
  const keep = currentFilters().group || groups[0] || "";
  select.replaceChildren(...groups.map((g) => h("option", { value: g }, groupName(g))));
  if (groups.includes(keep)) select.value = keep;
}

function drawStepOptions() {
  const steps = state.steps || [];
  fillSelect($("filter-step"), "tl_all_steps", steps.map((s) => ({ ...s, value: s.step })), (s) => pick(s, "label"));
}

/** Areas and categories, once per page: the filter's choices and the list's names. */
async function loadLookups() {
  if (state.entry.categories && state.entry.areas) {
    drawLookupOptions();
    return;
  }
  try {
    const [cats, areas] = await Promise.all([api.get("/v1/categories"), api.get("/v1/areas")]);
    state.entry.categories = (cats && cats.items) || [];
    state.entry.areas = (areas && areas.items) || [];
    drawLookupOptions();
    if (!$("view-tasks").hidden) drawTasks();
  } catch (e) {
    console.warn(e); // only the names are missing; the ids still filter
  }
}

function drawLookupOptions() {
  const { categories, areas } = state.entry;
  if (!categories || !areas) return;
  fillSelect($("filter-category"), "tl_all_categories", categories.map((c) => ({ ...c, value: c.id })), (c) => pick(c, "name"));
  fillSelect($("filter-area"), "tl_all_areas", choosableAreas(areas).map((a) => ({ ...a, value: a.id })), (a) => pick(a, "name"));
}

function lookupName(kind, id) {
  if (!id) return "—";
  const items = state.entry[kind] || [];
  const hit = items.find((it) => String(it.id) === String(id));
  return hit ? pick(hit, "name") : String(id);
}

// ---------------------------------------------------------------- one task

/** The task from the loaded list, or from further pages when opened by link. */
async function findTask(id) {
  let hit = state.tasks.items.find((x) => String(x.id) === id);
  if (hit) return hit;
  let cursor = null;
  for (let page = 0; page < 20; page += 1) {
    const data = await api.get("/v1/staff/tasks", { limit: PAGE, cursor });
    const items = (data && data.items) || [];
    hit = items.find((x) => String(x.id) === id);
    if (hit) return hit;
    cursor = data && data.next_cursor;
    if (!cursor) break;
  }
  return null;
}

async function openTask(id) {
  const seq = state.renderSeq;
  document.getElementById("task-report").replaceChildren();
  document.getElementById("task-decision").replaceChildren();
  document.getElementById("task-extend").replaceChildren();
  document.getElementById("task-position").replaceChildren();
  $("task-heading").textContent = t("task");
  document.getElementById("task-meta").replaceChildren();
  setLoading(true);
  try {
    const task = await findTask(id);
    if (seq !== state.renderSeq) return;
    if (!task) {
      showError(new ApiError({ code: "not_found", ...both("task_not_found") }));
      return;
    }
    const [report] = await Promise.all([api.get(`/v1/reports/${encodeURIComponent(task.report_id)}`), loadUnits(api)]);
    if (seq !== state.renderSeq) return;
    state.current = { task, report };
    state.uploads.clear();
    drawTaskHead();
    drawTaskReport();
    document.getElementById("task-decision").replaceChildren(decisionForm(task));
    drawExtend();
    drawPosition();
  } catch (e) {
    if (seq === state.renderSeq) showError(e);
  } finally {
    if (seq === state.renderSeq) setLoading(false);
  }
}

function drawTaskHead() {
  const { task } = state.current;
  fill(
    $("task-heading"),
    `${t("task")}: `,
    h("span", { testid: "task-step-label" }, pick(task, "step_label") || task.step || ""),
    " — ",
    h("span", { testid: "task-report-code" }, task.report_code || ""),
  );
  const meta = document.getElementById("task-meta");
  fill(
    meta,
    `${t("task_created_at")}: `,
    task.created_at ? h("time", { datetime: task.created_at }, formatDateTime(task.created_at)) : "—",
    " · ",
    `${t("due_at")}: `,
    h("time", { datetime: task.due_at || "", testid: "task-due-at" }, task.due_at ? formatDateTime(task.due_at) : "—"),
    isOverdue(task) ? [" ", overdueBadge("task-due-overdue")] : null,
    task.extended ? [" ", extendedBadge("task-due-extended")] : null,
  );
}

function drawTaskReport() {
  drawStaffReport(document.getElementById("task-report"), state.current.report);
}

function drawPosition() {
  const panel = positionPanel(state.current && state.current.report);
  const box = document.getElementById("task-position");
  if (panel) box.replaceChildren(panel);
  else box.replaceChildren();
}

// ---------------------------------------------------------------- deadline extension (the unit's leader)

const EXTEND_MAX_DAYS = 30;

function drawExtend() {
  const box = document.getElementById("task-extend");
  const task = state.current && state.current.task;
  if (!task || !isLeader()) {
    box.replaceChildren();
    return;
  }
  box.replaceChildren(task.extended ? extendedPanel(task) : extendForm(task));
}

function extendedPanel(task) {
  return h(
    "section",
    { class: "panel extend extend-done", testid: "extend-panel", "aria-labelledby": "extend-h" },
    h("h2", { id: "extend-h" }, t("st_extend_title")),
    h(
      "p",
      { testid: "extend-done" },
      t("st_extend_done"),
      " ",
      h("strong", {}, timeOrDash(task.due_at, "extend-new-due")),
      " ",
      extendedBadge(null),
    ),
  );
}

function keyLabel(key, id, required) {
  return h(
    "label",
    { for: id },
    h("span", { "data-i18n": key }, t(key)),
    required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null,
  );
}

function extendForm(task) {
  const days = h("input", {
    id: "ext-days",
    name: "days",
    type: "number",
    min: 1,
    max: EXTEND_MAX_DAYS,
    step: 1,
    inputmode: "numeric",
    required: true,
    testid: "extend-days",
    "aria-describedby": "ext-days-hint ext-days-error",
    dataset: { field: "days" },
  });
  const reason = h("textarea", {
    id: "ext-reason",
    name: "reason",
    rows: 3,
    maxlength: 2000,
    required: true,
    testid: "extend-reason",
    "aria-describedby": "ext-reason-error",
    dataset: { field: "reason" },
  });
  const form = h(
    "form",
    { class: "panel extend", testid: "extend-form", novalidate: true, "aria-labelledby": "extend-h" },
    h("h2", { id: "extend-h", "data-i18n": "st_extend_title" }, t("st_extend_title")),
    h("p", { class: "muted", "data-i18n": "st_extend_intro" }, t("st_extend_intro")),
    h(
      "div",
      { class: "field" },
      keyLabel("st_extend_days", "ext-days", true),
      days,
      h("p", { class: "hint", id: "ext-days-hint", "data-i18n": "st_extend_days_hint" }, t("st_extend_days_hint")),
      h("p", { class: "field-error", id: "ext-days-error", "data-field-error": "days", testid: "extend-error-days", hidden: true }),
    ),
    h(
      "div",
      { class: "field" },
      keyLabel("st_extend_reason", "ext-reason", true),
      reason,
      h("p", { class: "field-error", id: "ext-reason-error", "data-field-error": "reason", testid: "extend-error-reason", hidden: true }),
    ),
    h("button", { type: "submit", class: "secondary", testid: "extend-submit", "data-i18n": "st_extend_submit" }, t("st_extend_submit")),
  );
  form.addEventListener("submit", (ev) => onExtend(ev, task));
  return form;
}

async function onExtend(ev, task) {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearError();
  clearNotice();
  clearFieldErrors(form);
  const rawDays = form.elements.days.value.trim();
  const days = Number(rawDays);
  const reason = form.elements.reason.value.trim();
  const fields = {};
  if (!rawDays) fields.days = both("required");
  else if (!Number.isInteger(days) || days < 1 || days > EXTEND_MAX_DAYS) fields.days = both("st_extend_days_range");
  if (!reason) fields.reason = both("required");
  if (Object.keys(fields).length) {
    showError(new ApiError({ code: "validation", ...both("check_fields"), fields }), form);
    return;
  }
  const button = form.querySelector('[data-testid="extend-submit"]');
  const restore = busy(button, "sending");
  let done = false;
  try {
    const updated = await api.post(`/v1/staff/tasks/${encodeURIComponent(task.id)}/extend`, { days, reason });
    done = true;
    const merged = { ...task, ...(updated || {}), extended: true };
    state.tasks.items = state.tasks.items.map((x) => (x.id === task.id ? merged : x));
    if (!state.current || state.current.task.id !== task.id) return;
    state.current.task = merged;
    drawTaskHead();
    drawExtend();
    showNotice({ key: "st_extend_saved", params: { code: merged.report_code || "", due: formatDateTime(merged.due_at) } });
    // The position list shows the new due time of the current step.
    const report = await api.get(`/v1/reports/${encodeURIComponent(task.report_id)}`);
    if (state.current && state.current.task.id === task.id) {
      state.current.report = report;
      drawTaskReport();
      drawPosition();
    }
  } catch (e) {
    if (!done) showError(e, form);
    else console.warn(e); // extended; only the refreshed report is missing
  } finally {
    restore();
  }
}

// ---------------------------------------------------------------- decision form

function fieldControl(field) {
  const id = `df-${field.name}`;
  const common = {
    id,
    name: field.name,
    testid: `field-${field.name}`,
    required: !!field.required,
    "aria-describedby": `${id}-error`,
    dataset: { field: field.name, type: field.type },
  };
  switch (field.type) {
    case "textarea":
      return h("textarea", { ...common, rows: 4 });
    case "choice": {
      const select = h("select", common, h("option", { value: "", "data-i18n": "choose" }, t("choose")));
      for (const opt of field.options || []) {
        select.append(bindLabel(h("option", { value: opt.value }), opt));
      }
      return select;
    }
    case "uploads":
      return h("input", { ...common, type: "file", accept: "image/*", multiple: true });
    default:
      return h("input", { ...common, type: "text" });
  }
}

function fieldBlock(field) {
  const control = fieldControl(field);
  return h(
    "div",
    { class: "field" },
    h(
      "label",
      { for: control.id },
      bindLabel(h("span"), field),
      field.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null,
    ),
    control,
    h("p", { class: "field-error", id: `${control.id}-error`, "data-field-error": field.name, testid: `field-error-${field.name}`, hidden: true }),
  );
}

function decisionForm(task) {
  const decisions = task.allowed_decisions || [];
  const fieldsBox = h("div", { class: "decision-fields", testid: "decision-fields", "aria-live": "polite" });
  const noteBox = h(
    "div",
    { class: "field", id: "note-field" },
    h("label", { for: "decision-note", "data-i18n": "note" }, t("note")),
    h("textarea", { id: "decision-note", name: "note", rows: 3, testid: "decision-note", "aria-describedby": "decision-note-error", dataset: { field: "note" } }),
    h("p", { class: "field-error", id: "decision-note-error", "data-field-error": "note", testid: "field-error-note", hidden: true }),
  );

  const showFields = (decision) => {
    const d = decisions.find((x) => x.decision === decision);
    fieldsBox.replaceChildren();
    const fields = (d && d.fields) || [];
    for (const f of fields) if (f.name !== "note") fieldsBox.append(fieldBlock(f));
    // A decision that declares its own "note" field gets it in place of the generic one.
    const ownNote = fields.find((f) => f.name === "note");
    const label = noteBox.querySelector("label");
    const area = noteBox.querySelector("textarea");
    area.required = !!(ownNote && ownNote.required);
    if (ownNote) {
      label.removeAttribute("data-i18n");
      bindLabel(label, ownNote);
    } else {
      unbindLabel(label);
      label.dataset.i18n = "note";
      label.textContent = t("note");
    }
    if (!d) fieldsBox.append(h("p", { class: "muted", "data-i18n": "choose_decision_first" }, t("choose_decision_first")));
  };

  const radios = decisions.map((d) =>
    h(
      "label",
      { class: "choice" },
      h("input", {
        type: "radio",
        name: "decision",
        value: d.decision,
        testid: `decision-option-${d.decision}`,
        checked: decisions.length === 1,
        onchange: () => {
          clearError();
          clearFieldErrors(form);
          showFields(d.decision);
        },
      }),
      " ",
      bindLabel(h("span"), d),
    ),
  );

  const submit = h("button", { type: "submit", testid: "decision-submit", "data-i18n": "submit_decision" }, t("submit_decision"));
  const form = h(
    "form",
    { class: "panel decision", testid: "decision-form", novalidate: true, "aria-labelledby": "decision-h" },
    h("h2", { id: "decision-h", "data-i18n": "decision" }, t("decision")),
    h(
      "fieldset",
      { testid: "decision-options", "aria-describedby": "decision-error" },
      h("legend", { "data-i18n": "choose_decision_legend" }, t("choose_decision_legend")),
      radios,
      h("p", { class: "field-error", id: "decision-error", "data-field-error": "decision", testid: "field-error-decision", hidden: true }),
    ),
    fieldsBox,
    noteBox,
    h("p", { class: "muted", testid: "decision-progress", "aria-live": "polite" }),
    submit,
  );
  showFields(decisions.length === 1 ? decisions[0].decision : null);
  form.addEventListener("submit", (ev) => onDecide(ev, task, decisions));
  return form;
}

async function onDecide(ev, task, decisions) {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearError();
  clearNotice();
  clearFieldErrors(form);
  const chosen = form.querySelector('input[name="decision"]:checked');
  const d = chosen && decisions.find((x) => x.decision === chosen.value);
  if (!d) {
    showError(new ApiError({ code: "validation", ...both("choose_decision"), fields: { decision: both("choose_decision") } }), form);
    return;
  }
  const body = { decision: d.decision, note: form.elements.note.value.trim() };
  const fieldErrors = {};
  const uploadFields = [];
  for (const f of d.fields || []) {
    if (f.name === "note") {
      if (f.required && !body.note) fieldErrors.note = both("required");
      continue;
    }
    const control = form.querySelector(`[data-field="${CSS.escape(f.name)}"]`);
    if (!control) continue;
    if (f.type === "uploads") {
      const files = Array.from(control.files || []);
      if (f.required && !files.length) fieldErrors[f.name] = both("required");
      uploadFields.push([f.name, files]);
    } else {
      const v = f.type === "choice" ? control.value : control.value.trim();
      if (f.required && !v) fieldErrors[f.name] = both("required");
      body[f.name] = f.type === "choice" && !v ? null : v;
    }
  }
  if (Object.keys(fieldErrors).length) {
    showError(new ApiError({ code: "validation", ...both("check_fields"), fields: fieldErrors }), form);
    return;
  }

  const progress = form.querySelector('[data-testid="decision-progress"]');
  const restore = busy(form.querySelector('[data-testid="decision-submit"]'), "sending");
  try {
    for (const [name, files] of uploadFields) {
      body[name] = await state.uploads.uploadAll(api, files, (n, total) => {
        progress.textContent = t("uploading", { n, total });
      });
    }
    progress.textContent = t("sending");
    await api.post(`/v1/staff/tasks/${encodeURIComponent(task.id)}/decision`, body);
    state.uploads.clear();
    state.tasks.items = state.tasks.items.filter((x) => x.id !== task.id);
    state.current = null;
    navigate(state.listHash, { key: "decision_saved", params: { code: task.report_code || "" } });
  } catch (e) {
    if (e.status === 409 && !e.message_vi && !e.message_en) Object.assign(e, { message_vi: both("err_conflict").message, message_en: both("err_conflict").message_en });
    showError(e, form);
  } finally {
    progress.textContent = "";
    restore();
  }
}

// ---------------------------------------------------------------- reception: enter a report

function resetEntry() {
  const form = $("entry-form");
  form.reset();
  clearFieldErrors(form);
  state.entry.pending = null;
  state.entry.sent = null;
  state.entry.uploads.clear();
}

async function renderEntry() {
  const seq = state.renderSeq;
  const form = $("entry-form");
  const success = $("entry-success");
  if (!isReception()) {
    form.hidden = true;
    success.hidden = true;
    showError(new ApiError({ status: 403, code: "forbidden", ...both("st_reception_only") }));
    return;
  }
  success.hidden = !state.entry.sent;
  form.hidden = !!state.entry.sent;
  const when = $("entry-occurred-at");
  if (!when.value) when.value = nowForDatetimeLocal();
  when.max = nowForDatetimeLocal();
  if (state.entry.categories && state.entry.areas) {
    drawEntryLookups();
    return;
  }
  setLoading(true);
  try {
    const [cats, areas] = await Promise.all([api.get("/v1/categories"), api.get("/v1/areas")]);
    state.entry.categories = (cats && cats.items) || [];
    state.entry.areas = (areas && areas.items) || [];
    drawEntryLookups();
  } catch (e) {
    if (seq === state.renderSeq) showError(e);
  } finally {
    if (seq === state.renderSeq) setLoading(false);
  }
}

function setOptions(select, items, labelOf) {
  const keep = select.value;
  select.replaceChildren(h("option", { value: "" }, t("choose")), ...items.map((it) => h("option", { value: String(it.id) }, labelOf(it))));
  if (items.some((it) => String(it.id) === keep)) select.value = keep;
}

/** Wards and communes in use today (the province itself and retired areas are not offered). */
function choosableAreas(areas) {
  const today = nowForDatetimeLocal().slice(0, 10);
  return areas.filter((a) => a.parent_id !== null && a.parent_id !== undefined && !(a.valid_to && a.valid_to < today));
}

function drawEntryLookups() {
  const { categories, areas } = state.entry;
  if (!categories || !areas) return;
  setOptions($("entry-category"), categories, (c) => pick(c, "name"));
  const byId = new Map(areas.map((a) => [String(a.id), a]));
  setOptions($("entry-area"), choosableAreas(areas), (a) => {
    const parent = byId.get(String(a.parent_id));
    const underProvince = !parent || parent.parent_id === null || parent.parent_id === undefined;
    return underProvince ? pick(a, "name") : `${pick(a, "name")} — ${pick(parent, "name")}`;
  });
}

function idFrom(items, value) {
  const hit = (items || []).find((it) => String(it.id) === value);
  return hit ? hit.id : value;
}

/** "0987 654 321" -> "0987654321"; null when empty. */
function cleanPhone(value) {
  const v = value.replace(/[\s.()-]/g, "");
  return v || null;
}

/** The body to send (without upload_ids), and the fields wrong before sending. */
function readEntryForm(form) {
  const el = form.elements;
  const fields = {};
  const text = {
    channel: el.channel.value,
    "contact.name": el.contact_name.value.trim(),
    title: el.title.value.trim(),
    content: el.content.value.trim(),
    category_id: el.category_id.value,
    area_id: el.area_id.value,
    address: el.address.value.trim(),
    occurred_at: el.occurred_at.value,
  };
  for (const [k, v] of Object.entries(text)) if (!v) fields[k] = both("required");

  const phone = cleanPhone(el.contact_phone.value);
  if (phone && !/^(\+84|0)\d{9}$/.test(phone)) fields["contact.phone"] = both("st_phone_invalid");
  const email = el.contact_email.value.trim() || null;
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) fields["contact.email"] = both("st_email_invalid");

  const number = (input, range, rangeKey) => {
    const raw = input.value.trim();
    if (input.validity.badInput) {
      fields[input.name] = both("invalid_number");
      return null;
    }
    if (!raw) {
      fields[input.name] = both("required");
      return null;
    }
    const n = Number(raw);
    if (!Number.isFinite(n)) fields[input.name] = both("invalid_number");
    else if (Math.abs(n) > range) fields[input.name] = both(rangeKey);
    return n;
  };
  const lat = number(el.lat, 90, "lat_range");
  const lon = number(el.lon, 180, "lon_range");
  const occurred = datetimeLocalToIso(text.occurred_at);
  if (text.occurred_at && !occurred) fields.occurred_at = both("invalid_number");

  const contact = { name: text["contact.name"] };
  if (phone) contact.phone = phone;
  if (email) contact.email = email;
  const body = {
    channel: text.channel,
    contact,
    title: text.title,
    content: text.content,
    category_id: idFrom(state.entry.categories, text.category_id),
    location: { lat, lon, address: text.address, area_id: idFrom(state.entry.areas, text.area_id) },
    occurred_at: occurred,
  };
  return { body, fields };
}

async function onSubmitEntry(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearError();
  clearNotice();
  clearFieldErrors(form);
  const { body, fields } = readEntryForm(form);
  if (Object.keys(fields).length) {
    showError(new ApiError({ code: "validation", ...both("check_fields"), fields }), form);
    return;
  }
  const progress = $("entry-progress");
  const button = $("entry-submit");
  const restore = busy(button, "sending");
  try {
    const files = Array.from(form.elements.photos.files || []);
    body.upload_ids = await state.entry.uploads.uploadAll(api, files, (n, total) => {
      progress.textContent = t("uploading", { n, total });
    });
    progress.textContent = t("sending");
    // One key per submission: sending the same report again (a retry after a
    // lost answer, a double click) gets the first answer back, not a second report.
    const json = JSON.stringify(body);
    if (!state.entry.pending || state.entry.pending.json !== json) state.entry.pending = { key: uuid(), json };
    const created = await api.post("/v1/staff/reports", body, { "Idempotency-Key": state.entry.pending.key });
    state.entry.pending = null;
    state.entry.uploads.clear();
    state.entry.sent = created;
    showEntrySent();
  } catch (e) {
    showError(e, form);
  } finally {
    progress.textContent = "";
    restore();
  }
}

function showEntrySent() {
  $("entry-code").textContent = (state.entry.sent && state.entry.sent.code) || "";
  $("entry-form").hidden = true;
  const panel = $("entry-success");
  panel.hidden = false;
  panel.focus();
}

function onEntryAnother() {
  clearError();
  clearNotice();
  resetEntry();
  $("entry-success").hidden = true;
  $("entry-form").hidden = false;
  $("entry-occurred-at").value = nowForDatetimeLocal();
  $("entry-channel").focus();
}

// ---------------------------------------------------------------- start

/** After VI/EN: the shell has redone the header and messages; redraw the drawn parts. */
function onLanguage() {
  refreshBoundLabels();
  if (!$("view-tasks").hidden) {
    drawGroupOptions();
    drawStepOptions();
    drawLookupOptions();
    drawTasks();
  }
  if (!$("view-entry").hidden) drawEntryLookups();
  if (!$("view-task").hidden && state.current) {
    drawTaskHead();
    drawTaskReport();
    drawPosition();
    if (state.current.task.extended) drawExtend(); // the form itself keeps what was typed
    // The decision form is not redrawn, so what was typed stays: its labels
    // follow through data-i18n (applyI18n) and bindLabel.
  }
}

function start() {
  extendHeader();
  $("tasks-overdue-only").addEventListener("change", onOverdueToggle);
  $("tasks-filters").addEventListener("submit", onFilterSubmit);
  $("filter-clear").addEventListener("click", onFilterClear);
  // Another role lists another inbox, whose steps are others: the step is cleared.
  $("filter-group").addEventListener("change", () => applyFilters({ ...filtersFromForm(), step: undefined }));
  for (const id of ["filter-step", "filter-area", "filter-category"]) {
    $(id).addEventListener("change", () => applyFilters(filtersFromForm()));
  }
  $("entry-form").addEventListener("submit", onSubmitEntry);
  $("entry-another").addEventListener("click", onEntryAnother);
  $("tasks-refresh").addEventListener("click", () => {
    clearNotice();
    clearError();
    loadTasks(false);
  });
  $("tasks-more").addEventListener("click", () => loadTasks(true));
  window.addEventListener("hashchange", () => {
    showNotice(state.flash);
    state.flash = null;
    render();
  });
  // The shell renders once this module has finished: onSignedIn draws the route.
}

start();
