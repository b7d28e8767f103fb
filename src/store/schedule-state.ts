// The schedule's state in the store: planned upgrades and shutdowns and the runs that print for
// them and for readiness drills. The scheduler (src/schedule) decides; this module is the only
// writer of what it decided, each change in one durable write with its audit entry.
import type { ScheduleRun, Upgrade } from '../schedule/schedule-data.js';
import type { StoreCore } from './core.js';

/** An audit entry to write with a change (time: now, unless given). */
export interface AuditNote {
  actor: string;
  action: string;
  detail: string;
  at?: string;
}

export class ScheduleState {
  constructor(private core: StoreCore) {}

  upgrades(): readonly Upgrade[] {
    return this.core.data.upgrades;
  }
  upgrade(id: string): Upgrade | undefined {
    return this.core.data.upgrades.find((u) => u.id === id);
  }
  runs(): readonly ScheduleRun[] {
    return this.core.data.scheduleRuns;
  }
  run(id: string): ScheduleRun | undefined {
    return this.core.data.scheduleRuns.find((r) => r.id === id);
  }
  runsOf(upgradeId: string): ScheduleRun[] {
    return this.core.data.scheduleRuns.filter((r) => r.upgradeId === upgradeId);
  }

  private note(n: AuditNote | undefined): void {
    if (n) this.core.audit({ at: n.at ?? this.core.nowIso(), actor: n.actor, action: n.action, detail: n.detail.slice(0, 2000) });
  }

  async addUpgrade(u: Upgrade, audit?: AuditNote): Promise<Upgrade> {
    await this.core.mutate((d, t) => {
      d.upgrades.push(u);
      t.upgrades();
      this.note(audit);
    });
    return u;
  }

  async updateUpgrade(u: Upgrade, fields: Partial<Upgrade>, audit?: AuditNote | ((u: Upgrade) => AuditNote)): Promise<void> {
    await this.core.mutate((_, t) => {
      Object.assign(u, fields);
      t.upgrades();
      this.note(typeof audit === 'function' ? audit(u) : audit);
    });
  }

  /** Removes an upgrade and, in the same write, applies `runPatch` to the runs given (its pending runs). */
  async removeUpgrade(u: Upgrade, runs: readonly ScheduleRun[], runPatch: Partial<ScheduleRun>, audit?: AuditNote): Promise<void> {
    await this.core.mutate((d, t) => {
      t.upgrades();
      t.scheduleRuns();
      const i = d.upgrades.indexOf(u);
      if (i >= 0) d.upgrades.splice(i, 1);
      for (const r of runs) Object.assign(r, runPatch);
      this.note(audit);
    });
  }

  async addRun(run: ScheduleRun, audit?: AuditNote): Promise<ScheduleRun> {
    await this.core.mutate((d, t) => {
      d.scheduleRuns.push(run);
      t.scheduleRuns();
      this.note(audit);
    });
    return this.core.data.scheduleRuns.at(-1)!;
  }

  /** Changes runs (the same patch, or one per run) in one write. */
  async updateRuns(runs: readonly ScheduleRun[], patch: Partial<ScheduleRun> | ((r: ScheduleRun) => Partial<ScheduleRun>), audit?: AuditNote | ((r: ScheduleRun) => AuditNote)): Promise<void> {
    if (runs.length === 0) return;
    await this.core.mutate((_, t) => {
      t.scheduleRuns();
      for (const r of runs) {
        Object.assign(r, typeof patch === 'function' ? patch(r) : patch);
        this.note(typeof audit === 'function' ? audit(r) : audit);
      }
    });
  }
}
