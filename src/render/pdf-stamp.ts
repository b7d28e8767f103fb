// Stamps numbers onto pages of a rendered template, at the PDF level: each template page becomes a
// Form XObject, and each page of the result draws one of them and then its own few operators (the
// bars of a barcode, a number set in a font carried over from a PDF that pdfkit wrote). A numbered
// form is the same page for every number but for the number and its barcode: rendering the page once
// a day and stamping the numbers onto it costs well under a millisecond a copy, not tens.
//
// This reads only what pdfkit (under pdfmake) writes: a classic cross-reference table, no object
// streams, no encryption, one content stream per page and a flat page tree. Anything else is refused
// with a StampError, and the caller renders the document the ordinary way instead.
import { randomBytes } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

export class StampError extends Error {
  constructor(message: string) {
    super(`[pdf-stamp] ${message}`);
    this.name = 'StampError';
  }
}

interface PdfObject {
  /** Byte range of the whole "N 0 obj … endobj". */
  start: number;
  end: number;
}

export interface ParsedPdf {
  bytes: Uint8Array;
  /** Objects by number (1 … size-1). */
  objects: Map<number, PdfObject>;
  /** The trailer's /Size: one more than the highest object number. */
  size: number;
  root: number;
  info?: number;
  id?: string;
  /** The page objects in order, with what a Form XObject of the page needs. */
  pages: Array<{ object: number; contents: number; resources: number; mediaBox: string }>;
}

const latin1 = new TextDecoder('latin1');
const text = (bytes: Uint8Array, start: number, end: number) => latin1.decode(bytes.subarray(start, end));
const encode = (s: string) => Buffer.from(s, 'latin1');

/** Parses a PDF written by pdfkit (see the file comment); throws StampError on anything else. */
export function parsePdf(bytes: Uint8Array): ParsedPdf {
  const tail = text(bytes, Math.max(0, bytes.length - 64), bytes.length);
  const sx = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!sx) throw new StampError('no startxref at the end');
  const xrefAt = Number(sx[1]);
  const trailerAt = indexOf(bytes, 'trailer', xrefAt);
  if (trailerAt < 0) throw new StampError('no classic cross-reference table (xref streams are not supported)');
  const xref = text(bytes, xrefAt, trailerAt);
  const lines = xref.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines[0] !== 'xref') throw new StampError('the cross-reference table does not start with "xref"');
  const offsets: number[] = [];
  for (let i = 1; i < lines.length; ) {
    const [first, count] = lines[i]!.split(/\s+/).map(Number);
    if (first === undefined || count === undefined || Number.isNaN(first) || Number.isNaN(count)) throw new StampError(`bad xref subsection "${lines[i]}"`);
    for (let k = 0; k < count; k++) {
      const m = /^(\d{10}) (\d{5}) ([nf])$/.exec(lines[i + 1 + k] ?? '');
      if (!m) throw new StampError(`bad xref entry for object ${first + k}`);
      if (m[3] === 'n') offsets[first + k] = Number(m[1]);
    }
    i += 1 + count;
  }
  const trailer = text(bytes, trailerAt, xrefAt > trailerAt ? xrefAt : bytes.length);
  const size = numberIn(trailer, /\/Size (\d+)/, 'trailer /Size');
  const root = numberIn(trailer, /\/Root (\d+) 0 R/, 'trailer /Root');
  const infoMatch = /\/Info (\d+) 0 R/.exec(trailer);
  const idMatch = /\/ID \[(<[0-9a-fA-F]*> <[0-9a-fA-F]*>)\]/.exec(trailer);

  // Each object ends where the next one (or the xref table) starts.
  const starts = offsets.map((o, n) => ({ n, o })).filter((x) => x.o !== undefined).sort((a, b) => a.o - b.o);
  const objects = new Map<number, PdfObject>();
  starts.forEach(({ n, o }, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.o : xrefAt;
    if (!text(bytes, o, o + 24).startsWith(`${n} 0 obj`)) throw new StampError(`object ${n} is not where the xref says`);
    objects.set(n, { start: o, end });
  });

  const pdf: ParsedPdf = { bytes, objects, size, root, info: infoMatch ? Number(infoMatch[1]) : undefined, id: idMatch?.[1], pages: [] };
  const catalog = dictOf(pdf, root);
  const pagesRef = numberIn(catalog, /\/Pages (\d+) 0 R/, 'catalog /Pages');
  const kids = /\/Kids \[([^\]]*)\]/.exec(dictOf(pdf, pagesRef));
  if (!kids) throw new StampError('the page tree has no /Kids');
  for (const m of kids[1]!.matchAll(/(\d+) 0 R/g)) {
    const n = Number(m[1]);
    const page = dictOf(pdf, n);
    if (!/\/Type \/Page\b/.test(page)) throw new StampError(`object ${n} in /Kids is not a page (nested page trees are not supported)`);
    const mediaBox = /\/MediaBox (\[[^\]]*\])/.exec(page)?.[1];
    if (!mediaBox) throw new StampError(`page ${n} has no /MediaBox`);
    pdf.pages.push({
      object: n,
      contents: numberIn(page, /\/Contents (\d+) 0 R/, `page ${n} /Contents (one stream)`),
      resources: numberIn(page, /\/Resources (\d+) 0 R/, `page ${n} /Resources`),
      mediaBox,
    });
  }
  return pdf;
}

/**
 * A font taken from a small PDF that pdfkit wrote with one line of text in it (the "carrier"): its
 * objects (the embedded subset, widths, ToUnicode), the code of each character of that line, and
 * where pdfkit put the baseline, so stamped text is set exactly as pdfmake would have set it.
 */
export interface CarriedFont {
  /** The font's objects, numbered from 1 (the Type0 font is `root`), as bytes ready to write. */
  objects: Map<number, Uint8Array>;
  root: number;
  size: number;
  /** Two-byte glyph code (hex) per character of the carrier's text. */
  codes: ReadonlyMap<string, string>;
  /** Advance of one character (the font is monospaced) at `size`, in points. */
  advance: number;
  /** From the top of a line to its baseline, in points. */
  baseline: number;
}

/**
 * Reads the font of a carrier PDF: one page, one font, and `text` set once at the page's top-left
 * corner in a monospaced font of `size` points. The subset's tag is renamed (RKSTMP), so the font
 * can never be mistaken for another subset of the same font by a printer that caches fonts by name.
 */
export function carriedFont(pdf: ParsedPdf, text: string, size: number): CarriedFont {
  const page = pdf.pages[0];
  if (!page || pdf.pages.length !== 1) throw new StampError('a font carrier has one page');
  const fonts = [...dictOf(pdf, page.resources).matchAll(/\/F\d+ (\d+) 0 R/g)].map((m) => Number(m[1]));
  if (fonts.length !== 1) throw new StampError(`a font carrier has one font, not ${fonts.length}`);
  const { data } = streamOf(pdf, page.contents);
  const ops = latin1.decode(inflateSync(data));
  const hex = [...ops.matchAll(/<([0-9a-fA-F]+)>/g)].map((m) => m[1]!).join('');
  const tm = /1 0 0 1 ([\d.-]+) ([\d.-]+) Tm/.exec(ops);
  const height = pageHeight(pdf, 0);
  if (!tm || Number(tm[1]) !== 0 || hex.length !== text.length * 4) throw new StampError('the font carrier is not one line of text at the corner');
  const codes = new Map([...text].map((c, i) => [c, hex.slice(i * 4, i * 4 + 4)]));

  // The font and everything it refers to, renumbered from 1.
  const order: number[] = [];
  const visit = (n: number) => {
    if (order.includes(n)) return;
    order.push(n);
    for (const m of objectHead(pdf, n).matchAll(/(\d+) 0 R\b/g)) visit(Number(m[1]));
  };
  visit(fonts[0]!);
  const renumber = new Map(order.map((n, i) => [n, i + 1]));
  const refs = (s: string) => s.replace(/(\d+) 0 R\b/g, (_, n: string) => `${renumber.get(Number(n))} 0 R`).replace(/\/BaseFont \/[A-Z]{6}\+/g, '/BaseFont /RKSTMP+').replace(/\/FontName \/[A-Z]{6}\+/g, '/FontName /RKSTMP+');
  const objects = new Map<number, Uint8Array>();
  for (const n of order) {
    const stream = streamOf(pdf, n, true);
    objects.set(
      renumber.get(n)!,
      stream ? Buffer.concat([encode(`${refs(stream.dict)}\nstream\n`), stream.data, encode('\nendstream\n')]) : encode(`${refs(dictOf(pdf, n))}\n`),
    );
  }
  const widths = /\/W \[0 \[([\d.\s]+)\]\]/.exec(objectHead(pdf, order.find((n) => /CIDFontType2/.test(objectHead(pdf, n)))!));
  const advance = (Number(widths?.[1]?.trim().split(/\s+/)[1]) / 1000) * size;
  if (!Number.isFinite(advance) || advance <= 0) throw new StampError('the font carrier has no widths');
  return { objects, root: 1, size, codes, advance, baseline: height - Number(tm[2]) };
}

/**
 * A PDF whose pages each draw one page of the template (as a Form XObject) and then their own
 * content `ops` (PDF operators, page coordinates, origin bottom-left), which may set text in the
 * carried font as /RkF. The template's objects are written as they are; its page contents become
 * the Form XObjects; its document information is kept.
 */
export function composeStamped(template: ParsedPdf, font: CarriedFont, pages: ReadonlyArray<{ templatePage: number; ops: string }>): Uint8Array {
  const chunks: Uint8Array[] = [];
  const offsets: number[] = [];
  let at = 0;
  const push = (b: Uint8Array) => {
    chunks.push(b);
    at += b.length;
  };
  const object = (n: number, body: string | Uint8Array[]) => {
    offsets[n] = at;
    push(encode(`${n} 0 obj\n`));
    if (typeof body === 'string') push(encode(body));
    else body.forEach(push);
    push(encode('endobj\n'));
  };
  push(encode(text(template.bytes, 0, Math.min(...[...template.objects.values()].map((o) => o.start)))));

  // The template: every object as it is, but each page's content stream is now a Form XObject.
  const formOf = new Map(template.pages.map((p) => [p.contents, p]));
  for (const [n, obj] of [...template.objects].sort((a, b) => a[0] - b[0])) {
    const page = formOf.get(n);
    if (!page) {
      offsets[n] = at;
      push(template.bytes.subarray(obj.start, obj.end));
      continue;
    }
    const { dict, data } = streamOf(template, n);
    const length = numberIn(dict, /\/Length (\d+)/, `object ${n} /Length`);
    const filter = /\/Filter (\/\w+)/.exec(dict)?.[1];
    object(n, [
      encode(`<<\n/Type /XObject\n/Subtype /Form\n/BBox ${page.mediaBox}\n/Resources ${page.resources} 0 R\n/Length ${length}\n${filter ? `/Filter ${filter}\n` : ''}>>\nstream\n`),
      data,
      encode('\nendstream\n'),
    ]);
  }

  // The font, then per page its content and the page; then the page tree and the catalog.
  let next = template.size;
  const fontBase = next - 1;
  for (const [n, bytes] of font.objects) object(n + fontBase, [shiftRefs(bytes, fontBase)]);
  next += font.objects.size;
  const pagesRef = next++;
  const kids: number[] = [];
  for (const p of pages) {
    const tpl = template.pages[p.templatePage];
    if (!tpl) throw new StampError(`the template has no page ${p.templatePage + 1}`);
    const content = deflateSync(encode(`q /RkT Do Q\nq\n${p.ops}\nQ\n`), { level: 3 });
    const contents = next++;
    object(contents, [encode(`<<\n/Length ${content.length}\n/Filter /FlateDecode\n>>\nstream\n`), content, encode('\nendstream\n')]);
    const page = next++;
    object(
      page,
      `<<\n/Type /Page\n/Parent ${pagesRef} 0 R\n/MediaBox ${tpl.mediaBox}\n/Contents ${contents} 0 R\n` +
        `/Resources <<\n/ProcSet [/PDF /Text]\n/XObject << /RkT ${tpl.contents} 0 R >>\n/Font << /RkF ${font.root + fontBase} 0 R >>\n>>\n>>\n`,
    );
    kids.push(page);
  }
  object(pagesRef, `<<\n/Type /Pages\n/Count ${kids.length}\n/Kids [${kids.map((k) => `${k} 0 R`).join(' ')}]\n>>\n`);
  const catalog = next++;
  object(catalog, `<<\n/Type /Catalog\n/Pages ${pagesRef} 0 R\n>>\n`);

  const xrefAt = at;
  let xref = `xref\n0 ${next}\n0000000000 65535 f \n`;
  for (let n = 1; n < next; n++) {
    const o = offsets[n];
    xref += o === undefined ? '0000000000 65535 f \n' : `${String(o).padStart(10, '0')} 00000 n \n`;
  }
  const info = template.info !== undefined ? `/Info ${template.info} 0 R\n` : '';
  const id = randomBytes(16).toString('hex');
  push(encode(`${xref}trailer\n<<\n/Size ${next}\n/Root ${catalog} 0 R\n${info}/ID [<${id}> <${id}>]\n>>\nstartxref\n${xrefAt}\n%%EOF\n`));
  return Buffer.concat(chunks);
}

/** References in a font object (dictionary text, then possibly stream data that is left as is). */
function shiftRefs(bytes: Uint8Array, by: number): Uint8Array {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cut = b.indexOf('\nstream\n');
  const head = latin1.decode(cut < 0 ? b : b.subarray(0, cut)).replace(/(\d+) 0 R\b/g, (_, n: string) => `${Number(n) + by} 0 R`);
  return cut < 0 ? encode(head) : Buffer.concat([encode(head), b.subarray(cut)]);
}

/** The dictionary of object n, stream or not (for following its references). */
function objectHead(pdf: ParsedPdf, n: number): string {
  return streamOf(pdf, n, true)?.dict ?? dictOf(pdf, n);
}

/** The height of a page (points), from its /MediaBox [0 0 w h]. */
export function pageHeight(pdf: ParsedPdf, page: number): number {
  const h = Number(/\[\s*0 0 [\d.]+ ([\d.]+)\s*\]/.exec(pdf.pages[page]?.mediaBox ?? '')?.[1]);
  if (!Number.isFinite(h)) throw new StampError(`page ${page + 1} has no usable /MediaBox`);
  return h;
}

/** The text of object n without its "n 0 obj" and "endobj" (an object without a stream). */
function dictOf(pdf: ParsedPdf, n: number): string {
  const obj = pdf.objects.get(n);
  if (!obj) throw new StampError(`object ${n} is missing`);
  const s = text(pdf.bytes, obj.start, obj.end);
  const body = /^\d+ 0 obj\s*([\s\S]*?)\s*endobj\s*$/.exec(s);
  if (!body) throw new StampError(`object ${n} is not "n 0 obj … endobj"`);
  if (/\bendstream$/.test(body[1]!)) throw new StampError(`object ${n} is a stream, not a dictionary`);
  return body[1]!;
}

/** A stream object's dictionary text and its raw (still encoded) data. */
function streamOf(pdf: ParsedPdf, n: number): { dict: string; data: Uint8Array };
function streamOf(pdf: ParsedPdf, n: number, optional: true): { dict: string; data: Uint8Array } | undefined;
function streamOf(pdf: ParsedPdf, n: number, optional = false): { dict: string; data: Uint8Array } | undefined {
  const obj = pdf.objects.get(n)!;
  const head = `${n} 0 obj`;
  // The dictionary is short; look for "stream" only just after it ends.
  const dictEnd = indexOf(pdf.bytes, '>>\nstream\n', obj.start, obj.end);
  const lengthMatch = dictEnd < 0 ? null : /\/Length (\d+)/.exec(text(pdf.bytes, obj.start, dictEnd));
  if (dictEnd < 0 || !lengthMatch) {
    if (optional) return undefined;
    throw new StampError(`object ${n} is not a stream with a direct /Length`);
  }
  const dataStart = dictEnd + '>>\nstream\n'.length;
  const data = pdf.bytes.subarray(dataStart, dataStart + Number(lengthMatch[1]));
  if (!text(pdf.bytes, dataStart + data.length, dataStart + data.length + 11).includes('endstream')) throw new StampError(`object ${n}: /Length does not end at "endstream"`);
  const dict = text(pdf.bytes, obj.start + head.length, dictEnd + 2).trim();
  return { dict, data };
}

function numberIn(s: string, re: RegExp, what: string): number {
  const m = re.exec(s);
  if (!m) throw new StampError(`${what} not found`);
  return Number(m[1]);
}

function indexOf(bytes: Uint8Array, needle: string, from = 0, to = bytes.length): number {
  const n = encode(needle);
  const i = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(0, to).indexOf(n, from);
  return i;
}
