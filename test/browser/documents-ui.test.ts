// The documents pages in Chromium on a small touchscreen: the copies stepper and keypad work under
// the strict CSP (no inline script), the day shortcut fills in tomorrow, one tap prints and lands on
// the batch page, and nothing on the way logs an error.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { noChromium, openStationBrowser, settled, SMALL, type BrowserStation } from '../helpers/chromium.js';
import { parseConfig } from '../../src/config.js';
import type { Station } from '../../src/station.js';
import { addDays, formatStationDate } from '../../src/domain/time.js';

describe.skipIf(noChromium)('documents pages in Chromium', () => {
  let b: BrowserStation;
  let station: Station;
  let page: Page;
  let base: string;
  let problems: string[];

  beforeAll(async () => {
    b = await openStationBrowser({
      prefix: 'reservkit-docs-ui-',
      viewport: SMALL,
      makeConfig: (tmp) =>
        parseConfig({
          unit: { name: 'Vårdcentral Exempel', address: 'Exempelgatan 1, 211 00 Malmö', phone: '040-123 45 00', workplaceCode: '1234567890' },
          routine: { name: 'Regionövergripande reservrutin PMO', version: '1.0', date: '2026-01-15' },
          server: { host: '127.0.0.1', port: 0 },
          dataDir: path.join(tmp, 'data'),
          printers: [{ id: 'a4', name: 'Expeditionens skrivare', uri: `file://${path.join(tmp, 'ut')}`, roles: ['a4', 'labels-sheet'] }],
          series: [
            { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 904999, padding: 7, checkDigit: 'luhn' },
            { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 9999, padding: 5, checkDigit: 'none' },
          ],
          prescribers: [{ name: 'Anna Exempelsson', profession: 'Läkare', prescriberCode: '1234567' }],
          monitor: { intervalSeconds: 0.5 },
        }),
    });
    ({ station, page, base, problems } = b);
  }, 60_000);

  afterAll(async () => {
    await b?.close();
  });

  it('prints three Mottagningslistor for tomorrow with the stepper and the keypad, in taps', async () => {
    await page.goto(`${base}/dokument`);
    await settled(page);
    await page.getByRole('link', { name: /Mottagningslista/ }).tap();
    await page.waitForURL(/\/dokument\/mottagningslista$/);
    const tomorrow = addDays(formatStationDate(new Date(), station.config.timezone), 1);
    await settled(page);
    await page.getByRole('link', { name: 'I morgon' }).tap();
    await expect.poll(() => page.locator('input[name="validFor"]').inputValue()).toBe(tomorrow);

    const copies = page.locator('input[name="copies"]');
    await settled(page);
    await page.getByRole('button', { name: 'Öka antal exemplar' }).tap();
    await page.getByRole('button', { name: 'Öka antal exemplar' }).tap();
    expect(await copies.inputValue()).toBe('3');
    await page.getByRole('button', { name: 'Minska antal exemplar' }).tap();
    await page.getByRole('button', { name: 'Minska antal exemplar' }).tap();
    await page.getByRole('button', { name: 'Minska antal exemplar' }).tap(); // not below 1
    expect(await copies.inputValue()).toBe('1');
    await page.getByRole('button', { name: 'Töm fältet' }).tap();
    await page.locator('[data-keypad] [data-key="3"]').tap();
    expect(await copies.inputValue()).toBe('3');

    await page.getByRole('button', { name: 'Skriv ut', exact: true }).tap();
    await page.waitForURL(/\/batches\/[^/]+$/);
    const batch = station.store.recentBatches(1)[0]!;
    expect(station.store.jobsOf(batch).map((j) => [j.documentId, j.copies])).toEqual([['mottagningslista', 3]]);
    expect(problems).toEqual([]);
  });

  it('the receptöverskrift page fits the small screen and prints for the chosen prescriber', async () => {
    await page.goto(`${base}/dokument/receptoverskrift`);
    expect(await page.locator('.doc-why').textContent()).toMatch(/^Stationen skriver aldrig ut egna receptblanketter/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(800); // nothing sideways off the screen
    await settled(page);
    await page.getByRole('button', { name: 'Skriv ut', exact: true }).tap();
    await page.waitForURL(/\/batches\/[^/]+$/);
    expect(station.store.recentBatches(1)[0]!.title).toBe('Receptblankett – förtryck av förskrivaruppgifter');
    expect(problems).toEqual([]);
  });
});
