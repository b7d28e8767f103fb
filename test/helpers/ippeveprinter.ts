// Test peers for printing: a real IPP Everywhere printer (CUPS' ippeveprinter, each with its own
// private dbus-daemon, port and temp folder), a TCP listener that never answers (a hanging
// printer) and an HTTP server that answers HTML (not a printer). Faults are driven through a mode
// file read by the printer's print command. Every child process is killed on stop(), on stopAll(),
// when this process exits, and — through setpriv's parent-death signal — if it dies abruptly.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { attrStrings, ippRequest } from '../../src/printing/ipp-client.js';

export const IPPEVEPRINTER = '/usr/sbin/ippeveprinter';
const DBUS_DAEMON = '/usr/bin/dbus-daemon';
const SETPRIV = '/usr/bin/setpriv';
/** The message a job gets in 'error' mode. */
export const SIMULATED_ERROR = 'Simulated paper jam';

/**
 * What the print command does: exit at once ('ok'), fail ('error', 'media-empty'), sleep, or
 * 'hold': wait until release() is called (at most 120 s), so a test can act while a job is surely
 * printing, however slow the machine.
 */
export type PrinterMode = 'ok' | 'error' | 'media-empty' | 'hold' | { sleep: number };

export interface PrinterOptions {
  /** document-format-supported, given with -f; default ['application/pdf']. Not with `attrs`. */
  formats?: string[];
  /**
   * Content of an attributes file passed with -a (e.g. "ATTR keyword media-supported …").
   * ippeveprinter 2.4 then refuses -f and -2 and offers image/pwg-raster and image/urf only.
   */
  attrs?: string;
  /**
   * Content of a PPD file passed with -P: the printer then reports the PPD's page sizes as
   * media-supported (named "custom_WxHmm_WxHmm") and takes PDF, like a label printer behind a CUPS
   * queue. Not with `attrs` or `formats`.
   */
  ppd?: string;
  /** Printer name; default "Test Printer". */
  name?: string;
  /** Fixed port; default a free one. */
  port?: number;
  /** Pass -2: the printer reports two-sided support. */
  twoSided?: boolean;
  /** Serve ipps:// too, with a self-signed certificate made in the printer's folder (-K). */
  tls?: boolean;
  /** How long to wait for the first answer to Get-Printer-Attributes; default 5000 ms. */
  startTimeoutMs?: number;
}

export interface TestPrinter {
  /** ipp://127.0.0.1:PORT/ipp/print */
  readonly uri: string;
  readonly port: number;
  /** Private temp folder (spool, mode file, print command, dbus socket). */
  readonly dir: string;
  readonly spoolDir: string;
  /** Full paths of spooled PDFs, sorted by job id. */
  received(): Promise<string[]>;
  setMode(mode: PrinterMode): Promise<void>;
  /** The job attributes the print command saw for a spooled file (IPP_COPIES, IPP_MEDIA, IPP_SIDES …). */
  jobEnv(spooledPdf: string): Promise<Record<string, string>>;
  /** Lets every job held by the 'hold' mode finish (and the next ones too, until setMode('hold') again). */
  release(): Promise<void>;
  /** Jobs the print command has started on (spooled files it was given), in order. */
  started(): Promise<string[]>;
  /** Jobs the print command started in 'hold' mode (held until release()). */
  held(): Promise<string[]>;
  /** Fills every tray (A4 unless `size` is given): clears media-empty / media-needed. */
  loadMedia(size?: string): Promise<void>;
  /** Output of the printer so far (for failure messages). */
  log(): string;
  /** Stops both processes and removes the folder. */
  stop(): Promise<void>;
  /** SIGKILLs the printer (not dbus): the port then refuses connections. */
  kill(): Promise<void>;
  /** Starts the printer again on the same port (after kill()), with no jobs. */
  restart(): Promise<void>;
}

const live = new Set<ChildProcess>();
const instances = new Set<{ stop(): Promise<void> }>();

/** Kills every child this module started (sync part) and stops all printers. */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...instances].map((i) => i.stop()));
  killAllSync();
}

function killAllSync(): void {
  for (const c of live) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

// Last line of defence: a test that throws before stop() must not leave printers behind.
process.once('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    killAllSync();
    // Keep the default behaviour (exit) when nobody else handles the signal.
    if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  });
}

/** A port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Spawns under setpriv so the kernel kills the child if this process dies without cleaning up. */
function spawnChild(cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const usePdeath = existsSync(SETPRIV);
  const child = usePdeath
    ? spawn(SETPRIV, ['--pdeathsig', 'SIGKILL', '--', cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

function waitExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
    }, ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

function printCommand(modeFile: string, releaseFile: string, startedLog: string): string {
  return `#!/bin/sh
# Print command for ippeveprinter: $1 is the spooled file. Behaviour comes from the mode file.
# The job's IPP attributes (IPP_COPIES, IPP_MEDIA, IPP_SIDES …) are kept beside it as "$1.env".
env | grep '^IPP_' > "$1.env.tmp" && mv "$1.env.tmp" "$1.env"
echo "$1" >> '${startedLog}'
mode=$(cat '${modeFile}' 2>/dev/null || echo ok)
case "$mode" in
  error) echo "ERROR: ${SIMULATED_ERROR}" >&2; exit 1 ;;
  media-empty) echo "STATE: +media-empty" >&2; exit 1 ;;
  hold) echo "$1" >> '${startedLog}.held'; n=0; while [ ! -e '${releaseFile}' ] && [ $n -lt 2400 ]; do sleep 0.05; n=$((n+1)); done; exit 0 ;;
  sleep\\ *) sleep "\${mode#sleep }"; exit 0 ;;
  *) exit 0 ;;
esac
`;
}

export async function startPrinter(opts: PrinterOptions = {}): Promise<TestPrinter> {
  if (opts.attrs !== undefined && opts.formats) {
    // ippeveprinter 2.4 prints its usage for -a together with -f (or -2), and a
    // document-format-supported line in the file is sent twice (the file's and its own).
    throw new Error('startPrinter: ippeveprinter 2.4 cannot combine an attributes file (-a) with formats (-f); with -a it offers image/pwg-raster and image/urf');
  }
  if (opts.attrs !== undefined && opts.twoSided) throw new Error('startPrinter: -2 cannot be combined with an attributes file; put sides-supported in attrs');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'reservkit-ippeve-'));
  const spoolDir = path.join(dir, 'spool');
  const modeFile = path.join(dir, 'mode');
  const releaseFile = path.join(dir, 'release');
  const startedLog = path.join(dir, 'started.log');
  const command = path.join(dir, 'print-command.sh');
  const socket = path.join(dir, 'dbus.sock');
  await fs.mkdir(spoolDir);
  await fs.writeFile(modeFile, 'ok\n');
  await fs.writeFile(command, printCommand(modeFile, releaseFile, startedLog), { mode: 0o755 });
  const attrsFile = path.join(dir, 'attrs.conf');
  if (opts.attrs !== undefined) await fs.writeFile(attrsFile, opts.attrs);
  const ppdFile = path.join(dir, 'printer.ppd');
  if (opts.ppd !== undefined) await fs.writeFile(ppdFile, opts.ppd);

  let output = '';
  const capture = (child: ChildProcess, tag: string): void => {
    const add = (b: Buffer): void => {
      output = (output + `[${tag}] ` + b.toString()).slice(-20_000);
    };
    child.stdout?.on('data', add);
    child.stderr?.on('data', add);
  };

  let dbus: ChildProcess | undefined;
  let printer: ChildProcess | undefined;
  let port = opts.port ?? 0;
  let stopped = false;

  const startDbus = async (): Promise<void> => {
    dbus = spawnChild(DBUS_DAEMON, ['--session', `--address=unix:path=${socket}`, '--nofork', '--nopidfile', '--print-address=1'], process.env);
    capture(dbus, 'dbus');
    // It prints its address once it listens: wait for that line rather than sleeping.
    await new Promise<void>((resolve, reject) => {
      const d = dbus!;
      const t = setTimeout(() => reject(new Error(`dbus-daemon did not start within 5 s\n${output}`)), 5_000);
      d.stdout!.on('data', (b: Buffer) => {
        if (b.toString().includes('unix:path=')) {
          clearTimeout(t);
          resolve();
        }
      });
      d.once('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`dbus-daemon exited (${code})\n${output}`));
      });
    });
  };

  const startIppeve = async (): Promise<void> => {
    const args = ['-p', String(port), '-n', 'localhost', '-r', 'off', '-k', '-d', spoolDir, '-c', command];
    if (opts.attrs !== undefined) args.push('-a', attrsFile);
    else if (opts.ppd !== undefined) args.push('-P', ppdFile);
    else args.push('-f', (opts.formats ?? ['application/pdf']).join(','));
    if (opts.twoSided) args.push('-2');
    if (opts.tls) {
      await fs.mkdir(path.join(dir, 'keys'), { recursive: true });
      args.push('-K', path.join(dir, 'keys'));
    }
    args.push(opts.name ?? 'Test Printer');
    const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${socket}`, DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}` };
    const child = spawnChild(IPPEVEPRINTER, args, env);
    printer = child;
    capture(child, 'ippeveprinter');
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    // Poll Get-Printer-Attributes until it answers; fail early if the process dies.
    const uri = `${opts.tls ? 'ipps' : 'ipp'}://127.0.0.1:${port}/ipp/print`;
    const deadline = Date.now() + (opts.startTimeoutMs ?? 5_000);
    for (;;) {
      if (exited) throw new Error(`ippeveprinter exited during start (port ${port})\n${output}`);
      try {
        await ippRequest(uri, 'Get-Printer-Attributes', { operation: { 'requested-attributes': ['printer-state'] } }, undefined, { timeoutMs: 1_000, rejectUnauthorized: false });
        return;
      } catch (e) {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`ippeveprinter did not answer within ${opts.startTimeoutMs ?? 5_000} ms: ${(e as Error).message}\n${output}`);
        }
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const killPrinter = async (): Promise<void> => {
    const p = printer;
    printer = undefined;
    if (!p) return;
    p.kill('SIGKILL');
    await waitExit(p, 2_000);
  };

  const instance: TestPrinter = {
    get uri() {
      return `${opts.tls ? 'ipps' : 'ipp'}://127.0.0.1:${port}/ipp/print`;
    },
    get port() {
      return port;
    },
    dir,
    spoolDir,
    async received() {
      // PDF, or another format's extension (a ZPL printer's jobs), never the .env files beside them.
      const names = (await fs.readdir(spoolDir)).filter((n) => /^\d+-.*\.(pdf|zpl|dat)$/.test(n));
      names.sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
      return names.map((n) => path.join(spoolDir, n));
    },
    async jobEnv(spooledPdf) {
      const text = await fs.readFile(`${spooledPdf}.env`, 'utf8');
      const out: Record<string, string> = {};
      for (const line of text.split('\n')) {
        const i = line.indexOf('=');
        if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
      }
      return out;
    },
    async release() {
      await fs.writeFile(releaseFile, '');
    },
    async started() {
      const text = await fs.readFile(startedLog, 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean);
    },
    async held() {
      const text = await fs.readFile(`${startedLog}.held`, 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean);
    },
    async setMode(mode) {
      const text = typeof mode === 'string' ? mode : `sleep ${mode.sleep}`;
      if (mode === 'hold') await fs.rm(releaseFile, { force: true });
      // Written whole then renamed, so the print command never reads half a mode.
      await fs.writeFile(modeFile + '.tmp', text + '\n');
      await fs.rename(modeFile + '.tmp', modeFile);
    },
    async loadMedia(size?: string) {
      // The /media form (GET, for testing only) sets every tray it is given; a tray left out
      // counts as empty and keeps media-empty set, so fill each real tray (not auto/manual).
      const res = await ippRequest(
        instance.uri,
        'Get-Printer-Attributes',
        { operation: { 'requested-attributes': ['media-source-supported', 'media-supported'] } },
        undefined,
        { timeoutMs: 5_000 },
      );
      const sources = attrStrings(res.printer, 'media-source-supported');
      const supported = attrStrings(res.printer, 'media-supported');
      const media = size ?? (supported.includes('iso_a4_210x297mm') ? 'iso_a4_210x297mm' : supported[0] ?? 'iso_a4_210x297mm');
      const q = new URLSearchParams();
      sources.forEach((source, i) => {
        if (source === 'auto' || source === 'manual' || source.includes('-man')) return;
        q.set(`size${i}`, media);
        q.set(`type${i}`, 'stationery');
        q.set(`level${i}`, source === 'by-pass-tray' ? '25' : '250');
      });
      const r = await httpGet(`http://127.0.0.1:${port}/media?${q}`, 5_000);
      if (r.status !== 200) throw new Error(`loadMedia: HTTP ${r.status}`);
    },
    log: () => output,
    async stop() {
      if (stopped) return;
      stopped = true;
      instances.delete(instance);
      await killPrinter();
      const d = dbus;
      dbus = undefined;
      if (d) {
        d.kill('SIGTERM');
        await waitExit(d, 2_000);
      }
      await fs.rm(dir, { recursive: true, force: true });
    },
    async kill() {
      await killPrinter();
    },
    async restart() {
      await killPrinter();
      await startIppeve();
    },
  };
  instances.add(instance);

  try {
    await startDbus();
    // A port picked as free can be taken by someone else before ippeveprinter binds it: retry.
    for (let attempt = 1; ; attempt++) {
      if (!opts.port) port = await freePort();
      try {
        await startIppeve();
        break;
      } catch (e) {
        await killPrinter();
        const portTaken = /listener/i.test((e as Error).message);
        if (opts.port || !portTaken || attempt >= 3) throw e;
      }
    }
  } catch (e) {
    await instance.stop();
    throw e;
  }
  return instance;
}

function httpGet(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers: a hanging printer. */
export async function startHangingListener(): Promise<{ uri: string; port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const port = (srv.address() as net.AddressInfo).port;
  const closer = {
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
  instances.add(closer);
  return {
    uri: `ipp://127.0.0.1:${port}/ipp/print`,
    port,
    async close() {
      instances.delete(closer);
      await closer.stop();
    },
  };
}

/** An HTTP server on 127.0.0.1 that answers every request with 200 text/html: not a printer. */
export async function startHtmlServer(): Promise<{ uri: string; port: number; requests: number; close(): Promise<void> }> {
  let requests = 0;
  const srv = http.createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Router</title><p>Welcome</p>');
    });
  });
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const port = (srv.address() as net.AddressInfo).port;
  const closer = {
    async stop() {
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
  instances.add(closer);
  return {
    uri: `ipp://127.0.0.1:${port}/ipp/print`,
    port,
    get requests() {
      return requests;
    },
    async close() {
      instances.delete(closer);
      await closer.stop();
    },
  };
}

/**
 * A small valid one-page A4 PDF, built by hand with a correct xref table (no renderer needed).
 * `text` (ASCII) lands in the page content, so two calls with different text differ byte-wise.
 */
export function makeTestPdf(text = 'reservkit test page'): Buffer {
  const safe = text.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
  const stream = `BT /F1 24 Tf 72 760 Td (${safe}) Tj ET\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}endstream`,
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
