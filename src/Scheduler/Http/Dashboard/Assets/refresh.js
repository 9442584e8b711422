// Re-reading a resource when events name it: one request at a time, and one more after it if events came meanwhile.
export function coalesced(load) {
  let running = null;
  let again = false;
  const run = async () => {
    if (running) { again = true; return running; }
    running = (async () => {
      do {
        again = false;
        try { await load(); } catch { /* the page shows its own errors */ }
      } while (again);
    })();
    await running;
    running = null;
  };
  return run;
}
