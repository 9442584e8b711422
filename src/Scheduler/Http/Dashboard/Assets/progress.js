// A job's progress: its shard counts as a bar and in words.
import { h } from './dom.js';

const order = ['succeeded', 'running', 'placed', 'pending', 'failed', 'stopped'];

export function summary(counts) {
  const words = order.filter(state => counts[state] > 0).map(state => `${counts[state]} ${state}`);
  return `${words.join(', ') || 'no shards'} of ${counts.total}`;
}

export function progress(counts) {
  const done = counts.succeeded + counts.failed + counts.stopped;
  return h('div', { class: 'progress' },
    h('progress', { max: counts.total || 1, value: done, 'aria-label': `${done} of ${counts.total} shards ended` }),
    h('span', {}, summary(counts)));
}
