// The admin area's pages (mounted at /admin) and the start page's acknowledge form (mounted at
// /schedule). Every admin page but login and first PIN needs a live session; a form post is
// validated with zod, calls one service and redirects (303), or shows the form again with the
// reason (400) having stored nothing.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { AdminDeps } from '../http/admin-routes.js';
import { adminInitialsSchema, auditPage, auditQuery, lockedMessage } from '../http/admin-routes.js';
import { requestIdSchema } from '../http/api-routes.js';
import { adminActor, clearSessionCookie, mayChooseFirstPin, requireAdmin, sessionId, setSessionCookie, type AdminEnv } from '../http/admin-session.js';
import { upgradeKinds } from '../schedule/schedule-data.js';
import { addDays, formatMoment, localDate, parseLocalInput, toLocalInput } from '../domain/time.js';
import { ServiceError } from '../services/errors.js';
import { sendPage } from './layout.js';
import { AdminHome } from './pages/admin-home-page.js';
import { AuditPage } from './pages/admin-audit-page.js';
import { LoginPage, SetupPage } from './pages/admin-login-page.js';
import { UpgradePage } from './pages/admin-upgrade-page.js';
import type { UpgradeFormValues } from './pages/admin-parts.js';

const upgradeForm = z.object({
  kind: z.enum(upgradeKinds, { message: 'Välj typ.' }),
  start: z.string().max(40),
  end: z.string().max(40),
  kit: z.string().max(60).optional(),
  note: z.string().trim().max(500, 'Anteckningen får vara högst 500 tecken.').optional(),
});


/** Only a path inside the admin area may be a redirect target (no open redirect). */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(\/[A-Za-z0-9/_?=&.%-]*)?$/.test(next) && !next.startsWith('//') ? next : '/admin';
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function adminUiRoutes(deps: AppDeps, admin: AdminDeps) {
  const { config, catalog } = deps;
  const { auth, scheduler, prints } = admin;
  const unitName = config.unit.name;
  const tz = config.timezone;
  const ui = new Hono<AdminEnv>();
  const guard = requireAdmin(auth, { api: false });
  const kits = () => [...catalog.kits.values()].map((k) => ({ id: k.id, name: k.name }));

  /** A new upgrade's default: tomorrow 07:00–12:00 (the steppers start there; without script it is sent as is). */
  const emptyForm = (): UpgradeFormValues => {
    const day = addDays(localDate(scheduler.now(), tz), 1);
    return { kind: 'upgrade', start: `${day}T07:00`, end: `${day}T12:00`, kit: '', note: '' };
  };

  const leadText = () => {
    const n = config.schedule.leadTime.workingDaysBefore;
    return `${n === 1 ? 'arbetsdagen' : `${n} arbetsdagar`} före, kl. ${config.schedule.leadTime.at}`;
  };
  const listText = () =>
    config.schedule.receptionList.copies > 0
      ? `med ${config.schedule.receptionList.copies === 1 ? 'en mottagningslista' : `${config.schedule.receptionList.copies} mottagningslistor`} för dagen arbetet börjar.`
      : 'utan mottagningslista.';

  function home(c: Context<AdminEnv>, extra: { form?: UpgradeFormValues; formErrors?: readonly string[]; errors?: readonly string[]; done?: string } = {}, status: ContentfulStatusCode = 200) {
    return sendPage(
      c,
      <AdminHome
        unitName={unitName}
        actor={adminActor(c.get('adminSession'))}
        schedule={scheduler.view()}
        kits={kits()}
        leadText={leadText()}
        listText={listText()}
        pinSource={auth.pinSource()}
        requestId={randomUUID()}
        form={extra.form ?? emptyForm()}
        formErrors={extra.formErrors}
        errors={extra.errors}
        done={extra.done}
      />,
      status,
    );
  }

  const problemsOf = (e: unknown): string[] | undefined => {
    if (!(e instanceof ServiceError) || e.code !== 'invalid') return undefined;
    const details = e.details as { problems?: string[] } | undefined;
    return details?.problems ?? [e.message];
  };

  // Shown again after an error: a time the steppers cannot show falls back to the default.
  const stepperValue = (v: unknown, fallback: string) => (parseLocalInput(str(v)) ? str(v) : fallback);
  const formValues = (body: Record<string, unknown>): UpgradeFormValues => ({
    kind: str(body.kind) || 'upgrade',
    start: stepperValue(body.start, emptyForm().start),
    end: stepperValue(body.end, emptyForm().end),
    kit: str(body.kit),
    note: str(body.note),
  });

  // ---- log in, first PIN, log out ----

  ui.get('/login', (c) => {
    if (auth.pinSource() === 'unset') return sendPage(c, <SetupPage unitName={unitName} />);
    if (auth.session(sessionId(c))) return c.redirect(safeNext(c.req.query('next')), 303);
    const locked = auth.lockedUntil();
    return sendPage(c, <LoginPage unitName={unitName} next={safeNext(c.req.query('next'))} locked={!!locked} errors={locked ? [lockedMessage(locked.toISOString(), tz)] : undefined} />);
  });

  ui.post('/login', async (c) => {
    const body = await c.req.parseBody();
    const next = safeNext(body.next);
    const initials = adminInitialsSchema.safeParse(str(body.initials));
    if (!initials.success) return sendPage(c, <LoginPage unitName={unitName} next={next} errors={['Initialerna får bara innehålla bokstäver och siffror (högst 10).']} />, 400);
    const r = await auth.login(str(body.pin).slice(0, 64), initials.data || undefined);
    if (r.ok) {
      setSessionCookie(c, r.session);
      return c.redirect(next, 303);
    }
    if (r.reason === 'no-pin') return c.redirect('/admin/login', 303);
    if (r.reason === 'locked') return sendPage(c, <LoginPage unitName={unitName} next={next} locked errors={[lockedMessage(r.lockedUntil, tz)]} />, 429);
    return sendPage(c, <LoginPage unitName={unitName} next={next} errors={[`Fel PIN-kod. ${r.attemptsLeft} försök kvar innan inloggningen spärras.`]} />, 401);
  });

  ui.post('/setup', async (c) => {
    const allowed = mayChooseFirstPin(c, deps.config.server);
    if (!allowed.ok) throw new ServiceError('forbidden', allowed.message);
    const body = await c.req.parseBody();
    const pin = str(body.pin).slice(0, 64);
    if (pin !== str(body.confirm)) return sendPage(c, <SetupPage unitName={unitName} errors={['PIN-koderna var inte lika.']} />, 400);
    const r = await auth.setInitialPin(pin);
    if (!r.ok) return sendPage(c, <SetupPage unitName={unitName} errors={[r.message]} />, auth.pinSource() === 'unset' ? 400 : 409);
    setSessionCookie(c, r.session);
    return c.redirect('/admin', 303);
  });

  ui.post('/logout', (c) => {
    auth.logout(sessionId(c));
    clearSessionCookie(c);
    return c.redirect('/', 303);
  });

  // ---- the admin area ----

  ui.get('/', guard, (c) => {
    const added = scheduler.upgradeView(c.req.query('added') ?? '');
    const when = (iso: string) => formatMoment(iso, tz);
    return home(c, added ? { done: `${added.kindText} ${when(added.start)} är inlagd.${added.run ? ` Reservkitet skrivs ut ${when(added.run.dueAt)}.` : ''}` } : {});
  });

  ui.post('/upgrades', guard, async (c) => {
    const body = await c.req.parseBody();
    const form = formValues(body);
    const parsed = upgradeForm.safeParse(body);
    if (!parsed.success) return home(c, { form, formErrors: parsed.error.issues.map((i) => i.message) }, 400);
    try {
      const u = await scheduler.addUpgrade({ ...parsed.data, kit: parsed.data.kit || undefined }, adminActor(c.get('adminSession')));
      // Post/redirect/get: a reload does not add it twice.
      return c.redirect(`/admin?added=${encodeURIComponent(u.id)}`, 303);
    } catch (e) {
      const problems = problemsOf(e);
      if (!problems) throw e;
      return home(c, { form, formErrors: problems }, 400);
    }
  });

  const upgradeOr404 = (id: string) => {
    const u = scheduler.upgradeView(id);
    if (!u) throw new ServiceError('not-found', 'Den planerade uppgraderingen finns inte (redan borttagen?).');
    return u;
  };

  ui.get('/upgrades/:id', guard, (c) => {
    const u = upgradeOr404(c.req.param('id'));
    const form: UpgradeFormValues = { kind: u.kind, start: toLocalInput(new Date(u.start), tz), end: toLocalInput(new Date(u.end), tz), kit: u.kitId, note: u.note };
    return sendPage(c, <UpgradePage unitName={unitName} upgrade={u} timeZone={tz} kits={kits()} form={form} />);
  });

  ui.post('/upgrades/:id', guard, async (c) => {
    const u = upgradeOr404(c.req.param('id'));
    const body = await c.req.parseBody();
    const form = formValues(body);
    const parsed = upgradeForm.safeParse(body);
    const again = (errors: string[]) => sendPage(c, <UpgradePage unitName={unitName} upgrade={u} timeZone={tz} kits={kits()} form={form} errors={errors} />, 400);
    if (!parsed.success) return again(parsed.error.issues.map((i) => i.message));
    // Unchanged times are not sent again: an upgrade under way can still get a new end or note.
    const input = {
      kind: parsed.data.kind,
      kit: parsed.data.kit || undefined,
      note: parsed.data.note ?? '',
      start: parsed.data.start === toLocalInput(new Date(u.start), tz) ? undefined : parsed.data.start,
      end: parsed.data.end === toLocalInput(new Date(u.end), tz) ? undefined : parsed.data.end,
    };
    try {
      await scheduler.updateUpgrade(u.id, input, adminActor(c.get('adminSession')));
    } catch (e) {
      const problems = problemsOf(e);
      if (!problems) throw e;
      return again(problems);
    }
    return c.redirect('/admin', 303);
  });

  // An upgrade from the region's calendar is only hidden for this unit, with a reason (audit log).
  ui.post('/upgrades/:id/hide', guard, async (c) => {
    const body = await c.req.parseBody();
    try {
      await scheduler.hideUpgrade(c.req.param('id'), str(body.reason), adminActor(c.get('adminSession')));
    } catch (e) {
      const problems = problemsOf(e);
      if (!problems) throw e;
      return home(c, { errors: problems }, 400);
    }
    return c.redirect('/admin', 303);
  });

  // A hidden upgrade shown again (hidden by mistake): planned as any other from then on.
  ui.post('/upgrades/:id/show', guard, async (c) => {
    try {
      await scheduler.showUpgrade(c.req.param('id'), adminActor(c.get('adminSession')));
    } catch (e) {
      const problems = problemsOf(e);
      if (!problems) throw e;
      return home(c, { errors: problems }, 409);
    }
    return c.redirect('/admin', 303);
  });

  ui.post('/upgrades/:id/remove', guard, async (c) => {
    await scheduler.removeUpgrade(c.req.param('id'), adminActor(c.get('adminSession')));
    return c.redirect('/admin', 303);
  });

  ui.post('/runs/:id/run-now', guard, async (c) => {
    const run = await scheduler.runNow(c.req.param('id'), adminActor(c.get('adminSession')));
    const first = run.batches[0];
    return c.redirect(first ? `/batches/${encodeURIComponent(first.id)}` : '/admin', 303);
  });

  ui.post('/kits/print', guard, async (c) => {
    const body = await c.req.parseBody();
    const rid = requestIdSchema.safeParse(body.requestId);
    if (!rid.success) return home(c, { errors: ['Sidan var inaktuell. Försök igen.'] }, 400);
    const r = await deps.printService.printKit(str(body.kit), { requestId: rid.data, actor: adminActor(c.get('adminSession')), confirmRepeat: true });
    return c.redirect(`/batches/${encodeURIComponent(r.batch.id)}`, 303);
  });

  ui.post('/test-pages', guard, async (c) => {
    const r = await prints.printTestPages({ actor: adminActor(c.get('adminSession')) });
    return c.redirect(`/batches/${encodeURIComponent(r.batch.id)}`, 303);
  });

  ui.post('/drill', guard, async (c) => {
    const run = await scheduler.drillNow(adminActor(c.get('adminSession')));
    const first = run.batches[0];
    return first ? c.redirect(`/batches/${encodeURIComponent(first.id)}`, 303) : home(c, { errors: [run.message || 'Beredskapsbladet kunde inte skrivas ut.'] }, 503);
  });

  ui.post('/pin', guard, async (c) => {
    const body = await c.req.parseBody();
    const r = await auth.changePin(str(body.current).slice(0, 64), str(body.next).slice(0, 64));
    if (!r.ok) return home(c, { errors: [r.message] }, 400);
    // Changing the PIN ends every session, this one too.
    clearSessionCookie(c);
    return c.redirect('/admin/login', 303);
  });

  ui.get('/audit', guard, (c) => {
    const parsed = auditQuery.safeParse(c.req.query());
    if (!parsed.success) throw new ServiceError('invalid', 'Ogiltig sökning.');
    const page = auditPage(deps.store.auditLog.all(), parsed.data);
    return sendPage(c, <AuditPage unitName={unitName} timeZone={tz} entries={page.entries} total={page.total} offset={parsed.data.offset} limit={parsed.data.limit} q={parsed.data.q} warning={deps.store.auditLog.warning()} />);
  });

  return ui;
}

/** The start page's "Jag har sett det" for a failed or missed scheduled run (anyone may). */
export function scheduleUiRoutes(_deps: AppDeps, admin: AdminDeps) {
  const ui = new Hono();
  ui.post('/runs/:id/acknowledge', async (c) => {
    const body = await c.req.parseBody();
    const actor = adminInitialsSchema.safeParse(str(body.actor));
    if (!actor.success) throw new ServiceError('invalid', 'Initialerna får bara innehålla bokstäver och siffror (högst 10).');
    await admin.scheduler.acknowledge(c.req.param('id'), actor.data || 'personal');
    return c.redirect('/', 303);
  });
  return ui;
}
