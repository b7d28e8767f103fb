// Pieces the admin pages share: the on-screen PIN keypad, the "done" notice, the Swedish day/time
// stepper, and the fields of an upgrade (the overview's add form and the change page).
import type { FC } from 'hono/jsx';
import { Keypad } from './parts.js';
import { formatStepperDate, parseLocalInput } from '../../domain/time.js';

/** The on-screen keypad a PIN form types with (static/app.js): the kiosk has no keyboard. */
export const PinKeypad: FC = () => <Keypad padClass="pin-keypad" keyClass="pin-key" />;

export const Done: FC<{ message?: string | undefined }> = ({ message }) =>
  message ? (
    <p class="notice tone-ok" role="status">
      {message}
    </p>
  ) : null;

// ---- the day/time stepper ----------------------------------------------------------------------

const StepButton: FC<{ step: string; label: string; text: string }> = ({ step, label, text }) => (
  <button type="button" class="dt-step" data-step={step} aria-label={label} hidden>
    {text}
  </button>
);

/**
 * A date and time set with − / + taps, never the keyboard and never the browser's locale: the day
 * as "mån 7 dec 2026", the time as "14:00". The form posts the hidden `name` field, "YYYY-MM-DDTHH:MM"
 * as a datetime-local field would, so the server parses it as before; static/app.js steps it and
 * the texts (the buttons stay hidden without the script, the hidden value then is the default).
 * `drags` names another stepper in the form that moves along (the end keeps its distance from the start).
 */
export const DateTimeStepper: FC<{ name: string; label: string; value: string; drags?: string }> = ({ name, label, value, drags }) => {
  const l = parseLocalInput(value);
  const time = l ? `${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}` : '–';
  return (
    <fieldset class="field dt-stepper" data-dt-stepper={name} data-dt-drags={drags}>
      <legend>{label}</legend>
      <input type="hidden" name={name} value={value} />
      <div class="dt-row">
        <StepButton step="day:-7" label={`${label}: 7 dagar tidigare`} text="−7" />
        <StepButton step="day:-1" label={`${label}: en dag tidigare`} text="−" />
        <output class="dt-value dt-date" data-dt-date="">
          {l ? formatStepperDate(l.date) : '–'}
        </output>
        <StepButton step="day:1" label={`${label}: en dag senare`} text="+" />
        <StepButton step="day:7" label={`${label}: 7 dagar senare`} text="+7" />
      </div>
      <div class="dt-row">
        <StepButton step="min:-60" label={`${label}: 1 h tidigare`} text="−1 h" />
        <StepButton step="min:-15" label={`${label}: 15 minuter tidigare`} text="−15" />
        <output class="dt-value dt-time" data-dt-time="">
          {time}
        </output>
        <StepButton step="min:15" label={`${label}: 15 minuter senare`} text="+15" />
        <StepButton step="min:60" label={`${label}: 1 h senare`} text="+1 h" />
      </div>
    </fieldset>
  );
};

// ---- the upgrade form ---------------------------------------------------------------------------

export interface UpgradeFormValues {
  kind: string;
  start: string;
  end: string;
  kit: string;
  note: string;
}

export interface KitChoice {
  id: string;
  name: string;
}

export const UpgradeFields: FC<{ values: UpgradeFormValues; kits: readonly KitChoice[] }> = ({ values, kits }) => (
  <>
    <label class="field">
      <span>Typ</span>
      <select name="kind">
        <option value="upgrade" selected={values.kind !== 'shutdown'}>
          Systemuppgradering
        </option>
        <option value="shutdown" selected={values.kind === 'shutdown'}>
          Planerad nedsläckning
        </option>
      </select>
    </label>
    <DateTimeStepper name="start" label="Början" value={values.start} drags="end" />
    <DateTimeStepper name="end" label="Slut" value={values.end} />
    <label class="field">
      <span>Kit som skrivs ut</span>
      <select name="kit">
        <option value="" selected={values.kit === ''}>
          Standard för typen
        </option>
        {kits.map((k) => (
          <option value={k.id} selected={values.kit === k.id}>
            {k.name}
          </option>
        ))}
      </select>
    </label>
    <label class="field field-wide">
      <span>Anteckning (frivilligt)</span>
      <input type="text" name="note" maxlength={500} value={values.note} />
    </label>
  </>
);
