// Start-up checks of the label layouts (templates/labels/*.json) beyond their schema: each layout
// must hold the widest number the label series can print, and labels.defaultLayout must exist.
// A layout too narrow for the station's numbers then fails at start-up, not at the sampling desk.
import type { StationConfig } from '../config.js';
import type { LabelLayout } from './label-layout-schema.js';
import { labelSeriesOf } from '../domain/label-plan.js';
import { formatSerial } from '../domain/serials.js';
import { labelFitProblem } from './label-geometry.js';
import { zplFitProblem } from './zpl-geometry.js';

type Problem = (file: string, path: readonly PropertyKey[], reason: string) => void;

/** Numbers worth trying: the first and last of the block and the ten before the last (a mod 11 "X" among them). */
export function widestCandidates(series: Parameters<typeof formatSerial>[0] & { first: number; last: number }): string[] {
  const seqs = new Set([series.first, ...Array.from({ length: 11 }, (_, i) => Math.max(series.first, series.last - i))]);
  return [...seqs].map((n) => formatSerial(series, n));
}

/** Keeps the layouts that fit, reports the rest; returns them in `order`, then id. */
export function checkLabelLayouts(loaded: ReadonlyArray<{ file: string; value: LabelLayout }>, config: StationConfig, problem: Problem): Map<string, LabelLayout> {
  const series = labelSeriesOf(config);
  const samples = series ? widestCandidates(series) : [];
  const zplPrinters = config.printers.filter((p) => p.format === 'zpl' && p.roles.includes('labels-roll'));
  const layouts: LabelLayout[] = [];
  const ids = new Set<string>();
  for (const { file, value } of loaded) {
    if (ids.has(value.id)) {
      problem(file, ['id'], `duplicate label layout id "${value.id}"`);
      continue;
    }
    ids.add(value.id);
    const misfit = samples.map((n) => labelFitProblem(value, n)).find((p) => p !== undefined);
    if (misfit) {
      problem(file, ['barcode'], `${misfit} (numbers of series "${series!.id}")`);
      continue;
    }
    // A roll layout must also fit at each ZPL printer's resolution (modules round to whole dots).
    const zplMisfit = value.kind === 'roll' ? zplPrinters.flatMap((p) => samples.map((n) => zplFitProblem(value, p.dpi, n)).filter((m) => m !== undefined).map((m) => `printer "${p.id}": ${m}`))[0] : undefined;
    if (zplMisfit) {
      problem(file, ['barcode', 'moduleMm'], `${zplMisfit} (numbers of series "${series!.id}")`);
      continue;
    }
    layouts.push(value);
  }
  const wanted = config.labels.defaultLayout;
  if (wanted && !ids.has(wanted)) problem('config', ['labels', 'defaultLayout'], `no label layout "${wanted}" in templates/labels`);
  layouts.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return new Map(layouts.map((l) => [l.id, l]));
}
