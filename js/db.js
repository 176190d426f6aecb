// The console's database, as the first load has it. The database is
// PouchDB with its `idb` adapter (js/pouch.js, 30 KB gz): this script opens
// the console by reading PouchDB's IndexedDB stores itself, read-only, and
// fetches PouchDB once the first screen is up (or sooner, when a write
// needs it); every call but the reading waits for it. So a boutique sees
// its dashboard without waiting for the database's code, and a change made
// in that moment is saved when it arrives (the console's journal covers a
// page closed meanwhile). src/storage.rs, the only Rust module that touches
// storage, calls `clienteleDb.*`. Everything crosses the boundary as JSON
// text so the Rust side parses it with serde, once.
//
import { failure, loadScript } from "./failure.js";

// PouchDB's idb adapter keeps (its version 5 layout): `document-store`,
// each document's metadata by id (`winningRev`, `deletedOrLocal` "1" when
// deleted, `seq` of its latest write); `by-sequence`, the bodies under
// their sequence, with `_doc_id_rev` ("id::rev", indexed); `local-store`,
// the `_local` documents by `_id`. The tests compare this reading with
// PouchDB's own, in Chromium and in WebKit.

let dbName = null;
let listener = null;
// The sequence the console's reading stood at: the change feed goes on
// from there, so nothing written meanwhile (another tab) is missed.
let readSeq = null;
let partBytes = null;

// PouchDB, loaded and opened: {api, answer} (answer "full" when the
// origin is full and PouchDB could not open; its calls then say so).
let opening = null;
function pouch() {
  if (!opening) {
    const mine = (async () => {
      const api = await loadScript("pouch.js", "clienteleDbPouch").catch((e) => {
        throw failure(e);
      });
      if (partBytes) api.snapshotPartBytes = partBytes;
      const answer = await api.open(dbName);
      if (listener) api.listen(listener, readSeq);
      return { api, answer };
    })();
    opening = mine;
    // Not opened: the next call tries again (unless a reset began anew).
    mine.catch(() => {
      if (opening === mine) opening = null;
    });
  }
  return opening;
}

// A call PouchDB answers.
function later(method) {
  return async (...args) => (await pouch()).api[method](...args);
}

// WebKit's private browsing leaves an open of IndexedDB unanswered: a
// limit keeps the console from waiting on a blank page.
const OPEN_LIMIT_MS = 8000;

// PouchDB's IndexedDB database as it is, or null when there is none yet
// (then nothing is created: PouchDB makes it on the first write).
function rawOpen(name) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject({ name: "unavailable", message: `the database did not open within ${OPEN_LIMIT_MS / 1000} s` }),
      OPEN_LIMIT_MS
    );
    const req = indexedDB.open(`_pouch_${name}`);
    req.onupgradeneeded = () => req.transaction.abort();
    req.onsuccess = () => {
      clearTimeout(timer);
      const idb = req.result;
      // A delete (Settings -> reset) or PouchDB's upgrade must not wait on us.
      idb.onversionchange = () => idb.close();
      if (["document-store", "by-sequence", "local-store"].every((s) => idb.objectStoreNames.contains(s))) {
        resolve(idb);
      } else {
        idb.close();
        resolve(null);
      }
    };
    req.onerror = (e) => {
      clearTimeout(timer);
      if (req.error && req.error.name === "AbortError") {
        // No database yet: the upgrade that would have made one is undone.
        e.preventDefault();
        resolve(null);
      } else {
        reject(req.error || { name: "unavailable", message: "IndexedDB refused to open" });
      }
    };
  });
}

// The `_local` documents of a store: snapshot, its parts, the unfinished mark.
const SNAPSHOT = "_local/snapshot";
const UNFINISHED = "_local/unfinished";
const partId = (gen, i) => `${SNAPSHOT}/${gen}/${i}`;

// A document's winning body as PouchDB gives it, or null.
function body(raw, id, rev) {
  if (!raw) return null;
  delete raw._doc_id_rev;
  return Object.assign(raw, { _id: id, _rev: rev });
}

// Runs `read(stores, done)` in one read-only transaction over PouchDB's
// stores; `done(make)` names how to make the answer, once the transaction
// has ended (requests made after `done` fill in what `make` reads).
function inTransaction(idb, read) {
  return new Promise((resolve, reject) => {
    const txn = idb.transaction(["document-store", "by-sequence", "local-store"], "readonly");
    let answer;
    read(
      {
        docs: txn.objectStore("document-store"),
        bodies: txn.objectStore("by-sequence"),
        byIdRev: txn.objectStore("by-sequence").index("_doc_id_rev"),
        local: txn.objectStore("local-store"),
      },
      (value) => (answer = value)
    );
    txn.oncomplete = () => resolve(answer());
    txn.onabort = () => reject(txn.error || { name: "unavailable", message: "the stores could not be read" });
  });
}

function unfinishedMark(s, set) {
  s.local.get(UNFINISHED).onsuccess = (e) => {
    const mark = e.target.result;
    set(mark ? Number(mark.docs) || 1 : 0);
  };
}

// Every value of `store` in key order, `n` at a time (a browser will not
// hand over 100,000 documents' bodies in one answer), then `done()`.
// Batches, not a cursor: a cursor's step per document made reading a
// 100,000-member store four times slower than PouchDB's own reading.
function readBatched(store, each, done, n = 4000) {
  const next = (after) => {
    const range = after === undefined ? null : IDBKeyRange.lowerBound(after, true);
    let keys = null;
    let values = null;
    const both = () => {
      if (!keys || !values) return;
      values.forEach(each);
      if (keys.length < n) done();
      else next(keys[keys.length - 1]);
    };
    store.getAllKeys(range, n).onsuccess = (e) => {
      keys = e.target.result;
      both();
    };
    store.getAll(range, n).onsuccess = (e) => {
      values = e.target.result;
      both();
    };
  };
  next(undefined);
}

// Every document: {head, rows} as readStore gives it. The winning
// revisions first, then the bodies, matched by `_doc_id_rev`.
function wholeStore(idb) {
  return inTransaction(idb, (s, done) => {
    const rows = [];
    const winners = new Map();
    let seq = 0;
    let unfinished = 0;
    unfinishedMark(s, (n) => (unfinished = n));
    s.bodies.openKeyCursor(null, "prev").onsuccess = (e) => {
      if (e.target.result) seq = e.target.result.key;
    };
    const finish = () =>
      done(() => ({
        head: JSON.stringify({ seq, changed: [], unfinished, whole: true }),
        rows: [JSON.stringify(rows.filter((r) => r[2]))],
      }));
    readBatched(
      s.docs,
      ({ id, winningRev, deletedOrLocal }) => {
        if (deletedOrLocal === "1" || !winningRev) return;
        const row = [id, winningRev, null];
        rows.push(row);
        winners.set(`${id}::${winningRev}`, row);
      },
      () =>
        readBatched(
          s.bodies,
          (raw) => {
            const row = winners.get(raw._doc_id_rev);
            if (row) row[2] = body(raw, row[0], row[1]);
          },
          finish
        )
    );
  });
}

// The local snapshot (its parts as ArrayBuffers of UTF-8) and the
// documents changed since it, read together; null without a whole one
// (or one kept as text by an earlier version: the store is then read whole
// and the console keeps the snapshot again).
function snapshotStore(idb) {
  return inTransaction(idb, (s, done) => {
    let unfinished = 0;
    unfinishedMark(s, (n) => (unfinished = n));
    s.local.get(SNAPSHOT).onsuccess = (e) => {
      const head = e.target.result;
      if (!head || head.seq == null || !(head.parts > 0)) return done(() => null);
      const parts = new Array(head.parts);
      for (let i = 0; i < head.parts; i++) {
        s.local.get(partId(head.gen, i)).onsuccess = (got) => {
          const part = got.target.result;
          parts[i] = part && part.utf8 instanceof ArrayBuffer ? part.utf8 : null;
        };
      }
      // Changed since: each document once, at its latest sequence, as
      // PouchDB's changes feed gives it.
      const latest = new Map();
      let seq = head.seq;
      s.bodies.openCursor(IDBKeyRange.lowerBound(head.seq, true)).onsuccess = (e) => {
        const cursor = e.target.result;
        if (cursor) {
          const key = cursor.value._doc_id_rev;
          latest.set(key.substring(0, key.lastIndexOf(":") - 1), cursor.key);
          seq = cursor.key;
          cursor.continue();
          return;
        }
        const changed = [];
        for (const [id, at] of latest) {
          s.docs.get(id).onsuccess = (got) => {
            const meta = got.target.result;
            if (!meta || meta.seq !== at) return;
            const row = [id, meta.winningRev, null];
            changed.push(row);
            if (meta.deletedOrLocal !== "1") {
              s.byIdRev.get(`${id}::${meta.winningRev}`).onsuccess = (b) => (row[2] = body(b.target.result, id, meta.winningRev));
            }
          };
        }
        // `seq` is where the parts plus the changes stand, so a snapshot
        // kept again from them is not behind its own contents.
        done(() =>
          parts.some((p) => !p)
            ? null
            : { head: JSON.stringify({ seq, changed, unfinished }), rows: parts }
        );
      };
    };
  });
}

async function readRaw(f) {
  const idb = await rawOpen(dbName);
  if (!idb) return null;
  try {
    return await f(idb);
  } finally {
    idb.close();
  }
}

const EMPTY = { head: JSON.stringify({ seq: 0, changed: [], unfinished: 0, whole: true }), rows: ["[]"] };

globalThis.clienteleDb = {
  // Checks that IndexedDB answers (PouchDB opens later, see pouch()).
  async open(name) {
    try {
      if (typeof indexedDB === "undefined" || !indexedDB) {
        throw { name: "unavailable", message: "this browser gives the page no IndexedDB" };
      }
      if (name !== dbName) opening = null;
      dbName = name;
      const idb = await rawOpen(name);
      if (idb) idb.close();
      return true;
    } catch (e) {
      throw failure(e);
    }
  },

  // Loads and opens PouchDB: true, or "full" when the origin is full and
  // PouchDB could not open there (writes then say so until it does).
  async ready() {
    // The page's own work first (the dashboard's second look).
    await new Promise((r) =>
      globalThis.requestIdleCallback ? requestIdleCallback(r, { timeout: 1000 }) : setTimeout(r, 200)
    );
    return (await pouch()).answer;
  },

  // The store for opening: {head, rows}. `head` is JSON {seq, changed,
  // unfinished, whole}; `rows`, in parts to be read one after the other,
  // is the text of every document as of the snapshot (as the console kept
  // it), `changed` the documents written since ([id, rev, doc or null when
  // deleted]), and `seq` the update sequence the two together stand at.
  // A large store opens from the local snapshot (a few large parts,
  // which IndexedDB reads at once) plus the changes since it, instead of reading
  // 100,000 documents one by one; without a snapshot every document is
  // read (`whole`, rows as JSON [[id, rev, doc], ...]) and the console
  // keeps the snapshot for next time. The parts go to the page as they
  // were stored: joining 180 MB of text here would copy it twice.
  // `whole`: the snapshot is passed over (the console found it unreadable).
  async readStore(whole) {
    try {
      const read = (await readRaw(async (idb) => (!whole && (await snapshotStore(idb))) || wholeStore(idb))) || EMPTY;
      readSeq = JSON.stringify(JSON.parse(read.head).seq);
      return read;
    } catch (e) {
      throw failure(e);
    }
  },

  // Every document: JSON [[id, rev, doc], ...], from PouchDB, or as read
  // here while PouchDB cannot open (a full origin).
  async readAll() {
    try {
      return await later("readAll")();
    } catch (e) {
      const read = await readRaw(wholeStore).catch(() => null);
      if (!read) throw e;
      return read.rows[0];
    }
  },

  // Every document as this script reads PouchDB's stores: the tests
  // compare it with PouchDB's own reading.
  async readAllRaw() {
    return ((await readRaw(wholeStore)) || EMPTY).rows[0];
  },

  // Tests make the snapshot's parts small, to have several.
  set snapshotPartBytes(n) {
    partBytes = n;
    if (globalThis.clienteleDbPouch) globalThis.clienteleDbPouch.snapshotPartBytes = n;
  },

  updateSeq: later("updateSeq"),
  snapshotSeq: later("snapshotSeq"),
  // `rows` is a view of the console's memory: copied before anything else runs.
  saveSnapshot(seqJson, rows) {
    return later("saveSnapshot")(seqJson, rows.slice());
  },
  markUnfinished: later("markUnfinished"),
  clearUnfinished: later("clearUnfinished"),
  revs: later("revs"),
  write: later("write"),
  syncConnect: later("syncConnect"),
  syncJoin: later("syncJoin"),
  conflicted: later("conflicted"),
  leaves: later("leaves"),
  resolve: later("resolve"),

  // Calls back (id, rev, doc JSON or null when deleted) for every change
  // written after the console's reading, by this tab, another tab or a
  // replication, once PouchDB is open.
  listen(callback) {
    listener = callback;
    if (opening) opening.then(({ api }) => api.listen(callback, readSeq), () => {});
  },

  // Live sync until syncStop (js/sync.js through pouch.js).
  syncStart(configJson, report) {
    const asked = (syncAsked += 1);
    pouch().then(
      ({ api }) => asked === syncAsked && api.syncStart(configJson, report),
      (e) => report("offline", "0", (e && e.message) || String(e))
    );
  },

  syncStop() {
    syncAsked += 1;
    if (globalThis.clienteleDbPouch) globalThis.clienteleDbPouch.syncStop();
  },

  // Deletes the whole database (Settings -> reset); PouchDB opens anew on
  // the next write.
  async destroy(name) {
    const api = await loadScript("pouch.js", "clienteleDbPouch").catch((e) => {
      throw failure(e);
    });
    opening = null;
    readSeq = null;
    return api.destroy(name);
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

let syncAsked = 0;
