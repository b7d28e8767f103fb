// Issue 10: "memory after 50 mixed rounds stays under 300 MB". A station process (from source, as
// in development) on a folder printer gets 50 mixed rounds (label prints of several sizes, a kit
// press, 150 page/preview requests including the history page) and its resident memory must level
// off. Before the fix (an Intl.DateTimeFormat made per formatted time, each holding ICU memory
// outside the JS heap) a station grew about 110 MB a round and passed 900 MB within eight rounds.
// The station runs with the memory flags of `npm start` (--max-old-space-size=512
// --max-semi-space-size=4, see docs/operations.md "Memory"): without them Node 20 let garbage pile
// up to a 365 MB peak (compiled), and Node 24's larger young generation to ~390 MB. With them, from
// source through tsx, the same rounds peak near 257 MB on Node 20 and 281 MB on Node 24, so this
// test holds the issue's own figure. No timing asserted. CI runs it on Node 20 only: on Node 24 the
// margin (19 MB) is too thin for a machine CI has not measured (docs/testing.md).
// The in-process side: the formatters dateFormat() holds stay a handful, bounded by DATE_FORMATS_KEPT.
import { describe, it, expect } from 'vitest';
import { startStationProcess, waitFor } from '../helpers/station-process.js';
import { mixedRound, mixedRoundsConfig, rssMb } from '../helpers/mixed-rounds.js';
import { dateFormat, dateFormatsHeld, DATE_FORMATS_KEPT } from '../../src/domain/time.js';
import { formatClock, formatWhen } from '../../src/domain/wording.js';

/** Issue 10: "memory after 50 mixed rounds stays under 300 MB". */
const PEAK_LIMIT_MB = 300;

describe('memory over mixed rounds', () => {
  it('reuses one formatter per zone and format, and keeps at most DATE_FORMATS_KEPT', () => {
    const t = '2026-03-03T13:03:05Z';
    expect(formatClock(t, 'Europe/Stockholm')).toBe('14:03:05');
    expect(formatWhen(t, 'Europe/Stockholm', new Date('2026-03-10T10:00:00Z'))).toBe('3 mars 14:03');
    const held = dateFormatsHeld();
    for (let i = 0; i < 1000; i++) formatWhen(t, 'Europe/Stockholm', new Date('2026-03-10T10:00:00Z'));
    expect(dateFormatsHeld()).toBe(held);
    expect(dateFormat('Europe/Stockholm', { hour: '2-digit' })).toBe(dateFormat('Europe/Stockholm', { hour: '2-digit' }));
    // Many zones (a misconfigured fleet, say): the oldest formatters go, the count stays bounded.
    for (const zone of Intl.supportedValuesOf('timeZone').slice(0, DATE_FORMATS_KEPT * 2)) dateFormat(zone, { hour: '2-digit' });
    expect(dateFormatsHeld()).toBe(DATE_FORMATS_KEPT);
  });

  it('a station\'s resident memory levels off over 50 mixed rounds (no per-request growth)', async () => {
    const s = await startStationProcess(mixedRoundsConfig());
    try {
      await waitFor(async () => ((await fetch(`${s.url}/healthz`)).status === 200 ? true : undefined), 60_000);
      const request = (url: string, init?: RequestInit) => fetch(`${s.url}${url}`, init);
      let peak = 0;
      for (let r = 1; r <= 50; r++) {
        await mixedRound(request, r, s.url);
        peak = Math.max(peak, rssMb(s.pid));
        if (r % 10 === 0) console.log(`round ${r}: station rss ${rssMb(s.pid).toFixed(0)} MB, peak ${peak.toFixed(0)} MB`);
      }
      expect(peak).toBeLessThan(PEAK_LIMIT_MB);
    } finally {
      await s.kill();
    }
  }, 900_000);
});
