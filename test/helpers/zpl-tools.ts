// Reading printed ZPL as a reader would: each label format rendered to PNG at the printer's
// resolution with zpl-renderer-js (a WebAssembly build of ingridhq/zebrash; runs in Node, MIT,
// devDependency only), then every barcode decoded with zbarimg (linear codes) or dmtxread
// (DataMatrix). Also a raw-TCP test printer: a listener on 127.0.0.1 that takes a job the way a
// Zebra takes one on port 9100, and can answer ~HS / ~HI like one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The label formats (^XA … ^XZ) in a ZPL stream, each with its ^PQ quantity. */
export function zplFormats(zpl: string): Array<{ format: string; quantity: number }> {
  return (zpl.match(/\^XA[\s\S]*?\^XZ/g) ?? []).map((format) => ({ format, quantity: Number(/\^PQ(\d+)/.exec(format)?.[1] ?? 1) }));
}

let apiPromise: Promise<{ zplToBase64Async: (zpl: string, w?: number, h?: number, dpmm?: number) => Promise<string> }> | undefined;

/** Renders one label format to a PNG file at `dpmm` dots per mm; returns the file path. */
export async function renderZplPng(format: string, widthMm: number, heightMm: number, dpmm: number, dir = mkdtempSync(path.join(os.tmpdir(), 'reservkit-zpl-'))): Promise<string> {
  apiPromise ??= import('zpl-renderer-js').then((m) => m.ready).then((r) => r.api);
  const api = await apiPromise;
  const png = await api.zplToBase64Async(format, widthMm, heightMm, dpmm);
  const file = path.join(dir, `label-${Math.random().toString(36).slice(2)}.png`);
  writeFileSync(file, Buffer.from(png, 'base64'));
  return file;
}

/** Decodes the barcodes in a PNG: zbarimg for linear codes, dmtxread for DataMatrix. */
export function decodePng(file: string, symbology: 'code128' | 'code39' | 'datamatrix' = 'code128'): string[] {
  try {
    if (symbology === 'datamatrix') return execFileSync('dmtxread', ['-N1', file], { encoding: 'utf8', timeout: 20_000 }).split('\n').filter(Boolean);
    return execFileSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean);
  } catch (e) {
    if ((e as { status?: number }).status === 4 || (e as { status?: number }).status === 1) return [];
    throw e;
  }
}

/** Every label of a ZPL stream rendered and decoded: one entry per format, with its ^PQ quantity. */
export async function decodeZpl(
  zpl: string,
  size: { width: number; height: number },
  dpmm: number,
  symbology: 'code128' | 'code39' | 'datamatrix' = 'code128',
): Promise<Array<{ codes: string[]; quantity: number; png: string }>> {
  const out = [];
  for (const { format, quantity } of zplFormats(zpl)) {
    const png = await renderZplPng(format, size.width, size.height, dpmm);
    out.push({ codes: decodePng(png, symbology), quantity, png });
  }
  return out;
}

// ---- a raw TCP label printer ------------------------------------------------------------------

export interface RawPrinterStatus {
  paperOut?: boolean;
  paused?: boolean;
  headOpen?: boolean;
  ribbonOut?: boolean;
}

export interface RawPrinterOptions {
  /** Answer ~HS with this status (a printer that does not answer ~HS: leave undefined). */
  status?: RawPrinterStatus;
  /** Answer ~HI with this resolution in dots per mm (8, 12, 24). */
  dotsPerMm?: number;
  /** Drop the connection after this many bytes of a job (an interrupted send). */
  dropAfterBytes?: number;
  /** Accept but never read or close (a hanging printer). */
  hang?: boolean;
}

export interface RawPrinter {
  readonly uri: string;
  readonly port: number;
  /** What each connection delivered, status queries (~HS, ~HI) removed; empty ones left out. */
  jobs(): string[];
  /** Connections accepted so far (jobs and status queries). */
  connections(): number;
  set(options: RawPrinterOptions): void;
  close(): Promise<void>;
}

/** The three ~HS lines a Zebra sends (fields we do not read are plausible constants). */
export function hsReply(s: RawPrinterStatus): string {
  const f = (b?: boolean) => (b ? '1' : '0');
  return `\x02030,${f(s.paperOut)},${f(s.paused)},0406,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,${f(s.headOpen)},${f(s.ribbonOut)},0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n`;
}

export async function startRawPrinter(initial: RawPrinterOptions = {}): Promise<RawPrinter> {
  let opts = { ...initial };
  const received: string[] = [];
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    connections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    if (opts.hang) return;
    const chunks: Buffer[] = [];
    let size = 0;
    let answered = 0;
    /** Bytes of this connection already handed over as a job. */
    let taken = 0;
    // What arrived before a ~HS is printed by then (a Zebra answers it after reading what came
    // first): record it as received at that moment, and the rest when the connection ends.
    const take = (upTo: number) => {
      const job = Buffer.concat(chunks).subarray(taken, upTo).toString('utf8').replace(/~H[SI]/g, '');
      taken = upTo;
      if (job.trim()) received.push(job);
    };
    sock.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (opts.dropAfterBytes !== undefined && size >= opts.dropAfterBytes) {
        // A reset, as a printer that fails mid-job sends (a plain close could pass for "done").
        sock.resetAndDestroy();
        return;
      }
      // Answer status queries as they arrive (a Zebra answers on the same connection).
      const text = Buffer.concat(chunks).toString('latin1');
      const queries = [...text.matchAll(/~H[SI]/g)];
      for (const q of queries.slice(answered)) {
        if (q[0] === '~HS' && opts.status) {
          take(q.index! + 3);
          sock.write(hsReply(opts.status));
        }
        if (q[0] === '~HI' && opts.dotsPerMm) sock.write(`\x02ZT410-${opts.dotsPerMm * 25}dpi,V75.20.01Z,${opts.dotsPerMm},8176KB\x03\r\n`);
      }
      answered = queries.length;
    });
    sock.on('end', () => {
      take(size);
      sock.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    uri: `socket://127.0.0.1:${port}`,
    port,
    jobs: () => [...received],
    connections: () => connections,
    set(o) {
      opts = { ...o };
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---- measuring a rendered label -----------------------------------------------------------------

/** Reads an 8-bit PNG (grayscale, gray+alpha, RGB or RGBA) into rows of gray values. */
export function readPngGray(file: string): { width: number; height: number; gray: (x: number, y: number) => number } {
  const d = readFileSync(file);
  let i = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (i < d.length) {
    const len = d.readUInt32BE(i);
    const type = d.toString('latin1', i + 4, i + 8);
    const body = d.subarray(i + 8, i + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8) throw new Error(`[png] ${file}: only 8-bit PNGs are read here`);
      colorType = body[9]!;
    }
    if (type === 'IDAT') idat.push(body);
    i += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType]!;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rows: Buffer[] = [];
  let prev = Buffer.alloc(stride);
  for (let y = 0, p = 0; y < height; y++) {
    const filter = raw[p++]!;
    const line = Buffer.from(raw.subarray(p, p + stride));
    p += stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? line[x - channels]! : 0;
      const b = prev[x]!;
      const c = x >= channels ? prev[x - channels]! : 0;
      const pa = Math.abs(b - c);
      const pb = Math.abs(a - c);
      const pc = Math.abs(a + b - 2 * c);
      const add = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      line[x] = (line[x]! + add) & 255;
    }
    rows.push(line);
    prev = line;
  }
  return { width, height, gray: (x, y) => rows[y]![x * channels]! };
}

/** The dark extent of one pixel row: first and last dark column (undefined when the row is blank). */
export function darkExtent(png: ReturnType<typeof readPngGray>, y: number): [number, number] | undefined {
  let first = -1;
  let last = -1;
  for (let x = 0; x < png.width; x++) {
    if (png.gray(x, y) < 128) {
      if (first < 0) first = x;
      last = x;
    }
  }
  return first < 0 ? undefined : [first, last];
}
