// The staff panel (staff/index.html): sign-in, task list (all, or only the
// overdue ones), one task with its report, where the report stands in its
// workflow, the decision forms drawn from allowed_decisions and the leader's
// deadline extension; and the reception desk's entry of a report received by
// phone, paper or email.
import { Api, ApiError, Session, UploadCache, uuid, loadConfig } from "./api.js";
import {
  t,
  getLang,
  pick,
  both,
  initLangToggle,
  onLangChange,
  formatDateTime,
  nowForDatetimeLocal,
  datetimeLocalToIso,
} from "./i18n.js";
import {
  h,
  showError,
  clearError,
  refreshError,
  showNotice,
  clearNotice,
  refreshNotice,
  busy,
  focusHeading,
  clearFieldErrors,
  bindLabel,
  unbindLabel,
  fill,
  refreshBoundLabels,
} from "./dom.js";
import { renderReport } from "./report-view.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

// ---------------------------------------------------------------- labels of this page

// Labels of the parts added to the panel (overdue list, extension, workflow
// position, contact, reception entry), Vietnamese first, English second. Static
// markup marks them with data-sx="key"; scripts call sx().
const SX = {
  vi: {
    overdue_only: "Chỉ việc quá hạn",
    overdue_note: "Chỉ hiện việc đã quá hạn, việc quá hạn lâu nhất ở trên cùng.",
    empty_overdue: "Không có việc nào quá hạn.",
    extended: "Đã gia hạn",

    extend_title: "Gia hạn",
    extend_intro: "Lãnh đạo đơn vị gia hạn mỗi công việc một lần, tính bằng ngày làm việc kể từ hạn hiện tại.",
    extend_days: "Số ngày làm việc",
    extend_days_hint: "Từ 1 đến 30 ngày làm việc.",
    extend_reason: "Lý do gia hạn",
    extend_submit: "Gia hạn",
    extend_days_range: "Số ngày gia hạn là số nguyên từ 1 đến 30.",
    extend_saved: "Đã gia hạn công việc của phản ánh {code} đến {due}.",
    extend_done: "Công việc này đã được gia hạn một lần. Hạn xử lý mới:",

    position_title: "Vị trí trong quy trình",
    position_empty: "Chưa có bước xử lý nào.",
    pos_holder: "Đang giữ",
    pos_since: "Từ",
    pos_due: "Hạn",
    pos_decided: "Kết quả",
    pos_was_overdue: "Đã quá hạn",
    unit_reception: "Bộ phận tiếp nhận",
    group_reception: "Bộ phận tiếp nhận",
    group_officer: "Chuyên viên",
    group_agency_leader: "Lãnh đạo đơn vị",
    group_citizen: "Công dân",
    dec_route: "Chuyển đơn vị xử lý",
    dec_reject: "Từ chối tiếp nhận",
    dec_merge: "Gộp vào phản ánh trước",
    dec_assign: "Phân công",
    dec_resolve: "Báo cáo kết quả",
    dec_transfer: "Chuyển đơn vị khác",
    dec_request_info: "Yêu cầu bổ sung thông tin",
    dec_approve: "Phê duyệt",
    dec_return: "Trả lại xử lý lại",
    dec_answer: "Công dân đã bổ sung thông tin",
    dec_none: "Đã xong",

    contact_title: "Phản ánh nhập thay người dân",
    channel: "Kênh tiếp nhận",
    channel_phone: "Điện thoại",
    channel_paper: "Văn bản giấy",
    channel_email: "Email",
    channel_in_person: "Trực tiếp",
    contact_name: "Họ tên người gửi",
    contact_phone: "Số điện thoại người gửi",
    contact_phone_hint: "Không bắt buộc. Tin nhắn về phản ánh gửi đến số này. Ví dụ: 0901234567",
    contact_email: "Email người gửi",
    optional: "Không bắt buộc.",
    phone_invalid: "Số điện thoại không hợp lệ (ví dụ 0901234567 hoặc +84901234567).",
    email_invalid: "Email không hợp lệ.",

    nav_entry: "Nhập phản ánh",
    entry_title: "Nhập phản ánh tiếp nhận qua điện thoại, văn bản, email",
    entry_intro: "Ghi lại phản ánh người dân gửi đến bộ phận tiếp nhận. Phản ánh được xử lý như phản ánh gửi qua trang công dân; tin nhắn về phản ánh được gửi đến số điện thoại của người gửi.",
    entry_sender: "Người gửi và kênh tiếp nhận",
    entry_report: "Nội dung phản ánh",
    entry_photos_hint: "Không bắt buộc. Ảnh hoặc bản chụp văn bản người gửi cung cấp.",
    entry_submit: "Ghi nhận phản ánh",
    entry_done: "Đã ghi nhận phản ánh.",
    entry_code_label: "Mã phản ánh:",
    entry_code_hint: "Hãy đọc hoặc gửi mã này cho người phản ánh để tra cứu.",
    entry_another: "Nhập phản ánh khác",
    back_to_tasks: "Về danh sách công việc",
    reception_only: "Chỉ bộ phận tiếp nhận được nhập phản ánh.",
  },
  en: {
    overdue_only: "Overdue only",
    overdue_note: "Showing only overdue tasks, the most overdue first.",
    empty_overdue: "No overdue tasks.",
    extended: "Extended",

    extend_title: "Extend the deadline",
    extend_intro: "The unit's leader may extend each task once, by working days from its current deadline.",
    extend_days: "Working days",
    extend_days_hint: "1 to 30 working days.",
    extend_reason: "Reason",
    extend_submit: "Extend",
    extend_days_range: "The number of days is a whole number from 1 to 30.",
    extend_saved: "The task of report {code} is now due {due}.",
    extend_done: "This deadline has been extended once. New deadline:",

    position_title: "Where it is in the workflow",
    position_empty: "No steps yet.",
    pos_holder: "Held by",
    pos_since: "Since",
    pos_due: "Due",
    pos_decided: "Outcome",
    pos_was_overdue: "Was overdue",
    unit_reception: "Reception desk",
    group_reception: "Reception desk",
    group_officer: "Officer",
    group_agency_leader: "Unit leader",
    group_citizen: "The citizen",
    dec_route: "Routed to an agency",
    dec_reject: "Rejected",
    dec_merge: "Merged into an earlier report",
    dec_assign: "Assigned",
    dec_resolve: "Result recorded",
    dec_transfer: "Transferred",
    dec_request_info: "More information requested",
    dec_approve: "Approved",
    dec_return: "Returned for rework",
    dec_answer: "The citizen answered",
    dec_none: "Done",

    contact_title: "Report entered for a citizen",
    channel: "Received by",
    channel_phone: "Phone",
    channel_paper: "Paper letter",
    channel_email: "Email",
    channel_in_person: "In person",
    contact_name: "Sender's name",
    contact_phone: "Sender's phone",
    contact_phone_hint: "Optional. Text messages about the report go to this number. E.g. 0901234567",
    contact_email: "Sender's email",
    optional: "Optional.",
    phone_invalid: "Invalid phone number (e.g. 0901234567 or +84901234567).",
    email_invalid: "Invalid email address.",

    nav_entry: "Enter a report",
    entry_title: "Enter a report received by phone, paper or email",
    entry_intro: "Record a report a citizen brought to the reception desk. It is handled like a report sent on the citizens' site; text messages about it go to the sender's phone.",
    entry_sender: "Sender and channel",
    entry_report: "The report",
    entry_photos_hint: "Optional. Photos or scans the sender provided.",
    entry_submit: "Record the report",
    entry_done: "The report has been recorded.",
    entry_code_label: "Report code:",
    entry_code_hint: "Read or send this code to the sender so they can look the report up.",
    entry_another: "Enter another report",
    back_to_tasks: "Back to the task list",
    reception_only: "Only the reception desk can enter reports.",
  },
};

function fillParams(s, params) {
  let out = s;
  for (const [k, v] of Object.entries(params)) out = out.split(`{${k}}`).join(String(v));
  return out;
}

/** A label of this page in the current language. */
function sx(key, params = {}) {
  const table = SX[getLang()] || SX.vi;
  return fillParams(table[key] ?? SX.vi[key] ?? key, params);
}

/** Both language versions, shaped like an API error: {message, message_en}. */
function sxBoth(key, params = {}) {
  return { message: fillParams(SX.vi[key], params), message_en: fillParams(SX.en[key], params) };
}

/** Fill every data-sx marked element under root. */
function applySx(root = document) {
  const els = root.matches && root.matches("[data-sx]") ? [root] : [];
  for (const el of [...els, ...root.querySelectorAll("[data-sx]")]) el.textContent = sx(el.dataset.sx);
}

/** A notice in this page's labels, re-translated on a language switch. */
function sxNotice(key, params = {}) {
  const text = sx(key, params);
  state.notice = { key, params, text };
  showNotice(text);
}

function refreshSxNotice() {
  const n = state.notice;
  if (!n) return;
  const box = $("notice");
  if (box.hidden || box.textContent !== n.text) {
    state.notice = null; // replaced or cleared since
    return;
  }
  n.text = sx(n.key, n.params);
  showNotice(n.text);
}

function userGroups() {
  const user = session.user;
  return (user && Array.isArray(user.groups) && user.groups) || [];
}

const isLeader = () => userGroups().includes("agency_leader");
const isReception = () => userGroups().includes("reception");
const ALERT_ISSUERS = ["alert_issuer", "province_leader", "admin"]; // staff/alerts.html
const STATS_READERS = ["reception", "agency_leader", "province_leader", "admin"]; // staff/stats.html

const session = new Session("pakn.staff.session");
const api = new Api(session, {
  onUnauthorized: () => {
    updateHeader();
    clearNotice();
    showError(new ApiError(both("session_expired")));
    render({ keepMessages: true });
  },
});

const VIEWS = ["view-signin", "view-tasks", "view-task", "view-entry"];
const PAGE = 50;

const state = {
  renderSeq: 0,
  route: null,
  tasks: { items: [], next: null },
  steps: null, // [{step, label, label_en}]: the steps where the caller acts
  listHash: "#/", // the list with its filters, to come back to from a task
  map: null, // the Leaflet map of the open report
  overdueOnly: false, // the task list shows only overdue tasks
  listSeq: 0, // bumps on every fresh list load; late answers of older ones are dropped
  current: null, // {task, report}
  flash: null,
  notice: null, // {key, params, text} of a notice in this page's labels
  uploads: new UploadCache(),
  units: null, // unit id -> {name, name_en}, from /v1/agencies
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
const FILTERS = ["step", "area", "category", "q", "code"];

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

  if (!session.get()) {
    showViews("view-signin");
    focusHeading(document.getElementById("view-signin"));
    return;
  }
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

function updateHeader() {
  const user = session.user;
  $("user-box").hidden = !user;
  $("user-name").textContent = user ? t("signed_in_as", { name: user.name || user.sub || "" }) : "";
  // The unit's workflow (staff/workflow.html), whose labels live in workflow.js.
  $("nav-workflow").hidden = !user;
  $("nav-workflow").textContent = getLang() === "en" ? "Workflow" : "Quy trình xử lý";
  $("nav-entry").hidden = !user || !isReception();
  $("nav-alerts").hidden = !user || !userGroups().some((g) => ALERT_ISSUERS.includes(g));
  $("nav-stats").hidden = !user || !userGroups().some((g) => STATS_READERS.includes(g));
}

function markNav(name) {
  const entry = $("nav-entry");
  if (name === "enter") entry.setAttribute("aria-current", "page");
  else entry.removeAttribute("aria-current");
}

// ---------------------------------------------------------------- sign-in / out

async function onSignIn(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearError();
  clearNotice();
  const username = form.elements.username.value.trim();
  const password = form.elements.password.value;
  const fields = {};
  if (!username) fields.username = both("required");
  if (!password) fields.password = both("required");
  if (Object.keys(fields).length) {
    showError(new ApiError({ code: "validation", ...both("check_fields"), fields }), form);
    return;
  }
  const restore = busy($("signin-submit"), "signing_in");
  try {
    await api.signIn(username, password);
    form.reset();
    updateHeader();
    render({ keepMessages: true });
    showNotice({ key: "signed_in" });
  } catch (e) {
    showError(e, form);
  } finally {
    restore();
  }
}

async function onSignOut() {
  clearError();
  try {
    await api.signOut();
  } catch {
    /* the local session is gone either way */
  }
  state.tasks = { items: [], next: null };
  state.current = null;
  state.uploads.clear();
  resetEntry();
  updateHeader();
  navigate("#/", { key: "signed_out" });
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

function overdueBadge(testid) {
  return h("span", { class: "badge badge-overdue", testid }, t("overdue"));
}

function extendedBadge(testid) {
  return h("span", { class: "badge badge-extended", testid }, sx("extended"));
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
  const filtered = FILTERS.some((k) => currentFilters()[k]);
  empty.textContent = filtered ? t("tl_empty_filtered") : state.overdueOnly ? sx("empty_overdue") : t("empty_tasks");
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
  $("tasks-filters").reset();
  applyFilters({ overdue: false });
  $("filter-step").focus();
}

/** The form shows the filters of the hash. */
function drawFilterForm() {
  const filters = currentFilters();
  const form = $("tasks-filters");
  for (const key of FILTERS) {
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
    const [report] = await Promise.all([api.get(`/v1/reports/${encodeURIComponent(task.report_id)}`), loadUnits()]);
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
  const { report } = state.current;
  const article = renderReport(report, { headingLevel: 2 });
  const contact = contactSection(report);
  const map = mapSection(report);
  const facts = article.querySelector("dl.facts");
  for (const part of [map, contact]) {
    if (!part) continue;
    if (facts) facts.after(part);
    else article.prepend(part);
  }
  document.getElementById("task-report").replaceChildren(article);
  if (map) drawMap(map.querySelector(".report-map"), report);
}

// ---------------------------------------------------------------- read-only map of the report's place

/** A section for the map, or null without Leaflet or a position (the coordinates
 * and the OpenStreetMap link of the report view remain). */
function mapSection(report) {
  const loc = report.location || {};
  const known = (v) => v !== null && v !== undefined && v !== "" && Number.isFinite(Number(v));
  if (!window.L || !known(loc.lat) || !known(loc.lon)) return null;
  return h(
    "section",
    { class: "report-place", "aria-labelledby": "tl-map-h" },
    h("h3", { id: "tl-map-h" }, t("tl_map_title")),
    h("div", { class: "report-map", testid: "detail-map", role: "region", "aria-label": t("tl_map_label") }),
    h("p", { class: "hint" }, t("tl_map_hint")),
  );
}

async function drawMap(container, report) {
  if (state.map) state.map.remove();
  const L = window.L;
  const at = [Number(report.location.lat), Number(report.location.lon)];
  // Read-only: a marker that does not move; the map pans and zooms by mouse or keys.
  const map = L.map(container, { keyboard: true, scrollWheelZoom: false }).setView(at, 16);
  L.marker(at, { draggable: false, keyboard: false, alt: t("tl_map_marker", { code: report.code || "" }) }).addTo(map);
  state.map = map;
  let tiles = null;
  try {
    const cfg = await loadConfig();
    tiles = typeof cfg.map_tiles === "string" ? cfg.map_tiles : "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  } catch {
    tiles = null; // the page shows the config error itself
  }
  if (tiles && state.map === map) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>' }).addTo(map);
  }
}

// ---------------------------------------------------------------- contact of a report entered for someone

// The channels of the reception desk; a report sent on the citizens' site says "web".
const DESK_CHANNELS = ["phone", "paper", "email", "in_person"];

function channelLabel(channel) {
  return DESK_CHANNELS.includes(channel) ? sx(`channel_${channel}`) : String(channel);
}

// TODO: a report sent on the citizens' site shows no contact: the staff view of the
// API (services/reports.shape) gives only the contact of a report entered by the desk.
/** Channel and contact of a report entered for someone; null for the others. */
function contactSection(report) {
  const c = report.contact && typeof report.contact === "object" ? report.contact : null;
  if (!c && !DESK_CHANNELS.includes(report.channel)) return null;
  const dtdd = (labelKey, value) => [h("dt", {}, sx(labelKey)), h("dd", {}, value)];
  return h(
    "section",
    { class: "report-contact", testid: "report-contact", "aria-labelledby": "contact-h" },
    h("h3", { id: "contact-h" }, sx("contact_title")),
    h(
      "dl",
      { class: "facts" },
      report.channel ? dtdd("channel", h("span", { testid: "contact-channel", dataset: { channel: report.channel } }, channelLabel(report.channel))) : null,
      c && c.name ? dtdd("contact_name", h("span", { testid: "contact-name" }, c.name)) : null,
      c && c.phone ? dtdd("contact_phone", h("a", { href: `tel:${c.phone}`, testid: "contact-phone" }, c.phone)) : null,
      c && c.email ? dtdd("contact_email", h("a", { href: `mailto:${c.email}`, testid: "contact-email" }, c.email)) : null,
    ),
  );
}

// ---------------------------------------------------------------- workflow position

/** Unit names (reception and the agencies), once per page; a failure only costs names. */
async function loadUnits() {
  if (state.units) return;
  try {
    const data = await api.get("/v1/agencies");
    const units = {};
    for (const a of (data && data.items) || []) units[a.id] = a;
    state.units = units;
  } catch (e) {
    console.warn(e);
  }
}

function unitName(unitId) {
  if (unitId === "reception") return sx("unit_reception");
  const unit = state.units && state.units[unitId];
  return (unit && pick(unit, "name")) || unitId || "";
}

function groupName(group) {
  return SX.vi[`group_${group}`] ? sx(`group_${group}`) : group || "";
}

function decisionName(decision) {
  if (!decision) return sx("dec_none");
  return SX.vi[`dec_${decision}`] ? sx(`dec_${decision}`) : decision;
}

function timeOrDash(iso, testid) {
  return iso ? h("time", { datetime: iso, testid }, formatDateTime(iso)) : h("span", { testid }, "—");
}

function positionStep(step) {
  const current = step.state === "current";
  const head = h(
    "div",
    { class: "pos-head" },
    h("strong", { testid: "position-label" }, pick(step, "label") || step.step || ""),
    h("span", { class: "pos-unit", testid: "position-unit" }, unitName(step.unit_id)),
  );
  let body;
  if (current) {
    const holder = step.holder ? `${step.holder} (${groupName(step.group)})` : groupName(step.group);
    const late = step.overdue || (step.due_at && Date.parse(step.due_at) < Date.now());
    body = h(
      "dl",
      { class: "pos-current", testid: "position-current" },
      h("dt", {}, sx("pos_holder")),
      h("dd", { testid: "position-holder" }, holder),
      h("dt", {}, sx("pos_since")),
      h("dd", {}, timeOrDash(step.since, "position-since")),
      h("dt", {}, sx("pos_due")),
      h(
        "dd",
        {},
        timeOrDash(step.due_at, "position-due"),
        late ? [" ", overdueBadge("position-overdue")] : null,
        step.extended ? [" ", extendedBadge("position-extended")] : null,
      ),
    );
  } else {
    body = h(
      "p",
      { class: "pos-done" },
      h("span", { testid: "position-decision", dataset: { decision: step.decision || "" } }, decisionName(step.decision)),
      " · ",
      timeOrDash(step.decided_at, "position-decided-at"),
      step.holder ? [" · ", step.holder] : null,
      step.overdue ? [" ", h("span", { class: "badge warn" }, sx("pos_was_overdue"))] : null,
      step.extended ? [" ", extendedBadge(null)] : null,
    );
  }
  return h(
    "li",
    {
      class: current ? "pos-step pos-step-current" : "pos-step pos-step-done",
      testid: "position-step",
      "aria-current": current ? "step" : null,
      dataset: { state: step.state || "", step: step.step || "" },
    },
    head,
    body,
  );
}

function drawPosition() {
  const box = document.getElementById("task-position");
  const steps = state.current && state.current.report && state.current.report.workflow;
  if (!Array.isArray(steps)) {
    box.replaceChildren();
    return;
  }
  box.replaceChildren(
    h(
      "section",
      { class: "panel position", "aria-labelledby": "position-h" },
      h("h2", { id: "position-h" }, sx("position_title")),
      steps.length
        ? h("ol", { class: "position-list", testid: "workflow-position" }, steps.map(positionStep))
        : h("p", { class: "muted" }, sx("position_empty")),
    ),
  );
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
    h("h2", { id: "extend-h" }, sx("extend_title")),
    h(
      "p",
      { testid: "extend-done" },
      sx("extend_done"),
      " ",
      h("strong", {}, timeOrDash(task.due_at, "extend-new-due")),
      " ",
      extendedBadge(null),
    ),
  );
}

function sxLabel(key, id, required) {
  return h(
    "label",
    { for: id },
    h("span", { "data-sx": key }, sx(key)),
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
    h("h2", { id: "extend-h", "data-sx": "extend_title" }, sx("extend_title")),
    h("p", { class: "muted", "data-sx": "extend_intro" }, sx("extend_intro")),
    h(
      "div",
      { class: "field" },
      sxLabel("extend_days", "ext-days", true),
      days,
      h("p", { class: "hint", id: "ext-days-hint", "data-sx": "extend_days_hint" }, sx("extend_days_hint")),
      h("p", { class: "field-error", id: "ext-days-error", "data-field-error": "days", testid: "extend-error-days", hidden: true }),
    ),
    h(
      "div",
      { class: "field" },
      sxLabel("extend_reason", "ext-reason", true),
      reason,
      h("p", { class: "field-error", id: "ext-reason-error", "data-field-error": "reason", testid: "extend-error-reason", hidden: true }),
    ),
    h("button", { type: "submit", class: "secondary", testid: "extend-submit", "data-sx": "extend_submit" }, sx("extend_submit")),
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
  else if (!Number.isInteger(days) || days < 1 || days > EXTEND_MAX_DAYS) fields.days = sxBoth("extend_days_range");
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
    sxNotice("extend_saved", { code: merged.report_code || "", due: formatDateTime(merged.due_at) });
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
    applySx(button);
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
    showError(new ApiError({ status: 403, code: "forbidden", ...sxBoth("reception_only") }));
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
  if (phone && !/^(\+84|0)\d{9}$/.test(phone)) fields["contact.phone"] = sxBoth("phone_invalid");
  const email = el.contact_email.value.trim() || null;
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) fields["contact.email"] = sxBoth("email_invalid");

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
    applySx(button);
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

function onLanguage() {
  updateHeader();
  refreshError();
  refreshNotice();
  refreshBoundLabels();
  applySx(document);
  refreshSxNotice();
  if (!$("view-tasks").hidden) {
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
  initLangToggle(document);
  applySx(document);
  onLangChange(onLanguage);
  $("tasks-overdue-only").addEventListener("change", onOverdueToggle);
  $("tasks-filters").addEventListener("submit", onFilterSubmit);
  $("filter-clear").addEventListener("click", onFilterClear);
  for (const id of ["filter-step", "filter-area", "filter-category"]) {
    $(id).addEventListener("change", () => applyFilters(filtersFromForm()));
  }
  $("entry-form").addEventListener("submit", onSubmitEntry);
  $("entry-another").addEventListener("click", onEntryAnother);
  $("signin-form").addEventListener("submit", onSignIn);
  $("signout").addEventListener("click", onSignOut);
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
  updateHeader();
  render();
}

start();
