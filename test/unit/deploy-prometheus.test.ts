// The shipped monitoring files (deploy/prometheus, deploy/grafana) checked by Prometheus' own
// tool: the rules parse (promtool check rules), each alert fires and stays quiet as its unit tests
// say (promtool test rules), the example scrape config is valid, and every dashboard query is
// valid PromQL. That they name only metrics a station really exports is checked against a running
// station in test/integration/prometheus-scrape.test.ts.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/config.js';
import { findTool, skipWithout } from '../helpers/system-tools.js';
import { dashboardQueries, deployDir as deploy } from '../helpers/deploy-files.js';

const rules = path.join(deploy, 'prometheus/reservkit-rules.yml');
const skip = skipWithout('promtool', 'prometheus');
const promtool = (...args: string[]) => execFileSync(findTool('promtool') ?? 'promtool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe.skipIf(skip)('Prometheus files', () => {
  it('the alert rules pass promtool check rules', () => {
    expect(promtool('check', 'rules', rules)).toMatch(/SUCCESS: 6 rules found/);
  });

  it('each alert fires and stays quiet as its unit tests say (promtool test rules)', () => {
    const files = ['reservkit-rules.test.yml', 'reservkit-rules-days.test.yml'].map((f) => path.join(deploy, 'prometheus', f));
    const out = promtool('test', 'rules', ...files);
    expect(out.match(/SUCCESS/g)).toHaveLength(2);
    // every alert in the rules has a test
    const tested = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const alerts = [...readFileSync(rules, 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1]!);
    expect(alerts).toHaveLength(6);
    for (const a of alerts) expect(tested, a).toContain(`alertname: ${a}`);
  });

  it('the example scrape config is valid (with its files in place)', () => {
    const dir = tempDir('reservkit-prom-');
    writeFileSync(path.join(dir, 'token'), 'x\n');
    const cfg = readFileSync(path.join(deploy, 'prometheus/prometheus-scrape.example.yml'), 'utf8')
      .replace('/etc/prometheus/reservkit-rules.yml', rules)
      .replace('/etc/prometheus/reservkit-metrics.token', path.join(dir, 'token'));
    writeFileSync(path.join(dir, 'prometheus.yml'), cfg);
    expect(promtool('check', 'config', path.join(dir, 'prometheus.yml'))).toMatch(/SUCCESS/);
  });

  it('every dashboard query is valid PromQL', () => {
    const q = dashboardQueries();
    expect(q.length).toBeGreaterThanOrEqual(14);
    // promtool parses expressions in rule files: one recording rule per query
    const dir = tempDir('reservkit-dash-');
    const file = path.join(dir, 'dashboard-queries.yml');
    writeFileSync(file, `groups:\n  - name: dashboard\n    rules:\n${q.map((e, i) => `      - record: dashboard:q${i}\n        expr: ${JSON.stringify(e)}\n`).join('')}`);
    expect(promtool('check', 'rules', file)).toMatch(new RegExp(`SUCCESS: ${q.length} rules found`));
  });
});
