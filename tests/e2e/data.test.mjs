// Data in and out: a GBK CSV and an xlsx of members import with a preview
// that names the invalid row, the commit persists across a reload, the
// members CSV export starts with a BOM, and a backup restores.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { useBrowser, server, browser, ready, shot, watchErrors, root, openConsole } from "./harness.mjs";

useBrowser();

const samples = path.join(root, "tests", "data", "import");
const count = async (page, id) => Number((await page.textContent(`[data-testid="${id}"] .stat-value`)).trim());

async function importFile(page, file) {
  await page.setInputFiles('[data-testid="import-file"]', path.join(samples, file));
  await page.click('[data-testid="import-preview-btn"]');
  await page.waitForSelector('[data-testid="import-preview"]');
}

async function memberCount(page) {
  await page.click('[data-testid="nav-members"]');
  return Number((await page.textContent('[data-testid="member-count"]')).replace(/[^0-9]/g, ""));
}

test("import GBK CSV and xlsx, export, backup and restore (zh)", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "zh-CN", acceptDownloads: true }, "start-empty");
  await page.click('[data-testid="nav-data"]');

  // GBK members: three good rows, one with a bad mobile named by row and column.
  await importFile(page, "members_gbk.csv");
  assert.equal(await count(page, "count-new"), 3);
  assert.equal(await count(page, "count-invalid"), 1);
  const issue = await page.textContent('[data-testid="import-issue"]');
  assert.match(issue, /^\s*5/);
  assert.match(issue, /手机/);
  assert.match(issue, /手机号无效/);
  await shot(page, "data-preview-zh-1024x768");
  await page.click('[data-testid="import-commit"]');
  await page.waitForSelector('[data-testid="import-done"]');

  // The import persists across a reload.
  await page.reload();
  await ready(page);
  assert.equal(await memberCount(page), 3);
  assert.match(await page.textContent(".page"), /王芳/);

  // A backup of these three members, kept for the restore below.
  await page.click('[data-testid="nav-data"]');
  const [backup] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="download-backup"]')]);
  const backupPath = await backup.path();
  assert.match(backup.suggestedFilename(), /backup-\d{4}-\d{2}-\d{2}\.json$/);

  // xlsx members: two good rows, row 4 invalid.
  await importFile(page, "members.xlsx");
  assert.equal(await count(page, "count-new"), 2);
  assert.equal(await count(page, "count-invalid"), 1);
  assert.match(await page.textContent('[data-testid="import-issue"]'), /^\s*4/);
  await page.click('[data-testid="import-commit"]');
  await page.waitForSelector('[data-testid="import-done"]');
  assert.equal(await memberCount(page), 5);

  // Re-importing the same file finds nothing new.
  await page.click('[data-testid="nav-data"]');
  await importFile(page, "members.xlsx");
  assert.equal(await count(page, "count-new"), 0);
  assert.equal(await count(page, "count-unchanged"), 2);

  // The members CSV starts with a UTF-8 BOM and holds the Chinese names.
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="export-members-csv"]')]);
  const bytes = fs.readFileSync(await csv.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString("utf8");
  assert.match(text, /^会员卡号,姓名,手机/);
  assert.match(text, /C001,王芳,13800138000/);
  assert.match(text, /"张伟, 先生"/);

  // The xlsx export is written by the file worker: a zip holding one sheet.
  const [xlsx] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="export-members-xlsx"]')]);
  assert.match(xlsx.suggestedFilename(), /members-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const book = fs.readFileSync(await xlsx.path());
  assert.equal(book.subarray(0, 2).toString("latin1"), "PK");
  assert.ok(book.includes(Buffer.from("xl/worksheets/sheet1.xml")));

  // Restore the backup: the preview says what it holds, then three members again.
  await page.setInputFiles('[data-testid="restore-file"]', backupPath);
  await page.waitForSelector('[data-testid="restore-preview"]');
  assert.match(await page.textContent('[data-testid="restore-preview"]'), /会员 3（现有 5）/);
  await page.click('[data-testid="restore-confirm"]');
  await page.waitForSelector('[data-testid="restore-done"]');
  await page.reload();
  await ready(page);
  assert.equal(await memberCount(page), 3);
  assert.deepEqual(errors, []);
  await context.close();
});

test("ambiguous dates ask for the order; phone layout (en)", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 390, height: 844 }, locale: "en-US" }, "start-empty");
  await page.click('[data-testid="nav-data"]');
  await importFile(page, "members_gbk.csv");
  await page.click('[data-testid="import-commit"]');
  await page.waitForSelector('[data-testid="import-done"]');
  await page.setInputFiles('[data-testid="import-file"]', path.join(samples, "order_lines.csv"));
  await page.waitForSelector('[data-testid="date-order"]');
  await page.check('[data-testid="day-first"]');
  await page.click('[data-testid="import-preview-btn"]');
  await page.waitForSelector('[data-testid="import-preview"]');
  assert.equal(await count(page, "count-new"), 3);
  assert.equal(await count(page, "count-invalid"), 0);
  await shot(page, "data-preview-en-390x844");
  assert.deepEqual(errors, []);
  await context.close();
});
