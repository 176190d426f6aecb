// Shared by the end-to-end tests: a tiny static server for dist/ that falls
// back to index.html (so deep links work), and a headless Chromium launch
// that works on this machine (Debian's chromium, no downloads).
import http from "node:http";
import net from "node:net";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "..", "..");
export const dist = path.join(root, "dist");
export const shots = path.join(root, "target", "screenshots");

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/// A port free on this machine right now (for servers the tests start).
export async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

export async function startServer() {
  if (!fs.existsSync(path.join(dist, "index.html"))) {
    throw new Error("dist/ is missing: run `trunk build --release` (cargo xtask test does)");
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let file = path.join(dist, decodeURIComponent(url.pathname));
    if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(dist, "index.html");
    }
    res.writeHead(200, {
      "content-type": types[path.extname(file)] || "application/octet-stream",
      "cache-control": "no-cache",
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

export async function launch(extra = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      ...extra,
    ],
  });
}

// One server and one browser per test file, shared by its tests (live
// bindings: read them inside tests, after the hook has run).
export let server, browser;
export function useBrowser() {
  before(async () => {
    server = await startServer();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

/// Waits until the wasm app has started and rendered something.
export async function ready(page) {
  await page.waitForSelector(".shell", { timeout: 60_000 });
}

export async function shot(page, name) {
  fs.mkdirSync(shots, { recursive: true });
  // A full-page shot of a scrolled page would paint the sticky header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/// Fails the test on any uncaught error or console error in the page.
export function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  return errors;
}

/// The store as the page's database holds it (js/db.js, the record layout
/// of docs/store-format.md), put together as the backup file's `data`.
export async function storedStore(page) {
  return page.evaluate(async () => {
    const rows = JSON.parse(await globalThis.clienteleDb.readAll());
    const s = { settings: {}, schemes: [], members: [], purchases: [], returns: [], points_events: [], care: { contacts: [], plan: [], marks: [] }, merges: [] };
    const into = { p: s.purchases, r: s.returns, e: s.points_events, c: s.care.contacts, t: s.care.marks, x: s.merges };
    const blocks = rows.filter(([id]) => id.startsWith("f:")).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [id, , doc] of rows) {
      if (id === "settings") s.settings = doc.d;
      else if (id === "schemes") s.schemes = doc.d;
      else if (id.startsWith("m:")) s.members.push(doc.d);
      else if (id.startsWith("k:")) s.care.plan.push(doc.d);
    }
    for (const [id, , doc] of blocks) for (const f of doc.d) into[id[2]].push(f);
    s.members.sort((a, b) => a.id - b.id);
    s.care.plan.sort((a, b) => a.id - b.id);
    return s;
  });
}

/// The tablet and phone sizes every screen is looked at in.
export const SIZES = [
  [1024, 768],
  [820, 1180],
  [390, 844],
];

/// A new browser context with `options` (viewport, locale, ...), its page
/// watched for errors, past the welcome screen by `start` (the demo
/// boutique, "start-empty" for an empty store, or null to stay on it).
export async function openConsole(options, start = "open-demo") {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url);
  await ready(page);
  if (start) {
    await page.click(`[data-testid="${start}"]`);
    // The demo's code arrives on demand: wait until the console shows it.
    await page.waitForSelector('[data-testid="nav-members"]');
  }
  return { context, page, errors };
}

/// Opens the demo boutique in each language, goes to `nav` (a nav test id,
/// or none for the dashboard), and at each size waits for `selector`,
/// saves `{name}-{lang}-{w}x{h}.png` and checks nothing runs off the side.
export async function shotsAtSizes(name, { nav, selector }) {
  for (const [locale, lang] of [
    ["zh-CN", "zh"],
    ["en-US", "en"],
  ]) {
    const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale });
    if (nav) await page.click(`[data-testid="${nav}"]`);
    for (const [w, h] of SIZES) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForSelector(selector);
      await shot(page, `${name}-${lang}-${w}x${h}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name} overflows by ${overflow}px at ${w}x${h} (${lang})`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
}

/// Registers a new customer at the counter with a name and mobile and
/// waits for their points panel.
export async function register(page, name, mobile) {
  await page.click('[data-testid="nav-checkout"]');
  await page.click('[data-testid="checkout-register"]');
  await page.fill('[data-testid="reg-name"]', name);
  await page.fill('[data-testid="reg-mobile"]', mobile);
  await page.click('[data-testid="reg-save"]');
  await page.waitForSelector('[data-testid="points-summary"]');
}
