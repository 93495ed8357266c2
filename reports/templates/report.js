/* migrate-audit HTML report: the findings explorer.
 *
 * The findings come from a JSON block (never from HTML markup) and every string is put on the page with
 * textContent or createTextNode, never innerHTML, so nothing from the scanned code can become markup.
 * Rows are rendered one page at a time: a report with 20,000 findings keeps a few hundred DOM rows. */
(function () {
  'use strict';

  var DATA = JSON.parse(document.getElementById('ma-data').textContent);
  var FINDINGS = DATA.findings;
  var RULES = DATA.rules;
  var SOURCES = DATA.sources;
  var CATEGORY_ORDER = DATA.categories;
  var VERDICT_ORDER = DATA.verdicts;
  var COLUMNS = 6;

  var state = {
    q: [], category: '', verdict: '', rule: '', path: '', unit: '', ported: '', group: 'rule',
    sort: 'location', desc: false, suppressed: false, page: 0, pageSize: 100
  };
  // Sorts whose natural order (first click) is largest first: aria-sort must say so.
  var DESCENDING_FIRST = { effort: true };
  var filtered = [];
  var groupStats = {};
  var open = {};  // index of a finding -> its detail row is open

  function $(id) { return document.getElementById(id); }
  var els = {
    search: $('f-search'), category: $('f-category'), verdict: $('f-verdict'), rule: $('f-rule'),
    path: $('f-path'), ported: $('f-ported'), group: $('f-group'), suppressed: $('f-suppressed'), pageSize: $('f-pagesize'),
    rows: $('f-rows'), status: $('f-status'), page: $('f-page'), chips: $('f-chips'),
    first: $('f-first'), prev: $('f-prev'), next: $('f-next'), last: $('f-last'), reset: $('f-reset')
  };

  // Lower-cased text each finding is searched in, computed once.
  var HAY = FINDINGS.map(function (f) {
    var rule = RULES[f.code] || {};
    return [f.code, rule.title || '', f.path, f.message, f.counterpart].join('\n').toLowerCase();
  });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // Rule metadata uses `backticks` for code: render those spans as <code>, the rest as plain text.
  function appendInline(parent, text) {
    var parts = String(text).split(/`([^`\n]+)`/);
    for (var i = 0; i < parts.length; i++) {
      if (!parts[i]) { continue; }
      parent.appendChild(i % 2 ? el('code', null, parts[i]) : document.createTextNode(parts[i]));
    }
    return parent;
  }

  function number(n) { return Number(n).toLocaleString('en-US'); }

  function indexOf(list, value) {
    var i = list.indexOf(value);
    return i < 0 ? list.length : i;
  }

  function byLocation(a, b) {
    var fa = FINDINGS[a], fb = FINDINGS[b];
    if (fa.path !== fb.path) { return fa.path < fb.path ? -1 : 1; }
    return (fa.line - fb.line) || (fa.column - fb.column) || (fa.code < fb.code ? -1 : fa.code > fb.code ? 1 : 0);
  }

  var SORTS = {
    location: function () { return 0; },
    rule: function (a, b) { return FINDINGS[a].code < FINDINGS[b].code ? -1 : FINDINGS[a].code > FINDINGS[b].code ? 1 : 0; },
    effort: function (a, b) { return FINDINGS[b].effort - FINDINGS[a].effort; },
    category: function (a, b) {
      return indexOf(CATEGORY_ORDER, FINDINGS[a].category) - indexOf(CATEGORY_ORDER, FINDINGS[b].category);
    },
    verdict: function (a, b) {
      return indexOf(VERDICT_ORDER, FINDINGS[a].verdict) - indexOf(VERDICT_ORDER, FINDINGS[b].verdict);
    }
  };

  function groupKey(i) {
    if (state.group === 'rule') { return FINDINGS[i].code; }
    if (state.group === 'file') { return FINDINGS[i].path; }
    return '';
  }

  // A unit of the migration plan is a folder: its own files, not its subfolders' ("." the top level).
  function folderOf(path) {
    var slash = path.lastIndexOf('/');
    return slash < 0 ? '.' : path.slice(0, slash);
  }

  function matches(i) {
    var f = FINDINGS[i];
    if (f.suppressed && !state.suppressed) { return false; }
    if (state.category && f.category !== state.category) { return false; }
    if (state.verdict && f.verdict !== state.verdict) { return false; }
    if (state.rule && f.code !== state.rule) { return false; }
    if (state.path && f.path.toLowerCase().indexOf(state.path) < 0) { return false; }
    if (state.unit && folderOf(f.path) !== state.unit) { return false; }
    // `ported` is only in the data of a scan --port (the select is only on its page)
    if (state.ported && Boolean(f.ported) !== (state.ported === 'yes')) { return false; }
    for (var t = 0; t < state.q.length; t++) {
      if (HAY[i].indexOf(state.q[t]) < 0) { return false; }
    }
    return true;
  }

  function compute() {
    filtered = [];
    for (var i = 0; i < FINDINGS.length; i++) {
      if (matches(i)) { filtered.push(i); }
    }
    var secondary = SORTS[state.sort] || SORTS.location;
    var sign = state.desc ? -1 : 1;
    filtered.sort(function (a, b) {
      var ga = groupKey(a), gb = groupKey(b);
      if (ga !== gb) { return ga < gb ? -1 : 1; }
      return sign * (secondary(a, b) || byLocation(a, b));
    });
    groupStats = {};
    filtered.forEach(function (i) {
      var key = groupKey(i);
      var stats = groupStats[key] || (groupStats[key] = { count: 0, points: 0 });
      stats.count += 1;
      stats.points += FINDINGS[i].effort;
    });
    var pages = Math.max(1, Math.ceil(filtered.length / state.pageSize));
    if (state.page >= pages) { state.page = pages - 1; }
  }

  function groupRow(key, continued) {
    var tr = el('tr', 'group');
    var td = el('td');
    td.colSpan = COLUMNS;
    var stats = groupStats[key];
    if (state.group === 'rule') {
      td.appendChild(el('span', 'mono', key + ' '));
      td.appendChild(document.createTextNode((RULES[key] || {}).title || ''));
    } else {
      td.appendChild(el('span', 'mono', key));
    }
    td.appendChild(el('span', 'muted', '  ' + number(stats.count) + (stats.count === 1 ? ' finding, ' : ' findings, ') +
      number(stats.points) + ' pts' + (continued ? ' (continued)' : '')));
    tr.appendChild(td);
    return tr;
  }

  function pill(kind, value) { return el('span', 'pill ' + kind + '-' + value, value); }

  function findingRow(i) {
    var f = FINDINGS[i];
    var tr = el('tr', 'finding' + (f.suppressed ? ' suppressed' : ''));
    tr.dataset.index = String(i);
    tr.dataset.category = f.category;
    tr.dataset.verdict = f.verdict;
    var code = el('td', 'mono', f.code);
    var loc = el('td', 'loc mono');
    var button = el('button', 'linkish', f.path + ':' + f.line + ':' + f.column);
    button.type = 'button';
    button.title = f.path;
    button.setAttribute('aria-expanded', open[i] ? 'true' : 'false');
    loc.appendChild(button);
    var message = appendInline(el('td'), f.message);
    if (f.suppressed) { message.appendChild(el('span', 'muted', ' (suppressed)')); }
    if (f.ported) { message.appendChild(el('span', 'pill ported', 'port rewrites it')); }
    var category = el('td'); category.appendChild(pill('cat', f.category));
    var verdict = el('td'); verdict.appendChild(pill('ver', f.verdict));
    var effort = el('td', 'num', f.effort);
    [code, loc, message, category, verdict, effort].forEach(function (td) { tr.appendChild(td); });
    return tr;
  }

  function snippet(f) {
    var lines = SOURCES[f.path];
    if (!lines) { return null; }
    var last = Math.max(f.line, f.end_line || 0);
    var pre = el('pre', 'snippet');
    var code = el('code');
    var numbers = Object.keys(lines).map(Number).filter(function (n) {
      return n >= f.line - DATA.context && n <= last + DATA.context;
    }).sort(function (a, b) { return a - b; });
    if (!numbers.length) { return null; }
    numbers.forEach(function (n) {
      var text = lines[String(n)];
      var hit = n >= f.line && n <= last;
      var row = el('span', 'sl' + (hit ? ' hit' : ''));
      row.appendChild(el('span', 'ln', (hit ? '> ' : '  ') + n));
      if (hit && f.line === f.end_line && f.end_column > f.column) {
        // Columns count code points; Array.from splits by code point, not UTF-16 unit.
        var chars = Array.from(text);
        row.appendChild(document.createTextNode(chars.slice(0, f.column - 1).join('')));
        row.appendChild(el('mark', null, chars.slice(f.column - 1, f.end_column - 1).join('')));
        row.appendChild(document.createTextNode(chars.slice(f.end_column - 1).join('')));
      } else {
        row.appendChild(document.createTextNode(text));
      }
      code.appendChild(row);
    });
    pre.appendChild(code);
    return pre;
  }

  function detailRow(i) {
    var f = FINDINGS[i];
    var rule = RULES[f.code] || {};
    var tr = el('tr', 'detail');
    var td = el('td');
    td.colSpan = COLUMNS;
    var head = el('p');
    head.appendChild(el('strong', null, f.code + ' ' + (rule.name || '') + ': '));
    appendInline(head, rule.title || '');
    td.appendChild(head);
    var where = el('p', 'mono', f.path + ':' + f.line + ':' + f.column);
    td.appendChild(where);
    var code = snippet(f);
    if (code) { td.appendChild(code); } else { td.appendChild(el('p', 'muted', 'Source not available for a snippet.')); }
    td.appendChild(appendInline(el('p'), f.message));
    var counterpart = el('p');
    counterpart.appendChild(el('strong', null, 'FastAPI: '));
    appendInline(counterpart, f.counterpart);
    td.appendChild(counterpart);
    if (rule.rationale) { td.appendChild(appendInline(el('p', 'muted'), rule.rationale)); }
    if (rule.before || rule.after) {
      var grid = el('div', 'detail-grid');
      [['Before (Flask)', rule.before], ['After (FastAPI)', rule.after]].forEach(function (pair) {
        var box = el('div');
        box.appendChild(el('h4', null, pair[0]));
        box.appendChild(el('pre', null, pair[1] || ''));
        grid.appendChild(box);
      });
      td.appendChild(grid);
    }
    var more = el('p');
    var toRule = el('a', null, rule.proven ? 'The proven before/after and what running it measured' : 'About this rule');
    toRule.href = '#rule-' + f.code;
    more.appendChild(toRule);
    td.appendChild(more);
    var links = (rule.links || []).filter(function (url) { return /^https?:\/\//i.test(url); });
    if (links.length) {
      var ul = el('ul', 'plain');
      links.forEach(function (url) {
        var li = el('li');
        var a = el('a', null, url);
        a.href = url;
        a.rel = 'noopener noreferrer';
        a.target = '_blank';
        li.appendChild(a);
        ul.appendChild(li);
      });
      td.appendChild(ul);
    }
    var facts = [f.category, 'effort ' + f.effort, 'verdict ' + f.verdict, 'confidence ' + f.confidence];
    if (f.suppressed) { facts.push('suppressed in source'); }
    if (f.baseline) { facts.push('in the baseline'); }
    if (f.ported) { facts.push('migrate-audit port rewrites it'); }
    td.appendChild(el('p', 'muted', facts.join(' · ')));
    tr.appendChild(td);
    return tr;
  }

  function render() {
    compute();
    var start = state.page * state.pageSize;
    var slice = filtered.slice(start, start + state.pageSize);
    var fragment = document.createDocumentFragment();
    var previous = null;
    slice.forEach(function (i, n) {
      var key = groupKey(i);
      if (state.group !== 'none' && key !== previous) {
        var continued = n === 0 && start > 0 && groupKey(filtered[start - 1]) === key;
        fragment.appendChild(groupRow(key, continued));
      }
      previous = key;
      fragment.appendChild(findingRow(i));
      if (open[i]) { fragment.appendChild(detailRow(i)); }
    });
    if (!slice.length) {
      var empty = el('tr');
      var td = el('td', 'muted', FINDINGS.length ? 'No finding matches these filters.' : 'No findings.');
      td.colSpan = COLUMNS;
      empty.appendChild(td);
      fragment.appendChild(empty);
    }
    els.rows.textContent = '';
    els.rows.appendChild(fragment);
    var pages = Math.max(1, Math.ceil(filtered.length / state.pageSize));
    els.status.textContent = filtered.length
      ? 'Showing ' + number(start + 1) + '–' + number(start + slice.length) + ' of ' + number(filtered.length) +
        ' matching findings (' + number(FINDINGS.length) + ' in the report).'
      : 'Showing 0 of ' + number(FINDINGS.length) + ' findings.';
    els.page.textContent = 'Page ' + number(state.page + 1) + ' of ' + number(pages);
    els.first.disabled = els.prev.disabled = state.page === 0;
    els.next.disabled = els.last.disabled = state.page >= pages - 1;
    syncControls();
  }

  function syncControls() {
    els.category.value = state.category;
    els.verdict.value = state.verdict;
    els.rule.value = state.rule;
    if (els.ported) { els.ported.value = state.ported; }
    Array.prototype.forEach.call(els.chips.querySelectorAll('button'), function (chip) {
      var on = (chip.dataset.filterCategory !== undefined && chip.dataset.filterCategory === state.category) ||
               (chip.dataset.filterVerdict !== undefined && chip.dataset.filterVerdict === state.verdict);
      chip.setAttribute('aria-pressed', on ? 'true' : 'false');
    });
    Array.prototype.forEach.call(document.querySelectorAll('#findings-table th[data-sort]'), function (th) {
      var descending = state.desc !== Boolean(DESCENDING_FIRST[th.dataset.sort]);
      th.setAttribute('aria-sort', th.dataset.sort === state.sort ? (descending ? 'descending' : 'ascending') : 'none');
    });
  }

  function update(changes) {
    Object.keys(changes).forEach(function (key) { state[key] = changes[key]; });
    state.page = 0;
    render();
    writeHash();
  }

  // The filters live in the address (#findings?rule=FMA301&verdict=none...), so a filtered view can be
  // shared: opening that address applies them. Only what differs from the defaults is written.
  var DEFAULTS = { q: '', category: '', verdict: '', rule: '', path: '', unit: '', ported: '', group: 'rule', sort: 'location',
                   desc: false, suppressed: false };
  var HASH_PREFIX = '#findings?';

  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(DEFAULTS).forEach(function (key) {
      var value = key === 'q' ? state.q.join(' ') : state[key];
      if (value !== DEFAULTS[key]) { params.set(key, String(value)); }
    });
    var text = params.toString();
    var hash = text ? HASH_PREFIX + text : '#findings';
    if (location.hash === hash) { return; }
    try { history.replaceState(null, '', hash); } catch (e) { /* some file:// setups refuse: no sharing */ }
  }

  function readHash() {
    if (location.hash.indexOf(HASH_PREFIX) !== 0) { return false; }
    var params = new URLSearchParams(location.hash.slice(HASH_PREFIX.length));
    var q = params.get('q') || '';
    state.q = q.toLowerCase().split(/\s+/).filter(Boolean);
    ['category', 'verdict', 'rule', 'path', 'unit', 'ported', 'group', 'sort'].forEach(function (key) {
      state[key] = params.has(key) ? params.get(key) : DEFAULTS[key];
    });
    state.path = state.path.toLowerCase();
    state.desc = params.get('desc') === 'true';
    state.suppressed = params.get('suppressed') === 'true';
    state.page = 0;
    els.search.value = q;
    els.path.value = state.path;
    els.group.value = state.group;
    els.suppressed.checked = state.suppressed;
    return true;
  }

  // Rule filter: the rules present, with their counts.
  (function fillRules() {
    var counts = {};
    FINDINGS.forEach(function (f) { counts[f.code] = (counts[f.code] || 0) + 1; });
    Object.keys(counts).sort().forEach(function (code) {
      var option = el('option', null, code + ' ' + ((RULES[code] || {}).title || '') + ' (' + number(counts[code]) + ')');
      option.value = code;
      els.rule.appendChild(option);
    });
  })();

  var timer = null;
  els.search.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      update({ q: els.search.value.toLowerCase().split(/\s+/).filter(Boolean) });
    }, 120);
  });
  els.path.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { update({ path: els.path.value.trim().toLowerCase() }); }, 120);
  });
  els.category.addEventListener('change', function () { update({ category: els.category.value }); });
  els.verdict.addEventListener('change', function () { update({ verdict: els.verdict.value }); });
  els.rule.addEventListener('change', function () { update({ rule: els.rule.value }); });
  if (els.ported) { els.ported.addEventListener('change', function () { update({ ported: els.ported.value }); }); }
  els.group.addEventListener('change', function () { update({ group: els.group.value }); });
  els.suppressed.addEventListener('change', function () { update({ suppressed: els.suppressed.checked }); });
  els.pageSize.addEventListener('change', function () { update({ pageSize: Number(els.pageSize.value) || 100 }); });
  els.reset.addEventListener('click', function () {
    els.search.value = ''; els.path.value = '';
    update({ q: [], category: '', verdict: '', rule: '', path: '', unit: '', ported: '' });
  });

  function go(page) { state.page = page; render(); }
  els.first.addEventListener('click', function () { go(0); });
  els.prev.addEventListener('click', function () { go(Math.max(0, state.page - 1)); });
  els.next.addEventListener('click', function () { go(state.page + 1); });
  els.last.addEventListener('click', function () { go(Math.ceil(filtered.length / state.pageSize) - 1); });

  Array.prototype.forEach.call(document.querySelectorAll('#findings-table th[data-sort] button'), function (button) {
    button.addEventListener('click', function () {
      var key = button.parentNode.dataset.sort;
      update({ desc: state.sort === key ? !state.desc : false, sort: key });
    });
  });

  els.rows.addEventListener('click', function (event) {
    var row = event.target.closest('tr.finding');
    if (!row || event.target.closest('a')) { return; }
    var i = Number(row.dataset.index);
    open[i] = !open[i];
    render();
  });

  // Chips toggle one filter; links elsewhere in the report (charts, top rules, blockers, plan) replace
  // the filters with theirs and jump to the findings.
  document.addEventListener('click', function (event) {
    var target = event.target.closest(
      '[data-filter-category],[data-filter-verdict],[data-filter-rule],[data-filter-path],[data-filter-unit]');
    if (!target) { return; }
    event.preventDefault();
    var d = target.dataset;
    if (els.chips.contains(target)) {
      if (d.filterCategory !== undefined) { update({ category: state.category === d.filterCategory ? '' : d.filterCategory }); }
      if (d.filterVerdict !== undefined) { update({ verdict: state.verdict === d.filterVerdict ? '' : d.filterVerdict }); }
      return;
    }
    els.search.value = '';
    els.path.value = d.filterPath || '';
    update({
      q: [], category: d.filterCategory || '', verdict: d.filterVerdict || '', rule: d.filterRule || '',
      path: (d.filterPath || '').toLowerCase(), unit: d.filterUnit || '', ported: ''
    });
    $('findings').scrollIntoView();
  });
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if ((event.key === 'Enter' || event.key === ' ') && target.getAttribute && target.getAttribute('role') === 'button' &&
        target.closest('svg')) {
      event.preventDefault();
      target.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    }
  });

  // Sortable summary tables (issues by rule): a column's button sorts by it, numbers largest first and
  // text A to Z, a second click reverses; aria-sort says the order shown; ties by rule code.
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var body = table.tBodies[0];
    Array.prototype.forEach.call(table.querySelectorAll('th[data-key] button'), function (button) {
      button.addEventListener('click', function () {
        var th = button.parentNode, key = th.dataset.key, numeric = Boolean(th.dataset.numeric);
        var natural = numeric ? 'descending' : 'ascending';
        var order = th.getAttribute('aria-sort') === natural ? (numeric ? 'ascending' : 'descending') : natural;
        var sign = order === 'ascending' ? 1 : -1;
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.dataset[key], y = b.dataset[key];
          var c = numeric ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);
          return sign * c || (a.dataset.code < b.dataset.code ? -1 : a.dataset.code > b.dataset.code ? 1 : 0);
        });
        rows.forEach(function (row) { body.appendChild(row); });
        Array.prototype.forEach.call(table.querySelectorAll('th[data-key]'), function (other) {
          other.setAttribute('aria-sort', other === th ? order : 'none');
        });
      });
    });
  });

  // The charts count findings or story points: one switch for all of them.
  Array.prototype.forEach.call(document.querySelectorAll('p.measure button[data-measure]'), function (button) {
    button.addEventListener('click', function () {
      var measure = button.dataset.measure;
      Array.prototype.forEach.call(document.querySelectorAll('svg.chart[data-measure]'), function (chart) {
        chart.classList.toggle('hidden', chart.dataset.measure !== measure);
      });
      Array.prototype.forEach.call(document.querySelectorAll('p.measure button[data-measure]'), function (other) {
        other.setAttribute('aria-pressed', other.dataset.measure === measure ? 'true' : 'false');
      });
    });
  });

  // The sticky header's height, for anchored targets to land below it (CSS scroll-margin-top).
  function headerHeight() {
    var header = document.querySelector('header.top');
    if (header) { document.documentElement.style.setProperty('--header-h', header.offsetHeight + 'px'); }
  }
  headerHeight();
  window.addEventListener('resize', headerHeight);

  // A link to a rule (#rule-FMA102) opens the rule's collapsed section.
  function openTarget() {
    var id = location.hash.slice(1);
    var target = id && id.indexOf('?') < 0 ? document.getElementById(id) : null;
    var details = target && target.matches('article.rule') ? target.querySelector('details.rule-body') : null;
    if (details && !details.open) {
      details.open = true;
      target.scrollIntoView();
    }
  }

  window.addEventListener('hashchange', function () {
    if (readHash()) { render(); }
    openTarget();
  });
  var shared = readHash();
  render();
  if (shared) { $('findings').scrollIntoView(); }
  openTarget();
  document.documentElement.dataset.ready = 'true';
})();
