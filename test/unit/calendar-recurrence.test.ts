// Recurring events in the region's calendar (src/schedule/calendar-events.ts): a weekly maintenance
// window becomes one upgrade per occurrence, EXDATE left out, an occurrence moved or cancelled on
// its own (RECURRENCE-ID) taken as changed, only what has not ended and starts within the horizon,
// and the station's zone's summer time followed (TZID as an IANA zone). Through the feed, each
// occurrence is planned like a single event.
import { describe, it, expect } from 'vitest';
import { parseCalendar, RECURRENCE_HORIZON_DAYS, RECURRENCE_MAX_OCCURRENCES } from '../../src/schedule/calendar-events.js';

const all = { categories: [], summaryKeywords: [], shutdownKeywords: ['nedsläckning'] };
const ics = (...events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Region//PMO//SV', ...events, 'END:VCALENDAR'].join('\r\n');
const vevent = (...lines: string[]) => ['BEGIN:VEVENT', 'DTSTAMP:20260301T000000Z', ...lines, 'END:VEVENT'].join('\r\n');

const weekly = vevent(
  'UID:pmo-weekly@region',
  'SUMMARY:Uppgradering vårdsystem',
  'DTSTART;TZID=Europe/Stockholm:20260303T060000',
  'DTEND;TZID=Europe/Stockholm:20260303T080000',
  'RRULE:FREQ=WEEKLY;COUNT=6',
  'EXDATE;TZID=Europe/Stockholm:20260317T060000',
);
const moved = vevent(
  'UID:pmo-weekly@region',
  'RECURRENCE-ID;TZID=Europe/Stockholm:20260324T060000',
  'SUMMARY:Uppgradering vårdsystem (flyttad)',
  'DTSTART;TZID=Europe/Stockholm:20260325T070000',
  'DTEND;TZID=Europe/Stockholm:20260325T090000',
);
const cancelled = vevent(
  'UID:pmo-weekly@region',
  'RECURRENCE-ID;TZID=Europe/Stockholm:20260331T060000',
  'SUMMARY:Uppgradering vårdsystem',
  'STATUS:CANCELLED',
  'DTSTART;TZID=Europe/Stockholm:20260331T060000',
  'DTEND;TZID=Europe/Stockholm:20260331T080000',
);

describe('recurring events in the calendar feed', () => {
  it('a weekly window: one event per occurrence not yet ended, EXDATE left out, one moved and one cancelled on their own, summer time followed', () => {
    const { events, skipped } = parseCalendar(ics(weekly, moved, cancelled), all, 'Europe/Stockholm', new Date('2026-03-05T12:00:00Z'));
    expect(skipped).toEqual([]);
    const view = events.map((e) => ({ uid: e.uid, summary: e.summary, start: e.start.toISOString(), end: e.end.toISOString(), cancelled: e.cancelled }));
    expect(view).toEqual([
      // 3 March has ended; 17 March is an EXDATE
      { uid: 'pmo-weekly@region/2026-03-10T05:00:00.000Z', summary: 'Uppgradering vårdsystem', start: '2026-03-10T05:00:00.000Z', end: '2026-03-10T07:00:00.000Z', cancelled: false },
      { uid: 'pmo-weekly@region/2026-03-24T05:00:00.000Z', summary: 'Uppgradering vårdsystem (flyttad)', start: '2026-03-25T06:00:00.000Z', end: '2026-03-25T08:00:00.000Z', cancelled: false },
      // summer time from 29 March: 06:00 in Stockholm is 04:00 UTC
      { uid: 'pmo-weekly@region/2026-03-31T04:00:00.000Z', summary: 'Uppgradering vårdsystem', start: '2026-03-31T04:00:00.000Z', end: '2026-03-31T06:00:00.000Z', cancelled: true },
      { uid: 'pmo-weekly@region/2026-04-07T04:00:00.000Z', summary: 'Uppgradering vårdsystem', start: '2026-04-07T04:00:00.000Z', end: '2026-04-07T06:00:00.000Z', cancelled: false },
    ]);
    expect(events.every((e) => e.kind === 'upgrade')).toBe(true);
  });

  it('a rule without an end: only occurrences within the horizon, and at most the maximum', () => {
    const now = new Date('2026-03-05T12:00:00Z');
    const daily = vevent('UID:daily@region', 'SUMMARY:Nattlig nedsläckning', 'DTSTART:20260101T230000Z', 'DTEND:20260102T010000Z', 'RRULE:FREQ=DAILY');
    const { events } = parseCalendar(ics(daily), all, 'Europe/Stockholm', now);
    expect(events).toHaveLength(RECURRENCE_MAX_OCCURRENCES);
    expect(events[0]!.start.toISOString()).toBe('2026-03-05T23:00:00.000Z'); // the night of 4–5 March has ended
    expect(events.every((e) => e.kind === 'shutdown' && e.end.getTime() > now.getTime())).toBe(true);
    const monthly = vevent('UID:monthly@region', 'SUMMARY:Uppgradering', 'DTSTART:20260310T050000Z', 'DTEND:20260310T070000Z', 'RRULE:FREQ=MONTHLY');
    const inWindow = parseCalendar(ics(monthly), all, 'Europe/Stockholm', now).events;
    expect(inWindow.map((e) => e.start.toISOString())).toEqual(['2026-03-10T05:00:00.000Z', '2026-04-10T05:00:00.000Z']);
    expect(inWindow.every((e) => e.start.getTime() <= now.getTime() + RECURRENCE_HORIZON_DAYS * 86_400_000)).toBe(true);
  });

  it('a changed occurrence without its series in the file is an event of its own; a rule ical.js cannot read refuses the file (nothing changes)', () => {
    const { events, skipped } = parseCalendar(ics(moved), all, 'Europe/Stockholm', new Date('2026-03-05T12:00:00Z'));
    expect(skipped).toEqual([]);
    expect(events.map((e) => [e.uid, e.start.toISOString()])).toEqual([['pmo-weekly@region/2026-03-24T05:00:00.000Z', '2026-03-25T06:00:00.000Z']]);
    const bad = vevent('UID:bad@region', 'SUMMARY:Uppgradering', 'DTSTART:20260310T050000Z', 'DTEND:20260310T070000Z', 'RRULE:FREQ=SOMETIMES');
    expect(() => parseCalendar(ics(bad), all, 'Europe/Stockholm')).toThrow(/filen är inte en giltig iCalendar-fil: invalid frequency/);
  });
});
