// proflab view: the Sandwich tab. The selected function's callers as an upside-down flame graph above it
// (the function's bar at the bottom) and its callees as a flame graph below it (the function's bar at the
// top), from /api/sandwich under the page's filters (/api/diff/sandwich in a comparison). A click zooms
// either graph as in the main one; a right-click makes that frame's function the one shown. Served after
// app.js, in the same page: it draws with app.js's helpers (state, label, fmt, esc, getJson, query, select,
// showTab, size, fill, tip).
'use strict';

(() => {
  const views = {
    callers: { canvas: $('sandwich-callers'), up: true, root: null, zoom: null, zoomPath: null, rects: [], drawn: [] },
    callees: { canvas: $('sandwich-callees'), up: false, root: null, zoom: null, zoomPath: null, rects: [], drawn: [] },
  };
  const sw = { data: null, seq: 0 };
  const info = $('sandwich-info');

  const linkTree = (n, parent, depth) => {
    n.parent = parent;
    n.depth = depth;
    for (const c of n.children || []) linkTree(c, n, depth + 1);
  };
  const deepest = (n) => (n.children || []).reduce((d, c) => Math.max(d, deepest(c)), n.depth);
  const pathTo = (n) => {
    const p = [];
    for (let a = n; a && a.parent; a = a.parent) p.unshift(a.name);
    return p;
  };
  const follow = (root, path) => {
    let n = root;
    for (const name of path || []) {
      n = (n.children || []).find((c) => c.name === name);
      if (!n) return root;
    }
    return n;
  };

  function drawView(v) {
    const c = v.canvas;
    const width = Math.max(200, c.parentElement.clientWidth);
    const rows = v.root ? deepest(v.zoom) + 1 : 0;
    const height = rows * ROW + 2;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(height * dpr);
    c.style.height = height + 'px';
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = '12px system-ui, sans-serif';
    g.textBaseline = 'middle';
    v.rects = [];
    v.drawn = [];
    if (!v.root) return;
    const frame = (n, x, w, dimmed) => {
      // the callers upside down: the function at the bottom row, its callers above it
      const y = (v.up ? rows - 1 - n.depth : n.depth) * ROW;
      g.fillStyle = diffing() ? fill(n) : n.color;
      g.globalAlpha = dimmed ? 0.55 : 1;
      g.fillRect(x, y, w - 1, ROW - 1);
      g.globalAlpha = 1;
      if (!n.parent) {
        // the function itself
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
      v.rects.push({ x, y, w, n });
      v.drawn.push(n.name);
    };
    for (let a = v.zoom.parent; a; a = a.parent) frame(a, 0, width, true);
    // the widths of the main graph's: in a comparison, both profiles' normalised values, or the base's alone
    const walk = (n, x, w) => {
      frame(n, x, w, false);
      const total = size(n);
      if (!total) return;
      let cx = x;
      for (const k of n.children || []) {
        const cw = w * size(k) / total;
        if (cw >= MIN_WIDTH) walk(k, cx, cw);
        cx += cw;
      }
    };
    walk(v.zoom, 0, width);
    c.dataset.zoom = v.zoom.name;
    c.dataset.frames = String(v.drawn.length);
  }

  function drawAll() {
    drawView(views.callers);
    drawView(views.callees);
    expose();
  }

  // What tests (and the console) can read: the function, its total, and per graph what is drawn.
  function expose() {
    const d = sw.data;
    if (!d) return;
    const side = (v) => ({
      total: v.root.total, self: v.root.self, zoom: v.zoom.name, zoomDepth: v.zoom.depth, drawn: v.drawn.slice(),
      children: (v.root.children || []).map((k) => ({ name: k.name, total: k.total, base: k.base, delta: k.delta })),
    });
    window.proflabView.sandwich = { function: d.function, total: d.total, base: d.base_total, unit: d.unit,
      nodes: d.nodes, compared: d.base_total !== undefined,
      callers: side(views.callers), callees: side(views.callees) };
  }

  function hitView(v, ev) {
    const r = v.canvas.getBoundingClientRect();
    const x = ev.clientX - r.left, y = ev.clientY - r.top;
    for (let i = v.rects.length - 1; i >= 0; i--) {
      const f = v.rects[i];
      if (x >= f.x && x < f.x + f.w && y >= f.y && y < f.y + ROW) return f.n;
    }
    return null;
  }

  for (const v of Object.values(views)) {
    v.canvas.addEventListener('click', (ev) => {
      const n = hitView(v, ev);
      if (!n) return;
      v.zoom = n;
      v.zoomPath = pathTo(n);
      drawView(v);
      expose();
    });
    v.canvas.addEventListener('contextmenu', (ev) => {
      const n = hitView(v, ev);
      if (!n || !n.parent) return;
      ev.preventDefault();
      select(n.name);  // the Sandwich tab is shown: it loads the sandwich of that function
    });
    v.canvas.addEventListener('mousemove', (ev) => {
      const n = hitView(v, ev);
      const d = sw.data;
      if (!n || !d) { tooltip.hidden = true; return; }
      // a comparison's: the main graph's tooltip
      tooltip.innerHTML = d.base_total !== undefined ? tip(n) : sandwichTip(v, n, d);
      tooltip.hidden = false;
      const left = Math.min(ev.clientX + 12, window.innerWidth - tooltip.offsetWidth - 8);
      tooltip.style.left = Math.max(0, left) + 'px';
      tooltip.style.top = (ev.clientY + 14) + 'px';
    });
    v.canvas.addEventListener('mouseleave', () => { tooltip.hidden = true; });
  }

  function sandwichTip(v, n, d) {
    const where = !n.parent ? 'the selected function'
        : v.up ? `calls ${esc(n.parent.name)} on the way to it` : `called by ${esc(n.parent.name)}`;
    return `<b>${esc(n.name)}</b><br>`
      + `total ${fmt(n.total, d.unit)} (${pct(n.total, d.total)} of ${esc(d.function)})<br>`
      + `self ${fmt(n.self, d.unit)}<br><span class="muted">${where}; right-click: its sandwich</span>`;
  }

  $('sandwich-reset').addEventListener('click', () => {
    for (const v of Object.values(views)) {
      if (!v.root) continue;
      v.zoom = v.root;
      v.zoomPath = null;
    }
    drawAll();
  });
  $('sandwich-back').addEventListener('click', () => {
    showTab(state.prevTab && state.prevTab !== 'sandwich' ? state.prevTab : 'top');
    $('flame-section').scrollIntoView({ block: 'start' });
  });
  window.addEventListener('resize', () => { if (!$('tab-sandwich').hidden) drawAll(); });

  function clear(text) {
    sw.data = null;
    for (const v of Object.values(views)) {
      v.root = v.zoom = null;
      drawView(v);
    }
    info.textContent = text;
  }

  // The sandwich of the selected function, under the page's filters; in a comparison, of both profiles compared
  // (or of the current one alone, as the main graph shows it).
  async function load() {
    const seq = ++sw.seq;
    window.proflabView.sandwich = null;
    const name = state.selected;
    if (!name) {
      clear('Select a function: click a frame or a row of Top, or right-click one.');
      return;
    }
    try {
      const fq = 'fn=' + encodeURIComponent(name) + '&' + query();
      const d = await getJson(diffing() ? 'api/diff/sandwich?' + fq + '&normalize=' + state.normalize
        : 'api/sandwich?' + fq);
      if (seq !== sw.seq) return;  // a newer one is under way
      const same = sw.data && sw.data.function === d.function;
      sw.data = d;
      for (const [k, v] of Object.entries(views)) {
        v.root = d[k];
        linkTree(v.root, null, 0);
        // the same function under new filters keeps its zoom when the frame is still there
        if (!same) v.zoomPath = null;
        v.zoom = follow(v.root, v.zoomPath);
      }
      // a link to the page opens this sandwich again (#sandwich=NAME)
      if (state.tab === 'sandwich') remember('sandwich', d.function);
      let values;
      if (d.base_total === undefined) {
        const all = state.flame && state.flame.total ? ` (${pct(d.total, state.flame.total)} of the total)` : '';
        values = `${fmt(d.total, d.unit)}${all}`;
      } else {
        values = `base ${fmt(d.base_total, d.unit)}, current ${fmt(d.total, d.unit)}`
          + (state.mode !== 'diff' ? '; showing the base' : d.limitation
            ? ' (grey: no claim can be made from one run a side, as the warning says)'
            : ' (red grew, blue shrank, grey is within noise)');
      }
      info.innerHTML = `<b>${esc(d.function)}</b>: ${values}; callers above, callees below. `
        + 'Click to zoom, right-click for the sandwich of that frame.';
      drawAll();
    } catch (e) {
      if (seq !== sw.seq) return;
      clear(e.message);
      window.proflabView.sandwich = { error: e.message };
    }
  }

  // #sandwich=NAME in the URL: that function's sandwich, once the page has its data (and when the hash changes)
  let opened = false;
  window.proflab.onLoad(() => {
    if (opened) return;
    opened = true;
    const name = hashParams().get('sandwich');
    if (name) openSandwich(name);
  });
  window.addEventListener('hashchange', () => {
    const name = hashParams().get('sandwich');
    if (name && (state.tab !== 'sandwich' || name !== state.selected)) openSandwich(name);
    else if (!name && state.tab === 'sandwich') showTab(state.prevTab !== 'sandwich' ? state.prevTab : 'top');
  });

  window.proflabSandwich = { load };
  // the widest drawn frame of one graph ('callers' or 'callees') whose name contains `text`, in its canvas's
  // coordinates (CSS px)
  window.proflabView.sandwichBox = (side, text) => {
    let best = null;
    for (const f of views[side].rects) {
      if (f.n.name.includes(text) && (!best || f.w > best.w)) best = { x: f.x, y: f.y, w: f.w, h: ROW };
    }
    return best;
  };
})();
