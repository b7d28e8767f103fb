// Small pieces several pages share: a state chip (colour AND icon AND words) and the printer strip.
// Class names starting with js- are the hooks static/app.js updates; data-* attributes carry ids.
import type { FC } from 'hono/jsx';
import type { PrinterView } from '../../printing/printer-monitor.js';
import { printerAdvice, printerSummary, type Tone } from '../../domain/wording.js';

export const Chip: FC<{ tone: Tone; text: string; hook?: string }> = ({ tone, text, hook }) => (
  <span class={`chip tone-${tone}${hook ? ` ${hook}` : ''}`}>{text}</span>
);

/**
 * What to do about a printer (Swedish, with whom to call) and, as a second line, the printer's own
 * message as it gave it (often English). Both kept live by static/app.js; empty when all is well.
 */
export const PrinterHelp: FC<{ printer: PrinterView; itSupport?: string | undefined }> = ({ printer, itSupport }) => {
  const advice = printerAdvice(printer, itSupport);
  const own = printerSummary(printer).tone === 'ok' ? '' : printer.message.trim();
  return (
    <>
      <span class="printer-advice js-advice" hidden={!advice}>
        {advice ?? ''}
      </span>
      <span class="printer-own js-pmsg" lang="en" hidden={!own}>
        {own}
      </span>
    </>
  );
};

/** Every printer with its state in plain Swedish; a printer that is not ready stands out in red. */
export const PrinterStrip: FC<{ printers: readonly PrinterView[]; itSupport?: string | undefined; compact?: boolean }> = ({ printers, itSupport, compact }) => (
  <section class={compact ? 'printer-strip compact' : 'printer-strip'} aria-label="Skrivare" data-it-support={itSupport ?? ''}>
    <ul>
      {printers.map((p) => {
        const s = printerSummary(p);
        return (
          <li class="printer" data-printer-id={p.id}>
            <a href="/printers">
              <span class="printer-name">{p.name}</span> <Chip tone={s.tone} text={s.text} hook="js-pstate" />
            </a>
            <PrinterHelp printer={p} itSupport={itSupport} />
          </li>
        );
      })}
    </ul>
  </section>
);

/** Why a request was refused, in Swedish, as one alert (nothing when there is no error). */
export const Errors: FC<{ errors?: readonly string[] | undefined }> = ({ errors }) =>
  errors?.length ? (
    <div class="notice tone-bad" role="alert">
      {errors.map((e) => (
        <p>{e}</p>
      ))}
    </div>
  ) : null;

/** A printer a page is about to print on, with its state (kept live by static/app.js). */
export const PrinterNote: FC<{ printer: PrinterView; itSupport?: string | undefined }> = ({ printer, itSupport }) => {
  const s = printerSummary(printer);
  return (
    <p class="printer-note" data-printer-id={printer.id} data-it-support={itSupport ?? ''}>
      <span class="printer-name">{printer.name}</span> <Chip tone={s.tone} text={s.text} hook="js-pstate" />
      <PrinterHelp printer={printer} itSupport={itSupport} />
    </p>
  );
};

/**
 * The on-screen number keypad (1–9, C, 0, ⌫) a page's script wires to its number fields. The pages
 * style it with their own class names, so those are given here.
 */
export const Keypad: FC<{ padClass: string; keyClass: string; clearClass?: string; backClass?: string }> = ({ padClass, keyClass, clearClass, backClass }) => (
  <div class={padClass} data-keypad="" hidden aria-label="Sifferknappar">
    {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((k) => (
      <button type="button" class={keyClass} data-key={k}>
        {k}
      </button>
    ))}
    <button type="button" class={clearClass ? `${keyClass} ${clearClass}` : keyClass} data-key="clear" aria-label="Töm fältet">
      C
    </button>
    <button type="button" class={keyClass} data-key="0">
      0
    </button>
    <button type="button" class={backClass ? `${keyClass} ${backClass}` : keyClass} data-key="back" aria-label="Radera en siffra">
      ⌫
    </button>
  </div>
);

/**
 * "Skriv ut på en annan skrivare": radio choices beside the planned printers (nothing chosen: the
 * planned ones, with their configured fallback). Each choice shows its state, kept live.
 */
export const PrinterChoice: FC<{ choices: readonly PrinterView[]; chosen?: string | undefined }> = ({ choices, chosen }) =>
  choices.length ? (
    <fieldset class="printer-choice">
      <legend>Skriv ut på en annan skrivare?</legend>
      <label class="choice">
        <input type="radio" name="printer" value="" checked={!chosen} />
        <span>Nej, som ovan</span>
      </label>
      {choices.map((pr) => {
        const s = printerSummary(pr);
        return (
          <label class="choice" data-printer-id={pr.id}>
            <input type="radio" name="printer" value={pr.id} checked={chosen === pr.id} />
            <span class="printer-name">{pr.name}</span> <Chip tone={s.tone} text={s.text} hook="js-pstate" />
          </label>
        );
      })}
    </fieldset>
  ) : null;
