// The scheduler with a fake clock and a real store: a pre-upgrade run fires once, at 14:00 station
// time the working day before, across daylight-saving changes; a station that was off catches up
// late, or warns instead once the work has begun; removing an upgrade cancels its run; a restart
// in the middle of a run prints nothing twice; drills follow their cron pattern.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { Store } from '../../src/store/store.js';
import { DurableJsonFile } from '../../src/store/durable-json-file.js';
import { Journal, type JournalRecord } from '../../src/store/journal.js';
import { Scheduler, type RunPrinter } from '../../src/schedule/scheduler.js';
import type { Batch, Job } from '../../src/domain/job.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { ServiceError } from '../../src/services/errors.js';
import { testConfig, tempDir } from '../helpers/config.js';
import { FakeClock } from '../helpers/fake-clock.js';

type Call = { what: 'kit' | 'document' | 'sheet'; id: string; at: string; requestId?: string; validFor?: string; copies?: number };

/** Records what a run prints, and stores a batch per request id like the print service does. */
class FakePrinter implements RunPrinter {
  calls: Call[] = [];
  fail: 'kit' | 'document' | null = null;
  constructor(
    private store: () => Store,
    private clock: FakeClock,
  ) {}
  private async batch(what: Call['what'], id: string, requestId: string | undefined): Promise<{ batch: Batch }> {
    const store = this.store();
    const existing = requestId ? store.batchForRequest(requestId) : undefined;
    if (existing) return { batch: existing };
    const at = this.clock.now().toISOString();
    const n = store.jobs.batches().length + 1;
    const job: Job = { id: `j${n}`, batchId: `b${n}`, documentId: id, title: id, copies: 1, printerId: 'a4', state: 'pending', reasons: [], message: '', spoolFile: 'x.pdf', pages: 1, sides: 'one-sided', attempts: 0, createdAt: at, updatedAt: at };
    const batch: Batch = { id: `b${n}`, kind: what === 'kit' ? 'kit' : 'document', title: id, requestId, jobIds: [job.id], serials: {}, createdAt: at };
    await store.addBatch(batch, [job]);
    return { batch };
  }
  async printKit(kitId: string, opts: { requestId?: string }) {
    if (this.fail === 'kit') throw new ServiceError('unavailable', 'Ingen skrivare har rollen "a4".');
    this.calls.push({ what: 'kit', id: kitId, at: this.clock.now().toISOString(), requestId: opts.requestId });
    return this.batch('kit', kitId, opts.requestId);
  }
  async printDocument(documentId: string, copies: number, opts: { requestId?: string; validFor?: string }) {
    if (this.fail === 'document') throw new ServiceError('not-found', 'Mallen gick inte att rita.');
    this.calls.push({ what: 'document', id: documentId, at: this.clock.now().toISOString(), requestId: opts.requestId, validFor: opts.validFor, copies });
    return this.batch('document', documentId, opts.requestId);
  }
  async printReadinessSheet(opts: { requestId: string }) {
    this.calls.push({ what: 'sheet', id: 'beredskapskontroll', at: this.clock.now().toISOString(), requestId: opts.requestId });
    return this.batch('sheet', 'beredskapskontroll', opts.requestId);
  }
}

const kit = (id: string, name: string) => ({ id, name, scenario: 'upgrade', description: '', order: 1, items: [{ document: 'vardkontakt', copies: 1 }] });
const catalog = (withList = true) =>
  ({
    kits: new Map([
      ['systemuppgradering', kit('systemuppgradering', 'Systemuppgradering')],
      ['planerad-nedslackning', kit('planerad-nedslackning', 'Planerad nedsläckning')],
      ['it-attack', kit('it-attack', 'IT-attack')],
    ]),
    documents: new Map(withList ? [['mottagningslista', { id: 'mottagningslista' }]] : []),
  }) as unknown as Pick<Catalog, 'kits' | 'documents'>;

interface Harness {
  clock: FakeClock;
  store: Store;
  scheduler: Scheduler;
  printer: FakePrinter;
  dir: string;
  logs: string[];
  settle: () => Promise<void>;
  restart(at: string): Promise<void>;
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    h.scheduler.stop();
    await h.scheduler.idle();
    await h.store.close();
  }
});

async function harness(start: string, opts: { drill?: string; withList?: boolean; dir?: string } = {}): Promise<Harness> {
  const dir = opts.dir ?? tempDir('reservkit-sched-');
  const config = testConfig({ dataDir: dir, schedule: { drill: { cron: opts.drill ?? '' } } });
  const clock = new FakeClock(start);
  const logs: string[] = [];
  const h = { clock, dir, logs } as Harness;
  h.printer = new FakePrinter(() => h.store, clock);
  const boot = async () => {
    h.store = await Store.open(dir, { now: () => clock.now() });
    h.scheduler = new Scheduler({ config, catalog: catalog(opts.withList ?? true), store: h.store, printer: h.printer, clock, log: (m) => logs.push(m) });
    await h.scheduler.start();
  };
  h.settle = () => h.scheduler.idle();
  h.restart = async (at: string) => {
    h.scheduler.stop();
    await h.scheduler.idle();
    await h.store.close();
    clock.jumpTo(at); // off meanwhile: no timer fires
    await boot();
  };
  await boot();
  open.push(h);
  return h;
}

const complete = async (h: Harness) => {
  for (const j of h.store.jobs.liveJobs()) if (j.state !== 'completed') await h.store.setJobState(j.id, { state: 'completed' });
};

describe('a pre-upgrade run', () => {
  it('fires once, at 14:00 CET on the Friday before a Monday upgrade after the spring DST change', async () => {
    const h = await harness('2026-03-20T09:00:00Z');
    const u = await h.scheduler.addUpgrade({ kind: 'upgrade', start: '2026-03-30T07:00', end: '2026-03-30T12:00', note: 'PMO 24.2' });
    expect(u.run).toMatchObject({ dueAt: '2026-03-27T13:00:00.000Z', result: 'scheduled', validFor: '2026-03-30', kit: 'systemuppgradering' });

    await h.clock.advanceTo('2026-03-27T12:59:59.999Z', h.settle);
    expect(h.printer.calls).toEqual([]);
    await h.clock.advanceTo('2026-03-27T13:00:00Z', h.settle);
    expect(h.printer.calls).toEqual([
      { what: 'kit', id: 'systemuppgradering', at: '2026-03-27T13:00:00.000Z', requestId: `sched:${u.run!.id}:kit` },
      { what: 'document', id: 'mottagningslista', at: '2026-03-27T13:00:00.000Z', requestId: `sched:${u.run!.id}:list`, validFor: '2026-03-30', copies: 1 },
    ]);
    await h.clock.advanceTo('2026-04-03T00:00:00Z', h.settle);
    expect(h.printer.calls).toHaveLength(2);
    expect(h.clock.fired).toBeLessThan(800); // woke now and then, never spun

    const v = h.scheduler.view();
    expect(v.upcoming).toEqual([]);
    expect(v.last).toMatchObject({ id: u.run!.id, status: 'done', result: 'printing', late: false, message: '' });
    await complete(h);
    expect(h.scheduler.view().last).toMatchObject({ result: 'completed', needsAttention: false });
  });

  it('fires at 14:00 CET on the Monday after the autumn change, planned while it was still summer time', async () => {
    const h = await harness('2026-10-22T10:00:00Z');
    const u = await h.scheduler.addUpgrade({ start: '2026-10-27T08:00', end: '2026-10-27T16:00' });
    expect(u.run!.dueAt).toBe('2026-10-26T13:00:00.000Z');
    await h.clock.advanceTo('2026-10-26T12:00:00Z', h.settle); // 13:00 local: not yet
    expect(h.printer.calls).toEqual([]);
    await h.clock.advanceTo('2026-10-26T13:00:00Z', h.settle);
    expect(h.printer.calls.map((c) => [c.what, c.at])).toEqual([
      ['kit', '2026-10-26T13:00:00.000Z'],
      ['document', '2026-10-26T13:00:00.000Z'],
    ]);
    await h.clock.advanceTo('2026-10-28T00:00:00Z', h.settle);
    expect(h.printer.calls).toHaveLength(2);
  });

  it('a shutdown prints the shutdown kit', async () => {
    const h = await harness('2026-05-04T09:00:00Z');
    const u = await h.scheduler.addUpgrade({ kind: 'shutdown', start: '2026-05-08T18:00', end: '2026-05-09T06:00' });
    expect(u).toMatchObject({ kitId: 'planerad-nedslackning', kindText: 'Planerad nedsläckning' });
    expect(u.run).toMatchObject({ dueAt: '2026-05-07T12:00:00.000Z', title: 'Planerad nedsläckning 2026-05-08' });
  });

  it('catches up on start-up when the station was off at the time, and says it ran late', async () => {
    const h = await harness('2026-03-25T08:00:00Z');
    const u = await h.scheduler.addUpgrade({ start: '2026-03-30T07:00', end: '2026-03-30T12:00' });
    await h.restart('2026-03-28T09:15:00Z'); // off from Wednesday to Saturday morning
    expect(h.printer.calls.map((c) => [c.what, c.at])).toEqual([
      ['kit', '2026-03-28T09:15:00.000Z'],
      ['document', '2026-03-28T09:15:00.000Z'],
    ]);
    const last = h.scheduler.view().last!;
    expect(last).toMatchObject({ id: u.run!.id, late: true, status: 'done' });
    expect(last.message).toMatch(/sent, lördag 28 mars 2026 kl\. 10:15 i stället för fredag 27 mars 2026 kl\. 14:00: stationen var avstängd/);
    await h.clock.advanceTo('2026-03-31T00:00:00Z', h.settle);
    expect(h.printer.calls).toHaveLength(2);
  });

  it('does not print once the upgrade has begun: it records a warning until someone acknowledges it', async () => {
    const h = await harness('2026-03-25T08:00:00Z');
    const u = await h.scheduler.addUpgrade({ start: '2026-03-30T07:00', end: '2026-03-30T12:00' });
    await h.restart('2026-03-30T05:30:00Z'); // 07:30 local: the upgrade began at 07:00
    expect(h.printer.calls).toEqual([]);
    const v = h.scheduler.view();
    expect(v.last).toMatchObject({ id: u.run!.id, status: 'missed', result: 'missed', needsAttention: true });
    expect(v.last!.message).toMatch(/började måndag 30 mars 2026 kl\. 07:00, innan stationen hann skriva ut \(planerat fredag 27 mars 2026 kl\. 14:00\)\. Inget skrevs ut/);
    expect(v.attention.map((r) => r.id)).toEqual([u.run!.id]);
    expect(h.logs.join('\n')).toMatch(/inte utskriven/);

    const acked = await h.scheduler.acknowledge(u.run!.id, 'AB');
    expect(acked).toMatchObject({ needsAttention: false, acknowledgedBy: 'AB' });
    expect(h.scheduler.view().attention).toEqual([]);
    expect(h.store.auditLog.all().at(-1)).toMatchObject({ actor: 'AB', action: 'schedule-acknowledged' });
  });

  it('removing an upgrade cancels its run', async () => {
    const h = await harness('2026-03-20T09:00:00Z');
    const u = await h.scheduler.addUpgrade({ start: '2026-03-30T07:00', end: '2026-03-30T12:00' });
    const r = await h.scheduler.removeUpgrade(u.id, 'admin AB');
    expect(r.canceledRuns).toEqual([u.run!.id]);
    await h.clock.advanceTo('2026-04-01T00:00:00Z', h.settle);
    expect(h.printer.calls).toEqual([]);
    const v = h.scheduler.view();
    expect(v.upgrades).toEqual([]);
    expect(v.upcoming).toEqual([]);
    expect(v.past[0]).toMatchObject({ id: u.run!.id, result: 'canceled', needsAttention: false });
    expect(v.last).toBeNull();
    expect(h.clock.pending()).toBe(0);
    expect(h.store.auditLog.all().some((e) => e.action === 'upgrade-removed' && e.actor === 'admin AB')).toBe(true);
  });

  it('moving an upgrade moves its run; moving it after it printed prints again for the new day', async () => {
    const h = await harness('2026-03-20T09:00:00Z');
    const u = await h.scheduler.addUpgrade({ start: '2026-03-30T07:00', end: '2026-03-30T12:00' });
    const moved = await h.scheduler.updateUpgrade(u.id, { start: '2026-04-14T07:00', end: '2026-04-14T12:00' });
    expect(moved.run).toMatchObject({ id: u.run!.id, dueAt: '2026-04-13T12:00:00.000Z', validFor: '2026-04-14' });
    await h.clock.advanceTo('2026-04-13T12:00:00Z', h.settle);
    expect(h.printer.calls).toHaveLength(2);
    // postponed a week after the kit came out: the list for the 14th is wrong now
    const again = await h.scheduler.updateUpgrade(u.id, { start: '2026-04-21T07:00', end: '2026-04-21T12:00' });
    expect(again.run).toMatchObject({ dueAt: '2026-04-20T12:00:00.000Z', validFor: '2026-04-21', result: 'scheduled' });
    expect(again.run!.id).not.toBe(u.run!.id);
    // a change of note only prints nothing new
    await h.scheduler.updateUpgrade(u.id, { note: 'flyttad' });
    await h.clock.advanceTo('2026-04-22T00:00:00Z', h.settle);
    expect(h.printer.calls.map((c) => c.validFor).filter(Boolean)).toEqual(['2026-04-14', '2026-04-21']);
  });

  it('an upgrade entered after its print time prints at once, and says why', async () => {
    const h = await harness('2026-03-27T15:00:00Z'); // Friday 16:00, Monday's print time has passed
    const u = await h.scheduler.addUpgrade({ start: '2026-03-30T07:00', end: '2026-03-30T12:00' });
    await h.settle();
    expect(h.printer.calls).toHaveLength(2);
    const run = h.scheduler.view().last!;
    expect(run).toMatchObject({ id: u.run!.id, late: true });
    expect(run.message).toMatch(/hade redan passerat när den planerades; utskriften gjordes direkt/);
  });

  it('a restart in the middle of a run prints nothing twice', async () => {
    const h = await harness('2026-03-20T09:00:00Z');
    const u = await h.scheduler.addUpgrade({ start: '2026-03-30T07:00', end: '2026-03-30T12:00' });
    await h.clock.advanceTo('2026-03-27T13:00:00Z', h.settle);
    expect(h.store.jobs.batches()).toHaveLength(2);
    // As if the station died after queueing the kit but before recording the run as done.
    const run = h.store.schedule.runs().find((r) => r.id === u.run!.id)!;
    await h.store.schedule.updateRuns([run], { status: 'running', batchIds: [] });
    await h.restart('2026-03-27T13:05:00Z');
    expect(h.store.jobs.batches()).toHaveLength(2);
    expect(h.scheduler.view().last).toMatchObject({ id: u.run!.id, status: 'done', late: false });
    expect(h.scheduler.view().last!.batches.map((b) => b.id)).toEqual(['b1', 'b2']);
  });

  it('a run whose kit cannot print is shown as failed, with the reason', async () => {
    const h = await harness('2026-03-20T09:00:00Z');
    h.printer.fail = 'kit';
    const u = await h.scheduler.addUpgrade({ start: '2026-03-30T07:00', end: '2026-03-30T12:00' });
    await h.clock.advanceTo('2026-03-27T13:00:00Z', h.settle);
    const last = h.scheduler.view().last!;
    expect(last).toMatchObject({ id: u.run!.id, result: 'failed', needsAttention: true });
    expect(last.problems.join(' ')).toMatch(/Reservkitet kunde inte skrivas ut: Ingen skrivare har rollen/);
  });

  it('without a Mottagningslista template the kit still prints, and the run says what is missing', async () => {
    const h = await harness('2026-03-20T09:00:00Z', { withList: false });
    expect(h.logs.join('\n')).toMatch(/mallen "mottagningslista".*finns inte/);
    await h.scheduler.addUpgrade({ start: '2026-03-30T07:00', end: '2026-03-30T12:00' });
    await h.clock.advanceTo('2026-03-27T13:00:00Z', h.settle);
    expect(h.printer.calls.map((c) => c.what)).toEqual(['kit']);
    await complete(h);
    const last = h.scheduler.view().last!;
    expect(last.result).toBe('failed');
    expect(last.problems).toEqual(['Mottagningslistan skrevs inte ut: mallen "mottagningslista" finns inte på stationen.']);
  });
});

describe('planning input is checked, and nothing is stored when it is wrong', () => {
  it.each([
    ['an end before the start', { start: '2026-03-30T12:00', end: '2026-03-30T07:00' }, /Slutet måste vara efter början/],
    ['a start in the past', { start: '2026-03-19T07:00', end: '2026-03-30T07:00' }, /Början: torsdag 19 mars 2026 kl\. 07:00 har redan passerat/],
    ['an unknown kit', { start: '2026-03-30T07:00', end: '2026-03-30T12:00', kit: 'finns-inte' }, /det finns inget kit "finns-inte"/],
    ['a date that does not exist', { start: '2026-02-30T07:00', end: '2026-03-30T12:00' }, /"2026-02-30T07:00" är inte ett datum/],
    ['no end', { start: '2026-03-30T07:00' }, /Slutet: saknas/],
    ['a window of two months', { start: '2026-03-30T07:00', end: '2026-05-30T07:00' }, /högst 31 dagar/],
  ])('%s', async (_name, input, reason) => {
    const h = await harness('2026-03-20T09:00:00Z');
    const e = await h.scheduler.addUpgrade(input).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ServiceError);
    expect((e as ServiceError).code).toBe('invalid');
    expect((e as ServiceError).message).toMatch(reason);
    expect(h.store.schedule.upgrades()).toEqual([]);
    expect(h.store.schedule.runs()).toEqual([]);
  });

  it('an unknown upgrade is not found', async () => {
    const h = await harness('2026-03-20T09:00:00Z');
    await expect(h.scheduler.updateUpgrade('u-nope', { note: 'x' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(h.scheduler.removeUpgrade('u-nope')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('readiness drills', () => {
  it('print on the cron pattern in station time, once each, and plan the next', async () => {
    const h = await harness('2026-03-01T00:00:00Z', { drill: '0 9 * * 1#1' });
    expect(h.scheduler.view().next).toMatchObject({ kind: 'drill', dueAt: '2026-03-02T08:00:00.000Z' });
    await h.clock.advanceTo('2026-03-02T08:00:00Z', h.settle);
    expect(h.printer.calls.map((c) => [c.what, c.at])).toEqual([['sheet', '2026-03-02T08:00:00.000Z']]);
    expect(h.scheduler.view().next).toMatchObject({ kind: 'drill', dueAt: '2026-04-06T07:00:00.000Z' }); // 09:00 CEST
    await h.clock.advanceTo('2026-04-06T07:00:00Z', h.settle);
    expect(h.printer.calls.map((c) => c.at)).toEqual(['2026-03-02T08:00:00.000Z', '2026-04-06T07:00:00.000Z']);
  });

  it('a drill missed while the station was off prints once on start-up, late', async () => {
    const h = await harness('2026-03-01T00:00:00Z', { drill: '0 9 * * 1#1' });
    await h.restart('2026-05-20T10:00:00Z'); // off through two drill dates
    expect(h.printer.calls.map((c) => c.what)).toEqual(['sheet']);
    const v = h.scheduler.view();
    expect(v.last).toMatchObject({ kind: 'drill', late: true });
    expect(v.next).toMatchObject({ kind: 'drill', dueAt: '2026-06-01T07:00:00.000Z' });
  });

  it('turning drills off in the config cancels the planned one', async () => {
    const dir = tempDir('reservkit-sched-');
    const h = await harness('2026-03-01T00:00:00Z', { drill: '0 9 * * 1#1', dir });
    expect(h.scheduler.view().upcoming).toHaveLength(1);
    h.scheduler.stop();
    await h.store.close();
    open.splice(open.indexOf(h), 1);
    const h2 = await harness('2026-03-01T01:00:00Z', { drill: '', dir });
    expect(h2.scheduler.view().upcoming).toEqual([]);
    expect(h2.scheduler.view().past[0]).toMatchObject({ kind: 'drill', result: 'canceled' });
  });
});

describe('the store', () => {
  it('a store file from before the schedule existed still loads', async () => {
    const dir = tempDir('reservkit-old-');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/store.json`, JSON.stringify({ version: 1, jobs: [], batches: [], requests: {}, ledger: [], seriesNext: {}, audit: [] }));
    const store = await Store.open(dir);
    expect(store.schedule.upgrades()).toEqual([]);
    expect(store.schedule.runs()).toEqual([]);
    expect(store.admin.get()).toEqual({ failedAttempts: 0 });
    await store.close();
  });
});

describe('the schedule config', () => {
  it('a kit or list that does not exist stops start-up, naming the field', async () => {
    const { createStation } = await import('../../src/station.js');
    const bad = testConfig({ schedule: { kits: { upgrade: 'uppgradering' }, receptionList: { document: 'lista' } } });
    await expect(createStation(bad, { log: () => {} })).rejects.toThrow(
      /schedule\.kits\.upgrade: no kit "uppgradering" in templates\/kits[\s\S]*schedule\.receptionList\.document: no document "lista"/,
    );
  });
});

describe('when the store cannot be written', () => {
  it('a due run that keeps failing is retried once a minute, not in a tight loop', async () => {
    const h = await harness('2026-03-20T09:00:00Z');
    await h.scheduler.addUpgrade({ start: '2026-03-30T07:00', end: '2026-03-30T12:00' });
    const write = DurableJsonFile.prototype.write;
    let failing = true;
    vi.spyOn(DurableJsonFile.prototype, 'write').mockImplementation(function (this: DurableJsonFile<unknown>, data: unknown) {
      return failing ? Promise.reject(new Error('ENOSPC: no space left on device')) : write.call(this, data);
    });
    const append = Journal.prototype.append;
    vi.spyOn(Journal.prototype, 'append').mockImplementation(function (this: Journal, record: JournalRecord) {
      return failing ? Promise.reject(new Error('ENOSPC: no space left on device')) : append.call(this, record);
    });
    const fired = h.clock.fired;
    await h.clock.advanceTo('2026-03-27T13:10:00Z', h.settle);
    expect(h.clock.fired - fired).toBeLessThan(700); // wake-ups every 15 min over a week, plus ~10 retries
    expect(h.logs.join('\n')).toMatch(/ENOSPC/);
    failing = false;
    await h.clock.advanceBy(60_000, h.settle);
    expect(h.printer.calls.map((c) => c.what)).toEqual(['kit', 'document']);
    vi.restoreAllMocks();
  });
});
