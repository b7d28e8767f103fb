// The HTTP layer's guards on a small app through app.request: the Host check (DNS rebinding), the
// origin guard (CSRF) that compares with the station's configured names and origins only, the
// form body reader, and the security headers.
import { describe, it, expect } from 'vitest';
import { Hono } from 'hono';
import { formBodyReader, hostCheck, originGuard, securityHeaders } from '../../src/http/middleware.js';
import { onAppError } from '../../src/http/errors.js';
import { stationOrigins, type ServerConfig } from '../../src/http/station-origin.js';

function app(server: ServerConfig = { host: '127.0.0.1', port: 8080, allowedOrigins: ['http://station-12:8080'] }) {
  const origins = stationOrigins(server);
  const a = new Hono();
  a.use('*', securityHeaders());
  a.use('*', hostCheck(origins));
  a.use('*', originGuard(origins));
  a.use('*', formBodyReader());
  a.post('/api/x', (c) => c.json({ ok: true }));
  a.post('/form', async (c) => c.text(`ok ${JSON.stringify(await c.req.parseBody())}`));
  a.get('/page', (c) => c.html('<p>hej</p>'));
  a.onError(onAppError('Vårdcentral Testå'));
  return a;
}
const url = 'http://127.0.0.1:8080';

describe('origin guard and security headers', () => {
  it.each([
    ['same-origin form post', '/form', { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, 200],
    ['configured extra origin', '/form', { origin: 'http://station-12:8080', 'content-type': 'application/x-www-form-urlencoded' }, 200],
    ['cross-site form post', '/form', { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, 403],
    ['form post with Origin: null (sandboxed frame)', '/form', { origin: 'null', 'content-type': 'application/x-www-form-urlencoded' }, 403],
    ['form post with neither Origin nor Sec-Fetch-Site', '/form', { 'content-type': 'application/x-www-form-urlencoded' }, 403],
    ['text/plain post without Origin (a cross-site form trick)', '/api/x', { 'content-type': 'text/plain' }, 403],
    ['cross-site fetch with no body type', '/api/x', { 'sec-fetch-site': 'cross-site' }, 403],
    ['same-origin fetch', '/api/x', { 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, 200],
    ['a program posting JSON (no browser headers)', '/api/x', { 'content-type': 'application/json' }, 200],
    ['localhost is the station too', '/form', { origin: 'http://localhost:8080', 'content-type': 'application/x-www-form-urlencoded' }, 200],
    ['[::1] is the station too', '/form', { origin: 'http://[::1]:8080', 'content-type': 'application/x-www-form-urlencoded' }, 200],
    ['another port on loopback is another site', '/form', { origin: 'http://127.0.0.1:3000', 'content-type': 'application/x-www-form-urlencoded' }, 403],
    ['https on the station’s name is not its own origin', '/form', { origin: 'https://127.0.0.1:8080', 'content-type': 'application/x-www-form-urlencoded' }, 403],
    ['an origin with a path is not an origin', '/form', { origin: 'http://127.0.0.1:8080/x', 'content-type': 'application/x-www-form-urlencoded' }, 403],
  ])('%s → %i', async (_name, path, headers, status) => {
    const r = await app().request(`${url}${path}`, { method: 'POST', headers: headers as Record<string, string>, body: '' });
    expect(r.status).toBe(status);
  });

  it('sends a strict CSP and keeps referrers inside the station (so browsers send a real Origin)', async () => {
    const r = await app().request(`${url}/page`);
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(r.headers.get('referrer-policy')).toBe('same-origin');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers a refusal from the guards in Swedish: JSON under /api/, a page elsewhere', async () => {
    const api = await app().request(`${url}/api/x`, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(403);
    expect(await api.json()).toEqual({ error: 'forbidden', message: expect.stringContaining('CSRF-skydd') });
    const page = await app().request(`${url}/form`, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('CSRF-skydd');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});

describe('Host check (DNS rebinding)', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  it.each([
    ['127.0.0.1:8080', 200],
    ['localhost:8080', 200],
    ['LOCALHOST:8080', 200],
    ['[::1]:8080', 200],
    ['station-12:8080', 200], // the name of a configured origin
    ['localhost', 200], // the port is not what the check is about
    ['evil.example:8080', 421],
    ['127.0.0.1.nip.io:8080', 421],
    ['localhost.evil.example', 421],
    ['10.0.0.5:8080', 421], // an address the station was not configured with
    ['', 421],
  ])('Host %j → %i', async (host, status) => {
    const r = await app().request(`${url}/page`, { headers: { host } });
    expect(r.status).toBe(status);
    if (status === 421) expect(await r.text()).toContain('Okänt värdnamn');
  });

  it('refuses a rebinding page even though its Origin matches its Host (the guard used to build "own origin" from Host)', async () => {
    const evil = 'http://evil.example:8080';
    const r = await app().request(`${evil}/api/x`, { method: 'POST', headers: { host: 'evil.example:8080', origin: evil, 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(421);
    expect(await r.json()).toEqual({ error: 'misdirected', message: expect.stringContaining('Okänt värdnamn') });
    // And with the Host check passed (a configured name), an Origin equal to the Host still is not enough.
    const other = app({ host: 'station-12', port: 8080, allowedOrigins: [] });
    const r2 = await other.request(`http://station-12:8080/form`, { method: 'POST', headers: { origin: 'http://station-12:9999', ...form }, body: 'a=1' });
    expect(r2.status).toBe(403);
    expect((await other.request(`http://station-12:8080/form`, { method: 'POST', headers: { origin: 'http://station-12:8080', ...form }, body: 'a=1' })).status).toBe(200);
  });

  it('takes the configured server.host as a name, but not a wildcard bind address', async () => {
    const byName = app({ host: 'kiosk.vc-testa.local', port: 8080, allowedOrigins: [] });
    expect((await byName.request('http://kiosk.vc-testa.local:8080/page')).status).toBe(200);
    const wildcard = app({ host: '0.0.0.0', port: 8080, allowedOrigins: [] });
    expect((await wildcard.request('http://0.0.0.0:8080/page')).status).toBe(421);
    expect((await wildcard.request('http://127.0.0.1:8080/page')).status).toBe(200);
  });
});

describe('form bodies', () => {
  const post = (type: string, body: string) => app().request(`${url}/form`, { method: 'POST', headers: { origin: url, 'content-type': type }, body });

  it('answers a broken multipart body with 400 and a Swedish page, before any route', async () => {
    const r = await post('multipart/form-data; boundary=x', '--broken');
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('Formuläret kunde inte läsas');
  });

  it('reads a well-formed form for the route (once, from the cache)', async () => {
    const r = await post('application/x-www-form-urlencoded', 'a=1&b=%C3%A5');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('ok {"a":"1","b":"å"}');
    const m = await post('multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n3\r\n--x--\r\n');
    expect(await m.text()).toBe('ok {"a":"3"}');
  });
});
