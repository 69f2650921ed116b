// The citizen site (index.html): public feed, sign-in, sending a report,
// "my reports" and report details, with hash routing.
import { Api, ApiError, Session, UploadCache, uuid } from "./api.js";
import { t, pick, both, initLangToggle, onLangChange, nowForDatetimeLocal, datetimeLocalToIso } from "./i18n.js";
import { h, showError, clearError, refreshError, showNotice, clearNotice, refreshNotice, busy, focusHeading, clearFieldErrors, fieldRow } from "./dom.js";
import { renderReport, reportCard, ratingView } from "./report-view.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

const session = new Session("pakn.citizen.session");
const api = new Api(session, {
  onUnauthorized: () => {
    updateHeader();
    clearNotice();
    showError(new ApiError(both("session_expired")));
    render();
  },
});

const VIEWS = ["view-feed", "view-signin", "view-send", "view-mine", "view-detail", "view-notfound"];

const state = {
  renderSeq: 0, // bumps on every route render; late answers of older renders are dropped
  route: null,
  feed: { items: [], next: null },
  mine: { items: [], next: null },
  detail: null, // {report, kind}
  categories: null,
  areas: null,
  // The Idempotency-Key of the pending submission and the body it was made for:
  // a retry with the same body reuses the key.
  pending: null,
  uploads: new UploadCache(),
  answerUploads: new UploadCache(), // photos of an answer to the agency's question
  acting: null, // "answer" | "rating" | "reopen" while that request is on its way
  sent: null, // {id, code, status} of the last created report, while its success panel shows
  flash: null, // a notice to show after the next hash change
};

/** Go to hash, showing notice there (a hash change otherwise clears the notice). */
function navigate(hash, notice) {
  if (location.hash === hash || (hash === "#/" && location.hash === "")) {
    render({ keepMessages: true });
    showNotice(notice || null);
    return;
  }
  state.flash = notice || null;
  location.hash = hash;
}

// ---------------------------------------------------------------- routing

function parseRoute() {
  const hash = location.hash.replace(/^#/, "") || "/";
  let m;
  if (hash === "/" || hash === "") return { name: "feed" };
  if (hash === "/send") return { name: "send" };
  if (hash === "/mine") return { name: "mine" };
  if ((m = /^\/report\/([^/?#]+)$/.exec(hash))) return { name: "report", id: decodeURIComponent(m[1]) };
  if ((m = /^\/public\/([^/?#]+)$/.exec(hash))) return { name: "public", id: decodeURIComponent(m[1]) };
  return { name: "notfound" };
}

function showViews(...ids) {
  for (const id of VIEWS) document.getElementById(id).hidden = !ids.includes(id);
}

function setLoading(on) {
  $("loading").hidden = !on;
}

function markNav(name) {
  for (const a of document.querySelectorAll(".main-nav a")) {
    if (a.dataset.route === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

function render({ keepMessages = false } = {}) {
  const route = parseRoute();
  const changed = !state.route || route.name !== state.route.name || route.id !== state.route.id;
  state.route = route;
  state.renderSeq += 1;
  if (changed && !keepMessages) clearError();
  setLoading(false);
  markNav(route.name);
  const signedIn = !!session.get();
  const needsSignIn = route.name === "send" || route.name === "mine" || route.name === "report";

  if (needsSignIn && !signedIn) {
    showViews("view-signin");
    showSignInPart(true);
    $("signin-reason").hidden = false;
    focusHeading(document.getElementById("view-signin"));
    return;
  }
  $("signin-reason").hidden = true;

  switch (route.name) {
    case "feed":
      showViews("view-feed", "view-signin");
      showSignInPart(!signedIn);
      loadFeed(false);
      break;
    case "send":
      showViews("view-send");
      renderSend();
      break;
    case "mine":
      showViews("view-mine");
      loadMine(false);
      break;
    case "report":
    case "public":
      showViews("view-detail");
      loadDetail(route);
      break;
    default:
      showViews("view-notfound");
  }
  if (changed) focusHeading(document.querySelector(".view:not([hidden])") || document.body);
}

function showSignInPart(showForm) {
  document.getElementById("signin-part").hidden = !showForm;
  document.getElementById("signed-in-part").hidden = showForm;
}

function updateHeader() {
  const user = session.user;
  const box = $("user-box");
  box.hidden = !user;
  $("user-name").textContent = user ? t("signed_in_as", { name: user.name || user.sub || "" }) : "";
}

// ---------------------------------------------------------------- lists

async function loadList(kind, more) {
  const seq = state.renderSeq;
  const list = state[kind];
  const path = kind === "feed" ? "/v1/public/reports" : "/v1/me/reports";
  const cursor = more ? list.next : null;
  if (!more) setLoading(true);
  const button = $(kind === "feed" ? "public-more" : "mine-more");
  const restore = more ? busy(button, "loading") : null;
  try {
    const data = await api.get(path, { limit: 20, cursor });
    if (seq !== state.renderSeq && !more) return;
    const items = (data && data.items) || [];
    list.items = more ? list.items.concat(items) : items;
    list.next = (data && data.next_cursor) || null;
    drawList(kind);
  } catch (e) {
    if (seq === state.renderSeq || more) showError(e);
  } finally {
    if (restore) restore();
    if (seq === state.renderSeq) setLoading(false);
  }
}

function loadFeed(more) {
  return loadList("feed", more);
}

function loadMine(more) {
  return loadList("mine", more);
}

function drawList(kind) {
  const prefix = kind === "feed" ? "public" : "mine";
  const list = state[kind];
  const ul = $(`${prefix}-list`);
  ul.replaceChildren(
    ...list.items.map((r) => reportCard(r, kind === "feed" ? `#/public/${encodeURIComponent(r.id)}` : `#/report/${encodeURIComponent(r.id)}`, prefix)),
  );
  $(`${prefix}-empty`).hidden = list.items.length > 0;
  $(`${prefix}-more`).hidden = !list.next;
}

// ---------------------------------------------------------------- detail

async function loadDetail(route) {
  const seq = state.renderSeq;
  const back = $("detail-back");
  const isPublic = route.name === "public";
  back.href = isPublic ? "#/" : "#/mine";
  back.dataset.i18n = isPublic ? "back_to_feed" : "back_to_mine";
  back.textContent = t(back.dataset.i18n);
  const body = document.getElementById("detail-body");
  if (!state.detail || state.detail.report.id !== route.id || state.detail.kind !== route.name) body.replaceChildren();
  setLoading(true);
  try {
    const path = isPublic ? `/v1/public/reports/${encodeURIComponent(route.id)}` : `/v1/reports/${encodeURIComponent(route.id)}`;
    const report = await api.get(path);
    if (seq !== state.renderSeq) return;
    state.detail = { report, kind: route.name };
    drawDetail();
  } catch (e) {
    if (seq === state.renderSeq) showError(e);
  } finally {
    if (seq === state.renderSeq) setLoading(false);
  }
}

function drawDetail() {
  const body = document.getElementById("detail-body");
  if (!state.detail) return;
  const { report, kind } = state.detail;
  const article = renderReport(report, { headingLevel: 1 });
  if (kind !== "report" || !isOwnerView(report)) {
    body.replaceChildren(article);
    followUpOf = null;
    return;
  }
  if (followUpOf === report) {
    // The same report in another language: keep the follow-up nodes themselves
    // (their labels are data-i18n and already switched), so typed text, chosen
    // files and the field errors placed in them stay.
    const parts = { top: [], bottom: [] };
    for (const el of body.querySelectorAll("[data-followup]")) parts[el.dataset.followup].push(el);
    placeFollowUp(article, parts);
    body.replaceChildren(article);
    const given = body.querySelector('[data-testid="rating-value"]');
    if (given) given.replaceWith(ratingView(report.rating));
  } else {
    // A reloaded report: new follow-up nodes, keeping what was typed in the old
    // ones (after a refused action the same form usually comes back) and the focus.
    const drafts = readDrafts(body);
    placeFollowUp(article, buildFollowUp(report));
    body.replaceChildren(article);
    restoreDrafts(body, drafts);
    followUpOf = report;
  }
  const form = $("rating-form");
  if (form) showChosenStars(form);
  markActing();
}

// ---------------------------------------------------------------- follow-up on my report
// Answer the agency's question, rate a published result, ask for it to be
// handled again, and the notice of a report merged into an earlier one.

const ACTIONS = ["answer", "rating", "reopen"];
let followUpOf = null; // the report object the follow-up nodes on the page were built for

/** Only the owner's view carries these fields (a merged-in follower gets the public one). */
function isOwnerView(report) {
  return "pending_question" in report || "rating" in report;
}

/** A text that follows the language switch (applyI18n re-fills data-i18n nodes). */
function tx(key, tag = "span", attrs = {}) {
  return h(tag, { ...attrs, "data-i18n": key }, t(key));
}

/** {top, bottom}: what goes under the title, and what goes after the result. */
function buildFollowUp(report) {
  const top = [];
  const bottom = [];
  if (report.merged_into && report.merged_into.id) top.push(mergedNotice(report.merged_into));
  if (report.pending_question) top.push(questionPanel(report));
  if (report.status === "published") bottom.push(ratingSection(report), reopenSection());
  for (const el of top) el.dataset.followup = "top";
  for (const el of bottom) el.dataset.followup = "bottom";
  return { top, bottom };
}

function placeFollowUp(article, { top, bottom }) {
  const title = article.querySelector('[data-testid="detail-title"]');
  if (title) title.after(...top);
  else article.prepend(...top);
  const result = article.querySelector('[data-testid="detail-result"]');
  if (result) result.after(...bottom);
  else article.append(...bottom);
}

function mergedNotice(earlier) {
  return h(
    "section",
    { class: "callout", testid: "merged-notice", "aria-labelledby": "merged-h" },
    tx("merged_title", "h2", { id: "merged-h" }),
    h(
      "p",
      {},
      tx("merged_text"),
      " ",
      h("a", { href: `#/report/${encodeURIComponent(earlier.id)}`, class: "code", testid: "merged-link" }, earlier.code || earlier.id),
      ".",
    ),
  );
}

function submitButton(kind, labelKey, secondary = false) {
  return tx(labelKey, "button", { type: "submit", class: secondary ? "secondary" : null, testid: `${kind}-submit` });
}

function questionPanel(report) {
  const text = h("textarea", { id: "answer-text", name: "text", rows: 4, required: true, maxlength: 5000, testid: "answer-text", "data-keep": true });
  const photos = h("input", { id: "answer-photos", name: "photos", type: "file", accept: "image/*", multiple: true, testid: "answer-photos", "data-keep": true });
  return h(
    "section",
    { class: "callout callout-question", testid: "question-panel", "aria-labelledby": "question-h" },
    tx("question_title", "h2", { id: "question-h" }),
    tx("question_asked", "p", { class: "muted" }),
    h("blockquote", { class: "question prewrap", testid: "pending-question" }, report.pending_question),
    h(
      "form",
      { testid: "answer-form", novalidate: true, onsubmit: onAnswer },
      fieldRow({ name: "text", label: tx("answer_text"), control: text, testid: "answer-error-text" }),
      fieldRow({ name: "upload_ids", label: tx("answer_photos"), control: photos, hint: tx("answer_photos_hint"), testid: "answer-error-upload_ids" }),
      h("p", { class: "muted", testid: "answer-progress", "aria-live": "polite" }),
      submitButton("answer", "answer_submit"),
    ),
  );
}

function starChoice(n) {
  const id = `rating-star-${n}`;
  const key = `rating_star_${n}`;
  return h(
    "label",
    { class: "star", for: id, title: t(key), "data-i18n-title": key },
    h("input", { type: "radio", id, name: "stars", value: String(n), testid: id, "data-keep": true }),
    h("span", { class: "star-glyph", "aria-hidden": "true" }, "★"),
    tx(key, "span", { class: "visually-hidden" }),
  );
}

/** Light the stars up to the chosen one, and name the choice beside them. */
function showChosenStars(form) {
  const chosen = form.querySelector('input[name="stars"]:checked');
  const n = chosen ? Number(chosen.value) : 0;
  for (const input of form.querySelectorAll('input[name="stars"]')) {
    input.closest(".star").classList.toggle("on", Number(input.value) <= n);
  }
  const caption = form.querySelector(".star-caption");
  if (caption) caption.textContent = n ? t(`rating_star_${n}`) : "";
}

function ratingSection(report) {
  const heading = tx("rating_title", "h3", { id: "rating-h" });
  const attrs = { class: "followup", testid: "rating-section", "aria-labelledby": "rating-h" };
  if (report.rating) return h("section", attrs, heading, h("p", {}, tx("rating_given"), " ", ratingView(report.rating)));
  const comment = h("textarea", { id: "rating-comment", name: "comment", rows: 3, maxlength: 5000, testid: "rating-comment", "data-keep": true });
  const form = h(
    "form",
    { testid: "rating-form", novalidate: true, onsubmit: onRate },
    h(
      "fieldset",
      { class: "stars", "data-field": "stars", "aria-describedby": "rating-stars-error" },
      tx("rating_legend", "legend"),
      h("div", { class: "star-row" }, [1, 2, 3, 4, 5].map(starChoice), h("span", { class: "star-caption", "aria-hidden": "true" })),
      h("p", { class: "field-error", id: "rating-stars-error", "data-field-error": "stars", testid: "rating-error-stars", hidden: true }),
    ),
    fieldRow({ name: "comment", label: tx("rating_comment"), control: comment, hint: tx("rating_comment_hint"), testid: "rating-error-comment" }),
    submitButton("rating", "rating_submit"),
  );
  form.addEventListener("change", (ev) => {
    if (ev.target.name !== "stars") return;
    showChosenStars(form);
    // A star is chosen now: the "choose stars" message no longer applies.
    const slot = form.querySelector('[data-field-error="stars"]');
    slot.hidden = true;
    slot.textContent = "";
    form.querySelector('[data-field="stars"]').removeAttribute("aria-invalid");
  });
  return h("section", attrs, heading, form);
}

function reopenSection() {
  const reason = h("textarea", { id: "reopen-reason", name: "reason", rows: 3, required: true, maxlength: 5000, testid: "reopen-reason", "data-keep": true });
  return h(
    "section",
    { class: "followup", testid: "reopen-section", "aria-labelledby": "reopen-h" },
    tx("reopen_title", "h3", { id: "reopen-h" }),
    tx("reopen_intro", "p", { class: "muted" }),
    h(
      "form",
      { testid: "reopen-form", novalidate: true, onsubmit: onReopen },
      fieldRow({ name: "reason", label: tx("reopen_reason"), control: reason, testid: "reopen-error-reason" }),
      submitButton("reopen", "reopen_submit", true),
    ),
  );
}

/** {testid: value | checked | FileList} of the follow-up inputs, and the focused one. */
function readDrafts(root) {
  const values = new Map();
  for (const el of root.querySelectorAll("[data-keep]")) {
    const id = el.dataset.testid;
    if (el.type === "radio") values.set(id, el.checked);
    else if (el.type === "file") values.set(id, el.files);
    else values.set(id, el.value);
  }
  const active = document.activeElement;
  const focused = active && root.contains(active) && active.dataset.testid;
  return { values, focused };
}

function restoreDrafts(root, { values, focused }) {
  for (const el of root.querySelectorAll("[data-keep]")) {
    if (!values.has(el.dataset.testid)) continue;
    const v = values.get(el.dataset.testid);
    if (el.type === "radio") el.checked = v;
    else if (el.type === "file") {
      if (v && v.length) el.files = v;
    } else el.value = v;
  }
  const again = focused && root.querySelector(`[data-testid="${CSS.escape(focused)}"]`);
  if (again) again.focus({ preventScroll: true });
}

/** Disable every follow-up button while one request is out; the busy one says so. */
function markActing() {
  for (const kind of ACTIONS) {
    const button = $(`${kind}-submit`);
    if (!button) continue;
    button.disabled = !!state.acting;
    if (state.acting === kind) {
      button.setAttribute("aria-busy", "true");
      button.textContent = t("sending");
    } else {
      button.removeAttribute("aria-busy");
      button.textContent = t(button.dataset.i18n);
    }
  }
}

function invalid(form, fields) {
  showError(new ApiError({ code: "validation", ...both("check_fields"), fields }), form);
}

/**
 * Run one follow-up request on the report shown. On success: clear the form,
 * say so, and reload the report; on a 409 (its state changed) reload it too.
 */
async function act(kind, work, noticeKey) {
  if (state.acting || !state.detail) return;
  const reportId = state.detail.report.id;
  const formOf = () => $(`${kind}-form`);
  clearError();
  clearNotice();
  if (formOf()) clearFieldErrors(formOf());
  state.acting = kind;
  markActing();
  let done = false;
  let stale = false;
  try {
    await work(reportId);
    done = true;
  } catch (e) {
    showError(e, formOf());
    stale = e && e.status === 409;
  } finally {
    state.acting = null;
    const progress = $(`${kind}-progress`);
    if (progress) progress.textContent = "";
    markActing();
  }
  if (done) {
    const form = formOf();
    if (form) form.reset();
    showNotice({ key: noticeKey });
  }
  const route = state.route;
  if ((done || stale) && route && route.name === "report" && route.id === reportId) {
    await loadDetail(route);
    if (done) focusHeading(document.getElementById("detail-body"));
  }
}

function onAnswer(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const text = form.elements.text.value.trim();
  if (!text) return invalid(form, { text: both("required") });
  const files = Array.from(form.elements.photos.files || []);
  return act(
    "answer",
    async (id) => {
      const progress = $("answer-progress");
      const upload_ids = await state.answerUploads.uploadAll(api, files, (n, total) => {
        if (progress) progress.textContent = t("uploading", { n, total });
      });
      if (progress) progress.textContent = t("sending");
      await api.post(`/v1/reports/${encodeURIComponent(id)}/answers`, { text, upload_ids });
      state.answerUploads.clear();
    },
    "answer_sent",
  );
}

function onRate(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const chosen = form.querySelector('input[name="stars"]:checked');
  if (!chosen) return invalid(form, { stars: both("choose_stars") });
  const body = { stars: Number(chosen.value) };
  // The comment is optional: an empty one is left out (the API refuses "").
  const comment = form.elements.comment.value.trim();
  if (comment) body.comment = comment;
  return act("rating", (id) => api.post(`/v1/reports/${encodeURIComponent(id)}/rating`, body), "rating_sent");
}

function onReopen(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const reason = form.elements.reason.value.trim();
  if (!reason) return invalid(form, { reason: both("required") });
  return act("reopen", (id) => api.post(`/v1/reports/${encodeURIComponent(id)}/rating`, { reopen: true, reason }), "reopen_sent");
}

// ---------------------------------------------------------------- sign-in / out

/** "0901234567" or "84901234567" -> "+84901234567"; anything else is left as typed. */
function normalizePhone(raw) {
  const s = raw.replace(/[\s.\-()]/g, "");
  if (/^0\d{9,10}$/.test(s)) return `+84${s.slice(1)}`;
  if (/^84\d{9,10}$/.test(s)) return `+${s}`;
  return s;
}

async function onSignIn(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearError();
  clearNotice();
  const username = normalizePhone(form.elements.username.value.trim());
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
    if (state.route && state.route.name === "feed") {
      navigate("#/send", { key: "signed_in" });
    } else {
      render({ keepMessages: true });
      showNotice({ key: "signed_in" });
    }
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
  state.mine = { items: [], next: null };
  state.detail = null;
  state.pending = null;
  state.uploads.clear();
  state.answerUploads.clear();
  state.sent = null;
  updateHeader();
  navigate("#/", { key: "signed_out" });
}

// ---------------------------------------------------------------- send a report

async function loadLookups() {
  if (state.categories && state.areas) return;
  const [cats, areas] = await Promise.all([api.get("/v1/categories"), api.get("/v1/areas")]);
  state.categories = (cats && cats.items) || [];
  state.areas = (areas && areas.items) || [];
}

function fillSelect(select, items, labelOf) {
  const keep = select.value;
  select.replaceChildren(h("option", { value: "" }, t("choose")), ...items.map((it) => h("option", { value: it.id }, labelOf(it))));
  if (keep && items.some((it) => String(it.id) === keep)) select.value = keep;
}

function drawLookups() {
  if (!state.categories || !state.areas) return;
  fillSelect($("report-category"), state.categories, (c) => pick(c, "name"));
  // The root area (parent_id null, the province itself) is not offered.
  const byId = new Map(state.areas.map((a) => [String(a.id), a]));
  const choosable = state.areas.filter((a) => a.parent_id !== null && a.parent_id !== undefined);
  fillSelect($("report-area"), choosable, (a) => {
    const parent = byId.get(String(a.parent_id));
    const parentIsRoot = !parent || parent.parent_id === null || parent.parent_id === undefined;
    return parentIsRoot ? pick(a, "name") : `${pick(a, "name")} — ${pick(parent, "name")}`;
  });
}

async function renderSend() {
  const seq = state.renderSeq;
  const form = $("report-form");
  const success = $("report-success");
  success.hidden = !state.sent;
  form.hidden = !!state.sent;
  const when = $("report-occurred-at");
  if (!when.value) when.value = nowForDatetimeLocal();
  when.max = nowForDatetimeLocal();
  if (state.categories && state.areas) {
    drawLookups();
    return;
  }
  setLoading(true);
  try {
    await loadLookups();
    drawLookups();
  } catch (e) {
    if (seq === state.renderSeq) showError(e);
  } finally {
    if (seq === state.renderSeq) setLoading(false);
  }
}

/** The id of the item whose id reads as value (keeps numeric ids numeric). */
function idOf(items, value) {
  const hit = (items || []).find((it) => String(it.id) === value);
  return hit ? hit.id : value;
}

function numberOrNull(value) {
  if (value === "" || value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : NaN;
}

/** The report body without upload_ids, plus client-side field errors. */
function readReportForm(form) {
  const el = form.elements;
  const fields = {};
  const required = {
    title: el.title.value.trim(),
    content: el.content.value.trim(),
    category_id: el.category_id.value,
    area_id: el.area_id.value,
    address: el.address.value.trim(),
    occurred_at: el.occurred_at.value,
  };
  for (const [k, v] of Object.entries(required)) if (!v) fields[k] = both("required");
  const lat = numberOrNull(el.lat.value);
  const lon = numberOrNull(el.lon.value);
  if (el.lat.validity.badInput || Number.isNaN(lat)) fields.lat = both("invalid_number");
  else if (lat !== null && (lat < -90 || lat > 90)) fields.lat = both("lat_range");
  if (el.lon.validity.badInput || Number.isNaN(lon)) fields.lon = both("invalid_number");
  else if (lon !== null && (lon < -180 || lon > 180)) fields.lon = both("lon_range");
  const occurred = datetimeLocalToIso(required.occurred_at);
  if (required.occurred_at && !occurred) fields.occurred_at = both("invalid_number");

  const body = {
    title: required.title,
    content: required.content,
    category_id: idOf(state.categories, required.category_id),
    location: { lat, lon, address: required.address, area_id: idOf(state.areas, required.area_id) },
    occurred_at: occurred,
  };
  return { body, fields };
}

async function onSubmitReport(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearError();
  clearNotice();
  clearFieldErrors(form);
  const { body, fields } = readReportForm(form);
  if (Object.keys(fields).length) {
    showError(new ApiError({ code: "validation", ...both("check_fields"), fields }), form);
    return;
  }
  const progress = $("progress");
  const restore = busy($("report-submit"), "sending");
  try {
    const files = Array.from(form.elements.photos.files || []);
    body.upload_ids = await state.uploads.uploadAll(api, files, (n, total) => {
      progress.textContent = t("uploading", { n, total });
    });
    progress.textContent = t("sending");
    const json = JSON.stringify(body);
    if (!state.pending || state.pending.json !== json) state.pending = { key: uuid(), json };
    const created = await api.post("/v1/reports", body, { "Idempotency-Key": state.pending.key });
    state.pending = null;
    state.uploads.clear();
    state.sent = created;
    state.mine = { items: [], next: null };
    showSent();
  } catch (e) {
    showError(e, form);
  } finally {
    progress.textContent = "";
    restore();
  }
}

function showSent() {
  const sent = state.sent;
  $("report-code").textContent = sent.code || "";
  $("report-created-link").href = sent.id ? `#/report/${encodeURIComponent(sent.id)}` : "#/mine";
  $("report-form").hidden = true;
  const panel = $("report-success");
  panel.hidden = false;
  panel.focus();
}

function onSendAnother() {
  const form = $("report-form");
  form.reset();
  clearFieldErrors(form);
  clearError();
  state.sent = null;
  state.pending = null;
  $("geo-status").textContent = "";
  $("report-success").hidden = true;
  form.hidden = false;
  $("report-occurred-at").value = nowForDatetimeLocal();
  $("report-title").focus();
}

function onGeolocate() {
  const status = $("geo-status");
  if (!("geolocation" in navigator)) {
    status.textContent = t("geo_unavailable");
    return;
  }
  const button = $("report-geolocate");
  const restore = busy(button, "locating");
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      restore();
      $("report-lat").value = pos.coords.latitude.toFixed(6);
      $("report-lon").value = pos.coords.longitude.toFixed(6);
      status.textContent = t("located");
    },
    (err) => {
      restore();
      status.textContent = t("geo_failed", { reason: err.message || err.code });
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
}

// ---------------------------------------------------------------- start

function onLanguage() {
  updateHeader();
  refreshError();
  refreshNotice();
  if (!$("view-feed").hidden) drawList("feed");
  if (!$("view-mine").hidden) drawList("mine");
  if (!$("view-detail").hidden) {
    const back = $("detail-back");
    if (back.dataset.i18n) back.textContent = t(back.dataset.i18n);
    drawDetail();
  }
  drawLookups();
}

function start() {
  initLangToggle(document);
  onLangChange(onLanguage);
  $("signin-form").addEventListener("submit", onSignIn);
  $("signout").addEventListener("click", onSignOut);
  $("report-form").addEventListener("submit", onSubmitReport);
  $("report-geolocate").addEventListener("click", onGeolocate);
  $("send-another").addEventListener("click", onSendAnother);
  $("public-more").addEventListener("click", () => loadFeed(true));
  $("mine-more").addEventListener("click", () => loadMine(true));
  window.addEventListener("hashchange", () => {
    showNotice(state.flash);
    state.flash = null;
    render();
  });
  updateHeader();
  render();
}

start();
