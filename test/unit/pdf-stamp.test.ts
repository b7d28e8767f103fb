// Stamped numbers (pdf-stamp.ts, numbered.ts, labels.ts) against the same documents laid out whole
// by pdfmake: the same words at the same places (pdftotext -bbox), the same pages, the same picture
// (pdftoppm), every barcode scanning to its number (zbarimg), and poppler reading the stamped file
// without a complaint. Then the cache's choice between stamping and rendering whole, and what the
// PDF reader refuses (a StampError, so the caller renders whole).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { formatSerial } from '../../src/domain/serials.js';
import { barcodeModules } from '../../src/domain/barcode-symbol.js';
import { FormCache } from '../../src/render/form-cache.js';
import { MONO_ADVANCE_EM } from '../../src/catalog/label-geometry.js';
import { renderLabels, renderLabelsWhole, type RenderLabelsInput } from '../../src/render/labels.js';
import { glyphsOf, renderNumberedTemplate, serialFont, stampNumbers, type NumberedTemplate } from '../../src/render/numbered.js';
import { renderPdf } from '../../src/render/pdf-engine.js';
import { carriedFont, composeStamped, parsePdf, StampError } from '../../src/render/pdf-stamp.js';
import { renderNumberedForm } from '../../src/render/render-document.js';
import { renderForm } from '../../src/render/render-form.js';
import type { RenderContext } from '../../src/render/form-blocks.js';
import { renderSlips } from '../../src/render/render-slips.js';
import { testConfig, tempDir } from '../helpers/config.js';
import { decodeBarcodes, writeTemp } from '../helpers/pdf-tools.js';

// Counts the day's template renderings of FormCache without a hook in src: the real function, wrapped.
vi.mock('../../src/render/numbered.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/render/numbered.js')>();
  return { ...real, renderNumberedTemplate: vi.fn(real.renderNumberedTemplate) };
});

const root = path.resolve(import.meta.dirname, '../..');
const config = testConfig();
const catalog = loadCatalog(path.join(root, 'templates'), config);
/** 14:05 in Stockholm on 2026-11-25. */
const printedAt = new Date('2026-11-25T13:05:00Z');
const ctx: RenderContext = { config, printedAt, dateOnly: true };
const remiss = config.series.find((s) => s.id === 'remiss')!;
const kvitto = config.series.find((s) => s.id === 'kvitto')!;
const prov = catalog.forms.get('provtagningsremiss')!;
const slips = catalog.forms.get('kvitto')!;
const remissNumbers = (n: number, from = 900000) => Array.from({ length: n }, (_, i) => formatSerial(remiss, from + i));
const kvittoNumbers = (n: number, from = 1) => Array.from({ length: n }, (_, i) => formatSerial(kvitto, from + i));
const templateRenders = () => vi.mocked(renderNumberedTemplate).mock.calls.length;

// ---- reading the PDFs as poppler does ------------------------------------------------------------

/** Runs a poppler tool; it must succeed and say nothing on stderr (poppler reports syntax errors there). */
function poppler(tool: string, args: string[]): string {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  expect(r.status, `${tool} ${args.join(' ')}: ${r.stderr}`).toBe(0);
  expect(r.stderr, `${tool} ${args.join(' ')} on stderr`).toBe('');
  return r.stdout;
}

const pageCount = (file: string) => Number(/^Pages:\s+(\d+)/m.exec(poppler('pdfinfo', [file]))?.[1]);
const fontNames = (file: string) =>
  poppler('pdffonts', [file])
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((l) => l.split(/\s+/)[0]!);

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** The words of each page with their boxes (pdftotext -bbox). */
function bboxWords(file: string): { width: number; height: number; words: Word[] }[] {
  const html = poppler('pdftotext', ['-bbox', file, '-']);
  return html
    .split('<page ')
    .slice(1)
    .map((p) => {
      const size = /^width="([\d.]+)" height="([\d.]+)"/.exec(p)!;
      const words = [...p.matchAll(/<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
        text: m[5]!,
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
      }));
      return { width: Number(size[1]), height: Number(size[2]), words };
    });
}

/** Same pages, and on each the same words in the same order, each box within 0.01 pt. */
function expectSameWords(stamped: string, whole: string): void {
  const a = bboxWords(stamped);
  const b = bboxWords(whole);
  expect(a.length).toBe(b.length);
  a.forEach((page, i) => {
    const other = b[i]!;
    expect([page.width, page.height], `page ${i + 1} size`).toEqual([other.width, other.height]);
    expect(page.words.map((w) => w.text), `page ${i + 1} words`).toEqual(other.words.map((w) => w.text));
    page.words.forEach((w, k) => {
      const o = other.words[k]!;
      const off = Math.max(Math.abs(w.xMin - o.xMin), Math.abs(w.yMin - o.yMin), Math.abs(w.xMax - o.xMax), Math.abs(w.yMax - o.yMax));
      expect(off, `page ${i + 1}, "${w.text}" is ${off.toFixed(4)} pt off`).toBeLessThan(0.01);
    });
  });
}

interface Raster {
  width: number;
  height: number;
  data: Buffer;
}

/** Every page at 100 dpi in gray (PGM, P5). */
function rasterise(file: string): Raster[] {
  const dir = tempDir('reservkit-pgm-');
  poppler('pdftoppm', ['-r', '100', '-gray', file, path.join(dir, 'p')]);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pgm'))
    .sort()
    .map((f) => {
      const bytes = readFileSync(path.join(dir, f));
      const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 40).toString('latin1'));
      if (!header) throw new Error(`${f} is not a binary PGM`);
      return { width: Number(header[1]), height: Number(header[2]), data: bytes.subarray(header[0].length) };
    });
}

/** The share of pixels that are not the same gray in both. */
function pixelDiff(a: Raster, b: Raster): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  expect(a.data.length).toBe(a.width * a.height);
  let differ = 0;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) differ++;
  return differ / a.data.length;
}

/** Stamped and whole rasterise alike page by page: under 0.5 % of the pixels differ. Returns the rasters. */
function expectSamePictures(stamped: string, whole: string): { a: Raster[]; b: Raster[] } {
  const a = rasterise(stamped);
  const b = rasterise(whole);
  expect(a.length).toBe(b.length);
  a.forEach((r, i) => expect(pixelDiff(r, b[i]!), `page ${i + 1}`).toBeLessThan(0.005));
  return { a, b };
}

interface Area {
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Where a template's bars go, per template page, in pixels at `dpi` with two pixels to spare around. */
function barAreas(tpl: NumberedTemplate, dpi: number): Area[] {
  const px = dpi / 72;
  const ptPerMm = 72 / 25.4;
  return tpl.slots.map((s) => ({
    page: s.bars.page,
    x0: Math.floor(s.bars.x * px) - 2,
    y0: Math.floor(s.bars.y * px) - 2,
    x1: Math.ceil((s.bars.x + s.widthModules * s.moduleMm * ptPerMm) * px) + 2,
    y1: Math.ceil((s.bars.y + s.barHeightMm * ptPerMm) * px) + 2,
  }));
}

/**
 * Pixels that differ outside the bars' areas (any gray), and inside them once both pictures are cut
 * at half gray (as a scanner or a printer without gray would see them), as a share of those areas.
 */
function diffAroundBars(a: Raster, b: Raster, areas: Area[]): { outside: number; barsAtHalfGray: number } {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  const inBars = (x: number, y: number) => areas.some((r) => x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1);
  let outside = 0;
  let inside = 0;
  let insideDiffer = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = y * a.width + x;
      if (inBars(x, y)) {
        inside++;
        if (a.data[i]! < 128 !== b.data[i]! < 128) insideDiffer++;
      } else if (a.data[i] !== b.data[i]) outside++;
    }
  }
  return { outside, barsAtHalfGray: insideDiffer / inside };
}

/** Page by page: not a pixel differs but at the bars, and the bars are the same at half gray. */
function expectDifferOnlyAtBarEdges(stamped: string, whole: string, tpl: NumberedTemplate): void {
  const a = rasterise(stamped);
  const b = rasterise(whole);
  expect(a.length).toBe(b.length);
  a.forEach((r, i) => {
    const d = diffAroundBars(r, b[i]!, barAreas(tpl, 100).filter((area) => area.page === i % tpl.pages));
    expect(d.outside, `page ${i + 1}: pixels that differ away from the bars`).toBe(0);
    expect(d.barsAtHalfGray, `page ${i + 1}: share of the bars' pixels that differ at half gray`).toBeLessThan(0.005);
  });
}

const STAMP_FONT = 'RKSTMP+DejaVuSansMono';

// ---- numbered forms --------------------------------------------------------------------------------

describe('a stamped provtagningsremiss is the form rendered whole', () => {
  const serials = remissNumbers(5);
  let tpl: NumberedTemplate;
  let stamped: string;
  let whole: string;
  let pages: { stamped: number; whole: number };

  beforeAll(async () => {
    tpl = await renderNumberedTemplate(prov, ctx, serials[0]!);
    const s = await stampNumbers(tpl, serials);
    const w = await renderNumberedForm(prov, { config, printedAt, dateOnly: true }, serials);
    stamped = writeTemp(s.pdf, 'stamped.pdf');
    whole = writeTemp(w.pdf, 'whole.pdf');
    pages = { stamped: s.pages, whole: w.pages };
  });

  it('has a page per number, as the whole rendering', () => {
    expect(pages.whole).toBe(5);
    expect(pages.stamped).toBe(5);
    expect(pageCount(stamped)).toBe(5);
    expect(pageCount(whole)).toBe(5);
  });

  it('has the same words at the same places on every page, its own number on each', () => {
    expectSameWords(stamped, whole);
    const perPage = bboxWords(stamped);
    perPage.forEach((p, i) => expect(p.words.filter((w) => /^RV\d{8}$/.test(w.text)).map((w) => w.text), `page ${i + 1}`).toEqual([serials[i]]));
  });

  it('looks the same, page by page: under 0.5 % of pixels differ (and the comparison does see another number)', () => {
    const { a, b } = expectSamePictures(stamped, whole);
    // Page 1 stamped against page 2 whole: another number and barcode, which the comparison notices.
    expect(pixelDiff(a[0]!, b[1]!)).toBeGreaterThan(pixelDiff(a[0]!, b[0]!));
    const other = diffAroundBars(a[0]!, b[1]!, barAreas(tpl, 100));
    expect(other.outside).toBeGreaterThan(0); // the number under the bars
    expect(other.barsAtHalfGray).toBeGreaterThan(0.01); // the bars (the numbers differ in their last digits only)
  });

  it('differs from the whole rendering only at the edges of the bars', () => {
    expectDifferOnlyAtBarEdges(stamped, whole, tpl);
  });

  it('has barcodes that scan at 300 dpi to each page’s number, in page order', () => {
    expect(decodeBarcodes(stamped, 300)).toEqual(serials.map((s) => [s]));
  });

  it('sets the numbers in the carried font, renamed RKSTMP+, which poppler reads without complaint', () => {
    // poppler() fails on anything on stderr: pdfinfo, pdftotext and pdffonts all read the file cleanly.
    poppler('pdftotext', [stamped, '-']);
    const fonts = fontNames(stamped);
    expect(fonts).toContain(STAMP_FONT);
    expect(fontNames(whole)).not.toContain(STAMP_FONT);
    expect(poppler('pdfinfo', [stamped])).toMatch(/^Title:\s+Provtagningsremiss$/m);
  });
});

describe('stamped receipt slips (kvitto) are the sheets rendered whole', () => {
  const serials = kvittoNumbers(6);
  let tpl: NumberedTemplate;
  let stamped: string;
  let whole: string;

  beforeAll(async () => {
    tpl = await renderNumberedTemplate(slips, ctx, serials[0]!);
    expect(tpl.numbersPerGroup).toBe(2);
    const s = await stampNumbers(tpl, serials);
    const w = await renderSlips(slips, { ...ctx, serials });
    expect([s.pages, w.pages]).toEqual([3, 3]);
    stamped = writeTemp(s.pdf, 'kvitto-stamped.pdf');
    whole = writeTemp(w.pdf, 'kvitto-whole.pdf');
  });

  it('has three sheets with the same words at the same places, the numbers in the carried font', () => {
    expect(pageCount(stamped)).toBe(3);
    expectSameWords(stamped, whole);
    expect(fontNames(stamped)).toContain(STAMP_FONT);
  });

  it('differs from the sheets rendered whole only at the edges of the bars', () => {
    expectDifferOnlyAtBarEdges(stamped, whole, tpl);
  });

  // The stamp fills each bar of a form's barcode on its own, as the whole form does (pdfmake canvas
  // rects): poppler snaps a lone filled rectangle to whole pixels but anti-aliases the edges of a
  // path of many, so filling them as one path made a sheet of six barcodes differ in ~1 % of pixels.
  it('looks the same: under 0.5 % of pixels differ per sheet', () => {
    expectSamePictures(stamped, whole);
  });

  it('puts each number in its row, once in each copy (left: patient, right: unit)', () => {
    const perPage = bboxWords(stamped);
    expect(perPage).toHaveLength(3);
    const rowMm = (297 - 2 * 10) / 2;
    const ptPerMm = 72 / 25.4;
    perPage.forEach((page, sheet) => {
      const numbers = page.words.filter((w) => /^KV\d+$/.test(w.text));
      expect(numbers).toHaveLength(4);
      for (let row = 0; row < 2; row++) {
        const serial = serials[sheet * 2 + row]!;
        const both = numbers.filter((w) => w.text === serial).sort((x, y) => x.xMin - y.xMin);
        expect(both, `${serial} on sheet ${sheet + 1}`).toHaveLength(2);
        const [left, right] = both as [Word, Word];
        expect(Math.abs(left.yMin - right.yMin), `${serial}: both copies on one line`).toBeLessThan(0.01);
        expect(left.xMax).toBeLessThan(page.width / 2);
        expect(right.xMin).toBeGreaterThan(page.width / 2);
        const top = (10 + row * rowMm) * ptPerMm;
        expect(left.yMin, `${serial} in row ${row + 1}`).toBeGreaterThan(top);
        expect(left.yMax, `${serial} in row ${row + 1}`).toBeLessThan(top + rowMm * ptPerMm);
      }
    });
  });

  it('has barcodes that scan at 300 dpi, two numbers per sheet', () => {
    expect(decodeBarcodes(stamped, 300).map((p) => [...p].sort())).toEqual([serials.slice(0, 2), serials.slice(2, 4), serials.slice(4)]);
  });
});

// ---- the cache's choice ----------------------------------------------------------------------------

describe('FormCache.numbered', () => {
  beforeEach(() => {
    vi.mocked(renderNumberedTemplate).mockClear();
  });

  it('stamps a normal print onto a template rendered once a day, and again on the next day', async () => {
    const cache = new FormCache();
    const first = remissNumbers(2, 900010);
    const a = await cache.numbered(prov, { config, printedAt }, first);
    expect(cache.stats).toEqual({ stamped: 1, renderedWhole: 0 });
    expect(templateRenders()).toBe(1);
    const file = writeTemp(a.pdf);
    expect(fontNames(file)).toContain(STAMP_FONT);
    expect(bboxWords(file).map((p) => p.words.filter((w) => /^RV\d{8}$/.test(w.text)).map((w) => w.text))).toEqual(first.map((s) => [s]));
    expect(poppler('pdftotext', [file, '-'])).toContain('Utskriven 2026-11-25');
    expect(poppler('pdftotext', [file, '-'])).not.toContain('Utskriven 2026-11-25 14:05');

    // Later the same day, two presses at once: no new template.
    const later = { config, printedAt: new Date('2026-11-25T20:00:00Z') };
    const [b, c] = await Promise.all([cache.numbered(prov, later, remissNumbers(1, 900020)), cache.numbered(prov, later, remissNumbers(3, 900030))]);
    expect([b.pages, c.pages]).toEqual([1, 3]);
    expect(cache.stats).toEqual({ stamped: 3, renderedWhole: 0 });
    expect(templateRenders()).toBe(1);

    // 00:30 the next day in Stockholm: the print date changes, so does the template.
    const next = await cache.numbered(prov, { config, printedAt: new Date('2026-11-25T23:30:00Z') }, remissNumbers(1, 900040));
    expect(templateRenders()).toBe(2);
    expect(cache.stats.stamped).toBe(4);
    expect(poppler('pdftotext', [writeTemp(next.pdf), '-'])).toContain('Utskriven 2026-11-26');
  });

  it('renders slips whole when the numbers do not fill whole sheets, and prints all of them', async () => {
    const cache = new FormCache();
    const three = kvittoNumbers(3, 101);
    const r = await cache.numbered(slips, { config, printedAt }, three);
    expect(cache.stats).toEqual({ stamped: 0, renderedWhole: 1 });
    const file = writeTemp(r.pdf);
    expect(r.pages).toBe(2);
    expect(pageCount(file)).toBe(2);
    expect(fontNames(file)).not.toContain(STAMP_FONT);
    const words = bboxWords(file).map((p) => p.words.filter((w) => /^KV\d+$/.test(w.text)).map((w) => w.text).sort());
    expect(words).toEqual([[three[0], three[0], three[1], three[1]].sort(), [three[2], three[2]]]);
    expect(decodeBarcodes(file, 200).map((p) => [...p].sort())).toEqual([three.slice(0, 2), [three[2]]]);

    // Two numbers fill a sheet: stamped, on the template rendered for the first print.
    await cache.numbered(slips, { config, printedAt }, kvittoNumbers(2, 201));
    expect(cache.stats).toEqual({ stamped: 1, renderedWhole: 1 });
    expect(templateRenders()).toBe(1);
  });

  it('renders whole a number whose barcode is wider than the template’s place (same length, check digit X)', async () => {
    const plain = formatSerial(remiss, 900002); // luhn: RV0900002 + digit
    const withX = formatSerial({ prefix: 'RV', padding: 7, checkDigit: 'mod11' }, 900002); // RV0900002X
    expect(withX).toMatch(/X$/);
    expect(withX).toHaveLength(plain.length);
    expect(barcodeModules('code128', withX).widthModules).not.toBe(barcodeModules('code128', plain).widthModules);

    const cache = new FormCache();
    await cache.numbered(prov, { config, printedAt }, [plain]);
    expect(cache.stats).toEqual({ stamped: 1, renderedWhole: 0 });
    // The cached template (same length) was laid out for the narrower barcode.
    const alone = await cache.numbered(prov, { config, printedAt }, [withX]);
    // In a batch after a number that fits: still the whole batch rendered whole.
    const mixed = await cache.numbered(prov, { config, printedAt }, [plain, withX]);
    expect(cache.stats).toEqual({ stamped: 1, renderedWhole: 2 });
    expect(templateRenders()).toBe(1);
    const aloneFile = writeTemp(alone.pdf);
    const mixedFile = writeTemp(mixed.pdf);
    expect(fontNames(aloneFile)).not.toContain(STAMP_FONT);
    expect(decodeBarcodes(aloneFile, 200)).toEqual([[withX]]);
    expect(decodeBarcodes(mixedFile, 200)).toEqual([[plain], [withX]]);
  });

  it('renders whole a number with a character the serial font lacks (lower case)', async () => {
    const cache = new FormCache();
    const lower = formatSerial(remiss, 900003).toLowerCase();
    const r = await cache.numbered(prov, { config, printedAt }, [lower]);
    expect(cache.stats).toEqual({ stamped: 0, renderedWhole: 1 });
    const file = writeTemp(r.pdf);
    expect(bboxWords(file)[0]!.words.map((w) => w.text)).toContain(lower);
  });
});

// ---- label sheets and rolls ------------------------------------------------------------------------

describe('stamped labels are the labels rendered whole', () => {
  const labelCtx = { config: { unit: config.unit, routine: config.routine, timezone: config.timezone }, printedAt };
  const cases = [
    // 26 numbers: a full sheet and two labels of the next
    { layout: 'a4-3x8', count: 26, labelsPerNumber: 1, pages: 2 },
    // 3 numbers, two labels each: six small pages
    { layout: 'rulle-50x25', count: 3, labelsPerNumber: 2, pages: 6 },
  ];

  it.each(cases)('$layout: same pages, words and picture; the barcodes scan', async ({ layout: id, count, labelsPerNumber, pages }) => {
    const layout = catalog.labels.get(id)!;
    expect(layout).toBeDefined();
    const numbers = remissNumbers(count, 900050);
    const input: RenderLabelsInput = { ...labelCtx, layout, items: numbers.map((number) => ({ number })), labelsPerNumber };
    const s = await renderLabels(input);
    const w = await renderLabelsWhole(input);
    expect([s.pages, w.pages]).toEqual([pages, pages]);
    const stamped = writeTemp(s.pdf, `${id}-stamped.pdf`);
    const whole = writeTemp(w.pdf, `${id}-whole.pdf`);
    expect(pageCount(stamped)).toBe(pages);
    // Stamped indeed (not quietly rendered whole), and poppler reads it cleanly.
    expect(fontNames(stamped)).toContain(STAMP_FONT);
    expect(fontNames(whole)).not.toContain(STAMP_FONT);
    expectSameWords(stamped, whole);
    expectSamePictures(stamped, whole);
    const dpi = layout.kind === 'roll' ? 203 : 300;
    const decoded = decodeBarcodes(stamped, dpi).map((p) => [...p].sort());
    if (layout.kind === 'sheet') expect(decoded).toEqual([numbers.slice(0, 24).sort(), numbers.slice(24).sort()]);
    else expect(decoded).toEqual(numbers.flatMap((n) => Array<string[]>(labelsPerNumber).fill([n])));
  });

  it('prints a reprint KOPIA, rendered whole', async () => {
    const layout = catalog.labels.get('rulle-50x25')!;
    const [fresh, again] = remissNumbers(2, 900080) as [string, string];
    const input: RenderLabelsInput = { ...labelCtx, layout, items: [{ number: fresh }, { number: again, copy: true }] };
    const r = await renderLabels(input);
    const file = writeTemp(r.pdf, 'kopia.pdf');
    expect(r.pages).toBe(2);
    expect(fontNames(file)).not.toContain(STAMP_FONT);
    const words = bboxWords(file).map((p) => p.words.map((w) => w.text));
    expect(words[0]).toContain(fresh);
    expect(words[0]).not.toContain('KOPIA');
    expect(words[1]).toContain(again);
    expect(words[1]).toContain('KOPIA');
    expectSameWords(file, writeTemp((await renderLabelsWhole(input)).pdf, 'kopia-whole.pdf'));
    expect(decodeBarcodes(file, 203)).toEqual([[fresh], [again]]);
  });
});

// ---- what the reader refuses -----------------------------------------------------------------------

/** A small PDF with a classic xref table: objects 1 … n from their bodies (1 is the catalog). */
function classicPdf(bodies: string[]): Buffer {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = out.length;
  out += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<<\n/Size ${bodies.length + 1}\n/Root 1 0 R\n>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const square = '0 0 0 rg 20 20 60 60 re f';
const stream = (data: string) => `<<\n/Length ${data.length}\n>>\nstream\n${data}\nendstream`;
const pageObj = (parent: number, contents: number, resources: number) =>
  `<<\n/Type /Page\n/Parent ${parent} 0 R\n/MediaBox [0 0 100 100]\n/Contents ${contents} 0 R\n/Resources ${resources} 0 R\n>>`;

/** The same one page, its cross-reference a stream (PDF 1.5) instead of a table. */
function xrefStreamPdf(): Buffer {
  const bodies = ['<<\n/Type /Catalog\n/Pages 2 0 R\n>>', '<<\n/Type /Pages\n/Kids [3 0 R]\n/Count 1\n>>', pageObj(2, 4, 5), stream(square), '<<\n/ProcSet [/PDF]\n>>'];
  let out = '%PDF-1.5\n';
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = out.length;
  offsets.push(xrefAt); // object 6 is the xref stream itself
  const entries = Buffer.alloc(7 * 7);
  entries.writeUInt8(0, 0);
  entries.writeUInt32BE(0, 1);
  entries.writeUInt16BE(65535, 5);
  offsets.forEach((o, i) => {
    entries.writeUInt8(1, (i + 1) * 7);
    entries.writeUInt32BE(o, (i + 1) * 7 + 1);
    entries.writeUInt16BE(0, (i + 1) * 7 + 5);
  });
  return Buffer.concat([
    Buffer.from(out, 'latin1'),
    Buffer.from(`6 0 obj\n<<\n/Type /XRef\n/Size 7\n/Root 1 0 R\n/W [1 4 2]\n/Index [0 7]\n/Length ${entries.length}\n>>\nstream\n`, 'latin1'),
    entries,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'),
  ]);
}

describe('parsePdf', () => {
  const flat = classicPdf(['<<\n/Type /Catalog\n/Pages 2 0 R\n>>', '<<\n/Type /Pages\n/Kids [3 0 R]\n/Count 1\n>>', pageObj(2, 4, 5), stream(square), '<<\n/ProcSet [/PDF]\n>>']);
  const nested = classicPdf([
    '<<\n/Type /Catalog\n/Pages 2 0 R\n>>',
    '<<\n/Type /Pages\n/Kids [3 0 R]\n/Count 1\n>>',
    '<<\n/Type /Pages\n/Parent 2 0 R\n/Kids [4 0 R]\n/Count 1\n>>',
    pageObj(3, 5, 6),
    stream(square),
    '<<\n/ProcSet [/PDF]\n>>',
  ]);

  it('reads a flat hand-made PDF (so the refusals below are about what they vary)', () => {
    const file = writeTemp(flat, 'flat.pdf');
    expect(pageCount(file)).toBe(1);
    const pdf = parsePdf(flat);
    expect(pdf.pages).toEqual([{ object: 3, contents: 4, resources: 5, mediaBox: '[0 0 100 100]' }]);
    expect(pdf.size).toBe(6);
    expect(pdf.root).toBe(1);
  });

  it('reads what pdfmake writes', async () => {
    const r = await renderPdf({ content: [{ text: 'Hej' }, { text: 'då', pageBreak: 'before' }] });
    const pdf = parsePdf(r.pdf);
    expect(pdf.pages).toHaveLength(2);
  });

  it.each([
    ['not a PDF', Buffer.from('Det här är ingen PDF, bara text.\n', 'utf8'), /no startxref/],
    ['an empty file', Buffer.alloc(0), /no startxref/],
    ['a PDF cut short', flat.subarray(0, flat.length - 30), /no startxref/],
  ])('refuses %s with a StampError', (_what, bytes, message) => {
    expect(() => parsePdf(bytes)).toThrow(StampError);
    expect(() => parsePdf(bytes)).toThrow(message);
  });

  it('refuses a cross-reference stream (a PDF poppler reads fine)', () => {
    const bytes = xrefStreamPdf();
    const file = writeTemp(bytes, 'xref-stream.pdf');
    expect(pageCount(file)).toBe(1); // valid: pdfinfo reads it without a word on stderr
    expect(() => parsePdf(bytes)).toThrow(StampError);
    expect(() => parsePdf(bytes)).toThrow(/no classic cross-reference table/);
  });

  it('refuses a nested page tree (a PDF poppler reads fine)', () => {
    const file = writeTemp(nested, 'nested.pdf');
    expect(pageCount(file)).toBe(1);
    expect(() => parsePdf(nested)).toThrow(StampError);
    expect(() => parsePdf(nested)).toThrow(/nested page trees are not supported/);
  });

  it('refuses an object that is not where the xref says', () => {
    const s = flat.toString('latin1');
    // Object 2's entry points one byte early.
    const entries = s.slice(s.indexOf('xref\n')).split('\n');
    const second = entries[4]!; // "xref", "0 6", free entry, object 1, object 2
    const moved = `${String(Number(second.slice(0, 10)) - 1).padStart(10, '0')}${second.slice(10)}`;
    const bad = Buffer.from(s.replace(second, moved), 'latin1');
    expect(() => parsePdf(bad)).toThrow(/object 2 is not where the xref says/);
  });
});

describe('stampNumbers and composeStamped refuse what they cannot set', () => {
  let tpl: NumberedTemplate;
  beforeAll(async () => {
    tpl = await renderNumberedTemplate(prov, ctx, formatSerial(remiss, 900000));
  });

  it('a number with lower-case letters (the serial font has none): StampError', async () => {
    const lower = formatSerial(remiss, 900001).toLowerCase();
    // Same width of barcode, so it is the font that refuses.
    expect(barcodeModules('code128', lower).widthModules).toBe(tpl.slots[0]!.widthModules);
    await expect(stampNumbers(tpl, [lower])).rejects.toThrow(StampError);
    await expect(stampNumbers(tpl, [lower])).rejects.toThrow(/character \(r\) the serial font lacks/);
    const font = await serialFont(tpl.page.defaultStyle);
    expect(() => glyphsOf(font, 'RV0900001å')).toThrow(StampError);
  });

  it('composeStamped refuses a page the template does not have', async () => {
    const font = await serialFont(tpl.page.defaultStyle);
    expect(() => composeStamped(tpl.pdf, font, [{ templatePage: 1, ops: '' }])).toThrow(StampError);
  });

  it('numbers that do not fill whole groups, or none: StampError', async () => {
    await expect(stampNumbers(tpl, [])).rejects.toThrow(StampError);
    const sheet = await renderNumberedTemplate(slips, ctx, formatSerial(kvitto, 1));
    await expect(stampNumbers(sheet, kvittoNumbers(3))).rejects.toThrow(/3 numbers do not fill whole sheets of 2/);
  });
});

describe('carriedFont', () => {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-';

  it('the serial font has a glyph for every character a number may have, a baseline and an advance', async () => {
    for (const size of [11, 8]) {
      const font = await serialFont(undefined, size);
      expect(font.size).toBe(size);
      for (const c of chars) expect(font.codes.get(c), c).toMatch(/^[0-9a-fA-F]{4}$/);
      expect(new Set([...chars].map((c) => font.codes.get(c))).size).toBe(chars.length);
      expect(font.baseline).toBeGreaterThan(0);
      expect(font.baseline).toBeLessThan(size * 1.5);
      expect(font.advance).toBeGreaterThan(0);
      // DejaVu Sans Mono: 1233/2048 em per character.
      expect(font.advance).toBeCloseTo(MONO_ADVANCE_EM * size, 2);
      const objects = Buffer.concat([...font.objects.values()]).toString('latin1');
      expect(objects).toContain('/BaseFont /RKSTMP+DejaVuSansMono');
      expect(objects).not.toMatch(/\/(BaseFont|FontName) \/(?!RKSTMP\+)[A-Z]{6}\+/);
    }
  });

  it('reads a carrier rendered here directly', async () => {
    const r = await renderPdf({ pageSize: 'A4', pageMargins: [0, 0, 0, 0], content: [{ text: chars, font: 'DejaVuSansMono', fontSize: 11, absolutePosition: { x: 0, y: 0 } }] });
    const font = carriedFont(parsePdf(r.pdf), chars, 11);
    expect([...font.codes.keys()].join('')).toBe(chars);
    expect(font.baseline).toBeGreaterThan(0);
    expect(font.advance).toBeGreaterThan(0);
    expect(font.root).toBe(1);
  });

  it('refuses a carrier of two pages', async () => {
    const r = await renderPdf({ content: [{ text: 'A' }, { text: 'B', pageBreak: 'before' }] });
    expect(() => carriedFont(parsePdf(r.pdf), 'A', 11)).toThrow(StampError);
  });
});
