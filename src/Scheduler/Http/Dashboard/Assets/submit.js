// Submitting a manifest, YAML or JSON as typed, with the API's field errors shown beneath the lines they name.
import { getJson } from './api.js';
import { errorBox, h, plural, show } from './dom.js';
import { lineOf } from './manifest-lines.js';

const example = `image: my-processor:latest
shards: 7
resources:
  memory: 64Mi
  cpus: 0.1
`;

/** JSON when the text is a JSON object, YAML otherwise; the API reads the type from the Content-Type. */
const typeOf = text => (text.trimStart().startsWith('{') ? 'application/json' : 'application/yaml');

export function showSubmit() {
  const manifest = h('textarea', { id: 'manifest', rows: 14, spellcheck: 'false', 'aria-describedby': 'manifest-help manifest-errors' });
  const errors = h('div', { id: 'manifest-errors' });
  const submit = h('button', { type: 'submit' }, 'Submit');
  const form = h('form', { class: 'submit', onsubmit: async event => {
    event.preventDefault();
    submit.disabled = true;
    errors.replaceChildren();
    manifest.removeAttribute('aria-invalid');
    try {
      const job = await getJson('/v1/jobs', { method: 'POST', body: manifest.value, type: typeOf(manifest.value) });
      location.hash = `#/jobs/${encodeURIComponent(job.id)}`;
    } catch (error) {
      manifest.setAttribute('aria-invalid', 'true');
      errors.replaceChildren(...(Object.keys(error.errors || {}).length ? annotated(manifest, error) : [errorBox(error)]));
    } finally {
      submit.disabled = false;
    }
  } },
  h('label', { for: 'manifest' }, 'Manifest (YAML or JSON)'),
  h('p', { id: 'manifest-help', class: 'help' }, 'Only image is required; see the README for every field.'),
  manifest,
  h('p', {}, submit, ' ', h('button', { type: 'button', onclick: () => { manifest.value = example; manifest.focus(); } }, 'Insert an example')),
  errors);
  show('Submit a job', form);
  manifest.focus();
}

/** The manifest's lines, numbered, each followed by the errors of the fields it holds; errors of no line first. */
function annotated(manifest, error) {
  const text = manifest.value;
  const byLine = new Map();
  const unplaced = [];
  for (const [field, messages] of Object.entries(error.errors)) {
    const line = lineOf(text, field);
    for (const message of messages) {
      if (line === null) unplaced.push([field, message]);
      else byLine.set(line, [...(byLine.get(line) || []), [field, message]]);
    }
  }
  const count = Object.values(error.errors).flat().length;
  const problem = ([field, message], line) => h('p', { class: 'error', 'data-field': field, 'data-line': line ?? '' },
    line ? h('button', { type: 'button', class: 'link', onclick: () => goTo(manifest, line) }, `Line ${line}`) : null,
    line ? ', ' : '', h('strong', {}, field), `: ${message}`);
  return [
    h('div', { role: 'alert' }, h('p', {}, `${error.title}: ${plural(count, 'error')}. Nothing was stored.`), unplaced.map(p => problem(p, null))),
    h('ol', { class: 'annotated', 'aria-label': 'The manifest with its errors' }, text.split('\n').map((line, i) =>
      h('li', { 'data-line': i + 1, class: byLine.has(i + 1) ? 'has-error' : null },
        h('code', {}, line || ' '), (byLine.get(i + 1) || []).map(p => problem(p, i + 1))))),
  ];
}

/** Puts the caret on a line of the textarea and selects it. */
function goTo(textarea, line) {
  const lines = textarea.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  textarea.focus();
  textarea.setSelectionRange(start, start + lines[line - 1].length);
}
