// The crash test's victim: issues referral labels in a loop against a store folder until it is
// killed, exactly as the station does it (open the store, void orphans, then label service:
// allocate → render → spool → store the batch). Each batch stored is reported on stdout as
// "PRINTED <batchId> <number,number,…>" (stdout to a pipe is synchronous on Linux, so a line
// that arrives was written after the batch was durable).
//   node --import tsx test/helpers/label-crash-child.ts <config.json>
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { Store } from '../../src/store/store.js';
import { Spool } from '../../src/printing/spool.js';
import { RenderPool } from '../../src/render/render-pool.js';
import { LabelService } from '../../src/services/label-service.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const config = parseConfig(JSON.parse(readFileSync(process.argv[2]!, 'utf8')));
const catalog = loadCatalog(path.join(root, 'templates'), config);
const store = await Store.open(config.dataDir);
const voided = await store.voidOrphanSerials();
const spool = new Spool(path.join(config.dataDir, 'spool'));
const labels = new LabelService({ config, catalog, store, spool, renderer: new RenderPool({ inProcess: true }), kick: () => {} });
process.stdout.write(`READY voided=${voided}\n`);
const layouts = ['a4-3x8', 'rulle-50x25', 'a4-3x7'];
for (let i = 0; ; i++) {
  const r = await labels.printLabels({ referrals: 1 + (i % 6), labelsPerReferral: 1 + (i % 3), layout: layouts[i % layouts.length]! });
  process.stdout.write(`PRINTED ${r.batch.id} ${r.numbers.join(',')}\n`);
}
