// One clock for the whole station: a station started on a fixed fake clock prints a document through
// its folder printer, and every stamp the printing path writes (the folder printer's job, the
// printer's last check, the job's completion, the station's start) is that clock's time, not the
// machine's. Time never moves in this test, so it also shows a fixed clock stalls nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStation, type Station } from '../../src/station.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { StampTimer } from '../../src/schedule/clock.js';
import { testConfig, tempDir } from '../helpers/config.js';
import { until } from '../helpers/wait.js';

const ORIGIN = 'http://127.0.0.1';
const AT = '2031-05-06T07:08:09.000Z';
const stations: Station[] = [];
afterEach(async () => {
  for (const s of stations.splice(0)) await s.stop();
});

describe('a station on a fixed fake clock', () => {
  it('stamps the folder printer job, the printer check and the finished job with that clock', async () => {
    const folder = path.join(tempDir(), 'ut');
    const config = testConfig({ repeatConfirmSeconds: 0, printers: [{ id: 'a4', name: 'Skrivare A4', uri: `file://${folder}`, roles: ['a4', 'labels-sheet'] }] });
    const clock = new FakeClock(AT);
    const s = await createStation(config, { clock, log: () => {} });
    stations.push(s);

    const res = await s.app.request(`${ORIGIN}/api/documents/telefonlista/print`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ copies: 1, requestId: 'clock-test-0001', actor: 'AB' }),
    });
    const reply = (await res.json()) as { batchId: string; message?: string };
    expect(res.status, reply.message).toBe(202);
    await s.printService.renderingDone();
    const jobIds = s.store.jobs.liveJobs().map((j) => j.id);
    expect(jobIds.length).toBeGreaterThan(0);
    await until(() => jobIds.every((id) => s.store.getJob(id)?.state === 'completed'), 10_000);

    // The folder printer's own record of the job (file-backend.ts, through createBackend).
    const index = JSON.parse(readFileSync(path.join(folder, '.jobs.json'), 'utf8')) as { jobs: Array<{ createdAt: string }> };
    expect(index.jobs.length).toBe(jobIds.length);
    for (const j of index.jobs) expect(j.createdAt).toBe(AT);
    // The printer monitor's last check, and the job's last change (dispatcher → store).
    expect((await s.monitor.refresh('a4')).checkedAt).toBe(AT);
    for (const id of jobIds) expect(s.store.getJob(id)!.updatedAt).toBe(AT);
    // The print service's stamps: the job's creation and the batch.
    for (const id of jobIds) expect(s.store.getJob(id)!.createdAt).toBe(AT);
    expect(s.store.getBatch(reply.batchId)?.createdAt).toBe(AT);
    // "Today" on the document pages is the clock's day: a day list starts at it.
    const page = await (await s.app.request(`${ORIGIN}/dokument/mottagningslista`)).text();
    expect(page).toContain('value="2031-05-06"');
  });
});

describe('StampTimer: stamps on the station clock, durations on the monotonic clock', () => {
  it('places a stamp by the injected clock once, then counts real time, whatever the clock does', async () => {
    const clock = new FakeClock(AT);
    const timer = new StampTimer(clock);
    const stamp = new Date(Date.parse(AT) + 60_000).toISOString();
    const first = timer.msUntil('retry:j1', stamp);
    expect(first).toBeLessThanOrEqual(60_000);
    expect(first).toBeGreaterThan(59_000);
    await new Promise((r) => setTimeout(r, 30));
    // The clock stood still, yet the wait shrank: it is measured on the monotonic clock.
    expect(timer.msUntil('retry:j1', stamp)).toBeLessThanOrEqual(first - 25);
    // A clock that jumps an hour ahead does not fire a wait already placed.
    clock.jumpTo(new Date(Date.parse(AT) + 3_600_000));
    expect(timer.msUntil('retry:j1', stamp)).toBeGreaterThan(0);
    // A new stamp under the same key is placed by the clock as it is now.
    expect(timer.msSince('retry:j1', AT)).toBeGreaterThan(3_599_999);
  });
});
