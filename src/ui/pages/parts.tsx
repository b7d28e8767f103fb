// Small pieces several pages share: a state chip (colour AND icon AND words) and the printer strip.
// Class names starting with js- are the hooks static/app.js updates; data-* attributes carry ids.
import type { FC } from 'hono/jsx';
import type { PrinterView } from '../../printing/printer-monitor.js';
import { printerShown, printerSummary, type Tone } from '../../domain/wording.js';

export const Chip: FC<{ tone: Tone; text: string; hook?: string }> = ({ tone, text, hook }) => (
  <span class={`chip tone-${tone}${hook ? ` ${hook}` : ''}`}>{text}</span>
);

/**
 * What to do about a printer (Swedish, with whom to call) and, as a second line, the printer's own
 * message as it gave it (often English). Both kept live by static/app.js with what the server
 * sends (the same printerShown); empty when all is well.
 */
export const PrinterHelp: FC<{ printer: PrinterView; itSupport?: string | undefined }> = ({ printer, itSupport }) => {
  const { advice, ownMessage: own } = printerShown(printer, itSupport);
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
  <section class={compact ? 'printer-strip compact' : 'printer-strip'} aria-label="Skrivare">
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
    <p class="printer-note" data-printer-id={printer.id}>
      <span class="printer-name">{printer.name}</span> <Chip tone={s.tone} text={s.text} hook="js-pstate" />
      <PrinterHelp printer={printer} itSupport={itSupport} />
    </p>
  );
};

export interface KeyDef {
  key: string;
  text: string;
  label?: string;
  cls?: string;
}

/**
 * A grid of on-screen keys, each `data-key` its value: the one markup of every keypad (numbers,
 * letters). The page's script shows it (hidden without script) and types the keys into a field.
 */
const KeyGrid: FC<{ padClass: string; keyClass: string; keys: readonly KeyDef[]; label: string; letters?: boolean }> = ({ padClass, keyClass, keys, label, letters }) => (
  <div class={padClass} {...(letters ? { 'data-letter-keys': '' } : { 'data-keypad': '' })} hidden={!letters} role="group" aria-label={label}>
    {keys.map((k) => (
      <button type="button" class={k.cls ? `${keyClass} ${k.cls}` : keyClass} data-key={k.key} aria-label={k.label}>
        {k.text}
      </button>
    ))}
  </div>
);

/**
 * The on-screen number keypad (1–9, C, 0, ⌫) a page's script wires to its number fields. The pages
 * style it with their own class names, so those are given here.
 */
export const Keypad: FC<{ padClass: string; keyClass: string; clearClass?: string; backClass?: string }> = ({ padClass, keyClass, clearClass, backClass }) => (
  <KeyGrid
    padClass={padClass}
    keyClass={keyClass}
    label="Sifferknappar"
    keys={[
      ...['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((k) => ({ key: k, text: k })),
      { key: 'clear', text: 'C', label: 'Töm fältet', ...(clearClass ? { cls: clearClass } : {}) },
      { key: '0', text: '0' },
      { key: 'back', text: '⌫', label: 'Radera en siffra', ...(backClass ? { cls: backClass } : {}) },
    ]}
  />
);

/** The letters of the on-screen letter keypad: A–Z, Å, Ä, Ö. */
export const KEYPAD_LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ'];

/** The digits of the letter keypad's digit variants, in keyboard order. */
export const KEYPAD_DIGITS = [...'1234567890'];

/**
 * What a letter keypad types: `initials` A–Ö; `text` A–Ö, space and hyphen; `text-digits` adds
 * 1–0 (a ledger number such as RV0900) and . , : (a note: "kl. 14:00"); `digits` 1–0 only (a
 * förskrivarkod).
 */
export type LetterKeys = 'initials' | 'text' | 'text-digits' | 'digits';

/** The keys of a letter keypad in grid order (app.css sets the columns per variant). */
export function letterKeys(kind: LetterKeys): KeyDef[] {
  const back: KeyDef = { key: 'back', text: '⌫', label: kind === 'initials' ? 'Radera en bokstav' : 'Radera ett tecken', cls: 'letter-back' };
  const letters = KEYPAD_LETTERS.map((l) => ({ key: l, text: l }));
  const digits = KEYPAD_DIGITS.map((d) => ({ key: d, text: d }));
  const hyphen: KeyDef = { key: '-', text: '-', label: 'Bindestreck' };
  const space: KeyDef = { key: ' ', text: 'Mellanslag', cls: 'letter-space' };
  switch (kind) {
    case 'initials':
      return [...letters, back];
    case 'text':
      return [...letters, space, hyphen, back];
    case 'text-digits':
      return [...digits, hyphen, { key: '.', text: '.', label: 'Punkt' }, ...letters, { key: ',', text: ',', label: 'Komma' }, { key: ':', text: ':', label: 'Kolon' }, space, back];
    case 'digits':
      return [...digits, back];
  }
}

/**
 * A text field typed with a real keyboard or, on a kiosk without one, from an on-screen letter
 * keypad that static/app.js opens at the bottom of the screen when the field is tapped (a tap only:
 * Tab from a keyboard never opens it). The panel shows what is typed, and the page scrolls the field
 * up above it where it can; "Klar", Escape or a tap elsewhere closes it. Without the script it is a
 * plain text field.
 * The value is only ever in the field and the panel: the script keeps nothing.
 */
export const LetterField: FC<{
  name: string;
  label: string;
  value?: string | undefined;
  maxLength: number;
  keys?: LetterKeys;
  /** The label's class on this page (`initials`, `field`, …). */
  labelClass?: string;
  /** Other attributes of the input (pattern, aria-describedby, inputmode for a real keyboard). */
  inputAttrs?: Record<string, string>;
}> = ({ name, label, value, maxLength, keys = 'initials', labelClass = 'initials', inputAttrs }) => (
  <div class="initials-field" data-letter-field={keys}>
    <label class={labelClass || undefined}>
      <span>{label}</span>
      <input
        type="text"
        name={name}
        maxlength={maxLength}
        autocomplete="off"
        autocapitalize={keys === 'text' ? 'words' : 'characters'}
        spellcheck={false}
        value={value ?? ''}
        {...(inputAttrs ?? {})}
      />
    </label>
    <div class="letter-keypad" data-letter-keypad="" hidden>
      <div class="letter-head">
        <span class="letter-title">{label}</span>
        <output class="letter-value" data-letter-value="">
          {value ?? ''}
        </output>
        <button type="button" class="button primary letter-done" data-letter-done="">
          Klar
        </button>
      </div>
      <KeyGrid
        padClass={`letter-keys keys-${keys}`}
        keyClass="letter-key"
        label={keys === 'digits' ? 'Sifferknappar' : keys === 'text-digits' ? 'Bokstavs- och sifferknappar' : 'Bokstavsknappar'}
        letters
        keys={letterKeys(keys)}
      />
    </div>
  </div>
);

/** Staff initials (A–Ö on the letter keypad), on every print form and the admin login. */
export const InitialsField: FC<{ name?: string; label?: string; value?: string | undefined; maxLength?: number }> = ({ name = 'actor', label = 'Dina initialer (frivilligt)', value, maxLength = 10 }) => (
  <LetterField name={name} label={label} value={value} maxLength={maxLength} />
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

/**
 * "Börja på etikettposition" for labels on a partly used sheet: the label page and the referral
 * (Provtagningsremiss) page both take it here. `hook` is the class the page's script types into
 * from its number keypad; without script it is a plain number field.
 */
export const StartPositionField: FC<{ perPage: number; value?: number | undefined; hook: string; hint?: string }> = ({ perPage, value, hook, hint }) => (
  <label class="start-field">
    <span class="start-label">Börja på etikettposition</span>
    <input class={`start-input ${hook}`} type="number" inputmode="numeric" name="startPosition" min="1" max={String(perPage)} step="1" value={String(value ?? 1)} autocomplete="off" />
    <span class="start-hint">{`1–${perPage}, för ett påbörjat ark.${hint ? ` ${hint}` : ''}`}</span>
  </label>
);
