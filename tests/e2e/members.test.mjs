// Member records at the counter: add with only a name and mobile, edit the
// profile step by step, refuse duplicates with a clear message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser, server, browser, ready, shot, watchErrors, openConsole, storedStore, SIZES, register } from "./harness.mjs";

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

// Member ids from this device's series (docs/store-format.md, "Member ids"):
// a store from before keeps its ids, a new member gets an id with the
// device's tag, kept on the device, and the next one counts on. A card
// number that two devices gave out offline is listed, and its holders stay
// editable.
test("new members get this device's ids; a card number given out twice is listed", async () => {
  const SERIES = 2 ** 21;
  const otherDevice = 5 * SERIES + 1;
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url);
  await ready(page);
  await page.evaluate(
    (env) => localStorage.setItem("clientele.store", env),
    JSON.stringify({
      schema: 1,
      rev: 1,
      saved_at: "2026-11-30T10:00:00Z",
      data: {
        members: [
          { id: 1, card_no: "VIP000001", name: "Ann", mobile: "13700001111", joined: "2025-03-01" },
          { id: 2, card_no: "VIP000002", name: "Bea", mobile: "13700002222", joined: "2025-04-01" },
          { id: otherDevice, card_no: "VIP000002", name: "Cai", mobile: "13700003333", joined: "2026-11-01" },
        ],
      },
    }),
  );
  await page.reload();
  await ready(page);
  await page.click('[data-testid="nav-members"]');
  await page.waitForSelector('[data-testid="shared-cards"]');
  assert.match(await page.textContent('[data-testid="shared-cards"]'), /VIP000002: ?Bea ?Cai/);

  // A holder of the shared card is still editable.
  await page.locator('[data-testid="shared-card-holder"]', { hasText: "Cai" }).click();
  assert.equal(new URL(page.url()).pathname, `/members/${otherDevice}`);
  await page.click('[data-testid="edit-member"]');
  await page.fill('[data-testid="f-birthday"]', "1990-03-08");
  await page.click('[data-testid="save-member"]');
  await page.waitForSelector('[data-testid="member-name"]');

  const enrol = async (name, mobile) => {
    await page.click('[data-testid="nav-members"]');
    await page.click('[data-testid="add-member"]');
    await page.fill('[data-testid="f-name"]', name);
    await page.fill('[data-testid="f-mobile"]', mobile);
    await page.click('[data-testid="save-member"]');
    await page.waitForSelector('[data-testid="member-name"]');
    return Number(new URL(page.url()).pathname.split("/").pop());
  };
  const first = await enrol("Dai", "13700004444");
  const tag = Math.floor(first / SERIES);
  assert.ok(tag >= 1 && tag < 2 ** 31, `tag ${tag}`);
  assert.equal(first % SERIES, 1);
  assert.equal(await page.evaluate(() => localStorage.getItem("clientele.device_tag")), String(tag));
  await page.waitForTimeout(600);
  await page.reload();
  await ready(page);
  assert.equal(await enrol("Eve", "13700005555"), first + 1, "the tag is kept and the series counts on");
  await page.waitForTimeout(600);
  const stored = await storedStore(page);
  assert.deepEqual(
    stored.members.map((m) => [m.id, m.card_no]),
    [
      [1, "VIP000001"],
      [2, "VIP000002"],
      [otherDevice, "VIP000002"],
      [first, "VIP000003"],
      [first + 1, "VIP000004"],
    ].sort((a, b) => a[0] - b[0]),
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test("several shops: this device's shop goes on new members, sales, plans and contacts; the list shows each shop's members, this shop's first", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 820, height: 1180 }, locale: "en-US" });
  await page.click('[data-testid="nav-settings"]');
  await page.fill('[data-testid="device-shop"]', "Riverside");
  await page.press('[data-testid="device-shop"]', "Tab");

  // A member enrolled and a sale made at this device carry its shop.
  await register(page, "Ines Park", "13700003333");
  await page.click('[data-testid="tab-sale"]');
  await page.fill('[data-testid="sale-amount"]', "120");
  await page.waitForSelector('[data-testid="sale-preview"]');
  await page.click('[data-testid="sale-confirm"]');
  await page.waitForSelector('[data-testid="flash-ok"]');
  await page.waitForFunction(async () => {
    const rows = JSON.parse(await globalThis.clienteleDb.readAll());
    const member = rows.find((r) => r[0].startsWith("m:") && r[2].d.mobile === "13700003333");
    const sold = rows.some((r) => r[0].startsWith("f:p:") && r[2].d.some((p) => p.member === member?.[2].d.id && p.store === "Riverside"));
    return member && member[2].d.store === "Riverside" && sold;
  });
  // A call planned here carries the shop too, and the plan says where.
  await page.click('[data-testid="nav-care"]');
  await page.click('[data-testid="tab-plan"]');
  await page.fill('[data-testid="plan-find"]', "Ines Park");
  await page.locator('[data-testid="plan-pick"]').first().click();
  await page.fill('[data-testid="plan-what"]', "Fitting call");
  await page.click('[data-testid="plan-add"]');
  const planned = page.locator('[data-testid="plan-open"] [data-testid="plan-row"]', { hasText: "Fitting call" });
  assert.match(await planned.locator('[data-testid="plan-by"]').textContent(), /Riverside/);
  await page.waitForFunction(async () => {
    const rows = JSON.parse(await globalThis.clienteleDb.readAll());
    return rows.some((r) => r[0].startsWith("k:") && r[2].d.what === "Fitting call" && r[2].d.shop === "Riverside");
  });

  // The demo's three shops: this device's members come first; a shop's chip lists its members.
  await page.click('[data-testid="nav-members"]');
  await page.waitForSelector('[data-testid="shop-chip"]');
  const chips = await page.locator('[data-testid="shop-chip"]').allTextContents();
  assert.deepEqual(chips.sort(), ["Flagship", "Mall", "Riverside"]);
  const total = Number((await page.textContent('[data-testid="member-count"]')).replace(/[^0-9]/g, ""));
  await page.locator('[data-testid="member-row"]').first().click();
  await page.waitForSelector('[data-testid="member-name"]');
  assert.match(await page.textContent("main"), /Riverside/, "this shop's members first");
  await page.click('[data-testid="nav-members"]');
  await page.locator('[data-testid="shop-chip"]', { hasText: "Mall" }).click();
  await page.waitForURL(/shop=Mall/);
  const mall = Number((await page.textContent('[data-testid="member-count"]')).replace(/[^0-9]/g, ""));
  assert.ok(mall > 0 && mall < total, `${mall} of ${total}`);
  await shot(page, "members-shops-en-820x1180");

  // The dashboard and segments show one shop's members when chosen.
  const stat = async (id) => Number((await page.textContent(`[data-testid="${id}"] .stat-value`)).replace(/[^0-9]/g, ""));
  await page.click('[data-testid="nav-"]');
  await page.waitForSelector('[data-testid="stat-members"]');
  const all = await stat("stat-members");
  await page.selectOption('[data-testid="shop-picker"]', "Mall");
  await page.waitForFunction((all) => {
    const t = document.querySelector('[data-testid="stat-members"] .stat-value')?.textContent || "";
    const n = Number(t.replace(/[^0-9]/g, ""));
    return n > 0 && n < all;
  }, all);
  await shot(page, "dashboard-shop-en-820x1180");
  // A number's link keeps the shop: the list is the shop's active members,
  // and one tap shows the whole boutique's.
  const count = async () => Number((await page.textContent('[data-testid="member-count"]')).replace(/[^0-9]/g, ""));
  await page.click('[data-testid="stat-active"]');
  await page.waitForURL(/list=active&in=Mall/);
  await page.waitForSelector('[data-testid="filter-in-shop"]');
  const activeInMall = await count();
  await page.click('[data-testid="filter-in-shop"] a');
  await page.waitForSelector('[data-testid="filter-in-shop"]', { state: "detached" });
  const activeAll = await count();
  assert.ok(activeInMall > 0 && activeInMall < activeAll, `${activeInMall} of ${activeAll}`);
  // The members number opens the shop's list.
  await page.click('[data-testid="nav-"]');
  await page.selectOption('[data-testid="shop-picker"]', "Mall");
  await page.click('[data-testid="stat-members"]');
  await page.waitForURL(/shop=Mall/);
  assert.equal(await count(), mall);
  await page.click('[data-testid="nav-segments"]');
  assert.equal(await page.inputValue('[data-testid="shop-picker"]'), "Mall", "the choice holds across pages");
  assert.deepEqual(errors, []);
  await context.close();
});

test("two records of one customer are compared side by side at every size, in both languages, and merged", async () => {
  for (const [locale, lang] of [
    ["zh-CN", "zh"],
    ["en-US", "en"],
  ]) {
    const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale }, "start-empty");
    // The same name and birthday, enrolled twice with two mobiles.
    for (const mobile of ["13700005551", "13700005552"]) {
      await page.click('[data-testid="nav-members"]');
      await page.click('[data-testid="add-member"]');
      await page.fill('[data-testid="f-name"]', "温丽 Wen Li");
      await page.fill('[data-testid="f-mobile"]', mobile);
      await page.fill('[data-testid="f-birthday"]', "1990-03-08");
      await page.click('[data-testid="save-member"]');
      await page.waitForSelector('[data-testid="member-name"]');
    }
    await page.click('[data-testid="nav-members"]');
    await page.click('[data-testid="duplicates-summary"]');
    await page.click('[data-testid="duplicate-compare"]');
    await page.waitForSelector('[data-testid="merge-preview"]');
    const fields = await page.locator('[data-testid="merge-field"]').evaluateAll((fs) => fs.map((f) => f.dataset.field));
    assert.ok(fields.includes("mobile") && !fields.includes("name"), fields.join());
    for (const [w, h] of SIZES) {
      await page.setViewportSize({ width: w, height: h });
      await shot(page, `members-duplicates-${lang}-${w}x${h}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the comparison overflows by ${overflow}px at ${w}x${h} (${lang})`);
    }
    await page.click('[data-testid="merge-confirm"]');
    await page.waitForSelector('[data-testid="duplicate-merged"]');
    assert.equal(Number((await page.textContent('[data-testid="member-count"]')).replace(/[^0-9]/g, "")), 1);
    assert.equal((await storedStore(page)).merges.length, 1, "the merge is in the store's history");
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("a message in one tap: only with consent, the occasion's words filled in, sent or copied, and logged as a contact (zh)", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await register(page, "苏梅", "13700009999");
  await page.click('[data-testid="nav-members"]');
  await page.fill('[data-testid="member-search"]', "13700009999");
  await page.locator('[data-testid="member-row"]').first().click();
  // No consent yet: no channel is offered, and the page says why.
  await page.waitForSelector('[data-testid="msg-no-consent"]');
  assert.equal(await page.locator('[data-testid="msg-sms"]').count(), 0);
  await page.click('[data-testid="edit-member"]');
  await page.check('[data-testid="f-consent-sms"]');
  await page.click('[data-testid="save-member"]');
  await page.waitForSelector('[data-testid="msg-sms"]');
  assert.equal(await page.locator('[data-testid="msg-email"]').count(), 0, "no e-mail consent, no e-mail");
  // The birthday words, filled with her name; the SMS link carries them.
  await page.selectOption('[data-testid="msg-occasion"]', "birthday");
  await page.waitForFunction(() => document.querySelector('[data-testid="msg-text"]').value.startsWith("苏梅，生日快乐"));
  const text = await page.inputValue('[data-testid="msg-text"]');
  assert.equal(await page.getAttribute('[data-testid="msg-sms"]', "href"), `sms:13700009999?body=${encodeURIComponent(text).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())}`);
  await page.locator('[data-testid="send-message"]').scrollIntoViewIfNeeded();
  await shot(page, "member-message-zh-390x844");
  // Copied for WeChat, and logged without more typing.
  await page.click('[data-testid="msg-wechat"]');
  await page.waitForSelector('[data-testid="msg-logged"]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
  assert.match(await page.textContent('main'), /复制到微信 · 生日祝福/);
  assert.deepEqual(errors, []);
  await context.close();
});
