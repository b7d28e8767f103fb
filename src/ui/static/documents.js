// reservkit documents pages (served as /static/documents.js, no build step, no framework).
// 1. − and + step the number fields within their bounds. 2. An on-screen keypad types into the
//    number field last touched (the kiosk's own keyboard would cover half the screen). A second tap
//    on "Skriv ut" is ignored by app.js (submitOnce, the form's data-once). Without this script
//    the page still works with plain number fields.
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

  function clamp(input, n) {
    var min = Number(input.getAttribute('min') || '1');
    var max = Number(input.getAttribute('max') || '999');
    if (!isFinite(n)) n = min;
    return Math.max(min, Math.min(max, Math.round(n)));
  }

  function setUp(form) {
    var target = null;
    var fields = Array.prototype.slice.call(form.querySelectorAll('.js-doc-number'));
    function setTarget(el) {
      fields.forEach(function (f) {
        f.classList.toggle('is-target', f === el);
      });
      target = el;
    }
    fields.forEach(function (f) {
      f.setAttribute('inputmode', 'none');
      f.addEventListener('focus', function () {
        setTarget(f);
      });
      f.addEventListener('pointerdown', function () {
        setTarget(f);
      });
    });
    // The copies field (last on the page, beside the keypad) is the one typed into first.
    setTarget(form.querySelector('.js-doc-number[name="copies"]') || fields[0] || null);

    form.querySelectorAll('[data-stepper]').forEach(function (s) {
      s.classList.add('is-live');
      s.querySelectorAll('[data-step]').forEach(function (b) {
        b.hidden = false;
      });
    });
    form.addEventListener('click', function (e) {
      var step = closest(e.target, '[data-stepper] [data-step]');
      if (step) {
        var input = closest(step, '[data-stepper]').querySelector('input');
        input.value = String(clamp(input, Number(input.value || '0') + Number(step.getAttribute('data-step'))));
        setTarget(input);
        return;
      }
      var key = closest(e.target, '[data-keypad] [data-key]');
      if (!key || !target) return;
      var k = key.getAttribute('data-key');
      var v = target.value;
      if (k === 'back') v = v.slice(0, -1);
      else if (k === 'clear') v = '';
      else v = (v === '0' ? '' : v) + k;
      var max = Number(target.getAttribute('max') || '999');
      if (v !== '' && Number(v) > max) v = String(max);
      target.value = v;
    });
    var keypad = form.querySelector('[data-keypad]');
    if (keypad) keypad.hidden = false;

    root.addEventListener('pageshow', function (e) {
      if (e.persisted) root.location.reload();
    });
  }

  function start() {
    doc.querySelectorAll('.js-doc-form').forEach(setUp);
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})(window);
