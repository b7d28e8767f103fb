// Strict config: every object of station.json refuses keys it does not know (naming the path and
// the key probably meant), dates are real calendar dates, every problem is named in one go, and a
// UTF-8 byte order mark at the start of the file is accepted. The example config and the tests'
// own configs still load.
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../../src/config.js';
import { closestKey } from '../../src/strict-object.js';
import { projectRoot } from '../../src/station.js';
import { tempDir, testConfig } from '../helpers/config.js';

/** A small valid config as a plain object, to spoil one part at a time. */
function base(): Record<string, any> {
  return {
    unit: { name: 'Vårdcentral Testå' },
    routine: { version: '1.0', date: '2026-01-15' },
    printers: [{ id: 'a4', name: 'Skrivare A4', uri: 'file:///tmp/ut', roles: ['a4'] }],
    series: [{ id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 900099 }],
  };
}

function problems(raw: unknown): string {
  try {
    parseConfig(raw, 'station.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('strict config', () => {
  it('loads config/station.example.json and the tests’ own config', () => {
    const dir = tempDir();
    const { config } = loadConfig({ RESERVKIT_CONFIG: 'config/station.example.json', RESERVKIT_DATA_DIR: dir }, projectRoot);
    expect(config.unit.name).toBeTruthy();
    expect(testConfig().series.length).toBeGreaterThan(0);
  });

  it('refuses a misspelt admin.pinhash and names the key meant (it used to leave the station without a PIN)', () => {
    const msg = problems({ ...base(), admin: { pinhash: 'scrypt$00$00' } });
    expect(msg).toContain('admin: unknown key "pinhash" – did you mean "pinHash"?');
  });

  it.each([
    ['an unknown top-level key', { colour: 'blå' }, '(root): unknown key "colour" (known keys: '],
    ['a near-miss top-level key', { phonelist: [] }, '(root): unknown key "phonelist" – did you mean "phoneList"?'],
    ['a printer key', { printers: [{ id: 'a4', name: 'A4', uri: 'file:///tmp/ut', roles: ['a4'], duplexx: true }] }, 'printers.0: unknown key "duplexx" – did you mean "duplex"?'],
    ['a series key', { series: [{ id: 'remiss', name: 'R', first: 1, last: 9, chekDigit: 'luhn' }] }, 'series.0: unknown key "chekDigit" – did you mean "checkDigit"?'],
    ['a server key', { server: { allowedOrigin: ['http://station-12:8080'] } }, 'server: unknown key "allowedOrigin" – did you mean "allowedOrigins"?'],
    ['a schedule key', { schedule: { leadTime: { At: '14:00' } } }, 'schedule.leadTime: unknown key "At" – did you mean "at"?'],
    ['a schedule drill key', { schedule: { drill: { corn: '' } } }, 'schedule.drill: unknown key "corn" – did you mean "cron"?'],
    ['a unit key', { unit: { name: 'X', adress: 'Y' } }, 'unit: unknown key "adress" – did you mean "address"?'],
    ['a phone list entry key', { phoneList: [{ name: 'IT', number: '1', notes: '' }] }, 'phoneList.0: unknown key "notes" – did you mean "note"?'],
  ])('refuses %s', (_name, over, expected) => {
    expect(problems({ ...base(), ...over })).toContain(expected);
  });

  it.each(['2026-13-45', '2026-02-30', '2026-1-5', '15/01/2026'])('refuses routine.date "%s": it is not a real calendar date', (date) => {
    expect(problems({ ...base(), routine: { version: '1.0', date } })).toMatch(/routine\.date: YYYY-MM-DD \(a real date\)/);
  });

  it('refuses an allowed origin that is not an origin as a browser sends it', () => {
    expect(problems({ ...base(), server: { allowedOrigins: ['http://station-12:8080/'] } })).toContain('server.allowedOrigins.0: an origin');
    expect(problems({ ...base(), server: { allowedOrigins: ['station-12'] } })).toContain('server.allowedOrigins.0: an origin');
  });

  it('names every problem at once, not the first one only', () => {
    const msg = problems({ ...base(), colour: 1, routine: { version: '1.0', date: '2026-13-45' }, admin: { pinhash: 'x' }, schedule: { drill: { corn: '' } } });
    const lines = msg.split('\n').slice(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining('(root): unknown key "colour"'),
        expect.stringContaining('routine.date:'),
        expect.stringContaining('admin: unknown key "pinhash"'),
        expect.stringContaining('schedule.drill: unknown key "corn"'),
      ]),
    );
  });

  it('accepts a UTF-8 byte order mark at the start of station.json (Notepad writes one)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'station.json');
    writeFileSync(file, '\uFEFF' + JSON.stringify(base()), 'utf8');
    const { config } = loadConfig({ RESERVKIT_CONFIG: file, RESERVKIT_DATA_DIR: dir }, dir);
    expect(config.unit.name).toBe('Vårdcentral Testå');
    // Only at the start: a BOM anywhere else is still not JSON.
    writeFileSync(file, JSON.stringify(base()) + '\uFEFF', 'utf8');
    expect(() => loadConfig({ RESERVKIT_CONFIG: file, RESERVKIT_DATA_DIR: dir }, dir)).toThrow(/is not valid JSON/);
  });

  it('suggests a key only when one is close', () => {
    expect(closestKey('pinhash', ['pinHash', 'maxAttempts'])).toBe('pinHash');
    expect(closestKey('maxAttemps', ['pinHash', 'maxAttempts'])).toBe('maxAttempts');
    expect(closestKey('colour', ['unit', 'routine', 'server'])).toBeUndefined();
    expect(closestKey('to', ['id'])).toBeUndefined();
  });
});
