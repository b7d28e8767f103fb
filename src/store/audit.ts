// The audit log: who did what, when. Entries go straight to the archive (YYYY-MM.audit.jsonl,
// append-only, fsynced with the write that made the change), never into store.json, so the log
// is kept whole for as long as the files are and costs nothing per write as it grows.
import { auditEntrySchema, type AuditEntry } from '../domain/ledger.js';
import { archiveWarning } from './archive.js';
import type { StoreCore } from './core.js';

export class AuditLog {
  constructor(private core: StoreCore) {}

  /** Records an entry; resolves when it is on disk. */
  async record(actor: string, action: string, detail: string): Promise<void> {
    this.core.audit({ at: this.core.nowIso(), actor, action, detail });
    await this.core.flush();
  }

  /** Every entry, oldest first (the archive, then what is not yet written). */
  all(): AuditEntry[] {
    return [...this.core.archive.read('audit', auditEntrySchema), ...this.core.pendingAudit()];
  }

  /** The last `n` entries, oldest first: read from the newest months back until there are enough. */
  recent(n: number): AuditEntry[] {
    const pending = this.core.pendingAudit();
    const out: AuditEntry[] = [...pending];
    const months = [...new Set(this.core.archive.files('audit').map((f) => f.month))].reverse();
    for (const month of months) {
      if (out.length >= n) break;
      out.unshift(...this.core.archive.read('audit', auditEntrySchema, undefined, month));
    }
    return out.slice(-n);
  }

  /** Why some entries may be missing (archive lines that cannot be read). */
  warning(): string | undefined {
    return archiveWarning(this.core.archive.problems.filter((p) => p.includes('.audit.jsonl')));
  }
}
