// The confirm page of a scenario: what will print (documents × copies, on which printer) and one
// big "Skriv ut". The form carries a fresh request id, so a double tap prints one kit, not two.
import type { FC } from 'hono/jsx';
import type { PrinterView } from '../../printing/printer-monitor.js';
import { Layout } from '../layout.js';
import { Errors, InitialsField, PrinterChoice, PrinterNote } from './parts.js';
import { quantityText } from '../../domain/wording.js';

export interface KitPageProps {
  unitName: string;
  kit: { id: string; name: string; description: string };
  /** Each line: copies asked for, and copies that will print (fewer when a number block runs short). */
  items: ReadonlyArray<{ title: string; copies: number; printed: number; printerName: string }>;
  /** Before the press: what the number blocks cannot cover (the rest of the kit prints). */
  warnings?: readonly string[];
  /** The printers the kit goes to. */
  printers: readonly PrinterView[];
  /** Other printers staff may send the kit to instead. */
  choices?: readonly PrinterView[];
  chosen?: string | undefined;
  itSupport?: string | undefined;
  requestId: string;
  actor?: string;
  /** Field messages when the form came back invalid. */
  errors?: readonly string[];
  /** Why the kit cannot be printed at all (no printer for a document, say). */
  blocked?: string;
  /** The same kit was printed seconds ago: ask before printing it again. */
  repeat?: { message: string; batchId?: string };
}

export const KitPage: FC<KitPageProps> = (p) => {
  const sheets = p.items.reduce((n, i) => n + i.printed, 0);
  const onePrinter = new Set(p.items.map((i) => i.printerName)).size <= 1;
  return (
    <Layout title={p.kit.name} unitName={p.unitName}>
      <div class="confirm">
        <section class="confirm-list" aria-labelledby="kit-h">
          <h1 id="kit-h">{p.kit.name}</h1>
          {p.kit.description ? <p class="kit-desc">{p.kit.description}</p> : null}
          {p.warnings?.length ? (
            <div class="notice tone-warn js-block-warning" role="status">
              {p.warnings.map((w) => (
                <p>{w}</p>
              ))}
            </div>
          ) : null}
          <table class={onePrinter ? 'docs single-printer' : 'docs'}>
            <caption>
              Det här skrivs ut ({p.items.length} dokument, {sheets} exemplar)
            </caption>
            <thead>
              <tr>
                <th scope="col">Dokument</th>
                <th scope="col" class="num">
                  Antal
                </th>
                <th scope="col" class="col-printer">
                  Skrivare
                </th>
              </tr>
            </thead>
            <tbody>
              {p.items.map((i) => (
                <tr>
                  <td>{i.title}</td>
                  <td class="num">{i.printed < i.copies ? <span class="qty-short">{`${i.printed} av ${quantityText(i.copies)}`}</span> : quantityText(i.copies)}</td>
                  <td class="col-printer">{i.printerName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="confirm-action" aria-label="Skriv ut">
          {p.printers.length ? <h2>Skrivs ut på</h2> : null}
          {p.printers.map((pr) => (
            <PrinterNote printer={pr} itSupport={p.itSupport} />
          ))}
          <Errors errors={p.errors} />
          {p.repeat ? (
            <div class="notice tone-warn" role="alert">
              <p>{p.repeat.message}</p>
              {p.repeat.batchId ? <a href={`/batches/${encodeURIComponent(p.repeat.batchId)}`}>Visa den förra utskriften</a> : null}
            </div>
          ) : null}
          {p.blocked ? (
            <p class="notice tone-bad" role="alert">
              {p.blocked}
            </p>
          ) : (
            <form method="post" action={`/kits/${encodeURIComponent(p.kit.id)}/print`} class="print-form" data-once="">
              <input type="hidden" name="requestId" value={p.requestId} />
              {p.repeat ? <input type="hidden" name="confirmRepeat" value="1" /> : null}
              <PrinterChoice choices={p.choices ?? []} chosen={p.chosen} />
              <InitialsField value={p.actor} />
              <button type="submit" class="button primary huge">
                {p.repeat ? 'Ja, skriv ut en gång till' : 'Skriv ut'}
              </button>
            </form>
          )}
          <a class="button secondary" href="/">
            Tillbaka
          </a>
        </section>
      </div>
    </Layout>
  );
};
