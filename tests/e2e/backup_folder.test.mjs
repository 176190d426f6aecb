// The backup folder end to end. The browser's real folder picker cannot be
// automated, so an init script makes `showDirectoryPicker` answer a folder
// of the origin-private file system: a real FileSystemDirectoryHandle, the
// same API. Choosing the folder writes today's backup at once; the folder
// keeps only the newest N of this store's dated backups and never touches
// other files; the file restores on another "device"; a reload remembers
// the folder and writes nothing twice a day; a browser that asks for
// permission again pauses the backups until a tap; a failed write says so
// and changes nothing, its notice put away for the day with one tap;
// browsers without the picker show no folder option, only the download.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { useBrowser, server, browser, ready, shot, shots, watchErrors, openConsole, storedStore } from "./harness.mjs";

useBrowser();

// Runs in the page before the app. sessionStorage switches stand in for the
// browser's moods: `prompt` (permission dropped after a reload, as browsers
// do) and `fail` (a DOMException name every file write then throws, after
// the file was opened: a disk that fills up mid-write).
const fakeFolder = () => {
  window.showDirectoryPicker = async () =>
    (await navigator.storage.getDirectory()).getDirectoryHandle("backups", { create: true });
  const query = FileSystemHandle.prototype.queryPermission;
  FileSystemHandle.prototype.queryPermission = function (o) {
    return sessionStorage.prompt ? Promise.resolve("prompt") : query.call(this, o);
  };
  const request = FileSystemHandle.prototype.requestPermission;
  FileSystemHandle.prototype.requestPermission = function (o) {
    window.asked = (window.asked || 0) + 1;
    delete sessionStorage.prompt;
    return request.call(this, o);
  };
  const write = FileSystemWritableFileStream.prototype.write;
  FileSystemWritableFileStream.prototype.write = function (...args) {
    if (sessionStorage.fail) return Promise.reject(new DOMException("refused by the test", sessionStorage.fail));
    return write.apply(this, args);
  };
};

async function open(options, init) {
  const context = await browser.newContext(options);
  await context.addInitScript(init);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url);
  await ready(page);
  await page.click('[data-testid="open-demo"]');
  await page.waitForSelector('[data-testid="nav-members"]');
  return { context, page, errors };
}

// The backup folder's files: {name: lastModified}. A write in progress
// shows as a passing `.crswap` file, not counted.
const folderFiles = (page) =>
  page.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle("backups", { create: true });
    const out = {};
    for await (const [name, h] of dir.entries()) {
      if (h.kind !== "file" || name.endsWith(".crswap")) continue;
      out[name] = await h.getFile().then((f) => f.lastModified, () => null);
    }
    return out;
  });

// Waits until the folder holds exactly `names` (a write and its pruning
// finish a moment after the click).
async function untilFiles(page, names) {
  const want = JSON.stringify([...names].sort());
  let got;
  for (let i = 0; i < 100; i++) {
    got = JSON.stringify(Object.keys(await folderFiles(page)).sort());
    if (got === want) return;
    await page.waitForTimeout(100);
  }
  assert.equal(got, want);
}

const readFolderFile = (page, name) =>
  page.evaluate(async (n) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle("backups");
    return (await (await dir.getFileHandle(n)).getFile()).text();
  }, name);

// Today in the page's time zone, as backup names carry it.
const today = (page) =>
  page.evaluate(() => {
    const d = new Date();
    return [d.getFullYear(), d.getMonth() + 1, d.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
  });
// This device's preferences, and the backup folder's settings (null when
// none is chosen).
const prefs = (page) =>
  page.evaluate(() => ({
    ...JSON.parse(localStorage.getItem("clientele.prefs") || "{}"),
    folder: JSON.parse(localStorage.getItem("clientele.folder")),
  }));
// As if the last backup was long ago: the next look finds one due.
const dueAgain = (page) =>
  page.evaluate(() => {
    const p = JSON.parse(localStorage.getItem("clientele.prefs"));
    p.folder_due = p.last_backup = "2020-01-01";
    localStorage.setItem("clientele.prefs", JSON.stringify(p));
    const f = JSON.parse(localStorage.getItem("clientele.folder"));
    f.written = "2020-01-01";
    localStorage.setItem("clientele.folder", JSON.stringify(f));
  });
const written = (page, day) =>
  page.waitForFunction((d) => JSON.parse(localStorage.getItem("clientele.folder"))?.written === d, day);

// The screen as the user sees it (the notices sit above a long page).
async function screen(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

// The Settings backup section: nothing runs off the side, every control
// can be tapped; screenshots at tablet and phone size.
async function lookAt(page, name) {
  for (const [w, h] of [
    [1024, 768],
    [390, 844],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await page.locator('[data-testid="backup-folder"]').scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name} at ${w}x${h} scrolls sideways by ${overflow}px`);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="backup-folder"] :is(button, select), [data-testid="settings-backup"]')]
        .map((el) => ({ el: el.outerHTML.slice(0, 60), r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.height < 44 || r.width < 44)
        .map(({ el, r }) => `${el} ${Math.round(r.width)}x${Math.round(r.height)}`)
    );
    assert.deepEqual(small, [], `${name} at ${w}x${h}`);
    await shot(page, `${name}-${w}x${h}`);
  }
}

test("a chosen folder gets today's backup at once, keeps the newest N, and the file restores elsewhere", async () => {
  const { context, page, errors } = await open({ viewport: { width: 1024, height: 768 }, locale: "en-US" }, fakeFolder);
  const day = await today(page);
  const mine = (d) => `Lotus_Boutique-backup-${d}.json`;
  // Two earlier days' backups of this store, and files that are not its
  // dated backups (another store's, a renamed copy, a note).
  const old = [mine("2020-01-01"), mine("2020-01-02")];
  const others = ["notes.txt", "Other_Shop-backup-2019-01-01.json", "Lotus_Boutique-backup-2019-01-01 (copy).json"];
  await page.evaluate(async (names) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle("backups", { create: true });
    for (const n of names) {
      const w = await (await dir.getFileHandle(n, { create: true })).createWritable();
      await w.write("{}");
      await w.close();
    }
  }, [...old, ...others]);

  await page.click('[data-testid="nav-settings"]');
  await page.click('[data-testid="folder-choose"]');
  await page.waitForSelector('[data-testid="folder-name"]');
  assert.equal(await page.textContent('[data-testid="folder-name"]'), "backups");
  // Today's backup is there at once; 14 are kept unless chosen, so all stay.
  await untilFiles(page, [...old, mine(day), ...others]);
  await page.waitForFunction(() => /\d{4}/.test(document.querySelector('[data-testid="folder-last"]')?.textContent));
  const after = await prefs(page);
  assert.equal(after.folder.written, day);
  assert.ok(after.folder_due > day, "the next backup is due tomorrow");
  assert.equal(after.last_backup, day, "a folder backup counts as the last backup");
  assert.match(await page.textContent('[data-testid="last-backup"]'), /\d{4}/);

  // Keep 2 with three days' backups: the next backup removes the oldest.
  await page.selectOption('[data-testid="folder-keep"]', "2");
  await page.click('[data-testid="folder-now"]');
  await untilFiles(page, [old[1], mine(day), ...others]);
  await lookAt(page, "settings-backup-folder-en");

  // The file is the full backup: this store's members and purchases.
  const text = await readFolderFile(page, mine(day));
  const backup = JSON.parse(text);
  const stored = await storedStore(page);
  assert.ok(stored.members.length > 500);
  assert.deepEqual(backup.data.members, stored.members);
  assert.equal(backup.data.purchases.length, stored.purchases.length);

  // A reload remembers the folder and writes nothing twice on one day.
  const written = (await folderFiles(page))[mine(day)];
  await page.reload();
  await ready(page);
  await page.waitForTimeout(2_000); // past the check a moment after opening
  await page.click('[data-testid="nav-settings"]');
  assert.equal(await page.textContent('[data-testid="folder-name"]'), "backups");
  assert.equal(await page.inputValue('[data-testid="folder-keep"]'), "2");
  assert.equal((await folderFiles(page))[mine(day)], written, "today's backup is not written again");
  assert.equal(await page.locator('[data-testid="backup-reminder"]').count(), 0);

  // On another device it restores through the Data page: the same members.
  const other = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "en-US" }, "start-empty");
  await other.page.click('[data-testid="nav-data"]');
  await other.page.setInputFiles('[data-testid="restore-file"]', {
    name: mine(day),
    mimeType: "application/json",
    buffer: Buffer.from(text),
  });
  await other.page.waitForSelector('[data-testid="restore-preview"]');
  await other.page.click('[data-testid="restore-confirm"]');
  await other.page.waitForSelector('[data-testid="restore-done"]');
  // Saved to that device's database a moment later.
  let restored = [];
  for (let i = 0; i < 100 && restored.length !== stored.members.length; i++) {
    await other.page.waitForTimeout(100);
    restored = (await storedStore(other.page)).members;
  }
  assert.deepEqual(restored, stored.members);
  assert.deepEqual(other.errors, []);
  await other.context.close();

  // Stopping forgets the folder and leaves its files.
  await page.click('[data-testid="folder-stop"]');
  await page.waitForSelector('[data-testid="folder-choose"]');
  assert.equal(Object.keys(await folderFiles(page)).length, 5);
  assert.equal((await prefs(page)).folder, null);
  assert.equal((await prefs(page)).folder_due, undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a dropped permission pauses backups until a tap; a failed write says so and changes nothing (zh)", async () => {
  const { context, page, errors } = await open({ viewport: { width: 390, height: 844 }, locale: "zh-CN" }, fakeFolder);
  const day = await today(page);
  const name = `莲___精品女装-backup-${day}.json`;
  await page.click('[data-testid="nav-settings"]');
  await page.click('[data-testid="folder-choose"]');
  await page.waitForFunction(() => /\d{4}/.test(document.querySelector('[data-testid="folder-last"]')?.textContent));
  assert.ok(name in (await folderFiles(page)));
  await lookAt(page, "settings-backup-folder-zh");

  // Yesterday's backup was the last; after this reload the browser wants
  // the user's word again. Nothing is asked uninvited: a notice waits.
  await dueAgain(page);
  await page.evaluate(() => (sessionStorage.prompt = "1"));
  const before = (await folderFiles(page))[name];
  await page.goto(server.url);
  await ready(page);
  await page.waitForSelector('[data-testid="folder-paused"]');
  assert.match(await page.textContent('[data-testid="folder-paused"]'), /“backups”.*暂停/);
  assert.equal(await page.evaluate(() => window.asked || 0), 0, "no permission asked before a tap");
  assert.equal((await folderFiles(page))[name], before);
  await screen(page, "backup-folder-paused-zh-390x844");
  await page.click('[data-testid="folder-allow"]');
  await page.waitForSelector('[data-testid="folder-paused"]', { state: "detached" });
  await written(page, day);
  assert.equal(await page.evaluate(() => window.asked), 1);
  assert.ok((await folderFiles(page))[name] >= before);
  assert.equal(await page.locator('[data-testid="backup-reminder"]').count(), 0, "the reminder stays quiet");

  // The disk fills up mid-write (today's file not there yet): the message
  // names the folder and why, no file is left behind, nothing else
  // changes, and the app and the download keep working.
  await page.evaluate(async (n) => {
    sessionStorage.fail = "QuotaExceededError";
    await (await (await navigator.storage.getDirectory()).getDirectoryHandle("backups")).removeEntry(n);
  }, name);
  const kept = await prefs(page);
  const files = await folderFiles(page);
  await page.click('[data-testid="nav-settings"]');
  await page.click('[data-testid="folder-now"]');
  await page.waitForSelector('[data-testid="folder-error"]');
  assert.match(await page.textContent('[data-testid="folder-error"]'), /“backups”.*磁盘空间已满.*没有任何改动/);
  assert.deepEqual(await prefs(page), kept, "a failed backup changes nothing");
  assert.deepEqual(await folderFiles(page), files, "no empty file passes for today's backup");
  await shot(page, "backup-folder-failed-zh-390x844");
  await page.fill('[data-testid="store-name-input"]', "照常营业");
  await page.waitForFunction(async () => (await globalThis.clienteleDb.readAll()).includes("照常营业"));
  await page.click('[data-testid="nav-"]');
  await page.waitForSelector('[data-testid="folder-failed"]');
  await screen(page, "backup-folder-failed-notice-zh-390x844");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click('[data-testid="folder-failed-download"]'),
  ]);
  assert.match(download.suggestedFilename(), /^照常营业-backup-\d{4}-\d{2}-\d{2}\.json$/);

  // "Not now" puts the notice away for the day: after a reload today's due
  // backup fails again, and only Settings says so.
  await page.click('[data-testid="folder-not-now"]');
  await page.waitForSelector('[data-testid="folder-failed"]', { state: "detached" });
  await dueAgain(page);
  await page.reload();
  await ready(page);
  await page.waitForTimeout(2_000); // past the check a moment after opening
  assert.equal(await page.locator('[data-testid="folder-failed"]').count(), 0);
  await page.click('[data-testid="nav-settings"]');
  await page.waitForSelector('[data-testid="folder-error"]');
  assert.deepEqual(errors, []);
  await context.close();
});

test("a browser without the folder picker shows no folder option; the backup downloads", async () => {
  const { context, page, errors } = await open({ viewport: { width: 1024, height: 768 }, locale: "en-US" }, () => {
    delete window.showDirectoryPicker;
    delete Window.prototype.showDirectoryPicker;
  });
  await page.click('[data-testid="nav-settings"]');
  await page.waitForSelector('[data-testid="settings-backup"]');
  assert.equal(await page.locator('[data-testid="backup-folder"]').count(), 0);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="settings-backup"]')]);
  assert.match(download.suggestedFilename(), /backup-\d{4}-\d{2}-\d{2}\.json$/);
  assert.deepEqual(errors, []);
  await context.close();
});
