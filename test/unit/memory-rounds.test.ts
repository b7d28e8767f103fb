// Issue 10: "memory after 50 mixed rounds stays under 300 MB". A station process (from source, as
// in development) on a folder printer gets 50 mixed rounds (label prints of several sizes, a kit
// press, 150 page/preview requests including the history page); its resident memory must stay
// under 300 MB throughout. Before the fix (an Intl.DateTimeFormat made per formatted time, each
// holding ICU memory outside the JS heap) it passed 1 GB within ten rounds. No timing asserted.
// The in-process side: the formatters dateFormat() holds stay a handful, bounded by DATE_FORMATS_KEPT.
import { describe, it, expect } from 'vitest';
import { startStationProcess, waitFor } from '../helpers/station-process.js';
import { mixedRound, mixedRoundsConfig, rssMb } from '../helpers/mixed-rounds.js';
import { dateFormat, dateFormatsHeld, DATE_FORMATS_KEPT } from '../../src/domain/time.js';
import { formatClock, formatWhen } from '../../src/domain/wording.js';

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

  it('a station stays under 300 MB resident over 50 mixed rounds', async () => {
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
    expect(peak).toBeLessThan(300);
    } finally {
      await s.kill();
    }
  }, 900_000);
});
