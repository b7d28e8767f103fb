// Staff in the worst hour, in a real browser (Chromium, touch) at 800×480 and 1280×800, against a
// station in-process printing to a real IPP printer (ippeveprinter) and a folder printer:
// - a missed scheduled run on the start page, with all four scenario buttons above the fold and
//   the next print of each kind;
// - a kit with a short referral block prints the rest, and the shortfall is shown before and after;
// - the first printer killed: its waiting documents move to the other printer in one tap;
// - "Skriv ut allt igen" after "Avbryt allt" (grey "Avbruten", not an error);
// - PIN chosen and login by the on-screen keypad only;
// - every document page has "Skriv ut" inside the viewport;
// - axe-core on every page at both sizes (0 critical, 0 serious), every tap target ≥ 44 px at
//   800×480, and a PNG of every page at both sizes (RESERVKIT_SCREENSHOT_DIR or a temp dir).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { axeSerious, LARGE, noChromium, openChromium, settled, SMALL, smallTargets, tapPin } from '../helpers/chromium.js';
import { startPrinter, stopAll, type TestPrinter } from '../helpers/ippeveprinter.js';
import { createStation, type Station } from '../../src/station.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { testConfig, tempDir } from '../helpers/config.js';

const SIZES = [SMALL, LARGE];
const PIN = '246813';
/** Chromium logs 4xx answers as failed loads; the refusals the test asks for are such answers. */
const unexpected = (problems: string[]) => problems.filter((p) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(p));

describe.skipIf(noChromium)('the outage UI in Chromium (touch, 800×480 and 1280×800)', () => {
  let tmp: string;
  let shots: string;
  let dataDir: string;
  let clock: FakeClock;
  let printer: TestPrinter;
  let station: Station;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let batchId = '';
  const problems: string[] = [];

  const start = async () => {
    const config = testConfig({
      dataDir,
      unit: { name: 'Vårdcentral Testå', address: 'Provgatan 1, Malmö', phone: '040-00 00 00', itSupport: 'IT-support 040-123 40 00' },
      printers: [
        { id: 'a4', name: 'Expeditionen', uri: printer.uri, roles: ['a4', 'labels-sheet'], timeoutMs: 2000 },
        { id: 'b', name: 'Provtagningen', uri: `file://${path.join(dataDir, 'ut-b')}`, roles: ['a4', 'labels-sheet'] },
      ],
      defaultPrinter: { a4: 'a4', 'labels-sheet': 'a4' },
      series: [
        { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 900007, padding: 7, checkDigit: 'luhn', contact: 'Laboratoriet 040-99 99 99' },
        { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 500, padding: 5, checkDigit: 'none' },
      ],
      retry: { intervalSeconds: 0.5, maxIntervalSeconds: 1, limit: 1000, pollSeconds: 0.1 },
    });
    station = await createStation(config, { clock, log: () => {} });
    await Promise.all([station.monitor.refresh('a4'), station.monitor.refresh('b')]);
    base = `http://127.0.0.1:${await station.listen()}`;
  };

  beforeAll(async () => {
    tmp = tempDir('reservkit-outage-');
    dataDir = path.join(tmp, 'data');
    shots = process.env.RESERVKIT_SCREENSHOT_DIR ?? path.join(tmp, 'screenshots');
    mkdirSync(shots, { recursive: true });
    printer = await startPrinter();
    // Two planned upgrades; the station is then off over the first one's print time (a missed run).
    clock = new FakeClock('2026-12-01T08:00:00Z');
    await start();
    await station.scheduler.addUpgrade({ kind: 'upgrade', start: '2026-12-10T07:00', end: '2026-12-10T12:00', note: 'PMO 24.2' });
    await station.scheduler.addUpgrade({ kind: 'upgrade', start: '2026-12-17T07:00', end: '2026-12-17T12:00', note: 'PMO 24.3' });
    await station.stop();
    clock.jumpTo('2026-12-10T08:00:00Z'); // the upgrade began at 07:00: its kit was never printed
    await start();
    ({ context, page } = await openChromium(path.join(tmp, 'profile'), { viewport: SMALL, hasTouch: true }, problems));
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await station?.stop();
    await stopAll();
    if (!process.env.RESERVKIT_SCREENSHOT_DIR && tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Taps within 600 ms of a navigation are swallowed (ghost taps): wait that out, as a person does. */
  const settle = () => settled(page);
  async function shoot(name: string) {
    await page.screenshot({ path: path.join(shots, `${name}-${page.viewportSize()!.width}x${page.viewportSize()!.height}.png`) });
  }
  async function inViewport(selector: string) {
    const box = await page.locator(selector).first().boundingBox();
    const vp = page.viewportSize()!;
    expect(box, selector).not.toBeNull();
    expect(box!.y, selector).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height, `${selector} bottom`).toBeLessThanOrEqual(vp.height);
  }

  it('start page: a missed run as one line, the four scenarios above the fold, the next print of each kind, the printers', async () => {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.goto(`${base}/`);
      await settle();
      await expect(page.locator('.run-alert summary').textContent()).resolves.toContain('Schemalagd utskrift blev inte gjord');
      expect(await page.locator('.scenario').count()).toBe(4);
      for (const s of await page.locator('.scenario').all()) {
        const box = (await s.boundingBox())!;
        expect(box.y + box.height).toBeLessThanOrEqual(size.height);
      }
      await inViewport('.printer-strip');
      await expect(page.locator('.next-runs').textContent()).resolves.toMatch(/Systemuppgradering.* skrivs ut .*december 2026 kl\. 14:00/);
      await expect(page.locator('.next-runs').textContent()).resolves.toMatch(/Övning: .* skrivs ut /);
      // the short block is told before the press, on the scenarios it hits
      await expect(page.locator('.scenario.scenario-short').count()).resolves.toBeGreaterThan(0);
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
      await shoot('home-missed');
    }
    // typed initials survive the live updates (no reload): wait for a printer poll round
    await page.setViewportSize(SMALL);
    await page.locator('.run-alert summary').tap();
    await page.fill('.ack-form input[name=actor]', 'cd');
    await page.waitForResponse((r) => r.url().endsWith('/api/printers'), { timeout: 15_000 });
    expect(await page.inputValue('.ack-form input[name=actor]')).toBe('cd');
    await shoot('home-alert-open');
  }, 90_000);

  it('a kit with a short block prints the rest, and says what did not print and whom to call', async () => {
    await page.setViewportSize(SMALL);
    await page.goto(`${base}/kits/it-attack`);
    await settle();
    await expect(page.locator('.js-block-warning').textContent()).resolves.toContain('räcker bara till 8 av 20 Provtagningsremiss');
    await expect(page.locator('td .qty-short').first().textContent()).resolves.toBe('8 av 20 st');
    await inViewport('.print-form button[type=submit]');
    await shoot('kit-short');
    await page.setViewportSize(LARGE);
    await shoot('kit-short');
    await Promise.all([page.waitForURL(/\/batches\//), page.locator('.print-form button[type=submit]').tap()]);
    await settle();
    batchId = new URL(page.url()).pathname.split('/').pop()!;
    await expect(page.locator('.not-printed').textContent()).resolves.toContain('8 av 20 utskrivna: nummerblocket "Remissnummer" räckte inte, 12 skrevs inte ut. Kontakta Laboratoriet 040-99 99 99');
    // same count as the confirm page: 8 referrals, 8 pages
    await expect.poll(() => page.locator('tr', { hasText: 'Provtagningsremiss' }).first().locator('.js-qty').textContent(), { timeout: 20_000 }).toBe('8 st, 8 sidor');
    await expect.poll(() => page.locator('.batch').getAttribute('data-state'), { timeout: 60_000 }).not.toBe('printing');
    await expect(page.locator('.js-banner-text').textContent()).resolves.toBe('Klart – men allt kunde inte skrivas ut, se nedan');
    await shoot('batch-short');
    await page.setViewportSize(SMALL);
    await shoot('batch-short');
  }, 120_000);

  it('the first printer dies: its waiting documents go to the other printer in one tap', async () => {
    await printer.kill();
    await page.setViewportSize(SMALL);
    await page.goto(`${base}/kits/systemuppgradering`);
    await settle();
    await Promise.all([page.waitForURL(/\/batches\//), page.locator('.print-form button[type=submit]').tap()]);
    await settle();
    // the printer's problem in Swedish, with what to do and whom to call
    await expect.poll(() => page.locator('.printer-strip .js-advice').first().textContent(), { timeout: 20_000 }).toContain('ring IT-support 040-123 40 00');
    await expect.poll(() => page.locator('.js-move').isVisible(), { timeout: 20_000 }).toBe(true);
    await shoot('batch-dead-printer');
    await page.setViewportSize(LARGE);
    await shoot('batch-dead-printer');
    await page.setViewportSize(SMALL);
    await expect.poll(() => page.locator('.js-state', { hasText: 'Skickas' }).count(), { timeout: 20_000 }).toBe(0);
    await Promise.all([page.waitForURL(/\/batches\/[^/]+$/), page.locator('.js-move button', { hasText: 'Provtagningen' }).tap()]);
    await settle();
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const jobs = () => station.store.jobsOf(station.store.getBatch(id)!);
    const onB = () => jobs().filter((j) => (j.sentToPrinterId ?? j.printerId) === 'b');
    // Everything moves and prints there, except a document that was on its way when the printer
    // died: it may be on that printer, so it waits to be looked up there (never printed twice).
    await expect.poll(() => onB().length >= jobs().length - 1 && onB().every((j) => j.state === 'completed'), { timeout: 60_000 }).toBe(true);
    expect(station.store.auditLog.all().some((a) => a.action === 'batch-moved' && a.detail.includes('till Provtagningen'))).toBe(true);
    await shoot('batch-moved');
  }, 120_000);

  it('"Avbryt allt" is a grey "Avbruten"; "Skriv ut allt igen" prints it all', async () => {
    await page.setViewportSize(SMALL);
    await page.goto(`${base}/kits/planerad-nedslackning`);
    await settle();
    await Promise.all([page.waitForURL(/\/batches\//), page.locator('.print-form button[type=submit]').tap()]);
    await settle();
    // the first printer is still dead: everything waits, so "Avbryt allt" catches all of it
    await Promise.all([page.waitForURL(/\/batches\/[^/]+$/), page.locator('.js-cancel-all button').tap()]);
    await settle();
    await expect.poll(() => page.locator('.batch').getAttribute('data-state'), { timeout: 20_000 }).toBe('canceled');
    await expect(page.locator('.js-banner').getAttribute('class')).resolves.toContain('tone-idle');
    await expect(page.locator('.js-banner-text').textContent()).resolves.toMatch(/^Avbruten – \d+ av \d+ utskrivna$/);
    await shoot('batch-canceled');
    await printer.restart();
    await station.monitor.refresh('a4');
    await page.waitForTimeout(700); // a navigation swallows taps for 600 ms
    await Promise.all([page.waitForURL(/\/batches\/[^/]+$/), page.locator('.js-retry-all button').tap()]);
    await expect.poll(() => page.locator('.batch').getAttribute('data-state'), { timeout: 60_000 }).toBe('completed');
    await shoot('batch-retried');
  }, 120_000);

  it('the first PIN and the login by keypad only', async () => {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.goto(`${base}/admin`);
      await settle();
      if (size === SMALL) {
        expect(new URL(page.url()).pathname).toBe('/admin/login');
        await expect(page.locator('input[name=pin]').getAttribute('readonly')).resolves.toBe('');
        await inViewport('form[action="/admin/setup"] [data-key="0"]');
        await shoot('admin-setup');
        await tapPin(page, 'form[action="/admin/setup"]', 'pin', PIN);
        await tapPin(page, 'form[action="/admin/setup"]', 'confirm', PIN);
        await Promise.all([page.waitForURL(`${base}/admin`), page.locator('form[action="/admin/setup"] button[type=submit]').tap()]);
        await settle();
        await Promise.all([page.waitForURL(`${base}/`), page.locator('form[action="/admin/logout"] button').tap()]);
        await page.goto(`${base}/admin`);
        await settle();
      }
      await inViewport('form[action="/admin/login"] [data-key="0"]');
      await inViewport('form[action="/admin/login"] button[type=submit]');
      await shoot('admin-login');
      await tapPin(page, 'form[action="/admin/login"]', 'pin', PIN);
      await Promise.all([page.waitForURL(`${base}/admin`), page.locator('form[action="/admin/login"] button[type=submit]').tap()]);
      await settle();
      await shoot('admin');
      if (size === SMALL) {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width).toBeLessThanOrEqual(SMALL.width);
        await Promise.all([page.waitForURL(`${base}/`), page.locator('form[action="/admin/logout"] button').tap()]);
      }
    }
  }, 120_000);

  it('every document page has "Skriv ut" inside the viewport', async () => {
    const ids = [...station.catalog.documents.keys()];
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const id of ids) {
        await page.goto(`${base}/dokument/${id}`);
        await settle();
        if ((await page.locator('.js-doc-form button[type=submit]:not([formmethod])').count()) === 0) continue; // blocked (block used up)
        await inViewport('.js-doc-form button.primary.huge');
      }
    }
  }, 120_000);

  it('every page: axe-core finds nothing critical or serious, every tap target is at least 44 px at 800×480, and a PNG of each', async () => {
    const upgrade = station.store.schedule.upgrades()[0]!;
    const pages = [
      '/',
      ...[...station.catalog.kits.keys()].map((k) => `/kits/${k}`),
      `/batches/${batchId}`,
      '/dokument',
      ...[...station.catalog.documents.keys()].map((d) => `/dokument/${d}`),
      '/etiketter',
      '/etiketter/nummer',
      '/printers',
      '/history',
      '/admin',
      `/admin/upgrades/${upgrade.id}`,
      '/admin/audit',
    ];
    const report: string[] = [];
    for (const size of SIZES) {
      await page.setViewportSize(size);
      // logged in for the admin pages
      await page.goto(`${base}/admin`);
      await settle();
      if (new URL(page.url()).pathname === '/admin/login') {
        await tapPin(page, 'form[action="/admin/login"]', 'pin', PIN);
        await Promise.all([page.waitForURL(`${base}/admin`), page.locator('form[action="/admin/login"] button[type=submit]').click()]);
      }
      for (const p of pages) {
        await page.goto(`${base}${p}`);
        await settle();
        for (const v of await axeSerious(page)) report.push(`${size.width}x${size.height} ${p}: ${v}`);
        if (size === SMALL) {
          for (const s of await smallTargets(page)) report.push(`${p}: ${s}`);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > SMALL.width) report.push(`${p}: ${width} px wide`);
        }
        await page.screenshot({ path: path.join(shots, `page${p.replace(/[/:]+/g, '_')}-${size.width}x${size.height}.png`), fullPage: true });
      }
    }
    expect(report).toEqual([]);
    expect(unexpected(problems)).toEqual([]);
  }, 300_000);
});
