// proflab view: a flame graph (canvas) and a top table, drawn from the JSON API of this server.
// No libraries and no build step: this file is served as it is from the jar.
'use strict';

const ROW = 18;            // px per frame row
const MIN_WIDTH = 0.5;     // frames narrower than this (px) are not drawn
const MATCH_COLOR = '#ee00ee';

const $ = (id) => document.getElementById(id);
const canvas = $('flame');
const tooltip = $('tooltip');

const state = {
  meta: null, event: null, value: null,
  flame: null, root: null, zoom: null,
  rects: [], search: null,
  topRows: [], sort: { key: 'flat', desc: true },
  layout: 'icicle',  // 'icicle': root at the top; 'flame': root at the bottom
  loadSeq: 0,
};

const FILTERS = ['focus', 'ignore', 'hide', 'thread'];

// What tests (and curious users, in the console) can look at: the frames drawn, the zoomed frame, ...
window.proflabView = {
  drawn: [], zoom: null, matched: null, ready: false, event: null,
  loads: 0, error: null, layout: 'icicle',
  // the box of the widest drawn frame whose name contains `text`, in canvas (CSS px) coordinates
  frameBox(text) {
    let best = null;
    for (const f of state.rects) {
      if (f.n.name.includes(text) && (!best || f.w > best.w)) best = { x: f.x, y: f.y, w: f.w, h: ROW };
    }
    return best;
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

function query() {
  const p = new URLSearchParams();
  if (state.event) p.set('event', state.event);
  if (state.value) p.set('sampleIndex', state.value);
  for (const f of FILTERS) {
    const v = $(f).value.trim();
    if (v) p.set(f, v);
  }
  return p.toString();
}

// ---- formatting ------------------------------------------------------------------------------

function fmt(v, unit) {
  const a = Math.abs(v);
  if (unit === 'nanoseconds') {
    if (a >= 1e9) return (v / 1e9).toFixed(2) + 's';
    if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e8 ? 0 : 1) + 'ms';
    if (a >= 1e3) return (v / 1e3).toFixed(1) + 'us';
    return v + 'ns';
  }
  if (unit === 'bytes') {
    if (a >= 1 << 30) return (v / (1 << 30)).toFixed(2) + 'GiB';
    if (a >= 1 << 20) return (v / (1 << 20)).toFixed(2) + 'MiB';
    if (a >= 1 << 10) return (v / (1 << 10)).toFixed(1) + 'KiB';
    return v + 'B';
  }
  return String(v);
}

function pct(v, total) {
  return total ? (100 * v / total).toFixed(2) + '%' : '0%';
}

function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}

// ---- loading ---------------------------------------------------------------------------------

async function init() {
  try {
    const meta = await getJson('api/meta');
    state.meta = meta;
    state.event = meta.event;
    const sel = $('event');
    sel.innerHTML = meta.events.map((e) =>
      `<option value="${esc(e.name)}">${esc(e.name)} (${e.count})</option>`).join('');
    sel.value = meta.event;
    sel.addEventListener('change', () => { state.event = sel.value; state.value = null; load(true); });
    $('value').addEventListener('change', () => { state.value = $('value').value; load(false); });
    $('legend').innerHTML = meta.categories.filter((c) => c.name !== 'root')
      .map((c) => `<span style="--c:${c.color}">${esc(c.label)}</span>`).join('');
    $('file').textContent = meta.file;
    document.title = 'proflab view: ' + meta.file;
    await load(true);
  } catch (e) {
    showError(e.message);
  }
}

async function load(newEvent) {
  window.proflabView.ready = false;
  const seq = ++state.loadSeq;
  try {
    if (newEvent) {
      state.meta = Object.assign(state.meta, await getJson('api/meta?' + query()));
      const vs = $('value');
      vs.innerHTML = state.meta.value_types.map((t) =>
        `<option value="${esc(t.type)}">${esc(t.type)} (${esc(t.unit)})</option>`).join('');
      const def = state.meta.value_types.find((t) => t.default);
      vs.value = def ? def.type : state.meta.value_types[0].type;
      state.value = vs.value;
    }
    const q = query();
    const [flame, top] = await Promise.all([getJson('api/flame?' + q), getJson('api/top?n=0&' + q)]);
    if (seq !== state.loadSeq) return;  // a newer load is under way
    showError(null);
    state.flame = flame;
    state.root = flame.root;
    link(state.root, null, 0);
    state.zoom = state.root;
    state.topRows = top;
    const m = state.meta;
    const dur = m.duration_seconds == null ? '' : `, ${m.duration_seconds.toFixed(2)}s`;
    $('summary').textContent = `${m.engine}${m.jdk ? ', JDK ' + m.jdk : ''}${dur}; event ${flame.event}, `
      + `${flame.value_type} total ${fmt(flame.total, flame.unit)}, ${flame.nodes} frames shown`;
    window.proflabView.event = flame.event;
    applySearch();
    renderTop();
  } catch (e) {
    if (seq !== state.loadSeq) return;
    // the server's message (a bad regex, ...); the previous picture stays
    showError(e.message);
  }
  window.proflabView.loads++;
  window.proflabView.ready = true;
}

function link(n, parent, depth) {
  n.parent = parent;
  n.depth = depth;
  for (const c of n.children || []) link(c, n, depth + 1);
}

// ---- flame graph -----------------------------------------------------------------------------

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
    const matched = state.search && state.search.test(n.name);
    g.fillStyle = matched ? MATCH_COLOR : n.color;
    g.globalAlpha = dimmed ? 0.55 : 1;
    g.fillRect(x, y, w - 1, ROW - 1);
    g.globalAlpha = 1;
    if (w > 30) {
      g.fillStyle = '#000';
      g.save();
      g.beginPath();
      g.rect(x, y, w - 4, ROW);
      g.clip();
      g.fillText(label(n.name, w - 6, g), x + 3, y + ROW / 2);
      g.restore();
    }
    state.rects.push({ x, y, w, n });
    drawn.push(n.name);
  };
  // the zoomed frame's callers, full width and dimmed
  for (let a = state.zoom.parent; a; a = a.parent) frame(a, 0, width, true);
  const walk = (n, x, w) => {
    frame(n, x, w, false);
    let cx = x;
    for (const c of n.children || []) {
      const cw = w * c.total / n.total;
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
  if (n) zoomTo(n);
});

canvas.addEventListener('mousemove', (ev) => {
  const n = hit(ev);
  if (!n) { tooltip.hidden = true; return; }
  const f = state.flame;
  tooltip.innerHTML = `<b>${esc(n.name)}</b><br>`
    + `total ${fmt(n.total, f.unit)} (${pct(n.total, f.total)})<br>`
    + `self ${fmt(n.self, f.unit)} (${pct(n.self, f.total)})<br>`
    + `<span class="muted">${esc(n.kind)}</span>`;
  tooltip.hidden = false;
  const left = Math.min(ev.clientX + 12, window.innerWidth - tooltip.offsetWidth - 8);
  tooltip.style.left = Math.max(0, left) + 'px';
  tooltip.style.top = (ev.clientY + 14) + 'px';
});
canvas.addEventListener('mouseleave', () => { tooltip.hidden = true; });

function zoomTo(n) {
  state.zoom = n;
  draw();
}

$('reset').addEventListener('click', () => { if (state.root) zoomTo(state.root); });
window.addEventListener('resize', () => draw());

// ---- layout: icicle (root at the top) or flame (root at the bottom), kept in the URL hash --------

function hashParams() {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

function setLayout(layout, remember) {
  state.layout = layout === 'flame' ? 'flame' : 'icicle';
  window.proflabView.layout = state.layout;
  canvas.dataset.layout = state.layout;
  // the button names the current layout; a click switches to the other
  $('layout').textContent = state.layout === 'flame' ? 'Flame' : 'Icicle';
  $('layout').setAttribute('aria-pressed', String(state.layout === 'flame'));
  if (remember) {
    const h = hashParams();
    h.set('layout', state.layout);
    history.replaceState(null, '', '#' + h.toString());
  }
  draw();
}

$('layout').addEventListener('click', () => setLayout(state.layout === 'flame' ? 'icicle' : 'flame', true));
setLayout(hashParams().get('layout'), false);

// ---- filters (focus, ignore, hide, thread): applied by the server to both views ---------------

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

// ---- search ----------------------------------------------------------------------------------

function applySearch() {
  const text = $('search').value.trim();
  state.search = null;
  if (text) {
    try { state.search = new RegExp(text); } catch (e) {
      state.search = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    }
  }
  let matched = 0;
  const walk = (n) => {
    if (n.parent && state.search && state.search.test(n.name)) { matched += n.total; return; }
    for (const c of n.children || []) walk(c);
  };
  if (state.search && state.root) walk(state.root);
  const total = state.root ? state.root.total : 0;
  const p = total ? (100 * matched / total) : 0;
  window.proflabView.matched = state.search ? p : null;
  $('matched').textContent = state.search ? `Matched: ${p.toFixed(2)}%` : '';
  draw();
}

$('search').addEventListener('input', applySearch);

// ---- top table -------------------------------------------------------------------------------

function renderTop() {
  const { key, desc } = state.sort;
  const rows = state.topRows.slice().sort((a, b) => {
    const x = a[key], y = b[key];
    const c = typeof x === 'string' ? x.localeCompare(y) : x - y;
    return desc ? -c : c;
  });
  const unit = state.flame ? state.flame.unit : '';
  $('top').querySelector('tbody').innerHTML = rows.slice(0, 500).map((r) =>
    `<tr data-name="${esc(r.name)}"><td class="num">${fmt(r.flat, unit)}</td><td class="num">${r.flat_percent.toFixed(2)}%</td>`
    + `<td class="num">${fmt(r.cum, unit)}</td><td class="num">${r.cum_percent.toFixed(2)}%</td>`
    + `<td>${esc(r.name)}</td></tr>`).join('');
  for (const th of $('top').querySelectorAll('th')) {
    th.classList.toggle('sorted-desc', th.dataset.key === key && desc);
    th.classList.toggle('sorted-asc', th.dataset.key === key && !desc);
  }
}

for (const th of $('top').querySelectorAll('th.sortable')) {
  th.addEventListener('click', () => {
    const k = th.dataset.key;
    state.sort = { key: k, desc: state.sort.key === k ? !state.sort.desc : k !== 'name' };
    renderTop();
  });
}

// a click on a row searches for that function (exactly) in the flame graph
$('top').querySelector('tbody').addEventListener('click', (ev) => {
  const tr = ev.target.closest('tr');
  if (!tr) return;
  $('search').value = '^' + tr.dataset.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$';
  applySearch();
});

init();
