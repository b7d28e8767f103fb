// reservkit touchscreen script (served as /static/app.js, no build step, no framework).
// 1. The batch page follows /api/batches/:id/events and updates its rows, banner, actions and
//    printers in place, with textContent only; it keeps following the printers after the batch is
//    done. 2. Every other page with printer chips polls /api/printers (no page reloads: nothing
//    typed is lost). 3. The print form ignores a second tap while the first is on its way (the
//    server prints one kit per request id anyway). 4. A tap within 600 ms of a navigation is
//    swallowed (a double tap's second half would land on the next page). 5. More than a form's
//    data-confirm-over (50 copies, 100 labels) asks once more. 6. PIN fields type from an
//    on-screen keypad (data-pin-keypad). 7. Date/time steppers (data-dt-stepper) step a hidden
//    "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD" field and show it the Swedish way, whatever the browser's
//    locale. 8. Initials and free-text fields (data-letter-field) type from an on-screen letter keypad.
// The script decides no state: every job, banner, button and printer chip it shows comes ready-made
// from the server (src/http/views.ts: stateText, tone, actions, summary, advice …, computed by the
// functions the server-rendered pages use). The server puts RESERVKIT_WORDING in front of this file:
// only the texts the script sets on its own (src/domain/wording.ts clientWording).
(function (root) {
  'use strict';
  var W = root.RESERVKIT_WORDING;
  // ---- DOM ----

  function setTone(el, tone) {
    var drop = [];
    el.classList.forEach(function (c) {
      if (c.indexOf('tone-') === 0) drop.push(c);
    });
    drop.forEach(function (c) { el.classList.remove(c); });
    el.classList.add('tone-' + tone);
  }
  function setText(el, text) {
    if (el && el.textContent !== text) el.textContent = text;
  }
  /** Elements by a data attribute's value (no selector built from data). */
  function byData(doc, attr) {
    var map = Object.create(null);
    doc.querySelectorAll('[' + attr + ']').forEach(function (el) {
      var k = el.getAttribute(attr);
      (map[k] = map[k] || []).push(el);
    });
    return map;
  }

  function followBatch(doc, box) {
    var id = box.getAttribute('data-batch-id');
    var rows = byData(doc, 'data-job-id');
    var printers = byData(doc, 'data-printer-id');
    var banner = box.querySelector('.js-banner');
    var live = box.querySelector('.js-live');
    var finished = box.getAttribute('data-state') !== 'printing';

    /** A job as the server shows it (views.ts jobView: stateText, tone, quantityText, actions). */
    function showJob(j) {
      // A document that joined the batch after the page was made (none does today): reload once.
      if (!rows[j.id] && Object.keys(rows).length && !finished) {
        window.location.reload();
        return;
      }
      (rows[j.id] || []).forEach(function (row) {
        var chip = row.querySelector('.js-state');
        if (chip) {
          setText(chip, j.stateText);
          setTone(chip, j.tone);
        }
        setText(row.querySelector('.js-message'), j.message || '');
        setText(row.querySelector('.js-qty'), j.quantityText);
        setText(row.querySelector('.js-printer'), j.printerName);
        var cancel = row.querySelector('.js-cancel');
        if (cancel) cancel.hidden = !j.actions.cancel;
        var retry = row.querySelector('.js-retry');
        if (retry) retry.hidden = !j.actions.reprint;
      });
    }
    /** The banner and batch buttons as the server shows them (views.ts batchShownView). */
    function showSummary(s) {
      setText(banner.querySelector('.js-banner-text'), s.summary.text);
      setTone(banner, s.summary.tone);
      box.setAttribute('data-state', s.summary.state);
      var r = box.querySelector('.js-retry-all');
      if (r) r.hidden = !s.actions.retryAll;
      var c = box.querySelector('.js-cancel-all');
      if (c) c.hidden = !s.actions.cancelAll;
      var m = box.querySelector('.js-move');
      if (m) m.hidden = !s.actions.move;
      // Done: the rows stop changing, but the stream stays open for the printers' chips (and for
      // a "Skriv ut allt igen" from another screen).
      finished = s.summary.state !== 'printing';
      setText(live, finished ? W.liveTexts.finished : W.liveTexts.connected);
    }
    function data(e) {
      try {
        return JSON.parse(e.data);
      } catch (err) {
        return null;
      }
    }

    if (typeof root.EventSource !== 'function') return;
    var es = new root.EventSource('/api/batches/' + encodeURIComponent(id) + '/events');
    es.addEventListener('batch', function (e) {
      var b = data(e);
      if (!b) return;
      b.jobs.forEach(showJob);
      showSummary(b);
    });
    es.addEventListener('job', function (e) {
      var j = data(e);
      if (j) showJob(j);
    });
    es.addEventListener('summary', function (e) {
      var s = data(e);
      if (s) showSummary(s);
    });
    es.addEventListener('printer', function (e) {
      var p = data(e);
      if (p) showPrinterIn(printers, p);
    });
    es.addEventListener('open', function () {
      if (!finished) setText(live, W.liveTexts.connected);
    });
    es.addEventListener('error', function () {
      if (!finished) setText(live, W.liveTexts.lost);
    });
    root.addEventListener('pagehide', function () {
      es.close();
    });
  }

  /**
   * Updates every element of a printer (chip, advice, the printer's own message) with what the
   * server sends (views.ts printerApiView: summary, advice, ownMessage).
   */
  function showPrinterIn(printers, p) {
    (printers[p.id] || []).forEach(function (el) {
      var chip = el.querySelector('.js-pstate');
      if (chip) {
        setText(chip, p.summary.text);
        setTone(chip, p.summary.tone);
      }
      var advice = p.advice || '';
      var a = el.querySelector('.js-advice');
      if (a) {
        setText(a, advice);
        a.hidden = !advice;
      }
      var own = p.ownMessage || '';
      var m = el.querySelector('.js-pmsg');
      if (m) {
        setText(m, own);
        m.hidden = !own;
      }
    });
  }

  /** Pages without a live stream: ask for the printers every few seconds (a small JSON, no reload). */
  function pollPrinters(doc) {
    var printers = byData(doc, 'data-printer-id');
    if (!Object.keys(printers).length || typeof root.fetch !== 'function') return;
    var timer = null;
    function tick() {
      root
        .fetch('/api/printers', { headers: { accept: 'application/json' }, cache: 'no-store' })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (list) { list.forEach(function (p) { showPrinterIn(printers, p); }); })
        .catch(function () {})
        .then(function () { timer = root.setTimeout(tick, 5000); });
    }
    timer = root.setTimeout(tick, 1000);
    root.addEventListener('pagehide', function () {
      if (timer) root.clearTimeout(timer);
    });
  }

  /**
   * A second tap within 600 ms of a navigation is swallowed: after a tap that leaves the page, and
   * for the first 600 ms of the new page (a double tap's second half lands there).
   */
  var GHOST_MS = 600;
  function guardGhostTaps(doc) {
    var until = Date.now() + GHOST_MS;
    root.addEventListener('pageshow', function () {
      until = Date.now() + GHOST_MS;
    });
    doc.addEventListener(
      'click',
      function (e) {
        if (Date.now() < until) {
          e.preventDefault();
          e.stopImmediatePropagation();
          return;
        }
        var link = e.target && e.target.closest ? e.target.closest('a[href]') : null;
        if (link) until = Date.now() + GHOST_MS;
      },
      true,
    );
    doc.addEventListener('submit', function () {
      until = Date.now() + GHOST_MS;
    });
  }

  /**
   * data-confirm-over="50" data-confirm-fields="copies" (their product): above the limit, the first
   * tap shows the question and the button says so; the second tap prints.
   */
  function confirmLarge(form) {
    var limit = Number(form.getAttribute('data-confirm-over'));
    var names = (form.getAttribute('data-confirm-fields') || '').split(' ').filter(Boolean);
    var unit = form.getAttribute('data-confirm-unit') || 'st';
    var asked = null;
    var note = form.querySelector('.js-confirm-note');
    function total() {
      return names.reduce(function (n, name) {
        var f = form.querySelector('[name="' + name + '"]');
        return n * (f ? Number(f.value) || 0 : 1);
      }, 1);
    }
    form.addEventListener(
      'submit',
      function (e) {
        var submitter = e.submitter;
        if (submitter && submitter.getAttribute('formmethod') === 'get') return;
        var n = total();
        if (!(n > limit) || asked === n) return;
        e.preventDefault();
        e.stopImmediatePropagation();
        asked = n;
        if (note) {
          setText(note, W.confirmTexts.question.replace('{n}', String(n)).replace('{unit}', unit));
          note.hidden = false;
        }
        var button = submitter || form.querySelector('button[type="submit"]');
        if (button) setText(button, W.confirmTexts.yes.replace('{n}', String(n)).replace('{unit}', unit));
      },
      true,
    );
    form.addEventListener('input', function () {
      asked = null;
    });
  }

  /**
   * PIN fields typed from the form's on-screen keypad (the kiosk has no keyboard): the keypad types
   * into the field last tapped, the first one to start with.
   */
  function pinKeypad(form) {
    var fields = Array.prototype.slice.call(form.querySelectorAll('input.js-pin'));
    var pad = form.querySelector('[data-keypad]');
    if (!fields.length || !pad) return;
    var target = fields[0];
    function select(f) {
      target = f;
      fields.forEach(function (x) {
        x.classList.toggle('is-target', x === f);
      });
    }
    fields.forEach(function (f) {
      f.setAttribute('inputmode', 'none');
      f.setAttribute('readonly', '');
      f.addEventListener('pointerdown', function () { select(f); });
      f.addEventListener('focus', function () { select(f); });
    });
    select(fields[0]);
    pad.hidden = false;
    pad.addEventListener('click', function (e) {
      var key = e.target && e.target.closest ? e.target.closest('[data-key]') : null;
      if (!key || !target || target.disabled) return;
      var k = key.getAttribute('data-key');
      var max = Number(target.getAttribute('maxlength') || '12');
      var v = target.value;
      if (k === 'back') v = v.slice(0, -1);
      else if (k === 'clear') v = '';
      else if (v.length < max) v += k;
      target.value = v;
      // a full PIN moves on to the next field (setup and change ask twice)
      var i = fields.indexOf(target);
      var min = Number(target.getAttribute('minlength') || '0');
      if (k !== 'back' && k !== 'clear' && min && v.length >= max && i < fields.length - 1) select(fields[i + 1]);
    });
  }

  /**
   * A letter field (data-letter-field, parts.tsx LetterField: initials, free text, text with digits,
   * digits) on a kiosk without a keyboard: tapping the field opens its keypad at the bottom of the
   * screen; the keys (whatever the page put in the grid: letters, digits, space, hyphen) type into
   * the field up to its maxlength, and the panel shows the value, since it may cover the field.
   * "Klar", Escape or a tap elsewhere closes it. A real keyboard still types into the field (no
   * system keyboard pops up: inputmode none). Nothing typed is kept anywhere but the field (the
   * patient name is one of these fields).
   */
  function letterKeypad(box) {
    var field = box.querySelector('input[type="text"]');
    var pad = box.querySelector('[data-letter-keypad]');
    if (!field || !pad) return;
    var echo = pad.querySelector('[data-letter-value]');
    field.setAttribute('inputmode', 'none');
    function show() {
      setText(echo, field.value);
      // a long name: keep its end, where the next key types, in sight
      if (echo) echo.scrollLeft = echo.scrollWidth;
    }
    function open() {
      show();
      pad.hidden = false;
      // room below the page (html.letter-pad-open) so the field can scroll up above the panel
      root.document.documentElement.classList.add('letter-pad-open');
      var over = field.getBoundingClientRect().bottom + 8 - pad.getBoundingClientRect().top;
      if (over > 0) root.scrollBy(0, over);
    }
    function close() {
      if (pad.hidden) return;
      pad.hidden = true;
      root.document.documentElement.classList.remove('letter-pad-open');
    }
    // a tap opens it; focus from the keyboard (Tab) does not: whoever has a keyboard types. On the
    // tap's click, not its pointerdown: the panel then opens after the tap has ended, so the tap
    // cannot land on a key the panel has just put under the finger (it typed a stray letter).
    field.addEventListener('click', open);
    field.addEventListener('input', show);
    pad.addEventListener('click', function (e) {
      if (e.target && e.target.closest && e.target.closest('[data-letter-done]')) {
        close();
        return;
      }
      var key = e.target && e.target.closest ? e.target.closest('[data-key]') : null;
      if (!key) return;
      var k = key.getAttribute('data-key');
      var max = Number(field.getAttribute('maxlength') || '10');
      if (k === 'back') field.value = field.value.slice(0, -1);
      else if (field.value.length < max) field.value += k;
      show();
      field.dispatchEvent(new Event('input', { bubbles: true }));
    });
    // a tap anywhere else (another field, the print button) closes the keypad
    root.document.addEventListener(
      'pointerdown',
      function (e) {
        if (pad.hidden || !e.target || !e.target.closest) return;
        if (!e.target.closest('[data-letter-keypad]') && e.target !== field) close();
      },
      true,
    );
    root.document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') close();
    });
  }

  var pad2 = function (n) {
    return (n < 10 ? '0' : '') + n;
  };

  /**
   * A local "YYYY-MM-DDTHH:MM" (or a day "YYYY-MM-DD") moved by whole days and minutes. Wall-clock
   * arithmetic in UTC (no zone, no daylight-saving jump): the server turns the wall time into an
   * instant (time.ts).
   */
  function stepLocal(value, days, minutes) {
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value);
    if (!m) return value;
    var withTime = m[4] !== undefined;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3] + days, withTime ? +m[4] : 0, (withTime ? +m[5] : 0) + minutes));
    var day = d.getUTCFullYear() + '-' + pad2(d.getUTCMonth() + 1) + '-' + pad2(d.getUTCDate());
    return withTime ? day + 'T' + pad2(d.getUTCHours()) + ':' + pad2(d.getUTCMinutes()) : day;
  }

  /** "mån 7 dec 2026" and "14:00" of a local "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD" (formatStepperDate in time.ts). */
  function stepperTexts(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value);
    if (!m) return { date: '–', time: '–' };
    var names = W.stepperNames;
    var wd = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay();
    return { date: names.weekdays[wd] + ' ' + +m[3] + ' ' + names.months[+m[2] - 1] + ' ' + m[1], time: m[4] !== undefined ? m[4] + ':' + m[5] : '–' };
  }

  /**
   * The steppers of date-stepper.tsx. An empty optional one (data-dt-empty: a filter without a
   * limit) starts from its data-dt-start day at the first tap; "Rensa" empties it again.
   */
  function dateTimeStepper(box) {
    var field = box.querySelector('input[type="hidden"]');
    if (!field) return;
    var form = box.closest('form');
    function show(b) {
      var f = b.querySelector('input[type="hidden"]');
      var t = stepperTexts(f.value);
      var empty = b.getAttribute('data-dt-empty');
      setText(b.querySelector('[data-dt-date]'), f.value === '' && empty ? empty : t.date);
      var time = b.querySelector('[data-dt-time]');
      if (time) setText(time, t.time);
      var clear = b.querySelector('[data-step="clear"]');
      if (clear) clear.disabled = f.value === '';
    }
    box.querySelectorAll('[data-step]').forEach(function (b) {
      b.hidden = false;
    });
    show(box);
    box.addEventListener('click', function (e) {
      var button = e.target && e.target.closest ? e.target.closest('[data-step]') : null;
      if (!button) return;
      var step = button.getAttribute('data-step').split(':');
      if (step[0] === 'clear') {
        field.value = '';
        show(box);
        return;
      }
      var days = step[0] === 'day' ? Number(step[1]) : 0;
      var minutes = step[0] === 'min' ? Number(step[1]) : 0;
      if (field.value === '') {
        // the first tap on an empty field shows the start day itself, then steps from there
        field.value = box.getAttribute('data-dt-start') || '';
        show(box);
        return;
      }
      field.value = stepLocal(field.value, days, minutes);
      show(box);
      // the end moves along with the start, keeping the length of the outage
      var drags = box.getAttribute('data-dt-drags');
      var other = null;
      if (drags && form) {
        form.querySelectorAll('[data-dt-stepper]').forEach(function (b) {
          if (b.getAttribute('data-dt-stepper') === drags) other = b;
        });
      }
      var otherField = other ? other.querySelector('input[type="hidden"]') : null;
      if (otherField && otherField.value !== '') {
        otherField.value = stepLocal(otherField.value, days, minutes);
        show(other);
      }
    });
  }

  /**
   * A print form (data-once) sends once: a second tap while the first is on its way is ignored, and
   * the button says "Skickar …" (the server also prints once per request id). The one guard every
   * page uses (the page scripts documents.js, labels.js and patient-labels.js have none of their own).
   * A button with formmethod="get" (a preview, "Visa antal") is not a print and passes.
   */
  function submitOnce(form) {
    var sent = false;
    var pressed = null;
    var label = '';
    form.addEventListener('submit', function (e) {
      var submitter = e.submitter;
      if (submitter && submitter.getAttribute('formmethod') === 'get') return;
      if (sent) {
        e.preventDefault();
        return;
      }
      sent = true;
      // the big print button, even when "Enter" in a field sent the form
      pressed = submitter || form.querySelector('button[type="submit"].primary') || form.querySelector('button[type="submit"]');
      if (pressed) {
        label = pressed.textContent;
        pressed.setAttribute('aria-disabled', 'true');
        pressed.textContent = W.liveTexts.sending;
      }
    });
    // Back to this page from the history: the form may be used again (same request id: no double kit).
    root.addEventListener('pageshow', function () {
      sent = false;
      if (pressed) {
        pressed.removeAttribute('aria-disabled');
        pressed.textContent = label;
        pressed = null;
      }
    });
  }

  function start(doc) {
    guardGhostTaps(doc);
    var box = doc.querySelector('[data-batch-id]');
    if (box) followBatch(doc, box);
    else pollPrinters(doc);
    doc.querySelectorAll('form[data-confirm-over]').forEach(confirmLarge);
    doc.querySelectorAll('form[data-once]').forEach(submitOnce);
    doc.querySelectorAll('[data-pin-keypad]').forEach(pinKeypad);
    doc.querySelectorAll('[data-dt-stepper]').forEach(dateTimeStepper);
    doc.querySelectorAll('[data-letter-field]').forEach(letterKeypad);
  }

  root.reservkitUi = {
    stepLocal: stepLocal,
    stepperTexts: stepperTexts,
  };
  if (root.document) {
    if (root.document.readyState === 'loading') root.document.addEventListener('DOMContentLoaded', function () { start(root.document); });
    else start(root.document);
  }
})(typeof window !== 'undefined' ? window : globalThis);
