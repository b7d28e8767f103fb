// IPP over HTTP with our own transport: the `ipp` package only encodes and decodes messages;
// this module sends them with node:http/https, a deadline on the whole exchange (connect, send,
// reply, body), Content-Length, reply checks (HTTP status, application/ipp, parsable IPP), and
// turns every failure into a typed PrintError. No `ipp` type leaves this file.
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import { PrintError } from './backend.js';
import { encodeIppRequest, type IppEncodable } from './ipp-encode.js';

/** A decoded attribute value. Enums come back as their keyword when known (e.g. "idle"), else as the number. */
export type IppValue = string | number | boolean | number[] | { [member: string]: unknown };
/** Attributes of one group, every attribute as a list of values (1setOf or not). */
export type IppAttributeGroup = Record<string, IppValue[]>;

export type IppOperation =
  | 'Print-Job'
  | 'Validate-Job'
  | 'Cancel-Job'
  | 'Get-Job-Attributes'
  | 'Get-Jobs'
  | 'Get-Printer-Attributes';

/** Values we send. Arrays become 1setOf, objects collections. `printer-uri`, charset, language and user name are added for you. */
export type IppInputValue = IppEncodable;
export interface IppRequestAttributes {
  operation?: Record<string, IppInputValue>;
  /** Job Template attributes (copies, media, sides …). */
  job?: Record<string, IppInputValue>;
}

export interface IppRequestOptions {
  /** Deadline for the whole exchange, from connecting to the last byte of the reply. */
  timeoutMs: number;
  /** requesting-user-name; default "reservkit". */
  userName?: string;
  /** ipps:// only: accept a certificate that does not verify (self-signed printers). Off unless set. */
  rejectUnauthorized?: boolean;
  /** Extra cancellation (station shutting down); reported as a timeout-kind error. */
  signal?: AbortSignal;
  /** Replies larger than this are refused as a protocol error. Default 8 MiB. */
  maxResponseBytes?: number;
  /** IPP version of the request; default "2.0" (some old printers only take "1.1"). */
  version?: '1.1' | '2.0';
}

export interface IppResponse {
  version: string;
  /** Numeric status code, e.g. 0x0000. */
  statusCode: number;
  /** Status keyword, e.g. "successful-ok" (hex "0x…" when the package does not know it). */
  status: string;
  requestId: number;
  /** status-message from the operation group, or "". */
  statusMessage: string;
  operation: IppAttributeGroup;
  printer: IppAttributeGroup;
  /** One group per job (Get-Jobs gives many, Print-Job and Get-Job-Attributes one). */
  jobs: IppAttributeGroup[];
  unsupported: IppAttributeGroup;
}

// The package is CommonJS without types: load it here and describe only what we use (decoding).
interface IppPackage {
  parse: ((buf: Buffer) => Record<string, unknown>) & {
    handleUnknownTag: (tag: number, name: string, length: number, read: (n: number) => string) => unknown;
  };
  statusCodes: { lookup: (string | undefined)[] };
}
const ipp = createRequire(import.meta.url)('ipp') as IppPackage;
// Out-of-band values (no-value, unknown, unsupported) reach this hook, which logs to the console
// by default. Read them silently: a no-value attribute becomes an empty string.
ipp.parse.handleUnknownTag = (_tag, _name, length, read) => (length ? read(length) : '');

const DEFAULT_USER = 'reservkit';
const DEFAULT_MAX_RESPONSE = 8 * 1024 * 1024;
let nextRequestId = 1;

/** ipp://host[:port]/path → the HTTP URL it is reached at (port 631 unless given). */
export function httpUrlFor(printerUri: string): URL {
  let u: URL;
  try {
    u = new URL(printerUri);
  } catch {
    throw new PrintError('protocol', `[ipp] not a valid printer URI: ${printerUri}`);
  }
  if (u.protocol !== 'ipp:' && u.protocol !== 'ipps:') throw new PrintError('protocol', `[ipp] not an ipp:// or ipps:// URI: ${printerUri}`);
  const out = new URL(`${u.protocol === 'ipps:' ? 'https' : 'http'}://${u.host}${u.pathname}${u.search}`);
  if (!u.port) out.port = '631';
  return out;
}

/** Sends one IPP request and returns the decoded reply; any status other than successful-ok* throws. */
export async function ippRequest(
  uri: string,
  operation: IppOperation,
  attributes: IppRequestAttributes,
  data: Uint8Array | undefined,
  options: IppRequestOptions,
): Promise<IppResponse> {
  const url = httpUrlFor(uri);
  const requestId = nextRequestId;
  nextRequestId = (nextRequestId % 0x7fffffff) + 1;
  const body = encodeRequest(uri, operation, attributes, data, requestId, options.userName ?? DEFAULT_USER, options.version ?? '2.0');
  const reply = await post(url, body, options, `${operation} ${uri}`);
  const res = decodeReply(reply, `${operation} ${uri}`);
  if (res.requestId !== requestId) {
    throw new PrintError('protocol', `[ipp] ${operation} ${uri}: reply is for request ${res.requestId}, not ${requestId}`);
  }
  throwForStatus(res, `${operation} ${uri}`);
  return res;
}

function encodeRequest(
  uri: string,
  operation: IppOperation,
  attributes: IppRequestAttributes,
  data: Uint8Array | undefined,
  requestId: number,
  userName: string,
  version: '1.1' | '2.0',
): Buffer {
  // The required operation attributes go first, in this order (RFC 8011 §4.1.4).
  const op: Record<string, IppEncodable> = {
    'attributes-charset': 'utf-8',
    'attributes-natural-language': 'en',
    'printer-uri': uri,
    'requesting-user-name': userName,
    ...attributes.operation,
  };
  // Our own encoder (ipp-encode.ts): the package's cannot write print-scaling or media-col.
  const head = encodeIppRequest({ version, operation, requestId, operationAttributes: op, jobAttributes: attributes.job });
  return data ? Buffer.concat([head, data]) : head;
}

/** POSTs the body and resolves with the reply body, or rejects with a PrintError; never hangs past the deadline. */
function post(url: URL, body: Buffer, options: IppRequestOptions, what: string): Promise<Buffer> {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
  return new Promise<Buffer>((resolve, reject) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    const finish = (err: PrintError | undefined, value?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (err) {
        req?.destroy();
        reject(err);
      } else resolve(value ?? Buffer.alloc(0));
    };
    const timer = setTimeout(
      () => finish(new PrintError('timeout', `[ipp] ${what}: no complete answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    const onAbort = (): void => finish(new PrintError('timeout', `[ipp] ${what}: aborted`));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const isTls = url.protocol === 'https:';
    const reqOptions: https.RequestOptions = {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(url.port),
      path: `${url.pathname}${url.search}`,
      // One connection per request: no stale keep-alive socket to fail on a printer that rebooted.
      agent: false,
      headers: {
        'Content-Type': 'application/ipp',
        'Content-Length': String(body.length),
        Accept: 'application/ipp',
      },
    };
    if (isTls) reqOptions.rejectUnauthorized = options.rejectUnauthorized ?? true;
    try {
      req = (isTls ? https : http).request(reqOptions);
    } catch (e) {
      return finish(new PrintError('network', `[ipp] ${what}: ${(e as Error).message}`));
    }
    req.on('error', (e: NodeJS.ErrnoException) => finish(networkError(e, what)));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        res.resume();
        return finish(new PrintError('http', `[ipp] ${what}: HTTP ${status} ${res.statusMessage ?? ''}`.trim(), String(status)));
      }
      const type = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/ipp') {
        res.resume();
        return finish(new PrintError('protocol', `[ipp] ${what}: reply is ${type || 'without content-type'}, not application/ipp`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) return finish(new PrintError('protocol', `[ipp] ${what}: reply larger than ${maxBytes} bytes`));
        chunks.push(c);
      });
      res.on('error', (e: NodeJS.ErrnoException) => finish(networkError(e, what)));
      res.on('aborted', () => finish(new PrintError('network', `[ipp] ${what}: connection closed mid-reply`)));
      res.on('close', () => {
        if (!res.complete) finish(new PrintError('network', `[ipp] ${what}: connection closed mid-reply`));
      });
      res.on('end', () => {
        if (!res.complete) return finish(new PrintError('network', `[ipp] ${what}: connection closed mid-reply`));
        finish(undefined, Buffer.concat(chunks));
      });
    });
    req.end(body);
  });
}

function networkError(e: NodeJS.ErrnoException, what: string): PrintError {
  if (e instanceof PrintError) return e;
  const code = e.code ? ` (${e.code})` : '';
  // Refused: nothing took the connection, so the printer cannot have the request. Any other
  // failure may come after the printer read it (outcomes.ts looks such a send up before resending).
  return new PrintError(e.code === 'ECONNREFUSED' ? 'refused' : 'network', `[ipp] ${what}: ${e.message}${code}`);
}

function decodeReply(buf: Buffer, what: string): IppResponse {
  // Header: version (2 bytes), status (2), request-id (4), then at least end-of-attributes.
  if (buf.length < 9) throw new PrintError('protocol', `[ipp] ${what}: reply too short for IPP (${buf.length} bytes)`);
  const major = buf[0]!;
  if (major < 1 || major > 2) throw new PrintError('protocol', `[ipp] ${what}: reply is not IPP (version byte ${major})`);
  let raw: Record<string, unknown>;
  try {
    raw = ipp.parse(buf);
  } catch (e) {
    throw new PrintError('protocol', `[ipp] ${what}: unparsable IPP reply: ${e instanceof Error ? e.message : String(e)}`);
  }
  // Read the status ourselves: the package only names codes it knows and guesses request vs reply.
  const statusCode = buf.readUInt16BE(2);
  const status = ipp.statusCodes.lookup[statusCode] ?? `0x${statusCode.toString(16).padStart(4, '0')}`;
  const operation = groups(raw['operation-attributes-tag'])[0] ?? {};
  const msg = operation['status-message']?.[0];
  return {
    version: `${buf[0]}.${buf[1]}`,
    statusCode,
    status,
    requestId: buf.readUInt32BE(4),
    statusMessage: typeof msg === 'string' ? msg : '',
    operation,
    printer: groups(raw['printer-attributes-tag'])[0] ?? {},
    jobs: groups(raw['job-attributes-tag']),
    unsupported: groups(raw['unsupported-attributes-tag'])[0] ?? {},
  };
}

/** The package gives one object per group, or an array when a group repeats, and bare values for single values. */
function groups(raw: unknown): IppAttributeGroup[] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((g) => {
    const out: IppAttributeGroup = {};
    for (const [name, v] of Object.entries(g as Record<string, unknown>)) {
      // A single rangeOfInteger or resolution is itself an array of numbers: keep it as one value.
      const single = !Array.isArray(v) || (tupleAttributes.has(name) && v.every((x) => typeof x === 'number'));
      out[name] = (single ? [v] : v).filter((x: unknown): x is IppValue => x !== undefined && x !== null);
    }
    return out;
  });
}

// The package does not say which tag a value had, and decodes rangeOfInteger/resolution as
// number arrays, like a 1setOf integer. These are the ones we read (or may) whose syntax is a tuple.
const tupleAttributes: ReadonlySet<string> = new Set([
  'copies-supported',
  'job-k-octets-supported',
  'job-impressions-supported',
  'job-media-sheets-supported',
  'pdf-k-octets-supported',
  'jpeg-k-octets-supported',
  'printer-resolution-default',
  'printer-resolution-supported',
  'pwg-raster-document-resolution-supported',
]);

function throwForStatus(res: IppResponse, what: string): void {
  if (res.statusCode < 0x0100) return;
  const detail = res.statusMessage ? `: ${res.statusMessage}` : '';
  const message = `[ipp] ${what}: ${res.status}${detail}`;
  if (res.statusCode === 0x0507) throw new PrintError('busy', message, res.status, res.statusCode);
  // ippeveprinter (and others) answer a format they cannot take with the generic
  // attributes-or-values status and name document-format in the unsupported group.
  if (res.statusCode === 0x040a || (res.statusCode === 0x040b && 'document-format' in res.unsupported)) {
    throw new PrintError('unsupported-format', message, res.status, res.statusCode);
  }
  throw new PrintError('ipp', message, res.status, res.statusCode);
}

/** First value of an attribute as a string ("" when absent). */
export function attrString(group: IppAttributeGroup, name: string): string {
  const v = group[name]?.[0];
  return typeof v === 'string' ? v : v === undefined ? '' : String(v);
}

/** All values of an attribute as strings, without empty ones. */
export function attrStrings(group: IppAttributeGroup, name: string): string[] {
  return (group[name] ?? []).map((v) => (typeof v === 'string' ? v : String(v))).filter((s) => s !== '');
}

/** A rangeOfInteger value as [lower, upper], or undefined. */
export function attrRange(group: IppAttributeGroup, name: string): [number, number] | undefined {
  const v = group[name]?.[0];
  if (Array.isArray(v) && v.length === 2) return [v[0]!, v[1]!];
  if (typeof v === 'number') return [v, v];
  return undefined;
}

/** First value as an integer, or undefined. */
export function attrNumber(group: IppAttributeGroup, name: string): number | undefined {
  const v = group[name]?.[0];
  return typeof v === 'number' ? v : undefined;
}
