// reservkit patient-ID label page (served as /static/patient-labels.js, no build step).
// An on-screen keypad (0–9, "-", ⌫) types into the number field, so the kiosk's system keyboard
// stays away; a second tap on "Skriv ut" while the first is on its way is ignored (the server also
// prints once per request id). Nothing typed is kept: no storage, no URL, no history entry.
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
    var sent = false;
    form.addEventListener('submit', function (e) {
      if (sent) {
        e.preventDefault();
        return;
      }
      sent = true;
      var button = form.querySelector('button[type="submit"].primary');
      if (button) {
        button.setAttribute('aria-disabled', 'true');
        button.textContent = 'Skickar …';
      }
    });
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
