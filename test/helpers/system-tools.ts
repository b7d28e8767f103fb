// Debian tools some tests need (promtool and prometheus, systemd-analyze, ansible-playbook). A
// developer's machine may lack one: the test is then skipped, saying which package installs it.
// In CI (CI=true) nothing is skipped: test/install-system-packages.sh installs them all, so a
// missing tool there is a failure, not a silent skip.
import { existsSync } from 'node:fs';
import path from 'node:path';

export function findTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin').split(':').concat(['/usr/bin', '/usr/sbin'])) {
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** True when the test should be skipped: the tool is absent and this is not CI. */
export function skipWithout(name: string, debianPackage: string): boolean {
  if (findTool(name)) return false;
  if (process.env.CI) return false;
  console.warn(`[test] ${name} saknas (Debian-paketet ${debianPackage}): testet hoppas över här; CI kör det.`);
  return true;
}
