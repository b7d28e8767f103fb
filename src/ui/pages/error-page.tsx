// A failed request, in Swedish: what went wrong (the service's own sentence) and the way home.
import type { FC } from 'hono/jsx';
import { Layout } from '../layout.js';

const headings: Record<number, string> = {
  400: 'Uppgifterna stämmer inte',
  401: 'Inloggning krävs',
  403: 'Inte tillåtet',
  404: 'Finns inte',
  409: 'Går inte just nu',
  503: 'Skrivaren är inte tillgänglig',
};

export const ErrorPage: FC<{ unitName: string; status: number; message: string }> = (p) => (
  <Layout title={headings[p.status] ?? 'Något gick fel'} unitName={p.unitName}>
    <section class="error-box" role="alert">
      <h1>
        <span class="chip tone-bad">{headings[p.status] ?? 'Något gick fel'}</span>
      </h1>
      <p class="error-message">{p.message}</p>
      <p>
        <a class="button primary" href="/">
          Till startsidan
        </a>
      </p>
    </section>
  </Layout>
);
