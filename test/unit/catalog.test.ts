// The template catalog: the shipped templates load, and a unit's broken template stops start-up with
// a message naming the file, the JSON path and the reason — every problem at once.
import { mkdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, type StationConfig } from '../../src/config.js';
import { CatalogError, formSeries, isBlankForm, loadCatalog } from '../../src/catalog/catalog.js';
import { formTemplateSchema, type FormTemplateInput, type KitInput } from '../../src/catalog/template-schema.js';
import { tempDir } from '../helpers/config.js';

const root = path.resolve(import.meta.dirname, '../..');
const templatesDir = path.join(root, 'templates');
const config: StationConfig = parseConfig(JSON.parse(readFileSync(path.join(root, 'config/station.example.json'), 'utf8')));

const validForm = (id: string, blocks: unknown[] = [{ type: 'heading', text: 'Rubrik' }]): FormTemplateInput =>
  ({ id, name: `Formulär ${id}`, pages: [{ blocks }] }) as FormTemplateInput;
const validKit = (id: string, documents: string[], order = 1): KitInput => ({
  id,
  name: `Kit ${id}`,
  scenario: 'upgrade',
  description: 'Test',
  order,
  items: documents.map((document) => ({ document, copies: 1 })),
});

/** A templates folder with the given files (path relative to the folder → JSON value or raw text). */
function templates(files: Record<string, unknown>): string {
  const dir = tempDir('reservkit-tpl-');
  mkdirSync(path.join(dir, 'forms'));
  mkdirSync(path.join(dir, 'kits'));
  for (const [name, value] of Object.entries(files))
    writeFileSync(path.join(dir, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return dir;
}

function catalogErrors(dir: string, cfg: StationConfig = config): string[] {
  try {
    loadCatalog(dir, cfg);
  } catch (e) {
    expect(e).toBeInstanceOf(CatalogError);
    return [...(e as CatalogError).problems];
  }
  throw new Error('expected the catalog to be rejected');
}

describe('the shipped templates', () => {
  const catalog = loadCatalog(templatesDir, config);

  it('load with the example config', () => {
    expect([...catalog.forms.keys()].sort()).toEqual([
      'checklista-it-attack',
      'checklista-oplanerad-driftstorning',
      'checklista-planerad-nedslackning',
      'checklista-reservrutin',
      'checklista-systemuppgradering',
      'kvitto',
      'mottagningslista',
      'ordinationsunderlag',
      'provtagningsremiss',
      'receptlogg',
      'remiss-konsultation',
      'telefonlista',
      'vardkontakt',
    ]);
    // Documents of other kinds sit beside the forms (see test/unit/documents.test.ts).
    expect([...catalog.documents.keys()].filter((id) => !catalog.forms.has(id)).sort()).toEqual(['avstamning', 'receptoverskrift']);
  });

  it('offer the four scenarios in order, with the names staff know', () => {
    expect([...catalog.kits.values()].map((k) => [k.name, k.scenario])).toEqual([
      ['Systemuppgradering', 'upgrade'],
      ['Planerad nedsläckning', 'shutdown'],
      ['Oplanerad driftstörning', 'unplanned'],
      ['IT-attack', 'attack'],
    ]);
  });

  it.each([
    ['systemuppgradering', 'checklista-systemuppgradering'],
    ['planerad-nedslackning', 'checklista-planerad-nedslackning'],
    ['oplanerad-driftstorning', 'checklista-oplanerad-driftstorning'],
    ['it-attack', 'checklista-it-attack'],
  ])('kit %s holds its own checklist, the general checklist, the phone list and care-contact forms', (kitId, checklist) => {
    const kit = catalog.kits.get(kitId)!;
    const copies = Object.fromEntries(kit.items.map((i) => [i.document, i.copies]));
    expect(copies[checklist]).toBe(1);
    expect(copies['checklista-reservrutin']).toBe(1);
    expect(copies['telefonlista']).toBeGreaterThanOrEqual(1);
    expect(copies['vardkontakt']).toBeGreaterThanOrEqual(10);
  });

  it('are blank forms (rendered once a day and reused), except the numbered and dated ones', () => {
    const varying = new Set(['kvitto', 'mottagningslista', 'provtagningsremiss']);
    for (const form of catalog.forms.values()) expect(isBlankForm(form), form.id).toBe(!varying.has(form.id));
  });

  it('vardkontakt is two pages, printed two-sided', () => {
    const form = catalog.forms.get('vardkontakt')!;
    expect(form.pages).toHaveLength(2);
    expect(form.duplex).toBe(true);
  });
});

describe('isBlankForm', () => {
  const parse = (blocks: unknown[]) => formTemplateSchema.parse(validForm('x', blocks));
  it.each([
    ['only fixed texts and the unit name', [{ type: 'text', text: 'Enhet: {unit.name}, utskriven {printDateTime}' }], true],
    ['a serial number', [{ type: 'serial', series: 'remiss' }], false],
    ['{validFor} in a text', [{ type: 'text', text: 'Gäller för {validFor}' }], false],
    ['{validFor} in a field label', [{ type: 'fields', rows: [{ cells: [{ label: 'Lista för {validFor}' }] }] }], false],
  ])('a form with %s → %s', (_what, blocks, blank) => {
    expect(isBlankForm(parse(blocks))).toBe(blank);
  });

  it('formSeries names the series of a numbered form', () => {
    expect(formSeries(parse([{ type: 'serial', series: 'kvitto' }]))).toBe('kvitto');
    expect(formSeries(parse([{ type: 'spacer', height: 5 }]))).toBeUndefined();
  });
});

describe('a bad template stops start-up naming file, JSON path and reason', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    [
      'a box too low to write in',
      { 'forms/x.json': validForm('x', [{ type: 'fields', rows: [{ height: 2, cells: [{ label: 'Namn' }] }] }]) },
      '[catalog] forms/x.json: pages.0.blocks.0.rows.0.height: at least 6 mm',
    ],
    [
      'an unknown block type',
      { 'forms/x.json': validForm('x', [{ type: 'picture', src: 'logo.png' }]) },
      "[catalog] forms/x.json: pages.0.blocks.0.type: Invalid discriminator value. Expected 'heading'",
    ],
    [
      'a misspelt key',
      { 'forms/x.json': validForm('x', [{ type: 'spacer', heigth: 5, height: 5 }]) },
      '[catalog] forms/x.json: pages.0.blocks.0: Unrecognized key: "heigth"',
    ],
    [
      'an unknown placeholder',
      { 'forms/x.json': validForm('x', [{ type: 'text', text: 'Enhet: {unit.nmae}' }]) },
      '[catalog] forms/x.json: pages.0.blocks.0.text: unknown placeholder {unit.nmae}',
    ],
    [
      'an unknown placeholder in a checklist item',
      { 'forms/x.json': validForm('x', [{ type: 'checklist', items: ['Ring {chef}'] }]) },
      '[catalog] forms/x.json: pages.0.blocks.0.items.0: unknown placeholder {chef}',
    ],
    [
      'cell widths above the row width',
      { 'forms/x.json': validForm('x', [{ type: 'fields', rows: [{ cells: [{ label: 'A', width: 0.7 }, { label: 'B', width: 0.5 }] }] }]) },
      '[catalog] forms/x.json: pages.0.blocks.0.rows.0.cells: width fractions add up to 1.200, more than 1',
    ],
    [
      'a page without blocks',
      { 'forms/x.json': { id: 'x', name: 'X', pages: [{ blocks: [] }] } },
      '[catalog] forms/x.json: pages.0.blocks: Too small',
    ],
    ['a missing name', { 'forms/x.json': { id: 'x', pages: [{ blocks: [{ type: 'spacer', height: 5 }] }] } }, '[catalog] forms/x.json: name: '],
    ['text that is not JSON', { 'forms/x.json': '{ "id": "x", ' }, '[catalog] forms/x.json: (root): not valid JSON'],
    ['an id that is not the file name', { 'forms/x.json': validForm('y') }, '[catalog] forms/x.json: id: "y" does not match the file name'],
    [
      'a kit with zero copies',
      { 'forms/x.json': validForm('x'), 'kits/k.json': { ...validKit('k', ['x']), items: [{ document: 'x', copies: 0 }] } },
      '[catalog] kits/k.json: items.0.copies: at least 1 copy',
    ],
    [
      'a kit naming an unknown form',
      { 'forms/x.json': validForm('x'), 'kits/k.json': validKit('k', ['x', 'recept']) },
      '[catalog] kits/k.json: items.1.document: no form "recept" in templates/forms',
    ],
    [
      'a kit listing a form twice',
      { 'forms/x.json': validForm('x'), 'kits/k.json': validKit('k', ['x', 'x']) },
      '[catalog] kits/k.json: items.1.document: "x" is listed twice',
    ],
    [
      'a serial block naming an unknown series',
      { 'forms/x.json': validForm('x', [{ type: 'serial', series: 'lab' }]) },
      '[catalog] forms/x.json: pages.0.blocks.0.series: no series "lab" in the station config (known: remiss, kvitto)',
    ],
    [
      'a barcode too low for lab scanners',
      { 'forms/x.json': validForm('x', [{ type: 'serial', series: 'remiss', barHeight: 6 }]) },
      '[catalog] forms/x.json: pages.0.blocks.0.barHeight: at least 10 mm',
    ],
  ];

  it.each(cases)('%s', (_what, files, message) => {
    const problems = catalogErrors(templates(files));
    expect(problems.some((p) => p.startsWith(message)), `${message}\nnot in\n${problems.join('\n')}`).toBe(true);
  });

  it('reports every problem in every file, not only the first', () => {
    const dir = templates({
      'forms/a.json': validForm('a', [
        { type: 'spacer', height: 0 },
        { type: 'lines', count: 0 },
      ]),
      'forms/b.json': validForm('b', [{ type: 'serial', series: 'lab' }]),
      'kits/k.json': validKit('k', ['c']),
    });
    const problems = catalogErrors(dir);
    expect(problems).toEqual([
      expect.stringMatching(/^\[catalog\] forms\/a\.json: pages\.0\.blocks\.0\.height: /),
      expect.stringMatching(/^\[catalog\] forms\/a\.json: pages\.0\.blocks\.1\.count: /),
      expect.stringMatching(/^\[catalog\] forms\/b\.json: pages\.0\.blocks\.0\.series: /),
      expect.stringMatching(/^\[catalog\] kits\/k\.json: items\.0\.document: no form "c"/),
    ]);
    // The thrown message is the same lines, so start-up prints them all.
    try {
      loadCatalog(dir, config);
    } catch (e) {
      expect((e as Error).message).toBe(problems.join('\n'));
    }
  });

  it('does not also blame a kit for naming a form whose own file is broken', () => {
    const problems = catalogErrors(templates({ 'forms/a.json': '{', 'kits/k.json': validKit('k', ['a']) }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\[catalog\] forms\/a\.json: \(root\): not valid JSON/);
  });

  it('names a missing folder', () => {
    const dir = tempDir('reservkit-tpl-');
    mkdirSync(path.join(dir, 'forms'));
    expect(catalogErrors(dir)).toEqual([expect.stringMatching(/^\[catalog\] kits: \(root\): cannot read the folder: ENOENT/)]);
  });

  it('a unit can add a form and a kit without a build', () => {
    const dir = tempDir('reservkit-tpl-');
    cpSync(templatesDir, dir, { recursive: true });
    writeFileSync(path.join(dir, 'forms/mottagningslista.json'), JSON.stringify(validForm('mottagningslista')));
    writeFileSync(path.join(dir, 'kits/ovning.json'), JSON.stringify(validKit('ovning', ['mottagningslista', 'vardkontakt'], 0)));
    const catalog = loadCatalog(dir, config);
    expect(catalog.forms.has('mottagningslista')).toBe(true);
    expect([...catalog.kits.keys()][0]).toBe('ovning');
  });
});
