// Building the pages: elements from data, text only (never HTML from the API), and a few shared formats.

/**
 * h('p', {class: 'x'}, 'text', child): an element with attributes, listeners (on*), properties (hidden, value),
 * styles (style: {flexGrow: 1}, set through the CSSOM: the page's CSP refuses style attributes) and children.
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'value' || name === 'hidden') element[name] = value;
    else if (name === 'style') Object.assign(element.style, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
  return element;
}

export const page = () => document.getElementById('page');

/** Replaces the page's content; the heading says where a person is. */
export function show(title, ...content) {
  document.title = `${title} · sched`;
  page().replaceChildren(h('h2', {}, title), ...content);
}

export const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const cores = n => `${Math.round(n * 1000) / 1000}`;

export function mib(bytes) {
  const gib = bytes / 2 ** 30;
  return gib >= 1 ? `${Math.round(gib * 10) / 10}Gi` : `${Math.round(bytes / 2 ** 20)}Mi`;
}

export const time = iso => new Date(iso).toLocaleString();

/** A state as a word in a badge; its class gives the colour, the word carries the meaning. */
export const badge = state => h('span', { class: `badge s-${state}` }, state);

export const errorBox = error => h('p', { class: 'error', role: 'alert' }, error.title ? `${error.title}: ${error.message}` : String(error.message || error));
