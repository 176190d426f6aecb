// The on-device database end to end (PouchDB in IndexedDB): an older
// version's localStorage store moves in; two tabs stay in step and both
// keep saving; the console works before PouchDB's code arrives; and every fault gets a message and loses nothing
// acknowledged: no IndexedDB, a full quota, a failing write, an unreadable
// record, a newer layout, the page closed right after a sale.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser, server, browser, ready, shot, watchErrors, openConsole, storedStore, register } from "./harness.mjs";

useBrowser();

const memberCount = async (page) => {
  await page.click('[data-testid="nav-members"]');
  return Number((await page.textContent('[data-testid="member-count"]')).replace(/[^0-9]/g, ""));
};

// A new customer at the counter and a sale of `amount` to them.
const registerAndSell = async (page, name, mobile, amount) => {
  await register(page, name, mobile);
  await page.click('[data-testid="tab-sale"]');
  await page.fill('[data-testid="sale-amount"]', amount);
  await page.waitForSelector('[data-testid="sale-preview"]');
  await page.click('[data-testid="sale-confirm"]');
  await page.waitForSelector('[data-testid="flash-ok"]');
};

// A store as the previous version kept it in localStorage.
const legacyEnvelope = () =>
  JSON.stringify({
    schema: 1,
    rev: 3,
    saved_at: "2026-11-30T10:00:00Z",
    data: {
      settings: { store_name: "旧版小店", currency_symbol: "¥" },
      members: [
        { id: 1, card_no: "VIP000001", name: "林小姐", mobile: "13700001111", joined: "2025-03-01" },
        { id: 2, card_no: "VIP000002", name: "Ms Chen", mobile: "13700002222", joined: "2025-04-01" },
      ],
      purchases: [
        { receipt: "R1", member: 1, at: "2026-10-01T11:00:00", amount: 128000 },
        { receipt: "R2", member: 2, at: "2026-11-01T15:30:00", amount: 56000 },
      ],
    },
  });

test("an older version's store moves into the database, then the old copy goes", async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "zh-CN" });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url);
  await ready(page);
  await page.evaluate((env) => {
    localStorage.setItem("clientele.store", env);
    localStorage.setItem("clientele.rev", "3");
  }, legacyEnvelope());
  await page.reload();
  await ready(page);
  await page.waitForSelector('[data-testid="dashboard-stats"]');
  assert.equal(await page.textContent('[data-testid="store-name"]'), "旧版小店");
  assert.equal(await memberCount(page), 2);
  assert.equal(await page.evaluate(() => localStorage.getItem("clientele.store")), null, "the old copy is removed");
  const stored = await storedStore(page);
  assert.deepEqual(stored.purchases.map((p) => p.receipt), ["R1", "R2"]);
  // And it stays after another reload, from the database alone.
  await page.reload();
  await ready(page);
  assert.equal(await memberCount(page), 2);
  assert.equal(await page.locator('[data-testid="storage-banner"]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("two tabs stay in step and both keep saving", async () => {
  const { context, page: a, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  const b = await context.newPage();
  await b.goto(server.url);
  await ready(b);
  await b.waitForSelector('[data-testid="dashboard-stats"]');
  // A change in tab A shows in tab B within a second.
  await a.click('[data-testid="nav-settings"]');
  await a.fill('[data-testid="store-name-input"]', "Tab A's name");
  await b.waitForFunction(() => document.querySelector('[data-testid="store-name"]')?.textContent === "Tab A's name", null, {
    timeout: 3_000,
  });
  // And the other way round: tab B did not stop saving.
  await b.click('[data-testid="nav-settings"]');
  await b.fill('[data-testid="store-name-input"]', "Tab B's name");
  await a.waitForFunction(() => document.querySelector('[data-testid="store-name"]')?.textContent === "Tab B's name", null, {
    timeout: 3_000,
  });
  assert.equal(await a.locator('[data-testid="storage-banner"]').count(), 0);
  assert.equal(await b.locator('[data-testid="storage-banner"]').count(), 0);
  await b.close();
  await a.reload();
  await ready(a);
  assert.equal(await a.textContent('[data-testid="store-name"]'), "Tab B's name");
  assert.deepEqual(errors, []);
  await context.close();
});

// A second tab opened before the first one made the store (the welcome
// screen, or a moment before the first save) takes the store once it is made.
test("a tab on the welcome screen takes the store another tab makes", async () => {
  const { context, page: b } = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "en-US" }, null);
  await b.waitForSelector('[data-testid="open-demo"]');
  const a = await context.newPage();
  await a.goto(server.url);
  await ready(a);
  await a.click('[data-testid="open-demo"]');
  await a.waitForSelector('[data-testid="save-state"][data-state="saved"]');
  await b.waitForSelector('[data-testid="dashboard-stats"]', { timeout: 5_000 });
  assert.equal(await b.textContent('[data-testid="store-name"]'), await a.textContent('[data-testid="store-name"]'));
  await context.close();
});

test("a sale made just before the page closes is there on reopen", async () => {
  const { context, page } = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  await registerAndSell(page, "Closing Time", "13755556666", "880.00");
  await page.close({ runBeforeUnload: true });
  const again = await context.newPage();
  await again.goto(server.url);
  await ready(again);
  await again.waitForSelector('[data-testid="dashboard-stats"]');
  const stored = await storedStore(again);
  const member = stored.members.find((m) => m.name === "Closing Time");
  assert.ok(member, "the member registered just before closing is there");
  assert.ok(
    stored.purchases.some((p) => p.member === member.id && p.amount === 88000),
    "the sale made just before closing is there"
  );
  await context.close();
});

// PouchDB (pouch.js) is fetched after the console's first screen: until
// it arrives, the console shows the store it read from IndexedDB itself and
// takes a sale, which is saved when PouchDB comes, or kept by the journal
// when the page closes first.
test("before PouchDB's code arrives the console shows the store and takes a sale, saved when it comes or kept if the page closes", async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "en-US", serviceWorkers: "block" });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url);
  await ready(page);
  await page.click('[data-testid="open-demo"]');
  await page.waitForSelector('[data-testid="save-state"][data-state="saved"]');
  const members = await memberCount(page);
  const held = [];
  await page.route("**/pouch.js", (route) => held.push(route));
  const sold = (stored, name) => {
    const member = stored.members.find((m) => m.name === name);
    return !!member && stored.purchases.some((p) => p.member === member.id && p.amount === 66000);
  };

  // Saved when PouchDB comes.
  await page.goto(server.url);
  await ready(page);
  await page.waitForSelector('[data-testid="at-risk-list"]');
  assert.equal(await memberCount(page), members, "the store read without PouchDB");
  await registerAndSell(page, "Before PouchDB", "13766660001", "660.00");
  assert.equal(await page.getAttribute('[data-testid="save-state"]', "data-state"), "saving", "not saved yet, and says so");
  assert.ok(held.length > 0, "PouchDB was asked for, and held back");
  assert.equal(await page.locator('[data-testid="storage-banner"]').count(), 0, "waiting is not a fault");
  held.splice(0).forEach((r) => r.continue().catch(() => {}));
  await page.waitForSelector('[data-testid="save-state"][data-state="saved"]');
  assert.ok(sold(await storedStore(page), "Before PouchDB"), "the sale is in the database");

  // Kept by the journal when the page closes first.
  await page.goto(server.url);
  await ready(page);
  await page.waitForSelector('[data-testid="dashboard-stats"]');
  await registerAndSell(page, "Closed Early", "13766660002", "660.00");
  assert.ok(held.length > 0, "PouchDB held back again");
  await page.close({ runBeforeUnload: true });
  const again = await context.newPage();
  await again.goto(server.url);
  await ready(again);
  await again.waitForSelector('[data-testid="save-state"][data-state="saved"]');
  const stored = await storedStore(again);
  assert.ok(sold(stored, "Closed Early") && sold(stored, "Before PouchDB"), "both sales are there on reopen");
  assert.deepEqual(errors, []);
  await context.close();
});

test("without IndexedDB the console works in memory, says so and offers a backup", async () => {
  const context = await browser.newContext({ viewport: { width: 820, height: 1180 }, locale: "zh-CN" });
  await context.addInitScript(() => {
    Object.defineProperty(window, "indexedDB", { value: undefined, configurable: true });
  });
  const page = await context.newPage();
  await page.goto(server.url);
  await ready(page);
  await page.waitForSelector('[data-testid="storage-banner"]');
  assert.match(await page.textContent('[data-testid="storage-banner"]'), /内存/);
  await page.click('[data-testid="open-demo"]');
  await page.waitForSelector('[data-testid="dashboard-stats"]');
  assert.ok((await memberCount(page)) > 500, "the demo works in memory");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click('[data-testid="storage-banner"] button'),
  ]);
  assert.match(download.suggestedFilename(), /backup.*\.json$/);
  await shot(page, "storage-unavailable-zh-820x1180");
  await context.close();
});

// Makes IndexedDB writes fail on demand, as a browser reports a full disk
// or a broken store: the transaction aborts and its error names the cause.
// window.__failWrites = "QuotaExceededError" or "UnknownError".
const failingWrites = () => {
  const error = Object.getOwnPropertyDescriptor(IDBTransaction.prototype, "error").get;
  Object.defineProperty(IDBTransaction.prototype, "error", {
    get() {
      return this.__failed ? new DOMException("refused by the test", this.__failed) : error.call(this);
    },
  });
  for (const method of ["put", "add"]) {
    const real = IDBObjectStore.prototype[method];
    IDBObjectStore.prototype[method] = function (...args) {
      if (window.__failWrites && !this.transaction.__failed) {
        this.transaction.__failed = window.__failWrites;
        this.transaction.abort();
      }
      if (this.transaction.__failed) return { set onsuccess(f) {}, set onerror(f) {} };
      return real.apply(this, args);
    };
  }
};

for (const [fault, words] of [
  ["QuotaExceededError", /storage is full/],
  ["UnknownError", /Saving failed/],
]) {
  test(`a write refused with ${fault} keeps the change on screen, says it is not saved, and saves it later`, async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
    await context.addInitScript(failingWrites);
    const page = await context.newPage();
    await page.goto(server.url);
    await ready(page);
    await page.click('[data-testid="open-demo"]');
    await page.waitForSelector('[data-testid="dashboard-stats"]');
    await page.waitForFunction(async () => (await globalThis.clienteleDb.readAll()).includes('"settings"'));
    await page.evaluate((f) => (window.__failWrites = f), fault);
    await page.click('[data-testid="nav-settings"]');
    await page.fill('[data-testid="store-name-input"]', "Not saved yet");
    await page.waitForSelector('[data-testid="storage-banner"]');
    assert.match(await page.textContent('[data-testid="storage-banner"]'), words);
    assert.equal(await page.textContent('[data-testid="store-name"]'), "Not saved yet", "the change stays on screen");
    assert.equal(await page.getAttribute('[data-testid="save-state"]', "data-state"), "off", "the header says: not saved");
    if (fault === "QuotaExceededError") await shot(page, "storage-full-en-1024x768");
    // Room again: nothing was written meanwhile, and the next change saves.
    await page.evaluate(() => (window.__failWrites = null));
    assert.notEqual((await storedStore(page)).settings.store_name, "Not saved yet");
    await page.fill('[data-testid="store-name-input"]', "Saved at last");
    await page.waitForSelector('[data-testid="storage-banner"]', { state: "detached" });
    assert.equal((await storedStore(page)).settings.store_name, "Saved at last");
    await context.close();
  });
}

test("an unreadable record is set aside by name and the rest opens; a newer layout opens read-only", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  await page.waitForFunction(async () => (await globalThis.clienteleDb.readAll()).includes('"m:1"'));
  const count = await memberCount(page);
  await page.evaluate(async () => {
    const [[, rev]] = JSON.parse(await globalThis.clienteleDb.revs(JSON.stringify(["m:1"])));
    await globalThis.clienteleDb.write(JSON.stringify([{ _id: "m:1", _rev: rev, d: { id: 1, name: ["broken"] } }]));
  });
  await page.reload();
  await ready(page);
  await page.waitForSelector('[data-testid="set-aside-banner"]');
  assert.match(await page.textContent('[data-testid="set-aside-banner"]'), /m:1/);
  assert.equal(await memberCount(page), count - 1);
  await shot(page, "storage-set-aside-zh-390x844");

  // A newer Clientele wrote the layout: shown, never written.
  await page.evaluate(async () => {
    const [[, rev]] = JSON.parse(await globalThis.clienteleDb.revs(JSON.stringify(["meta"])));
    await globalThis.clienteleDb.write(JSON.stringify([{ _id: "meta", _rev: rev, d: { schema: 999 } }]));
  });
  await page.reload();
  await ready(page);
  await page.waitForSelector('[data-testid="storage-banner"]');
  assert.match(await page.textContent('[data-testid="storage-banner"]'), /只读/);
  assert.equal(await memberCount(page), count - 1);
  const before = await page.evaluate(() => globalThis.clienteleDb.readAll());
  await page.click('[data-testid="nav-settings"]');
  await page.fill('[data-testid="store-name-input"]', "不会保存");
  await page.waitForTimeout(800);
  assert.equal(await page.evaluate(() => globalThis.clienteleDb.readAll()), before, "nothing written");
  assert.deepEqual(errors, []);
  await context.close();
});

test("Settings shows where the data lives, its size, persistence and the last backup", async () => {
  for (const [locale, lang, persistWords] of [
    ["zh-CN", "zh", /保留/],
    ["en-US", "en", /keep/],
  ]) {
    const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale });
    await page.click('[data-testid="nav-settings"]');
    await page.waitForFunction(() => /MB/.test(document.querySelector('[data-testid="storage-used"]')?.textContent || ""));
    assert.match(await page.textContent('[data-testid="storage-persisted"]'), persistWords);
    assert.match(await page.textContent('[data-testid="last-backup"]'), lang === "zh" ? /从未/ : /Never/);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('[data-testid="settings-backup"]'),
    ]);
    assert.match(download.suggestedFilename(), /\.json$/);
    await page.waitForFunction(() => /\d{4}/.test(document.querySelector('[data-testid="last-backup"]')?.textContent || ""));
    for (const [w, h] of [
      [1024, 768],
      [390, 844],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await shot(page, `settings-storage-${lang}-${w}x${h}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
