// Memory benchmark (issue 10: "memory after 50 mixed rounds stays under 300 MB"): an in-process
// station on a folder printer, N mixed rounds of label prints of several sizes, a kit press and 150
// page/preview requests; resident memory, JS heap, external and ArrayBuffer memory after each round.
//   npm run bench -- memory            (node --expose-gc also prints the figures after a full GC)
import path from 'node:path';
import { parseConfig } from '../src/config.js';
import { createStation, type Station } from '../src/station.js';
import { stationConfig, waitFor } from '../test/helpers/station-process.js';
import { tempDir } from '../test/helpers/config.js';
import { batchState } from '../src/http/views.js';
import type { Report } from './labels.js';

const ORIGIN = 'http://127.0.0.1';
const MB = (b: number) => b / 1024 / 1024;

/** The requests of one mixed round, as staff at a station make them. */
export async function mixedRound(s: Station, round: number): Promise<void> {
  const post = (url: string, body: unknown) =>
    s.app.request(`${ORIGIN}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify(body) });
  const batches: string[] = [];
  const skip = process.env.MEM_SKIP ?? '';
  if (!skip.includes('labels')) for (const [referrals, labelsPerReferral] of [[1, 1], [4, 3], [20, 2], [8, 20]] as const) {
    const res = await post('/api/labels', { referrals, labelsPerReferral, layout: 'a4-3x8', requestId: `mem-${round}-${referrals}-labels` });
    if (res.status !== 202) throw new Error(`labels ${referrals}×${labelsPerReferral}: ${res.status} ${await res.text()}`);
    batches.push(((await res.json()) as { batchId: string }).batchId);
  }
  if (!skip.includes('kit')) {
  const kit = await post('/api/kits/systemuppgradering/print', { requestId: `mem-${round}-kit-press`, confirmRepeat: true });
  if (kit.status !== 202) throw new Error(`kit: ${kit.status} ${await kit.text()}`);
  batches.push(((await kit.json()) as { batchId: string }).batchId);
  }
  const pages: string[] = ['/', '/kits/systemuppgradering', '/etiketter', '/dokument', '/history', '/printers', ...(batches[0] ? [`/batches/${batches[0]}`] : [])];
  if (process.env.MEM_PAGES) pages.splice(0, pages.length, ...process.env.MEM_PAGES.split(',').map((p) => (p === 'B' ? `/batches/${batches.at(-1)}` : p)));
  for (let i = 0; i < 150; i++) {
    if (skip.includes('preview') && i % 3 === 2) continue;
    if (skip.includes('pages') && i % 3 !== 2) continue;
    const url = i % 3 === 2 ? `/api/labels/preview?referrals=${(i % 40) + 1}&labelsPerReferral=${(i % 5) + 1}&layout=a4-3x8` : pages[i % pages.length]!;
    const res = await s.app.request(`${ORIGIN}${url}`);
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    await res.arrayBuffer();
  }
  for (const id of batches) await waitFor(async () => (batchState(s.store.jobsOf(s.store.getBatch(id)!)) === 'printing' ? undefined : true), 120_000, `batch ${id}`);
}

export async function memoryStation(): Promise<Station> {
  const dataDir = tempDir('reservkit-mem-');
  const cfg = stationConfig([{ id: 'a4', name: 'Mappskrivare', uri: `file://${path.join(dataDir, 'ut')}`, roles: ['a4', 'labels-sheet'] }], {
    dataDir,
    series: [
      { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 999999, padding: 7, checkDigit: 'luhn' },
      { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 99999, padding: 5, checkDigit: 'none' },
    ],
  });
  return createStation(parseConfig(cfg), { log: () => {} });
}

export async function benchMemory(report: Report, rounds = Number(process.env.ROUNDS ?? 50)): Promise<void> {
  const s = await memoryStation();
  const gc = (globalThis as { gc?: () => void }).gc;
  try {
    const idle = MB(process.memoryUsage().rss);
    let peak = idle;
    for (let r = 1; r <= rounds; r++) {
      await mixedRound(s, r);
      const m = process.memoryUsage();
      peak = Math.max(peak, MB(m.rss));
      console.log(`   round ${r}: rss ${MB(m.rss).toFixed(0)} MB, heap ${MB(m.heapUsed).toFixed(0)}/${MB(m.heapTotal).toFixed(0)} MB, external ${MB(m.external).toFixed(0)} MB, arrayBuffers ${MB(m.arrayBuffers).toFixed(0)} MB`);
    }
    const end = MB(process.memoryUsage().rss);
    report('resident memory before the mixed rounds (in-process station)', `${idle.toFixed(0)} MB`);
    report(`resident memory after ${rounds} mixed rounds`, `${end.toFixed(0)} MB (peak ${peak.toFixed(0)} MB)`, '< 300 MB', peak < 300);
    if (gc) {
      gc();
      report('… after a full GC', `${MB(process.memoryUsage().rss).toFixed(0)} MB`);
    }
  } finally {
    await s.stop();
  }
}
