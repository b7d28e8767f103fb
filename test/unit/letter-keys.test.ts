// The letter keypad's variants (parts.tsx letterKeys, LetterField): which keys each kind of field
// gets, and that the pages wire their free-text fields to the right variant (app.request against
// an in-process station with a fake printer). Typing and layout are checked in Chromium
// (test/browser/keyboardless-ui.test.ts).
import { describe, it, expect, afterEach } from 'vitest';
import { letterKeys, KEYPAD_LETTERS } from '../../src/ui/pages/parts.js';
import { createStation, type Station } from '../../src/station.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { testConfig } from '../helpers/config.js';

const typed = (kind: Parameters<typeof letterKeys>[0]) =>
  letterKeys(kind)
    .map((k) => k.key)
    .filter((k) => k !== 'back')
    .sort()
    .join('');
const sorted = (s: string) => [...s].sort().join('');

describe('letterKeys', () => {
  it('initials are A–Ö; text adds space and hyphen; text-digits adds 0–9 and . , : (a note: "kl. 14:00"); digits are 0–9 only; each ends with ⌫, no key twice', () => {
    const letters = KEYPAD_LETTERS.join('');
    expect(typed('initials')).toBe(sorted(letters));
    expect(typed('text')).toBe(sorted(`${letters} -`));
    expect(typed('text-digits')).toBe(sorted(`${letters} -0123456789.,:`));
    expect(typed('digits')).toBe('0123456789');
    for (const kind of ['initials', 'text', 'text-digits', 'digits'] as const) {
      const keys = letterKeys(kind).map((k) => k.key);
      expect(keys.at(-1), kind).toBe('back');
      expect(new Set(keys).size, kind).toBe(keys.length);
    }
  });
});

describe('free-text fields on the letter keypad', () => {
  let station: Station | undefined;
  afterEach(async () => {
    await station?.stop();
    station = undefined;
  });

  /** The data-letter-field value of the box that holds the input named `name` ('' when none). */
  const variantOf = (html: string, name: string): string => {
    const m = new RegExp(`data-letter-field="([^"]*)"><label[^>]*><span>[^<]*</span><input[^>]*name="${name}"`).exec(html);
    return m ? m[1]! : '';
  };

  it('the ledger search, the patient name and Annan förskrivare each get their variant (the upgrade note, behind the PIN, is checked in Chromium)', async () => {
    const config = testConfig({ unit: { name: 'Vårdcentral Testå', workplaceCode: '1234567890' } });
    station = await createStation(config, { log: () => {}, backends: new Map([['a4', new FakeBackend()]]) });
    const page = async (p: string) => (await station!.app.request(`http://127.0.0.1${p}`)).text();
    expect(variantOf(await page('/etiketter/nummer'), 'q')).toBe('text-digits');
    const pid = await page('/etiketter/patient');
    expect(variantOf(pid, 'name')).toBe('text');
    expect(variantOf(pid, 'actor')).toBe('initials');
    const rx = await page('/dokument/receptoverskrift');
    expect([variantOf(rx, 'name'), variantOf(rx, 'profession'), variantOf(rx, 'prescriberCode')]).toEqual(['text', 'text', 'digits']);
    expect(rx).toMatch(/name="prescriberCode"[^>]*pattern="\[0-9\]\{7\}"/);
  });
});
