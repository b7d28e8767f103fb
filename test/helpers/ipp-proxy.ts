// A recording IPP proxy on 127.0.0.1, in front of a real printer (ippeveprinter): it forwards every
// request unchanged, records what each one carried (decoded by its own small RFC 8010 reader, so the
// test does not trust the encoder it checks), and can add print-scaling-supported to the printer's
// Get-Printer-Attributes answers — Debian 12's ippeveprinter does not support print-scaling, and
// its -a attributes file turns PDF off, so this is how a test meets a printer that lists it.
import http from 'node:http';
import type net from 'node:net';

const TAG = { end: 0x03, printer: 0x04, begCollection: 0x34, endCollection: 0x37, memberAttrName: 0x4a, integer: 0x21, boolean: 0x22, enum: 0x23, keyword: 0x44 } as const;

/** A decoded value: the syntax tag and the value (collections: member name → values). */
export interface WireValue {
  tag: number;
  value: string | number | boolean | WireCollection;
}
export interface WireCollection {
  [member: string]: WireValue[];
}
export interface WireAttribute {
  group: number;
  name: string;
  values: WireValue[];
}
export interface WireMessage {
  operationId: number;
  requestId: number;
  attributes: WireAttribute[];
  /** Offset of the end-of-attributes tag. */
  endOffset: number;
}

function scalar(tag: number, raw: Buffer): string | number | boolean {
  if (tag === TAG.integer || tag === TAG.enum) return raw.readInt32BE(0);
  if (tag === TAG.boolean) return raw[0] === 1;
  return raw.toString('utf8');
}

/** Decodes an IPP message's attributes (requests and replies alike), collections included. */
export function decodeIpp(buf: Buffer): WireMessage {
  let pos = 8;
  let group = 0;
  const attributes: WireAttribute[] = [];
  const read = () => {
    const tag = buf[pos]!;
    const nlen = buf.readUInt16BE(pos + 1);
    const name = buf.toString('utf8', pos + 3, pos + 3 + nlen);
    const vlen = buf.readUInt16BE(pos + 3 + nlen);
    const raw = buf.subarray(pos + 5 + nlen, pos + 5 + nlen + vlen);
    pos += 5 + nlen + vlen;
    return { tag, name, raw };
  };
  const collection = (): WireCollection => {
    const out: WireCollection = {};
    let member = '';
    for (;;) {
      const a = read();
      if (a.tag === TAG.endCollection) return out;
      if (a.tag === TAG.memberAttrName) {
        member = a.raw.toString('utf8');
        out[member] = [];
      } else out[member]!.push({ tag: a.tag, value: a.tag === TAG.begCollection ? collection() : scalar(a.tag, a.raw) });
    }
  };
  while (pos < buf.length) {
    const tag = buf[pos]!;
    if (tag === TAG.end) return { operationId: buf.readUInt16BE(2), requestId: buf.readUInt32BE(4), attributes, endOffset: pos };
    if (tag < 0x10) {
      group = tag;
      pos++;
      continue;
    }
    const a = read();
    const value: WireValue = { tag: a.tag, value: a.tag === TAG.begCollection ? collection() : scalar(a.tag, a.raw) };
    if (a.name === '') attributes[attributes.length - 1]!.values.push(value);
    else attributes.push({ group, name: a.name, values: [value] });
  }
  throw new Error('[ipp-proxy] no end-of-attributes tag');
}

/** An attribute (tag, name, keyword values) as bytes. */
function keywordAttribute(name: string, values: readonly string[]): Buffer {
  return Buffer.concat(
    values.map((v, i) => {
      const n = Buffer.from(i === 0 ? name : '');
      const b = Buffer.from(v);
      const h = Buffer.alloc(5 + n.length);
      h[0] = TAG.keyword;
      h.writeUInt16BE(n.length, 1);
      n.copy(h, 3);
      h.writeUInt16BE(b.length, 3 + n.length);
      return Buffer.concat([h, b]);
    }),
  );
}

export interface RecordedRequest {
  operation: string;
  /** Job template attributes (group 2) by name. */
  job: Record<string, WireValue[]>;
  operationAttributes: Record<string, WireValue[]>;
  /** The printer's status code in its answer. */
  replyStatus: number;
}

export interface IppProxy {
  uri: string;
  requests: RecordedRequest[];
  printJobs(): RecordedRequest[];
  close(): Promise<void>;
}

const OPERATIONS: Record<number, string> = { 2: 'Print-Job', 4: 'Validate-Job', 8: 'Cancel-Job', 9: 'Get-Job-Attributes', 10: 'Get-Jobs', 11: 'Get-Printer-Attributes' };

/**
 * Starts the proxy for the printer at `target` (http://127.0.0.1:PORT/ipp/print). With
 * `printScaling`, Get-Printer-Attributes answers gain print-scaling-supported (those values) and
 * print-scaling-default "auto", as an IPP Everywhere printer that scales to fit by default.
 */
export async function startIppProxy(targetPort: number, opts: { printScaling?: readonly string[] } = {}): Promise<IppProxy> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const msg = decodeIpp(body);
      const byName = (g: number) => Object.fromEntries(msg.attributes.filter((a) => a.group === g).map((a) => [a.name, a.values]));
      const record: RecordedRequest = { operation: OPERATIONS[msg.operationId] ?? `0x${msg.operationId.toString(16)}`, job: byName(2), operationAttributes: byName(1), replyStatus: -1 };
      requests.push(record);
      const upstream = http.request(
        { host: '127.0.0.1', port: targetPort, path: req.url, method: 'POST', headers: { 'content-type': 'application/ipp', 'content-length': String(body.length) }, agent: false },
        (up) => {
          const parts: Buffer[] = [];
          up.on('data', (c: Buffer) => parts.push(c));
          up.on('end', () => {
            let reply = Buffer.concat(parts);
            record.replyStatus = reply.length >= 4 ? reply.readUInt16BE(2) : -1;
            if (opts.printScaling && record.operation === 'Get-Printer-Attributes' && up.statusCode === 200) {
              // The printer group is the last one: add the attributes before end-of-attributes.
              const end = decodeIpp(reply).endOffset;
              const extra = Buffer.concat([keywordAttribute('print-scaling-supported', opts.printScaling), keywordAttribute('print-scaling-default', ['auto'])]);
              reply = Buffer.concat([reply.subarray(0, end), extra, reply.subarray(end)]);
            }
            res.writeHead(up.statusCode ?? 502, { 'content-type': up.headers['content-type'] ?? 'application/ipp', 'content-length': String(reply.length) });
            res.end(reply);
          });
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    uri: `ipp://127.0.0.1:${port}/ipp/print`,
    requests,
    printJobs: () => requests.filter((r) => r.operation === 'Print-Job'),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
