// reservkit touchscreen script (served as /static/app.js, no build step, no framework).
// 1. The batch page follows /api/batches/:id/events and updates its rows, banner and printers in
//    place, with textContent only. 2. The print form ignores a second tap while the first is on
//    its way (the server prints one kit per request id anyway).
// The server puts RESERVKIT_WORDING (the tables of src/domain/wording.ts) in front of this file; the
// helpers below mirror wording.ts, and test/unit/ui-routes.test.ts checks that they agree.
(function (root) {
  'use strict';
  var W = root.RESERVKIT_WORDING;
  var TERMINAL = ['completed', 'aborted', 'canceled'];
  var SUFFIX = /-(report|warning|error)$/;
  var own = function (o, k) {
    return Object.prototype.hasOwnProperty.call(o, k);
  };

  function reasonBase(k) {
    return k.replace(SUFFIX, '');
  }
  function reasonText(k) {
    var b = reasonBase(k);
    return own(W.reasonWords, b) ? W.reasonWords[b] : k;
  }
  function reasonTexts(ks) {
    var out = [];
    ks.forEach(function (k) {
      if (k === 'none') return;
      var t = reasonText(k);
      if (out.indexOf(t) < 0) out.push(t);
    });
    return out;
  }
  function matchesReason(p, reasons) {
    if (p.charAt(p.length - 1) === '*') {
      var pre = p.slice(0, -1);
      return reasons.some(function (r) {
        return r.indexOf(pre) === 0;
      });
    }
    return reasons.indexOf(p) >= 0;
  }
  function jobStateText(state, reasons) {
    reasons = reasons || [];
    for (var i = 0; i < W.jobStateRules.length; i++) {
      var r = W.jobStateRules[i];
      if (r.state === state && r.reasons.some(function (p) { return matchesReason(p, reasons); })) return r.text;
    }
    return W.jobStateWords[state];
  }
  function jobTone(state, reasons) {
    if (state === 'pending' && (reasons || []).indexOf('station-printer-unreachable') >= 0) return 'warn';
    return W.jobStateTones[state];
  }
  function printerSummary(p) {
    if (p.reachable === false) {
      var t = reasonTexts(p.reasons);
      return { text: t.length ? t.join(', ') : W.printerTexts.unreachable, tone: 'bad', ready: false };
    }
    if (p.reachable === null) return { text: W.printerTexts.notChecked, tone: 'idle', ready: false };
    var blocking = reasonTexts(p.reasons.filter(function (r) { return W.blockingReasons.indexOf(reasonBase(r)) >= 0; }));
    var warnings = reasonTexts(p.reasons.filter(function (r) { return W.warningReasons.indexOf(reasonBase(r)) >= 0; }));
    if (p.acceptsPdf === false) blocking.push(W.printerTexts.noPdf);
    var details = blocking.concat(warnings);
    var text = W.printerStateWords[p.state] + (details.length ? ' – ' + details.join(', ') : '');
    if (blocking.length || p.state === 'stopped' || p.state === 'unknown') return { text: text, tone: 'bad', ready: false };
    if (warnings.length) return { text: text, tone: 'warn', ready: true };
    return { text: text, tone: p.state === 'processing' ? 'busy' : 'ok', ready: true };
  }
  function batchSummary(jobs) {
    var B = W.bannerTexts;
    if (!jobs.length) return { state: 'completed', tone: 'idle', text: B.empty };
    var done = jobs.filter(function (j) { return j.state === 'completed'; }).length;
    var progress = B.progress.replace('{done}', String(done)).replace('{total}', String(jobs.length));
    var allDone = jobs.every(function (j) { return TERMINAL.indexOf(j.state) >= 0; });
    if (!allDone) {
      var waiting = jobs.some(function (j) {
        return j.state === 'pending' && j.reasons.indexOf('station-printer-unreachable') >= 0;
      });
      return waiting
        ? { state: 'printing', tone: 'warn', text: B.waiting + ' ' + progress }
        : { state: 'printing', tone: 'busy', text: B.printing + ' ' + progress };
    }
    if (done === jobs.length) return { state: 'completed', tone: 'ok', text: B.completed };
    var whys = [];
    var titles = Object.create(null);
    jobs.forEach(function (j) {
      if (j.state === 'completed') return;
      var why = (j.message.trim() || jobStateText(j.state, j.reasons)).replace(/\.$/, '');
      if (!own(titles, why)) {
        titles[why] = [];
        whys.push(why);
      }
      titles[why].push(j.title);
    });
    var parts = whys.map(function (why) {
      var t = titles[why];
      return t.length > 2 ? B.manyFailed.replace('{why}', why).replace('{count}', String(t.length)) : t.join(' och ') + ': ' + why;
    });
    return { state: 'failed', tone: 'bad', text: B.failed + parts.join('; ') + '.' };
  }

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
    var jobs = Object.create(null);
    var order = Object.keys(rows);
    var finished = box.getAttribute('data-state') !== 'printing';

    function showJob(j) {
      // A document that joined the batch after the page was made (none does today): reload once.
      if (!rows[j.id] && order.length && !finished) {
        window.location.reload();
        return;
      }
      jobs[j.id] = j;
      (rows[j.id] || []).forEach(function (row) {
        var chip = row.querySelector('.js-state');
        if (chip) {
          setText(chip, jobStateText(j.state, j.reasons));
          setTone(chip, jobTone(j.state, j.reasons));
        }
        setText(row.querySelector('.js-message'), j.message || '');
        setText(row.querySelector('.js-printer'), j.printerName);
        var cancel = row.querySelector('.js-cancel');
        if (cancel) cancel.hidden = TERMINAL.indexOf(j.state) >= 0;
        var retry = row.querySelector('.js-retry');
        if (retry) retry.hidden = !(j.state === 'aborted' || j.state === 'canceled');
      });
    }
    function showBanner() {
      var list = order.map(function (k) { return jobs[k]; }).filter(Boolean);
      if (list.length !== order.length) return; // not every row known yet: keep the server's banner
      var s = batchSummary(list);
      setText(banner.querySelector('.js-banner-text'), s.text);
      setTone(banner, s.tone);
      box.setAttribute('data-state', s.state);
      if (s.state !== 'printing') {
        finished = true;
        setText(live, W.liveTexts.finished);
        es.close();
      }
    }
    function showPrinter(p) {
      var s = printerSummary(p);
      (printers[p.id] || []).forEach(function (el) {
        var chip = el.querySelector('.js-pstate');
        if (!chip) return;
        setText(chip, s.text);
        setTone(chip, s.tone);
      });
    }
    function data(e) {
      try {
        return JSON.parse(e.data);
      } catch (err) {
        return null;
      }
    }

    if (finished || typeof root.EventSource !== 'function') return;
    var es = new root.EventSource('/api/batches/' + encodeURIComponent(id) + '/events');
    es.addEventListener('batch', function (e) {
      var b = data(e);
      if (!b) return;
      b.jobs.forEach(showJob);
      showBanner();
    });
    es.addEventListener('job', function (e) {
      var j = data(e);
      if (!j) return;
      showJob(j);
      showBanner();
    });
    es.addEventListener('printer', function (e) {
      var p = data(e);
      if (p) showPrinter(p);
    });
    es.addEventListener('open', function () {
      setText(live, W.liveTexts.connected);
    });
    es.addEventListener('error', function () {
      if (!finished) setText(live, W.liveTexts.lost);
    });
    root.addEventListener('pagehide', function () {
      es.close();
    });
  }

  function guardPrintForm(form) {
    var sent = false;
    var button = form.querySelector('button[type="submit"]');
    var label = button ? button.textContent : '';
    form.addEventListener('submit', function (e) {
      if (sent) {
        e.preventDefault();
        return;
      }
      sent = true;
      if (button) {
        button.setAttribute('aria-disabled', 'true');
        button.textContent = W.liveTexts.sending;
      }
    });
    // Back to this page from the history: the form may be used again (same request id: no double kit).
    root.addEventListener('pageshow', function () {
      sent = false;
      if (button) {
        button.removeAttribute('aria-disabled');
        button.textContent = label;
      }
    });
  }

  function start(doc) {
    var box = doc.querySelector('[data-batch-id]');
    if (box) followBatch(doc, box);
    doc.querySelectorAll('form[data-once]').forEach(guardPrintForm);
  }

  root.reservkitUi = {
    reasonText: reasonText,
    reasonTexts: reasonTexts,
    jobStateText: jobStateText,
    jobTone: jobTone,
    printerSummary: printerSummary,
    batchSummary: batchSummary,
  };
  if (root.document) {
    if (root.document.readyState === 'loading') root.document.addEventListener('DOMContentLoaded', function () { start(root.document); });
    else start(root.document);
  }
})(typeof window !== 'undefined' ? window : globalThis);
