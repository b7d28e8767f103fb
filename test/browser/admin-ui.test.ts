// The admin area in a real browser (Chromium via playwright-core) against an in-process station:
// the first PIN is chosen at the station, an upgrade is planned with the form (day/time steppers, taps only),
// the session cookie is HttpOnly (no script sees it), a wrong PIN says how many tries are left,
// and a missed run shows on the start page until it is acknowledged. No console error or CSP
// violation. Screenshots go to RESERVKIT_SCREENSHOT_DIR (or a temp dir).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { clickSettled, LARGE, noChromium, openChromium, settled, SMALL, tapPin } from '../helpers/chromium.js';
import { createStation, type Station } from '../../src/station.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { testConfig, tempDir } from '../helpers/config.js';

const PIN = '246813';
/** Chromium logs a 400 or 401 page as a failed load; those are the answers the test asks for. */
const unexpected = (problems: string[]) => problems.filter((p) => !/Failed to load resource: the server responded with a status of 40[01]/.test(p));

/** One tap on a stepper's − / + button. */
const tapStep = (stepper: Locator, step: string) => stepper.locator(`[data-step="${step}"]`).click();

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
    // the steppers start at tomorrow 07:00–12:00; +7 and + + days move the start, the end follows
    const form = page.locator('form[action="/admin/upgrades"]');
    const start = form.locator('[data-dt-stepper="start"]');
    const end = form.locator('[data-dt-stepper="end"]');
    await expect(start.locator('[data-dt-date]').textContent()).resolves.toBe('lör 21 mar 2026');
    await settled(page);
    await tapStep(start, 'day:7');
    await tapStep(start, 'day:1');
    await tapStep(start, 'day:1');
    await expect(start.locator('[data-dt-date]').textContent()).resolves.toBe('mån 30 mar 2026');
    await expect(end.locator('[data-dt-date]').textContent()).resolves.toBe('mån 30 mar 2026');
    await expect(end.locator('[data-dt-time]').textContent()).resolves.toBe('12:00');
    const box = (await start.locator('[data-step="min:15"]').boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(44);
    expect(box.height).toBeGreaterThanOrEqual(44);
    await page.setViewportSize(SMALL);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(SMALL.width);
    await start.screenshot({ path: path.join(shots, 'admin-steppers.png') });
    await page.screenshot({ path: path.join(shots, 'admin-form-800x480.png'), fullPage: true });
    await page.setViewportSize(LARGE);
    await page.fill('form[action="/admin/upgrades"] input[name=note]', 'PMO 24.2');
    await Promise.all([page.waitForURL(/\/admin\?added=/), clickSettled(page, 'form[action="/admin/upgrades"] button[type=submit]')]);
    await expect(page.locator('.notice.tone-ok').textContent()).resolves.toContain('Reservkitet skrivs ut fredag 27 mars 2026 kl. 14:00');
    expect(station.store.schedule.upgrades()).toHaveLength(1);
    // 07:00 in Stockholm on 30 March 2026 is summer time (UTC+2)
    expect(station.store.schedule.upgrades()[0]).toMatchObject({ start: '2026-03-30T05:00:00.000Z', end: '2026-03-30T10:00:00.000Z' });
    await page.screenshot({ path: path.join(shots, 'admin-1280x800.png'), fullPage: true });

    // an end before the start comes back with the reason: the end stepped back six hours, to 06:00
    await settled(page);
    for (let i = 0; i < 6; i++) await tapStep(form.locator('[data-dt-stepper="end"]'), 'min:-60');
    await expect(form.locator('[data-dt-stepper="end"] [data-dt-time]').textContent()).resolves.toBe('06:00');
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
    await settled(page);
    await alert.locator('summary').click();
    await page.fill('.ack-form input[name=actor]', 'cd');
    await Promise.all([page.waitForURL(`${base}/`), clickSettled(page, '.ack-form button[type=submit]')]);
    expect(await page.locator('.run-alert').count()).toBe(0);
    await page.setViewportSize(LARGE);
    await page.screenshot({ path: path.join(shots, 'home-1280x800.png') });
    expect(station.store.auditLog.all().at(-1)).toMatchObject({ actor: 'CD', action: 'schedule-acknowledged' });
    expect(unexpected(problems)).toEqual([]);
  });

  it('hides a calendar upgrade with the reason typed on the keypad, and shows it again (taps only)', async () => {
    const at = clock.now().toISOString();
    await station.store.schedule.addUpgrade({
      id: 'u-feed-1', kind: 'upgrade', start: '2026-04-14T05:00:00.000Z', end: '2026-04-14T10:00:00.000Z', note: '', kitId: 'systemuppgradering',
      createdAt: at, createdBy: 'kalender', updatedAt: at, feed: { uid: 'pmo-4711@region', summary: 'Uppgradering vårdsystem' },
    });
    await page.setViewportSize(SMALL);
    await page.goto(`${base}/admin`);
    if (new URL(page.url()).pathname === '/admin/login') {
      await tapPin(page, 'form[action="/admin/login"]', 'pin', PIN);
      await Promise.all([page.waitForURL(`${base}/admin`), clickSettled(page, 'form[action="/admin/login"] button[type=submit]')]);
    }
    await settled(page);
    const hide = page.locator('details.hide-upgrade');
    await hide.locator('summary').click();
    const box = 'details.hide-upgrade [data-letter-field]';
    await page.locator(`${box} input`).click();
    for (const c of 'FEL ENHET') await page.locator(`${box} [data-letter-keypad] [data-key="${c}"]`).click();
    await page.locator(`${box} [data-letter-done]`).click();
    await Promise.all([page.waitForURL(`${base}/admin`), clickSettled(page, 'details.hide-upgrade button[type=submit]')]);
    await expect(page.locator('td:has-text("Dold för enheten")').textContent()).resolves.toContain('FEL ENHET');
    await page.screenshot({ path: path.join(shots, 'admin-hidden-800x480.png'), fullPage: true });
    await Promise.all([page.waitForURL(`${base}/admin`), clickSettled(page, 'form[action="/admin/upgrades/u-feed-1/show"] button[type=submit]')]);
    expect(await page.locator('td:has-text("Dold för enheten")').count()).toBe(0);
    expect(station.store.schedule.upgrade('u-feed-1')!.hidden).toBeUndefined();
    expect(station.store.schedule.runsOf('u-feed-1').filter((r) => r.status === 'scheduled')).toHaveLength(1);
    expect(station.store.auditLog.all().map((a) => a.action).slice(-2)).toEqual(['upgrade-hidden', 'upgrade-shown']);
    expect(unexpected(problems)).toEqual([]);
  });
});
