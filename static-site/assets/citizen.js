// The citizen site (index.html): public feed, sign-in, sending a report,
// "my reports" and report details, and the citizen's account (sign-up, password
// reset, profile, phone, password, data download, deletion, consent), with hash
// routing.
import { Api, ApiError, Session, UploadCache, uuid, loadConfig } from "./api.js";
import { t, pick, both, getLang, initLangToggle, onLangChange, nowForDatetimeLocal, datetimeLocalToIso, formatDateTime } from "./i18n.js";
import { h, showError, clearError, refreshError, showNotice, clearNotice, refreshNotice, busy, focusHeading, clearFieldErrors, fieldRow, placeFieldError } from "./dom.js";
import { renderReport, reportCard, ratingView } from "./report-view.js";
import { attachReportMap } from "./map.js";
import { createFeed } from "./feed.js";
import { loadDraft, saveDraft, deleteDraft, anyQueued, hasContent, loadLookups as loadKeptLookups, saveLookups } from "./draft.js";
import { PhotoList, uploadPhoto } from "./photos.js";
import "./pwa.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

const session = new Session("pakn.citizen.session");
const api = new Api(session, { onUnauthorized: onSessionLost });

/** A signed-in request answered 401: the session is gone (already cleared). */
function onSessionLost() {
  updateHeader();
  clearNotice();
  showError(new ApiError(both("session_expired")));
  render();
}

const VIEWS = ["view-feed", "view-signin", "view-send", "view-mine", "view-detail", "view-notfound", "view-signup", "view-forgot", "view-account"];

const state = {
  renderSeq: 0, // bumps on every route render; late answers of older renders are dropped
  route: null,
  feed: { items: [], next: null },
  mine: { items: [], next: null },
  detail: null, // {report, kind}
  categories: null,
  areas: null,
  map: null, // the send form's map (map.js), once drawn
  answerUploads: new UploadCache(), // photos of an answer to the agency's question
  acting: null, // "answer" | "rating" | "reopen" while that request is on its way
  sent: null, // {id, code, status} of the last created report, while its success panel shows
  flash: null, // a notice to show after the next hash change
  // Account pages. The password typed at sign-up stays in memory only, until the
  // code is confirmed and the automatic sign-in is done.
  signup: null, // {phone, password | null}: an account waiting for its SMS code
  reset: null, // {phone}: the number a password reset code was asked for
  profile: null, // GET /v1/me
  phoneChange: null, // {phone}: the new number a code was sent to
  consentError: null, // the last refusal shown in the consent dialog
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
  if (hash === "/" || hash === "" || hash.startsWith("/?")) return { name: "feed" }; // "/?": the feed's filters
  if (hash === "/send") return { name: "send" };
  if (hash === "/mine") return { name: "mine" };
  if (hash === "/sign-up") return { name: "signup" };
  if (hash === "/forgot") return { name: "forgot" };
  if (hash === "/account") return { name: "account" };
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
  askConsentIfNeeded();
  const needsSignIn = ["send", "mine", "report", "account"].includes(route.name);

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
    case "signup":
    case "forgot":
      if (signedIn) {
        location.replace("#/account");
        return;
      }
      showViews(`view-${route.name}`);
      if (route.name === "signup") showSignUpStep();
      else showResetStep();
      break;
    case "account":
      showViews("view-account");
      loadAccount();
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
  $("nav-account").hidden = !user;
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

// The home page and its feed live in feed.js (filters from the hash, list, map).
const feed = createFeed({ api, setLoading, showError });

function loadFeed(more) {
  return feed.load(more);
}

function loadMine(more) {
  return loadList("mine", more);
}

function drawList(kind) {
  if (kind === "feed") return feed.draw();
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
  back.href = isPublic ? feed.backHash() : "#/mine"; // the feed as it was filtered
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

/** tx() for a text with parameters, which stay on the node for the language switch. */
function txArgs(key, params, tag = "span", attrs = {}) {
  return h(tag, { ...attrs, "data-i18n": key, "data-i18n-args": JSON.stringify(params) }, t(key, params));
}

/** {top, bottom}: what goes under the title, and what goes after the result. */
function buildFollowUp(report) {
  const top = [];
  const bottom = [];
  if (report.merged_into && report.merged_into.id) top.push(mergedNotice(report.merged_into));
  if (report.pending_question) top.push(questionPanel(report));
  if (report.status === "published") bottom.push(ratingSection(report), reopenSection(report));
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

/** Ask for the result to be handled again: a form until the API's reopen_until, then
 * only the date it ended (the API refuses later requests with reopen_window_passed). */
function reopenSection(report) {
  const until = report.reopen_until;
  const date = { date: formatDateTime(until) };
  const heading = tx("reopen_title", "h3", { id: "reopen-h" });
  const attrs = { class: "followup", testid: "reopen-section", "aria-labelledby": "reopen-h" };
  if (until && Date.parse(until) <= Date.now()) {
    return h("section", attrs, heading, txArgs("reopen_closed", date, "p", { class: "muted", testid: "reopen-closed" }));
  }
  const reason = h("textarea", { id: "reopen-reason", name: "reason", rows: 3, required: true, maxlength: 5000, testid: "reopen-reason", "data-keep": true });
  return h(
    "section",
    attrs,
    heading,
    tx("reopen_intro", "p", { class: "muted" }),
    until ? txArgs("reopen_until", date, "p", { testid: "reopen-until" }) : null,
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
  $("signin-confirm-hint").hidden = true;
  const restore = busy($("signin-submit"), "signing_in");
  try {
    await signInWith(username, password);
    form.reset();
    if (state.route && state.route.name === "feed") {
      navigate("#/send", { key: "signed_in" });
    } else {
      render({ keepMessages: true });
      showNotice({ key: "signed_in" });
    }
  } catch (e) {
    showError(e, form);
    if (e.code === "not_confirmed") {
      // Signed up, never confirmed: offer the code step for this number.
      state.signup = { phone: username, password };
      $("signin-confirm-hint").hidden = false;
    }
  } finally {
    restore();
  }
}

async function onSignOut() {
  clearError();
  if ((await askAboutDraft()) === "stay") return;
  try {
    await api.signOut();
  } catch {
    /* the local session is gone either way */
  }
  dropSignedInState();
  navigate("#/", { key: "signed_out" });
}

/**
 * Before signing out: if the citizen's draft (or a report waiting for the connection)
 * is stored on this device, ask whether to keep it or delete it; on a shared computer
 * the next person must not find it in the browser's storage. "stay" cancels the
 * sign-out; "discard" has deleted the draft; "keep" or "none" go on.
 */
async function askAboutDraft() {
  const sub = currentSub();
  if (!sub) return "none";
  if (outbox.saveTimer) await saveNow(); // the last keystrokes first, so "keep" keeps them
  let draft = null;
  try {
    draft = await loadDraft(sub);
  } catch {
    return "none"; // no IndexedDB: nothing kept on the device
  }
  if (!hasContent(draft)) return "none";
  const dialog = $("signout-dialog");
  const text = draft.queued ? "signout_draft_queued" : "signout_draft_text";
  const body = $("signout-text");
  body.dataset.i18n = text;
  body.textContent = t(text);
  const choice = await new Promise((resolve) => {
    const chosen = (ev) => {
      const button = ev.target.closest("button[value]");
      if (button) dialog.close(button.value);
    };
    dialog.addEventListener("click", chosen);
    dialog.addEventListener(
      "close",
      () => {
        dialog.removeEventListener("click", chosen);
        resolve(dialog.returnValue || "stay"); // Escape closes it with no value
      },
      { once: true },
    );
    dialog.returnValue = "";
    dialog.showModal();
    $("signout-keep").focus();
  });
  if (choice === "discard") {
    try {
      await deleteDraft(sub);
    } catch (e) {
      console.warn("draft not deleted", e);
    }
  }
  return choice;
}

/** Forget the session and everything loaded for the signed-in citizen. */
function dropSignedInState() {
  session.clear();
  state.mine = { items: [], next: null };
  state.detail = null;
  resetSendForm();
  state.answerUploads.clear();
  state.sent = null;
  state.profile = null;
  state.phoneChange = null;
  closeConsent();
  updateHeader();
}

// ---------------------------------------------------------------- send a report
// The form is saved as a draft in IndexedDB (draft.js) on every change, for the
// signed-in citizen only. "Send" uploads each photo once (its upload_id is kept in
// the draft), then files the report with an Idempotency-Key kept in the draft too.
// When the API cannot be reached the report waits in the draft ("queued") and is
// sent again on the "online" event, at page load and every RETRY_MS, with the same
// key and body, so a retry can never file it twice.

const RETRY_MS = 10_000;
const SAVE_DELAY_MS = 300;
const FIELD_NAMES = ["title", "content", "category_id", "area_id", "address", "lat", "lon", "occurred_at"];

const outbox = {
  photos: null, // PhotoList, made in wireSend()
  owner: null, // the sub whose draft the form shows
  loading: null, // the promise of loading that draft
  meta: { outgoing: null, pending: null, queued: false },
  sending: false,
  saveTimer: null,
  saving: 0, // writes on their way
  saveFailed: false,
  askedSignIn: false,
  refused: [], // the last photos refused by the client-side limits ({message, message_en})
};

function currentSub() {
  const user = session.get() && session.user;
  return (user && user.sub) || null;
}

let lookupsLoading = null;

/** The categories and areas, once (concurrent callers share the request). */
function loadLookups() {
  if (state.categories && state.areas) return Promise.resolve();
  if (!lookupsLoading) {
    lookupsLoading = fetchLookups().finally(() => {
      lookupsLoading = null;
    });
  }
  return lookupsLoading;
}

async function fetchLookups() {
  try {
    const [cats, areas] = await Promise.all([api.get("/v1/categories"), api.get("/v1/areas")]);
    state.categories = (cats && cats.items) || [];
    state.areas = (areas && areas.items) || [];
    saveLookups(state.categories, state.areas).catch((e) => console.warn("lookups not kept", e));
  } catch (e) {
    // Offline: the last copy seen (public data only), so a draft can still be written.
    const kept = isUnreachable(e) ? await loadKeptLookups().catch(() => null) : null;
    if (!kept) throw e;
    state.categories = kept.categories || [];
    state.areas = kept.areas || [];
  }
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
  if (state.map) state.map.refresh();
  if (!state.categories || !state.areas) {
    setLoading(true);
    try {
      await loadLookups();
    } catch (e) {
      if (seq === state.renderSeq) showError(e);
    } finally {
      if (seq === state.renderSeq) setLoading(false);
    }
  }
  drawLookups();
  await ensureDraft();
  kickQueue();
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

// ---- the draft

function formFields() {
  const el = $("report-form").elements;
  return Object.fromEntries(FIELD_NAMES.map((k) => [k, el[k].value]));
}

function applyFields(fields) {
  const el = $("report-form").elements;
  for (const k of FIELD_NAMES) if (typeof fields[k] === "string" && fields[k] !== "") el[k].value = fields[k];
  if (state.map) state.map.sync();
}

/** Load the signed-in citizen's draft into the form, once per citizen. */
function ensureDraft() {
  const sub = currentSub();
  if (!sub) return Promise.resolve();
  if (outbox.owner === sub && outbox.loading) return outbox.loading;
  if (outbox.owner && outbox.owner !== sub) resetSendForm();
  outbox.owner = sub;
  outbox.loading = (async () => {
    let draft = null;
    try {
      draft = await loadDraft(sub);
    } catch (e) {
      console.warn("draft not loaded", e);
      showDraftStatus("snd_draft_unavailable");
      return;
    }
    if (outbox.owner !== sub || !hasContent(draft)) return;
    // The selects need their options before their values can be set.
    await loadLookups().catch(() => {});
    drawLookups();
    applyFields(draft.fields || {});
    outbox.photos.restore(draft.photos);
    outbox.meta = { outgoing: draft.outgoing || null, pending: draft.pending || null, queued: !!draft.queued };
    $("draft-restored").hidden = outbox.meta.queued;
    showDraftStatus("snd_draft_saved", draft.updated_at);
    drawQueue();
  })();
  return outbox.loading;
}

function onFormChange(ev) {
  if (ev.target && ev.target.type === "file") return; // the photo list saves itself
  scheduleSave();
}

function scheduleSave() {
  clearTimeout(outbox.saveTimer);
  outbox.saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
  showDraftStatus("snd_draft_saving");
}

/** A save waiting for its delay is done now (before sending, before signing out). */
function saveNow() {
  clearTimeout(outbox.saveTimer);
  outbox.saveTimer = null;
  return persistDraft();
}

/** Write the form, photos and outbox state now (or drop the record when empty). */
async function persistDraft() {
  const sub = currentSub();
  // Not before the stored draft is in the form: that would overwrite it.
  if (!sub || outbox.owner !== sub) return;
  await outbox.loading;
  const record = { fields: formFields(), photos: outbox.photos.records(), ...outbox.meta };
  outbox.saving += 1;
  try {
    if (hasContent(record) || record.outgoing) await saveDraft(sub, record);
    else await deleteDraft(sub);
    outbox.saveFailed = false;
  } catch (e) {
    console.warn("draft not saved", e);
    outbox.saveFailed = true;
  } finally {
    outbox.saving -= 1;
  }
  if (!outbox.saving && !outbox.saveTimer) {
    if (outbox.saveFailed) showDraftStatus("snd_draft_unavailable");
    else if (hasContent(record)) showDraftStatus("snd_draft_saved", new Date().toISOString());
    else showDraftStatus(null);
  }
}

let draftStatus = null; // {key, at}, re-drawn on a language switch

function showDraftStatus(key, at) {
  draftStatus = key ? { key, at } : null;
  drawDraftStatus();
}

function drawDraftStatus() {
  const el = $("draft-status");
  el.textContent = draftStatus ? t(draftStatus.key, { at: formatDateTime(draftStatus.at) }) : "";
}

/** Empty the form, photos and outbox state (the stored draft is left alone). */
function resetSendForm() {
  const form = $("report-form");
  clearTimeout(outbox.saveTimer);
  outbox.saveTimer = null;
  form.reset();
  clearFieldErrors(form);
  outbox.photos.clear();
  outbox.photos.announce("");
  outbox.refused = [];
  outbox.meta = { outgoing: null, pending: null, queued: false };
  outbox.owner = null;
  outbox.loading = null;
  $("draft-restored").hidden = true;
  $("geo-status").textContent = "";
  $("report-occurred-at").value = nowForDatetimeLocal();
  showDraftStatus(null);
  drawQueue();
}

async function onDiscardDraft() {
  const sub = outbox.owner;
  resetSendForm();
  outbox.owner = sub;
  outbox.loading = Promise.resolve();
  if (sub) {
    try {
      await deleteDraft(sub);
    } catch (e) {
      console.warn("draft not deleted", e);
    }
  }
  clearError();
  showNotice({ key: "snd_draft_discarded" });
  $("report-title").focus();
}

function onPhotosChosen(ev) {
  const input = ev.currentTarget;
  outbox.refused = outbox.photos.add(Array.from(input.files || []));
  input.value = ""; // the same file may be chosen again after a removal
  const text = drawRefusals();
  if (text) outbox.photos.announce(text);
}

/** The photos just refused, beside the photo inputs, in the current language. */
function drawRefusals() {
  const form = $("report-form");
  const refused = outbox.refused || [];
  const text = refused.map((m) => (getLang() === "en" ? m.message_en : m.message)).join(" ");
  if (text) {
    placeFieldError(form, "upload_ids", text);
  } else {
    const slot = form.querySelector('[data-field-error="upload_ids"]');
    slot.hidden = true;
    slot.textContent = "";
    $("report-photos").removeAttribute("aria-invalid");
  }
  return text;
}

// ---- sending, and the outbox

/** The API could not be reached (rather than refusing): worth trying again later. */
function isUnreachable(e) {
  if (navigator.onLine === false) return true;
  if (!e) return false;
  if (e.status === 0 && ["network", "upload_failed", "config"].includes(e.code)) return true;
  return [502, 503, 504].includes(e.status);
}

async function onSubmitReport(ev) {
  ev.preventDefault();
  if (outbox.sending) return;
  const form = ev.currentTarget;
  clearError();
  clearNotice();
  clearFieldErrors(form);
  outbox.refused = [];
  const { body, fields } = readReportForm(form);
  if (Object.keys(fields).length) {
    showError(new ApiError({ code: "validation", ...both("check_fields"), fields }), form);
    return;
  }
  await ensureDraft();
  outbox.meta.outgoing = body;
  await deliver();
}

/** Upload what is left, then file the report; queue it when the API is out of reach. */
async function deliver() {
  const sub = currentSub();
  const meta = outbox.meta;
  if (outbox.sending || !sub || outbox.owner !== sub || !meta.outgoing) return;
  outbox.sending = true;
  const form = $("report-form");
  const progress = $("progress");
  const restore = busy($("report-submit"), "sending");
  $("queue-retry").disabled = true;
  outbox.photos.lock(true);
  let justQueued = false;
  try {
    await saveNow();
    if (navigator.onLine === false) throw new ApiError({ status: 0, code: "network" });
    const items = outbox.photos.items.slice();
    for (const [i, item] of items.entries()) {
      if (!PhotoList.needsUpload(item)) continue;
      progress.textContent = t("uploading", { n: i + 1, total: items.length });
      Object.assign(item, await uploadPhoto(api, item, (f) => outbox.photos.setProgress(item.id, f)));
      outbox.photos.setProgress(item.id, null);
      await persistDraft(); // this photo is never uploaded again
    }
    progress.textContent = t("sending");
    const body = { ...meta.outgoing, upload_ids: items.map((it) => it.upload_id) };
    const json = JSON.stringify(body);
    if (!meta.pending || meta.pending.json !== json) {
      meta.pending = { key: uuid(), json };
      await persistDraft();
    }
    const created = await api.post("/v1/reports", body, { "Idempotency-Key": meta.pending.key });
    await delivered(sub, created);
  } catch (e) {
    if (isUnreachable(e)) {
      const first = !meta.queued;
      meta.queued = true;
      await persistDraft();
      if (first) {
        clearError();
        showNotice({ key: "snd_queued" });
        justQueued = true;
      }
    } else if (e.status === 401) {
      // The session ended (onSessionLost shows the sign-in); the report waits for it.
      if (meta.queued) showNotice({ key: "snd_queue_sign_in" });
    } else {
      meta.queued = false;
      meta.outgoing = null;
      if (e.code === "upload_not_found") for (const it of outbox.photos.items) it.upload_id = null;
      await persistDraft();
      showError(e, form);
      if (e.status === 403 && e.code === "consent_required") recheckConsent();
    }
  } finally {
    outbox.sending = false;
    progress.textContent = "";
    restore();
    $("queue-retry").disabled = false;
    outbox.photos.lock(outbox.meta.queued);
    for (const it of outbox.photos.items) outbox.photos.drawState(it);
    drawQueue();
    // The box is above the form: bring the citizen (and the screen reader) to it.
    if (justQueued && !$("view-send").hidden) {
      focusHeading($("queue-box"));
      $("queue-box").scrollIntoView({ block: "nearest" });
    }
  }
}

async function delivered(sub, created) {
  try {
    await deleteDraft(sub);
  } catch (e) {
    console.warn("draft not deleted", e);
  }
  const wasQueued = outbox.meta.queued;
  resetSendForm();
  outbox.owner = sub;
  outbox.loading = Promise.resolve();
  state.sent = created;
  state.mine = { items: [], next: null };
  if (state.route && state.route.name === "send") {
    showSent();
    if (wasQueued) showNotice({ key: "snd_queue_sent", params: { code: created.code || "" } });
  } else {
    showNotice({ key: "snd_queue_sent", params: { code: created.code || "" } });
  }
}

/** Try the queued report now, if there is one for the signed-in citizen. */
async function kickQueue() {
  const sub = currentSub();
  if (!sub) {
    if (!outbox.askedSignIn) {
      outbox.askedSignIn = true;
      if (await anyQueued().catch(() => false)) showNotice({ key: "snd_queue_sign_in" });
    }
    return;
  }
  await ensureDraft();
  if (outbox.meta.queued && !outbox.sending) await deliver();
}

/** The queued report's box, and the form frozen while it waits. */
function drawQueue() {
  const meta = outbox.meta;
  const queued = !!meta.queued;
  const box = $("queue-box");
  box.hidden = !queued;
  $("report-form").inert = queued;
  if (queued) {
    const title = (meta.outgoing && meta.outgoing.title) || "";
    $("queue-text").textContent = t("snd_queue_text", { title, n: outbox.photos.items.length });
  }
}

function onQueueRetry() {
  clearNotice();
  deliver();
}

async function onQueueEdit() {
  if (outbox.sending) return;
  // The Idempotency-Key stays: sent unchanged, the report is still filed once.
  outbox.meta.queued = false;
  outbox.meta.outgoing = null;
  await persistDraft();
  outbox.photos.lock(false);
  drawQueue();
  clearNotice();
  $("report-title").focus();
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
  const sub = outbox.owner;
  resetSendForm();
  outbox.owner = sub;
  outbox.loading = Promise.resolve();
  clearError();
  state.sent = null;
  $("report-success").hidden = true;
  $("report-form").hidden = false;
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
      if (state.map) state.map.sync();
      status.textContent = t("located");
      scheduleSave();
    },
    (err) => {
      restore();
      // The browser's own message is in its language, not the page's: say it from the code.
      const key = { 1: "geo_denied", 3: "geo_timeout" }[err.code] || "geo_no_fix";
      status.textContent = t(key);
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
}

function wireSend() {
  const form = $("report-form");
  outbox.photos = new PhotoList({ list: $("photo-list"), status: $("photo-status"), onChange: () => persistDraft() });
  form.addEventListener("submit", onSubmitReport);
  form.addEventListener("input", onFormChange);
  form.addEventListener("change", onFormChange);
  $("report-camera").addEventListener("change", onPhotosChosen);
  $("report-photos").addEventListener("change", onPhotosChosen);
  $("report-geolocate").addEventListener("click", onGeolocate);
  $("send-another").addEventListener("click", onSendAnother);
  $("draft-discard").addEventListener("click", onDiscardDraft);
  $("queue-retry").addEventListener("click", onQueueRetry);
  $("queue-edit").addEventListener("click", onQueueEdit);
  window.addEventListener("online", () => kickQueue());
  setInterval(() => kickQueue(), RETRY_MS);
  onLangChange(() => {
    outbox.photos.draw();
    drawDraftStatus();
    drawQueue();
    if (outbox.refused.length) drawRefusals();
  });
}

// ---------------------------------------------------------------- account: requests
// The account pages talk to the API through send()/call() rather than api.request:
// they need the Retry-After header of a 429, the raw body of the data download, and
// a 401 for a mistyped password (change password, delete) must not end the session.

// The privacy notice a new account accepts (the province's privacy_notice_version;
// the API refuses a sign-up that names another one).
const PRIVACY_NOTICE_VERSION = "2026-01";
const DATA_FILE = "pakn-du-lieu-ca-nhan.json";

/** fetch() an API path with the session's token: the Response, or an ApiError. */
async function send(method, path, body) {
  const { api_base } = await loadConfig();
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const token = session.idToken;
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(api_base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    console.warn(e);
    throw new ApiError({ code: "network", ...both("err_network") });
  }
  if (res.ok) return res;
  const err = await refusal(res);
  if (res.status === 401 && token && err.code !== "bad_credentials") {
    session.clear();
    onSessionLost();
  }
  throw err;
}

/** The parsed JSON answer of a request (null when empty). */
async function call(method, path, body) {
  const res = await send(method, path, body);
  const text = res.status === 204 ? "" : await res.text();
  return text ? JSON.parse(text) : null;
}

/** The ApiError of a refused request; a 429 also says how long to wait, when told. */
async function refusal(res) {
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  let err;
  if (data && typeof data === "object" && (data.code || data.message || data.message_en)) {
    err = new ApiError({ status: res.status, ...data });
  } else if (res.status === 429) {
    err = new ApiError({ status: 429, code: "too_many_requests", ...both("acct_too_many") });
  } else if (res.status >= 500) {
    err = new ApiError({ status: res.status, code: `http_${res.status}`, ...both("err_server", { status: res.status }) });
  } else {
    err = new ApiError({ status: res.status, code: `http_${res.status}`, message: `HTTP ${res.status}`, message_en: `HTTP ${res.status}` });
  }
  if (res.status !== 429) return err;
  const minutes = retryMinutes(res.headers.get("Retry-After"));
  if (!minutes) return err;
  const wait = both("acct_retry_wait", { n: minutes });
  return new ApiError({
    status: 429,
    code: err.code,
    message: `${err.message_vi} ${wait.message}`.trim(),
    message_en: `${err.message_en} ${wait.message_en}`.trim(),
    fields: err.fields,
  });
}

/** Retry-After (seconds, or an HTTP date) in whole minutes, rounded up; 0 if absent. */
function retryMinutes(value) {
  if (!value) return 0;
  const seconds = /^\s*\d+\s*$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.max(1, Math.ceil(seconds / 60));
}

/** Sign in, keep the tokens, and ask for the new privacy notice when one is due. */
async function signInWith(username, password) {
  const data = await call("POST", "/v1/auth/sign-in", { username, password });
  if (!data || !data.id_token) {
    // A staff member's first sign-in (NEW_PASSWORD_REQUIRED) belongs on the staff site.
    throw new ApiError({ code: "challenge", ...both("acct_staff_challenge") });
  }
  session.save(data);
  updateHeader();
  askConsentIfNeeded();
  return data;
}

/** Change the signed-in user's stored details (Session keeps them in sessionStorage). */
function patchSessionUser(patch) {
  const data = session.get();
  if (!data) return;
  data.user = { ...(data.user || {}), ...patch };
  try {
    sessionStorage.setItem(session.key, JSON.stringify(data));
  } catch {
    /* storage disabled: nothing kept to change */
  }
}

/** A refusal with some of its field errors moved to the names this form uses. */
function renameFields(err, names) {
  if (!err || !err.fields) return err;
  for (const [from, to] of Object.entries(names)) {
    if (from in err.fields && !(to in err.fields)) {
      err.fields[to] = err.fields[from];
      delete err.fields[from];
    }
  }
  return err;
}

/** A wrong password shown beside its field. The API answers 422 wrong_password with
 * the field named; an older 401 bad_credentials is mapped the same way. */
function wrongPassword(err, field, key) {
  if (err && err.code === "bad_credentials") err.fields = { ...(err.fields || {}), [field]: both(key) };
  return err;
}

/** "+84912000111" -> "0912 000 111" (no-break spaces: never split); others as they are. */
function displayPhone(e164) {
  const m = /^\+84(\d{9})$/.exec(e164 || "");
  if (!m) return e164 || "";
  const d = `0${m[1]}`;
  return [d.slice(0, 4), d.slice(4, 7), d.slice(7)].join("\u00a0");
}

/** The six digits of a code as typed (spaces dropped), or null. */
function readCode(input) {
  const code = input.value.replace(/\s/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}

function hasErrors(form, fields) {
  if (!Object.keys(fields).length) return false;
  invalid(form, fields);
  return true;
}

/** Run one account request from a form: busy button, messages, errors placed. */
async function submitting(form, button, labelKey, work, onError = (e) => e) {
  clearError();
  clearNotice();
  clearFieldErrors(form);
  const restore = busy(button, labelKey);
  try {
    await work();
  } catch (e) {
    showError(onError(e), form);
  } finally {
    restore();
  }
}

// ---------------------------------------------------------------- account: sign-up

function showSignUpStep() {
  const waiting = !!state.signup;
  $("signup-form").hidden = waiting;
  $("confirm-form").hidden = !waiting;
  drawAccountTexts();
}

function onSignUp(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const el = form.elements;
  const phone = normalizePhone(el.phone.value.trim());
  const name = el.name.value.trim();
  const password = el.password.value;
  const fields = {};
  if (!phone) fields.phone = both("required");
  if (!name) fields.name = both("required");
  if (!password) fields.password = both("required");
  else if (password.length < 8) fields.password = both("acct_password_short");
  if (!el.consent.checked) fields.consent_version = both("acct_consent_needed");
  clearError();
  if (hasErrors(form, fields)) return;
  return submitting(form, $("signup-submit"), "sending", async () => {
    await call("POST", "/v1/auth/sign-up", { phone, name, password, consent_version: PRIVACY_NOTICE_VERSION });
    state.signup = { phone, password };
    form.reset();
    showSignUpStep();
    showNotice({ key: "acct_code_sent" });
    $("confirm-code").focus();
  });
}

function onConfirmSignUp(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const code = readCode(form.elements.code);
  clearError();
  if (hasErrors(form, code ? {} : { code: both("acct_code_format") })) return;
  return submitting(form, $("confirm-submit"), "sending", async () => {
    const { phone, password } = state.signup;
    await call("POST", "/v1/auth/confirm", { phone, code });
    state.signup = null;
    form.reset();
    showSignUpStep();
    let signedIn = false;
    if (password) {
      try {
        await signInWith(phone, password);
        signedIn = true;
      } catch (e) {
        console.warn(e); // the account is confirmed all the same: sign in by hand
      }
    }
    if (!signedIn) $("signin-username").value = phone;
    navigate("#/", { key: signedIn ? "acct_signed_up" : "acct_confirmed_sign_in" });
  });
}

function onResendSignUp() {
  const form = $("confirm-form");
  return submitting(form, $("confirm-resend"), "sending", async () => {
    await call("POST", "/v1/auth/resend", { phone: state.signup.phone });
    showNotice({ key: "acct_code_resent" });
  });
}

function onSignUpBack() {
  state.signup = null;
  clearError();
  clearNotice();
  clearFieldErrors($("confirm-form"));
  $("confirm-form").reset();
  showSignUpStep();
  $("signup-phone").focus();
}

// ---------------------------------------------------------------- account: forgotten password

function showResetStep() {
  const waiting = !!state.reset;
  $("forgot-form").hidden = waiting;
  $("reset-form").hidden = !waiting;
  drawAccountTexts();
}

function onForgot(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const phone = normalizePhone(form.elements.phone.value.trim());
  clearError();
  if (hasErrors(form, phone ? {} : { phone: both("required") })) return;
  return submitting(form, $("forgot-submit"), "sending", async () => {
    await call("POST", "/v1/auth/forgot-password", { phone });
    state.reset = { phone };
    showResetStep();
    $("reset-code").focus();
  });
}

function onReset(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const code = readCode(form.elements.code);
  const password = form.elements.new_password.value;
  const fields = {};
  if (!code) fields.code = both("acct_code_format");
  if (!password) fields.new_password = both("required");
  else if (password.length < 8) fields.new_password = both("acct_password_short");
  clearError();
  if (hasErrors(form, fields)) return;
  return submitting(
    form,
    $("reset-submit"),
    "sending",
    async () => {
      const { phone } = state.reset;
      await call("POST", "/v1/auth/reset-password", { phone, code, new_password: password });
      state.reset = null;
      form.reset();
      $("forgot-form").reset();
      showResetStep();
      // No automatic sign-in here: the reset ends every session as of the next
      // whole second, and a token issued before then would be refused.
      $("signin-username").value = phone;
      navigate("#/", { key: "acct_password_reset" });
    },
    (e) => renameFields(e, { password: "new_password" }),
  );
}

function onResendReset() {
  return submitting($("reset-form"), $("reset-resend"), "sending", async () => {
    await call("POST", "/v1/auth/forgot-password", { phone: state.reset.phone });
    showNotice({ key: "acct_code_resent" });
  });
}

function onResetBack() {
  state.reset = null;
  clearError();
  clearNotice();
  clearFieldErrors($("reset-form"));
  $("reset-form").reset();
  showResetStep();
  $("forgot-phone").focus();
}

// ---------------------------------------------------------------- account: my account

async function loadAccount() {
  const seq = state.renderSeq;
  drawPhoneChange();
  if (state.profile) drawProfile(true);
  setLoading(true);
  try {
    const me = await call("GET", "/v1/me");
    if (seq !== state.renderSeq) return;
    state.profile = me;
    drawProfile(true);
    const consent = me.consent || {};
    if (consent.required) {
      patchSessionUser({ consent_required: true, privacy_notice_version: consent.current_version });
      askConsentIfNeeded();
    }
  } catch (e) {
    if (seq === state.renderSeq) showError(e);
  } finally {
    if (seq === state.renderSeq) setLoading(false);
  }
}

/** The profile on the page; fillInputs also puts its values in the form. */
function drawProfile(fillInputs) {
  const me = state.profile;
  if (!me) return;
  $("profile-phone").textContent = displayPhone(me.phone);
  if (fillInputs) {
    $("profile-name").value = me.name || "";
    $("profile-email").value = me.email || "";
    $("profile-address").value = me.address || "";
  }
  drawAccountTexts();
}

function drawPhoneChange() {
  const waiting = !!state.phoneChange;
  $("phone-form").hidden = waiting;
  $("phone-confirm-form").hidden = !waiting;
  drawAccountTexts();
}

/** The texts with values in them, in the current language. */
function drawAccountTexts() {
  $("confirm-sent-to").textContent = state.signup ? t("acct_code_sent_to", { phone: displayPhone(state.signup.phone) }) : "";
  $("reset-sent-to").textContent = state.reset ? t("acct_reset_sent_to", { phone: displayPhone(state.reset.phone) }) : "";
  $("phone-sent-to").textContent = state.phoneChange ? t("acct_code_sent_to", { phone: displayPhone(state.phoneChange.phone) }) : "";
  const consent = state.profile && state.profile.consent;
  $("account-consent").textContent =
    consent && consent.version
      ? t(consent.at ? "acct_consent_given" : "acct_consent_given_undated", { version: consent.version, at: formatDateTime(consent.at) })
      : "";
  const dialog = $("consent-dialog");
  if (dialog.open) {
    $("consent-text").textContent = t("acct_consent_text", { version: dialog.dataset.version });
    const box = $("consent-error");
    box.textContent = state.consentError ? state.consentError.localized() : "";
    box.hidden = !state.consentError;
  }
}

function onProfile(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const el = form.elements;
  const name = el.name.value.trim();
  const email = el.email.value.trim();
  const address = el.address.value.trim();
  clearError();
  if (hasErrors(form, name ? {} : { name: both("required") })) return;
  return submitting(form, $("profile-submit"), "acct_saving", async () => {
    const me = await call("PUT", "/v1/me", { name, email: email || null, address: address || null });
    state.profile = me;
    drawProfile(true);
    patchSessionUser({ name: me.name });
    updateHeader();
    showNotice({ key: "acct_profile_saved" });
  });
}

function onPhone(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const phone = normalizePhone(form.elements.phone.value.trim());
  const fields = {};
  if (!phone) fields.phone = both("required");
  else if (state.profile && phone === state.profile.phone) fields.phone = both("acct_same_phone");
  clearError();
  if (hasErrors(form, fields)) return;
  return submitting(form, $("phone-submit"), "sending", async () => {
    await call("POST", "/v1/me/phone", { phone });
    state.phoneChange = { phone };
    form.reset();
    drawPhoneChange();
    showNotice({ key: "acct_code_sent" });
    $("phone-code").focus();
  });
}

function onPhoneConfirm(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const code = readCode(form.elements.code);
  clearError();
  if (hasErrors(form, code ? {} : { code: both("acct_code_format") })) return;
  return submitting(form, $("phone-confirm-submit"), "sending", async () => {
    const me = await call("POST", "/v1/me/phone/confirm", { code });
    state.profile = me;
    state.phoneChange = null;
    form.reset();
    drawProfile(false);
    drawPhoneChange();
    showNotice({ key: "acct_phone_changed", params: { phone: displayPhone(me.phone) } });
  });
}

function onPhoneResend() {
  return submitting($("phone-confirm-form"), $("phone-resend"), "sending", async () => {
    await call("POST", "/v1/me/phone", { phone: state.phoneChange.phone });
    showNotice({ key: "acct_code_resent" });
  });
}

function onPhoneCancel() {
  state.phoneChange = null;
  clearError();
  clearNotice();
  const form = $("phone-confirm-form");
  clearFieldErrors(form);
  form.reset();
  drawPhoneChange();
  $("phone-new").focus();
}

function onPassword(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const current = form.elements.current_password.value;
  const fresh = form.elements.new_password.value;
  const fields = {};
  if (!current) fields.current_password = both("required");
  if (!fresh) fields.new_password = both("required");
  else if (fresh.length < 8) fields.new_password = both("acct_password_short");
  clearError();
  if (hasErrors(form, fields)) return;
  return submitting(
    form,
    $("password-submit"),
    "acct_saving",
    async () => {
      // Every other session ends; the answer carries this one's new tokens.
      const data = await call("POST", "/v1/me/password", { current_password: current, new_password: fresh });
      session.save(data);
      updateHeader();
      form.reset();
      showNotice({ key: "acct_password_changed" });
    },
    (e) => renameFields(wrongPassword(e, "current_password", "acct_wrong_current_password"), { password: "new_password" }),
  );
}

async function onDownload() {
  const button = $("data-download");
  clearError();
  clearNotice();
  const restore = busy(button, "acct_preparing");
  try {
    const res = await send("GET", "/v1/me/data");
    const blob = await res.blob();
    saveFile(blob, fileNameOf(res.headers.get("Content-Disposition")) || DATA_FILE);
    showNotice({ key: "acct_data_downloaded" });
  } catch (e) {
    showError(e);
  } finally {
    restore();
  }
}

/** The file name of a Content-Disposition header (unreadable across origins unless exposed). */
function fileNameOf(disposition) {
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition || "");
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]).replace(/[\\/]/g, "_");
  } catch {
    return null;
  }
}

function saveFile(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function onDelete(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const password = form.elements.password.value;
  const fields = {};
  if (!password) fields.password = both("required");
  if (!form.elements.confirm.checked) fields.confirm = both("acct_delete_confirm_needed");
  clearError();
  if (hasErrors(form, fields)) return;
  return submitting(
    form,
    $("delete-submit"),
    "acct_deleting",
    async () => {
      await call("POST", "/v1/me/delete", { password });
      form.reset();
      // The account and its sessions are gone on the server: sign out here only.
      dropSignedInState();
      navigate("#/", { key: "acct_deleted" });
    },
    (e) => wrongPassword(e, "password", "acct_wrong_password"),
  );
}

// ---------------------------------------------------------------- account: consent

/** Show the consent dialog when the signed-in citizen has a new notice to accept. */
function askConsentIfNeeded() {
  const user = session.get() && session.user;
  if (!user || !user.consent_required) {
    closeConsent();
    return;
  }
  const dialog = $("consent-dialog");
  dialog.dataset.version = user.privacy_notice_version || PRIVACY_NOTICE_VERSION;
  if (dialog.open) return;
  state.consentError = null;
  const form = $("consent-form");
  form.reset();
  clearFieldErrors(form);
  dialog.showModal();
  drawAccountTexts();
}

function closeConsent() {
  const dialog = $("consent-dialog");
  state.consentError = null;
  if (dialog.open) dialog.close();
}

/** A report was refused for want of consent: learn the version due, then ask. */
async function recheckConsent() {
  try {
    const me = await call("GET", "/v1/me");
    const consent = (me && me.consent) || {};
    if (!consent.required) return;
    patchSessionUser({ consent_required: true, privacy_notice_version: consent.current_version });
    askConsentIfNeeded();
  } catch {
    /* the error box already says what went wrong */
  }
}

async function onConsent(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const dialog = $("consent-dialog");
  clearFieldErrors(form);
  state.consentError = null;
  drawAccountTexts();
  if (!form.elements.consent.checked) {
    placeFieldError(form, "consent_version", t("acct_consent_needed"));
    return;
  }
  const restore = busy($("consent-accept"), "sending");
  try {
    await call("POST", "/v1/me/consent", { consent_version: dialog.dataset.version });
    patchSessionUser({ consent_required: false });
    closeConsent();
    if (state.profile) loadAccount();
    showNotice({ key: "acct_consent_saved" });
  } catch (e) {
    if (dialog.open) {
      state.consentError = e;
      drawAccountTexts();
    }
  } finally {
    restore();
  }
}

function wireAccount() {
  $("signup-notice-version").textContent = PRIVACY_NOTICE_VERSION;
  // The consent dialog shows the same summary as the sign-up page.
  const copy = document.querySelector("[data-summary-copy]");
  for (const item of document.getElementById("privacy-summary").children) copy.append(item.cloneNode(true));

  $("signup-form").addEventListener("submit", onSignUp);
  $("confirm-form").addEventListener("submit", onConfirmSignUp);
  $("confirm-resend").addEventListener("click", onResendSignUp);
  $("confirm-back").addEventListener("click", onSignUpBack);
  $("signin-confirm-link").addEventListener("click", () => {
    $("signin-confirm-hint").hidden = true;
  });
  $("forgot-form").addEventListener("submit", onForgot);
  $("reset-form").addEventListener("submit", onReset);
  $("reset-resend").addEventListener("click", onResendReset);
  $("reset-back").addEventListener("click", onResetBack);
  $("profile-form").addEventListener("submit", onProfile);
  $("phone-form").addEventListener("submit", onPhone);
  $("phone-confirm-form").addEventListener("submit", onPhoneConfirm);
  $("phone-resend").addEventListener("click", onPhoneResend);
  $("phone-cancel").addEventListener("click", onPhoneCancel);
  $("password-form").addEventListener("submit", onPassword);
  $("data-download").addEventListener("click", onDownload);
  $("delete-form").addEventListener("submit", onDelete);
  // A ticked box no longer needs its "please tick" message.
  for (const id of ["signup-consent", "delete-confirm", "consent-check"]) {
    const box = $(id);
    box.addEventListener("change", () => {
      if (!box.checked) return;
      const slot = box.form.querySelector(`[data-field-error="${box.dataset.field}"]`);
      slot.hidden = true;
      slot.textContent = "";
      box.removeAttribute("aria-invalid");
    });
  }

  const dialog = $("consent-dialog");
  $("consent-form").addEventListener("submit", onConsent);
  $("consent-signout").addEventListener("click", onSignOut);
  // Blocking: Escape does not dismiss it, and if the browser closes it anyway it
  // comes back while the notice is still to be accepted.
  dialog.addEventListener("cancel", (ev) => ev.preventDefault());
  dialog.addEventListener("close", () => {
    const user = session.get() && session.user;
    if (user && user.consent_required) askConsentIfNeeded();
  });
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
  drawAccountTexts();
}

function start() {
  initLangToggle(document);
  onLangChange(onLanguage);
  $("signin-form").addEventListener("submit", onSignIn);
  $("signout").addEventListener("click", onSignOut);
  wireSend();
  $("mine-more").addEventListener("click", () => loadMine(true));
  wireAccount();
  attachReportMap($("report-map-box"), $("report-lat"), $("report-lon")).then((m) => {
    state.map = m;
    if (m && !$("view-send").hidden) m.refresh();
  });
  window.addEventListener("hashchange", () => {
    showNotice(state.flash);
    state.flash = null;
    render();
  });
  updateHeader();
  render();
  kickQueue(); // a report queued before this page was loaded
}

start();
