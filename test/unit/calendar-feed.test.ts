// Planned upgrades from the region's calendar: a local HTTP server on 127.0.0.1 serves an ICS the
// test edits; a real store and scheduler (fake clock) take what the feed plans. New, moved and
// cancelled (STATUS:CANCELLED and removal) events; TZID across the spring DST change, UTC and
// all-day events; ETag; the feed down, too large, malformed (warning, nothing changed); an
// upgrade from the feed not editable, only hidden with a reason; a file source.
import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Store } from '../../src/store/store.js';
import { Scheduler, type RunPrinter } from '../../src/schedule/scheduler.js';
import { CalendarFeed } from '../../src/schedule/calendar-feed.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { ServiceError } from '../../src/services/errors.js';
import { testConfig, tempDir } from '../helpers/config.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { ics, startIcsServer, type IcsEvent, type IcsServer } from '../helpers/ics-server.js';
import { CalendarNotice, FeedUpgradeCell } from '../../src/ui/pages/calendar-parts.js';

const kit = (id: string) => ({ id, name: id, scenario: 'upgrade', description: '', order: 1, items: [] });
const catalog = { kits: new Map([['systemuppgradering', kit('systemuppgradering')], ['planerad-nedslackning', kit('planerad-nedslackning')]]), documents: new Map() } as unknown as Pick<Catalog, 'kits' | 'documents'>;
const noPrinting: RunPrinter = {
  printKit: () => Promise.reject(new Error('not in this test')),
  printDocument: () => Promise.reject(new Error('not in this test')),
  printReadinessSheet: () => Promise.reject(new Error('not in this test')),
};

// The region's plan as of Monday 2 March 2026.
const upgrade: IcsEvent = { uid: 'pmo-2026-11@region.example', summary: 'PMO uppgradering 26.1', categories: 'PMO,Uppgradering', times: ['DTSTART;TZID=Europe/Stockholm:20260312T180000', 'DTEND;TZID=Europe/Stockholm:20260312T220000'] };
// Across the spring change (29 March, 02:00 CET → 03:00 CEST): 22:00 CET to 06:00 CEST is 7 hours.
const overDst: IcsEvent = { uid: 'pmo-2026-13@region.example', summary: 'Planerad nedsläckning av PMO', categories: 'PMO', times: ['DTSTART;TZID=Europe/Stockholm:20260328T220000', 'DTEND;TZID=Europe/Stockholm:20260329T060000'] };
const allDay: IcsEvent = { uid: 'pmo-2026-16@region.example', summary: 'Uppgradering journalsystem (hela dagen)', times: ['DTSTART;VALUE=DATE:20260415', 'DTEND;VALUE=DATE:20260416'] };
const inUtc: IcsEvent = { uid: 'pmo-2026-12@region.example', summary: 'PMO databasbyte', categories: 'PMO', times: ['DTSTART:20260320T060000Z', 'DTEND:20260320T080000Z'] };
const notOurs: IcsEvent = { uid: 'lunch@region.example', summary: 'Lunchmöte', categories: 'Möte', times: ['DTSTART:20260310T110000Z', 'DTEND:20260310T120000Z'] };
const plan = [upgrade, overDst, allDay, inUtc, notOurs];

interface H {
  server: IcsServer;
  clock: FakeClock;
  store: Store;
  scheduler: Scheduler;
  feed: CalendarFeed;
  dir: string;
  logs: string[];
  byUid(uid: string): ReturnType<Scheduler['feedUpgrades']>[number] | undefined;
  runsOf(uid: string): Array<{ id: string; status: string; dueAt: string }>;
  snapshot(): string;
}
const open: H[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    h.feed.stop();
    h.scheduler.stop();
    await h.scheduler.idle();
    await h.store.close();
    await h.server.close();
  }
});

async function harness(over: Record<string, unknown> = {}, source?: string): Promise<H> {
  const server = await startIcsServer(ics(plan));
  const dir = tempDir('reservkit-cal-');
  const calendar = { source: source ?? server.url, categories: ['PMO'], summaryKeywords: ['uppgradering'], timeoutSeconds: 1, ...over };
  const config = testConfig({ dataDir: dir, schedule: { drill: { cron: '' }, calendar } });
  const clock = new FakeClock('2026-03-02T08:00:00Z');
  const store = await Store.open(dir, { now: () => clock.now() });
  const logs: string[] = [];
  const scheduler = new Scheduler({ config, catalog, store, printer: noPrinting, clock, log: (m) => logs.push(m) });
  await scheduler.start();
  const feed = new CalendarFeed({ config: config.schedule.calendar!, timezone: config.timezone, dataDir: dir, scheduler, clock, log: (m) => logs.push(m) });
  const h: H = {
    server, clock, store, scheduler, feed, dir, logs,
    byUid: (uid) => scheduler.feedUpgrades().find((u) => u.feed?.uid === uid),
    runsOf: (uid) => store.schedule.runs().filter((r) => r.upgradeId === h.byUid(uid)?.id).map((r) => ({ id: r.id, status: r.status, dueAt: r.dueAt })),
    snapshot: () => JSON.stringify({ u: store.schedule.upgrades(), r: store.schedule.runs() }),
  };
  open.push(h);
  return h;
}
const sync = async (h: H) => {
  const s = await h.feed.sync();
  await h.scheduler.idle();
  return s;
};

describe('calendar feed → planned upgrades', () => {
  it('new events become upgrades keyed by UID, with TZID, UTC and all-day times, across DST', async () => {
    const h = await harness();
    const s = await sync(h);
    expect(s.error).toBeNull();
    expect(s.events).toBe(4); // the lunch meeting is not planned work
    const u = h.byUid(upgrade.uid)!;
    expect(u).toMatchObject({ kind: 'upgrade', start: '2026-03-12T17:00:00.000Z', end: '2026-03-12T21:00:00.000Z', note: 'PMO uppgradering 26.1', kitId: 'systemuppgradering', createdBy: 'kalender', feed: { uid: upgrade.uid } });
    // the kit prints at 14:00 station time the working day before
    expect(h.runsOf(upgrade.uid)).toEqual([{ id: expect.any(String), status: 'scheduled', dueAt: '2026-03-11T13:00:00.000Z' }]);
    const d = h.byUid(overDst.uid)!;
    expect(d).toMatchObject({ kind: 'shutdown', start: '2026-03-28T21:00:00.000Z', end: '2026-03-29T04:00:00.000Z', kitId: 'planerad-nedslackning' });
    expect(Date.parse(d.end) - Date.parse(d.start)).toBe(7 * 3600_000);
    // a Saturday: printed on Friday 27 March at 14:00 CET
    expect(h.runsOf(overDst.uid)[0]!.dueAt).toBe('2026-03-27T13:00:00.000Z');
    // all day, 15 April in summer time: local midnight to midnight
    expect(h.byUid(allDay.uid)).toMatchObject({ start: '2026-04-14T22:00:00.000Z', end: '2026-04-15T22:00:00.000Z' });
    expect(h.byUid(inUtc.uid)).toMatchObject({ start: '2026-03-20T06:00:00.000Z', end: '2026-03-20T08:00:00.000Z' });
    expect(h.byUid(notOurs.uid)).toBeUndefined();
    // audited as the calendar, and the good copy is on disk
    expect(h.store.auditLog.all().filter((a) => a.action === 'upgrade-added' && a.actor === 'kalender')).toHaveLength(4);
    expect(readFileSync(path.join(h.dir, 'calendar/feed.ics'), 'utf8')).toBe(h.server.body);
  });

  it('an unchanged feed is asked for with If-None-Match and changes nothing', async () => {
    const h = await harness();
    await sync(h);
    const before = h.snapshot();
    await sync(h);
    expect(h.server.requests[1]!['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(h.server.requests[1]!['if-modified-since']).toBe(new Date(0).toUTCString());
    expect(h.snapshot()).toBe(before);
    expect(h.feed.status().error).toBeNull();
  });

  it('a moved event moves its upgrade and its run (same upgrade, one run)', async () => {
    const h = await harness();
    await sync(h);
    const id = h.byUid(upgrade.uid)!.id;
    h.server.body = ics(plan.map((e) => (e === upgrade ? { ...e, sequence: 1, times: ['DTSTART;TZID=Europe/Stockholm:20260319T170000', 'DTEND;TZID=Europe/Stockholm:20260319T230000'] } : e)));
    await sync(h);
    expect(h.byUid(upgrade.uid)).toMatchObject({ id, start: '2026-03-19T16:00:00.000Z', end: '2026-03-19T22:00:00.000Z' });
    expect(h.runsOf(upgrade.uid)).toEqual([{ id: expect.any(String), status: 'scheduled', dueAt: '2026-03-18T13:00:00.000Z' }]);
    expect(h.store.auditLog.all().some((a) => a.action === 'upgrade-changed' && a.actor === 'kalender')).toBe(true);
  });

  it('STATUS:CANCELLED removes the upgrade and cancels its run', async () => {
    const h = await harness();
    await sync(h);
    const id = h.byUid(inUtc.uid)!.id;
    h.server.body = ics(plan.map((e) => (e === inUtc ? { ...e, status: 'CANCELLED', sequence: 2 } : e)));
    await sync(h);
    expect(h.byUid(inUtc.uid)).toBeUndefined();
    expect(h.store.schedule.runs().filter((r) => r.upgradeId === id).map((r) => [r.status, r.message])).toEqual([['canceled', 'Uppgraderingen ställdes in i regionens kalender.']]);
  });

  it('an event gone from the feed is cancelled too; the others stay', async () => {
    const h = await harness();
    await sync(h);
    const id = h.byUid(allDay.uid)!.id;
    h.server.body = ics(plan.filter((e) => e !== allDay));
    await sync(h);
    expect(h.byUid(allDay.uid)).toBeUndefined();
    expect(h.store.schedule.runs().find((r) => r.upgradeId === id)!.status).toBe('canceled');
    expect(h.scheduler.feedUpgrades()).toHaveLength(3);
  });

  it('the feed down (503, then no answer within the deadline): runs kept, a warning for the administrator', async () => {
    const h = await harness();
    await sync(h);
    const before = h.snapshot();
    h.server.mode = 'error-503';
    const s = await sync(h);
    expect(s.error).toMatch(/^Regionens kalender kunde inte läsas \(servern svarade HTTP 503\)\. Planerade utskrifter ligger kvar/);
    expect(h.snapshot()).toBe(before);
    expect(h.scheduler.view().calendar?.error).toBe(s.error);
    h.server.mode = 'hang';
    expect((await sync(h)).error).toMatch(/ingen svar inom 1 s/);
    await h.server.close();
    expect((await sync(h)).error).toMatch(/servern kunde inte nås: (ECONNREFUSED|UND_ERR_SOCKET)/);
    expect(h.snapshot()).toBe(before);
    // the warning survives a restart of the feed (it is on disk), and the next good copy clears it
    const again = new CalendarFeed({ config: { ...testConfig({ schedule: { calendar: { source: h.server.url } } }).schedule.calendar! }, timezone: 'Europe/Stockholm', dataDir: h.dir, scheduler: h.scheduler, clock: h.clock });
    await again.start();
    expect(again.status().error).toMatch(/kunde inte läsas/);
    again.stop();
    await again.idle();
  });

  it('a feed too large (with or without Content-Length) or malformed: a clear error, nothing changed', async () => {
    const h = await harness({ maxBytes: 20_000 });
    await sync(h);
    const before = h.snapshot();
    const copy = readFileSync(path.join(h.dir, 'calendar/feed.ics'), 'utf8');
    const many = Array.from({ length: 200 }, (_, i) => ({ ...inUtc, uid: `x${i}@region.example` }));
    h.server.body = ics([...plan, ...many]);
    expect((await sync(h)).error).toMatch(/filen är för stor \(\d+ byte, högst 20000\)/);
    h.server.mode = 'chunked';
    expect((await sync(h)).error).toMatch(/filen är för stor \(över 20000 byte\)/);
    h.server.mode = 'ok';
    h.server.body = '<html><body>Logga in</body></html>';
    expect((await sync(h)).error).toMatch(/filen är inte en giltig iCalendar-fil/);
    h.server.body = ics(plan).replace('END:VCALENDAR', '');
    expect((await sync(h)).error).toMatch(/kunde inte läsas/);
    expect(h.snapshot()).toBe(before);
    expect(readFileSync(path.join(h.dir, 'calendar/feed.ics'), 'utf8')).toBe(copy);
  });

  it('an upgrade from the feed cannot be edited or removed here, only hidden for the unit with a reason', async () => {
    const h = await harness();
    await sync(h);
    const u = h.byUid(upgrade.uid)!;
    await expect(h.scheduler.updateUpgrade(u.id, { note: 'ändrad' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/kommer från regionens kalender och kan inte ändras här/) });
    await expect(h.scheduler.removeUpgrade(u.id)).rejects.toBeInstanceOf(ServiceError);
    await expect(h.scheduler.hideUpgrade(u.id, ' ')).rejects.toMatchObject({ code: 'invalid' });
    const manual = await h.scheduler.addUpgrade({ kind: 'upgrade', start: '2026-05-05T08:00', end: '2026-05-05T10:00' });
    await expect(h.scheduler.hideUpgrade(manual.id, 'deltar inte')).rejects.toMatchObject({ code: 'conflict' });

    const v = await h.scheduler.hideUpgrade(u.id, 'Enheten har stängt vecka 11', 'AB');
    expect(v.hidden).toMatchObject({ by: 'AB', reason: 'Enheten har stängt vecka 11' });
    expect(h.runsOf(upgrade.uid)).toEqual([{ id: expect.any(String), status: 'canceled', dueAt: '2026-03-11T13:00:00.000Z' }]);
    expect(h.store.auditLog.all().find((a) => a.action === 'upgrade-hidden')).toMatchObject({ actor: 'AB', detail: expect.stringContaining('Enheten har stängt vecka 11') });
    // the feed moves it: it stays hidden, and nothing is planned to print
    h.server.body = ics(plan.map((e) => (e === upgrade ? { ...e, times: ['DTSTART;TZID=Europe/Stockholm:20260313T180000', 'DTEND;TZID=Europe/Stockholm:20260313T220000'] } : e)));
    await sync(h);
    expect(h.byUid(upgrade.uid)).toMatchObject({ start: '2026-03-13T17:00:00.000Z', hidden: { reason: 'Enheten har stängt vecka 11' } });
    expect(h.runsOf(upgrade.uid).filter((r) => r.status === 'scheduled')).toEqual([]);
  });

  it('a hidden upgrade shown again is planned again (at the time the feed moved it to); the audit log says who', async () => {
    const h = await harness();
    await sync(h);
    const u = h.byUid(upgrade.uid)!;
    await expect(h.scheduler.showUpgrade(u.id)).rejects.toMatchObject({ code: 'conflict', message: 'Uppgraderingen är inte dold för enheten.' });
    await h.scheduler.hideUpgrade(u.id, 'Fel enhet', 'AB');
    h.server.body = ics(plan.map((e) => (e === upgrade ? { ...e, times: ['DTSTART;TZID=Europe/Stockholm:20260313T180000', 'DTEND;TZID=Europe/Stockholm:20260313T220000'] } : e)));
    await sync(h);
    const v = await h.scheduler.showUpgrade(u.id, 'CD');
    expect(v.hidden).toBeUndefined();
    const runs = h.runsOf(upgrade.uid);
    expect(runs.filter((r) => r.status === 'canceled')).toHaveLength(1);
    const planned = runs.filter((r) => r.status === 'scheduled');
    expect(planned).toHaveLength(1);
    expect(Date.parse(planned[0]!.dueAt)).toBeLessThan(Date.parse('2026-03-13T17:00:00.000Z'));
    expect(h.store.auditLog.all().find((a) => a.action === 'upgrade-shown')).toMatchObject({ actor: 'CD', detail: expect.stringContaining('Fel enhet') });
    // Hidden again and shown again: still one planned run.
    await h.scheduler.hideUpgrade(u.id, 'Fel enhet igen', 'AB');
    await h.scheduler.showUpgrade(u.id, 'CD');
    expect(h.runsOf(upgrade.uid).filter((r) => r.status === 'scheduled')).toHaveLength(1);
  });

  it('a recurring window: each occurrence is planned as an upgrade of its own; one taken out of the series (EXDATE) is removed', async () => {
    const weekly: IcsEvent = {
      uid: 'pmo-veckofonster@region.example',
      summary: 'PMO uppgradering veckofönster',
      categories: 'PMO',
      times: ['DTSTART;TZID=Europe/Stockholm:20260310T180000', 'DTEND;TZID=Europe/Stockholm:20260310T200000', 'RRULE:FREQ=WEEKLY;COUNT=3'],
    };
    const h = await harness();
    h.server.body = ics([weekly]);
    expect((await sync(h)).problems).toEqual([]);
    const uids = h.scheduler.feedUpgrades().map((u) => u.feed!.uid).sort();
    expect(uids).toEqual(['2026-03-10T17:00:00.000Z', '2026-03-17T17:00:00.000Z', '2026-03-24T17:00:00.000Z'].map((t) => `${weekly.uid}/${t}`));
    for (const uid of uids) expect(h.runsOf(uid).map((r) => r.status)).toEqual(['scheduled']);
    // the region takes 17 March out of the series: its upgrade and run go
    h.server.body = ics([{ ...weekly, times: [...weekly.times, 'EXDATE;TZID=Europe/Stockholm:20260317T180000'] }]);
    await sync(h);
    expect(h.scheduler.feedUpgrades().map((u) => u.feed!.uid).sort()).toEqual([uids[0], uids[2]]);
  });

  it('a manual upgrade is never touched by the feed', async () => {
    const h = await harness();
    const manual = await h.scheduler.addUpgrade({ kind: 'upgrade', start: '2026-05-05T08:00', end: '2026-05-05T10:00', note: 'lokal' });
    h.server.body = ics([]);
    await sync(h);
    expect(h.scheduler.upgradeView(manual.id)).toMatchObject({ note: 'lokal' });
  });

  it('reads a file the region pushes, and skips it when unchanged', async () => {
    const file = path.join(tempDir('reservkit-ics-'), 'pmo.ics');
    writeFileSync(file, ics(plan));
    const h = await harness({}, file);
    expect((await sync(h)).error).toBeNull();
    expect(h.scheduler.feedUpgrades()).toHaveLength(4);
    const before = h.snapshot();
    expect((await sync(h)).error).toBeNull();
    expect(h.snapshot()).toBe(before);
    writeFileSync(file, ics([upgrade]));
    await sync(h);
    expect(h.scheduler.feedUpgrades().map((u) => u.feed!.uid)).toEqual([upgrade.uid]);
    expect(existsSync(path.join(h.dir, 'calendar/feed.json'))).toBe(true);
  });

  it('the admin page marks feed upgrades, offers only hiding, and shows the warning', async () => {
    const h = await harness();
    await sync(h);
    const view = h.scheduler.upgradeView(h.byUid(upgrade.uid)!.id)!;
    const cell = String(FeedUpgradeCell({ u: view }));
    expect(cell).toContain('Regionens kalender');
    expect(cell).toContain(`action="/admin/upgrades/${view.id}/hide"`);
    expect(cell).not.toContain('Ändra');
    h.server.mode = 'error-503';
    await sync(h);
    const notice = String(CalendarNotice({ calendar: h.scheduler.view().calendar, timeZone: 'Europe/Stockholm' }));
    expect(notice).toContain('role="alert"');
    expect(notice).toContain('Planerade utskrifter ligger kvar');
  });
});

describe('schedule.calendar config', () => {
  it('takes an https:// URL or a file path; http:// only to the station itself', () => {
    const withSource = (source: string) => testConfig({ schedule: { calendar: { source } } }).schedule.calendar?.source;
    expect(withSource('https://kalender.region.example/pmo.ics')).toBe('https://kalender.region.example/pmo.ics');
    expect(withSource('/srv/reservkit/pmo.ics')).toBe('/srv/reservkit/pmo.ics');
    expect(withSource('http://127.0.0.1:8081/pmo.ics')).toBe('http://127.0.0.1:8081/pmo.ics');
    for (const bad of ['http://kalender.region.example/pmo.ics', 'ftp://x/pmo.ics', ''])
      expect(() => withSource(bad), bad).toThrow(/schedule\.calendar\.source: an https:\/\/ URL or a file path/);
    expect(() => testConfig({ schedule: { calendar: { source: '/x.ics', url: 'y' } } })).toThrow(/schedule\.calendar: unknown key "url"/);
  });
});
