// "Nothing changed": a fingerprint of a station's state for tests of refused requests — every file of its data folder (store, archive, high-water marks,
// spool) after the store has written all it holds, so the files are its whole state. Two equal fingerprints mean no number was
// drawn, no job queued and nothing written.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Station } from '../../src/station.js';

/** The lock names the running process; it is not the station's data. */
const notData = new Set(['store.lock']);

function files(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p, base);
    return notData.has(e.name) ? [] : [path.relative(base, p)];
  });
}

export async function stationFingerprint(s: Station): Promise<string> {
  await s.store.flush();
  const h = createHash('sha256');
  const st = s.store;
  h.update(JSON.stringify([st.jobs.liveJobs(), st.jobs.batches(), s.config.series.map((x) => [st.ledger.recordedNext(x.id), st.ledgerOf(x.id)]), st.schedule.upgrades(), st.schedule.runs(), st.admin.get()]));
  for (const f of files(s.config.dataDir).sort()) {
    h.update(`\n${f}\n`);
    h.update(readFileSync(path.join(s.config.dataDir, f)));
  }
  return h.digest('hex');
}
