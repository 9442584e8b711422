// One job: what it is, its shards as a grid and a table, why shards wait, and what can be done to it.
import { getJson } from './api.js';
import { onEvent } from './events.js';
import { coalesced } from './refresh.js';
import { badge, errorBox, h, show, time } from './dom.js';
import { progress } from './progress.js';
import { describe, legend, ranges, shardGrid } from './shards.js';
import { jobActions } from './job-actions.js';

const finished = ['complete', 'failed', 'stopped', 'cancelled'];

export function showJob(id) {
  const path = `/v1/jobs/${encodeURIComponent(id)}`;
  const facts = h('div');
  const waiting = h('div');
  const detail = h('div', { class: 'detail', 'aria-live': 'polite' });
  const key = h('div');
  const table = h('tbody');
  let job = null;
  const grid = shardGrid(number => {
    const shard = job?.shards[number - 1];
    detail.replaceChildren(...(shard ? shardDetail(id, shard) : []));
  });
  const actions = jobActions(id, loaded => render(loaded));
  show(id, facts, actions, waiting,
    h('section', { 'aria-label': 'Shards' }, h('h3', {}, 'Shards'), key, grid, detail),
    h('details', { class: 'shard-table' }, h('summary', {}, 'Every shard as a table'),
      h('div', { class: 'scroll' }, h('table', {},
        h('thead', {}, h('tr', {}, ['Shard', 'State', 'Node', 'Attempt', 'Exit code', 'Reason', 'Log'].map(c => h('th', { scope: 'col' }, c)))),
        table))));

  function render(loaded) {
    job = loaded;
    facts.replaceChildren(h('dl', { class: 'facts' },
      fact('Name', job.name), fact('Image', job.image), fact('State', badge(job.status)),
      job.reason && fact('Reason', job.reason), fact('Submitted', time(job.submittedAt)),
      ...periodicFacts(job),
      !job.runs && fact('Progress', progress(job.counts))));
    actions.update(job, finished.includes(job.status));
    waiting.replaceChildren(...pendingReasons(job.shards));
    key.replaceChildren(legend(job.shards));
    grid.update(job.shards);
    table.replaceChildren(...job.shards.map(s => h('tr', {},
      h('td', {}, String(s.shard)), h('td', {}, badge(s.status)), h('td', {}, s.node || '-'), h('td', {}, String(s.attempt)),
      h('td', {}, s.exitCode ?? '-'), h('td', {}, s.reason || ''), h('td', {}, logLink(id, s)))));
  }

  const load = coalesced(async () => {
    try {
      render(await getJson(path));
    } catch (error) {
      facts.replaceChildren(errorBox(error));
    }
  });
  load();
  return onEvent(event => { if (!event || event.jobId === id) load(); });
}

const fact = (term, value) => [h('dt', {}, term), h('dd', {}, value)];

const jobLink = id => h('a', { href: `#/jobs/${encodeURIComponent(id)}` }, id);

/** A periodic job: its schedule and latest run; a run: the periodic job that started it and when it was due. */
function periodicFacts(job) {
  if (job.runs) {
    return [fact('Schedule', `${job.manifest.schedule} (${job.manifest.timeZone})`),
      job.runs.nextRunAt && fact('Next run', time(job.runs.nextRunAt)),
      job.runs.lastRunId && fact('Latest run', jobLink(job.runs.lastRunId))];
  }

  return job.runOf ? [fact('Run of', jobLink(job.runOf)), fact('Due at', time(job.runDueAt))] : [];
}

const logLink = (id, shard) => shard.attempt > 0
  ? h('a', { href: `#/jobs/${encodeURIComponent(id)}/shards/${shard.shard}/logs` }, `Log of shard ${shard.shard}`)
  : '-';

function shardDetail(id, shard) {
  return [
    h('h4', {}, `Shard ${shard.shard}`),
    h('dl', { class: 'facts' },
      fact('State', badge(shard.status)), fact('Node', shard.node || '-'), fact('Attempt', String(shard.attempt)),
      fact('Exit code', shard.exitCode ?? '-'), shard.outcome && fact('Ended', shard.outcome),
      shard.reason && fact('Reason', shard.reason), shard.retryAt && fact('Next attempt', time(shard.retryAt))),
    h('p', { class: 'visually-hidden' }, describe(shard)),
    logLink(id, shard),
  ];
}

/** Waiting shards grouped by the reason they wait, in the scheduler's own words. */
function pendingReasons(shards) {
  const byReason = new Map();
  for (const s of shards.filter(s => s.status === 'pending')) {
    const reason = s.reason || 'waiting for a placement round';
    byReason.set(reason, [...(byReason.get(reason) || []), s.shard]);
  }
  if (!byReason.size) return [];
  return [h('section', { class: 'waiting', 'aria-label': 'Why shards wait' }, h('h3', {}, 'Waiting'),
    h('ul', {}, [...byReason].map(([reason, numbers]) =>
      h('li', {}, `Shard${numbers.length === 1 ? '' : 's'} ${ranges(numbers)}: ${reason}`))))];
}
