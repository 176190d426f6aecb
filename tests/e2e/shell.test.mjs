// The foundation end to end: first run, the demo boutique, every page,
// persistence across reloads, offline, language, and settings.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { useBrowser, server, browser, ready, shot, watchErrors, dist, openConsole } from "./harness.mjs";

const PAGES = [
  ["dashboard", "/"],
  ["today", "/today"],
  ["members", "/members"],
  ["checkout", "/checkout"],
  ["points", "/points"],
  ["segments", "/segments"],
  ["care", "/care"],
  ["data", "/data"],
  ["settings", "/settings"],
];

useBrowser();

async function memberCount(page) {
  await page.click('[data-testid="nav-members"]');
  const text = await page.textContent('[data-testid="member-count"]');
  return Number(text.replace(/[^0-9]/g, ""));
}

test("first run, demo boutique, every page, reload, offline", async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "zh-CN" });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url);
  await ready(page);

  // First run offers the demo or an empty store, in the browser's language.
  await page.waitForSelector('[data-testid="welcome"]');
  assert.match(await page.textContent('[data-testid="open-demo"]'), /示例/);
  await shot(page, "welcome-zh-1024x768");
  await page.click('[data-testid="open-demo"]');
  await page.waitForSelector('[data-testid="dashboard-stats"]');

  const count = await memberCount(page);
  assert.ok(count >= 900 && count <= 1200, `demo has about 1,000 members, got ${count}`);
  const firstRow = await page.textContent('[data-testid="member-row"]');
  assert.match(firstRow, /[\u4e00-\u9fff]/, "Chinese names in a zh-CN browser");

  for (const [name, href] of PAGES) {
    await page.click(`[data-testid="nav${href === "/" ? "-" : href.replace("/", "-")}"]`);
    await page.waitForFunction((h) => location.pathname === h, href);
    await shot(page, `${name}-zh-1024x768`);
  }

  // Reload: the same members come back from storage.
  await page.reload();
  await ready(page);
  assert.equal(await memberCount(page), count);

  // Offline: the service worker serves the console and the data is there.
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return Boolean(reg.active);
  });
  await context.setOffline(true);
  await page.reload();
  await ready(page);
  assert.equal(await memberCount(page), count);
  await context.setOffline(false);
  assert.deepEqual(errors, []);
  await context.close();
});

test("search by mobile, card number and name", async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  const page = await context.newPage();
  await page.goto(server.url);
  await ready(page);
  await page.click('[data-testid="open-demo"]');
  await page.click('[data-testid="nav-members"]');
  const row = page.locator('[data-testid="member-row"]').first();
  await row.waitFor();
  const cells = await row.locator('[role="cell"]').allTextContents();
  const [card, name, mobile] = cells;
  assert.match(name, /[A-Za-z]/, "English names in an English browser");

  const search = page.locator('[data-testid="member-search"]');
  // Mobile as a customer would say it, with spaces and the country code.
  await search.fill(`+86 ${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="member-row"]').length === 1);
  assert.equal(await page.locator('[data-testid="member-row"] [role="cell"]').nth(1).textContent(), name);

  await search.fill(card.toLowerCase());
  await page.waitForFunction(
    (c) => document.querySelector('[data-testid="member-row"] [role="cell"]')?.textContent === c,
    card
  );

  await search.fill("zzzz-no-such-member");
  await page.waitForSelector('[data-testid="members-none"]');
  await context.close();
});

test("links change the page in place, back and forward too; a modified click is the browser's", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  const path = () => new URL(page.url()).pathname;
  const current = (nav) => page.getAttribute(`[data-testid="${nav}"]`, "aria-current");
  // A mark on the window: a reload would lose it.
  await page.evaluate(() => (window.__stayed = true));
  await page.click('[data-testid="nav-members"]');
  const rows = page.locator('[data-testid="member-row"]');
  await rows.first().waitFor();
  assert.equal(path(), "/members");
  assert.equal(await current("nav-members"), "page");
  assert.equal(await current("nav-"), null, "the dashboard tab is not current");
  // A member's page: the Members tab stays current under it.
  const card = (await rows.first().locator('[role="cell"]').first().textContent()).trim();
  await rows.first().click();
  await page.waitForURL(/\/members\/\d+$/);
  await page.waitForSelector(`text=${card}`);
  assert.equal(await current("nav-members"), "page");
  // Back to the list and to the dashboard, then forward again.
  await page.goBack();
  await rows.first().waitFor();
  assert.equal(path(), "/members");
  await page.goBack();
  await page.waitForFunction(() => location.pathname === "/");
  await page.waitForSelector('[data-testid="nav-"][aria-current="page"]');
  await page.goForward();
  await rows.first().waitFor();
  // A control-click opens a new tab and leaves this one where it was.
  const [opened] = await Promise.all([
    context.waitForEvent("page"),
    page.click('[data-testid="nav-settings"]', { modifiers: ["Control"] }),
  ]);
  await opened.waitForLoadState();
  assert.equal(new URL(opened.url()).pathname, "/settings");
  assert.equal(path(), "/members");
  assert.equal(await current("nav-members"), "page");
  assert.equal(await page.evaluate(() => window.__stayed), true, "no link reloaded the page");
  assert.deepEqual(errors, []);
  await context.close();
});

test("language switch is remembered; settings persist; reset asks first", async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  const page = await context.newPage();
  await page.goto(server.url);
  await ready(page);
  await page.click('[data-testid="start-empty"]');
  assert.equal(await page.textContent('[data-testid="nav-members"]'), "Members");
  await page.click('[data-testid="lang-switch"]');
  assert.equal(await page.textContent('[data-testid="nav-members"]'), "会员");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");

  await page.click('[data-testid="nav-settings"]');
  // Typed key by key, as a person does: each keystroke saves, and the
  // field keeps the focus through the saves and the storage figures.
  await page.fill('[data-testid="store-name-input"]', "");
  await page.locator('[data-testid="store-name-input"]').pressSequentially("小雅家纺", { delay: 500 });
  assert.equal(await page.inputValue('[data-testid="store-name-input"]'), "小雅家纺");
  assert.equal(
    await page.evaluate(() => document.activeElement?.dataset.testid),
    "store-name-input",
    "the store name keeps the focus while typing"
  );
  await page.fill('[data-testid="currency-input"]', "HK$");
  await page.selectOption('[data-testid="date-format"]', "2");
  await page.waitForTimeout(700); // let the debounced save run
  await page.reload();
  await ready(page);
  assert.equal(await page.textContent('[data-testid="nav-members"]'), "会员", "language remembered");
  assert.equal(await page.textContent('[data-testid="store-name"]'), "小雅家纺");
  await page.click('[data-testid="nav-settings"]');
  assert.equal(await page.inputValue('[data-testid="currency-input"]'), "HK$");

  // Reset needs a second, explicit confirmation.
  await page.click('[data-testid="reset"]');
  assert.equal(await page.locator('[data-testid="welcome"]').count(), 0);
  await page.click('[data-testid="reset-confirm"]');
  await page.waitForSelector('[data-testid="welcome"]');
  await page.reload();
  await ready(page);
  await page.waitForSelector('[data-testid="welcome"]');
  await context.close();
});

// What the browser fetches before the console is usable, gzipped as a
// server would send it: the welcome screen on a first visit, and the
// dashboard of a saved store on every visit after. The other pages, the
// demo generator, store packing (xtask/src/split.rs) and the file worker
// are fetched when first needed.
// The goal is 400,000 B. Moving the store into IndexedDB added PouchDB
// (db.js, 29 KB gz) and the record store's code (about 30 KB gz of wasm)
// and took the first load to about 442 KB; until it is cut back under the
// goal (ARCHITECTURE.md, First load), the measured size is held as a
// ceiling so it cannot grow unnoticed. Sync (the header's state, resuming
// at open, db.js's loader, the welcome screen's invitation) and hosting
// under a sub-path added 5.1 KB. The new points rules (sign-up bonus,
// birthday gift, programme dates, minimums: replay runs at open) added
// about 3.5 KB; member edit stamps, conflict notes and the member merges
// every read applies (all on the save and read path) about 13 KB
// (466,612 B measured); the tier rules (entry rewards, calendar-year hold,
// the year of spend's start: replay) and shops on the dashboard (its shop
// picker and the shop's own replay and analysis) 12 KB (478,680 B);
// rules by category, paying with points (both read at open: the scheme's
// and the points events' parsers, replay) and the dashboard's links kept
// within a shop 9.2 KB (487,858 B). Most of the parsing cost is serde's
// buffering for internally tagged enums and `flatten` (about 25 KB raw).
// The member code (the camera's loader, 343 B; the card's and camera's
// styles) added 1 KB (488,838 B); the reader itself loads on demand.
// Messages in one tap 0.6 KB (489,465 B: the split glue for its chunk).
// The Today list 25.2 KB (514,702 B): its rules and marks are read at open
// (the settings and care-log parsers: serde's code for seven new types,
// 13.3 KB) and the dashboard counts today's work (11.9 KB; split off, its
// chunks cost a later visit more than they save). The list loads on demand.
// Staff on sales and the staff list 2.3 KB (517,049 B); the boutique's own
// message words 1.3 KB (518,346 B): both parsed with the settings at open.
// Search within a frame and no long task after a sale at 100k 0.7 KB
// (519,155 B: which changes touch members, room kept in the fact lists;
// the search index and duplicates are built in the pages' chunks). The
// hold-out group 0.5 KB (519,625 B: a rule read at open, and the split of
// the dashboard's Today counts). A reopen at 100k in under 3 s 2.4 KB
// (520,886 B: the snapshot read by lengths, the dashboard's at-risk list
// after its first paint). The portrait header and tabs as one sticky box
// and the replay's one list of receipts for every member 1.5 KB (522,364 B).
// Reading a full origin's stores when WebKit will not open PouchDB there
// (db.js) 0.6 KB (522,998 B). Then cut by 83.8 KB (439,200 B): the
// console's own router in place of leptos_router (44 KB), the standard
// library built with panic = "immediate-abort" (24 KB, its speed setting
// kept) and sorts sharing one copy (about 10 KB). Then under the goal
// (398,994 B): the console opens by reading the database's stores itself
// and fetches PouchDB after its first screen (db.js 31,260 -> 2,557 B), the
// wasm's scripts and the style sheet are minified (4.7 KB), and the code
// that takes other tabs' changes waits in a chunk (6.1 KB of wasm). With PouchDB,
// fetched after the first screen, it is 429,481 B. Then the analysis and the
// count of today's work moved to a chunk the dashboard fetches once painted
// (`insights`, src/analysis.rs): 366,568 B, and 397,055 B with PouchDB.
// The reopen's small mends (the hasher, the revisions moved, the insights fetch mend) 13 B (366,581 B; 397,068 B with PouchDB).
// Programme health taking the replay's counted purchases, -204 B (366,377 B; 396,864 B with PouchDB).
// The snapshot kept after the first screen and after large saves, a tab on the welcome screen taking
// another tab's store, a damaged snapshot passed over: 1.0 KB (367,385 B; 397,884 B with PouchDB).
const FIRST_LOAD_GOAL = 400_000;
const FIRST_LOAD_BUDGET = FIRST_LOAD_GOAL;

const gz = (p) => zlib.gzipSync(fs.readFileSync(path.join(dist, p)), { level: 9 }).length;

// What the page fetched while `opening` ran. PouchDB's code (pouch.js) is
// held back meanwhile: the console must open without it (js/db.js reads
// the database itself), so it cannot be part of what opening needs. So are
// the wasm chunks: the dashboard asks for the analysis' chunk once it is
// painted, and must be usable without it.
async function fetchedWhile(page, opening) {
  const fetched = [];
  const seen = (r) => fetched.push(new URL(r.url()).pathname);
  const held = [];
  const hold = (route) => held.push(route);
  const later = ["**/pouch.js", "**/split_*.wasm", "**/chunk_*.wasm"];
  for (const p of later) await page.route(p, hold);
  page.on("request", seen);
  await opening();
  page.off("request", seen);
  const heldPaths = held.map((r) => new URL(r.request().url()).pathname);
  held.forEach((r) => r.continue().catch(() => {}));
  for (const p of later) await page.unroute(p, hold);
  const assets = [...new Set(fetched)].filter((p) => /\.(wasm|js|css)$/.test(p) && !heldPaths.includes(p));
  const sizes = assets.map((p) => [p, gz(p)]);
  return { fetched, heldPaths, assets, sizes, total: sizes.reduce((a, [, n]) => a + n, 0) };
}

test("first load stays within the budget; PouchDB, pages, analysis, demo and file worker load after it", async () => {
  // No service worker: its fetches would pass by the page's routes.
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "en-US", serviceWorkers: "block" });
  const page = await context.newPage();
  const firstVisit = await fetchedWhile(page, async () => {
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="open-demo"]');
  });
  await page.click('[data-testid="open-demo"]');
  await page.waitForSelector('[data-testid="save-state"][data-state="saved"]');
  // The dashboard is drawn and answers a tap while the chunks are held.
  const everyVisit = await fetchedWhile(page, async () => {
    await page.reload();
    await page.waitForSelector('[data-testid="dashboard-stats"]');
    await page.waitForSelector('[data-testid="today-open"]');
    await page.waitForFunction(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(() => ok(true), 50))));
  });
  for (const [name, load] of [
    ["first visit", firstVisit],
    ["later visit", everyVisit],
  ]) {
    console.log(
      `${name} (gzip -9): ${load.sizes.map(([p, n]) => `${p} ${n} B`).join(", ")}; total ${load.total} B ` +
        `(goal ${FIRST_LOAD_GOAL} B: ${load.total <= FIRST_LOAD_GOAL ? "met" : `over by ${load.total - FIRST_LOAD_GOAL} B`}); ` +
        `with PouchDB, fetched after it: ${load.total + gz("pouch.js")} B`
    );
    assert.ok(load.assets.some((p) => p.endsWith(".wasm")), "the console's wasm was fetched");
    assert.ok(!load.fetched.some((p) => p.includes("io-worker")), "the file worker waits for a file");
    const pages = load.fetched.filter((p) => /\/split_(?!insights-)/.test(p));
    assert.deepEqual(pages, [], `${name}: no page's chunk before it is asked for`);
    assert.ok(load.total <= FIRST_LOAD_BUDGET, `${name}: ${load.total} B gz is over ${FIRST_LOAD_BUDGET} B`);
  }
  assert.ok(everyVisit.heldPaths.some((p) => /\/split_insights-/.test(p)), "the dashboard asks for the analysis once painted");
  const insights = everyVisit.heldPaths.filter((p) => p.endsWith(".wasm")).reduce((a, p) => a + gz(p), 0);
  console.log(`after the first screen: the analysis' chunks ${insights} B`);
  // Once in, the analysis fills the dashboard's at-risk list.
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="stat-at-risk"]')?.innerText ?? ""));
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="today-total"]')?.innerText ?? ""));
  // Opening a page fetches its chunks; the page works.
  await page.click('[data-testid="nav-members"]');
  await page.locator('[data-testid="member-row"]').first().waitFor();
  await context.close();
});

test("no request leaves the origin", async () => {
  const context = await browser.newContext({ viewport: { width: 820, height: 1180 }, locale: "zh-CN" });
  const page = await context.newPage();
  const foreign = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (!["127.0.0.1", "localhost"].includes(u.hostname) && !["blob:", "data:"].includes(u.protocol)) foreign.push(r.url());
  });
  await page.goto(server.url);
  await ready(page);
  await page.click('[data-testid="open-demo"]');
  for (const [, href] of PAGES) {
    await page.click(`[data-testid="nav${href === "/" ? "-" : href.replace("/", "-")}"]`);
  }
  assert.deepEqual(foreign, []);
  await context.close();
});

test("touch targets are at least 44px at tablet and phone sizes", async () => {
  for (const [w, h] of [
    [1024, 768],
    [820, 1180],
    [390, 844],
  ]) {
    for (const locale of ["zh-CN", "en-US"]) {
      const context = await browser.newContext({ viewport: { width: w, height: h }, locale, hasTouch: true });
      const page = await context.newPage();
      await page.goto(server.url);
      await ready(page);
      await page.click('[data-testid="open-demo"]');
      const lang = locale.startsWith("zh") ? "zh" : "en";
      // On a tablet every page's tab is in sight: a strip that scrolled
      // hid Settings at 820 px in English. Phones scroll one strip.
      await page.waitForSelector('[data-testid="nav-settings"]');
      const outOfSight = await page.evaluate(() =>
        [...document.querySelectorAll(".nav .nav-link")]
          .filter((a) => {
            const r = a.getBoundingClientRect();
            return r.left < 0 || r.right > window.innerWidth;
          })
          .map((a) => a.textContent)
      );
      if (w > 640) assert.deepEqual(outOfSight, [], `tabs out of sight at ${w}x${h} (${lang})`);
      for (const [name, href] of PAGES) {
        await page.click(`[data-testid="nav${href === "/" ? "-" : href.replace("/", "-")}"]`);
        await page.waitForFunction((p) => location.pathname === p, href);
        const small = await page.evaluate(() =>
          [...document.querySelectorAll("button, a, input, select")]
            .filter((el) => el.offsetParent !== null)
            .map((el) => ({ el: el.outerHTML.slice(0, 80), r: el.getBoundingClientRect() }))
            .filter(({ r }) => r.height < 44 || r.width < 44)
            .map(({ el, r }) => `${el} ${Math.round(r.width)}x${Math.round(r.height)}`)
        );
        assert.deepEqual(small, [], `${name} at ${w}x${h}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} at ${w}x${h} scrolls sideways by ${overflow}px`);
        if (w !== 1024 || lang !== "zh") await shot(page, `${name}-${lang}-${w}x${h}`);
      }
      await context.close();
    }
  }
});
