// A kit pressed through the running station comes out of a real IPP printer (ippeveprinter):
// every document once, with the right page count and the Swedish text intact.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPrinter, stopAll, type TestPrinter } from '../helpers/ippeveprinter.js';
import { startStationProcess, stationConfig, waitFor, type StationProcess } from '../helpers/station-process.js';
import { pdfPages, pdfText } from '../helpers/pdf-tools.js';

let printer: TestPrinter;
let station: StationProcess;

beforeAll(async () => {
  printer = await startPrinter({ twoSided: true });
  station = await startStationProcess(stationConfig([{ id: 'a4', name: 'Expeditionen A4', uri: printer.uri, roles: ['a4', 'labels-sheet'] }]));
});
afterAll(async () => {
  await station?.kill();
  await stopAll();
});

const api = (path: string, init?: RequestInit) => fetch(`${station.url}${path}`, init);
const post = (path: string, body?: unknown) =>
  api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('printing the outage kit end to end', () => {
  it('lists the four scenarios', async () => {
    const kits = (await (await api('/api/kits')).json()) as Array<{ id: string; name: string }>;
    expect(kits.map((k) => k.name)).toEqual(['Systemuppgradering', 'Planerad nedsläckning', 'Oplanerad driftstörning', 'IT-attack']);
  });

  it('prints every document of the upgrade kit once, and the printer receives readable Swedish PDFs', async () => {
    const kits = (await (await api('/api/kits')).json()) as Array<{ id: string; name: string; documents: Array<{ id: string; name: string }> }>;
    const kit = kits.find((k) => k.name === 'Systemuppgradering')!;
    const before = (await printer.received()).length;
    const res = await post(`/api/kits/${kit.id}/print`, { requestId: 'it-upgrade-0001' });
    expect(res.status).toBe(202);
    const { batchId, jobs } = (await res.json()) as { batchId: string; jobs: Array<{ title: string; pages: number; document: string }> };
    // every document of the kit, in the kit's order (a referral set adds its label sheet as a job of its own)
    const forms = jobs.filter((j) => j.document !== 'remissetiketter');
    expect(forms.map((j) => j.title)).toEqual(kit.documents.map((d) => d.name));

    const batch = await waitFor(async () => {
      const b = (await (await api(`/api/batches/${batchId}`)).json()) as {
        state: string;
        jobs: Array<{ state: string; title: string; pages: number; printer: string; document: string }>;
      };
      return b.state === 'printing' ? undefined : b;
    }, 60_000, 'batch done');
    expect(batch.state).toBe('completed');
    expect(batch.jobs.every((j) => j.state === 'completed' && j.printer === 'a4')).toBe(true);

    const files = (await printer.received()).slice(before);
    // the answer already lists every job (a referral's labels included), some still being prepared
    expect(files).toHaveLength(batch.jobs.length);
    expect(batch.jobs.length).toBe(jobs.length);
    for (const [i, file] of files.entries()) {
      const text = pdfText(file);
      expect(pdfPages(file)).toBe(batch.jobs[i]!.pages);
      expect(text).toContain('Vårdcentral Exempel');
      if (batch.jobs[i]!.document === 'remissetiketter') continue; // labels carry unit and number only
      expect(text).toContain(batch.jobs[i]!.title);
      expect(text).toContain('version 1.0'); // routine version on every sheet
    }
    const all = files.map((f) => pdfText(f)).join('\n');
    expect(all).toContain('Formulär för vårdkontakt');
    expect(all).toMatch(/Systemuppgradering/);
    expect(all).toContain('PMO-supporten');
    expect(all).toContain('040-123 40 00');
    expect(all).toMatch(/[åäö]/);
    const vk = batch.jobs.findIndex((j) => j.title === 'Formulär för vårdkontakt');
    expect(pdfPages(files[vk]!)).toBe(2);
  });

  it('prints one kit, not two, when the same request comes twice', async () => {
    const before = (await printer.received()).length;
    const [a, b] = await Promise.all([
      post('/api/kits/it-attack/print', { requestId: 'it-double-tap-01' }),
      post('/api/kits/it-attack/print', { requestId: 'it-double-tap-01' }),
    ]);
    const ra = (await a.json()) as { batchId: string; jobs: unknown[] };
    const rb = (await b.json()) as { batchId: string };
    expect(ra.batchId).toBe(rb.batchId);
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    const done = await waitFor(async () => {
      const bt = (await (await api(`/api/batches/${ra.batchId}`)).json()) as { state: string; jobs: unknown[] };
      return bt.state === 'printing' ? undefined : bt;
    }, 60_000);
    expect(done.jobs.length).toBe(ra.jobs.length);
    expect((await printer.received()).length - before).toBe(done.jobs.length);
  });

  it('reports the printer in /api/printers and /healthz', async () => {
    const printers = (await (await api('/api/printers')).json()) as Array<{ id: string; reachable: boolean; acceptsPdf: boolean; state: string }>;
    expect(printers).toEqual([expect.objectContaining({ id: 'a4', reachable: true, acceptsPdf: true })]);
    const h = await api('/healthz');
    expect(h.status).toBe(200);
    const m = await (await api('/metrics')).text();
    // the unit's name is on reservkit_build_info only (see src/monitoring/metrics.ts)
    expect(m).toMatch(/reservkit_build_info\{[^}]*unit="Vårdcentral Exempel"[^}]*\} 1/);
    expect(m).toContain('reservkit_printer_reachable{printer="a4"} 1');
    expect(m).toContain('reservkit_printer_accepts_pdf{printer="a4"} 1');
    expect(m).toMatch(/reservkit_jobs\{state="completed"\} [1-9]\d*/);
    expect(m).toContain('reservkit_series_remaining{series="remiss"}');
  });

  it('answers unknown ids with 404 and bad bodies with 400 and the reason', async () => {
    expect((await post('/api/kits/finns-inte/print')).status).toBe(404);
    expect((await api('/api/batches/b-nope')).status).toBe(404);
    const bad = await post('/api/kits/it-attack/print', { requestId: 'x' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/requestId/);
    const extra = await post('/api/kits/it-attack/print', { requestId: 'abcdefgh-1', printer: 'ipp://evil' });
    expect(extra.status).toBe(400);
    const notJson = await api('/api/kits/it-attack/print', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('refuses a cross-site post', async () => {
    const r = await api('/api/kits/it-attack/print', { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(403);
  });
});
