// A small W3C WebDriver client for WebKitGTK (Debian's webkit2gtk-driver),
// over Node's fetch: no npm dependency. A test starts and stops everything
// itself: an X server of its own (Xvfb), WebKitWebDriver on a free port,
// and the browser sessions.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../e2e/harness.mjs";

// How WebDriver marks an element reference (W3C).
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const shell = path.join(path.dirname(fileURLToPath(import.meta.url)), "browser.py");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// WebKitGTK's MiniBrowser, from libwebkit2gtk-4.1-0 (multiarch lib dir).
export function miniBrowser() {
  if (process.env.WEBKIT_MINIBROWSER) return process.env.WEBKIT_MINIBROWSER;
  for (const lib of ["/usr/lib", "/usr/libexec"]) {
    if (!fs.existsSync(lib)) continue;
    for (const dir of ["", ...fs.readdirSync(lib)]) {
      const p = path.join(lib, dir, "webkit2gtk-4.1", "MiniBrowser");
      if (fs.existsSync(p)) return p;
    }
  }
  throw new Error("MiniBrowser not found: install webkit2gtk-driver (cargo xtask setup does)");
}


/// Ends a child this module started and waits until it is gone.
async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  if (await Promise.race([gone.then(() => true), sleep(5_000)])) return;
  child.kill("SIGKILL");
  await gone;
}

/// An X server of our own: Xvfb picks a free display and names it on fd 1,
/// so neither the caller's display nor xvfb-run is needed.
async function startXvfb() {
  const child = spawn("Xvfb", ["-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const display = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(`:${out.trim()}`);
    });
    child.once("error", (e) => reject(new Error(`Xvfb: ${e.message} (install xvfb; cargo xtask setup does)`)));
    child.once("exit", (code) => reject(new Error(`Xvfb exited with ${code}: ${err}`)));
  });
  return { child, display };
}

export class Driver {
  static async start() {
    const d = new Driver();
    d.log = "";
    d.xvfb = await startXvfb();
    const port = await freePort();
    d.url = `http://127.0.0.1:${port}`;
    d.child = spawn("WebKitWebDriver", [`--port=${port}`], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DISPLAY: d.xvfb.display },
    });
    d.child.stdout.on("data", (x) => (d.log += x));
    d.child.stderr.on("data", (x) => (d.log += x));
    d.child.once("error", (e) => (d.failed = e));
    for (let i = 0; ; i++) {
      if (d.failed) {
        await d.stop();
        throw new Error(`WebKitWebDriver: ${d.failed.message} (install webkit2gtk-driver; cargo xtask setup does)`);
      }
      try {
        if ((await fetch(`${d.url}/status`)).ok) break;
      } catch {}
      if (i > 150) {
        await d.stop();
        throw new Error(`WebKitWebDriver did not answer: ${d.log}`);
      }
      await sleep(100);
    }
    return d;
  }

  /// A browser session: by default the test shell (browser.py: WebKitGTK
  /// keeping its website data on disk in `dataDir`, as Safari does); with
  /// `miniBrowser`, WebKitGTK's MiniBrowser, whose automation mode keeps
  /// everything in memory, as private browsing does.
  async session({ dataDir, lang, quotaRatio, miniBrowser: mini = false } = {}) {
    const args = ["--automation"];
    if (!mini) {
      if (dataDir) args.push(`--data-dir=${dataDir}`);
      if (lang) args.push(`--lang=${lang}`);
      if (quotaRatio) args.push(`--origin-storage-ratio=${quotaRatio}`);
    }
    const binary = mini ? miniBrowser() : shell;
    const value = await call(this.url, "POST", "/session", {
      capabilities: {
        alwaysMatch: { browserName: path.basename(binary), "webkitgtk:browserOptions": { binary, args } },
      },
    });
    return new Session(`${this.url}/session/${value.sessionId}`, value.capabilities);
  }

  async stop() {
    await stop(this.child);
    await stop(this.xvfb?.child);
  }
}

async function call(base, method, route, body) {
  const r = await fetch(base + route, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  const json = text ? JSON.parse(text) : {};
  if (!r.ok || json.value?.error) {
    const e = json.value || {};
    throw new Error(`${method} ${route}: ${e.error || r.status}: ${e.message || text}`);
  }
  return json.value;
}

export class Session {
  constructor(base, capabilities) {
    this.base = base;
    this.capabilities = capabilities;
  }
  cmd(method, route, body) {
    return call(this.base, method, route, body);
  }
  goto(url) {
    return this.cmd("POST", "/url", { url });
  }
  reload() {
    return this.cmd("POST", "/refresh", {});
  }
  /// Runs `fn` in the page with `args` (JSON values) and returns its
  /// result; a promise is awaited, a rejection thrown here.
  async run(fn, ...args) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn}).apply(null, Array.prototype.slice.call(arguments, 0, -1)))
        .then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ err: String(e) + (e && e.stack ? " at " + e.stack : "") }));`;
    const r = await this.cmd("POST", "/execute/async", { script, args });
    if (r && "err" in r) throw new Error(`in the page: ${r.err}`);
    return r?.ok;
  }
  /// Polls `fn` in the page until it returns something truthy.
  async waitFor(fn, { timeout = 30_000, what = String(fn), args = [] } = {}) {
    const end = Date.now() + timeout;
    for (;;) {
      // WebKit's driver now and then cannot read a poll's answer while the
      // page changes ("Could not parse script result"): the next poll can.
      const v = await this.run(fn, ...args).catch((e) => {
        if (String(e.message).startsWith("in the page:") || Date.now() > end) throw e;
        return null;
      });
      if (v) return v;
      if (Date.now() > end) {
        // What the page shows and said, so a timeout in CI can be read.
        const page = await this.run(() => ({
          at: location.href,
          main: (document.querySelector("main") || document.body).innerText.slice(0, 400),
          errors: window.__errors || [],
        })).catch((e) => String(e));
        throw new Error(`timed out after ${timeout} ms waiting for ${what}; the page: ${JSON.stringify(page)}`);
      }
      await sleep(100);
    }
  }
  waitForSelector(css, { gone = false, ...options } = {}) {
    return this.waitFor((s, g) => !document.querySelector(s) === g, {
      what: `${css}${gone ? " to go" : ""}`,
      ...options,
      args: [css, gone],
    });
  }
  async find(css) {
    await this.waitForSelector(css);
    const v = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return v[ELEMENT];
  }
  async click(css) {
    await this.cmd("POST", `/element/${await this.find(css)}/click`, {});
  }
  /// Clears an input and types `text` into it, key by key, as a person does.
  async type(css, text) {
    const el = await this.find(css);
    await this.cmd("POST", `/element/${el}/clear`, {});
    await this.cmd("POST", `/element/${el}/value`, { text });
  }
  /// Sets an input's whole value at once with one input event, as
  /// Playwright's fill does (for fields that lose focus while typed in).
  async setValue(css, text) {
    await this.find(css);
    await this.run(
      (s, t) => {
        const el = document.querySelector(s);
        el.value = t;
        el.dispatchEvent(new Event("input", { bubbles: true }));
      },
      css,
      text
    );
  }
  text(css) {
    return this.run((s) => document.querySelector(s)?.textContent ?? null, css);
  }
  attr(css, name) {
    return this.run((s, n) => document.querySelector(s)?.getAttribute(n) ?? null, css, name);
  }
  setWindowSize(width, height) {
    return this.cmd("POST", "/window/rect", { width, height });
  }
  window() {
    return this.cmd("GET", "/window");
  }
  /// Opens another tab (a window of the test shell) and returns its handle.
  async newWindow() {
    return (await this.cmd("POST", "/window/new", { type: "tab" })).handle;
  }
  switchTo(handle) {
    return this.cmd("POST", "/window", { handle });
  }
  closeWindow() {
    return this.cmd("DELETE", "/window");
  }
  async screenshot(file) {
    const png = await this.cmd("GET", "/screenshot");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from(png, "base64"));
  }
  /// Ends the session; the driver closes the browser.
  quit() {
    return this.cmd("DELETE", "").catch(() => {});
  }
}
