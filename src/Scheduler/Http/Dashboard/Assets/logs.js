// A shard's log, followed live from whichever node runs it, until the page is left.
import { call } from './api.js';
import { errorBox, h, show } from './dom.js';

// The page keeps the latest lines only: a shard may print for days.
const keptCharacters = 512 * 1024;

export function showLog(id, shard) {
  const text = h('pre', { class: 'log', tabindex: 0, 'aria-label': `Log of shard ${shard}` });
  const status = h('p', { role: 'status' }, 'Following…');
  const back = h('a', { href: `#/jobs/${encodeURIComponent(id)}` }, `Back to ${id}`);
  show(`${id} shard ${shard} log`, h('p', {}, back), status, text);

  const controller = new AbortController();
  follow(`/v1/jobs/${encodeURIComponent(id)}/shards/${shard}/logs?follow=true`, text, controller.signal)
    .then(() => status.replaceChildren('The log ended: the shard is no longer running.'))
    .catch(error => { if (!controller.signal.aborted) status.replaceChildren(errorBox(error)); });
  return () => controller.abort();
}

async function follow(path, text, signal) {
  const response = await call(path, { signal });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const atBottom = text.scrollTop + text.clientHeight >= text.scrollHeight - 4;
    const all = text.textContent + value;
    text.textContent = all.length > keptCharacters ? all.slice(all.length - keptCharacters) : all;
    if (atBottom) text.scrollTop = text.scrollHeight;
  }
}
