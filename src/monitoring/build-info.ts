// What a station runs, for reservkit_build_info: the build's version, the routine version from its
// config, which config file (its sha256) and which station. Read once at start-up.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stationIdOf, type StationConfig } from '../config.js';

export interface BuildInfo {
  version: string;
  routineVersion: string;
  configSha256: string;
  station: string;
  unit: string;
}

// src/monitoring/ and dist/monitoring/ both sit two folders below package.json.
const packageJson = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');

let cachedVersion: string | undefined;
function packageVersion(): string {
  if (cachedVersion === undefined) {
    try {
      cachedVersion = String((JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }).version ?? 'unknown');
    } catch {
      cachedVersion = 'unknown';
    }
  }
  return cachedVersion;
}

/**
 * `configSha256` is the file's hash when the station was started from a file (main.ts); a station
 * built in-process from an object (tests, bench) hashes the parsed config instead.
 */
export function buildInfo(config: StationConfig, configSha256?: string): BuildInfo {
  return {
    version: packageVersion(),
    routineVersion: config.routine.version,
    configSha256: configSha256 ?? createHash('sha256').update(JSON.stringify(config)).digest('hex'),
    station: stationIdOf(config),
    unit: config.unit.name,
  };
}
