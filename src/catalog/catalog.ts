// Reads templates/forms/*.json and templates/kits/*.json at start-up, validates each file against
// the template schema and cross-checks references (kit → form, serial block → config series).
// Every problem in every file is reported at once, as "[catalog] <file>: <json.path>: <reason>",
// so a unit fixing its templates does not have to restart once per mistake.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { parseJsonText, type StationConfig } from '../config.js';
import { formSeries, kitSchema, labAnalysesSchema, type FormTemplate, type Kit } from './template-schema.js';
export { formSeries };
import { formWritingBoxes, ledgerWritingBoxes, writingProblem } from './form-geometry.js';
import { labelLayoutSchema, type LabelLayout } from './label-layout-schema.js';
import { checkLabelLayouts } from './label-catalog.js';
import { labelSeriesOf } from '../domain/label-plan.js';
import { documentKind, documentTemplateSchema, isFormTemplate, type DocumentTemplate } from './document-schema.js';

export interface Catalog {
  /** Documents of kind "form" (slips included): blocks on A4. */
  forms: Map<string, FormTemplate>;
  /** Every document in templates/forms, whatever its kind (forms, overprints, ledgers). */
  documents: Map<string, DocumentTemplate>;
  /** Insertion order follows `order`, then id: iterate to list the buttons. */
  kits: Map<string, Kit>;
  /** Label layouts (templates/labels, an optional folder), in `order`, then id. */
  labels: Map<string, LabelLayout>;
}

export class CatalogError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'CatalogError';
  }
}

type JsonPath = readonly PropertyKey[];
const showPath = (p: JsonPath): string => (p.length ? p.map(String).join('.') : '(root)');

interface Loaded<T> {
  file: string;
  value: T;
}

/** Reads and validates every *.json in one folder; problems are appended, valid files returned. */
function loadFolder<S extends z.ZodType>(
  templatesDir: string,
  sub: string,
  schema: S,
  problem: (file: string, path: JsonPath, reason: string) => void,
  /** Receives the base names of files that failed, so references to them are not reported twice. */
  failed: Set<string> = new Set(),
): Loaded<z.output<S>>[] {
  const dir = path.join(templatesDir, sub);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    problem(sub, [], `cannot read the folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return [];
  }
  const out: Loaded<z.output<S>>[] = [];
  for (const name of names) {
    const file = `${sub}/${name}`;
    const expected = name.slice(0, -'.json'.length);
    failed.add(expected);
    let raw: unknown;
    try {
      raw = parseJsonText(readFileSync(path.join(dir, name), 'utf8'));
    } catch (e) {
      problem(file, [], `not valid JSON: ${(e as Error).message}`);
      continue;
    }
    const r = schema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) problem(file, issue.path, issue.message);
      continue;
    }
    const value = r.data as z.output<S> & { id: string };
    // The file name is the id: one place to look when a kit names a document.
    if (value.id !== expected) {
      problem(file, ['id'], `"${value.id}" does not match the file name (expected "${expected}")`);
      continue;
    }
    failed.delete(expected);
    out.push({ file, value });
  }
  return out;
}

/**
 * Loads and checks the whole catalog. Throws CatalogError listing every problem found.
 */
export function loadCatalog(templatesDir: string, config: StationConfig): Catalog {
  const problems: string[] = [];
  const problem = (file: string, p: JsonPath, reason: string) => problems.push(`[catalog] ${file}: ${showPath(p)}: ${reason}`);

  const forms = new Map<string, FormTemplate>();
  const documents = new Map<string, DocumentTemplate>();
  const seriesIds = new Set(config.series.map((s) => s.id));
  const roles = new Set(config.printers.flatMap((p) => p.roles));
  const brokenForms = new Set<string>();
  for (const { file, value: doc } of loadFolder(templatesDir, 'forms', documentTemplateSchema, problem, brokenForms)) {
    if (documents.has(doc.id)) {
      problem(file, ['id'], `duplicate form id "${doc.id}"`);
      continue;
    }
    documents.set(doc.id, doc);
    if (doc.kind === 'overprint' && !roles.has(doc.role))
      problem(file, ['role'], `no printer has the role "${doc.role}" in the station config (roles: ${[...roles].join(', ')})`);
    // Boxes too small to write in by hand are a template error, like a misspelt key.
    const boxes = doc.kind === 'ledger' ? ledgerWritingBoxes(doc) : isFormTemplate(doc) ? formWritingBoxes(doc) : [];
    for (const box of boxes) {
      const why = writingProblem(box);
      if (why) problem(file, box.where.split('.'), why);
    }
    if (!isFormTemplate(doc)) continue;
    const form = doc;
    form.pages.forEach((page, pi) =>
      page.blocks.forEach((b, bi) => {
        if (b.type === 'serial' && !seriesIds.has(b.series))
          problem(file, ['pages', pi, 'blocks', bi, 'series'], `no series "${b.series}" in the station config (known: ${[...seriesIds].join(', ') || 'none'})`);
      }),
    );
    forms.set(form.id, form);
  }

  // Analysis lists: the form offers the list the unit's lab approved (config lab.analyses).
  const labs = existsSync(path.join(templatesDir, 'labs')) ? loadFolder(templatesDir, 'labs', labAnalysesSchema, problem) : [];
  const lab = labs.find((l) => l.value.id === config.lab.analyses)?.value;
  for (const form of forms.values())
    form.pages.forEach((page, pi) =>
      page.blocks.forEach((b, bi) => {
        if (b.type !== 'analyses') return;
        if (!lab)
          problem(`forms/${form.id}.json`, ['pages', pi, 'blocks', bi], `no analysis list "${config.lab.analyses}" in templates/labs (config lab.analyses; known: ${labs.map((l) => l.value.id).join(', ') || 'none'})`);
        else b.options = lab.analyses;
      }),
    );

  const kits: Kit[] = [];
  const kitIds = new Set<string>();
  for (const { file, value: kit } of loadFolder(templatesDir, 'kits', kitSchema, problem)) {
    if (kitIds.has(kit.id)) {
      problem(file, ['id'], `duplicate kit id "${kit.id}"`);
      continue;
    }
    kitIds.add(kit.id);
    const seen = new Set<string>();
    kit.items.forEach((item, i) => {
      const doc = documents.get(item.document);
      if (!doc && !brokenForms.has(item.document)) problem(file, ['items', i, 'document'], `no form "${item.document}" in templates/forms`);
      // A kit is printed with one press: a document that needs input first cannot be in it.
      if (doc && (doc.kind === 'overprint' || doc.kind === 'ledger'))
        problem(file, ['items', i, 'document'], `"${item.document}" is a ${documentKind(doc)} document, which needs ${doc.kind === 'overprint' ? 'a prescriber' : 'a series and dates'} and cannot be in a kit`);
      if (seen.has(item.document)) problem(file, ['items', i, 'document'], `"${item.document}" is listed twice; raise copies instead`);
      seen.add(item.document);
    });
    kits.push(kit);
  }

  const labelsLoaded = existsSync(path.join(templatesDir, 'labels')) ? loadFolder(templatesDir, 'labels', labelLayoutSchema, problem) : [];
  const labels = checkLabelLayouts(labelsLoaded, config, problem);

  // A numbered form printed with its labels: the layout must exist, and the form's number must come
  // from the series the layouts were checked against (the label series).
  const labelSeries = labelSeriesOf(config);
  for (const form of forms.values()) {
    if (!form.labels) continue;
    const file = `forms/${form.id}.json`;
    if (!labels.has(form.labels.layout) && !labelsLoaded.some((l) => l.value.id === form.labels!.layout))
      problem(file, ['labels', 'layout'], `no label layout "${form.labels.layout}" in templates/labels (known: ${[...labels.keys()].join(', ') || 'none'})`);
    const series = formSeries(form);
    if (series && labelSeries && series !== labelSeries.id)
      problem(file, ['labels'], `the labels carry numbers of the label series "${labelSeries.id}", but the form's number comes from "${series}"`);
  }

  if (problems.length) throw new CatalogError(problems);
  kits.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return { forms, documents, kits: new Map(kits.map((k) => [k.id, k])), labels };
}

/**
 * True when nothing on the form varies per print except the print date: no serial number and no
 * {validFor}. Such a form can be rendered once a day and reused for every copy and kit.
 */
export function isBlankForm(t: FormTemplate): boolean {
  if (t.slips || t.pages.some((p) => p.blocks.some((b) => b.type === 'serial'))) return false;
  // Any printed text may hold placeholders; the template is plain data, so search all of it.
  return !/\{(validFor|shredAfter)\}/.test(JSON.stringify(t));
}

