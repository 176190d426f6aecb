// The console in WebKit, the engine of an iPad's Safari (WebKitGTK 2.50,
// IndexedDB on disk as Safari keeps it): PouchDB opens there and holds the
// demo; a sale at the counter outlives a reload and a restart of the
// browser; a refused write and WebKit's own quota each get the banner and
// lose nothing acknowledged; an older version's store moves in; two tabs
// stay in step.
import assert from "node:assert/strict";
import fs from "node:fs";
import {
  useWebKit,
  webkitTest,
  driver,
  openConsole,
  load,
  reload,
  newProfile,
  errors,
  saveState,
  waitSaved,
  rows,
  stored,
  memberCount,
  sell,
  shot,
} from "./harness.mjs";

useWebKit();

const TIMEOUT = { timeout: 180_000 };
const banner = '[data-testid="storage-banner"]';

webkitTest("PouchDB opens in WebKit, and the demo is saved there as members and fact blocks", TIMEOUT, async () => {
  const s = await openConsole({ lang: "zh-CN", start: null });
  try {
    assert.equal(await s.run(() => typeof globalThis.clienteleDb?.readAll), "function", "the glue is loaded");
    assert.deepEqual(await rows(s), [], "a new profile's database is empty");
    await s.click('[data-testid="open-demo"]');
    await s.waitForSelector('[data-testid="nav-members"]');
    await waitSaved(s);
    const all = await rows(s);
    for (const row of all) {
      assert.equal(row.length, 3, `a row is [id, rev, doc]: ${JSON.stringify(row).slice(0, 80)}`);
      assert.match(row[1], /^\d+-[0-9a-f]+$/, `${row[0]} has a revision`);
      assert.equal(row[2]._id, row[0]);
    }
    const ids = all.map(([id]) => id);
    const members = ids.filter((id) => /^m:\d+$/.test(id));
    assert.ok(members.length > 500, `the demo's members are records of their own (${members.length})`);
    assert.ok(ids.some((id) => id.startsWith("f:p:")), "purchases are in fact blocks");
    assert.ok(ids.includes("settings") && ids.includes("meta"), "settings and the layout's meta record");
    // What a full origin is read with (PouchDB cannot open there): its
    // reading of PouchDB's stores is PouchDB's own.
    assert.deepEqual(JSON.parse(await s.run(() => globalThis.clienteleDb.readAllRaw())), all);
    await shot(s, "dashboard-zh-1024x768");
    assert.equal(await memberCount(s), members.length, "the members page counts what the database holds");
    await shot(s, "members-zh-1024x768");
    assert.deepEqual(await errors(s), []);
  } finally {
    await s.quit();
  }
});

webkitTest("a sale at the counter is still there after a reload and after the browser is closed", TIMEOUT, async () => {
  let s = await openConsole({ lang: "en-US" });
  const dataDir = s.dataDir;
  let member, before;
  try {
    await waitSaved(s);
    const start = await stored(s);
    member = start.members.find((m) => m.mobile);
    before = start.purchases.filter((p) => p.member === member.id).length;
    await sell(s, member.mobile, "388.00");
    assert.match(await s.text('[data-testid="checkout-member"]'), new RegExp(member.name));
    await shot(s, "checkout-sale-en-1024x768");
    await waitSaved(s);
    const mine = (st) => st.purchases.filter((p) => p.member === member.id);
    assert.equal(mine(await stored(s)).length, before + 1, "the sale is in the database");
    assert.ok(mine(await stored(s)).some((p) => p.amount === 38800));

    await reload(s);
    await s.waitForSelector('[data-testid="nav-members"]', { timeout: 60_000 });
    assert.equal(mine(await stored(s)).length, before + 1, "after a reload");
    assert.deepEqual(await errors(s), []);
  } finally {
    await s.quit();
  }
  // A new browser process on the same profile: only the disk has it now.
  s = await driver.session({ dataDir, lang: "en-US" });
  try {
    await load(s);
    await s.waitForSelector('[data-testid="dashboard-stats"]', { timeout: 60_000 });
    const again = await stored(s);
    assert.equal(again.purchases.filter((p) => p.member === member.id).length, before + 1, "after a restart");
    assert.ok(again.purchases.some((p) => p.member === member.id && p.amount === 38800));
    assert.equal(await s.attr(banner, "role"), null, "no banner");
    assert.deepEqual(await errors(s), []);
  } finally {
    await s.quit();
  }
});

// Makes IndexedDB writes fail as a browser reports a full disk: the
// transaction aborts and its error is a QuotaExceededError. The same
// patch as the Chromium test's init script, put in once the page runs.
const failingWrites = () => {
  const error = Object.getOwnPropertyDescriptor(IDBTransaction.prototype, "error").get;
  Object.defineProperty(IDBTransaction.prototype, "error", {
    configurable: true,
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

webkitTest("a refused write shows the banner, keeps the sale on screen, and saves it with the next change", TIMEOUT, async () => {
  const s = await openConsole({ lang: "en-US" });
  try {
    await waitSaved(s);
    const member = (await stored(s)).members.find((m) => m.mobile);
    const mine = async () => (await stored(s)).purchases.filter((p) => p.member === member.id).map((p) => p.amount);
    const before = await mine();
    await s.run(failingWrites);
    await s.run(() => (window.__failWrites = "QuotaExceededError"));
    await sell(s, member.mobile, "120.00");
    await s.waitForSelector(banner);
    assert.match(await s.text(banner), /storage is full/);
    assert.equal(await saveState(s), "off", "the header says: not saved");
    assert.ok(await s.text('[data-testid="flash-ok"]'), "the sale stays on screen");
    await shot(s, "storage-full-en-1024x768");
    await s.run(() => (window.__failWrites = null));
    assert.deepEqual(await mine(), before, "nothing was written meanwhile");
    // Room again: the next sale saves, and the refused one with it.
    await sell(s, member.mobile, "80.00");
    await s.waitForSelector(banner, { gone: true });
    await waitSaved(s);
    const bySize = (a, b) => a - b;
    assert.deepEqual((await mine()).sort(bySize), [...before, 12000, 8000].sort(bySize), "both sales");
  } finally {
    await s.quit();
  }
});

// WebKit's own quota (WebKitGTK's per-origin storage ratio, as a full
// iPad's Safari refuses): 1 MB for the origin, and the demo is bigger.
// WebKit counts what the refused write left in its files, so then even
// a small write is refused, as on a device that is really full.
const quotaRatio = (dir) => {
  const disk = fs.statfsSync(dir);
  return 1_000_000 / (disk.blocks * disk.bsize);
};

webkitTest("WebKit's own quota: the demo stays on screen, the banner says storage is full, nothing half-written", TIMEOUT, async () => {
  const dataDir = newProfile();
  const s = await openConsole({ lang: "en-US", dataDir, quotaRatio: quotaRatio(dataDir) });
  try {
    await s.waitForSelector(banner, { timeout: 60_000 });
    assert.match(await s.text(banner), /storage is full/);
    assert.equal(await saveState(s), "off");
    assert.ok((await memberCount(s)) > 500, "the demo works in memory");
    await reload(s);
    await s.waitForSelector('[data-testid="open-demo"]');
    assert.deepEqual(await rows(s), [], "no part of the refused store was kept");
  } finally {
    await s.quit();
  }
});

webkitTest(
  "after WebKit's quota refused a write, the next change still says storage is full",
  TIMEOUT,
  async () => {
    const dataDir = newProfile();
    const s = await openConsole({ lang: "en-US", dataDir, quotaRatio: quotaRatio(dataDir) });
    try {
      await s.waitForSelector(banner, { timeout: 60_000 });
      await s.click('[data-testid="nav-checkout"]');
      // The page's chunk comes over the network while the refused saves
      // retry: on a busy machine that has taken more than the usual 30 s.
      await s.waitForSelector('[data-testid="checkout-register"]', { timeout: 90_000 });
      await s.click('[data-testid="checkout-register"]');
      await s.type('[data-testid="reg-name"]', "After Full");
      await s.type('[data-testid="reg-mobile"]', "13755550000");
      await s.click('[data-testid="reg-save"]');
      await s.waitForSelector('[data-testid="points-summary"]');
      await new Promise((r) => setTimeout(r, 1_500));
      assert.match(await s.text(banner), /storage is full/);
      // PouchDB cannot open again on a full origin (it writes its meta
      // record while opening): the database is read from its stores.
      assert.deepEqual(await rows(s), [], "the database can still be read, and holds nothing refused");
    } finally {
      await s.quit();
    }
  }
);

// A store as the previous version kept it in localStorage.
const legacyEnvelope = JSON.stringify({
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

webkitTest("an older version's store moves into WebKit's database, then the old copy goes", TIMEOUT, async () => {
  const s = await openConsole({ lang: "zh-CN", start: null });
  try {
    await s.run((env) => {
      localStorage.setItem("clientele.store", env);
      localStorage.setItem("clientele.rev", "3");
    }, legacyEnvelope);
    await reload(s);
    await s.waitForSelector('[data-testid="dashboard-stats"]', { timeout: 60_000 });
    assert.equal(await s.text('[data-testid="store-name"]'), "旧版小店");
    assert.equal(await memberCount(s), 2);
    assert.equal(await s.run(() => localStorage.getItem("clientele.store")), null, "the old copy is removed");
    assert.deepEqual((await stored(s)).purchases.map((p) => p.receipt), ["R1", "R2"]);
  } finally {
    await s.quit();
  }
});

webkitTest("two tabs stay in step and both keep saving", TIMEOUT, async () => {
  const s = await openConsole({ lang: "en-US" });
  try {
    await waitSaved(s);
    const a = await s.window();
    const b = await s.newWindow();
    await s.switchTo(b);
    await load(s);
    await s.waitForSelector('[data-testid="dashboard-stats"]');
    const name = () => s.text('[data-testid="store-name"]');
    // The store name field loses focus while typed in (in every browser),
    // so its value is set at once, as the Chromium tests' fill does.
    await s.switchTo(a);
    await s.click('[data-testid="nav-settings"]');
    await s.setValue('[data-testid="store-name-input"]', "Tab A's name");
    await s.switchTo(b);
    await s.waitFor(() => document.querySelector('[data-testid="store-name"]')?.textContent === "Tab A's name", {
      timeout: 5_000,
      what: "tab A's change in tab B",
    });
    await s.click('[data-testid="nav-settings"]');
    await s.setValue('[data-testid="store-name-input"]', "Tab B's name");
    await s.switchTo(a);
    await s.waitFor(() => document.querySelector('[data-testid="store-name"]')?.textContent === "Tab B's name", {
      timeout: 5_000,
      what: "tab B's change in tab A",
    });
    assert.equal(await s.attr(banner, "role"), null);
    assert.deepEqual(await errors(s), []);
    await s.switchTo(b);
    assert.equal(await s.attr(banner, "role"), null);
    assert.deepEqual(await errors(s), []);
    await s.closeWindow();
    await s.switchTo(a);
    await reload(s);
    await s.waitForSelector('[data-testid="nav-members"]', { timeout: 60_000 });
    assert.equal(await name(), "Tab B's name");
    assert.deepEqual(await errors(s), []);
  } finally {
    await s.quit();
  }
});
