// Shared by the WebKit tests: the static server of the Chromium tests, one
// WebKitWebDriver per test file, a fresh website-data directory per
// browser profile, and the console's steps in WebDriver terms.
import { test, before, after } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer, storedStore, shots } from "../e2e/harness.mjs";
import { Driver } from "./webdriver.mjs";

// Live bindings, set by the hooks: read them inside tests.
export let server, driver;
let profiles;

export function useWebKit() {
  before(async () => {
    server = await startServer();
    driver = await Driver.start();
    profiles = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-webkit-"));
  });
  after(async () => {
    await driver?.stop();
    await server?.close();
    if (profiles) fs.rmSync(profiles, { recursive: true, force: true });
  });
}

/// A WebKit test, run a second time (once) when the page died of the
/// engine itself: WebKitGTK's WebAssembly on Linux has long had rare
/// crashes that no other engine shows (tauri-apps/tauri#7154,
/// rust-lang/hashbrown#194, bugs.webkit.org 259441), and they showed here
/// about once in ten runs of this suite as a trap ("Out of bounds memory
/// access", and once, at the first open of the demo, "Unreachable code"
/// in a promise's callback). The release build's panics trap without a
/// message (panic = "immediate-abort") and look like the second, so one
/// is retried too: a panic of ours comes again on the second run (and in
/// the Chromium tests, which run the same code and never retry), and
/// fails the test as it should; so does a second crash. The first one is
/// logged in full.
export function webkitTest(name, options, fn) {
  const once = { ...options, timeout: options.timeout * 2 };
  test(name, once, async (t) => {
    try {
      await fn(t);
    } catch (e) {
      if (!engineCrash(String(e?.message ?? e))) throw e;
      console.log(`# WebKit's engine crashed in "${name}"; running it once more. What it showed: ${e.message}`);
      await fn(t);
    }
  });
}

/// Whether a failure's text shows a WebAssembly trap before any panic
/// message of the console's (a debug build's).
function engineCrash(text) {
  const trap = ["RuntimeError: Out of bounds memory access", "RuntimeError: Unreachable code should not be executed"]
    .map((t) => text.indexOf(t))
    .filter((i) => i >= 0);
  const panic = text.indexOf("panicked at");
  return trap.length > 0 && (panic < 0 || Math.min(...trap) < panic);
}

/// A new, empty browser profile: where the shell keeps IndexedDB on disk.
export function newProfile() {
  return fs.mkdtempSync(path.join(profiles, "p-"));
}

/// Records the page's uncaught errors and console errors from now on (no
/// init scripts in WebDriver: call it once the page has loaded).
export async function watchErrors(s) {
  await s.run(() => {
    window.__errors = [];
    addEventListener("error", (e) => window.__errors.push(String(e.message)));
    addEventListener("unhandledrejection", (e) => window.__errors.push(String(e.reason)));
    const real = console.error;
    console.error = (...a) => {
      window.__errors.push(a.map(String).join(" "));
      real.apply(console, a);
    };
  });
}
export const errors = (s) => s.run(() => window.__errors || []);

/// Loads the console and waits until the wasm app has rendered.
export async function load(s) {
  await s.goto(server.url);
  await s.waitForSelector(".shell", { timeout: 60_000 });
  await watchErrors(s);
}

export async function reload(s) {
  await s.reload();
  await s.waitForSelector(".shell", { timeout: 60_000 });
  await watchErrors(s);
}

/// A browser on `dataDir` (a new profile unless given) showing the console,
/// past the welcome screen by `start` (the demo, or null to stay there).
export async function openConsole({ lang = "en-US", dataDir = newProfile(), start = "open-demo", quotaRatio } = {}) {
  const s = await driver.session({ dataDir, lang, quotaRatio });
  s.dataDir = dataDir;
  try {
    await s.setWindowSize(1024, 768);
    await load(s);
    if (start) {
      await s.click(`[data-testid="${start}"]`);
      await s.waitForSelector('[data-testid="nav-members"]');
    }
  } catch (e) {
    // The test never gets the session to quit: one left open would refuse
    // every later test a session of its own.
    await s.quit().catch(() => {});
    throw e;
  }
  return s;
}

export const saveState = (s) => s.attr('[data-testid="save-state"]', "data-state");
export const waitSaved = (s, timeout = 60_000) =>
  s.waitForSelector('[data-testid="save-state"][data-state="saved"]', { timeout });

/// The database's rows as the glue reads them: [id, rev, doc].
export async function rows(s) {
  return JSON.parse(await s.run(() => globalThis.clienteleDb.readAll()));
}

/// The store as the page's database holds it (the Chromium tests' reader).
export const stored = (s) => storedStore({ evaluate: (fn) => s.run(fn) });

export async function memberCount(s) {
  await s.click('[data-testid="nav-members"]');
  // The page's chunk: on a busy machine, with the origin's quota full,
  // WebKit has taken more than 30 s to bring it.
  await s.waitForSelector('[data-testid="member-count"]', { timeout: 90_000 });
  return Number((await s.text('[data-testid="member-count"]')).replace(/[^0-9]/g, ""));
}

/// One sale at the counter to the member with `mobile`: the amount is
/// typed key by key, the points previewed, the sale confirmed.
export async function sell(s, mobile, amount) {
  await s.click('[data-testid="nav-checkout"]');
  await s.type('[data-testid="checkout-find"]', mobile);
  await s.click('[data-testid="pick-member"]');
  await s.click('[data-testid="tab-sale"]');
  await s.type('[data-testid="sale-amount"]', amount);
  await s.waitForSelector('[data-testid="sale-preview"]');
  await s.click('[data-testid="sale-confirm"]');
  await s.waitForSelector('[data-testid="flash-ok"]');
}

/// A viewport screenshot, target/screenshots/webkit-{name}.png.
export async function shot(s, name) {
  // Scrolled to the top and painted (two frames) before the shot.
  await s.run(
    () =>
      new Promise((done) => {
        window.scrollTo(0, 0);
        requestAnimationFrame(() => requestAnimationFrame(done));
      })
  );
  await s.screenshot(path.join(shots, `webkit-${name}.png`));
}
