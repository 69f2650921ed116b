// Talking to the pakn API: configuration, session (tokens in sessionStorage),
// JSON requests, error parsing and photo uploads.
import { getLang, both } from "./i18n.js";

/** An API (or network) failure, shaped like the API's error body. */
export class ApiError extends Error {
  constructor({ status = 0, code = "error", message = "", message_en = "", fields = null } = {}) {
    super(message || message_en || code);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.message_vi = message;
    this.message_en = message_en;
    this.fields = fields && typeof fields === "object" ? fields : null;
  }

  /** The message in the current language. */
  localized() {
    if (getLang() === "en") return this.message_en || this.message_vi || this.code;
    return this.message_vi || this.message_en || this.code;
  }
}

// ---- configuration ----

let configPromise = null;

/** Reads config.json, which sits beside the pages (one level above assets/). */
export function loadConfig() {
  if (!configPromise) {
    const url = new URL("../config.json", import.meta.url);
    configPromise = fetch(url, { cache: "no-store" })
      .then((res) => {
        if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
        return res.json();
      })
      .then((cfg) => {
        if (!cfg || typeof cfg.api_base !== "string" || !cfg.api_base) {
          throw new Error("config.json: api_base missing");
        }
        return { ...cfg, api_base: cfg.api_base.replace(/\/+$/, "") };
      })
      .catch((e) => {
        configPromise = null; // let a later call try again
        console.warn(e);
        throw new ApiError({ code: "config", ...both("err_config") });
      });
  }
  return configPromise;
}

// ---- session ----

/**
 * The signed-in state of one site (citizen or staff), kept in sessionStorage
 * under its own key so the two pages do not share a sign-in.
 */
export class Session {
  constructor(storageKey) {
    this.key = storageKey;
  }

  get() {
    let data = null;
    try {
      data = JSON.parse(sessionStorage.getItem(this.key) || "null");
    } catch {
      data = null;
    }
    if (!data || !data.id_token) return null;
    if (data.expires_at && Date.now() >= data.expires_at) {
      this.clear();
      return null;
    }
    return data;
  }

  save(signInResponse) {
    const { id_token, access_token, refresh_token, expires_in, user } = signInResponse;
    const data = {
      id_token,
      access_token,
      refresh_token,
      user: user || {},
      expires_at: expires_in ? Date.now() + Number(expires_in) * 1000 : null,
    };
    try {
      sessionStorage.setItem(this.key, JSON.stringify(data));
    } catch {
      /* storage disabled: keep it in memory only */
      this._memory = data;
    }
    return data;
  }

  clear() {
    this._memory = null;
    try {
      sessionStorage.removeItem(this.key);
    } catch {
      /* nothing to clear */
    }
  }

  get idToken() {
    const s = this.get() || this._memory;
    return s ? s.id_token : null;
  }

  get user() {
    const s = this.get() || this._memory;
    return s ? s.user : null;
  }
}

// ---- requests ----

function randomHex(bytes) {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A version 4 UUID (crypto.randomUUID is missing outside secure contexts). */
export function uuid() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const h = randomHex(16).split("");
  h[12] = "4";
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

async function errorFromResponse(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (body && typeof body === "object" && (body.code || body.message || body.message_en)) {
    return new ApiError({ status: res.status, ...body });
  }
  // Both language versions (from the catalogue), so a later language switch can show the other.
  const text = res.status >= 500 ? both("err_server", { status: res.status }) : { message: `HTTP ${res.status}`, message_en: `HTTP ${res.status}` };
  return new ApiError({ status: res.status, code: `http_${res.status}`, ...text });
}

function networkError(e) {
  console.warn(e);
  return new ApiError({
    status: 0,
    code: "network",
    ...both("err_network"),
  });
}

/**
 * An API client bound to a Session. onUnauthorized() is called when a signed-in
 * request answers 401 (the session is cleared first).
 */
export class Api {
  constructor(session, { onUnauthorized } = {}) {
    this.session = session;
    this.onUnauthorized = onUnauthorized || (() => {});
  }

  /**
   * request("GET", "/v1/categories") -> parsed JSON (null for 204).
   * options: body (sent as JSON), query (object; empty values skipped), headers.
   */
  async request(method, path, { body, query, headers = {} } = {}) {
    const { api_base } = await loadConfig();
    let url = api_base + path;
    if (query) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) {
        if (v !== undefined && v !== null && v !== "") qs.set(k, String(v));
      }
      const s = qs.toString();
      if (s) url += (url.includes("?") ? "&" : "?") + s;
    }
    const h = { Accept: "application/json", ...headers };
    if (body !== undefined) h["Content-Type"] = "application/json";
    const token = this.session && this.session.idToken;
    if (token) h.Authorization = `Bearer ${token}`;

    let res;
    try {
      res = await fetch(url, {
        method,
        headers: h,
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (e) {
      throw networkError(e);
    }
    if (res.status === 401 && token) {
      const err = await errorFromResponse(res);
      this.session.clear();
      this.onUnauthorized(err);
      throw err;
    }
    if (!res.ok) throw await errorFromResponse(res);
    if (res.status === 204) return null;
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  }

  get(path, query) {
    return this.request("GET", path, { query });
  }

  post(path, body, headers) {
    return this.request("POST", path, { body, headers });
  }

  // ---- auth ----

  async signIn(username, password) {
    const data = await this.post("/v1/auth/sign-in", { username, password });
    this.session.save(data);
    return data;
  }

  async signOut() {
    try {
      if (this.session.idToken) await this.post("/v1/auth/sign-out", {});
    } finally {
      this.session.clear();
    }
  }

  // ---- uploads ----

  /**
   * Upload one file: ask the API for a presigned POST, then send the form to
   * storage (every given field first, the file last under "file").
   * Returns the upload_id.
   */
  async upload(file) {
    const contentType = file.type || guessContentType(file.name);
    const ticket = await this.post("/v1/uploads", {
      filename: file.name,
      content_type: contentType,
      size: file.size,
    });
    const form = new FormData();
    for (const [k, v] of Object.entries(ticket.fields || {})) form.append(k, v);
    form.append("file", file, file.name);
    let res;
    try {
      res = await fetch(ticket.url, { method: "POST", body: form });
    } catch (e) {
      console.warn(e);
      throw uploadError(file, 0);
    }
    if (!res.ok) throw uploadError(file, res.status);
    return { upload_id: ticket.upload_id, expires_at: ticket.expires_at || null };
  }
}

function uploadError(file, status) {
  return new ApiError({
    status,
    code: "upload_failed",
    ...both("err_upload", { name: file.name }),
  });
}

function guessContentType(name) {
  const ext = (name.split(".").pop() || "").toLowerCase();
  return (
    {
      jpg: "image/jpeg",
      jpeg: "image/jpeg",
      png: "image/png",
      gif: "image/gif",
      webp: "image/webp",
      heic: "image/heic",
      heif: "image/heif",
    }[ext] || "application/octet-stream"
  );
}

/**
 * Remembers the upload_id of each chosen file, so that retrying a failed
 * submission does not upload the same photos again (and the request body, and
 * so its Idempotency-Key, stays the same).
 */
export class UploadCache {
  constructor() {
    this.map = new Map();
  }

  static keyOf(file) {
    return `${file.name}|${file.size}|${file.lastModified}|${file.type}`;
  }

  async uploadAll(api, files, onProgress = () => {}) {
    const ids = [];
    let n = 0;
    for (const file of files) {
      n += 1;
      onProgress(n, files.length);
      const key = UploadCache.keyOf(file);
      const hit = this.map.get(key);
      const fresh = hit && (!hit.expires_at || Date.parse(hit.expires_at) > Date.now() + 60000);
      if (fresh) {
        ids.push(hit.upload_id);
        continue;
      }
      const up = await api.upload(file);
      this.map.set(key, up);
      ids.push(up.upload_id);
    }
    return ids;
  }

  clear() {
    this.map.clear();
  }
}
