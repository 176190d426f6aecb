// An error as the console's Rust side reads it (src/storage.rs, `named`):
// JSON {name, message} in the message. PouchDB and IndexedDB reject with
// objects of many shapes; IndexedDB's own cause (a full disk:
// QuotaExceededError) is in `reason`.
export function failure(e) {
  const name = (e && (e.name || e.error)) || "Error";
  const reason = String((e && e.reason) || "");
  const message = [e && e.message, reason].filter(Boolean).join(": ") || String(e);
  const quota = [name, message].some((t) => /quota/i.test(t));
  return new Error(JSON.stringify({ name: quota ? "QuotaExceededError" : name, message }));
}
