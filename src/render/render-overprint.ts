// Renders the prescription overprint: the prescriber's allowed pre-print fields (name, profession,
// förskrivarkod, workplace address, phone, arbetsplatskod; both codes also as barcodes) at the
// template's positions in mm, on a page the size of the official blank receptblankett that is fed
// into the printer. Nothing else is printed on it: no heading, no footer, no date, no lines, so the
// result is never a home-made prescription form. The calibration page, on plain paper, shows where
// each field will land, with a millimetre grid and the coordinates, to hold against a blank form.
import type { CanvasElement, Content } from 'pdfmake/interfaces.js';
import type { StationConfig } from '../config.js';
import {
  overprintFieldNames,
  type OverprintField,
  type OverprintTemplate,
  type OverprintText,
} from '../catalog/document-schema.js';
import { prescriberCodeProblem } from '../domain/prescriber-code.js';
import { barcodeSvg } from './barcode.js';
import { validateBarcode } from '../domain/barcode-symbol.js';
import { rulerContent } from './ruler.js';
import { renderPdf, FONT_FAMILY, type DocDefinition, type RenderedPdf } from './pdf-engine.js';
import { formatStationDateTime } from '../domain/time.js';
import { RenderError } from './form-blocks.js';

const PT_PER_MM = 72 / 25.4;
const mm = (x: number): number => x * PT_PER_MM;

/** The person whose details are printed; workplace details come from the unit's config. */
export interface Prescriber {
  name: string;
  profession: string;
  /** Förskrivarkod: 7 digits. */
  prescriberCode: string;
}

export interface OverprintContext {
  config: StationConfig;
  printedAt: Date;
  prescriber: Prescriber;
}

/** The values of the allowed fields for a prescriber at this unit. */
export function overprintValues(config: StationConfig, p: Prescriber): Record<OverprintField, string> {
  return {
    name: p.name,
    profession: p.profession,
    prescriberCode: p.prescriberCode,
    workplaceName: config.unit.workplaceName ?? config.unit.name,
    workplaceAddress: config.unit.address,
    phone: config.unit.phone,
    workplaceCode: config.unit.workplaceCode,
  };
}

/**
 * Checks what will be printed before anything is: every code present and encodable, the förskrivarkod
 * 7 digits. Throws RenderError with a Swedish sentence staff can act on.
 */
export function checkOverprint(t: OverprintTemplate, config: StationConfig, p: Prescriber): void {
  const values = overprintValues(config, p);
  const codeProblem = prescriberCodeProblem(p.prescriberCode);
  if (codeProblem) throw new RenderError(codeProblem);
  for (const f of t.texts) {
    if (values[f.field].trim() === '') {
      const where = f.field === 'workplaceAddress' ? 'unit.address' : f.field === 'phone' ? 'unit.phone' : f.field === 'workplaceCode' ? 'unit.workplaceCode' : f.field;
      throw new RenderError(`${overprintFieldNames[f.field]} saknas (${where} i stationens konfiguration) – den behövs på receptblanketten.`);
    }
  }
  for (const b of t.barcodes) {
    try {
      validateBarcode({ symbology: b.symbology, text: values[b.field], heightMm: b.heightMm, moduleMm: b.moduleMm });
    } catch {
      throw new RenderError(`${overprintFieldNames[b.field]} "${values[b.field]}" kan inte skrivas som streckkod (${b.symbology === 'code39' ? 'Code 39' : 'Code 128'}).`);
    }
  }
}

// DejaVu Sans is wide; these average advances (in em) over Swedish names and addresses are slightly
// generous, so an estimate never lets a text run past its box.
const ADVANCE_EM = { normal: 0.6, bold: 0.68 } as const;

/** The font size that lets `text` fit `widthMm` on one line, at most the wanted size, at least 6 pt. */
export function fitFontSize(text: string, widthMm: number, wantedPt: number, bold: boolean): number {
  const perPt = text.length * ADVANCE_EM[bold ? 'bold' : 'normal'];
  if (perPt === 0) return wantedPt;
  return Math.max(6, Math.min(wantedPt, mm(widthMm) / perPt));
}

interface Placed {
  field: OverprintField;
  kind: 'text' | 'barcode';
  xMm: number;
  yMm: number;
  widthMm: number;
  heightMm: number;
  content: Content;
}

/** Every field and barcode of the template, positioned (offset included), as pdfmake nodes. */
function place(t: OverprintTemplate, values: Record<OverprintField, string>): Placed[] {
  const ox = t.offsetMm.x;
  const oy = t.offsetMm.y;
  const out: Placed[] = [];
  for (const f of t.texts) out.push(placeText(f, values[f.field], t, ox, oy));
  for (const b of t.barcodes) {
    const code = barcodeSvg({ symbology: b.symbology, text: values[b.field], heightMm: b.heightMm, moduleMm: b.moduleMm });
    const x = b.xMm + ox;
    const y = b.yMm + oy;
    if (x < 0 || y < 0 || x + code.widthMm > t.page.widthMm + 0.01 || y + code.heightMm > t.page.heightMm + 0.01)
      throw new RenderError(
        `${overprintFieldNames[b.field]}s streckkod (${code.widthMm.toFixed(1)} × ${code.heightMm.toFixed(1)} mm vid x ${x} mm, y ${y} mm) hamnar utanför blanketten (${t.page.widthMm} × ${t.page.heightMm} mm). Justera mallen ${t.id}.`,
      );
    out.push({
      field: b.field,
      kind: 'barcode',
      xMm: x,
      yMm: y,
      widthMm: code.widthMm,
      heightMm: code.heightMm,
      content: { svg: code.svg, width: mm(code.widthMm), height: mm(code.heightMm), absolutePosition: { x: mm(x), y: mm(y) } },
    });
  }
  return out;
}

function placeText(f: OverprintText, value: string, t: OverprintTemplate, ox: number, oy: number): Placed {
  const size = fitFontSize(value, f.widthMm, f.fontSizePt ?? t.fontSizePt, f.bold);
  const x = f.xMm + ox;
  const y = f.yMm + oy;
  return {
    field: f.field,
    kind: 'text',
    xMm: x,
    yMm: y,
    widthMm: f.widthMm,
    heightMm: (size * 1.25) / PT_PER_MM,
    content: { text: value, fontSize: size, bold: f.bold, noWrap: true, lineHeight: 1, absolutePosition: { x: mm(x), y: mm(y) } },
  };
}

function pageDoc(t: OverprintTemplate, config: StationConfig, title: string, pages: Content[][], background?: Content): DocDefinition {
  return {
    ...(background ? { background: () => background } : {}),
    pageSize: { width: mm(t.page.widthMm), height: mm(t.page.heightMm) },
    pageMargins: [0, 0, 0, 0],
    defaultStyle: { font: FONT_FAMILY, fontSize: t.fontSizePt, color: '#000000' },
    info: { title, author: config.unit.name },
    // Each page is absolutely placed content only; an empty text node starts the next page.
    content: pages.flatMap((nodes, i) => [...(i > 0 ? [{ text: '', pageBreak: 'before' as const }] : []), ...nodes]),
  };
}

/** The overprint: one page the size of the blank form, the allowed fields and nothing else. */
export async function renderOverprint(t: OverprintTemplate, ctx: OverprintContext): Promise<RenderedPdf> {
  checkOverprint(t, ctx.config, ctx.prescriber);
  const placed = place(t, overprintValues(ctx.config, ctx.prescriber));
  return renderPdf(pageDoc(t, ctx.config, t.name, [placed.map((p) => p.content)]), { title: t.name });
}

/** Sample values for the calibration page when no prescriber is chosen: same lengths as real ones. */
export const CALIBRATION_SAMPLE: Prescriber = { name: 'Förnamn Efternamnsson', profession: 'Läkare', prescriberCode: '1234567' };

/**
 * The calibration page, for plain paper: a 10 mm grid with the distances from the sheet's top-left
 * corner, each field's box with its name and position, the barcodes at their real size, and a
 * clear "not a prescription" notice. Printed on the same media as the overprint.
 */
export async function renderOverprintCalibration(t: OverprintTemplate, ctx: { config: StationConfig; printedAt: Date; prescriber?: Prescriber }): Promise<RenderedPdf> {
  const prescriber = ctx.prescriber ?? CALIBRATION_SAMPLE;
  const values = overprintValues(ctx.config, prescriber);
  // Missing unit details would stop the real overprint; here they show as a sample so the layout can be checked.
  if (!values.workplaceAddress) values.workplaceAddress = 'Exempelgatan 1, 123 45 Orten';
  if (!values.phone) values.phone = '012-345 67 89';
  if (!values.workplaceCode) values.workplaceCode = '1234567890';
  // The codes are shown as text and their barcodes as labelled frames only: this page is on plain
  // paper, and real, scannable codes on it could be taken for a prescriber's.
  const placed = place(t, values).filter((p) => p.kind === 'text');
  const frames = place(t, values).filter((p) => p.kind === 'barcode');
  const { widthMm: W, heightMm: H } = t.page;

  // Grid: 10 mm lines, dotted, with the distance printed along the top and the left edge.
  const grid: CanvasElement[] = [];
  const labels: Content[] = [];
  for (let x = 10; x < W; x += 10) {
    grid.push({ type: 'line', x1: mm(x), y1: 0, x2: mm(x), y2: mm(H), lineWidth: 0.25, lineColor: '#000000', dash: { length: 0.6, space: 2.2 } });
    labels.push({ text: String(x), fontSize: 5.5, absolutePosition: { x: mm(x) + 1, y: mm(1) } });
  }
  for (let y = 10; y < H; y += 10) {
    grid.push({ type: 'line', x1: 0, y1: mm(y), x2: mm(W), y2: mm(y), lineWidth: 0.25, lineColor: '#000000', dash: { length: 0.6, space: 2.2 } });
    labels.push({ text: String(y), fontSize: 5.5, absolutePosition: { x: mm(1), y: mm(y) + 1 } });
  }
  // Each field: its box, a cross at its anchor (top-left) and its index beside it; the legend in the
  // notice names each index with its position (fields sit too close for names beside the boxes).
  const boxes: CanvasElement[] = [];
  const names: Content[] = [];
  const legend: string[] = [];
  [...placed, ...frames].forEach((p, i) => {
    boxes.push({ type: 'rect', x: mm(p.xMm), y: mm(p.yMm), w: mm(p.widthMm), h: mm(p.heightMm), lineWidth: 0.6, lineColor: '#000000' });
    boxes.push({ type: 'line', x1: mm(p.xMm) - 4, y1: mm(p.yMm), x2: mm(p.xMm) + 4, y2: mm(p.yMm), lineWidth: 0.8 });
    boxes.push({ type: 'line', x1: mm(p.xMm), y1: mm(p.yMm) - 4, x2: mm(p.xMm), y2: mm(p.yMm) + 4, lineWidth: 0.8 });
    const nx = p.xMm >= 5 ? p.xMm - 4 : p.xMm + p.widthMm + 1;
    names.push({ text: String(i + 1), fontSize: 6.5, bold: true, absolutePosition: { x: mm(nx), y: mm(p.yMm) + 1 } });
    legend.push(`${i + 1} ${overprintFieldNames[p.field]}${p.kind === 'barcode' ? ' (streckkod)' : ''}: x ${fmt(p.xMm)}, y ${fmt(p.yMm)}`);
  });
  const when = formatStationDateTime(ctx.printedAt, ctx.config.timezone);
  const notice: Content = {
    absolutePosition: { x: mm(12), y: mm(12) },
    // A table gives the notice a fixed width and a white background over the grid.
    table: {
      widths: [mm(Math.max(40, W - 24)) - 8],
      body: [
        [
          {
            fillColor: '#ffffff',
            stack: [
              { text: 'KALIBRERINGSSIDA – INTE ETT RECEPT', bold: true, fontSize: 11 },
              { text: `${t.name} · blankett ${fmt(W)} × ${fmt(H)} mm · förskjutning x ${fmt(t.offsetMm.x)} mm, y ${fmt(t.offsetMm.y)} mm`, fontSize: 7, margin: [0, 2, 0, 0] },
              {
                text:
                  'Skriv ut på vanligt papper med samma inställningar som receptblanketterna. Lägg sidan mot en tom receptblankett i motljus: ' +
                  'varje ram ska hamna i blankettens ruta för förskrivaruppgifter. Hamnar alla fält lika mycket fel, ändra offsetMm i mallen; ' +
                  'annars xMm och yMm för fältet. Siffrorna längs kanterna är millimeter från arkets övre vänstra hörn. ' +
                  'Streckkoderna visas bara som ramar: den riktiga utskriften har dem på samma plats.',
                fontSize: 7,
                margin: [0, 2, 0, 0],
              },
              { text: 'Fält, i mm från arkets övre vänstra hörn:', fontSize: 7, bold: true, margin: [0, 2, 0, 0] },
              ...legend.map((line) => ({ text: line, fontSize: 7 })),
              { text: `${ctx.config.unit.name} · ${ctx.config.routine.name} · version ${ctx.config.routine.version} · utskriven ${when}`, fontSize: 6, margin: [0, 2, 0, 0] },
            ],
          },
        ],
      ],
    },
    layout: { hLineWidth: () => 0.8, vLineWidth: () => 0.8, paddingLeft: () => 4, paddingRight: () => 4, paddingTop: () => 3, paddingBottom: () => 3 },
  };
  // The grid is the page background, so the notice's white box covers it.
  const background: Content = { stack: [{ canvas: grid, absolutePosition: { x: 0, y: 0 } }, ...labels] };
  // In each barcode's frame: what goes there, crossed out, so it can never scan as a code.
  const frameTexts: Content[] = frames.map((f) => ({
    text: `${overprintFieldNames[f.field]} – streckkod här`,
    fontSize: 6,
    italics: true,
    absolutePosition: { x: mm(f.xMm + 1), y: mm(f.yMm + f.heightMm / 2 - 1.2) },
  }));
  const crosses: CanvasElement[] = frames.flatMap((f) => [
    { type: 'line' as const, x1: mm(f.xMm), y1: mm(f.yMm), x2: mm(f.xMm + f.widthMm), y2: mm(f.yMm + f.heightMm), lineWidth: 0.3, lineColor: '#000000' },
    { type: 'line' as const, x1: mm(f.xMm), y1: mm(f.yMm + f.heightMm), x2: mm(f.xMm + f.widthMm), y2: mm(f.yMm), lineWidth: 0.3, lineColor: '#000000' },
  ]);
  // A 100 mm ruler (as long as the sheet allows) above the fields: an A5 job scaled to fit shows it short.
  const rulerLength = Math.min(100, Math.floor((W - 20) / 10) * 10);
  const firstField = Math.min(...[...placed, ...frames].map((p) => p.yMm));
  const rulerY = Math.max(30, firstField - 14);
  const nodes: Content[] = [
    notice,
    { canvas: [...boxes, ...crosses], absolutePosition: { x: 0, y: 0 } },
    ...names,
    ...placed.map((p) => p.content),
    ...frameTexts,
    ...rulerContent((W - rulerLength) / 2, rulerY, rulerLength, `${rulerLength} mm – mät den. Kortare: skrivaren skalar om sidan; välj verklig storlek.`),
  ];
  const title = `${t.name} – kalibreringssida`;
  return renderPdf(pageDoc(t, ctx.config, title, [nodes], background), { title });
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1)).replace('.', ',');

