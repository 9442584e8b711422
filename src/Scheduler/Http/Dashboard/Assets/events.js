// The live view: GET /v1/events read as a stream (EventSource cannot send the token), parsed by lines, and
// reconnected with a growing pause. Nothing here polls: the pages re-read a resource when an event names it.
import { call, ApiError } from './api.js';

const listeners = new Set();
let controller = null;

/** handler(event) for each job event ({jobId, shard, kind, node, message}); handler(null) after a reconnect, when events may have been missed. */
export const onEvent = handler => { listeners.add(handler); return () => listeners.delete(handler); };

const setStatus = text => { document.getElementById('live').textContent = text; };
const emit = event => listeners.forEach(handler => handler(event));

export function stopEvents() {
  controller?.abort();
  controller = null;
  setStatus('');
}

export function startEvents() {
  stopEvents();
  const own = controller = new AbortController();
  follow(own.signal);
}

async function follow(signal) {
  let pause = 1000;
  let first = true;
  while (!signal.aborted) {
    try {
      const response = await call('/v1/events', { signal });
      setStatus('Live');
      if (!first) emit(null);
      first = false;
      pause = 1000;
      await readEvents(response.body, signal);
    } catch (error) {
      if (signal.aborted || (error instanceof ApiError && error.status === 401)) return;
    }
    setStatus(`Reconnecting in ${pause / 1000} s`);
    await new Promise(resolve => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 30000);
  }
}

/** Server-sent events: "event:" and "data:" lines, a blank line ends one; lines starting with ":" are comments. */
async function readEvents(body, signal) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  signal.addEventListener('abort', () => reader.cancel().catch(() => {}));
  let buffer = '';
  let data = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      if (line.startsWith('data: ')) data += line.slice(6);
      else if (line === '' && data) {
        emit(JSON.parse(data));
        data = '';
      }
    }
  }
}
