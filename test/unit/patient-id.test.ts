// Patient identities typed for patient-ID labels: Skatteverket's published test personnummer and
// samordningsnummer in every accepted form, and the Swedish refusals (which never echo the number).
import { describe, it, expect } from 'vitest';
import { parsePatientId, parsePatientName, parsePersonnummer, parseReservnummer, PatientIdError, MAX_RESERVNUMMER } from '../../src/domain/patient-id.js';

const today = new Date('2026-11-30T09:00:00Z');

describe('personnummer and samordningsnummer', () => {
  it.each([
    ['19121212-1212', '191212121212', '19121212-1212'],
    ['191212121212', '191212121212', '19121212-1212'],
    ['121212-1212', '201212121212', '20121212-1212'],
    ['121212+1212', '191212121212', '19121212-1212'],
    ['811218-9876', '198112189876', '19811218-9876'],
    ['8112189876', '198112189876', '19811218-9876'],
    [' 19811218 9876 ', '198112189876', '19811218-9876'],
  ])('%s reads as %s', (input, barcode, display) => {
    const id = parsePersonnummer(input, today);
    expect(id).toEqual({ kind: 'personnummer', barcode, display });
  });

  it('a samordningsnummer (day + 60) is recognised: 701063-2391', () => {
    expect(parsePersonnummer('701063-2391', today)).toEqual({ kind: 'samordningsnummer', barcode: '197010632391', display: '19701063-2391' });
  });

  it.each([
    ['19121212-1213', /kontrollsiffran/],
    ['121212-121', /10 eller 12 siffror/],
    ['1212121212121', /10 eller 12 siffror/],
    ['19121212/1212', /10 eller 12 siffror/],
    ['abc', /10 eller 12 siffror/],
    ['20230230-0000', /födelsenumret/],
    ['19990231-', /10 eller 12 siffror/],
  ])('%s is refused in Swedish', (input, message) => {
    expect(() => parsePersonnummer(input, today)).toThrow(message);
  });

  it('a date that does not exist is refused, for samordningsnummer too', () => {
    // 1999-02-31 with a valid check digit: the date itself is wrong.
    const body = '990231123';
    const c = (10 - [...body].reduce((s, d, i) => { const p = Number(d) * (i % 2 === 0 ? 2 : 1); return s + (p > 9 ? p - 9 : p); }, 0) % 10) % 10;
    expect(() => parsePersonnummer(`${body.slice(0, 6)}-${body.slice(6)}${c}`, today)).toThrow(/riktigt datum/);
    const sBody = '990291123';
    const sc = (10 - [...sBody].reduce((s, d, i) => { const p = Number(d) * (i % 2 === 0 ? 2 : 1); return s + (p > 9 ? p - 9 : p); }, 0) % 10) % 10;
    expect(() => parsePersonnummer(`${sBody.slice(0, 6)}-${sBody.slice(6)}${sc}`, today)).toThrow(/Samordningsnumret/);
  });

  it('a birth date in the future is refused (12 digits)', () => {
    expect(() => parsePersonnummer('20271212-1212', today)).toThrow(/framtiden|kontrollsiffran/);
  });

  it('messages never repeat what was typed', () => {
    for (const input of ['19121212-1213', '121212-121', '20230230-0000']) {
      try {
        parsePersonnummer(input, today);
      } catch (e) {
        expect(e).toBeInstanceOf(PatientIdError);
        for (const form of [input, input.replace(/\D/g, ''), input.replace(/\D/g, '').slice(-10)]) expect((e as Error).message).not.toContain(form);
      }
    }
  });
});

describe('reservnummer and name', () => {
  it('free text, upper-cased, with a length limit', () => {
    expect(parseReservnummer(' res-2026 0042 ')).toEqual({ kind: 'reservnummer', barcode: 'RES-2026 0042', display: 'RES-2026 0042' });
    expect(() => parseReservnummer('')).toThrow(/Skriv reservnumret/);
    expect(() => parseReservnummer('X'.repeat(MAX_RESERVNUMMER + 1))).toThrow(/för långt/);
    expect(() => parseReservnummer('RES_1^')).toThrow(/bara innehålla/);
    expect(parsePatientId('reservnummer', '12345', today).kind).toBe('reservnummer');
  });

  it('a name is optional, letters only', () => {
    expect(parsePatientName('  Tolvan   Tolvansson ')).toBe('Tolvan Tolvansson');
    expect(parsePatientName('')).toBeUndefined();
    expect(parsePatientName('Åsa Öberg-Ängel')).toBe('Åsa Öberg-Ängel');
    expect(() => parsePatientName('^XZ')).toThrow(/bokstäver/);
  });
});
