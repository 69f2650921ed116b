// The citizen site's service worker: an offline shell, nothing else.
//
// - The citizen pages, their CSS, JS modules, vendor files and icons are put in a
//   cache named after VERSION when the worker installs; older caches go when it
//   activates. VERSION is a hash of those files, written by
//   `python -m infra.shell_version`; a unit test fails when it is stale, since
//   browsers would keep serving the old copies (cache-first).
// - A navigation to a citizen page goes to the network first; offline, the cached
//   copy of that page (or of index.html) answers.
// - A precached static file answers from the cache first.
// - Everything else goes to the network untouched and is never stored: the API (on
//   another origin, and its answers carry personal data), S3 uploads and photos,
//   config.json, the staff panel (/staff/).
const VERSION = "pakn-shell-ed6c8e576596";

const PAGES = ["./", "index.html", "news.html", "dossiers.html", "services.html", "transparency.html"];

const FILES = [
  "manifest.webmanifest",
  "assets/style.css",
  "assets/news.css",
  "assets/stats.css",
  "assets/alerts.css",
  "assets/alerts.js",
  "assets/api.js",
  "assets/charts.js",
  "assets/citizen.js",
  "assets/dom.js",
  "assets/dossiers.js",
  "assets/draft.js",
  "assets/feed.js",
  "assets/i18n.js",
  "assets/map.js",
  "assets/news.js",
  "assets/photos.js",
  "assets/pwa.js",
  "assets/report-view.js",
  "assets/transparency.js",
  "assets/icons/icon-192.png",
  "assets/icons/icon-512.png",
  "assets/icons/icon-maskable-512.png",
  "assets/vendor/leaflet/leaflet.css",
  "assets/vendor/leaflet/leaflet.js",
  "assets/vendor/leaflet/images/layers.png",
  "assets/vendor/leaflet/images/layers-2x.png",
  "assets/vendor/leaflet/images/marker-icon.png",
  "assets/vendor/leaflet/images/marker-icon-2x.png",
  "assets/vendor/leaflet/images/marker-shadow.png",
  "assets/vendor/chartjs/chart.umd.min.js",
];

const scopeUrl = (path) => new URL(path, self.registration.scope).href;
const SHELL = new Set([...PAGES, ...FILES].map(scopeUrl));
const PAGE_URLS = new Set(PAGES.map(scopeUrl));

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(VERSION);
      // "reload": past the HTTP cache, so a new version never stores an old file.
      await cache.addAll([...SHELL].map((url) => new Request(url, { cache: "reload" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("pakn-shell-") && name !== VERSION) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

/** The URL without query and fragment (the cache is keyed on that). */
function bare(url) {
  const u = new URL(url);
  u.search = "";
  u.hash = "";
  return u.href;
}

async function networkFirstPage(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cache = await caches.open(VERSION);
    const hit = (await cache.match(bare(request.url))) || (await cache.match(scopeUrl("index.html")));
    if (hit) return hit;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(VERSION);
  const hit = await cache.match(bare(request.url));
  return hit || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return; // the API, S3, map tiles
  const key = bare(request.url);
  if (request.mode === "navigate") {
    if (PAGE_URLS.has(key)) event.respondWith(networkFirstPage(request));
    return;
  }
  if (SHELL.has(key)) event.respondWith(cacheFirst(request));
});
