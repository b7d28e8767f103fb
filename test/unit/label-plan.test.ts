// Label placement and printer fit (pure): a referral's labels sit together in order, a partly used
// sheet starts where asked, and a layout only goes to a printer whose role and media fit it.
import { describe, it, expect } from 'vitest';
import { layoutPrinterMismatch, matchingMedia, mediaSizeMm, placeLabels, previewFirstPage, labelSeriesOf, LabelPlanError } from '../../src/domain/label-plan.js';

const where = (plan: ReturnType<typeof placeLabels>) => plan.slots.map((s) => `${s.page}:${s.position}=${s.item}.${s.copy}`);

describe('placing labels', () => {
  it('fills the sheet row by row, each number K times side by side, from the start position', () => {
    const plan = placeLabels({ perPage: 24, items: 2, labelsPerItem: 3, startPosition: 5 });
    expect(where(plan)).toEqual(['0:4=0.0', '0:5=0.1', '0:6=0.2', '0:7=1.0', '0:8=1.1', '0:9=1.2']);
    expect(plan.pages).toBe(1);
  });

  it("never splits a referral's labels across two sheets when they fit on one", () => {
    // 24 per sheet, 5 per referral: four referrals fill 20 positions, the fifth starts the next sheet.
    const plan = placeLabels({ perPage: 24, items: 6, labelsPerItem: 5 });
    const byItem = new Map<number, Set<number>>();
    for (const s of plan.slots) byItem.set(s.item, (byItem.get(s.item) ?? new Set()).add(s.page));
    expect([...byItem.values()].every((pages) => pages.size === 1)).toBe(true);
    expect(plan.slots.filter((s) => s.item === 4).map((s) => `${s.page}:${s.position}`)).toEqual(['1:0', '1:1', '1:2', '1:3', '1:4']);
    expect(plan.pages).toBe(2);
  });

  it('lets a referral with more labels than a sheet holds flow over, starting on a fresh sheet', () => {
    const plan = placeLabels({ perPage: 4, items: 2, labelsPerItem: 6 });
    expect(where(plan)).toEqual(['0:0=0.0', '0:1=0.1', '0:2=0.2', '0:3=0.3', '1:0=0.4', '1:1=0.5', '2:0=1.0', '2:1=1.1', '2:2=1.2', '2:3=1.3', '3:0=1.4', '3:1=1.5']);
  });

  it('puts one label per page on a roll', () => {
    const plan = placeLabels({ perPage: 1, items: 2, labelsPerItem: 2 });
    expect(where(plan)).toEqual(['0:0=0.0', '1:0=0.1', '2:0=1.0', '3:0=1.1']);
  });

  it('refuses a start position outside the sheet, one a roll does not have, or one where the first referral cannot fit', () => {
    expect(() => placeLabels({ perPage: 24, items: 1, labelsPerItem: 1, startPosition: 25 })).toThrow(/mellan 1 och 24/);
    expect(() => placeLabels({ perPage: 24, items: 1, labelsPerItem: 1, startPosition: 0 })).toThrow(LabelPlanError);
    expect(() => placeLabels({ perPage: 1, items: 1, labelsPerItem: 1, startPosition: 2 })).toThrow(/rulle/);
    expect(() => placeLabels({ perPage: 24, items: 1, labelsPerItem: 3, startPosition: 23 })).toThrow(/får inte plats från position 23/);
    expect(placeLabels({ perPage: 24, items: 1, labelsPerItem: 2, startPosition: 23 }).pages).toBe(1);
  });

  it('previews the first page: used before the start, the labels, empty after', () => {
    const plan = placeLabels({ perPage: 6, items: 1, labelsPerItem: 2, startPosition: 3 });
    expect(previewFirstPage(plan, 3).map((c) => (c.kind === 'label' ? `${c.item}.${c.copy}` : c.kind))).toEqual(['used', 'used', '0.0', '0.1', 'empty', 'empty']);
  });
});

describe('layout and printer', () => {
  const sheet = { kind: 'sheet' as const, name: 'A4-ark 3 × 8', media: 'iso_a4_210x297mm' };
  const roll = { kind: 'roll' as const, name: 'Etikettrulle 50 × 25 mm', media: 'om_50x25mm_50x25mm' };
  const a4 = { name: 'Skrivare A4', roles: ['a4', 'labels-sheet'] };
  const labeler = { name: 'Etikettskrivaren', roles: ['labels-roll'] };

  it.each([
    ['a sheet on a labels-sheet printer', sheet, a4, [], undefined],
    ['a roll on a labels-roll printer that reported no media', roll, labeler, [], undefined],
    ['a roll whose media the printer lists', roll, labeler, ['om_50x25mm_50x25mm'], undefined],
    ['a roll the printer names custom_…', roll, labeler, ['custom_50x25mm_50x25mm'], undefined],
    ['a roll the printer lists in inches', roll, labeler, ['oe_1.97x0.98in_1.97x0.98in'], undefined],
    ['a roll of another size', roll, labeler, ['om_62x29mm_62x29mm'], /har inte materialet om_50x25mm_50x25mm/],
    ['a roll on an A4 printer', roll, a4, [], /inte inställd för etikettrulle \(rollen "labels-roll" saknas\)/],
    ['a sheet on a roll printer', sheet, labeler, [], /inte inställd för etikettark/],
    ['an A4 sheet on a Letter-only printer', sheet, a4, ['na_letter_8.5x11in'], /har inte materialet iso_a4_210x297mm/],
  ] as const)('%s', (_name, layout, printer, media, expected) => {
    const r = layoutPrinterMismatch(layout, printer, media);
    if (expected === undefined) expect(r).toBeUndefined();
    else expect(r).toMatch(expected);
  });

  it('reads sizes from PWG media names and picks the printer’s own name for the same size', () => {
    expect(mediaSizeMm('iso_a4_210x297mm')).toEqual([210, 297]);
    expect(mediaSizeMm('om_50x25mm_50x25mm')).toEqual([25, 50]);
    const letter = mediaSizeMm('na_letter_8.5x11in')!;
    expect(letter[0]).toBeCloseTo(215.9);
    expect(letter[1]).toBeCloseTo(279.4);
    expect(mediaSizeMm('stationery')).toBeUndefined();
    expect(matchingMedia('om_50x25mm_50x25mm', ['custom_62x29mm_62x29mm', 'custom_50x25mm_50x25mm'])).toBe('custom_50x25mm_50x25mm');
    expect(matchingMedia('om_50x25mm_50x25mm', ['om_50x25mm_50x25mm', 'custom_50x25mm_50x25mm'])).toBe('om_50x25mm_50x25mm');
    expect(matchingMedia('om_50x25mm_50x25mm', ['om_54x25mm_54x25mm'])).toBeUndefined();
  });

  it('takes labels from labels.series, else "remiss", else the first series', () => {
    const series = [{ id: 'kvitto' }, { id: 'remiss' }, { id: 'lab' }];
    expect(labelSeriesOf({ series, labels: { series: 'lab' } })?.id).toBe('lab');
    expect(labelSeriesOf({ series, labels: {} })?.id).toBe('remiss');
    expect(labelSeriesOf({ series: [{ id: 'kvitto' }], labels: {} })?.id).toBe('kvitto');
    expect(labelSeriesOf({ series: [], labels: {} })).toBeUndefined();
  });
});
