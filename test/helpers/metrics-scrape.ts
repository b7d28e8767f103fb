// Scraping a station's metrics listener from a chosen loopback address (127.0.0.2 acts as
// "another host" for allowlist tests), and reading samples out of the Prometheus text format.
import http from 'node:http';
import type { StationProcess } from './station-process.js';
import { waitFor } from './station-process.js';

export interface Scrape {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function scrape(url: string, opts: { localAddress?: string; token?: string; method?: string } = {}): Promise<Scrape> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? 'GET', localAddress: opts.localAddress ?? '127.0.0.1', headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {}, timeout: 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

/** The metrics listener's base URL, from the line main.ts logs ("metrics: http://127.0.0.1:PORT/metrics"). */
export function metricsUrlOf(station: StationProcess): Promise<string> {
  return waitFor(() => /metrics: (http:\/\/[^ ]+?)\/metrics/.exec(station.output())?.[1], 10_000, 'metrics listener line');
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the sample lines of a text exposition (HELP/TYPE lines are checked separately). */
export function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The one sample of `name` whose labels include `labels`; throws when there is none. */
export function sample(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample {
  const s = samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  if (!s) throw new Error(`no sample ${name}${JSON.stringify(labels)}`);
  return s;
}
