// The admin area in a real browser (Chromium via playwright-core) against an in-process station:
// the first PIN is chosen at the station, an upgrade is planned with the form (datetime fields),
// the session cookie is HttpOnly (no script sees it), a wrong PIN says how many tries are left,
// and a missed run shows on the start page until it is acknowledged. No console error or CSP
// violation. Screenshots go to RESERVKIT_SCREENSHOT_DIR (or a temp dir).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { clickSettled, noChromium, openChromium, tapPin } from '../helpers/chromium.js';
import { createStation, type Station } from '../../src/station.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { testConfig, tempDir } from '../helpers/config.js';

const SMALL = { width: 800, height: 480 };
const LARGE = { width: 1280, height: 800 };
const PIN = '246813';
/** Chromium logs a 400 or 401 page as a failed load; those are the answers the test asks for. */
const unexpected = (problems: string[]) => problems.filter((p) => !/Failed to load resource: the server responded with a status of 40[01]/.test(p));

describe.skipIf(noChromium)('admin area in Chromium', () => {
  let tmp: string;
  let shots: string;
  let dataDir: string;
  let clock: FakeClock;
  let station: Station;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const problems: string[] = [];

  const start = async () => {
    const config = testConfig({ dataDir, schedule: { drill: { cron: '' } } });
    station = await createStation(config, { backends: new Map([['a4', new FakeBackend()]]), clock, log: () => {} });
    await station.monitor.refresh('a4');
    base = `http://127.0.0.1:${await station.listen()}`;
  };

  beforeAll(async () => {
    tmp = tempDir('reservkit-adminbrowser-');
    dataDir = path.join(tmp, 'data');
    shots = process.env.RESERVKIT_SCREENSHOT_DIR ?? path.join(tmp, 'screenshots');
    mkdirSync(shots, { recursive: true });
    clock = new FakeClock('2026-03-20T09:00:00Z');
    await start();
    ({ context, page } = await openChromium(path.join(tmp, 'profile'), { viewport: LARGE }, problems));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await station?.stop();
    if (!process.env.RESERVKIT_SCREENSHOT_DIR && tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('chooses the PIN at first use, plans an upgrade with the form, and keeps the session cookie from scripts', async () => {
    await page.goto(`${base}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await expect(page.locator('h1').textContent()).resolves.toBe('Välj PIN-kod för administrationen');
    await tapPin(page, 'form[action="/admin/setup"]', 'pin', PIN);
    await tapPin(page, 'form[action="/admin/setup"]', 'confirm', PIN);
    await Promise.all([page.waitForURL(`${base}/admin`), clickSettled(page, 'form[action="/admin/setup"] button[type=submit]')]);
    expect(await page.evaluate(() => document.cookie)).toBe(''); // HttpOnly
    const cookie = (await context.cookies(base)).find((c) => c.name === 'rk_admin')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

    await page.selectOption('form[action="/admin/upgrades"] select[name=kind]', 'upgrade');
    await page.fill('form[action="/admin/upgrades"] input[name=start]', '2026-03-30T07:00');
    await page.fill('form[action="/admin/upgrades"] input[name=end]', '2026-03-30T12:00');
    await page.fill('form[action="/admin/upgrades"] input[name=note]', 'PMO 24.2');
    await Promise.all([page.waitForURL(/\/admin\?added=/), clickSettled(page, 'form[action="/admin/upgrades"] button[type=submit]')]);
    await expect(page.locator('.notice.tone-ok').textContent()).resolves.toContain('Reservkitet skrivs ut fredag 27 mars 2026 kl. 14:00');
    expect(station.store.schedule.upgrades()).toHaveLength(1);
    await page.screenshot({ path: path.join(shots, 'admin-1280x800.png'), fullPage: true });

    // an end before the start comes back with the reason
    await page.fill('form[action="/admin/upgrades"] input[name=start]', '2026-04-10T12:00');
    await page.fill('form[action="/admin/upgrades"] input[name=end]', '2026-04-10T07:00');
    await clickSettled(page, 'form[action="/admin/upgrades"] button[type=submit]');
    await expect(page.locator('.notice.tone-bad').first().textContent()).resolves.toContain('Slutet måste vara efter början.');
    expect(station.store.schedule.upgrades()).toHaveLength(1);

    await Promise.all([page.waitForURL(`${base}/`), clickSettled(page, 'form[action="/admin/logout"] button')]);
    await page.goto(`${base}/admin/login`);
    await tapPin(page, 'form[action="/admin/login"]', 'pin', '000001');
    await clickSettled(page, 'form[action="/admin/login"] button[type=submit]');
    await expect(page.locator('.notice.tone-bad').textContent()).resolves.toContain('4 försök kvar');
    await tapPin(page, 'form[action="/admin/login"]', 'pin', PIN);
    await page.fill('input[name=initials]', 'ab');
    await Promise.all([page.waitForURL(`${base}/admin`), clickSettled(page, 'form[action="/admin/login"] button[type=submit]')]);
    await expect(page.locator('.admin-head').textContent()).resolves.toContain('Inloggad som admin AB');
    expect(unexpected(problems)).toEqual([]);
  });

  it('a missed run is shown on the start page until someone acknowledges it', async () => {
    await station.stop();
    clock.jumpTo('2026-03-30T06:00:00Z'); // the station was off over the print time
    await start();
    await page.setViewportSize(SMALL);
    await page.goto(`${base}/`);
    const alert = page.locator('.run-alert');
    await expect(alert.locator('.run-alert-title').textContent()).resolves.toContain('Schemalagd utskrift blev inte gjord');
    await page.screenshot({ path: path.join(shots, 'home-missed-800x480.png') });
    await page.waitForTimeout(650);
    await alert.locator('summary').click();
    await page.fill('.ack-form input[name=actor]', 'cd');
    await Promise.all([page.waitForURL(`${base}/`), clickSettled(page, '.ack-form button')]);
    expect(await page.locator('.run-alert').count()).toBe(0);
    await page.setViewportSize(LARGE);
    await page.screenshot({ path: path.join(shots, 'home-1280x800.png') });
    expect(station.store.auditLog.all().at(-1)).toMatchObject({ actor: 'CD', action: 'schedule-acknowledged' });
    expect(unexpected(problems)).toEqual([]);
  });
});
