// Dossier lookup (dossiers.html) and online public services (services.html).
// Neither needs a sign-in; the ID number goes in a POST body, never in a URL.
import { Api, ApiError } from "./api.js";
import { t, pick, initLangToggle, onLangChange } from "./i18n.js";
import { h, fill, safeUrl, showError, clearError, refreshError, busy, clearFieldErrors } from "./dom.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const api = new Api(null);
const state = { units: [], found: null, services: null };

/** "2026-01-15" -> "15/01/2026"; "" for nothing. */
function formatDay(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : "";
}

function loading(on) {
  $("loading").hidden = !on;
}

// ---- dossier lookup ----

function drawUnits() {
  const select = $("dossier-unit");
  const chosen = select.value;
  const auto = h("option", { value: "" }, t("dossier_unit_auto"));
  fill(select, auto, state.units.map((u) => h("option", { value: u.id }, pick(u, "name"))));
  select.value = chosen;
}

function drawFound() {
  const box = $("dossier-result");
  const found = state.found;
  box.hidden = !found;
  if (!found) return;
  $("dossier-result-code").textContent = found.code;
  $("dossier-unit-name").textContent = pick(found.unit, "name");
  const status = $("dossier-status");
  status.textContent = pick(found.status, "label");
  status.dataset.status = found.status.code;
  status.className = `status status-${found.status.code}`;
  $("dossier-overdue").hidden = !found.overdue;
  $("dossier-received").textContent = formatDay(found.received_date) || t("dossier_none");
  $("dossier-due").textContent = formatDay(found.due_date) || t("dossier_none");
  $("dossier-result-text").textContent = found.result || t("dossier_no_result");
}

async function onLookup(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clearError();
  state.found = null;
  drawFound();
  const body = { code: $("dossier-code").value.trim() };
  const idNumber = $("dossier-id-number").value.trim();
  if (idNumber) body.id_number = idNumber;
  if ($("dossier-unit").value) body.unit = $("dossier-unit").value;
  const done = busy($("dossier-submit"), "dossier_searching");
  try {
    state.found = await api.post("/v1/dossiers/lookup", body);
    drawFound();
  } catch (err) {
    showError(err instanceof ApiError ? err : String(err), form);
  } finally {
    done();
  }
}

async function startDossiers() {
  $("dossier-form").addEventListener("submit", onLookup);
  try {
    state.units = (await api.get("/v1/dossiers/units")).items;
    drawUnits();
  } catch (err) {
    showError(err);
  }
}

// ---- online public services ----

function drawServices() {
  const items = state.services || [];
  const groups = new Map();
  for (const item of items) {
    if (!groups.has(item.category)) groups.set(item.category, []);
    groups.get(item.category).push(item);
  }
  const sections = [...groups.entries()].map(([category, list]) =>
    h(
      "section",
      { class: "panel", testid: "service-group", dataset: { category } },
      h("h2", { testid: "service-group-name" }, pick(list[0], "category_name")),
      h(
        "ul",
        { class: "cards" },
        list.map((s) =>
          h(
            "li",
            { class: "card", testid: "service-item", dataset: { id: s.id } },
            h(
              "p",
              { class: "card-title" },
              h("a", { href: safeUrl(s.url), target: "_blank", rel: "noopener noreferrer", testid: "service-link" }, pick(s, "name")),
            ),
            h("p", { class: "muted", testid: "service-agency" }, pick(s, "agency_name")),
            pick(s, "description") ? h("p", { testid: "service-description" }, pick(s, "description")) : null,
          ),
        ),
      ),
    ),
  );
  fill($("service-groups"), sections);
  $("service-empty").hidden = state.services === null || items.length > 0;
}

async function startServices() {
  loading(true);
  try {
    state.services = (await api.get("/v1/services")).items;
    drawServices();
  } catch (err) {
    showError(err);
  } finally {
    loading(false);
  }
}

// ---- both pages ----

function onLanguage() {
  refreshError();
  if (document.body.dataset.page === "dossiers") {
    drawUnits();
    drawFound();
  } else {
    drawServices();
  }
}

initLangToggle(document);
onLangChange(onLanguage);
if (document.body.dataset.page === "dossiers") startDossiers();
else startServices();
