// The touchscreen without a keyboard, in Chromium (touch) at 800×480 and 1280×800, against a station
// in-process printing to a folder printer:
// - a day is chosen by taps on the documents pages (Gäller för, Utfärdade från/till) and in the
//   ledger's filter, shown the Swedish way whatever the browser's locale; the filter can be empty
//   (no limit) and cleared again with "Rensa";
// - initials typed on the on-screen letter keypad (and still with a real keyboard);
// - a referral set (Provtagningsremiss) starts its labels at a chosen position of the sheet;
// - the label page's "Skriv ut" overlaps nothing (box measurement);
// - axe-core (0 critical/serious) and ≥ 44 px targets on every page changed, a PNG of each.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { axeSerious, boxOf, LARGE, noChromium, openStationBrowser, overlaps, settled, SMALL, smallTargets, tapInitials, visit, type BrowserStation } from '../helpers/chromium.js';
import { testConfig } from '../helpers/config.js';
import { addDays, formatStationDate, formatStepperDate } from '../../src/domain/time.js';

describe.skipIf(noChromium)('the touchscreen without a keyboard (Chromium, touch)', () => {
  let b: BrowserStation;
  let page: Page;
  let today: string;

  beforeAll(async () => {
    b = await openStationBrowser({
      prefix: 'reservkit-keyboardless-',
      makeConfig: (tmp) =>
        testConfig({
          dataDir: path.join(tmp, 'data'),
          printers: [{ id: 'a4', name: 'Expeditionens skrivare', uri: `file://${path.join(tmp, 'ut')}`, roles: ['a4', 'labels-sheet'] }],
          series: [
            { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 904999, padding: 7, checkDigit: 'luhn' },
            { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 500, padding: 5, checkDigit: 'none' },
          ],
        }),
    });
    page = b.page;
    today = formatStationDate(new Date(), b.station.config.timezone);
  }, 60_000);

  afterAll(async () => {
    await b?.close();
  });

  /** The form body of the next POST to `path` (what the server gets). */
  const nextPost = (p: string) => page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === p).then((r) => new URLSearchParams(r.postData() ?? ''));

  it('Gäller för: a day chosen by taps, shown in Swedish, posted as ÅÅÅÅ-MM-DD', async () => {
    await page.setViewportSize(SMALL);
    await visit(page, `${b.base}/dokument/mottagningslista`);
    const stepper = page.locator('[data-dt-stepper="validFor"]');
    await expect(stepper.locator('[data-dt-date]').textContent()).resolves.toBe(formatStepperDate(today));
    expect(await page.locator('input[type="date"]').count()).toBe(0);
    await stepper.getByRole('button', { name: 'Gäller för (dag): 7 dagar senare' }).tap();
    await stepper.getByRole('button', { name: 'Gäller för (dag): en dag senare' }).tap();
    await stepper.getByRole('button', { name: 'Gäller för (dag): en dag tidigare' }).tap();
    await stepper.getByRole('button', { name: 'Gäller för (dag): en dag tidigare' }).tap();
    const day = addDays(today, 6);
    await expect(stepper.locator('[data-dt-date]').textContent()).resolves.toBe(formatStepperDate(day));
    expect(await stepper.locator('input[type="hidden"]').inputValue()).toBe(day);
    await b.shoot('keyboardless-mottagningslista');
    const posted = nextPost('/dokument/mottagningslista/print');
    await page.getByRole('button', { name: 'Skriv ut', exact: true }).tap();
    expect((await posted).get('validFor')).toBe(day);
    await page.waitForURL(/\/batches\/[^/]+$/);
  }, 60_000);

  it('Avstämningslista: the period by taps; "Visa antal" keeps it', async () => {
    await page.setViewportSize(SMALL);
    await visit(page, `${b.base}/dokument/avstamning`);
    const from = page.locator('[data-dt-stepper="from"]');
    await from.getByRole('button', { name: 'Utfärdade från: 7 dagar tidigare' }).tap();
    await expect(from.locator('[data-dt-date]').textContent()).resolves.toBe(formatStepperDate(addDays(today, -7)));
    await b.shoot('keyboardless-avstamning');
    await page.getByRole('button', { name: 'Visa antal' }).tap();
    await page.waitForURL((u) => u.searchParams.get('from') === addDays(today, -7) && u.searchParams.get('to') === today);
    await settled(page);
    await expect(page.locator('[data-dt-stepper="from"] [data-dt-date]').textContent()).resolves.toBe(formatStepperDate(addDays(today, -7)));
  }, 60_000);

  it('ledger filter: empty = no limit; a day by taps; "Rensa" empties it again', async () => {
    await page.setViewportSize(SMALL);
    await visit(page, `${b.base}/etiketter/nummer`);
    const from = page.locator('[data-dt-stepper="from"]');
    await expect(from.locator('[data-dt-date]').textContent()).resolves.toBe('Ingen gräns');
    await expect(from.getByRole('button', { name: 'Från dag: Rensa' }).isDisabled()).resolves.toBe(true);
    // the first tap shows today, the next steps from there
    await from.getByRole('button', { name: 'Från dag: en dag tidigare' }).tap();
    await expect(from.locator('[data-dt-date]').textContent()).resolves.toBe(formatStepperDate(today));
    await from.getByRole('button', { name: 'Från dag: en dag tidigare' }).tap();
    expect(await from.locator('input[type="hidden"]').inputValue()).toBe(addDays(today, -1));
    await b.shoot('keyboardless-ledger-filter');
    await page.getByRole('button', { name: 'Filtrera' }).tap();
    await page.waitForURL((u) => u.searchParams.get('from') === addDays(today, -1));
    await settled(page);
    await expect(page.locator('[data-dt-stepper="from"] [data-dt-date]').textContent()).resolves.toBe(formatStepperDate(addDays(today, -1)));
    await expect(page.locator('[data-dt-stepper="to"] [data-dt-date]').textContent()).resolves.toBe('Ingen gräns');
    await page.locator('[data-dt-stepper="from"]').getByRole('button', { name: 'Från dag: Rensa' }).tap();
    await expect(page.locator('[data-dt-stepper="from"] [data-dt-date]').textContent()).resolves.toBe('Ingen gräns');
    await page.getByRole('button', { name: 'Filtrera' }).tap();
    await page.waitForURL((u) => u.pathname === '/etiketter/nummer' && u.searchParams.get('from') === '');
    await settled(page);
    await expect(page.locator('[data-dt-stepper="from"] [data-dt-date]').textContent()).resolves.toBe('Ingen gräns');
  }, 60_000);

  it('initials by taps on the letter keypad (fits 800×480, keys ≥ 44 px), and still with a real keyboard', async () => {
    await page.setViewportSize(SMALL);
    await visit(page, `${b.base}/kits/systemuppgradering`);
    const pad = page.locator('.print-form [data-letter-keypad]');
    await expect(pad.isVisible()).resolves.toBe(false);
    await page.locator('.print-form [data-letter-field] input').tap();
    await expect(pad.isVisible()).resolves.toBe(true);
    const padBox = await boxOf(page, '.print-form [data-letter-keypad]');
    expect(padBox.y + padBox.height).toBeLessThanOrEqual(SMALL.height);
    expect(padBox.x + padBox.width).toBeLessThanOrEqual(SMALL.width);
    expect(await pad.locator('[data-key]').count()).toBe(30); // A–Z, Å, Ä, Ö, ⌫
    for (const key of await pad.locator('[data-key], [data-letter-done]').all()) {
      const k = (await key.boundingBox())!;
      expect(Math.min(k.width, k.height), await key.textContent() ?? '').toBeGreaterThanOrEqual(44);
    }
    expect(await axeSerious(page)).toEqual([]);
    await b.shoot('keyboardless-letter-keypad');
    await page.locator('.print-form [data-letter-field] input').tap();
    for (const l of 'KÅX') await pad.locator(`[data-key="${l}"]`).tap();
    await pad.getByRole('button', { name: 'Radera en bokstav' }).tap();
    await expect(pad.locator('[data-letter-value]').textContent()).resolves.toBe('KÅ');
    await pad.getByRole('button', { name: 'Klar' }).tap();
    await expect(pad.isVisible()).resolves.toBe(false);
    expect(await page.locator('.print-form input[name="actor"]').inputValue()).toBe('KÅ');
    const posted = nextPost('/kits/systemuppgradering/print');
    await page.locator('.print-form button[type="submit"]').tap();
    expect((await posted).get('actor')).toBe('KÅ');
    await page.waitForURL(/\/batches\/[^/]+$/);
    expect(b.station.store.recentBatches(1)[0]!.actor).toBe('KÅ');

    // a real keyboard still types into the field, and the keypad shows what was typed
    await visit(page, `${b.base}/dokument/telefonlista`);
    const field = page.locator('.js-doc-form [data-letter-field] input');
    await field.click();
    await page.keyboard.type('ab');
    expect(await field.inputValue()).toBe('ab');
    await expect(page.locator('.js-doc-form [data-letter-value]').textContent()).resolves.toBe('ab');
    await page.keyboard.press('Escape');
    await expect(page.locator('.js-doc-form [data-letter-keypad]').isVisible()).resolves.toBe(false);
  }, 90_000);

  it('a referral set starts its labels at a position tapped on the keypad', async () => {
    await page.setViewportSize(SMALL);
    await visit(page, `${b.base}/dokument/provtagningsremiss`);
    const start = page.locator('.js-doc-form input[name="startPosition"]');
    expect(await start.getAttribute('max')).toBe('24'); // a4-3x8
    await start.tap();
    await page.getByRole('button', { name: 'Töm fältet' }).tap();
    await page.locator('.js-doc-form [data-keypad] [data-key="9"]').tap();
    expect(await start.inputValue()).toBe('9');
    await tapInitials(page, '.js-doc-form', 'EK');
    await b.shoot('keyboardless-provtagningsremiss', true);
    const posted = nextPost('/dokument/provtagningsremiss/print');
    await page.getByRole('button', { name: 'Skriv ut', exact: true }).tap();
    const body = await posted;
    expect([body.get('startPosition'), body.get('actor')]).toEqual(['9', 'EK']);
    await page.waitForURL(/\/batches\/[^/]+$/);
    const batch = b.station.store.recentBatches(1)[0]!;
    const labelJob = b.station.store.jobsOf(batch).find((j) => (j.recipe as { part?: string } | undefined)?.part === 'labels');
    expect((labelJob?.recipe as { req: { labels: { startPosition?: number } } } | undefined)?.req.labels.startPosition).toBe(9);
  }, 60_000);

  it('the label page at 800×480: "Skriv ut" overlaps neither the start position nor anything else', async () => {
    await page.setViewportSize(SMALL);
    await visit(page, `${b.base}/etiketter`);
    const print = '.labels-dynamic .js-print';
    const atTop = await boxOf(page, print);
    expect(atTop.y + atTop.height, '"Skriv ut" in sight without scrolling').toBeLessThanOrEqual(SMALL.height);
    for (const scroll of [0, 200, 10_000]) {
      await page.evaluate((y) => window.scrollTo(0, y), scroll);
      const button = await boxOf(page, print);
      for (const other of ['.start-field .start-input', '.start-field .start-hint', '.labels-dynamic .preview h2', '.labels-dynamic .choice']) {
        expect(overlaps(button, await boxOf(page, other)), `${other} at scroll ${scroll}`).toBe(false);
      }
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await b.shoot('keyboardless-labels');
  }, 60_000);

  it('every page changed: axe-core finds nothing critical or serious, no target under 44 px, a PNG at both sizes', async () => {
    const pages = ['/dokument/mottagningslista', '/dokument/avstamning', '/dokument/provtagningsremiss', '/etiketter', '/etiketter/nummer', '/etiketter/patient', '/kits/it-attack', '/admin/login'];
    const report: string[] = [];
    for (const size of [SMALL, LARGE]) {
      await page.setViewportSize(size);
      for (const p of pages) {
        await visit(page, `${b.base}${p}`);
        for (const v of await axeSerious(page)) report.push(`${size.width}x${size.height} ${p}: ${v}`);
        for (const s of await smallTargets(page)) report.push(`${size.width}x${size.height} ${p}: ${s}`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > size.width) report.push(`${p}: ${width} px wide`);
        await b.shoot(`keyboardless-page${p.replace(/[/:]+/g, '_')}`, true);
      }
    }
    expect(report).toEqual([]);
    expect(b.problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
  }, 180_000);
});
