// `cargo xtask sync-server`: a CouchDB-protocol server (pouchdb-server from
// npm) for trying sync, or for a back-office computer, set up the way the
// console expects: an admin, one database for the boutique, one user for
// its devices who may reach that database and no other. The first start
// makes the passwords and keeps them (sync-server/credentials.json, readable
// by this computer's user only); later starts reuse them and the data.
//
// pouchdb-server's last release was in 2019 and one malformed request can
// stop it, so it runs supervised: started again a second later, on the
// same data. A shop's production server is Apache CouchDB (docs/deploy.md).
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

function usage(problem) {
  console.error(`${problem}
usage: cargo xtask sync-server [--port 5984] [--host 127.0.0.1] [--dir sync-server] [--db boutique]
  --host 0.0.0.0 lets the shop's other devices reach it (see docs/deploy.md: they need HTTPS).`);
  process.exit(2);
}

function options(argv) {
  const o = { port: 5984, host: "127.0.0.1", dir: path.join(root, "sync-server"), db: "boutique" };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) usage(`${flag}: a value is missing`);
    if (flag === "--port") {
      o.port = Number(value);
      if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) usage(`--port ${value}: not a port number`);
    } else if (flag === "--host") o.host = value;
    else if (flag === "--dir") o.dir = path.resolve(value);
    else if (flag === "--db") {
      // CouchDB's own rule for database names.
      if (!/^[a-z][a-z0-9_$()+/-]*$/.test(value)) usage(`--db ${value}: lower-case letters, digits and _$()+-/ only, a letter first`);
      o.db = value;
    } else usage(`${flag}: not an option`);
  }
  return o;
}

const password = () => crypto.randomBytes(12).toString("base64url");

/// The passwords of this server, made on its first start.
function credentials(dir, db) {
  const file = path.join(dir, "credentials.json");
  if (fs.existsSync(file)) {
    const c = JSON.parse(fs.readFileSync(file, "utf8"));
    if (c.db !== db) usage(`${dir} serves the database "${c.db}": start it with --db ${c.db}, or use another --dir`);
    return { ...c, fresh: false };
  }
  const c = { admin: "admin", adminPassword: password(), db, user: "shop", password: password() };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(c, null, 2) + "\n", { mode: 0o600 });
  return { ...c, fresh: true };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(base, method, route, body, auth) {
  const headers = { "content-type": "application/json" };
  if (auth) headers.authorization = "Basic " + Buffer.from(`${auth[0]}:${auth[1]}`).toString("base64");
  const r = await fetch(base + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => null) };
}

async function up(base) {
  for (let i = 0; i < 300; i++) {
    if (await fetch(base).then((r) => r.ok, () => false)) return;
    await sleep(100);
  }
  throw new Error(`the server did not answer at ${base} within 30 s`);
}

/// The admin, the database, the devices' user and the database's members.
/// Each step is skipped when it is there already, so a start after a
/// crash between two steps finishes the set-up.
async function setUp(base, c) {
  const admin = [c.admin, c.adminPassword];
  const config = await call(base, "GET", `/_config/admins/${c.admin}`, undefined, admin);
  if (config.status !== 200) {
    // A fresh server is in "admin party": anyone may make the first admin.
    const made = await call(base, "PUT", `/_config/admins/${c.admin}`, c.adminPassword);
    if (made.status !== 200) throw new Error(`could not make the admin: ${JSON.stringify(made.body)}`);
  }
  const db = await call(base, "GET", `/${c.db}`, undefined, admin);
  if (db.status === 404) {
    const made = await call(base, "PUT", `/${c.db}`, undefined, admin);
    if (made.status !== 201) throw new Error(`could not make the database: ${JSON.stringify(made.body)}`);
  }
  const userId = `/_users/org.couchdb.user:${c.user}`;
  const user = await call(base, "GET", userId, undefined, admin);
  if (user.status === 404) {
    const made = await call(base, "PUT", userId, { name: c.user, password: c.password, roles: [], type: "user" }, admin);
    if (made.status !== 201) throw new Error(`could not make the user: ${JSON.stringify(made.body)}`);
  }
  const security = { admins: { names: [], roles: [] }, members: { names: [c.user], roles: [] } };
  const set = await call(base, "PUT", `/${c.db}/_security`, security, admin);
  if (set.status !== 200) throw new Error(`could not limit the database to its user: ${JSON.stringify(set.body)}`);
}

function lanAddresses() {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === "IPv4" && !a.internal)
    .map((a) => a.address);
}

async function main() {
  const o = options(process.argv.slice(2));
  const c = credentials(o.dir, o.db);
  const data = path.join(o.dir, "data");
  fs.mkdirSync(data, { recursive: true });
  const bin = path.join(root, "node_modules", ".bin", "pouchdb-server");
  const local = `http://${o.host === "0.0.0.0" ? "127.0.0.1" : o.host}:${o.port}`;
  let child = null;
  let stopping = false;
  const stop = () => {
    stopping = true;
    child?.kill();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  // A fresh server lets anyone make the first admin: until it has one it
  // listens on this computer only.
  let setUpFirst = c.fresh && o.host !== "127.0.0.1";
  for (let start = 0; !stopping; start++) {
    const host = setUpFirst ? "127.0.0.1" : o.host;
    child = spawn(bin, ["-p", String(o.port), "-o", host, "-d", data, "-c", path.join(o.dir, "config.json"), "-n"], {
      // It writes its log file where it runs.
      cwd: o.dir,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const exited = new Promise((r) => child.once("exit", r));
    try {
      await Promise.race([up(local), exited.then(() => Promise.reject(new Error("pouchdb-server stopped while starting")))]);
      await setUp(local, c);
    } catch (e) {
      console.error(`sync-server: ${e.message}`);
      child.kill();
      process.exit(1);
    }
    if (setUpFirst) {
      setUpFirst = false;
      child.kill();
      await exited;
      start = -1;
      continue;
    }
    if (start === 0) {
      const where = o.host === "0.0.0.0" ? lanAddresses().map((a) => `http://${a}:${o.port}`) : [local];
      console.log(`Clientele sync server ready${c.fresh ? " (first start: passwords made)" : ""}
  address:  ${where.join("  or  ")}
  database: ${c.db}
  user:     ${c.user}
  password: ${c.password}
Enter these in the console: Settings -> Sync. The passwords are kept in ${path.join(o.dir, "credentials.json")};
the boutique's data (sealed by the devices, unreadable here) in ${data}. Stop with Ctrl-C.`);
    } else {
      console.log(`sync-server: started again (${start})`);
    }
    const code = await exited;
    if (stopping) break;
    console.error(`sync-server: pouchdb-server stopped (exit ${code}); starting it again in 1 s`);
    await sleep(1000);
  }
}

main();
