// The outcome table (src/printing/outcomes.ts), row by row: what each answer of a printer means for
// a job — its next state, the reasons added and removed, the wait, and whether the send must be
// looked up before it may go again. Also: typed errors become outcomes by kind and status code.
import { describe, it, expect } from 'vitest';
import { PrintError } from '../../src/printing/backend.js';
import { backoffMs, busyRetryMs, decide, lookupSettled, outcomeOfError, PROBABLY_PRINTED, type Outcome, type OutcomeContext } from '../../src/printing/outcomes.js';

const retry = { intervalSeconds: 5, maxIntervalSeconds: 60, limit: 20, pollSeconds: 1 };
const ctx = (over: Partial<OutcomeContext> = {}): OutcomeContext => ({
  phase: 'send',
  attempts: 1,
  busyInARow: 0,
  reasons: ['station-sending'],
  retry,
  now: new Date('2026-03-27T13:00:00Z'),
  timeZone: 'Europe/Stockholm',
  ...over,
});
const clearSending = ['-station-sending', '-station-retrying', '-station-printer-unreachable'];

describe('outcome table: sending', () => {
  it('accepted: processing, sending reasons cleared, on to the next job, no look-up', () => {
    expect(decide({ kind: 'accepted', printerJobId: 7 }, ctx())).toEqual({
      state: 'processing', reasons: clearSending, message: '', write: true, retry: 'next', waitMs: 0, lookup: false, absent: false,
    });
  });

  it('found on the printer after a restart: processing with station-resumed', () => {
    const d = decide({ kind: 'found-on-printer', printerJobId: 7 }, ctx());
    expect(d).toMatchObject({ state: 'processing', retry: 'next', lookup: false, write: true });
    expect(d.reasons).toEqual([...clearSending, '+station-resumed']);
  });

  it('busy: no state change and nothing written; the same send again after busyRetryMs', () => {
    for (const n of [0, 19, 20, 25]) {
      const d = decide({ kind: 'busy' }, ctx({ busyInARow: n }));
      expect(d).toEqual({ write: false, reasons: [], retry: 'again', waitMs: busyRetryMs(n), lookup: false, absent: true });
      expect(d.state).toBeUndefined();
    }
  });

  it.each([
    ['refused-connection', { kind: 'refused-connection', detail: 'ECONNREFUSED' }, false],
    ['ipp-server-error', { kind: 'ipp-server-error', status: 'server-error-device-error', detail: 'full' }, false],
    ['http-error 503', { kind: 'http-error', status: '503', detail: 'unavailable' }, false],
    ['connection-broken', { kind: 'connection-broken', detail: 'ECONNRESET' }, true],
    ['timeout', { kind: 'timeout', detail: 'no answer' }, true],
    ['broken-reply', { kind: 'broken-reply', detail: 'not IPP' }, true],
  ] as Array<[string, Outcome, boolean]>)('%s: pending, retrying at a time shown, backoff wait; look-up only when the printer may have it', (_name, o, mayHaveIt) => {
    const d = decide(o, ctx({ attempts: 2 }));
    expect(d).toMatchObject({ state: 'pending', write: true, retry: 'again', waitMs: backoffMs(2, retry), lookup: mayHaveIt, absent: !mayHaveIt });
    expect(d.reasons).toEqual(['-station-sending', '+station-retrying', '+station-printer-unreachable']);
    // 13:00:00 UTC + 10 s in Stockholm (CET in March before the switch)
    expect(d.message).toBe('Skrivaren svarar inte – försöker igen kl 14:00:10.');
  });

  it('a transient failure at the retry limit: aborted with station-retry-limit', () => {
    const d = decide({ kind: 'timeout', detail: 'no answer' }, ctx({ attempts: 20 }));
    expect(d).toMatchObject({ state: 'aborted', retry: 'next', lookup: true });
    expect(d.reasons).toContain('+station-retry-limit');
    expect(d.message).toBe('Skrivaren svarade inte efter 20 försök (no answer).');
  });

  it('fallback due: only when the printer certainly does not have the job', () => {
    const fallbackDue = { id: 'b', name: 'Reserven', printerName: 'Expeditionen' };
    const refused = decide({ kind: 'refused-connection', detail: 'x' }, ctx({ fallbackDue }));
    expect(refused).toMatchObject({ state: 'pending', fallback: true, absent: true, retry: 'next', message: 'Expeditionen svarar inte – skrivs ut på Reserven i stället.' });
    expect(refused.reasons).toContain('+station-fallback');
    const timeout = decide({ kind: 'timeout', detail: 'x' }, ctx({ fallbackDue }));
    expect(timeout.fallback).toBeUndefined();
    expect(timeout.lookup).toBe(true);
  });

  it('http-error 4xx: aborted for good with the status', () => {
    const d = decide({ kind: 'http-error', status: '404', detail: 'Not Found' }, ctx());
    expect(d).toMatchObject({ state: 'aborted', retry: 'next', absent: true, message: 'Skrivaren svarade med HTTP 404: Not Found' });
    expect(d.reasons).toContain('+station-http-404');
  });

  it('ipp-client-error: aborted for good with the status as a station- reason', () => {
    const d = decide({ kind: 'ipp-client-error', status: 'client-error-attributes-or-values-not-supported', detail: 'bad' }, ctx());
    expect(d).toMatchObject({ state: 'aborted', retry: 'next', lookup: false, absent: true });
    expect(d.reasons).toEqual([...clearSending, '+station-client-error-attributes-or-values-not-supported']);
  });

  it('unsupported-format: aborted with document-format-not-supported and what to do', () => {
    const d = decide({ kind: 'unsupported-format' }, ctx());
    expect(d).toMatchObject({ state: 'aborted', retry: 'next' });
    expect(d.reasons).toContain('+document-format-not-supported');
    expect(d.message).toMatch(/CUPS-kö/);
  });

  it('spool-missing: aborted with station-spool-missing, and the queue goes on (next)', () => {
    const d = decide({ kind: 'spool-missing' }, ctx());
    expect(d).toMatchObject({ state: 'aborted', retry: 'next', write: true });
    expect(d.reasons).toContain('+station-spool-missing');
    expect(d.message).toMatch(/Skriv ut igen/);
  });
});

describe('outcome table: following an accepted job', () => {
  const job = (state: Extract<Outcome, { kind: 'printer-job' }>['state'], reasons: string[] = [], message = ''): Outcome => ({ kind: 'printer-job', state, reasons, message });

  it.each([
    ['completed', 'completed', 'never'],
    ['canceled', 'canceled', 'never'],
    ['aborted', 'aborted', 'never'],
    ['pending', 'pending', 'poll'],
    ['pending-held', 'pending-held', 'poll'],
    ['processing', 'processing', 'poll'],
    ['processing-stopped', 'processing', 'poll'],
  ] as const)('printer says %s: job %s, %s', (remote, state, next) => {
    const d = decide(job(remote), ctx({ phase: 'follow' }));
    expect(d).toMatchObject({ state, retry: next, write: true, lookup: false });
    expect(d.waitMs).toBe(next === 'poll' ? 1000 : 0);
  });

  it("the printer's reasons replace its old ones; ours stay, except the ones about sending", () => {
    const d = decide(job('processing', ['media-empty-report', 'none']), ctx({ phase: 'follow', reasons: ['station-sending', 'station-resumed', 'media-jam', 'media-empty-report'] }));
    expect(d.reasons).toEqual(['-station-sending', '-media-jam', '+media-empty-report']);
  });

  it('aborted by the printer: its message, or a plain one', () => {
    expect(decide(job('aborted', [], 'Paper jam'), ctx({ phase: 'follow' })).message).toBe('Paper jam');
    expect(decide(job('aborted'), ctx({ phase: 'follow' })).message).toBe('Skrivaren avbröt jobbet.');
  });

  it('unknown after it was accepted: pending-held, probably printed, never resent', () => {
    const d = decide({ kind: 'unknown-after-accept' }, ctx({ phase: 'follow' }));
    expect(d).toMatchObject({ state: 'pending-held', retry: 'never', lookup: false, message: PROBABLY_PRINTED });
    expect(d.reasons).toContain('+station-probably-printed');
  });

  it.each(['refused-connection', 'timeout', 'connection-broken', 'broken-reply', 'ipp-server-error', 'http-error'] as const)(
    '%s while following: state kept, printer-unreachable, asked again later (never resent)',
    (kind) => {
      const o = { kind, detail: 'x', status: '500' } as Outcome;
      const d = decide(o, ctx({ phase: 'follow', retry: { ...retry, intervalSeconds: 5, pollSeconds: 1 } }));
      expect(d).toMatchObject({ retry: 'poll', waitMs: 5000, lookup: false, reasons: ['+station-printer-unreachable'] });
      expect(d.state).toBeUndefined();
    },
  );
});

describe('typed errors become outcomes (no message text read)', () => {
  it.each([
    [new PrintError('busy', 'whatever', 'server-error-busy', 0x0507), 'send', { kind: 'busy' }],
    [new PrintError('refused', 'ECONNREFUSED'), 'send', { kind: 'refused-connection' }],
    // a message that looks like a refusal does not make a broken connection one
    [new PrintError('network', 'connect ECONNREFUSED (but reset)'), 'send', { kind: 'connection-broken' }],
    [new PrintError('timeout', 'x'), 'send', { kind: 'timeout' }],
    [new PrintError('protocol', 'x'), 'send', { kind: 'broken-reply' }],
    [new PrintError('http', 'x', '503'), 'send', { kind: 'http-error', status: '503' }],
    [new PrintError('unsupported-format', 'x', 'client-error-document-format-not-supported', 0x040a), 'send', { kind: 'unsupported-format' }],
    [new PrintError('ipp', 'x', 'client-error-not-possible', 0x0404), 'send', { kind: 'ipp-client-error', status: 'client-error-not-possible' }],
    [new PrintError('ipp', 'x', 'server-error-device-error', 0x0504), 'send', { kind: 'ipp-server-error' }],
    // by code, whatever the keyword says
    [new PrintError('ipp', 'x', '0x0480', 0x0480), 'send', { kind: 'ipp-client-error' }],
    [new PrintError('ipp', 'x', 'client-error-not-found', 0x0406), 'follow', { kind: 'unknown-after-accept' }],
    [new PrintError('ipp', 'x', 'client-error-not-found', 0x0406), 'send', { kind: 'ipp-client-error' }],
  ] as Array<[PrintError, 'send' | 'follow', Partial<Outcome>]>)('%s (%s)', (e, phase, expected) => {
    expect(outcomeOfError(e, phase)).toMatchObject(expected);
  });

  it('transient: by kind and status class', () => {
    expect(new PrintError('ipp', 'x', 'server-error-busy', 0x0507).transient).toBe(true);
    expect(new PrintError('ipp', 'x', 'client-error-not-found', 0x0406).transient).toBe(false);
    expect(new PrintError('http', 'x', '404').transient).toBe(false);
    expect(new PrintError('http', 'x', '502').transient).toBe(true);
    expect(new PrintError('refused', 'x').transient).toBe(true);
  });
});

describe('waits', () => {
  it('backoff doubles from the interval up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, retry))).toEqual([5000, 10000, 20000, 40000, 60000, 60000]);
  });

  it('a look-up settles only after the late-arrival window: before it, wait for the rest of it', () => {
    const since = '2026-03-27T13:00:00.000Z';
    expect(lookupSettled(since, new Date('2026-03-27T13:00:01.000Z'), 4000)).toEqual({ settled: false, waitMs: 3000 });
    expect(lookupSettled(since, new Date('2026-03-27T13:00:04.000Z'), 4000)).toEqual({ settled: true, waitMs: 0 });
    expect(lookupSettled(since, new Date('2026-03-27T12:59:00.000Z'), 4000)).toEqual({ settled: false, waitMs: 4000 });
    expect(lookupSettled(since, new Date('2026-03-27T13:00:00.000Z'), 0)).toEqual({ settled: true, waitMs: 0 });
  });
});
