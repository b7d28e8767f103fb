// Which job attributes a printer gets: the one decision, from what the printer said it supports
// (Get-Printer-Attributes) and what the job asks for. IPP Everywhere printers reject a whole job for
// one unsupported value, so only listed values are sent; and every job asks for exact scale where
// the printer can honour it: barcodes and prescription overprints are measured in millimetres,
// and a printer left at print-scaling=auto may shrink an A4 page into its printable area.
import { PrintError, type SubmitRequest } from './backend.js';
import { mediaColFor, type IppEncodable } from './ipp-encode.js';

/** What the printer supports, as far as the job attributes go. */
export interface JobCapabilities {
  media: readonly string[];
  sides: readonly string[];
  /** copies-supported range; undefined when the printer does not say. */
  copies?: readonly [number, number];
  /** print-scaling-supported (PWG 5100.16); empty when the printer does not list it. */
  printScaling: readonly string[];
  /** media-col-supported: the members a media-col may carry; empty when not listed. */
  mediaCol: readonly string[];
}

/** The Print-Job attributes the request asks for and this printer supports; throws when copies are out of range. */
export function jobTemplateFor(caps: JobCapabilities, req: Pick<SubmitRequest, 'copies' | 'media' | 'sides'>, uri: string): Record<string, IppEncodable> {
  const job: Record<string, IppEncodable> = {};
  if (req.copies > 1) {
    if (caps.copies && (req.copies < caps.copies[0] || req.copies > caps.copies[1])) {
      throw new PrintError(
        'ipp',
        `[ipp] Print-Job ${uri}: the printer takes ${caps.copies[0]}–${caps.copies[1]} copies, not ${req.copies}`,
        'client-error-attributes-or-values-not-supported',
      );
    }
    job.copies = req.copies;
  }
  // Exact scale only where the printer lists it: one that does not know print-scaling could
  // refuse the job (a printer that lists it and not "none" has no exact scale to give).
  const exact = caps.printScaling.includes('none');
  if (exact) job['print-scaling'] = 'none';
  if (req.media && caps.media.includes(req.media)) {
    // With print-scaling the page size is given as a size (media-col), the form PWG 5100.16 scales
    // against; a name with no size in it, or a printer without media-col, gets the keyword.
    const col = exact && caps.mediaCol.includes('media-size') ? mediaColFor(req.media) : undefined;
    if (col) job['media-col'] = col;
    else job.media = req.media;
  }
  if (req.sides && caps.sides.includes(req.sides)) job.sides = req.sides;
  return job;
}
