// Small station configs for tests: a fictional unit, printers and data folder given per test.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, type StationConfig } from '../../src/config.js';

export function tempDir(prefix = 'reservkit-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testConfig(over: Record<string, unknown> = {}): StationConfig {
  const dataDir = (over.dataDir as string | undefined) ?? tempDir();
  return parseConfig({
    unit: { name: 'Vårdcentral Testå', address: 'Provgatan 1, Malmö', phone: '040-00 00 00' },
    routine: { name: 'Regionövergripande reservrutin PMO', version: '1.0', date: '2026-01-15' },
    server: { host: '127.0.0.1', port: 0 },
    printers: [{ id: 'a4', name: 'Skrivare A4', uri: `file://${path.join(dataDir, 'ut')}`, roles: ['a4', 'labels-sheet'] }],
    series: [
      { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000, last: 900099, padding: 7, checkDigit: 'luhn' },
      { id: 'kvitto', name: 'Kvittonummer', prefix: 'KV', first: 1, last: 500, padding: 5, checkDigit: 'none' },
    ],
    phoneList: [{ name: 'PMO-supporten', number: '040-123 40 00' }],
    retry: { intervalSeconds: 0.05, maxIntervalSeconds: 0.2, limit: 5, pollSeconds: 0.05 },
    monitor: { intervalSeconds: 0.5 },
    ...over,
    dataDir,
  });
}
