// WebKit's private browsing: MiniBrowser in automation mode keeps website
// data in memory only (an ephemeral session, as Safari's private tabs).
// There, storing a Blob in IndexedDB fails ("Error preparing Blob/File data
// to be stored in object store") and the transaction that tried it never
// completes nor aborts, with requests made before it left unanswered.
// PouchDB's idb adapter puts a Blob in the transaction that opens the
// database (its blob-support check), so PouchDB's open never settles. The
// console opens without it (js/db.js reads the stores itself), and once
// the first screen is up js/db.js gives PouchDB's open a time limit.
import assert from "node:assert/strict";
import { useWebKit, webkitTest, driver, server, watchErrors } from "./harness.mjs";

useWebKit();

webkitTest(
  "in WebKit's private browsing the console opens, or says it cannot save",
  { timeout: 60_000 },
  async () => {
    const s = await driver.session({ miniBrowser: true });
    try {
      await s.goto(server.url);
      await watchErrors(s);
      // The welcome screen at once; PouchDB's open gets 8 s after it,
      // then the console works in memory and says so.
      await s.waitForSelector(".shell", { timeout: 20_000 });
      assert.ok(await s.run(() => !!document.querySelector('[data-testid="open-demo"]')));
      await s.waitForSelector('[data-testid="storage-banner"]', { timeout: 15_000 });
    } finally {
      await s.quit();
    }
  }
);
