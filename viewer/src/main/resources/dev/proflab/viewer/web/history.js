// proflab view DIR: the windows `proflab collect` writes into a folder, on a time axis, one lane per
// kind (cpu, heap, allocs, mutex, block, wall). Click a mark: that window's flame graph; drag: the windows
// of a range, merged; Compare (or alt-drag): a second range, the base, and the page shows the
// difference. Follow: each new window is shown as it comes (a pick of your own stops it). The selection is
// kept in the URL hash (kind=, range=, base=, follow=1); the folder is listed again every few seconds, so
// windows appear as the collector writes them and go when its retention deletes them. Served as it is from the jar; app.js does the loading (window.proflab.select).
'use strict';

(function () {
  const section = document.getElementById('history-section');
  if (!section) return;

  const LABEL = 70;       // px for the kind names
  const AXIS = 20;        // px for the time axis
  const LANE = 18;        // px per kind
  const GAP = 4;          // px between lanes
  const POLL_MS = 3000;   // how often the folder is listed again
  const COLORS = { window: '#8a8a8a', other: '#c9c9c9', current: '#1d5fc9', base: '#e08a00', unreadable: '#d0453b' };
  const STEPS = [1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5, 216e5, 432e5, 864e5,
    1728e5, 6048e5];

  const $ = (id) => document.getElementById(id);
  const api = () => window.proflab;

  const st = {
    data: null,        // the last /api/history
    kind: null,
    range: null,       // 'A..B' in epoch ms: the windows shown
    base: null,        // 'A..B': the windows compared against, or null
    comparing: false,  // the next click or drag picks the base
    view: null,        // { from, to } in epoch ms
    fitted: true,      // the view follows the windows as they come
    follow: false,     // the selection moves to each new window of its kind
    drag: null, lanes: [], marks: [], timer: null, started: false,
  };

  const hooks = window.proflabHistory = {
    ready: false, loads: 0, empty: null, note: null, kind: null, kinds: [], windows: [], selected: [], base: [],
    comparing: false, error: null, range: null, baseRange: null, follow: false,
    // the box of a window's mark (canvas CSS px) by name
    markBox(name) {
      const m = st.marks.find((x) => x.w.name === name);
      return m ? { x: m.x, y: m.y, w: m.width, h: m.h } : null;
    },
    // shows the windows of `range` of the kind shown, compared against those of `base` (null: none)
    choose: (range, base) => choose(st.kind, range, base),
    // x (canvas CSS px) of a time in epoch milliseconds
    xOf: (t) => xOf(t),
    // y of the middle of a kind's lane
    laneY(kind) {
      const l = st.lanes.find((x) => x.kind === kind);
      return l ? l.y + LANE / 2 : null;
    },
    refresh: () => refresh(),
    start: (meta) => start(meta),
  };

  section.innerHTML = `
    <div class="hs-head">
      <h2>History</h2>
      <label title="Which kind of profile">kind <select id="hs-kind"></select></label>
      <button type="button" id="hs-latest" title="The newest window of this kind">Latest</button>
      <button type="button" id="hs-follow" aria-pressed="false"
        title="Show each new window of this kind as the collector writes it (a click or drag of your own stops it)">Follow</button>
      <button type="button" id="hs-compare" aria-pressed="false"
        title="Then click or drag on the axis: the windows to compare against (the base)">Compare&hellip;</button>
      <button type="button" id="hs-stop" hidden title="Show the selection alone again">Stop comparing</button>
      <span id="hs-sel"></span>
      <span class="hs-controls">
        <button type="button" id="hs-zoom-out" title="Zoom out">&minus;</button>
        <button type="button" id="hs-zoom-in" title="Zoom in">+</button>
        <button type="button" id="hs-fit" title="Every window">Fit</button>
      </span>
    </div>
    <div id="hs-note" hidden></div>
    <div id="hs-wrap"><canvas id="hs-canvas" aria-label="windows of the folder on a time axis"></canvas></div>
    <div id="hs-foot" class="muted"></div>
    <div id="hs-tip" hidden></div>`;

  const canvas = $('hs-canvas');
  const tip = $('hs-tip');

  // ---- helpers ---------------------------------------------------------------------------------

  const esc = (s) => (api() && api().esc ? api().esc(s)
    : String(s).replace(/[&<>"'\r\0]/g, (c) => ({
      '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\r': '&#13;', '\0': '\ufffd' }[c])));

  async function getJson(url) {
    if (api() && api().getJson) return api().getJson(url);
    const r = await fetch(url);
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }

  const pad2 = (n) => String(n).padStart(2, '0');
  function hms(ms) {
    const d = new Date(ms);
    return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  }
  function day(ms) {
    return new Date(ms).toISOString().substring(0, 10);
  }
  function when(ms) {
    return `${day(ms)} ${hms(ms)} UTC`;
  }
  function dur(ms) {
    if (ms == null) return 'length unknown';
    if (ms < 1000) return ms + ' ms';
    if (ms < 120000) return (ms / 1000).toFixed(ms % 1000 ? 1 : 0) + ' s';
    return (ms / 60000).toFixed(1) + ' min';
  }
  function size(b) {
    if (b >= 1 << 20) return (b / (1 << 20)).toFixed(1) + ' MiB';
    if (b >= 1 << 10) return (b / (1 << 10)).toFixed(0) + ' KiB';
    return b + ' B';
  }

  const plotWidth = () => Math.max(50, canvas.clientWidth - LABEL - 8);
  const xOf = (t) => LABEL + (t - st.view.from) / (st.view.to - st.view.from) * plotWidth();
  const tOf = (x) => st.view.from + (x - LABEL) / plotWidth() * (st.view.to - st.view.from);
  const windowsOf = (kind) => (st.data ? st.data.windows.filter((w) => w.kind === kind) : []);
  const endOf = (w) => Math.max(w.end_ms, w.start_ms);

  function hashParams() {
    return new URLSearchParams(location.hash.replace(/^#/, ''));
  }

  // the selection into the hash, next to app.js's layout, mode and normalize
  function remember() {
    const h = hashParams();
    for (const [k, v] of [['kind', st.kind], ['range', st.range], ['base', st.base], ['follow', st.follow ? '1' : null]]) {
      if (v) h.set(k, v); else h.delete(k);
    }
    history.replaceState(null, '', '#' + h.toString());
  }

  // ---- loading ---------------------------------------------------------------------------------

  async function refresh() {
    try {
      const d = await getJson('api/history');
      const before = st.data;
      st.data = d;
      hooks.error = null;
      hooks.empty = d.empty;
      hooks.note = d.note;
      kinds();
      if (st.fitted || !st.view) fit(false);
      note();
      draw();
      hooks.loads++;
      if (d.empty) {
        document.body.classList.add('history-empty');
      } else if (!st.started || (before && before.empty)) {
        // the first windows: show the newest
        document.body.classList.remove('history-empty');
        st.started = true;
        const h = hashParams();
        const kind = h.get('kind') && d.kinds.some((k) => k.kind === h.get('kind')) ? h.get('kind') : d.kind;
        st.follow = h.get('follow') === '1';
        await choose(kind, (st.follow ? null : h.get('range')) || latestRange(kind), h.get('base') || null);
      } else if (st.follow && st.kind) {
        const latest = latestRange(st.kind);
        if (latest && latest !== st.range) await choose(st.kind, latest, st.base);
      }
    } catch (e) {
      hooks.error = e.message;
      $('hs-note').textContent = 'history: ' + e.message;
      $('hs-note').hidden = false;
    }
    hooks.ready = true;
  }

  function poll() {
    clearTimeout(st.timer);
    st.timer = setTimeout(async () => { await refresh(); poll(); }, POLL_MS);
  }

  async function start() {
    document.body.classList.add('history');
    section.hidden = false;
    await refresh();
    poll();
    if (st.data && st.data.empty) {
      // app.js waits for nothing more: the page says how to fill the folder
      window.proflabView.ready = true;
    }
  }

  function kinds() {
    const d = st.data;
    const sel = $('hs-kind');
    const list = d.kinds.map((k) => `<option value="${esc(k.kind)}">${esc(k.kind)} (${k.count})</option>`).join('');
    if (sel.innerHTML !== list) sel.innerHTML = list;
    if (st.kind) sel.value = st.kind;
    sel.disabled = d.kinds.length === 0;
    hooks.kinds = d.kinds.map((k) => k.kind);
    hooks.windows = windowsOf(st.kind || d.kind).map((w) => w.name);
  }

  function note() {
    const d = st.data;
    const n = $('hs-note');
    if (d.empty) {
      n.innerHTML = `No profiles in <code>${esc(d.path)}</code> yet. Fill it with `
        + `<code>proflab collect --target http://127.0.0.1:6060 --out ${esc(d.path)}</code> `
        + '(a CPU window and a heap snapshot every interval, from a service\'s /debug/pprof endpoints); '
        + 'they appear here as they are written.';
      n.hidden = false;
    } else {
      n.hidden = true;
    }
    const foot = ['click: one window', 'drag: a range, merged', 'Compare, then click or drag (or alt-drag): the base',
      'wheel: zoom', 'shift-wheel: pan'];
    if (d.skipped.length) {
      foot.push(`${d.skipped.length} file(s) skipped: ` + d.skipped.slice(0, 3)
        .map((s) => `${esc(s.name)} (${esc(s.reason)})`).join(', ') + (d.skipped.length > 3 ? ', ...' : ''));
    }
    $('hs-foot').innerHTML = foot.join(' &middot; ');
  }

  function latestRange(kind) {
    const ws = windowsOf(kind);
    if (!ws.length) return null;
    const w = ws[ws.length - 1];
    return `${w.start_ms}..${w.start_ms}`;
  }

  // shows the windows of `range` (and `base`) of `kind`: app.js loads meta, flame graph and table
  async function choose(kind, range, base) {
    if (kind !== st.kind && st.kind) {
      // another kind: the old ranges may hold none of its windows
      if (range === st.range) range = latestRange(kind);
      base = null;
    }
    st.kind = kind;
    st.range = range;
    st.base = base || null;
    st.comparing = false;
    $('hs-kind').value = kind;
    hooks.kind = kind;
    hooks.range = st.range;
    hooks.baseRange = st.base;
    hooks.windows = windowsOf(kind).map((w) => w.name);
    if (!base) {
      const h = hashParams();
      if (h.has('mode')) { h.delete('mode'); history.replaceState(null, '', '#' + h.toString()); }
    }
    remember();
    buttons();
    draw();
    if (api() && api().select) await api().select({ kind: st.kind, range: st.range, base: st.base });
  }

  function buttons() {
    $('hs-compare').setAttribute('aria-pressed', String(st.comparing));
    $('hs-follow').setAttribute('aria-pressed', String(st.follow));
    hooks.follow = st.follow;
    $('hs-stop').hidden = !st.base;
    hooks.comparing = st.comparing;
  }

  // after every load of app.js: what the server selected
  function selection() {
    const m = api() && api().meta ? api().meta() : null;
    hooks.selected = m && m.windows ? m.windows.slice() : [];
    hooks.base = m && m.base && m.base.windows ? m.base.windows.slice() : [];
    const sel = $('hs-sel');
    if (!m || !m.windows) { sel.innerHTML = ''; return; }
    sel.innerHTML = m.base
      ? `<span class="hs-base">base: ${esc(m.base.label)}</span> &rarr; <span class="hs-cur">${esc(m.label)}</span>`
      : `<span class="hs-cur">${esc(m.label)}</span>`;
    draw();
  }

  // ---- drawing ---------------------------------------------------------------------------------

  function fit(redraw) {
    const d = st.data;
    let from = Infinity, to = -Infinity;
    for (const w of d ? d.windows : []) {
      from = Math.min(from, w.start_ms);
      to = Math.max(to, endOf(w));
    }
    if (!isFinite(from)) {
      const now = Date.now();
      from = now - 3600e3;
      to = now;
    }
    const span = Math.max(60e3, to - from);
    const mid = (from + to) / 2;
    st.view = { from: mid - span * 0.53, to: mid + span * 0.53 };
    st.fitted = true;
    if (redraw) draw();
  }

  function draw() {
    const d = st.data;
    if (!d || !st.view) return;
    const kindsShown = d.kinds.map((k) => k.kind);
    const lanes = Math.max(1, kindsShown.length);
    const height = AXIS + lanes * (LANE + GAP) + 4;
    const dpr = window.devicePixelRatio || 1;
    const width = canvas.parentElement.clientWidth;
    canvas.style.width = width + 'px';
    canvas.style.height = height + 'px';
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';

    // time axis (UTC), with the date where it changes
    const v = st.view;
    const target = (v.to - v.from) / Math.max(2, plotWidth() / 90);
    const step = STEPS.find((s) => s >= target) || STEPS[STEPS.length - 1];
    g.strokeStyle = '#e6e6e6';
    g.fillStyle = '#444';
    let lastDay = null;
    for (let t = Math.ceil(v.from / step) * step; t <= v.to; t += step) {
      const x = xOf(t);
      if (x < LABEL) continue;
      g.beginPath();
      g.moveTo(x + 0.5, AXIS - 4);
      g.lineTo(x + 0.5, height);
      g.stroke();
      const dd = day(t);
      const text = dd !== lastDay ? `${dd.substring(5)} ${hms(t)}` : hms(t);
      lastDay = dd;
      g.fillText(step >= 60e3 ? text.replace(/:00$/, '') : text, x + 3, AXIS / 2);
    }
    g.fillStyle = '#666';
    g.fillText('UTC', 6, AXIS / 2);

    // the selections, as bands behind the marks
    const selected = new Set(hooks.selected);
    const based = new Set(hooks.base);
    st.lanes = [];
    st.marks = [];
    kindsShown.forEach((kind, i) => {
      const y = AXIS + i * (LANE + GAP) + 2;
      const mine = kind === st.kind;
      st.lanes.push({ kind, y });
      if (mine) {
        g.fillStyle = '#f1f5fc';
        g.fillRect(0, y - 1, width, LANE + 2);
      }
      g.fillStyle = mine ? '#111' : '#888';
      g.font = mine ? 'bold 11px system-ui, sans-serif' : '11px system-ui, sans-serif';
      g.fillText(kind, 6, y + LANE / 2);
      g.font = '11px system-ui, sans-serif';
      for (const w of windowsOf(kind)) {
        const x0 = xOf(w.start_ms);
        const x1 = Math.max(x0 + 3, xOf(endOf(w)) - 1);
        if (x1 < LABEL || x0 > LABEL + plotWidth()) continue;
        const left = Math.max(LABEL, x0);
        const cur = mine && selected.has(w.name);
        const base = mine && based.has(w.name);
        g.fillStyle = cur ? COLORS.current : base ? COLORS.base : w.problem ? COLORS.unreadable
          : mine ? COLORS.window : COLORS.other;
        const h = cur || base ? LANE : LANE - 6;
        const top = cur || base ? y : y + 3;
        g.fillRect(left, top, Math.max(2, Math.min(x1, LABEL + plotWidth()) - left), h);
        st.marks.push({ w, kind, x: left, y: top, width: Math.max(2, x1 - left), h });
      }
    });

    // a range being dragged
    if (st.drag && st.drag.moved) {
      const a = Math.min(st.drag.x0, st.drag.x1), b = Math.max(st.drag.x0, st.drag.x1);
      g.fillStyle = st.drag.base ? 'rgba(224, 138, 0, 0.22)' : 'rgba(29, 95, 201, 0.18)';
      g.fillRect(a, 0, b - a, height);
    }
    g.strokeStyle = '#bbb';
    g.beginPath();
    g.moveTo(LABEL - 0.5, 0);
    g.lineTo(LABEL - 0.5, height);
    g.stroke();
    hooks.view = { from: v.from, to: v.to };
  }

  // ---- mouse: click a window, drag a range, alt or Compare: the base -------------------------------

  function local(ev) {
    const r = canvas.getBoundingClientRect();
    return { x: ev.clientX - r.left, y: ev.clientY - r.top };
  }

  function laneAt(y) {
    return st.lanes.find((l) => y >= l.y - GAP / 2 && y <= l.y + LANE + GAP / 2) || null;
  }

  // the window of `kind` under x (the nearest mark within 6 px)
  function windowAt(kind, x) {
    let best = null, dist = 7;
    for (const m of st.marks) {
      if (m.kind !== kind) continue;
      const d = x < m.x ? m.x - x : x > m.x + m.width ? x - m.x - m.width : 0;
      if (d < dist) { best = m.w; dist = d; }
    }
    return best;
  }

  canvas.addEventListener('mousedown', (ev) => {
    if (!st.view || !st.data || st.data.empty) return;
    const p = local(ev);
    if (p.x < LABEL) return;
    ev.preventDefault();
    tip.hidden = true;
    st.drag = { x0: p.x, x1: p.x, y: p.y, moved: false, base: st.comparing || ev.altKey };
  });

  window.addEventListener('mousemove', (ev) => {
    if (!st.view) return;
    const p = local(ev);
    if (st.drag) {
      st.drag.x1 = Math.max(LABEL, Math.min(LABEL + plotWidth(), p.x));
      if (Math.abs(st.drag.x1 - st.drag.x0) >= 4) st.drag.moved = true;
      draw();
      return;
    }
    if (ev.target === canvas) hover(p, ev); else tip.hidden = true;
  });

  window.addEventListener('mouseup', () => {
    const d = st.drag;
    if (!d) return;
    st.drag = null;
    let range = null, kind = st.kind;
    if (d.moved) {
      const a = Math.floor(tOf(Math.min(d.x0, d.x1)));
      const b = Math.ceil(tOf(Math.max(d.x0, d.x1)));
      range = `${a}..${b}`;
    } else {
      const lane = laneAt(d.y);
      if (lane) kind = lane.kind;
      const w = windowAt(kind, d.x0);
      if (w) range = `${w.start_ms}..${w.start_ms}`;
    }
    if (!range) { draw(); return; }
    if (d.base && kind === st.kind) choose(kind, st.range, range);
    else {
      st.follow = false;   // a window or range of one's own: stay on it
      choose(kind, range, kind === st.kind ? st.base : null);
    }
  });

  function hover(p, ev) {
    const lane = laneAt(p.y);
    const w = lane && p.x >= LABEL ? windowAt(lane.kind, p.x) : null;
    if (!w) { tip.hidden = true; return; }
    tip.innerHTML = `<b>${esc(w.name)}</b><br>${esc(when(w.start_ms))}, ${esc(dur(w.duration_ms))}, ${esc(size(w.size))}`
      + (w.time_source === 'name' ? '' : `<br><span class="muted">time from the ${w.time_source === 'profile'
        ? 'profile' : 'file\'s modification time'}</span>`)
      + (w.problem ? `<br><span class="unreadable">unreadable: ${esc(w.problem)}</span>` : '');
    tip.hidden = false;
    tip.style.left = Math.min(window.innerWidth - 440, ev.clientX + 14) + 'px';
    tip.style.top = (ev.clientY + 14) + 'px';
  }
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });

  function zoom(factor, atX) {
    const v = st.view;
    const center = atX == null ? (v.from + v.to) / 2 : tOf(atX);
    const span = Math.max(2e3, Math.min(400 * 864e5, (v.to - v.from) * factor));
    const ratio = (center - v.from) / (v.to - v.from);
    st.view = { from: center - ratio * span, to: center - ratio * span + span };
    st.fitted = false;
    draw();
  }

  function pan(dx) {
    const v = st.view;
    const dt = dx / plotWidth() * (v.to - v.from);
    st.view = { from: v.from + dt, to: v.to + dt };
    st.fitted = false;
    draw();
  }

  canvas.addEventListener('wheel', (ev) => {
    if (!st.view) return;
    const p = local(ev);
    if (p.x < LABEL) return;
    ev.preventDefault();
    if (ev.shiftKey || Math.abs(ev.deltaX) > Math.abs(ev.deltaY)) pan(ev.shiftKey ? ev.deltaY : ev.deltaX);
    else zoom(ev.deltaY > 0 ? 1.25 : 0.8, p.x);
  }, { passive: false });

  $('hs-zoom-in').addEventListener('click', () => zoom(0.5));
  $('hs-zoom-out').addEventListener('click', () => zoom(2));
  $('hs-fit').addEventListener('click', () => fit(true));
  $('hs-kind').addEventListener('change', () => {
    const k = $('hs-kind').value;
    choose(k, latestRange(k), null);
  });
  $('hs-latest').addEventListener('click', () => {
    if (st.kind) choose(st.kind, latestRange(st.kind), st.base);
  });
  $('hs-follow').addEventListener('click', () => {
    st.follow = !st.follow;
    if (st.follow && st.kind) choose(st.kind, latestRange(st.kind), st.base);
    else { remember(); buttons(); }
  });
  $('hs-compare').addEventListener('click', () => {
    st.comparing = !st.comparing;
    buttons();
  });
  $('hs-stop').addEventListener('click', () => choose(st.kind, st.range, null));
  window.addEventListener('resize', () => draw());

  // a changed hash (typed, or back and forward) is followed
  window.addEventListener('hashchange', () => {
    if (!st.started) return;
    const h = hashParams();
    const kind = h.get('kind') || st.kind;
    const follow = h.get('follow') === '1';
    const range = (follow ? null : h.get('range')) || latestRange(kind);
    const base = h.get('base') || null;
    if (follow !== st.follow) {
      st.follow = follow;
      buttons();
    }
    if (kind !== st.kind || range !== st.range || base !== st.base) {
      st.kind = kind;   // as given: choose() keeps the ranges of the same kind
      choose(kind, range, base);
    }
  });

  if (api() && api().onLoad) api().onLoad(() => selection());
})();
