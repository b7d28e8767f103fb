// The start-up check that every fixed-page form keeps its page count with this station's values:
// a long unit name or address shrinks inside its cell (form-blocks.ts fitSize), but what does not fit
// even at the floor size wraps, and a form that gains a page breaks two-sided printing and doubles
// the paper of a kit. So the station renders each form once with its configured values and refuses
// to start, naming the form, the field and the overflow, rather than print such a form on the worst day.
import { createHash } from 'node:crypto';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { workerUrl } from './worker-url.js';
import { readFileSync, writeFileSync } from 'node:fs';
import type { StationConfig } from '../config.js';
import type { Catalog } from '../catalog/catalog.js';
import { FIT_FLOOR_PT, slipsGeometry } from '../catalog/form-geometry.js';
import { formSeries } from '../catalog/template-schema.js';
import { formatSerial } from '../domain/serials.js';
import { renderDocument } from './render-document.js';
import type { FitOverflow } from './form-blocks.js';

/** Pages a form must keep: one per template page (a slips form: one sheet). */
function fixedPages(doc: { pages: readonly unknown[]; slips?: unknown }): number {
  return doc.slips ? 1 : doc.pages.length;
}

// Same key, same answer: tests and benchmarks start many stations in one process.
const checked = new Map<string, string[]>();

/** Where a station keeps its last passed check, and the program version it runs (build-info). */
export interface FitStamp {
  file: string;
  version: string;
}

/**
 * What the check's answer depends on, hashed: the program version (the renderer, its fonts and its
 * sizes ship with it), every form template as loaded (lab analysis lists filled in), and the config
 * values a form prints (form-blocks.ts placeholders, fee texts, phone list, numbers, time zone).
 * Change any of them and the next start renders every form again.
 */
export function fitCheckKey(catalog: Catalog, config: StationConfig, version: string): string {
  const used = { unit: config.unit, lab: config.lab, fees: config.fees, routine: config.routine, series: config.series, phoneList: config.phoneList, timezone: config.timezone };
  return createHash('sha256')
    .update(JSON.stringify({ version, config: used, forms: [...catalog.forms.values()] }))
    .digest('hex');
}

/**
 * Problems, one line per form that gains pages with this config (empty when every form keeps its
 * count). Ledger lists flow by design and overprints are placed absolutely: neither is checked.
 */
export async function formFitProblems(
  catalog: Catalog,
  config: StationConfig,
  printedAt: Date,
  stamp?: FitStamp,
  render: (catalog: Catalog, config: StationConfig, printedAt: Date) => Promise<string[]> = renderFitProblems,
): Promise<string[]> {
  const key = fitCheckKey(catalog, config, stamp?.version ?? '');
  const known = checked.get(key);
  if (known) return known;
  // Rendering every form takes a second or two; a restart with the same key reads the last passed
  // check from the stamp instead (only a pass is stamped: a refusal is worked out again each start).
  if (stamp && readStamp(stamp.file) === key) {
    checked.set(key, []);
    return [];
  }
  const problems = await render(catalog, config, printedAt);
  checked.set(key, problems);
  if (stamp && problems.length === 0) {
    try {
      writeFileSync(stamp.file, `${key}\n`);
    } catch {
      // Only a cache: the next start checks again.
    }
  }
  return problems;
}

/**
 * renderFitProblems in a child process that exits when done (fit-check-worker.ts): what the check
 * loads and leaves behind goes with the process. The station's start-up uses it. A process, not a
 * worker thread, for issue 10's figure "RSS idle ≤ 100 MB" (`npm run bench -- store`): a worker's
 * memory stayed with the station's process after the thread ended (116 MB idle after a first
 * start, against 95 MB after a restart that skipped the check).
 */
export function renderFitProblemsInWorker(catalog: Catalog, config: StationConfig, printedAt: Date): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(workerUrl('fit-check-worker')), [], {
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answer: string[] | undefined;
    child.once('message', (problems: string[]) => (answer = problems));
    child.once('error', (e) => reject(new Error(`[catalog] the start-up fit check failed: ${e.message}`, { cause: e })));
    child.once('exit', (code, signal) =>
      answer ? resolve(answer) : reject(new Error(`[catalog] the start-up fit check ended without an answer (exit ${code ?? signal})`)),
    );
    child.send({ catalog, config, printedAt: printedAt.toISOString() } satisfies FitCheckRequest);
  });
}

/** What the fit-check process is sent. */
export interface FitCheckRequest {
  catalog: Catalog;
  config: StationConfig;
  printedAt: string;
}

/** Renders every fixed-page form with this config; one line per form that gains pages. */
export async function renderFitProblems(catalog: Catalog, config: StationConfig, printedAt: Date): Promise<string[]> {
  const problems: string[] = [];
  for (const form of catalog.forms.values()) {
    const seriesId = formSeries(form);
    const series = config.series.find((s) => s.id === seriesId);
    // The widest number the block can print: the last one.
    const sample = series ? formatSerial(series, series.last) : undefined;
    const serials = sample === undefined ? undefined : Array<string>(form.slips ? slipsGeometry({ orientation: form.orientation, slips: form.slips }).numbersPerSheet : 1).fill(sample);
    const overflows: FitOverflow[] = [];
    const r = await renderDocument(form, { config, printedAt, validFor: '2026-12-31', serials, fit: (o) => overflows.push(o) });
    const want = fixedPages(form);
    if (r.pages <= want) continue;
    const why = overflows.length
      ? overflows.map((o) => `field "${o.field}": "${o.text}" needs ${o.needMm.toFixed(0)} mm even at ${FIT_FLOOR_PT} pt, the box has ${o.haveMm.toFixed(0)} mm`).join('; ')
      : 'the content does not fit';
    problems.push(`[catalog] forms/${form.id}.json: "${form.name}" becomes ${r.pages} pages instead of ${want} with this station's values – ${why}. Shorten the text in the config (unit, lab) or widen the box in the template.`);
  }
  return problems;
}

function readStamp(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}
