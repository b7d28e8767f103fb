// The ZPL writer: byte-exact golden files (test/fixtures/zpl/) for one label of each symbology at
// each resolution, å/ä/ö, copies (^PQ) and KOPIA, each golden label also rendered to PNG
// (zpl-renderer-js) and scanned back to its number (zbarimg, dmtxread); the Code 128 code sets we
// choose; and the start-up refusal of a layout that does not fit at a ZPL printer's 203 dpi.
// Regenerate the golden files after a deliberate change with UPDATE_ZPL_GOLDEN=1 (and look at them).
import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labelLayoutSchema, type LabelLayout } from '../../src/catalog/label-layout-schema.js';
import { CatalogError, loadCatalog } from '../../src/catalog/catalog.js';
import { formatSerial, parseSerial } from '../../src/domain/serials.js';
import { renderZpl, zplFieldText } from '../../src/render/zpl.js';
import { code128Data, dotsPerMm, zplLabelGeometry, ZPL_DPIS, type ZplDpi } from '../../src/catalog/zpl-geometry.js';
import type { RenderLabelsInput } from '../../src/render/labels.js';
import { testConfig, tempDir } from '../helpers/config.js';
import { darkExtent, decodePng, decodeZpl, readPngGray, renderZplPng, zplFormats } from '../helpers/zpl-tools.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(root, 'test/fixtures/zpl');
const config = testConfig();
const remiss = config.series.find((s) => s.id === 'remiss')!;
const roll = labelLayoutSchema.parse(JSON.parse(readFileSync(path.join(root, 'templates/labels/rulle-50x25.json'), 'utf8')));
const ctx = { config: { unit: config.unit, routine: config.routine, timezone: config.timezone }, printedAt: new Date('2026-11-25T13:05:00Z') };

const wide = labelLayoutSchema.parse(JSON.parse(readFileSync(path.join(root, 'templates/labels/rulle-62x29.json'), 'utf8')));
/** The roll layouts of the golden files: Code 39 is wider per character, so it gets the 62 mm roll with fine modules. */
const withSymbology = (symbology: 'code128' | 'code39' | 'datamatrix'): LabelLayout =>
  symbology === 'code39'
    ? labelLayoutSchema.parse({ ...wide, barcode: { symbology, height: 12, moduleMm: 0.19 } })
    : labelLayoutSchema.parse({ ...roll, barcode: { symbology, height: roll.barcode.height, ...(symbology === 'datamatrix' ? {} : { moduleMm: roll.barcode.moduleMm }) } });

/** Compares with the golden file (or writes it when UPDATE_ZPL_GOLDEN is set). */
function golden(name: string, zpl: Uint8Array): string {
  const file = path.join(fixtures, name);
  if (process.env.UPDATE_ZPL_GOLDEN || !existsSync(file)) {
    mkdirSync(fixtures, { recursive: true });
    writeFileSync(file, zpl);
  }
  expect(Buffer.from(zpl).equals(readFileSync(file)), `${name} differs from its golden file`).toBe(true);
  return Buffer.from(zpl).toString('utf8');
}

const input = (layout: LabelLayout, over: Partial<RenderLabelsInput> = {}): RenderLabelsInput => ({ layout, items: [{ number: 'RV09000001' }], ...ctx, ...over });

describe('ZPL golden files, scanned back', () => {
  for (const symbology of ['code128', 'code39', 'datamatrix'] as const) {
    for (const dpi of ZPL_DPIS) {
      it(`${symbology} at ${dpi} dpi: byte-exact, and it scans to the number`, async () => {
        const layout = withSymbology(symbology);
        const zpl = golden(`${symbology}-${dpi}.zpl`, renderZpl(input(layout), dpi).zpl);
        expect(zpl.startsWith('^XA\n^CI28\n')).toBe(true);
        const d = dotsPerMm(dpi);
        expect(zpl).toContain(`^PW${Math.round(layout.label.width * d)}\n^LL${Math.round(layout.label.height * d)}\n^LH0,0`);
        const [label] = await decodeZpl(zpl, layout.label, dotsPerMm(dpi), symbology);
        expect(label!.codes).toEqual(['RV09000001']);
        expect(parseSerial(remiss, 'RV09000001')).toBe(900000);
      }, 60_000);
    }
  }

  it('å, ä, ö in the unit line go as UTF-8 under ^CI28, with ^ ~ _ escaped', async () => {
    const zpl = golden(
      'unit-aao-203.zpl',
      renderZpl({ ...input(roll), config: { ...ctx.config, unit: { ...ctx.config.unit, name: 'Vårdcentral Åsa ö_^~' } } }, 203).zpl,
    );
    expect(zpl).toContain('^FH^FDVårdcentral Åsa ö_5F_5E_7E^FS');
    expect(zplFieldText('a^b~c_d')).toBe('a_5Eb_7Ec_5Fd');
  });

  it('copies: each number is one format printed K times (^PQ), in order', async () => {
    const zpl = golden('copies-3x2-300.zpl', renderZpl(input(roll, { items: ['RV09000001', 'RV09000019', 'RV09000027'].map((number) => ({ number })), labelsPerNumber: 2 }), 300).zpl);
    const formats = zplFormats(zpl);
    expect(formats.map((f) => f.quantity)).toEqual([2, 2, 2]);
    const decoded = await decodeZpl(zpl, roll.label, 12);
    expect(decoded.map((d) => d.codes)).toEqual([['RV09000001'], ['RV09000019'], ['RV09000027']]);
  }, 60_000);

  it('a reprint carries a framed KOPIA on its first line', async () => {
    const zpl = golden('kopia-203.zpl', renderZpl(input(roll, { items: [{ number: 'RV09000001', copy: true }] }), 203).zpl);
    expect(zpl).toMatch(/\^GB\d+,\d+,2\^FS\n\^FO\d+,\d+\^A0N,\d+\^FB\d+,1,0,C\^FDKOPIA\^FS/);
    const [label] = await decodeZpl(zpl, roll.label, 8);
    expect(label!.codes).toEqual(['RV09000001']);
  }, 60_000);
});

describe('ZPL geometry', () => {
  it('Code 128: set C for an even run of digits only, else set B throughout; the width follows', () => {
    expect(code128Data('RV09000001')).toEqual({ data: '>:RV09000001', modules: 11 * (10 + 2) + 13 });
    expect(code128Data('191212121212')).toEqual({ data: '>;191212121212', modules: 11 * (6 + 2) + 13 });
    expect(code128Data('12345')).toEqual({ data: '>:12345', modules: 11 * (5 + 2) + 13 });
    expect(code128Data('RES-PROV 4711')).toEqual({ data: '>:RES-PROV 4711', modules: 11 * (13 + 2) + 13 });
    expect(code128Data('A>B')).toEqual({ data: '>:A><B', modules: 11 * (3 + 2) + 13 });
  });

  it('the module is whole dots and the quiet zones stay ten modules at every resolution', () => {
    for (const dpi of ZPL_DPIS) {
      const g = zplLabelGeometry(roll, dpi, 'RV09000001');
      expect(g.moduleDots).toBe(Math.round(0.25 * dotsPerMm(dpi)));
      expect(g.barHeightDots).toBe(12 * dotsPerMm(dpi));
      const symbolW = g.symbol.widthModules * g.moduleDots;
      expect((g.widthDots - symbolW) / 2).toBeGreaterThanOrEqual(10 * g.moduleDots);
    }
  });

  it('the rendered bars span exactly the computed width, centred, with their quiet zones blank, at least 10 mm high', async () => {
    for (const dpi of ZPL_DPIS) {
      const d = dotsPerMm(dpi);
      const zpl = Buffer.from(renderZpl(input(roll), dpi).zpl).toString('utf8');
      const file = await renderZplPng(zplFormats(zpl)[0]!.format, 50, 25, d);
      expect(decodePng(file)).toEqual(['RV09000001']);
      const g = zplLabelGeometry(roll, dpi, 'RV09000001');
      const png = readPngGray(file);
      const top = Math.round(g.geo.symbolY * d);
      // Rows inside the bars: every one spans the symbol's computed width exactly.
      for (const y of [top + 2, top + Math.floor(g.barHeightDots / 2), top + g.barHeightDots - 2]) {
        const [first, last] = darkExtent(png, y)!;
        expect(last - first + 1).toBe(g.symbol.widthModules * g.moduleDots);
        expect(first).toBeGreaterThanOrEqual(10 * g.moduleDots);
        expect(png.width - 1 - last).toBeGreaterThanOrEqual(10 * g.moduleDots);
      }
      // The bars are as high as laid out (≥ 10 mm): dark just inside, blank just outside.
      expect(darkExtent(png, top + g.barHeightDots - 1)).toBeDefined();
      expect(darkExtent(png, top + g.barHeightDots + 1)).toBeUndefined();
      expect(g.barHeightDots / d).toBeGreaterThanOrEqual(10);
    }
  }, 60_000);

  it('the tube roll (45 mm) fits at 203 and 300 dpi: start-up accepts it for a ZPL printer, and its labels scan back', async () => {
    const tube = labelLayoutSchema.parse(JSON.parse(readFileSync(path.join(root, 'templates/labels/rulle-45x35.json'), 'utf8')));
    expect(tube.label.width).toBeLessThanOrEqual(45);
    const last = formatSerial(remiss, remiss.last); // the widest number of the block
    for (const dpi of [203, 300] as const) {
      const zplCfg = testConfig({
        printers: [
          { id: 'a4', name: 'Skrivare A4', uri: `file://${tempDir()}`, roles: ['a4', 'labels-sheet'] },
          { id: 'zebra', name: 'Zebra provtagning', uri: 'socket://127.0.0.1:9100', format: 'zpl', dpi, roles: ['labels-roll'] },
        ],
      });
      expect([...loadCatalog(path.join(root, 'templates'), zplCfg).labels.keys()], `${dpi} dpi`).toContain('rulle-45x35');
      const d = dotsPerMm(dpi);
      const g = zplLabelGeometry(tube, dpi, last);
      expect((g.widthDots - g.symbol.widthModules * g.moduleDots) / 2).toBeGreaterThanOrEqual(10 * g.moduleDots);
      expect(g.barHeightDots / d).toBeGreaterThanOrEqual(10);
      const zpl = Buffer.from(renderZpl(input(tube, { items: [{ number: last }] }), dpi).zpl).toString('utf8');
      expect(zpl).toContain(`^PW${Math.round(45 * d)}`);
      const file = await renderZplPng(zplFormats(zpl)[0]!.format, 45, 35, d);
      expect(decodePng(file), `${dpi} dpi`).toEqual([last]);
      // The lines for the patient identifiers written by hand: thin ^GB rules, small captions.
      expect(zpl).toContain('^FDNamn^FS');
      expect(zpl).toContain('^FDPersonnr^FS');
      const rules = [...zpl.matchAll(/\^FO(\d+),(\d+)\^GB(\d+),(\d+),\d+\^FS/g)];
      expect(rules).toHaveLength(2);
      for (const [, x, y, w, h] of rules) {
        expect(Number(h)).toBeLessThanOrEqual(3);
        expect(Number(w) / d).toBeGreaterThanOrEqual(25);
        expect(Number(x) + Number(w)).toBeLessThanOrEqual(Math.round((45 - tube.padding) * d));
        expect(Number(y)).toBeGreaterThan(Math.round(g.geo.numberY * d));
      }
      // The rendered label shows the rules (a dark row across them) below the number.
      const png = readPngGray(file);
      const [x, y, w] = rules[0]!.slice(1, 4).map(Number) as [number, number, number];
      const ext = darkExtent(png, y + 1)!;
      expect(ext[0]).toBeLessThanOrEqual(x + 1);
      expect(ext[1]).toBeGreaterThanOrEqual(x + w - 2);
      expect(parseSerial(remiss, last)).toBe(900099);
    }
  }, 60_000);

  it('refuses a sheet layout and a start position (a roll has neither)', () => {
    const sheet = labelLayoutSchema.parse(JSON.parse(readFileSync(path.join(root, 'templates/labels/a4-3x8.json'), 'utf8')));
    expect(() => renderZpl(input(sheet), 203)).toThrow(/sheet layout/);
    expect(() => renderZpl(input(roll, { startPosition: 2 }), 203)).toThrow(/start position/);
    expect(() => renderZpl(input(roll), 250 as ZplDpi)).toThrow(/resolution/);
    // A roll without room for the handwriting lines has none (the golden files stay as they were).
    expect(Buffer.from(renderZpl(input(roll), 203).zpl).toString('utf8')).not.toContain('Namn');
  });
});

describe('start-up refusal at the printer resolution', () => {
  // 0.19 mm modules on a 30 mm roll: fits as PDF (and at 300 and 600 dpi, where a module is 2 and 5
  // dots), but at 203 dpi a module rounds to 2 dots = 0.25 mm and the symbol outgrows the label.
  function templatesWith(layout: object): string {
    const dir = tempDir('reservkit-tpl-');
    for (const sub of ['forms', 'kits', 'labels']) mkdirSync(path.join(dir, sub), { recursive: true });
    writeFileSync(path.join(dir, 'labels', 'smal-30.json'), JSON.stringify(layout));
    return dir;
  }
  const narrow = {
    id: 'smal-30',
    name: 'Smal rulle 30 × 25 mm',
    kind: 'roll',
    media: 'om_30x25mm_30x25mm',
    label: { width: 30, height: 25 },
    padding: 1,
    barcode: { symbology: 'code128', moduleMm: 0.19, height: 10 },
    text: { unitSize: 6, numberSize: 8 },
  };
  const zplConfig = (dpi: number) =>
    testConfig({
      printers: [
        { id: 'a4', name: 'Skrivare A4', uri: `file://${tempDir()}`, roles: ['a4', 'labels-sheet'] },
        { id: 'zebra', name: 'Zebra provtagning', uri: 'socket://127.0.0.1:9100', format: 'zpl', dpi, roles: ['labels-roll'] },
      ],
    });

  it('a layout that does not fit at 203 dpi stops start-up, naming the layout, the field and the printer', () => {
    const dir = templatesWith(narrow);
    expect(() => loadCatalog(dir, testConfig())).not.toThrow();
    expect(() => loadCatalog(dir, zplConfig(300))).not.toThrow();
    let err: unknown;
    try {
      loadCatalog(dir, zplConfig(203));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CatalogError);
    const msg = (err as Error).message;
    expect(msg).toContain('smal-30.json');
    expect(msg).toContain('barcode.moduleMm');
    expect(msg).toContain('printer "zebra"');
    expect(msg).toContain('at 203 dpi');
  });

  it('the config refuses PDF over socket:// and A4 sheets on a ZPL printer', () => {
    expect(() => testConfig({ printers: [{ id: 'z', name: 'Z', uri: 'socket://127.0.0.1:9100', roles: ['labels-roll'] }] })).toThrow(/printers\.0\.format/);
    expect(() => testConfig({ printers: [{ id: 'z', name: 'Z', uri: 'socket://127.0.0.1:9100', format: 'zpl', roles: ['labels-sheet'] }] })).toThrow(/printers\.0\.roles/);
    expect(() => testConfig({ printers: [{ id: 'z', name: 'Z', uri: 'socket://127.0.0.1:9100', format: 'zpl', dpi: 250, roles: ['labels-roll'] }] })).toThrow(/printers\.0\.dpi/);
  });
});
