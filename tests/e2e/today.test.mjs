// 今日待办: today's work for one staff member's members, each item saying
// why; a birthday sent as a message and logged, a follow-up snoozed, one
// skipped with a reason; consent respected; the rules set in Settings and
// refused with the rule named; the dashboard's counts open the list.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser, ready, shot, openConsole, storedStore, SIZES } from "./harness.mjs";

useBrowser();

const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const daysFromNow = (n) => new Date(Date.now() + n * 86_400_000);

/// Two members of one staff member, as another device would have written
/// them: one with SMS consent and a birthday in two days, one without
/// consent; both bought three days ago (a day-3 follow-up each).
async function addStaffMembers(page, staff) {
  const birthday = daysFromNow(2);
  const bought = `${iso(daysFromNow(-3))}T12:00:00`;
  const member = (id, name, mobile, sms, extra = {}) => ({
    id, card_no: `T-${id}`, name, mobile, joined: "2025-01-02", store: "", staff,
    consent: { sms, phone: false, email: false }, ...extra,
  });
  const docs = [
    { _id: "m:987650001", d: member(987650001, "苏梅", "13700001111", true, { birthday: { month: birthday.getMonth() + 1, day: birthday.getDate(), year: 1990 }, birthday_recorded_on: "2025-01-02" }) },
    { _id: "m:987650002", d: member(987650002, "Chen Jia", "13700002222", false) },
    {
      _id: "f:p:zz-e2e-today:000000",
      d: [
        { receipt: "T-R1", member: 987650001, at: bought, amount: 58800, store: "" },
        { receipt: "T-R2", member: 987650002, at: bought, amount: 12800, store: "" },
      ],
    },
  ];
  await page.evaluate(async (docs) => globalThis.clienteleDb.write(JSON.stringify(docs)), docs);
  await page.reload();
  await ready(page);
}

const items = (page) => page.locator('[data-testid="today-item"]');

test("today's work for one staff member: a birthday sent and logged, a follow-up snoozed, one skipped, consent respected (zh)", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await addStaffMembers(page, "小周");
  await page.click('[data-testid="nav-today"]');
  await page.selectOption('[data-testid="today-staff"]', "小周");
  // Her birthday and two follow-ups: each says why.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="today-item"]').length === 3);
  const whys = await page.locator('[data-testid="today-why"]').allTextContents();
  assert.ok(whys.some((w) => /^生日 .*（2 天后，\d+ 岁）$/.test(w)), whys.join(" | "));
  assert.equal(whys.filter((w) => w.startsWith("购买后第 3 天回访")).length, 2, whys.join(" | "));
  assert.match(await page.textContent('[data-testid="today-filter-birthday"]'), /生日\s*1/);
  for (const [w, h] of SIZES) {
    await page.setViewportSize({ width: w, height: h });
    await shot(page, `today-zh-${w}x${h}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `Today overflows by ${overflow}px at ${w}x${h}`);
  }
  await page.setViewportSize({ width: 390, height: 844 });

  // The birthday, sent: the birthday words with her name, copied for WeChat.
  const birthday = page.locator('[data-testid="today-item"][data-trigger="birthday"]');
  await birthday.locator('[data-testid="today-send"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="msg-text"]')?.value.startsWith("苏梅，生日快乐"));
  await page.locator('[data-testid="send-message"]').scrollIntoViewIfNeeded();
  await shot(page, "today-send-zh-390x844");
  await page.click('[data-testid="msg-wechat"]');
  await page.waitForSelector('[data-testid="today-notice"]');
  assert.match(await page.textContent('[data-testid="today-notice"]'), /苏梅 · 已发送并记入联系记录：复制到微信 · 生日祝福/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="today-item"]').length === 2);
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^苏梅，生日快乐/);

  // Chen Jia agreed to nothing: her follow-up offers no channel.
  const chen = page.locator('[data-testid="today-item"]', { has: page.locator('[data-testid="today-name"]', { hasText: "Chen Jia" }) });
  await chen.locator('[data-testid="today-send"]').click();
  await chen.locator('[data-testid="msg-no-consent"]').waitFor();
  assert.equal(await chen.locator('[data-testid="msg-sms"]').count(), 0);
  // Skipped with a reason; Su Mei's follow-up snoozed to tomorrow.
  await chen.locator('[data-testid="today-skip"]').selectOption("do_not_contact");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="today-item"]').length === 1);
  await items(page).first().locator('[data-testid="today-snooze"]').selectOption("1");
  await page.waitForSelector('[data-testid="today-empty"]');

  // Written down: the contact, and three marks.
  await page.waitForFunction(async () => JSON.parse(await globalThis.clienteleDb.readAll()).filter(([id]) => id.startsWith("f:t:")).length > 0);
  const { care } = await storedStore(page);
  const sent = care.contacts.filter((c) => c.member === 987650001 && c.kind === "message");
  assert.equal(sent.length, 1);
  assert.equal(sent[0].staff, "小周");
  const marks = Object.fromEntries(care.marks.map((m) => [`${m.member}:${m.key.split(":")[0]}`, m.action]));
  assert.deepEqual(marks["987650001:birthday"], "done");
  assert.deepEqual(marks["987650002:follow_up"], { skipped: { reason: "do_not_contact" } });
  assert.equal(Object.keys(marks["987650001:follow_up"])[0], "snoozed");

  // The dashboard counts today's work and opens the list on a trigger.
  await page.click('[data-testid="nav-"]');
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="today-total"]')?.textContent ?? ""));
  const first = page.locator('.today-count-link').first();
  const code = (await first.getAttribute("data-testid")).replace("today-count-", "");
  await first.click();
  await page.waitForSelector('[data-testid="today-item"]');
  const shownTriggers = await items(page).evaluateAll((xs) => [...new Set(xs.map((x) => x.dataset.trigger))]);
  assert.deepEqual(shownTriggers, [code]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the Today rules in Settings: a number out of range refused by name, follow-ups switched off (en)", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  await addStaffMembers(page, "Mia");
  await page.click('[data-testid="nav-today"]');
  await page.selectOption('[data-testid="today-staff"]', "Mia");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="today-item"]').length === 3);
  assert.ok((await page.locator('[data-testid="today-why"]').allTextContents()).includes(
    `Day 3 after a sale · receipt T-R2 of ${iso(daysFromNow(-3))}`,
  ));

  await page.click('[data-testid="nav-settings"]');
  await page.fill('[data-testid="rule-birthday"]', "500");
  await page.click('[data-testid="rules-save"]');
  assert.equal(await page.textContent('[data-testid="rules-message"]'), "today.birthday.days: 500 is outside 0–366");
  await page.fill('[data-testid="rule-birthday"]', "x");
  await page.click('[data-testid="rules-save"]');
  assert.equal(await page.textContent('[data-testid="rules-message"]'), "Not a whole number: Member's birthday, days ahead");
  assert.equal((await storedStore(page)).settings.today?.birthday?.days ?? 7, 7, "nothing saved");
  await page.fill('[data-testid="rule-birthday"]', "1");
  // No follow-ups at all.
  while (await page.locator('[data-testid="rule-follow-remove"]').count()) {
    await page.locator('[data-testid="rule-follow-remove"]').first().click();
  }
  await page.locator('[data-testid="today-rules"]').scrollIntoViewIfNeeded();
  for (const [w, h] of SIZES) {
    await page.setViewportSize({ width: w, height: h });
    await page.locator('[data-testid="rule-follow-add"]').scrollIntoViewIfNeeded();
    await shot(page, `today-rules-en-${w}x${h}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the rules overflow by ${overflow}px at ${w}x${h}`);
  }
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.click('[data-testid="rules-save"]');
  assert.equal(await page.textContent('[data-testid="rules-message"]'), "Saved.");
  await page.waitForFunction(async () => {
    const rows = JSON.parse(await globalThis.clienteleDb.readAll());
    const s = rows.find(([id]) => id === "settings");
    return s && s[2].d.today?.follow_ups?.length === 0 && s[2].d.today.birthday.days === 1;
  });
  // A birthday two days away is beyond a day ahead; no follow-ups: nothing for Mia.
  await page.click('[data-testid="nav-today"]');
  await page.selectOption('[data-testid="today-staff"]', "Mia");
  await page.waitForSelector('[data-testid="today-empty"]');
  assert.match(await page.textContent('[data-testid="today-empty"]'), /Nothing to do here today/);
  await shot(page, "today-empty-en-1024x768");

  // Did it work: a follow-up message 20 days ago, a purchase 8 days after it.
  await page.evaluate(async ([sentOn, boughtAt]) => globalThis.clienteleDb.write(JSON.stringify([
    { _id: "f:c:zz-e2e-results:000000", d: [{ member: 987650002, on: sentOn, kind: "message", outcome: "reached", staff: "Mia", occasion: "follow_up" }] },
    { _id: "f:p:zz-e2e-results:000000", d: [{ receipt: "T-R3", member: 987650002, at: boughtAt, amount: 9900, store: "" }] },
  ])), [iso(daysFromNow(-20)), `${iso(daysFromNow(-12))}T12:00:00`]);
  await page.reload();
  await ready(page);
  await page.click('[data-testid="nav-care"]');
  await page.click('[data-testid="tab-results"]');
  const row = page.locator('[data-testid="results-row"][data-occasion="follow_up"]');
  assert.deepEqual((await row.locator("td").allTextContents()).map((t) => t.trim()), ["Follow-up after a sale", "1", "1 / 1 · 100%", "too early"]);
  await shot(page, "care-results-en-1024x768");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the boutique's own words for an occasion, previewed, saved and sent from Today (en)", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 820, height: 1180 }, locale: "en-US" });
  await addStaffMembers(page, "Mia");
  await page.click('[data-testid="nav-settings"]');
  await page.selectOption('[data-testid="template-occasion"]', "birthday");
  assert.match(await page.inputValue('[data-testid="template-en"]'), /^Happy birthday, \{name\}!/);
  await page.fill('[data-testid="template-en"]', "Happy birthday {name}! A small gift waits for you. {staff}");
  assert.equal(await page.textContent('[data-testid="template-en-preview"]'), "Preview: Happy birthday Ann Lee! A small gift waits for you. Lily");
  await page.locator('[data-testid="message-templates"]').scrollIntoViewIfNeeded();
  await shot(page, "settings-templates-en-820x1180");
  await page.click('[data-testid="template-save"]');
  await page.waitForSelector('[data-testid="template-saved"]');
  await page.waitForFunction(async () => {
    const rows = JSON.parse(await globalThis.clienteleDb.readAll());
    return rows.find(([id]) => id === "settings")?.[2].d.templates?.length === 1;
  });
  await page.click('[data-testid="nav-today"]');
  await page.selectOption('[data-testid="today-staff"]', "Mia");
  await page.locator('[data-testid="today-item"][data-trigger="birthday"] [data-testid="today-send"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="msg-text"]')?.value === "Happy birthday 苏梅! A small gift waits for you. Mia");
  assert.deepEqual(errors, []);
  await context.close();
});

// The hold-out group's membership as the engine draws it (splitmix64 of
// the member id, modulo 100, below the percent).
function inHoldOut(id, percent) {
  const M = (1n << 64n) - 1n;
  let z = (BigInt(id) + 0x9e3779b97f4a7c15n) & M;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
  z ^= z >> 31n;
  return z % 100n < BigInt(percent);
}

test("a hold-out group: its members set aside from Today, marked once, and their purchases beside the messages' in the results (zh)", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  const total = async () => Number((await page.textContent('[data-testid="today-filter-all"] .today-count')).trim());
  const heldMarks = async () => (await storedStore(page)).care.marks.filter((m) => m.action === "held_out");
  await page.click('[data-testid="nav-today"]');
  await page.waitForSelector('[data-testid="today-list"]');
  const before = await total();
  assert.equal((await heldMarks()).length, 0);

  await page.click('[data-testid="nav-settings"]');
  await page.fill('[data-testid="rule-hold-out"]', "51");
  await page.click('[data-testid="rules-save"]');
  assert.equal(await page.textContent('[data-testid="rules-message"]'), "today.hold_out：51 不在 0–50 之间");
  await page.fill('[data-testid="rule-hold-out"]', "50");
  await page.click('[data-testid="rules-save"]');
  assert.equal(await page.textContent('[data-testid="rules-message"]'), "已保存。");

  // Half the members' items are set aside (planned calls stay) and marked once.
  await page.click('[data-testid="nav-today"]');
  await page.waitForSelector('[data-testid="today-hold-out"]');
  await page.waitForSelector('[data-testid="save-state"][data-state="saved"]');
  const held = await heldMarks();
  const after = await total();
  assert.ok(held.length > 0 && after > 0, `${held.length} held out, ${after} left`);
  assert.equal(after + held.length, before);
  assert.ok(held.every((m) => inHoldOut(m.member, 50) && !m.key.startsWith("planned:")));
  const shown = await page.locator('[data-testid="today-name"]').evaluateAll((as) => as.map((a) => Number(a.getAttribute("href").split("/").pop())));
  const planned = await page.locator('[data-testid="today-item"][data-trigger="planned"] [data-testid="today-name"]').count();
  assert.equal(shown.filter((id) => inHoldOut(id, 50)).length, planned, "only planned calls of held-out members are shown");
  await shot(page, "today-hold-out-zh-390x844");
  await page.reload();
  await ready(page);
  await page.waitForSelector('[data-testid="today-hold-out"]');
  assert.equal(await total(), after);
  assert.equal((await heldMarks()).length, held.length, "set aside once, not again on every visit");

  // A held-out member's birthday 20 days ago, and a purchase 5 days after it.
  const member = held[0].member;
  await page.evaluate(async ([member, on, at]) => globalThis.clienteleDb.write(JSON.stringify([
    { _id: "f:t:zz-e2e-hold:000000", d: [{ member, key: `birthday:${on}`, on, action: "held_out" }] },
    { _id: "f:p:zz-e2e-hold:000000", d: [{ receipt: "T-H1", member, at, amount: 9900, store: "" }] },
  ])), [member, iso(daysFromNow(-20)), `${iso(daysFromNow(-15))}T12:00:00`]);
  await page.reload();
  await ready(page);
  await page.click('[data-testid="nav-care"]');
  await page.click('[data-testid="tab-results"]');
  const heldRow = page.locator('[data-testid="results-held-row"][data-occasion="birthday"]');
  const cells = (await heldRow.locator("td").allTextContents()).map((t) => t.trim());
  assert.equal(cells[0], "对照组");
  assert.equal(cells[2], "1 / 1 · 100%");
  await page.waitForSelector('[data-testid="results-held-hint"]');
  for (const [w, h] of SIZES) {
    await page.setViewportSize({ width: w, height: h });
    await heldRow.scrollIntoViewIfNeeded();
    await shot(page, `care-results-hold-out-zh-${w}x${h}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the results overflow by ${overflow}px at ${w}x${h}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
