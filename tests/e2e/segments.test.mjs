// Segments: a cell opens its members, and that list exports as a campaign
// list of only the members who agreed to the channel, safe for Excel.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { useBrowser, shotsAtSizes, server, browser, ready, shot, watchErrors, openConsole, storedStore } from "./harness.mjs";

useBrowser();

const num = (t) => Number(t.replace(/[^0-9.]/g, ""));

test("a segments cell drills to its members and exports them", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "zh-CN", acceptDownloads: true });
  await page.click('[data-testid="nav-segments"]');
  await page.waitForSelector('[data-testid="rfm-heat-map"]');

  // The four cells of the customer matrix hold every buyer once.
  let inMatrix = 0;
  for (const cell of ["true_friend", "butterfly", "barnacle", "stranger"]) {
    inMatrix += num(await page.textContent(`[data-testid="lv-${cell}"] .matrix-count strong`));
  }
  assert.ok(inMatrix > 0);
  const heatTotal = (await page.locator('[data-testid="rfm-cell"] strong').allTextContents()).reduce((a, t) => a + num(t), 0);
  assert.equal(heatTotal, inMatrix, "RFM grid and customer matrix cover the same buyers");

  // 知己 opens its members.
  const friends = num(await page.textContent('[data-testid="lv-true_friend"] .matrix-count strong'));
  assert.match(await page.textContent('[data-testid="lv-true_friend"]'), /知己/);
  await page.click('[data-testid="lv-true_friend"]');
  await page.waitForSelector('[data-testid="member-filter"]');
  assert.equal(num(await page.textContent('[data-testid="member-count"]')), friends);
  assert.match(await page.textContent('[data-testid="filter-label"]'), /知己/);

  // Export for SMS: only members who agreed to SMS and have a mobile.
  const shown = (await storedStore(page)).members.map((m) => ({ card: m.card_no, sms: !!(m.consent && m.consent.sms) && !!m.mobile }));
  const reachable = num(await page.textContent('[data-testid="campaign-reachable"]'));
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="campaign-export"]')]);
  assert.match(download.suggestedFilename(), /campaign.*\.csv$/);
  const text = fs.readFileSync(await download.path(), "utf8");
  assert.ok(text.startsWith("\ufeff"), "UTF-8 with BOM for Excel");
  const lines = text.slice(1).trim().split("\r\n");
  assert.equal(lines[0], "会员卡号,姓名,手机号,邮箱");
  assert.equal(lines.length - 1, reachable);
  assert.ok(reachable <= friends);
  const sms = new Map(shown.map((m) => [m.card, m.sms]));
  for (const line of lines.slice(1)) {
    const card = line.split(",")[0].replace(/^'/, "");
    assert.equal(sms.get(card), true, `${card} agreed to SMS`);
  }
  // Sent one by one: each reachable member in turn, the send logged, then the next.
  if (reachable > 1) {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.click('[data-testid="campaign-send-open"]');
    const first = lines[1].split(",")[1];
    assert.equal(await page.textContent('[data-testid="campaign-send-who"]'), `第 1 / ${reachable} 位：${first}`);
    await page.click('[data-testid="campaign-send"] [data-testid="msg-wechat"]');
    await page.waitForFunction((n) => document.querySelector('[data-testid="campaign-send-who"]').textContent.startsWith(`第 2 / ${n} 位`), reachable);
    assert.equal(await page.textContent('[data-testid="campaign-send-count"]'), "已发送：1");
    assert.equal((await page.textContent('[data-testid="campaign-send-next"]')).trim(), "下一位");
    await page.click('[data-testid="campaign-send-prev"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="campaign-send-who"]').textContent.startsWith("第 1 /"));
    await shot(page, "segments-campaign-send-zh-1024x768");
    const logged = (await storedStore(page)).care.contacts.filter((c) => c.kind === "message" && c.occasion === "general");
    assert.equal(logged.length, 1);
  }
  // An RFM heat-map cell drills down too.
  await page.click('[data-testid="nav-segments"]');
  const cell = page.locator('[data-testid="rfm-cell"]').first();
  const n = num(await cell.locator("strong").textContent());
  await cell.click();
  await page.waitForSelector('[data-testid="member-filter"]');
  assert.equal(num(await page.textContent('[data-testid="member-count"]')), n);
  assert.deepEqual(errors, []);
  await context.close();
});

test("segments screenshots in both languages and three sizes", () =>
  shotsAtSizes("segments", { nav: "nav-segments", selector: '[data-testid="rfm-heat-map"]' }));
