// Documents of every kind are templates validated at start-up: a mistake in an overprint, a ledger
// list, a slips layout or a referral's labels stops the station naming the file, the JSON path and
// the reason, like a mistake in a form does.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, type StationConfig } from '../../src/config.js';
import { CatalogError, loadCatalog } from '../../src/catalog/catalog.js';
import { tempDir } from '../helpers/config.js';

const root = path.resolve(import.meta.dirname, '../..');
const config: StationConfig = parseConfig(JSON.parse(readFileSync(path.join(root, 'config/station.example.json'), 'utf8')));
const shipped = (name: string) => JSON.parse(readFileSync(path.join(root, 'templates', name), 'utf8')) as Record<string, unknown>;

/** The shipped templates with some files replaced or added; returns every problem reported. */
function problemsWith(files: Record<string, unknown>, cfg: StationConfig = config): string[] {
  const dir = tempDir('reservkit-tpl-');
  cpSync(path.join(root, 'templates'), dir, { recursive: true });
  for (const [name, value] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(value, null, 2));
  try {
    loadCatalog(dir, cfg);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(CatalogError);
    return [...(e as CatalogError).problems];
  }
}

const overprint = shipped('forms/receptoverskrift.json');
const ledger = shipped('forms/avstamning.json');
const kvitto = shipped('forms/kvitto.json');
const remiss = shipped('forms/provtagningsremiss.json');
const kit = shipped('kits/systemuppgradering.json');

describe('documents of every kind are checked at start-up', () => {
  it('the shipped templates load', () => expect(problemsWith({})).toEqual([]));

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown kind', { 'forms/x.json': { kind: 'poster', id: 'x', name: 'X' } }, "[catalog] forms/x.json: kind: Invalid discriminator value"],
    [
      'free text on the prescription overprint',
      { 'forms/receptoverskrift.json': { ...overprint, texts: [{ field: 'drug', xMm: 10, yMm: 10, widthMm: 50 }, ...(overprint.texts as unknown[]).slice(1)] } },
      '[catalog] forms/receptoverskrift.json: texts.0.field: Invalid option',
    ],
    [
      'an overprint without the arbetsplatskod barcode',
      { 'forms/receptoverskrift.json': { ...overprint, barcodes: (overprint.barcodes as unknown[]).slice(0, 1) } },
      '[catalog] forms/receptoverskrift.json: barcodes: Arbetsplatskod (workplaceCode) must also be printed as a barcode',
    ],
    [
      'an overprint field past the edge of the blank',
      { 'forms/receptoverskrift.json': { ...overprint, page: { widthMm: 100, heightMm: 210 } } },
      "[catalog] forms/receptoverskrift.json: texts.5.widthMm: reaches 134 mm, past the sheet's width of 100 mm",
    ],
    [
      'an overprint for a printer role no printer has',
      { 'forms/receptoverskrift.json': { ...overprint, role: 'recept' } },
      '[catalog] forms/receptoverskrift.json: role: no printer has the role "recept" in the station config',
    ],
    [
      'a ledger list without the number column',
      { 'forms/avstamning.json': { ...ledger, columns: [{ source: 'tick', header: 'Registrerat i PMO' }] } },
      '[catalog] forms/avstamning.json: columns: needs a column with source "number"',
    ],
    [
      'slips whose copies do not fit side by side',
      { 'forms/kvitto.json': { ...kvitto, slips: { ...(kvitto.slips as object), columns: 3 } } },
      '[catalog] forms/kvitto.json: slips.copies: 2 copies do not fit side by side in 3 columns',
    ],
    [
      'a referral with labels of an unknown layout',
      { 'forms/provtagningsremiss.json': { ...remiss, labels: { layout: 'a4-9x9', perNumber: 4 } } },
      '[catalog] forms/provtagningsremiss.json: labels.layout: no label layout "a4-9x9" in templates/labels',
    ],
    [
      'labels on a form without a number',
      { 'forms/x.json': { id: 'x', name: 'X', labels: { layout: 'a4-3x8' }, pages: [{ blocks: [{ type: 'heading', text: 'X' }] }] } },
      '[catalog] forms/x.json: labels: labels need a number: add a serial block',
    ],
    [
      'labels on a form numbered from another series than the labels',
      { 'forms/x.json': { id: 'x', name: 'X', labels: { layout: 'a4-3x8' }, pages: [{ blocks: [{ type: 'serial', series: 'kvitto' }] }] } },
      '[catalog] forms/x.json: labels: the labels carry numbers of the label series "remiss", but the form\'s number comes from "kvitto"',
    ],
    [
      'a kit with the overprint (it needs a prescriber)',
      { 'kits/systemuppgradering.json': { ...kit, items: [...(kit.items as unknown[]), { document: 'receptoverskrift', copies: 5 }] } },
      '[catalog] kits/systemuppgradering.json: items.10.document: "receptoverskrift" is a overprint document, which needs a prescriber and cannot be in a kit',
    ],
    [
      'a kit with the avstämningslista (it needs a range)',
      { 'kits/systemuppgradering.json': { ...kit, items: [...(kit.items as unknown[]), { document: 'avstamning', copies: 1 }] } },
      '[catalog] kits/systemuppgradering.json: items.10.document: "avstamning" is a ledger document, which needs a series and dates and cannot be in a kit',
    ],
    [
      'two serial blocks on one form',
      { 'forms/x.json': { id: 'x', name: 'X', pages: [{ blocks: [{ type: 'serial', series: 'remiss' }, { type: 'serial', series: 'kvitto' }] }] } },
      '[catalog] forms/x.json: pages: at most one serial block',
    ],
    [
      'an unknown placeholder in an aside',
      { 'forms/x.json': { id: 'x', name: 'X', pages: [{ blocks: [{ type: 'serial', series: 'remiss', aside: [{ text: '{unit.fax}' }] }] }] } },
      '[catalog] forms/x.json: pages.0.blocks.0.aside.0.text: unknown placeholder {unit.fax}',
    ],
  ])('%s', (_what, files, message) => {
    const problems = problemsWith(files);
    expect(problems.some((p) => p.startsWith(message)), `${message}\nnot in\n${problems.join('\n')}`).toBe(true);
  });
});
