// Clientele's service worker: the console opens and works with the network
// off. Trunk hashes file names, so the build writes the exact list here
// (scripts/sw-precache.sh); anything else same-origin is cached when first
// fetched. Customer data never passes through here: it lives in IndexedDB.
// Paths are relative to this file, so the console works at a host's root or
// under a sub-path; its scope is the folder it was served from.
const VERSION = "dev /*VERSION*/";
const PRECACHE = [] /*PRECACHE*/;
const CACHE = "clientele-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith("clientele-") && k !== CACHE).map((k) => caches.delete(k)))
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate") {
    // Network first so a new version shows up; the cached shell when offline,
    // and for a deep link (/clientele/members/5) that a host without
    // rewrites answers with 404: the shell finds its folder from the address.
    const shell = new URL("./", self.registration.scope).href;
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && response.headers.get("content-type")?.includes("text/html")) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(shell, copy));
            return response;
          }
          return caches.match(shell).then((cached) => cached || response);
        })
        .catch(() => caches.match(shell).then((cached) => cached || caches.match("index.html")))
    );
    return;
  }

  // Hashed assets never change under the same name: cache first.
  event.respondWith(
    caches.match(request).then(
      (hit) =>
        hit ||
        fetch(request).then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
    )
  );
});
