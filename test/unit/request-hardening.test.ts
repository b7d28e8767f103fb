// Requests an adversary would send, through app.request on an in-process station: a DNS-rebinding
// page (Host and Origin both evil.example) on every route, first-PIN setup included; numeric
// fields given as anything but a whole number (JSON and form posts); a broken form body on every
// form route. Each is refused with a 4xx in Swedish, and the station's data is byte-for-byte what
// it was (no number drawn, no job, no store write).
import { afterEach, describe, expect, it } from 'vitest';
import { createStation, type Station } from '../../src/station.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { testConfig } from '../helpers/config.js';
import { stationFingerprint } from '../helpers/station-snapshot.js';

const PORT = 8080;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const EVIL = `http://evil.example:${PORT}`;
/** The kiosk's browser: on the station itself (a rebinding page runs there too). */
const LOCAL = { incoming: { socket: { remoteAddress: '127.0.0.1', localPort: PORT } } };

let station: Station | undefined;
afterEach(async () => {
  await station?.stop();
  station = undefined;
});

async function start(): Promise<Station> {
  const config = testConfig({
    server: { host: '127.0.0.1', port: PORT },
    printers: [
      { id: 'a4', name: 'Skrivare A4', uri: 'ipp://a4.invalid/ipp/print', roles: ['a4', 'labels-sheet'] },
      { id: 'etikett', name: 'Etikettskrivare', uri: 'ipp://etikett.invalid/ipp/print', roles: ['labels-roll'], media: 'om_50x25mm_50x25mm', duplex: false },
    ],
    schedule: { drill: { cron: '' } },
  });
  station = await createStation(config, { log: () => {}, backends: new Map([['a4', new FakeBackend()], ['etikett', new FakeBackend()]]) });
  return station;
}

/** Waits until every job has finished, so the data folder only changes when a request changes it. */
async function settle(s: Station): Promise<void> {
  await s.printService.renderingDone();
  for (let i = 0; i < 400 && s.store.unfinishedJobs().length; i++) await new Promise((r) => setTimeout(r, 25));
  expect(s.store.unfinishedJobs()).toEqual([]);
  await s.store.flush();
}

const json = (s: Station, url: string, body: unknown, method = 'POST') =>
  s.app.request(`${ORIGIN}${url}`, { method, headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify(body) }, LOCAL);
const form = (s: Station, url: string, fields: Record<string, string>) =>
  s.app.request(`${ORIGIN}${url}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, body: new URLSearchParams(fields).toString() }, LOCAL);

/** "unset" while no PIN has been chosen (what the admin page asks). */
async function pinSource(s: Station): Promise<string> {
  return ((await (await s.app.request(`${ORIGIN}/api/admin/session`)).json()) as { pin: string }).pin;
}

/** One label number issued and printed, so reprints have something to refer to. */
async function withIssuedNumber(s: Station): Promise<string> {
  const r = await json(s, '/api/labels', { referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8' });
  expect(r.status).toBe(202);
  const { numbers } = (await r.json()) as { numbers: string[] };
  await settle(s);
  return numbers[0]!;
}

/** Every route the app has, with its parameters filled in. */
function routesOf(s: Station, number: string): Array<{ method: string; url: string }> {
  const seen = new Set<string>();
  const out: Array<{ method: string; url: string }> = [];
  for (const r of s.app.routes) {
    if (r.method === 'ALL' || r.path.includes('*')) continue;
    const url = r.path
      .replace(/:file\{[^}]*\}/, 'app.css')
      .replace(/\/series\/:id/, '/series/remiss')
      .replace(/\/(kits)\/:id/, '/$1/systemuppgradering')
      .replace(/\/(dokument|documents)\/:id/, '/$1/provtagningsremiss')
      .replace(/:id/g, 'x');
    const key = `${r.method} ${url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, url: r.method === 'GET' && url === '/etiketter/kopia' ? `${url}?number=${number}` : url });
  }
  return out;
}

describe('DNS rebinding: a page on another name that resolves to 127.0.0.1', () => {
  it('gets 421 on every route (POST, PUT, DELETE and GET), first-PIN setup and the ledger CSV included, and changes nothing', async () => {
    const s = await start();
    const number = await withIssuedNumber(s);
    expect(s.app.routes.length).toBeGreaterThan(20);
    const before = await stationFingerprint(s);
    const routes = routesOf(s, number);
    const methods = new Set(routes.map((r) => r.method));
    expect([...methods].sort()).toEqual(['DELETE', 'GET', 'POST', 'PUT']);
    for (const { method, url } of routes) {
      const body = method === 'GET' ? undefined : JSON.stringify({ referrals: 500, labelsPerReferral: 1, layout: 'a4-3x8', pin: '246813' });
      const r = await s.app.request(`${EVIL}${url}`, { method, headers: { host: `evil.example:${PORT}`, origin: EVIL, 'content-type': 'application/json' }, body }, LOCAL);
      expect({ method, url, status: r.status }).toEqual({ method, url, status: 421 });
    }
    // The three the issue names, as the attack sent them.
    const labels = await s.app.request(`${EVIL}/api/labels`, { method: 'POST', headers: { origin: EVIL, 'content-type': 'application/json' }, body: JSON.stringify({ referrals: 500, labelsPerReferral: 1, layout: 'a4-3x8' }) }, LOCAL);
    expect(labels.status).toBe(421);
    expect(await labels.json()).toEqual({ error: 'misdirected', message: expect.stringContaining('Okänt värdnamn') });
    const setup = await s.app.request(`${EVIL}/api/admin/setup`, { method: 'POST', headers: { origin: EVIL, 'content-type': 'application/json' }, body: JSON.stringify({ pin: '246813' }) }, LOCAL);
    expect(setup.status).toBe(421);
    expect(setup.headers.get('set-cookie')).toBeNull();
    const csv = await s.app.request(`${EVIL}/api/series/remiss/ledger.csv`, {}, LOCAL);
    expect(csv.status).toBe(421);
    expect(await csv.text()).not.toContain(number);
    const kit = await s.app.request(`${EVIL}/kits/systemuppgradering/print`, { method: 'POST', headers: { origin: EVIL, 'content-type': 'application/x-www-form-urlencoded' }, body: 'requestId=abcdefgh-1234' }, LOCAL);
    expect(kit.status).toBe(421);
    expect(await kit.text()).toContain('Okänt värdnamn');
    expect(await pinSource(s)).toBe('unset');
    expect(await stationFingerprint(s)).toBe(before);
  });

  it('first PIN: only from loopback and with the station’s own origin (the Origin is compared with the config, not the Host)', async () => {
    const s = await start();
    const setup = (origin: string | undefined, env: unknown, host = `127.0.0.1:${PORT}`) =>
      s.app.request(`http://${host}/api/admin/setup`, { method: 'POST', headers: { host, 'content-type': 'application/json', ...(origin ? { origin } : {}) }, body: JSON.stringify({ pin: '246813' }) }, env);
    const before = await stationFingerprint(s);
    expect((await setup('http://127.0.0.1:3000', LOCAL)).status).toBe(403); // another local site
    expect((await setup(undefined, LOCAL)).status).toBe(403); // no Origin: not provably the station's page
    expect((await setup(ORIGIN, { incoming: { socket: { remoteAddress: '10.1.2.3', localPort: PORT } } })).status).toBe(403);
    // The touchscreen's form has the same rule.
    const page = (origin: string, env: unknown) =>
      s.app.request(`${ORIGIN}/admin/setup`, { method: 'POST', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }, body: 'pin=246813&confirm=246813' }, env);
    expect((await page(`http://127.0.0.1:3000`, LOCAL)).status).toBe(403);
    expect((await page(ORIGIN, { incoming: { socket: { remoteAddress: '10.1.2.3', localPort: PORT } } })).status).toBe(403);
    expect(await pinSource(s)).toBe('unset');
    expect(await stationFingerprint(s)).toBe(before);
    expect((await setup(`http://localhost:${PORT}`, LOCAL, `localhost:${PORT}`)).status).toBe(201);
  });
});

/** Values that are not a whole number in range, as a JSON body might carry them. */
const badJson: unknown[] = [true, false, [3], ['2'], '3', '0x10', '1e1', ' 3 ', 3.5, 0, -1, 1e9, null, {}, 'NaN'];
/** Values that are not a decimal whole number in range, as a form field might carry them. */
const badText = ['true', '0x10', '1e1', ' 3 ', '+3', '3.0', '-1', '0', '３', '3abc', '99999999999', '1_0'];

describe('exact types: numbers are whole numbers, never coerced', () => {
  it('JSON API: each numeric field refuses every non-integer (400) and changes nothing', async () => {
    const s = await start();
    const number = await withIssuedNumber(s);
    const cases: Array<{ url: string; body: Record<string, unknown>; field: string }> = [
      ...['referrals', 'labelsPerReferral', 'startPosition'].map((field) => ({ url: '/api/labels', body: { referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8' }, field })),
      ...['labels', 'startPosition'].map((field) => ({ url: '/api/labels/reprint', body: { number, labels: 1, layout: 'a4-3x8' }, field })),
      ...['copies', 'labelsPerNumber'].map((field) => ({ url: '/api/documents/provtagningsremiss/print', body: { copies: 1 }, field })),
      { url: '/api/series/remiss/reconciliation/print', body: { from: '2026-01-01', to: '2026-12-31', copies: 1 }, field: 'copies' },
    ];
    const before = await stationFingerprint(s);
    for (const c of cases) {
      for (const bad of badJson) {
        const r = await json(s, c.url, { ...c.body, [c.field]: bad });
        const reply = (await r.json()) as { error: string; message: string };
        expect({ url: c.url, field: c.field, bad, status: r.status }).toEqual({ url: c.url, field: c.field, bad, status: 400 });
        expect(reply.message).toMatch(/^Ogiltig förfrågan: /);
      }
    }
    expect(await stationFingerprint(s)).toBe(before);
    // The same requests with whole numbers go through: the refusals were about the values.
    expect((await json(s, '/api/labels', { referrals: 1, labelsPerReferral: 2, layout: 'a4-3x8', startPosition: 3 })).status).toBe(202);
    await settle(s);
  });

  it('form posts: each numeric field takes decimal digits only (400 on the same page) and changes nothing', async () => {
    const s = await start();
    const number = await withIssuedNumber(s);
    const rid = () => `hard-${Math.random().toString(36).slice(2, 12)}`;
    const cases: Array<{ url: string; fields: Record<string, string>; field: string }> = [
      ...['referrals', 'labelsPerReferral', 'startPosition'].map((field) => ({ url: '/etiketter/skriv-ut', fields: { referrals: '1', labelsPerReferral: '1', layout: 'a4-3x8' }, field })),
      ...['labels', 'startPosition'].map((field) => ({ url: '/etiketter/kopia', fields: { number, labels: '1', target: 'a4-3x8@a4' }, field })),
      ...['copies', 'labelsPerNumber'].map((field) => ({ url: '/dokument/provtagningsremiss/print', fields: { copies: '1' }, field })),
    ];
    const before = await stationFingerprint(s);
    for (const c of cases) {
      for (const bad of badText) {
        const r = await form(s, c.url, { ...c.fields, requestId: rid(), [c.field]: bad });
        expect({ url: c.url, field: c.field, bad, status: r.status }).toEqual({ url: c.url, field: c.field, bad, status: 400 });
        expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      }
    }
    expect(await stationFingerprint(s)).toBe(before);
    // A field posted twice is the last one (hono's reading), still checked; digits go through.
    const ok = await form(s, '/etiketter/skriv-ut', { requestId: rid(), referrals: '2', labelsPerReferral: '01', layout: 'a4-3x8', startPosition: '4' });
    expect(ok.status).toBe(303);
    await settle(s);
  });
});

describe('broken form bodies', () => {
  it('a broken multipart body is a 400 in Swedish on every form route, and changes nothing', async () => {
    const s = await start();
    const number = await withIssuedNumber(s);
    const formRoutes = routesOf(s, number).filter((r) => r.method === 'POST' && !r.url.startsWith('/api/'));
    expect(formRoutes.map((r) => r.url)).toEqual(expect.arrayContaining(['/etiketter/skriv-ut', '/etiketter/kopia', '/dokument/provtagningsremiss/print', '/kits/systemuppgradering/print', '/admin/setup', '/admin/login']));
    const before = await stationFingerprint(s);
    for (const { url } of formRoutes) {
      const r = await s.app.request(`${ORIGIN}${url}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'multipart/form-data; boundary=x' }, body: '--broken' }, LOCAL);
      expect({ url, status: r.status }).toEqual({ url, status: 400 });
      expect(await r.text()).toContain('Formuläret kunde inte läsas');
    }
    // The JSON API says the same in JSON.
    const api = await s.app.request(`${ORIGIN}/api/labels`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'multipart/form-data; boundary=x' }, body: '--broken' }, LOCAL);
    expect(api.status).toBe(400);
    expect(((await api.json()) as { message: string }).message).toContain('Formuläret kunde inte läsas');
    expect(await stationFingerprint(s)).toBe(before);
  });

  it('urlencoded garbage is never a 5xx on any form route', async () => {
    const s = await start();
    const number = await withIssuedNumber(s);
    for (const { url } of routesOf(s, number).filter((r) => r.method === 'POST' && !r.url.startsWith('/api/'))) {
      for (const body of ['%', '%ZZ=%E0%A4%A', 'referrals=%00&referrals=&&&=', 'a'.repeat(1000)]) {
        const r = await s.app.request(`${ORIGIN}${url}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body }, LOCAL);
        expect({ url, body: body.slice(0, 20), status: r.status < 500 }).toEqual({ url, body: body.slice(0, 20), status: true });
      }
    }
  });
});
