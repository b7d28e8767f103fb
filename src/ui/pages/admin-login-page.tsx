// The admin area's door: log in with the PIN, or choose the first PIN at the station, both typed
// on the on-screen keypad.
import type { FC } from 'hono/jsx';
import { Layout } from '../layout.js';
import { Errors, InitialsField } from './parts.js';
import { PinKeypad } from './admin-parts.js';

// ---- log in / first PIN ---------------------------------------------------------------------

export interface LoginPageProps {
  unitName: string;
  next: string;
  errors?: readonly string[];
  locked?: boolean;
}

export const LoginPage: FC<LoginPageProps> = (p) => (
  <Layout title="Administration" unitName={p.unitName} current="admin">
    <div class="admin-narrow">
      <h1>Administration</h1>
      <p>För enhetens administratör: planerade uppgraderingar, testutskrifter och händelseloggen.</p>
      <Errors errors={p.errors} />
      <form method="post" action="/admin/login" class="admin-form pin-form" data-once="" data-pin-keypad="">
        <input type="hidden" name="next" value={p.next} />
        <label class="field">
          <span>PIN-kod</span>
          <input class="js-pin" type="password" name="pin" inputmode="numeric" autocomplete="off" required maxlength={12} disabled={p.locked} />
        </label>
        <InitialsField name="initials" label="Dina initialer (frivilligt, syns i loggen)" />
        <button type="submit" class="button primary">
          Logga in
        </button>
        <PinKeypad />
      </form>
    </div>
  </Layout>
);

export const SetupPage: FC<{ unitName: string; errors?: readonly string[] }> = (p) => (
  <Layout title="Välj PIN-kod" unitName={p.unitName} current="admin">
    <div class="admin-narrow">
      <h1>Välj PIN-kod för administrationen</h1>
      <p>
        Ingen PIN-kod är vald än. Välj en med 6–12 siffror (inte 123456 eller 111111). Den kan bara väljas här, på stationen själv. Regionens IT kan i
        stället lägga in den i konfigurationen (<code>npm run set-pin</code>).
      </p>
      <Errors errors={p.errors} />
      <form method="post" action="/admin/setup" class="admin-form pin-form" data-once="" data-pin-keypad="">
        <label class="field">
          <span>Ny PIN-kod</span>
          <input class="js-pin" type="password" name="pin" inputmode="numeric" autocomplete="new-password" required minlength={6} maxlength={12} />
        </label>
        <label class="field">
          <span>Samma PIN-kod igen</span>
          <input class="js-pin" type="password" name="confirm" inputmode="numeric" autocomplete="new-password" required minlength={6} maxlength={12} />
        </label>
        <button type="submit" class="button primary">
          Spara PIN-koden
        </button>
        <PinKeypad />
      </form>
    </div>
  </Layout>
);
