// fzcheck serve: the page's only script. Data from reports goes into the page as text
// (textContent), never as markup.
(function () {
  'use strict';
  var words = {};
  try { words = JSON.parse(document.getElementById('fz-words').textContent); } catch (e) { words = {}; }
  function w(key) { return words[key] || key; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  // -- upload: the file input and dropping files on the form ----------------------------------
  var form = document.getElementById('upload');
  if (form) {
    var input = document.getElementById('files');
    var status = document.getElementById('upload-status');
    var send = function (files) {
      if (!files || !files.length) { return; }
      var data = new FormData();
      for (var i = 0; i < files.length; i++) { data.append('files', files[i], files[i].name); }
      status.textContent = w('uploading');
      fetch(form.getAttribute('data-target'), {method: 'POST', body: data, credentials: 'same-origin',
                                               headers: {'Accept': 'application/json'}})
        .then(function (r) {
          return r.json().then(function (body) { return {ok: r.ok, body: body}; },
                               function () { return {ok: false, body: {error: r.status + ' ' + r.statusText}}; });
        })
        .then(function (res) {
          if (!res.ok) { status.textContent = w('upload_failed') + ': ' + (res.body.error || ''); return; }
          status.textContent = '';
          if (input) { input.value = ''; }
          if (res.body.url) { window.location.assign(res.body.url); } else { poll(); }
        })
        .catch(function (err) { status.textContent = w('upload_failed') + ': ' + err; });
    };
    form.addEventListener('submit', function (ev) { ev.preventDefault(); send(input.files); });
    if (input) { input.addEventListener('change', function () { send(input.files); }); }
    ['dragenter', 'dragover'].forEach(function (name) {
      form.addEventListener(name, function (ev) { ev.preventDefault(); form.classList.add('over'); });
    });
    ['dragleave', 'drop'].forEach(function (name) {
      form.addEventListener(name, function (ev) { ev.preventDefault(); form.classList.remove('over'); });
    });
    form.addEventListener('drop', function (ev) { send(ev.dataTransfer && ev.dataTransfer.files); });
  }

  // -- the batch: the coverage matrix, filled in as results come --------------------------------
  var batchEl = document.getElementById('batch');
  var state = {rows: [], columns: [], sort: 'score', desc: true, timer: null};
  // the one status table's marks (render/common.STATUS), handed over by the page
  var MARKS = batchEl ? JSON.parse(batchEl.getAttribute('data-marks') || '{}') : {};

  function gateOf(row) {
    if (row.state === 'error') { return 2; }
    if (row.state !== 'done') { return 3; }
    var passed = row.reviewed ? row.reviewed.passed : row.passed;
    return passed ? 1 : 0;
  }
  function key(row) {
    var s = state.sort;
    if (s === 'score') { return row.state === 'done' ? (row.reviewed ? row.reviewed.score : row.score) : -1; }
    if (s === 'status') { return gateOf(row); }
    if (s === 'year') { return row.year || 0; }
    return String(row[s] || '');
  }
  function sorted(rows) {
    var copy = rows.slice();
    copy.sort(function (a, b) {
      var x = key(a), y = key(b);
      var c = x < y ? -1 : (x > y ? 1 : 0);
      if (state.desc) { c = -c; }
      return c || a.n - b.n;
    });
    return copy;
  }
  function render() {
    var table = document.getElementById('matrix');
    var headRow = table.tHead.rows[0];
    while (headRow.cells.length > 6) { headRow.deleteCell(6); }
    state.columns.forEach(function (c) {
      var th = el('th', 'rule', c.title);
      th.title = c.id;
      headRow.appendChild(th);
    });
    Array.prototype.forEach.call(headRow.cells, function (th) {
      th.classList.remove('sorted-asc', 'sorted-desc');
      if (th.getAttribute('data-sort') === state.sort) { th.classList.add(state.desc ? 'sorted-desc' : 'sorted-asc'); }
    });
    var only = document.getElementById('only-failing').checked;
    var body = el('tbody');
    sorted(state.rows).forEach(function (row) {
      if (only && gateOf(row) !== 0) { return; }
      var tr = el('tr', 'row-' + row.state);
      tr.setAttribute('data-n', row.n);
      var name = el('td', 'name');
      if (row.state === 'done') {
        var a = el('a', null, row.name);
        a.href = '/b/' + batchEl.getAttribute('data-batch') + '/r/' + row.n;
        name.appendChild(a);
      } else { name.textContent = row.name; }
      tr.appendChild(name);
      if (row.state === 'error') {
        var err = el('td', 'err', w('error') + ': ' + (row.error || ''));
        err.colSpan = 5 + state.columns.length;
        tr.appendChild(err);
      } else if (row.state !== 'done') {
        tr.appendChild(el('td', null, ''));
        tr.appendChild(el('td', null, ''));
        tr.appendChild(el('td', null, ''));
        tr.appendChild(el('td', null, ''));
        var q = el('td'); q.appendChild(el('span', 'gate queued', w('queued'))); tr.appendChild(q);
        state.columns.forEach(function () { tr.appendChild(el('td', 'cell', '')); });
      } else {
        var r = row.reviewed;
        tr.appendChild(el('td', null, row.unit || ''));
        tr.appendChild(el('td', 'num', row.year || ''));
        var sc = el('td', 'num', r ? r.score : row.score);
        if (r) { sc.appendChild(el('span', 'reviewed-mark', ' (' + row.score + ')')); sc.title = w('reviewed'); }
        tr.appendChild(sc);
        tr.appendChild(el('td', null, r ? r.grade : row.grade));
        var passed = r ? r.passed : row.passed;
        var g = el('td');
        g.appendChild(el('span', 'gate ' + (passed ? 'pass' : 'fail'), passed ? w('passed') : w('failed')));
        if (r) { g.appendChild(el('span', 'reviewed-mark', ' ' + w('reviewed'))); }
        tr.appendChild(g);
        state.columns.forEach(function (c) {
          var st = (row.status || {})[c.id];
          var td = el('td', 'cell c-' + (st || 'none'), st ? (MARKS[st] || '?') : '');
          td.title = c.title + ': ' + (st ? w('status.' + st) : '');
          tr.appendChild(td);
        });
      }
      body.appendChild(tr);
    });
    table.replaceChild(body, table.tBodies[0]);
  }
  function poll() {
    if (!batchEl) { return; }
    if (state.timer) { clearTimeout(state.timer); state.timer = null; }
    fetch('/api/b/' + batchEl.getAttribute('data-batch'), {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        state.rows = data.rows || [];
        state.columns = data.columns || [];
        var bar = document.getElementById('progress');
        bar.max = Math.max(1, data.total); bar.value = data.done;
        document.getElementById('progress-text').textContent =
          w('progress').replace('{done}', data.done).replace('{total}', data.total);
        batchEl.setAttribute('data-done', data.done === data.total ? 'yes' : 'no');
        render();
        state.timer = setTimeout(poll, data.done < data.total ? 800 : 10000);
      })
      .catch(function () { state.timer = setTimeout(poll, 3000); });
  }
  if (batchEl) {
    Array.prototype.forEach.call(document.querySelectorAll('#matrix th[data-sort]'), function (th) {
      th.addEventListener('click', function () {
        var s = th.getAttribute('data-sort');
        state.desc = state.sort === s ? !state.desc : (s === 'score' || s === 'year');
        state.sort = s;
        render();
      });
    });
    document.getElementById('only-failing').addEventListener('change', render);
    var del = document.getElementById('delete-form');
    if (del) {
      del.addEventListener('submit', function (ev) { if (!window.confirm(w('delete_confirm'))) { ev.preventDefault(); } });
    }
    poll();
  }

  // -- the report view ---------------------------------------------------------------------
  var printButton = document.getElementById('print');
  if (printButton) { printButton.addEventListener('click', function () { window.print(); }); }
  Array.prototype.forEach.call(document.querySelectorAll('a.goto'), function (a) {
    a.addEventListener('click', function () {
      var target = document.getElementById(a.getAttribute('href').slice(1));
      if (!target) { return; }
      target.classList.add('flash');
      setTimeout(function () { target.classList.remove('flash'); }, 1600);
    });
  });
}());
