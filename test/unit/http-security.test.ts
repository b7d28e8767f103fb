import { describe, it, expect } from 'vitest';
import { Hono } from 'hono';
import { originGuard, securityHeaders } from '../../src/http/middleware.js';

function app() {
  const a = new Hono();
  a.use('*', securityHeaders());
  a.use('*', originGuard({ allowedOrigins: ['http://station-12:8080'] }));
  a.post('/api/x', (c) => c.json({ ok: true }));
  a.post('/form', (c) => c.text('ok'));
  a.get('/page', (c) => c.html('<p>hej</p>'));
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
});
