// The IPP transport against fake HTTP servers on 127.0.0.1: what goes on the wire, and how every
// way a "printer" can misbehave (silence, HTML, empty or broken bodies, HTTP errors, refused or reset
// connections, IPP error statuses) becomes a typed PrintError instead of a hang or a crash.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PrintError } from '../../src/printing/backend.js';
import { attrRange, attrString, attrStrings, httpUrlFor, ippRequest } from '../../src/printing/ipp-client.js';
import { freePort, startHangingListener } from '../helpers/ippeveprinter.js';

// --- a tiny IPP encoder/decoder of our own, so the tests do not trust the package they check ---

const T = { op: 0x01, job: 0x02, end: 0x03, printer: 0x04, unsupported: 0x05 } as const;
const V = { noValue: 0x13, integer: 0x21, boolean: 0x22, enum: 0x23, range: 0x33, text: 0x41, name: 0x42, keyword: 0x44, uri: 0x45, charset: 0x47, language: 0x48, mime: 0x49 } as const;
type Value = string | number | [number, number];
type Attr = [tag: number, name: string, values: Value | Value[]];

function encodeValue(tag: number, v: Value): Buffer {
  if (tag === V.noValue) return Buffer.alloc(0);
  if (tag === V.integer || tag === V.enum) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v as number);
    return b;
  }
  if (tag === V.range) {
    const b = Buffer.alloc(8);
    b.writeInt32BE((v as [number, number])[0]);
    b.writeInt32BE((v as [number, number])[1], 4);
    return b;
  }
  return Buffer.from(String(v), 'utf8');
}

function ippMessage(code: number, requestId: number, groups: [number, Attr[]][], data?: Buffer): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x0200, 0);
  head.writeUInt16BE(code, 2);
  head.writeUInt32BE(requestId, 4);
  parts.push(head);
  for (const [gtag, attrs] of groups) {
    parts.push(Buffer.from([gtag]));
    for (const [tag, name, values] of attrs) {
      const list = Array.isArray(values) && !(tag === V.range && typeof values[0] === 'number') ? (values as Value[]) : [values as Value];
      list.forEach((v, i) => {
        const n = Buffer.from(i === 0 ? name : '');
        const val = encodeValue(tag, v);
        const h = Buffer.alloc(3);
        h[0] = tag;
        h.writeUInt16BE(n.length, 1);
        const l = Buffer.alloc(2);
        l.writeUInt16BE(val.length);
        parts.push(h, n, l, val);
      });
    }
  }
  parts.push(Buffer.from([T.end]));
  if (data) parts.push(data);
  return Buffer.concat(parts);
}

interface Decoded {
  version: string;
  operationId: number;
  requestId: number;
  /** Attributes in order, per group tag. */
  groups: { tag: number; attrs: { name: string; tag: number; values: (string | number)[] }[] }[];
  data: Buffer;
}

function decodeRequest(buf: Buffer): Decoded {
  let pos = 8;
  const out: Decoded = { version: `${buf[0]}.${buf[1]}`, operationId: buf.readUInt16BE(2), requestId: buf.readUInt32BE(4), groups: [], data: Buffer.alloc(0) };
  while (pos < buf.length) {
    const tag = buf[pos++]!;
    if (tag === T.end) break;
    if (tag < 0x10) {
      out.groups.push({ tag, attrs: [] });
      continue;
    }
    const nlen = buf.readUInt16BE(pos);
    const name = buf.toString('utf8', pos + 2, pos + 2 + nlen);
    pos += 2 + nlen;
    const vlen = buf.readUInt16BE(pos);
    const raw = buf.subarray(pos + 2, pos + 2 + vlen);
    pos += 2 + vlen;
    const value = tag === V.integer || tag === V.enum ? raw.readInt32BE(0) : tag === V.boolean ? raw[0]! : raw.toString('utf8');
    const group = out.groups[out.groups.length - 1]!;
    if (nlen === 0) group.attrs[group.attrs.length - 1]!.values.push(value);
    else group.attrs.push({ name, tag, values: [value] });
  }
  out.data = buf.subarray(pos);
  return out;
}

const ok = 0x0000;

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  ipp: Decoded;
}

/** An HTTP server on 127.0.0.1 whose answer the test writes. */
async function fakePrinter(answer: (seen: Seen, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, ipp: decodeRequest(body) };
      seen.push(s);
      answer(s, res);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  servers.push(srv);
  return { uri: `ipp://127.0.0.1:${port}/ipp/print`, port, seen };
}

function replyIpp(res: http.ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'Content-Type': 'application/ipp', 'Content-Length': body.length });
  res.end(body);
}

const servers: (http.Server | https.Server)[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((r) => {
          s.closeAllConnections();
          s.close(() => r());
        }),
    ),
  );
});

async function failure(p: Promise<unknown>): Promise<PrintError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PrintError);
    return e as PrintError;
  }
  throw new Error('expected the request to fail');
}

const opts = { timeoutMs: 3_000 };

describe('ippRequest: what goes on the wire', () => {
  it('posts application/ipp with a Content-Length (not chunked) to the printer path, port 631 by default', async () => {
    expect(httpUrlFor('ipp://printer.local/ipp/print').href).toBe('http://printer.local:631/ipp/print');
    expect(httpUrlFor('ipps://10.0.0.5/printers/Etikett').href).toBe('https://10.0.0.5:631/printers/Etikett');
    expect(httpUrlFor('ipp://[::1]:8631/ipp/print').href).toBe('http://[::1]:8631/ipp/print');
    expect(() => httpUrlFor('http://x/ipp')).toThrow(PrintError);

    const fake = await fakePrinter((s, res) => replyIpp(res, ippMessage(ok, s.ipp.requestId, [[T.op, [[V.charset, 'attributes-charset', 'utf-8']]]])));
    const pdf = Buffer.from('%PDF-1.4 fake document body');
    await ippRequest(fake.uri, 'Print-Job', { operation: { 'job-name': 'Vårdkontakt', 'document-format': 'application/pdf' }, job: { copies: 2 } }, pdf, opts);

    const s = fake.seen[0]!;
    expect(s.method).toBe('POST');
    expect(s.url).toBe('/ipp/print');
    expect(s.headers['content-type']).toBe('application/ipp');
    expect(s.headers['content-length']).toBe(String(s.body.length));
    expect(s.headers['transfer-encoding']).toBeUndefined();
    // The document follows end-of-attributes unchanged.
    expect(s.ipp.data.equals(pdf)).toBe(true);
  });

  it('puts charset, language, printer-uri and requesting-user-name first, in that order', async () => {
    const fake = await fakePrinter((s, res) => replyIpp(res, ippMessage(ok, s.ipp.requestId, [])));
    await ippRequest(fake.uri, 'Get-Jobs', { operation: { 'which-jobs': 'all', 'requested-attributes': ['job-id', 'job-state'] } }, undefined, {
      ...opts,
      userName: 'mottagning',
    });
    const ipp = fake.seen[0]!.ipp;
    expect(ipp.version).toBe('2.0');
    expect(ipp.operationId).toBe(0x000a);
    const op = ipp.groups[0]!;
    expect(op.tag).toBe(T.op);
    expect(op.attrs.slice(0, 4).map((a) => [a.name, a.values[0]])).toEqual([
      ['attributes-charset', 'utf-8'],
      ['attributes-natural-language', 'en'],
      ['printer-uri', fake.uri],
      ['requesting-user-name', 'mottagning'],
    ]);
    expect(op.attrs.find((a) => a.name === 'requested-attributes')?.values).toEqual(['job-id', 'job-state']);
  });

  it('decodes the reply: 1setOf values, enums as keywords, ranges, one group per job', async () => {
    const fake = await fakePrinter((s, res) =>
      replyIpp(
        res,
        ippMessage(ok, s.ipp.requestId, [
          [T.op, [[V.charset, 'attributes-charset', 'utf-8'], [V.text, 'status-message', 'successful-ok']]],
          [
            T.printer,
            [
              [V.enum, 'printer-state', 3],
              [V.keyword, 'printer-state-reasons', ['media-low-warning', 'toner-low-report']],
              [V.mime, 'document-format-supported', ['application/pdf', 'image/pwg-raster']],
              [V.range, 'copies-supported', [1, 99]],
              [V.noValue, 'media-ready', ''],
            ],
          ],
          [T.job, [[V.integer, 'job-id', 7], [V.enum, 'job-state', 9]]],
          [T.job, [[V.integer, 'job-id', 8], [V.enum, 'job-state', 5]]],
        ]),
      ),
    );
    const log = vi.spyOn(console, 'log');
    const err = vi.spyOn(console, 'error');
    const r = await ippRequest(fake.uri, 'Get-Printer-Attributes', {}, undefined, opts);
    expect(r.status).toBe('successful-ok');
    expect(attrString(r.printer, 'printer-state')).toBe('idle');
    expect(attrStrings(r.printer, 'printer-state-reasons')).toEqual(['media-low-warning', 'toner-low-report']);
    expect(attrStrings(r.printer, 'document-format-supported')).toEqual(['application/pdf', 'image/pwg-raster']);
    expect(attrRange(r.printer, 'copies-supported')).toEqual([1, 99]);
    expect(attrStrings(r.printer, 'media-ready')).toEqual([]);
    expect(r.jobs.map((j) => [j['job-id']?.[0], j['job-state']?.[0]])).toEqual([
      [7, 'completed'],
      [8, 'processing'],
    ]);
    // The package's console logging of out-of-band values is silenced.
    expect(log).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    log.mockRestore();
    err.mockRestore();
  });
});

describe('ippRequest: failures become typed errors', () => {
  it('a printer that accepts the connection and never answers times out within the deadline', async () => {
    const hang = await startHangingListener();
    try {
      const t0 = Date.now();
      const e = await failure(ippRequest(hang.uri, 'Get-Printer-Attributes', {}, undefined, { timeoutMs: 300 }));
      const took = Date.now() - t0;
      expect(e.kind).toBe('timeout');
      expect(e.transient).toBe(true);
      expect(took).toBeGreaterThanOrEqual(280);
      expect(took).toBeLessThan(2_000);
    } finally {
      await hang.close();
    }
  });

  it('the deadline also covers a reply body that stalls halfway', async () => {
    const fake = await fakePrinter((s, res) => {
      res.writeHead(200, { 'Content-Type': 'application/ipp', 'Content-Length': 100 });
      res.write(ippMessage(ok, s.ipp.requestId, []).subarray(0, 6)); // then nothing
    });
    const t0 = Date.now();
    const e = await failure(ippRequest(fake.uri, 'Get-Printer-Attributes', {}, undefined, { timeoutMs: 300 }));
    expect(e.kind).toBe('timeout');
    // Without the deadline this would wait forever; the bound only has to tell the two apart.
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('an HTML page (a router, a login portal) is a protocol error, not a crash', async () => {
    const fake = await fakePrinter((_s, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><p>Welcome</p>');
    });
    const e = await failure(ippRequest(fake.uri, 'Get-Printer-Attributes', {}, undefined, opts));
    expect(e.kind).toBe('protocol');
    expect(e.message).toContain('text/html');
  });

  it('an empty application/ipp body is a protocol error', async () => {
    const fake = await fakePrinter((_s, res) => replyIpp(res, Buffer.alloc(0)));
    expect((await failure(ippRequest(fake.uri, 'Get-Printer-Attributes', {}, undefined, opts))).kind).toBe('protocol');
  });

  it('garbage or a truncated IPP message labelled application/ipp is a protocol error', async () => {
    const garbage = await fakePrinter((_s, res) => replyIpp(res, Buffer.from('HTTP/1.1 200 OK but not really IPP at all')));
    expect((await failure(ippRequest(garbage.uri, 'Get-Printer-Attributes', {}, undefined, opts))).kind).toBe('protocol');

    const truncated = await fakePrinter((s, res) => {
      const full = ippMessage(ok, s.ipp.requestId, [[T.printer, [[V.keyword, 'printer-state-reasons', 'none'], [V.integer, 'queued-job-count', 1]]]]);
      replyIpp(res, full.subarray(0, full.length - 4)); // cut inside the last value
    });
    expect((await failure(ippRequest(truncated.uri, 'Get-Printer-Attributes', {}, undefined, opts))).kind).toBe('protocol');
  });

  it('a reply to another request id is a protocol error', async () => {
    const fake = await fakePrinter((s, res) => replyIpp(res, ippMessage(ok, s.ipp.requestId + 1, [])));
    expect((await failure(ippRequest(fake.uri, 'Get-Printer-Attributes', {}, undefined, opts))).kind).toBe('protocol');
  });

  it('HTTP 503 is an http error carrying "503", transient; 401 is permanent', async () => {
    const unavailable = await fakePrinter((_s, res) => {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      res.end('busy');
    });
    const e = await failure(ippRequest(unavailable.uri, 'Get-Printer-Attributes', {}, undefined, opts));
    expect([e.kind, e.status, e.transient]).toEqual(['http', '503', true]);

    const auth = await fakePrinter((_s, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="CUPS"' });
      res.end();
    });
    const a = await failure(ippRequest(auth.uri, 'Get-Printer-Attributes', {}, undefined, opts));
    expect([a.kind, a.status, a.transient]).toEqual(['http', '401', false]);
  });

  it('a refused connection is its own kind (the printer cannot have the request)', async () => {
    const port = await freePort();
    const e = await failure(ippRequest(`ipp://127.0.0.1:${port}/ipp/print`, 'Get-Printer-Attributes', {}, undefined, opts));
    expect(e.kind).toBe('refused');
    expect(e.message).toContain('ECONNREFUSED');
    expect(e.transient).toBe(true);
  });

  it('a connection reset in the middle of the reply is a network error', async () => {
    const fake = await fakePrinter((s, res) => {
      res.writeHead(200, { 'Content-Type': 'application/ipp', 'Content-Length': 500 });
      res.write(ippMessage(ok, s.ipp.requestId, []).subarray(0, 5), () => res.socket?.destroy());
    });
    const e = await failure(ippRequest(fake.uri, 'Get-Printer-Attributes', {}, undefined, opts));
    expect(e.kind).toBe('network');
  });

  it('IPP statuses: busy, unsupported format (both ways printers say it), and other errors with their keyword', async () => {
    const cases: [number, [number, Attr[]][], string, string][] = [
      [0x0507, [], 'busy', 'server-error-busy'],
      [0x040a, [], 'unsupported-format', 'client-error-document-format-not-supported'],
      [0x040b, [[T.unsupported, [[V.mime, 'document-format', 'application/pdf']]]], 'unsupported-format', 'client-error-attributes-or-values-not-supported'],
      [0x040b, [[T.unsupported, [[V.keyword, 'sides', 'two-sided-long-edge']]]], 'ipp', 'client-error-attributes-or-values-not-supported'],
      [0x0406, [], 'ipp', 'client-error-not-found'],
      [0x0500, [], 'ipp', 'server-error-internal-error'],
    ];
    for (const [code, extra, kind, status] of cases) {
      const fake = await fakePrinter((s, res) =>
        replyIpp(res, ippMessage(code, s.ipp.requestId, [[T.op, [[V.charset, 'attributes-charset', 'utf-8'], [V.text, 'status-message', 'Said the printer.']]], ...extra])),
      );
      const e = await failure(ippRequest(fake.uri, 'Print-Job', { operation: { 'document-format': 'application/pdf' } }, Buffer.from('%PDF'), opts));
      expect([e.kind, e.status]).toEqual([kind, status]);
      expect(e.message).toContain('Said the printer.');
    }
    // busy and server errors are retried; a missing job or a refused format is not
    const busy = new PrintError('busy', '', 'server-error-busy');
    expect(busy.transient).toBe(true);
    expect(new PrintError('ipp', '', 'client-error-not-found').transient).toBe(false);
  });

  it('successful-ok-ignored-or-substituted-attributes is a success', async () => {
    const fake = await fakePrinter((s, res) => replyIpp(res, ippMessage(0x0001, s.ipp.requestId, [[T.job, [[V.integer, 'job-id', 12]]]])));
    const r = await ippRequest(fake.uri, 'Print-Job', {}, Buffer.from('%PDF'), opts);
    expect(r.status).toBe('successful-ok-ignored-or-substituted-attributes');
    expect(r.jobs[0]?.['job-id']).toEqual([12]);
  });
});

describe('ippRequest over ipps:// with a self-signed certificate', () => {
  let tls: { key: Buffer; cert: Buffer } | undefined;
  beforeAll(() => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'reservkit-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem')], { stdio: 'ignore' });
      tls = { key: readFileSync(path.join(dir, 'k.pem')), cert: readFileSync(path.join(dir, 'c.pem')) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses the certificate by default and accepts it only when told to', async () => {
    const srv = https.createServer(tls!, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => replyIpp(res, ippMessage(ok, decodeRequest(Buffer.concat(chunks)).requestId, [])));
    });
    servers.push(srv);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const uri = `ipps://127.0.0.1:${(srv.address() as net.AddressInfo).port}/ipp/print`;

    const e = await failure(ippRequest(uri, 'Get-Printer-Attributes', {}, undefined, opts));
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/certificate/i);

    const r = await ippRequest(uri, 'Get-Printer-Attributes', {}, undefined, { ...opts, rejectUnauthorized: false });
    expect(r.status).toBe('successful-ok');
  });
});
