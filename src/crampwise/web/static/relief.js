/* The relief guide's timer: one hold at a time, a sound and a vibration when each hold ends,
   "has the cramp let go?" after the stretches, the step's check before pressure or warmth (a
   "yes" skips the step and says why), then the closing questions.
   Without JavaScript the page shows every step with its check, hold time and stop sign, and the
   form still logs. */
(function () {
  'use strict';
  var root = document.getElementById('relief');
  if (!root) return;
  var $ = function (id) { return document.getElementById(id); };
  var timer = $('timer'), phase = $('phase'), controls = $('controls'), start = $('start'), next = $('next');
  var letGo = $('let-go'), announce = $('announce'), escalation = $('escalation');
  var checkPanel = $('check-panel'), skippedPanel = $('skipped');
  var started = $('started'), duration = $('duration_s'), reliefUsed = $('relief-used');
  var escalateMs = Number(root.getAttribute('data-escalate-s')) * 1000;
  var steps = Array.prototype.map.call(document.querySelectorAll('#steps .step'), function (el, i) {
    return { el: el, n: i + 1, kind: el.getAttribute('data-kind'), hold: Number(el.getAttribute('data-hold-s')),
      repeats: Number(el.getAttribute('data-repeats')), relief: el.getAttribute('data-relief'),
      title: el.getAttribute('data-title'), question: text(el, '[data-check-question]'),
      skip: text(el, '[data-check-skip]') };
  });
  var t0 = null, releasedAt = null, seq = [], idx = 0, tick = null, endAt = 0, stage = 'ready', used = [], audio = null;
  var skipped = [];

  function text(el, selector) { var found = el.querySelector(selector); return found ? found.textContent : ''; }

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function isoLocal(d) {
    var off = -d.getTimezoneOffset(), sign = off >= 0 ? '+' : '-';
    off = Math.abs(off);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' +
      pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + sign + pad(Math.floor(off / 60)) + ':' + pad(off % 60);
  }
  started.value = isoLocal(new Date());
  controls.hidden = false;
  root.classList.add('guide-on');
  defaultContext();

  // "Where did it start?": sleep at night by the phone's own clock (an offline copy of the page
  // may have been made hours ago), unless the form came back with answers to keep.
  function defaultContext() {
    if (document.getElementById('form-errors')) return;
    var hour = new Date().getHours(), from = Number(root.getAttribute('data-night-from'));
    var until = Number(root.getAttribute('data-night-until'));
    var radio = document.getElementById('context-' + (hour >= from || hour < until ? 'sleep' : 'exercise'));
    if (radio) radio.checked = true;
  }

  function beep() {
    if (!audio) return;
    try {
      [0, 0.35].forEach(function (at) {
        var osc = audio.createOscillator(), gain = audio.createGain(), t = audio.currentTime + at;
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.5, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.28);
        osc.connect(gain); gain.connect(audio.destination);
        osc.start(t); osc.stop(t + 0.3);
      });
    } catch (e) { /* no sound: the vibration and the screen still tell */ }
  }
  function signal(text) {
    beep();
    if (navigator.vibrate) navigator.vibrate([400, 150, 400]);
    announce.textContent = text;
  }
  function elapsed() { return t0 === null ? 0 : Date.now() - t0; }
  function keepDuration() {
    if (t0 !== null) duration.value = String(Math.max(1, Math.round(((releasedAt || Date.now()) - t0) / 1000)));
    reliefUsed.value = used.join(',');
    if (escalation.hidden && t0 !== null && elapsed() >= escalateMs) escalation.hidden = false;
  }
  function highlight(step) {
    steps.forEach(function (s) { s.el.classList.toggle('current', s === step); });
  }
  function show(step) {
    highlight(step);
    if (used.indexOf(step.relief) < 0) used.push(step.relief);
  }
  function segments(kinds) {
    var out = [];
    steps.forEach(function (s) {
      if (kinds.indexOf(s.kind) < 0) return;
      if (s.question) out.push({ step: s, check: true });
      if (!s.hold) { out.push({ step: s, untimed: true }); return; }
      for (var r = 1; r <= s.repeats; r++) out.push({ step: s, repeat: r });
    });
    return out;
  }
  function askCheck(seg) {
    highlight(seg.step);
    phase.textContent = 'Step ' + seg.step.n + ' of ' + steps.length + ': ' + seg.step.title + ' \u2013 check first';
    timer.textContent = '?';
    controls.hidden = true;
    $('check-question').textContent = seg.step.question;
    checkPanel.hidden = false;
    $('check-no').focus();
  }
  function run() {
    clearInterval(tick);
    checkPanel.hidden = true;
    skippedPanel.hidden = true;
    while (seq[idx] && skipped.indexOf(seq[idx].step) >= 0) idx += 1;  // a step its check skipped
    var seg = seq[idx];
    if (!seg) { stageDone(); return; }
    if (seg.check) { askCheck(seg); return; }
    controls.hidden = false;
    show(seg.step);
    var text = 'Step ' + seg.step.n + ' of ' + steps.length + ': ' + seg.step.title;
    next.hidden = false;
    if (seg.untimed) {
      phase.textContent = text;
      timer.textContent = 'Take your time';
      next.textContent = 'Done';
      return;
    }
    phase.textContent = text + ' \u2013 hold ' + seg.repeat + ' of ' + seg.step.repeats;
    next.textContent = 'Next';
    endAt = Date.now() + seg.step.hold * 1000;
    update();
    tick = setInterval(update, 250);
  }
  function update() {
    var left = Math.max(0, Math.ceil((endAt - Date.now()) / 1000));
    timer.textContent = left + ' s';
    keepDuration();
    if (left <= 0) {
      clearInterval(tick);
      var seg = seq[idx];
      signal('Hold ' + seg.repeat + ' of ' + seg.step.repeats + ' done.');
      idx += 1;
      run();
    }
  }
  function stageDone() {
    next.hidden = true;
    if (stage === 'stretch') {
      timer.textContent = 'Let go?';
      phase.textContent = 'Stretches done.';
      controls.hidden = true;
      letGo.hidden = false;
      $('let-go-yes').focus();
      return;
    }
    stage = 'done';
    keepDuration();
    timer.textContent = 'Done';
    timer.classList.add('done');
    phase.textContent = 'Done. Answer the questions below to log it.';
    controls.hidden = true;
    steps.forEach(function (s) { s.el.classList.add('current'); });
    var done = $('done-title');
    done.setAttribute('tabindex', '-1');
    done.scrollIntoView({ block: 'start' });
    done.focus();
  }
  start.addEventListener('click', function () {
    try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
    t0 = Date.now();
    started.value = isoLocal(new Date());
    start.hidden = true;
    stage = 'stretch';
    seq = segments(['stretch']);
    idx = 0;
    run();
  });
  next.addEventListener('click', function () { clearInterval(tick); idx += 1; run(); });
  $('let-go-yes').addEventListener('click', function () {
    releasedAt = Date.now();
    letGo.hidden = true; controls.hidden = false;
    stage = 'after';
    seq = segments(['pressure', 'warmth']);
    idx = 0;
    run();
  });
  $('check-no').addEventListener('click', function () { idx += 1; run(); });
  $('check-yes').addEventListener('click', function () {
    var step = seq[idx].step;
    skipped.push(step);
    checkPanel.hidden = true;
    $('skipped-title').textContent = 'Skipped: ' + step.title;
    $('skipped-text').textContent = step.skip;
    timer.textContent = 'Skip';
    skippedPanel.hidden = false;  // role=alert: read out at once
    $('skipped-next').focus();
  });
  $('skipped-next').addEventListener('click', function () { idx += 1; run(); });
  $('let-go-no').addEventListener('click', function () {
    letGo.hidden = true; controls.hidden = false;
    seq = segments(['stretch']);
    idx = 0;
    run();
  });
  setInterval(keepDuration, 1000);
})();
