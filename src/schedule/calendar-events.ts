// The region's iCalendar feed read with ical.js (RFC 5545: VTIMEZONE rules, TZID, UTC, all-day
// dates; nothing hand-parsed). The only module that touches ical.js: it returns plain events with
// UTC instants, or throws CalendarError saying what is wrong with the file. Pure.
import ICAL from 'ical.js';
import type { UpgradeKind } from './schedule-data.js';
import { fromLocal, isValidTimeZone } from '../domain/time.js';

export class CalendarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

export interface CalendarFilter {
  /** CATEGORIES values that select an event (case-insensitive); with `summaryKeywords` empty too: every event. */
  categories: readonly string[];
  /** Words in SUMMARY that select an event (case-insensitive). */
  summaryKeywords: readonly string[];
  /** Words in SUMMARY or CATEGORIES that make it a planned shutdown rather than an upgrade. */
  shutdownKeywords: readonly string[];
}

export interface CalendarEvent {
  uid: string;
  summary: string;
  kind: UpgradeKind;
  start: Date;
  end: Date;
  cancelled: boolean;
}

/**
 * How far ahead a recurring event's occurrences are planned, and at most how many of them: each
 * becomes an upgrade of its own (uid "UID/start"), planned as the window moves on at each read.
 */
export const RECURRENCE_HORIZON_DAYS = 60;
export const RECURRENCE_MAX_OCCURRENCES = 20;

export interface ParsedCalendar {
  /** Events that pass the filter, by UID (a UID given twice: the one with the highest SEQUENCE). */
  events: CalendarEvent[];
  /** Events left out, and why (shown to the administrator; they change nothing). */
  skipped: Array<{ uid: string; summary: string; reason: string }>;
}

type IcalTime = InstanceType<typeof ICAL.Time>;

/** A DTSTART/DTEND value as an instant: UTC as is, TZID by its VTIMEZONE or as an IANA zone, floating and all-day in the station's zone. */
function instant(t: IcalTime, stationZone: string): Date {
  const zone = t.zone?.tzid;
  if (t.isDate) return fromLocal({ date: ymd(t), hour: 0, minute: 0 }, stationZone);
  if (zone === 'UTC' || (zone && zone !== 'floating')) return new Date(t.toUnixTime() * 1000);
  // TZID without a VTIMEZONE in the file: ical.js leaves it floating with the name in `timezone`.
  const named = (t as unknown as { timezone?: string }).timezone;
  const tz = named ? named : stationZone;
  if (named && !isValidTimeZone(named)) throw new CalendarError(`okänd tidszon "${named}" (varken VTIMEZONE i filen eller en IANA-zon)`);
  const d = fromLocal({ date: ymd(t), hour: t.hour, minute: t.minute }, tz);
  return new Date(d.getTime() + t.second * 1000);
}

/** A VEVENT's start and end as instants. No DTEND: an all-day event lasts its day; a timed one is a moment (RFC 5545 3.6.1): give it an hour. */
function eventTimes(ve: InstanceType<typeof ICAL.Component>, stationZone: string): { start: Date; end: Date } {
  const ev = new ICAL.Event(ve);
  if (!ev.startDate) throw new CalendarError('saknar DTSTART');
  const start = instant(ev.startDate, stationZone);
  if (ve.hasProperty('dtend') || ve.hasProperty('duration')) return { start, end: instant(ev.endDate, stationZone) };
  if (ev.startDate.isDate) {
    const next = ev.startDate.clone();
    next.adjust(1, 0, 0, 0);
    return { start, end: instant(next, stationZone) };
  }
  return { start, end: new Date(start.getTime() + 3_600_000) };
}

const isCancelled = (c: InstanceType<typeof ICAL.Component>): boolean => String(c.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';

const ymd = (t: IcalTime) => `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
const lower = (xs: readonly string[]) => xs.map((x) => x.toLowerCase());

/**
 * The events of a feed that pass the filter. A recurring event (RRULE, RDATE) is expanded into its
 * occurrences that have not ended by `now` and start within RECURRENCE_HORIZON_DAYS of it, EXDATE
 * left out and an occurrence changed or cancelled on its own (RECURRENCE-ID) taken as changed.
 */
export function parseCalendar(text: string, filter: CalendarFilter, stationZone: string, now: Date = new Date()): ParsedCalendar {
  let root: InstanceType<typeof ICAL.Component>;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (e) {
    throw new CalendarError(`filen är inte en giltig iCalendar-fil: ${(e as Error).message}`);
  }
  if (root.name !== 'vcalendar') throw new CalendarError(`filen är inte en iCalendar-kalender (börjar med ${root.name.toUpperCase()}, inte VCALENDAR)`);
  // Time zones the file defines, before any event reads its times.
  for (const tz of root.getAllSubcomponents('vtimezone')) {
    try {
      ICAL.TimezoneService.register(tz);
    } catch (e) {
      throw new CalendarError(`VTIMEZONE går inte att läsa: ${(e as Error).message}`);
    }
  }
  const cats = lower(filter.categories);
  const words = lower(filter.summaryKeywords);
  const shutdown = lower(filter.shutdownKeywords);
  const byUid = new Map<string, CalendarEvent & { sequence: number }>();
  const skipped: ParsedCalendar['skipped'] = [];
  const recurring: Array<{ ve: InstanceType<typeof ICAL.Component>; uid: string; summary: string; categories: string[] }> = [];
  const exceptions = new Map<string, Array<InstanceType<typeof ICAL.Component>>>();
  const kindOf = (summary: string, categories: readonly string[]): UpgradeKind =>
    shutdown.some((w) => summary.toLowerCase().includes(w) || categories.includes(w)) ? 'shutdown' : 'upgrade';
  for (const ve of root.getAllSubcomponents('vevent')) {
    const uid = String(ve.getFirstPropertyValue('uid') ?? '').trim();
    const summary = String(ve.getFirstPropertyValue('summary') ?? '').trim();
    const categories = lower(ve.getAllProperties('categories').flatMap((p) => p.getValues().map(String)));
    const matches = (cats.length === 0 && words.length === 0) || categories.some((c) => cats.includes(c)) || words.some((w) => summary.toLowerCase().includes(w));
    if (!matches) continue;
    if (!uid) {
      skipped.push({ uid: '', summary, reason: 'saknar UID' });
      continue;
    }
    if (ve.hasProperty('recurrence-id')) {
      // One occurrence changed or cancelled: applied to its series below (or alone, without one).
      (exceptions.get(uid) ?? exceptions.set(uid, []).get(uid)!).push(ve);
      continue;
    }
    if (ve.hasProperty('rrule') || ve.hasProperty('rdate')) {
      recurring.push({ ve, uid, summary, categories });
      continue;
    }
    let start: Date;
    let end: Date;
    try {
      ({ start, end } = eventTimes(ve, stationZone));
    } catch (e) {
      skipped.push({ uid, summary, reason: `tiden går inte att läsa: ${(e as Error).message}` });
      continue;
    }
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end.getTime() <= start.getTime()) {
      skipped.push({ uid, summary, reason: 'slutet är inte efter början' });
      continue;
    }
    const kind = kindOf(summary, categories);
    const cancelled = isCancelled(ve);
    const sequence = Number(ve.getFirstPropertyValue('sequence') ?? 0) || 0;
    const prev = byUid.get(uid);
    if (!prev || sequence >= prev.sequence) byUid.set(uid, { uid, summary, kind, start, end, cancelled, sequence });
  }
  for (const r of recurring) {
    try {
      const ev = new ICAL.Event(r.ve);
      for (const ex of exceptions.get(r.uid) ?? []) ev.relateException(ex);
      exceptions.delete(r.uid);
      for (const o of occurrences(ev, stationZone, now)) {
        const ouid = `${r.uid}/${o.recurrenceId.toISOString()}`;
        const summary = o.summary || r.summary;
        byUid.set(ouid, { uid: ouid, summary, kind: kindOf(summary, r.categories), start: o.start, end: o.end, cancelled: isCancelled(r.ve) || o.cancelled, sequence: 0 });
      }
    } catch (e) {
      skipped.push({ uid: r.uid, summary: r.summary, reason: `upprepningen går inte att läsa: ${(e as Error).message}` });
    }
  }
  // A changed occurrence whose series is not in the file: an event of its own.
  for (const [uid, list] of exceptions) {
    for (const ve of list) {
      const summary = String(ve.getFirstPropertyValue('summary') ?? '').trim();
      try {
        const rid = instant(new ICAL.Event(ve).recurrenceId, stationZone);
        const { start, end } = eventTimes(ve, stationZone);
        const ouid = `${uid}/${rid.toISOString()}`;
        byUid.set(ouid, { uid: ouid, summary, kind: kindOf(summary, []), start, end, cancelled: isCancelled(ve), sequence: 0 });
      } catch (e) {
        skipped.push({ uid, summary, reason: `tiden går inte att läsa: ${(e as Error).message}` });
      }
    }
  }
  return { events: [...byUid.values()].map(({ sequence: _s, ...e }) => e), skipped };
}

/** A recurring event's occurrences not ended by `now` and starting within the horizon (at most RECURRENCE_MAX_OCCURRENCES). */
function occurrences(ev: InstanceType<typeof ICAL.Event>, stationZone: string, now: Date): Array<{ recurrenceId: Date; start: Date; end: Date; summary: string; cancelled: boolean }> {
  const until = now.getTime() + RECURRENCE_HORIZON_DAYS * 86_400_000;
  const out: Array<{ recurrenceId: Date; start: Date; end: Date; summary: string; cancelled: boolean }> = [];
  const it = ev.iterator();
  // Daily rules over years: the walk to the window is bounded, as is what is planned.
  for (let steps = 0, next = it.next(); next && steps < 5000 && out.length < RECURRENCE_MAX_OCCURRENCES; steps++, next = it.next()) {
    const d = ev.getOccurrenceDetails(next);
    const start = instant(d.startDate, stationZone);
    if (start.getTime() > until) break;
    const end = instant(d.endDate, stationZone);
    if (end.getTime() <= now.getTime()) continue;
    const item = d.item.component;
    out.push({
      recurrenceId: instant(d.recurrenceId, stationZone),
      start,
      end: end.getTime() > start.getTime() ? end : new Date(start.getTime() + 3_600_000),
      summary: String(item.getFirstPropertyValue('summary') ?? '').trim(),
      cancelled: isCancelled(item),
    });
  }
  return out;
}
