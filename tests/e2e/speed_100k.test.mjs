// The console with 10,000 and 100,000 generated members (`/?members=100000`: about a
// million purchases). Checks that search and every page work at that size,
// that the store persists in the database and reopens, and logs how long
// each takes, including the longest main-thread task after one sale, a
// reopen to the dashboard and one that finds 2,100 documents changed since
// the snapshot; timings are printed, never asserted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser, server, browser, ready } from "./harness.mjs";

const PAGES = ["/", "/today", "/members", "/checkout", "/points", "/segments", "/care", "/data", "/settings"];
useBrowser();

const navId = (href) => `[data-testid="nav${href === "/" ? "-" : href.replace("/", "-")}"]`;

// Time from a click to the next painted frame after the page is settled.
async function timed(page, action, settled) {
  const t0 = await page.evaluate(() => performance.now());
  await action();
  await settled();
  return (await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))))) - t0;
}

// Types `text` into the input one character at a time (clearing it when
// `text` is empty); returns the median and slowest keystroke. Each starts
// as a frame begins and is timed in the page to the end of that frame:
// the input event, the search, the list rewritten, and the frame's style,
// layout and paint. Under 16.7 ms, the keystroke is on screen in the
// frame it was typed in (no frame is skipped). Timing to the next frame's
// callback instead only shows the frame interval (about 16.7 ms).
async function keystrokes(page, selector, text) {
  const times = await page.evaluate(
    async ({ selector, text }) => {
      const input = document.querySelector(selector);
      const steps = text === "" ? [""] : [...text].map((_, i) => [...text].slice(0, i + 1).join(""));
      // A task after the frame's rendering (a message, not a clamped timer).
      const afterFrame = () =>
        new Promise((r) => {
          const c = new MessageChannel();
          c.port1.onmessage = () => r();
          c.port2.postMessage(0);
        });
      const out = [];
      for (const value of steps) {
        await new Promise((r) => requestAnimationFrame(r));
        const t0 = performance.now();
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await afterFrame();
        out.push(performance.now() - t0);
      }
      return out;
    },
    { selector, text },
  );
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)].toFixed(0), slowest: sorted.at(-1).toFixed(0) };
}

/** A card number typed as a scanner does, then Enter: ms from the first
 * key (as a frame begins) to the end of the frame painting the member. */
async function scanned(page, card) {
  return page.evaluate(async (card) => {
    const input = document.querySelector('[data-testid="checkout-find"]');
    const afterFrame = () =>
      new Promise((r) => {
        const c = new MessageChannel();
        c.port1.onmessage = () => r();
        c.port2.postMessage(0);
      });
    await new Promise((r) => requestAnimationFrame(r));
    const t0 = performance.now();
    for (let i = 1; i <= card.length; i++) {
      input.value = card.slice(0, i);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await afterFrame();
    while (!document.querySelector('[data-testid="tab-sale"]')) {
      await new Promise((r) => requestAnimationFrame(r));
      await afterFrame();
    }
    return performance.now() - t0;
  }, card);
}

/** How fast this machine is right now, for reading a reopen's figure: the
 * browser's own JSON.parse of a fixed text (200,000 purchase-like rows,
 * about 24 MB), the middle of three runs. On the shared 2-core machine the
 * same work varies by half from one minute to the next, so a reopen is
 * compared with this, taken just before it, as well as in ms. */
async function machineCheck(page) {
  return page.evaluate(() => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({
      receipt: `R${i}`,
      member: i % 1000,
      at: "2026-01-02T10:11:00",
      amount: 38800,
      lines: [{ sku: `SKU${i % 97}`, category: "top", quantity: 1, amount: 38800 }],
    }));
    const text = JSON.stringify(rows);
    const times = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      JSON.parse(text);
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[1];
  });
}

// The same walk at a small boutique's size and at the large one.
for (const MEMBERS of [10_000, 100_000]) test(`${MEMBERS} members: pages and search`, { timeout: 20 * 60_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  const page = await context.newPage();
  await page.goto(`${server.url}/?members=${MEMBERS}`);
  await ready(page);
  const figures = [];
  const open = await timed(
    page,
    () => page.click('[data-testid="open-demo"]'),
    () => page.waitForSelector('[data-testid="nav-members"]', { timeout: 10 * 60_000 }),
  );
  figures.push(`generate + first dashboard ${open.toFixed(0)} ms`);

  // First visits compute the shared replay and analysis; second visits reuse them.
  for (const round of ["first", "again"]) {
    for (const href of PAGES) {
      const ms = await timed(
        page,
        () => page.click(navId(href)),
        () => page.waitForFunction((p) => location.pathname === p && document.querySelector(".page"), href, { timeout: 10 * 60_000 }),
      );
      figures.push(`${round} ${href} ${ms.toFixed(0)} ms`);
    }
  }

  await page.click(navId("/members"));
  const count = Number((await page.textContent('[data-testid="member-count"]')).replace(/[^0-9]/g, ""));
  assert.equal(count, MEMBERS);
  const cells = await page.locator('[data-testid="member-row"]').first().locator('[role="cell"]').allTextContents();
  const [card, name, mobile] = cells;
  // Thousands of likely pairs at 100k: the open list shows a page of them.
  if (MEMBERS >= 100_000) {
    await page.click('[data-testid="duplicates-summary"]');
    await page.waitForSelector('[data-testid="duplicate-pair"]');
    assert.equal(await page.locator('[data-testid="duplicate-pair"]').count(), 20);
    await page.click('[data-testid="duplicates-more"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="duplicate-pair"]').length === 40);
    await page.click('[data-testid="duplicates-summary"]');
  }
  // Persisted: wait for the header to say so (the first save of a million
  // purchases would otherwise share the main thread with the typing).
  await page.waitForSelector('[data-testid="save-state"][data-state="saved"]', { timeout: 10 * 60_000 });
  // Typed one key at a time, as at the counter: each keystroke timed in
  // the page, no Playwright round trip inside the figure.
  const mobileKeys = await keystrokes(page, '[data-testid="member-search"]', mobile);
  assert.equal(await page.locator('[data-testid="member-row"]').count(), 1);
  assert.equal(await page.locator('[data-testid="member-row"] [role="cell"]').nth(1).textContent(), name);
  figures.push(`search by mobile, keystroke to its frame painted: median ${mobileKeys.median} ms, slowest ${mobileKeys.slowest} ms`);
  await keystrokes(page, '[data-testid="member-search"]', "");
  const nameKeys = await keystrokes(page, '[data-testid="member-search"]', name.slice(0, 3));
  assert.ok((await page.locator('[data-testid="member-row"]').count()) > 1);
  figures.push(`search by name prefix, keystroke to its frame painted: median ${nameKeys.median} ms, slowest ${nameKeys.slowest} ms`);

  // Reopen from the database, once the demo's first save (its documents,
  // then the snapshot of them) is done: a reopen in the middle of it would
  // find no snapshot yet, and time reading every document instead.
  const saving = Date.now();
  await page.waitForSelector('[data-testid="save-state"][data-state="saved"]', { timeout: 10 * 60_000 });
  figures.push(`first save done ${Date.now() - saving} ms after the walk`);
  // Reopens read the snapshot and the changes since (docs/store-format.md).
  // Two figures: the frame that paints the dashboard's numbers, in the
  // page's clock from the navigation's start; and Playwright's wait for
  // them, which returns only once the main thread is free again (after
  // the work the dashboard does once it is painted: fetching the
  // analysis' code, then the at-risk list and today's counts).
  await page.addInitScript(() => {
    new MutationObserver((_, seen) => {
      if (!document.querySelector('[data-testid="dashboard-stats"]')) return;
      seen.disconnect();
      requestAnimationFrame(() => (window.statsPainted = performance.now()));
    }).observe(document, { subtree: true, childList: true });
  });
  for (const round of ["first", "second"]) {
    const check = await machineCheck(page);
    const t0 = Date.now();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('[data-testid="dashboard-stats"]', { timeout: 10 * 60_000 });
    const waited = Date.now() - t0;
    const painted = await page.evaluate(() => window.statsPainted);
    figures.push(
      `${round} reopen to dashboard painted ${painted.toFixed(0)} ms (page free ${waited} ms; ` +
        `${(painted / check).toFixed(1)} times the machine check, ${check.toFixed(0)} ms, just before)`,
    );
  }
  await page.click(navId("/members"));
  assert.equal(Number((await page.textContent('[data-testid="member-count"]')).replace(/[^0-9]/g, "")), MEMBERS, "every member reopened");

  // A scanner at the counter types the card number and Enter: timed in
  // the page, as a keystroke is, from the first key (as a frame begins)
  // to the end of the frame that paints the member picked. The counter is
  // opened before the customer's card is scanned (the page makes its index
  // of the store's facts once it is on screen); the first scan also runs
  // code the browser has not compiled yet, so a second one is timed too.
  const scans = [];
  for (const round of ["first", "next"]) {
    if (round === "next") await page.click(navId("/members"));
    await page.click(navId("/checkout"));
    await page.waitForSelector('[data-testid="checkout-find"]');
    await page.waitForTimeout(500);
    scans.push(`${round} ${(await scanned(page, card)).toFixed(0)} ms`);
  }
  figures.push(`scan of a card number to the member picked: ${scans.join(", ")}`);
  // One sale at the counter, then the longest main-thread task in the next 3 s.
  await page.click('[data-testid="tab-sale"]');
  await page.fill('[data-testid="sale-amount"]', "388.00");
  await page.waitForSelector('[data-testid="sale-preview"]');
  await page.evaluate(() => {
    window.longest = 0;
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.longest = Math.max(window.longest, e.duration);
    }).observe({ type: "longtask" });
  });
  await page.click('[data-testid="sale-confirm"]');
  await page.waitForSelector('[data-testid="flash-ok"]');
  await page.waitForTimeout(3_000);
  // Long tasks are those over 50 ms: none is reported as such.
  const longest = await page.evaluate(() => window.longest);
  figures.push(longest ? `longest task within 3 s of a sale ${longest.toFixed(0)} ms` : "no task over 50 ms within 3 s of a sale");
  // A reopen that finds 2,100 documents changed since the snapshot (weeks
  // of a busy counter's sales and edits): it reads them one by one and
  // keeps the snapshot again only after its first screen. The members'
  // notes are changed as another tab would write them.
  const changed = await page.evaluate(async () => {
    const rows = JSON.parse(await clienteleDb.readAll());
    const docs = rows
      .filter((r) => r[0].startsWith("m:"))
      .slice(0, 2_100)
      .map(([id, rev, doc]) => ({ ...doc, _id: id, _rev: rev, d: { ...doc.d, notes: "changed since the snapshot" } }));
    return JSON.parse(await clienteleDb.write(JSON.stringify(docs))).filter((r) => r[1]).length;
  });
  assert.equal(changed, 2_100);
  const check = await machineCheck(page);
  await page.goto(`${server.url}/`);
  await page.waitForSelector('[data-testid="dashboard-stats"]', { timeout: 10 * 60_000 });
  const painted = await page.evaluate(() => window.statsPainted);
  assert.equal(await page.$('[data-testid="set-aside-banner"]'), null, "every changed document read");
  figures.push(
    `reopen with 2,100 documents changed since the snapshot painted ${painted.toFixed(0)} ms ` +
      `(${(painted / check).toFixed(1)} times the machine check, ${check.toFixed(0)} ms, just before)`,
  );
  console.log(`${MEMBERS} members in Chromium: ${figures.join("; ")}`);
  await context.close();
});
