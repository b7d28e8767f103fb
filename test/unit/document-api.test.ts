// Printing single documents through the JSON API of an in-process station (fake printers): numbered
// documents draw fresh numbers, recorded before rendering and on the batch, never repeated across
// documents, restarts and concurrent requests; a used-up block is refused with whom to contact and
// nothing printed; a referral comes with its labels; the prescription overprint carries only the
// allowed fields; the avstämningslista lists exactly the ledger's numbers in the range.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStation, type Station } from '../../src/station.js';
import type { StationConfig } from '../../src/config.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { parseSerial } from '../../src/domain/serials.js';
import { planDocuments } from '../../src/domain/kit-plan.js';
import { FormCache } from '../../src/render/form-cache.js';
import { formatStationDate } from '../../src/domain/time.js';
import { DocumentJobs, plannableDocuments } from '../../src/services/document-jobs.js';
import { drawNumbers } from '../../src/services/print-path.js';
import { Store } from '../../src/store/store.js';
import { Spool } from '../../src/printing/spool.js';
import { PrintService } from '../../src/services/print-service.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { testConfig } from '../helpers/config.js';
import { decodeBarcodes, pdfPageTexts, pdfText } from '../helpers/pdf-tools.js';

const ORIGIN = 'http://127.0.0.1';
const root = path.resolve(import.meta.dirname, '../..');
const templatesDir = path.join(root, 'templates');
const stations: Station[] = [];
afterEach(async () => {
  for (const s of stations.splice(0)) await s.stop();
});

const unit = { name: 'Vårdcentral Testå', address: 'Provgatan 1, 211 00 Malmö', phone: '040-00 00 00', workplaceCode: '21100123' };
const prescribers = [{ name: 'Anna Exempelsson', profession: 'Läkare', prescriberCode: '1234567' }];

function config(over: Record<string, unknown> = {}): StationConfig {
  return testConfig({
    unit,
    prescribers,
    repeatConfirmSeconds: 0,
    printers: [{ id: 'a4', name: 'Skrivare A4', uri: 'ipp://a4.invalid/ipp/print', roles: ['a4', 'labels-sheet'] }],
    ...over,
  });
}

async function start(cfg: StationConfig = config()): Promise<Station> {
  const s = await createStation(cfg, { log: () => {}, backends: new Map(cfg.printers.map((p) => [p.id, new FakeBackend()])) });
  stations.push(s);
  return s;
}
async function restart(s: Station): Promise<Station> {
  await s.stop();
  stations.splice(stations.indexOf(s), 1);
  return start(s.config);
}

const post = (s: Station, url: string, body: unknown) =>
  s.app.request(`${ORIGIN}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify(body) });
const get = (s: Station, url: string) => s.app.request(`${ORIGIN}${url}`);

interface Reply {
  batchId: string;
  duplicate: boolean;
  serials: Record<string, string[]>;
  jobs: Array<{ id: string; document: string; title: string; pages: number; printer: string; copies: number }>;
  message?: string;
}
async function print(s: Station, id: string, body: Record<string, unknown>, status = 202): Promise<Reply> {
  const res = await post(s, `/api/documents/${id}/print`, body);
  const json = (await res.json()) as Reply;
  expect(res.status, json.message).toBe(status);
  if (res.ok) {
    // Numbered and dated documents are rendered right after the answer: read the batch once they are.
    await s.printService.renderingDone();
    json.jobs = ((await (await get(s, `/api/batches/${json.batchId}`)).json()) as Reply).jobs;
  }
  return json;
}
const spooled = (s: Station, jobId: string) => path.join(s.config.dataDir, 'spool', s.store.getJob(jobId)!.spoolFile);
const seq = (s: Station, seriesId: string, n: string) => parseSerial(s.config.series.find((x) => x.id === seriesId)!, n);
const today = (s: Station) => formatStationDate(new Date(), s.config.timezone);

describe('GET /api/documents', () => {
  it('lists every document with its kind, what a print needs and what a copy is', async () => {
    const s = await start();
    const docs = (await (await get(s, '/api/documents')).json()) as Array<{ id: string; kind: string; needs: string[]; copyUnit: string; numbered?: { series: string; perCopy: number; remaining: number }; labels?: { perNumber: number }; inKits: boolean }>;
    const by = Object.fromEntries(docs.map((d) => [d.id, d]));
    expect(Object.keys(by).sort()).toEqual([...s.catalog.documents.keys()].sort());
    expect(by['provtagningsremiss']).toMatchObject({ kind: 'form', needs: [], numbered: { series: 'remiss', perCopy: 1, remaining: 100 }, labels: { perNumber: 4 }, inKits: true });
    expect(by['kvitto']).toMatchObject({ kind: 'slips', copyUnit: 'ark', numbered: { series: 'kvitto', perCopy: 2, remaining: 500 } });
    expect(by['mottagningslista']).toMatchObject({ kind: 'form', needs: ['validFor'] });
    expect(by['receptoverskrift']).toMatchObject({ kind: 'overprint', needs: ['prescriber'], copyUnit: 'blanketter', inKits: false });
    expect(by['avstamning']).toMatchObject({ kind: 'ledger', needs: ['range'], inKits: false });
    expect(by['vardkontakt']).toMatchObject({ kind: 'form', needs: [], copyUnit: 'exemplar' });
    expect(by['vardkontakt']!.numbered).toBeUndefined();
    expect((await get(s, '/api/documents/finns-inte')).status).toBe(404);
    expect(await (await get(s, '/api/prescribers')).json()).toEqual(prescribers);
  });
});

describe('numbered documents', () => {
  it('a provtagningsremiss set: each copy a fresh number, recorded before printing and on the batch, with 4 labels per number', async () => {
    const s = await start();
    const r = await print(s, 'provtagningsremiss', { copies: 3, requestId: 'remiss-set-0001' });
    const nums = r.serials['remiss']!;
    expect(nums.map((n) => seq(s, 'remiss', n))).toEqual([900000, 900001, 900002]);
    expect(s.store.getBatch(r.batchId)!.serials).toEqual({ remiss: nums });
    expect(s.store.ledgerOf('remiss').map((e) => [e.number, e.status, e.batchId, e.documentId])).toEqual(nums.map((n) => [n, 'issued', r.batchId, 'provtagningsremiss']));
    // One job for the referrals (a page per number), one for their labels, on the sheet printer.
    expect(r.jobs.map((j) => [j.document, j.pages, j.copies])).toEqual([
      ['provtagningsremiss', 3, 1],
      ['remissetiketter', 1, 1],
    ]);
    const referral = spooled(s, r.jobs[0]!.id);
    expect(pdfPageTexts(referral).map((t) => /RV\d{8}/.exec(t)![0])).toEqual(nums);
    expect(decodeBarcodes(referral, 300)).toEqual(nums.map((n) => [n]));
    const labels = spooled(s, r.jobs[1]!.id);
    expect(r.jobs[1]!.title).toBe(`Remissetiketter till provtagningsremiss ${nums[0]}–${nums[2]} (3 × 4)`);
    const labelText = pdfText(labels);
    for (const n of nums) expect(labelText.split(n).length - 1).toBe(4);
    expect([...new Set(decodeBarcodes(labels, 300).flat())].sort()).toEqual(nums);
    // The same request again prints nothing new.
    const again = await print(s, 'provtagningsremiss', { copies: 3, requestId: 'remiss-set-0001' }, 200);
    expect(again.batchId).toBe(r.batchId);
    expect(s.store.ledgerOf('remiss')).toHaveLength(3);
  });

  it('labels per number and the layout can be chosen for a set', async () => {
    const s = await start();
    const r = await print(s, 'provtagningsremiss', { copies: 2, labelsPerNumber: 2, labelLayout: 'a4-3x7' });
    expect(r.jobs[1]!.title).toMatch(/\(2 × 2\)$/);
    expect((await post(s, '/api/documents/provtagningsremiss/print', { copies: 1, labelLayout: 'finns-inte' })).status).toBe(400);
  });

  it('a referral set takes a start position for its labels on a partly used sheet, like a label print', async () => {
    const s = await start();
    const r = await print(s, 'provtagningsremiss', { copies: 2, labelsPerNumber: 3, labelLayout: 'a4-3x8', startPosition: 5 });
    const numbers = r.serials['remiss']!;
    const labels = spooled(s, r.jobs[1]!.id);
    expect(decodeBarcodes(labels, 300).map((p) => [...p].sort())).toEqual([[...numbers].sort()]);
    // Where each number is printed: labels 5–10 of the 3 × 8 grid (63.5 × 33.9 mm, 7.25 / 12.9 mm
    // margins, 2.5 mm between columns); positions 1–4 stay blank.
    const bbox = execFileSync('pdftotext', ['-bbox', labels, '-'], { encoding: 'utf8' });
    const words = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)<\/word>/g)].map((m) => ({ x: Number(m[1]) * (25.4 / 72), y: Number(m[2]) * (25.4 / 72), w: m[3]! }));
    const cells = words.filter((w) => numbers.includes(w.w)).map((w) => {
      const col = Math.floor((w.x - 7.25) / 66);
      const row = Math.floor((w.y - 12.9) / 33.9);
      return { number: w.w, position: row * 3 + col + 1 };
    });
    expect(cells.sort((a, b) => a.position - b.position)).toEqual([5, 6, 7, 8, 9, 10].map((position, i) => ({ number: numbers[Math.floor(i / 3)], position })));
    // The same rule as a label print: 3 labels of one referral must fit from the start position;
    // a roll has none; a form without labels takes none. Nothing is drawn when refused.
    const before = s.store.ledgerOf('remiss').length;
    for (const [id, body, reason] of [
      ['provtagningsremiss', { labelsPerNumber: 3, labelLayout: 'a4-3x8', startPosition: 23 }, /3 etiketter för en remiss får inte plats från position 23/],
      ['provtagningsremiss', { labelLayout: 'a4-3x8', startPosition: 25 }, /Startpositionen måste vara mellan 1 och 24/],
      ['provtagningsremiss', { labelLayout: 'rulle-50x25', startPosition: 2 }, /En etikettrulle har ingen startposition/],
      ['kvitto', { startPosition: 2 }, /etiketter skrivs bara ut med numrerade remisser/],
    ] as const) {
      const res = await post(s, `/api/documents/${id}/print`, { copies: 1, ...body });
      const json = (await res.json()) as { message: string };
      expect(res.status, json.message).toBe(400);
      expect(json.message).toMatch(reason);
    }
    expect(s.store.ledgerOf('remiss')).toHaveLength(before);
  });

  it('kvittoblock: a sheet takes two numbers from its own series', async () => {
    const s = await start();
    const r = await print(s, 'kvitto', { copies: 2 });
    expect(r.serials).toEqual({ kvitto: ['KV00001', 'KV00002', 'KV00003', 'KV00004'] });
    expect(r.jobs).toEqual([expect.objectContaining({ document: 'kvitto', pages: 2, copies: 1 })]);
    expect(s.store.ledgerOf('remiss')).toHaveLength(0);
  });

  it('numbers never repeat across documents, labels and kits, nor across a restart', async () => {
    let s = await start();
    const a = await print(s, 'provtagningsremiss', { copies: 2 });
    const labels = (await (await post(s, '/api/labels', { referrals: 3, labelsPerReferral: 2, layout: 'a4-3x8' })).json()) as { numbers: string[] };
    const kit = (await (await post(s, '/api/kits/systemuppgradering/print', {})).json()) as { batchId: string };
    const kitSerials = s.store.getBatch(kit.batchId)!.serials;
    expect(Object.keys(kitSerials).sort()).toEqual(['kvitto', 'remiss']);
    s = await restart(s);
    const b = await print(s, 'provtagningsremiss', { copies: 2 });
    const c = await print(s, 'kvitto', { copies: 1 });
    const remiss = [...a.serials['remiss']!, ...labels.numbers, ...kitSerials['remiss']!, ...b.serials['remiss']!];
    expect(new Set(remiss).size).toBe(remiss.length);
    expect(remiss.map((n) => seq(s, 'remiss', n))).toEqual(remiss.map((_, i) => 900000 + i));
    const kvitto = [...kitSerials['kvitto']!, ...c.serials['kvitto']!];
    expect(kvitto.map((n) => seq(s, 'kvitto', n))).toEqual(kvitto.map((_, i) => 1 + i));
    expect(s.store.ledgerOf('remiss').map((e) => e.number)).toEqual(remiss);
  });

  it('20 concurrent prints of numbered documents get distinct numbers, contiguous per print', async () => {
    const s = await start();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? print(s, 'provtagningsremiss', { copies: 3 }) : print(s, 'kvitto', { copies: 1 }))),
    );
    // 10 referral prints × 3 copies; 10 receipt prints × one sheet of 2 numbers.
    for (const [seriesId, total] of [['remiss', 30], ['kvitto', 20]] as const) {
      const all = replies.flatMap((r) => r.serials[seriesId] ?? []);
      expect(new Set(all).size).toBe(all.length);
      expect(all).toHaveLength(total);
      for (const r of replies) {
        const seqs = (r.serials[seriesId] ?? []).map((n) => seq(s, seriesId, n)!);
        expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
      }
      expect(s.store.ledgerOf(seriesId)).toHaveLength(total);
    }
  });

  it('a used-up block is refused with whom to contact, and nothing is printed or drawn', async () => {
    const cfg = config({
      series: [
        { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 1, last: 4, padding: 7, checkDigit: 'luhn', contact: 'Laboratoriet, 040-99 99 99' },
        { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 5, padding: 5, checkDigit: 'none' },
      ],
    });
    const s = await start(cfg);
    await print(s, 'provtagningsremiss', { copies: 3 });
    const batches = s.store.recentBatches(100).length;
    const res = await post(s, '/api/documents/provtagningsremiss/print', { copies: 2 });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: string; message: string; details: { remaining: number; contact: string } };
    expect(body.error).toBe('exhausted');
    expect(body.message).toBe('Bara 1 nummer kvar i blocket "Remissnummer", men Provtagningsremiss behöver 2. Ingenting skrevs ut och inga nummer drogs. Skriv ut färre och kontakta Laboratoriet, 040-99 99 99 för ett nytt nummerblock.');
    expect(body.details).toMatchObject({ remaining: 1, contact: 'Laboratoriet, 040-99 99 99' });
    expect(s.store.recentBatches(100)).toHaveLength(batches);
    expect(s.store.ledgerOf('remiss')).toHaveLength(3);
    // The last number still prints, then the block is used up.
    await print(s, 'provtagningsremiss', { copies: 1 });
    const last = await post(s, '/api/documents/provtagningsremiss/print', { copies: 1 });
    expect(((await last.json()) as { message: string }).message).toMatch(/^Nummerblocket "Remissnummer" \(RV00000018 – RV00000042\) är slut, så Provtagningsremiss skrevs inte ut\. Kontakta Laboratoriet/);
    // A kit is not refused for a used-up block: it prints everything else, and says which
    // numbered document did not print and whom to call (issue 12; see number-cover.test.ts).
    const remissBefore = s.store.ledgerOf('remiss').length;
    const kit = await post(s, '/api/kits/systemuppgradering/print', {});
    expect(kit.status).toBe(202);
    const batchId = ((await kit.json()) as { batchId?: string; batch?: { id: string } });
    const batch = s.store.recentBatches(1)[0]!;
    expect(batchId.batchId ?? batchId.batch?.id).toBe(batch.id);
    expect(batch.notPrinted).toEqual([expect.objectContaining({ documentId: 'provtagningsremiss', printed: 0 })]);
    expect(s.store.ledgerOf('remiss')).toHaveLength(remissBefore);
  });

  it('when a referral set’s labels cannot be rendered, the referrals still print and their numbers stay issued', async () => {
    const cfg = config();
    const catalog = loadCatalog(templatesDir, cfg);
    const store = await Store.open(cfg.dataDir);
    try {
      const failing = { render: () => Promise.reject(new Error('simulated label failure')), close: async () => {} };
      const spool = new Spool(path.join(cfg.dataDir, 'spool'));
      const service = new PrintService({ config: cfg, catalog, store, spool, formCache: new FormCache(), labelRenderer: failing, kick: () => {} });
      // 61 referrals × 4 labels: more than a set renders in-process, so the labels go to the worker, which fails.
      const r = await service.printDocument('provtagningsremiss', 61, { requestId: 'fail-render-01' });
      expect(r.jobs.map((j) => [j.documentId, j.state])).toEqual([
        ['provtagningsremiss', 'pending-held'],
        ['remissetiketter', 'pending-held'],
      ]);
      await service.renderingDone();
      const [form, labels] = r.jobs.map((j) => store.getJob(j.id)!);
      expect(form!.state).toBe('pending');
      expect(labels!.state).toBe('aborted');
      expect(labels!.message).toMatch(/kunde inte skapas: simulated label failure/);
      // the numbers are on referrals that print: issued, and their labels can be reprinted from the ledger
      expect(store.ledgerOf('remiss').every((e) => e.status === 'issued')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('numbers drawn for a document that then cannot be rendered are voided and never handed out again; its labels are not printed', async () => {
    const cfg = config();
    const catalog = loadCatalog(templatesDir, cfg);
    const store = await Store.open(cfg.dataDir);
    // A station stopped after drawing three referral numbers, before rendering; meanwhile the
    // referral's template went missing (say, a bad update): the restart cannot render it.
    const docs = new DocumentJobs({ config: cfg, catalog, store, formCache: new FormCache() });
    const plan = planDocuments(cfg, [{ document: 'provtagningsremiss', copies: 3 }], plannableDocuments(catalog));
    // Drawn as the print path draws them (durably, here without a batch yet).
    const draws = docs.numberDraws(plan);
    const drawn = drawNumbers(store, draws.map((d) => d.draw), 'b-lost-template');
    await drawn.written;
    const numbers = new Map(draws.map((d, i) => [d.item, drawn.numbers[i]!]));
    const serials = drawn.serials;
    const at = new Date().toISOString();
    const jobs = docs.parts(plan[0]!, {}, numbers.get(plan[0]!)).map((p, i) => {
      const recipe = docs.recipe(plan[0]!, {}, numbers.get(plan[0]!), new Date(), p.part);
      if (p.part === 'form') recipe.item.documentId = 'finns-inte';
      return {
        id: `j-part-${i}`, batchId: 'b-lost-template', documentId: p.documentId, title: p.title, copies: 1, printerId: p.printerId,
        state: 'pending-held' as const, reasons: ['station-rendering'], message: '', spoolFile: '', pages: 0, sides: 'one-sided' as const,
        attempts: 0, recipe, createdAt: at, updatedAt: at,
      };
    });
    await store.addBatch({ id: 'b-lost-template', kind: 'document', title: 'Provtagningsremiss', jobIds: jobs.map((j) => j.id), serials, createdAt: at }, jobs);
    await store.close();

    const s = await createStation(cfg, { log: () => {}, backends: new Map(cfg.printers.map((p) => [p.id, new FakeBackend()])) });
    stations.push(s);
    await s.printService.renderingDone();
    expect(s.store.getJob('j-part-0')!).toMatchObject({ state: 'aborted' });
    expect(s.store.getJob('j-part-0')!.message).toMatch(/finns inte längre/);
    expect(s.store.getJob('j-part-1')!).toMatchObject({ state: 'aborted' });
    expect(s.store.getJob('j-part-1')!.message).toMatch(/etiketter skrivs inte ut/);
    expect(s.store.ledgerOf('remiss').map((e) => e.status)).toEqual(['voided', 'voided', 'voided']);
    const next = await s.store.allocateSerials(cfg.series[0]!, 1, { batchId: 'b-next' });
    expect(next[0]!.seq).toBe(900003);
  });
});

describe('documents that ask for something', () => {
  it('a Mottagningslista for a chosen date', async () => {
    const s = await start();
    const r = await print(s, 'mottagningslista', { copies: 2, validFor: '2026-12-24' });
    expect(r.jobs[0]).toMatchObject({ copies: 2, pages: 1 });
    const text = pdfText(spooled(s, r.jobs[0]!.id));
    expect(text).toContain('Mottagningslista 2026-12-24');
    expect(text).toContain('2027-01-07'); // makuleras efter
  });

  it('the prescription overprint for a prescriber from the list, on A5 blanks: only the allowed fields', async () => {
    const s = await start();
    const r = await print(s, 'receptoverskrift', { copies: 5, prescriberCode: '1234567' });
    expect(r.serials).toEqual({});
    const job = s.store.getJob(r.jobs[0]!.id)!;
    expect(job).toMatchObject({ copies: 5, pages: 1, media: 'iso_a5_148x210mm', sides: 'one-sided', title: 'Receptblankett – förtryck av förskrivaruppgifter (Anna Exempelsson)' });
    const words = pdfText(spooled(s, job.id)).split(/\s+/).filter(Boolean).sort();
    expect(words).toEqual(['Anna', 'Exempelsson', 'Läkare', '1234567', 'Vårdcentral', 'Testå', 'Provgatan', '1,', '211', '00', 'Malmö', '040-00', '00', '00', '21100123'].sort());
    expect(decodeBarcodes(spooled(s, job.id), 300)[0]!.sort()).toEqual(['1234567', '21100123']);
  });

  it('the overprint for a prescriber entered at the station, and the calibration page without one', async () => {
    const s = await start();
    const r = await print(s, 'receptoverskrift', { copies: 1, prescriber: { name: 'Åsa Öberg-Lind', profession: 'Sjuksköterska', prescriberCode: '7654321' } });
    expect(pdfText(spooled(s, r.jobs[0]!.id))).toContain('Åsa Öberg-Lind');
    const cal = await print(s, 'receptoverskrift', { copies: 1, calibration: true });
    expect(cal.jobs[0]!.title).toBe('Receptblankett – förtryck av förskrivaruppgifter – kalibreringssida');
    expect(pdfText(spooled(s, cal.jobs[0]!.id))).toContain('KALIBRERINGSSIDA – INTE ETT RECEPT');
  });

  it('refuses the overprint when the unit has no arbetsplatskod (409, says where to set it)', async () => {
    const s = await start(config({ unit: { ...unit, workplaceCode: '' } }));
    const res = await post(s, '/api/documents/receptoverskrift/print', { copies: 1, prescriberCode: '1234567' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { message: string }).message).toBe('Arbetsplatskod saknas (unit.workplaceCode i stationens konfiguration) – den behövs på receptblanketten.');
  });

  it.each([
    ['copies 0', 'vardkontakt', { copies: 0 }, /copies: minst 1/],
    ['too many copies', 'vardkontakt', { copies: 201 }, /copies: högst 200/],
    ['an unknown field', 'vardkontakt', { copies: 1, printer: 'ipp://evil' }, /Unrecognized key/],
    ['a date that does not exist', 'mottagningslista', { validFor: '2026-02-30' }, /validFor: ett datum ÅÅÅÅ-MM-DD/],
    ['a date on a prescription overprint', 'receptoverskrift', { validFor: '2026-11-26', prescriberCode: '1234567' }, /datum anges bara för listor/],
    ['a prescriber on a form', 'vardkontakt', { prescriberCode: '1234567' }, /förskrivare och kalibrering gäller bara receptöverskriften/],
    ['an overprint without a prescriber', 'receptoverskrift', {}, /^Välj förskrivare/],
    ['a prescriber code not in the list', 'receptoverskrift', { prescriberCode: '7777777' }, /ingen förskrivare med förskrivarkod 7777777/],
    ['a förskrivarkod of 6 digits', 'receptoverskrift', { prescriber: { name: 'A B', profession: 'Läkare', prescriberCode: '123456' } }, /förskrivarkoden är 7 siffror/],
    ['a name with markup', 'receptoverskrift', { prescriber: { name: '<b>A</b>', profession: 'Läkare', prescriberCode: '1234567' } }, /prescriber\.name: endast bokstäver/],
    ['a list without a series', 'avstamning', { from: '2026-11-01', to: '2026-11-30' }, /Välj vilken nummerserie/],
    ['a list whose range ends before it starts', 'avstamning', { series: 'remiss', from: '2026-11-30', to: '2026-11-01' }, /Perioden börjar \(2026-11-30\) efter att den slutar/],
    ['labels on a document without them', 'kvitto', { labelsPerNumber: 3 }, /etiketter skrivs bara ut med numrerade remisser/],
  ])('400 for %s, with the reason', async (_what, id, body, reason) => {
    const s = await start();
    const res = await post(s, `/api/documents/${id}/print`, body);
    const json = (await res.json()) as { message: string };
    expect(res.status, json.message).toBe(400);
    expect(json.message).toMatch(reason);
    expect(s.store.recentBatches(10)).toHaveLength(0);
    expect(s.config.series.flatMap((x) => s.store.ledgerOf(x.id))).toHaveLength(0);
  });

  it('404 for an unknown document or series', async () => {
    const s = await start();
    expect((await post(s, '/api/documents/recept/print', { copies: 1 })).status).toBe(404);
    expect((await post(s, '/api/documents/avstamning/print', { series: 'lab', from: '2026-11-01', to: '2026-11-30' })).status).toBe(404);
    expect((await post(s, '/api/series/lab/reconciliation/print', { from: '2026-11-01', to: '2026-11-30' })).status).toBe(404);
  });
});

describe('the avstämningslista', () => {
  it('lists exactly the ledger’s numbers issued in the range, voided ones included, and nothing else', async () => {
    const s = await start();
    await print(s, 'provtagningsremiss', { copies: 2 });
    await post(s, '/api/labels', { referrals: 2, labelsPerReferral: 1, layout: 'a4-3x8' });
    await print(s, 'kvitto', { copies: 1 });
    // A number voided by an interrupted print is listed too: it must be accounted for.
    await s.store.allocateSerials(s.config.series[0]!, 1, { batchId: 'b-crashed' });
    await s.store.voidOrphanSerials();
    const day = today(s);
    const preview = (await (await get(s, `/api/series/remiss/reconciliation?from=${day}&to=${day}`)).json()) as { entries: Array<{ number: string; status: string; document: string }> };
    const ledger = s.store.ledgerOf('remiss');
    expect(preview.entries.map((e) => e.number)).toEqual(ledger.map((e) => e.number));
    expect(preview.entries.map((e) => e.document)).toEqual(['Provtagningsremiss', 'Provtagningsremiss', 'Remissetiketter', 'Remissetiketter', '–']);

    const res = await post(s, '/api/series/remiss/reconciliation/print', { from: day, to: day, requestId: 'avstamning-0001' });
    expect(res.status).toBe(202);
    const r = (await res.json()) as Reply;
    await s.printService.renderingDone();
    const text = pdfText(spooled(s, r.jobs[0]!.id), true);
    const listed = text.split('\n').filter((l) => /^\s*RV\d{8}\s+\d{4}-/.test(l)).map((l) => /RV\d{8}/.exec(l)![0]);
    expect(listed).toEqual(ledger.map((e) => e.number));
    expect(text).toContain('Makulerat');
    expect(text).toContain(`${ledger.length} (${ledger.length - 1} utfärdade, 1 makulerade)`);
    expect(text).not.toMatch(/KV\d{5}/); // another series' numbers are not on it

    // Another day has none of them.
    const empty = await print(s, 'avstamning', { series: 'remiss', from: '2020-01-01', to: '2020-01-31' });
    expect(pdfText(spooled(s, empty.jobs[0]!.id))).toContain('Inga nummer utfärdades ur serien under perioden.');
  });
});

