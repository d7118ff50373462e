// proflab view: a flame graph (canvas), a top table, the source and the callers/callees of the
// selected function, and with --base the difference of two profiles; drawn from the JSON API of
// this server. For a folder (proflab view DIR) history.js picks the windows shown and compared
// (window.proflab.select). No libraries and no build step: this file is served as it is from the jar.
'use strict';

const ROW = 18;            // px per frame row
const MIN_WIDTH = 0.5;     // frames narrower than this (px) are not drawn
const MATCH_COLOR = '#ee00ee';
const NOISE_COLOR = '#e4e4e4';  // a difference the sample counts cannot tell from noise

const $ = (id) => document.getElementById(id);
const canvas = $('flame');
const tooltip = $('tooltip');

const state = {
  meta: null, event: null, value: null,
  flame: null, root: null, zoom: null,
  rects: [], search: null,  // search: the Set of the names the search matches, or null
  topRows: [], sort: { key: 'flat', desc: true },
  topShown: [], callRows: [],  // the rows of the Top and Callers/callees tables, as drawn
  layout: 'icicle',  // 'icicle': root at the top; 'flame': root at the bottom
  inverted: false,   // the flame graph bottom-up: the frames that were running first, their callers under them
  prevTab: 'top',    // the tab shown before the current one (the Sandwich tab's Back)
  loadSeq: 0,
  range: null,       // { from, to } in nanoseconds since the recording's start, or null: all of it
  selected: null,    // the function shown in the Source and Callers/callees tabs
  tab: 'top',
  mode: 'current',   // with a base: 'diff', 'current' or 'base'
  normalize: 'total',
  onLoad: [],
  history: false,    // a folder of windows over time (history.js)
  extra: null,       // then: { kind, range, base } of every request
  hadBase: false,
  baseRange: null,   // one file without --base: a time range of it compared against (heatmap.js), or null
};

const FILTERS = ['focus', 'ignore', 'hide', 'thread', 'tagfocus'];

// What tests (and curious users, in the console) can look at: the frames drawn, the zoomed frame, ...
window.proflabView = {
  drawn: [], zoom: null, matched: null, ready: false, event: null,
  loads: 0, error: null, layout: 'icicle', mode: 'current', total: null,
  selected: null, source: null, calls: null, warnings: [],
  // a search or table filter being matched (match.js); why the last one gave no result (too slow), or null
  searching: false, filtering: false, searchNote: null, filterNote: null,
  // the box of the widest drawn frame whose name contains `text`, in canvas (CSS px) coordinates
  frameBox(text) {
    let best = null;
    for (const f of state.rects) {
      if (f.n.name.includes(text) && (!best || f.w > best.w)) best = { x: f.x, y: f.y, w: f.w, h: ROW };
    }
    return best;
  },
  // the drawn frame named exactly `name` (the widest), with its values and fill colour
  frame(name) {
    let best = null;
    for (const f of state.rects) {
      if (f.n.name === name && (!best || f.w > best.w)) best = f;
    }
    if (!best) return null;
    const n = best.n;
    return { name: n.name, total: n.total, self: n.self, base: n.base, delta: n.delta,
      significant: n.significant, color: best.color, w: best.w };
  },
};

async function getJson(url) {
  const r = await fetch(url);
  let body;
  try { body = await r.json(); } catch (e) { body = { error: r.status + ' ' + r.statusText }; }
  if (!r.ok) throw new Error(body.error || (r.status + ' ' + r.statusText));
  return body;
}

function showError(msg) {
  window.proflabView.error = msg || null;
  const el = $('error');
  if (msg) { el.textContent = msg; el.hidden = false; } else { el.hidden = true; }
}

function showWarnings(list) {
  window.proflabView.warnings = list || [];
  const el = $('warnings');
  el.innerHTML = (list || []).map((w) => `<li>${esc(w)}</li>`).join('');
  el.hidden = !list || list.length === 0;
}

function query() {
  const p = new URLSearchParams();
  if (state.event) p.set('event', state.event);
  if (state.value) p.set('sampleIndex', state.value);
  for (const f of FILTERS) {
    const v = $(f).value.trim();
    if (v) p.set(f, v);
  }
  if (state.range) {
    p.set('from', String(state.range.from));
    p.set('to', String(state.range.to));
  }
  if (state.extra) {
    for (const k of ['kind', 'range', 'base']) if (state.extra[k]) p.set(k, state.extra[k]);
  }
  if (state.baseRange) {
    p.set('baseFrom', String(state.baseRange.from));
    p.set('baseTo', String(state.baseRange.to));
  }
  return p.toString();
}

const diffing = () => state.meta && (state.meta.base || state.baseRange) && state.mode !== 'current';

// ---- formatting ------------------------------------------------------------------------------

function fmt(v, unit) {
  const a = Math.abs(v);
  if (unit === 'nanoseconds') {
    if (a >= 1e9) return (v / 1e9).toFixed(2) + 's';
    if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e8 ? 0 : 1) + 'ms';
    if (a >= 1e3) return (v / 1e3).toFixed(1) + 'us';
    return Math.round(v) + 'ns';
  }
  if (unit === 'bytes') {
    if (a >= 1 << 30) return (v / (1 << 30)).toFixed(2) + 'GiB';
    if (a >= 1 << 20) return (v / (1 << 20)).toFixed(2) + 'MiB';
    if (a >= 1 << 10) return (v / (1 << 10)).toFixed(1) + 'KiB';
    return Math.round(v) + 'B';
  }
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function pct(v, total) {
  return total ? (100 * v / total).toFixed(2) + '%' : '0%';
}

// How the hash says to compare: by total, by duration, or per operation when both sides have a count.
function normalizeOf(h) {
  const n = h.get('normalize');
  if (n === 'duration') return 'duration';
  if (n === 'ops' && opsBothSides()) return 'ops';
  return 'total';
}

// Whether the file and its base both have an operation count (profile --bench, a lab, load --profile, --ops).
function opsBothSides() {
  const m = state.meta;
  return !!(m && m.operations && m.base && m.base.operations);
}

// A normalised value: a share of the total (shown in percent), a value per second or per operation.
function norm(v, unit, signed) {
  const sign = signed && v > 0 ? '+' : '';
  if (state.normalize === 'duration') return sign + fmt(v, unit) + '/s';
  if (state.normalize === 'ops') return sign + fmt(v, unit) + '/op';
  return sign + (100 * v).toFixed(2) + (signed ? ' pp' : '%');
}

// Text from the server (function, thread, file and event names, messages) for innerHTML: text and
// attribute values in either quote. CR as a reference, since the HTML parser would turn a raw one into
// a line feed; NUL, which markup cannot carry at all, as U+FFFD (what the parser would make of it).
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\r': '&#13;', '\0': '\ufffd' };
function esc(s) {
  return String(s).replace(/[&<>"'\r\0]/g, (c) => ESCAPES[c]);
}

function seconds(ns) {
  return (ns / 1e9).toFixed(ns < 1e10 ? 3 : 2) + 's';
}

// ---- loading ---------------------------------------------------------------------------------

async function init() {
  try {
    const meta = await getJson('api/meta');
    if (meta.history) {
      await initHistory(meta);
      return;
    }
    state.meta = meta;
    state.event = meta.event;
    const sel = $('event');
    sel.innerHTML = meta.events.map((e) =>
      `<option value="${esc(e.name)}">${esc(e.name)} (${e.count})</option>`).join('');
    sel.value = meta.event;
    sel.addEventListener('change', () => { state.event = sel.value; state.value = null; load(true); });
    $('value').addEventListener('change', () => { state.value = $('value').value; load(false); });
    showLegend(meta.categories);
    $('file').textContent = meta.base ? `${meta.file} (base ${meta.base.file})` : meta.file;
    document.title = 'proflab view: ' + meta.file;
    if (meta.base) {
      $('diff-controls').hidden = false;
      $('normalize').querySelector('option[value=ops]').hidden = !opsBothSides();
      const h = hashParams();
      state.mode = ['diff', 'current', 'base'].includes(h.get('mode')) ? h.get('mode') : 'diff';
      state.normalize = normalizeOf(h);
      $('mode').value = state.mode;
      $('normalize').value = state.normalize;
      $('mode').options[1].textContent = 'current: ' + meta.file;
      $('mode').options[2].textContent = 'base: ' + meta.base.file;
    }
    window.proflabView.mode = state.mode;
    await load(true);
  } catch (e) {
    showError(e.message);
    window.proflabView.ready = true;
  }
}

// The colour legend of the frame categories. Colours are set through the DOM, not in style attributes:
// the page's Content-Security-Policy allows no inline styles.
function showLegend(categories) {
  const el = $('legend');
  el.innerHTML = categories.filter((c) => c.name !== 'root')
    .map((c) => `<span data-c="${esc(c.color)}">${esc(c.label)}</span>`).join('');
  swatches(el);
}

// Sets --c (the swatch colour of app.css and timeline.css) from data-c on the elements under root.
function swatches(root) {
  root.querySelectorAll('[data-c]').forEach((s) => s.style.setProperty('--c', s.dataset.c));
}

// A folder: history.js lists the windows and asks for a selection (select); until then nothing to load.
async function initHistory(meta) {
  state.history = true;
  state.meta = meta;
  state.event = null;
  $('event').closest('label').hidden = true;
  $('file').textContent = meta.folder;
  document.title = 'proflab view: ' + meta.folder;
  const h = window.proflabHistory;
  if (!h) throw new Error('history.js is missing');
  await h.start(meta);
}

// The windows shown ({ kind, range, base }): meta, flame graph and table again.
async function selectWindows(extra) {
  state.extra = extra ? Object.assign({}, extra) : null;
  await load(true);
}

// After a folder's meta: its label, and the diff controls when a base range is picked.
function applyHistoryMeta() {
  const m = state.meta;
  $('file').textContent = m.base ? `${m.file} (base ${m.base.file})` : m.file;
  document.title = 'proflab view: ' + m.file;
  if (!$('legend').innerHTML && m.categories) {
    showLegend(m.categories);
  }
  $('diff-controls').hidden = !m.base;
  if (m.base) {
    if (!state.hadBase) {
      const h = hashParams();
      state.mode = ['diff', 'current', 'base'].includes(h.get('mode')) ? h.get('mode') : 'diff';
      state.normalize = normalizeOf(h);
    }
    $('mode').value = state.mode;
    $('normalize').value = state.normalize;
    // the labels are on the time axis: short names here
    $('mode').options[1].textContent = 'current (blue)';
    $('mode').options[2].textContent = 'base (orange)';
  } else {
    state.mode = 'current';
  }
  state.hadBase = !!m.base;
  window.proflabView.mode = state.mode;
}

async function load(newEvent) {
  window.proflabView.ready = false;
  const seq = ++state.loadSeq;
  try {
    if (newEvent) {
      const keep = state.history ? state.value : null;
      const m = await getJson('api/meta?' + query());
      if (seq !== state.loadSeq) return;  // a newer load is under way
      state.meta = Object.assign(state.meta, m);
      if (state.history) applyHistoryMeta();
      const vs = $('value');
      vs.innerHTML = state.meta.value_types.map((t) =>
        `<option value="${esc(t.type)}">${esc(t.type)} (${esc(t.unit)})</option>`).join('');
      const def = state.meta.value_types.find((t) => t.default);
      // a folder's next selection keeps the value shown when it has it
      vs.value = keep && state.meta.value_types.some((t) => t.type === keep) ? keep
        : def ? def.type : state.meta.value_types[0].type;
      state.value = vs.value;
    }
    const q = query();
    let flame, top, warnings = [];
    if (diffing()) {
      const dq = q + '&normalize=' + state.normalize;
      const [df, dt] = await Promise.all([getJson('api/diff/flame?' + dq + invertedParam()),
        getJson('api/diff/top?n=0&' + dq)]);
      flame = df;
      top = dt.rows;
      warnings = (df.warnings || []).concat(df.limitation ? [df.limitation] : []);
    } else {
      [flame, top] = await Promise.all([getJson('api/flame?' + q + invertedParam()), getJson('api/top?n=0&' + q)]);
    }
    if (seq !== state.loadSeq) return;  // a newer load is under way
    if (state.history) {
      // windows of the selection that could not be read
      const m = state.meta;
      warnings = (m.warnings || []).concat(m.base && m.base.warnings ? m.base.warnings.map((w) => 'base: ' + w) : [],
        warnings);
    }
    showError(null);
    showWarnings(warnings);
    state.flame = flame;
    state.root = flame.root;
    link(state.root, null, 0);
    // keep the zoom on the same frame when it is still there (a new filter or range)
    state.zoom = findPath(state.root, state.zoomPath) || state.root;
    state.topRows = top;
    summary();
    window.proflabView.event = flame.event;
    window.proflabView.total = flame.total;
    window.proflabView.mode = state.mode;
    applySearch();
    renderTop();
    if (state.selected) refreshTab();
    for (const f of state.onLoad) {
      try { f(flame); } catch (e) { console.error(e); }
    }
  } catch (e) {
    if (seq !== state.loadSeq) return;
    // the server's message (a bad regex, ...); the previous picture stays
    showError(e.message);
  }
  window.proflabView.loads++;
  window.proflabView.ready = true;
}

function summary() {
  const m = state.meta, f = state.flame;
  const dur = m.duration_seconds == null ? '' : `, ${m.duration_seconds.toFixed(2)}s`;
  let text = `${m.engine}${m.jdk ? ', JDK ' + m.jdk : ''}${dur}; event ${f.event}, `;
  if (diffing()) {
    const how = state.normalize === 'duration' ? 'per second of recording'
      : state.normalize === 'ops' ? `per operation (base ${state.meta.base.operations.count} ${state.meta.base.operations.unit}s, `
        + `current ${state.meta.operations.count} ${state.meta.operations.unit}s)` : 'as shares of each total';
    text += `${f.value_type}: base ${fmt(f.base_total, f.unit)} (${f.base_samples} samples), `
      + `current ${fmt(f.total, f.unit)} (${f.samples} samples), compared ${how}; `
      + (state.mode === 'diff' ? (f.limitation ? 'grey: no claim can be made from one run a side (see the warning)'
        : 'red grew, blue shrank, grey is within noise') : 'showing the base');
  } else {
    text += `${f.value_type} total ${fmt(f.total, f.unit)}, ${f.nodes} frames shown`;
  }
  if (state.inverted) text += '; bottom-up: the frames that were running, their callers under them';
  $('summary').textContent = text;
  const bar = $('range-bar');
  if (state.range) {
    $('range-text').textContent = `Time range ${seconds(state.range.from)} to ${seconds(state.range.to)} of the recording`
      + (state.baseRange ? `, compared with ${seconds(state.baseRange.from)} to ${seconds(state.baseRange.to)} (base)` : '');
    bar.hidden = false;
  } else {
    bar.hidden = true;
  }
}

function link(n, parent, depth) {
  n.parent = parent;
  n.depth = depth;
  for (const c of n.children || []) link(c, n, depth + 1);
}

function pathOf(n) {
  const p = [];
  for (let a = n; a && a.parent; a = a.parent) p.unshift(a.name);
  return p;
}

function findPath(root, path) {
  if (!path) return null;
  let n = root;
  for (const name of path) {
    n = (n.children || []).find((c) => c.name === name);
    if (!n) return null;
  }
  return n;
}

// ---- flame graph -----------------------------------------------------------------------------

// The width a frame stands for: its total; in a diff, both profiles' normalised values (so that
// what vanished still shows), or the base's alone.
function size(n) {
  if (!diffing()) return n.total;
  if (state.mode === 'base') return n.base;
  return n.norm_base + n.norm_total;
}

function fill(n) {
  if (!diffing() || state.mode === 'base') return n.color;
  if (!n.parent) return '#c8c8c8';
  if (!n.significant || n.delta === 0) return NOISE_COLOR;
  const rel = Math.min(1, Math.abs(n.delta) / Math.max(n.norm_base, n.norm_total));
  const light = Math.round(88 - 40 * rel);
  return n.delta > 0 ? `hsl(0, 85%, ${light}%)` : `hsl(215, 85%, ${light}%)`;
}

function maxDepth(n) {
  let d = n.depth;
  for (const c of n.children || []) d = Math.max(d, maxDepth(c));
  return d;
}

function draw() {
  const wrap = $('flame-wrap');
  const width = Math.max(200, wrap.clientWidth - 24);
  const rows = state.root ? maxDepth(state.zoom) + 1 : 1;
  const height = rows * ROW + 2;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.height = height + 'px';
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = '12px system-ui, sans-serif';
  g.textBaseline = 'middle';
  state.rects = [];
  const drawn = [];
  if (!state.root) return;
  const flame = state.layout === 'flame';
  const frame = (n, x, w, dimmed) => {
    const y = (flame ? rows - 1 - n.depth : n.depth) * ROW;
    const matched = state.search && state.search.has(n.name);
    const color = matched ? MATCH_COLOR : fill(n);
    g.fillStyle = color;
    g.globalAlpha = dimmed ? 0.55 : 1;
    g.fillRect(x, y, w - 1, ROW - 1);
    g.globalAlpha = 1;
    if (state.selected === n.name && n.parent) {
      g.strokeStyle = '#000';
      g.lineWidth = 1.5;
      g.strokeRect(x + 0.75, y + 0.75, Math.max(0, w - 2.5), ROW - 2.5);
    }
    if (w > 30) {
      g.fillStyle = '#000';
      g.save();
      g.beginPath();
      g.rect(x, y, w - 4, ROW);
      g.clip();
      g.fillText(label(n.name, w - 6, g), x + 3, y + ROW / 2);
      g.restore();
    }
    state.rects.push({ x, y, w, n, color });
    drawn.push(n.name);
  };
  // the zoomed frame's callers, full width and dimmed
  for (let a = state.zoom.parent; a; a = a.parent) frame(a, 0, width, true);
  const walk = (n, x, w) => {
    frame(n, x, w, false);
    const total = size(n);
    if (!total) return;
    let cx = x;
    for (const c of n.children || []) {
      const cw = w * size(c) / total;
      if (cw >= MIN_WIDTH) walk(c, cx, cw);
      cx += cw;
    }
  };
  walk(state.zoom, 0, width);
  window.proflabView.drawn = drawn;
  window.proflabView.zoom = state.zoom.name;
  canvas.dataset.zoom = state.zoom.name;
  canvas.dataset.frames = String(drawn.length);
}

// The name shortened to fit: package dropped first, then cut with an ellipsis.
function label(name, w, g) {
  if (g.measureText(name).width <= w) return name;
  const paren = name.indexOf('(');
  const base = paren >= 0 ? name.substring(0, paren) : name;
  const parts = base.split('.');
  if (parts.length > 2) {
    const short = parts.slice(-2).join('.');
    if (g.measureText(short).width <= w) return short;
    name = short;
  }
  let lo = 0, hi = name.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.measureText(name.substring(0, mid) + '…').width <= w) lo = mid; else hi = mid - 1;
  }
  return lo > 0 ? name.substring(0, lo) + '…' : '';
}

function hit(ev) {
  const r = canvas.getBoundingClientRect();
  const x = ev.clientX - r.left, y = ev.clientY - r.top;
  for (let i = state.rects.length - 1; i >= 0; i--) {
    const f = state.rects[i];
    if (x >= f.x && x < f.x + f.w && y >= f.y && y < f.y + ROW) return f.n;
  }
  return null;
}

canvas.addEventListener('click', (ev) => {
  const n = hit(ev);
  if (!n) return;
  zoomTo(n);
  if (n.parent) select(n.name);
});

// a right-click on a frame opens its function's sandwich (the Sandwich tab)
canvas.addEventListener('contextmenu', (ev) => {
  const n = hit(ev);
  if (!n || !n.parent) return;
  ev.preventDefault();
  openSandwich(n.name);
});

function tip(n) {
  const f = state.flame;
  if (diffing()) {
    const d = n.delta;
    return `<b>${esc(n.name)}</b><br>`
      + `base ${fmt(n.base, f.unit)} (${norm(n.norm_base, f.unit)})<br>`
      + `current ${fmt(n.total, f.unit)} (${norm(n.norm_total, f.unit)})<br>`
      + `change ${norm(d, f.unit, true)}${n.significant ? '' : f.limitation
        ? ' <span class="muted">(not tested: too few runs)</span>' : ' <span class="muted">(within noise)</span>'}<br>`
      + `<span class="muted">self: base ${fmt(n.base_self, f.unit)}, current ${fmt(n.self, f.unit)}; `
      + `samples ${n.base_count} / ${n.count}</span>`;
  }
  return `<b>${esc(n.name)}</b><br>`
    + `total ${fmt(n.total, f.unit)} (${pct(n.total, f.total)})<br>`
    + `self ${fmt(n.self, f.unit)} (${pct(n.self, f.total)})<br>`
    + `<span class="muted">${esc(n.kind)}; right-click: sandwich</span>`;
}

canvas.addEventListener('mousemove', (ev) => {
  const n = hit(ev);
  if (!n) { tooltip.hidden = true; return; }
  tooltip.innerHTML = tip(n);
  tooltip.hidden = false;
  const left = Math.min(ev.clientX + 12, window.innerWidth - tooltip.offsetWidth - 8);
  tooltip.style.left = Math.max(0, left) + 'px';
  tooltip.style.top = (ev.clientY + 14) + 'px';
});
canvas.addEventListener('mouseleave', () => { tooltip.hidden = true; });

function zoomTo(n) {
  state.zoom = n;
  state.zoomPath = pathOf(n);
  draw();
}

$('reset').addEventListener('click', () => { if (state.root) zoomTo(state.root); });
window.addEventListener('resize', () => draw());

// ---- layout and diff mode, kept in the URL hash ------------------------------------------------

function hashParams() {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

function remember(key, value) {
  const h = hashParams();
  if (value == null || value === '') h.delete(key); else h.set(key, value);
  history.replaceState(null, '', '#' + h.toString());
}

function setLayout(layout, keep) {
  state.layout = layout === 'flame' ? 'flame' : 'icicle';
  window.proflabView.layout = state.layout;
  canvas.dataset.layout = state.layout;
  // the button names the current layout; a click switches to the other
  $('layout').textContent = state.layout === 'flame' ? 'Flame' : 'Icicle';
  $('layout').setAttribute('aria-pressed', String(state.layout === 'flame'));
  if (keep) remember('layout', state.layout);
  draw();
}

$('layout').addEventListener('click', () => setLayout(state.layout === 'flame' ? 'icicle' : 'flame', true));
setLayout(hashParams().get('layout'), false);

// the flame graph top-down (callers first) or bottom-up (inverted=1: the running frames first)
function setInverted(on, keep) {
  state.inverted = !!on;
  $('inverted').checked = state.inverted;
  window.proflabView.inverted = state.inverted;
  canvas.dataset.inverted = String(state.inverted);
  if (keep) remember('inverted', state.inverted ? '1' : null);
}

function invertedParam() {
  return state.inverted ? '&inverted=1' : '';
}

$('inverted').addEventListener('change', () => {
  setInverted($('inverted').checked, true);
  if (state.meta) load(false);
});
setInverted(hashParams().get('inverted') === '1', false);
// a link can carry the search (search=): it is matched like a typed one, in a worker
$('search').value = hashParams().get('search') || '';

// a changed hash (typed, or back and forward) is followed
window.addEventListener('hashchange', () => {
  const h = hashParams();
  if ((h.get('layout') === 'flame' ? 'flame' : 'icicle') !== state.layout) setLayout(h.get('layout'), false);
  if ((h.get('search') || '') !== $('search').value) {
    $('search').value = h.get('search') || '';
    applySearch();
  }
  if ((h.get('inverted') === '1') !== state.inverted) {
    setInverted(h.get('inverted') === '1', false);
    if (state.meta) load(false);
  }
  if (!state.meta || !state.meta.base) return;
  const mode = ['diff', 'current', 'base'].includes(h.get('mode')) ? h.get('mode') : 'diff';
  const normalize = normalizeOf(h);
  if (mode !== state.mode || normalize !== state.normalize) {
    state.mode = mode;
    state.normalize = normalize;
    $('mode').value = mode;
    $('normalize').value = normalize;
    load(false);
  }
});

$('mode').addEventListener('change', () => {
  state.mode = $('mode').value;
  remember('mode', state.mode);
  load(false);
});
$('normalize').addEventListener('change', () => {
  state.normalize = $('normalize').value;
  remember('normalize', state.normalize);
  load(false);
});

// ---- filters (focus, ignore, hide, thread) and the time range: applied by the server -----------

let filterTimer = null;
for (const f of FILTERS) {
  $(f).addEventListener('input', () => {
    clearTimeout(filterTimer);
    window.proflabView.ready = false;
    filterTimer = setTimeout(() => { if (state.meta) load(false); }, 250);
  });
}
$('filters').addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearTimeout(filterTimer);
  if (state.meta) load(false);
});

function setRange(from, to) {
  if (from == null || to == null) {
    state.range = null;
  } else {
    const a = Math.max(0, Math.round(Math.min(from, to)));
    const b = Math.max(a, Math.round(Math.max(from, to)));
    state.range = { from: a, to: b };
  }
  if (state.meta) return load(false);
  return Promise.resolve();
}

$('range-clear').addEventListener('click', () => setRange(null, null));

// ---- regular expressions typed by the user (search, table filter): matched in a worker ----------

// JavaScript's engine backtracks: a pattern such as (.+)+Z runs for minutes on a long name, and nothing
// stops a match on the page's thread, which would freeze the tab (a link can carry the search). So no
// user's pattern is run here: a worker (match.js, served by the viewer like this file) matches it against
// the distinct names and is terminated when it has not answered within MATCH_BUDGET_MS.
const MATCH_BUDGET_MS = 1000;

// A matcher for one use (the search, the table's filter): match(pattern, names) resolves with
// { hits: Set of the matching names }, { slow: true } when the worker took too long (it is terminated),
// { failed: message } when it could not run, or undefined when a newer question replaced this one (a
// question asked while the worker is still busy terminates it and starts a new one).
function matcher() {
  let worker = null, current = null, seq = 0;
  const stop = () => { if (worker) { worker.terminate(); worker = null; } };
  const finish = (answer) => {
    const c = current;
    current = null;
    clearTimeout(c.timer);
    c.resolve(answer);
  };
  return (pattern, names) => new Promise((resolve) => {
    if (current) {
      finish(undefined);
      stop();
    }
    if (!worker) {
      worker = new Worker('match.js');
      worker.onmessage = (ev) => {
        if (current && ev.data.id === current.id) {
          const names = current.names;
          finish({ hits: new Set(ev.data.hits.map((i) => names[i])) });
        }
      };
      worker.onerror = (ev) => {
        ev.preventDefault();
        if (current) finish({ failed: ev.message || 'the matching worker (match.js) failed' });
        stop();
      };
    }
    const id = ++seq;
    current = { id, names, resolve, timer: null };
    current.timer = setTimeout(() => {
      if (current && current.id === id) {
        stop();
        finish({ slow: true });
      }
    }, MATCH_BUDGET_MS);
    worker.postMessage({ id, pattern, names });
  });
}

// Why a match gave no result, for the page.
function matchNote(what, answer) {
  return answer.slow
    ? `${what} too slow (over ${MATCH_BUDGET_MS / 1000} s): simplify the regular expression`
    : `${what} failed: ${answer.failed}`;
}

// ---- search ----------------------------------------------------------------------------------

const searchMatch = matcher();
let searchSeq = 0;
const treeNames = { root: null, names: [] };

// The distinct names of the frames of the tree shown.
function namesOfTree() {
  if (treeNames.root !== state.root) {
    const set = new Set();
    const walk = (n) => {
      set.add(n.name);
      for (const c of n.children || []) walk(c);
    };
    if (state.root) walk(state.root);
    treeNames.root = state.root;
    treeNames.names = [...set];
  }
  return treeNames.names;
}

async function applySearch() {
  const text = $('search').value.trim();
  const seq = ++searchSeq;
  window.proflabView.searching = true;
  let hits = null, note = null;
  if (text && state.root) {
    const answer = await searchMatch(text, namesOfTree());
    if (answer === undefined || seq !== searchSeq) return;  // a newer search is under way
    if (answer.hits) hits = answer.hits; else note = matchNote('search', answer);
  }
  state.search = hits;
  let matched = 0;
  const walk = (n) => {
    if (n.parent && hits.has(n.name)) { matched += size(n); return; }
    for (const c of n.children || []) walk(c);
  };
  if (hits && state.root) walk(state.root);
  const total = state.root ? size(state.root) : 0;
  const p = total ? (100 * matched / total) : 0;
  window.proflabView.matched = hits ? p : null;
  window.proflabView.searchNote = note;
  $('matched').textContent = note || (hits ? `Matched: ${p.toFixed(2)}%` : '');
  $('matched').classList.toggle('slow', !!note);
  window.proflabView.searching = false;
  draw();
}

$('search').addEventListener('input', () => {
  remember('search', $('search').value.trim());
  applySearch();
});

// ---- tabs: top, source, callers/callees --------------------------------------------------------

for (const b of document.querySelectorAll('#tabs [data-tab]')) {
  b.addEventListener('click', () => showTab(b.dataset.tab));
}

function showTab(tab, refresh = true) {
  if (tab !== state.tab) state.prevTab = state.tab;
  state.tab = tab;
  for (const b of document.querySelectorAll('#tabs [data-tab]')) {
    b.setAttribute('aria-selected', String(b.dataset.tab === tab));
  }
  for (const t of ['top', 'source', 'calls', 'sandwich']) $('tab-' + t).hidden = t !== tab;
  if (tab !== 'sandwich' && hashParams().has('sandwich')) remember('sandwich', null);  // a link to it no more
  if (refresh) refreshTab();
}

// The Sandwich tab of one function (sandwich.js), scrolled into view.
function openSandwich(name) {
  showTab('sandwich', false);
  select(name);
  $('panels').scrollIntoView({ block: 'start' });
}

function select(name) {
  state.selected = name;
  window.proflabView.selected = name;
  $('selected').textContent = name ? 'selected: ' + name : '';
  draw();
  refreshTab();
}

let tabSeq = 0;
async function refreshTab() {
  if (state.tab === 'source') await loadSource(++tabSeq);
  else if (state.tab === 'calls') await loadCalls(++tabSeq);
  else if (state.tab === 'sandwich' && window.proflabSandwich) await window.proflabSandwich.load();
}

// In a diff the Source and Callers/callees tabs show the current profile.
function fnQuery() {
  return 'fn=' + encodeURIComponent(state.selected) + '&' + query();
}

async function loadSource(seq) {
  const info = $('source-info'), body = $('source').querySelector('tbody');
  window.proflabView.source = null;
  if (!state.selected) return;
  try {
    const rows = await getJson('api/source?' + fnQuery());
    if (seq !== tabSeq) return;
    const f = rows[0];
    const unit = state.flame ? state.flame.unit : '';
    const hasText = f.lines.some((l) => l.text != null);
    info.innerHTML = `<b>${esc(f.name)}</b> flat ${fmt(f.flat, unit)}, cum ${fmt(f.cum, unit)}; `
      + (f.source ? esc(f.source)
        : f.file ? `${esc(f.file)} not found under the source roots (start proflab view with --source-path DIR)`
          : 'no source file in the recording (JDK code compiled without it, native or kernel code)');
    const max = Math.max(1, ...f.lines.map((l) => l.cum));
    body.innerHTML = f.lines.map((l) => {
      const heat = l.cum ? `data-heat="${(0.08 + 0.5 * l.cum / max).toFixed(2)}"` : '';
      return `<tr data-line="${l.line}" ${heat}><td class="num">${l.line || '?'}</td>`
        + `<td class="num">${l.flat ? fmt(l.flat, unit) : ''}</td><td class="num">${l.cum ? fmt(l.cum, unit) : ''}</td>`
        + `<td class="code">${l.text == null ? (hasText ? '<span class="muted">(past the end of the file)</span>' : '') : esc(l.text)}</td></tr>`;
    }).join('');
    // through the DOM: the Content-Security-Policy allows no style attributes in markup
    body.querySelectorAll('tr[data-heat]').forEach((tr) => {
      tr.style.background = `rgba(255, 80, 0, ${tr.dataset.heat})`;
    });
    const hot = (k) => f.lines.reduce((a, l) => (!a || l[k] > a[k] ? l : a), null);
    const flatHot = hot('flat'), cumHot = hot('cum');
    window.proflabView.source = { name: f.name, file: f.source, lines: f.lines.length,
      hottestFlat: flatHot && { line: flatHot.line, text: flatHot.text },
      hottestCum: cumHot && { line: cumHot.line, text: cumHot.text } };
  } catch (e) {
    if (seq !== tabSeq) return;
    info.textContent = e.message;
    body.innerHTML = '';
    window.proflabView.source = { error: e.message };
  }
}

async function loadCalls(seq) {
  const info = $('calls-info'), body = $('calls').querySelector('tbody');
  window.proflabView.calls = null;
  if (!state.selected) return;
  try {
    const rows = await getJson('api/peek?' + fnQuery());
    if (seq !== tabSeq) return;
    const e = rows[0];
    const unit = state.flame ? state.flame.unit : '';
    info.innerHTML = `<b>${esc(e.name)}</b>: flat ${fmt(e.flat, unit)} (${e.flat_percent.toFixed(2)}%), `
      + `cum ${fmt(e.cum, unit)} (${e.cum_percent.toFixed(2)}%). Click a caller or callee to follow it.`;
    // a row's name is taken from the answer when clicked (data-i), not read back from markup
    state.callRows = e.callers.concat(e.callees);
    const row = (x, dir, i) => `<tr class="${dir}" data-name="${esc(x.name)}" data-i="${i}">`
      + `<td class="num">${fmt(x.value, unit)}</td>`
      + `<td class="num">${x.percent.toFixed(2)}%</td><td class="muted">${dir === 'caller' ? 'caller' : 'callee'}</td>`
      + `<td>${esc(x.name)}</td></tr>`;
    body.innerHTML = e.callers.map((x, i) => row(x, 'caller', i)).join('')
      + `<tr class="self"><td class="num">${fmt(e.cum, unit)}</td><td class="num">100%</td><td class="muted">selected</td><td><b>${esc(e.name)}</b></td></tr>`
      + e.callees.map((x, i) => row(x, 'callee', e.callers.length + i)).join('');
    window.proflabView.calls = { name: e.name, callers: e.callers.map((x) => x.name), callees: e.callees.map((x) => x.name) };
  } catch (err) {
    if (seq !== tabSeq) return;
    info.textContent = err.message;
    body.innerHTML = '';
    window.proflabView.calls = { error: err.message };
  }
}

$('calls').querySelector('tbody').addEventListener('click', (ev) => {
  const tr = ev.target.closest('tr[data-i]');
  const x = tr && state.callRows[Number(tr.dataset.i)];
  if (x) select(x.name);
});

// ---- top table (in a diff: the changes) -------------------------------------------------------

function columns() {
  if (diffing() && state.mode === 'diff') {
    return [['delta_flat', 'Δflat'], ['norm_base_flat', 'base flat'], ['norm_flat', 'flat'],
      ['delta_cum', 'Δcum'], ['norm_base_cum', 'base cum'], ['norm_cum', 'cum'], ['name', 'name']];
  }
  return [['flat', 'flat'], ['flat_percent', 'flat%'], ['cum', 'cum'], ['cum_percent', 'cum%'], ['name', 'name']];
}

// The rows as the table shows them: in base mode, the base's values out of the diff's rows.
function topRows() {
  if (!diffing() || state.mode === 'diff') return state.topRows;
  const total = state.flame.base_total;
  return state.topRows.filter((r) => r.base_cum).map((r) => ({
    name: r.name, flat: r.base_flat, cum: r.base_cum,
    flat_percent: total ? 100 * r.base_flat / total : 0, cum_percent: total ? 100 * r.base_cum / total : 0,
  }));
}

function cell(r, key, unit) {
  const v = r[key];
  if (key === 'name') return `<td>${esc(v)}</td>`;
  if (key.endsWith('_percent')) return `<td class="num">${v.toFixed(2)}%</td>`;
  if (key.startsWith('delta_')) {
    const cls = !r.significant || v === 0 ? 'muted' : v > 0 ? 'grew' : 'shrank';
    return `<td class="num ${cls}">${norm(v, unit, true)}</td>`;
  }
  if (key.startsWith('norm_')) return `<td class="num">${norm(v, unit)}</td>`;
  return `<td class="num">${fmt(v, unit)}</td>`;
}

// The table's filter: the names of the rows it keeps, or why there is no answer.
const filterMatch = matcher();
let filterSeq = 0;
const topFilter = { text: null, rows: null, hits: null, note: null, pendingText: null, pendingRows: null };

function renderTop() {
  const cols = columns();
  if (!cols.some(([k]) => k === state.sort.key)) {
    state.sort = { key: cols[0][0], desc: true };
  }
  const { key, desc } = state.sort;
  // the filter's names are matched in a worker (filterTop), which renders the table again when it answers;
  // until then the rows of the last answer are kept
  const ft = $('top-filter').value.trim();
  if (ft && (topFilter.text !== ft || topFilter.rows !== state.topRows)) {
    if (topFilter.pendingText !== ft || topFilter.pendingRows !== state.topRows) filterTop(ft);
  } else if (!ft && topFilter.pendingText != null) {
    ++filterSeq;  // the answer, when it comes, is dropped
    topFilter.pendingText = topFilter.pendingRows = null;
    window.proflabView.filtering = false;
  }
  const keep = ft ? topFilter.hits : null;
  const note = ft && topFilter.text === ft ? topFilter.note : null;
  window.proflabView.filterNote = note;
  $('top-filter-note').textContent = note ? note + ': every row is shown' : '';
  const abs = key.startsWith('delta_');
  const rows = topRows().filter((r) => !keep || keep.has(r.name)).sort((a, b) => {
    const x = a[key], y = b[key];
    const c = typeof x === 'string' ? x.localeCompare(y) : abs ? Math.abs(x) - Math.abs(y) : x - y;
    return desc ? -c : c;
  });
  const unit = state.flame ? state.flame.unit : '';
  const head = $('top').querySelector('thead tr');
  head.innerHTML = cols.map(([k, t]) => `<th data-key="${k}" class="${k === 'name' ? '' : 'num '}sortable">${t}</th>`).join('');
  for (const th of head.querySelectorAll('th')) {
    th.classList.toggle('sorted-desc', th.dataset.key === key && desc);
    th.classList.toggle('sorted-asc', th.dataset.key === key && !desc);
    th.addEventListener('click', () => {
      const k = th.dataset.key;
      state.sort = { key: k, desc: state.sort.key === k ? !state.sort.desc : k !== 'name' };
      renderTop();
    });
  }
  state.topShown = rows.slice(0, 500);
  $('top').querySelector('tbody').innerHTML = state.topShown.map((r, i) =>
    `<tr data-name="${esc(r.name)}" data-i="${i}"${r.name === state.selected ? ' class="selected"' : ''}>`
    + cols.map(([k]) => cell(r, k, unit)).join('') + '</tr>').join('');
}

async function filterTop(text) {
  const seq = ++filterSeq;
  const rows = state.topRows;
  topFilter.pendingText = text;
  topFilter.pendingRows = rows;
  window.proflabView.filtering = true;
  const answer = await filterMatch(text, [...new Set(rows.map((r) => r.name))]);
  if (answer === undefined || seq !== filterSeq) return;  // a newer filter is under way
  Object.assign(topFilter, { text, rows, hits: answer.hits || null,
    note: answer.hits ? null : matchNote('filter', answer), pendingText: null, pendingRows: null });
  window.proflabView.filtering = false;
  renderTop();
}

$('top-filter').addEventListener('input', renderTop);

// a right-click on a row opens that function's sandwich
$('top').querySelector('tbody').addEventListener('contextmenu', (ev) => {
  const tr = ev.target.closest('tr[data-i]');
  const r = tr && state.topShown[Number(tr.dataset.i)];
  if (!r) return;
  ev.preventDefault();
  openSandwich(r.name);
  renderTop();
});

// a click on a row selects that function and searches for it (exactly) in the flame graph
$('top').querySelector('tbody').addEventListener('click', (ev) => {
  const tr = ev.target.closest('tr[data-i]');
  const r = tr && state.topShown[Number(tr.dataset.i)];
  if (!r) return;
  $('search').value = '^' + r.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$';
  remember('search', $('search').value);
  applySearch();
  select(r.name);
  renderTop();
});

// ---- for the other views of this page (timeline.js) ------------------------------------------

window.proflab = {
  getJson, fmt, esc, query,
  // nanoseconds since the start of the recording; null, null: all of it
  setRange,
  range: () => (state.range ? { from: state.range.from, to: state.range.to } : null),
  // a folder (history.js): the windows shown, { kind, range, base }
  select: selectWindows,
  // called with the flame graph's JSON after every load
  onLoad: (fn) => { state.onLoad.push(fn); },
  meta: () => state.meta,
  // the search box's pattern (a regex, as typed; '' clears it), matched as a typed one
  search: (pattern) => {
    $('search').value = pattern || '';
    remember('search', $('search').value.trim());
    return applySearch();
  },
  // one file without --base: compare the range shown with this one ({ from, to } in nanoseconds; null: stop)
  setBaseRange: (r) => {
    state.baseRange = r ? { from: Math.max(0, Math.round(r.from)), to: Math.max(0, Math.round(r.to)) } : null;
    if (!state.meta || state.meta.base || state.history) return Promise.resolve();
    state.mode = state.baseRange ? 'diff' : 'current';
    $('diff-controls').hidden = !state.baseRange;
    $('mode').value = state.mode;
    $('normalize').value = state.normalize = 'total';
    $('normalize').closest('label').hidden = !!state.baseRange;   // two ranges of one recording compare by total
    $('mode').options[1].textContent = 'current: the range shown';
    $('mode').options[2].textContent = 'base: the base range';
    window.proflabView.mode = state.mode;
    return load(false);
  },
  baseRange: () => (state.baseRange ? { from: state.baseRange.from, to: state.baseRange.to } : null),
  // what a finding points to, in one load: { event, thread (a regex), range: { from, to } | null, search };
  // a field left out stays as it is
  focus: (f) => {
    let newEvent = false;
    if (f.event && !state.history && f.event !== state.event && state.meta
        && state.meta.events.some((e) => e.name === f.event)) {
      state.event = f.event;
      $('event').value = f.event;
      state.value = null;
      newEvent = true;
    }
    if (f.thread !== undefined) $('thread').value = f.thread || '';
    if (f.range !== undefined) state.range = f.range ? { from: f.range.from, to: f.range.to } : null;
    if (f.search !== undefined) {
      $('search').value = f.search || '';
      remember('search', $('search').value.trim());
    }
    return load(newEvent);  // load() matches the search again on the new tree
  },
};

// after the page's other scripts (timeline.js, history.js) have run: they load after this one, and the first
// answer from the server can arrive while the browser is still fetching them
if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', init);
} else {
  init();
}
