// `npm run store:recover`: when store.json is lost and no copy of it exists, makes a new store that
// continues every series after the numbers this folder already issued (its high-water marks in
// serials/ and in the archive), never at the block's first number. Numbers issued since the last
// archived range are listed as gaps to check (voided, print unknown) in the Avstämningslista. Refuses when a
// store.json exists or when the folder never issued a number (then the station just starts).
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type SeriesConfig } from '../config.js';
import { Archive } from './archive.js';
import { readArchivedMarks, readHighWaters } from './high-water.js';
import { emptyData, ledgerRecordSchema } from './store-data.js';
import { journalFile, setJournalAside } from './journal.js';
import { mergeMarks, Store } from './store.js';

/** Writes the new store.json; returns what it did, in Swedish. Throws (changing nothing) when it must not. */
export async function recoverStore(dataDir: string, series: readonly SeriesConfig[]): Promise<string> {
  const file = path.join(dataDir, 'store.json');
  if (existsSync(file)) throw new Error(`[store] ${file} finns redan; inget gjordes. Återställningen är bara till för ett lager som har gått förlorat.`);
  const archive = new Archive(dataDir, () => {});
  const { marks: fileMarks } = await readHighWaters(dataDir);
  const marks = mergeMarks(fileMarks, readArchivedMarks(archive, new Set([...fileMarks.keys(), ...series.map((s) => s.id)])));
  if (marks.size === 0) throw new Error(`[store] ${dataDir} har inga nummermärken: inga nummer har lämnats ut härifrån, så stationen kan starta som vanligt. Inget gjordes.`);
  const data = emptyData();
  const lines: string[] = [];
  for (const m of marks.values()) {
    // The archive's ranges of the block in use; what came after them is recorded at start as "issued".
    const archived = archive.read('ledger', ledgerRecordSchema, (raw) => raw.kind === 'issued' && raw.seriesId === m.seriesId);
    const upTo = Math.max(m.blockFirst - 1, ...archived.filter((r) => r.kind === 'issued' && r.from >= m.blockFirst && r.to < m.next).map((r) => (r.kind === 'issued' ? r.to : 0)));
    data.series[m.seriesId] = { next: upTo + 1, blockFirst: m.blockFirst };
    lines.push(`${m.seriesId}: fortsätter efter löpnummer ${m.next - 1}${upTo + 1 < m.next ? ` (${m.next - upTo - 1} nummer efter arkivet listas som luckor att kontrollera)` : ''}`);
  }
  // The lost store's journal (changes to a store that is gone) is kept aside, never applied.
  if (existsSync(journalFile(dataDir))) await setJournalAside(dataDir, new Date());
  writeFileSync(file, JSON.stringify(data), { flag: 'wx' });
  // Opening once records the numbers after the archive and writes everything durably.
  const store = await Store.open(dataDir, { series, log: () => {} });
  await store.audit('admin', 'store-recovered', `Nytt lager från nummermärkena: ${lines.join('; ')}`);
  await store.close();
  return `Nytt lager skapat i ${file}.\n${lines.join('\n')}\nHistoriken före förlusten finns kvar i arkivet (${archive.dir}).`;
}

if (process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, '.js') === path.resolve(import.meta.filename).replace(/\.ts$/, '.js')) {
  const { config } = loadConfig();
  recoverStore(config.dataDir, config.series).then(
    (msg) => console.log(msg),
    (e: unknown) => {
      console.error((e as Error).message);
      process.exit(1);
    },
  );
}
