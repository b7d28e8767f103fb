// Planned upgrades and shutdowns from the region's iCalendar feed (config schedule.calendar):
// fetched on a schedule (deadline, size limit, ETag / If-Modified-Since), kept on disk as the last
// good copy, and turned into upgrades through the scheduler's own operations, keyed by the event's
// UID: a new event adds one, a moved event moves it (and its run), STATUS:CANCELLED or an event
// gone from the feed removes it. A feed that cannot be fetched or read changes nothing: planned
// runs stay, and the administrator sees a warning until the next good copy.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CalendarConfig } from './schedule-config.js';
import type { Upgrade } from './schedule-data.js';
import type { Scheduler } from './scheduler.js';
import { CalendarError, parseCalendar, type CalendarEvent, type ParsedCalendar } from './calendar-events.js';
import { systemClock, type Clock } from './clock.js';
import { ServiceError } from '../services/errors.js';

/** The actor feed changes are made and audited as. */
export const CALENDAR_ACTOR = 'kalender';

export interface CalendarStatus {
  /** Where the feed comes from (credentials in a URL are not shown). */
  source: string;
  lastAttemptAt: string | null;
  /** The last time the feed was fetched (or found unchanged) and read without error. */
  lastSuccessAt: string | null;
  /** Why the last attempt failed, in Swedish; null when it worked. Planned runs were left as they were. */
  error: string | null;
  /** Matching events in the last good copy. */
  events: number;
  /** Events left out of the last good copy, or that could not be planned, and why. */
  problems: string[];
}

interface CacheMeta {
  /** The source the copy came from: validators of another source (a changed config) are not used. */
  source?: string;
  etag?: string;
  lastModified?: string;
  /** A file source: size and mtime of the copy read. */
  fileStamp?: string;
  sha256?: string;
  lastAttemptAt?: string;
  lastSuccessAt?: string;
  error?: string | null;
  events?: number;
  problems?: string[];
}

export interface CalendarFeedDeps {
  config: CalendarConfig;
  timezone: string;
  /** The station's data folder: the last good copy goes to calendar/ in it. */
  dataDir: string;
  scheduler: Pick<Scheduler, 'addUpgrade' | 'updateUpgrade' | 'removeUpgrade' | 'feedUpgrades' | 'attachCalendar'>;
  clock?: Clock;
  log?: (msg: string) => void;
  /** Relative file sources are read from here (the project folder). */
  root?: string;
}

type Fetched = { kind: 'changed'; text: string; meta: Partial<CacheMeta> } | { kind: 'unchanged' };

const redact = (s: string) => s.replace(/\/\/[^/@]*@/, '//***@');

export class CalendarFeed {
  private readonly clock: Clock;
  private readonly log: (msg: string) => void;
  private readonly dir: string;
  private meta: CacheMeta = {};
  private timer: unknown;
  private running: Promise<CalendarStatus> | undefined;
  private stopped = false;

  constructor(private readonly deps: CalendarFeedDeps) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? ((m) => console.log(m));
    this.dir = path.join(deps.dataDir, 'calendar');
    deps.scheduler.attachCalendar(() => this.status());
  }

  private get cfg() {
    return this.deps.config;
  }
  private get icsFile() {
    return path.join(this.dir, 'feed.ics');
  }
  private get metaFile() {
    return path.join(this.dir, 'feed.json');
  }

  status(): CalendarStatus {
    return {
      source: redact(this.cfg.source),
      lastAttemptAt: this.meta.lastAttemptAt ?? null,
      lastSuccessAt: this.meta.lastSuccessAt ?? null,
      error: this.meta.error ?? null,
      events: this.meta.events ?? 0,
      problems: this.meta.problems ?? [],
    };
  }

  /** Reads what the last run left on disk (a warning survives a restart), then syncs now and every refreshMinutes. */
  async start(): Promise<void> {
    this.stopped = false;
    try {
      this.meta = JSON.parse(await fs.readFile(this.metaFile, 'utf8')) as CacheMeta;
    } catch {
      this.meta = {};
    }
    if (this.meta.source !== this.cfg.source) this.meta = { source: this.cfg.source };
    const loop = async () => {
      await this.sync().catch((e: unknown) => this.log(`[kalender] fel: ${(e as Error).message}`));
      if (!this.stopped) this.timer = this.clock.setTimeout(() => void loop(), this.cfg.refreshMinutes * 60_000);
    };
    void loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Fetches, reads and applies the feed once (one sync at a time). Never throws: the outcome is in the status. */
  sync(): Promise<CalendarStatus> {
    this.running ??= this.syncOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves when a sync in progress is done (tests, stop). */
  async idle(): Promise<void> {
    await this.running;
  }

  private async syncOnce(): Promise<CalendarStatus> {
    const at = this.clock.now().toISOString();
    this.meta.lastAttemptAt = at;
    let parsed: ParsedCalendar;
    let fresh: { text: string; meta: Partial<CacheMeta> } | undefined;
    try {
      const got = await this.fetch();
      const text = got.kind === 'changed' ? got.text : await this.readCopy();
      parsed = parseCalendar(text, this.cfg, this.deps.timezone, this.clock.now());
      if (got.kind === 'changed') fresh = got;
    } catch (e) {
      // Nothing is changed: the upgrades from the last good copy stay planned.
      const reason = e instanceof CalendarError ? e.message : (e as Error).message;
      this.meta.error = `Regionens kalender kunde inte läsas (${reason}). Planerade utskrifter ligger kvar som förut; kontrollera kalendern eller kontakta regionens IT.`;
      this.log(`[kalender] ${redact(this.cfg.source)}: ${reason} – inget ändrat`);
      await this.saveMeta();
      return this.status();
    }
    if (fresh) {
      await this.writeAtomic(this.icsFile, fresh.text);
      Object.assign(this.meta, { source: this.cfg.source, etag: undefined, lastModified: undefined, fileStamp: undefined }, fresh.meta, { sha256: createHash('sha256').update(fresh.text).digest('hex') });
    }
    const problems = [...parsed.skipped.map((s) => `${s.summary || s.uid || '(utan namn)'}: ${s.reason}`), ...(await this.apply(parsed.events))];
    Object.assign(this.meta, { lastSuccessAt: at, error: null, events: parsed.events.length, problems });
    await this.saveMeta();
    return this.status();
  }

  /** Brings the feed's upgrades in the store in line with the events; returns what could not be planned. */
  private async apply(events: CalendarEvent[]): Promise<string[]> {
    const s = this.deps.scheduler;
    const now = this.clock.now().getTime();
    const problems: string[] = [];
    const existing = new Map(s.feedUpgrades().map((u) => [u.feed!.uid, u] as const));
    const seen = new Set<string>();
    const attempt = async (ev: { summary: string }, what: () => Promise<unknown>) => {
      try {
        await what();
      } catch (e) {
        if (!(e instanceof ServiceError)) throw e;
        problems.push(`${ev.summary}: ${e.message}`);
      }
    };
    for (const ev of events) {
      seen.add(ev.uid);
      const u = existing.get(ev.uid);
      const feed = { uid: ev.uid, summary: ev.summary };
      if (ev.cancelled) {
        if (u && Date.parse(u.end) > now) await attempt(ev, () => s.removeUpgrade(u.id, CALENDAR_ACTOR, { fromFeed: true }));
        continue;
      }
      if (ev.end.getTime() <= now) continue; // over: nothing to print for
      if (!u) {
        if (ev.start.getTime() <= now) {
          problems.push(`${ev.summary}: började ${ev.start.toISOString()}, innan kalendern lästes – inte inlagd`);
          continue;
        }
        await attempt(ev, () => s.addUpgrade({ kind: ev.kind, start: ev.start.toISOString(), end: ev.end.toISOString(), note: ev.summary }, CALENDAR_ACTOR, { feed }));
        continue;
      }
      if (!differs(u, ev)) continue;
      const startChanged = u.start !== ev.start.toISOString();
      await attempt(ev, () =>
        s.updateUpgrade(
          u.id,
          { kind: u.kind !== ev.kind ? ev.kind : undefined, start: startChanged ? ev.start.toISOString() : undefined, end: ev.end.toISOString(), note: ev.summary },
          CALENDAR_ACTOR,
          { fromFeed: feed },
        ),
      );
    }
    // Gone from the feed: canceled, unless it has begun (feeds drop past events).
    for (const [uid, u] of existing)
      if (!seen.has(uid) && Date.parse(u.start) > now) await attempt({ summary: u.feed!.summary || uid }, () => s.removeUpgrade(u.id, CALENDAR_ACTOR, { fromFeed: true }));
    return problems;
  }

  // ---- fetching ---------------------------------------------------------------------------------

  private fetch(): Promise<Fetched> {
    return /^https?:\/\//i.test(this.cfg.source) ? this.fetchUrl(this.cfg.source) : this.readFile(path.resolve(this.deps.root ?? process.cwd(), this.cfg.source));
  }

  private async fetchUrl(url: string): Promise<Fetched> {
    const headers: Record<string, string> = { accept: 'text/calendar, */*;q=0.5' };
    // Conditional only with a copy on disk to fall back on.
    const haveCopy = await fs.access(this.icsFile).then(() => true, () => false);
    if (haveCopy && this.meta.etag) headers['if-none-match'] = this.meta.etag;
    if (haveCopy && this.meta.lastModified) headers['if-modified-since'] = this.meta.lastModified;
    const signal = AbortSignal.timeout(this.cfg.timeoutSeconds * 1000);
    let res: Response;
    try {
      res = await fetch(url, { headers, signal, redirect: 'follow' });
    } catch (e) {
      throw new Error(signal.aborted ? `ingen svar inom ${this.cfg.timeoutSeconds} s` : `servern kunde inte nås: ${causeOf(e)}`);
    }
    if (res.status === 304) return { kind: 'unchanged' };
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`servern svarade HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > this.cfg.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`filen är för stor (${declared} byte, högst ${this.cfg.maxBytes})`);
    }
    const text = await this.readLimited(res, signal);
    return { kind: 'changed', text, meta: { etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined } };
  }

  /** The body, refused as soon as it passes maxBytes (a server need not say how big it is). */
  private async readLimited(res: Response, signal: AbortSignal): Promise<string> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = res.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > this.cfg.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new Error(`filen är för stor (över ${this.cfg.maxBytes} byte)`);
        }
        chunks.push(value);
      }
    } catch (e) {
      if (signal.aborted) throw new Error(`ingen svar inom ${this.cfg.timeoutSeconds} s`);
      throw e;
    }
    return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
  }

  private async readFile(file: string): Promise<Fetched> {
    let st;
    try {
      st = await fs.stat(file);
    } catch (e) {
      throw new Error(`filen ${file} kan inte läsas: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (st.size > this.cfg.maxBytes) throw new Error(`filen är för stor (${st.size} byte, högst ${this.cfg.maxBytes})`);
    const stamp = `${st.size}:${st.mtimeMs}`;
    if (stamp === this.meta.fileStamp && (await fs.access(this.icsFile).then(() => true, () => false))) return { kind: 'unchanged' };
    return { kind: 'changed', text: await fs.readFile(file, 'utf8'), meta: { fileStamp: stamp } };
  }

  private async readCopy(): Promise<string> {
    try {
      return await fs.readFile(this.icsFile, 'utf8');
    } catch {
      throw new Error('servern svarade "oförändrad" men stationen har ingen sparad kopia');
    }
  }

  private async saveMeta(): Promise<void> {
    await this.writeAtomic(this.metaFile, JSON.stringify(this.meta, null, 2)).catch((e: unknown) => this.log(`[kalender] kunde inte spara ${this.metaFile}: ${(e as Error).message}`));
  }

  /** Temp file, fsync, rename: a power cut leaves the old copy or the new one, never half of one. */
  private async writeAtomic(file: string, text: string): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    const h = await fs.open(tmp, 'w');
    try {
      await h.writeFile(text);
      await h.sync();
    } finally {
      await h.close();
    }
    await fs.rename(tmp, file);
  }
}

function differs(u: Upgrade, ev: CalendarEvent): boolean {
  return u.start !== ev.start.toISOString() || u.end !== ev.end.toISOString() || u.kind !== ev.kind || (u.feed?.summary ?? '') !== ev.summary;
}

function causeOf(e: unknown): string {
  const c = (e as { cause?: { code?: string; message?: string } }).cause;
  return c?.code ?? c?.message ?? (e as Error).message;
}
