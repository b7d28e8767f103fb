// What the station tells about its numbers and its actions: one issued number as the ledger page,
// the CSV and the Avstämningslista show it, and one audit log entry. Plain types, so domain/ and
// render/ never import the store; the store (src/store/ledger.ts, audit.ts) builds them.
import { z } from 'zod';

export const ledgerEntrySchema = z.object({
  seriesId: z.string(),
  /** The running number, without prefix and check digit. */
  seq: z.number().int(),
  /** The printed number (prefix + padded number + check digit). */
  number: z.string(),
  status: z.enum(['issued', 'voided']),
  batchId: z.string().optional(),
  documentId: z.string().optional(),
  issuedAt: z.string(),
  reprints: z.array(z.object({ at: z.string(), batchId: z.string().optional() })).default([]),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const auditEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
