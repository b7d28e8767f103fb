// Plain Swedish for states and reasons: what staff read on the touchscreen.
import { describe, it, expect } from 'vitest';
import type { JobState } from '../../src/domain/job.js';
import {
  batchSummary,
  blockShortText,
  printerAdvice,
  quantityText,
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
    ['pending-held', [], 'Pausad', 'wait'],
    ['processing', [], 'Skrivs ut', 'busy'],
    ['processing', ['station-sending'], 'Skickas', 'busy'],
    ['completed', ['job-completed-successfully'], 'Klar', 'ok'],
    ['aborted', ['job-aborted-by-system'], 'Avbruten av skrivaren', 'bad'],
    ['aborted', [], 'Avbruten av skrivaren', 'bad'],
    ['aborted', ['station-retry-limit'], 'Misslyckades', 'bad'],
    ['aborted', ['document-format-not-supported'], 'Misslyckades', 'bad'],
    ['aborted', ['station-client-error-document-format-not-supported'], 'Misslyckades', 'bad'],
    ['canceled', ['job-canceled-by-user'], 'Avbruten', 'idle'],
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
    // never "Redo" beside a reason that stops printing
    ['idle but paper out (report)', p({ reasons: ['media-empty-report'] }), 'Papper slut', 'bad', false],
    ['printing but jammed', p({ state: 'processing', reasons: ['media-jam-error'] }), 'Papperstrassel', 'bad', false],
    ['door open', p({ state: 'stopped', reasons: ['door-open-error', 'cover-open-report'] }), 'Stoppad – Luckan är öppen', 'bad', false],
    ['toner low', p({ reasons: ['toner-low-report'] }), 'Redo – Toner snart slut', 'warn', true],
    ['unknown reason only', p({ reasons: ['developer-low-report'] }), 'Redo', 'ok', true],
    ['no PDF', p({ acceptsPdf: false }), 'Tar inte emot PDF – behöver en CUPS-kö', 'bad', false],
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
    // a staff cancel is grey "Avbruten", not an error
    ['canceled without a message', [j('canceled', 'Kvittoblock', '', ['job-canceled-by-user'])], 'canceled', 'Avbruten – 0 av 1 utskrivna'],
    [
      'two for one reason, named together',
      [j('canceled', 'A', 'Avbrutet av personal.'), j('canceled', 'B', 'Avbrutet av personal.'), j('aborted', 'C', '', ['station-retry-limit'])],
      'failed',
      'Något gick fel: A och B: Avbrutet av personal; C: Misslyckades.',
    ],
    [
      'many for one reason, counted',
      [j('completed'), j('aborted', 'A', 'Papperstrassel.'), j('aborted', 'B', 'Papperstrassel.'), j('aborted', 'C', 'Papperstrassel.')],
      'failed',
      'Något gick fel: Papperstrassel (3 dokument).',
    ],
    ['nothing in it', [], 'completed', 'Utskriften har inga dokument.'],
    ['the rest cancelled by staff', [j('completed'), j('canceled', 'A', 'Avbrutet av personal.')], 'canceled', 'Avbruten – 1 av 2 utskrivna'],
  ])('%s', (_name, jobs, state, text) => {
    const s = batchSummary(jobs);
    expect(s.state).toBe(state);
    expect(s.text).toBe(text);
  });

  it('a kit whose blocks left documents out is not "all printed", even when everything sent came out', () => {
    expect(batchSummary([j('completed')], 1)).toEqual({ state: 'completed', tone: 'warn', text: 'Klart – men allt kunde inte skrivas ut, se nedan' });
    expect(batchSummary([], 2).state).toBe('failed');
    expect(batchSummary([j('canceled')]).tone).toBe('idle');
  });
});

describe('what to do about a printer, and whom to call', () => {
  const p = (over: Partial<PrinterLike>): PrinterLike => ({ reachable: true, state: 'idle', reasons: [], acceptsPdf: true, ...over });
  it.each<[string, PrinterLike, string | undefined]>([
    ['ready', p({}), undefined],
    ['paper out', p({ reasons: ['media-empty-report'] }), 'Fyll på papper i facket (och skjut in facket helt). Hjälper inte det: ring IT-support 040-123.'],
    ['jam', p({ state: 'stopped', reasons: ['media-jam-error'] }), 'Öppna luckan och dra försiktigt ut papperet som fastnat. Hjälper inte det: ring IT-support 040-123.'],
    ['unreachable', p({ reachable: false, state: 'unknown', reasons: ['station-unreachable'] }), 'Kontrollera att skrivaren är påslagen och att nätverkskabeln sitter i. Välj annars en annan skrivare. Hjälper inte det: ring IT-support 040-123.'],
    ['no PDF', p({ acceptsPdf: false }), 'Skrivaren behöver en CUPS-kö framför sig: ring IT-support. Välj en annan skrivare så länge. Hjälper inte det: ring IT-support 040-123.'],
    ['toner low: advice, no call', p({ reasons: ['toner-low-report'] }), undefined],
    ['stopped, no reason', p({ state: 'stopped' }), 'Starta om skrivaren. Välj annars en annan skrivare. Hjälper inte det: ring IT-support 040-123.'],
    ['not asked yet', p({ reachable: null, state: 'unknown' }), undefined],
  ])('%s', (_name, printer, text) => {
    expect(printerAdvice(printer, 'IT-support 040-123')).toBe(text);
  });

  it('without unit.itSupport the advice names no number', () => {
    expect(printerAdvice(p({ reasons: ['media-empty-report'] }))).toBe('Fyll på papper i facket (och skjut in facket helt).');
  });
});

describe('the one wording for a number block that cannot cover a print', () => {
  const s = { name: 'Remissnummer', contact: 'Laboratoriet 040-99', block: 'RV1–RV9' };
  it.each<[Parameters<typeof blockShortText>[4], number, number, string]>([
    ['refused', 0, 2, 'Nummerblocket "Remissnummer" (RV1–RV9) är slut, så Provtagningsremiss skrevs inte ut. Kontakta Laboratoriet 040-99 för ett nytt nummerblock.'],
    ['refused', 1, 2, 'Bara 1 nummer kvar i blocket "Remissnummer", men Provtagningsremiss behöver 2. Ingenting skrevs ut och inga nummer drogs. Skriv ut högst 1 och kontakta Laboratoriet 040-99 för ett nytt nummerblock.'],
    ['before', 8, 10, 'Nummerblocket "Remissnummer" räcker bara till 8 av 10 Provtagningsremiss: 2 skrivs inte ut. Resten av kitet skrivs ut. Kontakta Laboratoriet 040-99 för ett nytt nummerblock.'],
    ['partial', 8, 10, '8 av 10 utskrivna: nummerblocket "Remissnummer" räckte inte, 2 skrevs inte ut. Kontakta Laboratoriet 040-99 för ett nytt nummerblock.'],
    ['partial', 0, 10, 'Inte utskrivet: nummerblocket "Remissnummer" är slut (10 st behövdes). Kontakta Laboratoriet 040-99 för ett nytt nummerblock.'],
  ])('%s, %i of %i', (outcome, remaining, requested, text) => {
    expect(blockShortText(s, remaining, requested, 'Provtagningsremiss', outcome)).toBe(text);
  });

  it('quantities read alike on the confirm and the progress page', () => {
    expect(quantityText(10)).toBe('10 st');
    expect(quantityText(10, 10)).toBe('10 st, 10 sidor');
    expect(quantityText(1, 1)).toBe('1 st, 1 sida');
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
