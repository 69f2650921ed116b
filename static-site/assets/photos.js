// The photos of the send form: chosen from files or taken with the camera, shown
// as thumbnails (object URLs) each with a remove button and its upload progress,
// checked against the API's limits before anything is sent, and uploaded one by one
// (POST /v1/uploads, then the presigned POST to storage by XMLHttpRequest, whose
// upload progress events fetch() does not give).
import { ApiError, uuid } from "./api.js";
import { t, both } from "./i18n.js";
import { h } from "./dom.js";

// The API's limits (chalicelib/adapters/storage.py ALLOWED_TYPES and MAX_BYTES,
// chalicelib/domain/reports.py UPLOADS_MAX).
export const LIMITS = {
  count: 10,
  bytes: 10 * 1024 * 1024,
  types: ["image/jpeg", "image/png", "image/webp"],
};

// An upload_id stays usable for a report for two days (the uploads table's TTL);
// one older than this is uploaded again rather than refused by the API.
const UPLOAD_KEEP_MS = 24 * 60 * 60 * 1000;

const BY_EXTENSION = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };

function typeOf(file) {
  if (file.type) return file.type;
  const ext = (String(file.name || "").split(".").pop() || "").toLowerCase();
  return BY_EXTENSION[ext] || "";
}

function megabytes(bytes) {
  return (bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "");
}

/**
 * The photo list. items: [{id, blob, name, type, size, upload_id, uploaded_at}];
 * each drawn item also has url (its object URL) and progress (0..1 or null).
 * onChange() is called after every add or removal (the draft saves then).
 */
export class PhotoList {
  constructor({ list, status, onChange = () => {} }) {
    this.list = list;
    this.status = status;
    this.onChange = onChange;
    this.items = [];
    this.locked = false; // no removal while uploading or queued
  }

  /** Add files; returns the refusals as [{message, message_en}]. */
  add(files) {
    const refused = [];
    let added = 0;
    for (const file of files) {
      const type = typeOf(file);
      const name = file.name || `photo-${this.items.length + 1}.jpg`;
      if (!LIMITS.types.includes(type)) {
        refused.push(both("snd_photo_type", { name }));
      } else if (file.size > LIMITS.bytes) {
        refused.push(both("snd_photo_size", { name, size: megabytes(file.size), max: megabytes(LIMITS.bytes) }));
      } else if (file.size < 1) {
        refused.push(both("snd_photo_empty", { name }));
      } else if (this.items.length >= LIMITS.count) {
        refused.push(both("snd_photo_count", { max: LIMITS.count }));
        break;
      } else {
        this.items.push({ id: uuid(), blob: file, name, type, size: file.size, upload_id: null, uploaded_at: null });
        added += 1;
      }
    }
    if (added) {
      this.draw();
      this.announce(t("snd_photos_added", { n: added, count: this.items.length, max: LIMITS.count }));
      this.onChange();
    }
    return refused;
  }

  remove(id) {
    if (this.locked) return;
    const at = this.items.findIndex((it) => it.id === id);
    if (at < 0) return;
    const [gone] = this.items.splice(at, 1);
    if (gone.url) URL.revokeObjectURL(gone.url);
    this.draw();
    this.announce(t("snd_photo_removed", { name: gone.name, count: this.items.length, max: LIMITS.count }));
    // Keep the keyboard where it was: the next remove button, or the previous one.
    const buttons = this.list.querySelectorAll('[data-testid="photo-remove"]');
    const next = buttons[Math.min(at, buttons.length - 1)];
    if (next) next.focus();
    else this.list.closest("fieldset")?.querySelector("input[type=file]")?.focus();
    this.onChange();
  }

  /** Replace the list with records from a draft (Blobs included). */
  restore(records) {
    this.clear();
    this.items = (records || []).filter((r) => r && r.blob).map((r) => ({ ...r, url: null, progress: null }));
    this.draw();
  }

  /** The items as stored in the draft (no object URLs). */
  records() {
    return this.items.map(({ id, blob, name, type, size, upload_id, uploaded_at }) => ({ id, blob, name, type, size, upload_id, uploaded_at }));
  }

  clear() {
    for (const it of this.items) if (it.url) URL.revokeObjectURL(it.url);
    this.items = [];
    this.draw();
  }

  lock(on) {
    this.locked = on;
    for (const b of this.list.querySelectorAll('[data-testid="photo-remove"]')) b.disabled = on;
  }

  announce(text) {
    if (this.status) this.status.textContent = text;
  }

  /** Whether item still needs uploading. */
  static needsUpload(item) {
    return !item.upload_id || !item.uploaded_at || Date.now() - item.uploaded_at > UPLOAD_KEEP_MS;
  }

  setProgress(id, fraction) {
    const it = this.items.find((x) => x.id === id);
    if (!it) return;
    it.progress = fraction;
    this.drawState(it);
  }

  draw() {
    this.list.replaceChildren(...this.items.map((it, i) => this.drawItem(it, i + 1)));
    this.list.hidden = this.items.length === 0;
  }

  drawItem(it, n) {
    if (!it.url) it.url = URL.createObjectURL(it.blob);
    const li = h(
      "li",
      { class: "photo-item", testid: "photo-item", "data-photo-id": it.id },
      h("img", { src: it.url, alt: t("snd_photo_alt", { n, name: it.name }), testid: "photo-thumb" }),
      h("span", { class: "photo-name" }, it.name),
      h("progress", { max: "100", value: "0", testid: "photo-progress", "aria-label": t("snd_photo_progress_label", { n }), hidden: true }),
      h("span", { class: "photo-state muted", testid: "photo-state" }),
      h(
        "button",
        {
          type: "button",
          class: "secondary photo-remove",
          testid: "photo-remove",
          "aria-label": t("snd_photo_remove_label", { n, name: it.name }),
          disabled: this.locked,
          onclick: () => this.remove(it.id),
        },
        t("snd_photo_remove"),
      ),
    );
    this.drawState(it, li);
    return li;
  }

  drawState(it, li = this.list.querySelector(`[data-photo-id="${CSS.escape(it.id)}"]`)) {
    if (!li) return;
    const bar = li.querySelector("progress");
    const state = li.querySelector(".photo-state");
    const done = !PhotoList.needsUpload(it);
    if (done) {
      bar.hidden = false;
      bar.value = 100;
      state.textContent = t("snd_photo_uploaded");
    } else if (typeof it.progress === "number") {
      bar.hidden = false;
      bar.value = Math.round(it.progress * 100);
      state.textContent = `${Math.round(it.progress * 100)}%`;
    } else {
      bar.hidden = true;
      state.textContent = "";
    }
  }
}

function uploadFailed(item, status) {
  return new ApiError({ status, code: "upload_failed", ...both("snd_upload_failed", { name: item.name }) });
}

/**
 * Upload one photo: a slot from the API, then the presigned POST with every given
 * field first and the file last. onProgress(fraction) follows the bytes sent.
 * Returns {upload_id, uploaded_at}.
 */
export async function uploadPhoto(api, item, onProgress = () => {}) {
  const ticket = await api.post("/v1/uploads", { filename: item.name, content_type: item.type, size: item.size });
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.fields || {})) form.append(k, v);
  form.append("file", item.blob, item.name);
  await new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", ticket.url);
    xhr.upload.addEventListener("progress", (ev) => {
      if (ev.lengthComputable && ev.total) onProgress(ev.loaded / ev.total);
    });
    xhr.addEventListener("load", () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(uploadFailed(item, xhr.status))));
    xhr.addEventListener("error", () => reject(uploadFailed(item, 0)));
    xhr.addEventListener("abort", () => reject(uploadFailed(item, 0)));
    xhr.addEventListener("timeout", () => reject(uploadFailed(item, 0)));
    xhr.send(form);
  });
  onProgress(1);
  return { upload_id: ticket.upload_id, uploaded_at: Date.now() };
}
