// Three places reach into a library's insides, each for a figure or a fault the public API cannot
// give: pdfmake's Renderer (the "rects" element for barcode bars: 1000 labels 2.5–4× faster,
// pdfmake-rects.ts), fontkit's table getter (decoded font tables shared between documents: more than
// half of a form's rendering time, pdf-engine.ts) and ipp's parse.handleUnknownTag (out-of-band
// values read silently instead of logged, ipp-client.ts). package.json pins ipp and pdfmake exactly;
// fontkit comes through pdfkit, so this test pins the versions the patches were checked against,
// and the tests named below check each patch's assumption. A version bump fails here first:
// re-run those tests, then update the version.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(path.join(root, 'package.json'));
/** The installed version of a package, found from the package that loads it. */
function installed(name: string, from?: string): string {
  const base = from ? createRequire(require.resolve(from)) : require;
  let dir = path.dirname(base.resolve(name));
  // Up from the entry file to the package's own package.json (sub-folders may hold other ones, or none).
  const own = (d: string) => existsSync(path.join(d, 'package.json')) && (JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')) as { name?: string }).name === name;
  while (!own(dir)) {
    if (path.dirname(dir) === dir) throw new Error(`no package.json for ${name}`);
    dir = path.dirname(dir);
  }
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

describe('patched libraries are the versions the patches were checked against', () => {
  it.each([
    ['pdfmake', undefined, '0.3.11', 'labels-render.test.ts (bars scan), pdf-stamp.test.ts (marks)'],
    ['fontkit', 'pdfkit', '2.0.4', 'write-path.test.ts "shares tables, and a form renders byte for byte the same"'],
    ['ipp', undefined, '2.0.1', 'ipp-client.test.ts "decodes the reply" (no-value read silently)'],
  ] as const)('%s (from %s) is %s — assumption tested in %s', (name, from, version, _where) => {
    expect(installed(name, from)).toBe(version);
  });

  it('package.json pins the direct ones exactly', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.pdfmake).toBe('0.3.11');
    expect(pkg.dependencies.ipp).toBe('2.0.1');
  });
});
