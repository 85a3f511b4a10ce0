/* crampwise's service worker. Pages come from the network first, so a change on the server is
   never hidden by a cached copy; only the pages that must work without a network (the relief
   guide, the cramp log, session mode) and the versioned assets are cached, and served when
   offline. A planned session's page (/session/ID) is kept once it has been opened; offline,
   one never opened falls back to /session, which reads the schedules kept on the phone.
   It also shows the daily check-in pushed by the server (web push), and opens its page.
   VERSION changes with every release of the assets, which replaces the whole cache. */
'use strict';
var VERSION = '__VERSION__';
var CACHE = 'crampwise-' + VERSION;
var OFFLINE_PAGES = __OFFLINE_PAGES__;
var ASSETS = __ASSETS__;

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(OFFLINE_PAGES.concat(ASSETS));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf('crampwise-') === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf('/api/') === 0) return;
  if (url.pathname.indexOf('/static/') === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  var session = url.pathname.indexOf('/session/') === 0;
  var offline = session || OFFLINE_PAGES.indexOf(url.pathname) >= 0;
  event.respondWith(fetch(request).then(function (response) {
    if (offline && response.ok && !response.redirected) {  // never keep a sign-in page as one
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
    }
    return response;
  }, function () {
    return caches.match(offline ? url.pathname : request).then(function (hit) {
      return hit || caches.match(session ? '/session' : '/offline');
    });
  }));
});

self.addEventListener('push', function (event) {
  var message = { title: 'crampwise', body: '', url: '/' };
  try { if (event.data) message = event.data.json(); } catch (e) { message.body = event.data ? event.data.text() : ''; }
  event.waitUntil(self.registration.showNotification(message.title || 'crampwise', {
    body: message.body || '', tag: message.tag || 'crampwise', data: { url: message.url || '/' },
    icon: ASSETS.filter(function (a) { return a.indexOf('/static/icon.svg') === 0; })[0]
  }));
});

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].url === target && 'focus' in windows[i]) return windows[i].focus();
    }
    return self.clients.openWindow(target);
  }));
});
