// Hosting: dist/ copied to a plain static host under a sub-path, as on
// GitHub Pages (/clientele/), with no rewrites. A first visit to a deep
// link gets the host's 404.html (a copy of the shell); a reload after that
// is answered by the service worker; on a host whose 404 is bare, the
// service worker alone keeps deep links working. Every file the console
// asks for stays inside its folder.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { launch, dist, ready, watchErrors } from "./harness.mjs";

const FOLDER = "/clientele/";
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".webmanifest": "application/manifest+json", ".png": "image/png" };

/// A static host: files under FOLDER, a directory's index.html, a folder
/// without its slash redirected, and nothing else: an unknown path is a
/// 404, with dist/404.html as the body when `pages` (GitHub Pages does).
function staticHost(pages) {
  const asked = [];
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, "http://host");
    asked.push(pathname);
    if (pathname === FOLDER.slice(0, -1)) {
      res.writeHead(301, { location: FOLDER });
      return res.end();
    }
    let file = pathname.startsWith(FOLDER) && path.join(dist, decodeURIComponent(pathname.slice(FOLDER.length)));
    if (file && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!file || !file.startsWith(dist) || !fs.existsSync(file)) {
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      return res.end(pages ? fs.readFileSync(path.join(dist, "404.html")) : "Not Found");
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream", "cache-control": "no-cache" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}`, asked, close: () => new Promise((r) => server.close(r)) }))
  );
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/// Waits until the service worker controls the page, so a reload is its.
async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

/// The page the address shows: `.page` rendered with this route's marker.
async function shows(page, selector) {
  await ready(page);
  await page.waitForSelector(selector, { timeout: 30_000 });
}

test("under a sub-path: a first visit to a deep link, every route reloaded, nothing fetched outside the folder", async () => {
  const host = await staticHost(true);
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  const page = await context.newPage();
  const errors = watchErrors(page);

  // First visit straight to a deep link: the host has no such file, so its
  // 404.html (the shell) answers and finds its folder from the address.
  await page.goto(`${host.url}${FOLDER}members`);
  await ready(page);
  await page.click('[data-testid="open-demo"]');
  await page.waitForSelector('[data-testid="nav-members"]');
  await page.click('[data-testid="nav-members"]');
  await page.waitForFunction((f) => location.pathname === `${f}members`, FOLDER);
  const row = page.locator('[data-testid="member-row"]').first();
  const name = await row.locator('[role="cell"]').nth(1).textContent();
  await row.click();
  await page.waitForFunction((f) => new RegExp(`^${f}members/\\d+$`).test(location.pathname), FOLDER);
  const member = new URL(page.url()).pathname;
  await controlled(page);

  // A reload of a deep link is the service worker's; the member is there.
  await page.reload();
  await shows(page, '[data-testid="edit-member"]');
  assert.ok((await page.textContent(".page")).includes(name), "the member page after a reload");

  // Every route of the console, opened by its address.
  const id = member.split("/").pop();
  for (const [route, selector] of [
    ["", '[data-testid="stat-members"]'],
    ["members", '[data-testid="member-row"]'],
    ["members/new", '[data-testid="save-member"]'],
    [`members/${id}`, '[data-testid="edit-member"]'],
    [`members/${id}/edit`, '[data-testid="save-member"]'],
    ["checkout", ".page"],
    ["points", '[data-testid="open-lab"]'],
    ["points/lab", ".page"],
    ["segments", ".page"],
    ["care", ".page"],
    ["data", ".page"],
    ["settings", ".page"],
  ]) {
    await page.goto(`${host.url}${FOLDER}${route}`);
    await shows(page, selector);
    const nav = route === "" ? "nav-" : `nav-${route.split("/")[0]}`;
    assert.equal(await page.getAttribute(`[data-testid="${nav}"]`, "aria-current"), "page", `${route || "dashboard"}: its tab is current`);
  }

  // The dashboard tab keeps the folder's slash (inside the worker's scope).
  await page.click('[data-testid="nav-members"]');
  await page.click('[data-testid="nav-"]');
  await page.waitForFunction((f) => location.pathname === f, FOLDER);
  await shows(page, '[data-testid="stat-members"]');

  const outside = host.asked.filter((p) => !p.startsWith(FOLDER));
  assert.deepEqual(outside, [], "every request stays inside the console's folder");
  assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  await context.close();
  await host.close();
});

test("a host whose 404 is bare: the service worker opens deep links, online and offline", async () => {
  const host = await staticHost(false);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  const page = await context.newPage();
  const errors = watchErrors(page);
  // A typed address without the folder's slash: the host redirects.
  await page.goto(`${host.url}${FOLDER.slice(0, -1)}`);
  await ready(page);
  await page.click('[data-testid="open-demo"]');
  await page.waitForSelector('[data-testid="nav-members"]');
  await controlled(page);

  await page.click('[data-testid="nav-settings"]');
  await page.waitForFunction((f) => location.pathname === `${f}settings`, FOLDER);
  await page.reload();
  await shows(page, '[data-testid="nav-settings"][aria-current="page"]');

  await context.setOffline(true);
  await page.goto(`${host.url}${FOLDER}care`);
  await shows(page, '[data-testid="nav-care"][aria-current="page"]');
  await page.goto(`${host.url}${FOLDER}`);
  await shows(page, '[data-testid="stat-members"]');
  await context.setOffline(false);

  assert.deepEqual(host.asked.filter((p) => !p.startsWith(FOLDER) && p !== FOLDER.slice(0, -1)), []);
  assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  await context.close();
  await host.close();
});
