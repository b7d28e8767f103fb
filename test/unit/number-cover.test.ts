// A kit prints what it can: the cover rule (pure, table-driven), and the whole press through a
// station printing to a folder: a short referral block prints every other document, as many
// referrals as it covers, and keeps the rest on the batch (shown and audited) with whom to call.
import { describe, it, expect, afterAll } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { coverPlan } from '../../src/domain/number-cover.js';
import { createStation, type Station } from '../../src/station.js';
import { testConfig } from '../helpers/config.js';

describe('how far a block covers a plan', () => {
  const one = (i: { copies: number }, copies: number) => copies;
  it.each<[string, Array<{ copies: number; seriesId?: string }>, Record<string, number>, number[], Array<[number, number]>]>([
    ['no numbers needed', [{ copies: 3 }, { copies: 1 }], {}, [3, 1], []],
    ['enough', [{ copies: 5, seriesId: 'r' }], { r: 5 }, [5], []],
    ['short: as many as it covers', [{ copies: 10, seriesId: 'r' }], { r: 8 }, [8], [[10, 8]]],
    ['used up: none', [{ copies: 4, seriesId: 'r' }, { copies: 2 }], { r: 0 }, [0, 2], [[4, 0]]],
    ['two items share one block, in kit order', [{ copies: 6, seriesId: 'r' }, { copies: 6, seriesId: 'r' }], { r: 9 }, [6, 3], [[6, 3]]],
    ['blocks are separate', [{ copies: 6, seriesId: 'r' }, { copies: 6, seriesId: 'k' }], { r: 9, k: 1 }, [6, 1], [[6, 1]]],
  ])('%s', (_name, plan, left, copies, short) => {
    const r = coverPlan(plan, one, (sid) => left[sid] ?? 0);
    expect(r.covered.map((c) => c.copies)).toEqual(copies);
    expect(r.short.map((s) => [s.wanted, s.printed])).toEqual(short);
  });

  it('a sheet of slips takes several numbers: only whole sheets the block covers', () => {
    // 4 numbers a sheet, 10 left: 2 sheets
    const r = coverPlan([{ copies: 6, seriesId: 'k' }], (_i, sheets) => sheets * 4, () => 10);
    expect(r.covered[0]!.copies).toBe(2);
    expect(r.short[0]).toMatchObject({ wanted: 6, printed: 2, remaining: 10 });
  });
});

describe('a kit with a short block', () => {
  let station: Station;
  afterAll(async () => station?.stop());

  it('prints every document, 8 of 20 referrals, and says what did not print and whom to call', async () => {
    const config = testConfig({
      series: [
        { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 900007, padding: 7, checkDigit: 'luhn', contact: 'Laboratoriet 040-99 99 99' },
        { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 500, padding: 5, checkDigit: 'none' },
      ],
    });
    station = await createStation(config, { log: () => {} });
    const kit = station.catalog.kits.get('it-attack')!;
    const r = await station.printService.printKit('it-attack', { requestId: 'short-block-0001', actor: 'AB' });
    await station.printService.renderingDone();
    // every document of the kit is in the batch (the referral with its labels)
    const docs = new Set(r.jobs.map((j) => j.documentId));
    for (const item of kit.items) expect(docs.has(item.document)).toBe(true);
    const referral = r.jobs.find((j) => j.documentId === 'provtagningsremiss')!;
    expect(station.store.getJob(referral.id)!.count).toBe(8);
    expect(r.batch.serials.remiss).toHaveLength(8);
    expect(r.batch.notPrinted).toEqual([
      {
        documentId: 'provtagningsremiss',
        title: 'Provtagningsremiss',
        seriesId: 'remiss',
        wanted: 20,
        printed: 8,
        text: '8 av 20 utskrivna: nummerblocket "Remissnummer" räckte inte, 12 skrevs inte ut. Kontakta Laboratoriet 040-99 99 99 för ett nytt nummerblock.',
      },
    ]);
    expect(station.store.auditLog.all().some((a) => a.action === 'batch-short' && a.detail.includes('12 skrevs inte ut'))).toBe(true);

    // the progress page shows it; the block is now used up, so the next press prints no referrals at all
    const page = await (await station.app.request(`/batches/${r.batch.id}`)).text();
    expect(page).toContain('Skrevs inte ut:');
    expect(page).toContain('Kontakta Laboratoriet 040-99 99 99');
    const confirm = await (await station.app.request('/kits/it-attack')).text();
    expect(confirm).toContain('Nummerblocket &quot;Remissnummer&quot; är slut: Provtagningsremiss (20 st) skrivs inte ut. Resten av kitet skrivs ut.');
    expect(confirm).toContain('0 av 20 st');
    const home = await (await station.app.request('/')).text();
    expect(home).toContain('Nummer räcker inte till allt i');

    const again = await station.printService.printKit('it-attack', { requestId: 'short-block-0002', confirmRepeat: true });
    expect(again.jobs.some((j) => j.documentId === 'provtagningsremiss')).toBe(false);
    expect(again.jobs.length).toBeGreaterThan(5);
    expect(again.batch.notPrinted?.[0]?.text).toMatch(/^Inte utskrivet: nummerblocket "Remissnummer" är slut/);

    // and everything that was sent came out
    await station.printService.renderingDone();
    const out = path.join(config.dataDir, 'ut');
    await expect.poll(() => station.store.jobsOf(again.batch).every((j) => j.state === 'completed'), { timeout: 20_000 }).toBe(true);
    expect(readdirSync(out).length).toBeGreaterThan(0);
  }, 60_000);

  it('a single document still refuses what its block cannot cover, drawing nothing', async () => {
    await expect(station.printService.printDocument('provtagningsremiss', 2, { requestId: 'short-block-0003' })).rejects.toThrow(
      /^Nummerblocket "Remissnummer" \(RV\d+ – RV\d+\) är slut, så Provtagningsremiss skrevs inte ut\. Kontakta Laboratoriet 040-99 99 99 för ett nytt nummerblock\.$/,
    );
  });
});
