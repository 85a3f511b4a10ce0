/* Session mode: keeps the screen awake (Wake Lock API), and at each drink of the plan beeps
   (Web Audio), vibrates and says what to drink. The schedule is kept on the phone
   (localStorage) when a planned session's page is opened, so /session and that page work
   with no network (the service worker keeps both). A started session survives a reload: its
   start time is kept too, and drinks already signalled are not signalled again.
   window.crampwiseSession is a small read-only record of what happened (beeps, vibrations,
   wake lock requests), for the browser tests and for curious users. */
(function () {
  'use strict';
  var root = document.getElementById('session');
  if (!root) return;
  var $ = function (id) { return document.getElementById(id); };
  // Server mode: schedules are kept per account (another account on this phone never sees them).
  var account = document.querySelector('meta[name="crampwise-account"]');
  var KEY = 'crampwise.session.' + (account && account.getAttribute('content') ? account.getAttribute('content') + '.' : '');
  var hook = window.crampwiseSession = {
    state: 'ready', id: null, beeps: [], vibrations: 0,
    wakeLock: { supported: 'wakeLock' in navigator, requests: 0, held: false, error: null }
  };

  function load(id) {
    try { return JSON.parse(localStorage.getItem(KEY + id) || 'null'); } catch (e) { return null; }
  }
  function save(name, value) {
    try { localStorage.setItem(KEY + name, JSON.stringify(value)); } catch (e) { /* private mode: no offline copy */ }
  }

  var data = null, raw = root.getAttribute('data-session');
  if (raw) {
    data = JSON.parse(raw);
    save(data.id, data);
    save('last', data.id);
  } else {
    var match = location.pathname.match(/^\/session\/([^/]+)$/);
    var last = null;
    try { last = JSON.parse(localStorage.getItem(KEY + 'last') || 'null'); } catch (e) { last = null; }
    data = load(match ? decodeURIComponent(match[1]) : last);
    if (!data) { var empty = $('session-empty'); if (empty) empty.hidden = false; return; }
    $('session-title').textContent = 'Session mode: ' + data.title;
    var intro = $('session-intro');
    if (intro) intro.textContent = 'The schedule kept on this phone. Press Start when you set off.';
    var body = document.querySelector('#session-schedule tbody');
    body.textContent = '';
    data.drinks.forEach(function (d) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-at-min', d.at_min);
      [String(d.at_min), d.text].forEach(function (text) {
        var td = document.createElement('td'); td.textContent = text; tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }
  hook.id = data.id;
  if (!data.drinks.length) return;

  var guide = $('session-guide'), timer = $('session-timer'), next = $('session-next');
  var startButton = $('session-start'), stopButton = $('session-stop'), soundButton = $('session-sound');
  var wakeStatus = $('wake-status'), announce = $('session-announce');
  guide.hidden = false;
  var run = load('run.' + data.id);  // {startedAt: ms, done: [at_min, ...]}
  var audio = null, lock = null, tick = null;

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + ':' + pad(m) : String(m)) + ':' + pad(s % 60);
  }

  function wakeText(text, warn) {
    wakeStatus.textContent = text;
    wakeStatus.className = warn ? 'notice warn' : 'hint';
  }
  function keepAwake() {
    if (!hook.wakeLock.supported) {
      wakeText('This browser cannot keep the screen on: set a longer screen timeout, or tap the screen now and then.', true);
      return;
    }
    if (lock || document.visibilityState !== 'visible') return;
    hook.wakeLock.requests += 1;
    navigator.wakeLock.request('screen').then(function (sentinel) {
      lock = sentinel;
      hook.wakeLock.held = true; hook.wakeLock.error = null;
      wakeText('The screen stays on while the session runs.', false);
      sentinel.addEventListener('release', function () { lock = null; hook.wakeLock.held = false; });
    }, function (err) {
      hook.wakeLock.error = String(err && err.name || err);
      wakeText('The screen could not be kept on (' + hook.wakeLock.error + '): set a longer screen timeout.', true);
    });
  }
  function letSleep() {
    if (lock) { lock.release(); lock = null; }
    wakeText('', false);
  }

  function makeAudio() {
    if (audio) return;
    try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
  }
  function soundBlocked() { return !audio || audio.state === 'suspended'; }
  function beep(drink) {
    hook.beeps.push({ at_min: drink.at_min, at: Date.now(), sound: !soundBlocked() });
    if (audio) {
      try {
        [0, 0.3, 0.6].forEach(function (at) {
          var osc = audio.createOscillator(), gain = audio.createGain(), t = audio.currentTime + at;
          osc.frequency.value = 988;
          gain.gain.setValueAtTime(0.0001, t);
          gain.gain.exponentialRampToValueAtTime(0.6, t + 0.02);
          gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.22);
          osc.connect(gain); gain.connect(audio.destination);
          osc.start(t); osc.stop(t + 0.25);
        });
      } catch (e) { /* no sound: the vibration and the screen still tell */ }
    }
    if (navigator.vibrate && navigator.vibrate([500, 200, 500])) hook.vibrations += 1;
    announce.textContent = 'Drink now: ' + drink.text;
  }

  function mark(atMin) {
    var row = document.querySelector('#session-schedule tr[data-at-min="' + atMin + '"]');
    if (row) row.classList.add('done');
  }
  function update() {
    if (!run) return;
    var now = Date.now(), due = [];
    data.drinks.forEach(function (d) {
      if (run.done.indexOf(d.at_min) < 0 && run.startedAt + d.at_min * 60000 <= now) due.push(d);
    });
    if (due.length) {
      due.forEach(function (d) { run.done.push(d.at_min); mark(d.at_min); });
      save('run.' + data.id, run);
      beep(due[due.length - 1]);  // after a long sleep of the phone: one signal, for the latest drink
    }
    var coming = data.drinks.filter(function (d) { return run.done.indexOf(d.at_min) < 0; })[0];
    if (!coming) {
      timer.textContent = 'Done';
      next.textContent = 'Last drink done. Afterwards: weigh yourself, and drink to thirst with salty food.';
      finish();
      return;
    }
    timer.textContent = clock(run.startedAt + coming.at_min * 60000 - now);
    next.textContent = 'At minute ' + coming.at_min + ': ' + coming.text;
  }
  function running() {
    hook.state = 'running';
    startButton.hidden = true; stopButton.hidden = false;
    soundButton.hidden = !soundBlocked();
    run.done.forEach(mark);
    keepAwake();
    clearInterval(tick);
    tick = setInterval(update, 1000);
    update();
  }
  function finish() {
    clearInterval(tick);
    hook.state = 'done';
    stopButton.hidden = true; soundButton.hidden = true;
    localStorage.removeItem(KEY + 'run.' + data.id);
    letSleep();
  }

  startButton.addEventListener('click', function () {
    makeAudio();
    run = { startedAt: Date.now(), done: [] };
    save('run.' + data.id, run);
    running();
  });
  soundButton.addEventListener('click', function () {
    makeAudio();
    if (audio && audio.resume) audio.resume();
    soundButton.hidden = true;
    keepAwake();
  });
  stopButton.addEventListener('click', function () {
    finish();
    hook.state = 'stopped';
    startButton.hidden = false;
    timer.textContent = '–';
    next.textContent = 'Stopped.';
  });
  document.addEventListener('visibilitychange', function () {
    if (hook.state === 'running' && document.visibilityState === 'visible') { keepAwake(); update(); }
  });

  if (run && run.startedAt) {
    makeAudio();  // a reload mid-session: the sound may need a tap before it plays again
    running();
  } else {
    var first = data.drinks[0];
    timer.textContent = clock(first.at_min * 60000);
    next.textContent = 'First drink ' + first.at_min + ' minutes after Start: ' + first.text;
    if (!hook.wakeLock.supported) keepAwake();
  }
})();
