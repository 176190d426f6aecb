// Moving in from another system, end to end: an order export whose
// customers are not members yet creates them; a POS sales export's negative
// lines become returns against their receipts; a POS member export brings
// its points balance and tier as opening balances, and says which columns
// it leaves out. Every choice shows in the preview before anything is written.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { useBrowser, shot, openConsole, storedStore } from "./harness.mjs";

useBrowser();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clientele-moving-in-"));
function file(name, text) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}
const stat = async (page, id) => Number((await page.textContent(`[data-testid="${id}"] .stat-value`)).trim());

async function preview(page, p) {
  await page.click('[data-testid="nav-data"]');
  await page.setInputFiles('[data-testid="import-file"]', p);
  await page.click('[data-testid="import-preview-btn"]');
  await page.waitForSelector('[data-testid="import-preview"]');
}

async function commit(page) {
  await page.click('[data-testid="import-commit"]');
  await page.waitForSelector('[data-testid="import-done"]');
  await page.waitForSelector('[data-testid="save-state"][data-state="saved"]');
}

test("an order export of customers who are not members yet creates them (zh)", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "zh-CN" }, "start-empty");
  await preview(
    page,
    file(
      "orders.csv",
      "订单号,姓名,手机号,邮箱,下单时间,实收金额\n" +
        "A1001,张伟,13700000001,zw@example.com,2025-03-05 14:30,299.00\n" +
        "A1002,李娜,13700000002,,2025-03-06 10:00,120.00\n" +
        "A1003,张伟,137 0000 0001,,2025-04-10 09:00,80.00\n"
    )
  );
  // Without the choice the strangers' rows are refused, as before.
  assert.equal(await page.locator('[data-testid="count-members-created"]').count(), 0);
  await page.check('[data-testid="create-members"]');
  await page.waitForSelector('[data-testid="count-members-created"]');
  assert.equal(await stat(page, "count-members-created"), 2);
  await shot(page, "moving-in-orders-zh-1024x768");
  await commit(page);
  const s = await storedStore(page);
  assert.deepEqual(s.members.map((m) => m.name).sort(), ["张伟", "李娜"].sort());
  const zhang = s.members.find((m) => m.name === "张伟");
  assert.equal(s.purchases.filter((p) => p.member === zhang.id).length, 2, "both of 张伟's orders are hers");
  assert.deepEqual(errors, []);
  await context.close();
});

test("negative lines of a POS sales export become returns against their receipt (en)", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 820, height: 1180 }, locale: "en-US" }, "start-empty");
  await preview(page, file("members.csv", "会员卡号,姓名,手机号\n1001,Lin,13700001111\n"));
  await commit(page);
  await preview(
    page,
    file(
      "pos_sales.csv",
      "小票号,原小票号,会员卡号,销售日期,货号,数量,明细金额\n" +
        "S1,,1001,2025-03-10 10:00,SKU1,1,300.00\n" +
        "S1,,1001,2025-03-10 10:00,SKU2,1,200.00\n" +
        "T2,S1,1001,2025-03-15 12:00,SKU1,-1,-300.00\n"
    )
  );
  await page.check('[data-testid="negative-returns"]');
  await page.waitForSelector('[data-testid="count-returns"]');
  assert.equal(await stat(page, "count-returns"), 1);
  await shot(page, "moving-in-returns-en-820x1180");
  await commit(page);
  const s = await storedStore(page);
  assert.equal(s.purchases.length, 1);
  assert.equal(s.purchases[0].amount, 50000, "the two lines of S1 make one receipt");
  assert.equal(s.returns.length, 1);
  assert.equal(s.returns[0].receipt, "S1");
  assert.equal(s.returns[0].amount, 30000);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a POS member export brings points and tier as opening balances and names what it leaves out (zh)", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 390, height: 844 }, locale: "zh-CN" }, "start-empty");
  await preview(
    page,
    file(
      "pos_members.csv",
      "会员号,姓名,手机号,会员等级,当前积分,累计消费,开卡日期\n" +
        'P0001,王芳,13812345678,VIP,"1,280",35600.00,2023-05-01\n' +
        "P0002,李娜,13900001111,普通,0,800.00,2024-02-10\n"
    )
  );
  assert.ok(await page.isChecked('[data-testid="member-balances"]'), "offered from the file's columns");
  await page.waitForSelector('[data-testid="count-balances"]');
  assert.equal(await stat(page, "count-balances"), 1);
  assert.match(await page.textContent('[data-testid="ignored-columns"]'), /累计消费/);
  await shot(page, "moving-in-pos-members-zh-390x844");
  await commit(page);
  const s = await storedStore(page);
  const wang = s.members.find((m) => m.name === "王芳");
  const opening = s.points_events.filter((e) => e.member === wang.id);
  assert.ok(opening.some((e) => e.kind === "opening_balance" && e.points === 1280), JSON.stringify(opening));
  assert.ok(opening.some((e) => e.kind === "opening_tier"), "the tier is kept");
  // The member's page shows the balance.
  await page.click('[data-testid="nav-members"]');
  await page.fill('[data-testid="member-search"]', "王芳");
  await page.locator('[data-testid="member-row"]').first().click();
  await page.waitForFunction(() => /1,?280/.test(document.querySelector(".page")?.textContent || ""));
  assert.deepEqual(errors, []);
  await context.close();
});
