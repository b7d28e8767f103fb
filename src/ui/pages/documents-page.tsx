// The documents pages: every document the station can print, and the print page of one (copies on a
// stepper with an on-screen keypad, and what the document needs: the date of a Mottagningslista,
// the prescriber of the receptöverskrift, the series and period of the avstämningslista).
import type { FC } from 'hono/jsx';
import type { PrinterView } from '../../printing/printer-monitor.js';
import type { DocumentInfo } from '../../services/document-info.js';
import { Layout } from '../layout.js';
import { Chip, Errors, InitialsField, Keypad, LetterField, PrinterChoice, PrinterNote, StartPositionField } from './parts.js';
import { documentAssetUrl } from '../document-assets.js';
import { DateStepper } from './date-stepper.js';

/** The one sentence staff read where they expect a prescription pad. */
export const NO_BLANK_PRESCRIPTIONS =
  'Stationen skriver aldrig ut egna receptblanketter, eftersom recept på papper bara får skrivas på Läkemedelsverkets receptblankett – här skrivs bara förskrivarens uppgifter ut på tomma officiella blanketter som du lägger i skrivaren.';

const DocumentAssets: FC = () => (
  <>
    <link rel="stylesheet" href={documentAssetUrl('documents.css')} />
    <script src={documentAssetUrl('documents.js')} defer></script>
  </>
);

/** Numbers left in a document's block, in words and a chip that turns amber when low, red when out. */
const NumbersLeft: FC<{ n: NonNullable<DocumentInfo['numbered']> }> = ({ n }) => (
  <Chip tone={n.exhausted ? 'bad' : n.low ? 'warn' : 'ok'} text={n.exhausted ? 'Nummerblocket är slut' : `${n.remaining} nummer kvar`} />
);

export interface DocumentsPageProps {
  unitName: string;
  documents: readonly DocumentInfo[];
}

export const DocumentsPage: FC<DocumentsPageProps> = (p) => (
  <Layout title="Dokument" unitName={p.unitName} current="documents">
    <DocumentAssets />
    <h1 class="lead">Skriv ut enskilda dokument</h1>
    <p class="muted">Välj dokument och antal. Hela reservkitet för en situation skrivs ut från startsidan.</p>
    <ul class="doc-list">
      {p.documents.map((d) => (
        <li>
          <a class="doc-card" href={`/dokument/${encodeURIComponent(d.id)}`}>
            <span class="doc-name">{d.name}</span>
            <span class="doc-note">{d.kind === 'overprint' ? 'Förskrivarens uppgifter på Läkemedelsverkets tomma receptblanketter' : (d.copyNote ?? firstSentence(d.description))}</span>
            {d.numbered ? <NumbersLeft n={d.numbered} /> : null}
          </a>
        </li>
      ))}
    </ul>
    <p class="notice tone-warn doc-why">{NO_BLANK_PRESCRIPTIONS}</p>
  </Layout>
);

const firstSentence = (s: string | undefined): string => (s ? (/^.*?[.!?](\s|$)/.exec(s)?.[0] ?? s).trim() : '');

export interface DocumentPrintValues {
  copies: number;
  validFor?: string;
  /** "code:1234567" for a configured prescriber, "other" for one entered here. */
  prescriber?: string;
  name?: string;
  profession?: string;
  prescriberCode?: string;
  series?: string;
  from?: string;
  to?: string;
  labelsPerNumber?: number;
  /** Referral sets on a label sheet: the first label's position on a partly used sheet. */
  startPosition?: number;
  actor?: string;
  /** Another printer chosen on the page. */
  printer?: string;
}

/** More copies than this ask once more before printing (129 copies from one slip of a finger). */
export const CONFIRM_COPIES_OVER = 50;

export interface DocumentPrintPageProps {
  unitName: string;
  doc: DocumentInfo;
  values: DocumentPrintValues;
  maxCopies: number;
  requestId: string;
  printers: readonly PrinterView[];
  /** Other printers that can take this document. */
  choices?: readonly PrinterView[];
  itSupport?: string | undefined;
  prescribers: ReadonlyArray<{ name: string; profession: string; prescriberCode: string }>;
  series: ReadonlyArray<{ id: string; name: string; issued: number }>;
  /** For the date shortcuts: today and tomorrow at the station. */
  today: string;
  tomorrow: string;
  /** Avstämningslista: how many numbers the chosen period holds. */
  rangeCount?: number;
  /** Referral sets: where the labels go. */
  labelsNote?: string;
  /** Referral sets whose labels go to a sheet layout: positions per sheet (for the start position). */
  labelSheet?: { perPage: number };
  errors?: readonly string[];
  /** Why it cannot be printed now (the block is used up). */
  blocked?: string;
}

/** A number with − and + beside it (static/documents.js); without script, a plain number field. */
const Stepper: FC<{ name: string; label: string; value: number; min: number; max: number; hint?: string }> = (p) => (
  <div class="stepper-field">
    <label for={`f-${p.name}`} class="stepper-label">
      {p.label}
    </label>
    <div class="stepper" data-stepper="">
      <button type="button" class="step" data-step="-1" aria-label={`Minska ${p.label.toLowerCase()}`} hidden>
        −
      </button>
      <input id={`f-${p.name}`} class="step-input js-doc-number" type="number" inputmode="numeric" name={p.name} min={String(p.min)} max={String(p.max)} step="1" value={String(p.value)} autocomplete="off" />
      <button type="button" class="step" data-step="1" aria-label={`Öka ${p.label.toLowerCase()}`} hidden>
        +
      </button>
    </div>
    {p.hint ? <span class="doc-hint">{p.hint}</span> : null}
  </div>
);

/** A day on the Swedish day stepper (date-stepper.tsx), with shortcut links that work without script. */
const DateField: FC<{ name: string; label: string; value?: string | undefined; shortcuts?: Array<[string, string]>; docId: string }> = (p) => (
  <div class="date-field">
    <DateStepper name={p.name} label={p.label} value={p.value ?? ''} dateOnly />
    {p.shortcuts ? (
      <span class="date-shortcuts">
        {p.shortcuts.map(([text, date]) => (
          <a class="button secondary small" href={`/dokument/${encodeURIComponent(p.docId)}?${p.name}=${date}`}>
            {text}
          </a>
        ))}
      </span>
    ) : null}
  </div>
);

export const DocumentPrintPage: FC<DocumentPrintPageProps> = (p) => {
  const d = p.doc;
  const v = p.values;
  const action = `/dokument/${encodeURIComponent(d.id)}/print`;
  const formId = 'doc-form';
  return (
    <Layout title={d.name} unitName={p.unitName} current="documents">
      <DocumentAssets />
      <form method="post" action={action} id={formId} class="confirm js-doc-form" data-once="" data-confirm-over={String(CONFIRM_COPIES_OVER)} data-confirm-fields="copies" data-confirm-unit={d.copyUnit}>
        <section class="confirm-list" aria-labelledby="doc-h">
          <h1 id="doc-h">{d.name}</h1>
          {d.description ? <p class="kit-desc">{d.description}</p> : null}
          {d.numbered ? (
            <p class="doc-numbers">
              <NumbersLeft n={d.numbered} /> <span>{`i blocket "${d.numbered.seriesName}".`}</span>
            </p>
          ) : null}

          {d.kind === 'overprint' ? (
            <>
              <p class="notice tone-warn doc-why">{NO_BLANK_PRESCRIPTIONS}</p>
              <fieldset class="doc-choice">
                <legend>Förskrivare</legend>
                {p.prescribers.map((pr) => (
                  <label class="doc-option">
                    <input type="radio" name="prescriber" value={`code:${pr.prescriberCode}`} checked={v.prescriber === `code:${pr.prescriberCode}`} />
                    <span>
                      <strong>{pr.name}</strong> · {pr.profession} · förskrivarkod {pr.prescriberCode}
                    </span>
                  </label>
                ))}
                <label class="doc-option">
                  <input type="radio" name="prescriber" value="other" checked={v.prescriber === 'other' || (!v.prescriber && p.prescribers.length === 0)} />
                  <span>
                    <strong>Annan förskrivare</strong> – fyll i nedan
                  </span>
                </label>
                <div class="admin-grid doc-other">
                  <LetterField name="name" label="Namn" maxLength={80} keys="text" labelClass="field" value={v.name} />
                  <LetterField name="profession" label="Yrke" maxLength={60} keys="text" labelClass="field" value={v.profession} />
                  <LetterField name="prescriberCode" label="Förskrivarkod (7 siffror)" maxLength={7} keys="digits" labelClass="field" value={v.prescriberCode} inputAttrs={{ pattern: '[0-9]{7}' }} />
                </div>
              </fieldset>
              <p class="muted">
                Arbetsplatsens adress, telefon och arbetsplatskod kommer från stationens inställningar. Skriv först ut en kalibreringssida på vanligt papper och lägg den mot en tom blankett.
                För in varje utfärdat recept i <a href="/dokument/receptlogg">Receptloggen</a>.
              </p>
            </>
          ) : null}

          {d.needs.includes('validFor') ? (
            <DateField name="validFor" label="Gäller för (dag)" value={v.validFor} docId={d.id} shortcuts={[['I dag', p.today], ['I morgon', p.tomorrow]]} />
          ) : null}

          {d.needs.includes('range') ? (
            <>
              <fieldset class="doc-choice">
                <legend>Nummerserie</legend>
                {p.series.map((s) => (
                  <label class="doc-option">
                    <input type="radio" name="series" value={s.id} checked={v.series === s.id} required />
                    <span>
                      <strong>{s.name}</strong> · {s.issued} nummer utfärdade totalt
                    </span>
                  </label>
                ))}
              </fieldset>
              <div class="date-range">
                <DateField name="from" label="Utfärdade från" value={v.from} docId={d.id} />
                <DateField name="to" label="till och med" value={v.to} docId={d.id} />
              </div>
              <p class="doc-range">
                {p.rangeCount === undefined ? 'Välj serie och period.' : `${p.rangeCount} nummer i perioden.`}{' '}
                <button type="submit" class="button secondary small" formmethod="get" formaction={`/dokument/${encodeURIComponent(d.id)}`}>
                  Visa antal
                </button>
              </p>
            </>
          ) : null}

          {d.labels ? (
            <>
              <Stepper name="labelsPerNumber" label="Etiketter per remiss" value={v.labelsPerNumber ?? d.labels.perNumber} min={1} max={20} hint="En till remissen, resten till rör och provkärl." />
              {p.labelsNote ? <p class="muted">{p.labelsNote}</p> : null}
              {p.labelSheet ? <StartPositionField perPage={p.labelSheet.perPage} value={v.startPosition} hook="js-doc-number" /> : null}
            </>
          ) : null}
          <PrinterChoice choices={p.choices ?? []} chosen={v.printer} />
        </section>

        <section class="confirm-action" aria-label="Skriv ut">
          <Stepper name="copies" label={`Antal ${d.copyUnit}`} value={v.copies} min={1} max={p.maxCopies} hint={d.copyNote} />
          <Keypad padClass="doc-keypad" keyClass="doc-key" />
          {p.printers.map((pr) => (
            <PrinterNote printer={pr} itSupport={p.itSupport} />
          ))}
          <Errors errors={p.errors} />
          {p.blocked ? (
            <p class="notice tone-bad" role="alert">
              {p.blocked}
            </p>
          ) : (
            <>
              <input type="hidden" name="requestId" value={p.requestId} />
              <InitialsField value={v.actor} />
              <p class="notice tone-warn js-confirm-note" role="alert" hidden></p>
              <button type="submit" class="button primary huge">
                Skriv ut
              </button>
              {d.kind === 'overprint' ? (
                <button type="submit" class="button secondary" name="calibration" value="1">
                  Skriv ut kalibreringssida
                </button>
              ) : null}
            </>
          )}
          <a class="button secondary" href="/dokument">
            Tillbaka
          </a>
        </section>
      </form>
    </Layout>
  );
};
