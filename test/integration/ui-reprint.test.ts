// The touch UI's answers to faults, against a real in-process station (folder printer, fake clock
// of nothing): a second press within seconds asks first; a failed document gets "Skriv ut igen";
// the history lists final states.
import { describe, it, expect, afterEach } from 'vitest';
import { createStation, type Station } from '../../src/station.js';
import { testConfig } from '../helpers/config.js';
import { FakeBackend } from '../helpers/fake-backend.js';
import { until } from '../helpers/wait.js';

const ORIGIN = 'http://127.0.0.1';
let station: Station | undefined;
afterEach(async () => {
  await station?.stop();
  station = undefined;
});

async function start(backend?: FakeBackend) {
  const config = testConfig();
  station = await createStation(config, { log: () => {}, backends: backend ? new Map([['a4', backend]]) : undefined });
  return station;
}
const form = (body: Record<string, string>) => ({
  method: 'POST',
  headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(body).toString(),
});
describe('touch UI and faults', () => {
  it('a second press of the same kit within seconds asks before printing it again', async () => {
    const s = await start();
    const first = await s.app.request(`${ORIGIN}/kits/it-attack/print`, form({ requestId: 'ui-press-0001' }));
    expect(first.status).toBe(303);
    const second = await s.app.request(`${ORIGIN}/kits/it-attack/print`, form({ requestId: 'ui-press-0002' }));
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toMatch(/IT-attack skrevs ut för \d+ sekunder? sedan/);
    expect(html).toContain('Ja, skriv ut en gång till');
    expect(html).toContain('name="confirmRepeat" value="1"');
    expect(s.store.jobs.batches()).toHaveLength(1);
    const newId = /name="requestId" value="([^"]+)"/.exec(html)![1]!;
    const third = await s.app.request(`${ORIGIN}/kits/it-attack/print`, form({ requestId: newId, confirmRepeat: '1' }));
    expect(third.status).toBe(303);
    expect(s.store.jobs.batches()).toHaveLength(2);
  });

  it('a failed document shows "Skriv ut igen", and one press queues it again', async () => {
    const fake = new FakeBackend();
    fake.mode = 'abort';
    const s = await start(fake);
    const r = await s.app.request(`${ORIGIN}/kits/it-attack/print`, form({ requestId: 'ui-press-0003' }));
    const batchUrl = r.headers.get('location')!;
    const batch = s.store.jobs.batches()[0]!;
    await until(() => s.store.jobsOf(batch).every((j) => j.state === 'aborted'));
    const page = await (await s.app.request(`${ORIGIN}${batchUrl}`)).text();
    const job = s.store.jobsOf(batch)[0]!;
    expect(page).toContain(`action="/jobs/${job.id}/retry"`);
    expect(page).toContain('Skriv ut igen');
    fake.mode = 'ok';
    const again = await s.app.request(`${ORIGIN}/jobs/${job.id}/retry`, form({}));
    expect(again.status).toBe(303);
    await until(() => s.store.getJob(job.id)!.state === 'completed');
    expect(s.store.getJob(job.id)!.reasons).toContain('station-reprint');
    const hist = await (await s.app.request(`${ORIGIN}/history`)).text();
    expect(hist).toContain('Senaste dokument');
    expect(hist).toContain(job.title);
    // a completed job cannot be "printed again" by mistake
    expect((await s.app.request(`${ORIGIN}/jobs/${job.id}/retry`, form({}))).status).toBe(409);
  });
});
