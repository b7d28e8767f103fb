// The printer chips of the pages without a live stream (home page strip, printers page) keep
// updating in Chromium from /api/printers, with no reload, and show exactly what the server's
// printerShown gives (chip, advice with whom to call, the printer's own message): the browser has
// no printer wording of its own. A real station in-process; the printer is scripted to die.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { noChromium, openChromium, SMALL } from '../helpers/chromium.js';
import { createStation, type Station } from '../../src/station.js';
import { testConfig } from '../helpers/config.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { printerShown } from '../../src/domain/wording.js';

const IT = 'IT-support 040-123 40 00';

describe.skipIf(noChromium)('printer chips without a stream', () => {
  let tmp: string;
  let station: Station;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const printer = new FakeBackend();
  const problems: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'reservkit-live-printers-'));
    const config = testConfig({ unit: { name: 'Vårdcentral Testå', address: 'Provgatan 1, Malmö', phone: '040-00 00 00', itSupport: IT } });
    station = await createStation(config, { backends: new Map([['a4', printer]]), log: () => {} });
    base = `http://127.0.0.1:${await station.listen()}`;
    await station.monitor.refresh('a4');
    ({ context, page } = await openChromium(path.join(tmp, 'profile'), { viewport: SMALL, hasTouch: true }, problems));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await station?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const [name, url, chip] of [
    ['home page strip', '/', '.printer-strip [data-printer-id="a4"]'],
    ['printers page', '/printers', '.printer-card[data-printer-id="a4"]'],
  ] as const) {
    it(`${name}: a printer that dies turns red with the server's words and advice, without a reload`, async () => {
      printer.mode = 'ok';
      await station.monitor.refresh('a4');
      await page.goto(`${base}${url}`);
      expect(await page.locator(`${chip} .js-pstate`).textContent()).toBe('Redo');
      await page.evaluate(() => {
        (window as unknown as { notReloaded: boolean }).notReloaded = true;
      });
      printer.mode = 'down';
      await station.monitor.refresh('a4');
      const server = printerShown(station.monitor.get('a4')!, IT);
      expect(server.summary.tone).toBe('bad');
      expect(server.advice).toContain(`ring ${IT}`);
      await expect.poll(() => page.locator(`${chip} .js-pstate`).textContent(), { timeout: 15_000 }).toBe(server.summary.text);
      expect(await page.locator(`${chip} .js-pstate`).getAttribute('class')).toContain(`tone-${server.summary.tone}`);
      expect(await page.locator(`${chip} .js-advice`).textContent()).toBe(server.advice);
      expect(await page.locator(`${chip} .js-advice`).isVisible()).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
      // and back: the advice goes away
      printer.mode = 'ok';
      await station.monitor.refresh('a4');
      await expect.poll(() => page.locator(`${chip} .js-pstate`).textContent(), { timeout: 15_000 }).toBe('Redo');
      expect(await page.locator(`${chip} .js-advice`).isVisible()).toBe(false);
      expect(problems).toEqual([]);
    }, 60_000);
  }
});
