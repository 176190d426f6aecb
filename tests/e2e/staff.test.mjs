// 导购: the staff list in Settings (a repeated name refused), the one
// signed in at this device named on each sale unless another is chosen,
// and the staff page after a few sales, exported as CSV.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { useBrowser, shot, openConsole, register, storedStore, SIZES } from "./harness.mjs";

useBrowser();

async function sell(page, amount, staff) {
  await page.click('[data-testid="tab-sale"]');
  if (staff) await page.selectOption('[data-testid="sale-staff"]', staff);
  await page.fill('[data-testid="sale-amount"]', amount);
  await page.waitForSelector('[data-testid="sale-preview"]');
  await page.click('[data-testid="sale-confirm"]');
  await page.waitForSelector('[data-testid="flash-ok"]');
}

for (const [locale, lang, w, h] of [
  ["en-US", "en", 1024, 768],
  ["zh-CN", "zh", 390, 844],
]) {
  test(`staff on every sale and the staff page after a few sales (${lang})`, async () => {
    const { context, page, errors } = await openConsole({ viewport: { width: w, height: h }, locale, acceptDownloads: true });
    await page.click('[data-testid="nav-settings"]');
    for (const [name, shop] of [["Lin", "Jing'an"], ["Mia", ""]]) {
      await page.fill('[data-testid="staff-name"]', name);
      await page.fill('[data-testid="staff-shop"]', shop);
      await page.click('[data-testid="staff-add"]');
    }
    await page.fill('[data-testid="staff-name"]', "lin");
    await page.click('[data-testid="staff-add"]');
    assert.match(await page.textContent('[data-testid="staff-error"]'), lang === "en" ? /Already on the list: lin/ : /已有这位导购：lin/);
    assert.equal(await page.locator('[data-testid="staff-row"]').count(), 2);
    await page.selectOption('[data-testid="device-staff"]', "Lin");
    await page.locator('[data-testid="staff-list"]').scrollIntoViewIfNeeded();
    await shot(page, `settings-staff-${lang}-${w}x${h}`);

    // At the counter Lin is chosen; the second sale is Mia's.
    await register(page, "Ann Lee", "13900007777");
    await page.click('[data-testid="tab-sale"]');
    assert.equal(await page.inputValue('[data-testid="sale-staff"]'), "Lin");
    await sell(page, "300");
    await sell(page, "120.50", "Mia");
    await page.waitForFunction(async () => JSON.parse(await globalThis.clienteleDb.readAll()).some(([id, , doc]) => id.startsWith("f:p:") && doc.d.some((p) => p.staff === "Mia")));
    const sales = (await storedStore(page)).purchases.filter((p) => p.staff === "Lin" || p.staff === "Mia");
    assert.deepEqual(sales.map((p) => [p.staff, p.amount]), [["Lin", 30000], ["Mia", 12050]]);

    // The staff page: this month's figures per staff member.
    await page.click('[data-testid="nav-care"]');
    await page.click('[data-testid="tab-staff"]');
    const rows = page.locator('[data-testid="staff-figures-row"]');
    await rows.first().waitFor();
    const cells = async (i) => (await rows.nth(i).locator("td").allTextContents()).map((t) => t.trim());
    const lin = await cells(0);
    assert.ok(lin[0].startsWith("Lin"), lin[0]);
    assert.deepEqual(lin.slice(1, 5), ["1", "¥300.00", "¥0.00", "1"]);
    const mia = await cells(1);
    assert.deepEqual(mia.slice(1, 3), ["1", "¥120.50"]);
    for (const [sw, sh] of SIZES) {
      await page.setViewportSize({ width: sw, height: sh });
      await shot(page, `care-staff-${lang}-${sw}x${sh}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the staff page overflows by ${overflow}px at ${sw}x${sh}`);
    }
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="staff-export"]')]);
    const csv = fs.readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "").split("\r\n");
    assert.match(csv[0], lang === "en" ? /^staff,shop,from,to,sales,revenue/ : /^导购,门店,起,止,销售笔数,销售额/);
    assert.match(csv[1], /^Lin,Jing'an,\d{4}-\d{2}-\d{2},\d{4}-\d{2}-\d{2},1,300\.00,0\.00,1,/);
    assert.match(csv[2], /^Mia,,.*,1,120\.50,0\.00,1,/);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
