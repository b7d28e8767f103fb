// Memory benchmark (issue 10: "memory after 50 mixed rounds stays under 300 MB"): the compiled
// station process (node dist/main.js, as `npm start` runs it) on a folder printer, N mixed rounds
// (test/helpers/mixed-rounds.ts: label prints of several sizes, a kit press, 150 page/preview
// requests); its resident memory idle, after each round, and the peak.
//   npm run bench -- memory        (ROUNDS=n to change the 50)
import { execFileSync } from 'node:child_process';
import { startStationProcess, waitFor } from '../test/helpers/station-process.js';
import { mixedRound, mixedRoundsConfig, rssMb } from '../test/helpers/mixed-rounds.js';
import type { Report } from './labels.js';

export async function benchMemory(report: Report, rounds = Number(process.env.ROUNDS ?? 50)): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const s = await startStationProcess(mixedRoundsConfig(), {}, { built: true });
  try {
    await waitFor(async () => ((await fetch(`${s.url}/healthz`)).status === 200 ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    const idle = rssMb(s.pid);
    let peak = idle;
    const request = (url: string, init?: RequestInit) => fetch(`${s.url}${url}`, init);
    for (let r = 1; r <= rounds; r++) {
      await mixedRound(request, r, s.url);
      const now = rssMb(s.pid);
      peak = Math.max(peak, now);
      console.log(`   round ${r}: rss ${now.toFixed(0)} MB`);
    }
    report('resident memory idle (memory bench station)', `${idle.toFixed(0)} MB`);
    report(`resident memory over ${rounds} mixed rounds, peak`, `${peak.toFixed(0)} MB (end ${rssMb(s.pid).toFixed(0)} MB)`, '< 300 MB', peak < 300);
  } finally {
    await s.kill();
  }
}
