// The schedule on the touchscreen's start page: a failed or missed scheduled run as an alert at the
// top until someone acknowledges it (a form post, initials optional), and a line with the next
// scheduled run and the result of the last one. Also used by the admin pages.
import type { FC } from 'hono/jsx';
import type { RunResult, RunView, ScheduleView } from '../../schedule/scheduler.js';
import type { Tone } from '../../domain/wording.js';
import { Chip, InitialsField } from './parts.js';
import { formatMoment } from '../../domain/time.js';

export const resultTones: Readonly<Record<RunResult, Tone>> = {
  scheduled: 'idle',
  running: 'busy',
  printing: 'busy',
  completed: 'ok',
  failed: 'bad',
  missed: 'bad',
  canceled: 'idle',
};

export const RunChip: FC<{ run: RunView }> = ({ run }) => <Chip tone={resultTones[run.result]} text={run.late && run.result !== 'missed' ? `${run.resultText} (sent)` : run.resultText} />;

/** Links to a run's batches, so staff can follow or reprint what it printed. */
export const RunBatches: FC<{ run: RunView }> = ({ run }) =>
  run.batches.length ? (
    <span class="run-batches">
      {run.batches.map((b) => (
        <a href={`/batches/${encodeURIComponent(b.id)}`}>{b.title}</a>
      ))}
    </span>
  ) : null;

/**
 * A failed or missed run with the acknowledge form: one line (its summary) until tapped, so the
 * scenario buttons stay above the fold at 800×480.
 */
export const RunAlert: FC<{ run: RunView; timeZone: string }> = ({ run, timeZone }) => (
  <details class="notice tone-bad run-alert compact-alert" role="alert" aria-label={`Schemalagd utskrift: ${run.title}`}>
    <summary class="run-alert-title">
      {run.result === 'missed' ? 'Schemalagd utskrift blev inte gjord' : 'Schemalagd utskrift misslyckades'}: {run.title}
    </summary>
    <p class="run-alert-when">Planerad {formatMoment(run.dueAt, timeZone)}</p>
    {run.message ? <p>{run.message}</p> : null}
    {run.problems.map((m) => (
      <p>{m}</p>
    ))}
    {run.result === 'failed' && !run.problems.length ? <p>Ett eller flera dokument kom inte ut. Öppna utskriften och skriv ut igen, eller tryck på kitet nedan.</p> : null}
    <RunBatches run={run} />
    <form method="post" action={`/schedule/runs/${encodeURIComponent(run.id)}/acknowledge`} class="ack-form" data-once="">
      <InitialsField />
      <button type="submit" class="button secondary">
        Jag har sett det – dölj
      </button>
    </form>
  </details>
);

export const ScheduleAlerts: FC<{ schedule: ScheduleView }> = ({ schedule }) =>
  schedule.attention.length ? (
    <div class="run-alerts">
      {schedule.attention.map((r) => (
        <RunAlert run={r} timeZone={schedule.timezone} />
      ))}
    </div>
  ) : null;

/** The next scheduled print of each kind (upgrade run and drill), with day and time: one line each. */
export const NextRuns: FC<{ schedule: ScheduleView }> = ({ schedule }) => {
  const next = (['upgrade', 'drill'] as const).map((kind) => schedule.upcoming.find((r) => r.kind === kind)).filter((r): r is RunView => r !== undefined);
  return (
    <section class="next-runs" aria-label="Schemalagda utskrifter">
      {next.length ? (
        <ul>
          {next.map((r) => (
            <li class={`next-run next-${r.kind}`}>
              <span class="next-what">{r.kind === 'drill' ? `Övning: ${r.title}` : r.title}</span> skrivs ut <span class="next-when">{formatMoment(r.dueAt, schedule.timezone)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">Ingen schemalagd utskrift inplanerad.</p>
      )}
      {schedule.last ? (
        <p class="schedule-last">
          <span class="schedule-label">Senast:</span> {schedule.last.title} – {formatMoment(schedule.last.startedAt ?? schedule.last.dueAt, schedule.timezone)} <RunChip run={schedule.last} />
        </p>
      ) : null}
    </section>
  );
};

/** Next scheduled run and how the last one went, in two lines. */
export const ScheduleStrip: FC<{ schedule: ScheduleView }> = ({ schedule }) => (
  <section class="schedule-strip" aria-labelledby="schedule-h">
    <h2 id="schedule-h">Schemalagda utskrifter</h2>
    <p class="schedule-next">
      <span class="schedule-label">Nästa:</span>{' '}
      {schedule.next ? (
        <span>
          {schedule.next.title} – {formatMoment(schedule.next.dueAt, schedule.timezone)}
        </span>
      ) : (
        <span class="muted">ingen inplanerad</span>
      )}
    </p>
    <p class="schedule-last">
      <span class="schedule-label">Senast:</span>{' '}
      {schedule.last ? (
        <span>
          {schedule.last.title} – {formatMoment(schedule.last.startedAt ?? schedule.last.dueAt, schedule.timezone)} <RunChip run={schedule.last} />
        </span>
      ) : (
        <span class="muted">ingen än</span>
      )}
    </p>
  </section>
);
