// The one module that owns pdfmake's process-wide instance. pdfmake 0.3 has no PdfPrinter: the
// default export is a singleton, so fonts are registered here once and access is locked here once.
// The renderer may read the fonts in fonts/ and nothing else: no local file, no URL.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type PdfMake from 'pdfmake';
import type { TDocumentDefinitions, DynamicContent } from 'pdfmake/interfaces.js';
import { installRectsElement } from './pdfmake-rects.js';

export type DocDefinition = TDocumentDefinitions;

/** The font family every document uses; DejaVu has å, ä, ö, ☐ and the other glyphs a form needs. */
export const FONT_FAMILY = 'DejaVuSans';
/** Fixed-width family for numbers that are read aloud or typed (serials). */
export const MONO_FAMILY = 'DejaVuSansMono';

const fontFiles = {
  normal: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italics: 'DejaVuSans-Oblique.ttf',
  bolditalics: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;

// pdfmake's virtualfs exists on the Node build but is not in its typings.
interface VirtualFs {
  writeFileSync(name: string, content: Buffer): void;
  existsSync(name: string): boolean;
  readFileSync(name: string): Buffer;
}

let ready = false;
let pdfmake: typeof PdfMake;

/**
 * Loads pdfmake (and with it pdfkit and fontkit) on the first render, not at start-up: a station
 * spends most of its life idle, and the engine is ~15 MB of its resident memory (issue 10's figure
 * "RSS idle ≤ 100 MB", `npm run bench -- start`). Pages that lead to a print call warmUpEngine(), so
 * staff pressing Skriv ut do not wait for the load (figure "press → first job accepted").
 * pdfmake is CommonJS: require gives the same instance pdfmake-rects.ts patches.
 */
function loadPdfmake(): typeof PdfMake {
  return createRequire(import.meta.url)('pdfmake') as typeof PdfMake;
}

/** Loads the engine and the fonts now (idempotent; cheap once done). */
export function warmUpEngine(): void {
  setUpOnce();
}

/** Loads the TTFs into pdfmake's virtual file system and denies every other resource. Idempotent. */
function setUpOnce(): void {
  if (ready) return;
  pdfmake = loadPdfmake();
  const vfs = (pdfmake as unknown as { virtualfs: VirtualFs }).virtualfs;
  const dir = new URL('../../fonts/', import.meta.url);
  // Virtual names carry a prefix so a document can never name a real path that happens to match.
  const vname = (file: string) => `reservkit-fonts/${file}`;
  for (const file of Object.values(fontFiles)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(new URL(file, dir));
    } catch (e) {
      throw new Error(`[pdf-engine] cannot read font ${new URL(file, dir).pathname}: ${(e as Error).message}`);
    }
    vfs.writeFileSync(vname(file), bytes);
  }
  pdfmake.setFonts({
    [FONT_FAMILY]: {
      normal: vname(fontFiles.normal),
      bold: vname(fontFiles.bold),
      italics: vname(fontFiles.italics),
      bolditalics: vname(fontFiles.bolditalics),
    },
    // One face only: bold or italic mono falls back to the same file rather than failing.
    [MONO_FAMILY]: {
      normal: vname(fontFiles.mono),
      bold: vname(fontFiles.mono),
      italics: vname(fontFiles.mono),
      bolditalics: vname(fontFiles.mono),
    },
  });
  // Fonts come from the virtual file system, which bypasses these policies; everything else is refused.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
  // Barcode bars: many rectangles in one fill (see pdfmake-rects.ts).
  installRectsElement();
  shareFontTables(Object.values(fontFiles).map((f) => vfs.readFileSync(vname(f))));
  ready = true;
}

/**
 * pdfkit opens every font anew for every document (fontkit.create on the same bytes), and fontkit
 * then decodes the font's tables again: cmap, hmtx, and above all the GSUB/GPOS layout tables, more
 * than half of the rendering time of a one-page form. The decoded tables depend only on the font's
 * bytes and fontkit does not change them (a subset clones what it edits), so this thread decodes each
 * table of our fonts once: fontkit's table getter is wrapped to share decoded tables between font
 * objects made from the same bytes (our vfs hands pdfkit the same Buffer every time). Fonts other
 * than ours are left alone. If fontkit's internals moved, rendering is only slower, never wrong.
 */
function shareFontTables(ours: readonly Uint8Array[]): void {
  // The fontkit instance pdfkit itself loaded (CommonJS, resolved from pdfkit's folder), not the ESM copy.
  const req = createRequire(createRequire(import.meta.url).resolve('pdfkit'));
  const fontkit = req('fontkit') as { create(bytes: Uint8Array): object };
  const proto = Object.getPrototypeOf(fontkit.create(ours[0]!)) as { _getTable?: TableGetter; [sharedMark]?: true };
  const getTable = proto._getTable;
  if (typeof getTable !== 'function' || proto[sharedMark]) return;
  const tablesByBytes = new Map<Uint8Array, Map<string, unknown>>(ours.map((b) => [b, new Map()]));
  proto._getTable = function (table) {
    const tables = this.stream && tablesByBytes.get(this.stream.buffer);
    if (!tables) return getTable.call(this, table);
    if (!tables.has(table.tag)) tables.set(table.tag, getTable.call(this, table));
    const decoded = tables.get(table.tag);
    if (this._tables) this._tables[table.tag] = decoded;
    return decoded;
  };
  proto[sharedMark] = true;
  fontTablesShared = true;
}

const sharedMark = Symbol('reservkit.sharedFontTables');
type TableGetter = (this: { stream?: { buffer: Uint8Array }; _tables?: Record<string, unknown> }, table: { tag: string }) => unknown;
let fontTablesShared = false;

/** Whether this thread's renders share decoded font tables (false if fontkit's internals moved). For tests. */
export function sharesFontTables(): boolean {
  setUpOnce();
  return fontTablesShared;
}

interface MeasuredFont {
  unitsPerEm: number;
  layout(text: string): { advanceWidth: number };
}
const measureFonts = new Map<string, MeasuredFont>();

/**
 * Width of `text` on one line in our fonts, in points: the same font files and shaping pdfkit uses,
 * so a text fitted with it stays on its line (fitting shrinks a unit name rather than wrapping it).
 */
export function textWidthPt(text: string, sizePt: number, style: { bold?: boolean; italics?: boolean; mono?: boolean } = {}): number {
  const file = style.mono ? fontFiles.mono : style.bold && style.italics ? fontFiles.bolditalics : style.bold ? fontFiles.bold : style.italics ? fontFiles.italics : fontFiles.normal;
  let font = measureFonts.get(file);
  if (!font) {
    const req = createRequire(createRequire(import.meta.url).resolve('pdfkit'));
    const fontkit = req('fontkit') as { create(bytes: Uint8Array): MeasuredFont };
    font = fontkit.create(readFileSync(new URL(file, new URL('../../fonts/', import.meta.url))));
    measureFonts.set(file, font);
  }
  return (font.layout(text).advanceWidth / font.unitsPerEm) * sizePt;
}

export interface RenderedPdf {
  pdf: Uint8Array;
  pages: number;
}

/**
 * Renders a pdfmake document definition to PDF bytes. The definition is single-use: pdfmake writes
 * defaults into it. The page count comes from pdfmake's own footer pass (it is called once per laid-out
 * page with the total), so it is exact even when content flows onto extra pages.
 */
export async function renderPdf(doc: DocDefinition, meta: { title?: string } = {}): Promise<RenderedPdf> {
  setUpOnce();
  let pages = 0;
  const original = doc.footer;
  // The last layout pass wins: pdfmake may lay out again when a page-break hook asks for it.
  const counted: DynamicContent = (currentPage, pageCount, pageSize) => {
    pages = pageCount;
    if (typeof original === 'function') return original(currentPage, pageCount, pageSize);
    return original ?? null;
  };
  const definition: DocDefinition = {
    ...doc,
    footer: counted,
    defaultStyle: { font: FONT_FAMILY, ...doc.defaultStyle },
    info: { ...doc.info, title: meta.title ?? doc.info?.title ?? 'reservkit', creator: 'reservkit', producer: 'reservkit' },
  };
  try {
    const buffer = await pdfmake.createPdf(definition).getBuffer();
    return { pdf: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), pages };
  } catch (e) {
    throw new Error(`[pdf-engine] rendering "${definition.info?.title ?? ''}" failed: ${(e as Error).message}`, { cause: e });
  }
}
