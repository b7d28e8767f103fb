// Reading printed output as a reader would: pdftotext, pdfinfo, pdftoppm + zbarimg (poppler, zbar).
import { execFileSync } from 'node:child_process';
import { writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './config.js';

export function pdfText(file: string, layout = false): string {
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), file, '-'], { encoding: 'utf8' });
}

export function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** Text per page (pdftotext splits pages with form feeds). */
export function pdfPageTexts(file: string): string[] {
  return pdfText(file).split('\f').slice(0, pdfPages(file));
}

export function writeTemp(pdf: Uint8Array, name = 'doc.pdf'): string {
  const file = path.join(tempDir('reservkit-pdf-'), name);
  writeFileSync(file, pdf);
  return file;
}

/** Rasterizes every page at `dpi` (monochrome-friendly gray) and decodes all barcodes per page with zbarimg. */
export function decodeBarcodes(file: string, dpi: number): string[][] {
  const dir = tempDir('reservkit-ras-');
  execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', file, path.join(dir, 'p')]);
  const pages = readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
  return pages.map((p) => {
    try {
      const out = execFileSync('zbarimg', ['--quiet', '--raw', path.join(dir, p)], { encoding: 'utf8' });
      return out.split('\n').filter(Boolean);
    } catch (e) {
      // zbarimg exits 4 when a page has no barcode
      if ((e as { status?: number }).status === 4) return [];
      throw e;
    }
  });
}

/** qpdf's structural check of a PDF: the output it gives, or throws with qpdf's complaint. */
export function qpdfCheck(file: string): string {
  try {
    return execFileSync('qpdf', ['--check', file], { encoding: 'utf8' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; status?: number };
    // qpdf exits 3 for warnings: a warning is a defect in what we write, too.
    throw new Error(`qpdf --check ${file} failed (${err.status}): ${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}
