// Dashboard: programme health for the demo boutique matches the stored
// data, and every number opens the members behind it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser, shotsAtSizes, server, browser, ready, shot, watchErrors, openConsole, storedStore } from "./harness.mjs";

useBrowser();

const num = (t) => Number(t.replace(/[^0-9.]/g, ""));
// The first number in a sentence such as "801 bought in the last 12 months".
const first = (t) => Number(t.match(/[0-9][0-9,]*/)[0].replace(/,/g, ""));

// The health definitions (engine/src/analytics/health.rs) recomputed from the saved
// store in the page, independently of the engine.
function figuresFromStorage(s) {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  const day = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const today = day(now);
  const yearAgo = `${now.getFullYear() - 1}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const net = new Map();
  const first = new Map();
  s.purchases.forEach((p, i) => {
    if (p.at.slice(0, 10) <= today && !first.has(p.receipt)) {
      first.set(p.receipt, i);
      net.set(i, p.amount);
    }
  });
  for (const r of s.returns || []) {
    const i = first.get(r.receipt);
    if (r.at.slice(0, 10) <= today && i !== undefined) net.set(i, net.get(i) - r.amount);
  }
  const active = new Set();
  const count = new Map();
  s.purchases.forEach((p, i) => {
    if (first.get(p.receipt) !== i) return;
    if (net.get(i) <= 0 && p.amount > 0) return;
    count.set(p.member, (count.get(p.member) || 0) + 1);
    if (p.at.slice(0, 10) > yearAgo) active.add(p.member);
  });
  const ids = new Set(s.members.map((m) => m.id));
  const buyers = [...count.keys()].filter((m) => ids.has(m));
  return {
    members: s.members.length,
    active: [...active].filter((m) => ids.has(m)).length,
    buyers: buyers.length,
    repeaters: buyers.filter((m) => count.get(m) >= 2).length,
  };
}

async function listCount(page) {
  await page.waitForSelector('[data-testid="member-filter"]');
  return num(await page.textContent('[data-testid="member-count"]'));
}

test("health figures match the data and open their members", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  await page.waitForSelector('[data-testid="stat-active"]');
  const f = await page.evaluate(figuresFromStorage, await storedStore(page));

  assert.equal(num(await page.textContent('[data-testid="stat-members"] .stat-value')), f.members);
  // Active share: the percentage and the count behind it.
  const activeDetail = await page.textContent('[data-testid="stat-active"] .stat-detail');
  assert.equal(first(activeDetail), f.active);
  const activePct = num(await page.textContent('[data-testid="stat-active"] .stat-value'));
  assert.ok(Math.abs(activePct - (100 * f.active) / f.members) < 0.1, `${activePct} vs ${f.active}/${f.members}`);
  const repeatPct = num(await page.textContent('[data-testid="stat-repeat"] .stat-value'));
  assert.ok(Math.abs(repeatPct - (100 * f.repeaters) / f.buyers) < 0.1, `${repeatPct} vs ${f.repeaters}/${f.buyers}`);

  // The Pareto curve and the growth chart are drawn.
  assert.equal(await page.locator(".pareto polyline").count(), 1);
  assert.equal(await page.locator(".bar-chart rect").count(), 12);
  await shot(page, "dashboard-en-1024x768");

  // Clicking a number opens exactly the members behind it.
  await page.click('[data-testid="stat-active"]');
  await page.waitForFunction(() => location.search === "?list=active");
  assert.equal(await listCount(page), f.active);
  await page.goBack();
  await page.click('[data-testid="stat-repeat"]');
  assert.equal(await listCount(page), f.repeaters);
  await page.goBack();
  const tierRow = page.locator('[data-testid="tier-row"]').first();
  const tierMembers = num(await tierRow.locator(".num").first().textContent());
  await tierRow.click();
  assert.equal(await listCount(page), tierMembers);
  await page.goBack();
  const churnDetail = await page.textContent('[data-testid="stat-churn"] .stat-detail');
  const churned = first(churnDetail);
  await page.click('[data-testid="stat-churn"]');
  assert.equal(await listCount(page), churned);
  // Back to everyone.
  await page.click('[data-testid="filter-clear"]');
  await page.waitForFunction(() => location.search === "");
  assert.equal(num(await page.textContent('[data-testid="member-count"]')), f.members);

  // Today's work: the calls due number matches its list.
  await page.click('[data-testid="nav-"]');
  const calls = num(await page.textContent('[data-testid="stat-calls"] .stat-value'));
  await page.click('[data-testid="stat-calls"]');
  assert.equal(await listCount(page), calls);
  assert.deepEqual(errors, []);
  await context.close();
});

// Taken once the analysis is in (fetched after the first paint): its
// at-risk list and today's counts are part of the dashboard.
test("dashboard screenshots in both languages and three sizes", () =>
  shotsAtSizes("dashboard", { selector: '[data-testid="at-risk-list"] li >> nth=0' }));
