// One "mixed round" of station use, as issue 10 measured memory with: label prints of several
// sizes, a kit press and 150 page/preview requests (the history page among them), waiting until
// every print has left the station. Used by the memory test and `npm run bench -- memory`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stationConfig, waitFor } from './station-process.js';
import { tempDir } from './config.js';

/** A fetch-like call: fetch against a station process, or app.request of an in-process station. */
export type Requester = (url: string, init?: RequestInit) => Promise<Response>;

/** A station config on a folder printer with blocks big enough for many rounds. */
export function mixedRoundsConfig(): Record<string, unknown> {
  const dataDir = tempDir('reservkit-mem-');
  return stationConfig([{ id: 'a4', name: 'Mappskrivare', uri: `file://${path.join(dataDir, 'ut')}`, roles: ['a4', 'labels-sheet'] }], {
    dataDir,
    series: [
      { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 999999, padding: 7, checkDigit: 'luhn' },
      { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 99999, padding: 5, checkDigit: 'none' },
    ],
  });
}

/** One round; `origin` is the station's own origin (its URL), sent with the POSTs as a browser does. */
export async function mixedRound(request: Requester, round: number, origin: string): Promise<void> {
  const post = (url: string, body: unknown) =>
    request(url, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(body) });
  const batches: string[] = [];
  for (const [referrals, labelsPerReferral] of [[1, 1], [4, 3], [20, 2], [8, 20]] as const) {
    const res = await post('/api/labels', { referrals, labelsPerReferral, layout: 'a4-3x8', requestId: `mem-${round}-${referrals}-labels` });
    if (res.status !== 202) throw new Error(`labels ${referrals}×${labelsPerReferral}: ${res.status} ${await res.text()}`);
    batches.push(((await res.json()) as { batchId: string }).batchId);
  }
  const kit = await post('/api/kits/systemuppgradering/print', { requestId: `mem-${round}-kit-press`, confirmRepeat: true });
  if (kit.status !== 202) throw new Error(`kit: ${kit.status} ${await kit.text()}`);
  batches.push(((await kit.json()) as { batchId: string }).batchId);
  const pages = ['/', '/kits/systemuppgradering', '/etiketter', '/dokument', '/history', '/printers', `/batches/${batches[0]}`];
  for (let i = 0; i < 150; i++) {
    const url = i % 3 === 2 ? `/api/labels/preview?referrals=${(i % 40) + 1}&labelsPerReferral=${(i % 5) + 1}&layout=a4-3x8` : pages[i % pages.length]!;
    const res = await request(url);
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    await res.arrayBuffer();
  }
  for (const id of batches) {
    await waitFor(async () => {
      const b = (await (await request(`/api/batches/${id}`)).json()) as { state: string };
      return b.state === 'printing' ? undefined : b;
    }, 120_000, `batch ${id}`);
  }
}

/** Resident memory of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}
