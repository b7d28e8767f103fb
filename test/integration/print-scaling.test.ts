// Exact scale on the wire: through a recording proxy in front of ippeveprinter, every Print-Job to a
// printer that lists print-scaling-supported carries print-scaling=none (and its page size as
// media-col where media is set); a printer that does not list it gets neither; the printer completes
// every job either way.
import { afterAll, describe, expect, it } from 'vitest';
import type { RemoteJob } from '../../src/printing/backend.js';
import { IppBackend } from '../../src/printing/ipp-backend.js';
import { startIppProxy, type IppProxy } from '../helpers/ipp-proxy.js';
import { makeTestPdf, startPrinter, stopAll, type TestPrinter } from '../helpers/ippeveprinter.js';

afterAll(async () => {
  await stopAll();
});

const TERMINAL = new Set(['completed', 'aborted', 'canceled']);
async function followToEnd(b: IppBackend, id: number): Promise<RemoteJob> {
  // A deadline, not a speed floor: ippeveprinter with an instant print command ends a job in ms.
  const until = Date.now() + 30_000;
  for (;;) {
    const j = await b.getJob(id);
    if (TERMINAL.has(j.state)) return j;
    if (Date.now() > until) throw new Error(`job ${id} still ${j.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends three jobs (A4 with media, two copies, no media) through the proxy and follows each to its end. */
async function printThree(proxy: IppProxy): Promise<RemoteJob[]> {
  const backend = new IppBackend(proxy.uri, { timeoutMs: 10_000 });
  const jobs = [
    { jobName: 'rk-a4', pdf: makeTestPdf('a4'), copies: 1, media: 'iso_a4_210x297mm' },
    { jobName: 'rk-copies', pdf: makeTestPdf('copies'), copies: 2, media: 'iso_a4_210x297mm', sides: 'one-sided' as const },
    { jobName: 'rk-plain', pdf: makeTestPdf('plain'), copies: 1 },
  ];
  const ends: RemoteJob[] = [];
  for (const job of jobs) {
    // ippeveprinter prints one job at a time and answers busy meanwhile: retry busy.
    let id: number | undefined;
    for (let tries = 0; id === undefined; tries++) {
      try {
        id = (await backend.submit(job)).printerJobId;
      } catch (e) {
        if ((e as { kind?: string }).kind !== 'busy' || tries > 200) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    ends.push(await followToEnd(backend, id));
  }
  return ends;
}

describe('print-scaling on the wire', () => {
  let printer: TestPrinter;
  const proxies: IppProxy[] = [];
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await printer?.stop();
  });

  it('a printer that lists print-scaling-supported gets print-scaling=none on every job, and media as media-col', async () => {
    printer = await startPrinter({ name: 'Scaling Printer' });
    const proxy = await startIppProxy(printer.port, { printScaling: ['auto', 'auto-fit', 'fill', 'fit', 'none'] });
    proxies.push(proxy);
    const ends = await printThree(proxy);
    expect(ends.map((j) => j.state)).toEqual(['completed', 'completed', 'completed']);
    const sent = proxy.printJobs();
    expect(sent).toHaveLength(3);
    for (const job of sent) {
      expect(job.job['print-scaling']).toEqual([{ tag: 0x44, value: 'none' }]);
      // The printer took every job (successful-ok or successful-ok-ignored-or-substituted-attributes).
      expect(job.replyStatus).toBeLessThan(0x0100);
    }
    // Where media is set it goes as a size in hundredths of a millimetre, not also as a keyword.
    for (const job of sent.slice(0, 2)) {
      expect(job.job.media).toBeUndefined();
      const col = job.job['media-col']![0]!.value as Record<string, { value: unknown }[]>;
      const size = col['media-size']![0]!.value as Record<string, { value: unknown }[]>;
      expect([size['x-dimension']![0]!.value, size['y-dimension']![0]!.value]).toEqual([21000, 29700]);
    }
    expect(sent[2]!.job['media-col']).toBeUndefined();
    expect(sent[1]!.job.copies).toEqual([{ tag: 0x21, value: 2 }]);
    // And the printer really printed all three.
    expect(await printer.received()).toHaveLength(3);
  });

  it('a printer that does not list it gets neither print-scaling nor media-col, and prints as before', async () => {
    const before = (await printer.received()).length;
    const proxy = await startIppProxy(printer.port);
    proxies.push(proxy);
    const ends = await printThree(proxy);
    expect(ends.map((j) => j.state)).toEqual(['completed', 'completed', 'completed']);
    const sent = proxy.printJobs();
    expect(sent).toHaveLength(3);
    for (const job of sent) {
      expect(job.job['print-scaling']).toBeUndefined();
      expect(job.job['media-col']).toBeUndefined();
    }
    expect(sent[0]!.job.media).toEqual([{ tag: 0x44, value: 'iso_a4_210x297mm' }]);
    expect((await printer.received()).length - before).toBe(3);
  });
});
