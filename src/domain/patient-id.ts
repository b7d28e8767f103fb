// Patient identities typed at the station for patient-ID labels (pure; nothing here stores, logs or
// echoes them). Personnummer and samordningsnummer: 10 digits (YYMMDD-NNNC, "+" from the year the
// person turns 100) or 12 (YYYYMMDD-NNNC), a real date of birth (a samordningsnummer's day is the
// day + 60), birth number not 000, and the Luhn check digit over YYMMDDNNN. Reservnummer: regional
// schemes with no national format, taken as free text (letters, digits, - + / . and space) up to a
// length limit. Error messages are Swedish and never repeat what was typed.

import { luhnDigit } from './serials.js';

export type PatientIdKind = 'personnummer' | 'samordningsnummer' | 'reservnummer';

export interface PatientId {
  kind: PatientIdKind;
  /** What the bars carry: 12 digits for personnummer and samordningsnummer, the reservnummer as typed. */
  barcode: string;
  /** What is printed under the bars: YYYYMMDD-NNNC, or the reservnummer. */
  display: string;
}

/** Longest reservnummer accepted (a narrow label may hold fewer: the label check says so). */
export const MAX_RESERVNUMMER = 20;
export const MAX_PATIENT_NAME = 60;

export class PatientIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatientIdError';
  }
}

const isRealDate = (y: number, m: number, d: number): boolean => {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
};

/**
 * Reads a personnummer or samordningsnummer (which one follows from the day). `today` decides the
 * century of a 10-digit number: the latest year not after today, a hundred years earlier with "+".
 */
export function parsePersonnummer(input: string, today: Date): PatientId {
  const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$/.exec(input.replace(/\s+/g, ''));
  if (!m) throw new PatientIdError('Skriv personnumret eller samordningsnumret med 10 eller 12 siffror, t.ex. ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN.');
  const [, cc, yy, mm, dd, sep, nnn, c] = m as unknown as [string, string | undefined, string, string, string, string, string, string];
  if (nnn === '000') throw new PatientIdError('Numret är inte giltigt: födelsenumret (siffrorna efter strecket) kan inte vara 000.');
  // The same Luhn as the station's serial numbers (over nine digits, weights 2, 1, 2 … either way round).
  if (luhnDigit(yy + mm + dd + nnn) !== c) throw new PatientIdError('Numret är inte giltigt: kontrollsiffran stämmer inte. Kontrollera att alla siffror är rätt.');
  const day = Number(dd);
  const coordination = day > 60;
  const birthDay = coordination ? day - 60 : day;
  const thisYear = today.getUTCFullYear();
  let year: number;
  if (cc !== undefined) year = Number(cc + yy);
  else {
    year = Math.floor(thisYear / 100) * 100 + Number(yy);
    const born = Date.UTC(year, Number(mm) - 1, birthDay);
    if (born > today.getTime()) year -= 100;
    if (sep === '+') year -= 100;
  }
  if (!isRealDate(year, Number(mm), birthDay))
    throw new PatientIdError(coordination ? 'Samordningsnumret är inte giltigt: födelsedagen (dag − 60) är inget riktigt datum.' : 'Numret är inte giltigt: födelsedatumet är inget riktigt datum.');
  if (Date.UTC(year, Number(mm) - 1, birthDay) > today.getTime()) throw new PatientIdError('Numret är inte giltigt: födelsedatumet ligger i framtiden.');
  const digits = `${year}${mm}${dd}${nnn}${c}`;
  return { kind: coordination ? 'samordningsnummer' : 'personnummer', barcode: digits, display: `${digits.slice(0, 8)}-${digits.slice(8)}` };
}

/** Reads a reservnummer: free text of letters, digits, - + / . and space, at most MAX_RESERVNUMMER characters. */
export function parseReservnummer(input: string): PatientId {
  const v = input.trim().replace(/\s+/g, ' ').toUpperCase();
  if (!v) throw new PatientIdError('Skriv reservnumret.');
  if (v.length > MAX_RESERVNUMMER) throw new PatientIdError(`Reservnumret är för långt: högst ${MAX_RESERVNUMMER} tecken.`);
  if (!/^[A-Z0-9 +\-/.]+$/.test(v)) throw new PatientIdError('Reservnumret får bara innehålla bokstäverna A–Z, siffror, mellanslag och - + / .');
  return { kind: 'reservnummer', barcode: v, display: v };
}

/** Reads an identity of the kind staff chose: "personnummer" (also samordningsnummer) or "reservnummer". */
export function parsePatientId(kind: 'personnummer' | 'reservnummer', input: string, today: Date): PatientId {
  return kind === 'reservnummer' ? parseReservnummer(input) : parsePersonnummer(input, today);
}

/** A patient's name for the label's first line: letters, spaces, - ' . , at most MAX_PATIENT_NAME characters. */
export function parsePatientName(input: string | undefined): string | undefined {
  const v = (input ?? '').trim().replace(/\s+/g, ' ');
  if (!v) return undefined;
  if (v.length > MAX_PATIENT_NAME) throw new PatientIdError(`Namnet är för långt: högst ${MAX_PATIENT_NAME} tecken.`);
  if (!/^[\p{L}][\p{L}\p{M} '.,-]*$/u.test(v)) throw new PatientIdError('Namnet får bara innehålla bokstäver, mellanslag och - \' . ,');
  return v;
}
