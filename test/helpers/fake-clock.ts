// A clock for tests: time stands still until the test moves it. Timers fire in order as time
// passes them; after each one the test's `settle` (e.g. scheduler.idle()) is awaited, so work a
// timer starts (store writes, real I/O) finishes before time moves on.
import type { Clock } from '../../src/schedule/clock.js';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private t: number;
  private timers: Timer[] = [];
  private nextId = 1;
  /** How many timers have fired (to check the scheduler does not spin). */
  fired = 0;

  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  pending(): number {
    return this.timers.length;
  }

  /** Moves time to `to`, firing every timer due on the way, each at its own time. */
  async advanceTo(to: Date | string, settle: () => Promise<unknown> = async () => {}): Promise<void> {
    const end = new Date(to).getTime();
    if (end < this.t) throw new Error(`[fake-clock] cannot go back from ${this.now().toISOString()} to ${new Date(end).toISOString()}`);
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.t = Math.max(this.t, due.at);
      this.fired++;
      due.fn();
    }
    this.t = end;
    await settle();
  }

  advanceBy(ms: number, settle?: () => Promise<unknown>): Promise<void> {
    return this.advanceTo(new Date(this.t + ms), settle);
  }

  /** Jumps without firing timers: the station was switched off meanwhile. */
  jumpTo(to: Date | string): void {
    this.timers = [];
    this.t = new Date(to).getTime();
  }
}
