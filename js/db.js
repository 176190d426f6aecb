// The console's database: PouchDB with its `idb` adapter (IndexedDB), the
// store replicated to a CouchDB server later on. esbuild bundles this file
// with PouchDB into dist/db.js (cargo xtask); src/storage.rs, the only Rust
// module that touches storage, calls `clienteleDb.*`. Everything crosses the
// boundary as JSON text so the Rust side parses it with serde, once.
import PouchDB from "pouchdb-core";
import idb from "pouchdb-adapter-idb";

PouchDB.plugin(idb);

const OPTIONS = { adapter: "idb", auto_compaction: true };
let db = null;
let dbName = null;
let feed = null;
let listener = null;

// PouchDB rejects with objects of many shapes; the Rust side wants a name.
// IndexedDB's own cause (a full disk: QuotaExceededError) is in `reason`.
function failure(e) {
  const name = (e && (e.name || e.error)) || "Error";
  const reason = String((e && e.reason) || "");
  const message = [e && e.message, reason].filter(Boolean).join(": ") || String(e);
  const quota = [name, message].some((t) => /quota/i.test(t));
  return new Error(JSON.stringify({ name: quota ? "QuotaExceededError" : name, message }));
}

function startFeed() {
  if (feed) feed.cancel();
  feed = db
    .changes({ since: "now", live: true, include_docs: true })
    .on("change", (c) => listener(c.id, c.changes[0].rev, c.deleted ? null : JSON.stringify(c.doc)))
    .on("error", () => {});
}

// After a failed transaction PouchDB closes its IndexedDB connection for
// good; a fresh instance lets the next save try again.
async function reopen() {
  // PouchDB closes the old connection in IndexedDB's abort event, which
  // comes after the failed call's answer: open only once it has.
  await new Promise((r) => setTimeout(r, 50));
  try {
    if (feed) feed.cancel();
    feed = null;
    // Closing drops PouchDB's cached connection, so the next one is new.
    await db.close().catch(() => {});
    const d = new PouchDB(dbName, OPTIONS);
    await d.info();
    db = d;
    broken = false;
    if (listener) startFeed();
  } catch (e) {
    broken = true;
  }
}

let broken = false;

// Runs `f`; on failure opens the database again and, for reads, tries once
// more. A database left broken by an earlier failure is opened again first.
async function guarded(f, retry) {
  if (broken) await reopen();
  try {
    return await f();
  } catch (e) {
    await reopen();
    if (retry) {
      try {
        return await f();
      } catch (again) {
        throw failure(again);
      }
    }
    throw failure(e);
  }
}

function need() {
  if (!db) throw failure({ name: "closed", message: "the database is not open" });
  return db;
}

globalThis.clienteleDb = {
  async open(name) {
    try {
      if (typeof indexedDB === "undefined" || !indexedDB) {
        throw { name: "unavailable", message: "this browser gives the page no IndexedDB" };
      }
      const d = new PouchDB(name, OPTIONS);
      await d.info();
      db = d;
      dbName = name;
      return true;
    } catch (e) {
      throw failure(e);
    }
  },

  // Every document: JSON [[id, rev, doc], ...].
  async readAll() {
    return guarded(async () => {
      const res = await need().allDocs({ include_docs: true });
      return JSON.stringify(res.rows.filter((r) => r.doc).map((r) => [r.id, r.value.rev, r.doc]));
    }, true);
  },

  // Current revisions of these ids: JSON [[id, rev or null], ...].
  async revs(idsJson) {
    return guarded(async () => {
      const res = await need().allDocs({ keys: JSON.parse(idsJson) });
      return JSON.stringify(res.rows.map((r) => [r.key, r.value ? r.value.rev : null]));
    }, true);
  },

  // Writes a JSON array of documents in one IndexedDB transaction. Per
  // document: JSON [[id, rev, null] | [id, null, error name], ...].
  async write(json) {
    // Not retried: the caller keeps the change and says it is not saved.
    return guarded(async () => {
      const res = await need().bulkDocs(JSON.parse(json));
      return JSON.stringify(res.map((r) => (r.ok ? [r.id, r.rev, null] : [r.id, null, r.name || r.error || "error"])));
    }, false);
  },

  // Calls back (id, rev, doc JSON or null when deleted) for every change
  // written from now on, by this tab, another tab, or (later) a replication.
  listen(callback) {
    need();
    listener = callback;
    startFeed();
  },

  // Deletes the whole database (Settings -> reset).
  async destroy(name) {
    try {
      if (feed) feed.cancel();
      feed = null;
      if (db) await db.destroy();
      else await new PouchDB(name, { adapter: "idb" }).destroy();
      db = null;
      return true;
    } catch (e) {
      throw failure(e);
    }
  },

  // Storage facts for Settings: JSON {usage, quota, persisted}.
  async estimate() {
    const s = navigator.storage;
    const out = { usage: null, quota: null, persisted: null };
    try {
      if (s && s.estimate) Object.assign(out, await s.estimate());
      if (s && s.persisted) out.persisted = await s.persisted();
    } catch (e) {}
    return JSON.stringify({ usage: out.usage, quota: out.quota, persisted: out.persisted });
  },

  // Asks the browser to keep this site's data under storage pressure.
  async persist() {
    try {
      return !!(navigator.storage && navigator.storage.persist && (await navigator.storage.persist()));
    } catch (e) {
      return false;
    }
  },
};
