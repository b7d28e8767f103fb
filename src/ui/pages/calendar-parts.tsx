// The region's calendar feed on the admin page (kept apart from the page's own layout): a warning
// when the feed could not be read, and per upgrade from the feed a mark and the only thing this
// unit may do with it, hide it here with a reason.
import type { FC } from 'hono/jsx';
import { formatMoment } from '../../domain/time.js';
import type { CalendarStatus } from '../../schedule/calendar-feed.js';
import type { UpgradeView } from '../../schedule/scheduler.js';
import { LetterField } from './parts.js';

export const CalendarNotice: FC<{ calendar: CalendarStatus | null; timeZone: string }> = ({ calendar, timeZone }) => {
  if (!calendar) return null;
  if (calendar.error)
    return (
      <section class="notice tone-bad calendar-warning" role="alert" aria-label="Regionens kalender">
        <p>{calendar.error}</p>
        <p class="muted">
          Senast läst utan fel: {calendar.lastSuccessAt ? formatMoment(calendar.lastSuccessAt, timeZone) : 'aldrig'}. Källa: {calendar.source}
        </p>
      </section>
    );
  return (
    <p class="muted calendar-status">
      Regionens kalender lästes {calendar.lastSuccessAt ? formatMoment(calendar.lastSuccessAt, timeZone) : '–'} ({calendar.events} planerade arbeten).
      {calendar.problems.length ? ` Inte inlagt: ${calendar.problems.join('; ')}` : ''}
    </p>
  );
};

/**
 * The last cell of an upgrade row when the upgrade comes from the feed: no "Ändra"; the hide form
 * folded in a <details> (no script), so the row stays as narrow as the others at 800 px.
 */
export const FeedUpgradeCell: FC<{ u: UpgradeView }> = ({ u }) =>
  u.hidden ? (
    <td>
      <span class="muted">Regionens kalender.</span> Dold för enheten: {u.hidden.reason}
      <form method="post" action={`/admin/upgrades/${encodeURIComponent(u.id)}/show`} data-once="">
        <button type="submit" class="button small secondary">
          Visa igen
        </button>
      </form>
    </td>
  ) : (
    <td>
      <span class="muted">Regionens kalender</span>
      <details class="hide-upgrade">
        <summary class="button small secondary">Dölj…</summary>
        <form method="post" action={`/admin/upgrades/${encodeURIComponent(u.id)}/hide`} data-once="">
          <LetterField name="reason" label="Varför deltar enheten inte?" maxLength={500} keys="text-digits" labelClass="field" inputAttrs={{ required: '', minlength: '3' }} />
          <button type="submit" class="button small secondary">
            Dölj för enheten
          </button>
        </form>
      </details>
    </td>
  );
