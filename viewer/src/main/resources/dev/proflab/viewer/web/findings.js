// proflab view: the findings panel. What `proflab analyze FILE` says of the recording shown (GET api/findings):
// proflab's own rules at once, JDK Mission Control's when they are done (the panel asks again while they run).
// A click on a finding focuses the page on its evidence: its event, its frames searched in the flame graph,
// its threads as the thread filter (window.proflab.focus of app.js). Every text comes from the rules and from
// the profile's names: it is set as text, never as markup. Served as it is from the jar.
'use strict';

(function () {
  const section = document.getElementById('findings-section');
  if (!section) return;
  const POLL_MS = 1000;

  section.innerHTML = `
    <div class="fd-head">
      <h2>Findings</h2>
      <span id="fd-info" class="muted"></span>
      <span id="fd-jmc" class="muted"></span>
      <label class="fd-all" title="Also the rules that found nothing to say, and those that do not apply (analyze --all)"><input type="checkbox" id="fd-all"> every result</label>
      <button type="button" id="fd-toggle" aria-expanded="false">Show</button>
    </div>
    <div id="fd-first"></div>
    <ol id="fd-list" hidden></ol>`;
  const $ = (id) => document.getElementById(id);

  // what tests (and the console) can look at
  const view = window.proflabFindings = {
    ready: false, loads: 0, error: null, jmc: null, scope: null, findings: [], applied: null,
  };
  let asked = null;     // the query of the findings shown (a folder: kind and range)
  let poll = null;

  // a name as a regex that matches it alone; control characters and line separators as \uXXXX (a text input
  // drops them, and both the page's and the server's regexes read the escape)
  const reEscape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  const anyOf = (names) => (names.length ? '^(' + names.map(reEscape).join('|') + ')$' : '');

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function render(answer) {
    const list = $('fd-list');
    list.replaceChildren();
    const n = answer.findings.length;
    $('fd-info').textContent = `${n} ${n === 1 ? 'finding' : 'findings'} (${answer.rulesEvaluated} rules evaluated; `
      + `${answer.scope})`;
    $('fd-jmc').textContent = answer.jmc ? answer.jmc.note : '';
    // closed, the panel is one line: the first finding
    const first = answer.findings[0];
    $('fd-first').textContent = first ? `${first.severity} ${first.score == null ? '-' : Math.round(first.score)}: `
      + first.summary : 'nothing to point to';
    answer.findings.forEach((f, i) => {
      const li = el('li', 'fd-' + f.severity);
      const head = el('button', 'fd-summary');
      head.type = 'button';
      head.dataset.i = String(i);
      head.title = hasFocus(f) ? 'Show its evidence in the flame graph' : 'Show the details';
      head.append(el('span', 'fd-sev', f.severity), el('span', 'fd-score', f.score == null ? '-' : String(Math.round(f.score))),
        el('span', 'fd-rule', f.rule), el('span', 'fd-text', f.summary));
      li.append(head);
      const more = el('div', 'fd-more');
      more.hidden = true;
      if (f.explanation) more.append(el('p', null, f.explanation));
      if (f.evidence.length) {
        const ul = el('ul', 'fd-evidence');
        for (const e of f.evidence) ul.append(el('li', null, e));
        more.append(ul);
      }
      if (f.next) {
        const p = el('p', 'fd-next', 'next: ');
        p.append(el('code', null, f.next));
        more.append(p);
      }
      li.append(more);
      list.append(li);
    });
  }

  function hasFocus(f) {
    return !!(f.focus && (f.focus.frames.length || f.focus.threads.length || f.focus.range));
  }

  // the evidence of finding i on the page: its event, frames (search), threads (filter), time range
  async function apply(i) {
    const f = view.findings[i];
    if (!f) return;
    const items = $('fd-list').children;
    for (let k = 0; k < items.length; k++) {
      items[k].classList.toggle('fd-selected', k === i);
      items[k].querySelector('.fd-more').hidden = k !== i;
    }
    if (!hasFocus(f)) { view.applied = { rule: f.rule }; return; }
    const focus = { thread: anyOf(f.focus.threads), search: anyOf(f.focus.frames) };
    if (f.focus.event) focus.event = f.focus.event;
    if (f.focus.range) focus.range = f.focus.range;
    view.applied = Object.assign({ rule: f.rule }, focus);
    await window.proflab.focus(focus);
  }

  $('fd-list').addEventListener('click', (ev) => {
    const b = ev.target.closest('button.fd-summary');
    if (b) apply(Number(b.dataset.i));
  });
  $('fd-all').addEventListener('change', () => {
    asked = selection();
    view.ready = false;
    fetchFindings(asked);
  });
  $('fd-toggle').addEventListener('click', () => {
    const list = $('fd-list');
    list.hidden = !list.hidden;
    $('fd-first').hidden = !list.hidden;
    $('fd-toggle').textContent = list.hidden ? 'Show' : 'Hide';
    $('fd-toggle').setAttribute('aria-expanded', String(!list.hidden));
  });

  // a folder: the findings of the windows selected (kind, range); one file: of the whole recording
  function selection() {
    const q = new URLSearchParams(window.proflab.query());
    const p = new URLSearchParams();
    for (const k of ['kind', 'range']) if (q.get(k)) p.set(k, q.get(k));
    if ($('fd-all').checked) p.set('all', 'true');
    return p.toString();
  }

  async function fetchFindings(q) {
    clearTimeout(poll);
    try {
      const answer = await window.proflab.getJson('api/findings' + (q ? '?' + q : ''));
      if (q !== asked) return;  // another selection since
      view.findings = answer.findings;
      view.jmc = answer.jmc ? answer.jmc.state : null;
      view.scope = answer.scope;
      view.error = null;
      render(answer);
      if (view.jmc === 'running') poll = setTimeout(() => fetchFindings(q), POLL_MS);
    } catch (e) {
      if (q !== asked) return;
      view.error = e.message;
      $('fd-info').textContent = 'findings: ' + e.message;
    }
    section.hidden = false;
    view.loads++;
    view.ready = true;
  }

  // after the flame graph's load: the page's first paint is not kept waiting for the rules
  window.proflab.onLoad(() => {
    const q = selection();
    if (q === asked) return;
    asked = q;
    view.ready = false;
    fetchFindings(q);
  });
})();
