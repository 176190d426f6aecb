// Sync between devices against a real CouchDB-protocol peer: pouchdb-server
// from npm (package-lock.json), started in memory by this file and stopped
// after it. Two browser contexts are two devices of one boutique: the first
// takes its store to the server, the second joins with an empty store and
// gets a copy; a sale on each, one of them offline, and both show the same
// purchases, points and tier. The server holds ciphertext only; a wrong
// passphrase is refused and changes nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import fs from "node:fs";
import os from "node:os";
import { useBrowser, browser, root, openConsole, shot, register, freePort } from "./harness.mjs";

useBrowser();

let couch, couchUrl;
const PASSPHRASE = "silk and linen 2026";


before(async () => {
  const port = await freePort();
  couchUrl = `http://127.0.0.1:${port}`;
  couch = spawn(path.join(root, "node_modules", ".bin", "pouchdb-server"), ["--in-memory", "-p", String(port), "-o", "127.0.0.1", "--no-stdout-logs"], {
    // It writes its config and log where it runs.
    cwd: fs.mkdtempSync(path.join(os.tmpdir(), "clientele-couch-")),
    stdio: "ignore",
  });
  for (let i = 0; i < 200; i++) {
    const up = await fetch(couchUrl).then((r) => r.ok, () => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("pouchdb-server did not start");
});

after(() => couch?.kill());

/// A relay in front of the server that can be cut and restored: the
/// server "stops" for the devices while keeping what it holds.
async function relay(target) {
  const sockets = new Set();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(target, "127.0.0.1");
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  const port = await freePort();
  const listen = () => new Promise((r) => server.listen(port, "127.0.0.1", r));
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    async cut() {
      await new Promise((r) => {
        server.close(r);
        for (const s of sockets) s.destroy();
      });
    },
    restore: listen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const num = async (page, sel) => Number((await page.textContent(sel)).replace(/[^0-9-]/g, ""));

async function connect(page, { url = couchUrl, db = "boutique", passphrase = PASSPHRASE, device }) {
  await page.click('[data-testid="nav-settings"]');
  await page.fill('[data-testid="sync-url"]', url);
  await page.fill('[data-testid="sync-db"]', db);
  await page.fill('[data-testid="sync-passphrase"]', passphrase);
  await page.fill('[data-testid="sync-device"]', device);
  await page.click('[data-testid="sync-connect"]');
}

const synced = (page) => page.waitForSelector('[data-testid="sync-state"][data-state="synced"]', { timeout: 120_000 });

async function memberCount(page) {
  await page.click('[data-testid="nav-members"]');
  return num(page, '[data-testid="member-count"]');
}

/// At checkout, finds the member by mobile and reads the points panel.
async function pick(page, mobile) {
  await page.click('[data-testid="nav-checkout"]');
  await page.fill('[data-testid="checkout-find"]', mobile);
  await page.click('[data-testid="pick-member"]');
  await page.waitForSelector('[data-testid="points-summary"]');
}

async function sell(page, amount) {
  await page.click('[data-testid="tab-sale"]');
  await page.fill('[data-testid="sale-amount"]', amount);
  await page.waitForSelector('[data-testid="sale-preview"]');
  await page.click('[data-testid="sale-confirm"]');
  await page.waitForSelector('[data-testid="flash-ok"]');
}

async function account(page, mobile) {
  await pick(page, mobile);
  return {
    points: await num(page, '[data-testid="points-available"]'),
    tier: (await page.textContent('[data-testid="tier-name"]')).trim(),
  };
}

test("two devices share one encrypted store: join, a sale on each with one offline, the same numbers after", async () => {
  const a = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  const mobile = "13900007777";
  await register(a.page, "Ada Quill", mobile);
  await sell(a.page, "500");

  // The first device takes its store to the server.
  await connect(a.page, { device: "Counter" });
  await synced(a.page);
  await a.page.waitForSelector('[data-testid="sync-status"]');
  await shot(a.page, "sync-settings-en-1024x768");
  const members = await memberCount(a.page);

  // What the server holds: ids, revisions and ciphertext, no customer data.
  const all = await (await fetch(`${couchUrl}/boutique/_all_docs?include_docs=true`)).json();
  assert.ok(all.rows.length > 10, `the store is on the server (${all.rows.length} documents)`);
  const text = JSON.stringify(all);
  for (const secret of ["Ada Quill", mobile, "13900007"]) assert.ok(!text.includes(secret), `the server never sees ${secret}`);
  for (const row of all.rows) {
    assert.deepEqual(Object.keys(row.doc).sort(), ["_id", "_rev", "c"], `${row.id} is sealed`);
  }

  // The counter invites the tablet: a link (and its QR code) that fills in
  // the server, never the passphrase.
  await a.page.click('[data-testid="nav-settings"]');
  await a.page.click('[data-testid="sync-invite"]');
  await a.page.waitForSelector('[data-testid="sync-invite-qr"] path');
  const invite = await a.page.getAttribute('[data-testid="sync-invite-link"]', "href");
  assert.ok(invite.includes(encodeURIComponent(couchUrl)), invite);
  assert.ok(!invite.includes(encodeURIComponent(PASSPHRASE)) && !invite.includes("silk"), "the link holds no passphrase");
  await shot(a.page, "sync-invite-en-1024x768");

  // A second device with an empty store opens the link and joins.
  const b = await openConsole({ viewport: { width: 820, height: 1180 }, locale: "en-US" }, null);
  await b.page.goto(invite);
  await b.page.waitForSelector('[data-testid="welcome-invited"]');
  assert.equal(await b.page.isVisible('[data-testid="open-demo"]'), false, "an invited device is not offered the demo");
  await b.page.click('[data-testid="start-empty"]');
  await b.page.waitForSelector('[data-testid="sync-invited"]');
  assert.equal(await b.page.inputValue('[data-testid="sync-url"]'), couchUrl);
  assert.equal(await b.page.inputValue('[data-testid="sync-db"]'), "boutique");
  await b.page.fill('[data-testid="sync-passphrase"]', PASSPHRASE);
  await b.page.fill('[data-testid="sync-device"]', "Tablet");
  await b.page.click('[data-testid="sync-connect"]');
  await b.page.waitForSelector('[data-testid="sync-state"]', { timeout: 120_000 });
  await synced(b.page);
  assert.equal(await memberCount(b.page), members);
  assert.deepEqual(await account(b.page, mobile), await account(a.page, mobile));

  // The tablet goes offline and sells; the counter sells too.
  await b.context.setOffline(true);
  await pick(b.page, mobile);
  await sell(b.page, "1200");
  await b.page.waitForSelector('[data-testid="sync-state"][data-state="offline"]', { timeout: 120_000 });
  await shot(b.page, "sync-offline-en-820x1180");
  await pick(a.page, mobile);
  await sell(a.page, "800");

  // Back online, both catch up and agree.
  await b.context.setOffline(false);
  await b.page.waitForFunction(
    () => document.querySelector('[data-testid="sync-state"]')?.dataset.state === "synced",
    null,
    { timeout: 120_000 }
  );
  await a.page.waitForTimeout(0);
  const expected = await (async () => {
    // Both receipts on both devices: wait until the counter has the tablet's sale.
    for (let i = 0; i < 600; i++) {
      const x = await account(a.page, mobile);
      const y = await account(b.page, mobile);
      if (x.points === y.points && x.tier === y.tier) return x;
      await a.page.waitForTimeout(200);
    }
    return null;
  })();
  assert.ok(expected, "both devices show the same points and tier");
  await a.page.click('[data-testid="nav-members"]');
  await a.page.fill('[data-testid="member-search"]', mobile);
  await a.page.locator('[data-testid="member-row"]').first().click();
  await a.page.waitForSelector('[data-testid="edit-member"]');
  const receiptsA = await a.page.locator('[data-testid="member-purchases"] .tr:not(.th)').count();
  await b.page.click('[data-testid="nav-members"]');
  await b.page.fill('[data-testid="member-search"]', mobile);
  await b.page.locator('[data-testid="member-row"]').first().click();
  await b.page.waitForSelector('[data-testid="edit-member"]');
  assert.equal(await b.page.locator('[data-testid="member-purchases"] .tr:not(.th)').count(), receiptsA);
  assert.equal(receiptsA, 3, "the first sale, the tablet's offline sale and the counter's");
  // Each sale made while syncing names the device that rang it up; the
  // first, made before the counter joined, names none.
  const places = await b.page.locator('[data-testid="purchase-place"]').allTextContents();
  assert.deepEqual(places.map((p) => p.trim()).sort(), ["Counter", "Tablet"]);

  // PouchDB asks for documents that may not exist yet (the browser logs
  // each 404) and an offline device's requests fail: nothing else.
  const unexpected = (errors) => errors.filter((e) => !/status of 404|ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e));
  assert.deepEqual(unexpected(a.errors), []);
  assert.deepEqual(unexpected(b.errors), []);
  await a.context.close();
  await b.context.close();
});

test("a wrong passphrase is refused and nothing on the device changes", async () => {
  const c = await openConsole({ viewport: { width: 390, height: 844 }, locale: "zh-CN" }, "start-empty");
  const before = await memberCount(c.page);
  await connect(c.page, { passphrase: "not the passphrase", device: "Phone" });
  const problem = await c.page.waitForSelector('[data-testid="sync-problem"]', { timeout: 120_000 });
  assert.match(await problem.textContent(), /同步口令不对/);
  await shot(c.page, "sync-wrong-passphrase-zh-390x844");
  assert.equal(await c.page.locator('[data-testid="sync-state"]').count(), 0, "sync stays off");
  assert.equal(await memberCount(c.page), before);
  await c.context.close();
});

test("the server stops mid-sync: the header says offline, sales go on and wait, and go when it is back", async () => {
  const port = Number(new URL(couchUrl).port);
  const link = await relay(port);
  const d = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  const mobile = "13900008888";
  await connect(d.page, { url: link.url, db: "second-shop", device: "Back office" });
  await synced(d.page);

  await link.cut();
  await register(d.page, "Bo Reed", mobile);
  await sell(d.page, "300");
  // Offline, with the member and the sale waiting.
  await d.page.waitForFunction(
    () => {
      const badge = document.querySelector('[data-testid="sync-state"]');
      return badge?.dataset.state === "offline" && /Offline.*· [1-9]/.test(badge.textContent);
    },
    null,
    { timeout: 120_000 }
  );
  await shot(d.page, "sync-server-stopped-en-1024x768");
  assert.equal(await d.page.getAttribute('[data-testid="save-state"]', "data-state"), "saved", "the sale is saved on the device");

  await link.restore();
  await d.page.waitForSelector('[data-testid="sync-state"][data-state="synced"]', { timeout: 120_000 });
  // The member and the sale reached the server (sealed: found by count).
  const all = await (await fetch(`${couchUrl}/second-shop/_all_docs`)).json();
  const local = await d.page.evaluate(async () => JSON.parse(await globalThis.clienteleDb.readAll()).length);
  assert.equal(all.rows.length, local, "every record of the device is on the server");
  await d.context.close();
  await link.close();
});

/// Opens the member with this mobile and edits it: `fields` maps a form
/// field's test id (f-name, f-mobile, f-birthday) to its new value.
async function editMember(page, mobile, fields) {
  await page.click('[data-testid="nav-members"]');
  await page.fill('[data-testid="member-search"]', mobile);
  await page.locator('[data-testid="member-row"]').first().click();
  await page.click('[data-testid="edit-member"]');
  for (const [id, value] of Object.entries(fields)) await page.fill(`[data-testid="${id}"]`, value);
  await page.click('[data-testid="save-member"]');
  await page.waitForSelector('[data-testid="member-name"]');
  await page.waitForSelector('[data-testid="save-state"][data-state="saved"]');
}

async function memberPage(page, mobile) {
  await page.click('[data-testid="nav-members"]');
  await page.fill('[data-testid="member-search"]', mobile);
  await page.locator('[data-testid="member-row"]').first().click();
  await page.waitForSelector('[data-testid="member-name"]');
  return { name: (await page.textContent('[data-testid="member-name"]')).trim(), text: await page.textContent("main") };
}

test("a member edited on two devices while apart: other fields merge, the field both changed is the owner's choice", async () => {
  const a = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "zh-CN" }, "start-empty");
  const mobile = "13900006666";
  await register(a.page, "Cai Lin", mobile);
  await connect(a.page, { db: "merge-shop", device: "Counter" });
  await synced(a.page);
  const b = await openConsole({ viewport: { width: 820, height: 1180 }, locale: "en-US" }, "start-empty");
  await connect(b.page, { db: "merge-shop", device: "Tablet" });
  await b.page.waitForSelector('[data-testid="sync-state"]', { timeout: 120_000 });
  await synced(b.page);

  // The pages' code is fetched while online (a first visit offline has none).
  for (const d of [a, b]) await editMember(d.page, mobile, {});
  // Apart: the counter sets the birthday and renames; the tablet renames
  // the same member differently and gives a card number.
  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await editMember(a.page, mobile, { "f-name": "Cai Lin Wong", "f-birthday": "1990-03-08" });
  await editMember(b.page, mobile, { "f-name": "Cai Lynn", "f-card": "VIP-0042" });
  await a.context.setOffline(false);
  await b.context.setOffline(false);

  // Both devices see the conflict; the birthday and the card merged by themselves.
  for (const d of [a, b]) await d.page.waitForSelector('[data-testid="conflicts-banner"]', { timeout: 120_000 });
  assert.match(await a.page.textContent('[data-testid="conflicts-banner"]'), /1 位会员/);
  await b.page.click('[data-testid="conflicts-banner"] a');
  await b.page.waitForSelector('[data-testid="member-conflict"]');
  const fields = await b.page.locator('[data-testid="conflict-field"]').evaluateAll((fs) => fs.map((f) => f.dataset.field));
  assert.deepEqual(fields, ["name"], "only the field both changed is asked");
  const options = b.page.locator('[data-testid="conflict-option"]');
  assert.equal(await options.count(), 2);
  // The later edit (the tablet's) is chosen to start with; the owner keeps the counter's.
  assert.ok(await options.filter({ hasText: "Cai Lynn" }).locator("input").isChecked());
  await shot(b.page, "sync-conflict-en-820x1180");
  await a.page.click('[data-testid="nav-settings"]');
  await a.page.waitForSelector('[data-testid="member-conflict"]');
  await shot(a.page, "sync-conflict-zh-1024x768");
  await options.filter({ hasText: "Cai Lin Wong" }).locator("input").check();
  await b.page.click('[data-testid="conflict-keep"]');

  // Both devices end with one member: the chosen name, the birthday and the card.
  for (const d of [b, a]) {
    await d.page.waitForSelector('[data-testid="conflicts-banner"]', { state: "detached", timeout: 120_000 });
    await d.page.waitForFunction(
      async (mobile) => {
        const rows = JSON.parse(await globalThis.clienteleDb.readAll()).filter((r) => r[2].d && r[2].d.mobile === mobile);
        return rows.length === 1 && rows[0][2].d.name === "Cai Lin Wong";
      },
      mobile,
      { timeout: 120_000 }
    );
    await memberPage(d.page, mobile);
    await d.page.waitForFunction(() => document.querySelector('[data-testid="member-name"]')?.textContent.trim() === "Cai Lin Wong");
    const m = { text: await d.page.textContent("main") };
    assert.match(m.text, /1990-03-08/);
    assert.match(m.text, /VIP-0042/);
  }
  const leaves = await b.page.evaluate(async () => {
    const ids = JSON.parse(await globalThis.clienteleDb.conflicted());
    return ids.length;
  });
  assert.equal(leaves, 0, "nothing is left in conflict");
  await a.context.close();
  await b.context.close();
});

test("the same mobile enrolled on two devices while apart is found after sync and merged with every purchase of both", async () => {
  const a = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "en-US" }, "start-empty");
  await register(a.page, "Dora Chen", "13900005555");
  await connect(a.page, { db: "dupes-shop", device: "Counter" });
  await synced(a.page);
  const b = await openConsole({ viewport: { width: 390, height: 844 }, locale: "zh-CN" }, "start-empty");
  await connect(b.page, { db: "dupes-shop", device: "Phone" });
  await b.page.waitForSelector('[data-testid="sync-state"]', { timeout: 120_000 });
  await synced(b.page);
  for (const d of [a, b]) {
    await pick(d.page, "13900005555");
    await memberCount(d.page);
  }

  // Apart, each device enrols the same new customer and sells to her.
  const mobile = "13900004444";
  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await register(a.page, "Eva Wu", mobile);
  await sell(a.page, "300");
  await register(b.page, "吴伊娃", "139-0000-4444");
  await sell(b.page, "200");
  await a.context.setOffline(false);
  await b.context.setOffline(false);

  // After sync the counter lists her twice and offers the pair.
  await a.page.click('[data-testid="nav-members"]');
  await a.page.waitForSelector('[data-testid="duplicates-summary"]', { timeout: 120_000 });
  assert.equal(await memberCount(a.page), 3);
  await a.page.click('[data-testid="duplicates-summary"]');
  await a.page.waitForSelector('[data-testid="duplicate-pair"]');
  assert.equal(await a.page.locator('[data-testid="duplicate-pair"]').count(), 1);
  await a.page.click('[data-testid="duplicate-compare"]');
  await a.page.waitForSelector('[data-testid="merge-preview"]');
  const fields = await a.page.locator('[data-testid="merge-field"]').evaluateAll((fs) => fs.map((f) => f.dataset.field));
  assert.ok(fields.includes("name"), fields.join());
  await shot(a.page, "members-merge-preview-en-1024x768");
  // The owner keeps the Chinese name from the phone's record. Which record
  // is kept (the older, then the lower id) depends on the devices' random
  // id series, so the name is chosen by its value, on whichever side it is.
  await a.page.locator('[data-testid="merge-field"][data-field="name"] label', { hasText: "吴伊娃" }).locator("input").check();
  await a.page.click('[data-testid="merge-confirm"]');
  await a.page.waitForSelector('[data-testid="duplicate-merged"]');

  // One member on both devices, with both sales and their points.
  for (const d of [a, b]) {
    await d.page.waitForFunction(
      async (mobile) => {
        const rows = JSON.parse(await globalThis.clienteleDb.readAll());
        const members = rows.filter((r) => r[0].startsWith("m:") && r[2].d.mobile === mobile);
        return members.length === 1 && members[0][2].d.name === "吴伊娃" && rows.some((r) => r[0].startsWith("f:x:"));
      },
      mobile,
      { timeout: 120_000 }
    );
  }
  for (const d of [a, b]) {
    await d.page.click('[data-testid="nav-members"]');
    await d.page.waitForFunction(() => !document.querySelector('[data-testid="duplicates-summary"]'));
    assert.equal(await memberCount(d.page), 2);
    await memberPage(d.page, mobile);
    // The page follows the store, which takes the database's change a moment later.
    await d.page.waitForFunction(() => document.querySelector('[data-testid="member-name"]')?.textContent.trim() === "吴伊娃");
    const rows = await d.page.locator('[data-testid="member-purchases"] .tr:not(.th)').allTextContents();
    assert.equal(rows.length, 2);
    // Each device numbered its receipt with its own code: no two alike.
    const receipts = rows.map((r) => r.match(/R\d{8}-[0-9A-Z]{4}-\d{4}/)?.[0]);
    assert.ok(receipts.every(Boolean) && receipts[0] !== receipts[1], receipts.join());
    assert.equal((await account(d.page, mobile)).points, 500);
  }
  await shot(b.page, "members-merged-zh-390x844");
  await a.context.close();
  await b.context.close();
});
