// Paper a clinic accepts: every document keeps its page count with a 60-character unit name and an
// 80-character address (text shrinks in its box, never wraps a page away), a station whose values
// would still add a page refuses to start and says which form and field, every box staff write in
// meets the writing-space rules measured from the template geometry, and every document passes
// qpdf --check, shows every field label to pdftotext and carries barcodes zbarimg reads at 203 and
// 300 dpi.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, type StationConfig } from '../../src/config.js';
import { CatalogError, loadCatalog } from '../../src/catalog/catalog.js';
import { formWritingBoxes, ledgerWritingBoxes, writingProblem, WRITING_RULES } from '../../src/catalog/form-geometry.js';
import { isFormTemplate, type DocumentTemplate } from '../../src/catalog/document-schema.js';
import { formSeries, type Block } from '../../src/catalog/template-schema.js';
import { feeKindText } from '../../src/domain/fees.js';
import { formatSerial } from '../../src/domain/serials.js';
import { fitCheckKey, formFitProblems, renderFitProblems, renderFitProblemsInWorker } from '../../src/render/fit-check.js';
import { renderDocument, type DocumentInput } from '../../src/render/render-document.js';
import { createStation } from '../../src/station.js';
import { buildInfo } from '../../src/monitoring/build-info.js';
import { decodeBarcodes, pdfPages, pdfText, qpdfCheck, writeTemp } from '../helpers/pdf-tools.js';
import { tempDir, testConfig } from '../helpers/config.js';

const root = path.resolve(import.meta.dirname, '../..');
const example = JSON.parse(readFileSync(path.join(root, 'config/station.example.json'), 'utf8')) as Record<string, any>;
const LONG_NAME = 'Vårdcentralen Södra Sandby-Genarp med BVC och MVC i Lund Öst';
const LONG_ADDRESS = 'Långa Gatan 123, Vårdcentralen Södra Sandby-Genarp, entré B, plan 3, 247 31 Lund';
expect(LONG_NAME.length).toBe(60);
expect(LONG_ADDRESS.length).toBe(80);

function configWith(unit: Record<string, string>, extra: Record<string, unknown> = {}): StationConfig {
  return parseConfig({ ...example, ...extra, unit: { ...example.unit, ...unit }, dataDir: tempDir() });
}
const longConfig = configWith({ name: LONG_NAME, address: LONG_ADDRESS, workplaceName: LONG_NAME }, { lab: { name: 'Klinisk kemi, Skånes universitetssjukhus', customerNumber: 'K-123456' } });
const catalog = loadCatalog(path.join(root, 'templates'), longConfig);
const printedAt = new Date('2026-11-25T13:03:00Z');

/** Pages each document must have: its template's pages (a slips form and an overprint: one sheet). */
function wantedPages(d: DocumentTemplate): number {
  if (d.kind === 'overprint' || d.kind === 'ledger') return 1;
  return d.slips ? 1 : d.pages.length;
}

function inputFor(d: DocumentTemplate, config: StationConfig): DocumentInput {
  const input: DocumentInput = { config, printedAt, validFor: '2026-11-26' };
  if (d.kind === 'overprint') input.prescriber = config.prescribers[0];
  if (d.kind === 'ledger') {
    const series = config.series[0]!;
    const entries = [1, 2, 3].map((i) => ({ seriesId: series.id, seq: series.first + i, number: formatSerial(series, series.first + i), status: 'issued' as const, documentId: 'provtagningsremiss', issuedAt: '2026-11-25T10:00:00Z', reprints: [] }));
    input.ledger = { series, from: '2026-11-01', to: '2026-11-30', entries, kind: 'referral', documentName: () => 'Provtagningsremiss' };
  }
  if (isFormTemplate(d)) {
    const series = config.series.find((s) => s.id === formSeries(d));
    // The widest number of the block, once (a slips sheet: as many as it holds).
    if (series) input.serials = Array<string>(d.slips ? 2 : 1).fill(formatSerial(series, series.last));
  }
  return input;
}

/** Every printed label of a form: field labels, table headers, options, lines and signatures. */
function labelsOf(d: DocumentTemplate, config: StationConfig): string[] {
  if (!isFormTemplate(d)) return d.kind === 'ledger' ? d.columns.filter((c) => !c.seriesKinds || c.seriesKinds.includes('referral')).map((c) => c.header) : [];
  const out: string[] = [];
  const add = (b: Block) => {
    switch (b.type) {
      case 'fields':
        for (const r of b.rows) for (const c of r.cells) out.push(c.label, ...(c.choices ?? []));
        break;
      case 'table':
        out.push(...b.columns.map((c) => c.header));
        break;
      case 'checkboxes':
        out.push(b.label, ...b.options);
        break;
      case 'analyses':
        out.push(b.label, ...(b.options ?? []));
        break;
      case 'fees':
        out.push(b.label, ...config.fees.map(feeKindText));
        break;
      case 'signature':
        out.push(...b.parts);
        break;
      case 'lines':
        if (b.label) out.push(b.label);
        break;
      default:
    }
  };
  for (const p of d.pages) for (const b of p.blocks) add(b);
  return out.map((l) => l.replace(/\{unit\.name\}/g, config.unit.name));
}

const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('every document with a 60-character unit name and an 80-character address', () => {
  const docs = [...catalog.documents.values()];

  it.each(docs.map((d) => [d.id, d] as const))('%s keeps its page count, passes qpdf and shows every label', async (_id, d) => {
    const r = await renderDocument(d, inputFor(d, longConfig));
    const file = writeTemp(r.pdf, `${d.id}.pdf`);
    expect(r.pages).toBe(wantedPages(d));
    expect(pdfPages(file)).toBe(wantedPages(d));
    expect(qpdfCheck(file)).toMatch(/No syntax or stream encoding errors/);
    const text = squash(pdfText(file));
    const layout = squash(pdfText(file, true));
    for (const label of labelsOf(d, longConfig)) {
      // Column headers wrap inside their column; pdftotext then gives their words in order, maybe
      // with other columns' words between: every word is there, in the layout text or the plain.
      const found = text.includes(squash(label)) || label.split(/[\s/]+/).every((w) => layout.includes(w));
      expect(found, `${d.id}: "${label}"`).toBe(true);
    }
    if (isFormTemplate(d) && !d.slips) expect(layout).toContain(LONG_NAME);
  });

  it('the numbered documents carry barcodes zbarimg reads at 203 and 300 dpi', async () => {
    for (const d of docs.filter((x) => isFormTemplate(x) && formSeries(x) !== undefined)) {
      const input = inputFor(d, longConfig);
      const file = writeTemp((await renderDocument(d, input)).pdf, `${d.id}.pdf`);
      for (const dpi of [203, 300]) expect(decodeBarcodes(file, dpi).flat(), `${d.id} at ${dpi} dpi`).toContain(input.serials![0]);
    }
  });

  it('the start-up check passes with these values', async () => {
    expect(await formFitProblems(catalog, longConfig, printedAt)).toEqual([]);
  });
});

describe('a unit name that cannot fit', () => {
  const huge = 'Vårdcentralen Södra Sandby-Genarp med BVC, MVC, rehab och psykiatrisk öppenvård, Lund Östra, Region Skåne Sydväst';
  const config = configWith({ name: huge, address: `${LONG_ADDRESS} ${LONG_ADDRESS}` });

  it('names the form, the field and the overflow', async () => {
    const problems = await formFitProblems(loadCatalog(path.join(root, 'templates'), config), config, printedAt);
    expect(problems.length).toBeGreaterThan(0);
    const all = problems.join('\n');
    expect(all).toMatch(/forms\/\S+\.json: ".+" becomes \d+ pages instead of \d+/);
    expect(all).toMatch(/field "[^"]+": ".+" needs \d+ mm even at 6\.5 pt, the box has \d+ mm/);
  });

  it('gives the same answer in its own thread as on this one (the station runs it in a thread that exits)', async () => {
    const catalog = loadCatalog(path.join(root, 'templates'), config);
    const here = await renderFitProblems(catalog, config, printedAt);
    expect(here.length).toBeGreaterThan(0);
    expect(await renderFitProblemsInWorker(catalog, config, printedAt)).toEqual(here);
  });

  it('stops the station before it opens its store', async () => {
    const err = await createStation(config, { log: () => {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CatalogError);
    expect((err as Error).message).toMatch(/becomes \d+ pages instead of/);
  });
});

describe('the start-up check is skipped only while what it checked is unchanged', () => {
  const huge = 'Vårdcentralen Södra Sandby-Genarp med BVC, MVC, rehab och psykiatrisk öppenvård, Lund Östra, Region Skåne Sydväst';
  const normal = configWith({});
  const normalCatalog = loadCatalog(path.join(root, 'templates'), normal);

  /** The templates with Formulär för vårdkontakt's first page holding its writing lines four times over: it no longer fits one page. */
  function grownTemplates(): string {
    const dir = tempDir();
    cpSync(path.join(root, 'templates'), dir, { recursive: true });
    const file = path.join(dir, 'forms/vardkontakt.json');
    const v = JSON.parse(readFileSync(file, 'utf8'));
    const lines = v.pages[0].blocks.filter((b: { type: string }) => b.type === 'lines');
    v.pages[0].blocks.push(...lines, ...lines, ...lines);
    writeFileSync(file, JSON.stringify(v));
    return dir;
  }

  it('the key changes with the program version, a template, the unit name and the other values a form prints', () => {
    const key = fitCheckKey(normalCatalog, normal, '1.0.0');
    expect(fitCheckKey(loadCatalog(path.join(root, 'templates'), normal), normal, '1.0.0')).toBe(key);
    expect(fitCheckKey(normalCatalog, normal, '1.0.1')).not.toBe(key);
    expect(fitCheckKey(loadCatalog(grownTemplates(), normal), normal, '1.0.0')).not.toBe(key);
    expect(fitCheckKey(normalCatalog, configWith({ name: 'Vårdcentralen Norr' }), '1.0.0')).not.toBe(key);
    expect(fitCheckKey(normalCatalog, { ...normal, phoneList: [...normal.phoneList, { name: 'Labbet', number: '040-33 10 00', note: '' }] }, '1.0.0')).not.toBe(key);
    expect(fitCheckKey(normalCatalog, { ...normal, timezone: 'Europe/Helsinki' }, '1.0.0')).not.toBe(key);
    // What no form prints (the data folder, the port) does not re-run the check.
    expect(fitCheckKey(normalCatalog, { ...normal, dataDir: tempDir() }, '1.0.0')).toBe(key);
  });

  it('a pass writes the stamp; a changed template or unit name runs the check again and refuses the form that gains a page', async () => {
    const file = path.join(tempDir(), 'fit-check.stamp');
    const stamp = { file, version: 'stamp-test-1' };
    expect(await formFitProblems(normalCatalog, normal, printedAt, stamp)).toEqual([]);
    expect(readFileSync(file, 'utf8').trim()).toBe(fitCheckKey(normalCatalog, normal, stamp.version));

    const grown = await formFitProblems(loadCatalog(grownTemplates(), normal), normal, printedAt, stamp);
    expect(grown).toHaveLength(1);
    expect(grown[0]).toMatch(/forms\/vardkontakt\.json: "Formulär för vårdkontakt" becomes [3-9] pages instead of 2/);

    const renamed = configWith({ name: huge, address: `${LONG_ADDRESS} ${LONG_ADDRESS}` });
    const refused = await formFitProblems(loadCatalog(path.join(root, 'templates'), renamed), renamed, printedAt, stamp);
    expect(refused.join('\n')).toMatch(/becomes \d+ pages instead of \d+/);
    // A refusal leaves the last pass's stamp as it was.
    expect(readFileSync(file, 'utf8').trim()).toBe(fitCheckKey(normalCatalog, normal, stamp.version));
  });

  it('a matching stamp skips the render; a new program version runs it again', async () => {
    // A stamp that matches values which would fail: the skip is visible as an empty answer.
    const renamed = configWith({ name: huge, address: `${LONG_ADDRESS} ${LONG_ADDRESS}` });
    const cat = loadCatalog(path.join(root, 'templates'), renamed);
    const file = path.join(tempDir(), 'fit-check.stamp');
    writeFileSync(file, `${fitCheckKey(cat, renamed, 'stamp-test-2')}\n`);
    expect(await formFitProblems(cat, renamed, printedAt, { file, version: 'stamp-test-2' })).toEqual([]);
    expect((await formFitProblems(cat, renamed, printedAt, { file, version: 'stamp-test-3' })).length).toBeGreaterThan(0);
  });

  it('a station stamps its data folder with its own version', async () => {
    const config = testConfig();
    const station = await createStation(config, { log: () => {} });
    await station.stop();
    const file = path.join(config.dataDir, 'fit-check.stamp');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(fitCheckKey(station.catalog, config, buildInfo(config).version));
  });
});

describe('writing space, measured from the template geometry', () => {
  const boxes = [...catalog.documents.values()].flatMap((d) =>
    (d.kind === 'ledger' ? ledgerWritingBoxes(d) : isFormTemplate(d) ? formWritingBoxes(d) : []).map((b) => ({ doc: d.id, ...b })),
  );

  it('finds the boxes staff write in (ids, signatures, text)', () => {
    expect(boxes.filter((b) => b.kind === 'id').length).toBeGreaterThanOrEqual(8);
    expect(boxes.filter((b) => b.kind === 'signature').length).toBeGreaterThanOrEqual(10);
  });

  it('every handwriting box leaves 7 mm, every id box is 40 mm wide, every signature box 8 mm', () => {
    for (const b of boxes) {
      expect(b.heightMm, `${b.doc} ${b.where} "${b.label}"`).toBeGreaterThanOrEqual(b.kind === 'signature' ? WRITING_RULES.minSignatureHeightMm : WRITING_RULES.minWritingHeightMm);
      if (b.kind === 'id') expect(b.widthMm, `${b.doc} ${b.where} "${b.label}"`).toBeGreaterThanOrEqual(WRITING_RULES.minIdWidthMm);
      expect(writingProblem(b)).toBeUndefined();
    }
  });

  it('the forms the issue named are among them', () => {
    const of = (doc: string, label: RegExp) => boxes.filter((b) => b.doc === doc && label.test(b.label));
    expect(of('receptlogg', /Personnummer/)[0]!.widthMm).toBeGreaterThanOrEqual(40);
    expect(of('mottagningslista', /Personnummer/)[0]!.widthMm).toBeGreaterThanOrEqual(40);
    expect(of('vardkontakt', /diagnos|KVÅ|^Åtgärd$/).length).toBe(14);
    for (const b of of('kvitto', /.*/)) expect(b.heightMm).toBeGreaterThanOrEqual(7);
  });

  it('the signing list gives each dose time its own row under a heading staff can date', () => {
    const t = catalog.forms.get('ordinationsunderlag')!;
    const table = t.pages[1]!.blocks.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.perItem?.rows).toBeGreaterThanOrEqual(3);
    expect(table?.type === 'table' && table.headerHeight).toBeGreaterThanOrEqual(7);
  });

  it('a template with a 9 mm diagnosis row is refused at start-up, naming the box', () => {
    const dir = tempDir();
    cpSync(path.join(root, 'templates'), dir, { recursive: true });
    const v = JSON.parse(readFileSync(path.join(dir, 'forms/vardkontakt.json'), 'utf8'));
    v.pages[1].blocks.find((b: { title?: string }) => b.title === 'Åtgärdskoder (KVÅ)').rows[0].height = 9;
    writeFileSync(path.join(dir, 'forms/vardkontakt.json'), JSON.stringify(v));
    expect(() => loadCatalog(dir, longConfig)).toThrow(/forms\/vardkontakt\.json: pages\.1\.blocks\.\d+\.rows\.0\.cells\.0: "KVÅ-kod" leaves 5\.2 mm to write in; a handwritten box needs 7 mm/);
  });
});
