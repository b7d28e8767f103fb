// Time in one place: wall-clock time in the station's time zone (Europe/Stockholm by default),
// Swedish holidays and the date formats every printout and page uses, without a date library: Intl
// tells the local parts of an instant, and fromLocal turns local parts back into an instant, correct
// across daylight-saving changes. Local calendar dates are "YYYY-MM-DD" strings. Pure: the instant
// comes from the caller's (injected) clock. Render, schedule, ui and services all import this.

export interface LocalDateTime {
  /** YYYY-MM-DD */
  date: string;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * How many Intl.DateTimeFormat objects dateFormat() keeps. Each one holds ICU data outside the JS
 * heap (a calendar, the zone's rules, patterns: tens of KB that V8 does not count), so one made per
 * call (the history page formats 100 jobs per view) let resident memory climb past 1 GB over mixed
 * rounds while the JS heap stayed near 100 MB (issue 10: "memory after 50 mixed rounds stays under
 * 300 MB"). The station uses a handful of formats in its one zone; 32 leaves room for a few zones.
 */
export const DATE_FORMATS_KEPT = 32;
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A Swedish (sv-SE) date/time formatter for the zone and options, made once and reused: every
 * place that formats a time for people goes through here. Oldest dropped beyond DATE_FORMATS_KEPT.
 */
export function dateFormat(timeZone: string, options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { ...options, timeZone });
    if (dateFormats.size >= DATE_FORMATS_KEPT) dateFormats.delete(dateFormats.keys().next().value!);
    dateFormats.set(key, f);
  }
  return f;
}

/** How many formatters dateFormat() holds now (for the memory test). */
export function dateFormatsHeld(): number {
  return dateFormats.size;
}

/** True when Intl knows the zone (an unknown zone throws RangeError there). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function partsOf(t: number, timeZone: string): Parts {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return { year: +p.year!, month: +p.month!, day: +p.day!, hour: +p.hour!, minute: +p.minute!, second: +p.second! };
}

/** The zone's offset from UTC at instant t, in ms (Stockholm: +1 h in winter, +2 h in summer). */
export function offsetAt(t: number, timeZone: string): number {
  const p = partsOf(t, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The local date and time of an instant. */
export function toLocal(at: Date, timeZone: string): LocalDateTime {
  const p = partsOf(at.getTime(), timeZone);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, hour: p.hour, minute: p.minute };
}

/** "YYYY-MM-DD" of an instant in the zone. */
export const localDate = (at: Date, timeZone: string): string => toLocal(at, timeZone).date;

/** "YYYY-MM-DDTHH:MM" (the value of an <input type="datetime-local">) of an instant in the zone. */
export function toLocalInput(at: Date, timeZone: string): string {
  return localInputOf(toLocal(at, timeZone));
}

function splitDate(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`[time] "${date}" is not a date (YYYY-MM-DD)`);
  return [+m[1]!, +m[2]!, +m[3]!];
}

/** True for a real calendar date in YYYY-MM-DD (not 2026-02-30). */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCFullYear() === +m[1]! && d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]!;
}

/**
 * The instant of a local date and time in the zone. A time that does not exist (the hour skipped
 * in spring) moves forward by the gap, as clocks do; a time that exists twice (autumn) is the first.
 */
export function fromLocal(l: LocalDateTime, timeZone: string): Date {
  const [y, m, d] = splitDate(l.date);
  const wall = Date.UTC(y, m - 1, d, l.hour, l.minute);
  // The offset a day either side of the wall time covers both sides of any transition.
  const before = offsetAt(wall - 86_400_000, timeZone);
  const after = offsetAt(wall + 86_400_000, timeZone);
  const matches = [...new Set([before, after])]
    .map((o) => wall - o)
    .filter((t) => {
      const p = partsOf(t, timeZone);
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === wall;
    })
    .sort((a, b) => a - b);
  return new Date(matches[0] ?? wall - before);
}

/** The date `days` after (or before, when negative) a local date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = splitDate(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  const [y, m, d] = splitDate(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/**
 * Parses a date and time from a request: "YYYY-MM-DDTHH:MM[:SS]" is wall-clock time in the
 * station's zone (what a datetime-local field sends); with "Z" or "+02:00" it is an exact instant.
 * Undefined when the text is neither, or names a date that does not exist.
 */
export function parseDateTime(text: string, timeZone: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const [, date, hh, mm, ss, zone] = m;
  if (!isCalendarDate(date!) || +hh! > 23 || +mm! > 59 || (ss !== undefined && +ss > 59)) return undefined;
  if (zone) {
    const t = Date.parse(text.trim().replace(' ', 'T'));
    return Number.isNaN(t) ? undefined : new Date(t);
  }
  return fromLocal({ date: date!, hour: +hh!, minute: +mm! }, timeZone);
}

// ---- Swedish public holidays -----------------------------------------------------------------

/** Easter Sunday (Gregorian, anonymous algorithm) as YYYY-MM-DD. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * Days a Swedish clinic's office is normally closed on a weekday: the public holidays ("röda dagar")
 * plus midsummer eve, Christmas eve and New Year's eve, which are de facto days off.
 */
export function swedishHolidays(year: number): Set<string> {
  const easter = easterSunday(year);
  // Midsummer eve: the Friday between 19 and 25 June.
  let midsummerEve = `${year}-06-19`;
  while (weekday(midsummerEve) !== 5) midsummerEve = addDays(midsummerEve, 1);
  return new Set([
    `${year}-01-01`,
    `${year}-01-06`,
    addDays(easter, -2), // långfredagen
    addDays(easter, 1), // annandag påsk
    `${year}-05-01`,
    addDays(easter, 39), // Kristi himmelsfärdsdag
    `${year}-06-06`,
    midsummerEve,
    `${year}-12-24`,
    `${year}-12-25`,
    `${year}-12-26`,
    `${year}-12-31`,
  ]);
}

// ---- Swedish day and time for the touch steppers -------------------------------------------------

/** Short Swedish weekday names, Sunday first (weekday() order); the steppers' script gets these too. */
export const swedishWeekdaysShort = ['sön', 'mån', 'tis', 'ons', 'tor', 'fre', 'lör'] as const;
/** Short Swedish month names, January first. */
export const swedishMonthsShort = ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'] as const;

/** "mån 7 dec 2026" for a local date "2026-12-07": the same whatever the browser's locale. */
export function formatStepperDate(date: string): string {
  const [y, m, d] = splitDate(date);
  return `${swedishWeekdaysShort[weekday(date)]} ${d} ${swedishMonthsShort[m - 1]} ${y}`;
}

/** A local date and time "YYYY-MM-DDTHH:MM" (what a datetime-local field sends), or undefined. */
export function parseLocalInput(text: string): LocalDateTime | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!m || !isCalendarDate(m[1]!) || +m[2]! > 23 || +m[3]! > 59) return undefined;
  return { date: m[1]!, hour: +m[2]!, minute: +m[3]! };
}

/** "YYYY-MM-DDTHH:MM" of a local date and time. */
export const localInputOf = (l: LocalDateTime): string => `${l.date}T${pad(l.hour)}:${pad(l.minute)}`;

/** "2026-11-25" in the station's time zone. */
export function formatStationDate(date: Date, timeZone: string): string {
  return localDate(date, timeZone);
}

export const swedishWeekdays = ['söndag', 'måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag'] as const;
export const swedishMonths = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'] as const;

/**
 * "måndag 30 november 2026 kl. 14:00" in the station's time zone: how the station writes a moment
 * to staff (the schedule on the admin pages, its run messages, the readiness sheet). Built from
 * Swedish names, not Intl, so every Node version writes it alike.
 */
export function formatMoment(when: string | Date, timeZone: string): string {
  const l = toLocal(typeof when === 'string' ? new Date(when) : when, timeZone);
  const [y, m, d] = splitDate(l.date);
  return `${swedishWeekdays[weekday(l.date)]} ${d} ${swedishMonths[m - 1]} ${y} kl. ${pad(l.hour)}:${pad(l.minute)}`;
}

/** "2026-11-25 14:03" in the station's time zone (Swedish style, 24-hour clock). */
export function formatStationDateTime(date: Date, timeZone: string): string {
  const l = toLocal(date, timeZone);
  return `${l.date} ${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
}
