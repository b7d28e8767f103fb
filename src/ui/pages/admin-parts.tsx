// Pieces the admin pages share: the on-screen PIN keypad, the "done" notice, and the fields of an
// upgrade (the overview's add form and the change page; its day/time steppers are date-stepper.tsx).
import type { FC } from 'hono/jsx';
import { Keypad, LetterField } from './parts.js';
import { DateStepper } from './date-stepper.js';

/** The on-screen keypad a PIN form types with (static/app.js): the kiosk has no keyboard. */
export const PinKeypad: FC = () => <Keypad padClass="pin-keypad" keyClass="pin-key" />;

export const Done: FC<{ message?: string | undefined }> = ({ message }) =>
  message ? (
    <p class="notice tone-ok" role="status">
      {message}
    </p>
  ) : null;

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
    <DateStepper name="start" label="Början" value={values.start} drags="end" />
    <DateStepper name="end" label="Slut" value={values.end} />
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
    <LetterField name="note" label="Anteckning (frivilligt)" maxLength={500} keys="text-digits" labelClass="field field-wide" value={values.note} />
  </>
);
