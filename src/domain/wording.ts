// Plain Swedish for job states, printer states and IPP reason keywords, as staff read them on the
// touchscreen. Everything here is pure. The live page (static/app.js) decides no state itself: the
// server sends it what to show (jobShown, batchShown, printerShown, through http/views.ts and the
// events stream), and only the texts the script sets on its own go along with it (clientWording).
import type { SeriesConfig } from '../config.js';
import type { JobState } from './job.js';
import { batchActions, batchState, jobActions, type ActionJob, type BatchActions, type BatchState, type JobActions } from './batch-state.js';
import { formatBlock } from './serials.js';
import type { PrinterState } from '../printing/backend.js';
import { dateFormat, swedishMonthsShort, swedishWeekdaysShort } from './time.js';

/** How a state looks: the page picks colour AND icon from it, never colour alone. */
export type Tone = 'ok' | 'busy' | 'wait' | 'warn' | 'bad' | 'idle';

export const jobStateWords: Readonly<Record<JobState, string>> = {
  pending: 'Väntar',
  'pending-held': 'Pausad',
  processing: 'Skrivs ut',
  completed: 'Klar',
  aborted: 'Avbruten av skrivaren',
  canceled: 'Avbruten',
};

/**
 * Refinements of a job state by its reasons, first match wins. A reason ending in "*" matches
 * by prefix. An aborted job with one of our own reasons was given up by the station, not the printer.
 */
export const jobStateRules: ReadonlyArray<{ state: JobState; reasons: readonly string[]; text: string }> = [
  { state: 'pending-held', reasons: ['station-rendering'], text: 'Förbereds' },
  { state: 'pending-held', reasons: ['station-probably-printed'], text: 'Troligen utskrivet – kontrollera' },
  { state: 'aborted', reasons: ['station-*', 'document-format-not-supported'], text: 'Misslyckades' },
  { state: 'pending', reasons: ['station-printer-unreachable'], text: 'Väntar på skrivaren' },
  { state: 'pending', reasons: ['station-retrying'], text: 'Väntar – försöker igen' },
  { state: 'processing', reasons: ['station-sending'], text: 'Skickas' },
];

export const jobStateTones: Readonly<Record<JobState, Tone>> = {
  pending: 'wait',
  'pending-held': 'wait',
  processing: 'busy',
  completed: 'ok',
  aborted: 'bad',
  // A cancel is what staff asked for: grey, not an error.
  canceled: 'idle',
};

export const printerStateWords: Readonly<Record<PrinterState, string>> = {
  idle: 'Redo',
  processing: 'Skriver ut',
  stopped: 'Stoppad',
  unknown: 'Okänd',
};

/** Reason keywords without their -report / -warning / -error suffix. */
export const reasonWords: Readonly<Record<string, string>> = {
  // printer-state-reasons (RFC 8011, PWG 5100.x)
  'media-empty': 'Papper slut',
  'media-needed': 'Fyll på papper',
  'media-low': 'Papperet börjar ta slut',
  'media-jam': 'Papperstrassel',
  'media-path-jam': 'Papperstrassel',
  'input-tray-missing': 'Pappersfacket saknas',
  'output-tray-missing': 'Utmatningsfacket saknas',
  'output-area-full': 'Utmatningsfacket är fullt',
  'output-area-almost-full': 'Utmatningsfacket är nästan fullt',
  'toner-empty': 'Toner/bläck slut',
  'marker-supply-empty': 'Toner/bläck slut',
  'toner-low': 'Toner snart slut',
  'marker-supply-low': 'Toner snart slut',
  'marker-waste-full': 'Spillbehållaren är full',
  'marker-waste-almost-full': 'Spillbehållaren är nästan full',
  'door-open': 'Luckan är öppen',
  'cover-open': 'Luckan är öppen',
  'interlock-open': 'Luckan är öppen',
  offline: 'Offline',
  paused: 'Pausad',
  'moving-to-paused': 'Pausas',
  shutdown: 'Avstängd',
  'spool-area-full': 'Skrivarens minne är fullt',
  'fuser-over-temp': 'Fixeringsenheten är för varm',
  'fuser-under-temp': 'Värms upp',
  'connecting-to-device': 'Ansluter',
  'timed-out': 'Tidsgräns',
  'identify-printer-requested': 'Visar var den står',
  other: 'Annat fel',
  // job-state-reasons
  'job-queued': 'I kö hos skrivaren',
  'queued-in-device': 'I kö hos skrivaren',
  'job-incoming': 'Tas emot',
  'job-interpreting': 'Förbereds',
  'job-transforming': 'Förbereds',
  'job-printing': 'Skrivs ut',
  'job-completed-successfully': 'Utskriven',
  'job-completed-with-warnings': 'Utskriven med varningar',
  'job-completed-with-errors': 'Utskriven med fel',
  'job-canceled-by-user': 'Avbruten av personal',
  'job-canceled-by-operator': 'Avbruten vid skrivaren',
  'job-canceled-at-device': 'Avbruten vid skrivaren',
  'aborted-by-system': 'Avbruten av skrivaren',
  'job-aborted-by-system': 'Avbruten av skrivaren',
  'processing-to-stop-point': 'Avbryts',
  'printer-stopped': 'Skrivaren är stoppad',
  'printer-stopped-partly': 'Skrivaren är delvis stoppad',
  'resources-are-not-ready': 'Skrivaren är inte redo',
  'job-hold-until-specified': 'Pausad',
  'document-access-error': 'Dokumentet kunde inte läsas',
  'document-format-error': 'Fel i dokumentet',
  'document-format-not-supported': 'Tar inte emot PDF – behöver en CUPS-kö',
  // our own (station-)
  'station-unreachable': 'Skrivaren svarar inte',
  'station-timeout': 'Skrivaren svarar inte (tidsgräns)',
  'station-printer-unreachable': 'Skrivaren svarar inte',
  'station-sending': 'Skickas',
  'station-retrying': 'Försöker igen',
  'station-fallback': 'Reservskrivaren tar över',
  'station-retry-limit': 'Gav upp efter för många försök',
  'station-resumed': 'Återupptaget efter omstart',
  'station-resent': 'Skickat igen',
  'station-moved': 'Flyttad till en annan skrivare',
  'station-resolution-mismatch': 'Fel upplösning (dpi) i konfigurationen',
  'station-lost': 'Skrivaren tappade jobbet',
  'station-probably-printed': 'Skrivaren glömde jobbet – troligen utskrivet',
  'station-spool-missing': 'Utskriftsfilen finns inte kvar',
  'station-reprint': 'Skrivs ut igen',
};

/**
 * What staff can do about a printer problem, by base reason keyword, first match in this order.
 * The page adds "Ring {itSupport}" (config unit.itSupport) when the station knows whom to call.
 */
export const adviceWords: ReadonlyArray<{ reasons: readonly string[]; text: string }> = [
  { reasons: ['station-unreachable', 'station-timeout', 'offline', 'shutdown', 'connecting-to-device'], text: 'Kontrollera att skrivaren är påslagen och att nätverkskabeln sitter i. Välj annars en annan skrivare.' },
  { reasons: ['media-empty', 'media-needed', 'input-tray-missing'], text: 'Fyll på papper i facket (och skjut in facket helt).' },
  { reasons: ['media-jam', 'media-path-jam'], text: 'Öppna luckan och dra försiktigt ut papperet som fastnat.' },
  { reasons: ['door-open', 'cover-open', 'interlock-open'], text: 'Stäng skrivarens lucka.' },
  { reasons: ['toner-empty', 'marker-supply-empty'], text: 'Byt toner eller bläck.' },
  { reasons: ['output-area-full', 'output-tray-missing'], text: 'Töm utmatningsfacket.' },
  { reasons: ['marker-waste-full'], text: 'Byt spillbehållaren.' },
  { reasons: ['paused', 'moving-to-paused'], text: 'Starta skrivaren igen från dess panel.' },
  { reasons: ['station-no-pdf'], text: 'Skrivaren behöver en CUPS-kö framför sig: ring IT-support. Välj en annan skrivare så länge.' },
];

/** Printer reasons (by base keyword) that stop printing: the printer is shown as not ready (red). */
export const blockingReasons: readonly string[] = [
  'media-empty',
  'media-needed',
  'media-jam',
  'media-path-jam',
  'input-tray-missing',
  'output-tray-missing',
  'output-area-full',
  'toner-empty',
  'marker-supply-empty',
  'marker-waste-full',
  'door-open',
  'cover-open',
  'interlock-open',
  'offline',
  'paused',
  'moving-to-paused',
  'shutdown',
  'spool-area-full',
  'fuser-over-temp',
  'other',
  'station-unreachable',
  'station-timeout',
];

/** Printer reasons that still print but need attention soon (yellow). */
export const warningReasons: readonly string[] = [
  'media-low',
  'toner-low',
  'marker-supply-low',
  'marker-waste-almost-full',
  'output-area-almost-full',
  'fuser-under-temp',
];

export const printerTexts = {
  unreachable: 'Skrivaren svarar inte',
  notChecked: 'Kontrolleras …',
  noPdf: 'Tar inte emot PDF – behöver en CUPS-kö',
  /** Whom to call, after the advice: "Ring {who}." */
  call: 'Hjälper inte det: ring {who}.',
  otherProblem: 'Starta om skrivaren. Välj annars en annan skrivare.',
} as const;

/** What a printer is used for (config roles). */
export const roleWords: Readonly<Record<string, string>> = {
  a4: 'A4-dokument',
  'labels-sheet': 'Etikettark',
  'labels-roll': 'Etikettrulle',
};

export function roleText(role: string): string {
  return Object.hasOwn(roleWords, role) ? roleWords[role]! : role;
}

/** Short words for a whole batch in lists of recent prints. */
export const batchStateWords = {
  printing: 'Skriver ut',
  completed: 'Klar',
  failed: 'Något gick fel',
  canceled: 'Avbruten',
} as const;

/** Asking once more before a large print (static/app.js, forms with data-confirm-over). */
export const confirmTexts = {
  question: 'Du skriver ut {n} {unit}. Stämmer det? Tryck en gång till för att skriva ut.',
  yes: 'Ja, skriv ut {n} {unit}',
} as const;

/** Texts the live page sets itself. */
export const liveTexts = {
  sending: 'Skickar …',
  connected: 'Uppdateras direkt',
  lost: 'Kontakten med stationen bröts – försöker igen …',
  /** Shown when the page stops following (the batch is finished): nothing. */
  finished: '',
} as const;

export const bannerTexts = {
  completed: 'Klart – alla dokument utskrivna',
  failed: 'Något gick fel: ',
  printing: 'Skriver ut …',
  waiting: 'Väntar på skrivaren …',
  /** "{done} av {total} klara" */
  progress: '{done} av {total} klara',
  empty: 'Utskriften har inga dokument.',
  /** Several documents failed for one reason: "{why} ({count} dokument)". */
  manyFailed: '{why} ({count} dokument)',
  /** Staff cancelled what was left: "Avbruten – {done} av {total} utskrivna". */
  canceled: 'Avbruten – {done} av {total} utskrivna',
  /** Everything sent printed, but number blocks left some documents out. */
  completedShort: 'Klart – men allt kunde inte skrivas ut, se nedan',
} as const;

/** "10 st" or "10 st, 20 sidor": the confirm page and the progress page count alike. */
export function quantityText(count: number, sheets?: number): string {
  return sheets && sheets > 0 ? `${count} st, ${sheets} ${sheets === 1 ? 'sida' : 'sidor'}` : `${count} st`;
}

const suffix = /-(report|warning|error)$/;

/** The keyword without its IPP severity suffix ("media-empty-report" → "media-empty"). */
export function reasonBase(keyword: string): string {
  return keyword.replace(suffix, '');
}

/** Plain Swedish for a reason keyword; an unknown keyword is shown as itself. */
export function reasonText(keyword: string): string {
  const base = reasonBase(keyword);
  // own keys only: a keyword such as "constructor" must not find Object.prototype
  return Object.hasOwn(reasonWords, base) ? reasonWords[base]! : keyword;
}

/** The reasons worth showing staff, in Swedish, without repeats ("none" dropped). */
export function reasonTexts(keywords: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of keywords) {
    if (k === 'none') continue;
    const t = reasonText(k);
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

function matchesReason(pattern: string, reasons: readonly string[]): boolean {
  return pattern.endsWith('*') ? reasons.some((r) => r.startsWith(pattern.slice(0, -1))) : reasons.includes(pattern);
}

export function jobStateText(state: JobState, reasons: readonly string[] = []): string {
  const rule = jobStateRules.find((r) => r.state === state && r.reasons.some((p) => matchesReason(p, reasons)));
  return rule ? rule.text : jobStateWords[state];
}

export function jobTone(state: JobState, reasons: readonly string[] = []): Tone {
  if (state === 'pending' && reasons.includes('station-printer-unreachable')) return 'warn';
  if (state === 'pending-held' && reasons.includes('station-probably-printed')) return 'warn';
  return jobStateTones[state];
}

/** The part of a printer view the wording needs (PrinterView fits). */
export interface PrinterLike {
  reachable: boolean | null;
  state: PrinterState;
  reasons: readonly string[];
  acceptsPdf: boolean | null;
}

export interface PrinterSummary {
  /** One line: "Redo", "Stoppad – Papper slut", "Skrivaren svarar inte". */
  text: string;
  tone: Tone;
  /** False when a print sent now would not come out (shown red). */
  ready: boolean;
}

export function printerSummary(p: PrinterLike): PrinterSummary {
  if (p.reachable === false) {
    const texts = reasonTexts(p.reasons);
    return { text: texts.length ? texts.join(', ') : printerTexts.unreachable, tone: 'bad', ready: false };
  }
  if (p.reachable === null) return { text: printerTexts.notChecked, tone: 'idle', ready: false };
  const bases = p.reasons.map(reasonBase);
  const blocking = reasonTexts(p.reasons.filter((_, i) => blockingReasons.includes(bases[i]!)));
  const warnings = reasonTexts(p.reasons.filter((_, i) => warningReasons.includes(bases[i]!)));
  if (p.acceptsPdf === false) blocking.push(printerTexts.noPdf);
  const details = [...blocking, ...warnings];
  // A stopping reason is never shown beside "Redo" or "Skriver ut": the reason is the state.
  const word = blocking.length && p.state !== 'stopped' ? '' : printerStateWords[p.state];
  const text = word && details.length ? `${word} – ${details.join(', ')}` : word || details.join(', ');
  if (blocking.length || p.state === 'stopped' || p.state === 'unknown') return { text, tone: 'bad', ready: false };
  if (warnings.length) return { text, tone: 'warn', ready: true };
  return { text, tone: p.state === 'processing' ? 'busy' : 'ok', ready: true };
}

/**
 * What to do about a printer that is not ready (or needs attention), in plain Swedish, and whom to
 * call (config unit.itSupport): undefined when it is fine. One sentence or two.
 */
export function printerAdvice(p: PrinterLike, itSupport?: string): string | undefined {
  const s = printerSummary(p);
  if (s.tone !== 'bad' && s.tone !== 'warn') return undefined;
  if (p.reachable === null) return undefined;
  const bases = p.reasons.map(reasonBase);
  if (p.reachable === false) bases.push('station-unreachable');
  if (p.acceptsPdf === false) bases.push('station-no-pdf');
  const rule = adviceWords.find((a) => a.reasons.some((r) => bases.includes(r)));
  const text = rule ? rule.text : s.tone === 'bad' ? printerTexts.otherProblem : undefined;
  if (!text) return undefined;
  return s.tone === 'bad' && itSupport ? `${text} ${printerTexts.call.replace('{who}', itSupport)}` : text;
}

/** A printer as every page shows it: its chip, what to do, and its own message when it is not fine. */
export interface PrinterShown {
  summary: PrinterSummary;
  /** printerAdvice, with whom to call; null when all is well. */
  advice: string | null;
  /** The printer's own message as it gave it (often English); "" when the chip says all is well. */
  ownMessage: string;
}

export function printerShown(p: PrinterLike & { message: string }, itSupport?: string): PrinterShown {
  const summary = printerSummary(p);
  return { summary, advice: printerAdvice(p, itSupport) ?? null, ownMessage: summary.tone === 'ok' ? '' : p.message.trim() };
}

/** The part of a job the banner needs (Job and JobView fit). */
export interface JobLike {
  state: JobState;
  reasons: readonly string[];
  title: string;
  message: string;
}

export interface BatchSummary {
  state: BatchState;
  tone: Tone;
  text: string;
}

/** The banner over a batch: done, something failed (which and why), or still printing (the state: batchState). */
export function batchSummary(jobs: readonly JobLike[], notPrinted = 0): BatchSummary {
  const state = batchState(jobs, notPrinted);
  if (jobs.length === 0) return state === 'failed' ? { state, tone: 'bad', text: bannerTexts.completedShort } : { state, tone: 'idle', text: bannerTexts.empty };
  const done = jobs.filter((j) => j.state === 'completed').length;
  const progress = bannerTexts.progress.replace('{done}', String(done)).replace('{total}', String(jobs.length));
  if (state === 'printing') {
    const waiting = jobs.some((j) => j.state === 'pending' && j.reasons.includes('station-printer-unreachable'));
    return waiting ? { state, tone: 'warn', text: `${bannerTexts.waiting} ${progress}` } : { state, tone: 'busy', text: `${bannerTexts.printing} ${progress}` };
  }
  if (state === 'completed') return notPrinted ? { state, tone: 'warn', text: bannerTexts.completedShort } : { state, tone: 'ok', text: bannerTexts.completed };
  // Nothing failed: staff cancelled the rest. Grey, with what did print.
  if (state === 'canceled') return { state, tone: 'idle', text: bannerTexts.canceled.replace('{done}', String(done)).replace('{total}', String(jobs.length)) };
  // Documents that failed for the same reason are named once together, so the banner stays short.
  const groups = new Map<string, string[]>();
  for (const j of jobs) {
    if (j.state === 'completed') continue;
    const why = (j.message.trim() || jobStateText(j.state, j.reasons)).replace(/\.$/, '');
    groups.set(why, [...(groups.get(why) ?? []), j.title]);
  }
  const parts = [...groups].map(([why, titles]) =>
    titles.length > 2 ? bannerTexts.manyFailed.replace('{why}', why).replace('{count}', String(titles.length)) : `${titles.join(' och ')}: ${why}`,
  );
  return { state: 'failed', tone: 'bad', text: `${bannerTexts.failed}${parts.join('; ')}.` };
}

/** A document's row on the progress page: its state chip, its quantity and its buttons. */
export interface JobShown {
  stateText: string;
  tone: Tone;
  /** "10 st, 20 sidor" (quantityText). */
  quantityText: string;
  actions: JobActions;
}

export function jobShown(j: ActionJob & { count: number; sheets?: number }): JobShown {
  return { stateText: jobStateText(j.state, j.reasons), tone: jobTone(j.state, j.reasons), quantityText: quantityText(j.count, j.sheets), actions: jobActions(j) };
}

/** The progress page over a whole batch: its banner and which batch buttons show. */
export interface BatchShown {
  summary: BatchSummary;
  actions: BatchActions;
}

/** `jobs` with each one's own buttons (jobActions; a JobView carries them). */
export function batchShown(jobs: ReadonlyArray<JobLike & { actions: JobActions }>, notPrinted = 0): BatchShown {
  return { summary: batchSummary(jobs, notPrinted), actions: batchActions(jobs.map((j) => j.actions)) };
}

/** Whether the printer takes what the station sends it (PDF, or ZPL for a label printer), as a sentence for the printers page. */
export function pdfText(acceptsPdf: boolean | null, format: 'pdf' | 'zpl' = 'pdf'): string {
  if (acceptsPdf === null) return 'Inte kontrollerat än';
  if (format === 'zpl') return acceptsPdf ? 'Tar emot ZPL' : 'Tar inte emot ZPL – se docs/label-printers.md';
  return acceptsPdf ? 'Tar emot PDF' : 'Tar inte emot PDF – behöver en CUPS-kö, se README';
}

/** "14:03:05" in the station's time zone. */
export function formatClock(iso: string, timeZone: string): string {
  return dateFormat(timeZone, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso));
}

/** "i dag 14:03" or "3 mars 14:03" (station time zone), for lists of past prints. */
export function formatWhen(iso: string, timeZone: string, now: Date = new Date()): string {
  const d = new Date(iso);
  const day = (x: Date) => dateFormat(timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(x);
  const time = dateFormat(timeZone, { hour: '2-digit', minute: '2-digit' }).format(d);
  if (day(d) === day(now)) return `i dag ${time}`;
  const date = dateFormat(timeZone, { day: 'numeric', month: 'long' }).format(d);
  return `${date} ${time}`;
}

/**
 * The only words the live page sets on its own (connection state, the second ask before a large
 * print, the steppers' day names), sent with the script. States, banners and printer chips are
 * not here: the server sends those ready-made.
 */
export function clientWording() {
  return {
    liveTexts,
    confirmTexts,
    stepperNames: { weekdays: swedishWeekdaysShort, months: swedishMonthsShort },
  };
}

/** A number block as the block wording needs it (SeriesConfig fits, with its first and last number printed). */
export interface BlockInfo {
  name: string;
  contact: string;
  /** "RV0900000–RV0904999", when known. */
  block?: string;
}

/** The block as the wording names it: name, whom to call, first–last number. */
export function blockInfo(s: SeriesConfig): BlockInfo {
  return { name: s.name, contact: s.contact, block: formatBlock(s) };
}

/**
 * The one wording for "the number block cannot cover this", for every page and answer:
 * - 'refused': a single document or labels, nothing printed and nothing drawn;
 * - 'cannot': a single document's page before the press, the block is used up;
 * - 'before': a kit's confirm page (and the home page), before the press: the rest will not print;
 * - 'partial': a kit after the press (progress page, audit): what printed and what did not.
 * `what` names the document ("Provtagningsremiss", "etiketterna"); `printed` is what the block covers.
 */
export function blockShortText(
  s: BlockInfo,
  remaining: number,
  requested: number,
  what: string,
  outcome: 'refused' | 'cannot' | 'before' | 'partial',
  /** For 'refused': what to print instead ("färre", "högst 3 remisser"); default "högst N". */
  fewer = `högst ${remaining}`,
): string {
  const call = `Kontakta ${s.contact} för ett nytt nummerblock.`;
  const block = s.block ? ` (${s.block})` : '';
  const printed = Math.min(remaining, requested);
  if (outcome === 'cannot') return `Nummerblocket "${s.name}" är slut, så ${what} kan inte skrivas ut. ${call}`;
  if (outcome === 'refused') {
    if (remaining === 0) return `Nummerblocket "${s.name}"${block} är slut, så ${what} skrevs inte ut. ${call}`;
    return `Bara ${remaining} nummer kvar i blocket "${s.name}", men ${what} behöver ${requested}. Ingenting skrevs ut och inga nummer drogs. Skriv ut ${fewer} och ${call.charAt(0).toLowerCase()}${call.slice(1)}`;
  }
  if (outcome === 'before') {
    if (printed === 0) return `Nummerblocket "${s.name}" är slut: ${what} (${requested} st) skrivs inte ut. Resten av kitet skrivs ut. ${call}`;
    return `Nummerblocket "${s.name}" räcker bara till ${printed} av ${requested} ${what}: ${requested - printed} skrivs inte ut. Resten av kitet skrivs ut. ${call}`;
  }
  if (printed === 0) return `Inte utskrivet: nummerblocket "${s.name}" är slut (${requested} st behövdes). ${call}`;
  return `${printed} av ${requested} utskrivna: nummerblocket "${s.name}" räckte inte, ${requested - printed} skrevs inte ut. ${call}`;
}
