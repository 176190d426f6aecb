// The counter, end to end: register at checkout, a sale whose banded,
// tier-multiplied and promoted points are shown before confirming, a
// partial return that reverses its share, redemptions refused above the
// balance and accepted below it, and the daily check-in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser, server, browser, ready, shot, watchErrors, openConsole, register } from "./harness.mjs";

useBrowser();

const num = async (page, sel) => Number((await page.textContent(sel)).replace(/[^0-9-]/g, ""));

async function sell(page, amount) {
  await page.click('[data-testid="tab-sale"]');
  await page.fill('[data-testid="sale-amount"]', amount);
  await page.waitForSelector('[data-testid="sale-preview"]');
  const preview = {
    points: await num(page, '[data-testid="preview-points"]'),
    why: await page.textContent('[data-testid="preview-why"]'),
    tier: (await page.locator('[data-testid="preview-tier"]').count()) ? await page.textContent('[data-testid="preview-tier"]') : null,
    entries: await page.locator('[data-testid="preview-entry"]').allTextContents(),
  };
  await page.click('[data-testid="sale-confirm"]');
  await page.waitForSelector('[data-testid="flash-ok"]');
  return preview;
}

for (const [locale, lang] of [
  ["en-US", "en"],
  ["zh-CN", "zh"],
]) {
  test(`checkout flows (${lang})`, async () => {
    const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale });
    await page.click('[data-testid="nav-checkout"]');
    await shot(page, `checkout-start-${lang}-1024x768`);

    // A new customer registers in a few taps.
    await register(page, lang === "zh" ? "苏晓晓" : "Nina Park", "13700001111");
    assert.equal(await num(page, '[data-testid="points-available"]'), 0);

    // 500 yuan: the 200-800 band earns x1.5, this week is double points,
    // and a first purchase adds 100: 500 x 1.5 x 2 + 100 = 1,600.
    const first = await sell(page, "500");
    assert.equal(first.points, 1600);
    assert.match(first.why, /1\.5/);
    assert.match(first.why, lang === "zh" ? /首/ : /first/i);
    assert.equal(await num(page, '[data-testid="points-available"]'), 1600);

    // 9,000 yuan lifts a year's spend past 8,000: the sale upgrades to VIP
    // and earns at VIP's x1.2: 9,000 x 2 (800+ band) x 1.2 x 2 = 43,200.
    await page.fill('[data-testid="sale-amount"]', "9,000.00");
    await page.waitForSelector('[data-testid="preview-tier"]');
    await shot(page, `checkout-preview-${lang}-1024x768`);
    const second = await sell(page, "9,000.00");
    assert.equal(second.points, 43200, second.why);
    assert.match(second.tier, /VIP/);
    assert.match(await page.textContent('[data-testid="tier-name"]'), /VIP/);
    assert.equal(await num(page, '[data-testid="points-available"]'), 44800);

    // Return half of the first receipt: half its points (and half its
    // first-purchase bonus) come back off the balance: 800.
    await page.click('[data-testid="tab-return"]');
    const receipts = page.locator('[data-testid="return-receipt"]');
    await receipts.last().click();
    await page.fill('[data-testid="return-amount"]', "250");
    await page.click('[data-testid="return-confirm"]');
    await page.waitForSelector('[data-testid="flash-ok"]');
    assert.equal(await num(page, '[data-testid="points-available"]'), 44000);

    // Redeem a spa treatment (6,000 points): accepted.
    await page.click('[data-testid="tab-redeem"]');
    await page.locator('[data-testid="reward"]').last().click();
    await page.waitForSelector('[data-testid="flash-ok"]');
    assert.equal(await num(page, '[data-testid="points-available"]'), 38000);

    // Check in once a day; a second tap changes nothing.
    await page.click('[data-testid="tab-checkin"]');
    await page.click('[data-testid="checkin"]');
    await page.waitForSelector('[data-testid="flash-ok"]');
    const afterCheckIn = await num(page, '[data-testid="points-available"]');
    assert.ok(afterCheckIn > 38000);
    await page.click('[data-testid="checkin"]');
    assert.match(await page.textContent('[data-testid="flash-ok"]'), lang === "zh" ? /已经签到/ : /Already/);
    assert.equal(await num(page, '[data-testid="points-available"]'), afterCheckIn);

    // A member with no points is refused, with the numbers, and nothing changes.
    await register(page, lang === "zh" ? "钱多多" : "Ivy Lam", "13700002222");
    await page.click('[data-testid="tab-redeem"]');
    await page.locator('[data-testid="reward"]').first().click();
    const refusal = await page.textContent('[data-testid="flash-error"]');
    assert.match(refusal, lang === "zh" ? /积分不足/ : /Not enough points/);
    assert.match(refusal, /500/);
    assert.equal(await num(page, '[data-testid="points-available"]'), 0);
    await shot(page, `checkout-refused-${lang}-1024x768`);

    // Everything survives a reload; the first member is found by mobile.
    await page.waitForTimeout(600);
    await page.reload();
    await ready(page);
    await pick(page, "137 0000 1111");
    assert.equal(await num(page, '[data-testid="points-available"]'), afterCheckIn);
    await shot(page, `checkout-member-${lang}-1024x768`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

/// Opens the lab, fills `fields` ([test id, value]) and does `more`, then
/// applies the candidate from today.
async function applyFromLab(page, fields, more = async () => {}) {
  await page.click('[data-testid="nav-points"]');
  await page.click('[data-testid="open-lab"]');
  await page.waitForSelector('[data-testid="compare-a"] [data-testid="dist-row"]');
  for (const [id, value] of fields) {
    const field = page.locator(`[data-testid="${id}"]`).first();
    await field.fill(value);
    await field.press("Tab");
  }
  await more();
  await page.click('[data-testid="apply-start"]');
  await page.waitForSelector('[data-testid="apply-preview"]');
  await page.click('[data-testid="apply-confirm"]');
  await page.waitForSelector('[data-testid="apply-done"]');
}

/// The demo boutique in a browser whose clock stands at `time`.
async function openOn(time) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  await context.clock.setFixedTime(new Date(time));
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url);
  await ready(page);
  await page.click('[data-testid="open-demo"]');
  await page.waitForSelector('[data-testid="nav-members"]');
  return { context, page, errors };
}

/// A member enrolled last year (`fields` over the defaults) and `purchases`
/// of theirs, written as another device would, then the console reopened.
async function addMember(page, fields, purchases = []) {
  const m = { joined: "2025-01-02", store: "", consent: { sms: false, phone: false, email: false }, ...fields };
  const docs = [{ _id: `m:${m.id}`, d: m }];
  if (purchases.length) docs.push({ _id: `f:p:zz-e2e-${m.id}:000000`, d: purchases.map((p) => ({ member: m.id, store: "", ...p })) });
  await page.evaluate(async (docs) => globalThis.clienteleDb.write(JSON.stringify(docs)), docs);
  await page.reload();
  await ready(page);
}

/// Finds the member by mobile at the counter and picks them.
async function pick(page, mobile) {
  await page.click('[data-testid="nav-checkout"]');
  await page.fill('[data-testid="checkout-find"]', mobile);
  await page.click('[data-testid="pick-member"]');
}

test("rules from the lab at the counter: a sign-up bonus, a minimum receipt, points per receipt, entry rewards, paying with points (en)", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  // The owner adds three rules to the scheme in force and applies it from today.
  let gift;
  await applyFromLab(page, [["bonus-sign-up", "50"], ["min-amount", "200"], ["per-receipt", "10"]], async () => {
    // An entry reward of 500 points and the catalogue's first reward on
    // every tier above the first.
    const entries = page.locator('[data-testid="tier-entry-points"]');
    const gifts = page.locator('[data-testid="tier-entry-reward"]');
    gift = (await gifts.first().locator("option").nth(1).textContent()).trim();
    for (let i = 1; i < (await entries.count()); i++) {
      await entries.nth(i).fill("500");
      await entries.nth(i).press("Tab");
      await gifts.nth(i).selectOption({ index: 1 });
    }
    // Points pay part of a receipt: 100 points for 1 yuan, at most half of it.
    await page.check('[data-testid="pay-on"]');
    // Scarves earn double.
    await page.click('[data-testid="line-rule-add"]');
    const rule = page.locator('[data-testid="line-rule-name"]');
    await rule.fill("Scarves");
    await rule.press("Tab");
    await page.waitForSelector('[data-testid="pay-points"]');
    await shot(page, "lab-new-rules-en-1024x768");
  });

  // Joining earns the sign-up bonus on the day.
  await register(page, "Vera Lind", "13700002222");
  assert.equal(await num(page, '[data-testid="points-available"]'), 50);
  // 150 yuan is below the 200 minimum: nothing, and the bonus for a first
  // purchase is not used up.
  const small = await sell(page, "150");
  assert.equal(small.points, 0);
  assert.match(small.why, /minimum/i);
  // 500 yuan: (500 + 10 per receipt) x 1.5 (band) x 2 (this week) + 100 (first purchase) = 1,630.
  const big = await sell(page, "500");
  assert.equal(big.points, 1630);
  assert.equal(await num(page, '[data-testid="points-available"]'), 1680);
  // 9,000 yuan lifts her past the thresholds: the receipt's points, and
  // 500 for each tier reached on the way.
  const upgrade = await sell(page, "9000");
  assert.ok(upgrade.tier, "the sale upgrades");
  const rewards = (await num(page, '[data-testid="points-available"]')) - 1680 - upgrade.points;
  assert.ok(rewards >= 500 && rewards % 500 === 0, `entry rewards ${rewards}`);
  assert.equal(upgrade.entries.length, rewards / 500, "each entry reward is shown before the sale");
  assert.match(upgrade.entries[0], new RegExp(`\\+500 points · reached .*: entry reward, with ${gift}`));

  // 300 yuan, part paid with points: whole steps of 100, at most half the receipt.
  const before = await num(page, '[data-testid="points-available"]');
  await page.click('[data-testid="tab-sale"]');
  await page.fill('[data-testid="sale-amount"]', "300");
  await page.fill('[data-testid="sale-pay-points"]', "15050");
  assert.match(await page.textContent('[data-testid="sale-preview-error"]'), /whole steps of: 100/);
  await page.fill('[data-testid="sale-pay-points"]', "20000");
  assert.match(await page.textContent('[data-testid="sale-preview-error"]'), /at most this many points: 15000/);
  await page.click('[data-testid="sale-pay-most"]');
  await page.waitForSelector('[data-testid="preview-cash"]');
  assert.equal(await page.inputValue('[data-testid="sale-pay-points"]'), "15000");
  assert.match(await page.textContent('[data-testid="preview-cash"]'), /150\.00/);
  assert.match(await page.textContent('[data-testid="preview-pay"]'), /−15000 points = .*150\.00/);
  await shot(page, "checkout-pay-with-points-en-1024x768");
  const earned = await num(page, '[data-testid="preview-points"]');
  await page.click('[data-testid="sale-confirm"]');
  await page.waitForSelector('[data-testid="flash-ok"]');
  assert.equal(await num(page, '[data-testid="points-available"]'), before - 15000 + earned);
  // Returned in full: the 150 yuan paid back, the 15,000 points given back,
  // the points the money earned taken away.
  await page.click('[data-testid="tab-return"]');
  await page.locator('[data-testid="return-receipt"]').first().click();
  assert.equal(await page.inputValue('[data-testid="return-amount"]'), "150.00");
  await page.click('[data-testid="return-confirm"]');
  await page.waitForSelector('[data-testid="flash-ok"]');
  assert.equal(await num(page, '[data-testid="points-available"]'), before);

  // The items of a sale: a scarf (one tap on the rule's category) and a
  // coat; the total is their sum, and the scarf earns double.
  await page.click('[data-testid="tab-sale"]');
  await page.click('[data-testid="item-chip"]');
  await page.fill('[data-testid="item-amount"] >> nth=0', "abc");
  assert.match(await page.textContent('[data-testid="sale-items-error"]'), /Item 1: the amount is not a number/);
  await page.fill('[data-testid="item-amount"] >> nth=0', "100");
  await page.click('[data-testid="item-add"]');
  await page.fill('[data-testid="item-category"] >> nth=1', "Coats");
  await page.fill('[data-testid="item-amount"] >> nth=1', "300");
  await page.waitForSelector('[data-testid="sale-preview"]');
  assert.match(await page.textContent('[data-testid="preview-why"]'), /×1\.25 by category\/product rules \(1 line\)/);
  await shot(page, "checkout-items-en-1024x768");
  await page.click('[data-testid="sale-confirm"]');
  await page.waitForSelector('[data-testid="flash-ok"]');
  assert.equal(await page.locator('[data-testid="sale-item"]').count(), 0, "the items are cleared after the sale");
  assert.deepEqual(errors, []);
  await context.close();
});

test("more rules at the counter: a birthday gift on the day, points per item from the sale's items, nothing outside the programme dates (zh)", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "zh-CN" });
  await applyFromLab(page, [["bonus-birthday-gift", "88"], ["per-item", "5"]]);
  // A member enrolled last year whose birthday (recorded then) is today.
  const now = new Date();
  const iso = (d) => d.toISOString().slice(0, 10);
  await addMember(page, {
    id: 987654321,
    card_no: "VIP-BDAY",
    name: "周生辰",
    mobile: "13711112222",
    birthday: { month: now.getMonth() + 1, day: now.getDate(), year: 1990 },
    birthday_recorded_on: "2025-01-02",
  });
  await pick(page, "13711112222");
  // The gift is there on the day, without a purchase.
  await page.waitForFunction(() => document.querySelector('[data-testid="points-available"]')?.textContent.replace(/[^0-9]/g, "") === "88");

  // Three items (a dress, two scarves): 5 points each on top of the spend.
  // No rule reads categories, so the items start folded away.
  await page.click('[data-testid="sale-items"] summary');
  await page.click('[data-testid="item-add"]');
  await page.fill('[data-testid="item-category"] >> nth=0', "连衣裙");
  await page.fill('[data-testid="item-amount"] >> nth=0', "300");
  await page.click('[data-testid="item-add"]');
  await page.fill('[data-testid="item-category"] >> nth=1', "围巾");
  await page.fill('[data-testid="item-quantity"] >> nth=1', "2");
  await page.fill('[data-testid="item-amount"] >> nth=1', "200");
  await page.waitForSelector('[data-testid="sale-preview"]');
  assert.match(await page.textContent('[data-testid="preview-why"]'), /3件\+15/);
  await shot(page, "checkout-items-zh-1024x768");
  await page.click('[data-testid="sale-confirm"]');
  await page.waitForSelector('[data-testid="flash-ok"]');

  // The programme starts tomorrow: today's sale earns nothing, and says why.
  const tomorrow = new Date(now.getTime() + 86_400_000);
  await applyFromLab(page, [["programme-from", iso(tomorrow)]]);
  await pick(page, "13711112222");
  await page.fill('[data-testid="sale-amount"]', "500");
  await page.waitForSelector('[data-testid="sale-preview"]');
  assert.equal(Number((await page.textContent('[data-testid="preview-points"]')).replace(/[^0-9]/g, "")), 0);
  assert.match(await page.textContent('[data-testid="preview-why"]'), /不积分：不在活动有效期内/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("on 28 February of a common year: a 29 February birthday's gift comes that day, and a tier reached is held to the end of next year (en)", async () => {
  // The browser's clock stands at 28 February 2027 (not a leap year).
  const { context, page, errors } = await openOn("2027-02-28T10:00:00");
  // The lab: a birthday gift (29 February falls on the 28th, the default),
  // tiers up and down, each held to the end of the calendar year after it is reached.
  await applyFromLab(page, [["bonus-birthday-gift", "88"]], async () => {
    assert.equal(await page.inputValue('[data-testid="leap-birthday"]'), "feb28");
    await page.selectOption('[data-testid="growth-mode"]', "updown");
    await page.check('[data-testid="validity-year-end"]');
  });
  await addMember(page, {
    id: 987654322,
    card_no: "VIP-LEAP",
    name: "Leah Fairweather",
    mobile: "13711113333",
    birthday: { month: 2, day: 29, year: 1992 },
    birthday_recorded_on: "2025-01-02",
  });
  await pick(page, "13711113333");
  await page.waitForFunction(() => document.querySelector('[data-testid="points-available"]')?.textContent.replace(/[^0-9]/g, "") === "88");
  // A sale that lifts her to the top: held to 31 December 2028.
  await page.fill('[data-testid="sale-amount"]', "90000");
  await page.waitForSelector('[data-testid="preview-tier"]');
  await page.click('[data-testid="sale-confirm"]');
  await page.waitForSelector('[data-testid="flash-ok"]');
  await page.waitForSelector('[data-testid="tier-hold"]');
  assert.match(await page.textContent('[data-testid="tier-hold"]'), /2028-12-31|2029-01-01/);
  await shot(page, "checkout-leap-day-en-1024x768");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a year of spend that starts on 1 April (成长值): the counter's qualifying value counts from it (en)", async () => {
  const { context, page, errors } = await openOn("2027-02-28T10:00:00");
  // A member who bought 5,000 in March 2026 and 3,000 in May 2026.
  await addMember(page, { id: 987654323, card_no: "VIP-YEAR", name: "Grace Ng", mobile: "13711114444" }, [
    { receipt: "R-Y-1", at: "2026-03-15T11:00:00", amount: 500000 },
    { receipt: "R-Y-2", at: "2026-05-01T11:00:00", amount: 300000 },
  ]);
  const qualifying = async () => {
    await pick(page, "13711114444");
    const stat = page.locator('[data-testid="points-summary"] .stat', { hasText: "Qualifying value" }).locator(".stat-value");
    return Number((await stat.textContent()).replace(/[^0-9.]/g, ""));
  };
  // Tiers on this calendar year's spend: nothing yet in 2027.
  await applyFromLab(page, [], () => page.selectOption('[data-testid="ladder-metric"]', "year"));
  assert.equal(await qualifying(), 0);
  // The year runs from 1 April: May's 3,000 counts, March's 5,000 does not.
  await applyFromLab(page, [["growth-year-start", "04-01"]]);
  assert.equal(await qualifying(), 3000);
  assert.deepEqual(errors, []);
  await context.close();
});
