// What staff see of a report, shared by the task page (staff.js) and the report
// lookup (staff-report-page.js): the report with the sender's contact (staff only) and
// a read-only map, and where it stands in its workflow. Labels: st_* and tl_* keys of
// the one catalogue.
import { addTiles } from "./map.js";
import { t, pick, formatDateTime } from "./i18n.js";
import { h } from "./dom.js";
import { renderReport } from "./report-view.js";

let shownMap = null; // the Leaflet map on screen, removed before another is drawn
let units = null; // unit id -> {name, name_en}, from /v1/agencies, once per page

/** The label of key if the catalogue has one, else fallback (t() answers the key itself). */
export function labelOr(key, fallback) {
  const label = t(key);
  return label === key ? fallback : label;
}

export function overdueBadge(testid) {
  return h("span", { class: "badge badge-overdue", testid }, t("overdue"));
}

export function extendedBadge(testid) {
  return h("span", { class: "badge badge-extended", testid }, t("st_extended"));
}

/** The report as staff see it, into container: its facts, the sender's contact, a
 *  read-only map, the content, photos, result and timeline. */
export function drawStaffReport(container, report) {
  const article = renderReport(report, { headingLevel: 2 });
  const contact = contactSection(report);
  const map = mapSection(report);
  const facts = article.querySelector("dl.facts");
  for (const part of [map, contact]) {
    if (!part) continue;
    if (facts) facts.after(part);
    else article.prepend(part);
  }
  container.replaceChildren(article);
  if (map) drawMap(map.querySelector(".report-map"), report);
}

// ---------------------------------------------------------------- read-only map of the report's place

/** A section for the map, or null without Leaflet or a position (the coordinates
 * and the OpenStreetMap link of the report view remain). */
function mapSection(report) {
  const loc = report.location || {};
  const known = (v) => v !== null && v !== undefined && v !== "" && Number.isFinite(Number(v));
  if (!window.L || !known(loc.lat) || !known(loc.lon)) return null;
  return h(
    "section",
    { class: "report-place", "aria-labelledby": "tl-map-h" },
    h("h3", { id: "tl-map-h" }, t("tl_map_title")),
    h("div", { class: "report-map", testid: "detail-map", role: "region", "aria-label": t("tl_map_label") }),
    h("p", { class: "hint" }, t("tl_map_hint")),
  );
}

async function drawMap(container, report) {
  if (shownMap) shownMap.remove();
  const L = window.L;
  const at = [Number(report.location.lat), Number(report.location.lon)];
  // Read-only: a marker that does not move; the map pans and zooms by mouse or keys.
  const map = L.map(container, { keyboard: true, scrollWheelZoom: false }).setView(at, 16);
  L.marker(at, { draggable: false, keyboard: false, alt: t("tl_map_marker", { code: report.code || "" }) }).addTo(map);
  shownMap = map;
  await addTiles(map, () => shownMap === map);
}

// ---------------------------------------------------------------- the citizen's contact (staff only)

// The channels of the reception desk; a report the citizen sent has no channel.
const DESK_CHANNELS = ["phone", "paper", "email", "in_person"];

function channelLabel(channel) {
  return DESK_CHANNELS.includes(channel) ? t(`st_channel_${channel}`) : t("st_channel_web");
}

/** How to reach the citizen: the contact the desk typed in, or the sender's own
 *  account for a report sent on the site or the app; null when there is none (an
 *  account deleted since). The API gives it to staff only. */
function contactSection(report) {
  const c = report.contact && typeof report.contact === "object" ? report.contact : null;
  const desk = DESK_CHANNELS.includes(report.channel);
  if (!c && !desk) return null;
  const dtdd = (labelKey, value) => [h("dt", {}, t(`st_${labelKey}`)), h("dd", {}, value)];
  const channel = report.channel || "web";
  return h(
    "section",
    { class: "report-contact", testid: "report-contact", dataset: { source: (c && c.source) || "desk" }, "aria-labelledby": "contact-h" },
    h("h3", { id: "contact-h" }, t(desk ? "st_contact_title" : "st_contact_title_web")),
    h(
      "dl",
      { class: "facts" },
      dtdd("channel", h("span", { testid: "contact-channel", dataset: { channel } }, channelLabel(channel))),
      c && c.name ? dtdd("contact_name", h("span", { testid: "contact-name" }, c.name)) : null,
      c && c.phone ? dtdd("contact_phone", h("a", { href: `tel:${c.phone}`, testid: "contact-phone" }, c.phone)) : null,
      c && c.email ? dtdd("contact_email", h("a", { href: `mailto:${c.email}`, testid: "contact-email" }, c.email)) : null,
    ),
    h("p", { class: "muted" }, t("st_contact_private")),
  );
}

// ---------------------------------------------------------------- workflow position

/** Unit names (reception and the agencies), once per page; a failure only costs names. */
export async function loadUnits(api) {
  if (units) return;
  try {
    const data = await api.get("/v1/agencies");
    const found = {};
    for (const a of (data && data.items) || []) found[a.id] = a;
    units = found;
  } catch (e) {
    console.warn(e);
  }
}

function unitName(unitId) {
  if (unitId === "reception") return t("st_unit_reception");
  const unit = units && units[unitId];
  return (unit && pick(unit, "name")) || unitId || "";
}

export function groupName(group) {
  return group ? labelOr(`st_group_${group}`, group) : "";
}

function decisionName(decision) {
  if (!decision) return t("st_dec_none");
  return labelOr(`st_dec_${decision}`, decision);
}

export function timeOrDash(iso, testid) {
  return iso ? h("time", { datetime: iso, testid }, formatDateTime(iso)) : h("span", { testid }, "—");
}

function positionStep(step) {
  const current = step.state === "current";
  const head = h(
    "div",
    { class: "pos-head" },
    h("strong", { testid: "position-label" }, pick(step, "label") || step.step || ""),
    h("span", { class: "pos-unit", testid: "position-unit" }, unitName(step.unit_id)),
  );
  let body;
  if (current) {
    const holder = step.holder ? `${step.holder} (${groupName(step.group)})` : groupName(step.group);
    const late = step.overdue || (step.due_at && Date.parse(step.due_at) < Date.now());
    body = h(
      "dl",
      { class: "pos-current", testid: "position-current" },
      h("dt", {}, t("st_pos_holder")),
      h("dd", { testid: "position-holder" }, holder),
      h("dt", {}, t("st_pos_since")),
      h("dd", {}, timeOrDash(step.since, "position-since")),
      h("dt", {}, t("st_pos_due")),
      h(
        "dd",
        {},
        timeOrDash(step.due_at, "position-due"),
        late ? [" ", overdueBadge("position-overdue")] : null,
        step.extended ? [" ", extendedBadge("position-extended")] : null,
      ),
    );
  } else {
    body = h(
      "p",
      { class: "pos-done" },
      h("span", { testid: "position-decision", dataset: { decision: step.decision || "" } }, decisionName(step.decision)),
      " · ",
      timeOrDash(step.decided_at, "position-decided-at"),
      step.holder ? [" · ", step.holder] : null,
      step.overdue ? [" ", h("span", { class: "badge warn" }, t("st_pos_was_overdue"))] : null,
      step.extended ? [" ", extendedBadge(null)] : null,
    );
  }
  return h(
    "li",
    {
      class: current ? "pos-step pos-step-current" : "pos-step pos-step-done",
      testid: "position-step",
      "aria-current": current ? "step" : null,
      dataset: { state: step.state || "", step: step.step || "" },
    },
    head,
    body,
  );
}

/** Where the report stands in its workflow, each step it went through; null when
 *  the answer has no workflow (not a staff view). */
export function positionPanel(report) {
  const steps = report && report.workflow;
  if (!Array.isArray(steps)) return null;
  return h(
    "section",
    { class: "panel position", "aria-labelledby": "position-h" },
    h("h2", { id: "position-h" }, t("st_position_title")),
    steps.length
      ? h("ol", { class: "position-list", testid: "workflow-position" }, steps.map(positionStep))
      : h("p", { class: "muted" }, t("st_position_empty")),
  );
}
