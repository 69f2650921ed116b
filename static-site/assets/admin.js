// The staff panel's administration page (staff/admin.html), in the staff shell:
// staff accounts (list by unit, create, change, disable, enable, reset the password), the
// reference data (categories, areas, agencies: list, edit, add) and the year's
// working-day calendar (extra days off, make-up working days). Every check that
// matters is the API's: its Vietnamese (or English) messages are shown as they come.
import { ApiError } from "./api.js";
import { t, pick, both } from "./i18n.js";
import { h, fill, showError, clearError, showNotice, clearNotice, busy, clearFieldErrors, fieldRow } from "./dom.js";
import { startStaffPage } from "./staff-shell.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const GROUPS = ["reception", "officer", "agency_leader", "province_leader", "admin", "editor", "alert_issuer"];
const DESKS = ["reception", "province", "admin"]; // units that are not agencies
const KINDS = { category: "categories", area: "areas", agency: "agencies" }; // API paths
const PAGE = 20;
const TABS = ["staff", "ref", "calendar"];

const state = {
  refs: null, // {category, area, agency}: lists as GET /v1/<kind> answers them
  staff: { unit: "", items: [], next: null, seq: 0 },
  editing: null, // the staff account in the change form (as listed), or null
  temp: null, // {username, password}: the temporary password shown once
  ref: { kind: "category", editing: null }, // editing: the id of the item in the form, or null for a new one
  cal: null, // {year, holidays, days_off, working_days, dirty}
  calSeq: 0,
};

// ---------------------------------------------------------------- helpers

function unitName(id) {
  if (DESKS.includes(id)) return t(`adm_unit_${id}`);
  const agency = state.refs && state.refs.agency.find((a) => a.id === id);
  return agency ? pick(agency, "name") : id;
}

function units() {
  return [...DESKS, ...((state.refs && state.refs.agency) || []).map((a) => a.id)];
}

function unitOptions(select, selected) {
  fill(
    select,
    units().map((id) => h("option", { value: id, selected: id === selected || null }, unitName(id))),
  );
}

function groupsText(groups) {
  return (groups || []).map((g) => (GROUPS.includes(g) ? t(`adm_group_${g}`) : g)).join(", ");
}

/** "yyyy-mm-dd" -> "dd/mm/yyyy". */
function day(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso || "";
}

function vnYear() {
  return new Date(Date.now() + 7 * 3600 * 1000).getUTCFullYear();
}

async function loadRefs() {
  const [category, area, agency] = await Promise.all([
    api.get("/v1/categories"),
    api.get("/v1/areas"),
    api.get("/v1/agencies"),
  ]);
  const items = (d) => (d && d.items) || [];
  state.refs = { category: items(category), area: items(area), agency: items(agency) };
}

// ---------------------------------------------------------------- tabs

function selectTab(name, focus = false) {
  for (const tab of TABS) {
    const button = document.getElementById(`adm-tab-${tab}`);
    const on = tab === name;
    button.setAttribute("aria-selected", String(on));
    button.tabIndex = on ? 0 : -1;
    document.getElementById(`adm-panel-${tab}`).hidden = !on;
    if (on && focus) button.focus();
  }
  if (name === "calendar" && !state.cal) loadCalendar(vnYear());
}

function onTabKey(ev) {
  const index = TABS.indexOf(ev.currentTarget.id.replace("adm-tab-", ""));
  const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
  if (!(ev.key in moves)) return;
  ev.preventDefault();
  selectTab(TABS[(moves[ev.key] + TABS.length) % TABS.length], true);
}

// ---------------------------------------------------------------- start, once signed in

async function show() {
  const tabs = document.querySelector(".adm-tabs");
  try {
    await loadRefs();
    // The first staff list doubles as the check that the caller is an administrator:
    // anyone else gets the API's refusal, and nothing of the page.
    state.staff.unit = state.staff.unit || "reception";
    await loadStaff(false, true);
  } catch (e) {
    tabs.hidden = true;
    for (const tab of TABS) document.getElementById(`adm-panel-${tab}`).hidden = true;
    showError(e);
    return;
  }
  tabs.hidden = false;
  drawUnitSelects();
  drawGroupChoices();
  drawRefs();
  selectTab(TABS.find((tab) => document.getElementById(`adm-tab-${tab}`).getAttribute("aria-selected") === "true"));
}

function onSignedOut() {
  state.refs = null;
  state.staff = { unit: "", items: [], next: null, seq: state.staff.seq + 1 };
  state.temp = null;
  state.editing = null;
  drawEdit();
  state.cal = null;
  state.calSeq += 1;
  state.ref.editing = null;
  drawTemp();
}

// ---------------------------------------------------------------- staff accounts

function drawUnitSelects() {
  unitOptions($("adm-staff-unit"), state.staff.unit);
  const form = $("adm-staff-form");
  unitOptions(form.elements.agency_id, form.elements.agency_id.value || state.staff.unit);
}

function checkedGroups(box) {
  return new Set([...box.querySelectorAll("input:checked")].map((i) => i.value));
}

/** One checkbox a group, in the create and the change form alike. */
function groupChoices(box, checked, testid) {
  fill(
    box,
    GROUPS.map((g) =>
      h(
        "label",
        { class: "choice" },
        h("input", { type: "checkbox", name: "groups", value: g, testid, checked: checked.has(g) || null }),
        h("span", {}, t(`adm_group_${g}`)),
      ),
    ),
  );
}

function drawGroupChoices() {
  const box = document.getElementById("adm-new-groups");
  groupChoices(box, checkedGroups(box), "adm-new-group");
}

/** What the create and the change form share: name, phone, unit, groups. */
function staffFields(form) {
  return {
    name: form.elements.name.value.trim(),
    phone: form.elements.phone.value.trim(),
    agency_id: form.elements.agency_id.value,
    groups: [...checkedGroups(form)],
  };
}

/** A page of the unit's staff; throws (for show()) when asked to. */
async function loadStaff(more, rethrow = false) {
  const seq = ++state.staff.seq;
  const unit = state.staff.unit;
  const restore = more ? busy($("adm-staff-more"), "loading") : null;
  try {
    const data = await api.get("/v1/admin/staff", {
      agency_id: unit,
      limit: PAGE,
      cursor: more ? state.staff.next : undefined,
    });
    if (seq !== state.staff.seq) return;
    state.staff.items = more ? [...state.staff.items, ...data.items] : data.items;
    state.staff.next = data.next_cursor || null;
    drawStaff();
  } catch (e) {
    if (rethrow) throw e;
    if (seq === state.staff.seq) showError(e);
  } finally {
    if (restore) restore();
  }
}

function drawStaff() {
  const { items, next } = state.staff;
  fill(
    $("adm-staff-list"),
    items.map((u) => {
      const active = u.status !== "disabled";
      return h(
        "tr",
        { testid: "adm-staff-row", "data-username": u.username, "data-sub": u.sub, "data-status": u.status },
        h("td", { testid: "adm-staff-name" }, u.name || ""),
        h("td", { testid: "adm-staff-username" }, h("code", {}, u.username)),
        h("td", { testid: "adm-staff-groups" }, groupsText(u.groups)),
        h("td", { testid: "adm-staff-status" }, h("span", { class: `badge ${active ? "" : "warn"}` }, t(`adm_status_${active ? "active" : "disabled"}`))),
        h(
          "td",
          { class: "adm-row-actions" },
          h("button", { type: "button", class: "secondary", testid: "adm-staff-edit", "aria-label": t("adm_edit_button_label", { name: u.name }), "aria-expanded": String(!!state.editing && state.editing.sub === u.sub), "aria-controls": "adm-edit-form", onclick: () => openEdit(u) }, t("adm_edit_button")),
          active
            ? h("button", { type: "button", class: "secondary", testid: "adm-staff-disable", "aria-label": t("adm_staff_disable_label", { name: u.name }), onclick: (ev) => setEnabled(ev.currentTarget, u, false) }, t("adm_staff_disable"))
            : h("button", { type: "button", class: "secondary", testid: "adm-staff-enable", "aria-label": t("adm_staff_enable_label", { name: u.name }), onclick: (ev) => setEnabled(ev.currentTarget, u, true) }, t("adm_staff_enable")),
          h("button", { type: "button", class: "secondary", testid: "adm-staff-reset", "aria-label": t("adm_staff_reset_label", { name: u.name }), onclick: (ev) => resetPassword(ev.currentTarget, u) }, t("adm_staff_reset")),
        ),
      );
    }),
  );
  $("adm-staff-empty").hidden = items.length > 0;
  $("adm-staff-more").hidden = !next;
}

function replaceStaff(user) {
  state.staff.items = state.staff.items.map((u) => (u.sub === user.sub ? { ...u, ...user } : u));
  drawStaff();
}

function drawTemp() {
  const box = $("adm-temp");
  box.hidden = !state.temp;
  $("adm-temp-username").textContent = state.temp ? state.temp.username : "";
  $("adm-temp-password").textContent = state.temp ? state.temp.password : "";
}

function showTemp(answer) {
  state.temp = { username: answer.username, password: answer.temporary_password };
  drawTemp();
  $("adm-temp").scrollIntoView({ block: "nearest" });
}

async function setEnabled(button, user, enabled) {
  clearError();
  clearNotice();
  const restore = busy(button, null);
  try {
    const answer = await api.post(`/v1/admin/staff/${encodeURIComponent(user.sub)}/${enabled ? "enable" : "disable"}`, {});
    replaceStaff(answer);
    showNotice({ key: enabled ? "adm_staff_enabled" : "adm_staff_disabled", params: { name: answer.name } });
  } catch (e) {
    showError(e);
  } finally {
    if (button.isConnected) restore();
  }
}

async function resetPassword(button, user) {
  clearError();
  clearNotice();
  const restore = busy(button, null);
  try {
    const answer = await api.post(`/v1/admin/staff/${encodeURIComponent(user.sub)}/reset-password`, {});
    showTemp(answer);
  } catch (e) {
    showError(e);
  } finally {
    if (button.isConnected) restore();
  }
}

// ---------------------------------------------------------------- changing an account

function drawEdit() {
  const user = state.editing;
  const form = $("adm-edit-form");
  form.hidden = !user;
  if (!user) return;
  $("adm-edit-title").textContent = t("adm_edit_title", { name: user.name || user.username });
  $("adm-edit-username").textContent = t("adm_edit_username", { username: user.username });
}

/** The form holds the account as listed; focus moves into it. */
function openEdit(user) {
  clearError();
  clearNotice();
  const form = $("adm-edit-form");
  clearFieldErrors(form);
  state.editing = user;
  form.elements.name.value = user.name || "";
  form.elements.phone.value = user.phone || "";
  unitOptions(form.elements.agency_id, user.agency_id);
  groupChoices(document.getElementById("adm-edit-groups"), new Set(user.groups || []), "adm-edit-group");
  drawEdit();
  drawStaff(); // the row's button says the form is open
  form.scrollIntoView({ block: "nearest" });
  form.elements.name.focus();
}

/** Back to the row's button, or to the unit list when the row has left it. */
function closeEdit(focus = true) {
  const user = state.editing;
  if (!user) return;
  state.editing = null;
  clearFieldErrors($("adm-edit-form"));
  drawEdit();
  drawStaff();
  if (!focus) return;
  const button = document.querySelector(`[data-testid="adm-staff-row"][data-sub="${CSS.escape(user.sub)}"] [data-testid="adm-staff-edit"]`);
  (button || $("adm-staff-unit")).focus();
}

async function onEdit(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const user = state.editing;
  if (!user) return;
  clearError();
  clearNotice();
  clearFieldErrors(form);
  const body = staffFields(form);
  body.phone = body.phone || null; // empty: no phone
  const restore = busy($("adm-edit-save"), "adm_saving");
  try {
    const answer = await api.request("PUT", `/v1/admin/staff/${encodeURIComponent(user.sub)}`, { body });
    restore();
    if (answer.agency_id === state.staff.unit) {
      state.staff.items = state.staff.items.map((u) => (u.sub === answer.sub ? { ...u, ...answer } : u));
      showNotice({ key: "adm_edit_saved", params: { name: answer.name } });
    } else {
      state.staff.items = state.staff.items.filter((u) => u.sub !== answer.sub);
      showNotice({ key: "adm_edit_moved", params: { name: answer.name, unit: unitName(answer.agency_id) } });
    }
    closeEdit();
  } catch (e) {
    restore();
    showError(e, form);
  }
}

async function onCreate(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearError();
  clearNotice();
  clearFieldErrors(form);
  const { phone, ...fields } = staffFields(form);
  const body = { ...fields, username: form.elements.username.value.trim() };
  if (phone) body.phone = phone;
  const restore = busy($("adm-new-submit"), "adm_creating");
  try {
    const answer = await api.post("/v1/admin/staff", body);
    form.reset();
    showTemp(answer);
    showNotice({ key: "adm_staff_created", params: { name: answer.name } });
    state.staff.unit = answer.agency_id;
    drawUnitSelects();
    await loadStaff(false);
  } catch (e) {
    showError(e, form);
  } finally {
    restore();
  }
}

// ---------------------------------------------------------------- reference data

function refExtra(kind, item) {
  if (kind === "area") {
    const parent = item.parent_id && state.refs.area.find((a) => a.id === item.parent_id);
    const valid = t(item.valid_to ? "adm_ref_valid_range" : "adm_ref_valid_from_only", { from: day(item.valid_from), to: day(item.valid_to) });
    return parent ? `${t("adm_ref_parent_is", { name: pick(parent, "name") })}; ${valid}` : valid;
  }
  if (kind === "agency") {
    return t("adm_ref_serves", { areas: (item.area_ids || []).length, categories: (item.category_ids || []).length });
  }
  return "";
}

function drawRefs() {
  const kind = state.ref.kind;
  $("adm-ref-caption").textContent = t(`adm_ref_kind_${kind}`);
  fill(
    $("adm-ref-list"),
    state.refs[kind].map((item) =>
      h(
        "tr",
        { testid: "adm-ref-row", "data-id": item.id },
        h("td", {}, h("code", {}, item.id)),
        h("td", { testid: "adm-ref-name" }, item.name || ""),
        h("td", { testid: "adm-ref-name-en", lang: "en" }, item.name_en || ""),
        h("td", { testid: "adm-ref-extra" }, refExtra(kind, item)),
        h(
          "td",
          {},
          h("button", { type: "button", class: "secondary", testid: "adm-ref-edit", "aria-label": t("adm_ref_edit_label", { name: pick(item, "name") }), onclick: () => editRef(item.id, true) }, t("adm_ref_edit")),
        ),
      ),
    ),
  );
  drawRefForm();
}

function input(attrs) {
  return h("input", { type: "text", ...attrs });
}

function checkboxes({ name, legend, items, chosen, testid }) {
  return h(
    "fieldset",
    { class: "adm-wide", "aria-describedby": `adm-ref-${name}-error` },
    h("legend", {}, legend),
    h(
      "div",
      { class: "adm-choices", "data-field": name },
      items.map((i) =>
        h("label", { class: "choice" }, h("input", { type: "checkbox", name, value: i.id, testid, checked: chosen.includes(i.id) || null }), h("span", {}, pick(i, "name"))),
      ),
    ),
    h("p", { class: "field-error", id: `adm-ref-${name}-error`, "data-field-error": name, testid: `field-error-${name}`, hidden: true }),
  );
}

function select({ id, testid, options, value, required }) {
  return h(
    "select",
    { id, testid, required: required || null },
    options.map(([v, text]) => h("option", { value: v, selected: v === value || null }, text)),
  );
}

function drawRefForm() {
  const kind = state.ref.kind;
  const item = state.ref.editing ? state.refs[kind].find((i) => i.id === state.ref.editing) : null;
  if (state.ref.editing && !item) state.ref.editing = null;
  $("adm-ref-form-title").textContent = item
    ? t("adm_ref_edit_title", { name: pick(item, "name") })
    : t("adm_ref_new_title", { kind: t(`adm_ref_kind_${kind}`).toLowerCase() });
  const v = item || {};
  const rows = [
    fieldRow({
      name: "id",
      label: t("adm_ref_col_id"),
      hint: item ? t("adm_ref_id_fixed") : t("adm_ref_id_hint"),
      control: input({ id: "adm-ref-id", testid: "adm-ref-id", value: v.id || "", readonly: item ? true : null, required: true, autocapitalize: "none", spellcheck: "false" }),
    }),
    fieldRow({ name: "name", label: t("adm_ref_col_name"), control: input({ id: "adm-ref-input-name", testid: "adm-ref-input-name", value: v.name || "", maxlength: 200, required: true }) }),
    fieldRow({ name: "name_en", label: t("adm_ref_col_name_en"), control: input({ id: "adm-ref-input-name-en", testid: "adm-ref-input-name-en", value: v.name_en || "", maxlength: 200, required: true, lang: "en" }) }),
  ];
  if (kind === "area") {
    const others = state.refs.area.filter((a) => a.id !== v.id).map((a) => [a.id, pick(a, "name")]);
    rows.push(
      fieldRow({ name: "parent_id", label: t("adm_ref_parent"), control: select({ id: "adm-ref-parent", testid: "adm-ref-parent", options: [["", t("adm_ref_no_parent")], ...others], value: v.parent_id || "" }) }),
      fieldRow({ name: "valid_from", label: t("adm_ref_valid_from"), control: input({ type: "date", id: "adm-ref-valid-from", testid: "adm-ref-valid-from", value: v.valid_from || "", required: true }) }),
      fieldRow({ name: "valid_to", label: t("adm_ref_valid_to"), hint: t("adm_ref_valid_to_hint"), control: input({ type: "date", id: "adm-ref-valid-to", testid: "adm-ref-valid-to", value: v.valid_to || "" }) }),
    );
  }
  if (kind === "agency") {
    rows.push(
      checkboxes({ name: "area_ids", legend: t("adm_ref_areas"), items: state.refs.area, chosen: v.area_ids || [], testid: "adm-ref-area" }),
      checkboxes({ name: "category_ids", legend: t("adm_ref_categories"), items: state.refs.category, chosen: v.category_ids || [], testid: "adm-ref-category" }),
    );
    if (!item) {
      const agencies = state.refs.agency.map((a) => [a.id, pick(a, "name")]);
      rows.push(
        fieldRow({ name: "workflow_from", label: t("adm_ref_workflow_from"), hint: t("adm_ref_workflow_from_hint"), control: select({ id: "adm-ref-workflow-from", testid: "adm-ref-workflow-from", options: agencies, value: agencies.length ? agencies[0][0] : "", required: true }) }),
      );
    }
  }
  fill(document.getElementById("adm-ref-fields"), rows);
}

function editRef(id, focus) {
  clearNotice();
  state.ref.editing = id;
  drawRefForm();
  if (focus) {
    const form = $("adm-ref-form");
    form.scrollIntoView({ block: "nearest" });
    document.getElementById(id ? "adm-ref-input-name" : "adm-ref-id").focus();
  }
}

function refBody(kind, form) {
  const value = (id) => document.getElementById(id).value.trim();
  const body = { name: value("adm-ref-input-name"), name_en: value("adm-ref-input-name-en") };
  if (kind === "area") {
    body.parent_id = value("adm-ref-parent") || null;
    body.valid_from = value("adm-ref-valid-from") || null;
    body.valid_to = value("adm-ref-valid-to") || null;
  }
  if (kind === "agency") {
    for (const name of ["area_ids", "category_ids"]) {
      body[name] = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
    }
    const source = document.getElementById("adm-ref-workflow-from");
    if (source) body.workflow_from = source.value;
  }
  return body;
}

async function onSaveRef(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const kind = state.ref.kind;
  clearError();
  clearNotice();
  clearFieldErrors(form);
  const id = document.getElementById("adm-ref-id").value.trim();
  if (!id) {
    showError(new ApiError({ code: "validation", ...both("check_fields"), fields: { id: both("required") } }), form);
    return;
  }
  const restore = busy($("adm-ref-save"), "adm_saving");
  try {
    const answer = await api.request("PUT", `/v1/admin/${KINDS[kind]}/${encodeURIComponent(id)}`, { body: refBody(kind, form) });
    await loadRefs();
    state.ref.editing = answer.id;
    drawRefs();
    drawUnitSelects();
    showNotice({ key: "adm_ref_saved", params: { name: answer.name } });
  } catch (e) {
    showError(e, form);
  } finally {
    restore();
  }
}

// ---------------------------------------------------------------- calendar

async function loadCalendar(year) {
  const seq = ++state.calSeq;
  const form = $("adm-cal-form");
  form.elements.year.value = String(year);
  const restore = busy($("adm-cal-load"), "loading");
  // Nothing is added to or saved from the year on screen while another one loads.
  setCalendarEditable(false);
  try {
    const data = await api.get(`/v1/admin/calendar/${year}`);
    if (seq !== state.calSeq) return;
    state.cal = { year: data.year, holidays: data.holidays || [], days_off: [...data.days_off], working_days: [...data.working_days], dirty: false };
    drawCalendar();
  } catch (e) {
    if (seq === state.calSeq) showError(e, form);
  } finally {
    restore();
    if (seq === state.calSeq) setCalendarEditable(!!state.cal);
  }
}

function setCalendarEditable(on) {
  $("adm-cal-add").disabled = !on;
  $("adm-cal-save").disabled = !on;
}

function drawDays(testid, kind) {
  const list = state.cal[kind];
  fill(
    $(testid),
    list.length
      ? list.map((d) =>
          h(
            "li",
            { testid: "adm-cal-day", "data-date": d, "data-kind": kind },
            h("time", { datetime: d }, day(d)),
            h("button", { type: "button", class: "secondary", testid: "adm-cal-remove", "aria-label": t("adm_cal_remove_label", { date: day(d) }), onclick: () => removeDay(kind, d) }, t("adm_cal_remove")),
          ),
        )
      : h("li", { class: "muted" }, t("adm_cal_none")),
  );
}

function drawCalendar() {
  if (!state.cal) return;
  fill(
    $("adm-cal-holidays"),
    state.cal.holidays.map((d) => h("li", { testid: "adm-cal-holiday", "data-date": d.date }, h("time", { datetime: d.date }, day(d.date)), " ", h("span", { testid: "adm-cal-holiday-name" }, pick(d, "name")))),
  );
  drawDays("adm-cal-days-off", "days_off");
  drawDays("adm-cal-working-days", "working_days");
  $("adm-cal-dirty").hidden = !state.cal.dirty;
}

function removeDay(kind, date) {
  state.cal[kind] = state.cal[kind].filter((d) => d !== date);
  state.cal.dirty = true;
  drawCalendar();
  $("adm-cal-date").focus();
}

function onAddDay(ev) {
  ev.preventDefault();
  if (!state.cal) return;
  const form = ev.currentTarget;
  clearError();
  clearNotice();
  clearFieldErrors(form);
  const date = form.elements.date.value;
  const kind = form.elements.kind.value;
  let problem = null;
  if (!date) problem = both("required");
  else if (state.cal.days_off.includes(date) || state.cal.working_days.includes(date)) problem = both("adm_cal_duplicate");
  if (problem) {
    showError(new ApiError({ code: "validation", ...both("check_fields"), fields: { date: problem } }), form);
    return;
  }
  // The year is the API's to check, when the calendar is saved.
  state.cal[kind] = [...state.cal[kind], date].sort();
  state.cal.dirty = true;
  form.elements.date.value = "";
  drawCalendar();
}

async function onSaveCalendar() {
  if (!state.cal) return;
  const form = $("adm-cal-add-form");
  clearError();
  clearNotice();
  clearFieldErrors(form);
  const { year, days_off, working_days } = state.cal;
  const restore = busy($("adm-cal-save"), "adm_saving");
  try {
    const data = await api.request("PUT", `/v1/admin/calendar/${year}`, { body: { days_off, working_days } });
    state.cal = { year: data.year, holidays: data.holidays || [], days_off: [...data.days_off], working_days: [...data.working_days], dirty: false };
    drawCalendar();
    showNotice({ key: "adm_cal_saved", params: { year } });
  } catch (e) {
    showError(e, form);
  } finally {
    restore();
  }
}

function onLoadCalendar(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearError();
  clearFieldErrors(form);
  const year = Number(form.elements.year.value);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    showError(new ApiError({ code: "validation", ...both("check_fields"), fields: { year: both("adm_cal_bad_year") } }), form);
    return;
  }
  // Another year (or the same one again) replaces the list on screen: not in silence.
  if (state.cal && state.cal.dirty && !window.confirm(t("adm_cal_discard_confirm", { year: state.cal.year }))) {
    form.elements.year.value = String(state.cal.year);
    return;
  }
  loadCalendar(year);
}

// Leaving the page (or reloading it) with a year's changes unsaved: the browser asks.
window.addEventListener("beforeunload", (ev) => {
  if (state.cal && state.cal.dirty) ev.preventDefault();
});

// ---------------------------------------------------------------- start

function onLanguage() {
  if (!state.refs) return;
  drawUnitSelects();
  drawGroupChoices();
  if (state.editing) {
    const form = $("adm-edit-form");
    const box = document.getElementById("adm-edit-groups");
    unitOptions(form.elements.agency_id, form.elements.agency_id.value);
    groupChoices(box, checkedGroups(box), "adm-edit-group");
  }
  drawEdit();
  drawStaff();
  drawRefs();
  drawCalendar();
}

const { api } = startStaffPage({ page: "admin", view: "view-admin", onSignedIn: show, onSignedOut, onLanguage });

for (const tab of TABS) {
  const button = document.getElementById(`adm-tab-${tab}`);
  button.addEventListener("click", () => selectTab(tab));
  button.addEventListener("keydown", onTabKey);
}
$("adm-staff-unit").addEventListener("change", (ev) => {
  clearError();
  closeEdit(false);
  state.staff.unit = ev.target.value;
  loadStaff(false);
});
$("adm-staff-more").addEventListener("click", () => loadStaff(true));
$("adm-staff-form").addEventListener("submit", onCreate);
$("adm-edit-form").addEventListener("submit", onEdit);
$("adm-edit-cancel").addEventListener("click", () => closeEdit());
$("adm-edit-form").addEventListener("keydown", (ev) => {
  if (ev.key === "Escape") {
    ev.preventDefault();
    closeEdit();
  }
});
$("adm-ref-kind").addEventListener("change", (ev) => {
  clearError();
  clearNotice();
  state.ref = { kind: ev.target.value, editing: null };
  drawRefs();
});
$("adm-ref-new").addEventListener("click", () => editRef(null, true));
$("adm-ref-form").addEventListener("submit", onSaveRef);
$("adm-cal-form").addEventListener("submit", onLoadCalendar);
$("adm-cal-add-form").addEventListener("submit", onAddDay);
$("adm-cal-save").addEventListener("click", onSaveCalendar);
