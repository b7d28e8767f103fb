// When pre-upgrade runs print: working days, holidays, 14:00 station time across daylight-saving
// changes, and the wall-clock conversions under it.
import { describe, it, expect } from 'vitest';
import { addDays, easterSunday, formatStepperDate, fromLocal, localInputOf, parseDateTime, parseLocalInput, swedishHolidays, toLocal, toLocalInput, weekday } from '../../src/domain/time.js';
import { isWorkingDay, nextDrillAt, planUpgradeRun } from '../../src/schedule/plan-runs.js';
import { scheduleConfigSchema } from '../../src/schedule/schedule-config.js';

const TZ = 'Europe/Stockholm';
const schedule = (over: Record<string, unknown> = {}) => scheduleConfigSchema.parse(over);
const local = (text: string) => parseDateTime(text, TZ)!;

describe('the pre-upgrade run time', () => {
  it.each([
    ['Monday after the spring DST change → Friday 14:00 CET', '2026-03-30T07:00', '2026-03-27T13:00:00.000Z', '2026-03-30'],
    ['Tuesday after the spring change → Monday 14:00 CEST', '2026-03-31T07:00', '2026-03-30T12:00:00.000Z', '2026-03-31'],
    ['Monday after the autumn change → Friday 14:00 CEST', '2026-10-26T07:00', '2026-10-23T12:00:00.000Z', '2026-10-26'],
    ['Tuesday after the autumn change → Monday 14:00 CET', '2026-10-27T08:00', '2026-10-26T13:00:00.000Z', '2026-10-27'],
    ['a Sunday → Friday', '2026-06-14T10:00', '2026-06-12T12:00:00.000Z', '2026-06-14'],
    ['a night upgrade just after midnight Monday → Friday', '2026-05-11T00:30', '2026-05-08T12:00:00.000Z', '2026-05-11'],
    ['Tuesday after Easter → Maundy Thursday (Good Friday and Easter Monday are off)', '2026-04-07T07:00', '2026-04-02T12:00:00.000Z', '2026-04-07'],
    ['the Monday after midsummer → Thursday (midsummer eve is off)', '2026-06-22T07:00', '2026-06-18T12:00:00.000Z', '2026-06-22'],
  ])('%s', (_name, start, dueAt, validFor) => {
    const plan = planUpgradeRun(local(start), schedule(), TZ);
    expect(plan.dueAt.toISOString()).toBe(dueAt);
    expect(plan.validFor).toBe(validFor);
    expect(toLocal(plan.dueAt, TZ)).toMatchObject({ hour: 14, minute: 0 });
  });

  it('follows the configured lead time, hour and holidays', () => {
    const s = schedule({ leadTime: { workingDaysBefore: 2, at: '07:30' }, skipSwedishHolidays: false, extraHolidays: ['2026-03-26'] });
    // Monday 30 March, two working days back skipping the weekend and Thursday 26th → Wednesday 25th 07:30 CET
    expect(planUpgradeRun(local('2026-03-30T07:00'), s, TZ).dueAt.toISOString()).toBe('2026-03-25T06:30:00.000Z');
    // without the Swedish holidays, Tuesday after Easter → Easter Monday
    expect(planUpgradeRun(local('2026-04-07T07:00'), schedule({ skipSwedishHolidays: false }), TZ).dueAt.toISOString()).toBe('2026-04-06T12:00:00.000Z');
  });

  it('dates the Mottagningslista for the day the work starts (plus dayOffset)', () => {
    expect(planUpgradeRun(local('2026-03-30T22:00'), schedule({ receptionList: { dayOffset: 1 } }), TZ).validFor).toBe('2026-03-31');
  });
});

describe('working days', () => {
  it('knows Swedish public holidays, movable ones included', () => {
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    const h = swedishHolidays(2026);
    for (const d of ['2026-01-01', '2026-01-06', '2026-04-03', '2026-04-06', '2026-05-01', '2026-05-14', '2026-06-06', '2026-06-19', '2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31'])
      expect(h.has(d), d).toBe(true);
    expect(h.size).toBe(12);
    const rules = { skipSwedishHolidays: true, extraHolidays: [] };
    expect(isWorkingDay('2026-04-02', rules)).toBe(true);
    expect(isWorkingDay('2026-04-03', rules)).toBe(false);
    expect(isWorkingDay('2026-03-28', rules)).toBe(false); // Saturday
  });
});

describe('wall-clock time in Europe/Stockholm', () => {
  it('converts both ways across the changes', () => {
    expect(fromLocal({ date: '2026-03-27', hour: 14, minute: 0 }, TZ).toISOString()).toBe('2026-03-27T13:00:00.000Z');
    expect(fromLocal({ date: '2026-03-30', hour: 14, minute: 0 }, TZ).toISOString()).toBe('2026-03-30T12:00:00.000Z');
    // the skipped hour moves forward, like the clocks; the doubled hour is its first occurrence
    expect(fromLocal({ date: '2026-03-29', hour: 2, minute: 30 }, TZ).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(fromLocal({ date: '2026-10-25', hour: 2, minute: 30 }, TZ).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(toLocal(new Date('2026-10-25T01:30:00Z'), TZ)).toEqual({ date: '2026-10-25', hour: 2, minute: 30 });
  });

  it('parses what a form or a program sends, and refuses the rest', () => {
    expect(parseDateTime('2026-03-30T07:00', TZ)?.toISOString()).toBe('2026-03-30T05:00:00.000Z');
    expect(parseDateTime('2026-03-30 07:00:00', TZ)?.toISOString()).toBe('2026-03-30T05:00:00.000Z');
    expect(parseDateTime('2026-03-30T07:00:00+02:00', TZ)?.toISOString()).toBe('2026-03-30T05:00:00.000Z');
    expect(parseDateTime('2026-03-30T05:00:00Z', TZ)?.toISOString()).toBe('2026-03-30T05:00:00.000Z');
    for (const bad of ['2026-02-30T07:00', '2026-03-30T25:00', 'i morgon', '2026-03-30', '']) expect(parseDateTime(bad, TZ), bad).toBeUndefined();
  });

  it('does date arithmetic on local dates', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(weekday('2026-03-30')).toBe(1);
  });
});

describe('drill times (croner)', () => {
  it('the first Monday of each month at 09:00 station time, summer and winter', () => {
    expect(nextDrillAt('0 9 * * 1#1', new Date('2026-03-01T00:00:00Z'), TZ)?.toISOString()).toBe('2026-03-02T08:00:00.000Z');
    expect(nextDrillAt('0 9 * * 1#1', new Date('2026-03-02T08:00:00Z'), TZ)?.toISOString()).toBe('2026-04-06T07:00:00.000Z');
    expect(nextDrillAt('', new Date(), TZ)).toBeNull();
  });

  it('a bad pattern stops the config', () => {
    expect(scheduleConfigSchema.safeParse({ drill: { cron: 'varje månad' } }).success).toBe(false);
    expect(scheduleConfigSchema.safeParse({ drill: { cron: '' } }).success).toBe(true);
  });
});

describe('the day/time steppers\' texts and values', () => {
  it('show a local date the Swedish way and read back only a real "YYYY-MM-DDTHH:MM"', () => {
    expect(formatStepperDate('2026-12-07')).toBe('mån 7 dec 2026');
    expect(formatStepperDate('2026-03-29')).toBe('sön 29 mar 2026');
    expect(formatStepperDate('2028-02-29')).toBe('tis 29 feb 2028');
    expect(parseLocalInput('2026-03-30T07:00')).toEqual({ date: '2026-03-30', hour: 7, minute: 0 });
    for (const bad of ['2026-02-30T07:00', '2026-03-30T24:00', '2026-03-30T07:60', '03/30/2026 07:00 AM', '2026-03-30T07:00Z', '']) expect(parseLocalInput(bad), bad).toBeUndefined();
    expect(localInputOf({ date: '2026-03-30', hour: 7, minute: 5 })).toBe('2026-03-30T07:05');
    expect(toLocalInput(new Date('2026-03-30T05:00:00Z'), 'Europe/Stockholm')).toBe('2026-03-30T07:00');
  });
});
