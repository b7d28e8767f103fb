// The label pages through app.request() against an in-process station (fake printers): the page
// with keypad and preview, one press → the batch page, refusals shown on the page with nothing
// drawn, the ledger page with its CSV link, and a reprint from the ledger.
import { describe, it, expect, afterEach } from 'vitest';
import { createStation, type Station } from '../../src/station.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { testConfig } from '../helpers/config.js';

const ORIGIN = 'http://127.0.0.1';
let station: Station | undefined;
afterEach(async () => {
  await station?.stop();
  station = undefined;
});

async function start(over: Record<string, unknown> = {}) {
  const config = testConfig({
    printers: [
      { id: 'a4', name: 'Skrivare A4', uri: 'ipp://a4.invalid/ipp/print', roles: ['a4', 'labels-sheet'] },
      { id: 'etikett', name: 'Etikettskrivaren', uri: 'ipp://etikett.invalid/ipp/print', roles: ['labels-roll'], media: 'om_50x25mm_50x25mm', duplex: false },
    ],
    ...over,
  });
  station = await createStation(config, { log: () => {}, backends: new Map([['a4', new FakeBackend()], ['etikett', new FakeBackend()]]) });
  return station;
}
const get = (s: Station, path: string) => s.app.request(`${ORIGIN}${path}`);
const form = (s: Station, path: string, body: Record<string, string>) =>
  s.app.request(`${ORIGIN}${path}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });
const requestIdOf = (html: string) => /name="requestId" value="([^"]+)"/.exec(html)![1]!;

describe('label pages', () => {
  it('shows N and K with a keypad, the layouts, the printers that fit, the start position and a preview with the next numbers', async () => {
    const s = await start();
    const res = await get(s, '/etiketter?referrals=2&labelsPerReferral=3&startPosition=4');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('data-keypad');
    expect(html).toContain('name="referrals"');
    expect(html).toContain('name="labelsPerReferral"');
    expect(html).toContain('Börja på etikettposition');
    for (const name of ['A4-ark 3 × 8', 'A4-ark 3 × 7', 'Etikettrulle 50 × 25 mm']) expect(html).toContain(name);
    // the default sheet layout goes to the A4 printer only
    expect(html).toContain('value="a4" checked');
    expect(html).not.toContain('value="etikett"');
    // preview: three used positions, then 2 × 3 labels with the numbers the block would give now
    expect(html.match(/class="cell used"/g)).toHaveLength(3);
    expect(html.match(/class="cell label/g)).toHaveLength(6);
    expect(html).toContain('RV09000001');
    expect(html).toContain('Skriv ut 2 × 3 etiketter');
    // the page's own script and styles, no inline ones (strict CSP)
    expect(html).toMatch(/<script src="\/static\/labels\.js\?v=[0-9a-f]{12}" defer(="")?><\/script>/);
    expect(html).not.toMatch(/<script>|<style|style="/);
    expect(s.store.ledgerOf('remiss')).toHaveLength(0);
    const js = await get(s, html.match(/\/static\/labels\.js\?v=[0-9a-f]{12}/)![0]);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('returns the layout-dependent part alone for the live preview (roll: the label printer, no start position)', async () => {
    const s = await start();
    const html = await (await get(s, '/etiketter/del?referrals=1&labelsPerReferral=2&layout=rulle-50x25')).text();
    expect(html).toMatch(/^<div id="labels-dynamic"/);
    expect(html).toContain('value="etikett" checked');
    expect(html).not.toContain('startPosition');
  });

  it('prints with one press and lands on the batch page', async () => {
    const s = await start();
    const page = await (await get(s, '/etiketter')).text();
    const res = await form(s, '/etiketter/skriv-ut', { requestId: requestIdOf(page), referrals: '3', labelsPerReferral: '2', layout: 'a4-3x8', printer: 'a4', startPosition: '1', actor: 'AB' });
    expect(res.status).toBe(303);
    const batch = s.store.jobs.batches()[0]!;
    expect(res.headers.get('location')).toBe(`/batches/${batch.id}`);
    expect(batch.serials.remiss).toHaveLength(3);
    expect(batch.actor).toBe('AB');
    // the same press again (double tap): the same batch, nothing drawn
    const again = await form(s, '/etiketter/skriv-ut', { requestId: requestIdOf(page), referrals: '3', labelsPerReferral: '2', layout: 'a4-3x8' });
    expect(again.headers.get('location')).toBe(`/batches/${batch.id}`);
    expect(s.store.ledgerOf('remiss')).toHaveLength(3);
  });

  it('shows why nothing printed on the page itself: a used-up block names whom to contact', async () => {
    const s = await start({
      series: [
        { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 900019, padding: 7, checkDigit: 'luhn', contact: 'Laboratoriemedicin 040-123 45 99' },
        { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 500, padding: 5, checkDigit: 'none' },
      ],
    });
    const page = await (await get(s, '/etiketter?referrals=25')).text();
    expect(page).toContain('Bara 20 nummer kvar');
    expect(page).toMatch(/js-print" disabled/);
    const res = await form(s, '/etiketter/skriv-ut', { requestId: requestIdOf(page), referrals: '25', labelsPerReferral: '1', layout: 'a4-3x8' });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('kontakta Laboratoriemedicin 040-123 45 99 för ett nytt nummerblock');
    expect(requestIdOf(html)).not.toBe(requestIdOf(page));
    expect(s.store.ledgerOf('remiss')).toHaveLength(0);
    // 19 of 20 used: the page warns before the next press
    await form(s, '/etiketter/skriv-ut', { requestId: 'etikett-ui-00000001', referrals: '19', labelsPerReferral: '1', layout: 'a4-3x8' });
    expect(await (await get(s, '/etiketter')).text()).toContain('börjar ta slut: 1 nummer kvar (5 %). Kontakta Laboratoriemedicin 040-123 45 99 i tid');
  });

  it('refuses a bad form with the reasons in Swedish and draws nothing', async () => {
    const s = await start();
    const page = await (await get(s, '/etiketter')).text();
    const res = await form(s, '/etiketter/skriv-ut', { requestId: requestIdOf(page), referrals: '0', labelsPerReferral: '99', layout: 'a4-3x8' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Minst 1 remiss.');
    expect(html).toContain('Högst 20 etiketter per remiss.');
    expect(s.store.ledgerOf('remiss')).toHaveLength(0);
  });

  it('lists the issued numbers with filters and a CSV link, and reprints one as KOPIA from the list', async () => {
    const s = await start();
    await form(s, '/etiketter/skriv-ut', { requestId: 'etikett-ui-00000002', referrals: '2', labelsPerReferral: '1', layout: 'a4-3x8' });
    const [first, second] = s.store.ledgerOf('remiss').map((e) => e.number) as [string, string];
    const list = await (await get(s, '/etiketter/nummer')).text();
    expect(list).toContain(first);
    expect(list).toContain(second);
    expect(list).toContain('href="/api/series/remiss/ledger.csv"');
    expect(list).toContain(`/etiketter/kopia?number=${first}`);
    const filtered = await (await get(s, `/etiketter/nummer?status=issued&q=${second.slice(-4)}&from=&to=`)).text();
    expect(filtered).toContain(second);
    expect(filtered).not.toContain(`>${first}<`);
    expect(filtered).toContain(`href="/api/series/remiss/ledger.csv?status=issued&amp;q=${second.slice(-4)}"`);

    const confirm = await (await get(s, `/etiketter/kopia?number=${first}`)).text();
    expect(confirm).toContain(`Skriv ut en kopia av ${first}`);
    const res = await form(s, '/etiketter/kopia', { requestId: requestIdOf(confirm), number: first, labels: '2', target: 'rulle-50x25@etikett', startPosition: '1' });
    expect(res.status).toBe(303);
    const entry = s.store.ledgerOf('remiss').find((e) => e.number === first)!;
    expect(entry.reprints).toHaveLength(1);
    expect(s.store.ledgerOf('remiss')).toHaveLength(2);
    expect((await get(s, '/etiketter/kopia?number=RV99999999')).status).toBe(404);
  });

  it('is linked from the start page', async () => {
    const s = await start();
    const home = await (await get(s, '/')).text();
    expect(home).toContain('href="/etiketter"');
    expect(home).toContain('href="/etiketter/nummer"');
  });
});
