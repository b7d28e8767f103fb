// reservkit patient-ID label page (served as /static/patient-labels.js, no build step).
// An on-screen keypad (0–9, "-", ⌫) types into the number field, so the kiosk's system keyboard
// stays away; a second tap on "Skriv ut" is ignored by app.js (submitOnce, the form's data-once).
// Nothing typed is kept: no storage, no URL, no history entry.
(function (root) {
  'use strict';
  var doc = root.document;
  function setUp(form) {
    var field = form.querySelector('.js-pid-field');
    var keypad = form.querySelector('[data-pid-keypad]');
    if (field && keypad) {
      keypad.hidden = false;
      keypad.addEventListener('click', function (e) {
        var b = e.target && e.target.closest ? e.target.closest('[data-key]') : null;
        if (!b) return;
        var k = b.getAttribute('data-key');
        var v = field.value;
        if (k === 'back') v = v.slice(0, -1);
        else if (v.length < Number(field.getAttribute('maxlength') || '20')) v = v + k;
        field.value = v;
        field.focus();
      });
    }
    // Coming back to the page (back button): start empty, never with the last number.
    root.addEventListener('pageshow', function (e) {
      if (e.persisted) root.location.replace('/etiketter/patient');
    });
  }
  function start() {
    doc.querySelectorAll('.js-pid-form').forEach(setUp);
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})(window);
