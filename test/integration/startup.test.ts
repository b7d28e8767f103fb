// Start-up: the station starts on a good config and refuses a bad one, naming the field.
import { describe, it, expect } from 'vitest';
import { writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startStationProcess, stationConfig } from '../helpers/station-process.js';
import { tempDir } from '../helpers/config.js';

const folderPrinter = () => [{ id: 'mapp', name: 'Mappskrivare', uri: `file://${tempDir('reservkit-out-')}`, roles: ['a4'] }];

describe('start-up', () => {
  it('stops with a message naming the field when the config is wrong, and writes nothing', async () => {
    const cfg = stationConfig([{ id: 'p', name: 'P', uri: 'http://printer.local/', roles: ['a4'] }]);
    await expect(startStationProcess(cfg)).rejects.toThrow(/printers\.0\.uri: must start with ipp:\/\/, ipps:\/\/, file:\/\/ or socket:\/\//);
    expect(existsSync(path.join(String(cfg.dataDir), 'store.json'))).toBe(false);
  });

  it('names every wrong field at once', async () => {
    const cfg = stationConfig([{ id: 'p', name: 'P', uri: 'lpd://x', roles: [] }], { routine: { version: '1' } });
    const err = await startStationProcess(cfg).catch((e: Error) => e.message);
    expect(err).toMatch(/printers\.0\.uri/);
    expect(err).toMatch(/printers\.0\.roles/);
    expect(err).toMatch(/routine\.date/);
  });

  it('stops on a misspelt key, naming the key meant, with the other problems in the same message', async () => {
    const cfg = stationConfig(folderPrinter(), { admin: { pinhash: 'x' }, routine: { version: '1', date: '2026-13-45' } });
    const err = await startStationProcess(cfg).catch((e: Error) => e.message);
    expect(err).toContain('admin: unknown key "pinhash" – did you mean "pinHash"?');
    expect(err).toMatch(/routine\.date: YYYY-MM-DD \(a real date\)/);
    expect(existsSync(path.join(String(cfg.dataDir), 'store.json'))).toBe(false);
  });

  it('checks references between fields (a block that ends before it starts)', async () => {
    const cfg = stationConfig(folderPrinter(), { series: [{ id: 'r', name: 'R', first: 10, last: 5 }] });
    await expect(startStationProcess(cfg)).rejects.toThrow(/series\.0\.last: last must be ≥ first/);
  });

  it('refuses to start on a damaged store, keeping the file', async () => {
    const cfg = stationConfig(folderPrinter());
    writeFileSync(path.join(String(cfg.dataDir), 'store.json'), '{"version":1,"jo');
    await expect(startStationProcess(cfg)).rejects.toThrow(/kan inte läsas/);
    expect(readFileSync(path.join(String(cfg.dataDir), 'store.json'), 'utf8')).toBe('{"version":1,"jo');
  });

  it('takes over a lock whose pid is now another program (after a reboot), and says so', async () => {
    const cfg = stationConfig(folderPrinter());
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      writeFileSync(path.join(String(cfg.dataDir), 'store.lock'), String(sleeper.pid));
      const s = await startStationProcess(cfg);
      try {
        expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
        expect(s.output()).toMatch(new RegExp(`tog över .*store\\.lock: pid ${sleeper.pid} tillhör nu ett annat program \\(sleep\\)`));
      } finally {
        expect(await s.kill('SIGTERM')).toBe(0);
      }
    } finally {
      sleeper.kill();
    }
  });

  it('refuses to start on a used block whose store was moved aside, naming the file to restore', async () => {
    const cfg = stationConfig(folderPrinter());
    const dir = String(cfg.dataDir);
    mkdirSync(path.join(dir, 'serials'), { recursive: true });
    writeFileSync(path.join(dir, 'serials', 'remiss.hwm'), '{"next":900010,"blockFirst":900000,"at":"2026-11-01T10:00:00.000Z"}\n');
    await expect(startStationProcess(cfg)).rejects.toThrow(/store\.json saknas.*remiss: upp till RV09000092.*Återställ/s);
    expect(existsSync(path.join(dir, 'store.json'))).toBe(false);
  });

  it('serves /healthz on the embedded folder printer and takes RESERVKIT_DATA_DIR over the file', async () => {
    const data = tempDir('reservkit-envdata-');
    const s = await startStationProcess(stationConfig(folderPrinter()), { RESERVKIT_DATA_DIR: data });
    try {
      const r = await fetch(`${s.url}/healthz`);
      expect(r.status).toBe(200);
      expect(((await r.json()) as { status: string }).status).toBe('ok');
      expect(existsSync(path.join(data, 'store.json')) || existsSync(path.join(data, 'store.lock'))).toBe(true);
    } finally {
      expect(await s.kill('SIGTERM')).toBe(0);
    }
  });
});
