// The home page (index.html, #view-feed): a short introduction with the way to send
// a report, boxes leading to the news (the three latest titles), dossier lookup,
// online public services and the transparency page, and the public feed of
// published reports with its filters (area, category, status, period), kept in the
// URL hash: #/?area=&category=&status=&period=month|3m|year|custom&from=&to=&map=1.
// The feed is a list, and on demand also a map whose markers open a popup linking
// to the report; the list stays on the page as the accessible way to the same
// reports. citizen.js owns routing and calls load() and draw().
import { t, pick, formatDateTime, onLangChange } from "./i18n.js";
import { h, fill, busy, clearError } from "./dom.js";
import { addTiles } from "./map.js";

const PAGE = 20;
const NEWS_COUNT = 3;
// Kon Tum, as on the send form's map: the middle of the province, all of it in view.
const CENTRE = [14.65, 107.95];
const ZOOM = 9;
const PERIODS = ["all", "month", "3m", "year", "custom"];
const STATUSES = ["resolved", "reopened"];
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const VN_OFFSET_MS = 7 * 60 * 60 * 1000;

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

function pad(n) {
  return String(n).padStart(2, "0");
}

function day(d) {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Today in Vietnam, as a Date whose UTC fields are Vietnam's. */
function vnToday() {
  return new Date(Date.now() + VN_OFFSET_MS);
}

/** The filters the hash holds (#/?area=...), unknown values dropped. */
export function readFilters(hash = location.hash) {
  const query = hash.replace(/^#\/?\??/, "");
  const p = new URLSearchParams(query);
  const period = PERIODS.includes(p.get("period")) ? p.get("period") : "all";
  const from = DAY_RE.test(p.get("from") || "") ? p.get("from") : "";
  const to = DAY_RE.test(p.get("to") || "") ? p.get("to") : "";
  return {
    area: p.get("area") || "",
    category: p.get("category") || "",
    status: STATUSES.includes(p.get("status")) ? p.get("status") : "",
    period,
    from: period === "custom" ? from : "",
    to: period === "custom" ? to : "",
    map: p.get("map") === "1",
  };
}

/** The hash for filters: only what differs from the defaults. */
export function filtersHash(f) {
  const p = new URLSearchParams();
  for (const k of ["area", "category", "status"]) if (f[k]) p.set(k, f[k]);
  if (f.period && f.period !== "all") p.set("period", f.period);
  if (f.period === "custom") {
    if (f.from) p.set("from", f.from);
    if (f.to) p.set("to", f.to);
  }
  if (f.map) p.set("map", "1");
  const s = p.toString();
  return s ? `#/?${s}` : "#/";
}

/** The API's from and to (Vietnam days) for a period. */
export function periodRange(f) {
  const today = vnToday();
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  switch (f.period) {
    case "month":
      return { from: `${y}-${pad(m + 1)}-01`, to: "" };
    case "3m":
      return { from: day(new Date(Date.UTC(y, m - 3, today.getUTCDate()))), to: "" };
    case "year":
      return { from: `${y}-01-01`, to: "" };
    case "custom":
      return { from: f.from, to: f.to };
    default:
      return { from: "", to: "" };
  }
}

function queryOf(f) {
  const { from, to } = periodRange(f);
  return { area: f.area, category: f.category, status: f.status, from, to };
}

function sameQuery(a, b) {
  return JSON.stringify(queryOf(a)) === JSON.stringify(queryOf(b));
}

function filtered(f) {
  return !!(f.area || f.category || f.status || f.period !== "all");
}

/**
 * The feed of the home page. api: an Api; setLoading(on) and showError(e): the
 * page's. Returns {load(more), draw(), backHash()}.
 */
export function createFeed({ api, setLoading, showError }) {
  const state = {
    seq: 0,
    items: [],
    next: null,
    loaded: null, // the filters the items were loaded for
    filters: readFilters(),
    areas: null,
    categories: null,
    news: null,
    map: null, // {map, layer} once the map was first shown
    failed: false, // the last load showed an error, to clear once one succeeds
  };
  const form = $("feed-filters");

  // ------------------------------------------------------------ filters form

  function readForm() {
    const data = new FormData(form);
    const period = String(data.get("period") || "all");
    return {
      area: String(data.get("area") || ""),
      category: String(data.get("category") || ""),
      status: String(data.get("status") || ""),
      period,
      from: period === "custom" ? String(data.get("from") || "") : "",
      to: period === "custom" ? String(data.get("to") || "") : "",
      map: state.filters.map,
    };
  }

  function go(filters) {
    const hash = filtersHash(filters);
    if (location.hash === hash || (hash === "#/" && (location.hash === "" || location.hash === "#/"))) load(false);
    else location.hash = hash;
  }

  function showCustom() {
    const custom = form.elements.period.value === "custom";
    $("feed-custom-dates").hidden = !custom;
    for (const name of ["from", "to"]) form.elements[name].disabled = !custom;
  }

  function option(value, label, selected) {
    return h("option", { value, selected: selected || undefined }, label);
  }

  function drawForm() {
    const f = state.filters;
    const areas = (state.areas || []).filter((a) => a.parent_id !== null && a.parent_id !== undefined);
    fill(
      form.elements.area,
      option("", t("home_all_areas"), !f.area),
      areas.map((a) => option(String(a.id), pick(a, "name"), String(a.id) === f.area)),
    );
    fill(
      form.elements.category,
      option("", t("home_all_categories"), !f.category),
      (state.categories || []).map((c) => option(String(c.id), pick(c, "name"), String(c.id) === f.category)),
    );
    fill(
      form.elements.status,
      option("", t("home_all_statuses"), !f.status),
      STATUSES.map((s) => option(s, t(`home_status_${s}`), s === f.status)),
    );
    fill(
      form.elements.period,
      PERIODS.map((p) => option(p, t(`home_period_${p}`), p === f.period)),
    );
    const today = day(vnToday());
    form.elements.from.value = f.from;
    form.elements.to.value = f.to;
    form.elements.from.max = today;
    form.elements.to.max = today;
    showCustom();
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    go(readForm());
  });
  form.elements.period.addEventListener("change", showCustom);
  $("feed-reset").addEventListener("click", () => go({ period: "all", map: state.filters.map }));
  $("feed-map-toggle").addEventListener("click", () => go({ ...state.filters, map: !state.filters.map }));
  $("public-more").addEventListener("click", () => load(true));

  async function ensureLookups() {
    if (state.areas && state.categories) return;
    try {
      const [cats, areas] = await Promise.all([api.get("/v1/categories"), api.get("/v1/areas")]);
      state.categories = (cats && cats.items) || [];
      state.areas = (areas && areas.items) || [];
      drawForm();
    } catch (e) {
      showError(e);
    }
  }

  // ------------------------------------------------------------ news box

  async function ensureNews() {
    if (state.news) return;
    state.news = [];
    try {
      const data = await api.get("/v1/news", { limit: NEWS_COUNT });
      state.news = ((data && data.items) || []).slice(0, NEWS_COUNT);
    } catch {
      state.news = null; // the box keeps its link to the news page; try again later
    }
    drawNews();
  }

  function drawNews() {
    const ul = $("home-news-list");
    const items = state.news || [];
    fill(
      ul,
      items.map((n) =>
        h(
          "li",
          { testid: "home-news-item" },
          h("a", { href: `news.html#/article/${encodeURIComponent(n.id)}`, testid: "home-news-link" }, n.title || ""),
          n.published_at ? [" ", h("time", { datetime: n.published_at, class: "muted" }, formatDateTime(n.published_at).slice(0, 10))] : null,
        ),
      ),
    );
    ul.hidden = items.length === 0;
  }

  // ------------------------------------------------------------ the feed

  async function load(more) {
    const filters = readFilters();
    const onlyView = !more && state.loaded && sameQuery(filters, state.loaded);
    state.filters = filters;
    drawForm();
    ensureLookups();
    ensureNews();
    if (onlyView) {
      draw();
      return;
    }
    drawMapToggle();
    const seq = ++state.seq;
    const list = $("public-list");
    list.setAttribute("aria-busy", "true");
    const button = $("public-more");
    const restore = more ? busy(button, "loading") : null;
    if (!more) setLoading(true);
    try {
      const data = await api.get("/v1/public/reports", { limit: PAGE, cursor: more ? state.next : null, ...queryOf(filters) });
      if (seq !== state.seq) return;
      const items = (data && data.items) || [];
      state.items = more ? state.items.concat(items) : items;
      state.next = (data && data.next_cursor) || null;
      state.loaded = filters;
      if (state.failed) clearError();
      state.failed = false;
      draw();
    } catch (e) {
      if (seq === state.seq) {
        state.failed = true;
        showError(e);
      }
    } finally {
      if (restore) restore();
      if (seq === state.seq) list.removeAttribute("aria-busy");
      if (seq === state.seq && !more) setLoading(false);
    }
  }

  function card(r) {
    const loc = r.location || {};
    const when = (r.result && r.result.published_at) || r.created_at;
    return h(
      "li",
      { class: "card", testid: "public-item", dataset: { reportId: r.id || "", code: r.code || "" } },
      h(
        "div",
        { class: "card-head" },
        h("span", { class: "code", testid: "public-code" }, r.code || ""),
        h("span", { class: `status status-${r.public_status || "published"}`, testid: "public-status", dataset: { status: r.public_status || "" } }, pick(r, "public_status_label") || pick(r, "status_label")),
      ),
      h("h3", { class: "card-title" }, h("a", { href: `#/public/${encodeURIComponent(r.id)}`, testid: "public-link" }, r.title || r.code || "")),
      h(
        "p",
        { class: "muted" },
        h("span", { testid: "public-category" }, pick(r, "category_name")),
        " · ",
        h("span", { testid: "public-area" }, pick(loc, "area_name")),
        when ? [" · ", h("span", {}, t("home_published_on"), " "), h("time", { datetime: when, testid: "public-created-at" }, formatDateTime(when))] : null,
      ),
    );
  }

  function draw() {
    const f = state.filters;
    fill($("public-list"), state.items.map(card));
    const empty = $("public-empty");
    empty.textContent = t(filtered(f) ? "home_empty_filtered" : "empty_public");
    empty.hidden = state.items.length > 0 || !state.loaded;
    $("public-more").hidden = !state.next;
    $("feed-count").textContent = state.loaded ? t(state.next ? "home_count_more" : "home_count", { n: state.items.length }) : "";
    drawMapToggle();
    if (f.map) drawMap();
  }

  function drawMapToggle() {
    const f = state.filters;
    const toggle = $("feed-map-toggle");
    toggle.setAttribute("aria-pressed", String(f.map));
    toggle.textContent = t(f.map ? "home_hide_map" : "home_show_map");
    $("feed-map-box").hidden = !f.map;
  }

  // ------------------------------------------------------------ the map

  function popup(r) {
    return h(
      "div",
      { class: "feed-popup", testid: "feed-popup" },
      h("span", { class: "code" }, r.code || ""),
      h("a", { href: `#/public/${encodeURIComponent(r.id)}`, testid: "feed-popup-link" }, r.title || r.code || ""),
      h("span", { class: "muted" }, [pick(r, "category_name"), pick(r, "public_status_label")].filter(Boolean).join(" · ")),
    );
  }

  function drawMap() {
    const L = window.L;
    const container = $("feed-map");
    if (!L || !container) {
      $("feed-map-box").hidden = true; // no Leaflet: the list alone
      return;
    }
    if (!state.map) {
      const map = L.map(container, { keyboard: true }).setView(CENTRE, ZOOM);
      state.map = { map, layer: L.layerGroup().addTo(map) };
      window.paknFeedMap = state.map; // for tests
      addTiles(map);
    }
    const { map, layer } = state.map;
    map.invalidateSize();
    container.setAttribute("aria-label", t("home_map_label"));
    layer.clearLayers();
    const points = [];
    for (const r of state.items) {
      const lat = Number(r.location && r.location.lat);
      const lon = Number(r.location && r.location.lon);
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
      const marker = L.marker([lat, lon], { alt: r.title || r.code || "", title: r.title || "", keyboard: true });
      marker.bindPopup(popup(r));
      // Keyboard users land on the popup's link, and back on the pin when it closes.
      marker.on("popupopen", (ev) => {
        const link = ev.popup.getElement() && ev.popup.getElement().querySelector("a");
        if (link) link.focus({ preventScroll: true });
      });
      marker.on("popupclose", () => {
        const active = document.activeElement;
        if ((!active || active === document.body) && marker.getElement()) marker.getElement().focus({ preventScroll: true });
      });
      marker.on("add", () => {
        const el = marker.getElement();
        if (el) {
          el.dataset.testid = "feed-marker";
          el.dataset.reportId = r.id;
        }
      });
      marker.addTo(layer);
      points.push([lat, lon]);
    }
    if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [40, 40], maxZoom: 14 });
    else map.setView(CENTRE, ZOOM);
  }

  onLangChange(() => {
    if ($("view-feed").hidden) return;
    drawForm();
    drawNews();
  });

  /** The hash of the feed as last filtered: where "back to the feed" leads. */
  function backHash() {
    return filtersHash(state.filters);
  }

  return { load, draw, backHash };
}
