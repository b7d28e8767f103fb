// The touchscreen pages through app.request(), with small fakes for the services behind them.
import { describe, it, expect, beforeEach } from 'vitest';
import { EventEmitter } from 'node:events';
import vm from 'node:vm';
import { createApp, type AppDeps } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { Batch, Job, JobState } from '../../src/domain/job.js';
import type { PrinterView } from '../../src/printing/printer-monitor.js';
import { ServiceError } from '../../src/services/errors.js';
import * as wording from '../../src/domain/wording.js';
import { formatStepperDate } from '../../src/domain/time.js';
import { systemClock } from '../../src/schedule/clock.js';

const ORIGIN = 'http://localhost:8080'; // the config's default port: the station's own pages

const config = parseConfig({
  unit: { name: 'Vårdcentral Testå' },
  routine: { version: '1.0', date: '2026-01-15' },
  printers: [
    { id: 'a4', name: 'Skrivare A4', uri: 'file:///tmp/reservkit-ui-test/a4', roles: ['a4'] },
    { id: 'etikett', name: 'Etikettskrivare', uri: 'ipp://10.0.0.9/ipp/print', roles: ['labels-roll'] },
  ],
});

const forms = new Map(
  [
    ['vardkontakt', 'Formulär för vårdkontakt'],
    ['telefonlista', 'Telefonlista'],
    ['checklista-upgrade', 'Checklista reservrutin – systemuppgradering'],
  ].map(([id, name]) => [id!, name!] as const).map(([id, name]) => [id, { id, name, role: 'a4', duplex: false, orientation: 'portrait', pages: [] }]),
);

const scenarios = [
  ['upgrade', 'Systemuppgradering'],
  ['shutdown', 'Planerad nedsläckning'],
  ['unplanned', 'Oplanerad driftstörning'],
  ['attack', 'IT-attack'],
] as const;

const kits = new Map(
  scenarios.map(([id, name], order) => [
    id,
    {
      id,
      name,
      scenario: id,
      description: `Skriv ut inför ${name.toLowerCase()}.`,
      order,
      items: [
        { document: 'vardkontakt', copies: 20 },
        { document: 'telefonlista', copies: 3 },
        { document: 'checklista-upgrade', copies: 1 },
      ],
    },
  ]),
);

function printer(id: string, over: Partial<PrinterView> = {}): PrinterView {
  const p = config.printers.find((x) => x.id === id)!;
  return {
    id,
    name: p.name,
    uri: p.uri,
    roles: p.roles,
    reachable: true,
    state: 'idle',
    reasons: [],
    message: '',
    acceptsPdf: true,
    mediaReady: [],
    mediaSupported: [],
    operations: [],
    sidesSupported: [],
    markers: [],
    error: null,
    checkedAt: '2026-03-03T13:03:05.000Z',
    ...over,
  };
}

/** Just enough of the store, print service, monitor and dispatcher for the pages. */
function fakeDeps() {
  const batches: Batch[] = [];
  const jobs = new Map<string, Job>();
  const requests = new Map<string, string>();
  const printers = new Map([
    ['a4', printer('a4')],
    ['etikett', printer('etikett')],
  ]);
  const canceled: Array<{ id: string; actor: string }> = [];
  let n = 0;

  const store = {
    events: new EventEmitter(),
    data: { seriesNext: {} as Record<string, number> },
    getBatch: (id: string) => batches.find((b) => b.id === id),
    getJob: (id: string) => jobs.get(id),
    jobsOf: (b: Batch) => b.jobIds.map((id) => jobs.get(id)!).filter(Boolean),
    recentBatches: (limit = 20) => batches.slice(-limit).reverse(),
    batchForRequest: (rid: string) => batches.find((b) => b.id === requests.get(rid)),
  };

  const printService = {
    calls: 0,
    /** The kit page warms the PDF engine (nothing to warm in this fake). */
    warmUp() {},
    async printKit(kitId: string, opts: { requestId?: string; actor?: string } = {}) {
      printService.calls++;
      const kit = kits.get(kitId as 'upgrade');
      if (!kit) throw new ServiceError('not-found', `Det finns ingen kit med id "${kitId}".`);
      const seen = opts.requestId ? store.batchForRequest(opts.requestId) : undefined;
      if (seen) return { batch: seen, jobs: store.jobsOf(seen), duplicate: true };
      const at = new Date().toISOString();
      const batchId = `b-${++n}`;
      const made: Job[] = kit.items.map((item, i) => ({
        id: `${batchId}-j${i}`,
        batchId,
        documentId: item.document,
        title: forms.get(item.document)!.name,
        copies: item.copies,
        printerId: 'a4',
        state: 'pending',
        reasons: [],
        message: '',
        spoolFile: 'x.pdf',
        pages: 1,
        sides: 'one-sided',
        attempts: 0,
        createdAt: at,
        updatedAt: at,
      }));
      for (const j of made) jobs.set(j.id, j);
      const batch: Batch = { id: batchId, kind: 'kit', title: kit.name, kitId, requestId: opts.requestId, actor: opts.actor, jobIds: made.map((j) => j.id), serials: {}, createdAt: at };
      batches.push(batch);
      if (opts.requestId) requests.set(opts.requestId, batchId);
      return { batch, jobs: made, duplicate: false };
    },
  };

  const deps = {
    config,
    catalog: { forms, documents: forms, kits, labels: new Map() },
    store,
    monitor: { events: new EventEmitter(), all: () => [...printers.values()], get: (id: string) => printers.get(id) },
    dispatcher: {
      kick() {},
      async cancel(id: string, actor: string) {
        canceled.push({ id, actor });
        const j = jobs.get(id)!;
        j.state = 'canceled';
        j.reasons = ['job-canceled-by-user'];
        j.message = 'Avbrutet av personal.';
        return j;
      },
    },
    printService,
    startedAt: new Date(),
    clock: systemClock,
  } as unknown as AppDeps;

  const setJob = (id: string, state: JobState, reasons: string[] = [], message = '') => Object.assign(jobs.get(id)!, { state, reasons, message });
  return { deps, app: createApp(deps), batches, printers, printService, canceled, setJob };
}

function form(fields: Record<string, string>, origin: string | null = ORIGIN): RequestInit {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (origin) headers.origin = origin;
  return { method: 'POST', headers, body: new URLSearchParams(fields).toString() };
}

const requestIdOf = (html: string) => /name="requestId" value="([^"]+)"/.exec(html)?.[1];

let t: ReturnType<typeof fakeDeps>;
beforeEach(() => {
  t = fakeDeps();
});

describe('start page', () => {
  it('shows the unit and one big button per scenario, linking to its confirm page', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('Vårdcentral Testå');
    const buttons = [...html.matchAll(/<a class="scenario" href="([^"]+)"><span class="scenario-name">([^<]+)</g)].map((m) => [m[1], m[2]]);
    expect(buttons).toEqual(scenarios.map(([id, name]) => [`/kits/${id}`, name]));
  });

  it('shows each printer in plain Swedish, a printer that is not ready in red', async () => {
    t.printers.set('etikett', printer('etikett', { state: 'stopped', reasons: ['media-empty-error'] }));
    const html = await (await t.app.request('/')).text();
    expect(html).toMatch(/Skrivare A4<\/span> <span class="chip tone-ok js-pstate">Redo</);
    expect(html).toMatch(/Etikettskrivare<\/span> <span class="chip tone-bad js-pstate">Stoppad – Papper slut</);
  });

  it('lists the last five prints with their state', async () => {
    for (let i = 0; i < 6; i++) await t.printService.printKit('upgrade', { requestId: `req-home-${i}` });
    const first = t.batches[5]!;
    for (const id of first.jobIds) t.setJob(id, 'completed');
    const html = await (await t.app.request('/')).text();
    const links = [...html.matchAll(/href="\/batches\/([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(['b-6', 'b-5', 'b-4', 'b-3', 'b-2']);
    expect(html).toContain('<span class="chip tone-ok">Klar</span>');
    expect(html).toContain('<span class="chip tone-busy">Skriver ut</span>');
  });
});

describe('confirm page', () => {
  it('lists what will print, on which printer, with a fresh hidden request id per view', async () => {
    const res = await t.app.request('/kits/upgrade');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1 id="kit-h">Systemuppgradering</h1>');
    expect(html).toMatch(/<td>Formulär för vårdkontakt<\/td><td class="num">20 st<\/td><td class="col-printer">Skrivare A4<\/td>/);
    expect(html).toMatch(/<h2>Skrivs ut på<\/h2><p class="printer-note" data-printer-id="a4"><span class="printer-name">Skrivare A4<\/span> <span class="chip tone-ok js-pstate">Redo<\/span><span class="printer-advice js-advice" hidden=""><\/span>/);
    expect(html).toMatch(/<td>Telefonlista<\/td><td class="num">3 st<\/td>/);
    expect(html).toContain('3 dokument, 24 exemplar');
    expect(html).toMatch(/<form method="post" action="\/kits\/upgrade\/print"/);
    expect(html).toMatch(/<input type="hidden" name="requestId" value="[0-9a-f-]{36}"/);
    expect(html).toMatch(/<input type="text" name="actor" maxlength="10"/);
    expect(html).toMatch(/<button type="submit" class="button primary huge">Skriv ut<\/button>/);
    expect(html).toContain('href="/">Tillbaka</a>');
    const again = await (await t.app.request('/kits/upgrade')).text();
    expect(requestIdOf(again)).not.toBe(requestIdOf(html));
  });

  it('answers an unknown kit with a Swedish 404 page and a way home', async () => {
    const res = await t.app.request('/kits/finns-inte');
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('Finns inte');
    expect(html).toContain('Det finns inget reservkit som heter ”finns-inte”.');
    expect(html).toContain('href="/">Till startsidan</a>');
  });
});

describe('printing from the form', () => {
  it('refuses a form post without an Origin (CSRF)', async () => {
    const html = await (await t.app.request('/kits/upgrade')).text();
    const res = await t.app.request('/kits/upgrade/print', form({ requestId: requestIdOf(html)! }, null));
    expect(res.status).toBe(403);
    expect(t.printService.calls).toBe(0);
  });

  it('refuses a form post from another site', async () => {
    const res = await t.app.request('/kits/upgrade/print', form({ requestId: 'abcdefgh-1234' }, 'http://evil.example'));
    expect(res.status).toBe(403);
    expect(t.printService.calls).toBe(0);
  });

  it('prints the kit and sends the browser to its progress page (303)', async () => {
    const html = await (await t.app.request('/kits/upgrade')).text();
    const res = await t.app.request('/kits/upgrade/print', form({ requestId: requestIdOf(html)!, actor: 'AB' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/batches/b-1');
    expect(t.batches).toHaveLength(1);
    expect(t.batches[0]!.actor).toBe('AB');
  });

  it('a double tap prints one kit, not two', async () => {
    const rid = requestIdOf(await (await t.app.request('/kits/upgrade')).text())!;
    const [a, b] = await Promise.all([
      t.app.request('/kits/upgrade/print', form({ requestId: rid })),
      t.app.request('/kits/upgrade/print', form({ requestId: rid })),
    ]);
    expect(a.headers.get('location')).toBe('/batches/b-1');
    expect(b.headers.get('location')).toBe('/batches/b-1');
    expect(t.batches).toHaveLength(1);
  });

  it('shows the form again with what to fix when the initials are wrong, printing nothing', async () => {
    const res = await t.app.request('/kits/upgrade/print', form({ requestId: 'abcdefgh-1234', actor: 'ABCDEFGHIJKL' }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Initialerna får vara högst 10 tecken.');
    expect(html).toMatch(/name="requestId" value="[0-9a-f-]{36}"/);
    expect(t.batches).toHaveLength(0);
  });

  it('refuses a post without a request id', async () => {
    const res = await t.app.request('/kits/upgrade/print', form({}));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Sidan var inaktuell');
    expect(t.batches).toHaveLength(0);
  });

  it('answers a print of an unknown kit with the service’s message on a 404 page', async () => {
    const res = await t.app.request('/kits/nope/print', form({ requestId: 'abcdefgh-1234' }));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Det finns ingen kit med id &quot;nope&quot;.');
  });
});

describe('progress page', () => {
  async function printed() {
    const r = await t.printService.printKit('upgrade', { requestId: 'req-progress-1', actor: 'CD' });
    return r.batch;
  }

  it('shows each document with its state in Swedish while printing', async () => {
    const batch = await printed();
    const [a, b, c] = batch.jobIds;
    t.setJob(a!, 'completed', ['job-completed-successfully']);
    t.setJob(b!, 'processing', ['job-printing']);
    t.setJob(c!, 'pending', ['station-retrying', 'station-printer-unreachable'], 'Skrivaren svarar inte – försöker igen kl 14:03:05.');
    const res = await t.app.request(`/batches/${batch.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`data-batch-id="${batch.id}"`);
    expect(html).toMatch(/<td class="doc">Formulär för vårdkontakt<\/td><td class="num js-qty">20 st, 20 sidor<\/td><td class="col-printer js-printer">Skrivare A4<\/td>/);
    expect(html).toContain('<span class="chip tone-ok js-state">Klar</span>');
    expect(html).toContain('<span class="chip tone-busy js-state">Skrivs ut</span>');
    expect(html).toContain('<span class="chip tone-warn js-state">Väntar på skrivaren</span>');
    expect(html).toContain('Skrivaren svarar inte – försöker igen kl 14:03:05.');
    expect(html).toContain('Väntar på skrivaren … 1 av 3 klara');
    // a cancel button for each unfinished document only
    expect(html.match(/<form method="post" action="\/jobs\/[^"]+\/cancel" class="js-cancel">/g)).toHaveLength(2);
    expect(html).toMatch(/<form method="post" action="\/jobs\/[^"]+-j0\/cancel" class="js-cancel" hidden="">/);
    // live updates come from an external script; with scripting off the page reloads itself
    expect(html).toMatch(/<script src="\/static\/app\.js\?v=[0-9a-f]{12}" defer=""><\/script>/);
    expect(html).toContain('<noscript><meta http-equiv="refresh" content="5"/></noscript>');
  });

  it('says so when everything is printed, and stops reloading', async () => {
    const batch = await printed();
    for (const id of batch.jobIds) t.setJob(id, 'completed');
    const html = await (await t.app.request(`/batches/${batch.id}`)).text();
    expect(html).toContain('Klart – alla dokument utskrivna');
    expect(html).toContain('data-state="completed"');
    expect(html).not.toContain('http-equiv="refresh"');
  });

  it('says what went wrong when a document failed', async () => {
    const batch = await printed();
    const [a, b, c] = batch.jobIds;
    t.setJob(a!, 'completed');
    t.setJob(b!, 'aborted', ['station-retry-limit'], 'Skrivaren svarade inte efter 20 försök (timeout).');
    t.setJob(c!, 'canceled', ['job-canceled-by-user'], 'Avbrutet av personal.');
    const html = await (await t.app.request(`/batches/${batch.id}`)).text();
    expect(html).toContain('<span class="chip tone-bad js-state">Misslyckades</span>');
    expect(html).toContain('<span class="chip tone-idle js-state">Avbruten</span>');
    expect(html).toContain('Något gick fel: Telefonlista: Skrivaren svarade inte efter 20 försök (timeout); Checklista reservrutin – systemuppgradering: Avbrutet av personal.');
  });

  it('cancels a document from its button and goes back to the batch', async () => {
    const batch = await printed();
    const job = batch.jobIds[1]!;
    const res = await t.app.request(`/jobs/${job}/cancel`, form({}));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/batches/${batch.id}`);
    expect(t.canceled).toEqual([{ id: job, actor: 'personal' }]);
    expect((await t.app.request(`/jobs/${job}/cancel`, form({}, null))).status).toBe(403);
  });

  it('answers an unknown batch or job with a Swedish 404 page', async () => {
    const res = await t.app.request('/batches/b-404');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Utskriften finns inte.');
    const res2 = await t.app.request('/jobs/j-404/cancel', form({}));
    expect(res2.status).toBe(404);
    expect(await res2.text()).toContain('Dokumentet finns inte i någon utskrift.');
  });
});

describe('printers page', () => {
  it('shows state, reasons in Swedish, PDF support and when it was last asked', async () => {
    t.printers.set('etikett', printer('etikett', { state: 'idle', acceptsPdf: false, reasons: ['toner-low-report', 'developer-low-report'] }));
    t.printers.set('a4', printer('a4', { reachable: false, state: 'unknown', reasons: ['station-timeout'], error: 'timeout after 10000 ms' }));
    const html = await (await t.app.request('/printers')).text();
    expect(html).toContain('Tar inte emot PDF – behöver en CUPS-kö, se README');
    expect(html).toContain('Toner snart slut, developer-low-report');
    expect(html).toContain('<span class="chip tone-bad js-pstate">Skrivaren svarar inte (tidsgräns)</span>');
    expect(html).toContain('kl 14:03:05');
    expect(html).toContain('Etikettrulle');
  });
});

describe('every page', () => {
  async function allPages(): Promise<Array<[string, Response]>> {
    const rid = requestIdOf(await (await t.app.request('/kits/upgrade')).text())!;
    await t.app.request('/kits/upgrade/print', form({ requestId: rid }));
    return Promise.all(
      [
        ['/', undefined],
        ['/kits/upgrade', undefined],
        ['/batches/b-1', undefined],
        ['/printers', undefined],
        ['/kits/nope', undefined],
        ['/kits/upgrade/print', form({ requestId: 'x' })],
      ].map(async ([path, init]) => [path as string, await t.app.request(path as string, init as RequestInit | undefined)] as [string, Response]),
    );
  }

  it('has no inline script or style (the CSP forbids them) and comes with the CSP', async () => {
    for (const [path, res] of await allPages()) {
      const html = await res.text();
      expect(res.headers.get('content-security-policy'), path).toContain("script-src 'self'");
      expect(html, path).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/i);
      expect(html, path).not.toMatch(/<script\b(?![^>]*\bsrc=)[^>]*>/i);
      expect(html, path).not.toMatch(/\sstyle=/i);
      expect(html, path).not.toMatch(/<style\b/i);
      expect(html, path).not.toMatch(/\son[a-z]+=/i);
      expect(html, path).toContain('<link rel="stylesheet" href="/static/app.css?v=');
    }
  });
});

describe('static files', () => {
  it('serves the stylesheet and the script with their types, cacheable, with an ETag', async () => {
    const css = await t.app.request('/static/app.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.scenario');
    const js = await t.app.request('/static/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toMatch(/^var RESERVKIT_WORDING = \{/);
    const etag = js.headers.get('etag')!;
    const again = await t.app.request('/static/app.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const html = await (await t.app.request('/')).text();
    const linked = /href="(\/static\/app\.css\?v=[0-9a-f]+)"/.exec(html)![1]!;
    expect((await t.app.request(linked)).headers.get('cache-control')).toContain('immutable');
    expect((await t.app.request('/static/other.js')).status).toBe(404);
  });

  it('the live script decides no state: it gets no state tables and has no state rules of its own', async () => {
    const code = await (await t.app.request('/static/app.js')).text();
    const ctx: Record<string, unknown> = {};
    vm.runInNewContext(code, ctx);
    // what the server sends along: only the texts the script sets on its own
    expect(Object.keys(ctx.RESERVKIT_WORDING as object).sort()).toEqual(['confirmTexts', 'liveTexts', 'stepperNames']);
    expect(Object.keys(ctx.reservkitUi as object).sort()).toEqual(['stepLocal', 'stepperTexts']);
    // no job states, reason keywords or printer states spelled out in the script
    const script = code.slice(code.indexOf('\n(function'));
    for (const word of ["'aborted'", "'canceled'", "'pending-held'", "'completed'", 'station-', "'stopped'", 'media-empty'])
      expect(script, word).not.toContain(word);
    // the date steppers: wall-clock steps across month, year and daylight-saving ends, Swedish names
    const steps = ctx.reservkitUi as { stepLocal: (v: string, d: number, m: number) => string; stepperTexts: (v: string) => { date: string; time: string } };
    expect(steps.stepLocal('2026-03-28T07:00', 1, 0)).toBe('2026-03-29T07:00');
    expect(steps.stepLocal('2026-12-31T23:45', 0, 15)).toBe('2027-01-01T00:00');
    expect(steps.stepLocal('2026-03-01T00:00', -1, -60)).toBe('2026-02-27T23:00');
    for (const d of ['2026-12-07', '2026-01-01', '2026-05-31', '2028-02-29']) expect(steps.stepperTexts(`${d}T14:00`).date, d).toBe(formatStepperDate(d));
    expect(JSON.stringify(steps.stepperTexts('2026-12-07T14:00'))).toBe(JSON.stringify({ date: 'mån 7 dec 2026', time: '14:00' }));
    // a day only (documents, the ledger's filter): the same steps and names, no time
    expect(steps.stepLocal('2026-12-31', 1, 0)).toBe('2027-01-01');
    expect(steps.stepLocal('2028-03-01', -1, 0)).toBe('2028-02-29');
    expect(steps.stepLocal('', 1, 0)).toBe('');
    for (const d of ['2026-12-07', '2026-03-29', '2027-01-01']) expect(steps.stepperTexts(d), d).toEqual({ date: formatStepperDate(d), time: '–' });
  });
});
