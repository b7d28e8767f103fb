// Runs the station as a real process (node --import tsx src/main.ts) with a config written to a
// temp folder, for integration and crash tests. Talks only to 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './config.js';
import { waitFor } from './wait.js';

export { waitFor } from './wait.js';
import { expect } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StationProcess {
  url: string;
  pid: number;
  dataDir: string;
  configPath: string;
  output(): string;
  /** Resolves with the exit code (or signal). */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** A full station config object with the given printers; dataDir in a fresh temp folder unless given. */
export function stationConfig(printers: unknown[], over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    unit: { name: 'Vårdcentral Exempel', address: 'Exempelgatan 1, Malmö', phone: '040-123 45 00' },
    routine: { name: 'Regionövergripande reservrutin PMO', version: '1.0', date: '2026-01-15' },
    server: { host: '127.0.0.1', port: 0 },
    dataDir: tempDir('reservkit-data-'),
    printers,
    series: [
      { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 904999, padding: 7, checkDigit: 'luhn' },
      { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 9999, padding: 5, checkDigit: 'none' },
    ],
    phoneList: [
      { name: 'PMO-supporten', number: '040-123 40 00', note: 'Behörighet' },
      { name: 'Vårdadministratör', number: '070-000 00 03' },
    ],
    retry: { intervalSeconds: 0.2, maxIntervalSeconds: 1, limit: 50, pollSeconds: 0.1 },
    monitor: { intervalSeconds: 1 },
    ...over,
  };
}

/**
 * Starts the station. `built` runs the compiled dist/main.js (as `npm start` does, after
 * `npm run build`); otherwise the TypeScript source through tsx, as in development.
 */
/** What package.json's start script and the systemd unit pass to node (read from package.json, so the two cannot drift). */
export const NODE_MEMORY_FLAGS = /node (.*)dist\/main\.js$/.exec((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start)![1]!.trim().split(/\s+/);

export async function startStationProcess(
  config: Record<string, unknown>,
  env: Record<string, string> = {},
  opts: { built?: boolean } = {},
): Promise<StationProcess> {
  const dir = tempDir('reservkit-cfg-');
  const configPath = path.join(dir, 'station.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  // The memory flags as `npm start` and deploy/reservkit.service give them (docs/operations.md, "Memory").
  const child = spawn(process.execPath, [...NODE_MEMORY_FLAGS, ...(opts.built ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'])], {
    cwd: root,
    env: { ...process.env, RESERVKIT_CONFIG: configPath, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? signal ?? -1);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    // A deadline for a station that hangs, not a speed check: on a loaded 2-core machine a start
    // from source (tsx) has taken over 20 s.
    const t = setTimeout(() => reject(new Error(`station did not start in 90 s:\n${out}`)), 90_000);
    const check = () => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(t);
      reject(new Error(`station exited (${code}) before it listened:\n${out}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    dataDir: String(config.dataDir),
    configPath,
    output: () => out,
    exited,
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}


/**
 * Waits until a batch has left "printing" and asserts it completed (the jobs' states and messages
 * in the failure message). `api` is the test's own fetch against the station.
 */
export async function expectBatchCompleted(api: (path: string) => Promise<Response>, batchId: string): Promise<void> {
  const b = await waitFor(async () => {
    const v = (await (await api(`/api/batches/${batchId}`)).json()) as { state: string; jobs: Array<{ state: string; message: string }> };
    return v.state === 'printing' ? undefined : v;
  }, 30_000, 'labels printed');
  expect(b.state, JSON.stringify(b.jobs)).toBe('completed');
}
