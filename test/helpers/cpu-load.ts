// A small CPU load generator for the crash and fault tests: N busy child processes (plain node,
// each spinning in a loop), so those tests also run as they would on a loaded 2-core machine.
// Bounded: every child stops by itself after `maxSeconds` even if this process dies without
// stopping it, and stop() ends them at once. Set RESERVKIT_TEST_LOAD=4 to turn it on for a test run.
import { spawn, type ChildProcess } from 'node:child_process';

export interface CpuLoad {
  readonly processes: number;
  stop(): Promise<void>;
}

/** Starts `processes` busy children (at most 16), each ending by itself after `maxSeconds`. */
export function startCpuLoad(processes: number, maxSeconds = 600): CpuLoad {
  const n = Math.max(0, Math.min(16, Math.floor(processes)));
  const children: ChildProcess[] = [];
  // Spins, checking the clock now and then; also exits when its parent is gone (stdin closes).
  const script = `const end = Date.now() + ${Math.round(maxSeconds * 1000)};
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
function spin() { const until = Date.now() + 50; while (Date.now() < until) {} if (Date.now() > end) process.exit(0); setImmediate(spin); }
spin();`;
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.unref();
    children.push(child);
  }
  const kill = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', kill);
  return {
    processes: n,
    async stop() {
      process.off('exit', kill);
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}

/** The load RESERVKIT_TEST_LOAD asks for (a number of busy processes), or undefined when unset or 0. */
export function cpuLoadFromEnv(maxSeconds = 600): CpuLoad | undefined {
  const n = Number(process.env.RESERVKIT_TEST_LOAD ?? 0);
  return n > 0 ? startCpuLoad(n, maxSeconds) : undefined;
}
