// The referral-label page on the touchscreen: how many referrals (N) and labels per referral (K)
// with an on-screen keypad, the layout and the printer, "börja på etikettposition" for a partly
// used sheet, a preview of the first page with the numbers it would get, and one big button.
// Works without JavaScript (a "Visa" button reloads the preview); static/labels.js adds the
// keypad, live preview and tapping a position to start there.
import type { FC } from 'hono/jsx';
import type { PrinterView } from '../../printing/printer-monitor.js';
import type { LabelPreview, LayoutView } from '../../services/label-service.js';
import { Layout } from '../layout.js';
import { printerSummary } from '../../domain/wording.js';
import { Chip, Errors, InitialsField, Keypad, StartPositionField } from './parts.js';
import { labelAssetUrl } from '../label-assets.js';

/** More labels than this (referrals × labels each) ask once more before printing. */
export const CONFIRM_LABELS_OVER = 100;

export interface LabelsFormValues {
  referrals: number;
  labelsPerReferral: number;
  layout: string;
  printer?: string;
  startPosition?: number;
}

export interface LabelsPageProps {
  unitName: string;
  layouts: readonly LayoutView[];
  printers: readonly PrinterView[];
  values: LabelsFormValues;
  preview?: LabelPreview;
  requestId: string;
  actor?: string;
  errors?: readonly string[];
}

/** The scripts and styles of the label pages (the CSP allows no inline ones). */
export const LabelAssets: FC = () => (
  <>
    <link rel="stylesheet" href={labelAssetUrl('labels.css')} />
    <script src={labelAssetUrl('labels.js')} defer></script>
  </>
);

const NumberField: FC<{ name: string; label: string; value?: number; min: number; max: number; hint?: string }> = (p) => (
  <label class="num-field">
    <span class="num-label">{p.label}</span>
    <input
      class="num-input js-keypad-field"
      type="number"
      inputmode="numeric"
      name={p.name}
      min={String(p.min)}
      max={String(p.max)}
      step="1"
      value={p.value === undefined ? '' : String(p.value)}
      autocomplete="off"
    />
    {p.hint ? <span class="num-hint">{p.hint}</span> : null}
  </label>
);

/**
 * The part of the form that depends on the layout: printer choice, start position, the print button
 * and the preview. static/labels.js fetches it again (GET /etiketter/del) whenever a value changes.
 * The button comes before the preview, in the flow: at 800×480 it is in sight without scrolling and
 * never floats over the start position (it was sticky at the bottom and covered the hint).
 */
export const LabelsDynamic: FC<{ layouts: readonly LayoutView[]; printers: readonly PrinterView[]; values: LabelsFormValues; preview?: LabelPreview }> = (p) => {
  const layout = p.layouts.find((l) => l.id === p.values.layout);
  const pv = p.preview;
  const sheet = layout?.kind === 'sheet';
  const choosable = layout ? p.printers.filter((pr) => layout.printers.includes(pr.id)) : [];
  const chosen = p.values.printer ?? layout?.defaultPrinter;
  const total = p.values.referrals * p.values.labelsPerReferral;
  return (
    <div id="labels-dynamic" class="labels-dynamic">
      <fieldset class="choice">
        <legend>Skrivare</legend>
        {choosable.length ? (
          choosable.map((pr) => {
            const s = printerSummary(pr);
            return (
              <label class="choice-item" data-printer-id={pr.id}>
                <input type="radio" name="printer" value={pr.id} checked={pr.id === chosen} />
                <span class="choice-name">{pr.name}</span> <Chip tone={s.tone} text={s.text} hook="js-pstate" />
              </label>
            );
          })
        ) : (
          <p class="notice tone-bad">Ingen skrivare är inställd för den här layouten. Välj en annan layout.</p>
        )}
      </fieldset>
      {sheet ? (
        <div class="start-row">
          <StartPositionField perPage={layout.labelsPerPage} value={p.values.startPosition} hook="js-keypad-field" hint="Tryck på en ruta i förhandsvisningen." />
        </div>
      ) : null}
      {pv?.problem ? (
        <p class="notice tone-bad" role="alert">
          {pv.problem}
        </p>
      ) : null}
      {pv?.warning ? (
        <p class="notice tone-warn" role="status">
          {pv.warning}
        </p>
      ) : null}
      <p class="notice tone-warn js-confirm-note" role="alert" hidden></p>
      <button type="submit" class="button primary huge js-print" disabled={Boolean(pv?.problem) || !choosable.length}>
        {`Skriv ut ${p.values.referrals} × ${p.values.labelsPerReferral} ${total === 1 ? 'etikett' : 'etiketter'}`}
      </button>
      {pv ? (
        <section class="preview" aria-labelledby="preview-h">
          <h2 id="preview-h">
            Förhandsvisning{sheet ? ', första arket' : ''}
            <span class="preview-meta">
              {` – ${total} ${total === 1 ? 'etikett' : 'etiketter'}, ${pv.pages} ${sheet ? (pv.pages === 1 ? 'ark' : 'ark') : pv.pages === 1 ? 'etikett på rullen' : 'etiketter på rullen'}`}
            </span>
          </h2>
          <ol class={`sheet ${sheet ? `cols-${layout.columns}` : 'roll'}`} data-per-page={String(pv.cells.length)}>
            {(sheet ? pv.cells : pv.cells.slice(0, 1)).map((cell, i) =>
              cell.kind === 'label' ? (
                <li class={`cell label${cell.copy === 0 ? ' first' : ''}`} data-pos={String(i + 1)}>
                  <span class="cell-pos">{i + 1}</span>
                  <span class="cell-bars" aria-hidden="true"></span>
                  <span class="cell-number">{cell.number ?? '–'}</span>
                </li>
              ) : (
                <li class={`cell ${cell.kind}`} data-pos={String(i + 1)}>
                  <span class="cell-pos">{i + 1}</span>
                  <span class="cell-note">{cell.kind === 'used' ? 'använd' : ''}</span>
                </li>
              ),
            )}
          </ol>
          {!sheet && pv.numbers.length ? (
            <p class="muted">{`En etikett per sida: ${pv.numbers.slice(0, 3).join(', ')}${pv.numbers.length > 3 ? ' …' : ''}, var och en ${p.values.labelsPerReferral} ${p.values.labelsPerReferral === 1 ? 'gång' : 'gånger'}.`}</p>
          ) : null}
          {pv.numbers.length ? (
            <p class="muted">
              {`Nummer: ${pv.numbers[0]}${pv.numbers.length > 1 ? ` – ${pv.numbers.at(-1)}` : ''} (preliminärt: ett annat tryck kan hinna före).`}
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
};

export const LabelsPage: FC<LabelsPageProps> = (p) => (
  <Layout title="Remissetiketter" unitName={p.unitName}>
    <LabelAssets />
    <div class="labels-head">
      <h1>Remissetiketter med streckkod</h1>
      <a class="button secondary small" href="/etiketter/patient">
        Patient-ID-etiketter
      </a>
      <a class="button secondary small" href="/etiketter/nummer">
        Utfärdade nummer och kopior
      </a>
    </div>
    <Errors errors={p.errors} />
    {p.layouts.length === 0 ? (
      <p class="notice tone-bad">Inga etikettlayouter finns på stationen (templates/labels). Kontakta enhetens administratör.</p>
    ) : (
      <form method="post" action="/etiketter/skriv-ut" class="labels-form js-labels-form" data-once="" data-confirm-over={String(CONFIRM_LABELS_OVER)} data-confirm-fields="referrals labelsPerReferral" data-confirm-unit="etiketter">
        <input type="hidden" name="requestId" value={p.requestId} />
        <div class="labels-grid">
          <div class="labels-inputs">
            <div class="num-row">
              <NumberField name="referrals" label="Antal remisser (N)" value={p.values.referrals} min={1} max={500} hint="Ett nummer per remiss" />
              <NumberField name="labelsPerReferral" label="Etiketter per remiss (K)" value={p.values.labelsPerReferral} min={1} max={20} hint="1 till remissen, resten till rören" />
            </div>
            <Keypad padClass="keypad" keyClass="key" clearClass="key-clear" backClass="key-back" />
            <fieldset class="choice">
              <legend>Layout</legend>
              {p.layouts.map((l) => (
                <label class="choice-item">
                  <input type="radio" name="layout" value={l.id} checked={l.id === p.values.layout} />
                  <span class="choice-name">{l.name}</span>
                  <span class="choice-desc">{l.kind === 'sheet' ? `${l.labelsPerPage} per ark` : 'etikettskrivare'}</span>
                </label>
              ))}
            </fieldset>
            <InitialsField value={p.actor} />
            <noscript>
              <button type="submit" class="button secondary" formmethod="get" formaction="/etiketter" formnovalidate>
                Visa förhandsvisning
              </button>
            </noscript>
          </div>
          <LabelsDynamic layouts={p.layouts} printers={p.printers} values={p.values} preview={p.preview} />
        </div>
      </form>
    )}
    <a class="button secondary" href="/">
      Tillbaka
    </a>
  </Layout>
);
