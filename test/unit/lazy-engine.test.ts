// The PDF engine (pdfmake, pdfkit, fontkit) and bwip-js are loaded on the first render, not at
// start-up: an idle station's resident memory stays under issue 10's 100 MB (`npm run bench -- start`).
// A fresh Node process imports the whole station (as main.ts does) and reports which of them the
// CommonJS loader holds; then after warmUpEngine() and after a barcode.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/config.js';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function loadedAfter(step: string): string[] {
  // A module file rather than -e: worker threads inherit -e's --input-type and refuse to start.
  const script = `
    import { createRequire } from 'node:module';
    process.chdir(${JSON.stringify(root)});
    await import(${JSON.stringify(pathToFileURL(path.join(root, 'src/station.ts')).href)});
    await import(${JSON.stringify(pathToFileURL(path.join(root, 'src/app.ts')).href)});
    ${step.replaceAll("'./", `'${pathToFileURL(root).href}/`)}
    const cache = createRequire(import.meta.url).cache;
    const names = ['pdfmake', 'pdfkit', 'fontkit', 'bwip-js'].filter((n) => Object.keys(cache).some((k) => k.includes('/node_modules/' + n + '/')));
    console.log(JSON.stringify(names));
  `;
  const file = path.join(tempDir(), 'probe.mts');
  writeFileSync(file, script);
  const out = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as string[];
}

describe('render engine loading', () => {
  it('importing the station loads neither pdfmake nor bwip-js; warming up loads pdfmake; a barcode loads bwip-js', () => {
    expect(loadedAfter('')).toEqual([]);
    expect(loadedAfter(`(await import('./src/render/index.ts')).warmUpEngine();`)).toEqual(expect.arrayContaining(['pdfmake', 'pdfkit', 'fontkit']));
    expect(loadedAfter(`(await import('./src/render/index.ts')).barcodeModules('code128', 'RV09000001');`)).toContain('bwip-js');
  });

  it('a first start (the fit check renders every form, in a thread of its own) leaves the PDF engine unloaded here', () => {
    const started = `
      const { testConfig } = await import('./test/helpers/config.ts');
      const { createStation } = await import('./src/station.ts');
      const station = await createStation(testConfig(), { log: () => {} });
      await station.stop();
    `;
    // bwip-js is there: the catalog's label-layout check measures a sample number's bars at load.
    expect(loadedAfter(started)).toEqual(['bwip-js']);
  });

  it('no source file imports pdfmake, pdfkit or bwip-js at load time (an ESM import of bwip-js would not show in the CommonJS cache)', () => {
    const src = path.join(root, 'src');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
    const eager = files.flatMap((f) =>
      readFileSync(path.join(src, f), 'utf8')
        .split('\n')
        .filter((l) => /^import\s+(?!type\b)[^;]*from\s+'(pdfmake|pdfkit|fontkit|bwip-js)(\/[^']*)?'/.test(l) || /^import\s+'(pdfmake|pdfkit|fontkit|bwip-js)/.test(l))
        .map((l) => `${f}: ${l}`),
    );
    expect(eager).toEqual([]);
  });
});
