// The progress page's live stream (/api/batches/:id/events) carries what the page shows, decided on
// the server: every 'job' event's state text, tone, quantity and buttons, and every 'summary' event's
// banner and batch buttons, are what the TypeScript rules give for the jobs the stream has sent —
// through a kit that prints, loses one document to the printer (aborted, named in the banner) and
// prints it again. Printers carry their chip and advice (with whom to call) the same way. A real
// in-process station with a scripted printer; the stream is read as a browser would, event by event.
import { describe, it, expect, afterEach } from 'vitest';
import path from 'node:path';
import { createStation, type Station } from '../../src/station.js';
import { testConfig, tempDir } from '../helpers/config.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import type { SubmitRequest } from '../../src/printing/backend.js';
import { canReprint, isTerminal, type JobState } from '../../src/domain/job.js';
import { batchState } from '../../src/domain/batch-state.js';
import { batchSummary, jobStateText, jobTone, printerAdvice, printerSummary, quantityText } from '../../src/domain/wording.js';

const ORIGIN = 'http://127.0.0.1';
const IT = 'IT-support 040-123 40 00';
let station: Station | undefined;
afterEach(async () => {
  await station?.stop();
  station = undefined;
});

/** A printer that aborts the first job it is sent ("Paper jam") and prints everything else. */
class JamsOnce extends FakeBackend {
  private jam = new Set<number>();
  private left = 1;
  override async submit(req: SubmitRequest): Promise<{ printerJobId: number }> {
    const r = await super.submit(req);
    if (this.left-- > 0) this.jam.add(r.printerJobId);
    return r;
  }
  override async getJob(id: number) {
    const j = this.jobs.find((x) => x.printerJobId === id);
    if (j && this.jam.has(id) && j.state === 'processing') {
      j.state = 'aborted';
      j.message = 'Paper jam';
    }
    return super.getJob(id);
  }
}

interface SseEvent {
  event: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Reads server-sent events off a response body, one at a time. */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  return {
    async next(): Promise<SseEvent> {
      for (;;) {
        const end = buf.indexOf('\n\n');
        if (end >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          return { event, data: JSON.parse(data.join('\n')) };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buf += decoder.decode(value, { stream: true });
      }
    },
    close: () => reader.cancel(),
  };
}

type JobPayload = { id: string; title: string; state: JobState; reasons: string[]; message: string; count: number; sheets: number; stateText: string; tone: string; quantityText: string; actions: unknown };

/** The job as the TypeScript rules show it. */
function expectJobShownByRules(j: JobPayload) {
  expect(j.stateText, j.id).toBe(jobStateText(j.state, j.reasons));
  expect(j.tone, j.id).toBe(jobTone(j.state, j.reasons));
  expect(j.quantityText, j.id).toBe(quantityText(j.count, j.sheets));
  expect(j.actions, j.id).toEqual({ cancel: !isTerminal(j.state), reprint: canReprint(j), move: movableHere(j) });
}

/**
 * movable (domain/batch-state.ts) as it falls out in this test: no job waits as pending while a
 * printer has it, and every failed job still has its file; so waiting, prepared or failed.
 */
const movableHere = (j: JobPayload) => j.state === 'pending' || j.state === 'pending-held' || canReprint(j);

/** The banner and batch buttons as the TypeScript rules give them for these jobs (batch-page.tsx's rules). */
function expectedShown(jobs: JobPayload[]) {
  return {
    summary: batchSummary(jobs),
    actions: {
      retryAll: jobs.some(canReprint),
      cancelAll: jobs.some((j) => !isTerminal(j.state)),
      move: jobs.some(movableHere),
    },
  };
}

describe('the live stream of a batch carries what the page shows', () => {
  it('printing → one document aborted (named in the banner) → printed again: every job and summary event is the server rules’ answer', async () => {
    const dataDir = tempDir();
    const config = testConfig({
      dataDir,
      unit: { name: 'Vårdcentral Testå', address: 'Provgatan 1, Malmö', phone: '040-00 00 00', itSupport: IT },
      printers: [
        { id: 'a4', name: 'Skrivare A4', uri: `file://${path.join(dataDir, 'ut')}`, roles: ['a4', 'labels-sheet'] },
        { id: 'b', name: 'Skrivare B', uri: 'ipp://127.0.0.1:9/ipp/print', roles: ['a4'] },
      ],
    });
    const printer = new JamsOnce();
    printer.pollsToComplete = 2;
    const dead = new FakeBackend();
    dead.mode = 'down';
    station = await createStation(config, { log: () => {}, backends: new Map([['a4', printer], ['b', dead]]) });
    const s = station;
    const res = await s.app.request(`${ORIGIN}/api/kits/it-attack/print`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ requestId: 'live-events-0001' }),
    });
    expect(res.status).toBe(202);
    const { batchId } = (await res.json()) as { batchId: string };
    const stream = await s.app.request(`${ORIGIN}/api/batches/${batchId}/events`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const sse = sseReader(stream);

    // What the stream has said about each job, in the page's row order.
    const jobs = new Map<string, JobPayload>();
    const list = () => [...jobs.values()];
    const summaries: Array<{ summary: { state: string; tone: string; text: string }; actions: unknown }> = [];
    const printers = new Map<string, any>(); // eslint-disable-line @typescript-eslint/no-explicit-any
    let sawPrinting = false;

    const first = await sse.next();
    expect(first.event).toBe('batch');
    for (const j of first.data.jobs as JobPayload[]) {
      expectJobShownByRules(j);
      jobs.set(j.id, j);
    }
    expect({ summary: first.data.summary, actions: first.data.actions }).toEqual(expectedShown(list()));
    sawPrinting ||= first.data.summary.state === 'printing';

    /** Reads events until the summary satisfies `done`, checking each against the rules. */
    async function until(done: (sum: (typeof summaries)[number]) => boolean) {
      for (;;) {
        const e = await sse.next();
        if (e.event === 'job') {
          expectJobShownByRules(e.data);
          jobs.set(e.data.id, e.data);
        } else if (e.event === 'summary') {
          expect(e.data.batchId).toBe(batchId);
          const sum = { summary: e.data.summary, actions: e.data.actions };
          // the summary sent right after a job event is the rules' answer for every job as sent so far
          expect(sum, JSON.stringify(list().map((j) => [j.title, j.state]))).toEqual(expectedShown(list()));
          expect(sum.summary.state).toBe(batchState(list()));
          summaries.push(sum);
          sawPrinting ||= sum.summary.state === 'printing';
          if (done(sum)) return;
        } else if (e.event === 'printer') {
          const p = e.data;
          expect(p.summary).toEqual(printerSummary(p));
          expect(p.advice).toBe(printerAdvice(p, IT) ?? null);
          expect(p.ownMessage).toBe(p.summary.tone === 'ok' ? '' : p.message.trim());
          printers.set(p.id, p);
        }
      }
    }

    await until((x) => x.summary.state !== 'printing');
    expect(sawPrinting).toBe(true);
    const failed = summaries.at(-1)!;
    const jammed = list().filter((j) => j.state === 'aborted');
    expect(jammed).toHaveLength(1);
    const title = jammed[0]!.title;
    expect(failed.summary).toEqual({ state: 'failed', tone: 'bad', text: `Något gick fel: ${title}: Paper jam.` });
    expect(failed.actions).toEqual({ retryAll: true, cancelAll: false, move: true });
    expect(jammed[0]!.actions).toEqual({ cancel: false, reprint: true, move: true });
    expect(jammed[0]!.stateText).toBe('Avbruten av skrivaren');
    // the REST answer carries the same (its old fields unchanged beside it)
    const rest = (await (await s.app.request(`${ORIGIN}/api/batches/${batchId}`)).json()) as Record<string, unknown>;
    expect(rest.state).toBe('failed');
    expect({ summary: rest.summary, actions: rest.actions }).toEqual(failed);

    // the dead printer: its chip and what to do, with whom to call
    const b = printers.get('b');
    expect(b.summary).toMatchObject({ tone: 'bad', ready: false });
    expect(b.advice).toContain(`ring ${IT}`);
    // the pages without a stream poll /api/printers: the same chip and advice there
    const polled = (await (await s.app.request(`${ORIGIN}/api/printers`)).json()) as Array<{ id: string; summary: unknown; advice: unknown; ownMessage: unknown }>;
    const polledB = polled.find((p) => p.id === 'b')!;
    expect({ summary: polledB.summary, advice: polledB.advice, ownMessage: polledB.ownMessage }).toEqual({ summary: b.summary, advice: b.advice, ownMessage: b.ownMessage });

    // "Skriv ut igen": printing again, then all done
    const again = await s.app.request(`${ORIGIN}/api/jobs/${jammed[0]!.id}/retry`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(again.status).toBe(202);
    await until((x) => x.summary.state === 'printing');
    expect(jobs.get(jammed[0]!.id)!.reasons).toContain('station-reprint');
    await until((x) => x.summary.state !== 'printing');
    expect(summaries.at(-1)).toEqual({ summary: { state: 'completed', tone: 'ok', text: 'Klart – alla dokument utskrivna' }, actions: { retryAll: false, cancelAll: false, move: false } });
    expect(list().every((j) => j.state === 'completed' && j.stateText === 'Klar' && j.tone === 'ok')).toBe(true);
    await sse.close();
  });
});
