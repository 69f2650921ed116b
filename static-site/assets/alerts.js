// The emergency alerts banner, on every page that includes this module: asks
// GET /v1/alerts/active on load, every 30 seconds and whenever the tab comes
// back into view, and shows each alert in force at the top of the page. Alert
// text goes in through textContent only.
import { loadConfig } from "./api.js";
import { t, pick, onLangChange, formatDateTime } from "./i18n.js";
import { h } from "./dom.js";

const POLL_MS = 30_000;

const state = {
  items: [], // the last answer's alerts, gravest first
  seq: 0, // late answers of older checks are dropped
};

// The banner's own stylesheet, so a page needs only the <script> line.
function addStylesheet() {
  const href = new URL("./alerts.css", import.meta.url).href;
  if ([...document.querySelectorAll("link[rel=stylesheet]")].some((l) => l.href === href)) return;
  document.head.append(h("link", { rel: "stylesheet", href }));
}

// Before the site header (after the skip link), so it is the first thing seen.
function createBanner() {
  const banner = h("section", {
    class: "alert-banner",
    testid: "alert-banner",
    "aria-label": t("alert_region"),
    hidden: true,
  });
  const header = document.querySelector(".site-header");
  if (header) header.before(banner);
  else document.body.prepend(banner);
  return banner;
}

async function check() {
  const seq = ++state.seq;
  let items;
  try {
    const { api_base } = await loadConfig();
    // The API lets shared caches keep the answer 10 s; the browser revalidates.
    const res = await fetch(`${api_base}/v1/alerts/active`, {
      headers: { Accept: "application/json" },
      cache: "no-cache",
    });
    if (!res.ok) throw new Error(`alerts: HTTP ${res.status}`);
    items = ((await res.json()) || {}).items || [];
  } catch (e) {
    // Keep what is shown (an unreachable server does not end an alert);
    // expired ones still leave at the next draw.
    console.warn(e);
    if (seq === state.seq) draw();
    return;
  }
  if (seq !== state.seq) return;
  state.items = items;
  draw();
}

function inForce(alert) {
  const ends = Date.parse(alert.expires_at || "");
  return !Number.isFinite(ends) || ends > Date.now();
}

function areasText(alert) {
  if (alert.whole_province || !(alert.areas || []).length) return t("alert_whole_province");
  return alert.areas.map((a) => pick(a, "name")).join(", ");
}

function setText(el, text) {
  // Unchanged text is left alone, so a screen reader does not hear it again.
  if (el.textContent !== text) el.textContent = text;
}

function createItem(alert) {
  const part = (tag, testid, cls) => h(tag, { testid, class: cls });
  const item = h(
    "div",
    { class: "alert-item", role: "alert", testid: "alert-item", dataset: { alertId: alert.id } },
    h(
      "p",
      { class: "alert-head" },
      h("strong", { class: "alert-severity" }, part("span", "alert-severity"), ":"),
      " ",
      part("span", "alert-title", "alert-title"),
    ),
    part("p", "alert-body", "alert-body"),
    h(
      "p",
      { class: "alert-meta" },
      part("span", "alert-areas-label"),
      ": ",
      part("span", "alert-areas"),
      h("span", { "aria-hidden": "true" }, " · "),
      part("span", "alert-expires-label"),
      " ",
      part("time", "alert-expires"),
    ),
  );
  return item;
}

function fillItem(item, alert) {
  const $ = (testid) => item.querySelector(`[data-testid="${testid}"]`);
  item.dataset.severity = alert.severity;
  setText($("alert-severity"), pick(alert, "severity_label"));
  setText($("alert-title"), pick(alert, "title"));
  setText($("alert-body"), pick(alert, "body"));
  setText($("alert-areas-label"), t("alert_areas"));
  setText($("alert-areas"), areasText(alert));
  setText($("alert-expires-label"), t("alert_expires"));
  $("alert-expires").setAttribute("datetime", alert.expires_at || "");
  setText($("alert-expires"), formatDateTime(alert.expires_at));
}

function draw() {
  const shown = state.items.filter(inForce);
  const keep = new Set(shown.map((a) => a.id));
  for (const item of [...banner.children]) {
    if (!keep.has(item.dataset.alertId)) item.remove();
  }
  banner.setAttribute("aria-label", t("alert_region"));
  shown.forEach((alert, index) => {
    let item = [...banner.children].find((el) => el.dataset.alertId === alert.id);
    if (!item) item = createItem(alert);
    fillItem(item, alert);
    // Moved only when out of place: a re-inserted role=alert is announced again.
    if (banner.children[index] !== item) banner.insertBefore(item, banner.children[index] || null);
  });
  banner.hidden = shown.length === 0;
}

addStylesheet();
const banner = createBanner();
onLangChange(draw);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") check();
});
setInterval(check, POLL_MS);
check();
