// What js/db.js and js/pouch.js share.

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

// A script beside this one, once; `global` is the name it defines. A
// failed fetch is tried again on the next call.
const scripts = {};
export function loadScript(src, global) {
  if (globalThis[global]) return Promise.resolve(globalThis[global]);
  if (!scripts[src]) {
    scripts[src] = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve(globalThis[global]);
      script.onerror = () => {
        delete scripts[src];
        script.remove();
        reject({ name: "unreachable", message: `${src} could not be fetched` });
      };
      document.head.appendChild(script);
    });
  }
  return scripts[src];
}
