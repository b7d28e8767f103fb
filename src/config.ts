// Station config: the zod schema of config/station.json and the loader that stops start-up,
// naming the field, when the file is wrong. Nothing starts half-configured.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { adminConfigSchema } from './admin/admin-config.js';
import { scheduleConfigSchema } from './schedule/schedule-config.js';
import { isCalendarDate, isValidTimeZone } from './domain/time.js';
import { parseCidr, parseListen } from './monitoring/addresses.js';
import { seriesCollide } from './domain/serials.js';
import { strictObject } from './strict-object.js';
import { prescriberCodeProblem } from './domain/prescriber-code.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'endast a–z, 0–9 och bindestreck');

export const printerSchema = strictObject({
  id,
  name: z.string().min(1),
  /**
   * ipp://, ipps://, file:// (folder destination, the embedded default) or socket://host:9100 (raw
   * TCP to a ZPL label printer). Config only, never from a request.
   */
  uri: z.string().regex(/^(ipps?|file|socket):\/\/.+/, 'must start with ipp://, ipps://, file:// or socket://'),
  /**
   * What the printer takes: "pdf" (default), or "zpl" for a thermal label printer that speaks ZPL
   * (Zebra and compatible) reached over socket:// or an IPP front end listing application/vnd.zebra-zpl.
   */
  format: z.enum(['pdf', 'zpl']).default('pdf'),
  /** A ZPL printer's resolution (its print head: 203, 300 or 600 dpi); labels are laid out in its dots. */
  dpi: z.union([z.literal(203), z.literal(300), z.literal(600)]).default(203),
  roles: z.array(z.string().min(1)).min(1),
  /** Media keyword sent with A4 jobs (IPP "media"). */
  media: z.string().default('iso_a4_210x297mm'),
  duplex: z.boolean().default(true),
  /** Another printer's id that takes over after fallbackAfterSeconds of this printer not answering. */
  fallback: id.optional(),
  fallbackAfterSeconds: z.number().int().min(10).default(300),
  timeoutMs: z.number().int().min(500).max(120_000).default(10_000),
  /** ipps:// only: accept the printer's self-signed certificate (most printers ship one). */
  allowSelfSignedCertificate: z.boolean().default(false),
});

export const seriesSchema = strictObject({
  id,
  name: z.string().min(1),
  prefix: z.string().regex(/^[A-Z0-9]*$/, 'versaler A–Z och siffror').default(''),
  first: z.number().int().nonnegative(),
  last: z.number().int().nonnegative(),
  padding: z.number().int().min(1).max(12).default(7),
  checkDigit: z.enum(['luhn', 'mod11', 'none']).default('luhn'),
  warnBelowPercent: z.number().min(0).max(100).default(10),
  /** Whom staff contact when the block runs out (shown in the refusal). */
  contact: z.string().min(1).default('regionens IT-support'),
  /**
   * What the numbers are for: the avstämningslista shows the columns of that kind (referrals: PMO and
   * e-remiss; receipts: amount and payment). Default: the label series is "referral", others "other".
   */
  kind: z.enum(['referral', 'receipt', 'other']).optional(),
});

export const phoneEntrySchema = strictObject({
  name: z.string().min(1),
  number: z.string().min(1),
  note: z.string().default(''),
});

/** An origin exactly as a browser sends it in the Origin header: scheme://name[:port], nothing after. */
const originSchema = z.string().refine((s) => {
  try {
    return /^https?:$/.test(new URL(s).protocol) && new URL(s).origin === s;
  } catch {
    return false;
  }
}, 'an origin as the browser sends it, e.g. "http://station-12:8080" (no path, no trailing slash)');

export const prescriberSchema = strictObject({
  name: z.string().min(1),
  profession: z.string().min(1),
  prescriberCode: z.string().refine((c) => prescriberCodeProblem(c) === undefined, 'förskrivarkod är 7 siffror'),
});

/** The optional second listener for the region's Prometheus: only /metrics and /healthz, allowlisted. */
export const metricsConfigSchema = strictObject({
  /** HOST:PORT, e.g. "0.0.0.0:9464" or "[::]:9464" (port 0: any free port, tests). */
  listen: z.string().refine((s) => parseListen(s) !== undefined, 'HOST:PORT, e.g. "0.0.0.0:9464" or "[::]:9464"'),
  /** Source addresses or CIDRs allowed to connect; everything else gets 403. */
  allow: z.array(z.string().refine((s) => parseCidr(s) !== undefined, 'an address or CIDR, e.g. "10.0.0.0/8" or "fd00::/8"')).min(1, 'at least one address or CIDR'),
  /** A file holding a bearer token the scraper must send (read at start; never inline in the config). */
  tokenFile: z.string().min(1).optional(),
});

export const stationConfigSchema = strictObject({
    /** The station's id in the region's fleet (metrics, fleet check); default: unit.workplaceCode, else unit.name. */
    stationId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'A–Z, a–z, 0–9, punkt, understreck och bindestreck').optional(),
    unit: strictObject({
      name: z.string().min(1),
      address: z.string().default(''),
      phone: z.string().default(''),
      workplaceCode: z.string().default(''),
      region: z.string().default(''),
      /** Whom staff call about a printer problem, with the number ("IT-support 040-123 45 67"); shown with each problem. */
      itSupport: z.string().min(1).max(80).optional(),
      /** Workplace name in plain text ("tjänsteställe i klartext"); some regions want it on a receptblankett. Default: the unit's name. */
      workplaceName: z.string().optional(),
      /** The organisation (vårdgivaren) receipts name, e.g. "Region Exempel"; default: region. */
      organisation: z.string().optional(),
      /** Its organisation number (NNNNNN-NNNN), printed on receipts. */
      organisationNumber: z.string().regex(/^(\d{6}-\d{4})?$/, 'organisationsnummer skrivs NNNNNN-NNNN').default(''),
    }),
    routine: strictObject({
      name: z.string().min(1).default('Regionövergripande reservrutin PMO'),
      version: z.string().min(1),
      date: z.string().refine(isCalendarDate, 'YYYY-MM-DD (a real date)'),
    }),
    server: strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080), // 0: any free port (tests)
      /**
       * Origins (scheme://name:port) the UI may also be reached at, e.g. "http://station-12:8080".
       * Their names are also the only ones besides loopback and `host` that the Host check lets in.
       */
      allowedOrigins: z.array(originSchema).default([]),
    }).prefault({}),
    dataDir: z.string().default('data'),
    /** Finished prints (batches, jobs, their number ranges) older than this move from the live store to the archive. */
    store: strictObject({ retentionDays: z.number().int().min(1).max(3650).default(30) }).prefault({}),
    timezone: z.string().refine(isValidTimeZone, 'unknown time zone (e.g. Europe/Stockholm)').default('Europe/Stockholm'),
    printers: z.array(printerSchema).min(1, 'at least one printer'),
    /** Which printer takes a document with a given role when a kit names none. */
    defaultPrinter: z.record(z.string(), id).default({}),
    series: z.array(seriesSchema).default([]),
    /** Barcode referral labels: the series they draw from ("remiss", else the first series) and the layout the page starts on. */
    labels: strictObject({ series: id.optional(), defaultLayout: id.optional() }).prefault({}),
    phoneList: z.array(phoneEntrySchema).default([]),
    prescribers: z.array(prescriberSchema).default([]),
    /** The laboratory that takes the unit's Provtagningsremiss. */
    lab: strictObject({
      name: z.string().default(''),
      /** The unit's customer number at the lab (kundnummer), pre-printed on every referral. */
      customerNumber: z.string().default(''),
      /** Which analysis list (templates/labs/<id>.json) the referral offers: the one the lab approved. */
      analyses: id.default('standard'),
    }).prefault({}),
    /**
     * Kinds of patient fee a receipt can be for, each with its own fixed text: whether it counts
     * toward högkostnadsskyddet and its VAT rate (most care is VAT-exempt; e.g. a driving-licence
     * certificate carries 25 %).
     */
    fees: z
      .array(
        strictObject({
          name: z.string().min(1).max(40),
          highCostProtection: z.boolean(),
          vatPercent: z.union([z.literal(0), z.literal(6), z.literal(12), z.literal(25)]).default(0),
        }),
      )
      .min(1)
      .max(8)
      .default([
        { name: 'Besök', highCostProtection: true, vatPercent: 0 },
        { name: 'Uteblivet besök', highCostProtection: false, vatPercent: 0 },
        { name: 'Intyg', highCostProtection: false, vatPercent: 0 },
        { name: 'Körkortsintyg', highCostProtection: false, vatPercent: 25 },
      ]),
    retry: strictObject({
      /** Seconds between tries, growing: first, then doubled up to max. */
      intervalSeconds: z.number().min(0.05).default(5),
      maxIntervalSeconds: z.number().min(0.05).default(60),
      limit: z.number().int().min(0).default(20),
      /** How often a printing job is polled with Get-Job-Attributes. */
      pollSeconds: z.number().min(0.05).default(1),
    }).prefault({}),
    /** A second press of the same kit within this many seconds asks "print again?" (0: never asks). */
    repeatConfirmSeconds: z.number().min(0).max(600).default(10),
    monitor: strictObject({ intervalSeconds: z.number().min(0.2).default(15) }).prefault({}),
    admin: adminConfigSchema,
    schedule: scheduleConfigSchema,
    metrics: metricsConfigSchema.optional(),
  })
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.printers.forEach((p, i) => {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['printers', i, 'id'], message: `duplicate printer id "${p.id}"` });
      ids.add(p.id);
    });
    cfg.printers.forEach((p, i) => {
      if (p.uri.startsWith('socket://') && p.format !== 'zpl')
        ctx.addIssue({ code: 'custom', path: ['printers', i, 'format'], message: 'a socket:// printer takes ZPL: set "format": "zpl"' });
      if (p.format === 'zpl' && p.uri.startsWith('file://'))
        ctx.addIssue({ code: 'custom', path: ['printers', i, 'format'], message: 'the folder printer (file://) writes PDF only' });
      if (p.format === 'zpl' && p.roles.includes('labels-sheet'))
        ctx.addIssue({ code: 'custom', path: ['printers', i, 'roles'], message: 'a ZPL printer prints label rolls ("labels-roll"), not A4 label sheets' });
      if (p.fallback && !ids.has(p.fallback))
        ctx.addIssue({ code: 'custom', path: ['printers', i, 'fallback'], message: `no printer with id "${p.fallback}"` });
      if (p.fallback === p.id)
        ctx.addIssue({ code: 'custom', path: ['printers', i, 'fallback'], message: 'a printer cannot be its own fallback' });
    });
    for (const [role, pid] of Object.entries(cfg.defaultPrinter)) {
      if (!ids.has(pid)) ctx.addIssue({ code: 'custom', path: ['defaultPrinter', role], message: `no printer with id "${pid}"` });
    }
    const sids = new Set<string>();
    cfg.series.forEach((s, i) => {
      if (sids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['series', i, 'id'], message: `duplicate series id "${s.id}"` });
      sids.add(s.id);
      if (s.last < s.first) ctx.addIssue({ code: 'custom', path: ['series', i, 'last'], message: 'last must be ≥ first' });
      if (String(s.last).length > s.padding)
        ctx.addIssue({ code: 'custom', path: ['series', i, 'padding'], message: `padding ${s.padding} is too short for last=${s.last}` });
    });
    // Two series that could print the same number would hand one number to two patients' samples.
    cfg.series.forEach((s, i) => {
      cfg.series.slice(0, i).forEach((o) => {
        if (seriesCollide(o, s))
          ctx.addIssue({ code: 'custom', path: ['series', i], message: `series "${s.id}" (${s.prefix}${s.first}–${s.last}) can print the same numbers as series "${o.id}" (${o.prefix}${o.first}–${o.last}); blocks must not overlap` });
      });
    });
    if (cfg.labels.series && !sids.has(cfg.labels.series))
      ctx.addIssue({ code: 'custom', path: ['labels', 'series'], message: `no series with id "${cfg.labels.series}"` });
  });

export type StationConfig = z.infer<typeof stationConfigSchema>;
export type PrinterConfig = z.infer<typeof printerSchema>;
export type SeriesConfig = z.infer<typeof seriesSchema>;

/** The station's id in the fleet: the one answer for metrics and the fleet check. */
export function stationIdOf(cfg: Pick<StationConfig, 'stationId' | 'unit'>): string {
  return cfg.stationId ?? (cfg.unit.workplaceCode || cfg.unit.name);
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Formats zod issues as "field.path: message" lines, the way start-up reports them. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('\n');
}

export function parseConfig(raw: unknown, source = 'config'): StationConfig {
  const r = stationConfigSchema.safeParse(raw);
  if (!r.success) throw new ConfigError(`[config] ${source} is invalid:\n${formatIssues(r.error.issues)}`);
  return r.data;
}

/**
 * JSON.parse for the files people edit (station.json, templates): a UTF-8 byte order mark at the
 * start, which Windows Notepad writes, is accepted and dropped rather than refused as bad JSON.
 */
export function parseJsonText(text: string): unknown {
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

export interface LoadedConfig {
  config: StationConfig;
  path: string;
  /** sha256 of the file's bytes (hex): which config a station runs, as metrics report it. */
  sha256: string;
}

/** Reads, parses and validates one config file: the same steps at start-up and in the fleet check. */
export function readConfigFile(file: string): { config: StationConfig; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new ConfigError(`[config] cannot read ${file}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseJsonText(bytes.toString('utf8'));
  } catch (e) {
    throw new ConfigError(`[config] ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return { config: parseConfig(raw, file), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Reads the config: RESERVKIT_CONFIG, else config/station.json, else the example. PORT and
 * RESERVKIT_DATA_DIR override the file. A relative dataDir is taken from the project root.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): LoadedConfig {
  let file = env.RESERVKIT_CONFIG;
  if (!file) {
    const local = path.join(root, 'config/station.json');
    file = existsSync(local) ? local : path.join(root, 'config/station.example.json');
  }
  file = path.resolve(root, file);
  const { config, sha256 } = readConfigFile(file);
  if (env.PORT !== undefined) {
    const port = Number(env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`[config] PORT: "${env.PORT}" is not a port number`);
    config.server.port = port;
  }
  if (env.RESERVKIT_DATA_DIR) config.dataDir = env.RESERVKIT_DATA_DIR;
  config.dataDir = path.resolve(root, config.dataDir);
  // file:// printer folders are relative to the data folder unless absolute
  for (const p of config.printers) {
    if (p.uri.startsWith('file://')) {
      const folder = p.uri.slice('file://'.length);
      if (!path.isAbsolute(folder)) p.uri = 'file://' + path.join(config.dataDir, folder);
    }
  }
  return { config, path: file, sha256 };
}
