/* The reminders page: turn the daily check-in's web push on or off in this browser.
   Subscribes with the server's VAPID key (applicationServerKey) and sends the subscription
   (PushSubscription.toJSON()) to /api/v1/push/subscriptions (same-origin, with the page's
   CSRF token in server mode); the service worker shows the notification. Where a browser has no Push API, a message says so and points to the
   calendar feed. */
(function () {
  'use strict';
  var box = document.getElementById('push');
  if (!box) return;
  var on = document.getElementById('push-on'), off = document.getElementById('push-off');
  var status = document.getElementById('push-status'), unsupported = document.getElementById('push-unsupported');
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    unsupported.hidden = false;
    return;
  }
  function keyBytes(text) {
    var b64 = (text + '===='.slice(text.length % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function api(method, body) {
    // Server mode: the page's CSRF token goes in the header (a same-origin fetch on the cookie).
    var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) headers['X-CSRF-Token'] = meta.getAttribute('content');
    return fetch('/api/v1/push/subscriptions', {
      method: method, credentials: 'same-origin', headers: headers, body: JSON.stringify(body)
    }).then(function (r) {
      if (r.ok || r.status === 404) return r;
      // the server's own words (a 422 names the field, e.g. a push service it does not send to)
      return r.json().then(function (doc) {
        var d = doc && doc.detail;
        return Array.isArray(d) && d.length ? d[0].msg : (typeof d === 'string' ? d : null);
      }, function () { return null; }).then(function (msg) { throw new Error(msg || 'HTTP ' + r.status); });
    });
  }
  function show(subscribed) {
    on.hidden = subscribed; off.hidden = !subscribed;
  }
  function say(text) { status.textContent = text; }

  navigator.serviceWorker.ready.then(function (reg) {
    return reg.pushManager.getSubscription().then(function (sub) { show(!!sub); });
  }).catch(function () { show(false); });

  on.addEventListener('click', function () {
    if (!box.getAttribute('data-checkin')) say('Set a check-in time above first; then turn it on here.');
    Notification.requestPermission().then(function (permission) {
      if (permission !== 'granted') throw new Error('notifications are blocked for this site in the browser settings');
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.getAttribute('data-vapid-key')) });
    }).then(function (sub) {
      // refused by the server: drop the browser's subscription too, so the page tells the truth
      return api('POST', sub.toJSON()).catch(function (err) {
        return sub.unsubscribe().then(function () { throw err; }, function () { throw err; });
      });
    }).then(function () {
      show(true);
      say('This browser will get the daily check-in' + (box.getAttribute('data-checkin') ? ' at ' + box.getAttribute('data-checkin') + '.' : ' once you set a time.'));
    }).catch(function (err) { say('Could not turn it on: ' + (err && err.message || err)); });
  });

  off.addEventListener('click', function () {
    navigator.serviceWorker.ready.then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (sub) {
      if (!sub) return null;
      var endpoint = sub.endpoint;
      return sub.unsubscribe().then(function () { return api('DELETE', { endpoint: endpoint }); });
    }).then(function () {
      show(false);
      say('This browser no longer gets the check-in.');
    }).catch(function (err) { say('Could not turn it off: ' + (err && err.message || err)); });
  });
})();
