// Points & Tiers: the ladder against the target pyramid, the liability,
// and calibrating thresholds to 80/15/5/1 on the store's own data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser, server, browser, ready, shot, watchErrors, openConsole } from "./harness.mjs";

useBrowser();

const pct = (t) => Number(t.replace(/[^0-9.]/g, ""));

for (const [locale, lang] of [
  ["zh-CN", "zh"],
  ["en-US", "en"],
]) {
  test(`ladder, liability and calibration (${lang})`, async () => {
    const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale });
    await page.click('[data-testid="nav-points"]');
    await page.waitForSelector('[data-testid="points-totals"]');
    assert.equal(await page.locator('[data-testid="tier-table"] .tr:not(.th)').count(), 4);

    // The default target is 80/15/5/1: the suggested thresholds produce at
    // most those shares (ties are never split), and not far below them.
    const results = (await page.locator('[data-testid="resulting-share"]').allTextContents()).map(pct);
    const targets = [15, 5, 1];
    results.forEach((r, i) => assert.ok(r <= targets[i] && r >= targets[i] * 0.8, `tier ${i + 1}: ${r}% for ${targets[i]}%`));
    const before = await page.locator('[data-testid="suggested-threshold"]').first().textContent();

    // Asking for a wider second tier lowers its threshold.
    await page.locator('[data-testid="target-share"]').first().fill("30");
    await page.waitForFunction(
      (b) => document.querySelector('[data-testid="suggested-threshold"]').textContent !== b,
      before
    );
    const widened = pct(await page.locator('[data-testid="resulting-share"]').first().textContent());
    assert.ok(widened > 25 && widened <= 30, `${widened}`);
    await shot(page, `points-${lang}-1024x768`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
