// `cargo xtask sync-server`, as a back-office computer runs it: the first
// start makes a database only the boutique's user reaches; the server comes
// back by itself after a request that stops pouchdb-server; a second start
// keeps the passwords and the data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { root, freePort } from "./harness.mjs";

const xtask = process.env.CLIENTELE_XTASK || path.join(root, "target", "debug", "xtask");

/// Starts the command and waits for what it prints once ready.
async function start(args) {
  // Its own process group, so stopping it stops pouchdb-server too.
  const p = spawn(xtask, ["sync-server", ...args], { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  p.stdout.on("data", (d) => (out += d));
  p.stderr.on("data", (d) => (out += d));
  const stopped = new Promise((r) => p.once("exit", r));
  for (let i = 0; i < 600 && !/Stop with Ctrl-C/.test(out); i++) {
    if (p.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(out, /Stop with Ctrl-C/, `the server did not say it was ready:\n${out}`);
  const field = (name) => out.match(new RegExp(`${name}:\\s+(\\S+)`))[1];
  return {
    out: () => out,
    address: field("address"),
    db: field("database"),
    user: field("user"),
    password: field("password"),
    async stop() {
      process.kill(-p.pid, "SIGTERM");
      await stopped;
    },
  };
}

const as = (user, password) => ({ authorization: "Basic " + Buffer.from(`${user}:${password}`).toString("base64") });

test("cargo xtask sync-server: a database for the boutique's user only, supervised, kept across starts", { timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-sync-server-"));
  const port = await freePort();
  const s = await start(["--port", String(port), "--dir", dir, "--db", "maison"]);
  try {
    assert.equal(s.address, `http://127.0.0.1:${port}`);
    assert.equal(s.db, "maison");
    assert.match(s.out(), /first start/);
    const db = `${s.address}/maison`;
    assert.equal((await fetch(db)).status, 401, "no one without the password reads it");
    assert.equal((await fetch(db, { headers: as(s.user, "wrong") })).status, 401, "nor with a wrong one");
    const put = await fetch(`${db}/probe`, {
      method: "PUT",
      headers: { ...as(s.user, s.password), "content-type": "application/json" },
      body: JSON.stringify({ sealed: "x" }),
    });
    assert.equal(put.status, 201, "the boutique's user writes");
    // The browser's preflight from another origin (the hosted console).
    const pre = await fetch(db, {
      method: "OPTIONS",
      headers: { origin: "https://shop.example", "access-control-request-method": "PUT", "access-control-request-headers": "authorization,content-type" },
    });
    assert.equal(pre.headers.get("access-control-allow-origin"), "https://shop.example");
    assert.equal(pre.headers.get("access-control-allow-credentials"), "true");
    const creds = JSON.parse(fs.readFileSync(path.join(dir, "credentials.json"), "utf8"));
    assert.equal(creds.password, s.password);
    assert.equal(fs.statSync(path.join(dir, "credentials.json")).mode & 0o077, 0, "the passwords are readable by their owner only");

    // pouchdb-server 4.2 stops on a stranger's request to make a database;
    // the command starts it again on the same data.
    // The crash comes a moment after the answer, so a probe before it
    // would reach the old process: wait until the command has started
    // a new one, then read.
    await fetch(`${s.address}/other`, { method: "PUT" }).catch(() => {});
    for (let i = 0; i < 100 && !/started again/.test(s.out()); i++) await new Promise((r) => setTimeout(r, 200));
    assert.match(s.out(), /stopped \(exit/, "pouchdb-server stopped");
    assert.match(s.out(), /started again/, "and the command started it again");
    const back = await fetch(`${db}/probe`, { headers: as(s.user, s.password) }).then((r) => r.status, () => 0);
    assert.equal(back, 200, `the server came back with the data:\n${s.out()}`);
  } finally {
    await s.stop();
  }

  const again = await start(["--port", String(port), "--dir", dir, "--db", "maison"]);
  try {
    assert.doesNotMatch(again.out(), /first start/);
    assert.equal(again.password, s.password, "the same password");
    const doc = await fetch(`${again.address}/maison/probe`, { headers: as(again.user, again.password) });
    assert.equal(doc.status, 200);
    assert.equal((await doc.json()).sealed, "x", "the data is kept");
  } finally {
    await again.stop();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
