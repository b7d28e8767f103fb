// The fleet config check on folders of station configs: a clean fleet, and one folder per
// conflict (overlapping blocks, duplicate station id, shared printer, routine drift, templates
// that do not fit, a config start-up would refuse), each reported with its file names, in the
// human table and in --json, with the exit code a pipeline stops on.
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkFleet, main, type FleetReport } from '../../src/fleet/fleet-check.js';
import { tempDir } from '../helpers/config.js';

function station(n: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    stationId: `vc-${n}`,
    unit: { name: `Vårdcentral ${n}` },
    routine: { version: '2.1', date: '2026-01-15' },
    printers: [{ id: 'a4', name: 'A4', uri: `ipp://10.0.${n}.10/ipp/print`, roles: ['a4', 'labels-sheet'] }],
    // each station its own block (printed with the Luhn check digit) of 10 000 referral numbers and receipts
    series: [
      { id: 'remiss', name: 'Remissnummer', prefix: 'RV', first: 900000 + n * 10000, last: 900000 + n * 10000 + 9999, padding: 7 },
      { id: 'kvitto', name: 'Kvitto', prefix: `K${n}`, first: 1, last: 9999, padding: 5, checkDigit: 'none' },
    ],
    ...over,
  };
}

function fleet(configs: Record<string, unknown>): string {
  const dir = tempDir('reservkit-fleet-');
  for (const [file, c] of Object.entries(configs)) writeFileSync(path.join(dir, file), typeof c === 'string' ? c : JSON.stringify(c, null, 2));
  return dir;
}

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('fleet check', () => {
  it('a clean fleet: exit 0, every station in the table', () => {
    const dir = fleet({ 'vc-1.json': station(1), 'vc-2.json': station(2), 'vc-3.json': station(3), 'README.txt': 'not a config' });
    const r = run([dir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/3 station config\(s\)/);
    expect(r.out).toMatch(/^vc-2\.json\s+vc-2\s+Vårdcentral 2\s+2\.1\s+remiss RV09200007–RV09299991/m);
    expect(r.out).toMatch(/OK: no conflicts\./);
  });

  it('overlapping number blocks across stations, named by file and series', () => {
    const dir = fleet({ 'vc-1.json': station(1), 'vc-2.json': station(2, { series: [{ id: 'remiss', name: 'R', prefix: 'RV', first: 919990, last: 920500, padding: 7 }] }), 'vc-3.json': station(3) });
    const rep = checkFleet(dir);
    expect(rep.ok).toBe(false);
    expect(rep.conflicts).toEqual([
      expect.objectContaining({ kind: 'series-overlap', files: ['vc-1.json', 'vc-2.json'], message: expect.stringMatching(/series "remiss" RV09100009–RV09199993 and series "remiss" RV09199902–RV09205006/) }),
    ]);
    const r = run([dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/number blocks overlap\s+vc-1\.json/);
  });

  it('the same printed numbers from blocks written differently ("RV0" + 6 digits is "RV" + 7) are caught too', () => {
    const dir = fleet({
      'a.json': station(1, { series: [{ id: 'remiss', name: 'R', prefix: 'RV0', first: 910000, last: 910999, padding: 6 }] }),
      'b.json': station(2, { series: [{ id: 'lab', name: 'L', prefix: 'RV', first: 910500, last: 911000, padding: 7 }] }),
    });
    expect(checkFleet(dir).conflicts.map((c) => c.kind)).toEqual(['series-overlap']);
  });

  it('duplicate station ids (explicit, or falling back to the workplace code)', () => {
    const dir = fleet({
      'a.json': station(1),
      'b.json': station(2, { stationId: 'vc-1' }),
      'c.json': station(3, { stationId: undefined, unit: { name: 'C', workplaceCode: 'SE123' } }),
      'd.json': station(4, { stationId: undefined, unit: { name: 'D', workplaceCode: 'SE123' } }),
    });
    const c = checkFleet(dir).conflicts;
    expect(c).toEqual([
      { kind: 'duplicate-station-id', files: ['a.json', 'b.json'], message: expect.stringContaining('"vc-1"') },
      { kind: 'duplicate-station-id', files: ['c.json', 'd.json'], message: expect.stringContaining('"SE123"') },
    ]);
  });

  it('a printer URI on two stations, however the URI is spelled; folder printers are each station\'s own', () => {
    const dir = fleet({
      'a.json': station(1, { printers: [{ id: 'a4', name: 'A4', uri: 'ipp://Printer-7.region.example/ipp/print', roles: ['a4'] }, { id: 'f', name: 'F', uri: 'file://ut', roles: ['x'] }] }),
      'b.json': station(2, { printers: [{ id: 'x', name: 'X', uri: 'ipp://printer-7.region.example:631/ipp/print/', roles: ['a4'] }, { id: 'f', name: 'F', uri: 'file://ut', roles: ['x'] }] }),
    });
    expect(checkFleet(dir).conflicts).toEqual([
      { kind: 'shared-printer-uri', files: ['a.json', 'b.json'], message: expect.stringContaining('ipp://printer-7.region.example:631/ipp/print') },
    ]);
  });

  it('routine versions that differ, listing which files have which', () => {
    const dir = fleet({ 'a.json': station(1), 'b.json': station(2), 'c.json': station(3, { routine: { version: '2.0', date: '2025-06-01' } }) });
    const [c, ...more] = checkFleet(dir).conflicts;
    expect(more).toEqual([]);
    expect(c).toMatchObject({ kind: 'routine-version', message: 'routine versions differ: 2.1 (a.json, b.json); 2.0 (c.json)' });
  });

  it('with --templates: a config naming a kit the templates lack is reported with its file', () => {
    const dir = fleet({ 'a.json': station(1), 'b.json': station(2, { schedule: { kits: { upgrade: 'finns-inte' } } }) });
    const r = run([dir, '--templates', path.resolve('templates'), '--json']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.out) as FleetReport;
    expect(rep.conflicts).toEqual([{ kind: 'templates-mismatch', files: ['b.json'], message: expect.stringContaining('schedule.kits.upgrade: no kit "finns-inte"') }]);
    // and a fleet that fits the shipped templates passes
    expect(run([fleet({ 'a.json': station(1) }), '--templates', path.resolve('templates')]).code).toBe(0);
  });

  it('a config start-up would refuse is a conflict, with the field named', () => {
    const dir = fleet({ 'a.json': station(1), 'b.json': station(2, { printers: [{ id: 'a4', name: 'A4', uri: 'http://x', roles: ['a4'] }] }), 'c.json': '{ not json' });
    const rep = checkFleet(dir);
    expect(rep.stations.map((s) => s.file)).toEqual(['a.json']);
    expect(rep.conflicts).toEqual([
      { kind: 'invalid-config', files: ['b.json'], message: expect.stringMatching(/printers\.0\.uri: must start with ipp:\/\/, ipps:\/\/, file:\/\/ or socket:\/\//) },
      { kind: 'invalid-config', files: ['c.json'], message: expect.stringMatching(/not valid JSON/) },
    ]);
  });

  it('--json carries the stations and conflicts; usage errors exit 2', () => {
    const dir = fleet({ 'a.json': station(1), 'b.json': station(2, { stationId: 'vc-1' }) });
    const r = run([dir, '--json']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.out) as FleetReport;
    expect(rep.ok).toBe(false);
    expect(rep.stations).toHaveLength(2);
    expect(rep.stations[0]).toEqual({ file: 'a.json', stationId: 'vc-1', unit: 'Vårdcentral 1', routineVersion: '2.1', series: [{ id: 'remiss', from: 'RV09100009', to: 'RV09199993' }, { id: 'kvitto', from: 'K100001', to: 'K109999' }] });
    expect(run([]).code).toBe(2);
    expect(run([path.join(dir, 'nope')]).code).toBe(2);
    const empty = tempDir();
    mkdirSync(path.join(empty, 'sub'));
    expect(run([empty]).code).toBe(2);
  });

  it('npm run fleet-check runs it as a command, with its exit code', () => {
    const clean = fleet({ 'a.json': station(1), 'b.json': station(2) });
    expect(execFileSync('npm', ['run', '-s', 'fleet-check', '--', clean], { encoding: 'utf8' })).toMatch(/OK: no conflicts/);
    const bad = spawnSync('npm', ['run', '-s', 'fleet-check', '--', fleet({ 'a.json': station(1), 'b.json': station(1) }), '--json'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect((JSON.parse(bad.stdout) as FleetReport).conflicts.map((c) => c.kind).sort()).toEqual(['duplicate-station-id', 'series-overlap', 'series-overlap', 'shared-printer-uri']);
  });
});

describe('the same rule at start-up, within one station', () => {
  it('a config whose own two blocks could print the same number is refused, naming the series', () => {
    const dir = fleet({ 'a.json': station(1, { series: [{ id: 'remiss', name: 'R', prefix: 'RV', first: 1, last: 500, padding: 7 }, { id: 'lab', name: 'L', prefix: 'RV', first: 400, last: 900, padding: 7 }] }) });
    expect(checkFleet(dir).conflicts).toEqual([{ kind: 'invalid-config', files: ['a.json'], message: expect.stringContaining('series.1: series "lab" (RV400–900) can print the same numbers as series "remiss"') }]);
  });
});
