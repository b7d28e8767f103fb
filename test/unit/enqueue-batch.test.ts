// The decisions every kind of print shares (src/services/enqueue-batch.ts): once per request id,
// which printer takes a referral's labels, "does the printer take PDF", the block-exhausted wording,
// and the batch written before the queues wake.
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { PlanError } from '../../src/domain/kit-plan.js';
import { formatSerial } from '../../src/domain/serials.js';
import { enqueueBatch, exhaustedMessage, labelPrinterFor, pdfProblem, RequestOnce } from '../../src/services/enqueue-batch.js';
import type { Batch, Job } from '../../src/domain/job.js';
import { testConfig } from '../helpers/config.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('RequestOnce', () => {
  const reused = () => new Error('reused');
  it('two calls with the same id at once make one result; the second is a duplicate', async () => {
    const once = new RequestOnce<{ n: number }>();
    let made = 0;
    const make = async () => {
      made++;
      await new Promise((r) => setTimeout(r, 20));
      return { n: made };
    };
    const [a, b] = await Promise.all([once.run('r1', 'kit', () => undefined, make, reused), once.run('r1', 'kit', () => undefined, make, reused)]);
    expect(made).toBe(1);
    expect(a).toEqual({ n: 1, duplicate: false });
    expect(b).toEqual({ n: 1, duplicate: true });
  });

  it('an id already stored answers from the store; no id always makes', async () => {
    const once = new RequestOnce<{ n: number }>();
    expect(await once.run('stored', 'kit', () => ({ n: 7 }), async () => ({ n: 0 }), reused)).toEqual({ n: 7, duplicate: true });
    expect(await once.run(undefined, 'kit', () => ({ n: 7 }), async () => ({ n: 1 }), reused)).toEqual({ n: 1, duplicate: false });
  });

  it('an id in flight for another kind of print is refused; the first still makes its one result', async () => {
    const once = new RequestOnce<{ n: number }>();
    let made = 0;
    const make = async () => {
      made++;
      await new Promise((r) => setTimeout(r, 20));
      return { n: made };
    };
    const [a, b] = await Promise.allSettled([once.run('r2', 'labels', () => undefined, make, reused), once.run('r2', 'kit', () => undefined, make, reused)]);
    expect(made).toBe(1);
    expect(a).toEqual({ status: 'fulfilled', value: { n: 1, duplicate: false } });
    expect(b).toMatchObject({ status: 'rejected', reason: { message: 'reused' } });
  });

  it('a failure is not kept: the same id may try again', async () => {
    const once = new RequestOnce<{ n: number }>();
    await expect(once.run('f', 'kit', () => undefined, async () => Promise.reject(new Error('no')), reused)).rejects.toThrow('no');
    expect(await once.run('f', 'kit', () => undefined, async () => ({ n: 2 }), reused)).toEqual({ n: 2, duplicate: false });
  });
});

describe('labelPrinterFor', () => {
  const base = testConfig();
  const catalog = loadCatalog(path.join(root, 'templates'), base);
  const sheet = catalog.labels.get('a4-3x8')!;
  const roll = catalog.labels.get('rulle-50x25')!;

  it("the printer with the layout's role", () => {
    const config = testConfig({
      printers: [
        { id: 'a4', name: 'A4', uri: 'file:///tmp/a', roles: ['a4'] },
        { id: 'ark', name: 'Etikettark', uri: 'file:///tmp/b', roles: ['labels-sheet'] },
        { id: 'rulle', name: 'Rulle', uri: 'file:///tmp/c', roles: ['labels-roll'], media: 'om_50x25mm_50x25mm' },
      ],
    });
    expect(labelPrinterFor(config, sheet, 'a4').id).toBe('ark');
    expect(labelPrinterFor(config, roll, 'a4').id).toBe('rulle');
  });

  it('with no label printer: a sheet goes with its referral, a roll is refused', () => {
    const config = testConfig({ printers: [{ id: 'a4', name: 'A4', uri: 'file:///tmp/a', roles: ['a4'] }] });
    expect(labelPrinterFor(config, sheet, 'a4').id).toBe('a4');
    expect(() => labelPrinterFor(config, sheet)).toThrow(PlanError);
    expect(() => labelPrinterFor(config, roll, 'a4')).toThrow(/Ingen skrivare tar etiketterna/);
  });
});

describe('the shared wording', () => {
  const s = testConfig().series[0]!;
  it('block used up, and too few left', () => {
    expect(exhaustedMessage(s, 0, 3, 'Provtagningsremiss')).toBe(
      `Nummerblocket "Remissnummer" (${formatSerial(s, s.first)} – ${formatSerial(s, s.last)}) är slut, så Provtagningsremiss skrevs inte ut. Kontakta regionens IT-support för ett nytt nummerblock.`,
    );
    expect(exhaustedMessage(s, 2, 3, 'etiketterna', 'högst 2 remisser')).toBe(
      'Bara 2 nummer kvar i blocket "Remissnummer", men etiketterna behöver 3. Ingenting skrevs ut och inga nummer drogs. Skriv ut högst 2 remisser och kontakta regionens IT-support för ett nytt nummerblock.',
    );
  });

  it('a printer that said it takes no PDF; one not asked yet passes', () => {
    expect(pdfProblem({ name: 'Etikettskrivaren' }, { acceptsPdf: false })).toBe('Etikettskrivaren tar inte emot PDF – den behöver en CUPS-kö framför sig (se README, "Skrivare").');
    expect(pdfProblem({ name: 'X' }, { acceptsPdf: null })).toBeUndefined();
    expect(pdfProblem({ name: 'X' }, undefined)).toBeUndefined();
  });
});

describe('enqueueBatch', () => {
  it('wakes each printer once, after the batch and the other write are on disk', async () => {
    const order: string[] = [];
    const store = { addBatch: async () => void order.push('batch written') };
    const jobs = [{ printerId: 'a4' }, { printerId: 'a4' }, { printerId: 'etikett' }, { printerId: 'a4', sentToPrinterId: 'reserv' }] as Job[];
    const numbers = new Promise((r) => setTimeout(r, 10)).then(() => order.push('numbers written'));
    await enqueueBatch({ store, kick: (id) => order.push(`kick ${id}`) }, {} as Batch, jobs, 'AB', numbers);
    expect(order).toEqual(['batch written', 'numbers written', 'kick a4', 'kick etikett', 'kick reserv']);
  });
});
