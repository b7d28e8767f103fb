// Picks the backend for a configured printer by its URI scheme: ipp:// and ipps:// go to a
// network printer or CUPS queue (or LPrint), file:// to the embedded folder printer, socket:// to a
// ZPL label printer on raw TCP.
import path from 'node:path';
import type { PrinterConfig } from '../config.js';
import type { PrintBackend } from './backend.js';
import type { Clock } from '../schedule/clock.js';
import { FileBackend } from './file-backend.js';
import { IppBackend, type IppBackendOptions } from './ipp-backend.js';
import { SocketBackend } from './socket-backend.js';

/** Extra transport settings that are not part of the printer config (yet). */
export type CreateBackendOptions = Pick<IppBackendOptions, 'userName' | 'rejectUnauthorized' | 'capabilitiesTtlMs'> & {
  /** Where a socket:// printer keeps its journal of fully written sends (the station's data folder/printers). */
  stateDir?: string;
  /** How long a socket:// printer's status query waits for an answer to ~HS. */
  statusWaitMs?: number;
  /** The station's clock (stamps a backend writes: the folder printer's jobs, the socket journal). */
  clock?: Pick<Clock, 'now'>;
};

export function createBackend(
  printer: Pick<PrinterConfig, 'uri' | 'timeoutMs' | 'media'> & Partial<Pick<PrinterConfig, 'allowSelfSignedCertificate' | 'id' | 'dpi'>>,
  options: CreateBackendOptions = {},
): PrintBackend {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(printer.uri)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'ipp':
    case 'ipps':
      return new IppBackend(printer.uri, {
        rejectUnauthorized: !printer.allowSelfSignedCertificate,
        ...options,
        timeoutMs: printer.timeoutMs,
      });
    case 'file':
      return new FileBackend(printer.uri, { media: printer.media, ...(options.clock ? { clock: options.clock } : {}) });
    case 'socket': {
      if (!options.stateDir || !printer.id) throw new Error(`[printing] a socket:// printer needs a printer id and a state folder (${printer.uri})`);
      return new SocketBackend(printer.uri, {
        timeoutMs: printer.timeoutMs,
        journalFile: path.join(options.stateDir, `${printer.id}.sent.jsonl`),
        ...(printer.dpi ? { dpi: printer.dpi } : {}),
        ...(options.statusWaitMs ? { statusWaitMs: options.statusWaitMs } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      });
    }
    default:
      throw new Error(`[printing] unsupported printer URI scheme in "${printer.uri}" (use ipp://, ipps://, file:// or socket://)`);
  }
}
