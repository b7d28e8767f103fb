// The readiness sheet ("Beredskapskontroll") a drill prints: one A4 page with every printer's state,
// each number block's remaining size, the last kit that printed in full, and the routine's stock
// checklist to tick by hand. Pure: the data comes in (src/schedule/readiness.ts gathers it), PDF
// bytes go out. It has live values in its tables, which the form templates' blank tables cannot
// hold, hence a small renderer of its own on the shared pdf engine.
import type { Content, ContentTable, CustomTableLayout, TableCell } from 'pdfmake/interfaces.js';
import { renderPdf, FONT_FAMILY, type DocDefinition, type RenderedPdf } from './pdf-engine.js';

export interface ReadinessPrinter {
  name: string;
  /** Plain Swedish, e.g. "Redo" or "Stoppad – Papper slut". */
  stateText: string;
  ready: boolean;
  checkedAt: string | null;
}

export interface ReadinessSeries {
  name: string;
  range: string;
  next: string;
  remaining: number;
  total: number;
  low: boolean;
  exhausted: boolean;
  contact: string;
}

export interface ReadinessData {
  unitName: string;
  routineLine: string;
  /** "2026-05-04 09:00", station time. */
  printedAt: string;
  /** Why it was printed, e.g. "Schemalagd beredskapskontroll (första måndagen i månaden)". */
  occasion: string;
  printers: ReadinessPrinter[];
  series: ReadinessSeries[];
  /** "Systemuppgradering, 2026-03-27 14:02" or null when no kit has printed in full yet. */
  lastKit: string | null;
  /** "Systemuppgradering 2026-03-30: utskrift 2026-03-27 14:00", or null. */
  nextRun: string | null;
  /** The routine's list of material to keep ("Reservrutin för manuell hantering"). */
  stock: string[];
  /** Late or other remarks printed in a box at the top. */
  remarks: string[];
}

const PT_PER_MM = 72 / 25.4;
const mm = (x: number) => x * PT_PER_MM;
const WIDTH_MM = 210 - 30;

const grid: CustomTableLayout = {
  hLineWidth: (i, node) => (i === 0 || i === 1 || i === node.table.body.length ? 0.75 : 0.4),
  vLineWidth: () => 0.4,
  hLineColor: () => '#000000',
  vLineColor: () => '#000000',
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: () => 2,
  paddingBottom: () => 2,
};

const heading = (text: string): Content => ({ text, bold: true, fontSize: 11.5, margin: [0, mm(3), 0, mm(1.5)] });

function table(headers: string[], widths: Array<string | number>, rows: TableCell[][]): ContentTable {
  return {
    table: { headerRows: 1, widths, body: [headers.map((h) => ({ text: h, bold: true, fontSize: 8 })), ...rows], dontBreakRows: true },
    layout: grid,
  };
}

const box = (sizeMm = 3.8): Content => ({
  canvas: [{ type: 'rect', x: 0, y: 0.5, w: mm(sizeMm), h: mm(sizeMm), lineWidth: 0.8, lineColor: '#000000' }],
});

/** Builds the sheet's pdfmake document (single use). */
export function buildReadinessSheet(d: ReadinessData): DocDefinition {
  const content: Content[] = [
    { text: 'Beredskapskontroll – reservrutin', bold: true, fontSize: 16, margin: [0, 0, 0, mm(1)] },
    { text: `${d.unitName} · ${d.occasion}`, fontSize: 9.5, margin: [0, 0, 0, mm(2)] },
  ];
  if (d.remarks.length)
    content.push({
      table: { widths: ['*'], body: [[{ stack: d.remarks.map((r) => ({ text: r, bold: true })), margin: [2, 2, 2, 2] }]] },
      layout: { hLineWidth: () => 1.6, vLineWidth: () => 1.6 },
      margin: [0, 0, 0, mm(1)],
    });

  content.push(heading('1. Skrivare'));
  content.push(
    d.printers.length
      ? table(
          ['Skrivare', 'Läge', 'Klar att skriva ut'],
          ['*', '*', mm(30)],
          d.printers.map((p) => [{ text: p.name }, { text: p.stateText }, { text: p.ready ? 'Ja' : 'NEJ – åtgärda', bold: !p.ready }]),
        )
      : { text: 'Inga skrivare är inlagda.' },
  );

  content.push(heading('2. Nummerserier (reservblock)'));
  content.push(
    d.series.length
      ? table(
          ['Serie', 'Block', 'Nästa nummer', 'Kvar', 'Läge'],
          [mm(42), 'auto', 'auto', 'auto', '*'],
          d.series.map((s) => [
            { text: s.name },
            { text: s.range, fontSize: 8, noWrap: true },
            { text: s.next, fontSize: 8, noWrap: true },
            { text: `${s.remaining} av ${s.total}`, alignment: 'right', noWrap: true },
            {
              text: s.exhausted ? `SLUT – beställ nytt block: ${s.contact}` : s.low ? `Snart slut – beställ nytt block: ${s.contact}` : 'Räcker',
              bold: s.exhausted || s.low,
              fontSize: s.exhausted || s.low ? 8 : 9.5,
            },
          ]),
        )
      : { text: 'Stationen har inga nummerserier.' },
  );

  content.push(heading('3. Utskrifter'));
  content.push({
    stack: [
      { text: [{ text: 'Senaste fullständiga reservkit: ', bold: true }, d.lastKit ?? 'Inget reservkit har skrivits ut från stationen än.'] },
      { text: [{ text: 'Nästa schemalagda utskrift: ', bold: true }, d.nextRun ?? 'Ingen inplanerad.'], margin: [0, mm(1), 0, 0] },
    ],
  });

  content.push(heading('4. Lagerkontroll – material för manuell hantering'));
  content.push({ text: 'Kontrollera att materialet finns och var det förvaras. Bocka av, skriv vad som saknas.', fontSize: 8.5, margin: [0, 0, 0, mm(1.5)] });
  const half = Math.ceil(d.stock.length / 2);
  const rows: TableCell[][] = [];
  for (let i = 0; i < half; i++) {
    const cell = (item: string | undefined): TableCell[] => (item === undefined ? [{ text: '' }, { text: '' }] : [box(), { text: item, fontSize: 9 }]);
    rows.push([...cell(d.stock[i]), ...cell(d.stock[i + half])]);
  }
  content.push({
    table: { widths: [mm(6), '*', mm(6), '*'], body: rows.length ? rows : [[{ text: '' }, { text: '' }, { text: '' }, { text: '' }]], dontBreakRows: true },
    layout: {
      hLineWidth: (i, node) => (i === 0 || i === node.table.body.length ? 0 : 0.3),
      vLineWidth: () => 0,
      hLineColor: () => '#000000',
      paddingTop: () => 3,
      paddingBottom: () => 2,
      paddingLeft: () => 1,
      paddingRight: () => 2,
    },
  });
  content.push({
    margin: [0, mm(3), 0, 0],
    table: {
      widths: ['*', '*', mm(30)],
      heights: [mm(13)],
      body: [[{ text: 'Saknas / åtgärd', fontSize: 7 }, { text: 'Kontrollerad av (signatur, namnförtydligande)', fontSize: 7 }, { text: 'Datum', fontSize: 7 }]],
    },
    layout: { hLineWidth: () => 0.75, vLineWidth: () => 0.75 },
  });

  const routineLine = d.routineLine;
  return {
    pageSize: 'A4',
    pageMargins: [mm(15), mm(18), mm(15), mm(15)],
    defaultStyle: { font: FONT_FAMILY, fontSize: 9.5, lineHeight: 1.15, color: '#000000' },
    info: { title: 'Beredskapskontroll', author: d.unitName },
    header: () => ({
      margin: [mm(15), mm(8), mm(15), 0],
      columns: [
        { text: d.unitName, bold: true, fontSize: 8.5 },
        { text: 'Beredskapskontroll', fontSize: 8.5, alignment: 'right' },
      ],
    }),
    footer: (page: number, pages: number) => ({
      margin: [mm(15), mm(4), mm(15), 0],
      columns: [
        { text: routineLine, fontSize: 7, width: '*' },
        { text: `Utskriven ${d.printedAt} · Sida ${page} av ${pages}`, fontSize: 7, alignment: 'right', width: 'auto' },
      ],
    }),
    content: [{ stack: content, width: mm(WIDTH_MM) } as Content],
  };
}

export function renderReadinessSheet(d: ReadinessData): Promise<RenderedPdf> {
  return renderPdf(buildReadinessSheet(d), { title: 'Beredskapskontroll' });
}
