// The send form's draft and outbox in IndexedDB: one record per citizen on this
// browser profile, kept across reloads, closed tabs and lost connections. The few IndexedDB calls
// are written here rather than vendored (docs/design.md, "Offline drafts and PWA").
//
// The record (key "send:<sub>"):
//   owner     the sub of the citizen who wrote it; only they see or send it
//   fields    the form's raw values {title, content, category_id, area_id, address,
//             lat, lon, occurred_at}
//   photos    [{id, blob, name, type, size, upload_id, uploaded_at}], the photos as
//             Blobs, with their upload_id once uploaded (never uploaded twice)
//   outgoing  the report body (without upload_ids) the citizen pressed "send" for,
//             or null
//   pending   {key, json}: the Idempotency-Key and the exact body last POSTed with it
//   queued    true while the report waits for the connection
//   updated_at
//
// A draft outlives its citizen's sign-out only if they choose to keep it: signing out
// with one stored asks to keep or delete it (citizen.js, askAboutDraft). Only its
// owner sees it again, after signing in.

const DB_NAME = "pakn";
const DB_VERSION = 1;
const STORE = "drafts";
const SEND_PREFIX = "send:";
const LOOKUPS_KEY = "lookups"; // the public categories and areas, for an offline form

let dbPromise = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function open() {
  if (!dbPromise) {
    if (!("indexedDB" in window)) return Promise.reject(new Error("no IndexedDB"));
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
    };
    dbPromise = promised(request).then((db) => {
      // Another tab opening a newer version: let it, and reopen next time.
      db.onversionchange = () => {
        db.close();
        dbPromise = null;
      };
      return db;
    });
    dbPromise.catch(() => {
      dbPromise = null;
    });
  }
  return dbPromise;
}

async function run(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    let result;
    promised(work(tx.objectStore(STORE))).then((r) => {
      result = r;
    }, reject);
    tx.oncomplete = () => resolve(result);
    tx.onabort = tx.onerror = () => reject(tx.error);
  });
}

const get = (key) => run("readonly", (store) => store.get(key));
const put = (key, value) => run("readwrite", (store) => store.put(value, key));
const remove = (key) => run("readwrite", (store) => store.delete(key));

export function loadDraft(owner) {
  return get(SEND_PREFIX + owner).then((d) => d || null);
}

export function saveDraft(owner, draft) {
  return put(SEND_PREFIX + owner, { ...draft, owner, updated_at: new Date().toISOString() });
}

export function deleteDraft(owner) {
  return remove(SEND_PREFIX + owner);
}

/** Whether any citizen's report waits in this browser (without saying whose). */
export async function anyQueued() {
  const range = IDBKeyRange.bound(SEND_PREFIX, `${SEND_PREFIX}\uffff`);
  const all = await run("readonly", (store) => store.getAll(range));
  return (all || []).some((d) => d && d.queued);
}

export function loadLookups() {
  return get(LOOKUPS_KEY).then((d) => d || null);
}

export function saveLookups(categories, areas) {
  return put(LOOKUPS_KEY, { categories, areas, saved_at: new Date().toISOString() });
}

/** Whether the draft holds anything the citizen typed or chose. */
export function hasContent(draft) {
  if (!draft) return false;
  if (draft.queued || (draft.photos && draft.photos.length)) return true;
  const f = draft.fields || {};
  return ["title", "content", "category_id", "area_id", "address", "lat", "lon"].some((k) => f[k]);
}
