// proflab view: matches a regular expression typed by the user (the search, the table's filter, or one
// carried by a link) against names, in a worker, away from the page. JavaScript's engine backtracks:
// (.+)+Z takes over a second on a 22-character name and doubles with every character, and nothing can
// stop a match running on the page's own thread. The page (app.js) terminates this worker when it has
// not answered in time and says the pattern is too slow.
//
// Message in: { id, pattern, names: [string] }; out: { id, hits: [index of each matching name] }.
// A pattern that is not a valid regular expression is searched for as plain text.
'use strict';

self.onmessage = (ev) => {
  const { id, pattern, names } = ev.data;
  let re;
  try {
    re = new RegExp(pattern);
  } catch (e) {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
  const hits = [];
  for (let i = 0; i < names.length; i++) {
    if (re.test(names[i])) hits.push(i);
  }
  self.postMessage({ id, hits });
};
