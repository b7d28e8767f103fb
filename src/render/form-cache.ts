// Cache of rendered blank forms, so a kit press (and every later press that day) reuses the PDF
// instead of rendering each form again. Keyed by form, print day (station time zone) and the config
// object: a reloaded config is a new object and gets fresh documents. Entries of earlier days are
// dropped. Forms that vary per print (serial, validFor) are never cached.
//
// Note: a cached document keeps the print time of its first rendering that day ("Utskriven … 08:12"
// on a copy printed at 14:03); the date, which is what tells stale paper, is always right.
import type { StationConfig } from '../config.js';
import { isBlankForm } from '../catalog/catalog.js';
import type { FormTemplate } from '../catalog/template-schema.js';
import { formatStationDate, renderForm, type RenderContext } from './render-form.js';
import type { RenderedPdf } from './pdf-engine.js';

export type RenderFn = (t: FormTemplate, ctx: RenderContext) => Promise<RenderedPdf>;

interface ConfigEntries {
  day: string;
  /** Promises, so two presses at once render a form once. Keyed by form id; the template object is checked too. */
  byForm: Map<string, { template: FormTemplate; result: Promise<RenderedPdf> }>;
}

export class FormCache {
  private perConfig = new WeakMap<StationConfig, ConfigEntries>();

  constructor(private readonly render: RenderFn = renderForm) {}

  /**
   * The rendered PDF of a form for ctx.printedAt's day. Blank forms are rendered once per day and
   * config; other forms (serial, validFor) are rendered every time.
   */
  async get(form: FormTemplate, ctx: RenderContext): Promise<RenderedPdf> {
    if (!isBlankForm(form) || ctx.serial !== undefined || ctx.validFor !== undefined) return this.render(form, ctx);
    const day = formatStationDate(ctx.printedAt, ctx.config.timezone);
    let entries = this.perConfig.get(ctx.config);
    if (!entries || entries.day !== day) {
      entries = { day, byForm: new Map() };
      this.perConfig.set(ctx.config, entries);
    }
    const hit = entries.byForm.get(form.id);
    if (hit && hit.template === form) return hit.result;
    const result = this.render(form, { ...ctx, dateOnly: true });
    const entry = { template: form, result };
    entries.byForm.set(form.id, entry);
    // A failed rendering is not kept: the next press tries again.
    const owner = entries;
    result.catch(() => {
      if (owner.byForm.get(form.id) === entry) owner.byForm.delete(form.id);
    });
    return result;
  }

  /** True when get() would answer from the cache (rendered, or being rendered, today). */
  has(form: FormTemplate, ctx: RenderContext): boolean {
    const entries = this.perConfig.get(ctx.config);
    return !!entries && entries.day === formatStationDate(ctx.printedAt, ctx.config.timezone) && entries.byForm.get(form.id)?.template === form;
  }

  /** Drops everything (e.g. after templates were reloaded). */
  clear(config?: StationConfig): void {
    if (config) this.perConfig.delete(config);
    else this.perConfig = new WeakMap();
  }
}
