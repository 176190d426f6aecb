// A member's code (会员码): the member page shows the card number as a QR
// code; at the counter a scanner types it with Enter, and the camera reads
// it. The camera is Chromium's fake device playing a video file of the
// very code the member page drew, so the whole path (camera, scan.js's
// reader, the pick) runs as on a tablet.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { useBrowser, server, launch, openConsole, ready, shot } from "./harness.mjs";

useBrowser();

/// A two-frame Y4M video (looped by Chromium) of a QR code's dark squares
/// (`[x, y]` in modules, as the member page's SVG path has them), 8 pixels
/// a module, black on white in the middle of 640x480.
function y4m(squares, size, file) {
  const [W, H, scale] = [640, 480, 8];
  const y = Buffer.alloc(W * H, 235);
  const x0 = Math.floor((W - size * scale) / 2);
  const y0 = Math.floor((H - size * scale) / 2);
  for (const [mx, my] of squares) {
    for (let dy = 0; dy < scale; dy++) {
      y.fill(16, (y0 + my * scale + dy) * W + x0 + mx * scale, (y0 + my * scale + dy) * W + x0 + (mx + 1) * scale);
    }
  }
  const uv = Buffer.alloc((W * H) / 4, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), y, uv, uv]);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}

test("a member's code: on the member page, typed by a scanner, read by the counter's camera", async () => {
  const { context, page, errors } = await openConsole({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
  await page.click('[data-testid="nav-members"]');
  await page.locator('[data-testid="member-row"]').nth(3).click();
  await page.waitForSelector('[data-testid="member-qr"] path');
  const card = (await page.textContent('[data-testid="member-card-no"]')).trim();
  const name = (await page.textContent('[data-testid="member-name"]')).trim();
  const d = await page.getAttribute('[data-testid="member-qr"] path', "d");
  const size = Number((await page.getAttribute('[data-testid="member-qr"]', "viewBox")).split(" ")[2]);
  await page.locator('[data-testid="member-code"]').scrollIntoViewIfNeeded();
  await shot(page, "member-code-en-1024x768");
  await page.click('[data-testid="lang-switch"]');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('[data-testid="member-code"]').scrollIntoViewIfNeeded();
  await shot(page, "member-code-zh-390x844");
  await page.click('[data-testid="lang-switch"]');
  await page.setViewportSize({ width: 1024, height: 768 });

  // A scanner types the card number and Enter: the member is picked at once.
  await page.click('[data-testid="nav-checkout"]');
  await page.fill('[data-testid="checkout-find"]', card);
  await page.press('[data-testid="checkout-find"]', "Enter");
  await page.waitForSelector('[data-testid="checkout-member"]');
  assert.equal((await page.textContent('[data-testid="checkout-member"]')).trim(), `${name} · ${card}`);
  assert.deepEqual(errors, []);
  await context.close();

  // The counter's camera shows that code.
  const squares = [...d.matchAll(/M(\d+),(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const file = path.join(os.tmpdir(), `clientele-code-${process.pid}.y4m`);
  y4m(squares, size, file);
  const camera = await launch([
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-video-capture=${file}`,
  ]);
  try {
    const ctx = await camera.newContext({ viewport: { width: 820, height: 1180 }, locale: "en-US" });
    const p = await ctx.newPage();
    await p.goto(server.url);
    await ready(p);
    await p.click('[data-testid="open-demo"]');
    await p.waitForSelector('[data-testid="nav-members"]');
    await p.click('[data-testid="nav-checkout"]');
    await p.click('[data-testid="scan-open"]');
    await p.waitForSelector('[data-testid="scan-camera"] video');
    await shot(p, "checkout-camera-en-820x1180");
    await p.waitForSelector('[data-testid="checkout-member"]', { timeout: 30_000 });
    assert.equal((await p.textContent('[data-testid="checkout-member"]')).trim(), `${name} · ${card}`);
    assert.equal(await p.locator('[data-testid="scan-camera"]').count(), 0, "the camera closes once the code is read");
    await ctx.close();
  } finally {
    await camera.close();
    fs.rmSync(file, { force: true });
  }
});
