// The map on the send-report form: a Leaflet map (vendor/leaflet, loaded by a plain
// <script> that sets window.L) where a click, Enter on the focused map or dragging
// the pin sets the position. The latitude and longitude inputs stay the source of
// truth: the map only writes them and follows them, so a report can be sent without
// it (no script, no Leaflet, a screen reader that skips it).
import { loadConfig } from "./api.js";
import { t, onLangChange } from "./i18n.js";

// Kon Tum: the middle of the province's boundary, and a zoom that shows all of it.
const CENTRE = [14.65, 107.95];
const ZOOM = 9;
const OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const OSM_ATTRIBUTION =
  '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';
const DECIMALS = 6;

/**
 * Draw config.json's tiles under map, for every map of the site and the panel:
 * map_tiles is the URL template (OpenStreetMap's when absent; none when empty, as on
 * the local stack, which may have no way out to a tile server, and every failed tile
 * would be a console error), map_attribution the credit the tile service asks for
 * (HTML; OpenStreetMap's when absent). stillShown(): false once the page has drawn
 * another map meanwhile, which then gets no tiles from this call.
 */
export async function addTiles(map, stillShown = () => true) {
  let cfg = {};
  try {
    cfg = await loadConfig();
  } catch {
    // the page shows the config error itself; the map falls back to OpenStreetMap
  }
  const tiles = typeof cfg.map_tiles === "string" ? cfg.map_tiles : OSM_TILES;
  const attribution = typeof cfg.map_attribution === "string" ? cfg.map_attribution : OSM_ATTRIBUTION;
  if (tiles && stillShown()) window.L.tileLayer(tiles, { maxZoom: 19, attribution }).addTo(map);
}

function readNumber(input, min, max) {
  if (input.value === "" || input.validity.badInput) return null;
  const n = Number(input.value);
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
}

/**
 * Show box (hidden in the markup, with the hint) and draw a map in its .report-map,
 * bound to the lat and lon inputs. Returns the handle the page keeps (also
 * window.paknMap, for tests): {map, marker(), sync(), refresh()}.
 */
export async function attachReportMap(box, latInput, lonInput) {
  const L = window.L;
  const container = box && box.querySelector(".report-map");
  if (!L || !container) return null; // the inputs alone still work
  box.hidden = false;
  const map = L.map(container, { keyboard: true }).setView(CENTRE, ZOOM);
  let marker = null;

  function place(latlng, { write }) {
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, autoPan: true, alt: t("map_pin") });
      marker.on("dragend", () => place(marker.getLatLng(), { write: true }));
      marker.addTo(map);
    } else {
      marker.setLatLng(latlng);
    }
    if (write) {
      latInput.value = latlng.lat.toFixed(DECIMALS);
      lonInput.value = latlng.lng.toFixed(DECIMALS);
      // The form hears of it (the draft is saved); "input" would come back to sync().
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function removePin() {
    if (marker) marker.remove();
    marker = null;
  }

  /** Follow the inputs: a typed, located or reset position moves the pin. */
  function sync() {
    const lat = readNumber(latInput, -90, 90);
    const lon = readNumber(lonInput, -180, 180);
    if (lat === null || lon === null) {
      removePin();
      return;
    }
    place(L.latLng(lat, lon), { write: false });
    if (!map.getBounds().contains(marker.getLatLng())) map.panTo(marker.getLatLng());
  }

  map.on("click", (ev) => place(ev.latlng, { write: true }));
  // Leaflet's keyboard handler pans with the arrows and zooms with +/-; Enter on
  // the map itself (not on the pin or a control) puts the pin at the centre.
  container.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter" || ev.target !== container) return;
    ev.preventDefault();
    place(map.getCenter(), { write: true });
  });
  for (const input of [latInput, lonInput]) input.addEventListener("input", sync);
  // form.reset() fires "reset" before it empties the inputs.
  latInput.form.addEventListener("reset", () => setTimeout(sync));
  onLangChange(() => {
    if (marker && marker.getElement()) marker.getElement().alt = t("map_pin");
  });

  const handle = {
    map,
    marker: () => marker,
    sync,
    // A map drawn while its view was hidden has no size: measure it again.
    refresh() {
      map.invalidateSize();
      sync();
    },
  };
  window.paknMap = handle;
  sync();

  await addTiles(map);
  return handle;
}
