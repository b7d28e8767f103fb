// The admin area's gate and the schedule API, through app.request on an in-process station with
// fake printers and a fake clock: no session → 401, cross-site → 403, first-run PIN only from the
// station itself, lockout after repeated wrong PINs (surviving a restart), idle sessions expire,
// every planning input validated with nothing stored on error.
import { describe, it, expect, afterEach } from 'vitest';
import { createStation, type Station } from '../../src/station.js';
import { hashPin, verifyPin, pinProblem } from '../../src/admin/pin.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { testConfig, tempDir } from '../helpers/config.js';

const ORIGIN = 'http://localhost';
const LOCAL = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
const REMOTE = { incoming: { socket: { remoteAddress: '10.1.2.3' } } };
const PIN = '246813';

const stations: Station[] = [];
afterEach(async () => {
  for (const s of stations.splice(0)) await s.stop();
});

async function station(opts: { dir?: string; clock?: FakeClock; admin?: Record<string, unknown> } = {}) {
  const dir = opts.dir ?? tempDir('reservkit-admin-');
  const clock = opts.clock ?? new FakeClock('2026-03-20T09:00:00Z');
  const config = testConfig({
    dataDir: dir,
    printers: [
      { id: 'a4', name: 'Skrivare A4', uri: 'ipp://a4.invalid/ipp/print', roles: ['a4', 'labels-sheet'] },
      { id: 'etikett', name: 'Etikettskrivare', uri: 'ipp://label.invalid/ipp/print', roles: ['labels-roll'], media: 'om_50x25mm_50x25mm', duplex: false },
    ],
    admin: opts.admin ?? {},
    schedule: { drill: { cron: '' } },
  });
  const backends = new Map(config.printers.map((p) => [p.id, new FakeBackend(p.uri)]));
  const s = await createStation(config, { backends, clock, log: () => {} });
  stations.push(s);
  const call = (path: string, init: RequestInit & { cookie?: string; origin?: string | null; json?: unknown } = {}, env: unknown = LOCAL) => {
    const headers = new Headers(init.headers);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    if (init.origin !== null && init.method && init.method !== 'GET') headers.set('origin', init.origin ?? ORIGIN);
    if (init.cookie) headers.set('cookie', init.cookie);
    return s.app.request(`${ORIGIN}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body }, env);
  };
  return { s, dir, clock, call };
}

const cookieOf = (res: Response) => {
  const set = res.headers.get('set-cookie') ?? '';
  return { header: set, pair: set.split(';')[0]! };
};

async function loggedIn(h: Awaited<ReturnType<typeof station>>) {
  const res = await h.call('/api/admin/setup', { method: 'POST', json: { pin: PIN } });
  expect(res.status).toBe(201);
  return cookieOf(res).pair;
}

const upgrade = { kind: 'upgrade', start: '2026-03-30T07:00', end: '2026-03-30T12:00', note: 'PMO 24.2' };

describe('the PIN', () => {
  it('is stored as scrypt$salt$hash and checked in constant time', async () => {
    const h = await hashPin(PIN);
    expect(h).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(await verifyPin(PIN, h)).toBe(true);
    expect(await verifyPin('246814', h)).toBe(false);
    expect(await verifyPin(PIN, 'scrypt$<salt hex>$<hash hex>')).toBe(false);
    expect(await hashPin(PIN)).not.toBe(h); // a fresh salt each time
  });

  it.each([
    ['12345', /minst 6/],
    ['12a456', /bara innehålla siffror/],
    ['111111', /en och samma siffra/],
    ['123456', /talföljd/],
    ['987654', /talföljd/],
  ])('refuses %s', (pin, why) => expect(pinProblem(pin)).toMatch(why));
  it('accepts 246813', () => expect(pinProblem(PIN)).toBeUndefined());
});

describe('first-run PIN', () => {
  it('is chosen only from the station’s own page on the station itself, and only once', async () => {
    const h = await station();
    expect(await (await h.call('/api/admin/session')).json()).toEqual({ loggedIn: false, pin: 'unset', lockedUntil: null });
    expect((await h.call('/api/admin/setup', { method: 'POST', json: { pin: PIN }, origin: 'http://evil.example' })).status).toBe(403);
    expect((await h.call('/api/admin/setup', { method: 'POST', json: { pin: PIN }, origin: null })).status).toBe(403);
    expect((await h.call('/api/admin/setup', { method: 'POST', json: { pin: PIN } }, REMOTE)).status).toBe(403);
    expect((await h.call('/api/admin/setup', { method: 'POST', json: { pin: PIN } }, {})).status).toBe(403); // no socket: not provably local
    const weak = await h.call('/api/admin/setup', { method: 'POST', json: { pin: '123456' } });
    expect(weak.status).toBe(400);
    expect((await weak.json()).message).toMatch(/talföljd/);
    expect(h.s.store.admin.get().pinHash).toBeUndefined();

    const ok = await h.call('/api/admin/setup', { method: 'POST', json: { pin: PIN } });
    expect(ok.status).toBe(201);
    const c = cookieOf(ok);
    expect(c.header).toMatch(/^rk_admin=[A-Za-z0-9_-]{43};/);
    expect(c.header).toMatch(/HttpOnly/);
    expect(c.header).toMatch(/SameSite=Strict/);
    expect(c.header).toMatch(/Path=\//);
    expect(h.s.store.admin.get().pinHash).toMatch(/^scrypt\$/);
    expect(await (await h.call('/api/admin/session', { cookie: c.pair })).json()).toMatchObject({ loggedIn: true, pin: 'station' });
    expect((await h.call('/api/admin/setup', { method: 'POST', json: { pin: '135792' } })).status).toBe(409);
  });

  it('is not offered when the config has a PIN hash', async () => {
    const h = await station({ admin: { pinHash: await hashPin('864213') } });
    expect((await (await h.call('/api/admin/session')).json()).pin).toBe('config');
    expect((await h.call('/api/admin/setup', { method: 'POST', json: { pin: PIN } })).status).toBe(409);
    const ok = await h.call('/api/admin/login', { method: 'POST', json: { pin: '864213', initials: 'AB' } });
    expect(ok.status).toBe(200);
    expect(h.s.store.auditLog.all().at(-1)).toMatchObject({ actor: 'admin AB', action: 'admin-login' });
  });
});

describe('admin routes', () => {
  it('refuse without a session (401) and cross-site posts (403), and store nothing', async () => {
    const h = await station();
    const cookie = await loggedIn(h);
    for (const [method, path] of [
      ['POST', '/api/schedule/upgrades'],
      ['PUT', '/api/schedule/upgrades/u-1'],
      ['DELETE', '/api/schedule/upgrades/u-1'],
      ['POST', '/api/schedule/runs/r-1/run-now'],
      ['POST', '/api/admin/test-pages'],
      ['POST', '/api/admin/drill'],
      ['POST', '/api/admin/kits/systemuppgradering/print'],
      ['GET', '/api/admin/audit'],
    ] as const) {
      const none = await h.call(path, { method, json: method === 'GET' ? undefined : upgrade });
      expect(none.status, `${method} ${path} without a session`).toBe(401);
      expect((await none.json()).error).toBe('unauthorized');
      if (method !== 'GET') {
        const evil = await h.call(path, { method, json: upgrade, cookie, origin: 'http://evil.example' });
        expect(evil.status, `${method} ${path} cross-site`).toBe(403);
        const form = await h.call(path, { method, body: 'start=x', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' }, cookie, origin: null });
        expect(form.status, `${method} ${path} cross-site form`).toBe(403);
      }
    }
    expect((await h.call('/api/schedule/upgrades', { method: 'POST', json: upgrade, cookie: 'rk_admin=forged' })).status).toBe(401);
    expect(h.s.store.schedule.upgrades()).toEqual([]);
    expect(h.s.store.jobs.batches()).toEqual([]);
  });

  it('lock out after 5 wrong PINs for 5 minutes, also across a restart', async () => {
    const dir = tempDir('reservkit-admin-');
    const clock = new FakeClock('2026-03-20T09:00:00Z');
    const h = await station({ dir, clock });
    await loggedIn(h);
    const login = (pin: string, hh = h) => hh.call('/api/admin/login', { method: 'POST', json: { pin } });
    for (let i = 1; i <= 4; i++) {
      const r = await login('000001');
      expect(r.status).toBe(401);
      expect((await r.json()).attemptsLeft).toBe(5 - i);
    }
    const fifth = await login('000001');
    expect(fifth.status).toBe(429);
    expect(fifth.headers.get('retry-after')).toBeTruthy();
    expect((await fifth.json()).message).toMatch(/spärrad till 10:05/);
    const right = await login(PIN);
    expect(right.status).toBe(429); // even the right PIN, while locked
    expect(right.headers.get('set-cookie')).toBeNull();

    await h.s.stop();
    stations.splice(stations.indexOf(h.s), 1);
    const h2 = await station({ dir, clock });
    expect((await login(PIN, h2)).status).toBe(429);
    await clock.advanceBy(5 * 60_000 + 1);
    const after = await login(PIN, h2);
    expect(after.status).toBe(200);
    expect(cookieOf(after).pair).toMatch(/^rk_admin=/);
    expect(h2.s.store.auditLog.all().filter((e) => e.action === 'admin-locked')).toHaveLength(1);
  });

  it('parallel guesses are counted one by one', async () => {
    const h = await station();
    await loggedIn(h);
    const rs = await Promise.all(Array.from({ length: 8 }, () => h.call('/api/admin/login', { method: 'POST', json: { pin: '000001' } })));
    expect(rs.map((r) => r.status).sort()).toEqual([401, 401, 401, 401, 429, 429, 429, 429]);
  });

  it('a session ends after 30 minutes without use, and at logout', async () => {
    const h = await station();
    const cookie = await loggedIn(h);
    await h.clock.advanceBy(29 * 60_000);
    expect((await h.call('/api/admin/audit', { cookie })).status).toBe(200);
    await h.clock.advanceBy(29 * 60_000);
    expect((await h.call('/api/admin/audit', { cookie })).status).toBe(200); // used meanwhile
    await h.clock.advanceBy(31 * 60_000);
    expect((await h.call('/api/admin/audit', { cookie })).status).toBe(401);

    const login = await h.call('/api/admin/login', { method: 'POST', json: { pin: PIN } });
    const c2 = cookieOf(login).pair;
    expect((await h.call('/api/admin/logout', { method: 'POST', cookie: c2 })).status).toBe(200);
    expect((await h.call('/api/admin/audit', { cookie: c2 })).status).toBe(401);
  });
});

describe('planning upgrades over the API', () => {
  it('adds, shows, changes and removes an upgrade; GET /api/schedule needs no session', async () => {
    const h = await station();
    const cookie = await loggedIn(h);
    const add = await h.call('/api/schedule/upgrades', { method: 'POST', json: upgrade, cookie });
    expect(add.status).toBe(201);
    const u = await add.json();
    expect(u).toMatchObject({ kind: 'upgrade', start: '2026-03-30T05:00:00.000Z', end: '2026-03-30T10:00:00.000Z', kitId: 'systemuppgradering', note: 'PMO 24.2' });
    expect(u.run).toMatchObject({ dueAt: '2026-03-27T13:00:00.000Z', result: 'scheduled', validFor: '2026-03-30' });

    const sched = await (await h.call('/api/schedule')).json();
    expect(sched.upgrades.map((x: { id: string }) => x.id)).toEqual([u.id]);
    expect(sched.next).toMatchObject({ id: u.run.id, dueAt: '2026-03-27T13:00:00.000Z' });

    const put = await h.call(`/api/schedule/upgrades/${u.id}`, { method: 'PUT', json: { start: '2026-03-31T07:00', end: '2026-03-31T12:00' }, cookie });
    expect(put.status).toBe(200);
    expect((await put.json()).run).toMatchObject({ dueAt: '2026-03-30T12:00:00.000Z', validFor: '2026-03-31' });

    const del = await h.call(`/api/schedule/upgrades/${u.id}`, { method: 'DELETE', cookie });
    expect(await del.json()).toEqual({ removed: u.id, canceledRuns: [u.run.id] });
    expect((await (await h.call('/api/schedule')).json()).upcoming).toEqual([]);
    expect((await h.call(`/api/schedule/upgrades/${u.id}`, { method: 'DELETE', cookie })).status).toBe(404);
    expect(h.s.store.auditLog.all().map((e) => e.action)).toEqual(expect.arrayContaining(['upgrade-added', 'upgrade-changed', 'upgrade-removed']));
  });

  it.each([
    ['end before start', { ...upgrade, end: '2026-03-30T06:00' }, /Slutet måste vara efter början/],
    ['a date in the past', { ...upgrade, start: '2026-03-19T07:00' }, /har redan passerat/],
    ['an unknown kit', { ...upgrade, kit: 'finns-inte' }, /inget kit "finns-inte"/],
    ['an unknown kind', { ...upgrade, kind: 'reboot' }, /kind/],
    ['an unknown field', { ...upgrade, printer: 'ipp://evil' }, /printer/],
    ['not a date', { ...upgrade, start: 'måndag' }, /"måndag" är inte ett datum/],
  ])('refuses %s with 400 and the reason, storing nothing', async (_n, body, reason) => {
    const h = await station();
    const cookie = await loggedIn(h);
    const res = await h.call('/api/schedule/upgrades', { method: 'POST', json: body, cookie });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(reason);
    expect(h.s.store.schedule.upgrades()).toEqual([]);
    expect(h.s.store.schedule.runs()).toEqual([]);
  });

  it('a failed or missed run can be acknowledged by anyone, with initials', async () => {
    const dir = tempDir('reservkit-admin-');
    const clock = new FakeClock('2026-03-20T09:00:00Z');
    const h = await station({ dir, clock });
    const cookie = await loggedIn(h);
    const u = await (await h.call('/api/schedule/upgrades', { method: 'POST', json: upgrade, cookie })).json();
    await h.s.stop();
    stations.splice(stations.indexOf(h.s), 1);
    clock.jumpTo('2026-03-30T06:00:00Z');
    const h2 = await station({ dir, clock });
    const sched = await (await h2.call('/api/schedule')).json();
    expect(sched.attention.map((r: { id: string }) => r.id)).toEqual([u.run.id]);
    expect(sched.last).toMatchObject({ result: 'missed', resultText: 'Inte utskriven' });
    const ack = await h2.call(`/api/schedule/runs/${u.run.id}/acknowledge`, { method: 'POST', json: { actor: 'CD' } });
    expect(ack.status).toBe(200);
    expect((await (await h2.call('/api/schedule')).json()).attention).toEqual([]);
    expect((await h2.call('/api/schedule/runs/nope/acknowledge', { method: 'POST', json: {} })).status).toBe(404);
  });
});

describe('admin actions', () => {
  it('a test page goes to every printer, sized for its paper', async () => {
    const h = await station();
    const cookie = await loggedIn(h);
    const res = await h.call('/api/admin/test-pages', { method: 'POST', json: {}, cookie });
    expect(res.status).toBe(202);
    const { batchId } = await res.json();
    const jobs = h.s.store.jobsOf(h.s.store.getBatch(batchId)!);
    expect(jobs.map((j) => [j.printerId, j.title, j.media])).toEqual([
      ['a4', 'Testsida Skrivare A4', 'iso_a4_210x297mm'],
      ['etikett', 'Testsida Etikettskrivare', 'om_50x25mm_50x25mm'],
    ]);
    expect(h.s.store.getBatch(batchId)!.actor).toBe('admin');
  });

  it('a kit now and a readiness sheet now are printed and logged under the admin', async () => {
    const h = await station();
    const cookie = await loggedIn(h);
    const kit = await h.call('/api/admin/kits/it-attack/print', { method: 'POST', json: { requestId: 'admin-kit-0001' }, cookie });
    expect(kit.status).toBe(202);
    const drill = await h.call('/api/admin/drill', { method: 'POST', json: {}, cookie });
    expect(drill.status).toBe(202);
    expect(await drill.json()).toMatchObject({ kind: 'drill', status: 'done', batches: [{ title: 'Beredskapskontroll' }] });
    const audit = await (await h.call('/api/admin/audit?limit=50', { cookie })).json();
    expect(audit.entries[0].at >= audit.entries.at(-1).at).toBe(true);
    expect(audit.entries.some((e: { actor: string; action: string }) => e.actor === 'admin' && e.action === 'batch-created')).toBe(true);
    const filtered = await (await h.call('/api/admin/audit?q=drill-now', { cookie })).json();
    expect(filtered.entries.map((e: { action: string }) => e.action)).toEqual(['drill-now']);
    expect((await h.call('/api/admin/audit?limit=9999', { cookie })).status).toBe(400);
  });
});

describe('npm run set-pin', () => {
  it('prints a hash the station accepts as admin.pinHash, and refuses a weak PIN', async () => {
    const { execFileSync, spawnSync } = await import('node:child_process');
    const root = new URL('../../', import.meta.url).pathname;
    const hash = execFileSync(process.execPath, ['--import', 'tsx', 'src/admin/set-pin.ts'], { cwd: root, input: '975310\n', encoding: 'utf8' }).trim();
    expect(hash).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    const h = await station({ admin: { pinHash: hash } });
    expect((await h.call('/api/admin/login', { method: 'POST', json: { pin: '975310' } })).status).toBe(200);
    const weak = spawnSync(process.execPath, ['--import', 'tsx', 'src/admin/set-pin.ts'], { cwd: root, input: '111111\n', encoding: 'utf8' });
    expect(weak.status).toBe(1);
    expect(weak.stdout).toBe('');
    expect(weak.stderr).toMatch(/en och samma siffra/);
  });

  it('a config with a malformed hash stops start-up naming the field', async () => {
    expect(() => testConfig({ admin: { pinHash: 'scrypt$<salt hex>$<hash hex>' } })).toThrow(/admin\.pinHash: must be what `npm run set-pin` prints/);
  });
});
