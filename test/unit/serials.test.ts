import { describe, it, expect } from 'vitest';
import { luhnDigit, mod11Digit, formatBlock, formatSerial, parseSerial, seriesStatus, seriesCollide } from '../../src/domain/serials.js';
import { parseConfig } from '../../src/config.js';

describe('check digits', () => {
  it.each([
    // Personnummer check digits (Luhn over YYMMDDNNN), from Skatteverket's test numbers and domain.md.
    ['811218987', '6'],
    ['701063239', '1'],
    ['7992739871', '3'],
    ['000000000', '0'],
  ])('Luhn of %s is %s', (digits, want) => expect(luhnDigit(digits)).toBe(want));

  it.each([
    ['0365327', '7'], // from the right 7·2+2·3+3·4+5·5+6·6+3·7+0·2 = 114; 114 mod 11 = 4; 11-4 = 7
    ['123456789', '2'], // 9·2+8·3+7·4+6·5+5·6+4·7+3·2+2·3+1·4 = 174; 174 mod 11 = 9; 11-9 = 2
  ])('mod 11 of %s is %s', (digits, want) => expect(mod11Digit(digits)).toBe(want));

  it('writes 10 as X and 11 as 0 in mod 11', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(mod11Digit(String(i).padStart(5, '0')));
    expect(seen.has('X')).toBe(true);
    expect(seen.has('0')).toBe(true);
  });
});

describe('serial numbers', () => {
  const s = { prefix: 'RV', padding: 7, checkDigit: 'luhn' as const };
  it('formats prefix, padding and check digit, and parses it back', () => {
    const text = formatSerial(s, 900123);
    expect(text).toMatch(/^RV0900123\d$/);
    expect(parseSerial(s, text)).toBe(900123);
  });
  it('rejects a number whose check digit is wrong', () => {
    const text = formatSerial(s, 900123);
    const bad = text.slice(0, -1) + String((Number(text.at(-1)) + 1) % 10);
    expect(parseSerial(s, bad)).toBeUndefined();
    expect(parseSerial(s, 'XX09001230')).toBeUndefined();
  });
  it('warns below the configured share and knows when the block is used up', () => {
    const cfg = parseConfig({
      unit: { name: 'U' }, routine: { version: '1', date: '2026-01-01' },
      printers: [{ id: 'p', name: 'P', uri: 'file:///tmp/x', roles: ['a4'] }],
      series: [{ id: 'r', name: 'R', first: 1, last: 100, padding: 4, warnBelowPercent: 10 }],
    }).series[0]!;
    expect(seriesStatus(cfg, 90).low).toBe(false);
    expect(seriesStatus(cfg, 92).low).toBe(true);
    expect(seriesStatus(cfg, 101)).toMatchObject({ remaining: 0, exhausted: true });
  });
});

describe('seriesCollide: two series that could print the same number', () => {
  const base = { prefix: 'RV', padding: 7, checkDigit: 'luhn' as const, first: 900000, last: 904999 };
  it.each([
    ['overlapping ranges, same prefix', { ...base, first: 904000, last: 909999 }, true],
    ['adjacent ranges, same prefix', { ...base, first: 905000, last: 909999 }, false],
    ['other prefix', { ...base, prefix: 'RX' }, false],
    ['same text split differently (RV0 + 6 digits)', { ...base, prefix: 'RV0', padding: 6, first: 904999, last: 904999 }, true],
    ['split differently, disjoint', { ...base, prefix: 'RV0', padding: 6, first: 905000, last: 905100 }, false],
    ['same printed length, other check-digit layout', { ...base, padding: 8, checkDigit: 'none' as const, first: 1, last: 2 }, true],
    ['other printed length', { ...base, padding: 8 }, false],
  ])('%s', (_name, other, expected) => {
    expect(seriesCollide(base, other)).toBe(expected);
    expect(seriesCollide(other, base)).toBe(expected);
  });
});

describe('formatBlock', () => {
  it('writes a block as labels and lists print its numbers: check digits included', () => {
    const s = { prefix: 'RV', padding: 7, checkDigit: 'luhn' as const, first: 900000, last: 904999 };
    expect(formatBlock(s)).toBe(`${formatSerial(s, 900000)} – ${formatSerial(s, 904999)}`);
    expect(formatBlock(s)).toBe('RV09000001 – RV09049990');
  });
});
