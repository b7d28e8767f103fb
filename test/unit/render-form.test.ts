// Rendering forms: every shipped form renders and reads right (pdftotext), every page carries the
// unit, document, routine version and print time; the phone list carries the configured numbers;
// numbered forms carry a scannable barcode; the renderer reads no file and fetches no URL; blank
// forms are rendered once a day.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig, type StationConfig } from '../../src/config.js';
import { isBlankForm, loadCatalog } from '../../src/catalog/catalog.js';
import { formTemplateSchema, type FormTemplate } from '../../src/catalog/template-schema.js';
import { barcodeSvg } from '../../src/render/barcode.js';
import { FormCache } from '../../src/render/form-cache.js';
import { renderPdf } from '../../src/render/pdf-engine.js';
import { formatStationDateTime } from '../../src/domain/time.js';
import { renderForm } from '../../src/render/render-form.js';
import type { RenderContext } from '../../src/render/form-blocks.js';
import { decodeBarcodes, pdfPageTexts, pdfPages, pdfText, writeTemp } from '../helpers/pdf-tools.js';

const root = path.resolve(import.meta.dirname, '../..');
const config: StationConfig = parseConfig(JSON.parse(readFileSync(path.join(root, 'config/station.example.json'), 'utf8')));
const catalog = loadCatalog(path.join(root, 'templates'), config);
/** 14:03 in Stockholm (CET, UTC+1) on 2026-11-25. */
const printedAt = new Date('2026-11-25T13:03:00Z');
const ctx: RenderContext = { config, printedAt };

const form = (blocks: unknown[], extra: Record<string, unknown> = {}): FormTemplate =>
  formTemplateSchema.parse({ id: 'prov', name: 'Provformulär', pages: [{ blocks }], ...extra });

/** pdftotext output with runs of spaces collapsed, so assertions don't depend on column layout. */
const flat = (s: string) => s.replace(/[ \t]+/g, ' ');

describe('every shipped form', () => {
  const expected: Record<string, { pages: number; texts: string[] }> = {
    vardkontakt: {
      pages: 2,
      texts: [
        'Formulär för vårdkontakt',
        'Personnummer',
        'Samordningsnummer',
        'Reservnummer',
        'Efternamn, förnamn',
        'Behandlarens yrkesroll',
        'Kontakttyp',
        'Hembesök',
        'Anamnes',
        'Status',
        'Bedömning',
        'Åtgärd',
        'Formulär för vårdkontakt – fortsättning',
        'Huvuddiagnos',
        'Övrig diagnos',
        'ICD-10-SE',
        'KVÅ',
        'Namnförtydligande',
        'Inskrivet i PMO',
      ],
    },
    'checklista-reservrutin': {
      pages: 1,
      texts: ['Checklista reservrutin', 'Reservrutin för manuell hantering', 'Batteridrivna diktafoner', 'Stämplar', 'Säker e-post i Outlook', 'Underlag för ordinationer', 'Här förvaras materialet på Vårdcentral Exempel'],
    },
    'checklista-systemuppgradering': {
      pages: 1,
      texts: ['Checklista reservrutin – Systemuppgradering', 'roll-back (återläsning av tidigare version)', 'Skriv ut mottagningslistorna (morgondagens bokningar) från PMO dagen före, för besök dagen efter planerad systemuppgradering.', 'Stationens mottagningslista är tom'],
    },
    'checklista-planerad-nedslackning': {
      pages: 1,
      texts: ['Checklista reservrutin – Planerad nedsläckning', 'verksamhetschef, medicinskt ansvarig läkare och vårdadministratör', 'Skriv ut mottagningslistorna (morgondagens bokningar) från PMO dagen före, för besök dagen efter planerad nedsläckning.'],
    },
    'checklista-oplanerad-driftstorning': {
      pages: 1,
      texts: ['Checklista reservrutin – Oplanerad driftstörning', 'stäm av patientkoden (ex PK-87) via telefon innan ni faxar', 'NPÖ (kräver medarbetaruppdrag)', 'PMO-supporten', 'säker e-post'],
    },
    'checklista-it-attack': {
      pages: 1,
      texts: ['Checklista reservrutin – IT-attack', 'I händelse av en attack', 'Övergång till reservrutin för manuell hantering.'],
    },
    telefonlista: { pages: 1, texts: ['Telefonlista', 'Nödvändiga telefonnummer', 'Vårdcentral Exempel', '040-123 45 00'] },
    'remiss-konsultation': { pages: 2, texts: ['Remiss konsultation', 'Frågeställning', 'Prioritet', 'Remiss konsultation – fortsättning', 'Aktuella läkemedel', 'Inskrivet i PMO'] },
    ordinationsunderlag: { pages: 2, texts: ['Underlag för ordinationer', 'Läkemedel (namn, beredningsform, styrka)', 'Ordinatör', 'signeringslista'] },
    receptlogg: { pages: 1, texts: ['Receptlogg – pappersrecept under driftstörning', 'Blankettens nummer', 'Läkemedelsverkets receptblankett', 'Förmån'] },
  };

  it('has an expectation here (a new blank form needs one; numbered and dated ones: documents.test.ts)', () => {
    expect([...catalog.forms.values()].filter((f) => isBlankForm(f)).map((f) => f.id).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s renders, reads right and is stamped on every page', async (id, want) => {
    const t = catalog.forms.get(id)!;
    const { pdf, pages } = await renderForm(t, ctx);
    const file = writeTemp(pdf, `${id}.pdf`);
    expect(pages).toBe(want.pages);
    expect(pdfPages(file)).toBe(want.pages);
    // A4, portrait or landscape
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+(595\.\d+ x 841\.\d+|841\.\d+ x 595\.\d+) pts/);

    // Headings are checked in the -layout text; sentences that wrap, in the plain text joined up.
    const all = flat(pdfText(file, true));
    const prose = pdfText(file).replace(/\s+/g, ' ');
    for (const text of want.texts) expect(all.includes(text) || prose.includes(text), text).toBe(true);

    const perPage = pdfPageTexts(file).map(flat);
    expect(perPage).toHaveLength(want.pages);
    perPage.forEach((page, i) => {
      expect(page).toContain('Vårdcentral Exempel');
      expect(page).toContain(t.name);
      expect(page).toContain('Regionövergripande reservrutin PMO · version 1.0 · 2026-01-15');
      expect(page).toContain('Utskriven 2026-11-25 14:03');
      expect(page).toContain(`Sida ${i + 1} av ${want.pages}`);
    });
    // No placeholder is left unfilled.
    expect(all).not.toMatch(/\{[a-zA-Z.]+\}/);
  });

  it('embeds only the DejaVu fonts from fonts/', async () => {
    const file = writeTemp((await renderForm(catalog.forms.get('vardkontakt')!, ctx)).pdf);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line).toMatch(/^[A-Z]{6}\+DejaVuSans/);
  });

  it('sets the PDF title and creator', async () => {
    const file = writeTemp((await renderForm(catalog.forms.get('telefonlista')!, ctx)).pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Title:\s+Telefonlista$/m);
    expect(info).toMatch(/^Creator:\s+reservkit$/m);
  });
});

describe('the phone list', () => {
  it('lists every configured name and number, then blank rows to fill in', async () => {
    const file = writeTemp((await renderForm(catalog.forms.get('telefonlista')!, ctx)).pdf);
    const lines = pdfText(file, true).split('\n').map(flat);
    for (const entry of config.phoneList) {
      const line = lines.find((l) => l.includes(entry.name));
      expect(line, entry.name).toBeDefined();
      expect(line).toContain(entry.number);
    }
  });

  it('follows the config, not the template', async () => {
    const other = parseConfig({ ...JSON.parse(readFileSync(path.join(root, 'config/station.example.json'), 'utf8')), phoneList: [{ name: 'Jourhavande läkare', number: '010-999 88 77' }] });
    const text = flat(pdfText(writeTemp((await renderForm(catalog.forms.get('telefonlista')!, { config: other, printedAt })).pdf), true));
    expect(text).toContain('Jourhavande läkare');
    expect(text).toContain('010-999 88 77');
    expect(text).not.toContain('PMO-supporten');
  });
});

describe('dates', () => {
  it.each([
    ['winter time (UTC+1)', '2026-11-25T13:03:00Z', '2026-11-25 14:03'],
    ['summer time (UTC+2), past midnight', '2026-06-25T22:30:00Z', '2026-06-26 00:30'],
    ['New Year in Stockholm, still the old year in UTC', '2026-12-31T23:15:00Z', '2027-01-01 00:15'],
  ])('print time is Swedish local time: %s', async (_what, iso, local) => {
    expect(formatStationDateTime(new Date(iso), 'Europe/Stockholm')).toBe(local);
    const text = pdfText(writeTemp((await renderForm(form([{ type: 'text', text: 'Hej' }]), { config, printedAt: new Date(iso) })).pdf));
    expect(text).toContain(`Utskriven ${local}`);
  });

  it('a list for a given day says so in its text and on every page', async () => {
    const t = form([{ type: 'heading', level: 1, text: 'Mottagningslista {validFor}' }, { type: 'table', columns: [{ header: 'Tid' }], rows: 40, rowHeight: 10 }]);
    const { pdf, pages } = await renderForm(t, { ...ctx, validFor: '2026-11-26' });
    expect(pages).toBe(2);
    const perPage = pdfPageTexts(writeTemp(pdf));
    expect(perPage[0]).toContain('Mottagningslista 2026-11-26');
    for (const p of perPage) expect(flat(p)).toContain('Gäller för 2026-11-26');
  });

  it('refuses a validFor that is not a date', async () => {
    await expect(renderForm(form([{ type: 'text', text: 'x' }]), { ...ctx, validFor: '26/11' })).rejects.toThrow(/\[render\] prov: validFor "26\/11"/);
  });
});

describe('content that flows over', () => {
  it('counts the pages pdfmake actually laid out', async () => {
    const t = form([{ type: 'checklist', items: Array.from({ length: 70 }, (_, i) => `Punkt ${i + 1}`) }]);
    const { pdf, pages } = await renderForm(t, ctx);
    const file = writeTemp(pdf);
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBe(pdfPages(file));
    expect(flat(pdfPageTexts(file).at(-1)!)).toContain(`Sida ${pages} av ${pages}`);
  });
});

describe('numbered forms', () => {
  const numbered = form([
    { type: 'heading', level: 1, text: 'Provtagningsremiss' },
    { type: 'serial', series: 'remiss', label: 'Remissnummer' },
  ]);

  it('print the number as text and as a Code 128 barcode that scans', async () => {
    const { pdf } = await renderForm(numbered, { ...ctx, serial: 'RV09000016' });
    const file = writeTemp(pdf);
    expect(pdfText(file)).toContain('RV09000016');
    expect(decodeBarcodes(file, 300)).toEqual([['RV09000016']]);
  });

  it('refuse to render without a number', async () => {
    await expect(renderForm(numbered, ctx)).rejects.toThrow(/\[render\] prov: .*series "remiss" but no serial was given/);
  });
});

describe('barcodeSvg', () => {
  it('keeps a quiet zone of at least 10 modules and the asked bar height', () => {
    const b = barcodeSvg({ symbology: 'code128', text: 'RV09000016', heightMm: 12, moduleMm: 0.33 });
    expect(b.heightMm).toBe(12);
    expect(b.widthMm - b.symbolWidthMm).toBeCloseTo(2 * 10 * 0.33, 5);
    expect(b.svg).toMatch(/^<svg /);
    expect(b.svg).not.toMatch(/<text|<image/);
  });

  it.each([
    ['code128', 'RÖ123', /\[barcode\] code128 "RÖ123": only printable ASCII/],
    ['code128', '', /\[barcode\] code128 "": empty text/],
    ['code39', 'rv123', /\[barcode\] code39 "rv123": Code 39 takes only/],
    ['code39', 'A*B', /\[barcode\] code39 "A\*B": Code 39 takes only/],
  ] as const)('refuses %s %j before bwip-js sees it', (symbology, text, message) => {
    expect(() => barcodeSvg({ symbology, text, heightMm: 12 })).toThrow(message);
  });

  it('refuses a quiet zone below 10 modules', () => {
    expect(() => barcodeSvg({ symbology: 'code128', text: 'A1', heightMm: 12, quietZoneModules: 4 })).toThrow(/\[barcode\] .*quiet zone of 4 modules/);
  });
});

describe('the renderer reads no file and fetches no URL', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a template text that looks like an image is printed as text, and no image is embedded', async () => {
    const sneaky = '{"image": "/etc/passwd"} {"svg": "<image href=\'file:///etc/passwd\'/>"} https://example.invalid/logo.png';
    const t = form([{ type: 'text', text: sneaky }, { type: 'checklist', items: [sneaky] }]);
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const { pdf } = await renderForm(t, ctx);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(Buffer.from(pdf).includes('/Subtype /Image')).toBe(false);
    expect(flat(pdfText(writeTemp(pdf)))).toContain(sneaky);
  });

  it('a document naming a local file is refused by the engine', async () => {
    await expect(renderPdf({ content: [{ image: path.join(root, 'fonts/DejaVuSans.ttf') }] })).rejects.toThrow(/Access to local file denied/);
  });

  it('a document naming a URL is refused without a request', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    await expect(renderPdf({ content: [{ image: 'logo' }], images: { logo: 'https://example.invalid/logo.png' } })).rejects.toThrow(/Access to URL denied/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('FormCache', () => {
  const blank = catalog.forms.get('telefonlista')!;
  const counting = () => {
    const calls: string[] = [];
    const cache = new FormCache(async (t, c) => {
      calls.push(`${t.id}@${c.printedAt.toISOString()}`);
      return { pdf: new Uint8Array([calls.length]), pages: 1 };
    });
    return { cache, calls };
  };

  it('renders a blank form once a day, however many presses', async () => {
    const { cache, calls } = counting();
    const [a, b] = await Promise.all([cache.get(blank, ctx), cache.get(blank, ctx)]);
    const c = await cache.get(blank, { ...ctx, printedAt: new Date('2026-11-25T21:00:00Z') });
    expect(calls).toHaveLength(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('renders again on a new day in the station time zone', async () => {
    const { cache, calls } = counting();
    await cache.get(blank, { ...ctx, printedAt: new Date('2026-11-25T22:30:00Z') }); // 23:30 in Stockholm
    await cache.get(blank, { ...ctx, printedAt: new Date('2026-11-25T23:30:00Z') }); // 00:30 the next day
    expect(calls).toHaveLength(2);
  });

  it('renders again for another config', async () => {
    const { cache, calls } = counting();
    await cache.get(blank, ctx);
    await cache.get(blank, { ...ctx, config: parseConfig(JSON.parse(readFileSync(path.join(root, 'config/station.example.json'), 'utf8'))) });
    expect(calls).toHaveLength(2);
  });

  it('never caches a numbered form or a list for a given day', async () => {
    const { cache, calls } = counting();
    const numbered = form([{ type: 'serial', series: 'remiss' }]);
    await cache.get(numbered, { ...ctx, serial: 'RV1' });
    await cache.get(numbered, { ...ctx, serial: 'RV2' });
    await cache.get(blank, { ...ctx, validFor: '2026-11-26' });
    await cache.get(blank, { ...ctx, validFor: '2026-11-27' });
    expect(calls).toHaveLength(4);
  });

  it('does not keep a failed rendering', async () => {
    let fail = true;
    const cache = new FormCache(async () => {
      if (fail) throw new Error('boom');
      return { pdf: new Uint8Array(), pages: 1 };
    });
    await expect(cache.get(blank, ctx)).rejects.toThrow('boom');
    fail = false;
    await expect(cache.get(blank, ctx)).resolves.toEqual({ pdf: new Uint8Array(), pages: 1 });
  });

  it('gives the same text as rendering directly, with the print date but no (soon stale) time', async () => {
    const cache = new FormCache();
    const cached = flat(pdfText(writeTemp((await cache.get(blank, ctx)).pdf)));
    expect(cached).toBe(flat(pdfText(writeTemp((await renderForm(blank, { ...ctx, dateOnly: true })).pdf))));
    expect(cached).toContain('Utskriven 2026-11-25');
    expect(cached).not.toContain('Utskriven 2026-11-25 14:03');
  });
});
