// Referral labels through the JSON API of an in-process station (folder printers, labels rendered
// in the worker thread): numbers drawn in order and recorded, never twice, refused at the end of the
// block with whom to contact, reprints that keep the number, layout/printer checks, the ledger.
import { describe, it, expect, afterEach } from 'vitest';
import path from 'node:path';
import { createStation, type Station } from '../../src/station.js';
import { formatSerial, parseSerial } from '../../src/domain/serials.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { testConfig } from '../helpers/config.js';
import { decodeBarcodes, pdfText } from '../helpers/pdf-tools.js';

const ORIGIN = 'http://127.0.0.1';
let station: Station | undefined;
afterEach(async () => {
  await station?.stop();
  station = undefined;
});

/** A station with an A4 printer (a4, labels-sheet) and a label printer (labels-roll), both fakes. */
async function start(over: Record<string, unknown> = {}, backends?: { a4?: FakeBackend; roll?: FakeBackend }) {
  const config = testConfig({
    printers: [
      { id: 'a4', name: 'Skrivare A4', uri: 'ipp://a4.invalid/ipp/print', roles: ['a4', 'labels-sheet'] },
      { id: 'etikett', name: 'Etikettskrivaren', uri: 'ipp://etikett.invalid/ipp/print', roles: ['labels-roll'], media: 'om_50x25mm_50x25mm', duplex: false },
    ],
    ...over,
  });
  const a4 = backends?.a4 ?? new FakeBackend();
  const roll = backends?.roll ?? new FakeBackend();
  station = await createStation(config, { log: () => {}, backends: new Map([['a4', a4], ['etikett', roll]]) });
  return { s: station, a4, roll };
}

const post = (s: Station, url: string, body: unknown) =>
  s.app.request(`${ORIGIN}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify(body) });
const get = (s: Station, url: string) => s.app.request(`${ORIGIN}${url}`);

interface PrintReply {
  batchId: string;
  numbers: string[];
  warning?: string;
  duplicate: boolean;
  jobs: Array<{ id: string }>;
}

function spooled(s: Station, batchId: string): string {
  const job = s.store.jobsOf(s.store.getBatch(batchId)!)[0]!;
  return path.join(s.config.dataDir, 'spool', job.spoolFile);
}

describe('label API', () => {
  it('lists the layouts: two A4 grids and three rolls (one tube-wide), with kind and labels per page', async () => {
    const { s } = await start();
    const layouts = (await (await get(s, '/api/labels/layouts')).json()) as Array<{ id: string; kind: string; labelsPerPage: number; printers: string[]; name: string }>;
    expect(layouts.map((l) => [l.id, l.kind, l.labelsPerPage])).toEqual([
      ['a4-3x8', 'sheet', 24],
      ['a4-3x7', 'sheet', 21],
      ['rulle-45x35', 'roll', 1],
      ['rulle-50x25', 'roll', 1],
      ['rulle-62x29', 'roll', 1],
    ]);
    expect(layouts[0]!.printers).toEqual(['a4']);
    expect(layouts[2]!.printers).toEqual(['etikett']);
  });

  it('prints N referrals × K labels: 202 with the numbers, recorded in the ledger before printing, one job on the sheet printer', async () => {
    const { s } = await start();
    const res = await post(s, '/api/labels', { referrals: 4, labelsPerReferral: 3, layout: 'a4-3x8' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as PrintReply;
    const remiss = s.config.series.find((x) => x.id === 'remiss')!;
    expect(body.numbers.map((n) => parseSerial(remiss, n))).toEqual([900000, 900001, 900002, 900003]);
    expect(body.warning).toBeUndefined();
    const ledger = s.store.ledgerOf('remiss');
    expect(ledger.map((e) => [e.number, e.status, e.batchId])).toEqual(body.numbers.map((n) => [n, 'issued', body.batchId]));
    const batch = s.store.getBatch(body.batchId)!;
    expect(batch.kind).toBe('labels');
    expect(batch.serials).toEqual({ remiss: body.numbers });
    const [job] = s.store.jobsOf(batch);
    expect(job).toMatchObject({ printerId: 'a4', media: 'iso_a4_210x297mm', sides: 'one-sided', pages: 1, documentId: 'remissetiketter' });
    // 12 labels in reading order (row by row): each number three times, side by side.
    const text = pdfText(spooled(s, body.batchId), true);
    const found = [...text.matchAll(/RV\d{8}/g)].map((m) => m[0]);
    expect(found).toEqual(body.numbers.flatMap((n) => [n, n, n]));
    expect(text).toContain('Vårdcentral Testå');
  });

  it('a roll layout goes to the label printer with its media, one label per page', async () => {
    const { s } = await start();
    const res = await post(s, '/api/labels', { referrals: 2, labelsPerReferral: 2, layout: 'rulle-50x25' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as PrintReply;
    const [job] = s.store.jobsOf(s.store.getBatch(body.batchId)!);
    expect(job).toMatchObject({ printerId: 'etikett', media: 'om_50x25mm_50x25mm', pages: 4 });
    expect(decodeBarcodes(spooled(s, body.batchId), 203)).toEqual(body.numbers.flatMap((n) => [[n], [n]]));
  });

  it('the same request id prints once, also when both arrive together', async () => {
    const { s } = await start();
    const req = { referrals: 2, labelsPerReferral: 1, layout: 'a4-3x8', requestId: 'etikett-tryck-0001' };
    const [a, b] = await Promise.all([post(s, '/api/labels', req), post(s, '/api/labels', req)]);
    const [ba, bb] = [(await a.json()) as PrintReply, (await b.json()) as PrintReply];
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    expect(ba.batchId).toBe(bb.batchId);
    expect(ba.numbers).toEqual(bb.numbers);
    const again = await post(s, '/api/labels', req);
    expect(again.status).toBe(200);
    expect(((await again.json()) as PrintReply).numbers).toEqual(ba.numbers);
    expect(s.store.ledgerOf('remiss')).toHaveLength(2);
    expect(s.store.jobs.batches()).toHaveLength(1);
  });

  it('20 concurrent label requests get distinct numbers, contiguous per request, all in the ledger', async () => {
    const { s } = await start();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(s, '/api/labels', { referrals: 1 + (i % 4), labelsPerReferral: 2, layout: i % 2 ? 'a4-3x7' : 'a4-3x8' })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(202));
    const bodies = (await Promise.all(replies.map((r) => r.json()))) as PrintReply[];
    const remiss = s.config.series.find((x) => x.id === 'remiss')!;
    const all = bodies.flatMap((b) => b.numbers);
    expect(new Set(all).size).toBe(all.length);
    for (const b of bodies) {
      const seqs = b.numbers.map((n) => parseSerial(remiss, n)!);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    }
    const ledger = s.store.ledgerOf('remiss');
    expect(ledger.map((e) => e.number).sort()).toEqual([...all].sort());
    expect(new Set(ledger.map((e) => e.seq)).size).toBe(ledger.length);
  });

  it('refuses a layout the printer cannot take, or an unknown printer, with 400 and the reason in Swedish', async () => {
    const { s } = await start();
    const cases: Array<[unknown, RegExp]> = [
      [{ referrals: 1, labelsPerReferral: 1, layout: 'rulle-50x25', printer: 'a4' }, /Skrivare A4 är inte inställd för etikettrulle/],
      [{ referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8', printer: 'etikett' }, /Etikettskrivaren är inte inställd för etikettark/],
      [{ referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8', printer: 'finns-inte' }, /ingen skrivare "finns-inte"/],
      [{ referrals: 1, labelsPerReferral: 1, layout: 'a5-1x1' }, /ingen etikettlayout "a5-1x1"/],
      [{ referrals: 1, labelsPerReferral: 3, layout: 'a4-3x8', startPosition: 23 }, /3 etiketter för en remiss får inte plats från position 23/],
      [{ referrals: 0, labelsPerReferral: 1, layout: 'a4-3x8' }, /referrals: minst 1/],
      [{ referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8', printerUri: 'ipp://evil/' }, /Ogiltig förfrågan/],
    ];
    for (const [body, message] of cases) {
      const res = await post(s, '/api/labels', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    }
    expect(s.store.ledgerOf('remiss')).toHaveLength(0);
  });

  it('refuses a roll whose media the label printer does not report (media-supported)', async () => {
    const roll = new FakeBackend();
    const status = roll.getStatus.bind(roll);
    roll.getStatus = async () => ({ ...(await status()), mediaSupported: ['om_62x29mm_62x29mm'] });
    const { s } = await start({}, { roll });
    await s.monitor.refresh('etikett');
    const bad = await post(s, '/api/labels', { referrals: 1, labelsPerReferral: 1, layout: 'rulle-50x25' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/har inte materialet om_50x25mm_50x25mm.*om_62x29mm_62x29mm/);
    const ok = await post(s, '/api/labels', { referrals: 1, labelsPerReferral: 1, layout: 'rulle-62x29' });
    expect(ok.status).toBe(202);
    const layouts = (await (await get(s, '/api/labels/layouts')).json()) as Array<{ id: string; printers: string[] }>;
    expect(layouts.find((l) => l.id === 'rulle-50x25')!.printers).toEqual([]);
  });

  it('warns when under 10 % of the block is left, and at the end refuses with 409 naming whom to contact, drawing nothing', async () => {
    const { s } = await start();
    const remiss = s.config.series.find((x) => x.id === 'remiss')!;
    // The test block has 100 numbers (900000–900099).
    const first = await post(s, '/api/labels', { referrals: 91, labelsPerReferral: 1, layout: 'a4-3x8' });
    expect(first.status).toBe(202);
    const warned = (await first.json()) as PrintReply;
    expect(warned.warning).toMatch(/börjar ta slut: 9 nummer kvar \(9 %\)\. Kontakta regionens IT-support/);
    const series = (await (await get(s, '/api/series')).json()) as Array<{ id: string; remaining: number; low: boolean; exhausted: boolean; warning?: string }>;
    expect(series.find((x) => x.id === 'remiss')).toMatchObject({ remaining: 9, low: true, exhausted: false });

    const tooMany = await post(s, '/api/labels', { referrals: 10, labelsPerReferral: 2, layout: 'a4-3x8' });
    expect(tooMany.status).toBe(409);
    const refusal = (await tooMany.json()) as { error: string; message: string; details: { contact: string; remaining: number } };
    expect(refusal.error).toBe('exhausted');
    expect(refusal.message).toMatch(/Bara 9 nummer kvar.*etiketterna behöver 10\. Ingenting skrevs ut och inga nummer drogs\. Skriv ut högst 9 remisser och kontakta regionens IT-support/);
    expect(refusal.details).toMatchObject({ remaining: 9, contact: 'regionens IT-support' });
    expect(s.store.ledgerOf('remiss')).toHaveLength(91);

    expect((await post(s, '/api/labels', { referrals: 9, labelsPerReferral: 1, layout: 'a4-3x8' })).status).toBe(202);
    const end = await post(s, '/api/labels', { referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8' });
    expect(end.status).toBe(409);
    expect(((await end.json()) as { message: string }).message).toBe(
      `Nummerblocket "Remissnummer" (${formatSerial(remiss, 900000)} – ${formatSerial(remiss, 900099)}) är slut, så etiketterna skrevs inte ut. Kontakta regionens IT-support för ett nytt nummerblock.`,
    );
    expect(s.store.ledgerOf('remiss')).toHaveLength(100);
    const after = (await (await get(s, '/api/series')).json()) as Array<{ id: string; exhausted: boolean; warning?: string }>;
    expect(after.find((x) => x.id === 'remiss')).toMatchObject({ exhausted: true, warning: expect.stringMatching(/är slut/) });
  });

  it('a reprint prints the same number marked KOPIA, records it in the ledger and draws no new number', async () => {
    const { s } = await start();
    const first = (await (await post(s, '/api/labels', { referrals: 2, labelsPerReferral: 3, layout: 'a4-3x8' })).json()) as PrintReply;
    const next = s.store.ledger.recordedNext("remiss");
    const number = first.numbers[1]!;
    const res = await post(s, '/api/labels/reprint', { number, labels: 2, layout: 'rulle-62x29' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as PrintReply;
    expect(body.numbers).toEqual([number]);
    expect(s.store.ledger.recordedNext("remiss")).toBe(next);
    expect(s.store.ledgerOf('remiss')).toHaveLength(2);
    const entry = s.store.ledgerOf('remiss').find((e) => e.number === number)!;
    expect(entry.reprints).toEqual([{ at: expect.any(String), batchId: body.batchId }]);
    expect(s.store.getBatch(body.batchId)!.serials).toEqual({});
    const file = spooled(s, body.batchId);
    expect(decodeBarcodes(file, 300)).toEqual([[number], [number]]);
    expect(pdfText(file).match(/KOPIA/g)).toHaveLength(2);

    const unknown = await post(s, '/api/labels/reprint', { number: 'RV09000990', layout: 'a4-3x8' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/har inte utfärdats/);
  });

  it('a reprint of a voided number is refused: it never printed', async () => {
    const { s } = await start();
    await s.store.allocateSerials(s.config.series[0]!, 1, { batchId: 'b-lost' });
    await s.store.voidOrphanSerials();
    const voided = s.store.ledgerOf('remiss')[0]!.number;
    const res = await post(s, '/api/labels/reprint', { number: voided, layout: 'a4-3x8' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { message: string }).message).toMatch(/makulerat/);
  });

  it('the ledger lists and filters the numbers, and exports them as CSV for Excel (BOM, semicolons)', async () => {
    const { s } = await start();
    const a = (await (await post(s, '/api/labels', { referrals: 3, labelsPerReferral: 1, layout: 'a4-3x8' })).json()) as PrintReply;
    await s.store.allocateSerials(s.config.series[0]!, 1, { batchId: 'b-lost' });
    await s.store.voidOrphanSerials();
    await post(s, '/api/labels/reprint', { number: a.numbers[0], layout: 'a4-3x8' });

    const all = (await (await get(s, '/api/series/remiss/ledger')).json()) as { total: number; entries: Array<{ number: string; status: string; valid: boolean; reprints: unknown[] }> };
    expect(all.total).toBe(4);
    expect(all.entries.map((e) => e.status)).toEqual(['issued', 'issued', 'issued', 'voided']);
    expect(all.entries.every((e) => e.valid)).toBe(true);
    const voided = (await (await get(s, '/api/series/remiss/ledger?status=voided')).json()) as typeof all;
    expect(voided.entries).toHaveLength(1);
    const reprinted = (await (await get(s, '/api/series/remiss/ledger?status=reprinted')).json()) as typeof all;
    expect(reprinted.entries.map((e) => e.number)).toEqual([a.numbers[0]]);
    const byNumber = (await (await get(s, `/api/series/remiss/ledger?q=${a.numbers[2]!.slice(-3)}`)).json()) as typeof all;
    expect(byNumber.entries.map((e) => e.number)).toEqual([a.numbers[2]]);
    const future = (await (await get(s, '/api/series/remiss/ledger?from=2999-01-01')).json()) as typeof all;
    expect(future.entries).toHaveLength(0);
    expect((await get(s, '/api/series/remiss/ledger?from=igår')).status).toBe(400);
    expect((await get(s, '/api/series/finns-inte/ledger')).status).toBe(404);

    const csv = await get(s, '/api/series/remiss/ledger.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="nummerlista-remiss-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split('\r\n');
    expect(lines[0]).toBe('Nummer;Löpnummer;Status;Utfärdat;Utskrift;Antal kopior;Senaste kopia;Registrerat i PMO;E-remiss makulerad');
    expect(lines).toHaveLength(6); // header, 4 rows, and the final line break
    expect(lines[1]).toMatch(new RegExp(`^${a.numbers[0]};900000;utfärdat;\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2};${a.batchId};1;\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2};;$`));
    expect(lines[4]).toMatch(new RegExp(`^${formatSerial(s.config.series[0]!, 900003)};900003;makulerat;[^;]+;b-lost;0;;;$`));
    expect(lines[5]).toBe('');
  });

  it('previews the first page: used positions, the numbers it would get, empty positions', async () => {
    const { s } = await start();
    const p = (await (await get(s, '/api/labels/preview?referrals=2&labelsPerReferral=3&layout=a4-3x7&startPosition=4')).json()) as {
      cells: Array<{ kind: string; number?: string; copy?: number }>;
      pages: number;
      numbers: string[];
      problem?: string;
    };
    expect(p.cells).toHaveLength(21);
    expect(p.cells.slice(0, 3).map((c) => c.kind)).toEqual(['used', 'used', 'used']);
    expect(p.cells.slice(3, 9).map((c) => c.number)).toEqual([p.numbers[0], p.numbers[0], p.numbers[0], p.numbers[1], p.numbers[1], p.numbers[1]]);
    expect(p.cells[9]!.kind).toBe('empty');
    expect(p.pages).toBe(1);
    expect(p.problem).toBeUndefined();
    expect(s.store.ledgerOf('remiss')).toHaveLength(0);
  });

  it('voids the numbers at once when the labels cannot be rendered, and the next request goes on from there', async () => {
    const { s } = await start();
    const svc = s.labelService as unknown as { deps: { renderer: { render: () => Promise<never> } } };
    const real = svc.deps.renderer.render;
    svc.deps.renderer.render = () => Promise.reject(new Error('simulated render failure'));
    const failed = await post(s, '/api/labels', { referrals: 2, labelsPerReferral: 1, layout: 'a4-3x8' });
    expect(failed.status).toBe(500);
    expect(s.store.ledgerOf('remiss').map((e) => e.status)).toEqual(['voided', 'voided']);
    svc.deps.renderer.render = real;
    const ok = (await (await post(s, '/api/labels', { referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8' })).json()) as PrintReply;
    expect(ok.numbers).toEqual([s.store.ledgerOf('remiss')[2]!.number]);
    expect(s.store.ledgerOf('remiss')[2]!.seq).toBe(900002);
  });
});
