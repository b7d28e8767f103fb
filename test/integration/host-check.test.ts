// The Host check and the origin guard on a listening station, over real HTTP (node:http, since
// fetch may not set Host): what node-server hands the app is what the unit tests assume — the
// Host header as sent, and the port the socket was reached on as the station's own origin's port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { createStation, type Station } from '../../src/station.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { testConfig } from '../helpers/config.js';

let s: Station;
let port: number;
beforeAll(async () => {
  const config = testConfig({ printers: [{ id: 'a4', name: 'Skrivare A4', uri: 'ipp://a4.invalid/ipp/print', roles: ['a4', 'labels-sheet'] }], schedule: { drill: { cron: '' } } });
  s = await createStation(config, { log: () => {}, backends: new Map([['a4', new FakeBackend()]]) });
  port = await s.listen();
});
afterAll(async () => {
  await s?.stop();
});

function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Host check over a socket', () => {
  it('answers 421 to a rebinding request and nothing is drawn', async () => {
    const evil = `evil.example:${port}`;
    const body = JSON.stringify({ referrals: 5, labelsPerReferral: 1, layout: 'a4-3x8' });
    const r = await send('POST', '/api/labels', { host: evil, origin: `http://${evil}`, 'content-type': 'application/json' }, body);
    expect(r.status).toBe(421);
    expect(r.text).toContain('Okänt värdnamn');
    expect(s.store.ledgerOf('remiss')).toEqual([]);
    expect((await send('GET', '/api/series/remiss/ledger.csv', { host: evil })).status).toBe(421);
    expect((await send('POST', '/api/admin/setup', { host: evil, origin: `http://${evil}`, 'content-type': 'application/json' }, '{"pin":"246813"}')).status).toBe(421);
  });

  it('takes the socket’s port as the station’s own: another port on loopback is another site', async () => {
    const own = `http://127.0.0.1:${port}`;
    const post = (origin: string) => send('POST', '/api/kits/finns-inte/print', { host: `127.0.0.1:${port}`, origin, 'content-type': 'application/json' }, '{}');
    expect((await post(`http://127.0.0.1:${port + 1}`)).status).toBe(403);
    expect((await post(own)).status).toBe(404); // through the guard: the kit does not exist
    expect((await post(`http://localhost:${port}`)).status).toBe(404);
    expect((await send('GET', '/healthz', { host: `localhost:${port}` })).status).toBe(200);
  });
});
