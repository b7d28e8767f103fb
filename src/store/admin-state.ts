// The admin area's state in the store: a PIN chosen at the station (its hash) and the lockout
// after wrong PINs, persisted so a restart does not lift it. AdminAuth (src/admin) decides.
import type { AdminState } from '../schedule/schedule-data.js';
import type { StoreCore } from './core.js';
import type { AuditNote } from './schedule-state.js';

export class AdminStateStore {
  constructor(private core: StoreCore) {}

  get(): Readonly<AdminState> {
    return this.core.data.admin;
  }

  private async change(fn: (a: AdminState) => void, audit: AuditNote): Promise<void> {
    await this.core.mutate((d, t) => {
      fn(d.admin);
      t.admin();
      this.core.audit({ at: audit.at ?? this.core.nowIso(), actor: audit.actor, action: audit.action, detail: audit.detail });
    });
  }

  /** A good PIN: the count of wrong ones and any lockout end. */
  loggedIn(audit: AuditNote): Promise<void> {
    return this.change((a) => {
      a.failedAttempts = 0;
      delete a.lockedUntil;
    }, audit);
  }

  /** A wrong PIN, counted toward the lockout. */
  failedAttempt(failedAttempts: number, audit: AuditNote): Promise<void> {
    return this.change((a) => {
      a.failedAttempts = failedAttempts;
    }, audit);
  }

  /** Too many wrong PINs: every PIN is refused until `until`. */
  lock(until: string, audit: AuditNote): Promise<void> {
    return this.change((a) => {
      a.failedAttempts = 0;
      a.lockedUntil = until;
    }, audit);
  }

  /** A PIN chosen (or changed) at the station. */
  setPin(hash: string, at: string, audit: AuditNote): Promise<void> {
    return this.change((a) => {
      a.pinHash = hash;
      a.pinSetAt = at;
      a.failedAttempts = 0;
    }, audit);
  }
}
