// The service worker: opens the report form with no signal, and sends the reports kept
// on the phone when the signal returns (Background Sync, where the browser has it).
// Drawn by Django (livingwell/offline/views.py) so that it names the version of what it
// keeps: a new version of the app changes this file, which is how the browser finds it.
"use strict";
const SETTINGS = {{ settings|safe }};
const CACHE = "livingwell-" + SETTINGS.version;
importScripts({{ store_script|safe }});

self.addEventListener("install", (event) => {
  // "reload": fetch each file from the server, not from the browser's HTTP cache, so a
  // new version never keeps an old file.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(SETTINGS.kept.map((url) => new Request(url, { cache: "reload", credentials: "omit" })))
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => name.startsWith("livingwell-") && name !== CACHE).map((name) => caches.delete(name)))
      )
      .then(() => self.clients.claim())
  );
});

// A new version waits until the volunteer chooses to reload (a form half filled in is
// never swapped for a new one under their fingers).
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") {
    self.skipWaiting();
  }
});

// How long a page may take before the kept report form or "My concerns" is shown instead:
// one bar of signal can hold a page for minutes, and the volunteer is in the kitchen now.
const PATIENCE_MS = 8000;

// Which kept page stands in for a page the phone cannot reach.
function standIn(path) {
  if (path.startsWith(SETTINGS.reportForm)) {
    return SETTINGS.keptReportForm;
  }
  if (path.startsWith(SETTINGS.myConcerns)) {
    return SETTINGS.keptWaiting;
  }
  return SETTINGS.noSignal;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return; // Sending goes straight to the server; the page keeps what could not go.
  }
  if (request.mode === "navigate") {
    // Pages are always fetched from the server while there is signal: only the kept
    // pages, which hold nobody's details, are ever answered from the phone.
    const keptPage = SETTINGS.kept.includes(url.pathname) ? url.pathname : standIn(url.pathname);
    const fromServer = fetch(request);
    fromServer.catch(() => {}); // Answered from the phone instead: nothing more to do.
    const answer =
      keptPage === SETTINGS.noSignal
        ? fromServer
        : Promise.race([fromServer, new Promise((resolve) => setTimeout(resolve, PATIENCE_MS)).then(() => fromPhone(keptPage))]);
    event.respondWith(answer.catch(() => fromPhone(keptPage)));
    return;
  }
  if (url.pathname.startsWith(SETTINGS.staticPrefix) || SETTINGS.kept.includes(url.pathname)) {
    event.respondWith(
      caches.match(request, { cacheName: CACHE, ignoreSearch: true }).then((kept) => kept || fetch(request))
    );
  }
});

// A kept page, or a plain one if the phone has lost them (a browser that cleared the
// caches but kept this worker).
function fromPhone(path) {
  return caches.match(path, { cacheName: CACHE }).then(
    (kept) =>
      kept ||
      new Response(
        '<!doctype html><html lang="en"><meta name="viewport" content="width=device-width, initial-scale=1">' +
          "<title>No signal - Living Well</title><main><h1>No signal</h1>" +
          "<p>Living Well opens again when this phone is back online.</p></main></html>",
        {
          status: 503,
          headers: { "Content-Type": "text/html; charset=utf-8" },
        }
      )
  );
}

self.addEventListener("sync", (event) => {
  if (event.tag === LivingWellStore.SYNC_TAG) {
    // Failing the sync is what makes the browser try it again later (the signal came back
    // too weak to send).
    event.waitUntil(
      LivingWellStore.sendWaiting().then((outcome) => {
        if (outcome === "later") {
          throw new Error("Not sent yet: the browser tries again later.");
        }
      })
    );
  }
});
