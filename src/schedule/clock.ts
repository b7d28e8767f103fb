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

/**
 * Durations measured from stored stamps (a retry's nextTryAt, a send's sendingSince). The stamps are
 * station time, from the injected clock; how long has passed since one (or is left until it) is
 * measured on the monotonic clock (performance.now()) from the moment this process first saw the
 * stamp, where the injected clock places it once. So a test's fixed clock does not stall a retry
 * forever, and a wall clock stepped by NTP neither fires a wait early nor stretches it.
 */
export class StampTimer {
  private seen = new Map<string, { stamp: string; at: number }>();

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    /** Stamps remembered; a forgotten one is placed by the clock again (harmless). */
    private readonly limit = 10_000,
  ) {}

  /** Milliseconds left until `stamp` (zero or less once it has come). */
  msUntil(key: string, stamp: string): number {
    return this.instant(key, stamp) - performance.now();
  }

  /** Milliseconds since `stamp` (negative for a stamp still ahead). */
  msSince(key: string, stamp: string): number {
    return performance.now() - this.instant(key, stamp);
  }

  /** `stamp` on the performance.now() scale, placed by the injected clock the first time it is seen under `key`. */
  private instant(key: string, stamp: string): number {
    const known = this.seen.get(key);
    if (known?.stamp === stamp) return known.at;
    const at = performance.now() + (Date.parse(stamp) - this.clock.now().getTime());
    this.seen.delete(key);
    this.seen.set(key, { stamp, at });
    if (this.seen.size > this.limit) this.seen.delete(this.seen.keys().next().value!);
    return at;
  }
}
