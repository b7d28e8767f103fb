// A printer test page: the printer's name, the unit, the time, Swedish letters and a frame 5 mm
// inside the page edge, so staff see at a glance that the printer takes our PDFs, in the right
// size, and prints to the edges it should. Sized by the printer's configured media keyword, so a
// label printer gets a label-sized page. Pure.
import { renderPdf, FONT_FAMILY, type DocDefinition, type RenderedPdf } from './pdf-engine.js';

const PT_PER_MM = 72 / 25.4;

/** Page size in mm from a PWG media keyword (iso_a4_210x297mm, om_50x25mm_50x25mm, na_letter_8.5x11in); A4 if unknown. */
export function mediaSizeMm(media: string): { width: number; height: number } {
  const m = /_(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|in)$/.exec(media);
  if (!m) return { width: 210, height: 297 };
  const f = m[3] === 'in' ? 25.4 : 1;
  return { width: Number(m[1]) * f, height: Number(m[2]) * f };
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
  return {
    pageSize: { width: w, height: h },
    pageMargins: [margin, margin, margin, margin],
    defaultStyle: { font: FONT_FAMILY, fontSize: base, color: '#000000' },
    info: { title: `Testsida ${d.printerName}`, author: d.unitName },
    background: () => ({
      canvas: [
        { type: 'rect', x: inset * PT_PER_MM, y: inset * PT_PER_MM, w: w - 2 * inset * PT_PER_MM, h: h - 2 * inset * PT_PER_MM, lineWidth: 1, lineColor: '#000000' },
      ],
    }),
    content: small
      ? [
          { text: 'Testsida', bold: true, fontSize: base * 1.3 },
          { text: d.printerName },
          { text: `${d.printedAt} · ÅÄÖ åäö` },
        ]
      : [
          { text: 'Testsida', bold: true, fontSize: 26, margin: [0, 0, 0, 12] },
          { text: d.printerName, bold: true, fontSize: 16, margin: [0, 0, 0, 6] },
          { text: d.unitName, margin: [0, 0, 0, 18] },
          {
            ul: [
              `Utskriven ${d.printedAt} av ${d.actor}`,
              `Papper: ${d.media} (${Math.round(width)} × ${Math.round(height)} mm)`,
              'Svenska tecken: ÅÄÖ åäö é',
              'Ramen ska synas hela vägen runt, 5 mm från papperets kant.',
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
