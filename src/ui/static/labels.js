// reservkit label pages (served as /static/labels.js, no build step, no framework).
// 1. An on-screen numeric keypad types into the selected number field (the kiosk's own keyboard
//    stays away). 2. The label page fetches its layout-dependent part (printer choice, start
//    position, preview, print button) again after each change. 3. Tapping a position of the
//    previewed sheet starts the labels there. A second tap on "Skriv ut" is ignored by app.js
//    (submitOnce, the form's data-once).
(function (root) {
  'use strict';
  var doc = root.document;

  function closest(el, selector) {
    while (el && el.nodeType === 1) {
      if (el.matches(selector)) return el;
      el = el.parentElement;
    }
    return null;
  }

  function setUp(form) {
    var keypad = form.querySelector('[data-keypad]');
    var target = null;
    var fields = function () {
      return Array.prototype.slice.call(form.querySelectorAll('.js-keypad-field'));
    };
    function setTarget(el) {
      fields().forEach(function (f) {
        f.classList.toggle('is-target', f === el);
      });
      target = el;
    }
    function bind(f) {
      if (f.getAttribute('data-bound')) return;
      f.setAttribute('data-bound', '1');
      // The keypad types here; the system keyboard would cover half the kiosk screen.
      f.setAttribute('inputmode', 'none');
      f.addEventListener('focus', function () {
        setTarget(f);
      });
      f.addEventListener('pointerdown', function () {
        setTarget(f);
      });
    }
    if (keypad) {
      keypad.hidden = false;
      fields().forEach(bind);
      setTarget(fields()[0] || null);
      keypad.addEventListener('click', function (e) {
        var b = closest(e.target, '[data-key]');
        if (!b || !target) return;
        var k = b.getAttribute('data-key');
        var v = target.value;
        if (k === 'back') v = v.slice(0, -1);
        else if (k === 'clear') v = '';
        else v = (v === '0' ? '' : v) + k;
        var max = Number(target.getAttribute('max') || '999');
        if (v !== '' && Number(v) > max) v = String(max);
        target.value = v;
        target.dispatchEvent(new Event('input', { bubbles: true }));
      });
    }

    var dynamic = form.querySelector('#labels-dynamic');
    if (dynamic) {
      var seq = 0;
      var timer = null;
      var refresh = function () {
        var data = new FormData(form);
        var q = new URLSearchParams();
        ['referrals', 'labelsPerReferral', 'layout', 'printer', 'startPosition'].forEach(function (name) {
          var v = data.get(name);
          if (typeof v === 'string' && v !== '') q.set(name, v);
        });
        var mine = ++seq;
        fetch('/etiketter/del?' + q.toString(), { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
          .then(function (r) {
            return r.ok ? r.text() : null;
          })
          .then(function (html) {
            if (html === null || mine !== seq) return;
            var targetName = target ? target.name : null;
            var box = form.querySelector('#labels-dynamic');
            var holder = doc.createElement('div');
            holder.innerHTML = html;
            var fresh = holder.querySelector('#labels-dynamic');
            if (!box || !fresh) return;
            box.replaceWith(fresh);
            fields().forEach(bind);
            if (targetName) setTarget(form.querySelector('.js-keypad-field[name="' + targetName + '"]') || fields()[0] || null);
          })
          .catch(function () {
            // The page still works: the server checks everything again on "Skriv ut".
          });
      };
      var later = function (e) {
        if (e.target && e.target.name === 'actor') return;
        clearTimeout(timer);
        timer = setTimeout(refresh, 150);
      };
      form.addEventListener('input', later);
      form.addEventListener('change', later);
      // A tap on a position of the previewed sheet starts the labels there.
      form.addEventListener('click', function (e) {
        var cell = closest(e.target, '.sheet:not(.roll) .cell');
        var start = form.querySelector('input[name="startPosition"]');
        if (!cell || !start) return;
        start.value = cell.getAttribute('data-pos');
        start.dispatchEvent(new Event('input', { bubbles: true }));
      });
    }

    root.addEventListener('pageshow', function (e) {
      if (e.persisted) root.location.reload();
    });
  }

  function start() {
    doc.querySelectorAll('.js-labels-form, .js-once-form').forEach(setUp);
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})(window);
