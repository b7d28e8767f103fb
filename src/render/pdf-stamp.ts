// Stamps a small overlay onto pages of a rendered template, at the PDF level: each template page
// becomes a Form XObject, and each overlay page draws one of them under its own content. A numbered
// form is the same page for every number but for the number and its barcode: rendering the page once
// a day and stamping the numbers onto it costs a few milliseconds a copy, not tens.
//
// This reads only what pdfkit (under pdfmake) writes: a classic cross-reference table, no object
// streams, no encryption, one content stream per page and a flat page tree. Anything else is refused
// with a StampError, and the caller renders the document the ordinary way instead.

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
 * A PDF of the overlay's pages, each drawn over a template page: overlay page i gets template page
 * `templatePageOf(i)` under its content. Fonts and other resources of both are kept as they are.
 */
export function stampPages(template: ParsedPdf, overlay: ParsedPdf, templatePageOf: (overlayPage: number) => number): Uint8Array {
  const shift = template.size - 1; // overlay object n becomes n + shift
  const chunks: Uint8Array[] = [];
  const offsets: number[] = [];
  let at = 0;
  const push = (b: Uint8Array) => {
    chunks.push(b);
    at += b.length;
  };
  const header = text(template.bytes, 0, Math.min(...[...template.objects.values()].map((o) => o.start)));
  push(encode(header));

  // The template: every object as it is, but each page's content stream is now a Form XObject.
  const formOf = new Map(template.pages.map((p) => [p.contents, p]));
  for (const [n, obj] of [...template.objects].sort((a, b) => a[0] - b[0])) {
    offsets[n] = at;
    const page = formOf.get(n);
    if (!page) {
      push(template.bytes.subarray(obj.start, obj.end));
      continue;
    }
    const { dict, data } = streamOf(template, n);
    const length = numberIn(dict, /\/Length (\d+)/, `object ${n} /Length`);
    const filter = /\/Filter (\/\w+)/.exec(dict)?.[1];
    push(encode(`${n} 0 obj\n<<\n/Type /XObject\n/Subtype /Form\n/BBox ${page.mediaBox}\n/Resources ${page.resources} 0 R\n/Length ${length}\n${filter ? `/Filter ${filter}\n` : ''}>>\nstream\n`));
    push(data);
    push(encode('\nendstream\nendobj\n'));
  }

  // One tiny content stream per template page used: "draw template page k".
  const used = [...new Set(overlay.pages.map((_, i) => templatePageOf(i)))];
  for (const k of used) if (!template.pages[k]) throw new StampError(`the template has no page ${k + 1}`);
  const drawNumber = new Map(used.map((k, i) => [k, template.size - 1 + overlay.size + i]));

  const overlayPage = new Map(overlay.pages.map((p, i) => [p.object, i]));
  const resourcesNames = new Map<number, Set<number>>();
  overlay.pages.forEach((p, i) => {
    const names = resourcesNames.get(p.resources) ?? new Set<number>();
    names.add(templatePageOf(i));
    resourcesNames.set(p.resources, names);
  });
  const renumber = (s: string) => s.replace(/(\d+) 0 R\b/g, (_, n: string) => `${Number(n) + shift} 0 R`);

  for (const [n, obj] of [...overlay.objects].sort((a, b) => a[0] - b[0])) {
    offsets[n + shift] = at;
    const pageIndex = overlayPage.get(n);
    const names = resourcesNames.get(n);
    if (n === overlay.info) {
      // The overlay's own document information is not used (the template's is); strings are not renumbered.
      push(encode(`${n + shift} 0 obj\nnull\nendobj\n`));
    } else if (pageIndex !== undefined) {
      const dict = renumber(dictOf(overlay, n)).replace(/\/Contents (\d+) 0 R/, (_, c: string) => `/Contents [${drawNumber.get(templatePageOf(pageIndex))} 0 R ${c} 0 R]`);
      push(encode(`${n + shift} 0 obj\n${dict}\nendobj\n`));
    } else if (names) {
      const entries = [...names].map((k) => `/RkTemplate${k} ${template.pages[k]!.contents} 0 R`).join('\n');
      let dict = renumber(dictOf(overlay, n));
      dict = /\/XObject <</.test(dict) ? dict.replace('/XObject <<', `/XObject <<\n${entries}`) : dict.replace(/^<</, `<<\n/XObject <<\n${entries}\n>>`);
      push(encode(`${n + shift} 0 obj\n${dict}\nendobj\n`));
    } else {
      const s = streamOf(overlay, n, true);
      if (s) {
        push(encode(`${n + shift} 0 obj\n${renumber(s.dict)}\nstream\n`));
        push(s.data);
        push(encode('\nendstream\nendobj\n'));
      } else push(encode(`${n + shift} 0 obj\n${renumber(dictOf(overlay, n))}\nendobj\n`));
    }
  }
  for (const [k, n] of drawNumber) {
    offsets[n] = at;
    const ops = `q /RkTemplate${k} Do Q\n`;
    push(encode(`${n} 0 obj\n<<\n/Length ${ops.length}\n>>\nstream\n${ops}\nendstream\nendobj\n`));
  }

  const size = template.size - 1 + overlay.size + drawNumber.size;
  const xrefAt = at;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) {
    const o = offsets[n];
    xref += o === undefined ? '0000000000 65535 f \n' : `${String(o).padStart(10, '0')} 00000 n \n`;
  }
  const info = template.info !== undefined ? `/Info ${template.info} 0 R\n` : '';
  const id = overlay.id ?? template.id;
  push(encode(`${xref}trailer\n<<\n/Size ${size}\n/Root ${overlay.root + shift} 0 R\n${info}${id ? `/ID [${id}]\n` : ''}>>\nstartxref\n${xrefAt}\n%%EOF\n`));
  return Buffer.concat(chunks);
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
