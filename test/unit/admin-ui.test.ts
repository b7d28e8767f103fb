// The admin pages and the start page's schedule through app.request: redirect to the login, the
// first PIN, planning an upgrade with a form (errors shown, nothing stored), changing and removing
// it, the audit log, and a missed run shown on the start page until someone acknowledges it.
import { describe, it, expect, afterEach } from 'vitest';
import { createStation, type Station } from '../../src/station.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { testConfig, tempDir } from '../helpers/config.js';

const ORIGIN = 'http://localhost';
const LOCAL = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
const PIN = '246813';

const stations: Station[] = [];
afterEach(async () => {
  for (const s of stations.splice(0)) await s.stop();
});

async function station(dir = tempDir('reservkit-adminui-'), clock = new FakeClock('2026-03-20T09:00:00Z')) {
  const config = testConfig({ dataDir: dir, schedule: { drill: { cron: '' } } });
  const s = await createStation(config, { backends: new Map([['a4', new FakeBackend()]]), clock, log: () => {} });
  stations.push(s);
  let cookie = '';
  const get = (path: string) => s.app.request(`${ORIGIN}${path}`, { headers: { cookie } }, LOCAL);
  const post = (path: string, form: Record<string, string>, origin = ORIGIN) =>
    s.app.request(`${ORIGIN}${path}`, { method: 'POST', body: new URLSearchParams(form), headers: { origin, cookie, 'content-type': 'application/x-www-form-urlencoded' } }, LOCAL);
  const setCookie = (res: Response) => {
    const c = res.headers.get('set-cookie');
    if (c) cookie = c.split(';')[0]!;
  };
  return { s, clock, dir, get, post, setCookie, logout: () => (cookie = '') };
}

const text = async (res: Response) => (await res.text()).replace(/\s+/g, ' ');
/** What a reader sees: tags dropped. */
const plain = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the admin pages', () => {
  it('send a visitor without a session to the login, which first asks for a PIN', async () => {
    const h = await station();
    const res = await h.get('/admin/audit?q=x');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Faudit%3Fq%3Dx');
    expect(await text(await h.get('/admin/login'))).toContain('Välj PIN-kod för administrationen');
    const mismatch = await h.post('/admin/setup', { pin: PIN, confirm: '246814' });
    expect(mismatch.status).toBe(400);
    expect(await text(mismatch)).toContain('PIN-koderna var inte lika.');
    expect((await h.post('/admin/setup', { pin: PIN, confirm: PIN }, 'http://evil.example')).status).toBe(403);
    const ok = await h.post('/admin/setup', { pin: PIN, confirm: PIN });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin');
    h.setCookie(ok);
    const page = await text(await h.get('/admin'));
    expect(page).toContain('Planerade uppgraderingar och nedsläckningar');
    expect(page).toContain('arbetsdagen före, kl. 14:00');
    expect(page).toContain('Testsida på alla skrivare');
    expect(page).toContain('aria-current="page">Administration');
  });

  it('log in with the PIN, say how many tries are left, lock out, and never redirect off the station', async () => {
    const h = await station();
    h.setCookie(await h.post('/admin/setup', { pin: PIN, confirm: PIN }));
    h.logout();
    const wrong = await h.post('/admin/login', { pin: '000001', next: '/admin' });
    expect(wrong.status).toBe(401);
    expect(await text(wrong)).toContain('Fel PIN-kod. 4 försök kvar');
    const evil = await h.post('/admin/login', { pin: PIN, next: '//evil.example/admin' });
    expect(evil.status).toBe(303);
    expect(evil.headers.get('location')).toBe('/admin');
    for (let i = 0; i < 5; i++) await h.post('/admin/login', { pin: '000001' }); // the right PIN above reset the count
    const locked = await h.post('/admin/login', { pin: PIN });
    expect(locked.status).toBe(429);
    expect(await text(locked)).toContain('spärrad till');
    expect(await text(await h.get('/admin/login'))).toContain('spärrad till');
  });

  it('plan an upgrade with the form: a wrong one comes back with the reason and nothing stored', async () => {
    const h = await station();
    h.setCookie(await h.post('/admin/setup', { pin: PIN, confirm: PIN }));
    const bad = await h.post('/admin/upgrades', { kind: 'upgrade', start: '2026-03-30T12:00', end: '2026-03-30T07:00', kit: '', note: 'PMO 24.2' });
    expect(bad.status).toBe(400);
    const badText = await text(bad);
    expect(badText).toContain('Slutet måste vara efter början.');
    expect(badText).toContain('value="2026-03-30T12:00"'); // what was typed stays
    expect(h.s.store.schedule.upgrades()).toEqual([]);

    const ok = await h.post('/admin/upgrades', { kind: 'upgrade', start: '2026-03-30T07:00', end: '2026-03-30T12:00', kit: '', note: 'PMO 24.2' });
    expect(ok.status).toBe(303);
    const page = await text(await h.get(ok.headers.get('location')!));
    expect(page).toContain('Systemuppgradering måndag 30 mars 2026 kl. 07:00 är inlagd. Reservkitet skrivs ut fredag 27 mars 2026 kl. 14:00.');
    expect(page).toContain('PMO 24.2');
    const id = h.s.store.schedule.upgrades()[0]!.id;

    const edit = await text(await h.get(`/admin/upgrades/${id}`));
    expect(edit).toContain('value="2026-03-30T07:00"');
    const moved = await h.post(`/admin/upgrades/${id}`, { kind: 'upgrade', start: '2026-03-31T07:00', end: '2026-03-31T12:00', kit: '', note: 'flyttad' });
    expect(moved.status).toBe(303);
    expect(h.s.scheduler.view().next).toMatchObject({ dueAt: '2026-03-30T12:00:00.000Z', validFor: '2026-03-31' });

    expect((await h.post(`/admin/upgrades/${id}/remove`, {})).status).toBe(303);
    expect(h.s.store.schedule.upgrades()).toEqual([]);
    expect(h.s.scheduler.view().upcoming).toEqual([]);

    const audit = await text(await h.get('/admin/audit'));
    for (const w of ['Uppgradering planerad', 'Uppgradering ändrad', 'Uppgradering borttagen', 'PIN-kod vald']) expect(audit).toContain(w);
    expect(await text(await h.get('/admin/audit?q=borttagen'))).not.toContain('Uppgradering planerad');
  });

  it('set start and end with Swedish day/time steppers that post the field the server parses', async () => {
    const h = await station(); // 2026-03-20 10:00 in Stockholm
    h.setCookie(await h.post('/admin/setup', { pin: PIN, confirm: PIN }));
    const html = await text(await h.get('/admin'));
    expect(html).not.toContain('datetime-local');
    // a new upgrade starts from tomorrow 07:00–12:00, sent as is without the script
    expect(html).toContain('<input type="hidden" name="start" value="2026-03-21T07:00"/>');
    expect(html).toContain('<input type="hidden" name="end" value="2026-03-21T12:00"/>');
    expect(html).toContain('data-dt-stepper="start" data-dt-drags="end"');
    const shown = plain(html);
    expect(shown).toContain('Början −7 − lör 21 mar 2026 + +7 −1 h −15 07:00 +15 +1 h');
    expect(shown).toContain('Slut −7 − lör 21 mar 2026 + +7 −1 h −15 12:00 +15 +1 h');
    expect(html).toContain('aria-label="Början: en dag senare"');
    // a value the steppers cannot show comes back as the default, with the reason
    const bad = await h.post('/admin/upgrades', { kind: 'upgrade', start: '30/03/2026 7:00 AM', end: '2026-12-07T14:00', kit: '', note: '' });
    expect(bad.status).toBe(400);
    const badHtml = await text(bad);
    expect(badHtml).toContain('<input type="hidden" name="start" value="2026-03-21T07:00"/>');
    expect(plain(badHtml)).toContain('Slut −7 − mån 7 dec 2026 + +7 −1 h −15 14:00 +15 +1 h');
    expect(h.s.store.schedule.upgrades()).toEqual([]);
    // the change page shows the stored upgrade's local time
    expect((await h.post('/admin/upgrades', { kind: 'shutdown', start: '2026-03-30T07:00', end: '2026-03-30T12:00', kit: '', note: '' })).status).toBe(303);
    const edit = await text(await h.get(`/admin/upgrades/${h.s.store.schedule.upgrades()[0]!.id}`));
    expect(edit).toContain('<input type="hidden" name="start" value="2026-03-30T07:00"/>');
    expect(plain(edit)).toContain('mån 30 mar 2026');
  });

  it('refuse a cross-site form post even with a session', async () => {
    const h = await station();
    h.setCookie(await h.post('/admin/setup', { pin: PIN, confirm: PIN }));
    const res = await h.post('/admin/upgrades', { kind: 'upgrade', start: '2026-03-30T07:00', end: '2026-03-30T12:00' }, 'http://evil.example');
    expect(res.status).toBe(403);
    expect(h.s.store.schedule.upgrades()).toEqual([]);
  });
});

describe('the start page', () => {
  it('shows the next run, and a missed run prominently until someone acknowledges it', async () => {
    const dir = tempDir('reservkit-adminui-');
    const clock = new FakeClock('2026-03-20T09:00:00Z');
    const h = await station(dir, clock);
    await h.s.scheduler.addUpgrade({ start: '2026-03-30T07:00', end: '2026-03-30T12:00' });
    const before = await text(await h.get('/'));
    // the next print of each kind, with day and time (the last run's result is on the admin page)
    expect(plain(before)).toContain('Systemuppgradering 2026-03-30 skrivs ut fredag 27 mars 2026 kl. 14:00');
    expect(before).not.toContain('role="alert"');

    await h.s.stop();
    stations.splice(0);
    clock.jumpTo('2026-03-30T06:00:00Z'); // off over the print time, back after the upgrade began
    const h2 = await station(dir, clock);
    const page = await text(await h2.get('/'));
    expect(plain(page)).toContain('Schemalagd utskrift blev inte gjord: Systemuppgradering 2026-03-30');
    expect(page).toContain('Inget skrevs ut.');
    expect(page.indexOf('role="alert"')).toBeLessThan(page.indexOf('class="scenarios"'));
    const run = h2.s.scheduler.view().attention[0]!;
    expect(page).toContain(`action="/schedule/runs/${run.id}/acknowledge"`);

    expect((await h2.post(`/schedule/runs/${run.id}/acknowledge`, { actor: 'AB' }, 'http://evil.example')).status).toBe(403);
    const ack = await h2.post(`/schedule/runs/${run.id}/acknowledge`, { actor: 'AB' });
    expect(ack.status).toBe(303);
    expect(ack.headers.get('location')).toBe('/');
    const after = await text(await h2.get('/'));
    expect(after).not.toContain('blev inte gjord');
    expect(plain(after)).toContain('Senast: Systemuppgradering 2026-03-30');
    expect(after).toContain('Inte utskriven');
    expect(h2.s.store.auditLog.all().at(-1)).toMatchObject({ actor: 'AB', action: 'schedule-acknowledged' });
  });
});
