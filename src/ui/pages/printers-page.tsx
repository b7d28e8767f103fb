// Every printer in detail: state, reasons in Swedish, whether it takes PDF, and when it was last
// asked. The page script keeps the chips current from /api/printers; the monitor asks the printers on its own timer.
import type { FC } from 'hono/jsx';
import type { PrinterView } from '../../printing/printer-monitor.js';
import { Layout } from '../layout.js';
import { formatClock, pdfText, printerSummary, reasonTexts, roleText } from '../../domain/wording.js';
import { Chip, PrinterHelp } from './parts.js';

export interface PrintersPageProps {
  unitName: string;
  timeZone: string;
  printers: readonly PrinterView[];
  itSupport?: string | undefined;
}

export const PrintersPage: FC<PrintersPageProps> = (p) => (
  <Layout title="Skrivare" unitName={p.unitName} current="printers">
    <h1>Skrivare</h1>
    <ul class="printer-cards">
      {p.printers.map((pr) => {
        const s = printerSummary(pr);
        const reasons = reasonTexts(pr.reasons);
        return (
          <li class="printer-card" data-printer-id={pr.id}>
            <h2>
              {pr.name} <Chip tone={s.tone} text={s.text} hook="js-pstate" />
            </h2>
            <p class="printer-help">
              <PrinterHelp printer={pr} itSupport={p.itSupport} />
            </p>
            <dl>
              <dt>Meddelanden</dt>
              <dd>{reasons.length ? reasons.join(', ') : 'Inga'}</dd>
              <dt>PDF</dt>
              <dd>
                <Chip tone={pr.acceptsPdf === false ? 'bad' : pr.acceptsPdf ? 'ok' : 'idle'} text={pdfText(pr.acceptsPdf, pr.format)} />
              </dd>
              <dt>Används till</dt>
              <dd>{pr.roles.map(roleText).join(', ')}</dd>
              <dt>Adress</dt>
              <dd class="uri">{pr.uri}</dd>
              {pr.error ? (
                <>
                  <dt>Tekniskt fel (för IT)</dt>
                  <dd>{pr.error}</dd>
                </>
              ) : null}
              <dt>Senast kontrollerad</dt>
              <dd>{pr.checkedAt ? `kl ${formatClock(pr.checkedAt, p.timeZone)}` : 'Inte än'}</dd>
            </dl>
          </li>
        );
      })}
    </ul>
  </Layout>
);
