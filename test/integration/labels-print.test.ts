// Referral labels through the running station to real IPP printers (ippeveprinter): a label
// printer described by a PPD (it reports its rolls as media-supported and takes PDF, like a label
// printer behind a CUPS queue) and an A4 printer for sheets. The PDFs the printers received are
// decoded with zbarimg: every label carries the number the ledger recorded, with a valid check digit.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startPrinter, stopAll, type TestPrinter } from '../helpers/ippeveprinter.js';
import { expectBatchCompleted, startStationProcess, stationConfig, waitFor, type StationProcess } from '../helpers/station-process.js';
import { decodeBarcodes, pdfPages } from '../helpers/pdf-tools.js';
import { parseSerial } from '../../src/domain/serials.js';

/** A minimal PPD for a 203 dpi label printer with 50 × 25 mm and 102 × 51 mm rolls (no 62 × 29 mm). */
function labelPrinterPpd(): string {
  const size = (name: string, w: number, h: number) => ({ name, w: ((w * 72) / 25.4).toFixed(2), h: ((h * 72) / 25.4).toFixed(2), text: `${w} x ${h} mm` });
  const sizes = [size('w142h71', 50, 25), size('w289h145', 102, 51)];
  const lines = [
    '*PPD-Adobe: "4.3"',
    '*FormatVersion: "4.3"',
    '*FileVersion: "1.0"',
    '*LanguageVersion: English',
    '*LanguageEncoding: ISOLatin1',
    '*PCFileName: "LABEL.PPD"',
    '*Manufacturer: "Test"',
    '*Product: "(Label Printer)"',
    '*ModelName: "Test Label Printer"',
    '*ShortNickName: "Test Label Printer"',
    '*NickName: "Test Label Printer"',
    '*PSVersion: "(3010.000) 0"',
    '*LanguageLevel: "3"',
    '*ColorDevice: False',
    '*DefaultColorSpace: Gray',
    '*FileSystem: False',
    '*cupsFilter2: "application/pdf application/pdf 0 -"',
    '*DefaultResolution: 203dpi',
  ];
  for (const key of ['PageSize', 'PageRegion']) {
    lines.push(`*OpenUI *${key}: PickOne`, `*OrderDependency: 10 AnySetup *${key}`, `*Default${key}: ${sizes[0]!.name}`);
    for (const s of sizes) lines.push(`*${key} ${s.name}/${s.text}: "<</PageSize[${s.w} ${s.h}]>>setpagedevice"`);
    lines.push(`*CloseUI: *${key}`);
  }
  lines.push(`*DefaultImageableArea: ${sizes[0]!.name}`, `*DefaultPaperDimension: ${sizes[0]!.name}`);
  for (const s of sizes) lines.push(`*ImageableArea ${s.name}/${s.text}: "0 0 ${s.w} ${s.h}"`, `*PaperDimension ${s.name}/${s.text}: "${s.w} ${s.h}"`);
  return lines.join('\n') + '\n';
}

let labelPrinter: TestPrinter;
let a4: TestPrinter;
let station: StationProcess;
const series = { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 904999, padding: 7, checkDigit: 'luhn' as const };

beforeAll(async () => {
  [labelPrinter, a4] = await Promise.all([startPrinter({ ppd: labelPrinterPpd(), name: 'Label Printer' }), startPrinter()]);
  station = await startStationProcess(
    stationConfig([
      { id: 'a4', name: 'Expeditionen A4', uri: a4.uri, roles: ['a4', 'labels-sheet'] },
      { id: 'etikett', name: 'Etikettskrivaren', uri: labelPrinter.uri, roles: ['labels-roll'], media: 'om_50x25mm_50x25mm', duplex: false },
    ]),
  );
});
afterAll(async () => {
  await station?.kill();
  await stopAll();
});

const api = (path: string, init?: RequestInit) => fetch(`${station.url}${path}`, init);
const post = (path: string, body: unknown) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const printed = (batchId: string) => expectBatchCompleted(api, batchId);

describe('referral labels on real printers', () => {
  it('prints a roll to the label printer: one label per page, in its own media, each decoding to the ledger number', async () => {
    // The monitor must have seen the printer's media before the station can check the roll size.
    await waitFor(async () => {
      const ps = (await (await api('/api/printers')).json()) as Array<{ id: string; reachable: boolean | null }>;
      return ps.find((p) => p.id === 'etikett')?.reachable ? true : undefined;
    }, 10_000, 'label printer seen');
    const layouts = (await (await api('/api/labels/layouts')).json()) as Array<{ id: string; printers: string[] }>;
    expect(layouts.find((l) => l.id === 'rulle-50x25')!.printers).toEqual(['etikett']);

    const res = await post('/api/labels', { referrals: 3, labelsPerReferral: 2, layout: 'rulle-50x25', requestId: 'int-labels-roll-1' });
    expect(res.status).toBe(202);
    const { batchId, numbers } = (await res.json()) as { batchId: string; numbers: string[] };
    await printed(batchId);

    const [file] = await labelPrinter.received();
    expect(file).toBeDefined();
    expect(pdfPages(file!)).toBe(6);
    // The printer calls its roll custom_50x25mm_50x25mm: the job carried the printer's own name for it.
    expect((await labelPrinter.jobEnv(file!)).IPP_MEDIA).toBe('custom_50x25mm_50x25mm');
    const ledger = (await (await api('/api/series/remiss/ledger')).json()) as { entries: Array<{ number: string; seq: number; batchId: string }> };
    expect(ledger.entries.filter((e) => e.batchId === batchId).map((e) => e.number)).toEqual(numbers);
    for (const dpi of [203, 300]) {
      const pages = decodeBarcodes(file!, dpi);
      expect(pages, `${dpi} dpi`).toEqual(numbers.flatMap((n) => [[n], [n]]));
    }
    for (const n of numbers) expect(parseSerial(series, n)).toBeDefined();
  });

  it('prints a sheet on the A4 printer, starting at a given position, and the CSV lists the numbers', async () => {
    const res = await post('/api/labels', { referrals: 5, labelsPerReferral: 1, layout: 'a4-3x7', startPosition: 4, requestId: 'int-labels-sheet-1' });
    expect(res.status).toBe(202);
    const { batchId, numbers } = (await res.json()) as { batchId: string; numbers: string[] };
    await printed(batchId);
    const [file] = await a4.received();
    expect((await a4.jobEnv(file!)).IPP_MEDIA).toBe('iso_a4_210x297mm');
    expect(decodeBarcodes(file!, 300).map((p) => [...p].sort())).toEqual([[...numbers].sort()]);

    const csv = await (await api('/api/series/remiss/ledger.csv')).text();
    for (const n of numbers) expect(csv).toContain(`${n};`);
  });

  it('refuses a roll the label printer does not have, or a roll on the A4 printer, with 400 in Swedish', async () => {
    const noRoll = await post('/api/labels', { referrals: 1, labelsPerReferral: 1, layout: 'rulle-62x29' });
    expect(noRoll.status).toBe(400);
    expect(((await noRoll.json()) as { message: string }).message).toMatch(
      /^Etikettskrivaren har inte materialet om_62x29mm_62x29mm .*\(skrivaren har: custom_50x25mm_50x25mm, custom_102x51mm_102x51mm\)/,
    );
    const wrongPrinter = await post('/api/labels', { referrals: 1, labelsPerReferral: 1, layout: 'rulle-50x25', printer: 'a4' });
    expect(wrongPrinter.status).toBe(400);
    expect(((await wrongPrinter.json()) as { message: string }).message).toMatch(/Expeditionen A4 är inte inställd för etikettrulle/);
  });
});
