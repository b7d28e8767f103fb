// The day (and time) stepper every page uses instead of <input type="date">: − / + taps, never the
// keyboard and never the browser's locale. The admin upgrade form takes day and time; the document
// and ledger pages take a day only, and the ledger's filter may be left empty (no limit).
import type { FC } from 'hono/jsx';
import { formatStepperDate, isCalendarDate, parseLocalInput } from '../../domain/time.js';

const StepButton: FC<{ step: string; label: string; text: string }> = ({ step, label, text }) => (
  <button type="button" class="dt-step" data-step={step} aria-label={label} hidden>
    {text}
  </button>
);

export interface DateStepperProps {
  name: string;
  label: string;
  /** "YYYY-MM-DDTHH:MM" (with time), "YYYY-MM-DD" (`dateOnly`), or '' for an empty optional field. */
  value: string;
  /** A day only: the hidden field carries "YYYY-MM-DD", as a date field would. */
  dateOnly?: boolean;
  /** May be empty (e.g. a filter without a limit): shows "Ingen gräns" and a "Rensa" button. */
  optional?: boolean;
  /** The day an empty field starts from at its first tap (today at the station). */
  startDay?: string;
  /** Another stepper in the form that moves along (the end keeps its distance from the start). */
  drags?: string;
}

/** What an empty optional stepper shows (also in static/app.js via data-dt-empty). */
export const EMPTY_DATE_TEXT = 'Ingen gräns';

/**
 * A date (and time) set with − / + taps: the day as "mån 7 dec 2026", the time as "14:00". The form
 * posts the hidden `name` field in the format a date / datetime-local field sends, so the server
 * parses it as before; static/app.js steps it and the texts (the buttons stay hidden without the
 * script, the hidden value then is the default).
 */
export const DateStepper: FC<DateStepperProps> = (p) => {
  const l = p.dateOnly ? (isCalendarDate(p.value) ? { date: p.value, hour: 0, minute: 0 } : undefined) : parseLocalInput(p.value);
  const time = l ? `${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}` : '–';
  const empty = p.optional ? EMPTY_DATE_TEXT : '–';
  return (
    <fieldset
      class={`field dt-stepper${p.dateOnly ? ' dt-date-only' : ''}`}
      data-dt-stepper={p.name}
      data-dt-drags={p.drags}
      data-dt-start={p.startDay}
      data-dt-empty={p.optional ? EMPTY_DATE_TEXT : undefined}
    >
      <legend>{p.label}</legend>
      <input type="hidden" name={p.name} value={p.value} />
      <div class="dt-row">
        <StepButton step="day:-7" label={`${p.label}: 7 dagar tidigare`} text="−7" />
        <StepButton step="day:-1" label={`${p.label}: en dag tidigare`} text="−" />
        <output class="dt-value dt-date" data-dt-date="">
          {l ? formatStepperDate(l.date) : empty}
        </output>
        <StepButton step="day:1" label={`${p.label}: en dag senare`} text="+" />
        <StepButton step="day:7" label={`${p.label}: 7 dagar senare`} text="+7" />
        {p.optional ? <StepButton step="clear" label={`${p.label}: Rensa`} text="Rensa" /> : null}
      </div>
      {p.dateOnly ? null : (
        <div class="dt-row">
          <StepButton step="min:-60" label={`${p.label}: 1 h tidigare`} text="−1 h" />
          <StepButton step="min:-15" label={`${p.label}: 15 minuter tidigare`} text="−15" />
          <output class="dt-value dt-time" data-dt-time="">
            {time}
          </output>
          <StepButton step="min:15" label={`${p.label}: 15 minuter senare`} text="+15" />
          <StepButton step="min:60" label={`${p.label}: 1 h senare`} text="+1 h" />
        </div>
      )}
    </fieldset>
  );
};
