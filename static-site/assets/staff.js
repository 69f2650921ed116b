// The staff panel (staff/index.html): sign-in, task list, one task with its
// report and the decision forms drawn from allowed_decisions.
import { Api, ApiError, Session, UploadCache } from "./api.js";
import { t, getLang, pick, both, initLangToggle, onLangChange, formatDateTime } from "./i18n.js";
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

const session = new Session("pakn.staff.session");
const api = new Api(session, {
  onUnauthorized: () => {
    updateHeader();
    clearNotice();
    showError(new ApiError(both("session_expired")));
    render({ keepMessages: true });
  },
});

const VIEWS = ["view-signin", "view-tasks", "view-task"];
const PAGE = 50;

const state = {
  renderSeq: 0,
  route: null,
  tasks: { items: [], next: null },
  current: null, // {task, report}
  flash: null,
  uploads: new UploadCache(),
};

// ---------------------------------------------------------------- routing

function parseRoute() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const m = /^\/task\/([^/?#]+)$/.exec(hash);
  if (m) return { name: "task", id: decodeURIComponent(m[1]) };
  return { name: "tasks" };
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
  if (route.name === "task") {
    showViews("view-task");
    openTask(route.id);
  } else {
    showViews("view-tasks");
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
  updateHeader();
  navigate("#/", { key: "signed_out" });
}

// ---------------------------------------------------------------- task list

async function loadTasks(more) {
  const seq = state.renderSeq;
  const restore = more ? busy($("tasks-more"), "loading") : null;
  if (!more) setLoading(true);
  try {
    const data = await api.get("/v1/staff/tasks", { limit: PAGE, cursor: more ? state.tasks.next : null });
    if (!more && seq !== state.renderSeq) return;
    const items = (data && data.items) || [];
    state.tasks.items = more ? state.tasks.items.concat(items) : items;
    state.tasks.next = (data && data.next_cursor) || null;
    drawTasks();
  } catch (e) {
    if (more || seq === state.renderSeq) showError(e);
  } finally {
    if (restore) restore();
    if (seq === state.renderSeq) setLoading(false);
  }
}

function timeCell(iso, testid) {
  return h("td", { testid }, iso ? h("time", { datetime: iso }, formatDateTime(iso)) : "—");
}

function isOverdue(task) {
  const due = Date.parse(task.due_at || "");
  return Number.isFinite(due) && due < Date.now();
}

function drawTasks() {
  const tbody = $("task-list");
  tbody.replaceChildren(
    ...state.tasks.items.map((task) => {
      const href = `#/task/${encodeURIComponent(task.id)}`;
      const overdue = isOverdue(task);
      const row = h(
        "tr",
        { testid: "task-row", class: overdue ? "overdue" : null, dataset: { taskId: task.id, reportCode: task.report_code || "" } },
        h("td", { testid: "task-code" }, h("a", { href, testid: "task-open" }, task.report_code || task.id)),
        h("td", { testid: "task-title" }, task.report_title || ""),
        h("td", { testid: "task-step" }, pick(task, "step_label") || task.step || ""),
        timeCell(task.created_at, "task-created"),
        h(
          "td",
          { testid: "task-due" },
          task.due_at ? h("time", { datetime: task.due_at }, formatDateTime(task.due_at)) : "—",
          overdue ? [" ", h("span", { class: "badge warn", testid: "task-overdue" }, t("overdue"))] : null,
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
  $("tasks-empty").hidden = state.tasks.items.length > 0;
  $("tasks-more").hidden = !state.tasks.next;
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
    const report = await api.get(`/v1/reports/${encodeURIComponent(task.report_id)}`);
    if (seq !== state.renderSeq) return;
    state.current = { task, report };
    state.uploads.clear();
    drawTaskHead();
    drawTaskReport();
    document.getElementById("task-decision").replaceChildren(decisionForm(task));
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
    isOverdue(task) ? [" ", h("span", { class: "badge warn" }, t("overdue"))] : null,
  );
}

function drawTaskReport() {
  document.getElementById("task-report").replaceChildren(renderReport(state.current.report, { headingLevel: 2 }));
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
    navigate("#/", { key: "decision_saved", params: { code: task.report_code || "" } });
  } catch (e) {
    if (e.status === 409 && !e.message_vi && !e.message_en) Object.assign(e, { message_vi: both("err_conflict").message, message_en: both("err_conflict").message_en });
    showError(e, form);
  } finally {
    progress.textContent = "";
    restore();
  }
}

// ---------------------------------------------------------------- start

function onLanguage() {
  updateHeader();
  refreshError();
  refreshNotice();
  refreshBoundLabels();
  if (!$("view-tasks").hidden) drawTasks();
  if (!$("view-task").hidden && state.current) {
    drawTaskHead();
    drawTaskReport();
    // The decision form is not redrawn, so what was typed stays: its labels
    // follow through data-i18n (applyI18n) and bindLabel.
  }
}

function start() {
  initLangToggle(document);
  onLangChange(onLanguage);
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
