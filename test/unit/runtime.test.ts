// The Node versions the station supports (package.json engines: Node 20 of Debian 13 and Node 24
// LTS) are the ones the suite runs on: CI runs it on both (.ci/run).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';

describe('runtime', () => {
  it('runs on a Node major that package.json engines names', () => {
    const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe('^20.19.0 || ^24.0.0');
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(major === 24 || (major === 20 && minor >= 19), `node ${process.version}`).toBe(true);
  });
});
