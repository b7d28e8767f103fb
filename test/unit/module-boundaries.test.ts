// The layers' import rules, read from the source: catalog/ and domain/ are data and rules and import
// neither render/ nor store/; render/ is pure (template + inputs in, bytes out) and imports no store
// types either (issue 10: the store is encapsulated); render/ has one public surface (render/index.ts) that the rest of src/
// imports; the two form layouts (render-form.ts, render-slips.ts) share form-blocks.ts instead of
// importing each other. Type-only imports count: a type is a dependency too.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const srcDir = path.resolve(import.meta.dirname, '../../src');

/** Every .ts/.tsx/.mjs file under src/, as a path relative to src/ with forward slashes, and its text. */
function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(srcDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|tsx|mjs)$/.test(entry.name)) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(srcDir, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
  }
  return files;
}

/** The specifiers a file imports or re-exports: `import … from`, `export … from`, `import '…'`, `import('…')`. */
export function importSpecifiers(source: string): string[] {
  const specs: string[] = [];
  const patterns = [/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) specs.push(m[1]!);
  return specs;
}

/** A relative specifier as a path under src/ (".js" written for a ".ts" file stays ".js": compared by stem). */
function resolveFrom(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.(js|ts|tsx|mjs)$/, '');
}

const layer = (p: string): string => p.split('/')[0]!;

/** Every import that breaks a rule, as "from → to: why". */
export function boundaryViolations(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, source] of files) {
    const fromStem = file.replace(/\.(ts|tsx|mjs)$/, '');
    for (const spec of importSpecifiers(source)) {
      const to = resolveFrom(file, spec);
      if (to === undefined) continue;
      const say = (why: string) => out.push(`${file} → ${spec}: ${why}`);
      if ((layer(file) === 'catalog' || layer(file) === 'domain') && (layer(to) === 'render' || layer(to) === 'store'))
        say(`${layer(file)}/ is data and rules; it imports nothing from ${layer(to)}/`);
      if (layer(file) === 'render' && layer(to) === 'store') say('render/ is pure; it imports nothing from store/');
      if (layer(to) === 'render' && layer(file) !== 'render' && to !== 'render/index') say('outside render/, import render/index.ts only');
      const pair = new Set([fromStem, to]);
      if (pair.has('render/render-form') && pair.has('render/render-slips') && fromStem !== to) say('render-form and render-slips share render/form-blocks.ts instead of importing each other');
    }
  }
  return out;
}

describe('module boundaries', () => {
  it('src/ keeps them: catalog/ and domain/ import no render/ or store/, render/ no store/, render/ is imported through its index, the form layouts do not import each other', () => {
    const files = sourceFiles();
    // The walk found the code (a wrong path would pass an empty tree).
    expect(files.has('catalog/label-catalog.ts')).toBe(true);
    expect(files.has('render/index.ts')).toBe(true);
    expect(boundaryViolations(files)).toEqual([]);
  });

  it('reads every kind of import line', () => {
    const src = [
      "import { a } from '../render/zpl.js';",
      "import type {\n  B,\n  C,\n} from '../store/jobs.js';",
      "export { d } from './render-slips.js';",
      "import '../render/side-effect.js';",
      "const m = await import('../render/labels.js');",
      "import { z } from 'zod';",
    ].join('\n');
    expect(importSpecifiers(src)).toEqual(['../render/zpl.js', '../store/jobs.js', './render-slips.js', 'zod', '../render/side-effect.js', '../render/labels.js']);
  });

  it('reports each kind of break', () => {
    const files = new Map([
      ['catalog/label-catalog.ts', "import { labelFitProblem } from '../render/label-geometry.js';"],
      ['domain/wording.ts', "import type { Job } from '../store/jobs.js';"],
      ['services/label-service.ts', "import { renderZpl } from '../render/zpl.js';\nimport { renderLabels } from '../render/index.js';"],
      ['render/render-slips.ts', "import { layoutPageBlocks } from './render-form.js';"],
      ['render/render-form.ts', "import type { SlipsGeometry } from './render-slips.js';\nimport { x } from './form-blocks.js';"],
      ['render/labels.ts', "import { labelGeometry } from '../catalog/label-geometry.js';"],
      ['render/render-ledger.ts', "import type { Store } from '../store/store.js';"],
      ['ui/page.tsx', "import { renderTestPage } from '../render/index.js';"],
    ]);
    expect(boundaryViolations(files)).toEqual([
      'catalog/label-catalog.ts → ../render/label-geometry.js: catalog/ is data and rules; it imports nothing from render/',
      'catalog/label-catalog.ts → ../render/label-geometry.js: outside render/, import render/index.ts only',
      'domain/wording.ts → ../store/jobs.js: domain/ is data and rules; it imports nothing from store/',
      'services/label-service.ts → ../render/zpl.js: outside render/, import render/index.ts only',
      'render/render-slips.ts → ./render-form.js: render-form and render-slips share render/form-blocks.ts instead of importing each other',
      'render/render-form.ts → ./render-slips.js: render-form and render-slips share render/form-blocks.ts instead of importing each other',
      'render/render-ledger.ts → ../store/store.js: render/ is pure; it imports nothing from store/',
    ]);
  });
});
