// The documents pages of the touchscreen, through app.request on an in-process station: every
// document listed with the sentence on why no blank prescriptions are printed; a print page per
// document asking for what it needs; a press prints and goes to the batch page; a refusal comes
// back on the same page with the reason, printing nothing.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStation, type Station } from '../../src/station.js';
import type { StationConfig } from '../../src/config.js';
import { formatStationDate } from '../../src/domain/time.js';
import { NO_BLANK_PRESCRIPTIONS } from '../../src/ui/pages/documents-page.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { testConfig } from '../helpers/config.js';
import { pdfText } from '../helpers/pdf-tools.js';

const ORIGIN = 'http://127.0.0.1';
let station: Station | undefined;
afterEach(async () => {
  await station?.stop();
  station = undefined;
});

async function start(over: Record<string, unknown> = {}, templatesDir?: string): Promise<Station> {
  const cfg: StationConfig = testConfig({
    unit: { name: 'Vårdcentral Testå', address: 'Provgatan 1', phone: '040-00 00 00', workplaceCode: '21100123' },
    prescribers: [{ name: 'Anna Exempelsson', profession: 'Läkare', prescriberCode: '1234567' }],
    printers: [{ id: 'a4', name: 'Skrivare A4', uri: 'ipp://a4.invalid/ipp/print', roles: ['a4', 'labels-sheet'] }],
    ...over,
  });
  station = await createStation(cfg, { log: () => {}, backends: new Map([['a4', new FakeBackend()]]), ...(templatesDir ? { templatesDir } : {}) });
  return station;
}

const page = async (s: Station, url: string) => {
  const res = await s.app.request(`${ORIGIN}${url}`);
  return { status: res.status, html: await res.text() };
};
/** Posts a form; then waits until the documents it queued are rendered (that happens right after the answer). */
const submit = async (s: Station, url: string, fields: Record<string, string>) => {
  const res = await s.app.request(`${ORIGIN}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    body: new URLSearchParams(fields).toString(),
  });
  await s.printService.renderingDone();
  return res;
};
const rid = () => `ui-${Math.random().toString(36).slice(2, 12)}`;
/** HTML text without tags, entities decoded, whitespace collapsed. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const spooled = (s: Station, batchId: string) => s.store.jobsOf(s.store.getBatch(batchId)!).map((j) => path.join(s.config.dataDir, 'spool', j.spoolFile));
const batchOf = (res: Response) => decodeURIComponent(/\/batches\/(.+)$/.exec(res.headers.get('location') ?? '')![1]!);

describe('the documents page', () => {
  it('lists every document, links to its print page, and says in one sentence why blank prescriptions are not printed', async () => {
    const s = await start();
    const { status, html } = await page(s, '/dokument');
    expect(status).toBe(200);
    for (const d of s.catalog.documents.values()) {
      expect(html).toContain(`href="/dokument/${d.id}"`);
      expect(text(html)).toContain(d.name);
    }
    expect(text(html)).toContain(NO_BLANK_PRESCRIPTIONS);
    expect(NO_BLANK_PRESCRIPTIONS.match(/[.!?]/g)).toHaveLength(1);
    // In the templates' order: the care-contact form first, the avstämningslista last.
    const order = [...html.matchAll(/href="\/dokument\/([a-z0-9-]+)"/g)].map((m) => m[1]);
    expect(order[0]).toBe('vardkontakt');
    expect(order.at(-1)).toBe('avstamning');
    expect((await page(s, '/')).html).toContain('href="/dokument"');
  });

  it('an unknown document is a Swedish 404 page', async () => {
    const s = await start();
    const { status, html } = await page(s, '/dokument/finns-inte');
    expect(status).toBe(404);
    expect(text(html)).toContain('Det finns inget dokument som heter ”finns-inte”.');
  });
});

describe('printing one document from its page', () => {
  it('a Mottagningslista: the page asks for the day (today by default); a press prints the copies and shows the batch', async () => {
    const s = await start();
    const today = formatStationDate(new Date(), s.config.timezone);
    const { html } = await page(s, '/dokument/mottagningslista');
    expect(html).toContain(`name="validFor" value="${today}"`);
    expect(text(html)).toContain('I morgon');
    expect(html).toMatch(/name="copies"[^>]*value="1"/);
    const res = await submit(s, '/dokument/mottagningslista/print', { requestId: rid(), copies: '3', validFor: '2026-12-24', actor: 'AB' });
    expect(res.status).toBe(303);
    const batch = s.store.getBatch(batchOf(res))!;
    expect(batch).toMatchObject({ kind: 'document', title: 'Mottagningslista', actor: 'AB' });
    expect(s.store.jobsOf(batch).map((j) => j.copies)).toEqual([3]);
    expect(pdfText(spooled(s, batch.id)[0]!)).toContain('Mottagningslista 2026-12-24');
  });

  it('a provtagningsremiss: each copy a fresh number, with its labels', async () => {
    const s = await start();
    const { html } = await page(s, '/dokument/provtagningsremiss');
    expect(text(html)).toContain('100 nummer kvar');
    expect(text(html)).toContain('med samma nummer som remissen');
    const res = await submit(s, '/dokument/provtagningsremiss/print', { requestId: rid(), copies: '2', labelsPerNumber: '3' });
    expect(res.status).toBe(303);
    const batch = s.store.getBatch(batchOf(res))!;
    expect(batch.serials['remiss']).toHaveLength(2);
    expect(s.store.jobsOf(batch).map((j) => j.documentId)).toEqual(['provtagningsremiss', 'remissetiketter']);
  });

  it('a provtagningsremiss on a label sheet: the start position is offered and posted; one that does not fit comes back with the reason, nothing drawn', async () => {
    const s = await start();
    const { html } = await page(s, '/dokument/provtagningsremiss');
    expect(html).toMatch(/<input class="start-input js-doc-number" type="number"[^>]*name="startPosition" min="1" max="24"[^>]*value="1"/);
    expect(text(html)).toContain('Börja på etikettposition');
    // no start position where a document has no labels
    expect((await page(s, '/dokument/mottagningslista')).html).not.toContain('name="startPosition"');
    const res = await submit(s, '/dokument/provtagningsremiss/print', { requestId: rid(), copies: '1', labelsPerNumber: '3', startPosition: '7' });
    expect(res.status).toBe(303);
    const batch = s.store.getBatch(batchOf(res))!;
    const labels = s.store.jobsOf(batch).find((j) => j.documentId === 'remissetiketter')!;
    expect((labels.recipe as { req: { labels: { startPosition?: number } } }).req.labels.startPosition).toBe(7);
    const before = s.store.ledgerOf('remiss').length;
    for (const [startPosition, why] of [
      ['23', /3 etiketter för en remiss får inte plats från position 23/],
      ['0', /Etikettpositionen börjar på 1/],
      ['x', /Etikettpositionen ska vara ett heltal/],
    ] as const) {
      const bad = await submit(s, '/dokument/provtagningsremiss/print', { requestId: rid(), copies: '1', labelsPerNumber: '3', startPosition });
      expect(bad.status, startPosition).toBe(400);
      expect(text(await bad.text()), startPosition).toMatch(why);
    }
    expect(s.store.ledgerOf('remiss').length).toBe(before);
  });

  it('a provtagningsremiss whose labels go to a roll: no start position is offered', async () => {
    // the shipped templates with the referral's labels on a roll layout
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'reservkit-roll-')), 'templates');
    cpSync(path.join(import.meta.dirname, '../../templates'), dir, { recursive: true });
    const form = path.join(dir, 'forms', 'provtagningsremiss.json');
    const t = JSON.parse(readFileSync(form, 'utf8')) as { labels: { layout: string } };
    t.labels.layout = 'rulle-50x25';
    writeFileSync(form, JSON.stringify(t));
    const s = await start({}, dir);
    const { html } = await page(s, '/dokument/provtagningsremiss');
    expect(text(html)).toContain('Etikettrulle 50 × 25 mm');
    expect(html).not.toContain('name="startPosition"');
  });

  it('the receptöverskrift: a prescriber from the list, or the calibration page without one', async () => {
    const s = await start();
    const { html } = await page(s, '/dokument/receptoverskrift');
    expect(text(html)).toContain(NO_BLANK_PRESCRIPTIONS);
    expect(html).toContain('value="code:1234567" checked');
    expect(text(html)).toContain('Skriv ut kalibreringssida');
    const res = await submit(s, '/dokument/receptoverskrift/print', { requestId: rid(), copies: '10', prescriber: 'code:1234567' });
    expect(res.status).toBe(303);
    const [job] = s.store.jobsOf(s.store.getBatch(batchOf(res))!);
    expect(job).toMatchObject({ copies: 10, media: 'iso_a5_148x210mm' });
    const cal = await submit(s, '/dokument/receptoverskrift/print', { requestId: rid(), copies: '1', prescriber: 'other', calibration: '1' });
    expect(cal.status).toBe(303);
    expect(s.store.getBatch(batchOf(cal))!.title).toMatch(/kalibreringssida$/);
  });

  it('the receptöverskrift with a prescriber typed in wrong: the page again with the reason, nothing printed', async () => {
    const s = await start();
    const res = await submit(s, '/dokument/receptoverskrift/print', { requestId: rid(), copies: '1', prescriber: 'other', name: 'Åsa Öberg', profession: 'Läkare', prescriberCode: '12345' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(text(html)).toContain('Fyll i förskrivaren: Förskrivarkod: förskrivarkoden är 7 siffror.');
    expect(html).toContain('value="Åsa Öberg"'); // what was typed is kept
    expect(s.store.recentBatches(10)).toHaveLength(0);
  });

  it('the avstämningslista: series and period, with the count shown before printing', async () => {
    const s = await start();
    await submit(s, '/dokument/kvitto/print', { requestId: rid(), copies: '1' });
    const today = formatStationDate(new Date(), s.config.timezone);
    const { html } = await page(s, `/dokument/avstamning?series=kvitto&from=${today}&to=${today}`);
    expect(text(html)).toContain('2 nummer i perioden.');
    const res = await submit(s, '/dokument/avstamning/print', { requestId: rid(), copies: '1', series: 'kvitto', from: today, to: today });
    expect(res.status).toBe(303);
    const out = pdfText(spooled(s, batchOf(res))[0]!);
    for (const n of ['KV00001', 'KV00002']) expect(out).toContain(n);
  });

  it('copies out of range: the page again with what to fix, nothing printed', async () => {
    const s = await start();
    const res = await submit(s, '/dokument/vardkontakt/print', { requestId: rid(), copies: '0' });
    expect(res.status).toBe(400);
    expect(text(await res.text())).toContain('Minst 1.');
    expect(s.store.recentBatches(10)).toHaveLength(0);
  });

  it('a used-up block: the page says whom to contact instead of offering "Skriv ut", and a post is refused', async () => {
    const s = await start({
      series: [
        { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 1, last: 1, padding: 7, checkDigit: 'luhn', contact: 'Laboratoriet 040-99' },
        { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 9, padding: 5, checkDigit: 'none' },
      ],
    });
    expect((await submit(s, '/dokument/provtagningsremiss/print', { requestId: rid(), copies: '1' })).status).toBe(303);
    const { html } = await page(s, '/dokument/provtagningsremiss');
    expect(text(html)).toContain('Nummerblocket "Remissnummer" är slut, så Provtagningsremiss kan inte skrivas ut. Kontakta Laboratoriet 040-99 för ett nytt nummerblock.');
    expect(html).not.toContain('>Skriv ut<');
    const res = await submit(s, '/dokument/provtagningsremiss/print', { requestId: rid(), copies: '1' });
    expect(res.status).toBe(409);
    expect(s.store.ledgerOf('remiss')).toHaveLength(1);
  });

  it('refuses a post from another site (CSRF)', async () => {
    const s = await start();
    const res = await s.app.request(`${ORIGIN}/dokument/vardkontakt/print`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
      body: new URLSearchParams({ requestId: rid(), copies: '1' }).toString(),
    });
    expect(res.status).toBe(403);
  });
});
