import { describe, it, expect } from 'vitest';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Store } from '../../src/store/store.js';
import { StoreCorruptError } from '../../src/store/durable-json-file.js';
import type { Batch, Job } from '../../src/domain/job.js';
import { tempDir } from '../helpers/config.js';

function sample(id = 'j-1'): { batch: Batch; job: Job } {
  const at = new Date().toISOString();
  const job: Job = {
    id, batchId: 'b-1', documentId: 'vardkontakt', title: 'Formulär för vårdkontakt', copies: 2, printerId: 'a4',
    state: 'pending', reasons: [], message: '', spoolFile: 'x.pdf', pages: 2, sides: 'one-sided', attempts: 0, createdAt: at, updatedAt: at,
  };
  const batch: Batch = { id: 'b-1', kind: 'kit', title: 'Systemuppgradering', jobIds: [id], serials: {}, createdAt: at, requestId: 'req-12345678' };
  return { batch, job };
}

describe('store', () => {
  it('keeps what it acknowledged across a reopen', async () => {
    const dir = tempDir();
    const s = await Store.open(dir);
    const { batch, job } = sample();
    await s.addBatch(batch, [job]);
    await s.setJobState(job.id, { state: 'processing', reasons: ['+station-sending'] });
    await s.close();
    const s2 = await Store.open(dir);
    expect(s2.getJob(job.id)?.state).toBe('processing');
    expect(s2.getJob(job.id)?.reasons).toEqual(['station-sending']);
    expect(s2.batchForRequest('req-12345678')?.id).toBe('b-1');
    expect(s2.auditLog.all().map((a) => a.action)).toEqual(['batch-created', 'job-processing']);
    await s2.close();
  });

  it('changes a job only through setJobState, which returns early when nothing changes', async () => {
    const s = await Store.open(tempDir());
    const { batch, job } = sample();
    await s.addBatch(batch, [job]);
    const events: string[] = [];
    s.events.on('event', (e) => events.push(e.type));
    await s.setJobState(job.id, { state: 'pending' });
    expect(events).toEqual([]);
    await s.setJobState(job.id, { reasons: ['+media-empty'] });
    await s.setJobState(job.id, { reasons: ['-media-empty', '+media-jam'] });
    expect(s.getJob(job.id)?.reasons).toEqual(['media-jam']);
    expect(events).toEqual(['job', 'job']);
    const done = await s.setJobState(job.id, { state: 'completed' });
    expect(done.completedAt).toBeDefined();
    await s.close();
  });

  it('refuses to start on a damaged file and keeps the file untouched', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'store.json');
    writeFileSync(file, '{"version":1,"jobs":[{"id":');
    await expect(Store.open(dir)).rejects.toBeInstanceOf(StoreCorruptError);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"jobs":[{"id":');
    writeFileSync(file, JSON.stringify({ version: 1, jobs: 'nope' }));
    await expect(Store.open(dir)).rejects.toThrow(/kan inte läsas.*jobs/);
    expect(existsSync(path.join(dir, 'store.lock'))).toBe(false);
  });

  it('removes a partial temp file a killed writer left, and loads the last whole state', async () => {
    const dir = tempDir();
    const s = await Store.open(dir);
    const { batch, job } = sample();
    await s.addBatch(batch, [job]);
    await s.close();
    writeFileSync(path.join(dir, '.store.json.tmp'), '{"half');
    const s2 = await Store.open(dir);
    expect(s2.getJob(job.id)).toBeDefined();
    expect(existsSync(path.join(dir, '.store.json.tmp'))).toBe(false);
    await s2.close();
  });

  it('lets only one station use a data folder at a time', async () => {
    const dir = tempDir();
    const s = await Store.open(dir);
    await expect(Store.open(dir)).rejects.toThrow(/används redan/);
    await s.close();
    const again = await Store.open(dir);
    await again.close();
  });

  it('takes over the lock of a station that died', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'store.lock'), '999999');
    const s = await Store.open(dir);
    await s.close();
  });

  it('coalesces concurrent writes and loses none of them', async () => {
    const dir = tempDir();
    const s = await Store.open(dir);
    const at = new Date().toISOString();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const { batch, job } = sample(`j-${i}`);
        return s.addBatch({ ...batch, id: `b-${i}`, jobIds: [job.id], requestId: `req-0000000${i}` }, [{ ...job, batchId: `b-${i}`, createdAt: at }]);
      }),
    );
    await s.close();
    const s2 = await Store.open(dir);
    expect(s2.jobs.batches()).toHaveLength(50);
    expect(new Set(s2.jobs.liveJobs().map((j) => j.id)).size).toBe(50);
    await s2.close();
  });
});
