/* crampwise's small enhancements; every page also works without them.
   - registers the service worker (offline relief guide and cramp log);
   - forms marked data-queue are kept on the phone (IndexedDB) with a client-made
     Idempotency-Key before they are sent, shown as "waiting to sync" while offline, and sent
     again when the network returns: the server creates the record once per key;
   - the body map picks the muscle; uploads show their progress. */
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(function () {});

  var DB = 'crampwise', STORE = 'outbox';
  function request(r) {
    return new Promise(function (resolve, reject) {
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }
  var opened = null;
  function store(mode) {
    if (!opened) {
      var r = indexedDB.open(DB, 1);
      r.onupgradeneeded = function () { r.result.createObjectStore(STORE, { keyPath: 'key' }); };
      opened = request(r);
    }
    return opened.then(function (db) { return db.transaction(STORE, mode).objectStore(STORE); });
  }
  var outbox = {
    all: function () { return store('readonly').then(function (s) { return request(s.getAll()); }); },
    put: function (item) { return store('readwrite').then(function (s) { return request(s.put(item)); }); },
    del: function (key) { return store('readwrite').then(function (s) { return request(s.delete(key)); }); }
  };

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function isoLocal(d) {
    var off = -d.getTimezoneOffset(), sign = off >= 0 ? '+' : '-';
    off = Math.abs(off);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' +
      pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + sign + pad(Math.floor(off / 60)) + ':' + pad(off % 60);
  }

  // Server mode: the page names the signed-in account and carries its CSRF token. A record
  // waits for the account that logged it (another account signing in on this phone never
  // sends it), and goes with the token of the page that sends it (a queued one may be stale).
  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute('content') : null;
  }
  var ACCOUNT = meta('crampwise-account') || '';
  function mine(item) { return (item.account || '') === ACCOUNT; }

  function send(item) {
    var fields = item.fields.filter(function (f) { return f[0] !== 'csrf_token'; });
    var headers = { 'Idempotency-Key': item.key, 'Accept': 'text/html' };
    var token = meta('csrf-token');
    if (token) headers['X-CSRF-Token'] = token;
    return fetch(item.url, {
      method: 'POST', body: new URLSearchParams(fields), credentials: 'same-origin', headers: headers
    }).then(function (resp) {
      if (resp.redirected && /\/login(\?|$)/.test(new URL(resp.url).pathname + new URL(resp.url).search)) {
        return { kind: 'waiting' };  // signed out meanwhile: keep it for later
      }
      if (resp.ok) return outbox.del(item.key).then(function () { return { kind: 'sent', url: resp.url }; });
      if (resp.status === 422) return resp.text().then(function (html) { return { kind: 'invalid', html: html }; });
      return { kind: 'waiting' };
    }, function () { return { kind: 'waiting' }; });
  }

  var flushing = false;
  function flush() {
    if (flushing) return Promise.resolve();
    flushing = true;
    return outbox.all().then(function (items) {
      return items.filter(function (i) { return !i.problem && mine(i); }).reduce(function (chain, item) {
        return chain.then(function () {
          return send(item).then(function (result) {
            if (result.kind !== 'invalid') return null;
            var doc = new DOMParser().parseFromString(result.html, 'text/html');
            var errors = doc.getElementById('form-errors');
            item.problem = errors ? errors.textContent.replace(/\s+/g, ' ').trim() : 'refused by the server';
            return outbox.put(item);
          });
        });
      }, Promise.resolve());
    }).catch(function () {}).then(function () { flushing = false; return status(); });
  }

  function status() {
    var box = document.getElementById('sync-status');
    if (!box) return Promise.resolve();
    return outbox.all().then(function (items) {
      items = items.filter(mine);
      box.textContent = '';
      if (!items.length) { box.hidden = true; return; }
      box.hidden = false;
      var waiting = items.filter(function (i) { return !i.problem; }).length;
      var head = document.createElement('p');
      head.style.margin = '0';
      head.textContent = waiting + (waiting === 1 ? ' record' : ' records') + ' waiting to sync' +
        (waiting < items.length ? ', ' + (items.length - waiting) + ' refused' : '');
      box.appendChild(head);
      var list = document.createElement('ul');
      items.forEach(function (item) {
        var li = document.createElement('li');
        var when = new Date(item.created);
        li.textContent = item.label + ', logged ' + pad(when.getHours()) + ':' + pad(when.getMinutes()) + ': ' +
          (item.problem ? 'not saved (' + item.problem + ') ' : 'waiting to sync');
        if (item.problem) {
          var drop = document.createElement('button');
          drop.type = 'button'; drop.className = 'secondary'; drop.textContent = 'Discard';
          drop.addEventListener('click', function () { outbox.del(item.key).then(status); });
          li.appendChild(drop);
        }
        list.appendChild(li);
      });
      box.appendChild(list);
    }).catch(function () {});
  }

  function swapForm(form, html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var fresh = form.id && doc.getElementById(form.id);
    if (!fresh) { document.open(); document.write(html); document.close(); return; }
    form.replaceWith(document.importNode(fresh, true));
    var first = document.getElementById('form-errors') || document.querySelector('[aria-invalid="true"]');
    if (first) { first.setAttribute('tabindex', '-1'); first.focus(); }
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches('form[data-queue]')) return;
    ev.preventDefault();
    var data = new FormData(form);
    if (!data.get('client_time')) data.set('client_time', isoLocal(new Date()));
    var fields = [];
    data.forEach(function (value, name) { if (typeof value === 'string') fields.push([name, value]); });
    var item = { key: newKey(), url: form.action, fields: fields, created: new Date().toISOString(),
      label: form.getAttribute('data-label') || 'Cramp', account: ACCOUNT };
    var button = form.querySelector('[type="submit"]');
    if (button) button.disabled = true;
    outbox.put(item).then(function () { return send(item); }, function () { return send(item); }).then(function (result) {
      if (button) button.disabled = false;
      if (result.kind === 'sent') { location.assign(result.url); return; }
      if (result.kind === 'invalid') { outbox.del(item.key).then(status); swapForm(form, result.html); return; }
      var note = document.createElement('p');
      note.className = 'notice warn';
      note.setAttribute('role', 'alert');
      note.textContent = 'Saved on this phone, waiting to sync: it will be sent once when you are back online.';
      form.reset();
      form.parentNode.insertBefore(note, form);
      status();
    });
  });

  // Body map: a tap on a region picks that muscle in the list below it.
  document.addEventListener('click', function (ev) {
    var region = ev.target.closest && ev.target.closest('[data-muscle]');
    if (!region) return;
    var radio = document.getElementById('muscle-' + region.getAttribute('data-muscle'));
    if (radio) { radio.checked = true; radio.dispatchEvent(new Event('change', { bubbles: true })); }
  });
  function markMuscle(value) {
    Array.prototype.forEach.call(document.querySelectorAll('.bodymap [data-muscle]'), function (el) {
      el.classList.toggle('on', el.getAttribute('data-muscle') === value);
    });
  }
  document.addEventListener('change', function (ev) { if (ev.target.name === 'muscle') markMuscle(ev.target.value); });
  var chosen = document.querySelector('input[name="muscle"]:checked');  // a form sent back to be fixed
  if (chosen) markMuscle(chosen.value);

  // Uploads: show the bytes sent while the files go up, then the import's result.
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches('form[data-upload]') || !window.XMLHttpRequest) return;
    ev.preventDefault();
    var bar = document.getElementById('upload-progress'), label = document.getElementById('upload-label');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.hidden = false; bar.max = e.total; bar.value = e.loaded;
      label.textContent = 'Uploading: ' + Math.round(100 * e.loaded / e.total) + ' %';
    };
    xhr.upload.onload = function () { label.textContent = 'Uploaded; importing…'; };
    xhr.onload = function () {
      // a large upload in server mode became a background job: go and follow it
      if (xhr.responseURL && xhr.responseURL.indexOf('/import/jobs/') !== -1) { location.assign(xhr.responseURL); return; }
      var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      var main = doc.querySelector('main');
      if (main) document.querySelector('main').innerHTML = main.innerHTML;
      var result = document.getElementById('import-result');
      if (result) { result.setAttribute('tabindex', '-1'); result.focus(); }
    };
    xhr.onerror = function () { label.textContent = 'The upload failed: check the connection and try again.'; };
    label.textContent = 'Uploading…';
    xhr.send(new FormData(form));
  });

  // A background import's page: poll its progress, show the result once it is over.
  var job = document.querySelector('[data-poll-url]');
  if (job && window.fetch && ['done', 'failed'].indexOf(job.getAttribute('data-job-status')) === -1) {
    var poll = function () {
      fetch(job.getAttribute('data-poll-url'), {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) return setTimeout(poll, 5000);
          var bar = document.getElementById('job-progress'), label = document.getElementById('job-label');
          bar.max = Math.max(1, s.files_total); bar.value = s.files_done;
          label.textContent = s.files_done + ' of ' + s.files_total + ' files' + (s.status === 'queued' ? ', waiting for a worker' : '');
          if (s.status === 'done' || s.status === 'failed') location.reload(); else setTimeout(poll, 1500);
        })
        .catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 1000);
  }

  window.addEventListener('online', flush);
  if (navigator.onLine) flush(); else status();
  setInterval(function () { if (navigator.onLine) flush(); }, 20000);
})();
