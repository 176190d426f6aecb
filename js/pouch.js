// The console's database: PouchDB with its `idb` adapter (IndexedDB), the
// store replicated to a CouchDB server later on. esbuild bundles this file
// with PouchDB into dist/pouch.js (cargo xtask), which js/db.js fetches
// once the console's first screen is up, or sooner when a write needs it:
// the console opens by reading PouchDB's stores itself (db.js), so PouchDB
// (30 KB gz) is not in the first load. db.js hands every call but the
// reading to `clienteleDbPouch.*`. Everything crosses the boundary as JSON
// text so the Rust side parses it with serde, once.
import PouchDB from "pouchdb-core";
import idb from "pouchdb-adapter-idb";
import { failure, loadScript } from "./failure.js";

PouchDB.plugin(idb);

const OPTIONS = { adapter: "idb", auto_compaction: true };
let db = null;
let dbName = null;
let feed = null;
let listener = null;
// Where the feed goes on from: the sequence the console's reading stood
// at, then the last change heard, so a change written before the feed
// (re)starts still reaches the console.
let feedSince = "now";

// Whether `e` says the origin is full.
const isFull = (e) => JSON.parse(failure(e).message).name === "QuotaExceededError";

function startFeed() {
  if (feed) feed.cancel();
  feed = db
    .changes({ since: feedSince, live: true, include_docs: true, conflicts: true })
    .on("change", (c) => {
      feedSince = c.seq;
      if (c.doc && c.doc._conflicts && c.id.startsWith("m:")) noteConflicts([c.id]);
      listener(c.id, c.changes[0].rev, c.deleted ? null : JSON.stringify(c.doc));
    })
    .on("error", () => {});
}

// Members whose document has two revisions or more (edited on two devices
// while apart), until they are merged: kept in a local document so a
// conflict noticed before a reload is still there after it.
const CONFLICTS = "_local/conflicts";
let conflictWrites = Promise.resolve();

function changeConflicts(f) {
  const d = db;
  conflictWrites = conflictWrites.then(async () => {
    const old = await d.get(CONFLICTS).catch(() => null);
    const ids = new Set(old ? old.ids : []);
    const before = ids.size;
    f(ids);
    if (ids.size !== before || !old) await putLocal(d, CONFLICTS, { ids: [...ids] }, old).catch(() => {});
  });
  return conflictWrites;
}

function noteConflicts(ids) {
  return changeConflicts((set) => ids.forEach((id) => set.add(id)));
}

// Every member document with conflicts (after a join copied the server's).
async function scanConflicts(d) {
  const res = await d.allDocs({ startkey: "m:", endkey: "m:\uffff", include_docs: true, conflicts: true });
  const ids = res.rows.filter((r) => r.doc && r.doc._conflicts).map((r) => r.id);
  if (ids.length) await noteConflicts(ids);
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
    if (db) await db.close().catch(() => {});
    const d = new PouchDB(dbName, OPTIONS);
    await d.info();
    db = d;
    broken = false;
    if (listener) startFeed();
    // A live sync holds the old instance: start it again on the new one.
    if (syncing) syncing.restart();
  } catch (e) {
    broken = true;
    brokenBy = e;
  }
}

let broken = false;
// Why the last reopen failed: WebKit refuses even the open of a full
// origin, and the next call should say "full", not "closed".
let brokenBy = null;

// The local snapshot: never replicated (`_local` documents), rewritten
// whole, so only stores large enough to need it keep one. Its text goes as
// UTF-8 bytes (half what the same text takes as a string, and copied into
// the console without converting) in parts: IndexedDB refuses one value of
// a 100,000-member store (175 MB). The head names the parts' generation,
// and is written after them, so a snapshot cut short is never read.
const SNAPSHOT = "_local/snapshot";
let partBytes = 8 * 1024 * 1024;
// The snapshot being kept, if any (see saveSnapshot).
let keeping = Promise.resolve();
const partId = (gen, i) => `${SNAPSHOT}/${gen}/${i}`;

// Writes a `_local` document over the one there, if any.
async function putLocal(d, id, fields, old) {
  if (old === undefined) old = await d.get(id).catch(() => null);
  await d.put({ ...fields, _id: id, _rev: old ? old._rev : undefined });
}

// `bytes`: the rows' text in UTF-8 (the console's form of them, read by it
// alone), a Uint8Array of the caller's own.
async function keepSnapshot(d, seq, bytes) {
  try {
    const old = await d.get(SNAPSHOT).catch(() => null);
    const gen = old && old.gen === 1 ? 2 : 1;
    const parts = Math.ceil(bytes.length / partBytes);
    for (let i = 0; i < parts; i++) {
      // A character may span two parts: they are only ever read joined.
      const utf8 = bytes.slice(i * partBytes, (i + 1) * partBytes).buffer;
      await putLocal(d, partId(gen, i), { utf8 });
    }
    await putLocal(d, SNAPSHOT, { seq, gen, parts }, old);
    if (old) await dropParts(d, old.gen, old.parts || 0);
    return true;
  } catch (e) {
    // A snapshot that cannot be kept only makes the next open slower.
    return false;
  }
}

async function dropParts(d, gen, parts) {
  for (let i = 0; i < parts; i++) {
    const part = await d.get(partId(gen, i)).catch(() => null);
    if (part) await d.remove(part).catch(() => {});
  }
}

// A save too large for one transaction (a first save, an import, a
// restore) is marked unfinished until its last part is written, so a page
// closed halfway is noticed on the next open instead of passing for whole.
const UNFINISHED = "_local/unfinished";

// Runs `f`; on failure opens the database again and, for reads, tries once
// more. A database left broken by an earlier failure is opened again first.
async function guarded(f, retry) {
  if (broken) await reopen();
  if (broken) throw failure(brokenBy);
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

// WebKit's private browsing refuses the Blob PouchDB stores while opening,
// and that transaction never ends: without a limit the console would wait
// on a blank page. A blocked upgrade (an old tab) waits the same way.
const OPEN_LIMIT_MS = 8000;

function settlesWithin(promise, ms) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject({ name: "unavailable", message: `the database did not open within ${ms / 1000} s` }),
      ms
    );
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

// Every document as [id, rev, doc].
async function allRows(d) {
  const res = await d.allDocs({ include_docs: true });
  return res.rows.filter((r) => r.doc).map((r) => [r.id, r.value.rev, r.doc]);
}

let syncing = null;
// Sync's code (PouchDB's replication, its HTTP adapter, the encryption)
// comes from dist/sync.js, fetched the first time this device syncs.
function loadSync() {
  return loadScript("sync.js", "clienteleSync");
}

function stopSync() {
  if (syncing) syncing.stopped = true;
  syncing = null;
  if (globalThis.clienteleSync) globalThis.clienteleSync.stop();
}

function need() {
  if (!db) throw failure({ name: "closed", message: "the database is not open" });
  return db;
}

globalThis.clienteleDbPouch = {
  async open(name) {
    try {
      const d = new PouchDB(name, OPTIONS);
      await settlesWithin(d.info(), OPEN_LIMIT_MS);
      db = d;
      dbName = name;
      return true;
    } catch (e) {
      if (!isFull(e)) throw failure(e);
      // WebKit refuses PouchDB's own open on a full origin (it writes its
      // meta record while opening): "full" tells the console, which shows
      // what db.js read; every call tries to open again.
      dbName = name;
      broken = true;
      brokenBy = e;
      return "full";
    }
  },

  // Every document: JSON [[id, rev, doc], ...].
  async readAll() {
    return guarded(async () => JSON.stringify(await allRows(need())), true);
  },

  // The database's update sequence now, as JSON.
  async updateSeq() {
    return guarded(async () => JSON.stringify((await need().info()).update_seq), true);
  },

  // Tests make the snapshot's parts small, to have several.
  set snapshotPartBytes(n) {
    partBytes = n;
  },

  // The snapshot's sequence as JSON, or null when there is none.
  async snapshotSeq() {
    const snap = await need().get(SNAPSHOT).catch(() => null);
    return JSON.stringify(snap ? snap.seq : null);
  },

  // Keeps `bytes` (the rows' text as of `seq`, UTF-8, a copy db.js made
  // of the console's memory) as the snapshot. One at a time: two kept at
  // once (an open's, kept after its first screen, and a large save's)
  // would write the same generation's parts, and one head could name the
  // other's parts.
  saveSnapshot(seqJson, bytes) {
    const run = keeping.then(() => guarded(() => keepSnapshot(need(), JSON.parse(seqJson), bytes), false));
    keeping = run.catch(() => {});
    return run;
  },

  // Marks a save of `docs` documents in several transactions as under way.
  async markUnfinished(docs) {
    return guarded(() => putLocal(need(), UNFINISHED, { docs }), false);
  },

  // The save marked by markUnfinished is whole (or the user accepted the
  // store as it is).
  async clearUnfinished() {
    return guarded(async () => {
      const d = need();
      const mark = await d.get(UNFINISHED).catch(() => null);
      if (mark) await d.remove(mark);
    }, false);
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
  // written after the sequence `since` (JSON; null: from now on), by this
  // tab, another tab, or a replication. A full origin's feed starts once
  // PouchDB opens there.
  listen(callback, since) {
    listener = callback;
    if (since != null) feedSince = JSON.parse(since);
    if (db) startFeed();
  },

  // Sync (js/sync.js). Connects to the server in the JSON config and checks
  // the key: JSON {key, created, remoteDocs, sameStore}, where sameStore
  // says the server already holds this store (its meta revision).
  async syncConnect(configJson) {
    try {
      const sync = await loadSync();
      const meta = await need().get("meta").catch(() => null);
      const config = Object.assign(JSON.parse(configJson), { metaRev: meta ? meta._rev : null });
      return await sync.connect(JSON.stringify(config));
    } catch (e) {
      throw failure(e);
    }
  },

  // A device joining the boutique: its own (empty) store gives way to the
  // server's, copied whole before the console reloads. `progress(n)`:
  // documents received so far.
  async syncJoin(configJson, progress) {
    try {
      const sync = await loadSync();
      if (feed) feed.cancel();
      feed = null;
      await need().destroy();
      db = null;
      db = new PouchDB(dbName, OPTIONS);
      await sync.pull(db, configJson, (n) => progress(String(n), "", null));
      await scanConflicts(db);
      return true;
    } catch (e) {
      throw failure(e);
    }
  },

  // Live sync until syncStop. `report(state, waiting, detail)`: state
  // "active", "synced", "offline" or "error"; waiting, the changes of this
  // device the server does not have yet.
  syncStart(configJson, report) {
    need();
    stopSync();
    const session = {
      stopped: false,
      restart() {
        loadSync().then(
          (sync) => !session.stopped && sync.start(need(), configJson, report),
          (e) => !session.stopped && report("offline", "0", e.message)
        );
      },
    };
    syncing = session;
    session.restart();
  },

  syncStop() {
    stopSync();
  },

  // Members noticed with conflicting revisions: JSON [id, ...].
  async conflicted() {
    return guarded(async () => {
      await conflictWrites;
      const doc = await need().get(CONFLICTS).catch(() => null);
      return JSON.stringify(doc ? doc.ids : []);
    }, true);
  },

  // A document's revisions: JSON {winner: rev, copies: [[rev, doc], ...]}
  // (the winning one first; deleted ones left out). A document down to
  // one revision is no longer noted as in conflict.
  async leaves(id) {
    return guarded(async () => {
      const d = need();
      const winner = await d.get(id).catch(() => null);
      const open = await d.get(id, { open_revs: "all" });
      const copies = open
        .filter((r) => r.ok && !r.ok._deleted)
        .map((r) => [r.ok._rev, r.ok])
        .sort((a, b) => (a[0] === (winner && winner._rev) ? -1 : b[0] === (winner && winner._rev) ? 1 : 0));
      if (copies.length < 2) await changeConflicts((set) => set.delete(id));
      return JSON.stringify({ winner: winner ? winner._rev : null, copies });
    }, true);
  },

  // Writes a merged document over the winning revision and deletes the
  // others, in one call: JSON {id, winner, body, losers}.
  async resolve(json) {
    return guarded(async () => {
      const { id, winner, body, losers } = JSON.parse(json);
      const docs = [Object.assign(JSON.parse(body), { _id: id, _rev: winner })].concat(
        losers.map((rev) => ({ _id: id, _rev: rev, _deleted: true }))
      );
      const res = await need().bulkDocs(docs);
      const failed = res.find((r) => !r.ok);
      if (failed) throw { name: failed.name || "conflict", message: `${id}: ${failed.message || failed.name}` };
      await changeConflicts((set) => set.delete(id));
      return true;
    }, false);
  },

  // Deletes the whole database (Settings -> reset).
  async destroy(name) {
    try {
      stopSync();
      if (feed) feed.cancel();
      feed = null;
      if (db) await db.destroy();
      else await new PouchDB(name, { adapter: "idb" }).destroy();
      db = null;
      // A new database counts its sequence from the start.
      feedSince = 0;
      return true;
    } catch (e) {
      throw failure(e);
    }
  },
};
