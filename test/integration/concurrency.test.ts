// 50 concurrent API requests leave a consistent store: every acknowledged batch with all its jobs,
// one batch per request id, and the same after a restart.
import { describe, it, expect } from 'vitest';
import { startStationProcess, stationConfig, waitFor } from '../helpers/station-process.js';
import { tempDir } from '../helpers/config.js';

describe('concurrency', () => {
  it('50 concurrent presses (25 request ids, each sent twice) make 25 kits, consistent across a restart', async () => {
    const config = stationConfig([{ id: 'mapp', name: 'Mapp', uri: `file://${tempDir('reservkit-out-')}`, roles: ['a4'] }], { repeatConfirmSeconds: 0 });
    let s = await startStationProcess(config);
    const kits = ['it-attack', 'systemuppgradering', 'oplanerad-driftstorning', 'planerad-nedslackning'];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${s.url}/api/kits/${kits[Math.floor(i / 2) % 4]}/print`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ requestId: `conc-press-${Math.floor(i / 2)}` }),
        }).then(async (r) => ({ status: r.status, ...((await r.json()) as { batchId: string; jobs: Array<{ id: string }> }) })),
      ),
    );
    expect(results.every((r) => r.status === 202 || r.status === 200)).toBe(true);
    // one kit per request id: the two presses of a pair got the same batch, one of them as a duplicate
    expect(new Set(results.map((r) => r.batchId)).size).toBe(25);
    for (let p = 0; p < 25; p++) {
      expect(results[2 * p]!.batchId).toBe(results[2 * p + 1]!.batchId);
      expect([results[2 * p]!.status, results[2 * p + 1]!.status].sort()).toEqual([200, 202]);
    }
    await s.kill('SIGTERM');
    s = await startStationProcess(config);
    try {
      const jobs = await waitFor(async () => {
        const all = (await (await fetch(`${s.url}/api/jobs?limit=500`)).json()) as Array<{ id: string; batchId: string; state: string }>;
        return all.every((j) => j.state === 'completed') ? all : undefined;
      }, 90_000);
      let total = 0;
      for (const batchId of new Set(results.map((r) => r.batchId))) {
        const b = (await (await fetch(`${s.url}/api/batches/${batchId}`)).json()) as { jobs: Array<{ id: string }> };
        // every job acknowledged is there, in order (a referral's label job joins after the answer)
        const acknowledged = results.find((r) => r.batchId === batchId)!.jobs.map((j) => j.id);
        expect(b.jobs.map((j) => j.id).filter((id) => acknowledged.includes(id))).toEqual(acknowledged);
        total += b.jobs.length;
      }
      expect(jobs.length).toBe(total);
      expect(new Set(jobs.map((j) => j.id)).size).toBe(total);
    } finally {
      await s.kill('SIGTERM');
    }
  }, 120_000);

  it('the same request id sent 10 times at once prints one kit', async () => {
    const out = tempDir('reservkit-out-');
    const s = await startStationProcess(stationConfig([{ id: 'mapp', name: 'Mapp', uri: `file://${out}`, roles: ['a4'] }]));
    try {
      const rs = await Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(`${s.url}/api/kits/it-attack/print`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"requestId":"same-press-001"}' }).then(
            async (r) => ({ status: r.status, body: (await r.json()) as { batchId: string } }),
          ),
        ),
      );
      expect(new Set(rs.map((r) => r.body.batchId)).size).toBe(1);
      expect(rs.filter((r) => r.status === 202)).toHaveLength(1);
    } finally {
      await s.kill('SIGTERM');
    }
  });
});
