// Registers the service worker (../sw.js, the offline shell) where the browser has
// them; elsewhere the site works as before, without the offline shell.
export function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const url = new URL("../sw.js", import.meta.url);
  const register = () => navigator.serviceWorker.register(url).catch((e) => console.warn("service worker", e));
  // After the page's own loads, so the precache does not compete with them.
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}

registerServiceWorker();
