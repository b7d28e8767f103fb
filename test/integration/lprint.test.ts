// ZPL through LPrint (Debian package lprint: an IPP front end for ZPL/EPL/DYMO label printers),
// the way a unit connects a Zebra that has no IPP of its own: station → IPP (application/vnd.zebra-zpl)
// → LPrint → socket:// → the raw-TCP test printer. The labels that reach the "printer" scan to the
// ledger numbers. Skipped where lprint is not installed (test/install-system-packages.sh installs it).
// LPrint 1.1 listens on every interface and on /run/lprint.sock whatever it is told; the test talks
// to it on 127.0.0.1 only, and one LPrint runs at a time.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from '../helpers/ippeveprinter.js';
import { tempDir } from '../helpers/config.js';
import { startStationProcess, stationConfig, waitFor, type StationProcess } from '../helpers/station-process.js';
import { decodeZpl, startRawPrinter, type RawPrinter } from '../helpers/zpl-tools.js';
import { ippRequest } from '../../src/printing/ipp-client.js';

const LPRINT = '/usr/bin/lprint';
const available = existsSync(LPRINT);

let lprint: ChildProcess | undefined;
let raw: RawPrinter;
let station: StationProcess;
let port: number;

describe.skipIf(!available)('ZPL through LPrint', () => {
  beforeAll(async () => {
    raw = await startRawPrinter();
    port = await freePort();
    const home = tempDir('reservkit-lprint-');
    const env = { ...process.env, HOME: home, TMPDIR: home, XDG_CONFIG_HOME: home };
    lprint = spawn(LPRINT, ['server', '-o', `server-port=${port}`, '-o', 'listen-hostname=localhost', '-o', `spool-directory=${home}/spool`, '-o', `log-file=${home}/log.txt`, '-o', 'log-level=info'], { env, stdio: 'ignore' });
    const system = `ipp://127.0.0.1:${port}/ipp/system`;
    await waitFor(async () => {
      try {
        await ippRequest(`ipp://127.0.0.1:${port}/ipp/print`, 'Get-Printer-Attributes', { operation: {} }, undefined, { timeoutMs: 1000 });
        return true;
      } catch (e) {
        // Any IPP answer (even an error status) means it listens.
        return /\[ipp\].*(client-error|server-error|successful)/.test((e as Error).message) ? true : undefined;
      }
    }, 15_000, 'LPrint listening');
    execFileSync(LPRINT, ['add', '-u', system, '-d', 'zebra', '-v', `socket://127.0.0.1:${raw.port}`, '-m', 'zpl_2inch-203dpi-dt'], { env, stdio: 'pipe' });
    station = await startStationProcess(
      stationConfig(
        [
          { id: 'a4', name: 'A4', uri: `file://${tempDir()}`, roles: ['a4', 'labels-sheet'] },
          { id: 'lprint', name: 'Zebra via LPrint', uri: `ipp://127.0.0.1:${port}/ipp/print/zebra`, format: 'zpl', dpi: 203, roles: ['labels-roll'], duplex: false },
        ],
      ),
    );
  }, 60_000);
  afterAll(async () => {
    await station?.kill();
    if (lprint?.pid) lprint.kill('SIGTERM');
    await raw?.close();
  });

  it('LPrint lists application/vnd.zebra-zpl, takes the job, and the labels reach the printer scanning to the ledger numbers', async () => {
    const api = (p: string, init?: RequestInit) => fetch(`${station.url}${p}`, init).catch(() => fetch(`${station.url}${p}`, init));
    await waitFor(async () => {
      const ps = (await (await api('/api/printers')).json()) as Array<{ id: string; acceptsPdf: boolean | null }>;
      return ps.find((p) => p.id === 'lprint')?.acceptsPdf ? true : undefined;
    }, 15_000, 'LPrint answered and takes ZPL');
    const res = await api('/api/labels', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ referrals: 2, labelsPerReferral: 2, layout: 'rulle-50x25', requestId: 'lprint-00000001' }) });
    expect(res.status).toBe(202);
    const r = (await res.json()) as { batchId: string; numbers: string[] };
    const b = await waitFor(async () => {
      const v = (await (await api(`/api/batches/${r.batchId}`)).json()) as { state: string; jobs: unknown[] };
      return v.state === 'printing' ? undefined : v;
    }, 30_000, 'printed');
    expect(b.state, JSON.stringify(b.jobs)).toBe('completed');
    const job = await waitFor(() => raw.jobs().find((j) => j.includes('^XA')), 15_000, 'ZPL at the printer');
    const decoded = await decodeZpl(job, { width: 50, height: 25 }, 8);
    expect(decoded.map((d) => d.codes)).toEqual(r.numbers.map((n) => [n]));
  }, 60_000);
});
