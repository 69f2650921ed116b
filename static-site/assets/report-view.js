// One renderer for a report, used by the citizen detail views (own and public)
// and by the staff task view.
import { h, safeUrl } from "./dom.js";
import { t, pick, formatDateTime } from "./i18n.js";

/** https://www.openstreetmap.org/?mlat=..&mlon=.. for a point, or null. */
export function mapUrl(lat, lon) {
  const la = Number(lat);
  const lo = Number(lon);
  if (lat === null || lat === undefined || lat === "" || lon === null || lon === undefined || lon === "") return null;
  if (!Number.isFinite(la) || !Number.isFinite(lo)) return null;
  return `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=17/${la}/${lo}`;
}

/** A status badge; the class follows the machine status for colouring. */
export function statusBadge(report, testid = "detail-status") {
  const cls = String(report.status || "unknown").replace(/[^a-z0-9_-]/gi, "");
  return h("span", { class: `status status-${cls}`, testid, dataset: { status: report.status || "" } }, pick(report, "status_label") || report.status || "");
}

function timeEl(iso, testid) {
  if (!iso) return h("span", { testid }, "—");
  return h("time", { datetime: iso, testid }, formatDateTime(iso));
}

function isImage(att) {
  return !att.content_type || String(att.content_type).startsWith("image/");
}

function attachmentList(attachments, code, testid, itemTestid) {
  const items = (attachments || []).filter((a) => safeUrl(a.url));
  if (!items.length) return h("p", { class: "muted", testid: `${testid}-empty` }, t("no_attachments"));
  return h(
    "ul",
    { class: "photos", testid },
    items.map((a, i) => {
      const url = safeUrl(a.url);
      const n = i + 1;
      const inner = isImage(a)
        ? h("img", { src: url, alt: t("photo_alt", { n, code: code || "" }), loading: "lazy", testid: itemTestid })
        : h("span", { testid: itemTestid }, t("attachment_n", { n }));
      return h("li", {}, h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, inner));
    }),
  );
}

function row(labelKey, ...value) {
  return [h("dt", {}, t(labelKey)), h("dd", {}, ...value)];
}

/**
 * The report as an <article>. options.headingLevel (default 2) sets the
 * title's heading level.
 */
export function renderReport(report, { headingLevel = 2 } = {}) {
  const loc = report.location || {};
  const map = mapUrl(loc.lat, loc.lon);
  const heading = h(`h${headingLevel}`, { class: "report-title", testid: "detail-title" }, report.title || "");

  const area = pick(loc, "area_name");
  const placeParts = [
    h("span", { testid: "detail-address" }, loc.address || "—"),
    area ? [" (", h("span", { testid: "detail-area" }, area), ")"] : null,
  ];
  const coords = map
    ? h(
        "div",
        { class: "coords" },
        h("span", { testid: "detail-coords" }, `${t("coordinates")}: ${loc.lat}, ${loc.lon}`),
        loc.approximate ? [" ", h("span", { class: "muted", testid: "detail-approximate" }, t("place_approximate"))] : null,
        " · ",
        h("a", { href: map, target: "_blank", rel: "noopener noreferrer", testid: "detail-map-link" }, t("view_map")),
      )
    : null;

  const facts = h(
    "dl",
    { class: "facts" },
    row("code", h("strong", { testid: "detail-code" }, report.code || "")),
    row("status", statusBadge(report)),
    row("category", h("span", { testid: "detail-category" }, pick(report, "category_name") || "—")),
    report.agency_name || report.agency_name_en ? row("agency", h("span", { testid: "detail-agency" }, pick(report, "agency_name"))) : null,
    row("place", ...placeParts, coords),
    row("occurred_at", timeEl(report.occurred_at, "detail-occurred-at")),
    row("created_at", timeEl(report.created_at, "detail-created-at")),
  );

  const result = report.result;
  const resultSection = h(
    "section",
    { class: "result", testid: "detail-result", "aria-labelledby": "result-h" },
    h("h3", { id: "result-h" }, t("result")),
    result
      ? [
          h("p", { class: "prewrap", testid: "detail-result-text" }, pick(result, "text") || ""),
          result.attachments && result.attachments.length ? attachmentList(result.attachments, report.code, "result-photos", "result-photo") : null,
          result.published_at ? h("p", { class: "muted" }, `${t("published_at")}: `, timeEl(result.published_at, "detail-result-published-at")) : null,
        ]
      : h("p", { class: "muted", testid: "detail-no-result" }, t("no_result")),
  );

  const timeline = report.timeline || [];
  const timelineSection = h(
    "section",
    { class: "timeline", "aria-labelledby": "timeline-h" },
    h("h3", { id: "timeline-h" }, t("timeline")),
    timeline.length
      ? h(
          "ol",
          { testid: "detail-timeline" },
          timeline.map((e) =>
            h(
              "li",
              { testid: "timeline-item", class: e.public === false ? "internal" : null, dataset: { kind: e.kind || "" } },
              timeEl(e.at, "timeline-time"),
              " ",
              h("strong", { testid: "timeline-label" }, pick(e, "label") || e.kind || ""),
              e.public === false ? h("span", { class: "badge", testid: "timeline-internal" }, t("internal")) : null,
              e.note ? h("p", { class: "prewrap", testid: "timeline-note" }, e.note) : null,
            ),
          ),
        )
      : h("p", { class: "muted", testid: "detail-timeline-empty" }, t("no_timeline")),
  );

  return h(
    "article",
    { class: "report", testid: "report-detail", dataset: { reportId: report.id || "" } },
    heading,
    facts,
    h("section", { "aria-labelledby": "content-h" }, h("h3", { id: "content-h" }, t("content")), h("p", { class: "prewrap", testid: "detail-content" }, report.content || "")),
    h("section", { "aria-labelledby": "photos-h" }, h("h3", { id: "photos-h" }, t("attachments")), attachmentList(report.attachments, report.code, "detail-photos", "detail-photo")),
    resultSection,
    timelineSection,
  );
}

/** A card for a list (public feed and "my reports"). */
export function reportCard(report, href, testidPrefix) {
  return h(
    "li",
    { class: "card", testid: `${testidPrefix}-item`, dataset: { reportId: report.id || "", code: report.code || "" } },
    h("div", { class: "card-head" }, h("span", { class: "code", testid: `${testidPrefix}-code` }, report.code || ""), statusBadge(report, `${testidPrefix}-status`)),
    h("h3", { class: "card-title" }, h("a", { href, testid: `${testidPrefix}-link` }, report.title || report.code || "")),
    h(
      "p",
      { class: "muted" },
      h("span", { testid: `${testidPrefix}-category` }, pick(report, "category_name")),
      report.created_at ? [" · ", timeEl(report.created_at, `${testidPrefix}-created-at`)] : null,
    ),
  );
}

/**
 * A given rating (1-5) as stars: the glyphs are hidden from screen readers,
 * which read "4/5 sao" instead. data-rating holds the number.
 */
export function ratingView(stars, testid = "rating-value") {
  const n = Math.max(0, Math.min(5, Math.round(Number(stars) || 0)));
  return h(
    "span",
    { class: "rating-value", testid, dataset: { rating: String(n) } },
    h("span", { class: "rating-stars", "aria-hidden": "true" }, h("span", { class: "on" }, "★".repeat(n)), "★".repeat(5 - n)),
    " ",
    h("span", { class: "rating-text" }, t("rating_value", { n })),
  );
}
