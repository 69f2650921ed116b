// Charts of the statistics pages, drawn by the vendored Chart.js (window.Chart,
// loaded by a plain <script> before the page's modules). A chart only repeats a
// table that sits beside it, so its canvas is hidden from screen readers.

export const COLORS = { received: "#0b5cad", resolved: "#2e8b57", share: "#a4161a" };

/**
 * A chart drawn at once (no animation: nothing to wait for, cheap to redraw on a
 * language switch); null when Chart.js did not load, and the table says it all.
 */
export function newChart(canvas, type, labels, datasets, yScale = {}) {
  if (!window.Chart) return null;
  return new window.Chart(canvas, {
    type,
    data: { labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      // Counts are whole numbers: no "0,5" ticks (a share passes its own scale).
      scales: { y: { beginAtZero: true, ticks: { precision: 0 }, ...yScale } },
      plugins: { legend: { position: "bottom" } },
    },
  });
}
