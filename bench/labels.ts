// Label benchmark: 1000 referral labels on A4 3 × 8 sheets (42 pages).
//  - render time of our renderer (the first request of a size in a day: the sheets laid out by
//    pdfmake as a template, bars and numbers stamped on; and the same request again, stamped onto
//    the cached template) beside a bare pdfkit loop drawing the same bars and text at the same
//    places in the same run (goal ≤ 2×, on the first request); pdfkit is pdfmake's own dependency
//    and is imported here only, for the baseline;
//  - the longest event-loop stall while the worker renders (goal < 50 ms: the UI stays live),
//    and, for comparison, while rendering on the main thread;
//  - the PDF's size (goal ≤ 300 KB) and the process's peak memory while rendering;
//  - POST /api/labels → 202 for 334 referrals × 3 labels through an in-process station.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { parseConfig } from '../src/config.js';
import { labelLayoutSchema, labelsPerPage, PT_MM, type LabelLayout } from '../src/catalog/label-layout-schema.js';
import { placeLabels } from '../src/domain/label-plan.js';
import { formatSerial } from '../src/domain/serials.js';
import { barcodeModules } from '../src/domain/barcode-symbol.js';
import { labelGeometry, MONO_ADVANCE_EM } from '../src/catalog/label-geometry.js';
import { renderLabels, type RenderLabelsInput } from '../src/render/labels.js';
import { RenderPool } from '../src/render/render-pool.js';
import { createStation } from '../src/station.js';
import { stationConfig } from '../test/helpers/station-process.js';
import { tempDir } from '../test/helpers/config.js';

export type Report = (name: string, value: string, goal?: string, ok?: boolean | null) => void;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LABELS = 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** The same labels drawn with bare pdfkit: bars as rectangles, unit and number as text, at the renderer's places. */
async function bareLabels(input: RenderLabelsInput): Promise<Uint8Array> {
  const { layout } = input;
  if (layout.kind !== 'sheet') throw new Error('the baseline draws sheets');
  const pt = (mm: number) => mm / PT_MM;
  const doc = new PDFDocument({ size: [pt(layout.page.width), pt(layout.page.height)], margin: 0, autoFirstPage: false });
  doc.registerFont('sans', readFileSync(path.join(root, 'fonts/DejaVuSans.ttf')));
  doc.registerFont('mono', readFileSync(path.join(root, 'fonts/DejaVuSansMono.ttf')));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((r) => doc.on('end', () => r()));
  const plan = placeLabels({ perPage: labelsPerPage(layout), items: input.items.length, labelsPerItem: input.labelsPerNumber ?? 1 });
  const encoded = input.items.map((it) => {
    const m = barcodeModules(layout.barcode.symbology, it.number);
    return { number: it.number, m, g: labelGeometry(layout, m, it.number) };
  });
  let page = -1;
  for (const s of plan.slots) {
    if (s.page !== page) {
      doc.addPage();
      page = s.page;
    }
    const { number, m, g } = encoded[s.item]!;
    const g2 = layout.grid;
    const lx = g2.marginLeft + (s.position % g2.columns) * (layout.label.width + g2.gapX);
    const ly = g2.marginTop + Math.floor(s.position / g2.columns) * (layout.label.height + g2.gapY);
    doc.font('sans').fontSize(layout.text.unitSize).text(input.config.unit.name, pt(lx + layout.padding), pt(ly + g.unitY), { lineBreak: false });
    for (const [x, , w] of m.rects) doc.rect(pt(lx + g.symbolX + x * g.module), pt(ly + g.symbolY), pt(w * g.module), pt(g.symbolHeight));
    doc.fill('black');
    const numberW = number.length * MONO_ADVANCE_EM * layout.text.numberSize * PT_MM;
    doc.font('mono').fontSize(layout.text.numberSize).text(number, pt(lx + (layout.label.width - numberW) / 2), pt(ly + g.numberY), { lineBreak: false });
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/**
 * Runs `fn` while a 2 ms timer watches the event loop: the longest gap between two ticks beyond
 * the 2 ms is the longest stall a page request would have waited. Also samples peak RSS.
 */
async function watched<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; stallMs: number; peakRss: number }> {
  let peakRss = process.memoryUsage().rss;
  let stall = 0;
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last - 2);
    last = now;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 2);
  const t0 = performance.now();
  const value = await fn();
  const took = performance.now() - t0;
  // One more turn of the loop, so a stall that lasted until now is counted too.
  await new Promise((r) => setTimeout(r, 3));
  clearInterval(tick);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { value, ms: took, stallMs: stall, peakRss };
}

export async function benchLabels(report: Report): Promise<void> {
  const config = parseConfig(stationConfig([{ id: 'a4', name: 'Bench A4', uri: `file://${tempDir('reservkit-bench-labels-')}`, roles: ['a4', 'labels-sheet'] }]));
  const layout: LabelLayout = labelLayoutSchema.parse(JSON.parse(readFileSync(path.join(root, 'templates/labels/a4-3x8.json'), 'utf8')));
  const series = config.series.find((s) => s.id === 'remiss')!;
  const input: RenderLabelsInput = {
    layout,
    items: Array.from({ length: LABELS }, (_, i) => ({ number: formatSerial(series, series.first + i) })),
    config: { unit: config.unit, routine: config.routine, timezone: config.timezone },
    printedAt: new Date(),
  };

  // Warm up both (JIT, font parsing), then alternate so both see the same machine load.
  for (let i = 0; i < 2; i++) {
    await renderLabels(input);
    await bareLabels(input);
  }
  // Ours twice a round: the first request of its size that day (pdfmake lays the sheets' unit lines
  // and margins out as a template, then the bars and numbers are stamped on: another day each round,
  // so the template is never cached), and the same request again (stamped onto the cached template).
  const ours: number[] = [];
  const oursCached: number[] = [];
  const bare: number[] = [];
  let size = 0;
  let bareSize = 0;
  for (let r = 0; r < 7; r++) {
    let t = performance.now();
    const pdf = (await renderLabels({ ...input, printedAt: new Date(input.printedAt.getTime() + (r + 1) * 86_400_000) })).pdf;
    ours.push(performance.now() - t);
    size = pdf.byteLength;
    t = performance.now();
    await renderLabels(input);
    oursCached.push(performance.now() - t);
    t = performance.now();
    bareSize = (await bareLabels(input)).byteLength;
    bare.push(performance.now() - t);
  }
  const ratio = median(ours) / median(bare);
  report(`${LABELS} labels, A4 3 × 8 (${Math.ceil(LABELS / 24)} pages), ours, first request of this size today (template laid out + stamped), median of 7`, ms(median(ours)));
  report('ours again, stamped onto the cached template, median of 7', ms(median(oursCached)));
  report('bare pdfkit loop, same bars and text, same run, median of 7', ms(median(bare)));
  report('labels (first request) / bare pdfkit', ratio.toFixed(2), '≤ 2', ratio <= 2);
  report(`PDF size, ${LABELS} labels`, `${(size / 1024).toFixed(0)} KB (bare pdfkit: ${(bareSize / 1024).toFixed(0)} KB)`, '≤ 300 KB', size <= 300 * 1024);

  // The server's way: in the worker thread. The main thread only waits, so its loop keeps turning.
  // What the machine alone does to the loop (other processes, GC): the floor under the figure below.
  const idle = await watched(() => new Promise((r) => setTimeout(r, 1000)));
  const before = process.memoryUsage().rss;
  const pool = new RenderPool();
  try {
    await pool.render(input); // start and warm the worker
    await pool.render(input);
    const runs = [];
    for (let r = 0; r < 3; r++) runs.push(await watched(() => pool.render(input)));
    const worst = Math.max(...runs.map((x) => x.stallMs));
    report(`${LABELS} labels in the worker thread, median of 3`, ms(median(runs.map((x) => x.ms))));
    report(
      'longest event-loop stall while the worker renders, worst of 3',
      `${ms(worst)} (idle loop on this machine: ${ms(idle.stallMs)}, load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs)`,
      '< 50 ms',
      worst < 50,
    );
    const peak = Math.max(...runs.map((x) => x.peakRss));
    report('peak memory (process RSS, worker included) while rendering', `${mb(peak)} (+${mb(Math.max(0, peak - before))} over the process without the worker)`);
  } finally {
    await pool.close();
  }
  const inline = await watched(() => renderLabels(input));
  report('for comparison: longest stall when rendering on the main thread', ms(inline.stallMs));

  // Through the API: draw the numbers, render in the worker, spool, store the batch.
  const station = await createStation({ ...config, dataDir: tempDir('reservkit-bench-labels-data-') }, { log: () => {} });
  try {
    const post = (n: number) =>
      station.app.request('http://127.0.0.1/api/labels', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ referrals: n, labelsPerReferral: 3, layout: 'a4-3x8' }),
      });
    await post(1); // worker started
    const times: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      const res = await post(334);
      if (res.status !== 202) throw new Error(`POST /api/labels: ${res.status} ${await res.text()}`);
      times.push(performance.now() - t);
    }
    report('POST /api/labels, 334 referrals × 3 (1002 labels) → 202, median of 3', ms(median(times)));
  } finally {
    await station.stop();
  }
}
