// The staff page of emergency alerts (staff/alerts.html), in the staff shell: the form that
// sends an alert, the alert just sent, and the history with how far each sending
// got, refreshed every few seconds while one is still sending; and cancelling.
import { ApiError, uuid } from "./api.js";
import { t, pick, both, formatDateTime } from "./i18n.js";
import {
  h,
  fill,
  showError,
  clearError,
  showNotice,
  clearNotice,
  busy,
  clearFieldErrors,
  bindLabel,
  refreshBoundLabels,
} from "./dom.js";
import { startStaffPage } from "./staff-shell.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const PAGE = 20;
const FOLLOW_MS = 3000; // while an alert is sending, its counts are asked this often
const HOURS_MAX = 168;
const ISSUERS = ["alert_issuer", "province_leader", "admin"];

const state = {
  items: [], // the history, newest first
  next: null,
  created: null, // the alert this page sent last
  areasLoaded: false,
  pending: null, // {form, body, key}: a submission whose answer never came
  seq: 0, // bumps on every history load; older answers are dropped
  timer: null,
};

// ---------------------------------------------------------------- page state

/** Signed in as someone who may send alerts (the shell checks the group). */
function show() {
  loadAreas();
  loadHistory(false);
}

// ---------------------------------------------------------------- the form

async function loadAreas() {
  if (state.areasLoaded) return;
  try {
    const data = await api.get("/v1/areas");
    const today = new Date().toISOString().slice(0, 10);
    const communes = ((data && data.items) || []).filter(
      (a) => a.parent_id && (!a.valid_to || a.valid_to > today),
    );
    fill($("alert-form-areas"), communes.map((a) => bindLabel(h("option", { value: a.id }), a, "name")));
    state.areasLoaded = true;
  } catch (e) {
    showError(e);
  }
}

function onScope() {
  const some = $("alert-form-scope-some").checked;
  $("alert-form-areas").disabled = !some;
}

function readForm(form) {
  const el = form.elements;
  const optional = (v) => (v.trim() ? v : undefined);
  return {
    title: el.title.value,
    body: el.body.value,
    title_en: optional(el.title_en.value),
    body_en: optional(el.body_en.value),
    severity: el.severity.value,
    areas: $("alert-form-scope-all").checked ? "all" : [...el.areas.selectedOptions].map((o) => o.value),
    hours: el.hours.value.trim(),
  };
}

async function onSubmit(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearError();
  clearFieldErrors(form);
  clearNotice();
  const values = readForm(form);
  const hours = Number(values.hours);
  if (!Number.isInteger(hours) || hours < 1 || hours > HOURS_MAX) {
    const fields = { expires_at: both("alert_hours_range") };
    showError(new ApiError({ code: "validation", ...both("check_fields"), fields }), form);
    return;
  }

  // A retry of a submission whose answer was lost sends the same body under the
  // same key, so the alert goes out once; any change makes a new submission.
  const formKey = JSON.stringify(values);
  if (!state.pending || state.pending.form !== formKey) {
    const { hours: _, ...fields } = values;
    const expires = new Date(Date.now() + hours * 3600 * 1000).toISOString();
    state.pending = { form: formKey, body: { ...fields, expires_at: expires }, key: uuid() };
  }
  const restore = busy($("alert-form-submit"), "alert_sending");
  try {
    const alert = await api.post("/v1/alerts", state.pending.body, { "Idempotency-Key": state.pending.key });
    state.pending = null;
    state.created = alert;
    form.reset();
    onScope();
    showNotice({ key: "alert_accepted" });
    drawCreated();
    loadHistory(false);
  } catch (e) {
    if (e.status && e.status < 500) state.pending = null; // refused: nothing was sent
    showError(e, form);
  } finally {
    restore();
  }
}

// ---------------------------------------------------------------- showing alerts

function expired(alert) {
  return Date.parse(alert.expires_at || "") <= Date.now();
}

function statusText(alert) {
  const label = t(`alert_status_${alert.status}`);
  return alert.status !== "cancelled" && expired(alert) ? `${label} · ${t("alert_status_expired")}` : label;
}

function areasText(alert) {
  if (alert.whole_province || !(alert.areas || []).length) return t("alert_whole_province");
  return alert.areas.map((a) => pick(a, "name")).join(", ");
}

const pair = (a, b) => `${a ?? 0} / ${b ?? 0}`;

function summary(alert) {
  return [
    h("span", { class: `sev-badge sev-${alert.severity}`, testid: "alert-row-severity" }, pick(alert, "severity_label")),
    " ",
    h("strong", { testid: "alert-row-title" }, pick(alert, "title")),
    h(
      "p",
      { class: "muted" },
      h("span", { testid: "alert-row-areas" }, areasText(alert)),
      " · ",
      t("alert_expires"),
      " ",
      h("time", { datetime: alert.expires_at, testid: "alert-row-expires" }, formatDateTime(alert.expires_at)),
    ),
  ];
}

function cancelButton(alert) {
  if (alert.status === "cancelled" || expired(alert)) return null;
  return h(
    "button",
    { type: "button", class: "secondary", testid: "alert-row-cancel", onclick: (ev) => onCancel(ev, alert) },
    t("alert_cancel"),
  );
}

function row(alert) {
  const sent = alert.sent || {};
  return h(
    "tr",
    { testid: "alert-row", dataset: { alertId: alert.id, status: alert.status } },
    h("td", { testid: "alert-row-created" }, h("time", { datetime: alert.created_at }, formatDateTime(alert.created_at))),
    h("td", {}, summary(alert)),
    h("td", { testid: "alert-row-status" }, statusText(alert)),
    h("td", { testid: "alert-row-devices" }, pair(sent.devices, sent.devices_failed)),
    h("td", { testid: "alert-row-phones" }, pair(sent.phones, sent.phones_failed)),
    h("td", { testid: "alert-row-batches" }, pair(sent.batches_done, sent.batches_total)),
    h("td", {}, cancelButton(alert)),
  );
}

function drawHistory() {
  fill($("alert-history"), state.items.map(row));
  $("alert-history-empty").hidden = state.items.length > 0;
  $("alert-history-more").hidden = !state.next;
}

function drawCreated() {
  const panel = $("alert-created");
  const alert = state.created && (state.items.find((a) => a.id === state.created.id) || state.created);
  panel.hidden = !alert;
  if (!alert) return;
  const sent = alert.sent || {};
  fill(
    document.getElementById("alert-created-body"),
    h("div", {}, summary(alert)),
    h("p", { testid: "alert-created-status", dataset: { status: alert.status } }, `${t("alert_col_status")}: ${statusText(alert)}`),
    h(
      "p",
      { class: "muted" },
      `${t("alert_col_devices")}: ${pair(sent.devices, sent.devices_failed)} · `,
      `${t("alert_col_phones")}: ${pair(sent.phones, sent.phones_failed)} · `,
      `${t("alert_col_batches")}: ${pair(sent.batches_done, sent.batches_total)}`,
    ),
  );
}

// ---------------------------------------------------------------- the history

function stopFollowing() {
  clearTimeout(state.timer);
  state.timer = null;
}

async function loadHistory(more) {
  stopFollowing();
  const seq = ++state.seq;
  const restore = more ? busy($("alert-history-more"), "loading") : null;
  try {
    // A refresh asks again for as many as are shown, so rows do not vanish.
    const limit = more ? PAGE : Math.min(100, Math.max(PAGE, state.items.length));
    const data = await api.get("/v1/alerts", { limit, cursor: more ? state.next : null });
    if (seq !== state.seq) return;
    const items = (data && data.items) || [];
    state.items = more ? state.items.concat(items) : items;
    state.next = (data && data.next_cursor) || null;
    drawHistory();
    drawCreated();
  } catch (e) {
    if (seq === state.seq) showError(e);
  } finally {
    if (restore) restore();
  }
  // Counts grow while batches finish: follow them until none is sending.
  if (seq === state.seq && shell.user() && state.items.some((a) => a.status === "sending")) {
    state.timer = setTimeout(() => loadHistory(false), FOLLOW_MS);
  }
}

async function onCancel(ev, alert) {
  if (!window.confirm(t("alert_cancel_confirm", { title: alert.title }))) return;
  clearError();
  clearNotice();
  const button = ev.currentTarget;
  const restore = busy(button);
  try {
    const done = await api.post(`/v1/alerts/${encodeURIComponent(alert.id)}/cancel`, {});
    if (state.created && state.created.id === done.id) state.created = done;
    showNotice({ key: "alert_cancelled", params: { title: alert.title } });
  } catch (e) {
    showError(e);
  } finally {
    if (button.isConnected) restore();
  }
  loadHistory(false);
}

// ---------------------------------------------------------------- sign-in / out

function onSignedOut() {
  stopFollowing();
  state.items = [];
  state.next = null;
  state.created = null;
  state.pending = null;
}

// ---------------------------------------------------------------- start

function onLanguage() {
  refreshBoundLabels();
  drawHistory();
  drawCreated();
}

const shell = startStaffPage({
  page: "alerts",
  view: "view-alerts",
  roles: ISSUERS,
  forbiddenKey: "alert_forbidden",
  onSignedIn: show,
  onSignedOut,
  onLanguage,
});
const { api } = shell;

$("alert-form").addEventListener("submit", onSubmit);
for (const radio of document.querySelectorAll('input[name="scope"]')) radio.addEventListener("change", onScope);
$("alert-history-refresh").addEventListener("click", () => {
  clearError();
  loadHistory(false);
});
$("alert-history-more").addEventListener("click", () => loadHistory(true));
