// Accept quickly, render after: a press answers once its numbers are on disk and its blank forms
// are spooled; numbered documents are rendered right after, in order, and a station that stopped
// in between renders them on its next start, with the same numbers.
import { describe, it, expect, afterEach } from 'vitest';
import { createStation, type Station } from '../../src/station.js';
import { Store } from '../../src/store/store.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { planDocuments } from '../../src/domain/kit-plan.js';
import { DocumentJobs, plannableDocuments } from '../../src/services/document-jobs.js';
import { drawNumbers } from '../../src/services/print-path.js';
import { FormCache } from '../../src/render/form-cache.js';
import { projectRoot } from '../../src/station.js';
import { testConfig } from '../helpers/config.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import path from 'node:path';
import { until } from '../helpers/wait.js';

const stations: Station[] = [];
afterEach(async () => {
  for (const s of stations.splice(0)) await s.stop();
});

describe('documents rendered after the answer', () => {
  it('a kit is accepted with its numbered documents "being prepared", and prints in the planned order', async () => {
    const fake = new FakeBackend();
    const s = await createStation(testConfig({ repeatConfirmSeconds: 0 }), { log: () => {}, backends: new Map([['a4', fake]]) });
    stations.push(s);
    const r = await s.printService.printKit('systemuppgradering', { requestId: 'deferred-0001' });
    const held = r.jobs.filter((j) => j.state === 'pending-held');
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((j) => j.reasons.includes('station-rendering') && j.recipe !== undefined)).toBe(true);
    // numbers were drawn before the answer
    expect(Object.values(r.batch.serials).flat().length).toBeGreaterThan(0);
    await until(() => s.store.jobsOf(r.batch).every((j) => j.state === 'completed'), 10_000);
    const jobs = s.store.jobsOf(r.batch);
    // the printer got them in the batch's order (a referral's labels right after it)
    expect(fake.jobs.map((j) => j.name!.split(':')[1]!.split('.')[0])).toEqual(jobs.map((j) => j.id));
    // Every job keeps its recipe: "skriv ut igen" renders from it should its spool file be gone.
    expect(jobs.every((j) => j.recipe !== undefined && j.spoolFile !== '')).toBe(true);
    expect(jobs.map((j) => j.documentId)).toContain('remissetiketter');
  });

  it('the first press after a start sends its first document before the rest of the kit renders', async () => {
    const fake = new FakeBackend();
    const s = await createStation(testConfig({ repeatConfirmSeconds: 0 }), { log: () => {}, backends: new Map([['a4', fake]]) });
    stations.push(s);
    // Nothing rendered yet today: every document of the kit is held and rendered after the answer.
    const stillPrepared = new Map<string, number>();
    let batchJobs: string[] = [];
    s.store.events.on('event', (e) => {
      if (e.type !== 'job' || e.job.printerJobId === undefined || stillPrepared.has(e.job.id) || !batchJobs.includes(e.job.id)) return;
      stillPrepared.set(e.job.id, batchJobs.filter((id) => s.store.getJob(id)!.reasons.includes('station-rendering')).length);
    });
    const r = await s.printService.printKit('systemuppgradering', { requestId: 'deferred-first-0001' });
    batchJobs = r.jobs.map((j) => j.id);
    expect(r.jobs.every((j) => j.state === 'pending-held')).toBe(true);
    await until(() => s.store.jobsOf(r.batch).every((j) => j.state === 'completed'), 10_000);
    // When the printer took the first document, the rest of the kit was still being prepared
    // (before, the first document waited for every render of the kit).
    expect(stillPrepared.get(batchJobs[0]!)).toBe(batchJobs.length - 1);
    expect(fake.jobs.map((j) => j.name!.split(':')[1]!.split('.')[0])).toEqual(batchJobs);
  });

  it('a station that stopped before rendering renders on its next start, with the numbers it drew', async () => {
    const config = testConfig();
    const catalog = loadCatalog(path.join(projectRoot, 'templates'), config);
    const store = await Store.open(config.dataDir);
    const docs = new DocumentJobs({ config, catalog, store, formCache: new FormCache() });
    const plan = planDocuments(config, [{ document: 'kvitto', copies: 1 }], plannableDocuments(catalog));
    // Drawn as the print path draws them (durably, here without a batch yet).
    const draws = docs.numberDraws(plan);
    const drawn = drawNumbers(store, draws.map((d) => d.draw), 'b-before-crash');
    await drawn.written;
    const numbers = new Map(draws.map((d, i) => [d.item, drawn.numbers[i]!]));
    const serials = drawn.serials;
    const at = new Date().toISOString();
    await store.addBatch({ id: 'b-before-crash', kind: 'document', title: 'Kvittoblock', jobIds: ['j-held-1'], serials, createdAt: at }, [
      {
        id: 'j-held-1', batchId: 'b-before-crash', documentId: 'kvitto', title: 'Kvittoblock', copies: 1, printerId: 'a4', state: 'pending-held',
        reasons: ['station-rendering'], message: '', spoolFile: '', pages: 0, sides: 'one-sided', attempts: 0,
        recipe: docs.recipe(plan[0]!, {}, numbers.get(plan[0]!), new Date()), createdAt: at, updatedAt: at,
      },
    ]);
    await store.close();

    const fake = new FakeBackend();
    const s = await createStation(config, { log: () => {}, backends: new Map([['a4', fake]]) });
    stations.push(s);
    await until(() => s.store.getJob('j-held-1')!.state === 'completed', 10_000);
    expect(s.store.getJob('j-held-1')!.pages).toBeGreaterThan(0);
    expect(fake.jobs).toHaveLength(1);
    expect(s.store.ledgerOf('kvitto').map((e) => [e.number, e.status])).toEqual(serials['kvitto']!.map((n) => [n, 'issued']));
  });
});
