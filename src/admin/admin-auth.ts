// The admin area's gate: PIN check with a persisted lockout, and server-side sessions. The PIN's
// hash comes from the config, else from the store (chosen at the station on first use). Sessions
// live in memory only (a restart logs the admin out) under a random 256-bit id, and end after a
// period without requests. Login attempts are checked one at a time, so parallel guesses cannot
// slip past the failure counter.
import { randomBytes } from 'node:crypto';
import type { StationConfig } from '../config.js';
import type { Store } from '../store/store.js';
import { systemClock, type Clock } from '../schedule/clock.js';
import { hashPin, pinProblem, verifyPin } from './pin.js';

export const SESSION_COOKIE = 'rk_admin';
/** A session ends after this long even when in use. */
const SESSION_MAX_MS = 8 * 3600_000;

export interface Session {
  id: string;
  createdAt: number;
  lastSeen: number;
  /** Initials given at login, for the audit log. */
  initials?: string;
}

export type LoginResult =
  | { ok: true; session: Session }
  | { ok: false; reason: 'wrong-pin'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; lockedUntil: string }
  | { ok: false; reason: 'no-pin' };

export class AdminAuth {
  private sessions = new Map<string, Session>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly clock: Clock;

  constructor(
    private readonly config: StationConfig,
    private readonly store: Store,
    clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  private get idleMs(): number {
    return this.config.admin.sessionIdleMinutes * 60_000;
  }

  /** The hash in force: the config's wins over one chosen at the station. */
  private pinHash(): string | undefined {
    return this.config.admin.pinHash ?? this.store.admin.get().pinHash;
  }

  /** "config": set in the config file; "station": chosen at first use; "unset": the admin must choose one. */
  pinSource(): 'config' | 'station' | 'unset' {
    return this.config.admin.pinHash ? 'config' : this.store.admin.get().pinHash ? 'station' : 'unset';
  }

  /** When the lockout ends, if one is in force. */
  lockedUntil(): Date | undefined {
    const until = this.store.admin.get().lockedUntil;
    if (!until) return undefined;
    const t = new Date(until);
    return t.getTime() > this.clock.now().getTime() ? t : undefined;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Checks a PIN. Wrong ones count toward the lockout; while locked out, every PIN is refused. */
  login(pin: string, initials?: string): Promise<LoginResult> {
    return this.serial(async () => {
      const hash = this.pinHash();
      if (!hash) return { ok: false, reason: 'no-pin' } as const;
      const locked = this.lockedUntil();
      if (locked) return { ok: false, reason: 'locked', lockedUntil: locked.toISOString() } as const;
      const good = await verifyPin(pin, hash);
      const now = this.clock.now();
      const { maxAttempts, lockoutMinutes } = this.config.admin;
      if (good) {
        await this.store.admin.loggedIn({ at: now.toISOString(), actor: initials ? `admin ${initials}` : 'admin', action: 'admin-login', detail: 'Inloggad i administrationen' });
        return { ok: true, session: this.newSession(initials) } as const;
      }
      const failed = this.store.admin.get().failedAttempts + 1;
      if (failed >= maxAttempts) {
        const until = new Date(now.getTime() + lockoutMinutes * 60_000).toISOString();
        await this.store.admin.lock(until, { at: now.toISOString(), actor: 'okänd', action: 'admin-locked', detail: `${failed} fel PIN i rad; låst till ${until}` });
        return { ok: false, reason: 'locked', lockedUntil: until } as const;
      }
      await this.store.admin.failedAttempt(failed, { at: now.toISOString(), actor: 'okänd', action: 'admin-login-failed', detail: `Fel PIN (${failed} av ${maxAttempts})` });
      return { ok: false, reason: 'wrong-pin', attemptsLeft: maxAttempts - failed } as const;
    });
  }

  /**
   * Chooses the PIN at first use (only when neither config nor store has one) and logs in. The
   * caller checks that the request came from the station itself.
   */
  setInitialPin(pin: string): Promise<{ ok: true; session: Session } | { ok: false; message: string }> {
    return this.serial(async () => {
      if (this.pinHash()) return { ok: false, message: 'En PIN-kod är redan vald. Logga in med den.' } as const;
      const problem = pinProblem(pin);
      if (problem) return { ok: false, message: problem } as const;
      const hash = await hashPin(pin);
      const at = this.clock.now().toISOString();
      await this.store.admin.setPin(hash, at, { at, actor: 'admin', action: 'admin-pin-set', detail: 'PIN-kod vald vid stationen' });
      return { ok: true, session: this.newSession() } as const;
    });
  }

  /** Changes a PIN chosen at the station (a PIN from the config is changed in the config). */
  changePin(current: string, next: string): Promise<{ ok: true } | { ok: false; message: string }> {
    return this.serial(async () => {
      if (this.pinSource() !== 'station') return { ok: false, message: 'PIN-koden står i konfigurationsfilen; byt den där (npm run set-pin).' } as const;
      if (!(await verifyPin(current, this.pinHash()!))) return { ok: false, message: 'Nuvarande PIN-kod stämmer inte.' } as const;
      const problem = pinProblem(next);
      if (problem) return { ok: false, message: problem } as const;
      const hash = await hashPin(next);
      const at = this.clock.now().toISOString();
      await this.store.admin.setPin(hash, at, { at, actor: 'admin', action: 'admin-pin-changed', detail: 'PIN-kod bytt' });
      // Every other session ends with the old PIN.
      this.sessions.clear();
      return { ok: true } as const;
    });
  }

  private newSession(initials?: string): Session {
    const now = this.clock.now().getTime();
    this.prune(now);
    const s: Session = { id: randomBytes(32).toString('base64url'), createdAt: now, lastSeen: now, ...(initials ? { initials } : {}) };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session with this id (and marks it used), or undefined. */
  session(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const now = this.clock.now().getTime();
    if (now - s.lastSeen > this.idleMs || now - s.createdAt > SESSION_MAX_MS) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeen = now;
    return s;
  }

  logout(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  private prune(now: number): void {
    for (const [id, s] of this.sessions) if (now - s.lastSeen > this.idleMs || now - s.createdAt > SESSION_MAX_MS) this.sessions.delete(id);
  }
}
