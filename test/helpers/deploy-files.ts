// Reading the shipped deploy/ files in tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const deployDir = path.resolve('deploy');

/** The PromQL of every dashboard panel, with the $station variable replaced by "all stations". */
export function dashboardQueries(): string[] {
  const d = JSON.parse(readFileSync(path.join(deployDir, 'grafana/reservkit-dashboard.json'), 'utf8')) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
  return d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr.replaceAll('$station', '.*')));
}
