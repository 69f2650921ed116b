// The citizen site (index.html): public feed, sign-in, sending a report,
// "my reports" and report details, with hash routing.
import { Api, ApiError, Session, UploadCache, uuid } from "./api.js";
import { t, pick, both, initLangToggle, onLangChange, nowForDatetimeLocal, datetimeLocalToIso } from "./i18n.js";
import { h, showError, clearError, refreshError, showNotice, clearNotice, refreshNotice, busy, focusHeading, clearFieldErrors } from "./dom.js";
import { renderReport, reportCard } from "./report-view.js";

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
  body.replaceChildren(renderReport(state.detail.report, { headingLevel: 1 }));
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
