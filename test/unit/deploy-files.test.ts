// The shipped deployment files: the systemd unit passes `systemd-analyze verify` with no warning
// and carries the hardening the region expects; the example Ansible playbook passes
// `ansible-playbook --syntax-check`, and the example station configs it installs pass the fleet
// check it runs before rollout.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/config.js';
import { findTool, skipWithout } from '../helpers/system-tools.js';
import { deployDir } from '../helpers/deploy-files.js';
import { checkFleet } from '../../src/fleet/fleet-check.js';

const unitFile = path.join(deployDir, 'reservkit.service');
const unit = readFileSync(unitFile, 'utf8');

describe('deploy/reservkit.service', () => {
  it('runs the compiled build as its own user, with the config and data folders of the docs', () => {
    // The same node flags as `npm start` (the heap limit: docs/operations.md "Memory").
    const start = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const flags = /node (.*)dist\/main\.js$/.exec(start)![1]!;
    expect(flags).toMatch(/--max-old-space-size=\d+ /);
    expect(flags).toMatch(/--max-semi-space-size=\d+ /);
    expect(unit).toContain(`\nExecStart=/usr/bin/node ${flags}dist/main.js\n`);
    expect(unit).not.toMatch(/tsx/);
    expect(unit).toMatch(/^User=reservkit$/m);
    expect(unit).toMatch(/^WorkingDirectory=\/opt\/reservkit$/m);
    expect(unit).toMatch(/^Environment=RESERVKIT_CONFIG=\/etc\/reservkit\/station\.json$/m);
    expect(unit).toMatch(/^Environment=RESERVKIT_DATA_DIR=\/var\/lib\/reservkit$/m);
  });

  it('is hardened: no new privileges, read-only system but for the data folder, no capabilities', () => {
    for (const line of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/reservkit', 'ProtectHome=yes', 'PrivateTmp=yes', 'PrivateDevices=yes', 'CapabilityBoundingSet=', 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX'])
      expect(unit, line).toMatch(new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
    // V8's JIT needs W+X memory: this setting would crash node at start
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=yes/m);
  });

  it.skipIf(skipWithout('systemd-analyze', 'systemd'))('passes systemd-analyze verify without a warning', () => {
    // Where node is not /usr/bin/node (a developer's nvm), verify a copy pointing at this node.
    const dir = tempDir('reservkit-unit-');
    const file = path.join(dir, 'reservkit.service');
    writeFileSync(file, existsSync('/usr/bin/node') ? unit : unit.replace('/usr/bin/node', process.execPath));
    const r = spawnSync(findTool('systemd-analyze') ?? 'systemd-analyze', ['verify', file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // and it does catch mistakes: a misspelt key is a warning, a missing program an error
    writeFileSync(file, unit.replace('NoNewPrivileges=yes', 'NoNewPrivilege=yes').replace('/usr/bin/node', '/usr/bin/no-such-node'));
    const bad = spawnSync(findTool('systemd-analyze') ?? 'systemd-analyze', ['verify', file], { encoding: 'utf8' });
    expect(bad.stderr).toMatch(/Unknown key 'NoNewPrivilege'/);
    expect(bad.status).not.toBe(0);
  });
});

describe('deploy/ansible', () => {
  const dir = path.join(deployDir, 'ansible');
  it.skipIf(skipWithout('ansible-playbook', 'ansible-core'))('the example playbook passes ansible-playbook --syntax-check', () => {
    const r = spawnSync(findTool('ansible-playbook') ?? 'ansible-playbook', ['--syntax-check', '-i', 'inventory.example.ini', 'playbook.yml'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_LOCAL_TEMP: tempDir('ansible-'), ANSIBLE_NOCOLOR: '1' },
    });
    expect(r.stderr + r.stdout).toMatch(/playbook: playbook\.yml/);
    expect(r.status).toBe(0);
  });

  it('the example stations pass the fleet check the playbook runs first, and install the shipped unit file', () => {
    const rep = checkFleet(path.join(dir, 'stations'), { templatesDir: path.resolve('templates') });
    expect(rep.conflicts).toEqual([]);
    expect(rep.stations.map((s) => s.stationId)).toEqual(['vc-exempel-01', 'vc-exempel-02']);
    const inventory = readFileSync(path.join(dir, 'inventory.example.ini'), 'utf8');
    for (const s of rep.stations) expect(inventory).toContain(`${s.stationId} `);
    expect(readFileSync(path.join(dir, 'playbook.yml'), 'utf8')).toMatch(/fleet-check -- /);
    expect(readFileSync(path.join(dir, 'roles/reservkit_station/tasks/main.yml'), 'utf8')).toContain('src: "{{ playbook_dir }}/../reservkit.service"');
  });
});
