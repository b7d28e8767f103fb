// When a pre-upgrade run prints, and for which day its Mottagningslista is (pure). The rule: the
// working day before the day the work starts, at 14:00 station time (configurable), skipping
// weekends and holidays. Computed on local calendar dates and turned into an instant last, so a
// daylight-saving change between now, the run and the upgrade changes nothing.
import { Cron } from 'croner';
import type { ScheduleConfig } from './schedule-config.js';
import { addDays, fromLocal, localDate, swedishHolidays, weekday } from '../domain/time.js';

export type WorkingDayRules = Pick<ScheduleConfig, 'skipSwedishHolidays' | 'extraHolidays'>;

const holidayCache = new Map<number, Set<string>>();

export function isWorkingDay(date: string, rules: WorkingDayRules): boolean {
  const wd = weekday(date);
  if (wd === 0 || wd === 6) return false;
  if (rules.extraHolidays.includes(date)) return false;
  if (rules.skipSwedishHolidays) {
    const year = Number(date.slice(0, 4));
    let days = holidayCache.get(year);
    if (!days) holidayCache.set(year, (days = swedishHolidays(year)));
    if (days.has(date)) return false;
  }
  return true;
}

/** The date `n` working days before `date` (n ≥ 1). */
export function workingDaysBefore(date: string, n: number, rules: WorkingDayRules): string {
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, -1);
    if (isWorkingDay(d, rules)) left--;
  }
  return d;
}

export interface UpgradeRunPlan {
  /** When the kit prints. */
  dueAt: Date;
  /** The local day the work starts. */
  upgradeDay: string;
  /** The date printed on the Mottagningslista. */
  validFor: string;
}

/** When the run for an upgrade starting at `start` prints. */
export function planUpgradeRun(start: Date, schedule: ScheduleConfig, timeZone: string): UpgradeRunPlan {
  const upgradeDay = localDate(start, timeZone);
  const runDay = workingDaysBefore(upgradeDay, schedule.leadTime.workingDaysBefore, schedule);
  const [hour, minute] = schedule.leadTime.at.split(':').map(Number) as [number, number];
  return {
    dueAt: fromLocal({ date: runDay, hour, minute }, timeZone),
    upgradeDay,
    validFor: addDays(upgradeDay, schedule.receptionList.dayOffset),
  };
}

/** The next time a drill is due after `after`, in the station's zone; null when drills are off. */
export function nextDrillAt(cron: string, after: Date, timeZone: string): Date | null {
  if (cron.trim() === '') return null;
  const c = new Cron(cron, { timezone: timeZone, paused: true });
  try {
    return c.nextRun(after);
  } finally {
    c.stop();
  }
}
