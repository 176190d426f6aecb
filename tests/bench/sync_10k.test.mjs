// Benchmark, run by hand (not part of `cargo xtask test`):
//   cargo xtask build && node --test tests/bench/
// A boutique of 10,000 generated members (`?members=10000`, about 100,000
// purchases) takes its store to a pouchdb-server started here; a second
// device joins; then a sale on the first appears on the second. Logs how
// long each step takes; nothing is asserted about time.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import net from "node:net";
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import { useBrowser, server, browser, root, ready } from "../e2e/harness.mjs";

const MEMBERS = 10_000;
useBrowser();

let couch, couchUrl;
before(async () => {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  couchUrl = `http://127.0.0.1:${port}`;
  couch = spawn(path.join(root, "node_modules", ".bin", "pouchdb-server"), ["--in-memory", "-p", String(port), "-o", "127.0.0.1", "--no-stdout-logs"], {
    cwd: fs.mkdtempSync(path.join(os.tmpdir(), "clientele-couch-")),
    stdio: "ignore",
  });
  for (let i = 0; i < 200 && !(await fetch(couchUrl).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
});
after(() => couch?.kill());

const now = () => performance.now();
const stateOf = (page) => page.getAttribute('[data-testid="sync-state"]', "data-state").catch(() => null);

async function connect(page, device) {
  await page.click('[data-testid="nav-settings"]');
  await page.fill('[data-testid="sync-url"]', couchUrl);
  await page.fill('[data-testid="sync-db"]', "bench");
  await page.fill('[data-testid="sync-passphrase"]', "bench passphrase 10k");
  await page.fill('[data-testid="sync-device"]', device);
  await page.click('[data-testid="sync-connect"]');
}

const points = async (page) => Number((await page.textContent('[data-testid="points-available"]')).replace(/[^0-9-]/g, ""));

test(`first sync of ${MEMBERS} members, a join, and a sale from one device to the other`, { timeout: 30 * 60_000 }, async () => {
  const figures = [];
  const a = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  const pa = await a.newPage();
  await pa.goto(`${server.url}/?members=${MEMBERS}`);
  await ready(pa);
  await pa.click('[data-testid="open-demo"]');
  await pa.waitForSelector('[data-testid="nav-members"]', { timeout: 10 * 60_000 });
  await pa.waitForSelector('[data-testid="save-state"][data-state="saved"]', { timeout: 10 * 60_000 });
  const docs = await pa.evaluate(async () => JSON.parse(await globalThis.clienteleDb.readAll()).length);

  let t = now();
  await connect(pa, "Counter");
  await pa.waitForSelector('[data-testid="sync-state"][data-state="synced"]', { timeout: 20 * 60_000 });
  figures.push(`first sync, ${docs} records sealed and sent: ${(now() - t).toFixed(0)} ms`);
  const onServer = (await (await fetch(`${couchUrl}/bench`)).json()).doc_count;
  assert.equal(onServer, docs);

  const b = await browser.newContext({ viewport: { width: 820, height: 1180 }, locale: "en-US" });
  const pb = await b.newPage();
  await pb.goto(server.url);
  await ready(pb);
  await pb.click('[data-testid="start-empty"]');
  await pb.waitForSelector('[data-testid="nav-members"]');
  t = now();
  await connect(pb, "Tablet");
  await pb.waitForSelector('[data-testid="sync-state"][data-state="synced"]', { timeout: 20 * 60_000 });
  figures.push(`join (copy ${docs} records, reopen, live): ${(now() - t).toFixed(0)} ms`);

  // The same member on both, at checkout.
  for (const p of [pa, pb]) {
    await p.click('[data-testid="nav-checkout"]');
    await p.fill('[data-testid="checkout-find"]', "VIP000001");
    await p.locator('[data-testid="pick-member"]').first().click();
    await p.waitForSelector('[data-testid="points-summary"]');
  }
  const before = await points(pb);
  await pa.click('[data-testid="tab-sale"]');
  await pa.fill('[data-testid="sale-amount"]', "500");
  await pa.waitForSelector('[data-testid="sale-preview"]');
  t = now();
  await pa.click('[data-testid="sale-confirm"]');
  await pa.waitForSelector('[data-testid="flash-ok"]');
  await pb.waitForFunction((n) => Number(document.querySelector('[data-testid="points-available"]').textContent.replace(/[^0-9-]/g, "")) !== n, before, { timeout: 120_000 });
  figures.push(`a sale on one device shown on the other: ${(now() - t).toFixed(0)} ms`);
  assert.equal(await points(pb), await points(pa));
  assert.equal(await stateOf(pa), "synced");
  console.log(`sync, ${MEMBERS} members:\n  ${figures.join("\n  ")}`);
  await a.close();
  await b.close();
});
