// The one table of what happens to a job after each thing a printer (or the station's own checks)
// can answer — CUPS' finalize_job in one place. A backend outcome (accepted, busy, refused,
// timeout, broken reply, an IPP status of some class, the printer's own job state, a job the
// printer no longer knows …) becomes: the job's next state, the reasons added and removed, the
// message staff read, when to try again, and whether the send must be looked up on the printer
// before it may be sent again. The dispatcher applies the decision and decides nothing itself.
// Outcomes come from typed errors (PrintError.kind, IPP status codes), never from message text.
import type { JobState } from '../domain/job.js';
import { ippStatusClass, PrintError, type RemoteJobState } from './backend.js';
import { formatClock } from '../domain/wording.js';

export type Outcome =
  /** Print-Job answered successful-ok: the printer has the job. */
  | { kind: 'accepted'; printerJobId: number }
  /** A send from before (a crash, a timeout) was found on the printer by its exact name. */
  | { kind: 'found-on-printer'; printerJobId: number }
  /** server-error-busy: printing something else; it does not have our job. */
  | { kind: 'busy' }
  /** Connection refused: nothing listening, so the printer did not get the request. */
  | { kind: 'refused-connection'; detail: string }
  /** The connection broke during the exchange: the printer may have the job. */
  | { kind: 'connection-broken'; detail: string }
  /** No complete answer within the deadline: the printer may have the job. */
  | { kind: 'timeout'; detail: string }
  /** An answer that is not usable IPP: the printer may have the job. */
  | { kind: 'broken-reply'; detail: string }
  /** An HTTP status other than 200 (the IPP request was not taken). */
  | { kind: 'http-error'; status: string; detail: string }
  /** An IPP status of class client-error (the request is wrong for this printer: sending it again fails again). */
  | { kind: 'ipp-client-error'; status: string; detail: string }
  /** An IPP status of class server-error other than busy (the printer cannot take it now). */
  | { kind: 'ipp-server-error'; status: string; detail: string }
  /** The printer does not take the job's format, PDF or ZPL (its answer, or its document-format-supported before sending). */
  | { kind: 'unsupported-format'; format?: 'pdf' | 'zpl' }
  /** The job's PDF is no longer in the spool: it cannot be sent (it must not hold up the queue). */
  | { kind: 'spool-missing' }
  /** The printer's answer about a job it accepted. */
  | { kind: 'printer-job'; state: RemoteJobState; reasons: string[]; message: string }
  /** The printer no longer knows a job it accepted (restarted, or renumbered): it probably printed. */
  | { kind: 'unknown-after-accept' };

export type OutcomeKind = Outcome['kind'];

export interface RetrySettings {
  intervalSeconds: number;
  maxIntervalSeconds: number;
  limit: number;
  pollSeconds: number;
}

export interface OutcomeContext {
  /** Sending the job (Print-Job, or the look-up before it) or following one the printer accepted. */
  phase: 'send' | 'follow';
  /** Sends tried since the job was (re)queued, this one included. */
  attempts: number;
  /** Busy answers in a row from this printer before this one. */
  busyInARow: number;
  /** The job's reasons now (to drop printer reasons that are gone). */
  reasons: readonly string[];
  retry: RetrySettings;
  now: Date;
  timeZone: string;
  /** The printer's fallback, when it has one and the job has waited long enough for it to take over. */
  fallbackDue?: { id: string; name: string; printerName: string };
}

export interface Decision {
  /** The job's next state; undefined leaves it as it is. */
  state?: JobState;
  /** "+reason" adds, "-reason" removes. */
  reasons: string[];
  message?: string;
  /** False: nothing about the job changed and nothing is written (a busy answer). */
  write: boolean;
  /** What the sender does next with this job: send the next one, try this one again after waitMs, or leave it. */
  retry: 'next' | 'again' | 'never' | 'poll';
  /** How long to wait before trying again (or polling). */
  waitMs: number;
  /** The request may have reached the printer: find it by name before sending it again. */
  lookup: boolean;
  /** The printer certainly does not have this send: it may go again under the same send number. */
  absent: boolean;
  /** The fallback printer takes the job over (ctx.fallbackDue). */
  fallback?: boolean;
}

/** Reasons the station sets while it sends and waits; cleared once the printer answers about the job. */
export const transientStationReasons = ['station-sending', 'station-retrying', 'station-printer-unreachable'] as const;
const clearTransient = transientStationReasons.map((r) => `-${r}`);

/**
 * The wait after the n-th busy answer in a row (n from 0). A printer answers "busy" while it
 * prints the job before, which takes a quarter of a second to a few seconds: for the first 200
 * tries (at least one second) it is asked every 5 ms, as a good bare client would (ipptool retried
 * every 5 ms is the bench's peer; the kit figure "printer taking 0.25 s per job ≤ 1.0× ipptool"
 * needs it: a wait that grew within the first second cost ~40 ms per job, 1.11×). A printer busy
 * for longer (a large job) is asked less and less often, the wait growing by half to once a second.
 */
export function busyRetryMs(n: number): number {
  return n < BUSY_FAST_TRIES ? 5 : Math.min(Math.round(5 * 1.5 ** (n - BUSY_FAST_TRIES + 1)), 1000);
}
const BUSY_FAST_TRIES = 200;

/** The wait after the n-th failed send (n from 1): the interval, doubling, at most the maximum. */
export function backoffMs(attempts: number, retry: RetrySettings): number {
  return Math.min(retry.intervalSeconds * 2 ** Math.max(0, attempts - 1), retry.maxIntervalSeconds) * 1000;
}

/** A PrintError from a backend as an outcome (by its kind and IPP status class, never its text). */
export function outcomeOfError(e: PrintError, phase: 'send' | 'follow'): Outcome {
  const detail = e.message;
  switch (e.kind) {
    case 'busy':
      return { kind: 'busy' };
    case 'refused':
      return { kind: 'refused-connection', detail };
    case 'network':
      return { kind: 'connection-broken', detail };
    case 'timeout':
      return { kind: 'timeout', detail };
    case 'protocol':
      return { kind: 'broken-reply', detail };
    case 'http':
      return { kind: 'http-error', status: e.status ?? '', detail };
    case 'unsupported-format':
      return { kind: 'unsupported-format' };
    case 'ipp': {
      // Asked about a job it accepted, the printer says there is no such job.
      if (phase === 'follow' && e.statusCode === 0x0406) return { kind: 'unknown-after-accept' };
      const status = e.status ?? '';
      return ippStatusClass(e) === 'client-error' ? { kind: 'ipp-client-error', status, detail } : { kind: 'ipp-server-error', status, detail };
    }
  }
}

const NOT_PDF = 'Skrivaren tar inte emot PDF – den behöver en CUPS-kö framför sig (se README, "Skrivare").';
const NOT_ZPL = 'Skrivaren tar inte emot ZPL – kontrollera skrivarens format i konfigurationen (se docs/label-printers.md).';
export const PROBABLY_PRINTED =
  'Skrivaren känner inte längre till jobbet (den har startats om). Det skrevs troligen ut – kontrollera papperet och tryck Skriv ut igen bara om det saknas.';

/** The table: one row per outcome. */
export function decide(o: Outcome, ctx: OutcomeContext): Decision {
  const base = { write: true, lookup: false, absent: false, waitMs: 0 } as const;
  switch (o.kind) {
    case 'accepted':
      return { ...base, state: 'processing', reasons: clearTransient, message: '', retry: 'next' };
    case 'found-on-printer':
      return { ...base, state: 'processing', reasons: [...clearTransient, '+station-resumed'], message: '', retry: 'next' };
    case 'busy':
      // Not a state change: the printer will take the job in a moment. Nothing is written.
      return { ...base, write: false, reasons: [], retry: 'again', waitMs: busyRetryMs(ctx.busyInARow), absent: true };
    case 'refused-connection':
    case 'http-error':
    case 'ipp-server-error':
    case 'connection-broken':
    case 'timeout':
    case 'broken-reply': {
      if (ctx.phase === 'follow') {
        // The job is on the printer: never resend it; keep asking, less often, until it answers.
        const waitMs = Math.min(ctx.retry.maxIntervalSeconds * 1000, Math.max(ctx.retry.pollSeconds * 1000, ctx.retry.intervalSeconds * 1000));
        return { ...base, reasons: ['+station-printer-unreachable'], message: 'Skrivaren svarar inte – frågar igen om jobbet.', retry: 'poll', waitMs };
      }
      if (o.kind === 'http-error' && o.status.startsWith('4')) {
        return { ...base, state: 'aborted', reasons: [...clearTransient, `+station-http-${o.status}`], message: `Skrivaren svarade med HTTP ${o.status}: ${o.detail}`, retry: 'next', absent: true };
      }
      // The printer answered (an error) or nothing took the connection: it does not have the job.
      // After a broken connection, a timeout or an unreadable answer it may: look it up first.
      const mayHaveIt = o.kind === 'connection-broken' || o.kind === 'timeout' || o.kind === 'broken-reply';
      if (!mayHaveIt && ctx.fallbackDue) {
        const fb = ctx.fallbackDue;
        return { ...base, state: 'pending', reasons: [...clearTransient, '+station-fallback'], message: `${fb.printerName} svarar inte – skrivs ut på ${fb.name} i stället.`, retry: 'next', absent: true, fallback: true };
      }
      if (ctx.attempts >= ctx.retry.limit) {
        return { ...base, state: 'aborted', reasons: [...clearTransient, '+station-retry-limit'], message: `Skrivaren svarade inte efter ${ctx.attempts} försök (${o.detail}).`, retry: 'next', lookup: mayHaveIt, absent: !mayHaveIt };
      }
      const waitMs = backoffMs(ctx.attempts, ctx.retry);
      return {
        ...base,
        state: 'pending',
        reasons: ['-station-sending', '+station-retrying', '+station-printer-unreachable'],
        message: `Skrivaren svarar inte – försöker igen kl ${formatClock(new Date(ctx.now.getTime() + waitMs).toISOString(), ctx.timeZone)}.`,
        retry: 'again',
        waitMs,
        lookup: mayHaveIt,
        absent: !mayHaveIt,
      };
    }
    case 'ipp-client-error':
      return { ...base, state: 'aborted', reasons: [...clearTransient, `+station-${o.status || 'client-error'}`], message: `Skrivaren vägrade jobbet (${o.status}): ${o.detail}`, retry: 'next', absent: true };
    case 'unsupported-format':
      return { ...base, state: 'aborted', reasons: [...clearTransient, '+document-format-not-supported'], message: o.format === 'zpl' ? NOT_ZPL : NOT_PDF, retry: 'next', absent: true };
    case 'spool-missing':
      // Never blocks the printer's queue: this job stops, the next one goes.
      return {
        ...base,
        state: 'aborted',
        reasons: [...clearTransient, '+station-spool-missing'],
        message: 'Utskriftsfilen finns inte längre på stationen, så jobbet kunde inte skickas. Tryck Skriv ut igen för att skapa det på nytt.',
        retry: 'next',
        absent: true,
      };
    case 'printer-job': {
      // Reasons: the printer's own as it states them now; ours stay, except the ones about sending.
      const printer = o.reasons.filter((r) => r !== 'none');
      const keep = (r: string) => (r.startsWith('station-') && !(transientStationReasons as readonly string[]).includes(r)) || printer.includes(r);
      const reasons = [...ctx.reasons.filter((r) => !keep(r)).map((r) => `-${r}`), ...printer.map((r) => `+${r}`)];
      const pollMs = ctx.retry.pollSeconds * 1000;
      switch (o.state) {
        case 'completed':
          return { ...base, state: 'completed', reasons, message: '', retry: 'never' };
        case 'canceled':
          return { ...base, state: 'canceled', reasons, message: o.message, retry: 'never' };
        case 'aborted':
          return { ...base, state: 'aborted', reasons, message: o.message || 'Skrivaren avbröt jobbet.', retry: 'never' };
        case 'pending':
          return { ...base, state: 'pending', reasons, message: o.message, retry: 'poll', waitMs: pollMs };
        case 'pending-held':
          return { ...base, state: 'pending-held', reasons, message: o.message, retry: 'poll', waitMs: pollMs };
        case 'processing':
        case 'processing-stopped':
          return { ...base, state: 'processing', reasons, message: o.message, retry: 'poll', waitMs: pollMs };
      }
      break;
    }
    case 'unknown-after-accept':
      // It was accepted, so it most likely printed (README's promise: what the printer completed is
      // not sent again). Staff decide: never resent automatically.
      return { ...base, state: 'pending-held', reasons: [...clearTransient, '+station-probably-printed'], message: PROBABLY_PRINTED, retry: 'never' };
  }
  throw new Error(`[outcomes] no row for ${JSON.stringify(o)}`);
}

/**
 * Whether a send that may have reached the printer, and is not among its jobs, can be taken as lost.
 * A request written just before the station died can still sit unread at a loaded printer and
 * become a job seconds later (the duplicates seen on a loaded machine: send .1 appeared after the
 * restarted station had looked for it and sent .2). So "not there" counts only once the send is
 * older than the backend's lateArrivalMs (twice an IPP printer's request deadline); until then the
 * look-up is repeated.
 */
export function lookupSettled(sendingSince: string, now: Date, lateArrivalMs: number): { settled: boolean; waitMs: number } {
  const age = now.getTime() - Date.parse(sendingSince);
  if (!(age < lateArrivalMs)) return { settled: true, waitMs: 0 };
  // A clock that went backwards (age < 0) waits one full lateArrivalMs, no more.
  return { settled: false, waitMs: lateArrivalMs - Math.max(0, age) };
}
