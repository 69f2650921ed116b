// The staff panel's workflow page (staff/workflow.html): a unit's workflow drawn as
// step cards, an editor for its leader, and its versions with a restore button.
// Everything comes from GET /v1/agencies/{unit}/workflow: the steps in order, the
// decisions and the ends each may lead to, the groups and the agency's officers.
import { ApiError } from "./api.js";
import { t, getLang, pick, both, formatDateTime } from "./i18n.js";
import {
  h,
  fill,
  showError,
  clearError,
  refreshError,
  showNotice,
  clearNotice,
  busy,
  focusHeading,
  clearFieldErrors,
} from "./dom.js";
import { startStaffPage } from "./staff-shell.js";

// This page's labels live in i18n.js under "staff admin", keyed adm_wf_<name>.
const w = (key, params = {}) => t(`adm_wf_${key}`, params);
/** Both language versions of a label of this page, shaped like an API error. */
const wboth = (key, params = {}) => both(`adm_wf_${key}`, params);

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const STEP_ID = /^[a-z][a-z0-9_]{0,39}$/;
const VERSIONS_PAGE = 10;

const state = {
  seq: 0,
  unitId: null,
  units: null, // for administrators: [{id, name, name_en}]
  data: null, // the GET answer
  draft: null,
  versions: { items: [], next: null, current: null },
  notice: null, // {key, params}
  error: null, // the last ApiError shown
};

// ---------------------------------------------------------------- the draft

function draftFrom(data) {
  const spec = data.spec || {};
  const steps = {};
  const order = data.steps.map((s) => s.name);
  for (const name of Object.keys(spec.steps || {})) if (!order.includes(name)) order.push(name);
  for (const name of order) {
    const s = spec.steps[name];
    const actor = s.actor || {};
    steps[name] = {
      label: s.label || "",
      label_en: s.label_en || "",
      group: actor.group || "",
      who: actor.user ? `user:${actor.user}` : actor.assignee_from ? `from:${actor.assignee_from}` : "",
      deadline: s.deadline_days ?? "",
      decisions: Object.entries(s.decisions || {}),
    };
  }
  return {
    label: spec.label || null,
    label_en: spec.label_en || null,
    start: spec.start || order[0] || "",
    reopen: spec.reopen_step || "",
    order,
    steps,
  };
}

function specFromDraft(draft) {
  const steps = {};
  for (const name of draft.order) {
    const s = draft.steps[name];
    const actor = { group: s.group || null };
    if (s.who.startsWith("from:")) actor.assignee_from = s.who.slice(5);
    if (s.who.startsWith("user:")) actor.user = s.who.slice(5);
    const days = Number(s.deadline);
    const step = {
      actor,
      deadline_days: s.deadline === "" || !Number.isInteger(days) ? null : days,
      decisions: Object.fromEntries(s.decisions),
    };
    if (s.label.trim()) step.label = s.label.trim();
    if (s.label_en.trim()) step.label_en = s.label_en.trim();
    steps[name] = step;
  }
  const spec = { start: draft.start, steps };
  if (draft.label) spec.label = draft.label;
  if (draft.label_en) spec.label_en = draft.label_en;
  if (draft.reopen) spec.reopen_step = draft.reopen;
  return spec;
}

function stepLabel(name) {
  const s = state.draft && state.draft.steps[name];
  if (!s) return name;
  const label = getLang() === "en" ? s.label_en || s.label : s.label || s.label_en;
  return label || name;
}

function endLabel(target) {
  const end = (state.data.ends || []).find((e) => e.target === target);
  return end ? pick(end, "label") : target;
}

function targetLabel(target) {
  if (state.draft.steps[target]) return `${stepLabel(target)} (${target})`;
  if (target.startsWith("@")) return endLabel(target);
  return w("missing_target", { target });
}

function catalogueEntry(decision) {
  return state.data.decisions_catalogue.find((d) => d.decision === decision);
}

/** Where a decision may lead, for the draft as it is now. */
function targetsOf(decision) {
  const entry = catalogueEntry(decision);
  if (!entry) return [];
  if (entry.fixed) return entry.targets;
  return [...state.draft.order, "@publish"];
}

// ---------------------------------------------------------------- page state

function setNotice(key, params) {
  state.notice = key ? { key, params } : null;
  showNotice(key ? w(key, params) : null);
}

function setError(err, form = null) {
  state.error = err;
  showError(err, form);
  if (form) highlightSteps(err);
}

function resetMessages() {
  state.error = null;
  clearError();
}

/** Signed in (the shell shows view-workflow): the caller's unit, or a chosen one. */
function show(user) {
  state.seq += 1;
  const groups = user.groups || [];
  if (groups.includes("admin")) {
    loadUnits().then(() => load(state.unitId || user.agency_id || "reception"));
    return;
  }
  if (!user.agency_id) {
    setError(new ApiError({ code: "no_unit", ...wboth("no_unit") }));
    return;
  }
  load(user.agency_id);
}

/** The reception desk as a unit of the select, named in both languages. */
function receptionNames() {
  const { message, message_en } = wboth("reception_desk");
  return { name: message, name_en: message_en };
}

async function loadUnits() {
  if (state.units) return;
  try {
    const agencies = await api.get("/v1/agencies");
    state.units = [{ id: "reception", ...receptionNames() }, ...((agencies && agencies.items) || [])];
  } catch (e) {
    setError(e);
    state.units = [];
  }
  drawUnitSelect();
}

function drawUnitSelect() {
  const field = document.getElementById("wf-unit-field");
  const select = $("wf-unit");
  field.hidden = !state.units || !state.units.length;
  if (field.hidden) return;
  fill(select, state.units.map((u) => h("option", { value: u.id, selected: u.id === state.unitId }, pick(u, "name"))));
}

async function load(unitId) {
  const seq = state.seq;
  state.unitId = unitId;
  $("loading").hidden = false;
  try {
    const data = await api.get(`/v1/agencies/${encodeURIComponent(unitId)}/workflow`);
    if (seq !== state.seq) return;
    state.data = data;
    state.draft = draftFrom(data);
    drawAll();
    focusHeading(document.getElementById("view-workflow"));
    if (data.can_edit) await loadVersions(false);
  } catch (e) {
    if (seq === state.seq) setError(e);
  } finally {
    if (seq === state.seq) $("loading").hidden = true;
  }
}

function drawAll() {
  drawUnitSelect();
  drawHead();
  drawFlow();
  drawEditor();
  drawVersions();
}

// ---------------------------------------------------------------- the drawing

function drawHead() {
  const d = state.data;
  $("wf-heading").textContent = w("title_of", { unit: pick(d, "unit_name") || d.unit_id });
  $("wf-version").textContent = w("version", { n: d.version });
  const by = d.created_by_name ? w("meta_by", { name: d.created_by_name }) : "";
  fill(
    $("wf-meta"),
    w("meta", { at: formatDateTime(d.created_at), by }),
    d.restored_from ? [" ", w("meta_restored", { n: d.restored_from })] : null,
    d.note ? [" ", w("meta_note", { note: d.note })] : null,
  );
}

function actorText(step) {
  const group = pick(step, "group_label") || step.group || "";
  if (step.user) return w("actor_user", { group, name: step.user_name || step.user });
  if (step.assignee_from) {
    const from = state.data.steps.find((s) => s.name === step.assignee_from);
    return w("actor_from", { group, step: from ? pick(from, "label") : step.assignee_from });
  }
  return group;
}

function drawFlow() {
  const list = $("wf-steps");
  const items = [];
  state.data.steps.forEach((step, i) => {
    if (i > 0) items.push(h("li", { class: "wf-arrow", "aria-hidden": "true", testid: "wf-arrow" }, "↓"));
    items.push(
      h(
        "li",
        { class: "wf-card", testid: "wf-step", dataset: { step: step.name } },
        h(
          "h3",
          {},
          h("span", { class: "wf-order" }, `${i + 1}.`),
          h("span", { testid: "wf-step-label" }, pick(step, "label")),
          step.start ? h("span", { class: "badge", testid: "wf-step-start" }, w("start_badge")) : null,
        ),
        h("p", { testid: "wf-step-actor" }, w("actor", { who: actorText(step) })),
        h("p", { testid: "wf-step-deadline" }, w("deadline", { n: step.deadline_days })),
        step.decisions.length
          ? h(
              "ul",
              {},
              step.decisions.map((d) =>
                h(
                  "li",
                  { testid: "wf-step-decision", dataset: { decision: d.decision, target: d.target } },
                  h("strong", {}, pick(d, "label")),
                  ` ${w("leads_to")} `,
                  h("span", { testid: "wf-step-target", class: d.target.startsWith("@") ? "wf-end" : null }, pick(d, "target_label")),
                ),
              ),
            )
          : h("p", { class: "muted" }, w("no_decisions")),
      ),
    );
  });
  fill(list, items);
}

// ---------------------------------------------------------------- the editor

function editorForm() {
  return $("wf-editor");
}

function select(attrs, options, value) {
  const el = h("select", attrs);
  for (const [v, label, extra] of options) el.append(h("option", { value: v, selected: v === value, ...(extra || {}) }, label));
  if (![...el.options].some((o) => o.value === value)) {
    el.append(h("option", { value, selected: true }, w("missing_target", { target: value })));
  }
  return el;
}

function errorSlot(name, testid) {
  return h("p", { class: "field-error", "data-field-error": name, testid, hidden: true });
}

function drawEditor() {
  const form = editorForm();
  const canEdit = !!state.data.can_edit;
  form.hidden = !canEdit;
  $("wf-readonly").hidden = canEdit;
  if (!canEdit) {
    form.replaceChildren();
    return;
  }
  const draft = state.draft;
  const stepOptions = draft.order.map((n) => [n, `${stepLabel(n)} (${n})`]);
  const general = h(
    "div",
    { class: "wf-row" },
    h(
      "div",
      { class: "field" },
      h("label", { for: "wf-start" }, w("start_step")),
      select({ id: "wf-start", testid: "wf-start", "data-field": "start", onchange: (ev) => { draft.start = ev.target.value; } }, stepOptions, draft.start),
      errorSlot("start", "field-error-start"),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "wf-reopen" }, w("reopen_step")),
      select({ id: "wf-reopen", testid: "wf-reopen", "data-field": "reopen_step", onchange: (ev) => { draft.reopen = ev.target.value; } }, [["", w("reopen_default")], ...stepOptions], draft.reopen),
      errorSlot("reopen_step", "field-error-reopen_step"),
    ),
  );
  const newId = h("input", { id: "wf-new-id", type: "text", testid: "wf-new-step-id", autocapitalize: "none", spellcheck: "false", "data-field": "new_step" });
  const newLabel = h("input", { id: "wf-new-label", type: "text", testid: "wf-new-step-label" });
  const adder = h(
    "fieldset",
    {},
    h("legend", {}, w("new_step")),
    h(
      "div",
      { class: "wf-row" },
      h("div", { class: "field" }, h("label", { for: "wf-new-id" }, w("new_step_id")), newId),
      h("div", { class: "field" }, h("label", { for: "wf-new-label" }, w("new_step_label")), newLabel),
    ),
    errorSlot("new_step", "field-error-new_step"),
    h("button", { type: "button", class: "secondary", testid: "wf-add-step", onclick: () => addStep(newId.value.trim(), newLabel.value.trim()) }, w("add_step")),
  );
  const save = h("button", { type: "submit", testid: "wf-save" }, w("save"));
  fill(
    form,
    general,
    h("div", { testid: "wf-edit-steps" }, draft.order.map((name) => stepEditor(name))),
    adder,
    h(
      "div",
      { class: "field" },
      h("label", { for: "wf-note" }, w("note")),
      h("input", { id: "wf-note", type: "text", testid: "wf-note", maxlength: 500, value: draft.note || "", oninput: (ev) => { draft.note = ev.target.value; } }),
      errorSlot("note", "field-error-note"),
    ),
    h(
      "div",
      { class: "actions" },
      save,
      h("button", { type: "button", class: "secondary", testid: "wf-reset", onclick: onReset }, w("reset")),
    ),
  );
}

function whoOptions(name, step) {
  const options = [["", w("who_any")]];
  for (const other of state.draft.order) {
    const s = state.draft.steps[other];
    if (other !== name && s.decisions.some(([d]) => d === "assign")) {
      options.push([`from:${other}`, w("who_from", { step: stepLabel(other) })]);
    }
  }
  if (step.group === "officer") {
    for (const o of state.data.officers || []) options.push([`user:${o.sub}`, w("who_user", { name: o.name || o.sub })]);
  }
  if (step.who.startsWith("user:") && !options.some(([v]) => v === step.who)) {
    const sub = step.who.slice(5);
    const known = state.data.steps.find((s) => s.user === sub);
    options.push([step.who, w("who_user", { name: (known && known.user_name) || sub })]);
  }
  return options;
}

function stepEditor(name) {
  const step = state.draft.steps[name];
  const id = (part) => `wf-${name}-${part}`;
  const groups = (state.data.groups || []).map((g) => [g.group, pick(g, "label")]);
  const rows = step.decisions.map(([decision, target], index) => decisionRow(name, step, index, decision, target));
  return h(
    "fieldset",
    { class: "wf-edit", testid: "wf-edit-step", dataset: { step: name } },
    h("legend", {}, w("step_legend", { label: stepLabel(name), name })),
    h(
      "div",
      { class: "wf-row" },
      h(
        "div",
        { class: "field" },
        h("label", { for: id("label") }, w("label_vi")),
        h("input", { id: id("label"), type: "text", testid: "wf-edit-label", maxlength: 200, value: step.label, oninput: (ev) => { step.label = ev.target.value; }, onchange: refreshStepNames }),
      ),
      h(
        "div",
        { class: "field" },
        h("label", { for: id("label-en") }, w("label_en")),
        h("input", { id: id("label-en"), type: "text", testid: "wf-edit-label-en", maxlength: 200, value: step.label_en, oninput: (ev) => { step.label_en = ev.target.value; }, onchange: refreshStepNames }),
      ),
      h(
        "div",
        { class: "field" },
        h("label", { for: id("group") }, w("group")),
        select(
          {
            id: id("group"),
            testid: "wf-edit-group",
            onchange: (ev) => {
              step.group = ev.target.value;
              if (step.group !== "officer" && step.who.startsWith("user:")) step.who = "";
              redrawEditor();
            },
          },
          groups,
          step.group,
        ),
      ),
      h(
        "div",
        { class: "field" },
        h("label", { for: id("who") }, w("who")),
        select({ id: id("who"), testid: "wf-edit-who", onchange: (ev) => { step.who = ev.target.value; } }, whoOptions(name, step), step.who),
      ),
      h(
        "div",
        { class: "field" },
        h("label", { for: id("deadline") }, w("deadline_days")),
        h("input", { id: id("deadline"), type: "number", min: 1, max: 365, step: 1, inputmode: "numeric", testid: "wf-edit-deadline", value: String(step.deadline), oninput: (ev) => { step.deadline = ev.target.value; } }),
      ),
    ),
    h("p", { class: "muted", style: "margin: 0 0 0.4rem; font-weight: 600" }, w("decisions")),
    h("div", { testid: "wf-edit-decisions" }, rows),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "secondary", testid: "wf-edit-decision-add", onclick: () => addDecision(name) }, w("add_decision")),
      h("button", { type: "button", class: "secondary", testid: "wf-edit-remove", onclick: () => removeStep(name) }, w("remove_step")),
    ),
    errorSlot(`steps.${name}`, "wf-step-error"),
  );
}

function decisionRow(name, step, index, decision, target) {
  const base = `wf-${name}-d${index}`;
  const decisions = state.data.decisions_catalogue.map((d) => [d.decision, pick(d, "label")]);
  const targets = targetsOf(decision).map((t) => [t, targetLabel(t), state.draft.steps[t] ? { "data-target-step": t } : null]);
  return h(
    "div",
    { class: "wf-decision-row", testid: "wf-edit-decision", dataset: { decision } },
    h(
      "div",
      {},
      h("label", { for: `${base}-name` }, w("decision")),
      select(
        {
          id: `${base}-name`,
          testid: "wf-edit-decision-name",
          onchange: (ev) => {
            const chosen = ev.target.value;
            const allowed = targetsOf(chosen);
            step.decisions[index] = [chosen, allowed.includes(target) ? target : allowed[0]];
            redrawEditor();
          },
        },
        decisions,
        decision,
      ),
    ),
    h(
      "div",
      {},
      h("label", { for: `${base}-target` }, w("target")),
      select({ id: `${base}-target`, testid: "wf-edit-target", onchange: (ev) => { step.decisions[index][1] = ev.target.value; } }, targets, target),
    ),
    h(
      "button",
      {
        type: "button",
        class: "secondary",
        testid: "wf-edit-decision-remove",
        "aria-label": w("remove_decision_label", { decision, name }),
        onclick: () => {
          step.decisions.splice(index, 1);
          redrawEditor();
        },
      },
      w("remove_decision"),
    ),
  );
}

/** A label changed: every select naming that step shows the new name. */
function refreshStepNames() {
  for (const option of editorForm().querySelectorAll("option[data-target-step]")) {
    option.textContent = targetLabel(option.dataset.targetStep);
  }
  for (const fieldset of editorForm().querySelectorAll('[data-testid="wf-edit-step"]')) {
    const name = fieldset.dataset.step;
    fieldset.querySelector("legend").textContent = w("step_legend", { label: stepLabel(name), name });
  }
}

function redrawEditor() {
  const y = window.scrollY;
  drawEditor();
  window.scrollTo(0, y);
  if (state.error) placeStepErrors(state.error);
}

function addStep(name, label) {
  const form = editorForm();
  clearFieldErrors(form);
  let problem = null;
  if (!STEP_ID.test(name)) problem = "bad_step_id";
  else if (state.draft.steps[name]) problem = "step_exists";
  if (problem) {
    setError(new ApiError({ code: "validation", ...wboth(problem), fields: { new_step: wboth(problem) } }), form);
    return;
  }
  resetMessages();
  state.draft.steps[name] = {
    label: label || name,
    label_en: "",
    group: (state.data.groups[0] || {}).group || "",
    who: "",
    deadline: 3,
    decisions: [],
  };
  state.draft.order.push(name);
  redrawEditor();
  const added = form.querySelector(`[data-testid="wf-edit-step"][data-step="${CSS.escape(name)}"]`);
  if (added) {
    added.scrollIntoView({ block: "nearest" });
    added.querySelector('[data-testid="wf-edit-label"]').focus({ preventScroll: true });
  }
}

function removeStep(name) {
  const draft = state.draft;
  delete draft.steps[name];
  draft.order = draft.order.filter((n) => n !== name);
  if (draft.reopen === name) draft.reopen = "";
  for (const step of Object.values(draft.steps)) {
    if (step.who === `from:${name}`) step.who = "";
  }
  redrawEditor();
}

function addDecision(name) {
  const step = state.draft.steps[name];
  const used = new Set(step.decisions.map(([d]) => d));
  const next = state.data.decisions_catalogue.find((d) => !used.has(d.decision));
  if (!next) {
    setError(new ApiError({ code: "validation", ...wboth("all_decisions_used"), fields: { [`steps.${name}`]: wboth("all_decisions_used") } }), editorForm());
    return;
  }
  step.decisions.push([next.decision, targetsOf(next.decision)[0]]);
  redrawEditor();
}

function onReset() {
  resetMessages();
  clearNotice();
  state.draft = draftFrom(state.data);
  redrawEditor();
}

function highlightSteps(err) {
  const form = editorForm();
  for (const el of form.querySelectorAll(".wf-invalid")) {
    el.classList.remove("wf-invalid");
    el.removeAttribute("aria-invalid");
  }
  let first = null;
  for (const key of Object.keys((err && err.fields) || {})) {
    if (!key.startsWith("steps.")) continue;
    const fieldset = form.querySelector(`[data-testid="wf-edit-step"][data-step="${CSS.escape(key.slice(6))}"]`);
    if (!fieldset) continue;
    fieldset.classList.add("wf-invalid");
    fieldset.setAttribute("aria-invalid", "true");
    first = first || fieldset;
  }
  if (first) first.scrollIntoView({ block: "center" });
}

/** The field messages of err in the editor as it is drawn now, in the current language. */
function placeStepErrors(err) {
  const form = editorForm();
  clearFieldErrors(form);
  for (const [key, value] of Object.entries((err && err.fields) || {})) {
    const slot = form.querySelector(`[data-field-error="${CSS.escape(key)}"]`);
    if (!slot) continue;
    slot.textContent = getLang() === "en" ? value.message_en || value.message : value.message || value.message_en;
    slot.hidden = false;
  }
  highlightSteps(err);
}

async function onSave(ev) {
  ev.preventDefault();
  const form = editorForm();
  resetMessages();
  clearNotice();
  clearFieldErrors(form);
  for (const name of state.draft.order) {
    const names = state.draft.steps[name].decisions.map(([d]) => d);
    if (new Set(names).size !== names.length) {
      const message = wboth("duplicate_decision", { name });
      setError(new ApiError({ code: "validation", ...wboth("check_steps"), fields: { [`steps.${name}`]: message } }), form);
      return;
    }
  }
  const body = { spec: specFromDraft(state.draft), base_version: state.data.version };
  if (state.draft.note && state.draft.note.trim()) body.note = state.draft.note.trim();
  const restore = busy($("wf-save"), null);
  $("wf-save").textContent = w("saving");
  try {
    const data = await api.request("PUT", `/v1/agencies/${encodeURIComponent(state.unitId)}/workflow`, { body });
    afterChange(data);
    setNotice("saved", { n: data.version });
  } catch (e) {
    setError(e, form);
  } finally {
    restore();
    const button = $("wf-save");
    if (button) button.textContent = w("save");
  }
}

function afterChange(data) {
  state.data = data;
  state.draft = draftFrom(data);
  drawAll();
  loadVersions(false);
}

// ---------------------------------------------------------------- versions

async function loadVersions(more) {
  const seq = state.seq;
  try {
    const data = await api.get(`/v1/agencies/${encodeURIComponent(state.unitId)}/workflow/versions`, {
      limit: VERSIONS_PAGE,
      cursor: more ? state.versions.next : null,
    });
    if (seq !== state.seq) return;
    const items = (data && data.items) || [];
    state.versions = {
      items: more ? state.versions.items.concat(items) : items,
      next: (data && data.next_cursor) || null,
      current: data && data.current_version,
    };
    drawVersions();
  } catch (e) {
    if (seq === state.seq) setError(e);
  }
}

function drawVersions() {
  const section = document.getElementById("wf-versions-section");
  section.hidden = !(state.data && state.data.can_edit);
  if (section.hidden) return;
  const current = state.versions.current ?? state.data.version;
  fill(
    $("wf-versions"),
    state.versions.items.map((v) =>
      h(
        "tr",
        { testid: "wf-version-row", dataset: { version: v.version } },
        h("td", { testid: "wf-version-number" }, String(v.version), v.version === current ? h("span", { class: "badge", testid: "wf-version-current" }, w("current")) : null),
        h(
          "td",
          {},
          v.created_at ? h("time", { datetime: v.created_at }, formatDateTime(v.created_at)) : "—",
          h("br"),
          h("span", { class: "muted" }, v.created_by_name || "—"),
        ),
        h("td", {}, [v.note || "", v.restored_from ? ` ${w("restored_from", { n: v.restored_from })}` : ""].join("").trim() || "—"),
        h(
          "td",
          {},
          v.version === current
            ? null
            : h(
                "button",
                { type: "button", class: "secondary", testid: "wf-restore", "aria-label": w("restore_label", { n: v.version }), onclick: (ev) => onRestore(ev.currentTarget, v.version) },
                w("restore"),
              ),
        ),
      ),
    ),
  );
  $("wf-versions-more").hidden = !state.versions.next;
}

async function onRestore(button, version) {
  resetMessages();
  clearNotice();
  const restore = busy(button, null);
  try {
    const data = await api.post(`/v1/agencies/${encodeURIComponent(state.unitId)}/workflow/versions/${version}/restore`, {
      base_version: state.data.version,
    });
    afterChange(data);
    setNotice("restored", { old: version, n: data.version });
  } catch (e) {
    setError(e);
    if (button.isConnected) restore();
  }
}

// ---------------------------------------------------------------- start

function onLanguage() {
  if (state.notice) showNotice(w(state.notice.key, state.notice.params));
  if (state.data) drawAll();
  refreshError();
  if (state.error && state.data) placeStepErrors(state.error);
}

function onSignedOut() {
  resetMessages();
  state.seq += 1;
  state.data = null;
  state.draft = null;
  state.units = null;
  state.unitId = null;
}

const { api } = startStaffPage({ page: "workflow", view: "view-workflow", onSignedIn: show, onSignedOut, onLanguage });

editorForm().addEventListener("submit", onSave);
$("wf-versions-more").addEventListener("click", () => loadVersions(true));
$("wf-unit").addEventListener("change", (ev) => {
  resetMessages();
  clearNotice();
  state.seq += 1;
  load(ev.target.value);
});
