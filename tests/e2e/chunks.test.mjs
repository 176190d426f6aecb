// Code loaded on demand (xtask/src/split.rs): a page whose chunk cannot be
// fetched says so and the console goes on; the next visit fetches it. The
// demo generator the same. A generated store of 10,000 members persists in
// the database and reopens.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser, server, browser, ready, watchErrors, shot, openConsole } from "./harness.mjs";

useBrowser();

// Without the service worker, so every chunk request reaches page.route.
const noWorker = (locale) => ({ viewport: { width: 1024, height: 768 }, locale, serviceWorkers: "block" });

const failedFetch = (e) => /Failed to fetch|net::ERR_FAILED|CompileError|ERR_FAILED/.test(e);

test("a page whose chunk cannot be fetched says so; the next visit loads it", async () => {
  const { context, page, errors } = await openConsole(noWorker("zh-CN"));
  await page.waitForSelector('[data-testid="dashboard-stats"]');
  await page.route(/\/split_members_page-[0-9a-f]+\.wasm$/, (route) => route.abort());
  await page.click('[data-testid="nav-members"]');
  const alert = page.locator('[data-testid="page-unavailable"]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /无法载入/);
  await shot(page, "page-unavailable-zh-1024x768");
  // The rest of the console still works.
  await page.click('[data-testid="nav-care"]');
  await page.waitForSelector('.care-tab');
  // Back online: the members page loads.
  await page.unroute(/\/split_members_page-[0-9a-f]+\.wasm$/);
  await page.click('[data-testid="nav-members"]');
  await page.locator('[data-testid="member-row"]').first().waitFor();
  assert.deepEqual(errors.filter((e) => !failedFetch(e)), []);
  await context.close();
});

test("the analysis' code that cannot be fetched is explained on the dashboard and its pages; the next visit loads it", async () => {
  const insights = /\/split_insights-[0-9a-f]+\.wasm$/;
  const { context, page, errors } = await openConsole(noWorker("en-US"), null);
  await page.route(insights, (route) => route.abort());
  await page.click('[data-testid="open-demo"]');
  await page.waitForSelector('[data-testid="dashboard-stats"]');
  // The dashboard's own figures are there; where the analysis would be, it says why not.
  const list = page.locator('[data-testid="at-risk-list"]');
  await page.waitForFunction(() => /could not be loaded/.test(document.querySelector('[data-testid="at-risk-list"]')?.textContent ?? ""));
  assert.match(await page.textContent('[data-testid="stat-members"]'), /\d/);
  await shot(page, "insights-unavailable-en-1024x768");
  // A page that shows the analysis says so too, and the rest still works.
  await page.click('[data-testid="nav-segments"]');
  await page.locator('[data-testid="page-unavailable"]').waitFor();
  await page.click('[data-testid="nav-points"]');
  await page.waitForSelector('.page-title');
  // Back online: Segments loads, and the dashboard's list fills in.
  await page.unroute(insights);
  await page.click('[data-testid="nav-segments"]');
  await page.waitForSelector('[data-testid="rfm"]');
  await page.click('[data-testid="nav-"]');
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="stat-at-risk"]')?.textContent ?? ""));
  assert.doesNotMatch(await list.textContent(), /could not be loaded/);
  assert.deepEqual(errors.filter((e) => !failedFetch(e)), []);
  await context.close();
});

test("the demo generator that cannot be fetched is explained; start empty still works", async () => {
  const { context, page, errors } = await openConsole(noWorker("en-US"), null);
  await page.route(/\/split_demo-[0-9a-f]+\.wasm$/, (route) => route.abort());
  await page.click('[data-testid="open-demo"]');
  const alert = page.locator('[data-testid="demo-unavailable"]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /could not be loaded/);
  await page.unroute(/\/split_demo-[0-9a-f]+\.wasm$/);
  await page.click('[data-testid="open-demo"]');
  await page.waitForSelector('[data-testid="dashboard-stats"]');
  assert.deepEqual(errors.filter((e) => !failedFetch(e)), []);
  await context.close();
});

test("a 10,000-member store persists in the database and reopens after a reload", async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/?members=10000`);
  await ready(page);
  await page.click('[data-testid="open-demo"]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid="dashboard-stats"]', { timeout: 120_000 });
  const members = async () => {
    await page.click('[data-testid="nav-members"]');
    return Number((await page.textContent('[data-testid="member-count"]')).replace(/[^0-9]/g, ""));
  };
  assert.equal(await members(), 10000);
  // Saved (the header says so): every member is a record in the database.
  await page.waitForSelector('[data-testid="save-state"][data-state="saved"]', { timeout: 120_000 });
  const records = await page.evaluate(async () => JSON.parse(await globalThis.clienteleDb.readAll()).filter(([id]) => id.startsWith("m:")).length);
  assert.equal(records, 10000);
  await page.reload();
  await ready(page);
  await page.waitForSelector('[data-testid="nav-members"]', { timeout: 60_000 });
  assert.equal(await page.locator('[data-testid="storage-banner"]').count(), 0, "opened without a warning");
  assert.equal(await members(), 10000);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a page whose chunk is slow shows Loading, then the page", async () => {
  const { context, page, errors } = await openConsole(noWorker("en-US"));
  await page.waitForSelector('[data-testid="dashboard-stats"]');
  await page.route(/\/split_settings_page-[0-9a-f]+\.wasm$/, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.click('[data-testid="nav-settings"]');
  const loading = page.locator(".page-loading");
  await loading.waitFor();
  await page.waitForFunction(() => getComputedStyle(document.querySelector(".page-loading")).opacity === "1");
  assert.equal(await loading.textContent(), "Loading…");
  await page.waitForSelector('[data-testid="reset"]');
  assert.equal(await loading.count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
