// Nodes: one card per board with its state, CPU and memory (allocated, free, reserved), labels and shard count.
import { getJson } from './api.js';
import { onEvent } from './events.js';
import { coalesced } from './refresh.js';
import { badge, cores, errorBox, h, mib, plural, show } from './dom.js';

export function showNodes() {
  const cards = h('div', { class: 'cards', 'aria-busy': 'true' });
  show('Nodes', cards);
  const load = coalesced(async () => {
    try {
      const nodes = await getJson('/v1/nodes');
      cards.replaceChildren(...(nodes.length ? nodes.map(card) : [h('p', {}, 'No node has joined yet.')]));
    } catch (error) {
      cards.replaceChildren(errorBox(error));
    }
    cards.setAttribute('aria-busy', 'false');
  });
  load();
  return onEvent(event => { if (!event || event.node) load(); });
}

function card(node) {
  const reserved = (total, allocatable) => Math.max(0, total - allocatable);
  return h('article', { class: `card node n-${node.status}`, 'data-node': node.name },
    h('h3', {}, node.name, ' ', badge(node.status)),
    node.statusReason && h('p', { class: 'reason' }, node.statusReason),
    bar('CPU', node.allocated.cpus, node.free.cpus, reserved(node.total.cpus, node.allocatable.cpus), node.total.cpus, n => `${cores(n)} cores`),
    bar('Memory', node.allocated.memoryBytes, node.free.memoryBytes, reserved(node.total.memoryBytes, node.allocatable.memoryBytes),
      node.total.memoryBytes, mib),
    h('p', {}, plural(node.shards, 'shard'), ' running or placed here'),
    h('ul', { class: 'labels', 'aria-label': 'Labels' },
      Object.entries(node.labels).map(([key, value]) => h('li', {}, `${key}=${value}`))));
}

/** A bar of allocated, free and reserved parts of a total, with the same figures in words beside it. */
function bar(what, allocated, free, reserved, total, format) {
  const part = (kind, value) => h('span', { class: kind, style: { flexGrow: String(total > 0 ? value / total : 0) } });
  const words = `${format(allocated)} allocated, ${format(Math.max(0, free))} free, ${format(reserved)} reserved of ${format(total)}`;
  return h('div', { class: 'capacity' },
    h('p', {}, h('strong', {}, what), ' ', words),
    h('div', { class: 'bar', role: 'img', 'aria-label': `${what}: ${words}` },
      part('allocated', allocated), part('free', Math.max(0, free)), part('reserved', reserved)));
}
