// The staff news page (staff/news.html), in the staff shell: the form that writes a
// draft or edits an article (with its cover, uploaded like a report's photos), and
// the agency's articles by status, each with its next steps: publish, take down,
// delete a draft never published. Every change carries the version read; a stale one
// reloads the article and says so.
import { ApiError, UploadCache } from "./api.js";
import { t, pick, both, formatDateTime } from "./i18n.js";
import {
  h,
  fill,
  safeUrl,
  showError,
  clearError,
  showNotice,
  clearNotice,
  busy,
  clearFieldErrors,
  bindLabel,
  refreshBoundLabels,
  focusHeading,
} from "./dom.js";
import { LIMITS } from "./photos.js";
import { startStaffPage } from "./staff-shell.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const PAGE = 10;
const EDITORS = ["editor", "admin"];
const ALL_AGENCIES = ["admin"]; // groups that pick the agency they act for
const PROVINCE = "province"; // the province itself publishes too (not in /v1/agencies)
const STALE = "news_version_stale";
// What the editor types, kept across a refused (stale) save.
const TYPED_FIELDS = ["title", "summary", "body", "category_id"];

const state = {
  categories: null, // from /v1/news-categories, once
  agencies: null, // administrators only: [{id, name, name_en}]
  agency: null, // the agency an administrator acts for; null for an editor (their own)
  status: "",
  items: [],
  next: null,
  editing: null, // the article open in the form (as GET /v1/staff/news/{id} gave it)
  seq: 0, // bumps on every list load; older answers are dropped
  uploads: new UploadCache(), // a retried submission does not upload its cover again
};

const form = () => $("ns-form");
const isAdmin = () => shell.hasRole(ALL_AGENCIES);

// ---------------------------------------------------------------- start of the page

async function show() {
  try {
    await Promise.all([loadCategories(), isAdmin() ? loadAgencies() : null]);
  } catch (e) {
    showError(e);
    return;
  }
  $("ns-agency-row").hidden = !isAdmin();
  loadList(false);
}

async function loadCategories() {
  if (state.categories) return;
  const data = await api.get("/v1/news-categories");
  state.categories = (data && data.items) || [];
  const select = $("ns-form-category");
  const first = select.options[0];
  fill(select, first, state.categories.map((c) => bindLabel(h("option", { value: c.id }), c, "name")));
}

async function loadAgencies() {
  if (state.agencies) return;
  const data = await api.get("/v1/agencies");
  state.agencies = (data && data.items) || [];
  const select = $("ns-agency");
  fill(
    select,
    h("option", { value: PROVINCE, "data-i18n": "ns_agency_province" }, t("ns_agency_province")),
    state.agencies.map((a) => bindLabel(h("option", { value: a.id }), a, "name")),
  );
  state.agency = PROVINCE;
  select.value = PROVINCE;
}

// ---------------------------------------------------------------- the list

async function loadList(more) {
  const seq = ++state.seq;
  const restore = more ? busy($("ns-more"), "loading") : null;
  $("loading").hidden = more;
  try {
    const data = await api.get("/v1/staff/news", {
      status: state.status,
      agency_id: state.agency,
      limit: PAGE,
      cursor: more ? state.next : null,
    });
    if (seq !== state.seq) return;
    const items = (data && data.items) || [];
    state.items = more ? state.items.concat(items) : items;
    state.next = (data && data.next_cursor) || null;
    drawList();
  } catch (e) {
    if (seq === state.seq) showError(e);
  } finally {
    if (seq === state.seq) $("loading").hidden = true;
    if (restore) restore();
  }
}

function when(labelKey, iso, testid) {
  if (!iso) return null;
  return h("span", { testid }, t(labelKey), " ", h("time", { datetime: iso }, formatDateTime(iso)));
}

function actionButton(article, key, testid, onclick) {
  return h(
    "button",
    {
      type: "button",
      class: "secondary",
      testid,
      "aria-describedby": `ns-item-${article.id}`,
      onclick: (ev) => onclick(ev, article),
    },
    t(key),
  );
}

function item(article) {
  const published = article.status === "published";
  const meta = [
    h("span", { class: `status status-${article.status}`, testid: "ns-item-status" }, pick(article, "status_label")),
    h("span", { testid: "ns-item-category" }, pick(article, "category_name") || article.category_id),
    when("ns_updated_at", article.updated_at, "ns-item-updated"),
    when("ns_published_at", article.published_at, "ns-item-published"),
  ].filter(Boolean);
  return h(
    "li",
    { class: "panel ns-item", testid: "ns-item", dataset: { newsId: article.id, status: article.status } },
    h("h3", { id: `ns-item-${article.id}`, testid: "ns-item-title" }, article.title),
    h(
      "p",
      { class: "muted ns-meta" },
      meta.map((part, i) => (i ? [" · ", part] : part)),
    ),
    h("p", { testid: "ns-item-summary" }, article.summary),
    h(
      "div",
      { class: "actions" },
      actionButton(article, "ns_edit", "ns-item-edit", onEdit),
      published
        ? actionButton(article, "ns_unpublish", "ns-item-unpublish", onUnpublish)
        : actionButton(article, "ns_publish", "ns-item-publish", onPublish),
      article.status === "draft" ? actionButton(article, "ns_delete", "ns-item-delete", onDelete) : null,
      published
        ? h(
            "a",
            {
              href: safeUrl(`../news.html#/article/${encodeURIComponent(article.id)}`),
              testid: "ns-item-public",
              "aria-describedby": `ns-item-${article.id}`,
            },
            t("ns_view_public"),
          )
        : null,
    ),
  );
}

function drawList() {
  fill($("ns-list"), state.items.map(item));
  $("ns-empty").hidden = state.items.length > 0;
  $("ns-more").hidden = !state.next;
}

// ---------------------------------------------------------------- the form

function drawForm() {
  const editing = state.editing;
  const heading = $("ns-form-heading");
  heading.dataset.i18n = editing ? "ns_form_edit" : "ns_form_new";
  heading.textContent = t(heading.dataset.i18n);
  const submit = $("ns-form-submit");
  submit.dataset.i18n = editing ? "ns_save_edit" : "ns_save_new";
  submit.textContent = t(submit.dataset.i18n);
  $("ns-form-cancel").hidden = !editing;
  const line = $("ns-form-editing");
  line.hidden = !editing;
  line.textContent = editing ? t("ns_editing", { title: editing.title, status: pick(editing, "status_label") }) : "";

  const cover = $("ns-cover-current");
  const coverUrl = editing && editing.cover_upload_id ? safeUrl(editing.cover_url) : null;
  cover.hidden = !coverUrl;
  const img = $("ns-cover-current-img");
  if (coverUrl) {
    if (img.getAttribute("src") !== coverUrl) img.src = coverUrl;
    img.alt = t("ns_cover_current_alt", { title: editing.title });
  } else {
    img.removeAttribute("src");
  }
}

/** Fill the form with an article (or empty it for a new one). */
function fillForm(article) {
  const el = form().elements;
  form().reset();
  clearFieldErrors(form());
  $("ns-form-progress").textContent = "";
  state.editing = article;
  if (article) {
    el.title.value = article.title || "";
    el.summary.value = article.summary || "";
    el.body.value = article.body || "";
    el.category_id.value = article.category_id || "";
  }
  drawForm();
}

async function openForEdit(id) {
  const article = await api.get(`/v1/staff/news/${encodeURIComponent(id)}`);
  fillForm(article);
  return article;
}

async function onEdit(ev, article) {
  clearError();
  clearNotice();
  const button = ev.currentTarget;
  const restore = busy(button, "loading");
  try {
    await openForEdit(article.id);
    form().scrollIntoView({ block: "start" });
    focusHeading(form());
  } catch (e) {
    showError(e);
  } finally {
    if (button.isConnected) restore();
  }
}

function onCancelEdit() {
  clearError();
  fillForm(null);
  focusHeading(form());
}

function megabytes(bytes) {
  return String(Math.round(bytes / 1024 / 1024));
}

/** The chosen cover's refusal by the API's own limits, or null. */
function coverProblem(file) {
  if (!LIMITS.types.includes(file.type)) return both("ns_cover_type");
  if (file.size < 1) return both("ns_cover_empty");
  if (file.size > LIMITS.bytes) return both("ns_cover_size", { max: megabytes(LIMITS.bytes) });
  return null;
}

function fieldError(name, message) {
  return new ApiError({ status: 422, code: "validation", ...both("check_fields"), fields: { [name]: message } });
}

/** The cover_upload_id to send: a new upload, the one kept, or null. */
async function coverUploadId(el) {
  const file = el.cover.files && el.cover.files[0];
  if (file) {
    const progress = $("ns-form-progress");
    progress.textContent = t("ns_uploading");
    try {
      const [id] = await state.uploads.uploadAll(api, [file]);
      return id;
    } catch (e) {
      // The upload slot's own refusal (its field's words when it names one), or
      // storage's: said next to the cover.
      const named = e.fields && Object.values(e.fields)[0];
      throw fieldError("cover_upload_id", named || { message: e.message_vi, message_en: e.message_en });
    } finally {
      progress.textContent = "";
    }
  }
  if (state.editing && !el.cover_remove.checked) return state.editing.cover_upload_id || null;
  return null;
}

async function onSubmit(ev) {
  ev.preventDefault();
  const el = form().elements;
  clearError();
  clearNotice();
  clearFieldErrors(form());
  const file = el.cover.files && el.cover.files[0];
  const problem = file && coverProblem(file);
  if (problem) {
    showError(fieldError("cover_upload_id", problem), form());
    return;
  }
  const editing = state.editing;
  const restore = busy($("ns-form-submit"), "ns_saving");
  try {
    const body = {
      title: el.title.value,
      summary: el.summary.value,
      body: el.body.value,
      category_id: el.category_id.value,
      cover_upload_id: await coverUploadId(el),
    };
    let saved;
    if (editing) {
      saved = await api.request("PUT", `/v1/staff/news/${encodeURIComponent(editing.id)}`, {
        body: { ...body, version: editing.version },
      });
    } else {
      if (isAdmin()) body.agency_id = state.agency;
      saved = await api.post("/v1/staff/news", body);
    }
    state.uploads.clear(); // the cover is attached now: never offer it again
    fillForm(null);
    showNotice({ key: editing ? "ns_updated" : "ns_created", params: { title: saved.title } });
    loadList(false);
  } catch (e) {
    if (e.code === STALE && editing) {
      await reloadStale(editing.id);
    } else {
      showError(e, form());
    }
  } finally {
    restore();
  }
}

/** Someone changed the article meanwhile: the form moves to its latest version but
 *  keeps what was typed here, so nothing typed is lost; saving again replaces their
 *  version with this one, and cancelling shows theirs. */
async function reloadStale(id) {
  const el = form().elements;
  const typed = {};
  for (const name of TYPED_FIELDS) typed[name] = el[name].value;
  let latest;
  try {
    latest = await openForEdit(id);
  } catch (e) {
    fillForm(null);
    showError(e);
    loadList(false);
    return;
  }
  for (const name of TYPED_FIELDS) el[name].value = typed[name];
  showError(new ApiError({ status: 409, code: STALE, ...both("ns_stale", { title: latest.title || "" }) }), form());
  loadList(false);
}

// ---------------------------------------------------------------- publish, take down, delete

/** The article as the form holds it, when it is the one just changed. */
function followInForm(answer) {
  if (state.editing && answer && state.editing.id === answer.id) {
    // The text typed stays; the version and status follow the change.
    state.editing = { ...state.editing, version: answer.version, status: answer.status, status_label: answer.status_label, status_label_en: answer.status_label_en };
    drawForm();
  }
}

async function change(ev, article, { send, noticeKey }) {
  clearError();
  clearNotice();
  const button = ev.currentTarget;
  const restore = busy(button);
  try {
    const answer = await send();
    followInForm(answer);
    if (!answer && state.editing && state.editing.id === article.id) fillForm(null);
    showNotice({ key: noticeKey, params: { title: article.title } });
  } catch (e) {
    showError(e.code === STALE ? new ApiError({ status: 409, code: STALE, ...both("ns_stale_list") }) : e);
  } finally {
    if (button.isConnected) restore();
  }
  loadList(false);
}

function onPublish(ev, article) {
  const path = `/v1/staff/news/${encodeURIComponent(article.id)}/publish`;
  return change(ev, article, { send: () => api.post(path, { version: article.version }), noticeKey: "ns_published" });
}

function onUnpublish(ev, article) {
  if (!window.confirm(t("ns_unpublish_confirm", { title: article.title }))) return;
  const path = `/v1/staff/news/${encodeURIComponent(article.id)}/unpublish`;
  return change(ev, article, { send: () => api.post(path, { version: article.version }), noticeKey: "ns_unpublished" });
}

function onDelete(ev, article) {
  if (!window.confirm(t("ns_delete_confirm", { title: article.title }))) return;
  const path = `/v1/staff/news/${encodeURIComponent(article.id)}?version=${encodeURIComponent(article.version)}`;
  return change(ev, article, { send: () => api.request("DELETE", path), noticeKey: "ns_deleted" });
}

// ---------------------------------------------------------------- sign-out, language

function onSignedOut() {
  state.seq += 1;
  state.items = [];
  state.next = null;
  state.agencies = null;
  state.agency = null;
  state.uploads.clear();
  fillForm(null);
  drawList();
  $("ns-empty").hidden = true;
}

function onLanguage() {
  refreshBoundLabels();
  drawForm();
  drawList();
}

const shell = startStaffPage({
  page: "news",
  view: "view-news",
  roles: EDITORS,
  forbiddenKey: "ns_forbidden",
  onSignedIn: show,
  onSignedOut,
  onLanguage,
});
const { api } = shell;

form().addEventListener("submit", onSubmit);
$("ns-form-cancel").addEventListener("click", onCancelEdit);
$("ns-filter-status").addEventListener("change", (ev) => {
  clearError();
  state.status = ev.currentTarget.value;
  loadList(false);
});
$("ns-agency").addEventListener("change", (ev) => {
  clearError();
  state.agency = ev.currentTarget.value;
  // The form's article belongs to the agency left behind.
  if (state.editing) fillForm(null);
  loadList(false);
});
$("ns-refresh").addEventListener("click", () => {
  clearError();
  loadList(false);
});
$("ns-more").addEventListener("click", () => loadList(true));
