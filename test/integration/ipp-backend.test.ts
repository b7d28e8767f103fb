// The print backends against real peers: IppBackend talking to CUPS' ippeveprinter (a reference
// IPP Everywhere printer) in its normal and faulty moods, a hanging and a non-IPP server, and the
// folder printer across restarts. Waits poll with deadlines; nothing sleeps a fixed time.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PrintError, type RemoteJob } from '../../src/printing/backend.js';
import { createBackend } from '../../src/printing/create-backend.js';
import { FileBackend, safeJobName } from '../../src/printing/file-backend.js';
import { IppBackend } from '../../src/printing/ipp-backend.js';
import {
  SIMULATED_ERROR,
  makeTestPdf,
  startHangingListener,
  startHtmlServer,
  startPrinter,
  stopAll,
  type TestPrinter,
} from '../helpers/ippeveprinter.js';

const TERMINAL = new Set(['completed', 'aborted', 'canceled']);

/** Polls until `done` holds or the deadline passes (then fails with the last value seen). */
async function waitFor<T>(get: () => Promise<T>, done: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await get();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const followToEnd = (b: IppBackend, id: number): Promise<RemoteJob> => waitFor(() => b.getJob(id), (j) => TERMINAL.has(j.state), `job ${id} to end`);

async function failure(p: Promise<unknown>): Promise<PrintError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PrintError);
    return e as PrintError;
  }
  throw new Error('expected a PrintError');
}

afterAll(async () => {
  await stopAll();
});

describe('IppBackend with a healthy PDF printer', () => {
  let printer: TestPrinter;
  let backend: IppBackend;
  beforeAll(async () => {
    printer = await startPrinter({ name: 'Reception Printer' });
    backend = new IppBackend(printer.uri, { timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await printer.stop();
  });

  it('reports an idle printer that takes PDF, with its media, operations and sides', async () => {
    const s = await backend.getStatus();
    expect(s.state).toBe('idle');
    expect(s.reasons).toEqual([]); // "none" is dropped
    expect(s.formats).toContain('application/pdf');
    expect(s.mediaSupported).toContain('iso_a4_210x297mm');
    expect(s.mediaReady.length).toBeGreaterThan(0);
    expect(s.operations).toEqual(expect.arrayContaining(['Print-Job', 'Get-Job-Attributes', 'Get-Jobs', 'Cancel-Job']));
    expect(s.sidesSupported).toEqual(['one-sided']);
  });

  it('prints a PDF: the job is followed to completed and the printer holds the same bytes', async () => {
    const pdf = makeTestPdf('Formular for vardkontakt');
    const { printerJobId } = await backend.submit({ jobName: 'rk-1 vardkontakt', pdf, copies: 2, media: 'iso_a4_210x297mm', sides: 'one-sided' });
    const job = await followToEnd(backend, printerJobId);
    expect(job).toMatchObject({ printerJobId, state: 'completed', name: 'rk-1 vardkontakt' });
    expect(job.reasons).toContain('job-completed-successfully');

    const files = await printer.received();
    const file = files.find((f) => path.basename(f).startsWith(`${printerJobId}-`));
    expect(file).toBeDefined();
    expect((await fs.readFile(file!)).equals(pdf)).toBe(true);
    const env = await printer.jobEnv(file!);
    expect(env).toMatchObject({ IPP_COPIES: '2', IPP_MEDIA: 'iso_a4_210x297mm', IPP_SIDES: 'one-sided', IPP_DOCUMENT_FORMAT_SUPPLIED: 'application/pdf' });
  });

  it('leaves out duplex and media the printer does not list instead of having the job refused', async () => {
    const { printerJobId } = await backend.submit({
      jobName: 'rk-2 labels on a plain printer',
      pdf: makeTestPdf('fallback'),
      copies: 1,
      media: 'om_50x25mm_50x25mm',
      sides: 'two-sided-long-edge',
    });
    expect((await followToEnd(backend, printerJobId)).state).toBe('completed');
    const file = (await printer.received()).find((f) => path.basename(f).startsWith(`${printerJobId}-`))!;
    const env = await printer.jobEnv(file);
    expect(env.IPP_MEDIA).toBeUndefined();
    expect(env.IPP_SIDES).toBeUndefined();
  });

  it('refuses, before sending, more copies than the printer takes', async () => {
    const before = (await printer.received()).length;
    const e = await failure(backend.submit({ jobName: 'rk-3 too many', pdf: makeTestPdf(), copies: 1000 }));
    expect([e.kind, e.status, e.transient]).toEqual(['ipp', 'client-error-attributes-or-values-not-supported', false]);
    expect((await printer.received()).length).toBe(before);
  });

  it('finds a job by its name with Get-Jobs (how a restarted station recovers)', async () => {
    const name = `rk-job-${Date.now()} Provtagningsremiss åäö`;
    const { printerJobId } = await backend.submit({ jobName: name, pdf: makeTestPdf('listed'), copies: 1 });
    await followToEnd(backend, printerJobId);
    const jobs = await backend.listJobs();
    const found = jobs.find((j) => j.name === name);
    expect(found).toMatchObject({ printerJobId, state: 'completed' });
    expect(jobs.length).toBeGreaterThanOrEqual(2);
  });

  it('an unknown job id is a permanent ipp error (client-error-not-found)', async () => {
    const e = await failure(backend.getJob(9999));
    expect([e.kind, e.status, e.transient]).toEqual(['ipp', 'client-error-not-found', false]);
  });
});

describe('IppBackend with a duplex printer', () => {
  it('sends two-sided-long-edge when the printer lists it', async () => {
    const printer = await startPrinter({ twoSided: true });
    try {
      const backend = new IppBackend(printer.uri, { timeoutMs: 5_000 });
      expect((await backend.getStatus()).sidesSupported).toContain('two-sided-long-edge');
      const { printerJobId } = await backend.submit({ jobName: 'rk-duplex', pdf: makeTestPdf('duplex'), copies: 1, sides: 'two-sided-long-edge' });
      expect((await followToEnd(backend, printerJobId)).state).toBe('completed');
      const [file] = await printer.received();
      expect((await printer.jobEnv(file!)).IPP_SIDES).toBe('two-sided-long-edge');
    } finally {
      await printer.stop();
    }
  });
});

describe('IppBackend with printers in trouble', () => {
  let printer: TestPrinter;
  let backend: IppBackend;
  beforeAll(async () => {
    printer = await startPrinter();
    backend = new IppBackend(printer.uri, { timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await printer.stop();
  });
  afterEach(async () => {
    await printer.setMode('ok');
  });

  it('a print error aborts the job with the printer’s message', async () => {
    await printer.setMode('error');
    const { printerJobId } = await backend.submit({ jobName: 'rk-err', pdf: makeTestPdf(), copies: 1 });
    const job = await followToEnd(backend, printerJobId);
    expect(job.state).toBe('aborted');
    expect(job.message).toBe(SIMULATED_ERROR);
  });

  it('out of paper: the job aborts, the printer reports media-empty, the next job waits until paper is loaded', async () => {
    await printer.setMode('media-empty');
    const first = await backend.submit({ jobName: 'rk-paper-1', pdf: makeTestPdf(), copies: 1 });
    expect((await followToEnd(backend, first.printerJobId)).state).toBe('aborted');
    const status = await backend.getStatus();
    expect(status.reasons.some((r) => r.startsWith('media-empty'))).toBe(true);

    await printer.setMode('ok');
    const second = await backend.submit({ jobName: 'rk-paper-2', pdf: makeTestPdf(), copies: 1 });
    const waiting = await waitFor(() => backend.getStatus(), (s) => s.reasons.includes('media-needed-warning'), 'media-needed');
    expect(waiting.state).toBe('processing');
    expect((await backend.getJob(second.printerJobId)).state).toBe('processing');

    await printer.loadMedia();
    expect((await followToEnd(backend, second.printerJobId)).state).toBe('completed');
    expect((await backend.getStatus()).reasons.filter((r) => r.startsWith('media-'))).toEqual([]);
  });

  it('a printer busy with a slow job answers a second Print-Job with busy (transient)', async () => {
    await printer.setMode({ sleep: 3 });
    const slow = await backend.submit({ jobName: 'rk-slow', pdf: makeTestPdf(), copies: 1 });
    const e = await failure(backend.submit({ jobName: 'rk-second', pdf: makeTestPdf(), copies: 1 }));
    expect([e.kind, e.status, e.transient]).toEqual(['busy', 'server-error-busy', true]);
    await followToEnd(backend, slow.printerJobId);
  });

  it('cancels a job that is printing', async () => {
    // The print command holds the job until released: it is surely printing when cancelled,
    // however slow the machine.
    await printer.setMode('hold');
    const before = (await printer.started()).length;
    const { printerJobId } = await backend.submit({ jobName: 'rk-cancel', pdf: makeTestPdf(), copies: 1 });
    const end = Date.now() + 30_000;
    while ((await printer.started()).length <= before || (await backend.getJob(printerJobId)).state !== 'processing') {
      if (Date.now() > end) throw new Error('the job never started printing');
      await new Promise((r) => setTimeout(r, 20));
    }
    await backend.cancel(printerJobId);
    await printer.release();
    const job = await followToEnd(backend, printerJobId);
    expect(job.state).toBe('canceled');
    // Cancelling again is refused by the printer: the job is over.
    const e = await failure(backend.cancel(printerJobId));
    expect([e.kind, e.status]).toEqual(['ipp', 'client-error-not-possible']);
  });
});

describe('IppBackend with a printer that cannot take PDF', () => {
  it('shows no PDF in its formats, and the printer refuses a PDF as unsupported-format', async () => {
    const printer = await startPrinter({ formats: ['image/pwg-raster'] });
    try {
      const backend = new IppBackend(printer.uri, { timeoutMs: 5_000 });
      const status = await backend.getStatus();
      expect(status.formats).toContain('image/pwg-raster');
      expect(status.formats).not.toContain('application/pdf');
      // ippeveprinter says client-error-attributes-or-values-not-supported with document-format
      // in the unsupported group (not client-error-document-format-not-supported).
      const e = await failure(backend.submit({ jobName: 'rk-raster', pdf: makeTestPdf(), copies: 1 }));
      expect(e.kind).toBe('unsupported-format');
      expect(e.transient).toBe(false);
      expect(await printer.received()).toEqual([]);
    } finally {
      await printer.stop();
    }
  });
});

describe('IppBackend when the printer is gone, hangs or is not a printer', () => {
  it('a killed printer refuses the connection (refused: it cannot have the request); after a restart it answers again', async () => {
    const printer = await startPrinter();
    try {
      const backend = new IppBackend(printer.uri, { timeoutMs: 5_000 });
      await printer.kill();
      const e = await failure(backend.getStatus());
      expect([e.kind, e.transient]).toEqual(['refused', true]);
      await printer.restart();
      expect((await backend.getStatus()).state).toBe('idle');
    } finally {
      await printer.stop();
    }
  });

  it('a printer that never answers times out within the deadline', async () => {
    const hang = await startHangingListener();
    try {
      const backend = new IppBackend(hang.uri, { timeoutMs: 500 });
      const t0 = Date.now();
      const e = await failure(backend.submit({ jobName: 'rk-hang', pdf: makeTestPdf(), copies: 1 }));
      const took = Date.now() - t0;
      expect(e.kind).toBe('timeout');
      expect(took).toBeGreaterThanOrEqual(450);
      expect(took).toBeLessThan(3_000);
    } finally {
      await hang.close();
    }
  });

  it('a web server that answers HTML is a protocol error', async () => {
    const html = await startHtmlServer();
    try {
      const e = await failure(new IppBackend(html.uri, { timeoutMs: 2_000 }).getStatus());
      expect(e.kind).toBe('protocol');
      expect(html.requests).toBe(1);
    } finally {
      await html.close();
    }
  });
});

describe('FileBackend (the folder printer)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'reservkit-folder-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes each job once as <id>-<name>.pdf and still knows its jobs after a restart', async () => {
    const folder = path.join(dir, 'utskrifter', 'a b'); // created on demand, space in the path
    const uri = pathToFileURL(folder).href;
    const first = new FileBackend(uri);
    expect(await first.getStatus()).toMatchObject({ state: 'idle', formats: ['application/pdf'], reasons: [] });

    const pdfA = makeTestPdf('A');
    const pdfB = makeTestPdf('B');
    const a = await first.submit({ jobName: 'rk-1 Vårdkontakt/../x', pdf: pdfA, copies: 3, media: 'iso_a4_210x297mm' });
    const b = await first.submit({ jobName: 'rk-2 Remissetiketter', pdf: pdfB, copies: 1, media: 'om_50x25mm_50x25mm' });
    expect([a.printerJobId, b.printerJobId]).toEqual([1, 2]);
    expect(await first.getJob(1)).toMatchObject({ state: 'completed', name: 'rk-1 Vårdkontakt/../x' });

    const files = (await fs.readdir(folder)).sort();
    expect(files).toEqual(['.jobs.json', `1-${safeJobName('rk-1 Vårdkontakt/../x')}.pdf`, '2-rk-2_Remissetiketter.pdf']);
    expect(files[1]).toBe('1-rk-1_Vardkontakt_.._x.pdf');
    expect((await fs.readFile(path.join(folder, files[1]!))).equals(pdfA)).toBe(true);
    const index = JSON.parse(await fs.readFile(path.join(folder, '.jobs.json'), 'utf8')) as { jobs: { id: number; copies: number }[] };
    expect(index.jobs.find((j) => j.id === 1)?.copies).toBe(3);

    // A new instance (the station restarted) reads the index from disk.
    const second = new FileBackend(uri);
    expect(await second.getJob(2)).toMatchObject({ printerJobId: 2, state: 'completed', name: 'rk-2 Remissetiketter' });
    expect((await second.listJobs()).map((j) => j.name)).toEqual(['rk-1 Vårdkontakt/../x', 'rk-2 Remissetiketter']);
    expect((await second.submit({ jobName: 'rk-3', pdf: makeTestPdf('C'), copies: 1 })).printerJobId).toBe(3);
    const e = await failure(second.getJob(99));
    expect([e.kind, e.status]).toEqual(['ipp', 'client-error-not-found']);

    // Losing the index never reuses a number a PDF in the folder already has.
    await fs.rm(path.join(folder, '.jobs.json'));
    expect((await new FileBackend(uri).submit({ jobName: 'rk-4', pdf: makeTestPdf('D'), copies: 1 })).printerJobId).toBe(4);
    expect((await fs.readdir(folder)).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });
});

describe('createBackend', () => {
  it('picks the backend by URI scheme', () => {
    expect(createBackend({ uri: 'ipp://127.0.0.1:631/printers/Etikett', timeoutMs: 1_000, media: 'iso_a4_210x297mm' })).toBeInstanceOf(IppBackend);
    expect(createBackend({ uri: 'ipps://printer.local/ipp/print', timeoutMs: 1_000, media: 'iso_a4_210x297mm' })).toBeInstanceOf(IppBackend);
    expect(createBackend({ uri: pathToFileURL(path.join(os.tmpdir(), 'rk-out')).href, timeoutMs: 1_000, media: 'iso_a4_210x297mm' })).toBeInstanceOf(FileBackend);
    expect(() => createBackend({ uri: 'lpd://printer/queue', timeoutMs: 1_000, media: 'iso_a4_210x297mm' })).toThrow(/unsupported printer URI scheme/);
  });
});
