// The one print path (src/services/print-path.ts): every kind of print (kit, single document,
// referral labels, patient-ID labels, a label copy, the readiness sheet, test pages) goes through
// PrintPath.print, and so each gets the same answers: a repeated request id is a duplicate (and one
// used for another kind is refused), a printer that said it takes no PDF refuses before any number
// is drawn, and a short block follows the kind's rule (a kit prints what it can; a single document
// and labels refuse with the block's wording, drawing nothing). Services on a real store and spool;
// nothing is sent (the queues' kick does nothing).
import { afterEach, describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { projectRoot } from '../../src/station.js';
import { Store } from '../../src/store/store.js';
import { Spool } from '../../src/printing/spool.js';
import { FormCache } from '../../src/render/form-cache.js';
import { RenderPool } from '../../src/render/index.js';
import { PrintService } from '../../src/services/print-service.js';
import { LabelService } from '../../src/services/label-service.js';
import { StationPrints } from '../../src/services/station-prints.js';
import { PrintPath } from '../../src/services/print-path.js';
import { ServiceError } from '../../src/services/errors.js';
import { exhaustedMessage, pdfProblem } from '../../src/services/enqueue-batch.js';
import { printerCanTake, takesFormat } from '../../src/domain/label-plan.js';
import type { PrinterView } from '../../src/printing/printer-monitor.js';
import { testConfig } from '../helpers/config.js';

const stores: Store[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** The station's print services on one store; `acceptsPdf` is what the A4 printer last said. */
async function services(over: Record<string, unknown> = {}, acceptsPdf: boolean | null = true) {
  const config = testConfig(over);
  const catalog = loadCatalog(path.join(projectRoot, 'templates'), config);
  const store = await Store.open(config.dataDir);
  stores.push(store);
  const spool = new Spool(path.join(config.dataDir, 'spool'));
  const info = (id: string) => ({ id, name: id, acceptsPdf, mediaSupported: [] as string[] });
  const kick = () => {};
  const print = new PrintService({ config, catalog, store, spool, formCache: new FormCache(), kick, printerInfo: info });
  const labels = new LabelService({ config, catalog, store, spool, renderer: new RenderPool({ inProcess: true }), kick, printerInfo: info });
  const monitor = { all: () => config.printers.map((p) => ({ ...info(p.id), name: p.name, reachable: true, state: 'idle', reasons: [], roles: p.roles }) as unknown as PrinterView) };
  const prints = new StationPrints({ config, catalog, store, spool, monitor, kick });
  return { config, store, print, labels, prints };
}

type Services = Awaited<ReturnType<typeof services>>;

/** One press of each kind, with a request id built from `id`. */
const kinds: Array<[string, (s: Services, id: string) => Promise<{ batch: { id: string }; duplicate: boolean }>]> = [
  ['kit', (s, id) => s.print.printKit('it-attack', { requestId: `${id}-kit`, confirmRepeat: true })],
  ['document', (s, id) => s.print.printDocument('provtagningsremiss', 2, { requestId: `${id}-doc` })],
  ['labels', (s, id) => s.labels.printLabels({ referrals: 2, labelsPerReferral: 3, layout: 'a4-3x8', requestId: `${id}-lab` })],
  ['patient labels', (s, id) => s.labels.printPatientLabels({ kind: 'reservnummer', identity: 'RES-1', labels: 2, referrals: 1, layout: 'a4-3x8', requestId: `${id}-pat` })],
  ['readiness sheet', (s, id) => s.prints.printReadinessSheet({ occasion: 'Prov', requestId: `${id}-drill` })],
  ['test pages', (s, id) => s.prints.printTestPages({ requestId: `${id}-test` })],
];

describe('the one print path', () => {
  it('every kind of print goes through PrintPath.print, as its own kind of batch', async () => {
    const s = await services();
    const spy = vi.spyOn(PrintPath.prototype, 'print');
    for (const [, press] of kinds) await press(s, 'through');
    const first = await s.labels.printLabels({ referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8' });
    await s.labels.reprint({ number: first.numbers[0]!, layout: 'a4-3x8' });
    expect(spy.mock.calls.map(([req]) => req.kind)).toEqual(['kit', 'document', 'labels', 'labels', 'document', 'test', 'labels', 'labels']);
    await s.print.renderingDone();
  });

  it.each(kinds)('%s: the same request id again is a duplicate; nothing new is drawn or stored', async (_name, press) => {
    const s = await services();
    const a = await press(s, 'twice');
    const batches = s.store.jobs.batches().length;
    const ledger = s.store.ledgerOf('remiss').length;
    const [b, c] = await Promise.all([press(s, 'twice'), press(s, 'twice')]);
    expect([a.duplicate, b.duplicate, c.duplicate]).toEqual([false, true, true]);
    expect([b.batch.id, c.batch.id]).toEqual([a.batch.id, a.batch.id]);
    expect(s.store.jobs.batches()).toHaveLength(batches);
    expect(s.store.ledgerOf('remiss')).toHaveLength(ledger);
    await s.print.renderingDone();
  });

  it('two presses arriving together with one request id make one batch', async () => {
    const s = await services();
    const [a, b] = await Promise.all([kinds[0]![1](s, 'together'), kinds[0]![1](s, 'together')]);
    expect(a.batch.id).toBe(b.batch.id);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    await s.print.renderingDone();
  });

  it('a request id used for another kind of print is refused, for every kind', async () => {
    const s = await services();
    await s.labels.printLabels({ referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8', requestId: 'shared-id-0001' });
    const kit = await s.print.printKit('it-attack', { requestId: 'shared-id-0002' });
    const refusals = [
      s.print.printKit('it-attack', { requestId: 'shared-id-0001' }),
      s.print.printDocument('kvitto', 1, { requestId: 'shared-id-0001' }),
      s.prints.printTestPages({ requestId: 'shared-id-0001' }),
      s.labels.printLabels({ referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8', requestId: 'shared-id-0002' }),
    ];
    for (const r of refusals) await expect(r).rejects.toMatchObject({ code: 'conflict', details: { reason: 'request-id-reused' } });
    expect(s.store.batchForRequest('shared-id-0002')!.id).toBe(kit.batch.id);
    await s.print.renderingDone();
  });

  it('one request id arriving at the same instant for two kinds of print (two services) makes one batch; the other is refused', async () => {
    const s = await services();
    const [labels, kit] = await Promise.allSettled([
      s.labels.printLabels({ referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8', requestId: 'same-instant-0001' }),
      s.print.printKit('it-attack', { requestId: 'same-instant-0001' }),
    ]);
    expect(labels.status).toBe('fulfilled');
    expect(kit).toMatchObject({ status: 'rejected', reason: { code: 'conflict', details: { reason: 'request-id-reused' } } });
    expect(s.store.jobs.batches().filter((b) => b.requestId === 'same-instant-0001')).toHaveLength(1);
    await s.print.renderingDone();
  });

  it.each(kinds.filter(([name]) => name !== 'test pages'))('%s: a printer that takes no PDF refuses it before any number is drawn', async (_name, press) => {
    const s = await services({}, false);
    const err = await press(s, 'nopdf').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ code: 'conflict', message: 'Skrivare A4 tar inte emot PDF – den behöver en CUPS-kö framför sig (se README, "Skrivare").', details: { reason: 'printer-unsuitable', printer: 'a4' } });
    expect(s.store.ledgerOf('remiss')).toEqual([]);
    expect(s.store.jobs.batches()).toEqual([]);
  });

  it('test pages go to every printer all the same: they are how staff find out', async () => {
    const s = await services({}, false);
    const r = await s.prints.printTestPages({ requestId: 'nopdf-test' });
    expect(r.batch.jobIds).toHaveLength(1);
  });

  describe('a short block (3 referral numbers left)', () => {
    const short = { series: [{ id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 900002, padding: 7, checkDigit: 'luhn', contact: 'Labbet 040-1' }, { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 500, padding: 5, checkDigit: 'none' }] };

    it('a kit prints what it can: 3 of its referrals, the shortfall kept on the batch', async () => {
      const s = await services(short);
      const r = await s.print.printKit('systemuppgradering', { requestId: 'short-kit-01' });
      expect(r.batch.serials.remiss).toHaveLength(3);
      expect(r.batch.notPrinted).toEqual([expect.objectContaining({ documentId: 'provtagningsremiss', wanted: 5, printed: 3 })]);
      expect(r.jobs.length).toBeGreaterThan(3);
      await s.print.renderingDone();
    });

    it('a single document refuses in the block\'s wording, drawing nothing', async () => {
      const s = await services(short);
      const series = s.config.series[0]!;
      await expect(s.print.printDocument('provtagningsremiss', 5, { requestId: 'short-doc-01' })).rejects.toMatchObject({
        code: 'exhausted',
        message: exhaustedMessage(series, 3, 5, 'Provtagningsremiss'),
        details: { reason: 'exhausted', series: 'remiss', remaining: 3, requested: 5, contact: 'Labbet 040-1' },
      });
      expect(s.store.ledgerOf('remiss')).toEqual([]);
      expect(s.store.jobs.batches()).toEqual([]);
    });

    it('labels refuse in the same wording, saying how many referrals fit, drawing nothing', async () => {
      const s = await services(short);
      const series = s.config.series[0]!;
      await expect(s.labels.printLabels({ referrals: 5, labelsPerReferral: 2, layout: 'a4-3x8', requestId: 'short-lab-01' })).rejects.toMatchObject({
        code: 'exhausted',
        message: exhaustedMessage(series, 3, 5, 'etiketterna', 'högst 3 remisser'),
        details: { reason: 'exhausted', series: 'remiss', remaining: 3, requested: 5 },
      });
      // the label page's preview shows the very same refusal before the press
      expect(s.labels.preview({ referrals: 5, labelsPerReferral: 2, layout: 'a4-3x8' }).problem).toBe(exhaustedMessage(series, 3, 5, 'etiketterna', 'högst 3 remisser'));
      expect(s.store.ledgerOf('remiss')).toEqual([]);
      expect(s.store.jobs.batches()).toEqual([]);
    });
  });

  it('"does the printer take it" is one rule: the press refuses exactly what the choices and "move" leave out', () => {
    for (const format of [undefined, 'pdf', 'zpl'] as const)
      for (const acceptsPdf of [true, false, null])
        for (const sends of ['pdf', 'zpl'] as const) {
          const takes = takesFormat({ format }, { acceptsPdf }, sends);
          expect(takes).toBe((format ?? 'pdf') === sends && acceptsPdf !== false);
          expect(pdfProblem({ name: 'X', format }, { acceptsPdf }, sends) === undefined).toBe(takes);
          expect(printerCanTake({ role: 'a4', sends }, { roles: ['a4'], format }, { acceptsPdf }).pdf).toBe(takes);
        }
    // a PDF job is not offered a ZPL label printer (which says it takes its own format)
    expect(printerCanTake({ role: 'labels-roll' }, { roles: ['labels-roll'], format: 'zpl' }, { acceptsPdf: true }).pdf).toBe(false);
  });
});
