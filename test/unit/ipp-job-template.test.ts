// The request side of IPP: our encoder writes what RFC 8010 says (read back by the test helper's own
// reader), including print-scaling and media-col that the `ipp` package cannot write; and the one
// decision of which job attributes a printer gets, row by row.
import { describe, expect, it } from 'vitest';
import { encodeIppRequest, mediaColFor } from '../../src/printing/ipp-encode.js';
import { jobTemplateFor, type JobCapabilities } from '../../src/printing/ipp-job-template.js';
import { decodeIpp } from '../helpers/ipp-proxy.js';

describe('encodeIppRequest', () => {
  it('writes header, operation and job groups with the right syntax tags, collections included', () => {
    const buf = encodeIppRequest({
      version: '2.0',
      operation: 'Print-Job',
      requestId: 7,
      operationAttributes: { 'attributes-charset': 'utf-8', 'attributes-natural-language': 'en', 'printer-uri': 'ipp://127.0.0.1/ipp/print', 'requesting-user-name': 'reservkit', 'job-name': 'rk-1', 'document-format': 'application/pdf' },
      jobAttributes: { copies: 2, 'print-scaling': 'none', 'media-col': mediaColFor('iso_a5_148x210mm')!, sides: 'one-sided' },
    });
    expect([buf[0], buf[1], buf.readUInt16BE(2), buf.readUInt32BE(4)]).toEqual([2, 0, 0x0002, 7]);
    const msg = decodeIpp(buf);
    expect(buf[msg.endOffset]).toBe(0x03);
    expect(msg.endOffset).toBe(buf.length - 1);
    const tags = Object.fromEntries(msg.attributes.map((a) => [a.name, [a.group, a.values[0]!.tag]]));
    expect(tags).toEqual({
      'attributes-charset': [1, 0x47],
      'attributes-natural-language': [1, 0x48],
      'printer-uri': [1, 0x45],
      'requesting-user-name': [1, 0x42],
      'job-name': [1, 0x42],
      'document-format': [1, 0x49],
      copies: [2, 0x21],
      'print-scaling': [2, 0x44],
      'media-col': [2, 0x34],
      sides: [2, 0x44],
    });
    const col = msg.attributes.find((a) => a.name === 'media-col')!.values[0]!.value as Record<string, { value: unknown }[]>;
    const size = col['media-size']![0]!.value as Record<string, { value: unknown; tag: number }[]>;
    expect(size['x-dimension']).toEqual([{ tag: 0x21, value: 14800 }]);
    expect(size['y-dimension']).toEqual([{ tag: 0x21, value: 21000 }]);
  });

  it('writes 1setOf as extra values with an empty name', () => {
    const msg = decodeIpp(encodeIppRequest({ version: '1.1', operation: 'Get-Printer-Attributes', requestId: 1, operationAttributes: { 'requested-attributes': ['printer-state', 'media-ready'] } }));
    expect(msg.attributes[0]!.values.map((v) => v.value)).toEqual(['printer-state', 'media-ready']);
  });

  it('refuses an attribute it has no syntax for, and a value of the wrong syntax', () => {
    const base = { version: '2.0' as const, operation: 'Print-Job', requestId: 1, operationAttributes: {} };
    expect(() => encodeIppRequest({ ...base, jobAttributes: { 'finishings-col': 'x' } })).toThrow(/no syntax known for attribute "finishings-col"/);
    expect(() => encodeIppRequest({ ...base, jobAttributes: { copies: 'two' } })).toThrow(/"copies" is integer/);
  });

  it('media-col from a PWG media name: mm and inches, none for a name without size', () => {
    expect(mediaColFor('iso_a4_210x297mm')).toEqual({ 'media-size': { 'x-dimension': 21000, 'y-dimension': 29700 } });
    expect(mediaColFor('om_50x25mm_50x25mm')).toEqual({ 'media-size': { 'x-dimension': 5000, 'y-dimension': 2500 } });
    expect(mediaColFor('na_letter_8.5x11in')).toEqual({ 'media-size': { 'x-dimension': 21590, 'y-dimension': 27940 } });
    expect(mediaColFor('auto')).toBeUndefined();
  });
});

describe('jobTemplateFor: which attributes a printer gets', () => {
  const plain: JobCapabilities = { media: ['iso_a4_210x297mm', 'iso_a5_148x210mm'], sides: ['one-sided'], printScaling: [], mediaCol: ['media-size', 'media-source'] };
  const scaling: JobCapabilities = { ...plain, printScaling: ['auto', 'fit', 'none'] };
  const rows: Array<[string, JobCapabilities, Parameters<typeof jobTemplateFor>[1], Record<string, unknown>]> = [
    ['no print-scaling listed: media as keyword, nothing else', plain, { copies: 1, media: 'iso_a4_210x297mm' }, { media: 'iso_a4_210x297mm' }],
    ['print-scaling listed: none, media as media-col', scaling, { copies: 1, media: 'iso_a4_210x297mm' }, { 'print-scaling': 'none', 'media-col': { 'media-size': { 'x-dimension': 21000, 'y-dimension': 29700 } } }],
    ['print-scaling listed, no media asked: only print-scaling', scaling, { copies: 1 }, { 'print-scaling': 'none' }],
    ['print-scaling listed without media-col: media as keyword', { ...scaling, mediaCol: [] }, { copies: 1, media: 'iso_a5_148x210mm' }, { 'print-scaling': 'none', media: 'iso_a5_148x210mm' }],
    ['print-scaling listed without "none": not sent', { ...scaling, printScaling: ['auto', 'fit'] }, { copies: 1, media: 'iso_a4_210x297mm' }, { media: 'iso_a4_210x297mm' }],
    ['media the printer does not list: left to the printer', scaling, { copies: 1, media: 'om_50x25mm_50x25mm' }, { 'print-scaling': 'none' }],
    ['copies and sides it lists', plain, { copies: 3, sides: 'one-sided' }, { copies: 3, sides: 'one-sided' }],
    ['sides it does not list: left out', plain, { copies: 1, sides: 'two-sided-long-edge' }, {}],
  ];
  it.each(rows)('%s', (_what, caps, req, want) => {
    expect(jobTemplateFor(caps, req, 'ipp://p')).toEqual(want);
  });

  it('copies outside the printer\'s range are refused before sending', () => {
    expect(() => jobTemplateFor({ ...plain, copies: [1, 5] }, { copies: 9 }, 'ipp://p')).toThrow(/takes 1–5 copies, not 9/);
  });
});
