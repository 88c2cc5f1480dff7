/* jobtrack — small progressive enhancements. No dependencies, no build step.
   Every feature here has a plain-form fallback; without this file every page still works.
   1. toasts  2. confirm before destructive forms  3. copy buttons  4. timeline form  5. local times
   6. focus the first invalid field  7. board moves  8. postings search as you type */
(function () {
  // The server judges "today" and "overdue" on this browser's calendar.
  try {
    document.cookie = 'jt_tzo=' + (-new Date().getTimezoneOffset()) + '; path=/; max-age=31536000; samesite=lax';
  } catch (e) { /* cookies off: the server uses UTC */ }

  'use strict';

  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  /* ---------- 1. Toasts: server flashes and our own messages fade out after a few seconds ---------- */
  var toasts = document.getElementById('toasts');

  function dismiss(t) {
    if (!t.parentNode || t.classList.contains('is-leaving')) return;
    t.classList.add('is-leaving');
    setTimeout(function () { if (t.parentNode) t.parentNode.removeChild(t); }, 300);
  }

  function arm(t) {
    var ms = t.classList.contains('toast-error') ? 9000 : 5000;
    var timer = setTimeout(function () { dismiss(t); }, ms);
    // Hovering keeps a toast readable; clicking it dismisses it.
    t.addEventListener('mouseenter', function () { clearTimeout(timer); });
    t.addEventListener('mouseleave', function () { timer = setTimeout(function () { dismiss(t); }, 2000); });
    t.addEventListener('click', function () { dismiss(t); });
  }

  function toast(message, kind) {
    if (!toasts) return;
    var t = document.createElement('div');
    var m = document.createElement('span');
    t.className = 'toast toast-' + (kind || 'success');
    m.className = 'toast-msg';
    m.textContent = message;
    t.appendChild(m);
    toasts.appendChild(t);
    arm(t);
  }

  if (toasts) each(toasts.querySelectorAll('.toast'), arm);

  /* ---------- 2. confirm() before forms marked data-confirm="message" (delete, revoke) ---------- */
  document.addEventListener('submit', function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  /* ---------- 3. Copy buttons (hidden until we know the clipboard works) ---------- */
  each(document.querySelectorAll('[data-copy]'), function (btn) {
    var src = document.getElementById(btn.getAttribute('data-copy'));
    if (!src || !navigator.clipboard || !window.isSecureContext) return;
    btn.hidden = false;
    btn.addEventListener('click', function () {
      navigator.clipboard.writeText(src.textContent.trim()).then(function () {
        btn.textContent = 'Copied';
        toast('Copied to the clipboard.');
      }, function () {
        toast('Could not copy. Select the text and copy it by hand.', 'error');
      });
    });
  });

  /* ---------- 4. Timeline form: interview-only fields show for interviews only ---------- */
  var kind = document.querySelector('[data-kind-select]');
  if (kind) {
    // A rejected form comes back with the kind that was typed.
    var typedKind = kind.getAttribute('data-value');
    if (typedKind && kind.querySelector('option[value="' + typedKind.replace(/[^a-z_]/g, '') + '"]')) kind.value = typedKind;
    var syncKind = function () {
      each(document.querySelectorAll('[data-kind-only]'), function (el) {
        var off = el.getAttribute('data-kind-only') !== kind.value;
        el.hidden = off;
        each(el.querySelectorAll('input, select, textarea'), function (f) { f.disabled = off; });
      });
    };
    kind.addEventListener('change', syncKind);
    syncKind();
  }

  /* ---------- 5. Local times: the server writes UTC; show the browser's own time zone ---------- */
  var pad = function (n) { return (n < 10 ? '0' : '') + n; };
  if (window.Intl && Intl.DateTimeFormat) {
    var thisYear = new Date().getFullYear();
    var fmt = function (d) {
      var o = { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
      if (d.getFullYear() !== thisYear) o.year = 'numeric';
      return new Intl.DateTimeFormat(undefined, o).format(d);
    };
    // <time data-local datetime="2026-12-03T15:00:00Z">Dec 3, 2026 · 15:00 UTC</time>: the UTC text stays in the title.
    each(document.querySelectorAll('time[data-local]'), function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (isNaN(d.getTime())) return;
      if (!t.title) t.title = t.textContent.trim();
      t.textContent = fmt(d);
    });
  }

  // Timeline forms' datetime-local fields hold wall-clock time; send them with this browser's UTC offset.
  var localInputs = document.querySelectorAll('input[data-local-input]');
  if (localInputs.length && window.FormDataEvent) {
    each(localInputs, function (input) {
      // The server shows stored times in UTC (data-utc), and echoes a rejected value with its offset
      // ("…T10:00-05:00"); the field shows neither as this browser's wall-clock time, so convert.
      var given = input.getAttribute('value');
      if (given && input.hasAttribute('data-utc') && !/([zZ]|[+-]\d\d:\d\d)$/.test(given)) given += 'Z';
      var back = given && /([zZ]|[+-]\d\d:\d\d)$/.test(given) ? new Date(given) : null;
      if (back && !isNaN(back.getTime())) {
        input.value = back.getFullYear() + '-' + pad(back.getMonth() + 1) + '-' + pad(back.getDate()) +
          'T' + pad(back.getHours()) + ':' + pad(back.getMinutes());
      }
      if (!input.form) return;
      input.form.addEventListener('formdata', function (e) {
        var v = input.value; // "2026-12-03T10:00" (seconds too, sometimes); empty means "now" on the server
        var d = v ? new Date(v) : null;
        if (!d || isNaN(d.getTime())) return;
        var off = -d.getTimezoneOffset();
        e.formData.set(input.name, v + (off < 0 ? '-' : '+') + pad(Math.floor(Math.abs(off) / 60)) + ':' + pad(Math.abs(off) % 60));
      });
    });
    var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
    each(document.querySelectorAll('[data-tz-hint]'), function (h) {
      if (zone) h.textContent = 'Your local time (' + zone.replace(/_/g, ' ') + ')';
    });
  } else if (localInputs.length) {
    each(document.querySelectorAll('[data-tz-hint]'), function (h) { h.textContent = 'In UTC'; });
  }

  /* ---------- 6. A form that came back with errors: put the first one in front of the person ---------- */
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) {
    var box = invalid.closest('details');
    if (box) box.open = true;
    invalid.focus({ preventScroll: true });
    invalid.scrollIntoView({ block: 'center' });
  }

  /* ---------- 7. Board: drag and drop, and the Move form without a reload ---------- */
  var board = document.querySelector('[data-board]');
  if (!board || !window.fetch) return;
  var live = document.getElementById('board-live');
  var dragged = null;

  function el(node) { return node && node.nodeType === 1 ? node : node && node.parentElement; }
  function columnOf(node) { node = el(node); return node && node.closest('.column'); }
  function columnFor(status) {
    var found = null;
    each(board.querySelectorAll('.column'), function (c) { if (c.getAttribute('data-status') === status) found = c; });
    return found;
  }

  function announce(text) {
    if (!live) return;
    live.textContent = '';
    setTimeout(function () { live.textContent = text; }, 60);
  }

  function bump(col, delta) {
    var n = Math.max(0, (parseInt(col.getAttribute('data-count'), 10) || 0) + delta);
    col.setAttribute('data-count', String(n));
    var t = col.querySelector('[data-count-text]');
    if (t) t.textContent = String(n);
  }

  // The Move select lists every column except the one the card is in, with the next one chosen
  // so that pressing Move goes forward (after the last column nothing is chosen: the first shows).
  function refreshMoves(card, status) {
    var sel = card.querySelector('.move-form select');
    if (!sel) return;
    var cols = board.querySelectorAll('.column');
    var next = null;
    sel.textContent = '';
    each(cols, function (c, i) {
      var s = c.getAttribute('data-status');
      if (s === status && cols[i + 1]) next = cols[i + 1].getAttribute('data-status');
    });
    each(cols, function (c) {
      var s = c.getAttribute('data-status');
      if (s !== status) sel.appendChild(new Option(c.getAttribute('data-label'), s, s === next, s === next));
    });
  }

  function failure(res) {
    if (!res) return 'check your connection';
    if (res.status === 401) return 'your session has ended; log in again';
    if (res.status === 403) return 'this page is out of date; reload it';
    if (res.status === 404) return 'it no longer exists';
    return 'the server said ' + res.status;
  }

  function move(card, target, viaKeyboard) {
    var from = columnOf(card);
    if (!from || !target || target === from || card.classList.contains('is-busy')) return;
    var fromList = from.querySelector('.cards');
    var next = card.nextElementSibling;
    var status = target.getAttribute('data-status');
    var label = target.getAttribute('data-label');
    var name = card.getAttribute('data-company') || 'the application';

    // Move at once, put it back if the server says no.
    card.classList.add('is-busy');
    card.setAttribute('aria-busy', 'true');
    target.querySelector('.cards').insertBefore(card, target.querySelector('.card'));
    bump(from, -1);
    bump(target, 1);
    var focusBack = function () {
      if (!viaKeyboard) return;
      var sel = card.querySelector('.move-form select');
      if (sel) sel.focus();
      card.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    };
    focusBack();

    var response = null;
    fetch('/api/v1/applications/' + encodeURIComponent(card.getAttribute('data-id')), {
      method: 'PATCH',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ status: status })
    }).then(function (res) {
      response = res;
      if (res.ok) return null;
      // The API answers errors as {"error": {"code", "message", "field"}}.
      return res.json().then(function (j) { return j && j.error && j.error.message; }, function () { return null; });
    }).then(function (problem) {
      if (!response || !response.ok) throw new Error(problem || failure(response));
      refreshMoves(card, status);
      announce('Moved ' + name + ' to ' + label);
    }).catch(function (err) {
      fromList.insertBefore(card, next && next.parentNode === fromList ? next : null);
      bump(target, -1);
      bump(from, 1);
      var why = response ? err.message : failure(null);
      toast('Could not move ' + name + ' to ' + label + ': ' + why.replace(/\.$/, '') + '.', 'error');
    }).then(function () {
      card.classList.remove('is-busy');
      card.removeAttribute('aria-busy');
      focusBack();
    });
  }

  function clearOver() { each(board.querySelectorAll('.column.is-over'), function (c) { c.classList.remove('is-over'); }); }

  each(board.querySelectorAll('.card'), function (c) { c.setAttribute('draggable', 'true'); });

  board.addEventListener('dragstart', function (e) {
    var card = el(e.target).closest('.card');
    if (!card) return;
    dragged = card;
    card.classList.add('is-dragging');
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', card.getAttribute('data-company') || card.getAttribute('data-id'));
  });

  board.addEventListener('dragend', function () {
    if (dragged) dragged.classList.remove('is-dragging');
    dragged = null;
    clearOver();
  });

  board.addEventListener('dragover', function (e) {
    var col = columnOf(e.target);
    if (!dragged || !col) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    if (!col.classList.contains('is-over')) { clearOver(); col.classList.add('is-over'); }
  });

  board.addEventListener('dragleave', function (e) {
    var col = columnOf(e.target);
    if (col && !col.contains(e.relatedTarget)) col.classList.remove('is-over');
  });

  board.addEventListener('drop', function (e) {
    var col = columnOf(e.target);
    if (!dragged || !col) return;
    e.preventDefault();
    var card = dragged;
    clearOver();
    move(card, col, false);
  });

  // Keyboard and touch path: the plain "Move to" form, sent with fetch instead of a page load.
  board.addEventListener('submit', function (e) {
    var form = e.target;
    if (e.defaultPrevented || !form.classList.contains('move-form')) return;
    var card = form.closest('.card');
    var sel = form.querySelector('select[name="status"]');
    var target = sel && columnFor(sel.value);
    if (!card || !target) return; // unknown column: let the browser post the form
    e.preventDefault();
    move(card, target, true);
  });
})();

// Admin source page: a running run's row polls the runs API and updates its
// counters and progress bar in place; without JS the page shows the counters
// as they were when it was rendered (reload for more).
(function () {
  var rows = document.querySelectorAll('[data-run-poll]');
  if (!rows.length || !window.fetch) return;
  Array.prototype.forEach.call(rows, function (row) {
    var url = row.getAttribute('data-run-poll');
    function set(name, v) {
      var el = row.querySelector('[data-run-field="' + name + '"]');
      if (el && v !== undefined && v !== null) el.textContent = String(v);
    }
    function tick() {
      fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (run) {
          if (!run) return;
          var p = run.progress;
          set('status', run.status);
          set('pages', p ? p.pages : run.counts.pages);
          set('found', p ? p.found : run.counts.found);
          set('errors', p ? p.errors : run.counts.errors);
          var bar = row.querySelector('[data-run-field="progress"]');
          if (bar && p) {
            bar.max = Math.max(1, p.requests_done + p.requests_queued);
            bar.value = p.requests_done;
          }
          if (run.status === 'running') setTimeout(tick, 2000);
          else if (bar) bar.remove();
        })
        .catch(function () { setTimeout(tick, 5000); });
    }
    setTimeout(tick, 1000);
  });
})();

// Postings search as you type: after a pause in typing (or a changed
// filter) the page's own GET form is fetched as HTML and its results replace
// these, and the address bar follows, so the URL stays shareable. The server
// renders the results (snippets are escaped there); without JS the form
// submits as usual. Focus stays in the field being edited.
(function () {
  var form = document.getElementById('posting-search');
  var results = document.getElementById('search-results');
  if (!form || !results || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;
  var timer = null, seq = 0, controller = null;
  function url() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.value && !el.disabled) params.append(el.name, el.value);
    });
    var qs = params.toString();
    return form.getAttribute('action') + (qs ? '?' + qs : '');
  }
  function run() {
    var target = url(), mine = ++seq;
    if (controller && controller.abort) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    results.setAttribute('aria-busy', 'true');
    fetch(target, { credentials: 'same-origin', headers: { accept: 'text/html' }, signal: controller ? controller.signal : undefined })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (mine !== seq) return; // a newer search is on its way
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('search-results');
        if (!fresh) return;
        results.innerHTML = fresh.innerHTML;
        var total = document.getElementById('search-total'), freshTotal = doc.getElementById('search-total');
        if (total && freshTotal) total.textContent = freshTotal.textContent;
        var err = document.getElementById('s-error'), freshErr = doc.getElementById('s-error');
        if (err) err.remove();
        if (freshErr) form.insertAdjacentElement('afterend', document.importNode(freshErr, true));
        if (history.replaceState) history.replaceState(null, '', target);
      })
      .catch(function () { /* aborted or offline: the form still submits */ })
      .then(function () { if (mine === seq) results.removeAttribute('aria-busy'); });
  }
  function later(ms) {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  }
  form.addEventListener('input', function (e) {
    if (e.target && e.target.tagName === 'INPUT') later(300);
  });
  form.addEventListener('change', function (e) {
    if (e.target && e.target.tagName === 'SELECT') later(0);
  });
})();

// "Save this search" keeps the search the address bar shows now: searching
// as you type (above) changes it after the page was rendered. Without JS
// the rendered form already holds the page's search.
(function () {
  var form = document.getElementById('save-search');
  if (!form || !form.elements.query) return;
  form.addEventListener('submit', function () {
    if (window.location.search.length > 1) form.elements.query.value = window.location.search.slice(1);
  });
})();
