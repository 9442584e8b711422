// Which line of a manifest a field error names: the API names fields ("shards", "resources.memory", "volumes[1]"),
// the textarea holds lines. Each key of the path is looked for from the line of the one before it, so the path
// leads through nested YAML blocks, flow mappings and JSON alike; a field not written in the text has no line.
const escape = text => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const indent = line => line.length - line.trimStart().length;

/** The 1-based line that holds the field, or null. */
export function lineOf(text, field) {
  const lines = text.split('\n');
  const steps = field.match(/\[\d+\]|[^.[\]]+/g) || [];
  let at = null;
  for (const step of steps) {
    const index = step.match(/^\[(\d+)\]$/);
    const next = index ? listItem(lines, at, Number(index[1])) : keyLine(lines, at, step);
    if (next === null) break;
    at = next;
  }
  return at === null ? null : at + 1;
}

function keyLine(lines, from, key) {
  const pattern = new RegExp(`(^|[\\s{,])["']?${escape(key)}["']?\\s*:`);
  const start = from ?? 0;
  const candidates = lines.map((line, i) => i).filter(i => i >= start && pattern.test(lines[i]));
  // A top-level field is the unindented one, when there is one: the same key may stand deeper too.
  const unindented = from === null ? candidates.find(i => indent(lines[i]) === 0) : undefined;
  return unindented ?? candidates[0] ?? null;
}

/** The n-th item (from 0) of a YAML block list under the key on line `from`; null for a list written inline. */
function listItem(lines, from, n) {
  if (from === null) return null;
  let seen = -1;
  for (let i = from + 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    if (/^\s*-(\s|$)/.test(lines[i])) {
      if (++seen === n) return i;
    } else if (indent(lines[i]) <= indent(lines[from])) {
      return null;
    }
  }
  return null;
}
