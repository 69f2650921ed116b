// Small DOM helpers shared by both pages: element builder, error box,
// per-field errors and the notice line. Server text always goes through
// textContent, never innerHTML.
import { t, getLang, pick } from "./i18n.js";

/**
 * h("a", {href: "#/", testid: "x", class: "y", onclick: fn}, "text", child, ...)
 * Attributes: testid -> data-testid, class, dataset (object), on<event> (function),
 * anything else via setAttribute (false/null/undefined skipped, true -> "").
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "testid") el.dataset.testid = v;
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

/** Replace el's children (nested arrays and null allowed, like h()). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** Only http(s) and blob/data-image URLs are put into src/href. */
export function safeUrl(url) {
  if (!url) return null;
  try {
    const u = new URL(url, location.href);
    if (u.protocol === "http:" || u.protocol === "https:" || u.protocol === "blob:") return u.href;
  } catch {
    /* not a URL */
  }
  return null;
}

// ---- error box and field errors ----

let lastError = null; // re-rendered when the language changes

/** Show err (an ApiError, or a plain message string) in [data-testid=error]. */
export function showError(err, form = null) {
  const box = document.querySelector('[data-testid="error"]');
  lastError = { err, form };
  if (form) clearFieldErrors(form);
  if (!box) return;
  box.replaceChildren();
  if (!err) {
    box.hidden = true;
    lastError = null;
    return;
  }
  const msg = typeof err === "string" ? err : typeof err.localized === "function" ? err.localized() : err.message;
  box.append(h("p", {}, msg || t("err_network")));
  const fields = err && err.fields;
  if (fields) {
    const unplaced = [];
    for (const [name, value] of Object.entries(fields)) {
      const text = fieldMessage(value);
      if (!text) continue;
      if (!(form && placeFieldError(form, name, text))) unplaced.push([name, text]);
    }
    if (unplaced.length) {
      box.append(h("ul", {}, unplaced.map(([f, m]) => h("li", {}, t("err_field_list", { field: f, message: m })))));
    }
  }
  box.hidden = false;
  // After a form submission, move focus to the message; a failed background
  // load must not pull focus away from what the user is typing.
  if (form && !refreshing) {
    box.focus({ preventScroll: true });
    box.scrollIntoView({ block: "nearest" });
  }
}

export function clearError() {
  showError(null);
}

/** Re-show the current error in the current language (after a VI/EN switch). */
let refreshing = false;

export function refreshError() {
  if (!lastError || !lastError.err) return;
  refreshing = true;
  try {
    showError(lastError.err, lastError.form);
  } finally {
    refreshing = false;
  }
}

/** A field message may be a string, a list of strings, or {message, message_en}. */
function fieldMessage(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(fieldMessage).filter(Boolean).join(" ");
  if (typeof value === "object") {
    if (getLang() === "en") return value.message_en || value.message || "";
    return value.message || value.message_en || "";
  }
  return String(value);
}

/**
 * Put text next to the field called name (looked up as the full name, e.g.
 * "location.lat", then the last part, e.g. "lat"). Returns false when the form
 * has no such field.
 */
export function placeFieldError(form, name, text) {
  const candidates = [name, name.split(".").pop(), name.replace(/\[\d+\]$/, "")];
  for (const c of candidates) {
    const slot = form.querySelector(`[data-field-error="${CSS.escape(c)}"]`);
    if (slot) {
      slot.textContent = text;
      slot.hidden = false;
      const input = form.querySelector(`[data-field="${CSS.escape(c)}"]`);
      if (input) input.setAttribute("aria-invalid", "true");
      return true;
    }
  }
  return false;
}

export function clearFieldErrors(form) {
  for (const slot of form.querySelectorAll("[data-field-error]")) {
    slot.textContent = "";
    slot.hidden = true;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/**
 * A labelled form row: label, control, optional hint, and an error slot.
 * control must carry id; name is the API field name.
 */
export function fieldRow({ name, label, control, hint, testid }) {
  const errId = `${control.id}-error`;
  const hintId = hint ? `${control.id}-hint` : null;
  control.dataset.field = name;
  control.setAttribute("aria-describedby", [hintId, errId].filter(Boolean).join(" "));
  return h(
    "div",
    { class: "field" },
    h("label", { for: control.id }, label, control.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
    control,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    h("p", { class: "field-error", id: errId, "data-field-error": name, testid: testid || `field-error-${name}`, hidden: true }),
  );
}

// ---- notice ----

let lastNotice = null;

/**
 * A short success line in [data-testid=notice]. msg is {key, params} (an i18n
 * key, re-translated on a language switch) or a plain string; empty hides it.
 */
export function showNotice(msg) {
  const box = document.querySelector('[data-testid="notice"]');
  lastNotice = msg || null;
  if (!box) return;
  const text = !msg ? "" : typeof msg === "string" ? msg : t(msg.key, msg.params || {});
  box.textContent = text;
  box.hidden = !text;
}

export function clearNotice() {
  showNotice(null);
}

export function refreshNotice() {
  showNotice(lastNotice);
}

// ---- labels that come from server objects ({label, label_en}) ----

const bound = new Map(); // element -> {obj, field}

/** Set el's text to pick(obj, field) now and after every language switch. */
export function bindLabel(el, obj, field = "label") {
  el.textContent = pick(obj, field);
  bound.set(el, { obj, field });
  return el;
}

export function unbindLabel(el) {
  bound.delete(el);
}

export function refreshBoundLabels() {
  for (const [el, { obj, field }] of bound) {
    if (!el.isConnected) bound.delete(el);
    else el.textContent = pick(obj, field);
  }
}

/** Disable a submit button and show a busy label; returns a function that restores it. */
export function busy(button, labelKey) {
  const old = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  if (labelKey) button.textContent = t(labelKey);
  return () => {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = button.dataset.i18n ? t(button.dataset.i18n) : old;
  };
}

/** Move focus to the main heading of a freshly rendered view (for screen readers). */
export function focusHeading(root) {
  const hd = root.querySelector("h1, h2");
  if (hd) {
    hd.tabIndex = -1;
    hd.focus({ preventScroll: true });
  }
}
