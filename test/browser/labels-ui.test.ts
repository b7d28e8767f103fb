// The label page in a real browser (Chromium via playwright-core) against an in-process station
// with a folder printer: type N and K on the on-screen keypad, tap a sheet position to start
// there, watch the preview follow, print with one tap (a double tap prints once), then reprint a
// number from the ledger. No console error or CSP violation. Screenshots at 800×480 and 1280×800
// go to RESERVKIT_SCREENSHOT_DIR (or a temp dir).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { LARGE, noChromium, openStationBrowser, settled, SMALL, type BrowserStation } from '../helpers/chromium.js';
import { parseConfig } from '../../src/config.js';
import type { Station } from '../../src/station.js';

describe.skipIf(noChromium)('label page in Chromium', () => {
  let b: BrowserStation;
  let station: Station;
  let page: Page;
  let base: string;
  let problems: string[];
  let shots: string;

  beforeAll(async () => {
    b = await openStationBrowser({
      prefix: 'reservkit-labels-ui-',
      viewport: LARGE,
      makeConfig: (tmp) =>
        parseConfig({
          unit: { name: 'Vårdcentral Exempel' },
          routine: { version: '1.0', date: '2026-01-15' },
          server: { host: '127.0.0.1', port: 0 },
          dataDir: path.join(tmp, 'data'),
          printers: [
            { id: 'a4', name: 'Expeditionens skrivare', uri: `file://${path.join(tmp, 'a4')}`, roles: ['a4', 'labels-sheet'] },
            { id: 'etikett', name: 'Etikettskrivaren', uri: `file://${path.join(tmp, 'etikett')}`, roles: ['labels-roll'], media: 'om_50x25mm_50x25mm' },
          ],
          series: [
            { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 904999, padding: 7, checkDigit: 'luhn' },
            { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 9999, padding: 5, checkDigit: 'none' },
          ],
          retry: { intervalSeconds: 0.1, maxIntervalSeconds: 1, limit: 100, pollSeconds: 0.05 },
          monitor: { intervalSeconds: 0.5 },
        }),
    });
    ({ station, page, base, problems, shots } = b);
  }, 60_000);

  afterAll(async () => {
    await b?.close();
  });

  it('N and K from the keypad, a tapped start position, the preview following, one print for a double tap', async () => {
    await page.goto(`${base}/`);
    await settled(page);
    await page.getByRole('link', { name: 'Remissetiketter med streckkod' }).tap();
    await page.waitForURL(/\/etiketter$/);
    expect(await page.locator('[data-keypad]').isVisible()).toBe(true);

    // N = 4: the N field is the keypad's target from the start
    await settled(page);
    await page.locator('[data-keypad] [data-key="clear"]').tap();
    await page.locator('[data-keypad] [data-key="4"]').tap();
    // K = 2
    await page.locator('input[name="labelsPerReferral"]').tap();
    await page.locator('[data-keypad] [data-key="back"]').tap();
    await page.locator('[data-keypad] [data-key="2"]').tap();
    await expect.poll(() => page.locator('.js-print').textContent()).toBe('Skriv ut 4 × 2 etiketter');
    // a partly used sheet: start at position 7
    await page.locator('.sheet .cell[data-pos="7"]').tap();
    await expect.poll(() => page.locator('.sheet .cell.used').count()).toBe(6);
    expect(await page.locator('input[name="startPosition"]').inputValue()).toBe('7');
    expect(await page.locator('.sheet .cell.label').count()).toBe(8);
    expect(await page.locator('.sheet .cell.label.first .cell-number').allTextContents()).toEqual(['RV09000001', 'RV09000019', 'RV09000027', 'RV09000035']);
    await page.screenshot({ path: path.join(shots, 'labels-1280x800.png'), fullPage: true });
    await page.setViewportSize(SMALL);
    // the print button stays in sight on the small kiosk screen
    const button = await page.locator('.js-print').boundingBox();
    expect(button!.y + button!.height).toBeLessThanOrEqual(SMALL.height);
    await page.screenshot({ path: path.join(shots, 'labels-800x480.png') });
    await page.setViewportSize(LARGE);

    await page.locator('.js-print').dblclick();
    await page.waitForURL(/\/batches\/[^/]+$/);
    expect(station.store.jobs.batches().filter((b) => b.kind === 'labels')).toHaveLength(1);
    const batch = station.store.jobs.batches().find((b) => b.kind === 'labels')!;
    expect(batch.serials.remiss).toEqual(['RV09000001', 'RV09000019', 'RV09000027', 'RV09000035']);
  });

  it('a roll layout switches the printer to the label printer and hides the start position', async () => {
    await page.goto(`${base}/etiketter`);
    await settled(page);
    await page.getByText('Etikettrulle 50 × 25 mm').tap();
    await expect.poll(() => page.locator('input[name="printer"]:checked').getAttribute('value')).toBe('etikett');
    expect(await page.locator('input[name="startPosition"]').count()).toBe(0);
  });

  it('reprints a number from the ledger as KOPIA', async () => {
    await page.goto(`${base}/etiketter/nummer`);
    expect(await page.locator('table.ledger tbody tr').count()).toBe(4);
    await page.screenshot({ path: path.join(shots, 'ledger-1280x800.png'), fullPage: true });
    await settled(page);
    await page.locator('table.ledger tbody tr').last().getByRole('link', { name: 'Kopia' }).tap();
    await page.waitForURL(/\/etiketter\/kopia\?number=RV09000001$/);
    await settled(page);
    await page.getByText('Etikettskrivaren').tap();
    await page.getByRole('button', { name: 'Skriv ut kopia' }).tap();
    await page.waitForURL(/\/batches\/[^/]+$/);
    expect(station.store.ledgerOf('remiss').find((e) => e.number === 'RV09000001')!.reprints).toHaveLength(1);
    expect(station.store.ledgerOf('remiss')).toHaveLength(4);
  });

  it('had no console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
