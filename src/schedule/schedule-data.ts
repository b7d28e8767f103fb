// The schedule's and the admin area's sections of the store: planned upgrades and shutdowns, the
// runs that print for them and for readiness drills, and the admin PIN's lockout state. Each has a
// zod default, so a store file written before these sections existed still loads.
import { z } from 'zod';

export const upgradeKinds = ['upgrade', 'shutdown'] as const;
export type UpgradeKind = (typeof upgradeKinds)[number];

export const upgradeSchema = z.object({
  id: z.string(),
  kind: z.enum(upgradeKinds),
  /** ISO instants (UTC). */
  start: z.string(),
  end: z.string(),
  note: z.string().default(''),
  /** The kit printed before it. */
  kitId: z.string(),
  createdAt: z.string(),
  createdBy: z.string().default('admin'),
  updatedAt: z.string(),
  /** Planned by the region's calendar feed (schedule.calendar): the event's UID. Not editable in the admin area. */
  feed: z.object({ uid: z.string(), summary: z.string().default('') }).optional(),
  /** A feed upgrade this unit does not take part in: hidden here, its run canceled; the feed still updates it. */
  hidden: z.object({ at: z.string(), by: z.string(), reason: z.string() }).optional(),
});
export type Upgrade = z.infer<typeof upgradeSchema>;
export type FeedRef = NonNullable<Upgrade['feed']>;

/**
 * A run's own status, as stored. Whether its printing then succeeded is read from its batches'
 * jobs (see runResult), so the store never holds two answers to the same question.
 * - scheduled: waiting for dueAt
 * - running: printing was started (crash-safe: a restart repeats it with the same request ids,
 *   which prints nothing twice)
 * - done: its batches were queued
 * - failed: nothing could be queued (the reason is in message)
 * - missed: not printed, because the upgrade had already begun when the station could run it
 * - canceled: its upgrade was removed or moved, or drills were turned off
 */
export const runStatuses = ['scheduled', 'running', 'done', 'failed', 'missed', 'canceled'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const scheduleRunSchema = z.object({
  id: z.string(),
  kind: z.enum(['upgrade', 'drill']),
  upgradeId: z.string().optional(),
  title: z.string(),
  /** When it is due (ISO instant). */
  dueAt: z.string(),
  status: z.enum(runStatuses),
  /** What it prints (kit id; for drills "readiness"). */
  kitId: z.string().optional(),
  /** Date of the Mottagningslista (YYYY-MM-DD). */
  validFor: z.string().optional(),
  /** The drill's cron pattern when it was planned (a changed config re-plans it). */
  cron: z.string().optional(),
  createdAt: z.string(),
  /** Who started it by hand (admin's "run now"); scheduled runs print as "schema". */
  actor: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** Started more than a few minutes after dueAt (the station was off, or the upgrade was entered late). */
  late: z.boolean().default(false),
  batchIds: z.array(z.string()).default([]),
  /** What went wrong or what to know, in Swedish, shown as is. */
  message: z.string().default(''),
  /** Parts that could not be printed although the rest was (e.g. no Mottagningslista template). */
  problems: z.array(z.string()).default([]),
  acknowledgedAt: z.string().optional(),
  acknowledgedBy: z.string().optional(),
});
export type ScheduleRun = z.infer<typeof scheduleRunSchema>;

export const adminStateSchema = z.object({
  /** Set at first run when the config has no admin.pinHash. */
  pinHash: z.string().optional(),
  pinSetAt: z.string().optional(),
  /** Wrong PINs in a row since the last success or lockout. */
  failedAttempts: z.number().int().nonnegative().default(0),
  /** Refuse every PIN until then (ISO). Persisted, so a restart does not lift it. */
  lockedUntil: z.string().optional(),
});
export type AdminState = z.infer<typeof adminStateSchema>;

/** Fields added to the store's data; defaults make older files load. */
export const scheduleStoreFields = {
  upgrades: z.array(upgradeSchema).default([]),
  scheduleRuns: z.array(scheduleRunSchema).default([]),
  admin: adminStateSchema.prefault({}),
};
