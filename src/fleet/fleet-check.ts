// The fleet config check: reads every station config in a folder with the same reading and zod
// schema as start-up (readConfigFile) and reports, with file names, what would go wrong between
// stations once they are rolled out: number blocks that could print the same number (seriesCollide,
// the one rule), duplicate station ids, a printer URI used by two stations, differing routine
// versions, and (with --templates) configs the region's templates folder does not fit.
// `npm run fleet-check -- DIR [--templates DIR] [--json]`; exit 0 clean, 1 conflicts, 2 usage.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfigFile, stationIdOf, type StationConfig } from '../config.js';
import { seriesCollide, formatSerial } from '../domain/serials.js';
import { loadCatalog } from '../catalog/catalog.js';
import { scheduleConfigProblems } from '../schedule/schedule-config.js';
import { redactUri } from '../printing/printer-monitor.js';

export type ConflictKind = 'invalid-config' | 'series-overlap' | 'duplicate-station-id' | 'shared-printer-uri' | 'routine-version' | 'templates-mismatch';

export interface Conflict {
  kind: ConflictKind;
  /** The config files involved (names inside the folder). */
  files: string[];
  message: string;
}

export interface StationSummary {
  file: string;
  stationId: string;
  unit: string;
  routineVersion: string;
  series: Array<{ id: string; from: string; to: string }>;
}

export interface FleetReport {
  ok: boolean;
  folder: string;
  stations: StationSummary[];
  conflicts: Conflict[];
}

/** How printers are compared across stations: scheme and host case-insensitive, no trailing slash, default port. */
function printerKey(uri: string): string | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return uri;
  }
  if (u.protocol === 'file:') return undefined; // a folder on each station's own disk
  const port = u.port || (u.protocol === 'ipps:' ? '443' : '631');
  return `${u.protocol}//${u.hostname.toLowerCase()}:${port}${u.pathname.replace(/\/+$/, '')}`;
}

export function checkFleet(folder: string, opts: { templatesDir?: string } = {}): FleetReport {
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.json') && statSync(path.join(folder, f)).isFile())
    .sort();
  const conflicts: Conflict[] = [];
  const stations: Array<{ file: string; config: StationConfig }> = [];
  for (const file of files) {
    try {
      stations.push({ file, config: readConfigFile(path.join(folder, file)).config });
    } catch (e) {
      conflicts.push({ kind: 'invalid-config', files: [file], message: (e as Error).message.replace(`${path.join(folder, file)} `, '') });
    }
  }

  // number blocks, pairwise across stations
  for (let i = 0; i < stations.length; i++)
    for (let j = i + 1; j < stations.length; j++) {
      const a = stations[i]!;
      const b = stations[j]!;
      for (const sa of a.config.series)
        for (const sb of b.config.series)
          if (seriesCollide(sa, sb))
            conflicts.push({
              kind: 'series-overlap',
              files: [a.file, b.file],
              message: `series "${sa.id}" ${formatSerial(sa, sa.first)}–${formatSerial(sa, sa.last)} and series "${sb.id}" ${formatSerial(sb, sb.first)}–${formatSerial(sb, sb.last)} could print the same numbers`,
            });
    }

  // the same key used by more than one station
  const grouped = (key: (s: { file: string; config: StationConfig }) => string[]) => {
    const m = new Map<string, Set<string>>();
    for (const s of stations) for (const k of key(s)) m.set(k, (m.get(k) ?? new Set()).add(s.file));
    return [...m].filter(([, f]) => f.size > 1).map(([k, f]): [string, string[]] => [k, [...f]]);
  };
  for (const [id, f] of grouped((s) => [stationIdOf(s.config)]))
    conflicts.push({ kind: 'duplicate-station-id', files: f, message: `station id "${id}" is used by ${f.length} configs (set stationId, or unit.workplaceCode, per unit)` });
  for (const [uri, f] of grouped((s) => [...new Set(s.config.printers.map((p) => printerKey(p.uri)).filter((k): k is string => !!k))]))
    conflicts.push({ kind: 'shared-printer-uri', files: f, message: `printer ${redactUri(uri)} is configured on ${f.length} stations (two stations printing to one printer interleave their kits)` });

  // one routine version across the fleet
  const versions = new Map<string, string[]>();
  for (const s of stations) versions.set(s.config.routine.version, [...(versions.get(s.config.routine.version) ?? []), s.file]);
  if (versions.size > 1)
    conflicts.push({
      kind: 'routine-version',
      files: stations.map((s) => s.file),
      message: `routine versions differ: ${[...versions].map(([v, f]) => `${v} (${f.join(', ')})`).join('; ')}`,
    });

  // each config against the templates the region ships, as start-up would check it
  if (opts.templatesDir)
    for (const s of stations) {
      const problems: string[] = [];
      try {
        problems.push(...scheduleConfigProblems(s.config.schedule, loadCatalog(opts.templatesDir, s.config)));
      } catch (e) {
        problems.push((e as Error).message);
      }
      if (problems.length) conflicts.push({ kind: 'templates-mismatch', files: [s.file], message: problems.join('\n') });
    }

  return {
    ok: conflicts.length === 0,
    folder,
    stations: stations.map(({ file, config }) => ({
      file,
      stationId: stationIdOf(config),
      unit: config.unit.name,
      routineVersion: config.routine.version,
      series: config.series.map((x) => ({ id: x.id, from: formatSerial(x, x.first), to: formatSerial(x, x.last) })),
    })),
    conflicts,
  };
}

const kindTitle: Record<ConflictKind, string> = {
  'invalid-config': 'invalid config',
  'series-overlap': 'number blocks overlap',
  'duplicate-station-id': 'duplicate station id',
  'shared-printer-uri': 'printer shared',
  'routine-version': 'routine versions differ',
  'templates-mismatch': 'templates do not fit',
};

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => Math.max(...r[c]!.split('\n').map((l) => l.length)))));
  const line = (r: string[]) => {
    const parts = r.map((cell) => cell.split('\n'));
    const height = Math.max(...parts.map((p) => p.length));
    return Array.from({ length: height }, (_, k) => parts.map((p, c) => (p[k] ?? '').padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
  };
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function formatReport(r: FleetReport): string {
  const out = [`fleet check: ${r.folder}: ${r.stations.length} station config(s)`, ''];
  if (r.stations.length)
    out.push(table([['file', 'station', 'unit', 'routine', 'number blocks'], ...r.stations.map((s) => [s.file, s.stationId, s.unit, s.routineVersion, s.series.map((x) => `${x.id} ${x.from}–${x.to}`).join('\n') || '–'])]), '');
  if (r.ok) out.push('OK: no conflicts.');
  else out.push(table([['conflict', 'files', 'detail'], ...r.conflicts.map((c) => [kindTitle[c.kind], c.files.join('\n'), c.message])]), '', `${r.conflicts.length} conflict(s).`);
  return out.join('\n') + '\n';
}

export function main(argv: string[], io: { out: (s: string) => void; err: (s: string) => void } = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): number {
  const args = [...argv];
  const json = args.includes('--json');
  let templatesDir: string | undefined;
  const t = args.indexOf('--templates');
  if (t >= 0) {
    templatesDir = args[t + 1];
    if (!templatesDir) return io.err('fleet-check: --templates needs a folder\n'), 2;
    args.splice(t, 2);
  }
  const rest = args.filter((a) => a !== '--json');
  if (rest.length !== 1 || rest[0]!.startsWith('-')) {
    io.err('usage: npm run fleet-check -- DIR [--templates DIR] [--json]\n');
    return 2;
  }
  const folder = rest[0]!;
  try {
    if (!statSync(folder).isDirectory()) throw new Error('not a folder');
    if (templatesDir && !statSync(templatesDir).isDirectory()) throw new Error(`${templatesDir}: not a folder`);
  } catch (e) {
    io.err(`fleet-check: ${folder}: ${(e as Error).message}\n`);
    return 2;
  }
  const report = checkFleet(folder, { templatesDir });
  if (json) io.out(JSON.stringify(report, null, 2) + '\n');
  else io.out(formatReport(report));
  if (report.stations.length === 0 && report.conflicts.length === 0) {
    io.err(`fleet-check: no *.json configs in ${folder}\n`);
    return 2;
  }
  return report.ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
