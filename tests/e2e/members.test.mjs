// Member records at the counter: add with only a name and mobile, edit the
// profile step by step, refuse duplicates with a clear message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser, server, browser, ready, shot, watchErrors, openConsole } from "./harness.mjs";

useBrowser();

for (const [locale, lang] of [
  ["zh-CN", "zh"],
  ["en-US", "en"],
]) {
  test(`add, edit and find a member (${lang})`, async () => {
    const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale });
    await page.click('[data-testid="nav-members"]');
    const before = Number((await page.textContent('[data-testid="member-count"]')).replace(/[^0-9]/g, ""));

    await page.click('[data-testid="add-member"]');
    await page.waitForSelector('[data-testid="f-name"]');
    // Nothing but a name is refused with words, not a crash.
    await page.fill('[data-testid="f-name"]', "林小雨");
    await page.click('[data-testid="save-member"]');
    const err = await page.textContent('[data-testid="form-error"]');
    assert.match(err, lang === "zh" ? /手机号|卡号/ : /mobile|card/);
    await shot(page, `member-form-error-${lang}-1024x768`);

    // A mobile number already taken is refused and named.
    await page.click('[data-testid="nav-members"]');
    const takenMobile = (await page.locator('[data-testid="member-row"] [role="cell"]').nth(2).textContent()).trim();
    await page.click('[data-testid="add-member"]');
    await page.fill('[data-testid="f-name"]', "林小雨");
    await page.fill('[data-testid="f-mobile"]', takenMobile);
    await page.click('[data-testid="save-member"]');
    assert.match(await page.textContent('[data-testid="form-error"]'), new RegExp(takenMobile));

    // A fresh number saves; a card number is assigned.
    await page.fill('[data-testid="f-mobile"]', "199 0000 1234");
    await page.click('[data-testid="save-member"]');
    await page.waitForSelector('[data-testid="member-name"]');
    assert.equal(await page.textContent('[data-testid="member-name"]'), "林小雨");
    await page.click('[data-testid="nav-members"]');
    const after = Number((await page.textContent('[data-testid="member-count"]')).replace(/[^0-9]/g, ""));
    assert.equal(after, before + 1);

    // Found by the last digits of the mobile; the profile fills in later.
    await page.fill('[data-testid="member-search"]', "1234");
    await page.locator('[data-testid="member-row"]', { hasText: "林小雨" }).click();
    await page.click('[data-testid="edit-member"]');
    const meter = async () => Number((await page.textContent('[data-testid="completeness"]')).replace(/[^0-9]/g, ""));
    const low = await meter();
    await page.fill('[data-testid="f-birthday"]', "1990-03-08");
    assert.ok((await meter()) > low, "completeness rises as the profile fills");
    await shot(page, `member-form-${lang}-1024x768`);
    await page.click('[data-testid="save-member"]');
    await page.waitForSelector('[data-testid="member-name"]');
    await page.waitForTimeout(600);
    await page.reload();
    await ready(page);
    assert.match(await page.textContent(".kvs"), /1990-03-08/);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("a demo member's page shows purchases and referrals", async () => {
  for (const [w, h] of [
    [1024, 768],
    [820, 1180],
    [390, 844],
  ]) {
    const context = await browser.newContext({ viewport: { width: w, height: h }, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(server.url);
    await ready(page);
    await page.click('[data-testid="open-demo"]');
    // The demo is generated and saved once the console shows (its code is
    // fetched on demand): only then may the page be left.
    await page.waitForSelector('[data-testid="nav-members"]');
    await page.goto(`${server.url}/members/2`);
    await ready(page);
    await page.waitForSelector('[data-testid="member-purchases"]');
    const rows = await page.locator('[data-testid="member-purchases"] .tr').count();
    assert.ok(rows > 2);
    await shot(page, `member-page-zh-${w}x${h}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `member page at ${w}x${h} scrolls sideways by ${overflow}px`);
    await context.close();
  }
});
