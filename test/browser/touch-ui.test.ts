// The touchscreen in a real browser (Chromium via playwright-core) against a real station
// in-process, printing to a folder printer: tap a scenario, confirm, double-tap "Skriv ut", and
// watch every document turn "Klar" through the live updates, with no console error or CSP
// violation. Screenshots at 800×480 and 1280×800 go to RESERVKIT_SCREENSHOT_DIR (or a temp dir).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { LARGE, noChromium, openChromium, settled, SMALL } from '../helpers/chromium.js';
import { parseConfig } from '../../src/config.js';
import { createStation, type Station } from '../../src/station.js';
import { createBackend } from '../../src/printing/create-backend.js';
import { PrintError, type PrintBackend } from '../../src/printing/backend.js';
import { batchSummary } from '../../src/domain/wording.js';


/** The folder printer, a little slow, so the page is seen printing before it is done. */
function slowed(backend: PrintBackend, ms: number): PrintBackend {
  return {
    uri: backend.uri,
    getStatus: () => backend.getStatus(),
    submit: async (req) => {
      await new Promise((r) => setTimeout(r, ms));
      return backend.submit(req);
    },
    getJob: (id) => backend.getJob(id),
    listJobs: () => backend.listJobs(),
    cancel: (id) => backend.cancel(id),
  };
}

/**
 * The folder printer, except that the first job it takes stays "processing" until the test calls
 * jam(), and is then aborted by the "printer" ("Paper jam"): a failure the page sees live.
 */
function jamsFirst(backend: PrintBackend) {
  let first: number | undefined;
  let jammed = false;
  const printer: PrintBackend = {
    uri: backend.uri,
    getStatus: () => backend.getStatus(),
    submit: async (req) => {
      const r = await backend.submit(req);
      first ??= r.printerJobId;
      return r;
    },
    getJob: async (id) =>
      id === first ? { printerJobId: id, state: jammed ? 'aborted' : 'processing', reasons: [], message: jammed ? 'Paper jam' : '' } : backend.getJob(id),
    listJobs: () => backend.listJobs(),
    cancel: (id) => backend.cancel(id),
  };
  return { printer, jam: () => void (jammed = true) };
}

/** A printer that never answers (connection refused). */
function unreachable(uri: string): PrintBackend {
  const fail = () => Promise.reject(new PrintError('network', 'connect ECONNREFUSED 10.0.0.9:631'));
  return { uri, getStatus: fail, submit: fail, getJob: fail, listJobs: fail, cancel: fail };
}

function testConfig(tmp: string, name: string, retrySeconds = 0.1) {
  return parseConfig({
    unit: { name: 'Vårdcentral Exempel', address: 'Exempelgatan 1, 211 00 Malmö', phone: '040-123 45 00' },
    routine: { name: 'Regionövergripande reservrutin PMO', version: '1.0', date: '2026-01-15' },
    server: { host: '127.0.0.1', port: 0 },
    dataDir: path.join(tmp, `data-${name}`),
    printers: [{ id: 'a4', name: 'Expeditionens skrivare', uri: `file://${path.join(tmp, `ut-${name}`)}`, roles: ['a4', 'labels-sheet'] }],
    series: [
      { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 904999, padding: 7, checkDigit: 'luhn' },
      { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 9999, padding: 5, checkDigit: 'none' },
    ],
    phoneList: [{ name: 'PMO-supporten', number: '040-123 40 00' }],
    retry: { intervalSeconds: retrySeconds, maxIntervalSeconds: Math.max(1, retrySeconds), limit: 1000, pollSeconds: 0.05 },
    monitor: { intervalSeconds: 0.5 },
  });
}

describe.skipIf(noChromium)('touchscreen in Chromium', () => {
  let tmp: string;
  let outDir: string;
  let shots: string;
  let station: Station;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const problems: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'reservkit-ui-'));
    shots = process.env.RESERVKIT_SCREENSHOT_DIR ?? path.join(tmp, 'screenshots');
    mkdirSync(shots, { recursive: true });
    const config = testConfig(tmp, 'ok');
    outDir = path.join(tmp, 'ut-ok');
    const backends = new Map(config.printers.map((p) => [p.id, slowed(createBackend(p), 400)]));
    station = await createStation(config, { backends, log: () => {} });
    const port = await station.listen();
    base = `http://127.0.0.1:${port}`;
    ({ context, page } = await openChromium(path.join(tmp, 'profile'), { viewport: SMALL, hasTouch: true }, problems));
    // Give the monitor time to ask the printer once, so the strip shows "Redo".
    await station.monitor.refresh('a4');
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await station?.stop();
    if (!process.env.RESERVKIT_SCREENSHOT_DIR && tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('prints the upgrade kit from a tap, once for a double tap, and follows it live until every document is "Klar"', async () => {
    await page.goto(`${base}/`);
    const scenarioNames = await page.locator('.scenario-name').allTextContents();
    expect(scenarioNames).toEqual(['Systemuppgradering', 'Planerad nedsläckning', 'Oplanerad driftstörning', 'IT-attack']);
    // all four buttons are on screen at 800×480 without scrolling, and big enough to hit
    for (const box of await Promise.all((await page.locator('.scenario').all()).map((l) => l.boundingBox()))) {
      expect(box).not.toBeNull();
      expect(box!.y + box!.height).toBeLessThanOrEqual(SMALL.height);
      expect(box!.height).toBeGreaterThanOrEqual(64);
    }
    expect(await page.locator('.printer .js-pstate').allTextContents()).toEqual(['Redo']);
    await page.screenshot({ path: path.join(shots, 'home-800x480.png') });

    await settled(page); // taps within 600 ms of a navigation are swallowed (ghost taps)
    await page.getByRole('link', { name: /Systemuppgradering/ }).tap();
    await page.waitForURL(/\/kits\/[^/]+$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Systemuppgradering');
    const docs = await page.locator('table.docs tbody tr').count();
    expect(docs).toBeGreaterThan(0);
    expect(await page.locator('input[name="requestId"]').getAttribute('value')).toMatch(/^[0-9a-f-]{36}$/);
    await page.screenshot({ path: path.join(shots, 'confirm-800x480.png') });

    // a double tap on "Skriv ut"
    await settled(page); // taps within 600 ms of a navigation are swallowed (ghost taps)
    await page.getByRole('button', { name: 'Skriv ut' }).dblclick();
    await page.waitForURL(/\/batches\/[^/]+$/);
    // numbered documents are prepared right after the press; a referral's labels then join the
    // batch (the page reloads once for the new row)
    await expect.poll(() => page.locator('.js-state', { hasText: 'Förbereds' }).count(), { timeout: 15_000 }).toBe(0);
    const rows = page.locator('tr[data-job-id]');
    await expect.poll(() => rows.count()).toBe(docs);
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await page.screenshot({ path: path.join(shots, 'batch-printing-800x480.png') });

    // the live updates (not a reload) bring every row to "Klar" and the banner to done
    await expect
      .poll(() => page.locator('.js-banner-text').textContent(), { timeout: 30_000 })
      .toBe('Klart – alla dokument utskrivna');
    expect(await page.locator('.js-state').allTextContents()).toEqual(Array(docs).fill('Klar'));
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.locator('form.js-cancel:visible').count()).toBe(0);
    expect(await page.locator('.js-live').textContent()).toBe('');
    await page.screenshot({ path: path.join(shots, 'batch-done-800x480.png') });

    // one kit, not two
    expect(station.store.recentBatches(100)).toHaveLength(1);
    expect(readdirSync(outDir).filter((f) => f.endsWith('.pdf'))).toHaveLength(docs);

    await page.setViewportSize(LARGE);
    await page.screenshot({ path: path.join(shots, 'batch-done-1280x800.png') });
    await page.goto(`${base}/`);
    await page.screenshot({ path: path.join(shots, 'home-1280x800.png') });
    await page.goto(`${base}/printers`);
    await page.screenshot({ path: path.join(shots, 'printers-1280x800.png') });
    await page.setViewportSize(SMALL);
    await page.screenshot({ path: path.join(shots, 'printers-800x480.png') });
    expect(problems).toEqual([]);

    // (a 404 page makes Chromium log the failed load, so this comes after the console check)
    await page.goto(`${base}/kits/finns-inte`);
    expect(await page.locator('.error-message').textContent()).toContain('finns-inte');
    await page.screenshot({ path: path.join(shots, 'error-800x480.png') });
  }, 90_000);

  it('shows a printer that does not answer in red, the kit waiting for it in words, and cancels from the page', async () => {
    problems.length = 0;
    // retries far apart, so the "trying again at" message stays while the page is looked at
    const config = testConfig(tmp, 'down', 30);
    const down = await createStation(config, { backends: new Map([['a4', unreachable('ipp://10.0.0.9/ipp/print')]]), log: () => {} });
    try {
      const url = `http://127.0.0.1:${await down.listen()}`;
      await down.monitor.refresh('a4');
      await page.setViewportSize(SMALL);
      await page.goto(`${url}/`);
      expect(await page.locator('.printer .js-pstate').allTextContents()).toEqual(['Skrivaren svarar inte']);
      expect(await page.locator('.printer .js-pstate').getAttribute('class')).toContain('tone-bad');
      await page.screenshot({ path: path.join(shots, 'home-printer-down-800x480.png') });

      await settled(page); // taps within 600 ms of a navigation are swallowed (ghost taps)
      await page.getByRole('link', { name: /IT-attack/ }).tap();
      await page.waitForURL(/\/kits\/[^/]+$/);
      await settled(page); // taps within 600 ms of a navigation are swallowed (ghost taps)
      await page.getByRole('button', { name: 'Skriv ut' }).tap();
      await page.waitForURL(/\/batches\/[^/]+$/);
      // numbered documents are prepared right after the press; a referral's labels then join the
      // batch and the page reloads once for the new row: wait for that before looking
      const kitRows = await page.evaluate(() => fetch(location.pathname.replace('/batches/', '/api/batches/')).then((r) => r.json()));
      await expect.poll(() => page.locator('.js-state', { hasText: 'Förbereds' }).count(), { timeout: 15_000 }).toBe(0);
      await expect.poll(async () => (await (await fetch(`${url}/api/batches/${(kitRows as { id: string }).id}`)).json()).jobs.length === (await page.locator('tr[data-job-id]').count())).toBe(true);
      await page.waitForLoadState('load');
      await expect.poll(() => page.locator('.js-banner-text').textContent(), { timeout: 15_000 }).toMatch(/^Väntar på skrivaren … 0 av \d+ klara$/);
      await expect.poll(() => page.locator('.js-state').first().textContent(), { timeout: 15_000 }).toBe('Väntar på skrivaren');
      await expect.poll(() => page.locator('.js-message').first().textContent()).toMatch(/^Skrivaren svarar inte – försöker igen kl \d\d:\d\d:\d\d\.$/);
      await page.screenshot({ path: path.join(shots, 'batch-waiting-800x480.png') });

      // cancel every document with its button: the page comes back after each, and ends red, in words
      const total = await page.locator('tr[data-job-id]').count();
      for (let i = 0; i < total; i++) {
        await settled(page); // taps within 600 ms of a navigation are swallowed (ghost taps)
        await page.locator('form.js-cancel:visible button').first().tap();
        await expect.poll(() => page.locator('form.js-cancel:visible').count()).toBe(total - i - 1);
      }
      // a staff cancel is grey "Avbruten", not an error
      await expect.poll(() => page.locator('.js-banner-text').textContent()).toBe(`Avbruten – 0 av ${total} utskrivna`);
      expect(await page.locator('.js-state').allTextContents()).toEqual(Array(total).fill('Avbruten'));
      expect(await page.locator('.js-banner').getAttribute('class')).toContain('tone-idle');
      await page.screenshot({ path: path.join(shots, 'batch-canceled-800x480.png') });
      await page.setViewportSize(LARGE);
      await page.goto(`${url}/printers`);
      expect(await page.locator('.printer-card .js-pstate').textContent()).toBe('Skrivaren svarar inte');
      await page.screenshot({ path: path.join(shots, 'printers-down-1280x800.png') });
      expect(problems).toEqual([]);
    } finally {
      await down.stop();
    }
  }, 90_000);

  it('a document the printer aborts turns the banner red live, in the server’s words (no wording of its own in the browser); "Skriv ut igen" prints it', async () => {
    problems.length = 0;
    const config = testConfig(tmp, 'jam');
    const { printer, jam } = jamsFirst(createBackend(config.printers[0]!));
    const jamStation = await createStation(config, { backends: new Map([['a4', printer]]), log: () => {} });
    try {
      const url = `http://127.0.0.1:${await jamStation.listen()}`;
      await jamStation.monitor.refresh('a4');
      const printed = await fetch(`${url}/api/kits/it-attack/print`, { method: 'POST', headers: { origin: url, 'content-type': 'application/json' }, body: '{}' });
      const { batchId } = (await printed.json()) as { batchId: string };
      await page.setViewportSize(SMALL);
      await page.goto(`${url}/batches/${batchId}`);
      // the referral's labels join the batch after the press (one reload for the new row): wait for every row
      await expect.poll(() => page.locator('.js-state', { hasText: 'Förbereds' }).count(), { timeout: 15_000 }).toBe(0);
      await expect
        .poll(async () => (await (await fetch(`${url}/api/batches/${batchId}`)).json()).jobs.length === (await page.locator('tr[data-job-id]').count()), { timeout: 15_000 })
        .toBe(true);
      await page.waitForLoadState('load');
      // the first document is held at the printer: the batch is printing until the test jams it
      expect(await page.locator('.batch').getAttribute('data-state')).toBe('printing');
      await expect.poll(() => page.locator('.js-banner-text').textContent(), { timeout: 15_000 }).toMatch(/^Skriver ut … \d+ av \d+ klara$/);
      await page.evaluate(() => {
        (window as unknown as { notReloaded: boolean }).notReloaded = true;
      });
      await page.screenshot({ path: path.join(shots, 'batch-printing-jam-800x480.png') });

      jam();
      await expect.poll(() => page.locator('.batch').getAttribute('data-state'), { timeout: 30_000 }).toBe('failed');
      // the banner shown live is the server's batchSummary, word for word, and names the document
      const store = jamStation.store;
      const batch = store.getBatch(batchId)!;
      const server = batchSummary(store.jobsOf(batch), batch.notPrinted?.length ?? 0);
      const failed = store.jobsOf(batch).find((j) => j.state === 'aborted')!;
      expect(server.text).toBe(`Något gick fel: ${failed.title}: Paper jam.`);
      expect(await page.locator('.js-banner-text').textContent()).toBe(server.text);
      expect(await page.locator('.js-banner').getAttribute('class')).toContain(`tone-${server.tone}`);
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
      // its row says so and offers "Skriv ut igen"; "Skriv ut allt igen" shows, "Avbryt allt" does not
      const row = page.locator(`tr[data-job-id="${failed.id}"]`);
      expect(await row.locator('.js-state').textContent()).toBe('Avbruten av skrivaren');
      expect(await row.locator('form.js-retry').isVisible()).toBe(true);
      expect(await page.locator('form.js-retry-all').isVisible()).toBe(true);
      expect(await page.locator('form.js-cancel-all').isVisible()).toBe(false);
      await page.screenshot({ path: path.join(shots, 'batch-failed-800x480.png') });

      await settled(page);
      await row.locator('form.js-retry button').tap();
      await expect.poll(() => page.locator('.js-banner-text').textContent(), { timeout: 30_000 }).toBe('Klart – alla dokument utskrivna');
      expect(await page.locator('form.js-retry:visible').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await jamStation.stop();
    }
  }, 90_000);
});
