// Waiting in tests for something to happen. The time given is a liveness bound (how long before a
// test calls it a hang), never a speed check.

/** Polls `fn` every `everyMs` until it returns a value that is not undefined (or throws after `ms`). */
export async function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, ms = 60_000, what = 'condition', everyMs = 50): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Until `cond` holds, looked at every 5 ms (an in-process station's state changes between two looks). */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  await waitFor(() => (cond() ? true : undefined), ms, what, 5);
}
