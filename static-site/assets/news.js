// News (news.html): the list of published articles, newest first, by category,
// and one article. Nothing here signs in. Server text goes in with textContent
// only: an article's body arrives as plain-text paragraphs.
import { Api } from "./api.js";
import { t, pick, initLangToggle, onLangChange, formatDateTime } from "./i18n.js";
import { h, fill, safeUrl, showError, clearError, refreshError, focusHeading } from "./dom.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const api = new Api(null);
const PAGE = 10;
const VIEWS = ["view-news-list", "view-news-article", "view-news-notfound"];

const state = {
  seq: 0, // bumps on every render; late answers of an older one are dropped
  route: null,
  categories: [],
  items: [],
  next: null,
  article: null,
};

function parseRoute() {
  const hash = location.hash.replace(/^#/, "") || "/";
  let m;
  if (hash === "/") return { name: "list", category: null };
  if ((m = /^\/category\/([^/?#]+)$/.exec(hash))) return { name: "list", category: decodeURIComponent(m[1]) };
  if ((m = /^\/article\/([^/?#]+)$/.exec(hash))) return { name: "article", id: decodeURIComponent(m[1]) };
  return { name: "notfound" };
}

function showView(id) {
  for (const v of VIEWS) document.getElementById(v).hidden = v !== id;
}

async function render() {
  const route = parseRoute();
  state.route = route;
  state.seq += 1;
  clearError();
  if (route.name === "list") {
    showView("view-news-list");
    drawFilter();
    await loadList(false);
  } else if (route.name === "article") {
    showView("view-news-article");
    await loadArticle(route.id);
  } else {
    showView("view-news-notfound");
  }
  focusHeading(document.querySelector(".view:not([hidden])") || document.body);
}

// ---------------------------------------------------------------- the list

function drawFilter() {
  const current = state.route && state.route.category;
  const link = (href, testid, label, on) =>
    h("a", { href, testid, "aria-current": on ? "page" : null }, label);
  fill(
    $("news-filter"),
    link("#/", "news-filter-all", t("news_all"), !current),
    state.categories.map((c) =>
      link(`#/category/${encodeURIComponent(c.id)}`, `news-filter-${c.id}`, pick(c, "name"), c.id === current),
    ),
  );
}

async function loadList(more) {
  const seq = state.seq;
  const category = state.route.category;
  $("loading").hidden = more;
  try {
    const data = await api.get("/v1/news", { category, limit: PAGE, cursor: more ? state.next : null });
    if (seq !== state.seq) return;
    state.items = more ? state.items.concat(data.items || []) : data.items || [];
    state.next = data.next_cursor || null;
    drawList();
  } catch (e) {
    if (seq === state.seq) showError(e);
  } finally {
    if (seq === state.seq) $("loading").hidden = true;
  }
}

function timeEl(iso, testid) {
  return h("time", { datetime: iso || "", testid }, formatDateTime(iso));
}

function newsCard(item) {
  const href = `#/article/${encodeURIComponent(item.id)}`;
  const thumb = safeUrl(item.cover_thumb_url);
  return h(
    "li",
    { class: `card news-card${thumb ? "" : " no-thumb"}`, testid: "news-item", dataset: { newsId: item.id } },
    thumb ? h("img", { src: thumb, alt: "", loading: "lazy", testid: "news-thumb" }) : null,
    h(
      "div",
      {},
      h("h2", { class: "card-title" }, h("a", { href, testid: "news-link" }, item.title || "")),
      h("p", { testid: "news-summary" }, item.summary || ""),
      h(
        "p",
        { class: "muted" },
        h("span", { testid: "news-category" }, pick(item, "category_name")),
        " · ",
        h("span", { testid: "news-agency" }, pick(item, "agency_name")),
        " · ",
        timeEl(item.published_at, "news-time"),
      ),
    ),
  );
}

function drawList() {
  fill($("news-list"), state.items.map(newsCard));
  $("news-empty").hidden = state.items.length > 0;
  $("news-more").hidden = !state.next;
}

// ---------------------------------------------------------------- one article

async function loadArticle(id) {
  const seq = state.seq;
  const box = document.getElementById("news-article-body");
  box.replaceChildren();
  $("loading").hidden = false;
  try {
    const article = await api.get(`/v1/news/${encodeURIComponent(id)}`);
    if (seq !== state.seq) return;
    state.article = article;
    drawArticle();
  } catch (e) {
    if (seq !== state.seq) return;
    if (e.status === 404) showView("view-news-notfound");
    else showError(e);
  } finally {
    if (seq === state.seq) $("loading").hidden = true;
  }
}

function drawArticle() {
  const a = state.article;
  if (!a) return;
  const cover = safeUrl(a.cover_url);
  fill(
    document.getElementById("news-article-body"),
    h(
      "article",
      { class: "news-article", testid: "news-article", dataset: { newsId: a.id } },
      h("h1", { testid: "news-article-title" }, a.title || ""),
      h(
        "p",
        { class: "muted" },
        h("span", { testid: "news-article-category" }, pick(a, "category_name")),
        " · ",
        h("span", { testid: "news-article-agency" }, pick(a, "agency_name")),
        " · ",
        timeEl(a.published_at, "news-article-time"),
      ),
      cover ? h("img", { src: cover, alt: t("news_cover_alt", { title: a.title || "" }), testid: "news-cover" }) : null,
      h("p", { class: "news-lead", testid: "news-lead" }, a.summary || ""),
      (a.paragraphs || []).map((text) => h("p", { testid: "news-paragraph" }, text)),
    ),
  );
}

// ---------------------------------------------------------------- start

async function loadCategories() {
  try {
    const data = await api.get("/v1/news-categories");
    state.categories = (data && data.items) || [];
  } catch (e) {
    showError(e);
  }
}

function onLanguage() {
  refreshError();
  if (!state.route) return;
  if (state.route.name === "list") {
    drawFilter();
    drawList();
  } else if (state.route.name === "article") {
    drawArticle();
  }
}

async function start() {
  initLangToggle(document);
  onLangChange(onLanguage);
  $("news-more").addEventListener("click", () => loadList(true));
  window.addEventListener("hashchange", render);
  await loadCategories();
  await render();
}

start();
