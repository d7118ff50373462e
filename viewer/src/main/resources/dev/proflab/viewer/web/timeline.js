// proflab view: the timeline (Java's `go tool trace`): one lane per thread over time, coloured by what
// the thread did (running, parked, blocked, waiting, sleeping), GC pauses and safepoints as bands across
// all lanes. Wheel or +/- zooms, drag pans, shift-drag selects a time range: the flame graph and the top
// table then show that range only (window.proflab.setRange of app.js). Served as it is from the jar.
'use strict';

(function () {
  const section = document.getElementById('timeline-section');
  if (!section) return;

  const LABEL = 170;      // px for the thread names
  const AXIS = 22;        // px for the time axis
  const STRIP = 14;       // px for the GC/safepoint strip under the axis
  const LANE = 14;        // px per lane
  const GAP = 3;          // px between lanes
  const MAX_HEIGHT = 460; // px of lanes before the canvas scrolls
  const STATES = ['running', 'blocked', 'waiting', 'parked', 'sleeping', 'idle'];
  const COLORS = {
    running: '#3a9d23', parked: '#6f9fd8', blocked: '#d9534f', waiting: '#f0ad4e',
    sleeping: '#9b7fd1', idle: '#c4c4c4',
  };
  const LABELS = {
    running: 'running (samples)', parked: 'parked (LockSupport.park)', blocked: 'blocked (monitor enter)',
    waiting: 'waiting (Object.wait)', sleeping: 'sleeping (Thread.sleep)', idle: 'idle (wall clock)',
  };
  const BAND = { gc: 'rgba(200, 0, 0, 0.28)', safepoint: 'rgba(255, 140, 0, 0.22)' };
  const BAND_SOLID = { gc: '#c80000', safepoint: '#ff8c00' };

  section.innerHTML = `
    <div class="tl-head">
      <h2>Timeline</h2>
      <span id="tl-info" class="muted"></span>
      <span class="tl-controls">
        <button type="button" id="tl-zoom-out" title="Zoom out">&minus;</button>
        <button type="button" id="tl-zoom-in" title="Zoom in">+</button>
        <button type="button" id="tl-fit" title="The whole recording">Fit</button>
        <label title="Order of the lanes">sort <select id="tl-sort">
          <option value="start">by start</option><option value="busy">by running time</option>
          <option value="lifetime">by lifetime</option><option value="name">by name</option>
        </select></label>
        <label title="Threads with no sample and no wait in view (JVM system threads, mostly)">
          <input type="checkbox" id="tl-hide-idle" checked> hide idle threads</label>
        <button type="button" id="tl-range-view" title="Show the flame graph of the time in view">Flame graph of this view</button>
        <button type="button" id="tl-clear" title="The flame graph of the whole recording again">Clear range</button>
      </span>
    </div>
    <div id="tl-legend"></div>
    <div id="tl-note" class="muted" hidden></div>
    <div id="tl-wrap"><canvas id="tl-canvas" aria-label="timeline of threads"></canvas></div>
    <div id="tl-foot" class="muted"></div>
    <div id="tl-tip" hidden></div>`;

  const $ = (id) => document.getElementById(id);
  const canvas = $('tl-canvas');
  const tip = $('tl-tip');
  const api = () => window.proflab || null;

  const st = {
    data: null, duration: 0, view: null, loading: 0, seq: 0, timer: null,
    lanes: [], bands: [], drag: null, select: null, hover: null,
  };

  const hooks = window.proflabTimeline = {
    ready: false, available: null, loads: 0, lanes: [], bands: [], range: null, view: null, error: null,
    // the box of a lane (canvas CSS px) by thread name
    laneBox(name) {
      const l = st.lanes.find((x) => x.name === name);
      return l ? { x: LABEL, y: l.y, w: plotWidth(), h: LANE } : null;
    },
    // the widest drawn band of a kind ('gc' or 'safepoint'), in canvas CSS px
    bandBox(kind) {
      let best = null;
      for (const b of st.bands) if (b.kind === kind && (!best || b.w > best.w)) best = b;
      return best ? { x: best.x, y: AXIS, w: best.w, h: STRIP, name: best.name, duration: best.duration } : null;
    },
    // x (canvas CSS px) of a time in nanoseconds since the recording's start
    xOf: (t) => xOf(t),
  };

  // ---- helpers ---------------------------------------------------------------------------------

  function fmtNs(v) {
    const p = api();
    if (p && p.fmt) return p.fmt(v, 'nanoseconds');
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(2) + 's';
    if (a >= 1e6) return (v / 1e6).toFixed(1) + 'ms';
    if (a >= 1e3) return (v / 1e3).toFixed(1) + 'us';
    return Math.round(v) + 'ns';
  }

  function esc(s) {
    const p = api();
    if (p && p.esc) return p.esc(s);
    return String(s).replace(/[&<>"'\r\0]/g, (c) => ({
      '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\r': '&#13;', '\0': '\ufffd' }[c]));
  }

  async function getJson(url) {
    const p = api();
    if (p && p.getJson) return p.getJson(url);
    const r = await fetch(url);
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }

  function plotWidth() {
    return Math.max(50, canvas.clientWidth - LABEL);
  }

  function xOf(t) {
    const v = st.view;
    return LABEL + (t - v.from) / (v.to - v.from) * plotWidth();
  }

  function tOf(x) {
    const v = st.view;
    return v.from + (x - LABEL) / plotWidth() * (v.to - v.from);
  }

  function niceStep(span, target) {
    const raw = span / Math.max(1, target);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }

  function threadFilter() {
    const el = document.getElementById('thread');
    return el ? el.value.trim() : '';
  }

  // ---- loading ---------------------------------------------------------------------------------

  function url() {
    const p = new URLSearchParams();
    p.set('from', String(Math.max(0, Math.floor(st.view.from))));
    p.set('to', String(Math.ceil(st.view.to)));
    p.set('buckets', String(Math.max(10, Math.min(2000, Math.round(plotWidth() / 2)))));
    p.set('sort', $('tl-sort').value);
    const th = threadFilter();
    if (th) p.set('thread', th);
    return 'api/timeline?' + p.toString();
  }

  async function load() {
    const seq = ++st.seq;
    hooks.ready = false;
    try {
      const d = await getJson(url());
      if (seq !== st.seq) return;
      if (!d.available) {
        hooks.available = false;
        hooks.note = d.note;
        section.hidden = true;
        hooks.ready = true;
        return;
      }
      st.data = d;
      if (!st.duration) st.duration = d.duration_ns;
      const any = d.lanes.length > 0 || d.threads > 0;
      hooks.available = any;
      section.hidden = !any;
      hooks.error = null;
      draw();
      hooks.loads++;
      hooks.ready = true;
    } catch (e) {
      if (seq !== st.seq) return;
      hooks.error = e.message;
      $('tl-note').textContent = 'timeline: ' + e.message;
      $('tl-note').hidden = false;
      hooks.ready = true;
    }
  }

  function reload(delay) {
    clearTimeout(st.timer);
    hooks.ready = false;
    st.timer = setTimeout(load, delay == null ? 120 : delay);
  }

  async function init() {
    try {
      const d = await getJson('api/timeline?buckets=10&lanes=1');
      if (!d.available || !(d.threads > 0)) {
        hooks.available = false;
        hooks.note = d.note || 'no threads in this recording';
        section.hidden = true;
        hooks.ready = true;
        return;
      }
      st.duration = Math.max(1, d.duration_ns);
      st.view = { from: 0, to: st.duration };
      section.hidden = false;
      legend();
      await load();
    } catch (e) {
      hooks.available = false;
      hooks.error = e.message;
      section.hidden = true;
      hooks.ready = true;
    }
  }

  function legend() {
    const parts = STATES.map((s) => `<span data-c="${COLORS[s]}">${esc(LABELS[s])}</span>`);
    parts.push(`<span data-c="${BAND_SOLID.gc}">GC pause (all threads stop)</span>`);
    parts.push(`<span data-c="${BAND_SOLID.safepoint}">safepoint</span>`);
    parts.push('<span class="tl-hint">wheel or +/&minus;: zoom &middot; drag: pan &middot; shift-drag: flame graph of a time range</span>');
    $('tl-legend').innerHTML = parts.join('');
    // the swatch colours through the DOM: the Content-Security-Policy allows no style attributes in markup
    $('tl-legend').querySelectorAll('[data-c]').forEach((s) => s.style.setProperty('--c', s.dataset.c));
  }

  // ---- drawing ---------------------------------------------------------------------------------

  function draw() {
    const d = st.data;
    if (!d) return;
    const hideIdle = $('tl-hide-idle').checked;
    const lanes = d.lanes.filter((l) => !(hideIdle && l.idle));
    const hidden = d.lanes.length - lanes.length;
    const height = AXIS + STRIP + lanes.length * (LANE + GAP) + 6;
    const dpr = window.devicePixelRatio || 1;
    const width = canvas.parentElement.clientWidth;
    canvas.style.width = width + 'px';
    canvas.style.height = height + 'px';
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    $('tl-wrap').style.maxHeight = (MAX_HEIGHT + AXIS + STRIP) + 'px';
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';

    // time axis
    const v = st.view;
    const step = niceStep(v.to - v.from, Math.max(2, plotWidth() / 110));
    g.fillStyle = '#444';
    g.strokeStyle = '#e2e2e2';
    for (let t = Math.ceil(v.from / step) * step; t <= v.to; t += step) {
      const x = xOf(t);
      g.beginPath();
      g.moveTo(x + 0.5, AXIS - 4);
      g.lineTo(x + 0.5, height);
      g.stroke();
      g.fillText(fmtNs(t), x + 3, AXIS / 2);
    }
    g.fillStyle = '#666';
    g.fillText('GC / safepoints', 6, AXIS + STRIP / 2);

    // lanes
    st.lanes = [];
    const b0 = d.from;
    const bw = d.bucket_ns;
    lanes.forEach((l, i) => {
      const y = AXIS + STRIP + 4 + i * (LANE + GAP);
      st.lanes.push({ name: l.name, y, lane: l });
      g.fillStyle = l.idle ? '#999' : '#222';
      const label = l.name.length > 26 ? l.name.slice(0, 25) + '\u2026' : l.name;
      g.fillText(label, 6, y + LANE / 2);
      // lifetime: a thin line from start to end
      const xs = Math.max(LABEL, xOf(l.start));
      const xe = Math.min(LABEL + plotWidth(), xOf(l.end));
      if (xe >= xs) {
        // a thread that started and ended in the recording: a darker, at least 2 px wide mark
        const short = l.start_seen && l.end_seen;
        g.fillStyle = short ? '#9a9a9a' : '#d6d6d6';
        g.fillRect(xs, y + (short ? 3 : LANE / 2 - 1), Math.max(short ? 2 : 1, xe - xs), short ? LANE - 6 : 2);
        if (l.start_seen && xOf(l.start) >= LABEL) { g.fillStyle = '#888'; g.fillRect(xs, y + 1, 1, LANE - 2); }
        if (l.end_seen && xOf(l.end) <= LABEL + plotWidth()) { g.fillStyle = '#888'; g.fillRect(xe - 1, y + 1, 1, LANE - 2); }
      }
      // per bucket: each state's share of the bucket, stacked
      const n = d.buckets;
      for (let k = 0; k < n; k++) {
        const x0 = xOf(b0 + k * bw);
        const x1 = xOf(b0 + (k + 1) * bw);
        if (x1 < LABEL || x0 > LABEL + plotWidth()) continue;
        let yy = y + LANE;
        for (const s of STATES) {
          const arr = l.buckets[s];
          if (!arr || !arr[k]) continue;
          const h = Math.max(1.5, Math.min(1, arr[k] / bw) * LANE);
          g.fillStyle = COLORS[s];
          const left = Math.max(LABEL, x0);
          g.fillRect(left, yy - h, Math.max(1, Math.min(x1, LABEL + plotWidth()) - left), h);
          yy -= h;
          if (yy <= y) break;
        }
      }
    });

    // bands: in the strip and across every lane
    st.bands = [];
    for (const b of d.bands) {
      const x0 = Math.max(LABEL, xOf(b.start));
      const x1 = Math.min(LABEL + plotWidth(), xOf(b.start + b.duration));
      if (x1 < LABEL || x0 > LABEL + plotWidth()) continue;
      const w = Math.max(1.5, x1 - x0);
      g.fillStyle = BAND_SOLID[b.kind] || '#888';
      g.fillRect(x0, AXIS + (b.kind === 'gc' ? 0 : STRIP / 2), w, STRIP / 2);
      g.fillStyle = BAND[b.kind] || 'rgba(0,0,0,0.15)';
      g.fillRect(x0, AXIS + STRIP, w, height - AXIS - STRIP);
      st.bands.push({ kind: b.kind, name: b.name, start: b.start, duration: b.duration, x: x0, w });
    }

    // the flame graph's range, and a selection being dragged
    const r = api() && api().range ? api().range() : null;
    if (r) {
      const x0 = Math.max(LABEL, xOf(r.from));
      const x1 = Math.min(LABEL + plotWidth(), xOf(r.to));
      if (x1 > x0) {
        g.fillStyle = 'rgba(40, 110, 220, 0.12)';
        g.fillRect(x0, 0, x1 - x0, height);
        g.strokeStyle = 'rgba(40, 110, 220, 0.8)';
        g.strokeRect(x0 + 0.5, 0.5, x1 - x0 - 1, height - 1);
      }
    }
    if (st.select) {
      const a = Math.min(st.select.x0, st.select.x1);
      const w = Math.abs(st.select.x1 - st.select.x0);
      g.fillStyle = 'rgba(40, 110, 220, 0.22)';
      g.fillRect(a, 0, w, height);
    }
    g.strokeStyle = '#bbb';
    g.beginPath();
    g.moveTo(LABEL - 0.5, 0);
    g.lineTo(LABEL - 0.5, height);
    g.stroke();

    // text around it
    const info = [`${d.threads} threads (${d.short_lived} started and ended in the recording)`,
      `${d.gc.count} GC pauses, ${fmtNs(d.gc.total_ns)}` + (d.gc.count ? ` (max ${fmtNs(d.gc.max_ns)})` : ''),
      `${d.safepoints.count} safepoints, ${fmtNs(d.safepoints.total_ns)}`,
      `view ${fmtNs(v.from)} to ${fmtNs(v.to)}`];
    $('tl-info').textContent = info.join(' \u00b7 ');
    const note = $('tl-note');
    note.textContent = d.note || '';
    note.hidden = !d.note;
    const foot = [];
    if (d.more > 0) foot.push(`${d.more} more threads not shown (${d.more_names.slice(0, 5).join(', ')}${d.more > 5 ? ', ...' : ''})`);
    if (hidden > 0) foot.push(`${hidden} idle threads hidden`);
    $('tl-foot').textContent = foot.join(' \u00b7 ');

    hooks.lanes = st.lanes.map((x) => x.name);
    hooks.idleHidden = hidden;
    hooks.bands = st.bands.map((b) => ({ kind: b.kind, name: b.name, start: b.start, duration: b.duration }));
    hooks.range = r;
    hooks.view = { from: v.from, to: v.to };
  }

  // ---- zoom, pan, select -----------------------------------------------------------------------

  function zoom(factor, atX) {
    const v = st.view;
    const center = atX == null ? (v.from + v.to) / 2 : tOf(atX);
    let span = (v.to - v.from) * factor;
    span = Math.max(100000, Math.min(st.duration, span)); // 100 us to the whole recording
    const ratio = (center - v.from) / (v.to - v.from);
    let from = center - ratio * span;
    from = Math.max(0, Math.min(st.duration - span, from));
    st.view = { from, to: from + span };
    draw();
    reload();
  }

  function pan(dx) {
    const v = st.view;
    const span = v.to - v.from;
    let from = v.from - dx / plotWidth() * span;
    from = Math.max(0, Math.min(st.duration - span, from));
    st.view = { from, to: from + span };
    draw();
    reload();
  }

  function localX(ev) {
    const r = canvas.getBoundingClientRect();
    return { x: ev.clientX - r.left, y: ev.clientY - r.top };
  }

  canvas.addEventListener('wheel', (ev) => {
    if (!st.view) return;
    const p = localX(ev);
    if (p.x < LABEL) return;
    ev.preventDefault();
    zoom(ev.deltaY > 0 ? 1.25 : 0.8, p.x);
  }, { passive: false });

  canvas.addEventListener('mousedown', (ev) => {
    if (!st.view) return;
    const p = localX(ev);
    if (p.x < LABEL) return;
    ev.preventDefault();
    tip.hidden = true;
    if (ev.shiftKey) {
      st.select = { x0: p.x, x1: p.x };
    } else {
      st.drag = { x: p.x, moved: false };
    }
  });

  window.addEventListener('mousemove', (ev) => {
    if (!st.view) return;
    const p = localX(ev);
    if (st.select) {
      st.select.x1 = Math.max(LABEL, Math.min(LABEL + plotWidth(), p.x));
      draw();
      return;
    }
    if (st.drag) {
      const dx = p.x - st.drag.x;
      if (Math.abs(dx) >= 1) {
        st.drag.x = p.x;
        st.drag.moved = true;
        pan(dx);
      }
      return;
    }
    if (ev.target === canvas) hover(p, ev); else tip.hidden = true;
  });

  window.addEventListener('mouseup', () => {
    if (st.select) {
      const a = tOf(Math.min(st.select.x0, st.select.x1));
      const b = tOf(Math.max(st.select.x0, st.select.x1));
      st.select = null;
      if (b - a > 0 && Math.abs(xOf(b) - xOf(a)) >= 3) setRange(a, b); else draw();
    }
    st.drag = null;
  });

  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });

  function setRange(from, to) {
    const p = api();
    const from0 = from == null ? null : Math.max(0, Math.round(from));
    const to0 = to == null ? null : Math.round(to);
    hooks.range = from0 == null ? null : { from: from0, to: to0 };
    const done = p && p.setRange ? p.setRange(from0, to0) : Promise.resolve();
    draw();
    return Promise.resolve(done).then(() => draw());
  }
  hooks.setRange = setRange;

  function hover(p, ev) {
    const d = st.data;
    if (!d || p.x < LABEL) { tip.hidden = true; return; }
    const t = tOf(p.x);
    let html = null;
    // in the strip GC pauses are the upper half, safepoints the lower; across the lanes a GC pause wins
    const under = st.bands.filter((b) => p.x >= b.x - 1 && p.x <= b.x + b.w + 1 && p.y >= AXIS);
    const inStrip = p.y <= AXIS + STRIP;
    const kind = inStrip ? (p.y < AXIS + STRIP / 2 ? 'gc' : 'safepoint') : null;
    const band = under.find((b) => (kind ? b.kind === kind : b.kind === 'gc')) || (kind ? null : under[0]);
    const lane = st.lanes.find((l) => p.y >= l.y - GAP / 2 && p.y <= l.y + LANE + GAP / 2);
    if (band && (p.y <= AXIS + STRIP || !lane)) {
      html = `<b>${esc(band.kind === 'gc' ? 'GC pause' : 'safepoint')}</b>: ${esc(band.name)}<br>`
        + `${fmtNs(band.duration)} at ${fmtNs(band.start)}`;
    } else if (lane) {
      const l = lane.lane;
      const s = l.summary;
      const k = Math.floor((t - d.from) / d.bucket_ns);
      const here = STATES.filter((x) => l.buckets[x] && l.buckets[x][k] > 0)
        .map((x) => `${x} ${fmtNs(l.buckets[x][k])}`).join(', ');
      html = `<b>${esc(l.name)}</b> ${l.java_thread_id ? '#' + l.java_thread_id : ''}<br>`
        + `alive ${fmtNs(l.start)} to ${fmtNs(l.end)}${l.start_seen ? '' : ' (started before)'}${l.end_seen ? '' : ' (still alive)'}<br>`
        + `in view: running ~${(100 * s.running_share).toFixed(1)}% (${s.samples} samples), parked ${fmtNs(s.parked_ns)}, `
        + `blocked ${fmtNs(s.blocked_ns)}, waiting ${fmtNs(s.waiting_ns)}, sleeping ${fmtNs(s.sleeping_ns)}`
        + (here ? `<br>at ${fmtNs(t)}: ${esc(here)}` : '')
        + (band ? `<br><b>${band.kind === 'gc' ? 'GC pause' : 'safepoint'}</b> ${esc(band.name)}: ${fmtNs(band.duration)}` : '');
    }
    if (!html) { tip.hidden = true; return; }
    tip.innerHTML = html;
    tip.hidden = false;
    tip.style.left = Math.min(window.innerWidth - 380, ev.clientX + 14) + 'px';
    tip.style.top = (ev.clientY + 14) + 'px';
  }

  $('tl-zoom-in').addEventListener('click', () => zoom(0.5));
  $('tl-zoom-out').addEventListener('click', () => zoom(2));
  $('tl-fit').addEventListener('click', () => { st.view = { from: 0, to: st.duration }; draw(); reload(0); });
  $('tl-sort').addEventListener('change', () => reload(0));
  $('tl-hide-idle').addEventListener('change', () => draw());
  $('tl-clear').addEventListener('click', () => setRange(null, null));
  $('tl-range-view').addEventListener('click', () => setRange(st.view.from, st.view.to));
  const thread = document.getElementById('thread');
  if (thread) thread.addEventListener('input', () => reload(300));
  window.addEventListener('resize', () => { if (st.data) { draw(); reload(); } });
  if (api() && api().onLoad) api().onLoad(() => draw());

  init();
})();
