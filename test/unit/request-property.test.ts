// Property test of the label and document endpoints (JSON API and the touchscreen's form posts)
// with fast-check: random bodies, fields and values — numbers of every kind, strings, booleans,
// arrays, objects, broken JSON — sent to one in-process station in turn. Whatever comes in, the
// answer is never a 5xx, and an answer in 4xx leaves the station's data byte-for-byte unchanged (no
// number drawn, no job, no write). Runs are few enough to stay well under 30 s on a loaded machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createStation, type Station } from '../../src/station.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { testConfig } from '../helpers/config.js';
import { stationFingerprint } from '../helpers/station-snapshot.js';

const ORIGIN = 'http://127.0.0.1:8080';
const LOCAL = { incoming: { socket: { remoteAddress: '127.0.0.1', localPort: 8080 } } };
const RUNS = 64;

let s: Station;
let issued = '';

beforeAll(async () => {
  const config = testConfig({
    server: { host: '127.0.0.1', port: 8080 },
    prescribers: [{ name: 'Anna Exempelsson', profession: 'Läkare', prescriberCode: '1234567' }],
    printers: [
      { id: 'a4', name: 'Skrivare A4', uri: 'ipp://a4.invalid/ipp/print', roles: ['a4', 'labels-sheet'] },
      { id: 'etikett', name: 'Etikettskrivare', uri: 'ipp://etikett.invalid/ipp/print', roles: ['labels-roll'], media: 'om_50x25mm_50x25mm', duplex: false },
    ],
    schedule: { drill: { cron: '' } },
    // A block large enough that the accepted requests do not use it up (a used-up block is refused, 409, which is tested too).
    series: [
      { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 909999, padding: 7, checkDigit: 'luhn' },
      { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 9999, padding: 5, checkDigit: 'none' },
    ],
  });
  s = await createStation(config, { log: () => {}, backends: new Map([['a4', new FakeBackend()], ['etikett', new FakeBackend()]]) });
  const r = await send({ kind: 'json', url: '/api/labels', body: JSON.stringify({ referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8' }) });
  expect(r.status).toBe(202);
  issued = ((await r.json()) as { numbers: string[] }).numbers[0]!;
  await settle();
});
afterAll(async () => {
  await s?.stop();
});

/** Lets what a successful request queued finish, so the data folder is still between requests. */
async function settle(): Promise<void> {
  await s.printService.renderingDone();
  for (let i = 0; i < 400 && s.store.unfinishedJobs().length; i++) await new Promise((r) => setTimeout(r, 25));
  await s.store.flush();
}

type Req =
  | { kind: 'json'; url: string; body: string }
  | { kind: 'query'; url: string }
  | { kind: 'form'; url: string; fields: Record<string, string>; multipart: boolean };

function send(req: Req): Promise<Response> {
  const url = `${ORIGIN}${req.url}`;
  if (req.kind === 'query') return Promise.resolve(s.app.request(url, {}, LOCAL));
  if (req.kind === 'json') return Promise.resolve(s.app.request(url, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: req.body }, LOCAL));
  let body: BodyInit;
  const headers: Record<string, string> = { origin: ORIGIN };
  if (req.multipart) {
    const fd = new FormData();
    for (const [k, v] of Object.entries(req.fields)) fd.append(k, v);
    body = fd;
  } else {
    body = new URLSearchParams(req.fields).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  return Promise.resolve(s.app.request(url, { method: 'POST', headers, body }, LOCAL));
}

// ---- what the requests are made of ----

/** Values that Number() or z.coerce would read as a small whole number, which must still be refused. */
const coercible = fc.constantFrom<unknown>(true, [3], ['2'], '3', ' 3 ', '0x3', '1e0', '2.0', [], '');
/** Mostly small whole numbers (some of which print), and everything a number must not be taken from. */
const numberish = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 4 }) },
  { weight: 3, arbitrary: coercible },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('3', ' 3 ', '0x10', '1e1', '', '-0', 'Infinity'),
  fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 2 }),
  fc.array(fc.constantFrom('1', '2'), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);
const textish = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('a4-3x8', 'rulle-50x25', 'a4', 'etikett', 'remiss', 'kvitto', '2026-01-15', '2026-13-45'), fc.integer(), fc.constant(null));
const anyValue = fc.oneof(numberish, textish, fc.jsonValue({ maxDepth: 2 }));

const jsonFields = ['referrals', 'labelsPerReferral', 'startPosition', 'labels', 'copies', 'labelsPerNumber', 'layout', 'printer', 'number', 'requestId', 'actor', 'series', 'from', 'to', 'validFor', 'calibration', 'prescriberCode', 'labelLayout', 'extra'];
const jsonBodies = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...jsonFields), anyValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)) },
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 20 }),
);
const documentIds = fc.constantFrom('provtagningsremiss', 'kvitto', 'vardkontakt', 'mottagningslista', 'receptoverskrift', 'avstamning', 'finns-inte');

const digitsOrNot = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 5 }).map(String) },
  fc.constantFrom('', ' 3 ', '+3', '3.0', '1e1', '0x10', 'true', '３', '99999999999', '-1'),
  fc.string({ maxLength: 8 }),
);
const formFields = ['referrals', 'labelsPerReferral', 'startPosition', 'labels', 'copies', 'labelsPerNumber', 'layout', 'printer', 'target', 'number', 'actor', 'validFor', 'series', 'from', 'to', 'prescriber'];
const formValue = fc.oneof(digitsOrNot, textish.map(String), fc.constantFrom('a4-3x8@a4', 'rulle-50x25@etikett', 'code:1234567', 'other'));
/** A form's number field: digits, or text that Number() would read as a small whole number. */
const formNumber = fc.oneof({ weight: 2, arbitrary: digitsOrNot }, fc.constantFrom(' 3 ', '+2', '2.0', '0x3', '1e0', 'true', '\t1'));

const NUMERIC = ['referrals', 'labelsPerReferral', 'startPosition', 'labels', 'copies', 'labelsPerNumber'];

/**
 * A valid request of each endpoint with up to three of its fields replaced (or a key added), so
 * that many requests print and the rest are refused for one value: that is where a coerced type
 * would slip through. Plus fully random bodies and broken JSON.
 */
function requests(): fc.Arbitrary<Req> {
  const rid = fc.oneof({ weight: 5, arbitrary: fc.uuid() }, fc.constant('kort'), fc.constant(''));
  /** The base with up to three keys (its own, a numeric one, or an unknown one) given other values; numeric keys get number-like ones. */
  const mutate = <V>(base: Record<string, V>, value: fc.Arbitrary<V>, numberValue: fc.Arbitrary<V>) =>
    fc
      .uniqueArray(fc.constantFrom(...new Set([...Object.keys(base), ...NUMERIC, 'extra'])), { maxLength: 3 })
      .chain((keys) => fc.tuple(...keys.map((k) => (NUMERIC.includes(k) ? numberValue : value).map((v) => [k, v] as const))))
      .map((pairs) => ({ ...base, ...Object.fromEntries(pairs) }));
  const json = (url: string, base: Record<string, unknown>) => mutate(base, anyValue, numberish as fc.Arbitrary<unknown>).map((b): Req => ({ kind: 'json', url, body: JSON.stringify(b) }));
  const form = (url: string, base: Record<string, string>) =>
    fc
      .record({ fields: mutate(base, formValue, formNumber), requestId: rid, multipart: fc.boolean() })
      .map(({ fields, requestId, multipart }): Req => ({ kind: 'form', url, multipart, fields: { requestId, ...fields } }));
  const randomJson = fc.record({ url: fc.constantFrom('/api/labels', '/api/labels/reprint', '/api/documents/kvitto/print'), body: jsonBodies }).map((r): Req => ({ kind: 'json', ...r }));
  const query = mutate({ referrals: '1', labelsPerReferral: '1', layout: 'a4-3x8' }, formValue, formNumber).map(
    (q): Req => ({ kind: 'query', url: `/api/labels/preview?${new URLSearchParams(q)}` }),
  );
  return fc.oneof(
    json('/api/labels', { referrals: 1, labelsPerReferral: 1, layout: 'a4-3x8' }),
    json('/api/labels/reprint', { number: issued, labels: 1, layout: 'a4-3x8' }),
    json('/api/documents/provtagningsremiss/print', { copies: 1 }),
    json('/api/documents/kvitto/print', { copies: 1 }),
    json('/api/documents/mottagningslista/print', { copies: 1, validFor: '2026-01-15' }),
    json('/api/series/remiss/reconciliation/print', { from: '2026-01-01', to: '2026-12-31', copies: 1 }),
    randomJson,
    query,
    form('/etiketter/skriv-ut', { referrals: '1', labelsPerReferral: '1', layout: 'a4-3x8' }),
    form('/etiketter/kopia', { number: issued, labels: '1', target: 'a4-3x8@a4' }),
    form('/dokument/provtagningsremiss/print', { copies: '1' }),
    form('/dokument/kvitto/print', { copies: '1' }),
  );
}

/** The numeric fields a request carried that are not whole numbers as the request's kind must spell them. */
function inexactNumbers(req: Req): string[] {
  if (req.kind === 'json') {
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return [];
    }
    if (!body || typeof body !== 'object') return [];
    return NUMERIC.filter((k) => k in body && !Number.isInteger((body as Record<string, unknown>)[k]));
  }
  // A form reads its own fields and ignores others (a browser may send more), so only its own count.
  const own = req.url.startsWith('/etiketter/kopia') ? ['labels', 'startPosition'] : req.url.startsWith('/dokument/') ? ['copies', 'labelsPerNumber'] : ['referrals', 'labelsPerReferral', 'startPosition'];
  const fields = req.kind === 'form' ? req.fields : Object.fromEntries(new URL(req.url, ORIGIN).searchParams);
  return own.filter((k) => k in fields && fields[k] !== '' && !/^[0-9]+$/.test(fields[k]!));
}

describe('label and document endpoints under random input', () => {
  it('never answer 5xx, and change nothing when they answer 4xx', { timeout: 120_000 }, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests(), async (req) => {
        const before = await stationFingerprint(s);
        const r = await send(req);
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect(r.status).toBeLessThan(500);
        if (r.status >= 400 || req.kind === 'query') expect(await stationFingerprint(s)).toBe(before);
        else {
          // Accepted: then every number in it was a whole number, spelt as one (nothing coerced).
          expect(inexactNumbers(req)).toEqual([]);
          await settle();
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31), verbose: 1 },
    );
    if (process.env.FC_VERBOSE) console.log('statuses', JSON.stringify([...statuses].sort()));
    // The inputs reached both sides: some requests printed, many were refused.
    const ok = [...statuses].filter(([st]) => st < 400).reduce((n, [, c]) => n + c, 0);
    const refused = [...statuses].filter(([st]) => st >= 400).reduce((n, [, c]) => n + c, 0);
    expect(ok).toBeGreaterThan(RUNS / 10);
    expect(refused).toBeGreaterThan(RUNS / 4);
  });
});
