// Care end to end: mark a call done and see it leave the overdue list, add
// plan items and mark one done, reload and find both stored; screenshots
// of every Care tab in both languages at both tablet sizes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser, server, browser, ready, shot, watchErrors, openConsole, storedStore } from "./harness.mjs";

const TABS = ["days", "calls", "plan", "log", "referrals", "winback"];

useBrowser();

async function openCare(browser, viewport, locale) {
  const { context, page, errors } = await openConsole({ viewport, locale, hasTouch: true });
  await page.click('[data-testid="nav-care"]');
  await page.waitForSelector('[data-testid="tab-days"]');
  return { context, page, errors };
}

/// One call done and one open plan item, so the log and plan tabs show rows.
async function seed(page) {
  await page.click('[data-testid="tab-calls"]');
  const row = page.locator('[data-testid="overdue-list"] [data-testid="call-row"]').first();
  const name = (await row.locator(".care-name").textContent()).trim();
  await row.locator('[data-testid="call-done"]').click();
  await page.fill('[data-testid="contact-note"]', "OK");
  await page.click('[data-testid="contact-save"]');
  await page.click('[data-testid="tab-plan"]');
  await page.fill('[data-testid="plan-find"]', name);
  await page.locator('[data-testid="plan-pick"]').first().click();
  await page.fill('[data-testid="plan-what"]', "Lookbook / 新季画册");
  await page.click('[data-testid="plan-add"]');
  await page.waitForSelector('[data-testid="plan-open"] [data-testid="plan-row"]');
}

const storedCare = async (page) => (await storedStore(page)).care;

test("call done leaves the overdue list; plan items are added, done and kept", async () => {
  const { context, page, errors } = await openCare(browser, { width: 1024, height: 768 }, "zh-CN");
  await page.waitForSelector('[data-testid="days-row"], [data-testid="days-empty"]');

  // The call plan: the most overdue member first.
  await page.click('[data-testid="tab-calls"]');
  const first = page.locator('[data-testid="overdue-list"] [data-testid="call-row"]').first();
  await first.waitFor();
  const member = await first.getAttribute("data-member");
  const name = (await first.locator(".care-name").textContent()).trim();
  const heading = () => page.textContent('[data-testid="overdue-list"] h2');
  const overdueBefore = Number((await heading()).replace(/[^0-9]/g, ""));
  await first.locator('[data-testid="call-done"]').click();
  const form = page.locator('[data-testid="overdue-list"] [data-testid="contact-form"]');
  await form.waitFor();
  await form.locator('[data-testid="contact-outcome"]').selectOption({ label: "有兴趣" });
  await form.locator('[data-testid="contact-note"]').fill("新品到店后来看");
  await shot(page, "care-callform-zh-1024x768");
  await form.locator('[data-testid="contact-save"]').click();
  await page.waitForFunction(
    (id) => !document.querySelector(`[data-testid="overdue-list"] [data-member="${id}"]`),
    member
  );
  assert.equal(Number((await heading()).replace(/[^0-9]/g, "")), overdueBefore - 1);

  // The maintenance plan: find the same member, add two items, finish one.
  await page.click('[data-testid="tab-plan"]');
  await page.waitForSelector('[data-testid="plan-empty"]');
  await page.fill('[data-testid="plan-find"]', name);
  await page.locator('[data-testid="plan-pick"]').first().click();
  await page.fill('[data-testid="plan-what"]', "寄送新季画册");
  await page.click('[data-testid="plan-add"]');
  await page.fill('[data-testid="plan-what"]', "新品到店电话邀约");
  await page.fill('[data-testid="plan-due"]', "2099-01-31");
  await page.click('[data-testid="plan-add"]');
  const rows = page.locator('[data-testid="plan-open"] [data-testid="plan-row"]');
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="plan-open"] [data-testid="plan-row"]').length === 2
  );
  assert.match(await rows.first().textContent(), /寄送新季画册/, "soonest due first");
  await rows.first().locator('[data-testid="plan-done"]').click();
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="plan-open"] [data-testid="plan-row"]').length === 1
  );

  // Reload: the contact and both plan items are stored.
  await page.waitForTimeout(700); // the debounced save
  await page.reload();
  await ready(page);
  await page.click('[data-testid="nav-care"]');
  await page.click('[data-testid="tab-log"]');
  const log = page.locator('[data-testid="log-row"]').first();
  await log.waitFor();
  assert.match(await log.textContent(), /新品到店后来看/);
  assert.match(await log.textContent(), new RegExp(name));
  await page.click('[data-testid="tab-plan"]');
  await page.waitForSelector('[data-testid="plan-open"] [data-testid="plan-row"]');
  const open = await page.locator('[data-testid="plan-open"] [data-testid="plan-row"]').allTextContents();
  assert.equal(open.length, 1);
  assert.match(open[0], /新品到店电话邀约/);
  const care = await storedCare(page);
  const done = care.plan.find((p) => p.what === "寄送新季画册");
  assert.ok(done?.done_on, "the finished item is stored with its date");
  assert.equal(care.contacts.at(-1).outcome, "interested");
  assert.equal(String(care.contacts.at(-1).member), member);

  // The call stays done after the reload.
  await page.click('[data-testid="tab-calls"]');
  await page.waitForSelector('[data-testid="overdue-list"] [data-testid="call-row"]');
  assert.equal(await page.locator(`[data-testid="overdue-list"] [data-member="${member}"]`).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an at-risk VIP's reason for leaving is recorded, counted, kept and cleared", async () => {
  const { context, page, errors } = await openCare(browser, { width: 1024, height: 768 }, "en-US");
  await page.click('[data-testid="tab-winback"]');
  const row = page.locator('[data-testid="at-risk-row"]').first();
  await row.waitFor();
  const member = await row.getAttribute("data-member");
  const count = async (reason) =>
    Number(await page.locator(`[data-testid="churn-count"][data-reason="${reason}"] strong`).textContent());
  const before = await count("Competitor");

  // "Other" without a note is refused and nothing is stored.
  await row.locator('[data-testid="churn-open"]').click();
  const form = page.locator('[data-testid="churn-form"]');
  await form.locator('[data-testid="churn-reason"]').selectOption({ label: "Other" });
  await form.locator('[data-testid="churn-save"]').click();
  assert.match(await form.locator('[role="alert"]').textContent(), /write what the reason was/);

  await form.locator('[data-testid="churn-reason"]').selectOption({ label: "A competitor" });
  await form.locator('[data-testid="churn-note"]').fill("New shop opened across the street");
  await form.locator('[data-testid="churn-save"]').click();
  const recorded = page.locator(`[data-testid="at-risk-row"][data-member="${member}"] [data-testid="churn-recorded"]`);
  await recorded.waitFor();
  assert.match(await recorded.textContent(), /A competitor.*New shop opened/);
  assert.equal(await count("Competitor"), before + 1);

  await page.waitForTimeout(700); // the debounced save
  await page.reload();
  await ready(page);
  await page.click('[data-testid="nav-care"]');
  await page.click('[data-testid="tab-winback"]');
  await recorded.waitFor();
  const stored = (await storedStore(page)).members.find((m) => String(m.id) === member).churn;
  assert.equal(stored.reason, "competitor");

  // Won back: the record goes and the count drops again.
  await page.click(`[data-testid="at-risk-row"][data-member="${member}"] [data-testid="churn-clear"]`);
  await page.waitForFunction(
    (id) => !document.querySelector(`[data-testid="at-risk-row"][data-member="${id}"] [data-testid="churn-recorded"]`),
    member
  );
  assert.equal(await count("Competitor"), before);
  assert.deepEqual(errors, []);
  await context.close();
});

test("every Care tab in both languages at tablet sizes, no sideways scroll", async () => {
  for (const [w, h] of [
    [1024, 768],
    [820, 1180],
    [390, 844],
  ]) {
    for (const locale of ["zh-CN", "en-US"]) {
      const lang = locale.startsWith("zh") ? "zh" : "en";
      const { context, page, errors } = await openCare(browser, { width: w, height: h }, locale);
      await seed(page);
      for (const tab of TABS) {
        await page.click(`[data-testid="tab-${tab}"]`);
        await page.waitForSelector(`[data-testid="tab-${tab}"][aria-selected="true"]`);
        if (tab === "days") await page.click('[data-testid="days-30"]');
        const small = await page.evaluate(() =>
          [...document.querySelectorAll("main button, main a, main input, main select")]
            .filter((el) => el.offsetParent !== null)
            .map((el) => ({ el: el.outerHTML.slice(0, 80), r: el.getBoundingClientRect() }))
            .filter(({ r }) => r.height < 44 || r.width < 44)
            .map(({ el, r }) => `${el} ${Math.round(r.width)}x${Math.round(r.height)}`)
        );
        assert.deepEqual(small, [], `${tab} at ${w}x${h} ${lang}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${tab} at ${w}x${h} scrolls sideways by ${overflow}px`);
        if (w !== 390 || tab === "calls") await shot(page, `care-${tab}-${lang}-${w}x${h}`);
      }
      assert.deepEqual(errors, []);
      await context.close();
    }
  }
});
