// Patient-ID labels through the running station, with Skatteverket's published test personnummer
// (19121212-1212 "Tolvan Tolvansson", 811218-9876) and a reservnummer: the labels print (ZPL to a
// raw-TCP label printer, PDF to a sheet printer whose folder is outside the data folder) and scan to
// the identity, and afterwards the identity is nowhere the station keeps anything: not in any file
// of the data folder (store, audit, spool, printer journals), the server's log output, /metrics, the
// job and batch API or the batch page — in every format (with and without century and dash). An
// invalid number gets a Swedish message and prints nothing; a canceled job's file is wiped and it
// cannot be printed again from the spool.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expectBatchCompleted, startStationProcess, stationConfig, waitFor, type StationProcess } from '../helpers/station-process.js';
import { decodeZpl, startRawPrinter, type RawPrinter } from '../helpers/zpl-tools.js';
import { decodeBarcodes, pdfText } from '../helpers/pdf-tools.js';
import { freePort } from '../helpers/ippeveprinter.js';
import { tempDir } from '../helpers/config.js';

let raw: RawPrinter;
let station: StationProcess;
let sheetFolder: string;

/** Every way the test identities could be written down. */
const forbidden = [
  '191212121212', '19121212-1212', '1212121212', '121212-1212', '121212+1212',
  '198112189876', '19811218-9876', '8112189876', '811218-9876',
  'RES-PROV 4711', 'RES-PROV%204711', 'RES-PROV+4711',
  'Tolvan', 'Tolvansson',
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const f = path.join(dir, n);
    return statSync(f).isDirectory() ? filesUnder(f) : [f];
  });
}

function hits(text: string): string[] {
  return forbidden.filter((f) => text.includes(f));
}

beforeAll(async () => {
  raw = await startRawPrinter({ status: {} });
  sheetFolder = tempDir('reservkit-sheets-');
  const dead = await freePort();
  station = await startStationProcess(
    stationConfig(
      [
        { id: 'a4', name: 'Expeditionen A4', uri: `file://${sheetFolder}`, roles: ['a4', 'labels-sheet'] },
        { id: 'zebra', name: 'Zebra provtagning', uri: raw.uri, format: 'zpl', dpi: 203, roles: ['labels-roll'], timeoutMs: 2000 },
        { id: 'trasig', name: 'Avstängd etikettskrivare', uri: `socket://127.0.0.1:${dead}`, format: 'zpl', dpi: 300, roles: ['labels-roll'], timeoutMs: 1000 },
      ],
      { defaultPrinter: { 'labels-roll': 'zebra' } },
    ),
  );
}, 60_000);
afterAll(async () => {
  await station?.kill();
  await raw?.close();
});

const api = (p: string, init?: RequestInit) => fetch(`${station.url}${p}`, init).catch(() => fetch(`${station.url}${p}`, init));
const post = (p: string, body: unknown) => api(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const printed = (batchId: string) => expectBatchCompleted(api, batchId);

describe('patient-ID labels', () => {
  it('the page says in one sentence that the number is not stored, and posts (never GET)', async () => {
    const html = await (await api('/etiketter/patient')).text();
    expect(html).toContain('sparas inte');
    expect(html).toMatch(/<form method="post" action="\/etiketter\/patient"/);
    expect(html).toContain('data-pid-keypad');
  });

  it('prints K labels of 19121212-1212 beside a referral number on the ZPL printer (from the page)', async () => {
    const before = raw.jobs().length;
    const form = new URLSearchParams({ requestId: 'pid-page-00000001', kind: 'personnummer', identity: '19121212-1212', name: 'Tolvan Tolvansson', labels: '3', referrals: '1', target: 'rulle-50x25@zebra' });
    const res = await api('/etiketter/patient', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: station.url }, body: form, redirect: 'manual' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/batches\/b-/);
    await printed(decodeURIComponent(location.split('/').pop()!));
    const job = raw.jobs().slice(before)[0]!;
    expect(job).toContain('19121212-1212');
    expect(job).toContain('Tolvan Tolvansson');
    const decoded = await decodeZpl(job, { width: 50, height: 25 }, 8);
    expect(decoded[0]!.codes).toEqual(['191212121212']);
    expect(decoded[0]!.quantity).toBe(3);
    expect(decoded[1]!.codes[0]).toMatch(/^RV\d{8}$/);
    expect(decoded[1]!.quantity).toBe(3);
  }, 60_000);

  it('prints 811218-9876 alone as PDF on a sheet printer, and a reservnummer on the roll (API)', async () => {
    const res = await post('/api/labels/patient', { kind: 'personnummer', identity: '811218-9876', labels: 2, layout: 'a4-3x8', printer: 'a4', requestId: 'pid-api-00000001' });
    expect(res.status).toBe(202);
    const r = (await res.json()) as { batchId: string; numbers: string[] };
    expect(r.numbers).toEqual([]);
    await printed(r.batchId);
    const pdfs = readdirSync(sheetFolder).filter((f) => f.endsWith('.pdf'));
    expect(pdfs).toHaveLength(1);
    const file = path.join(sheetFolder, pdfs[0]!);
    // zbarimg reports identical symbols on one page once; the text shows both labels.
    expect(decodeBarcodes(file, 300)[0]).toEqual(['198112189876']);
    expect(pdfText(file).match(/19811218-9876/g)).toHaveLength(2);
    const before = raw.jobs().length;
    const res2 = await post('/api/labels/patient', { kind: 'reservnummer', identity: 'res-prov 4711', labels: 1, layout: 'rulle-50x25', requestId: 'pid-api-00000002' });
    expect(res2.status).toBe(202);
    await printed(((await res2.json()) as { batchId: string }).batchId);
    const [d] = await decodeZpl(raw.jobs().slice(before)[0]!, { width: 50, height: 25 }, 8);
    expect(d!.codes).toEqual(['RES-PROV 4711']);
  }, 60_000);

  it('an invalid number gets a Swedish message and prints nothing', async () => {
    const jobsBefore = ((await (await api('/api/jobs')).json()) as unknown[]).length;
    const rawBefore = raw.jobs().length;
    const res = await post('/api/labels/patient', { kind: 'personnummer', identity: '19121212-1213', labels: 2, layout: 'rulle-50x25', requestId: 'pid-bad-00000001' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string };
    expect(body.message).toMatch(/kontrollsiffran stämmer inte/);
    const form = new URLSearchParams({ requestId: 'pid-bad-00000002', kind: 'personnummer', identity: '20231340-1234', labels: '1', referrals: '0', target: 'rulle-50x25@zebra' });
    const page = await api('/etiketter/patient', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: station.url }, body: form, redirect: 'manual' });
    expect(page.status).toBe(400);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toMatch(/inte giltigt|kontrollsiffran/);
    expect(((await (await api('/api/jobs')).json()) as unknown[]).length).toBe(jobsBefore);
    expect(raw.jobs().length).toBe(rawBefore);
  });

  it('a canceled job is wiped from the spool and cannot be printed again from it', async () => {
    const spool = path.join(station.dataDir, 'spool');
    const res = await post('/api/labels/patient', { kind: 'personnummer', identity: '191212121212', name: 'Tolvan', labels: 1, layout: 'rulle-50x25', printer: 'trasig', requestId: 'pid-dead-00000001' });
    expect(res.status).toBe(202);
    const r = (await res.json()) as { jobs: Array<{ id: string }> };
    const jobId = r.jobs[0]!.id;
    // While the printer does not answer, the file waits in the spool (under a random name) to be retried.
    const file = await waitFor(() => readdirSync(spool).find((f) => f.startsWith('e-') && f.endsWith('.zpl')), 10_000, 'the job in the spool');
    expect(readFileSync(path.join(spool, file), 'utf8')).toContain('191212121212');
    const cancel = await api(`/api/jobs/${jobId}/cancel`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(cancel.status).toBeLessThan(300);
    await waitFor(() => (readdirSync(spool).some((f) => f.startsWith('e-')) ? undefined : true), 10_000, 'the spool file wiped');
    const again = await api(`/api/jobs/${jobId}/retry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(again.status).toBeGreaterThanOrEqual(400);
  }, 40_000);

  it('afterwards no trace of any identity: data folder, logs, /metrics, jobs, batches, pages', async () => {
    // Every patient job has ended and its spool file is gone.
    await waitFor(() => (readdirSync(path.join(station.dataDir, 'spool')).some((f) => f.startsWith('e-')) ? undefined : true), 10_000, 'spool wiped');
    const found: string[] = [];
    for (const f of filesUnder(station.dataDir)) {
      const bytes = readFileSync(f);
      for (const h of hits(bytes.toString('utf8') + bytes.toString('latin1'))) found.push(`${path.relative(station.dataDir, f)}: ${h}`);
    }
    const metrics = await (await api('/metrics')).text();
    for (const h of hits(metrics)) found.push(`/metrics: ${h}`);
    for (const h of hits(station.output())) found.push(`log: ${h}`);
    const jobs = (await (await api('/api/jobs')).json()) as Array<{ batchId: string; title: string }>;
    for (const h of hits(JSON.stringify(jobs))) found.push(`/api/jobs: ${h}`);
    for (const b of new Set(jobs.map((j) => j.batchId))) {
      for (const h of hits(await (await api(`/api/batches/${b}`)).text())) found.push(`/api/batches/${b}: ${h}`);
      for (const h of hits(await (await api(`/batches/${b}`)).text())) found.push(`/batches/${b}: ${h}`);
    }
    expect(found).toEqual([]);
    // The audit says how many, and nothing else.
    const store = filesUnder(station.dataDir).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(store).toContain('patient-ID-etiketter utskrivna: 3');
    expect(metrics.length).toBeGreaterThan(0);
  }, 60_000);
});
