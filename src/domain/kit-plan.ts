// Kit planning (pure): which documents, how many, to which printer. No I/O here.
import type { StationConfig, PrinterConfig } from '../config.js';

export interface PlanItem {
  documentId: string;
  title: string;
  copies: number;
  printerId: string;
  role: string;
  duplex: boolean;
  /** Series a numbered document draws from (each copy then gets its own number). */
  seriesId?: string;
}

export interface PlannableDoc {
  id: string;
  name: string;
  role: string;
  duplex?: boolean;
  seriesId?: string;
}

export class PlanError extends Error {
  constructor(
    readonly code: 'no-printer' | 'unknown-document',
    message: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

/**
 * The printer for a role: the one staff chose on the screen when it has the role, else the
 * configured default for it, else the first printer that has the role.
 */
export function printerForRole(config: StationConfig, role: string, chosen?: string): PrinterConfig {
  const pick = chosen ? config.printers.find((x) => x.id === chosen && x.roles.includes(role)) : undefined;
  if (pick) return pick;
  const id = config.defaultPrinter[role];
  const p = (id && config.printers.find((x) => x.id === id)) || config.printers.find((x) => x.roles.includes(role));
  if (!p) throw new PlanError('no-printer', `Ingen skrivare har rollen "${role}" i konfigurationen.`);
  return p;
}

export function planDocuments(
  config: StationConfig,
  items: ReadonlyArray<{ document: string; copies: number }>,
  docs: ReadonlyMap<string, PlannableDoc>,
  /** A printer staff chose on the screen: it takes every document whose role it has. */
  chosen?: string,
): PlanItem[] {
  return items.map((item) => {
    const doc = docs.get(item.document);
    if (!doc) throw new PlanError('unknown-document', `Okänt dokument "${item.document}".`);
    const printer = printerForRole(config, doc.role, chosen);
    return {
      documentId: doc.id,
      title: doc.name,
      copies: item.copies,
      printerId: printer.id,
      role: doc.role,
      duplex: (doc.duplex ?? false) && printer.duplex,
      seriesId: doc.seriesId,
    };
  });
}
