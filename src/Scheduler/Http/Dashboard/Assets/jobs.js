// Jobs: every job with its state and progress, a page at a time in submission order, live.
import { call, getJson } from './api.js';
import { onEvent } from './events.js';
import { coalesced } from './refresh.js';
import { badge, errorBox, h, show, time } from './dom.js';
import { progress } from './progress.js';

const pageSize = 20;

export function showJobs() {
  const rows = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'More jobs');
  const status = h('div', { role: 'status' });
  show('Jobs',
    h('p', {}, h('a', { href: '#/submit' }, 'Submit a job')),
    h('div', { class: 'scroll' }, h('table', { class: 'jobs' },
      h('caption', { class: 'visually-hidden' }, 'Jobs in submission order'),
      h('thead', {}, h('tr', {}, ['Job', 'State', 'Progress', 'Image', 'Submitted'].map(c => h('th', { scope: 'col' }, c)))),
      rows)),
    more, status);

  let next = `/v1/jobs?limit=${pageSize}`;
  const readPage = async () => {
    try {
      const response = await call(next);
      const jobs = await response.json();
      rows.append(...jobs.map(row));
      next = response.headers.get('Link')?.match(/<([^>]+)>/)?.[1];
      more.hidden = !next;
      status.replaceChildren(rows.children.length ? '' : 'No jobs yet.');
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  };
  more.addEventListener('click', readPage);
  readPage();

  // Each event names its job; the rows of the jobs named meanwhile are read again, one at a time.
  const named = new Set();
  const refresh = async id => {
    const existing = rows.querySelector(`tr[data-job="${CSS.escape(id)}"]`);
    try {
      const job = await getJson(`/v1/jobs/${encodeURIComponent(id)}`);
      if (existing) existing.replaceWith(row(job)); else if (!next) rows.append(row(job));
    } catch (error) {
      if (error.status === 404) existing?.remove();
    }
  };
  const flush = coalesced(async () => {
    const ids = [...named];
    named.clear();
    for (const id of ids) await refresh(id);
  });
  return onEvent(event => {
    if (event) named.add(event.jobId);
    else rows.querySelectorAll('tr[data-job]').forEach(tr => named.add(tr.dataset.job));
    flush();
  });
}

function row(job) {
  return h('tr', { 'data-job': job.id },
    h('td', {}, h('a', { href: `#/jobs/${encodeURIComponent(job.id)}` }, job.id)),
    h('td', {}, badge(job.status)),
    h('td', {}, progress(job.counts)),
    h('td', {}, job.image),
    h('td', {}, time(job.submittedAt)));
}
