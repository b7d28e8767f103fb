// The "schedule" section of the station config: what prints before a planned upgrade and when,
// which days count as working days, and the readiness drill's cron pattern. Kit and form ids are
// cross-checked against the catalog when the station starts (checkScheduleConfig).
import { Cron } from 'croner';
import { z } from 'zod';
import { strictObject } from '../strict-object.js';
import { isCalendarDate } from '../domain/time.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'endast a–z, 0–9 och bindestreck');

/** A cron pattern croner accepts (5 fields, or 6 with seconds); "" turns drills off. */
export const cronPattern = z.string().superRefine((s, ctx) => {
  if (s.trim() === '') return;
  try {
    new Cron(s, { paused: true }).stop();
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `not a cron pattern: ${(e as Error).message}` });
  }
});

/**
 * An https:// URL, or a file path (a region that pushes the file). http:// only to the station
 * itself (127.0.0.1, ::1, localhost: a local sync agent, tests): nothing else unencrypted.
 */
export function isCalendarSource(s: string): boolean {
  if (/^https:\/\/[^/\s]+/i.test(s)) return true;
  if (/^http:\/\//i.test(s)) {
    try {
      return ['127.0.0.1', '[::1]', 'localhost'].includes(new URL(s).hostname);
    } catch {
      return false;
    }
  }
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && s.trim() !== '';
}

export const calendarConfigSchema = strictObject({
  source: z.string().refine(isCalendarSource, 'an https:// URL or a file path (http:// only to 127.0.0.1/localhost)'),
  /** How often the feed is fetched. */
  refreshMinutes: z.number().min(1).max(1440).default(60),
  /** Deadline for one fetch, connection and body. */
  timeoutSeconds: z.number().min(1).max(120).default(20),
  /** A bigger feed is refused (nothing changes). */
  maxBytes: z.number().int().min(1024).max(50_000_000).default(2_000_000),
  /** Which events are planned work: any of these CATEGORIES, or any of these words in SUMMARY; both empty: every event. */
  categories: z.array(z.string().min(1)).default([]),
  summaryKeywords: z.array(z.string().min(1)).default([]),
  /** Words in SUMMARY or CATEGORIES that make an event a planned shutdown (else an upgrade). */
  shutdownKeywords: z.array(z.string().min(1)).default(['nedsläckning', 'nedslackning', 'shutdown']),
});
export type CalendarConfig = z.infer<typeof calendarConfigSchema>;

export const scheduleConfigSchema = strictObject({
  /** The kit printed before each kind of planned work. */
  kits: strictObject({
    upgrade: id.default('systemuppgradering'),
    shutdown: id.default('planerad-nedslackning'),
  }).prefault({}),
  /** When the pre-upgrade run prints: `workingDaysBefore` working days before the day the work starts, at `at` (local time). */
  leadTime: strictObject({
    workingDaysBefore: z.number().int().min(1).max(10).default(1),
    at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (24-hour clock)').default('14:00'),
  }).prefault({}),
  /** Saturdays and Sundays are never working days; with this, Swedish public holidays (and midsummer, Christmas and New Year's eve) neither. */
  skipSwedishHolidays: z.boolean().default(true),
  /** More days off (YYYY-MM-DD), e.g. a unit's closed weeks. */
  extraHolidays: z.array(z.string().refine(isCalendarDate, 'YYYY-MM-DD (a real date)')).default([]),
  /** The blank Mottagningslista printed with the kit, dated for the day the work starts (plus `dayOffset`). */
  receptionList: strictObject({
    document: id.default('mottagningslista'),
    /** 0: print none. */
    copies: z.number().int().min(0).max(50).default(1),
    dayOffset: z.number().int().min(0).max(7).default(0),
  }).prefault({}),
  /** Readiness drill: a one-page sheet (printer states, number blocks, last kit, stock checklist). */
  drill: strictObject({
    /** Cron pattern in the station's time zone; default the first Monday of each month at 09:00. "" turns drills off. */
    cron: cronPattern.default('0 9 * * 1#1'),
    copies: z.number().int().min(1).max(10).default(1),
    /** The form whose first checklist is the sheet's stock checklist (the routine's material list). */
    checklistForm: id.default('checklista-reservrutin'),
  }).prefault({}),
  /** A run that starts more than this many minutes after it was due is reported as late. */
  lateAfterMinutes: z.number().int().min(1).max(1440).default(5),
  /** Planned upgrades and shutdowns from the region's iCalendar feed (src/schedule/calendar-feed.ts). */
  calendar: calendarConfigSchema.optional(),
}).prefault({});

export type ScheduleConfig = z.infer<typeof scheduleConfigSchema>;

/**
 * Cross-checks the schedule against the templates at start-up, as "field: reason" lines: a kit or
 * list that does not exist would otherwise only show up as a failed run the day before an upgrade.
 */
export function scheduleConfigProblems(
  schedule: ScheduleConfig,
  catalog: { kits: ReadonlyMap<string, unknown>; documents: ReadonlyMap<string, unknown> },
): string[] {
  const problems: string[] = [];
  for (const [kind, kitId] of Object.entries(schedule.kits))
    if (!catalog.kits.has(kitId)) problems.push(`schedule.kits.${kind}: no kit "${kitId}" in templates/kits (known: ${[...catalog.kits.keys()].join(', ')})`);
  const list = schedule.receptionList;
  if (list.copies > 0 && !catalog.documents.has(list.document))
    problems.push(`schedule.receptionList.document: no document "${list.document}" in templates/forms (or set receptionList.copies to 0)`);
  return problems;
}
