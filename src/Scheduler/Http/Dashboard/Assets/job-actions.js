// What a person can do to a job: stop it while it runs, run its shards that did not succeed again once it has
// ended, and change how many of its shards run at once. Built once, shown or hidden as the job's state changes,
// so a refresh never takes away a field someone is typing in.
import { sendJson } from './api.js';
import { errorBox, h } from './dom.js';

export function jobActions(id, onChanged) {
  const path = `/v1/jobs/${encodeURIComponent(id)}`;
  const message = h('div', { role: 'status' });
  const act = async (work, done) => {
    message.replaceChildren();
    try {
      onChanged(await work());
      message.replaceChildren(h('p', {}, done));
    } catch (error) {
      message.replaceChildren(errorBox(error));
    }
  };

  const confirm = h('span', { hidden: true },
    h('button', { type: 'button', class: 'danger', onclick: () => { confirm.hidden = true; act(() => sendJson(path, 'DELETE'), 'Stopped.'); } }, 'Yes, stop it'),
    h('button', { type: 'button', onclick: () => { confirm.hidden = true; } }, 'Keep it running'));
  const stop = h('button', { type: 'button', onclick: () => { confirm.hidden = false; } }, 'Stop job');
  const rerun = h('button', { type: 'button', onclick: () => act(() => sendJson(`${path}/rerun`, 'POST'), 'Running again.') },
    'Rerun shards that did not succeed');

  const parallel = h('input', { id: 'parallel', type: 'number', min: 1, max: 10000, inputmode: 'numeric', 'aria-describedby': 'parallel-error' });
  const parallelError = h('span', { id: 'parallel-error', class: 'error' });
  const scale = h('form', {
    class: 'scale',
    onsubmit: async event => {
      event.preventDefault();
      parallelError.textContent = '';
      const value = parallel.value === '' ? null : Number(parallel.value);
      try {
        onChanged(await sendJson(path, 'PATCH', { parallel: value }));
        message.replaceChildren(h('p', {}, value === null ? 'No limit on shards at once.' : `At most ${value} shards at once.`));
      } catch (error) {
        if (error.errors?.parallel) parallelError.textContent = error.errors.parallel.join(' ');
        else message.replaceChildren(errorBox(error));
      }
    },
  }, h('label', { for: 'parallel' }, 'Shards at once (empty: no limit)'), parallel, h('button', { type: 'submit' }, 'Scale'), parallelError);

  const box = h('section', { class: 'actions', 'aria-label': 'Actions' }, stop, confirm, rerun, scale, message);
  box.update = (job, ended) => {
    stop.hidden = ended;
    if (ended) confirm.hidden = true;
    rerun.hidden = !ended || job.counts.succeeded === job.counts.total;
    scale.hidden = ended;
    if (document.activeElement !== parallel) parallel.value = job.manifest.parallel ?? '';
  };
  return box;
}
