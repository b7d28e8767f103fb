// ipps:// to a printer with a self-signed certificate (most printers ship one): refused unless the
// printer's config allows it, then printed over TLS.
import { describe, it, expect, afterAll } from 'vitest';
import { startPrinter, stopAll, makeTestPdf } from '../helpers/ippeveprinter.js';
import { createBackend } from '../../src/printing/create-backend.js';
import { PrintError } from '../../src/printing/backend.js';
import { parseConfig } from '../../src/config.js';

afterAll(() => stopAll());

describe('ipps://', () => {
  it('refuses a self-signed certificate by default and prints once the config allows it', async () => {
    const printer = await startPrinter({ tls: true });
    expect(printer.uri).toMatch(/^ipps:\/\//);
    const cfg = (allow: boolean) =>
      parseConfig({
        unit: { name: 'U' },
        routine: { version: '1', date: '2026-01-01' },
        printers: [{ id: 'p', name: 'P', uri: printer.uri, roles: ['a4'], ...(allow ? { allowSelfSignedCertificate: true } : {}) }],
      }).printers[0]!;
    const strict = createBackend(cfg(false));
    const err = await strict.getStatus().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrintError);
    expect((err as PrintError).kind).toBe('network');
    const lenient = createBackend(cfg(true));
    expect((await lenient.getStatus()).formats).toContain('application/pdf');
    const { printerJobId } = await lenient.submit({ jobName: 'tls-test', pdf: makeTestPdf('over TLS'), copies: 1 });
    for (let i = 0; i < 100 && (await lenient.getJob(printerJobId)).state !== 'completed'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await lenient.getJob(printerJobId)).state).toBe('completed');
    expect(await printer.received()).toHaveLength(1);
  });
});
