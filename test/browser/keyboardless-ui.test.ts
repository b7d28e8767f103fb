// The touchscreen without a keyboard, in Chromium (touch) at 800×480 and 1280×800, against a station
// in-process printing to a folder printer:
// - a day is chosen by taps on the documents pages (Gäller för, Utfärdade från/till) and in the
//   ledger's filter, shown the Swedish way whatever the browser's locale; the filter can be empty
//   (no limit) and cleared again with "Rensa";
// - initials typed on the on-screen letter keypad (and still with a real keyboard);
// - free text on the same keypad's text variants, taps only, each checked where it lands: the
//   number list's search (letters and digits: the ledger filters), the patient name (in the printed
//   PDF, in none of the station's files), Annan förskrivare (name, profession, förskrivarkod: posted
//   and printed), an upgrade's note (saved) and the audit log's search; the panel fits 800×480 with the field in sight above it,
//   and Tab plus a real keyboard never opens it;
// - a referral set (Provtagningsremiss) starts its labels at a chosen position of the sheet;
// - the label page's "Skriv ut" overlaps nothing (box measurement);
// - axe-core (0 critical/serious) and ≥ 44 px targets on every page changed, a PNG of each.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { axeSerious, boxOf, clickSettled, LARGE, letterBox, noChromium, openStationBrowser, overlaps, settled, SMALL, smallTargets, tapInitials, tapLetters, tapPin, visit, type BrowserStation } from '../helpers/chromium.js';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { testConfig } from '../helpers/config.js';
import { addDays, formatStationDate, formatStepperDate } from '../../src/domain/time.js';

/** Every file under `dir` (the station's data folder: store, spool, audit). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

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
          // the prescription overprint needs the workplace code
          unit: { name: 'Vårdcentral Testå', address: 'Provgatan 1, Malmö', phone: '040-00 00 00', workplaceCode: '1234567890' },
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

  /** Opens the text keypad of `box` by a tap and checks it as staff meet it at 800×480: inside the screen, keys ≥ 44 px ("Klar" ≥ 48), axe clean; a PNG with it open. */
  async function checkOpenPad(box: string, keyCount: number, shot: string): Promise<void> {
    await page.setViewportSize(SMALL);
    const pad = page.locator(`${box} [data-letter-keypad]`);
    await expect(pad.isVisible()).resolves.toBe(false);
    const before = await page.locator(`${box} input`).inputValue();
    await page.locator(`${box} input`).tap();
    await expect(pad.isVisible()).resolves.toBe(true);
    expect(await page.locator(`${box} input`).inputValue(), 'the opening tap types nothing').toBe(before);
    const padBox = (await pad.boundingBox())!;
    const fieldBox = (await page.locator(`${box} input`).boundingBox())!;
    expect(fieldBox.y + fieldBox.height, 'the field stays in sight above the panel').toBeLessThanOrEqual(padBox.y);
    expect(padBox.y + padBox.height).toBeLessThanOrEqual(SMALL.height);
    expect(padBox.x + padBox.width).toBeLessThanOrEqual(SMALL.width);
    expect(padBox.height, 'the panel leaves the upper part of the page in sight').toBeLessThanOrEqual(300);
    expect(await pad.locator('[data-key]').count()).toBe(keyCount);
    for (const key of await pad.locator('[data-key]').all()) {
      const k = (await key.boundingBox())!;
      expect(Math.min(k.width, k.height), (await key.getAttribute('data-key')) ?? '').toBeGreaterThanOrEqual(44);
      expect(k.y + k.height).toBeLessThanOrEqual(SMALL.height);
    }
    const done = (await pad.locator('[data-letter-done]').boundingBox())!;
    expect(Math.min(done.width, done.height)).toBeGreaterThanOrEqual(48);
    expect(await axeSerious(page)).toEqual([]);
    await b.shoot(shot);
    await pad.locator('[data-letter-done]').tap();
    await expect(pad.isVisible()).resolves.toBe(false);
  }

  it('ledger "Nummer innehåller": letters and digits by taps filter the ledger; Tab and a real keyboard type without the panel', async () => {
    const labels = b.station.labelService;
    const issued = await labels.printLabels({ referrals: 12, labelsPerReferral: 1, layout: labels.defaultLayoutId()!, requestId: 'keyboardless-ledger' });
    const wanted = issued.numbers[10]!;
    await visit(page, `${b.base}/etiketter/nummer`);
    const box = letterBox('form', 'q');
    // 1–0, hyphen, A–Ö, space, ⌫
    await checkOpenPad(box, 10 + 2 + 29 + 2 + 1 + 1, 'keyboardless-ledger-search-keypad');
    await tapLetters(page, box, wanted);
    expect(await page.locator(`${box} input`).inputValue()).toBe(wanted);
    await page.getByRole('button', { name: 'Filtrera' }).tap();
    await page.waitForURL((u) => u.searchParams.get('q') === wanted);
    await settled(page);
    await expect(page.locator('table.ledger tbody td.mono').allTextContents()).resolves.toEqual([wanted]);

    // a keyboard user tabs into the field: no panel; the keyboard types (any case), the filter matches
    await page.locator(`${box} input`).fill('');
    await page.locator('[data-dt-stepper="to"] button').last().focus();
    for (let i = 0; i < 10 && !(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === 'q')); i++) await page.keyboard.press('Tab');
    await expect(page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).resolves.toBe('q');
    await expect(page.locator(`${box} [data-letter-keypad]`).isVisible()).resolves.toBe(false);
    await page.keyboard.type(wanted.toLowerCase());
    await expect(page.locator(`${box} [data-letter-keypad]`).isVisible()).resolves.toBe(false);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === wanted.toLowerCase());
    await expect(page.locator('table.ledger tbody td.mono').allTextContents()).resolves.toEqual([wanted]);
  }, 90_000);

  it('patient name by taps (letters, space, hyphen) reaches the printed labels and nothing stored', async () => {
    await visit(page, `${b.base}/etiketter/patient`);
    const box = letterBox('.js-pid-form', 'name');
    await checkOpenPad(box, 29 + 3, 'keyboardless-patient-name-keypad');
    const name = 'ANNA-KARIN ÖST';
    await tapLetters(page, box, name);
    expect(await page.locator('input[name="name"]').inputValue()).toBe(name);
    // opened again, the panel shows the name as typed (spaces kept)
    await page.locator(`${box} input`).tap();
    await expect(page.locator(`${box} [data-letter-value]`).textContent()).resolves.toBe(name);
    await b.shoot('keyboardless-patient-name-typed');
    await page.locator(`${box} [data-letter-done]`).tap();
    for (const k of '19121212-1212') await page.locator(`[data-pid-keypad] [data-key="${k}"]`).tap();
    const before = new Set(readdirSync(path.join(b.tmp, 'ut')).filter((f) => f.endsWith('.pdf')));
    const posted = nextPost('/etiketter/patient');
    await page.locator('.js-pid-form button[type="submit"].primary').tap();
    expect((await posted).get('name')).toBe(name);
    await page.waitForURL(/\/batches\/[^/]+$/);
    expect(page.url()).not.toContain('ANNA');
    expect(await page.content()).not.toMatch(/ANNA|KARIN|1212/);
    const batch = b.station.store.recentBatches(1)[0]!;
    await expect.poll(() => b.station.store.jobsOf(batch).every((j) => j.state === 'completed'), { timeout: 20_000 }).toBe(true);
    const printed = readdirSync(path.join(b.tmp, 'ut')).filter((f) => f.endsWith('.pdf') && !before.has(f));
    expect(printed).toHaveLength(1);
    const text = execFileSync('pdftotext', ['-layout', path.join(b.tmp, 'ut', printed[0]!), '-'], { encoding: 'utf8' });
    expect(text).toContain(name);
    // the folder printer is the paper; the station's own files (store, spool, audit) never hold it
    const leaks = filesUnder(path.join(b.tmp, 'data')).filter((f) => {
      const bytes = readFileSync(f);
      return bytes.includes('ANNA-KARIN') || bytes.includes('KARIN ÖST') || bytes.includes('191212');
    });
    expect(leaks).toEqual([]);
  }, 90_000);

  it('Annan förskrivare: name and profession on the text keypad, förskrivarkod on its digits, posted and printed', async () => {
    await visit(page, `${b.base}/dokument/receptoverskrift`);
    await page.locator('input[name="prescriber"][value="other"]').check({ force: true });
    const form = '.js-doc-form';
    await checkOpenPad(letterBox(form, 'name'), 29 + 3, 'keyboardless-prescriber-name-keypad');
    await checkOpenPad(letterBox(form, 'prescriberCode'), 11, 'keyboardless-prescriber-code-keypad');
    await tapLetters(page, letterBox(form, 'name'), 'EVA LUND');
    await tapLetters(page, letterBox(form, 'profession'), 'SJUKSKÖTERSKA');
    await tapLetters(page, letterBox(form, 'prescriberCode'), '7654321');
    const posted = nextPost('/dokument/receptoverskrift/print');
    await page.getByRole('button', { name: 'Skriv ut', exact: true }).tap();
    const body = await posted;
    expect([body.get('prescriber'), body.get('name'), body.get('profession'), body.get('prescriberCode')]).toEqual(['other', 'EVA LUND', 'SJUKSKÖTERSKA', '7654321']);
    await page.waitForURL(/\/batches\/[^/]+$/);
    const batch = b.station.store.recentBatches(1)[0]!;
    expect(batch.title).toBe('Receptblankett – förtryck av förskrivaruppgifter');
    await expect.poll(() => b.station.store.jobsOf(batch).every((j) => j.state === 'completed'), { timeout: 20_000 }).toBe(true);
    const newest = readdirSync(path.join(b.tmp, 'ut'))
      .filter((f) => f.endsWith('.pdf'))
      .sort((x, y) => parseInt(y, 10) - parseInt(x, 10))[0]!;
    const text = execFileSync('pdftotext', ['-layout', path.join(b.tmp, 'ut', newest), '-'], { encoding: 'utf8' });
    for (const typed of ['EVA LUND', 'SJUKSKÖTERSKA', '7654321']) expect(text).toContain(typed);
  }, 90_000);

  it('the upgrade note by taps (letters, digits, space, . and :) is saved with the planned upgrade; the audit search by taps finds it', async () => {
    await visit(page, `${b.base}/admin/login`);
    await tapPin(page, 'form[action="/admin/setup"]', 'pin', '482915');
    await tapPin(page, 'form[action="/admin/setup"]', 'confirm', '482915');
    await Promise.all([page.waitForURL(`${b.base}/admin`), clickSettled(page, 'form[action="/admin/setup"] button[type=submit]')]);
    await settled(page);
    const box = letterBox('form[action="/admin/upgrades"]', 'note');
    await checkOpenPad(box, 10 + 2 + 29 + 2 + 1 + 1, 'keyboardless-upgrade-note-keypad');
    await tapLetters(page, box, 'PMO 24-2 KL. 14:00');
    await Promise.all([page.waitForURL(/\/admin\?added=/), page.locator('form[action="/admin/upgrades"] button[type=submit]').tap()]);
    const upgrades = b.station.store.schedule.upgrades();
    expect(upgrades.map((u) => u.note)).toEqual(['PMO 24-2 KL. 14:00']);

    // the audit log's search, by taps: only the entries with the note remain
    await visit(page, `${b.base}/admin/audit`);
    const rows = page.locator('table.audit tbody tr');
    const all = await rows.count();
    const search = letterBox('form[action="/admin/audit"]', 'q');
    await checkOpenPad(search, 10 + 2 + 29 + 2 + 1 + 1, 'keyboardless-audit-search-keypad');
    await tapLetters(page, search, 'PMO 24-2');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === 'PMO 24-2'), page.getByRole('button', { name: 'Sök', exact: true }).tap()]);
    const found = await rows.allTextContents();
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found.length).toBeLessThan(all);
    for (const r of found) expect(r).toContain('PMO 24-2');
  }, 90_000);

  it('every page changed: axe-core finds nothing critical or serious, no target under 44 px, a PNG at both sizes', async () => {
    const pages = ['/dokument/mottagningslista', '/dokument/avstamning', '/dokument/provtagningsremiss', '/dokument/receptoverskrift', '/etiketter', '/etiketter/nummer', '/etiketter/patient', '/kits/it-attack', '/admin', '/admin/audit'];
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
