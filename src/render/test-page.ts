// A printer test page: the printer's name, the unit, the time, Swedish letters and a frame 5 mm
// inside the page edge, so staff see at a glance that the printer takes our PDFs, in the right
// size, and prints to the edges it should; plus what lets a unit check scale, darkness and scanning
// on each printer: a 100 mm ruler (as long as a label allows), a 10 mm black and a 10 mm grey patch,
// and a Code 128 barcode (its text "TESTSIDA" cannot be mistaken for a referral number). Sized by
// the printer's configured media keyword, so a label printer gets a label-sized page. Pure.
import type { Content } from 'pdfmake/interfaces.js';
import { mediaDimensionsMm } from '../domain/media.js';
import { barcodeModules } from '../domain/barcode-symbol.js';
import { renderPdf, FONT_FAMILY, type DocDefinition, type RenderedPdf } from './pdf-engine.js';
import { rulerContent } from './ruler.js';

const PT_PER_MM = 72 / 25.4;
const mm = (x: number): number => x * PT_PER_MM;

/** What the test page's barcode says: scans as itself, never as a number from a series. */
export const TEST_PAGE_BARCODE = 'TESTSIDA';

/** Page size in mm from a PWG media keyword (iso_a4_210x297mm, om_50x25mm_50x25mm, na_letter_8.5x11in); A4 if unknown. */
export function mediaSizeMm(media: string): { width: number; height: number } {
  return mediaDimensionsMm(media) ?? { width: 210, height: 297 };
}

/** The test barcode as vector bars, `moduleMm` per module and `heightMm` high, at (x, y) mm. */
function testBarcode(xMm: number, yMm: number, moduleMm: number, heightMm: number): Content {
  const code = barcodeModules('code128', TEST_PAGE_BARCODE);
  return {
    canvas: code.rects.map(([x, , w]) => ({ type: 'rect' as const, x: mm(x * moduleMm), y: 0, w: mm(w * moduleMm), h: mm(heightMm), color: '#000000' })),
    absolutePosition: { x: mm(xMm), y: mm(yMm) },
  };
}

/** Width of the test barcode at `moduleMm` (without quiet zones). */
export function testBarcodeWidthMm(moduleMm: number): number {
  return barcodeModules('code128', TEST_PAGE_BARCODE).widthModules * moduleMm;
}

export interface TestPageData {
  unitName: string;
  printerName: string;
  media: string;
  /** "2026-05-04 09:00" station time. */
  printedAt: string;
  actor: string;
}

export function buildTestPage(d: TestPageData): DocDefinition {
  const { width, height } = mediaSizeMm(d.media);
  const small = width < 120; // a label: scale the text down
  const inset = small ? 2 : 5;
  const base = small ? Math.max(5, width / 9) : 12;
  const w = width * PT_PER_MM;
  const h = height * PT_PER_MM;
  const margin = (inset + (small ? 1.5 : 8)) * PT_PER_MM;
  const frame = { type: 'rect' as const, x: inset * PT_PER_MM, y: inset * PT_PER_MM, w: w - 2 * inset * PT_PER_MM, h: h - 2 * inset * PT_PER_MM, lineWidth: 1, lineColor: '#000000' };
  if (small) {
    // A label: the barcode at a label printer's usual 0.25 mm module and a ruler as long as fits.
    const module = 0.25;
    const ruler = Math.max(10, Math.floor((width - 2 * inset - 4) / 10) * 10);
    const barH = Math.min(10, Math.max(5, height - 2 * inset - 16));
    const bx = (width - testBarcodeWidthMm(module)) / 2;
    return {
      pageSize: { width: w, height: h },
      pageMargins: [margin, margin, margin, margin],
      defaultStyle: { font: FONT_FAMILY, fontSize: base, color: '#000000' },
      info: { title: `Testsida ${d.printerName}`, author: d.unitName },
      background: () => ({ stack: [{ canvas: [frame] }, testBarcode(bx, inset + 1.5 + base / PT_PER_MM * 1.3, module, barH), ...rulerContent((width - ruler) / 2, height - inset - 4, ruler)] }),
      content: [{ text: `Testsida · ${d.printerName} · ÅÄÖ åäö`, bold: true, fontSize: base }],
    };
  }
  // A sheet: the checks in a row under the text, inside the frame.
  const y = height - inset - 60;
  const checks: Content[] = [
    ...rulerContent(15, y, 100, '100 mm – mät den. Kortare: skrivaren skalar om sidan (välj verklig storlek).'),
    { canvas: [{ type: 'rect', x: 0, y: 0, w: mm(10), h: mm(10), color: '#000000' }], absolutePosition: { x: mm(130), y: mm(y - 10) } },
    { canvas: [{ type: 'rect', x: 0, y: 0, w: mm(10), h: mm(10), color: '#808080' }], absolutePosition: { x: mm(145), y: mm(y - 10) } },
    { text: 'Svart och grå ruta, 10 × 10 mm:\njämn svärta, grått syns som grått.', fontSize: 6, absolutePosition: { x: mm(130), y: mm(y + 3) } },
    testBarcode(15, y + 14, 0.33, 12),
    { text: `Streckkod (Code 128, 0,33 mm modul): ska läsas som "${TEST_PAGE_BARCODE}" av avdelningens streckkodsläsare.`, fontSize: 6, absolutePosition: { x: mm(15), y: mm(y + 28) } },
  ];
  return {
    pageSize: { width: w, height: h },
    pageMargins: [margin, margin, margin, margin],
    defaultStyle: { font: FONT_FAMILY, fontSize: base, color: '#000000' },
    info: { title: `Testsida ${d.printerName}`, author: d.unitName },
    background: () => ({ stack: [{ canvas: [frame] }, ...checks] }),
    content: [
      { text: 'Testsida', bold: true, fontSize: 26, margin: [0, 0, 0, 12] },
      { text: d.printerName, bold: true, fontSize: 16, margin: [0, 0, 0, 6] },
      { text: d.unitName, margin: [0, 0, 0, 18] },
      {
        ul: [
          `Utskriven ${d.printedAt} av ${d.actor}`,
          `Papper: ${d.media} (${Math.round(width)} × ${Math.round(height)} mm)`,
          'Svenska tecken: ÅÄÖ åäö é',
          'Ramen ska synas hela vägen runt, 5 mm från papperets kant.',
          'Längst ned: linjal (skala), svart och grå ruta (svärta) och en streckkod (läsbarhet).',
        ],
      },
      {
        text: 'Kommer den här sidan ut hel och läsbar tar skrivaren emot stationens utskrifter.',
        margin: [0, 24, 0, 0],
      },
    ],
  };
}

export function renderTestPage(d: TestPageData): Promise<RenderedPdf> {
  return renderPdf(buildTestPage(d), { title: `Testsida ${d.printerName}` });
}
