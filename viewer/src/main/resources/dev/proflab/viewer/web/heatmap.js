// proflab view: the sample-density heatmap (as async-profiler's heatmap and FlameScope draw one): time across in
// columns, each column cut into 50 rows from top to bottom, each cell coloured by the samples of that moment
// (GET api/heatmap, with the page's event and filters). Drag from one cell to another: the time from the earlier
// cell's start to the later one's end, in time order (FlameScope's selection), becomes the range the flame graph
// and the table show (window.proflab.setRange of app.js; for a folder, the windows of that time, through
// history.js). "Use as diff base" compares the range shown against the selection; "Use as diff target" shows the
// selection against the base. Served as it is from the jar.
'use strict';

(function () {
  const section = document.getElementById('heatmap-section');
  if (!section) return;

  const LEFT = 64;   // px for the row labels
  const TOP = 18;    // px for the time axis
  const ROW_PX = 4;  // px per row
  const MAX_COLUMNS = 3000;

  section.innerHTML = `
    <div class="hm-head">
      <h2>Heatmap</h2>
      <span id="hm-info" class="muted"></span>
      <span class="hm-controls">
        <button type="button" id="hm-base" disabled title="Compare the range shown against the selected one">Use as diff base</button>
        <button type="button" id="hm-target" disabled title="Show the selected range (against the base, if any)">Use as diff target</button>
        <button type="button" id="hm-stop" hidden title="Show the range alone again">Stop comparing</button>
        <button type="button" id="hm-toggle" aria-expanded="false">Show</button>
      </span>
    </div>
    <div id="hm-body" hidden>
      <div id="hm-note"></div>
      <canvas id="hm-canvas" aria-label="heatmap of samples over time"></canvas>
      <div id="hm-foot" class="muted">drag from one cell to another: the flame graph of that time (in time order, as FlameScope)</div>
    </div>
    <div id="hm-tip" hidden></div>`;
  const $ = (id) => document.getElementById(id);
  const canvas = $('hm-canvas');
  const tip = $('hm-tip');

  // key: the event and filters of the data drawn; want: those of the page (fetched when the heatmap is open)
  const st = { data: null, key: null, want: null, drag: null, sel: null, target: null, base: null, seq: 0 };
  // what tests (and the console) can look at
  const hooks = window.proflabHeatmap = {
    ready: false, open: false, loads: 0, error: null, note: null, data: null, selection: null, target: null, base: null,
    // the box of cell (column, row) in canvas CSS px
    cellBox(c, r) {
      const g = geometry();
      return g ? { x: LEFT + c * g.cw, y: TOP + r * ROW_PX, w: g.cw, h: ROW_PX } : null;
    },
  };

  const api = () => window.proflab;
  const folder = () => !!(api().meta() && api().meta().history);

  // ---- the data -----------------------------------------------------------------------------------

  // the page's event and filters (a folder: its kind; the heatmap spans all of its windows)
  function params() {
    const q = new URLSearchParams(api().query());
    const p = new URLSearchParams();
    for (const k of ['event', 'focus', 'ignore', 'hide', 'thread', 'kind']) if (q.get(k)) p.set(k, q.get(k));
    return p;
  }

  async function fetchHeatmap(key) {
    const seq = ++st.seq;
    st.key = key;
    const width = Math.max(200, section.clientWidth - 24);
    const p = new URLSearchParams(key);
    p.set('columns', String(Math.max(10, Math.min(MAX_COLUMNS, Math.floor((width - LEFT) / 2)))));
    hooks.ready = false;
    try {
      const d = await api().getJson('api/heatmap?' + p.toString());
      if (seq !== st.seq) return;
      st.data = d.available ? d : null;
      hooks.error = null;
      hooks.note = d.available ? null : d.note;
      hooks.data = d.available ? Object.assign({}, d, { counts: undefined }) : null;
      $('hm-note').textContent = d.available ? '' : d.note;
      canvas.hidden = !d.available;
      $('hm-foot').hidden = !d.available;
      $('hm-info').textContent = d.available
        ? `${d.event}: ${d.total} samples; a column is ${spanText(d.column_ns)}, a row ${spanText(d.row_ns)}`
          + (d.spread ? `; ${d.windows} windows, each window's samples spread over its time` : '')
        : '';
    } catch (e) {
      if (seq !== st.seq) return;
      st.data = null;
      hooks.error = e.message;
      $('hm-note').textContent = 'heatmap: ' + e.message;
      canvas.hidden = true;
    }
    section.hidden = false;
    draw();
    hooks.loads++;
    hooks.ready = true;
  }

  // the section is shown (closed: one line) after the page's first load; its data is asked for when it is open
  const open = () => !$('hm-body').hidden;
  api().onLoad(() => {
    if (!api().range() && !folder()) st.target = null;
    section.hidden = false;
    st.want = params().toString();
    if (!open()) return;
    if (st.want === st.key) { draw(); return; }
    fetchHeatmap(st.want);
  });

  // ---- drawing ------------------------------------------------------------------------------------

  function geometry() {
    const d = st.data;
    if (!d) return null;
    const w = Math.max(200, section.clientWidth - 24);
    return { w, h: TOP + d.rows * ROW_PX + 2, cw: (w - LEFT) / d.columns };
  }

  function spanText(ns) {
    if (ns < 1e9) return `${+(ns / 1e6).toFixed(1)} ms`;
    const s = ns / 1e9;
    if (s < 120) return `${+s.toFixed(1)} s`;
    if (s < 7200) return `${+(s / 60).toFixed(1)} min`;
    if (s < 172800) return `${+(s / 3600).toFixed(1)} h`;
    return `${+(s / 86400).toFixed(1)} days`;
  }

  // a time of the grid as the page says it: seconds of the recording, or UTC for a folder
  function timeText(t) {
    const d = st.data;
    if (d.time === 'epoch') return new Date(t / 1e6).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    return (t / 1e9).toFixed(3) + ' s';
  }

  function color(c, max) {
    if (!c) return '#f7f7f7';
    const f = Math.sqrt(c / max);  // FlameScope's scale is not linear either: a few samples still show
    return `rgb(255,${Math.round(235 - 205 * f)},${Math.round(200 - 200 * f)})`;
  }

  const cellStart = (c, r) => st.data.from_ns + c * st.data.column_ns + r * st.data.row_ns;

  function draw() {
    const g = geometry();
    if (!g || canvas.hidden) return;
    const d = st.data;
    const dpr = window.devicePixelRatio || 1;
    canvas.style.width = g.w + 'px';
    canvas.style.height = g.h + 'px';
    canvas.width = Math.round(g.w * dpr);
    canvas.height = Math.round(g.h * dpr);
    const x = canvas.getContext('2d');
    x.setTransform(dpr, 0, 0, dpr, 0, 0);
    x.clearRect(0, 0, g.w, g.h);
    x.font = '11px system-ui, sans-serif';
    x.fillStyle = '#555';
    x.textBaseline = 'top';
    // row labels: the offset into a column, top to bottom
    for (const r of [0, Math.floor(d.rows / 2), d.rows - 1]) {
      x.fillText('+' + spanText(r * d.row_ns).replace(/^0 ms$/, '0'), 2, TOP + r * ROW_PX - 3);
    }
    // the time axis: a label every ~100 px
    const every = Math.max(1, Math.ceil(100 / g.cw));
    for (let c = 0; c < d.columns; c += every) {
      const t = cellStart(c, 0);
      const label = d.time === 'epoch' ? timeText(t).slice(11, 16) : spanText(t - d.from_ns).replace(/^0 ms$/, '0');
      x.fillText(label, LEFT + c * g.cw, 2);
    }
    for (let c = 0; c < d.columns; c++) {
      const col = d.counts[c];
      for (let r = 0; r < d.rows; r++) {
        x.fillStyle = color(col[r], d.max);
        x.fillRect(LEFT + c * g.cw, TOP + r * ROW_PX, Math.max(1, g.cw - (g.cw > 3 ? 0.5 : 0)), ROW_PX - 0.5);
      }
    }
    outline(x, g, st.base, 'rgba(224, 138, 0, 0.35)');
    outline(x, g, st.target, 'rgba(29, 95, 201, 0.30)');
    outline(x, g, st.drag && st.drag.sel, 'rgba(29, 95, 201, 0.45)');
  }

  // shades the cells of a time range { from, to } (grid times)
  function outline(x, g, range, fill) {
    if (!range) return;
    const d = st.data;
    x.fillStyle = fill;
    for (let c = 0; c < d.columns; c++) {
      const c0 = cellStart(c, 0);
      if (c0 + d.column_ns <= range.from || c0 >= range.to) continue;
      for (let r = 0; r < d.rows; r++) {
        const t = c0 + r * d.row_ns;
        if (t >= range.from && t < range.to) x.fillRect(LEFT + c * g.cw, TOP + r * ROW_PX, g.cw, ROW_PX);
      }
    }
  }

  // ---- the mouse ----------------------------------------------------------------------------------

  function cellAt(ev) {
    const g = geometry();
    if (!g) return null;
    const b = canvas.getBoundingClientRect();
    const c = Math.floor((ev.clientX - b.left - LEFT) / g.cw);
    const r = Math.floor((ev.clientY - b.top - TOP) / ROW_PX);
    if (c < 0 || r < 0 || c >= st.data.columns || r >= st.data.rows) return null;
    return { c, r };
  }

  // FlameScope's selection: from the start of the earlier cell to the end of the later one, in time order
  function rangeOf(a, b) {
    const ta = cellStart(a.c, a.r);
    const tb = cellStart(b.c, b.r);
    return { from: Math.min(ta, tb), to: Math.max(ta, tb) + st.data.row_ns };
  }

  canvas.addEventListener('mousedown', (ev) => {
    const a = cellAt(ev);
    if (!a) return;
    ev.preventDefault();
    st.drag = { a, sel: rangeOf(a, a) };
    draw();
  });
  canvas.addEventListener('mousemove', (ev) => {
    const cell = cellAt(ev);
    if (st.drag && cell) {
      st.drag.sel = rangeOf(st.drag.a, cell);
      draw();
    }
    if (!cell) { tip.hidden = true; return; }
    const d = st.data;
    const t = cellStart(cell.c, cell.r);
    const n = d.counts[cell.c][cell.r];
    tip.textContent = `${timeText(t)} to ${timeText(t + d.row_ns)}: ${n} ${n === 1 ? 'sample' : 'samples'}`
      + (d.spread ? ' (its windows\' samples spread evenly)' : '');
    tip.hidden = false;
    tip.style.left = Math.min(ev.clientX + 12, window.innerWidth - 380) + 'px';
    tip.style.top = (ev.clientY + 14) + 'px';
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });
  window.addEventListener('mouseup', (ev) => {
    if (!st.drag) return;
    const cell = cellAt(ev);
    const sel = cell ? rangeOf(st.drag.a, cell) : st.drag.sel;
    st.drag = null;
    st.sel = sel;
    hooks.selection = { from: sel.from, to: sel.to };
    $('hm-base').disabled = false;
    $('hm-target').disabled = false;
    useAsTarget();
  });

  // ---- what a selection becomes -------------------------------------------------------------------

  // a folder's windows of a grid range: FROM..TO in epoch milliseconds
  const windowsOf = (r) => `${Math.floor(r.from / 1e6)}..${Math.max(Math.floor(r.from / 1e6), Math.ceil(r.to / 1e6) - 1)}`;

  async function useAsTarget() {
    if (!st.sel) return;
    st.target = st.sel;
    hooks.target = { from: st.target.from, to: st.target.to };
    draw();
    if (folder()) {
      const h = window.proflabHistory;
      if (h && h.choose) await h.choose(windowsOf(st.sel), h.baseRange || null);
    } else {
      await api().setRange(st.sel.from, st.sel.to);
    }
  }

  async function useAsBase() {
    if (!st.sel) return;
    st.base = st.sel;
    hooks.base = { from: st.base.from, to: st.base.to };
    $('hm-stop').hidden = false;
    draw();
    if (folder()) {
      const h = window.proflabHistory;
      if (h && h.choose) await h.choose(h.range, windowsOf(st.sel));
    } else {
      await api().setBaseRange(st.sel);
    }
  }

  async function stopComparing() {
    st.base = null;
    hooks.base = null;
    $('hm-stop').hidden = true;
    draw();
    if (folder()) {
      const h = window.proflabHistory;
      if (h && h.choose) await h.choose(h.range, null);
    } else {
      await api().setBaseRange(null);
    }
  }

  $('hm-target').addEventListener('click', useAsTarget);
  $('hm-base').addEventListener('click', useAsBase);
  $('hm-stop').addEventListener('click', stopComparing);
  $('hm-toggle').addEventListener('click', () => {
    const body = $('hm-body');
    body.hidden = !body.hidden;
    $('hm-toggle').textContent = body.hidden ? 'Show' : 'Hide';
    $('hm-toggle').setAttribute('aria-expanded', String(!body.hidden));
    hooks.open = !body.hidden;
    if (open() && st.want !== null && st.want !== st.key) fetchHeatmap(st.want); else draw();
  });
  window.addEventListener('resize', () => { if (open() && st.key !== null) fetchHeatmap(st.key); });
})();
