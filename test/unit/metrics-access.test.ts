// The metrics listener's rules without sockets: the allowlist (IPv4, IPv6, IPv4-mapped), the
// listen address, the token file, the app's answers for a given peer address, the config's
// refusals, and toner levels read from marker-levels or printer-supply.
import { describe, it, expect } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Allowlist, parseCidr, parseListen } from '../../src/monitoring/addresses.js';
import { metricsApp, readToken } from '../../src/monitoring/metrics-listener.js';
import { markersOf } from '../../src/printing/ipp-backend.js';
import { tempDir, testConfig } from '../helpers/config.js';

describe('allowlist', () => {
  const list = new Allowlist(['10.0.0.0/8', '127.0.0.1/32', 'fd00:1234::/32', '::1']);
  it.each([
    ['10.1.2.3', true],
    ['10.255.255.255', true],
    ['11.0.0.1', false],
    ['127.0.0.1', true],
    ['127.0.0.2', false],
    ['::ffff:10.9.8.7', true], // an IPv4 client on a dual-stack socket
    ['::ffff:192.168.1.1', false],
    ['fd00:1234:5::1', true],
    ['fd00:1235::1', false],
    ['::1', true],
    ['', false],
    ['not-an-address', false],
  ])('%s → %s', (addr, ok) => expect(list.allows(addr || undefined)).toBe(ok));

  it('refuses entries that are not addresses or CIDRs', () => {
    for (const bad of ['10.0.0.0/33', '::/129', 'example.org', '10.0.0/8', '10.0.0.0/']) expect(parseCidr(bad), bad).toBeUndefined();
    expect(() => new Allowlist(['10.0.0.0/33'])).toThrow(/not an address or CIDR/);
  });

  it('parses listen addresses', () => {
    expect(parseListen('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseListen('[::]:9464')).toEqual({ host: '::', port: 9464 });
    expect(parseListen('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    for (const bad of ['9464', '0.0.0.0', ':::9464', '[nope]:1', '1.2.3.4:70000']) expect(parseListen(bad), bad).toBeUndefined();
  });
});

describe('metrics config', () => {
  it('names the wrong field', () => {
    expect(() => testConfig({ metrics: { listen: '9464', allow: ['10.0.0.0/8'] } })).toThrow(/metrics\.listen: HOST:PORT/);
    expect(() => testConfig({ metrics: { listen: '0.0.0.0:9464', allow: [] } })).toThrow(/metrics\.allow: at least one/);
    expect(() => testConfig({ metrics: { listen: '0.0.0.0:9464', allow: ['10/8'] } })).toThrow(/metrics\.allow\.0: an address or CIDR/);
    expect(() => testConfig({ metrics: { listen: '0.0.0.0:9464', allow: ['10.0.0.0/8'], token: 'inline' } })).toThrow(/metrics: unknown key "token" \(known keys: listen, allow, tokenFile\)/);
    expect(testConfig({ metrics: { listen: '0.0.0.0:9464', allow: ['10.0.0.0/8'] } }).metrics?.allow).toEqual(['10.0.0.0/8']);
  });
});

describe('token file', () => {
  const dir = tempDir();
  it('reads one token, trimmed; warns when others can read it', () => {
    const f = path.join(dir, 'ok.token');
    writeFileSync(f, 'abc123\n');
    chmodSync(f, 0o644);
    const logs: string[] = [];
    expect(readToken(f, (m) => logs.push(m))).toBe('abc123');
    expect(logs.join()).toMatch(/kan läsas av alla/);
  });
  it('a missing, empty or two-word file stops start-up with the reason', () => {
    expect(() => readToken(path.join(dir, 'none'))).toThrow(/metrics\.tokenFile: cannot read/);
    writeFileSync(path.join(dir, 'empty'), '\n');
    expect(() => readToken(path.join(dir, 'empty'))).toThrow(/is empty/);
    writeFileSync(path.join(dir, 'two'), 'a b');
    expect(() => readToken(path.join(dir, 'two'))).toThrow(/one token/);
  });
});

describe('metrics app', () => {
  const app = metricsApp({ allowlist: new Allowlist(['10.0.0.0/8']), token: 's3cret', metrics: () => 'reservkit_up 1\n', health: () => ({ status: 'ok' }) });
  const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
  it('checks the peer address before the token, and never trusts X-Forwarded-For', async () => {
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer s3cret', 'x-forwarded-for': '10.0.0.1' } }, from('192.0.2.1'))).status).toBe(403);
    expect((await app.request('/metrics', {}, {})).status).toBe(403);
    expect((await app.request('/metrics', {}, from('10.0.0.1'))).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer s3cretX' } }, from('10.0.0.1'))).status).toBe(401);
    const ok = await app.request('/metrics', { headers: { authorization: 'Bearer s3cret' } }, from('::ffff:10.0.0.1'));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('reservkit_up 1\n');
    expect((await app.request('/api/kits', { headers: { authorization: 'Bearer s3cret' } }, from('10.0.0.1'))).status).toBe(404);
  });
  it('without a token file, the allowlist alone decides', async () => {
    const open = metricsApp({ allowlist: new Allowlist(['10.0.0.0/8']), metrics: () => '', health: () => ({ status: 'ok' }) });
    expect((await open.request('/healthz', {}, from('10.0.0.1'))).status).toBe(200);
    expect((await open.request('/healthz', {}, from('127.0.0.1'))).status).toBe(403);
  });
});

describe('toner levels', () => {
  it('reads marker-levels with names and types', () => {
    expect(markersOf({ 'marker-names': ['Black Toner', 'Cyan'], 'marker-types': ['toner', 'toner'], 'marker-levels': [42, -1] })).toEqual([
      { name: 'Black Toner', type: 'toner', level: 42 },
      { name: 'Cyan', type: 'toner', level: -1 },
    ]);
  });
  it('falls back to printer-supply (PWG 5100.13), scaling a capacity other than percent', () => {
    expect(
      markersOf({
        'printer-supply': [
          'index=1;class=supplyThatIsConsumed;type=toner;unit=percent;maxcapacity=100;level=75;colorantname=black;',
          'index=2;class=receptacleThatIsFilled;type=wasteToner;unit=other;maxcapacity=200;level=50;',
          'index=3;type=ink;',
        ],
      }),
    ).toEqual([
      { name: 'toner black', type: 'toner', level: 75 },
      { name: 'waste-toner', type: 'waste-toner', level: 25 },
    ]);
  });
  it('nothing when the printer reports neither', () => expect(markersOf({})).toEqual([]));
});
