// Plain Swedish for states and reasons: what staff read on the touchscreen.
import { describe, it, expect } from 'vitest';
import type { JobState } from '../../src/domain/job.js';
import {
  batchSummary,
  formatClock,
  formatWhen,
  jobStateText,
  jobTone,
  pdfText,
  printerSummary,
  reasonBase,
  reasonText,
  reasonTexts,
  roleText,
  type JobLike,
  type PrinterLike,
} from '../../src/domain/wording.js';

describe('reason keywords in Swedish', () => {
  it.each([
    ['media-empty', 'Papper slut'],
    ['media-empty-report', 'Papper slut'],
    ['media-empty-warning', 'Papper slut'],
    ['media-empty-error', 'Papper slut'],
    ['media-jam-error', 'Papperstrassel'],
    ['toner-empty-warning', 'Toner/bläck slut'],
    ['marker-supply-empty-error', 'Toner/bläck slut'],
    ['toner-low-report', 'Toner snart slut'],
    ['marker-supply-low-warning', 'Toner snart slut'],
    ['door-open-error', 'Luckan är öppen'],
    ['cover-open', 'Luckan är öppen'],
    ['offline-report', 'Offline'],
    ['media-needed-warning', 'Fyll på papper'],
    ['paused', 'Pausad'],
    ['station-unreachable', 'Skrivaren svarar inte'],
    ['station-timeout', 'Skrivaren svarar inte (tidsgräns)'],
    ['document-format-not-supported', 'Tar inte emot PDF – behöver en CUPS-kö'],
    ['job-canceled-by-user', 'Avbruten av personal'],
    ['job-completed-with-errors', 'Utskriven med fel'],
    ['station-fallback', 'Reservskrivaren tar över'],
    // unknown keywords are shown as themselves, suffix and all
    ['developer-low-report', 'developer-low-report'],
    ['station-client-error-not-possible', 'station-client-error-not-possible'],
    ['constructor', 'constructor'],
    ['__proto__', '__proto__'],
  ])('%s → %s', (keyword, text) => {
    expect(reasonText(keyword)).toBe(text);
  });

  it.each([
    ['media-empty-report', 'media-empty'],
    ['job-completed-with-errors', 'job-completed-with-errors'],
    ['job-completed-with-warnings', 'job-completed-with-warnings'],
    ['offline', 'offline'],
  ])('strips only the severity suffix: %s → %s', (keyword, base) => {
    expect(reasonBase(keyword)).toBe(base);
  });

  it('lists reasons once each and drops "none"', () => {
    expect(reasonTexts(['none', 'door-open-error', 'cover-open-report', 'media-empty-report'])).toEqual(['Luckan är öppen', 'Papper slut']);
  });
});

describe('job states in Swedish', () => {
  it.each<[JobState, string[], string, string]>([
    ['pending', [], 'Väntar', 'wait'],
    ['pending', ['station-retrying'], 'Väntar – försöker igen', 'wait'],
    ['pending', ['station-retrying', 'station-printer-unreachable'], 'Väntar på skrivaren', 'warn'],
    ['held', [], 'Pausad', 'wait'],
    ['processing', [], 'Skrivs ut', 'busy'],
    ['processing', ['station-sending'], 'Skickas', 'busy'],
    ['completed', ['job-completed-successfully'], 'Klar', 'ok'],
    ['aborted', ['job-aborted-by-system'], 'Avbruten av skrivaren', 'bad'],
    ['aborted', [], 'Avbruten av skrivaren', 'bad'],
    ['aborted', ['station-retry-limit'], 'Misslyckades', 'bad'],
    ['aborted', ['document-format-not-supported'], 'Misslyckades', 'bad'],
    ['aborted', ['station-client-error-document-format-not-supported'], 'Misslyckades', 'bad'],
    ['canceled', ['job-canceled-by-user'], 'Avbruten', 'warn'],
  ])('%s %j → %s', (state, reasons, text, tone) => {
    expect(jobStateText(state, reasons)).toBe(text);
    expect(jobTone(state, reasons)).toBe(tone);
  });
});

describe('printer state in Swedish', () => {
  const p = (over: Partial<PrinterLike>): PrinterLike => ({ reachable: true, state: 'idle', reasons: [], acceptsPdf: true, ...over });
  it.each<[string, PrinterLike, string, string, boolean]>([
    ['idle', p({}), 'Redo', 'ok', true],
    ['processing', p({ state: 'processing' }), 'Skriver ut', 'busy', true],
    ['stopped', p({ state: 'stopped' }), 'Stoppad', 'bad', false],
    ['stopped with paper out', p({ state: 'stopped', reasons: ['media-empty-error'] }), 'Stoppad – Papper slut', 'bad', false],
    ['idle but paper out (report)', p({ reasons: ['media-empty-report'] }), 'Redo – Papper slut', 'bad', false],
    ['door open', p({ state: 'stopped', reasons: ['door-open-error', 'cover-open-report'] }), 'Stoppad – Luckan är öppen', 'bad', false],
    ['toner low', p({ reasons: ['toner-low-report'] }), 'Redo – Toner snart slut', 'warn', true],
    ['unknown reason only', p({ reasons: ['developer-low-report'] }), 'Redo', 'ok', true],
    ['no PDF', p({ acceptsPdf: false }), 'Redo – Tar inte emot PDF – behöver en CUPS-kö', 'bad', false],
    ['unreachable', p({ reachable: false, state: 'unknown', reasons: ['station-unreachable'] }), 'Skrivaren svarar inte', 'bad', false],
    ['timed out', p({ reachable: false, state: 'unknown', reasons: ['station-timeout'] }), 'Skrivaren svarar inte (tidsgräns)', 'bad', false],
    ['unreachable, no reason', p({ reachable: false, state: 'unknown' }), 'Skrivaren svarar inte', 'bad', false],
    ['not asked yet', p({ reachable: null, state: 'unknown', acceptsPdf: null }), 'Kontrolleras …', 'idle', false],
    ['answered, state unknown', p({ state: 'unknown' }), 'Okänd', 'bad', false],
  ])('%s', (_name, printer, text, tone, ready) => {
    expect(printerSummary(printer)).toEqual({ text, tone, ready });
  });

  it.each([
    [true, 'Tar emot PDF'],
    [false, 'Tar inte emot PDF – behöver en CUPS-kö, se README'],
    [null, 'Inte kontrollerat än'],
  ])('PDF support %s → %s', (accepts, text) => {
    expect(pdfText(accepts)).toBe(text);
  });

  it.each([
    ['a4', 'A4-dokument'],
    ['labels-roll', 'Etikettrulle'],
    ['special', 'special'],
  ])('role %s → %s', (role, text) => expect(roleText(role)).toBe(text));
});

describe('the banner over a batch', () => {
  const j = (state: JobState, title = 'Telefonlista', message = '', reasons: string[] = []): JobLike => ({ state, title, message, reasons });
  it.each<[string, JobLike[], string, string]>([
    ['all done', [j('completed'), j('completed')], 'completed', 'Klart – alla dokument utskrivna'],
    ['still printing', [j('completed'), j('processing'), j('pending')], 'printing', 'Skriver ut … 1 av 3 klara'],
    [
      'waiting for a printer',
      [j('pending', 'A', 'Skrivaren svarar inte – försöker igen kl 14:03:05.', ['station-retrying', 'station-printer-unreachable'])],
      'printing',
      'Väntar på skrivaren … 0 av 1 klara',
    ],
    [
      'one failed, with the dispatcher’s message',
      [j('completed', 'Checklista'), j('aborted', 'Telefonlista', 'Skrivaren avbröt jobbet.')],
      'failed',
      'Något gick fel: Telefonlista: Skrivaren avbröt jobbet.',
    ],
    ['canceled without a message', [j('canceled', 'Kvittoblock', '', ['job-canceled-by-user'])], 'failed', 'Något gick fel: Kvittoblock: Avbruten.'],
    [
      'two for one reason, named together',
      [j('canceled', 'A', 'Avbrutet av personal.'), j('canceled', 'B', 'Avbrutet av personal.'), j('aborted', 'C', '', ['station-retry-limit'])],
      'failed',
      'Något gick fel: A och B: Avbrutet av personal; C: Misslyckades.',
    ],
    [
      'many for one reason, counted',
      [j('completed'), j('canceled', 'A', 'Avbrutet av personal.'), j('canceled', 'B', 'Avbrutet av personal.'), j('canceled', 'C', 'Avbrutet av personal.')],
      'failed',
      'Något gick fel: Avbrutet av personal (3 dokument).',
    ],
    ['nothing in it', [], 'completed', 'Utskriften har inga dokument.'],
  ])('%s', (_name, jobs, state, text) => {
    const s = batchSummary(jobs);
    expect(s.state).toBe(state);
    expect(s.text).toBe(text);
  });
});

describe('times in the station time zone', () => {
  it('shows the clock in Stockholm time', () => {
    expect(formatClock('2026-03-03T13:03:05Z', 'Europe/Stockholm')).toBe('14:03:05');
    expect(formatClock('2026-07-03T13:03:05Z', 'Europe/Stockholm')).toBe('15:03:05');
  });
  it('says "i dag" for today and the date otherwise', () => {
    const now = new Date('2026-03-03T20:00:00Z');
    expect(formatWhen('2026-03-03T13:03:05Z', 'Europe/Stockholm', now)).toBe('i dag 14:03');
    expect(formatWhen('2026-03-01T13:03:05Z', 'Europe/Stockholm', now)).toBe('1 mars 14:03');
  });
});
