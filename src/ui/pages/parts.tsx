// Small pieces several pages share: a state chip (colour AND icon AND words) and the printer strip.
// Class names starting with js- are the hooks static/app.js updates; data-* attributes carry ids.
import type { FC } from 'hono/jsx';
import type { PrinterView } from '../../printing/printer-monitor.js';
import { printerSummary, type Tone } from '../wording.js';

export const Chip: FC<{ tone: Tone; text: string; hook?: string }> = ({ tone, text, hook }) => (
  <span class={`chip tone-${tone}${hook ? ` ${hook}` : ''}`}>{text}</span>
);

/** Every printer with its state in plain Swedish; a printer that is not ready stands out in red. */
export const PrinterStrip: FC<{ printers: readonly PrinterView[] }> = ({ printers }) => (
  <section class="printer-strip" aria-label="Skrivare">
    <ul>
      {printers.map((p) => {
        const s = printerSummary(p);
        return (
          <li class="printer" data-printer-id={p.id}>
            <a href="/printers">
              <span class="printer-name">{p.name}</span> <Chip tone={s.tone} text={s.text} hook="js-pstate" />
            </a>
          </li>
        );
      })}
    </ul>
  </section>
);
