// Sync: this device's database replicated, live and both ways, with the
// boutique's CouchDB server (or any server that speaks its replication
// protocol). Documents leave the device encrypted: the server holds ids,
// revisions and ciphertext, never a name or a mobile number. esbuild
// bundles this file into dist/sync.js, which db.js loads only when this
// device syncs, so the first load does not carry it.
import PouchDB from "pouchdb-core";
import http from "pouchdb-adapter-http";
import replication from "pouchdb-replication";
import transform from "transform-pouch";

PouchDB.plugin(http).plugin(replication).plugin(transform);

// Kept on the server beside the documents, never replicated: the salt the
// boutique's key is derived with, and a sealed check that tells a wrong
// passphrase before anything is read or written.
const KEY_DOC = "_local/clientele-key";
// PBKDF2-SHA256 at OWASP's 2023 count: about a second on a tablet, once per
// device (the derived key is kept on the device, the passphrase is not).
const ITERATIONS = 600000;
const CHECK = "clientele-sync-1";

const enc = new TextEncoder();
const dec = new TextDecoder();
// In slices: a block of a thousand sales is larger than the arguments one
// call may take.
function b64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

function fail(name, message) {
  return Object.assign(new Error(message || name), { name });
}

async function derive(passphrase, salt, iterations) {
  const material = await crypto.subtle.importKey("raw", enc.encode(passphrase), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    true,
    ["encrypt", "decrypt"]
  );
}

// AES-GCM with a fresh 96-bit nonce per write; the document id is the
// associated data, so the server cannot move one document's body to another.
async function seal(key, id, value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: enc.encode(id) },
    key,
    enc.encode(JSON.stringify(value))
  );
  const out = new Uint8Array(12 + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), 12);
  return b64(out);
}

async function unseal(key, id, text) {
  const bytes = unb64(text);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: enc.encode(id) },
    key,
    bytes.slice(12)
  );
  return JSON.parse(dec.decode(plain));
}

function remoteDb(config) {
  const url = `${config.url.replace(/\/+$/, "")}/${encodeURIComponent(config.db)}`;
  const auth = config.user ? { username: config.user, password: config.password || "" } : undefined;
  return new PouchDB(url, { auth, skip_setup: false });
}

// A rejection from the server in words the console can name.
function named(e) {
  if (e && e.name && /^(wrong_passphrase|needs_passphrase|server_has_store|key_unreadable)$/.test(e.name)) return e;
  const status = e && e.status;
  if (status === 401 || status === 403) return fail("denied", (e && e.message) || "not allowed");
  if (status === 404) return fail("no_database", (e && e.message) || "no such database");
  if (!status || status === 500 && /fetch|network/i.test(String(e && e.message))) return fail("unreachable", String((e && e.message) || e));
  return fail("server", `${status || ""} ${(e && (e.reason || e.message)) || e}`.trim());
}

// The boutique's key: from the device (kept after the first connect) or
// from the passphrase and the server's salt; checked against the server's
// sealed check before anything moves. A server without a key document is
// a new boutique: this device writes it.
async function unlock(remote, config) {
  let doc = null;
  try {
    doc = await remote.get(KEY_DOC);
  } catch (e) {
    if (e.status !== 404) throw named(e);
  }
  if (!doc) {
    if (!config.passphrase) throw fail("needs_passphrase");
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const key = await derive(config.passphrase, salt, ITERATIONS);
    const check = await seal(key, KEY_DOC, CHECK);
    await remote.put({ _id: KEY_DOC, salt: b64(salt), iterations: ITERATIONS, check }).catch((e) => {
      throw named(e);
    });
    return { key, created: true };
  }
  let key;
  if (config.key) {
    key = await crypto.subtle.importKey("raw", unb64(config.key), "AES-GCM", true, ["encrypt", "decrypt"]);
  } else if (config.passphrase) {
    key = await derive(config.passphrase, unb64(doc.salt), doc.iterations || ITERATIONS);
  } else {
    throw fail("needs_passphrase");
  }
  let check = null;
  try {
    check = await unseal(key, KEY_DOC, doc.check);
  } catch (e) {}
  if (check !== CHECK) throw fail("wrong_passphrase");
  return { key, created: false };
}

function encrypting(remote, key) {
  const split = (doc) => {
    const meta = {};
    const body = {};
    for (const k of Object.keys(doc)) (k[0] === "_" ? meta : body)[k] = doc[k];
    return [meta, body];
  };
  // transform-pouch also wraps an HTTP database's `query` (views), which
  // this build leaves out: sync never queries, so a stub that refuses.
  if (!remote.query) remote.query = () => Promise.reject(fail("server", "views are not used"));
  remote.transform({
    async incoming(doc) {
      const [meta, body] = split(doc);
      meta.c = await seal(key, doc._id, body);
      return meta;
    },
    async outgoing(doc) {
      if (typeof doc.c !== "string") return doc;
      const [meta] = split(doc);
      try {
        return Object.assign(meta, await unseal(key, doc._id, doc.c));
      } catch (e) {
        throw fail("key_unreadable", `document ${doc._id} cannot be read with this boutique's key`);
      }
    },
  });
  return remote;
}

let live = null;

function stopLive() {
  if (!live) return;
  live.stop();
  if (live.handle) live.handle.cancel();
  live.remote.close().catch(() => {});
  live = null;
}

globalThis.clienteleSync = {
  // Connects: checks the key, and says whether the server already holds a
  // boutique's store. JSON {key, created, remoteDocs}.
  async connect(configJson) {
    const config = JSON.parse(configJson);
    const remote = remoteDb(config);
    try {
      const { key, created } = await unlock(remote, config);
      const info = await remote.info().catch((e) => {
        throw named(e);
      });
      const raw = new Uint8Array(await crypto.subtle.exportKey("raw", key));
      // The same store has the same meta revision: PouchDB draws each new
      // revision at random, so another boutique's store cannot share it.
      let sameStore = false;
      if (config.metaRev) {
        const diff = await remote.revsDiff({ meta: [config.metaRev] }).catch((e) => {
          throw named(e);
        });
        sameStore = !diff.meta;
      }
      return JSON.stringify({ key: b64(raw), created, remoteDocs: info.doc_count || 0, sameStore });
    } catch (e) {
      throw named(e);
    } finally {
      await remote.close().catch(() => {});
    }
  },

  // Copies the server's store into `local` (a new, empty database) once,
  // reporting documents received: a device joining the boutique.
  async pull(local, configJson, progress) {
    const config = JSON.parse(configJson);
    const remote = remoteDb(config);
    const { key } = await unlock(remote, config);
    encrypting(remote, key);
    try {
      await PouchDB.replicate(remote, local, { batch_size: 200, batches_limit: 5 }).on("change", (info) =>
        progress(info.docs_written)
      );
    } catch (e) {
      throw named(e);
    } finally {
      await remote.close().catch(() => {});
    }
  },

  // Live two-way replication with retry and backoff (1 s doubling to a
  // minute). `say(state, waiting, detail)`: "active", "synced", "offline"
  // or "error" (detail: the error's name and message); waiting, how many of
  // this device's changes the server does not have yet.
  start(local, configJson, say) {
    stopLive();
    const config = JSON.parse(configJson);
    const remote = remoteDb(config);
    let stopped = false;
    // Everything up to this sequence of the local database is on the
    // server (the last time both sides were idle).
    let sent = config.sent ? JSON.parse(config.sent) : 0;
    const waiting = async () => {
      const ch = await local.changes({ since: sent, limit: 100000 }).catch(() => null);
      return ch ? ch.results.length : 0;
    };
    const report = (state, detail) => {
      if (stopped) return;
      if (state === "synced") {
        local.info().then((i) => {
          sent = i.update_seq;
          if (!stopped) say("synced", "0", JSON.stringify(sent));
        });
      } else {
        waiting().then((n) => !stopped && say(state, String(n), detail));
      }
    };
    // Offline, no event comes: count this device's changes as they are made.
    const feed = local.changes({ since: "now", live: true }).on("change", () => {
      if (session.state !== "synced" && session.state !== "active") report(session.state || "offline", "");
    });
    const session = {
      remote,
      handle: null,
      state: null,
      stop: () => {
        stopped = true;
        feed.cancel();
      },
    };
    live = session;
    // Counts the replication's events, so an answer that comes after a
    // newer event is dropped.
    let turn = 0;
    const tell = (state, detail) => {
      session.state = state;
      report(state, detail);
    };
    const begin = async () => {
      let key;
      try {
        ({ key } = await unlock(remote, config));
      } catch (e) {
        const n = named(e);
        tell(n.name === "unreachable" ? "offline" : "error", `${n.name}: ${n.message}`);
        // Unreachable: try again later, as the replication itself would.
        if (n.name === "unreachable" && !stopped) setTimeout(begin, 15000);
        return;
      }
      if (stopped) return;
      encrypting(remote, key);
      const handle = PouchDB.sync(local, remote, {
        live: true,
        retry: true,
        back_off_function: (delay) => (delay === 0 ? 1000 : Math.min(delay * 2, 60000)),
      });
      session.handle = handle;
      handle
        .on("active", () => {
          const mine = ++turn;
          // While it backs off from a server it cannot reach, PouchDB
          // turns active for each retry: stay offline until the server answers.
          if (session.state !== "offline") return tell("active", "");
          remote.info().then(
            () => mine === turn && tell("active", ""),
            () => {}
          );
        })
        .on("paused", (err) => {
          // PouchDB pauses without an error while it backs off from a
          // server it cannot reach: ask the server before saying synced.
          const mine = ++turn;
          if (err || !navigator.onLine) return tell("offline", err ? String(err.message || err) : "");
          remote.info().then(
            () => mine === turn && tell("synced", ""),
            (e) => mine === turn && tell("offline", String((e && e.message) || e))
          );
        })
        .on("denied", (err) => tell("error", `denied: ${(err && err.message) || ""}`))
        .on("error", (err) => {
          const n = named(err);
          tell("error", `${n.name}: ${n.message}`);
        });
    };
    begin();
  },

  stop() {
    stopLive();
  },
};
