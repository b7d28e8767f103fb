// The clock the scheduler and the admin lockout read: real time in the station, a fake one in
// tests (test/helpers/fake-clock.ts), so a test can step across a daylight-saving change in
// milliseconds.
export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => {
    // Unref'd: a pending run never keeps a stopping process (or a test worker) alive.
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
