// Job and batch types, in IPP's own words: job states pending … completed, reasons as keywords
// kept beside the state. Our own reasons carry the "station-" prefix.
import { z } from 'zod';

/** IPP's job states (RFC 8011 §5.3.7) that a station job can be in. */
export const jobStates = ['pending', 'pending-held', 'processing', 'completed', 'aborted', 'canceled'] as const;
export type JobState = (typeof jobStates)[number];
export const terminalStates: ReadonlySet<JobState> = new Set(['completed', 'aborted', 'canceled']);
export const isTerminal = (s: JobState): boolean => terminalStates.has(s);

export const jobSchema = z.object({
  id: z.string(),
  batchId: z.string(),
  /** Document id in the catalog (or "labels"). */
  documentId: z.string(),
  title: z.string(),
  copies: z.number().int().min(1),
  /**
   * How many of the document the job stands for, as the confirm page counted them: a numbered
   * job is one copy of ten pages but ten referrals. Absent: copies.
   */
  count: z.number().int().min(0).optional(),
  printerId: z.string(),
  /** The printer actually used when a fallback took over. */
  sentToPrinterId: z.string().optional(),
  // Stores written before the IPP names were used say "held".
  state: z.preprocess((v) => (v === 'held' ? 'pending-held' : v), z.enum(jobStates)),
  reasons: z.array(z.string()),
  message: z.string().default(''),
  /** File name of the PDF (or ZPL) in the spool folder; "" once wiped (patient-ID labels) or never rendered. */
  spoolFile: z.string(),
  /** The spooled document's format: PDF unless the printer takes ZPL. */
  format: z.enum(['pdf', 'zpl']).optional(),
  /**
   * Carries a patient's identity (patient-ID labels): its spool file is deleted as soon as the
   * printer has it, or the job ends any other way, and it is never sent again from the spool.
   */
  ephemeral: z.boolean().optional(),
  pages: z.number().int().nonnegative(),
  media: z.string().optional(),
  sides: z.enum(['one-sided', 'two-sided-long-edge']).default('one-sided'),
  /** How many Print-Job requests were made for this job, ever (names each send on the printer). */
  sendNo: z.number().int().nonnegative().optional(),
  /** How many times sending has been tried since the job was (re)queued; counts toward the retry limit. */
  attempts: z.number().int().nonnegative().default(0),
  nextTryAt: z.string().optional(),
  /** When the printer first failed to answer for this job (for the fallback wait). */
  waitingSince: z.string().optional(),
  /** Job id the printer gave it; present once the printer accepted the job. */
  printerJobId: z.number().int().optional(),
  /** Set just before the Print-Job request goes out: after a crash, the printer may have it. */
  sendingSince: z.string().optional(),
  /**
   * What to render (the print service's recipe, opaque here): used while the job is held as
   * "station-rendering", and kept after, so "skriv ut igen" can render it again (same numbers)
   * when its spool file is gone.
   */
  recipe: z.record(z.string(), z.unknown()).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().optional(),
});
export type Job = z.infer<typeof jobSchema>;

export const batchSchema = z.object({
  id: z.string(),
  kind: z.enum(['kit', 'labels', 'document', 'test', 'schedule']),
  title: z.string(),
  kitId: z.string().optional(),
  requestId: z.string().optional(),
  /** Initials of the staff member, when given. */
  actor: z.string().optional(),
  jobIds: z.array(z.string()),
  /** Serial numbers issued for this batch, per series. */
  serials: z.record(z.string(), z.array(z.string())).default({}),
  /**
   * Of a kit: numbered documents its blocks could not (fully) cover, with the reason as staff read
   * it. The kit printed everything else (degrade, don't refuse).
   */
  notPrinted: z
    .array(z.object({ documentId: z.string(), title: z.string(), seriesId: z.string(), wanted: z.number().int(), printed: z.number().int(), text: z.string() }))
    .optional(),
  createdAt: z.string(),
});
export type Batch = z.infer<typeof batchSchema>;

/**
 * Whether staff may print a job again ("Skriv ut igen"): it failed, was cancelled, or the printer
 * forgot it after accepting it (it probably printed; staff checked the paper). The progress page
 * and its live stream ask it through batch-state.ts jobActions.
 */
export function canReprint(j: { state: JobState; reasons: readonly string[] }): boolean {
  return j.state === 'aborted' || j.state === 'canceled' || (j.state === 'pending-held' && j.reasons.includes('station-probably-printed'));
}

/** Reasons are added and removed, never blindly overwritten (CUPS style: "+media-empty", "-media-empty"). */
export function applyReasons(current: readonly string[], changes: readonly string[]): string[] {
  const set = new Set(current.filter((r) => r !== 'none'));
  for (const c of changes) {
    if (c.startsWith('-')) set.delete(c.slice(1));
    else if (c.startsWith('+')) set.add(c.slice(1));
    else set.add(c);
  }
  return [...set];
}
