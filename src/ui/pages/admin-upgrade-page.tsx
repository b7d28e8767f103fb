// The form to change (or remove) one planned upgrade or shutdown.
import type { FC } from 'hono/jsx';
import { formatMoment } from '../../domain/time.js';
import type { UpgradeView } from '../../schedule/scheduler.js';
import { Layout } from '../layout.js';
import { RunChip } from './schedule-parts.js';
import { Errors } from './parts.js';
import { UpgradeFields, type UpgradeFormValues, type KitChoice } from './admin-parts.js';

// ---- change one upgrade -------------------------------------------------------------------------

export interface UpgradePageProps {
  unitName: string;
  upgrade: UpgradeView;
  timeZone: string;
  kits: readonly KitChoice[];
  form: UpgradeFormValues;
  errors?: readonly string[];
}

export const UpgradePage: FC<UpgradePageProps> = (p) => (
  <Layout title={`Ändra ${p.upgrade.kindText.toLowerCase()}`} unitName={p.unitName} current="admin">
    <h1>
      {p.upgrade.kindText} {formatMoment(p.upgrade.start, p.timeZone)}
    </h1>
    {p.upgrade.run ? (
      <p>
        Utskrift {formatMoment(p.upgrade.run.dueAt, p.timeZone)} <RunChip run={p.upgrade.run} />
      </p>
    ) : null}
    <Errors errors={p.errors} />
    <form method="post" action={`/admin/upgrades/${encodeURIComponent(p.upgrade.id)}`} class="admin-form admin-grid" data-once="">
      <UpgradeFields values={p.form} kits={p.kits} />
      <button type="submit" class="button primary">
        Spara
      </button>
    </form>
    <form method="post" action={`/admin/upgrades/${encodeURIComponent(p.upgrade.id)}/remove`} class="admin-remove" data-once="">
      <p>Tas den bort stryks utskriften, om den inte redan är gjord.</p>
      <button type="submit" class="button danger">
        Ta bort
      </button>
    </form>
    <p>
      <a class="button secondary" href="/admin">
        Tillbaka
      </a>
    </p>
  </Layout>
);
