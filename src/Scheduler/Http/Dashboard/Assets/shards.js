// A job's shards as a grid of cells coloured by state, for 7 shards or 700: numbered cells while few, small ones
// when many. Every cell is a button that names its shard, state and node in words; one of them is in the tab
// order, and the arrow keys, Home and End move between them.
import { h } from './dom.js';

const numberedUpTo = 60;

export function describe(shard) {
  const where = shard.node ? ` on ${shard.node}` : '';
  const exit = shard.exitCode !== null && shard.exitCode !== undefined ? `, exit code ${shard.exitCode}` : '';
  return `shard ${shard.shard}: ${shard.status}${where}, attempt ${shard.attempt}${exit}${shard.reason ? ` (${shard.reason})` : ''}`;
}

/** The grid; grid.update(shards) recolours it in place, so focus and selection stay; onSelect(shard number) on click or focus. */
export function shardGrid(onSelect) {
  const grid = h('div', { class: 'shards', role: 'group', 'aria-label': 'Shards by state' });
  let cells = [];
  let selected = 1;

  const select = (number, focus) => {
    selected = number;
    cells.forEach((cell, i) => {
      cell.tabIndex = i + 1 === number ? 0 : -1;
      cell.setAttribute('aria-pressed', String(i + 1 === number));
    });
    if (focus) cells[number - 1]?.focus();
    onSelect(number);
  };

  grid.addEventListener('keydown', event => {
    const columns = Math.max(1, Math.round(grid.clientWidth / (cells[0]?.offsetWidth || 1)));
    const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns, Home: -cells.length, End: cells.length };
    if (!(event.key in moves)) return;
    event.preventDefault();
    select(Math.min(cells.length, Math.max(1, selected + moves[event.key])), true);
  });

  grid.update = shards => {
    if (cells.length !== shards.length) {
      grid.classList.toggle('dense', shards.length > numberedUpTo);
      cells = shards.map(shard => h('button', {
        type: 'button', class: 'cell', 'data-shard': shard.shard,
        onclick: () => select(shard.shard, false), onfocus: () => { if (selected !== shard.shard) select(shard.shard, false); },
      }, shards.length > numberedUpTo ? '' : String(shard.shard)));
      grid.replaceChildren(...cells);
      selected = Math.min(selected, shards.length) || 1;
    }
    shards.forEach((shard, i) => {
      const text = describe(shard);
      cells[i].className = `cell s-${shard.status}`;
      cells[i].dataset.state = shard.status;
      cells[i].title = text;
      cells[i].setAttribute('aria-label', text);
    });
    select(selected, false);
  };
  return grid;
}

/** Counts by state in words, with the colour each state has in the grid. */
export function legend(shards) {
  const counts = new Map();
  shards.forEach(s => counts.set(s.status, (counts.get(s.status) || 0) + 1));
  return h('ul', { class: 'legend', 'aria-label': 'Shards by state' },
    [...counts].map(([state, n]) => h('li', {}, h('span', { class: `swatch s-${state}`, 'aria-hidden': 'true' }), `${n} ${state}`)));
}

/** "2, 4-7": shard numbers as short ranges. */
export function ranges(numbers) {
  const parts = [];
  for (let i = 0; i < numbers.length; i++) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    parts.push(i === j ? `${numbers[i]}` : `${numbers[i]}-${numbers[j]}`);
    i = j;
  }
  return parts.join(', ');
}
