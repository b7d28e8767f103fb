// Cache of rendered forms for the day, so a kit press (and every later press that day) reuses PDFs
// instead of laying each form out again. Keyed by form, print day (station time zone) and the config
// object: a reloaded config is a new object and gets fresh documents. Entries of earlier days are
// dropped.
// - Forms without numbers are kept whole, one per "valid for" date (a Mottagningslista for a given
//   day, or with the date left blank for staff to fill in).
// - Numbered forms (a referral per number, sheets of receipt slips) are kept as stamping templates
//   (numbered.ts): each print stamps its numbers onto the template's pages.
//
// Note: a cached document keeps the print date without the time ("Utskriven 2026-11-25"): the date,
// which is what tells stale paper, is always right.
import type { StationConfig } from '../config.js';
import type { FormTemplate } from '../catalog/template-schema.js';
import { formSeries } from '../catalog/catalog.js';
import { formatStationDate } from '../domain/time.js';
import type { RenderContext } from './form-blocks.js';
import { renderFormOrSlips, renderNumberedForm } from './render-document.js';
import { renderNumberedTemplate, stampNumbers, type NumberedTemplate } from './numbered.js';
import { StampError } from './pdf-stamp.js';
import type { RenderedPdf } from './pdf-engine.js';

export type RenderFn = (t: FormTemplate, ctx: RenderContext) => Promise<RenderedPdf>;

interface Entry<T> {
  template: FormTemplate;
  result: Promise<T>;
}

interface DayEntries {
  day: string;
  /** Promises, so two presses at once render a form once. The template object is checked too. */
  whole: Map<string, Entry<RenderedPdf>>;
  numbered: Map<string, Entry<NumberedTemplate>>;
}

/** True for a form that prints numbers (a serial block, or numbered slips): it is stamped, not kept whole. */
export function isNumberedForm(t: FormTemplate): boolean {
  return formSeries(t) !== undefined;
}

/** A form kept whole: one per form and "valid for" date (or none). */
const wholeKey = (form: FormTemplate, ctx: RenderContext) => `${form.id}|${ctx.validFor ?? ''}`;

export class FormCache {
  private perConfig = new WeakMap<StationConfig, DayEntries>();
  /** Numbered prints stamped onto a template, and those rendered whole because stamping could not be exact. */
  readonly stats = { stamped: 0, renderedWhole: 0 };

  constructor(private readonly render: RenderFn = renderFormOrSlips) {}

  /**
   * The rendered PDF of a form without numbers for ctx.printedAt's day and ctx.validFor, rendered
   * once per day, date and config. A form with numbers is rendered every time (see numbered()).
   */
  get(form: FormTemplate, ctx: RenderContext): Promise<RenderedPdf> {
    if (isNumberedForm(form) || ctx.serial !== undefined) return this.render(form, ctx);
    return this.cached(this.entries(ctx).whole, wholeKey(form, ctx), form, () => this.render(form, { ...ctx, dateOnly: true }));
  }

  /** True when get() would answer from the cache (rendered, or being rendered, today). */
  has(form: FormTemplate, ctx: RenderContext): boolean {
    const entries = this.perConfig.get(ctx.config);
    if (isNumberedForm(form) || !entries || entries.day !== formatStationDate(ctx.printedAt, ctx.config.timezone)) return false;
    return entries.whole.get(wholeKey(form, ctx))?.template === form;
  }

  /**
   * A numbered form once per number (or slips, a sheet per few numbers), all in one PDF: the day's
   * template with the numbers stamped in. When stamping cannot reproduce the document exactly (a
   * barcode of another width, numbers that do not fill whole sheets), it is rendered whole.
   */
  async numbered(form: FormTemplate, ctx: RenderContext, serials: readonly string[]): Promise<RenderedPdf> {
    const sample = serials[0];
    if (sample === undefined) throw new Error(`[form-cache] ${form.id}: a numbered form needs its numbers`);
    const day = { ...ctx, dateOnly: true };
    try {
      const key = `${form.id}|${ctx.validFor ?? ''}|${sample.length}`;
      const template = await this.cached(this.entries(ctx).numbered, key, form, () => renderNumberedTemplate(form, day, sample));
      const r = await stampNumbers(template, serials);
      this.stats.stamped++;
      return r;
    } catch (e) {
      if (!(e instanceof StampError)) throw e;
      this.stats.renderedWhole++;
      return form.slips ? this.render(form, { ...day, serials }) : renderNumberedForm(form, day, serials);
    }
  }

  /** Drops everything (e.g. after templates were reloaded). */
  clear(config?: StationConfig): void {
    if (config) this.perConfig.delete(config);
    else this.perConfig = new WeakMap();
  }

  private entries(ctx: RenderContext): DayEntries {
    const day = formatStationDate(ctx.printedAt, ctx.config.timezone);
    let entries = this.perConfig.get(ctx.config);
    if (!entries || entries.day !== day) {
      entries = { day, whole: new Map(), numbered: new Map() };
      this.perConfig.set(ctx.config, entries);
    }
    return entries;
  }

  private cached<T>(map: Map<string, Entry<T>>, key: string, form: FormTemplate, make: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit && hit.template === form) return hit.result;
    const entry = { template: form, result: make() };
    map.set(key, entry);
    // A failed rendering is not kept: the next press tries again.
    entry.result.catch(() => {
      if (map.get(key) === entry) map.delete(key);
    });
    return entry.result;
  }
}
