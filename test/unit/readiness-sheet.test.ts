// The readiness sheet fits one A4 page and says what a drill must check; the test page is sized
// for each printer's paper.
import { describe, it, expect } from 'vitest';
import { renderReadinessSheet, type ReadinessData } from '../../src/render/readiness-sheet.js';
import { mediaSizeMm, renderTestPage, TEST_PAGE_BARCODE } from '../../src/render/test-page.js';
import { ROUTINE_STOCK, stockChecklist } from '../../src/services/station-prints.js';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeBarcodes, pdfPages, pdfText, writeTemp } from '../helpers/pdf-tools.js';
import { tempDir } from '../helpers/config.js';

const data = (over: Partial<ReadinessData> = {}): ReadinessData => ({
  unitName: 'Vårdcentral Testå',
  routineLine: 'Regionövergripande reservrutin PMO · version 1.0 · 2026-01-15',
  printedAt: '2026-05-04 09:00',
  occasion: 'Schemalagd beredskapskontroll (0 9 * * 1#1)',
  printers: [
    { name: 'Expeditionen A4', stateText: 'Redo', ready: true, checkedAt: null },
    { name: 'Provtagningen A4', stateText: 'Stoppad – Papper slut', ready: false, checkedAt: null },
    { name: 'Etikettskrivare', stateText: 'Skrivaren svarar inte', ready: false, checkedAt: null },
  ],
  series: [
    { name: 'Remissnummer (reservblock)', range: 'RV0900000–RV0904999', next: 'RV0904800', remaining: 200, total: 5000, low: true, exhausted: false, contact: 'Labmedicin 040-123 45 99' },
    { name: 'Kvittonummer', range: 'KV00001–KV09999', next: 'KV00120', remaining: 9880, total: 9999, low: false, exhausted: false, contact: 'Ekonomi' },
    { name: 'Gammalt block', range: 'X1–X9', next: '–', remaining: 0, total: 9, low: true, exhausted: true, contact: 'IT' },
  ],
  lastKit: 'Systemuppgradering, 2026-03-27 14:02',
  nextRun: 'Systemuppgradering 2026-06-01: utskrift 2026-05-29 14:00',
  stock: [...ROUTINE_STOCK],
  remarks: ['Kontrollen gjordes sent: stationen var avstängd vid den planerade tiden.'],
  ...over,
});

describe('the readiness sheet', () => {
  it('is one page with printers, number blocks, the last kit and the routine’s stock list', async () => {
    const { pdf, pages } = await renderReadinessSheet(data());
    const file = writeTemp(pdf, 'beredskap.pdf');
    expect(pages).toBe(1);
    expect(pdfPages(file)).toBe(1);
    const text = pdfText(file).replace(/\s+/g, ' ');
    for (const s of [
      'Beredskapskontroll – reservrutin',
      'Vårdcentral Testå',
      'Provtagningen A4',
      'Stoppad – Papper slut',
      'NEJ – åtgärda',
      '200 av 5000',
      'Snart slut – beställ nytt block: Labmedicin 040-123 45 99',
      'SLUT – beställ nytt block',
      'Systemuppgradering, 2026-03-27 14:02',
      'utskrift 2026-05-29 14:00',
      'Batteridrivna diktafoner',
      'Underlag för ordinationer',
      'Säker e-post i Outlook',
      'Kontrollerad av',
      'stationen var avstängd',
      'version 1.0',
      'Utskriven 2026-05-04 09:00',
    ])
      expect(text).toContain(s);
  });

  it('still fits one page with eight printers and six blocks, and says so when nothing printed yet', async () => {
    const d = data({
      printers: Array.from({ length: 8 }, (_, i) => ({ name: `Skrivare ${i + 1}`, stateText: 'Redo', ready: true, checkedAt: null })),
      series: Array.from({ length: 6 }, (_, i) => ({ ...data().series[1]!, name: `Serie ${i + 1}` })),
      lastKit: null,
      nextRun: null,
    });
    const { pdf, pages } = await renderReadinessSheet(d);
    expect(pages).toBe(1);
    const text = pdfText(writeTemp(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Inget reservkit har skrivits ut från stationen än.');
    expect(text).toContain('Ingen inplanerad.');
  });

  it('takes its stock list from the routine checklist template, else the routine', () => {
    const forms = new Map([['checklista-reservrutin', { pages: [{ blocks: [{ type: 'heading' }, { type: 'checklist', items: ['Papper', { text: 'Pennor', lines: 0 }] }] }] }]]);
    expect(stockChecklist({ forms } as never, 'checklista-reservrutin')).toEqual(['Papper', 'Pennor']);
    expect(stockChecklist({ forms: new Map() }, 'checklista-reservrutin')).toHaveLength(17);
  });
});

describe('the printer test page', () => {
  it.each([
    ['iso_a4_210x297mm', 210, 297],
    ['om_50x25mm_50x25mm', 50, 25],
    ['na_letter_8.5x11in', 215.9, 279.4],
    ['something-odd', 210, 297],
  ])('%s is %d × %d mm', (media, w, h) => {
    const size = mediaSizeMm(media);
    expect(size.width).toBeCloseTo(w, 6);
    expect(size.height).toBeCloseTo(h, 6);
  });

  it('comes out in the printer’s paper size with its name and Swedish letters', async () => {
    for (const [media, size] of [
      ['iso_a4_210x297mm', '595.27\\d* x 841.8\\d*'],
      ['om_50x25mm_50x25mm', '141.73\\d* x 70.86\\d*'],
    ] as const) {
      const { pdf, pages } = await renderTestPage({ unitName: 'Vårdcentral Testå', printerName: 'Etikettskrivare', media, printedAt: '2026-05-04 09:00', actor: 'admin' });
      const file = writeTemp(pdf);
      expect(pages).toBe(1);
      expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(new RegExp(`Page size:\\s+${size} pts`));
      const text = pdfText(file);
      expect(text).toContain('Testsida');
      expect(text).toContain('Etikettskrivare');
      expect(text).toContain('ÅÄÖ åäö');
    }
  });

  it('carries a Code 128 barcode that scans at 203 and 300 dpi, a 100 mm ruler and 10 mm black and grey patches', async () => {
    const { pdf } = await renderTestPage({ unitName: 'Vårdcentral Testå', printerName: 'Skrivare A4', media: 'iso_a4_210x297mm', printedAt: '2026-05-04 09:00', actor: 'admin' });
    const file = writeTemp(pdf);
    for (const dpi of [203, 300]) expect(decodeBarcodes(file, dpi)).toEqual([[TEST_PAGE_BARCODE]]);
    // The ruler's "0" and "100" labels sit 100 mm apart (each label is set a little left of its tick).
    const words = [...execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' }).matchAll(/xMin="([\d.]+)"[^>]*>(\d+)</g)].map((m) => ({ x: Number(m[1]), w: m[2]! }));
    const zero = words.find((w) => w.w === '0')!;
    const hundred = words.find((w) => w.w === '100')!;
    expect((hundred.x + 4 - (zero.x + 1.2)) / (72 / 25.4)).toBeCloseTo(100, 0);
    expect(pdfText(file)).toMatch(/Svart och grå ruta, 10 × 10 mm/);
    // The patches: at 72 dpi a 10 mm square is 28 px; some row holds 26+ px of black and of mid-grey.
    const out = path.join(tempDir('reservkit-patch-'), 'p');
    execFileSync('pdftoppm', ['-r', '72', '-gray', '-singlefile', file, out]);
    const pgm = readFileSync(`${out}.pgm`);
    const head = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'))!;
    const [w, h] = [Number(head[1]), Number(head[2])];
    const px = pgm.subarray(head[0].length);
    const longestRun = (test: (v: number) => boolean) => {
      let best = 0;
      for (let y = 0; y < h; y++) {
        let run = 0;
        for (let x = 0; x < w; x++) {
          run = test(px[y * w + x]!) ? run + 1 : 0;
          best = Math.max(best, run);
        }
      }
      return best;
    };
    expect(longestRun((v) => v < 30)).toBeGreaterThanOrEqual(26);
    expect(longestRun((v) => v > 100 && v < 160)).toBeGreaterThanOrEqual(26);
    const label = await renderTestPage({ unitName: 'Vårdcentral Testå', printerName: 'Etikett', media: 'om_50x25mm_50x25mm', printedAt: '2026-05-04 09:00', actor: 'admin' });
    const labelFile = writeTemp(label.pdf);
    for (const dpi of [203, 300]) expect(decodeBarcodes(labelFile, dpi)).toEqual([[TEST_PAGE_BARCODE]]);
  });
});
