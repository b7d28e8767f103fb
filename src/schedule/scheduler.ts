// The scheduler: planned upgrades and shutdowns, the runs that print before them, and readiness
// drills. Every run is a record in the store before it is due, so a station that was off at the
// moment finds it on start-up: it prints late (and says so) while the work has not begun, and
// records a warning instead once it has. A run prints with request ids derived from its own id, so
// a restart in the middle of a run never prints anything twice. Time comes from an injected clock,
// so tests drive it with a fake one; croner only computes the drills' next times.
import type { StationConfig } from '../config.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Batch } from '../domain/job.js';
import { batchOutcome, type BatchOutcome } from '../domain/batch-state.js';
import { newId } from '../domain/ids.js';
import type { Store } from '../store/store.js';
import type { PrintOptions } from '../services/print-service.js';
import { ServiceError } from '../services/errors.js';
import { formatMoment } from '../domain/time.js';
import { nextDrillAt, planUpgradeRun } from './plan-runs.js';
import type { FeedRef, ScheduleRun, Upgrade, UpgradeKind } from './schedule-data.js';
import { parseDateTime } from '../domain/time.js';
import { systemClock, type Clock } from './clock.js';
import type { CalendarStatus } from './calendar-feed.js';

export type { Clock } from './clock.js';

/** What a run prints with; the print service and StationPrints fit. */
export interface RunPrinter {
  printKit(kitId: string, opts: PrintOptions): Promise<{ batch: Batch }>;
  printDocument(documentId: string, copies: number, opts: PrintOptions): Promise<{ batch: Batch }>;
  printReadinessSheet(opts: { requestId: string; actor: string; copies: number; occasion: string; nextRun: string | null; remarks: string[] }): Promise<{ batch: Batch }>;
}

export interface SchedulerDeps {
  config: StationConfig;
  catalog: Pick<Catalog, 'kits' | 'documents'>;
  store: Store;
  printer: RunPrinter;
  clock?: Clock;
  log?: (msg: string) => void;
}

/** The actor scheduled runs print as (audit log, batches). */
export const SCHEDULE_ACTOR = 'schema';

/** Timers wake at least this often, so a long wait survives clock changes and setTimeout's 24-day limit. */
const MAX_TIMER_MS = 15 * 60_000;

export const kindWords: Readonly<Record<UpgradeKind, string>> = {
  upgrade: 'Systemuppgradering',
  shutdown: 'Planerad nedsläckning',
};

/** A run's outcome as staff see it: its own status, refined by its batches' jobs once it printed. */
export type RunResult = 'scheduled' | 'running' | 'printing' | 'completed' | 'failed' | 'missed' | 'canceled';

export const resultWords: Readonly<Record<RunResult, string>> = {
  scheduled: 'Planerad',
  running: 'Startar',
  printing: 'Skrivs ut',
  completed: 'Klar',
  failed: 'Misslyckades',
  missed: 'Inte utskriven',
  canceled: 'Struken',
};

export interface RunView {
  id: string;
  kind: ScheduleRun['kind'];
  title: string;
  upgradeId: string | null;
  kit: string | null;
  validFor: string | null;
  dueAt: string;
  status: ScheduleRun['status'];
  result: RunResult;
  resultText: string;
  late: boolean;
  message: string;
  problems: string[];
  startedAt: string | null;
  finishedAt: string | null;
  batches: Array<{ id: string; title: string; state: BatchOutcome }>;
  needsAttention: boolean;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export interface UpgradeView extends Upgrade {
  kindText: string;
  kitName: string;
  run: RunView | null;
}

export interface ScheduleView {
  now: string;
  timezone: string;
  /** Upgrades whose window has not ended, by start. */
  upgrades: UpgradeView[];
  /** Runs waiting for their time, soonest first. */
  upcoming: RunView[];
  /** Runs that ran, were missed or canceled, newest first. */
  past: RunView[];
  next: RunView | null;
  last: RunView | null;
  /** Failed or missed runs nobody has acknowledged yet. */
  attention: RunView[];
  drillCron: string | null;
  /** The region's calendar feed (schedule.calendar), or null when none is configured. */
  calendar: CalendarStatus | null;
}

export interface UpgradeInput {
  kind?: UpgradeKind | undefined;
  start?: string | undefined;
  end?: string | undefined;
  note?: string | undefined;
  kit?: string | undefined;
}

const executed = new Set<ScheduleRun['status']>(['done', 'failed', 'missed']);

export class Scheduler {
  private readonly clock: Clock;
  private readonly log: (msg: string) => void;
  private timer: unknown;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** After an unexpected error, wait at least until then before trying again (no tight loop). */
  private backoffUntil = 0;

  constructor(private readonly deps: SchedulerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? ((m) => console.log(m));
  }

  /** The scheduler's clock (the admin form's default day comes from it). */
  now(): Date {
    return this.clock.now();
  }

  private get cfg() {
    return this.deps.config.schedule;
  }
  private get tz() {
    return this.deps.config.timezone;
  }
  private get store() {
    return this.deps.store;
  }
  /** Upgrades and runs: read and written through the store's schedule module only. */
  private get state() {
    return this.deps.store.schedule;
  }
  private fmt(iso: string | Date): string {
    return formatMoment(iso, this.tz);
  }

  // ---- life cycle -------------------------------------------------------------------------------

  /** Plans every upgrade and the next drill, catches up what was due while the station was off, arms the timer. */
  async start(): Promise<void> {
    this.stopped = false;
    const kits = this.deps.catalog.kits;
    for (const [kind, kitId] of Object.entries(this.cfg.kits)) {
      if (!kits.has(kitId)) this.log(`[schedule] varning: schedule.kits.${kind} "${kitId}" finns inte bland kiten; planerade körningar för det misslyckas`);
    }
    if (this.cfg.receptionList.copies > 0 && !this.deps.catalog.documents.has(this.cfg.receptionList.document))
      this.log(`[schedule] varning: mallen "${this.cfg.receptionList.document}" (mottagningslista) finns inte; körningar före uppgraderingar skriver ut kitet utan lista`);
    await this.enqueue(async () => {
      for (const u of [...this.state.upgrades()]) await this.planUpgrade(u);
      await this.planDrill();
      await this.tick();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves when everything queued so far (planning, due runs) is done. Tests wait on it. */
  idle(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  /** Work on the schedule runs one piece at a time, in order. */
  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch((e: unknown) => this.log(`[schedule] fel: ${(e as Error).stack ?? e}`));
    return p;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now().getTime();
    const due = this.state
      .runs()
      .filter((r) => r.status === 'running' || (r.status === 'scheduled' && Date.parse(r.dueAt) <= now))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    try {
      for (const run of due) {
        if (this.stopped) return;
        try {
          await this.execute(run);
        } catch (e) {
          // Left as it was (scheduled or running): the next wake-up (in a minute) or start tries it again.
          this.backoffUntil = this.clock.now().getTime() + 60_000;
          this.log(`[schedule] ${run.title}: ${(e as Error).message}`);
        }
      }
    } finally {
      this.arm();
    }
  }

  /** Sets one timer for the soonest scheduled run (capped, so it re-checks now and then). */
  private arm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    const now = this.clock.now().getTime();
    // A run left 'running' by a failed step (e.g. the store could not be written) is due again after the back-off.
    const next = this.state
      .runs()
      .filter((r) => r.status === 'scheduled' || r.status === 'running')
      .map((r) => (r.status === 'running' ? now : Date.parse(r.dueAt)))
      .sort((a, b) => a - b)[0];
    if (next === undefined) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, next - now, this.backoffUntil - now));
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.enqueue(() => this.tick());
    }, wait);
  }

  // ---- planning ---------------------------------------------------------------------------------

  private runsOf(upgradeId: string): ScheduleRun[] {
    return this.state.runsOf(upgradeId);
  }

  /** Creates or moves the run of an upgrade. A run that already printed for the same day and kit stays. */
  private async planUpgrade(u: Upgrade): Promise<ScheduleRun | undefined> {
    if (u.hidden) return undefined; // this unit does not take part (hideUpgrade canceled its run)
    const plan = planUpgradeRun(new Date(u.start), this.cfg, this.tz);
    const dueAt = plan.dueAt.toISOString();
    const title = `${kindWords[u.kind]} ${plan.upgradeDay}`;
    const live = this.runsOf(u.id).filter((r) => r.status !== 'canceled');
    const current = live.at(-1);
    const now = this.clock.now().toISOString();
    if (current?.status === 'running') return current;
    if (current?.status === 'scheduled') {
      if (current.dueAt !== dueAt || current.validFor !== plan.validFor || current.kitId !== u.kitId || current.title !== title) {
        await this.state.updateRuns([current], { dueAt, validFor: plan.validFor, kitId: u.kitId, title, createdAt: now });
      }
      return current;
    }
    if (current && executed.has(current.status) && current.validFor === plan.validFor && current.kitId === u.kitId) return current;
    // No run yet, or it printed for another day or kit: this day needs its own run.
    const run: ScheduleRun = {
      id: `${u.id}-${this.runsOf(u.id).length + 1}`,
      kind: 'upgrade',
      upgradeId: u.id,
      title,
      dueAt,
      status: 'scheduled',
      kitId: u.kitId,
      validFor: plan.validFor,
      createdAt: now,
      late: false,
      batchIds: [],
      message: '',
      problems: [],
    };
    return this.state.addRun(run);
  }

  /** Keeps exactly one scheduled drill for the configured pattern (none when drills are off). */
  private async planDrill(): Promise<void> {
    const cron = this.cfg.drill.cron.trim();
    const pending = this.state.runs().filter((r) => r.kind === 'drill' && r.status === 'scheduled');
    const keep = cron ? pending.find((r) => r.cron === cron) : undefined;
    const drop = pending.filter((r) => r !== keep);
    await this.state.updateRuns(drop, {
      status: 'canceled',
      finishedAt: this.clock.now().toISOString(),
      message: cron ? 'Schemat för beredskapskontroller ändrades.' : 'Beredskapskontroller är avstängda i konfigurationen.',
    });
    if (keep || !cron) return;
    const next = nextDrillAt(cron, this.clock.now(), this.tz);
    if (!next) return;
    const dueAt = next.toISOString();
    let id = `drill-${dueAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
    if (this.state.run(id)) id = `${id}-${newId('x').slice(-6)}`;
    await this.state.addRun({
        id,
        kind: 'drill',
        title: 'Beredskapskontroll',
        dueAt,
        status: 'scheduled',
        kitId: 'beredskapskontroll',
        cron,
        createdAt: this.clock.now().toISOString(),
        late: false,
        batchIds: [],
        message: '',
        problems: [],
    });
  }

  // ---- running ----------------------------------------------------------------------------------

  private async execute(run: ScheduleRun): Promise<void> {
    if (run.kind === 'upgrade') await this.executeUpgrade(run);
    else await this.executeDrill(run);
  }

  private async finish(run: ScheduleRun, patch: Partial<ScheduleRun>, audit: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.state.updateRuns([run], { ...patch, finishedAt: at }, (r) => ({ at, actor: SCHEDULE_ACTOR, action: `schedule-${r.status}`, detail: `${r.id} ${r.title}: ${audit}` }));
  }

  private lateness(run: ScheduleRun): { late: boolean; message: string } {
    const now = this.clock.now();
    const due = Date.parse(run.dueAt);
    if (now.getTime() - due <= this.cfg.lateAfterMinutes * 60_000) return { late: false, message: '' };
    if (Date.parse(run.createdAt) >= due)
      return { late: true, message: `Utskriftstiden (${this.fmt(run.dueAt)}) hade redan passerat när den planerades; utskriften gjordes direkt, ${this.fmt(now)}.` };
    return { late: true, message: `Utskriften gjordes sent, ${this.fmt(now)} i stället för ${this.fmt(run.dueAt)}: stationen var avstängd vid den planerade tiden.` };
  }

  private async executeUpgrade(run: ScheduleRun): Promise<void> {
    const u = run.upgradeId ? this.state.upgrade(run.upgradeId) : undefined;
    if (!u) {
      await this.finish(run, { status: 'canceled', message: 'Uppgraderingen togs bort.' }, 'struken');
      return;
    }
    const kitRid = `sched:${run.id}:kit`;
    const listRid = `sched:${run.id}:list`;
    const now = this.clock.now();
    // Resuming after a crash: whatever already printed under these request ids is not printed again.
    const begun = run.status === 'running' && !!this.store.batchForRequest(kitRid);
    if (!begun && now.getTime() >= Date.parse(u.start)) {
      const message =
        `${kindWords[u.kind]} började ${this.fmt(u.start)}, innan stationen hann skriva ut (planerat ${this.fmt(run.dueAt)}). ` +
        'Inget skrevs ut. Skriv ut reservkitet och mottagningslistan för hand från startsidan om de behövs.';
      await this.finish(run, { status: 'missed', message }, 'inte utskriven, arbetet hade börjat');
      this.log(`[schedule] ${run.title}: inte utskriven – arbetet hade redan börjat`);
      return;
    }
    const { late, message } = run.status === 'running' ? { late: run.late, message: run.message } : this.lateness(run);
    await this.state.updateRuns([run], { status: 'running', startedAt: run.startedAt ?? now.toISOString(), late, message });

    const batchIds: string[] = [];
    const problems: string[] = [];
    // A scheduled run never asks "print again?": staff may just have printed the same kit by hand.
    const opts = { actor: run.actor ?? SCHEDULE_ACTOR, confirmRepeat: true } satisfies PrintOptions;
    try {
      const r = await this.deps.printer.printKit(run.kitId ?? u.kitId, { ...opts, requestId: kitRid });
      batchIds.push(r.batch.id);
    } catch (e) {
      problems.push(`Reservkitet kunde inte skrivas ut: ${(e as Error).message}`);
    }
    const list = this.cfg.receptionList;
    if (list.copies > 0) {
      if (!this.deps.catalog.documents.has(list.document)) {
        problems.push(`Mottagningslistan skrevs inte ut: mallen "${list.document}" finns inte på stationen.`);
      } else {
        try {
          // validFor dates the list; the print service passes it to the form ({validFor}).
          const listOpts: PrintOptions & { validFor?: string } = { ...opts, requestId: listRid, validFor: run.validFor };
          const r = await this.deps.printer.printDocument(list.document, list.copies, listOpts);
          batchIds.push(r.batch.id);
        } catch (e) {
          problems.push(`Mottagningslistan kunde inte skrivas ut: ${(e as Error).message}`);
        }
      }
    }
    const status = batchIds.length ? 'done' : 'failed';
    await this.finish(run, { status, batchIds, problems }, [status === 'done' ? 'köad' : 'misslyckades', message, ...problems].filter(Boolean).join(' '));
    this.log(`[schedule] ${run.title}: ${status === 'done' ? 'utskrift köad' : 'misslyckades'}${late ? ' (sent)' : ''}${problems.length ? ` – ${problems.join(' ')}` : ''}`);
  }

  private async executeDrill(run: ScheduleRun): Promise<void> {
    const now = this.clock.now();
    const manual = !run.cron;
    const { late, message } = run.status === 'running' ? { late: run.late, message: run.message } : manual ? { late: false, message: '' } : this.lateness(run);
    await this.state.updateRuns([run], { status: 'running', startedAt: run.startedAt ?? now.toISOString(), late, message });
    const next = this.upcomingRuns().find((r) => r.kind === 'upgrade');
    try {
      const r = await this.deps.printer.printReadinessSheet({
        requestId: `sched:${run.id}:sheet`,
        actor: run.actor ?? SCHEDULE_ACTOR,
        copies: this.cfg.drill.copies,
        occasion: manual ? 'Beredskapskontroll, utskriven på begäran' : `Schemalagd beredskapskontroll (${this.cfg.drill.cron})`,
        nextRun: next ? `${next.title}: utskrift ${this.fmt(next.dueAt)}` : null,
        remarks: late ? [message] : [],
      });
      await this.finish(run, { status: 'done', batchIds: [r.batch.id], message }, 'beredskapsblad köat');
    } catch (e) {
      await this.finish(run, { status: 'failed', message: `Beredskapsbladet kunde inte skrivas ut: ${(e as Error).message}` }, 'misslyckades');
    }
    if (!manual) await this.planDrill();
  }

  // ---- what the admin area and the API call ----------------------------------------------------

  /** Validates input for a new or changed upgrade; throws ServiceError('invalid') with the reason. Stores nothing. */
  private validate(input: UpgradeInput, existing?: Upgrade): Omit<Upgrade, 'id' | 'createdAt' | 'createdBy' | 'updatedAt'> {
    const now = this.clock.now();
    const problems: string[] = [];
    const kind = input.kind ?? existing?.kind ?? 'upgrade';
    const parse = (field: 'start' | 'end', label: string): Date | undefined => {
      const text = input[field];
      if (text === undefined) return existing ? new Date(existing[field]) : (problems.push(`${label}: saknas.`), undefined);
      const d = parseDateTime(text, this.tz);
      if (!d) problems.push(`${label}: "${text}" är inte ett datum och en tid (ÅÅÅÅ-MM-DDTHH:MM).`);
      return d;
    };
    const start = parse('start', 'Början');
    const end = parse('end', 'Slutet');
    if (start && (input.start !== undefined || !existing) && start.getTime() <= now.getTime())
      problems.push(`Början: ${this.fmt(start)} har redan passerat.`);
    if (start && end && end.getTime() <= start.getTime()) problems.push('Slutet måste vara efter början.');
    if (end && end.getTime() <= now.getTime()) problems.push(`Slutet: ${this.fmt(end)} har redan passerat.`);
    if (start && end && end.getTime() - start.getTime() > 31 * 86_400_000) problems.push('Fönstret får vara högst 31 dagar.');
    if (start && start.getTime() - now.getTime() > 2 * 366 * 86_400_000) problems.push('Början får ligga högst två år fram i tiden.');
    const kitId = input.kit ?? (input.kind !== undefined || !existing ? this.cfg.kits[kind] : existing.kitId);
    if (!this.deps.catalog.kits.has(kitId))
      problems.push(`Kit: det finns inget kit "${kitId}" (finns: ${[...this.deps.catalog.kits.keys()].join(', ')}).`);
    if (problems.length) throw new ServiceError('invalid', problems.join(' '), { problems });
    return { kind, start: start!.toISOString(), end: end!.toISOString(), note: input.note ?? existing?.note ?? '', kitId };
  }

  /** `feed`: planned by the region's calendar (calendar-feed.ts), keyed by the event's UID. */
  async addUpgrade(input: UpgradeInput, actor = 'admin', opts: { feed?: FeedRef } = {}): Promise<UpgradeView> {
    const id = await this.enqueue(async () => {
      const fields = this.validate(input);
      const at = this.clock.now().toISOString();
      const u: Upgrade = { id: newId('u', this.clock.now().getTime()), ...fields, createdAt: at, createdBy: actor, updatedAt: at, ...(opts.feed ? { feed: opts.feed } : {}) };
      await this.state.addUpgrade(u, { at, actor, action: 'upgrade-added', detail: `${u.id}${u.feed ? ` (kalender ${u.feed.uid})` : ''} ${kindWords[u.kind]} ${this.fmt(u.start)}–${this.fmt(u.end)} (${u.kitId})${u.note ? `: ${u.note}` : ''}` });
      await this.planUpgrade(u);
      return u.id;
    });
    void this.enqueue(() => this.tick());
    return this.upgradeView(id)!;
  }

  /** `fromFeed`: the calendar feed moves its own upgrades; nobody else may change them. */
  async updateUpgrade(id: string, input: UpgradeInput, actor = 'admin', opts: { fromFeed?: FeedRef } = {}): Promise<UpgradeView> {
    await this.enqueue(async () => {
      const u = this.state.upgrade(id);
      if (!u) throw new ServiceError('not-found', 'Den planerade uppgraderingen finns inte (redan borttagen?).');
      this.guardFeed(u, opts.fromFeed, 'ändras');
      const fields = this.validate(input, u);
      const at = this.clock.now().toISOString();
      await this.state.updateUpgrade(u, { ...fields, updatedAt: at, ...(opts.fromFeed ? { feed: opts.fromFeed } : {}) }, (x) => ({ at, actor, action: 'upgrade-changed', detail: `${x.id} ${kindWords[x.kind]} ${this.fmt(x.start)}–${this.fmt(x.end)} (${x.kitId})${x.note ? `: ${x.note}` : ''}` }));
      await this.planUpgrade(u);
    });
    void this.enqueue(() => this.tick());
    return this.upgradeView(id)!;
  }

  /** Removes an upgrade; its run, if it has not printed yet, is canceled. */
  async removeUpgrade(id: string, actor = 'admin', opts: { fromFeed?: boolean } = {}): Promise<{ removed: Upgrade; canceledRuns: string[] }> {
    const r = await this.enqueue(async () => {
      const u = this.state.upgrade(id);
      if (!u) throw new ServiceError('not-found', 'Den planerade uppgraderingen finns inte (redan borttagen?).');
      this.guardFeed(u, opts.fromFeed ? u.feed : undefined, 'tas bort');
      const pending = this.runsOf(id).filter((x) => x.status === 'scheduled');
      const at = this.clock.now().toISOString();
      await this.state.removeUpgrade(
        u,
        pending,
        { status: 'canceled', finishedAt: at, message: opts.fromFeed ? 'Uppgraderingen ställdes in i regionens kalender.' : 'Uppgraderingen togs bort innan utskriften.' },
        { at, actor, action: 'upgrade-removed', detail: `${u.id} ${kindWords[u.kind]} ${this.fmt(u.start)}${pending.length ? `; körning ${pending.map((x) => x.id).join(', ')} struken` : ''}` },
      );
      return { removed: u, canceledRuns: pending.map((x) => x.id) };
    });
    void this.enqueue(async () => this.arm());
    return r;
  }

  /** Upgrades planned by the region's calendar feed (hidden ones included). */
  feedUpgrades(): Upgrade[] {
    return this.state.upgrades().filter((u) => u.feed);
  }

  /** The calendar feed's state, for the admin page and /api/schedule (set by calendar-feed.ts). */
  private calendarStatus: (() => CalendarStatus) | undefined;
  attachCalendar(status: () => CalendarStatus): void {
    this.calendarStatus = status;
  }
  calendarState(): CalendarStatus | null {
    return this.calendarStatus?.() ?? null;
  }

  /** An upgrade from the region's calendar changes only with the calendar (`feed` names it). */
  private guardFeed(u: Upgrade, feed: FeedRef | undefined, verb: string): void {
    if (u.feed && feed?.uid !== u.feed.uid)
      throw new ServiceError('conflict', `Uppgraderingen kommer från regionens kalender och kan inte ${verb} här. Den kan döljas för enheten (med en anledning).`);
    if (!u.feed && feed) throw new ServiceError('conflict', 'Uppgraderingen lades in för hand och ändras inte av kalendern.');
  }

  /**
   * Hides an upgrade from the region's calendar for this unit (it does not take part): its run is
   * canceled and the reason goes to the audit log. The feed still moves or cancels it; it stays hidden.
   */
  async hideUpgrade(id: string, reason: string, actor = 'admin'): Promise<UpgradeView> {
    const text = reason.trim();
    await this.enqueue(async () => {
      const u = this.state.upgrade(id);
      if (!u) throw new ServiceError('not-found', 'Den planerade uppgraderingen finns inte (redan borttagen?).');
      if (!u.feed) throw new ServiceError('conflict', 'Bara uppgraderingar från regionens kalender döljs; en som lagts in för hand tas bort i stället.');
      if (u.hidden) throw new ServiceError('conflict', 'Uppgraderingen är redan dold för enheten.');
      if (text.length < 3) throw new ServiceError('invalid', 'Anledning: skriv varför enheten inte deltar (minst 3 tecken).');
      const at = this.clock.now().toISOString();
      const pending = this.runsOf(id).filter((x) => x.status === 'scheduled');
      await this.state.updateUpgrade(u, { hidden: { at, by: actor, reason: text.slice(0, 500) } }, { at, actor, action: 'upgrade-hidden', detail: `${u.id} (kalender ${u.feed.uid}) ${kindWords[u.kind]} ${this.fmt(u.start)}: ${text}` });
      await this.state.updateRuns(pending, { status: 'canceled', finishedAt: at, message: `Dold för enheten: ${text}` });
    });
    void this.enqueue(async () => this.arm());
    return this.upgradeView(id)!;
  }

  /**
   * Shows a hidden upgrade from the region's calendar again (hidden by mistake, or the unit takes
   * part after all): it is planned as any other, so its kit prints before it (at once, late, when
   * its time has passed; not at all once it has begun). The audit log says who and when.
   */
  async showUpgrade(id: string, actor = 'admin'): Promise<UpgradeView> {
    await this.enqueue(async () => {
      const u = this.state.upgrade(id);
      if (!u) throw new ServiceError('not-found', 'Den planerade uppgraderingen finns inte (redan borttagen?).');
      if (!u.hidden) throw new ServiceError('conflict', 'Uppgraderingen är inte dold för enheten.');
      const at = this.clock.now().toISOString();
      await this.state.updateUpgrade(u, { hidden: undefined, updatedAt: at }, { at, actor, action: 'upgrade-shown', detail: `${u.id}${u.feed ? ` (kalender ${u.feed.uid})` : ''} ${kindWords[u.kind]} ${this.fmt(u.start)}: visas igen för enheten (dold ${this.fmt(u.hidden.at)} av ${u.hidden.by}: ${u.hidden.reason})` });
      await this.planUpgrade(u);
    });
    void this.enqueue(async () => this.arm());
    return this.upgradeView(id)!;
  }

  /** Runs a scheduled upgrade run now instead of at its time (the admin's "skriv ut nu"). */
  async runNow(runId: string, actor = 'admin'): Promise<RunView> {
    await this.enqueue(async () => {
      const run = this.state.run(runId);
      if (!run) throw new ServiceError('not-found', 'Körningen finns inte.');
      if (run.status !== 'scheduled') throw new ServiceError('conflict', `Körningen är inte planerad längre (${resultWords[this.result(run)]}).`);
      const at = this.clock.now().toISOString();
      await this.state.updateRuns([run], { dueAt: at, actor }, { at, actor, action: 'schedule-run-now', detail: `${run.id} ${run.title}` });
      await this.execute(run);
      if (run.kind === 'drill') await this.planDrill();
      this.arm();
    });
    return this.runView(this.state.run(runId)!);
  }

  /** Prints a readiness sheet now (not counted as the scheduled drill). */
  async drillNow(actor = 'admin'): Promise<RunView> {
    const id = await this.enqueue(async () => {
      const at = this.clock.now().toISOString();
      const run: ScheduleRun = { id: newId('drill', this.clock.now().getTime()), kind: 'drill', title: 'Beredskapskontroll (på begäran)', dueAt: at, status: 'scheduled', kitId: 'beredskapskontroll', createdAt: at, actor, late: false, batchIds: [], message: '', problems: [] };
      const stored = await this.state.addRun(run, { at, actor, action: 'drill-now', detail: run.id });
      await this.executeDrill(stored);
      return stored.id;
    });
    return this.runView(this.state.run(id)!);
  }

  /** Someone saw a failed or missed run: it stops being shown prominently. */
  async acknowledge(runId: string, actor: string): Promise<RunView> {
    const run = this.state.run(runId);
    if (!run) throw new ServiceError('not-found', 'Körningen finns inte.');
    if (run.status === 'scheduled' || run.status === 'running') throw new ServiceError('conflict', 'Körningen har inte körts än.');
    if (!run.acknowledgedAt) {
      const at = this.clock.now().toISOString();
      await this.state.updateRuns([run], { acknowledgedAt: at, acknowledgedBy: actor }, (r) => ({ at, actor, action: 'schedule-acknowledged', detail: `${r.id} ${r.title}: ${resultWords[this.result(r)]}` }));
    }
    return this.runView(run);
  }

  // ---- views ------------------------------------------------------------------------------------

  private batchState(b: Batch): BatchOutcome {
    return batchOutcome(this.store.jobsOf(b), b.notPrinted?.length ?? 0);
  }

  result(run: ScheduleRun): RunResult {
    if (run.status !== 'done') return run.status;
    // A part that could not be queued makes the run a failure at once, whatever the rest does.
    if (run.problems.length) return 'failed';
    const states = run.batchIds.map((id) => {
      const b = this.store.getBatch(id);
      return b ? this.batchState(b) : 'failed';
    });
    if (states.includes('printing')) return 'printing';
    return states.every((s) => s === 'completed') ? 'completed' : 'failed';
  }

  runView(run: ScheduleRun): RunView {
    const result = this.result(run);
    const batches = run.batchIds.map((id) => {
      const b = this.store.getBatch(id);
      return { id, title: b?.title ?? id, state: b ? this.batchState(b) : ('failed' as const) };
    });
    return {
      id: run.id,
      kind: run.kind,
      title: run.title,
      upgradeId: run.upgradeId ?? null,
      kit: run.kitId ?? null,
      validFor: run.validFor ?? null,
      dueAt: run.dueAt,
      status: run.status,
      result,
      resultText: resultWords[result],
      late: run.late,
      message: run.message,
      problems: run.problems,
      startedAt: run.startedAt ?? null,
      finishedAt: run.finishedAt ?? null,
      batches,
      needsAttention: (result === 'failed' || result === 'missed') && !run.acknowledgedAt,
      acknowledgedAt: run.acknowledgedAt ?? null,
      acknowledgedBy: run.acknowledgedBy ?? null,
    };
  }

  private upcomingRuns(): ScheduleRun[] {
    return this.state.runs().filter((r) => r.status === 'scheduled').sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  upgradeView(id: string): UpgradeView | undefined {
    const u = this.state.upgrade(id);
    if (!u) return undefined;
    const run = this.runsOf(id).filter((r) => r.status !== 'canceled').at(-1);
    return { ...u, kindText: kindWords[u.kind], kitName: this.deps.catalog.kits.get(u.kitId)?.name ?? u.kitId, run: run ? this.runView(run) : null };
  }

  /** Every run that ran, was missed or canceled, newest first (the admin page and metrics). */
  pastRunViews(): RunView[] {
    return this.state
      .runs()
      .filter((r) => r.status !== 'scheduled')
      .sort((a, b) => (b.finishedAt ?? b.startedAt ?? b.dueAt).localeCompare(a.finishedAt ?? a.startedAt ?? a.dueAt))
      .map((r) => this.runView(r));
  }

  view(pastLimit = 50): ScheduleView {
    const now = this.clock.now();
    const upcoming = this.upcomingRuns().map((r) => this.runView(r));
    const pastViews = this.pastRunViews();
    const past = pastViews.slice(0, pastLimit);
    const attention = pastViews.filter((r) => r.needsAttention);
    const upgrades = this.state
      .upgrades()
      .filter((u) => Date.parse(u.end) > now.getTime())
      .sort((a, b) => a.start.localeCompare(b.start))
      .map((u) => this.upgradeView(u.id)!);
    return {
      now: now.toISOString(),
      timezone: this.tz,
      upgrades,
      upcoming,
      past,
      next: upcoming[0] ?? null,
      last: past.find((r) => r.result !== 'canceled') ?? null,
      attention,
      drillCron: this.cfg.drill.cron.trim() || null,
      calendar: this.calendarState(),
    };
  }
}
