// The raw-TCP backend (socket://host:9100) against the raw test printer on 127.0.0.1: a job is done
// when every byte is written and the printer closed or answered ~HS; the send is journaled durably
// first, so a restarted station finds it by name and never sends a fully written label job twice;
// ~HS paper out / head open / pause become IPP reasons and ~HI's resolution is checked; a refused
// connection, a dropped one and a silent printer fail with the typed errors the dispatcher retries.
import { describe, it, expect, afterEach } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PrintError } from '../../src/printing/backend.js';
import { hostStatusReasons, parseHostIdentification, parseHostStatus, replyGroups, SocketBackend, socketAddress } from '../../src/printing/socket-backend.js';
import { createStation } from '../../src/station.js';
import { Store } from '../../src/store/store.js';
import { freePort } from '../helpers/ippeveprinter.js';
import { testConfig, tempDir } from '../helpers/config.js';
import { hsReply, startRawPrinter, type RawPrinter } from '../helpers/zpl-tools.js';
import { waitFor } from '../helpers/station-process.js';

const printers: RawPrinter[] = [];
afterEach(async () => {
  for (const p of printers.splice(0)) await p.close();
});
async function printer(opts: Parameters<typeof startRawPrinter>[0] = {}): Promise<RawPrinter> {
  const p = await startRawPrinter(opts);
  printers.push(p);
  return p;
}
const zpl = (n: string) => new TextEncoder().encode(`^XA\n^FO10,10^BY2^BCN,50,N,N,N,N^FD>:${n}^FS\n^PQ1\n^XZ\n`);
const backend = (uri: string, journalFile = path.join(tempDir(), 'zebra.sent.jsonl'), over: Partial<ConstructorParameters<typeof SocketBackend>[1]> = {}) =>
  new SocketBackend(uri, { journalFile, timeoutMs: 1500, statusWaitMs: 300, ...over });

describe('reading a Zebra', () => {
  it('~HS: paper out, pause, head open and ribbon out become IPP reasons; ~HI gives the resolution', () => {
    const groups = replyGroups(hsReply({ paperOut: true, paused: true, headOpen: true, ribbonOut: false }));
    const hs = parseHostStatus(groups)!;
    expect(hs).toEqual({ paperOut: true, paused: true, headOpen: true, ribbonOut: false });
    expect(hostStatusReasons(hs)).toEqual({ state: 'stopped', reasons: ['media-empty-error', 'cover-open-error', 'paused'] });
    expect(hostStatusReasons(parseHostStatus(replyGroups(hsReply({})))!)).toEqual({ state: 'idle', reasons: [] });
    expect(parseHostStatus(['030,0,0'])).toBeUndefined();
    expect(parseHostIdentification('ZT410-300dpi,V75.20.01Z,12,8176KB')).toBe(300);
    expect(parseHostIdentification('GK420d,V61.17.16Z,8,8176KB')).toBe(203);
    expect(socketAddress('socket://10.1.2.3')).toEqual({ host: '10.1.2.3', port: 9100 });
    expect(socketAddress('socket://zebra.example:6101')).toEqual({ host: 'zebra.example', port: 6101 });
  });
});

describe('sending', () => {
  it('a printer that does not answer ~HS: done when it closed after the whole job; the send is journaled', async () => {
    const p = await printer();
    const journal = path.join(tempDir(), 'z.sent.jsonl');
    const b = backend(p.uri, journal);
    const status = await b.getStatus();
    expect(status.formats).toEqual(['application/vnd.zebra-zpl']);
    expect(status.message).toMatch(/svarar inte på statusfrågor/);
    const { printerJobId } = await b.submit({ jobName: 'rk:j-1.1:Remissetiketter', pdf: zpl('RV09000001'), copies: 1, format: 'application/vnd.zebra-zpl' });
    expect(p.jobs()).toEqual([Buffer.from(zpl('RV09000001')).toString()]);
    expect(readFileSync(journal, 'utf8')).toContain('"name":"rk:j-1.1:Remissetiketter"');
    expect((await b.getJob(printerJobId)).state).toBe('completed');
    // A restarted station (a new backend on the same journal) finds the send by its name.
    const again = backend(p.uri, journal);
    expect((await again.listJobs()).map((j) => j.name)).toEqual(['rk:j-1.1:Remissetiketter']);
    const second = await again.submit({ jobName: 'rk:j-2.1:x', pdf: zpl('RV09000019'), copies: 2 });
    expect(second.printerJobId).toBe(printerJobId + 1);
    expect(p.jobs()[1]).toBe(Buffer.from(zpl('RV09000019')).toString().repeat(2));
  });

  it('a printer that answers ~HS acknowledges the job with it, and reports its state and resolution', async () => {
    const p = await printer({ status: { paperOut: true }, dotsPerMm: 12 });
    const b = backend(p.uri, undefined, { dpi: 203 });
    const s = await b.getStatus();
    expect(s.state).toBe('stopped');
    expect(s.reasons).toEqual(['media-empty-error', 'station-resolution-mismatch']);
    expect(s.message).toMatch(/300 dpi men är inställd på 203 dpi/);
    await b.submit({ jobName: 'rk:j-3.1:x', pdf: zpl('RV09000027'), copies: 1 });
    expect(p.jobs()).toEqual([Buffer.from(zpl('RV09000027')).toString()]);
  });

  it('refused, dropped and silent printers fail with typed errors (refused: not on the printer; the others may be)', async () => {
    const refused = backend(`socket://127.0.0.1:${await freePort()}`);
    const e1 = await refused.submit({ jobName: 'a', pdf: zpl('A'), copies: 1 }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(PrintError);
    expect((e1 as PrintError).kind).toBe('network');
    expect((e1 as PrintError).message).toMatch(/ECONNREFUSED/);
    expect((e1 as PrintError).transient).toBe(true);
    const dropping = await printer({ dropAfterBytes: 10 });
    const e2 = await backend(dropping.uri).submit({ jobName: 'b', pdf: zpl('B'), copies: 1 }).catch((e: unknown) => e);
    expect((e2 as PrintError).kind).toBe('network');
    expect((e2 as PrintError).message).not.toMatch(/ECONNREFUSED/);
    const hanging = await printer({ hang: true });
    const e3 = await backend(hanging.uri).submit({ jobName: 'c', pdf: zpl('C'), copies: 1 }).catch((e: unknown) => e);
    expect((e3 as PrintError).kind).toBe('timeout');
    // Nothing that failed was journaled as written.
    expect(dropping.jobs()).toEqual([]);
  });

  it('refuses PDF', async () => {
    const p = await printer();
    await expect(backend(p.uri).submit({ jobName: 'p', pdf: new Uint8Array([37, 80, 68, 70]), copies: 1, format: 'application/pdf' })).rejects.toMatchObject({ kind: 'unsupported-format' });
  });
});

describe('a label job is never sent twice after it was fully written', () => {
  it('a station that stopped between the printer taking the job and recording it finds the send in the journal and does not resend', async () => {
    const p = await printer({ status: {} });
    const dataDir = tempDir();
    const config = testConfig({
      dataDir,
      printers: [
        { id: 'a4', name: 'A4', uri: `file://${tempDir()}`, roles: ['a4', 'labels-sheet'] },
        { id: 'zebra', name: 'Zebra', uri: p.uri, format: 'zpl', dpi: 203, roles: ['labels-roll'], timeoutMs: 1500 },
      ],
    });
    let station = await createStation(config, { log: () => undefined });
    const r = await station.labelService.printLabels({ referrals: 1, labelsPerReferral: 2, layout: 'rulle-50x25', requestId: 'never-twice-0001' });
    const jobId = r.jobs[0]!.id;
    await waitFor(() => (station.store.getJob(jobId)?.state === 'completed' ? true : undefined), 10_000, 'printed');
    const sendNo = station.store.getJob(jobId)!.sendNo;
    await station.stop();
    expect(p.jobs()).toHaveLength(1);
    // What the store holds when the station died after the bytes were written and journaled,
    // before the printer's job id reached the store: the claim (sendingSince) and nothing more.
    const store = await Store.open(dataDir);
    await store.setJobState(jobId, { state: 'pending', reasons: ['-job-completed-successfully'], patch: { printerJobId: undefined, sendingSince: new Date().toISOString(), completedAt: undefined } }, 'test');
    expect(store.getJob(jobId)!.sendNo).toBe(sendNo);
    await store.close();
    station = await createStation(config, { log: () => undefined });
    try {
      await waitFor(() => (station.store.getJob(jobId)?.state === 'completed' ? true : undefined), 10_000, 'completed again from the journal');
      expect(station.store.getJob(jobId)!.reasons).toContain('station-resumed');
      expect(p.jobs()).toHaveLength(1);
    } finally {
      await station.stop();
    }
  }, 40_000);
});

describe('a failed patient-ID job', () => {
  it('is wiped from the spool when it gives up, and cannot be printed again from it', async () => {
    const dataDir = tempDir();
    const config = testConfig({
      dataDir,
      printers: [
        { id: 'a4', name: 'A4', uri: `file://${tempDir()}`, roles: ['a4', 'labels-sheet'] },
        { id: 'zebra', name: 'Zebra', uri: `socket://127.0.0.1:${await freePort()}`, format: 'zpl', dpi: 203, roles: ['labels-roll'], timeoutMs: 1000 },
      ],
      retry: { intervalSeconds: 0.05, maxIntervalSeconds: 0.05, limit: 2, pollSeconds: 0.05 },
    });
    const station = await createStation(config, { log: () => undefined });
    try {
      const r = await station.labelService.printPatientLabels({ kind: 'personnummer', identity: '19121212-1212', labels: 2, layout: 'rulle-50x25', requestId: 'failed-pid-0001' });
      const jobId = r.jobs[0]!.id;
      const spoolDir = path.join(dataDir, 'spool');
      await waitFor(() => (station.store.getJob(jobId)?.state === 'aborted' ? true : undefined), 10_000, 'aborted after the retry limit');
      await waitFor(() => (station.store.getJob(jobId)?.spoolFile === '' ? true : undefined), 5_000, 'spool file forgotten');
      expect(readdirSync(spoolDir).filter((f) => f.startsWith('e-'))).toEqual([]);
      await expect(station.dispatcher.retry(jobId, 'test')).rejects.toThrow(/Patient-ID-etiketter sparas inte/);
      expect(JSON.stringify(station.store.getJob(jobId))).not.toMatch(/1212121212/);
    } finally {
      await station.stop();
    }
  }, 120_000);
});

