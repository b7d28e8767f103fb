// Encodes IPP requests (RFC 8010) ourselves. The `ipp` package's serializer only knows the
// attributes in its own table: it throws "Unknown attribute: print-scaling" and cannot write a
// media-col collection, and exact scale needs both. The request side is small — a handful of
// operations and attributes, each with one syntax — so it is written here against the RFC, with the
// syntax of every attribute we send in one table; the package is still used to decode replies.
import { mediaDimensionsMm } from '../domain/media.js';

/** A value we send; arrays become 1setOf, objects become collections (member name → value). */
export type IppEncodable = string | number | boolean | readonly string[] | readonly number[] | IppCollection;
export interface IppCollection {
  readonly [member: string]: IppEncodable;
}

const TAG = {
  operation: 0x01,
  job: 0x02,
  end: 0x03,
  integer: 0x21,
  boolean: 0x22,
  enum: 0x23,
  begCollection: 0x34,
  endCollection: 0x37,
  text: 0x41,
  name: 0x42,
  keyword: 0x44,
  uri: 0x45,
  charset: 0x47,
  naturalLanguage: 0x48,
  mimeMediaType: 0x49,
  memberAttrName: 0x4a,
} as const;
type Syntax = 'integer' | 'boolean' | 'enum' | 'collection' | 'text' | 'name' | 'keyword' | 'uri' | 'charset' | 'naturalLanguage' | 'mimeMediaType';

/** The syntax of every attribute (and collection member) the station sends (RFC 8011, PWG 5100.x). */
const SYNTAX: Readonly<Record<string, Syntax>> = {
  // operation attributes
  'attributes-charset': 'charset',
  'attributes-natural-language': 'naturalLanguage',
  'printer-uri': 'uri',
  'requesting-user-name': 'name',
  'job-name': 'name',
  'document-name': 'name',
  'document-format': 'mimeMediaType',
  'job-id': 'integer',
  'requested-attributes': 'keyword',
  'which-jobs': 'keyword',
  'my-jobs': 'boolean',
  limit: 'integer',
  'ipp-attribute-fidelity': 'boolean',
  // job template attributes
  copies: 'integer',
  media: 'keyword',
  sides: 'keyword',
  'print-scaling': 'keyword',
  'print-color-mode': 'keyword',
  'print-quality': 'enum',
  'orientation-requested': 'enum',
  'job-priority': 'integer',
  'media-col': 'collection',
  // media-col members (PWG 5100.7)
  'media-size': 'collection',
  'x-dimension': 'integer',
  'y-dimension': 'integer',
  'media-size-name': 'keyword',
  'media-source': 'keyword',
  'media-type': 'keyword',
  'media-top-margin': 'integer',
  'media-bottom-margin': 'integer',
  'media-left-margin': 'integer',
  'media-right-margin': 'integer',
};

const OPERATION_ID: Readonly<Record<string, number>> = {
  'Print-Job': 0x0002,
  'Validate-Job': 0x0004,
  'Cancel-Job': 0x0008,
  'Get-Job-Attributes': 0x0009,
  'Get-Jobs': 0x000a,
  'Get-Printer-Attributes': 0x000b,
};

export interface IppRequestMessage {
  version: '1.1' | '2.0';
  operation: string;
  requestId: number;
  /** In the order they are written; the required four first (RFC 8011 §4.1.4). */
  operationAttributes: Record<string, IppEncodable>;
  jobAttributes?: Record<string, IppEncodable>;
}

/** The request's bytes up to and including end-of-attributes (the document follows). Throws on an attribute it has no syntax for. */
export function encodeIppRequest(msg: IppRequestMessage): Buffer {
  const op = OPERATION_ID[msg.operation];
  if (op === undefined) throw new Error(`[ipp] no operation id for ${msg.operation}`);
  const out: Buffer[] = [];
  const head = Buffer.alloc(8);
  head[0] = msg.version === '1.1' ? 1 : 2;
  head[1] = msg.version === '1.1' ? 1 : 0;
  head.writeUInt16BE(op, 2);
  head.writeUInt32BE(msg.requestId, 4);
  out.push(head, Buffer.from([TAG.operation]));
  for (const [name, value] of Object.entries(msg.operationAttributes)) writeAttribute(out, name, value);
  if (msg.jobAttributes && Object.keys(msg.jobAttributes).length) {
    out.push(Buffer.from([TAG.job]));
    for (const [name, value] of Object.entries(msg.jobAttributes)) writeAttribute(out, name, value);
  }
  out.push(Buffer.from([TAG.end]));
  return Buffer.concat(out);
}

function syntaxOf(name: string): Syntax {
  const s = SYNTAX[name];
  if (!s) throw new Error(`[ipp] no syntax known for attribute "${name}" (add it to ipp-encode.ts)`);
  return s;
}

function writeAttribute(out: Buffer[], name: string, value: IppEncodable): void {
  const syntax = syntaxOf(name);
  const values: readonly (string | number | boolean | IppCollection)[] = Array.isArray(value) ? value : [value as string | number | boolean | IppCollection];
  if (values.length === 0) throw new Error(`[ipp] attribute "${name}" has no value`);
  values.forEach((v, i) => writeValue(out, syntax, i === 0 ? name : '', v, name));
}

function header(out: Buffer[], tag: number, name: string, value: Buffer): void {
  const n = Buffer.from(name, 'utf8');
  const h = Buffer.alloc(3 + n.length + 2);
  h[0] = tag;
  h.writeUInt16BE(n.length, 1);
  n.copy(h, 3);
  h.writeUInt16BE(value.length, 3 + n.length);
  out.push(h, value);
}

function writeValue(out: Buffer[], syntax: Syntax, name: string, v: string | number | boolean | IppCollection, attr: string): void {
  const wrong = () => new Error(`[ipp] "${attr}" is ${syntax}, not ${JSON.stringify(v)}`);
  switch (syntax) {
    case 'integer':
    case 'enum': {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw wrong();
      const b = Buffer.alloc(4);
      b.writeInt32BE(v);
      return header(out, syntax === 'integer' ? TAG.integer : TAG.enum, name, b);
    }
    case 'boolean':
      if (typeof v !== 'boolean') throw wrong();
      return header(out, TAG.boolean, name, Buffer.from([v ? 1 : 0]));
    case 'collection': {
      if (typeof v !== 'object' || v === null) throw wrong();
      header(out, TAG.begCollection, name, Buffer.alloc(0));
      for (const [member, mv] of Object.entries(v)) {
        // Each member: its name as a memberAttrName value, then its value(s) with an empty name.
        header(out, TAG.memberAttrName, '', Buffer.from(member, 'utf8'));
        const ms = syntaxOf(member);
        const list: readonly (string | number | boolean | IppCollection)[] = Array.isArray(mv) ? mv : [mv as string | number | boolean | IppCollection];
        for (const x of list) writeValue(out, ms, '', x, member);
      }
      return header(out, TAG.endCollection, '', Buffer.alloc(0));
    }
    default: {
      if (typeof v !== 'string') throw wrong();
      const b = Buffer.from(v, 'utf8');
      // RFC 8010 §3.9: text and name at most 1023 octets, keywords and the rest at most 255.
      const max = syntax === 'text' || syntax === 'name' || syntax === 'uri' ? 1023 : 255;
      if (b.length > max) throw new Error(`[ipp] "${attr}" is longer than ${max} octets`);
      return header(out, TAG[syntax], name, b);
    }
  }
}

/**
 * The media-col of a PWG self-describing media name ("iso_a4_210x297mm", "om_50x25mm_50x25mm",
 * "na_letter_8.5x11in"): media-size in hundredths of a millimetre, or undefined when the name
 * carries no size.
 */
export function mediaColFor(media: string): IppCollection | undefined {
  const size = mediaDimensionsMm(media);
  if (!size) return undefined;
  return { 'media-size': { 'x-dimension': Math.round(size.width * 100), 'y-dimension': Math.round(size.height * 100) } };
}
