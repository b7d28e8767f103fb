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

const ymd = (t: IcalTime) => `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
const lower = (xs: readonly string[]) => xs.map((x) => x.toLowerCase());

export function parseCalendar(text: string, filter: CalendarFilter, stationZone: string): ParsedCalendar {
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
    if (ve.getFirstPropertyValue('rrule') || ve.getFirstPropertyValue('recurrence-id')) {
      skipped.push({ uid, summary, reason: 'återkommande händelser stöds inte; lägg varje tillfälle som en egen händelse' });
      continue;
    }
    let start: Date;
    let end: Date;
    try {
      const ev = new ICAL.Event(ve);
      if (!ev.startDate) throw new CalendarError('saknar DTSTART');
      start = instant(ev.startDate, stationZone);
      // No DTEND: an all-day event lasts its day; a timed one is a moment (RFC 5545 3.6.1): give it an hour.
      if (ve.hasProperty('dtend') || ve.hasProperty('duration')) end = instant(ev.endDate, stationZone);
      else if (ev.startDate.isDate) {
        const next = ev.startDate.clone();
        next.adjust(1, 0, 0, 0);
        end = instant(next, stationZone);
      } else end = new Date(start.getTime() + 3_600_000);
    } catch (e) {
      skipped.push({ uid, summary, reason: `tiden går inte att läsa: ${(e as Error).message}` });
      continue;
    }
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end.getTime() <= start.getTime()) {
      skipped.push({ uid, summary, reason: 'slutet är inte efter början' });
      continue;
    }
    const kind: UpgradeKind = shutdown.some((w) => summary.toLowerCase().includes(w) || categories.includes(w)) ? 'shutdown' : 'upgrade';
    const cancelled = String(ve.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
    const sequence = Number(ve.getFirstPropertyValue('sequence') ?? 0) || 0;
    const prev = byUid.get(uid);
    if (!prev || sequence >= prev.sequence) byUid.set(uid, { uid, summary, kind, start, end, cancelled, sequence });
  }
  return { events: [...byUid.values()].map(({ sequence: _s, ...e }) => e), skipped };
}
