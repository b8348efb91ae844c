/* The survey form's service worker: keeps the answer pages and their static files so that the
   form opens on a phone without a connection. Answers themselves are queued by answer.js. */
"use strict";
var CACHE = "thidua-surveys-v1";

self.addEventListener("install", function (event) { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var isForm = url.pathname.indexOf("/p/surveys/") === 0 && url.pathname.indexOf("/answer/") > 0;
  var isStatic = url.pathname.indexOf("/static/") === 0;
  if (!isForm && !isStatic) { return; }
  // network first, the kept copy when offline
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (kept) {
        return kept || new Response("", { status: 503 });
      });
    })
  );
});
