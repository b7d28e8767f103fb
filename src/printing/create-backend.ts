// Picks the backend for a configured printer by its URI scheme: ipp:// and ipps:// go to a
// network printer or CUPS queue, file:// to the embedded folder printer.
import type { PrinterConfig } from '../config.js';
import type { PrintBackend } from './backend.js';
import { FileBackend } from './file-backend.js';
import { IppBackend, type IppBackendOptions } from './ipp-backend.js';

/** Extra transport settings that are not part of the printer config (yet). */
export type CreateBackendOptions = Pick<IppBackendOptions, 'userName' | 'rejectUnauthorized' | 'capabilitiesTtlMs'>;

export function createBackend(
  printer: Pick<PrinterConfig, 'uri' | 'timeoutMs' | 'media'> & Partial<Pick<PrinterConfig, 'allowSelfSignedCertificate'>>,
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
      return new FileBackend(printer.uri, { media: printer.media });
    default:
      throw new Error(`[printing] unsupported printer URI scheme in "${printer.uri}" (use ipp://, ipps:// or file://)`);
  }
}
