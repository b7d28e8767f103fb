import { describe, it, expect } from 'vitest';
import { Store, SeriesExhaustedError } from '../../src/store/store.js';
import { parseSerial } from '../../src/domain/serials.js';
import { testConfig } from '../helpers/config.js';

describe('serial ledger', () => {
  const config = testConfig();
  const remiss = config.series.find((s) => s.id === 'remiss')!;

  it('gives 20 concurrent requests distinct numbers, contiguous per request, all recorded', async () => {
    const store = await Store.open(testConfig().dataDir);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.allocateSerials(remiss, 4, { batchId: `b-${i}` })));
    const all = results.flat().map((e) => e.number);
    expect(new Set(all).size).toBe(80);
    for (const r of results) {
      const seqs = r.map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
      for (const e of r) expect(parseSerial(remiss, e.number)).toBe(e.seq);
    }
    expect(store.ledgerOf('remiss')).toHaveLength(80);
    await store.close();
  });

  it('never hands out a number again after a reopen', async () => {
    const dir = testConfig().dataDir;
    const s1 = await Store.open(dir);
    const a = await s1.allocateSerials(remiss, 3, { batchId: 'b-1' });
    await s1.close();
    const s2 = await Store.open(dir);
    const b = await s2.allocateSerials(remiss, 3, { batchId: 'b-2' });
    expect(b[0]!.seq).toBe(a[2]!.seq + 1);
    await s2.close();
  });

  it('refuses a request the block cannot cover and allocates nothing', async () => {
    const store = await Store.open(testConfig().dataDir);
    await store.allocateSerials(remiss, 95, { batchId: 'b-1' });
    await expect(store.allocateSerials(remiss, 6, { batchId: 'b-2' })).rejects.toBeInstanceOf(SeriesExhaustedError);
    expect(store.ledgerOf('remiss')).toHaveLength(95);
    const last = await store.allocateSerials(remiss, 5, { batchId: 'b-3' });
    expect(last.at(-1)!.seq).toBe(remiss.last);
    await expect(store.allocateSerials(remiss, 1, { batchId: 'b-4' })).rejects.toThrow(/0 left/);
    await store.close();
  });

  it('voids numbers whose batch was never recorded (a crash between allocating and queueing)', async () => {
    const store = await Store.open(testConfig().dataDir);
    await store.allocateSerials(remiss, 2, { batchId: 'b-lost' });
    expect(await store.voidOrphanSerials()).toBe(2);
    expect(store.ledgerOf('remiss').map((e) => e.status)).toEqual(['voided', 'voided']);
    const next = await store.allocateSerials(remiss, 1, { batchId: 'b-next' });
    expect(next[0]!.seq).toBe(remiss.first + 2);
    await store.close();
  });
});
