// Every template in templates/ renders and reads right (pdftotext), and every barcode on every
// document decodes with zbarimg from a 300 dpi raster, equals the printed number and passes its
// check digit. The overprint carries only the allowed fields; the calibration page shows them all;
// slips come three to a sheet in two copies; the avstämningslista lists exactly what it is given.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, type StationConfig } from '../../src/config.js';
import { formSeries, isBlankForm, loadCatalog } from '../../src/catalog/catalog.js';
import { overprintTemplateSchema, type LedgerTemplate, type OverprintTemplate } from '../../src/catalog/document-schema.js';
import type { FormTemplate } from '../../src/catalog/template-schema.js';
import { formatSerial, parseSerial } from '../../src/domain/serials.js';
import { renderLabels } from '../../src/render/labels.js';
import { renderDocument } from '../../src/render/render-document.js';
import { fitFontSize, renderOverprint } from '../../src/render/render-overprint.js';
import { slipsNumbersFor } from '../../src/catalog/form-geometry.js';
import type { LedgerEntry } from '../../src/store/store.js';
import { decodeBarcodes, pdfPageTexts, pdfPages, pdfText, writeTemp } from '../helpers/pdf-tools.js';
import { tempDir } from '../helpers/config.js';

const root = path.resolve(import.meta.dirname, '../..');
const config: StationConfig = parseConfig(JSON.parse(readFileSync(path.join(root, 'config/station.example.json'), 'utf8')));
const catalog = loadCatalog(path.join(root, 'templates'), config);
const printedAt = new Date('2026-11-25T13:03:00Z'); // 14:03 in Stockholm
const flat = (s: string) => s.replace(/[ \t]+/g, ' ');
const prose = (file: string) => pdfText(file).replace(/\s+/g, ' ');
const series = (id: string) => config.series.find((s) => s.id === id)!;
const numbers = (id: string, first: number, count: number) => Array.from({ length: count }, (_, i) => formatSerial(series(id), first + i));
const prescriber = config.prescribers[0]!;

/** Decoded barcodes per page (zbarimg reports identical codes on one page once). */
function scanned(file: string): string[][] {
  return decodeBarcodes(file, 300);
}

/** The codes in one area of one page (mm from the top-left corner), rasterized at 300 dpi. */
function scanArea(file: string, page: number, area: { x: number; y: number; w: number; h: number }): string[] {
  const px = (mm: number) => String(Math.round((mm / 25.4) * 300));
  const png = path.join(tempDir('reservkit-area-'), 'area');
  execFileSync('pdftoppm', ['-r', '300', '-gray', '-png', '-singlefile', '-f', String(page), '-l', String(page), '-x', px(area.x), '-y', px(area.y), '-W', px(area.w), '-H', px(area.h), file, png]);
  try {
    return execFileSync('zbarimg', ['--quiet', '--raw', `${png}.png`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch (e) {
    if ((e as { status?: number }).status === 4) return [];
    throw e;
  }
}

/**
 * Dark pixels (72 dpi, gray) of a page in the band 0–4.5 mm from the paper's edge (`outer`, where
 * most lasers cannot print) and in the band 5.5–9.5 mm (`margin`).
 */
function inkByEdgeBand(file: string, page: number): { outer: number; margin: number } {
  const out = path.join(tempDir('reservkit-edge-'), 'p');
  execFileSync('pdftoppm', ['-r', '72', '-gray', '-singlefile', '-f', String(page), '-l', String(page), file, out]);
  const buf = readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 50).toString('latin1'))!;
  const [w, h] = [Number(header[1]), Number(header[2])];
  const px = buf.subarray(header[0].length);
  const mm = (v: number) => (v / 25.4) * 72;
  let outer = 0;
  let margin = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (px[y * w + x]! > 160) continue;
      const edge = Math.min(x + 0.5, y + 0.5, w - x - 0.5, h - y - 0.5);
      if (edge < mm(4.5)) outer++;
      else if (edge > mm(5.5) && edge < mm(9.5)) margin++;
    }
  return { outer, margin };
}

describe('every template in templates/', () => {
  it('is covered here: every document and every label layout', () => {
    expect([...catalog.documents.keys()].sort()).toEqual(
      [
        'avstamning',
        'checklista-it-attack',
        'checklista-oplanerad-driftstorning',
        'checklista-planerad-nedslackning',
        'checklista-reservrutin',
        'checklista-systemuppgradering',
        'kvitto',
        'mottagningslista',
        'ordinationsunderlag',
        'provtagningsremiss',
        'receptlogg',
        'receptoverskrift',
        'remiss-konsultation',
        'telefonlista',
        'vardkontakt',
      ].sort(),
    );
    expect([...catalog.labels.keys()].sort()).toEqual(['a4-3x7', 'a4-3x8', 'rulle-45x35', 'rulle-50x25', 'rulle-62x29']);
  });

  // Blank forms: rendered as they print in a kit; texts a clinician looks for; no barcode at all.
  const blank = [...catalog.forms.values()].filter((f) => isBlankForm(f));
  it.each(blank.map((f) => [f.id, f] as const))('blank form %s renders, is stamped on every page and carries no barcode', async (_id, form) => {
    const { pdf, pages } = await renderDocument(form, { config, printedAt });
    const file = writeTemp(pdf, `${form.id}.pdf`);
    expect(pdfPages(file)).toBe(pages);
    expect(pages).toBe(form.pages.length);
    for (const page of pdfPageTexts(file).map(flat)) {
      expect(page).toContain('Vårdcentral Exempel');
      expect(page).toContain(form.name);
      expect(page).toContain('version 1.0');
      expect(page).toContain('Utskriven 2026-11-25 14:03');
    }
    expect(flat(pdfText(file, true))).not.toMatch(/\{[a-zA-Z.]+\}/);
    expect(scanned(file).flat()).toEqual([]);
  });

  it('provtagningsremiss: one page per number, each with its own Code 128 barcode that scans, equals the printed number and passes the Luhn check', async () => {
    const form = catalog.forms.get('provtagningsremiss')!;
    expect(formSeries(form)).toBe('remiss');
    const nums = numbers('remiss', 900123, 3);
    const { pdf, pages } = await renderDocument(form, { config, printedAt, serials: nums });
    const file = writeTemp(pdf, 'provtagningsremiss.pdf');
    expect(pages).toBe(3);
    const texts = pdfPageTexts(file).map(flat);
    texts.forEach((t, i) => {
      expect(t).toContain(nums[i]);
      expect(t).toContain('Provtagningsremiss');
      expect(t).toContain('Sida 1 av 1'); // each copy is a document of its own
      for (const want of ['Patient – två identifierare', 'Personnummer', 'Samordningsnummer', 'Reservnummer', 'Provtagningsdatum', 'Beställande läkare', 'Ansvarig enhets koder', 'Arbetsplatskod', '1234567890123', 'Analyser', 'Frågeställning', 'Registrerad i PMO'])
        expect(t, want).toContain(want);
    });
    const codes = scanned(file);
    expect(codes).toEqual(nums.map((n) => [n]));
    for (const [n] of codes) expect(parseSerial(series('remiss'), n!)).toBeGreaterThanOrEqual(900123);
  });

  it('kvittoblock: two receipts per sheet, each in a patient and a unit copy with the same number, every barcode scanning to it', async () => {
    const form = catalog.forms.get('kvitto')!;
    expect(slipsNumbersFor(form, 2)).toBe(4);
    const nums = numbers('kvitto', 41, 4);
    const { pdf, pages } = await renderDocument(form, { config, printedAt, serials: nums });
    const file = writeTemp(pdf, 'kvitto.pdf');
    expect(pages).toBe(2);
    const texts = pdfPageTexts(file);
    for (const [i, page] of texts.entries()) {
      const t = flat(page);
      for (const n of nums.slice(i * 2, i * 2 + 2)) expect(t.split(n).length - 1, n).toBe(2); // patient + unit copy
      expect(t.split('Patientens exemplar').length - 1).toBe(2);
      expect(t.split('Enhetens exemplar').length - 1).toBe(2);
      for (const want of ['Kvitto – patientavgift', 'Vårdcentral Exempel', 'Region Exempel', 'Org.nr 232100-0000', 'Belopp, kr', 'Betalsätt', 'Frikort', 'Kvittoblock · rutin version 1.0 · utskriven 2026-11-25'])
        expect(prose(file), want).toContain(want);
      // Each fee kind with its own fixed text: only a visit counts toward högkostnadsskyddet.
      for (const want of ['Besök – ingår i högkostnadsskyddet · momsfri', 'Uteblivet besök – ingår ej i högkostnadsskyddet · momsfri', 'Körkortsintyg – ingår ej i högkostnadsskyddet · inkl. moms 25 %'])
        expect(prose(file), want).toContain(want);
      expect(prose(file)).not.toMatch(/avgiften ingår i högkostnadsskyddet|Momsfri\./);
    }
    // Slip by slip (2 rows × 2 columns inside the 10 mm margin): exactly its own number, in both copies.
    const slipW = (210 - 20) / 2;
    const slipH = (297 - 20) / 2;
    for (let page = 1; page <= 2; page++)
      for (let row = 0; row < 2; row++)
        for (let col = 0; col < 2; col++) {
          const want = nums[(page - 1) * 2 + row]!;
          const got = scanArea(file, page, { x: 10 + col * slipW, y: 10 + row * slipH, w: slipW, h: slipH });
          expect(got, `sheet ${page}, slip ${row + 1}/${col + 1}`).toEqual([want]);
          expect(parseSerial(series('kvitto'), got[0]!)).toBe(41 + (page - 1) * 2 + row);
        }
    // Crop marks inside the printable area: nothing within 4.5 mm of the paper's edge, marks within 10 mm.
    const ink = inkByEdgeBand(file, 1);
    expect(ink.outer).toBe(0);
    expect(ink.margin).toBeGreaterThan(0);
  });

  it('mottagningslista: dated "gäller för", "makuleras efter" two weeks later and "utskriven"; blank lines when no date is given', async () => {
    const form = catalog.forms.get('mottagningslista')!;
    const dated = writeTemp((await renderDocument(form, { config, printedAt, validFor: '2026-11-26' })).pdf, 'ml.pdf');
    const t = flat(pdfText(dated, true));
    expect(t).toContain('Mottagningslista 2026-11-26');
    expect(t).toMatch(/Utskriven[\s\S]*2026-11-25 14:03/);
    expect(t).toContain('Gäller för');
    expect(t).toContain('Makuleras efter');
    expect(t).toContain('2026-12-10');
    expect(prose(dated)).toContain('makulera sedan listan som sekretessavfall, senast 2026-12-10');
    for (const col of ['Tid', 'Efternamn, förnamn', 'Personnummer / id', 'Besökstyp', 'Ankommit', 'I PMO']) expect(t).toContain(col);
    expect(pdfPages(dated)).toBe(1);
    const undated = flat(pdfText(writeTemp((await renderDocument(form, { config, printedAt })).pdf, 'ml0.pdf'), true));
    expect(undated).toContain('Mottagningslista ____________');
    expect(undated).not.toMatch(/\{[a-zA-Z.]+\}/);
  });

  it('receptöverskrift: the allowed fields and nothing else; both codes as digits and as barcodes that scan', async () => {
    const t = catalog.documents.get('receptoverskrift') as OverprintTemplate;
    const { pdf, pages } = await renderDocument(t, { config, printedAt, prescriber });
    const file = writeTemp(pdf, 'recept.pdf');
    expect(pages).toBe(1);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+419\.5\d* x 595\.2\d* pts/); // A5, the blank's size
    const words = pdfText(file).split(/\s+/).filter(Boolean).sort();
    const allowed = [prescriber.name, prescriber.profession, prescriber.prescriberCode, config.unit.workplaceName ?? config.unit.name, config.unit.address, config.unit.phone, config.unit.workplaceCode];
    expect(words).toEqual(allowed.join(' ').split(/\s+/).sort());
    expect(scanned(file)[0]!.sort()).toEqual([prescriber.prescriberCode, config.unit.workplaceCode].sort());
  });

  it('receptöverskrift: the calibration page names every field with its position, shows the grid, a ruler and says it is not a prescription; the codes only as text and frames', async () => {
    const t = catalog.documents.get('receptoverskrift') as OverprintTemplate;
    const file = writeTemp((await renderDocument(t, { config, printedAt, calibration: true })).pdf, 'kalibrering.pdf');
    const text = prose(file);
    expect(text).toContain('KALIBRERINGSSIDA – INTE ETT RECEPT');
    for (const want of ['Förskrivarens namn: x 10, y 160', 'Yrke: x 10, y 165', 'Förskrivarkod: x 84, y 160', 'Arbetsplatskod (streckkod): x 84, y 185', 'Vårdcentral Exempel', 'version 1.0', 'förskjutning x 0 mm, y 0 mm'])
      expect(text, want).toContain(want);
    expect(text).toMatch(/\b10 20 30 40\b/); // the millimetre scale along the top
    expect(text).toContain('Arbetsplatsens namn: x 10, y 170');
    // On plain paper nothing scans: the barcodes are frames saying what goes there.
    expect(scanned(file)[0]).toEqual([]);
    expect(text).toContain('Förskrivarkod – streckkod här');
    expect(text).toContain('100 mm – mät den');
    expect(text).toContain('1234567'); // the code as text
  });

  it('avstämningslista: exactly the numbers it is given, in order, with status, document and empty columns to tick', async () => {
    const t = catalog.documents.get('avstamning') as LedgerTemplate;
    const s = series('remiss');
    const entries: LedgerEntry[] = [0, 1, 2, 5].map((i) => ({
      seriesId: 'remiss',
      seq: s.first + i,
      number: formatSerial(s, s.first + i),
      status: i === 2 ? 'voided' : 'issued',
      batchId: 'b-1',
      documentId: i === 5 ? 'remissetiketter' : 'provtagningsremiss',
      issuedAt: '2026-11-25T08:15:00Z',
      reprints: i === 1 ? [{ at: '2026-11-25T09:00:00Z' }] : [],
    }));
    const ledger = { series: s, from: '2026-11-25', to: '2026-11-26', entries, kind: 'referral' as const, documentName: (id?: string) => (id === 'remissetiketter' ? 'Remissetiketter' : 'Provtagningsremiss') };
    const file = writeTemp((await renderDocument(t, { config, printedAt, ledger })).pdf, 'avstamning.pdf');
    const text = flat(pdfText(file, true));
    expect(text.match(/RV\d{8}/g)!.filter((n) => !['RV09000001', 'RV09049990'].includes(n) || entries.some((e) => e.number === n))).toEqual(
      // header: block first–last, period first–last; then one row per number
      expect.arrayContaining(entries.map((e) => e.number)),
    );
    const rows = text.split('\n').filter((l) => /^\s*RV\d{8}\s+2026/.test(l));
    expect(rows.map((l) => /RV\d{8}/.exec(l)![0])).toEqual(entries.map((e) => e.number));
    expect(rows[2]).toContain('Makulerat');
    expect(rows[1]).toContain('1 gång');
    expect(rows[3]).toContain('Remissetiketter');
    for (const want of ['Avstämningslista', 'Registrerat i', 'E-remiss', 'Anteckning', 'Avstämningen utförd', '2026-11-25 – 2026-11-26', '4 (3 utfärdade, 1 makulerade)', 'Laboratoriemedicin'])
      expect(text, want).toContain(want);
    expect(text.split('☐').length - 1).toBe(entries.length * 2);
    expect(scanned(file).flat()).toEqual([]);
  });

  it('avstämningslista of receipts: amount and payment columns, no e-remiss; "Omutskriven" whole', async () => {
    const t = catalog.documents.get('avstamning') as LedgerTemplate;
    const s = series('kvitto');
    const entries: LedgerEntry[] = [1, 2].map((i) => ({ seriesId: 'kvitto', seq: i, number: formatSerial(s, i), status: 'issued', documentId: 'kvitto', issuedAt: '2026-11-25T08:15:00Z', reprints: [] }));
    const ledger = { series: s, from: '2026-11-25', to: '2026-11-26', entries, kind: 'receipt' as const, documentName: () => 'Kvittoblock' };
    const text = flat(pdfText(writeTemp((await renderDocument(t, { config, printedAt, ledger })).pdf, 'avst-kv.pdf'), true));
    for (const want of ['Belopp, kr', 'Betalsätt', 'Registrerat i', 'Omutskriven']) expect(text, want).toContain(want);
    expect(text).not.toContain('E-remiss');
  });

  it('avstämningslista: an empty range says so', async () => {
    const t = catalog.documents.get('avstamning') as LedgerTemplate;
    const ledger = { series: series('kvitto'), from: '2026-01-01', to: '2026-01-31', entries: [], documentName: () => '' };
    const text = prose(writeTemp((await renderDocument(t, { config, printedAt, ledger })).pdf, 'avst0.pdf'));
    expect(text).toContain('Inga nummer utfärdades ur serien under perioden.');
  });

  it.each([...catalog.labels.values()].map((l) => [l.id, l] as const))('label layout %s renders the numbers, and its barcodes scan to them', async (_id, layout) => {
    const nums = numbers('remiss', 900500, 2);
    const { pdf } = await renderLabels({ layout, items: nums.map((number) => ({ number })), labelsPerNumber: 2, config, printedAt });
    const file = writeTemp(pdf, `${layout.id}.pdf`);
    const text = pdfText(file);
    for (const n of nums) expect(text).toContain(n);
    expect([...new Set(scanned(file).flat())].sort()).toEqual(nums); // label by label: label tests (issue 3)
  });
});

describe('the overprint template rules', () => {
  const base = {
    kind: 'overprint',
    id: 'x',
    name: 'X',
    page: { widthMm: 148, heightMm: 210 },
    texts: [
      { field: 'prescriberCode', xMm: 10, yMm: 10, widthMm: 40 },
      { field: 'workplaceCode', xMm: 10, yMm: 30, widthMm: 40 },
    ],
    barcodes: [
      { field: 'prescriberCode', xMm: 60, yMm: 10 },
      { field: 'workplaceCode', xMm: 60, yMm: 30 },
    ],
  };
  const problems = (v: unknown) => {
    const r = overprintTemplateSchema.safeParse(v);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts the minimum: both codes as digits and barcodes', () => expect(problems(base)).toEqual([]));
  it('has no way to print free text: an unknown field or key is refused', () => {
    expect(problems({ ...base, texts: [...base.texts, { field: 'drug', xMm: 1, yMm: 1, widthMm: 20 }] })[0]).toMatch(/^texts\.2\.field: Invalid option/);
    expect(problems({ ...base, texts: [...base.texts, { field: 'name', xMm: 1, yMm: 1, widthMm: 20, text: 'Alvedon 500 mg' }] })[0]).toMatch(/Unrecognized key: "text"/);
    expect(problems({ ...base, heading: 'Recept' })[0]).toMatch(/Unrecognized key: "heading"/);
  });
  it('needs both codes as barcodes and as digits', () => {
    expect(problems({ ...base, barcodes: base.barcodes.slice(0, 1) })).toEqual(['barcodes: Arbetsplatskod (workplaceCode) must also be printed as a barcode']);
    expect(problems({ ...base, texts: base.texts.slice(1) })).toEqual(['texts: Förskrivarkod (prescriberCode) must be printed as digits too']);
  });
  it('keeps every field on the sheet', () => {
    expect(problems({ ...base, texts: [{ ...base.texts[0], xMm: 120 }, base.texts[1]] })).toEqual(["texts.0.widthMm: reaches 160 mm, past the sheet's width of 148 mm"]);
  });
  it('a long name is shrunk to fit its box, never wrapped', () => {
    expect(fitFontSize('Anna', 60, 10, true)).toBe(10);
    expect(fitFontSize('Anna-Karin Exempelsson Långnamnsdotter Andersson', 60, 10, true)).toBeLessThan(10);
  });
  it('refuses to print when the unit has no arbetsplatskod, saying where to set it', async () => {
    const t = catalog.documents.get('receptoverskrift') as OverprintTemplate;
    const noCode = { ...config, unit: { ...config.unit, workplaceCode: '' } };
    await expect(renderOverprint(t, { config: noCode, printedAt, prescriber })).rejects.toThrow(/Arbetsplatskod saknas \(unit\.workplaceCode/);
  });
});

// Types the test relies on: a slips form is a form.
const _kvitto: FormTemplate | undefined = catalog.forms.get('kvitto');
void _kvitto;
