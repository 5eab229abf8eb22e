import { until } from '../support/wait.js';
import type { Job } from 'bullmq';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpSettings, parseConfig } from '@gmao/config';
import { createDailyDigests } from '@gmao/db';
import { startWorkers, type RunningWorkers } from '@gmao/worker';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

/**
 * The daily notification digest (issue 13, ADR 0017): API-created work orders → the
 * `notification-digest` job through the real queue and worker → notifications in the app and
 * emails received by a real SMTP server started in this process. Exactly once when the job
 * runs twice or concurrently; in the app only without SMTP; a refused email is `failed` then
 * sent by the next run. Then the list / unread / read API and its rights.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let ctx: TestContext;
let smtp: TestSmtpServer;
let ids: Awaited<ReturnType<typeof demoIds>>;
let engineer: Session;
let techChu: Session;
let techCh1: Session;
const wo: Record<string, Json> = {};
const DAY = 24 * 3600_000;
/** Who gets a digest: the technician assigned to the due work, and the CHU's two engineers (overdue regulatory work). */
const RECIPIENTS = ['ingenieur@ght-demo.fr', 'julien.moreau@ght-demo.fr', 'tech.chu@ght-demo.fr'];

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestContext();
  const db = ctx.database.db;
  ids = await demoIds(db);
  [engineer, techChu, techCh1] = await Promise.all([
    login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'tech.chu@ght-demo.fr'), login(ctx.app, 'tech.ch1@ght-demo.fr'),
  ]);
  // Only this file's work orders are due: the template's (if any) get no due date.
  await sql`update work_orders set due_repair_at = null, due_response_at = null`.execute(db);
  const devices = (await get(engineer, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=10`)).json().items as Json[];
  expect(devices.length).toBeGreaterThanOrEqual(3);
  const [plain, withObligation, other] = devices as [Json, Json, Json];
  await db.updateTable('equipment').set({ maintenanceObligation: false }).where('id', 'in', [plain.id, other.id]).execute();
  await db.updateTable('equipment').set({ maintenanceObligation: true }).where('id', '=', withObligation.id).execute();
  const create = async (key: string, body: Json, dueInDays: number) => {
    const res = await post(engineer, '/api/v1/work-orders', { ...body, dueAt: new Date(Date.now() + Math.max(dueInDays, 1) * DAY).toISOString() });
    expect(res.statusCode, res.body).toBe(201);
    wo[key] = res.json();
    // Past due dates cannot be given through the API: set them as time would.
    await db.updateTable('workOrders').set({ dueRepairAt: new Date(Date.now() + dueInDays * DAY) }).where('id', '=', wo[key]!.id).execute();
  };
  const tech = [ids.user('tech.chu@ght-demo.fr')];
  await create('correctiveOverdue', { equipmentId: plain.id, type: 'corrective', description: 'Alarme batterie faible', assigneeIds: tech }, -2);
  await create('safetyOverdue', { equipmentId: other.id, type: 'electrical_safety', description: 'Contrôle de sécurité électrique annuel', assigneeIds: tech }, -1);
  await create('qcSoon', { equipmentId: plain.id, type: 'quality_control', description: 'Contrôle qualité interne', assigneeIds: tech }, 3);
  await create('preventiveOverdue', { equipmentId: withObligation.id, type: 'preventive', description: 'Maintenance préventive obligatoire' }, -5);
  await create('correctiveLater', { equipmentId: plain.id, type: 'corrective', description: 'Remplacer le capot', assigneeIds: tech }, 20);
  await create('preventivePlain', { equipmentId: other.id, type: 'preventive', description: 'Maintenance préventive conseillée' }, -3);
  // Past due but done or cancelled: in no digest.
  await create('doneOverdue', { equipmentId: other.id, type: 'electrical_safety', description: 'Contrôle déjà fait', assigneeIds: tech }, -4);
  await create('cancelledOverdue', { equipmentId: plain.id, type: 'quality_control', description: 'Contrôle annulé', assigneeIds: tech }, -4);
  await db.updateTable('workOrders').set({ state: 'completed', completedAt: new Date() }).where('id', '=', wo.doneOverdue!.id).execute();
  await db.updateTable('workOrders').set({ state: 'cancelled', cancelReason: 'Doublon' }).where('id', '=', wo.cancelledOverdue!.id).execute();
});
afterAll(async () => {
  await ctx?.close();
  await smtp?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const post = (s: Session, url: string, payload?: object) => ctx.app.inject({ method: 'POST', url, payload, headers: s.auth });


/** Waits until the job has completed; its result. */
async function finished(job: Job | string): Promise<Json> {
  const queue = ctx.queues.get('maintenance');
  const id = typeof job === 'string' ? job : job.id!;
  await until(`job ${id} completed`, async () => {
    const state = await queue.getJobState(id);
    if (state === 'failed') throw new Error(`job ${id} failed: ${(await queue.getJob(id))?.failedReason}`);
    return state === 'completed';
  });
  return (await queue.getJob(id))!.returnvalue as Json;
}

/** The in-process workers of one scenario: with the test SMTP server, or without SMTP. */
async function withWorkers<T>(opts: { smtp: boolean; count?: number }, run: () => Promise<T>): Promise<T> {
  const config = parseConfig(opts.smtp ? { SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), SMTP_FROM: 'GMAO GHT <gmao@ght-demo.fr>' } : {});
  const started: RunningWorkers[] = [];
  try {
    for (let i = 0; i < (opts.count ?? 1); i++) {
      started.push(await startWorkers({
        db: ctx.database.db, redisUrl: ctx.redisUrl, prefix: ctx.prefix, logger: pino({ level: 'silent' }), schedule: false,
        notifications: { dueSoonDays: 7, smtp: smtpSettings(config), publicUrl: 'https://gmao.ght-demo.fr' },
      }));
    }
    return await run();
  } finally {
    for (const w of started) await w.close();
  }
}

/** As the daily schedule enqueues it. */
const digest = async () => finished(await ctx.queues.get('maintenance').add('notification-digest', {}));

const notificationRows = () =>
  ctx.database.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.userId')
    .select(['n.id', 'u.email', 'n.kind', 'n.emailState', 'n.emailAttempts', 'n.emailError', 'n.digestDay']).orderBy('u.email').execute();
const forget = async () => {
  await ctx.database.db.deleteFrom('notifications').execute();
  smtp.received.length = 0;
};

describe('the daily digest', () => {
  it('is in the app only when SMTP is not configured (email state disabled, nothing sent)', async () => {
    const result = await withWorkers({ smtp: false }, digest);
    expect(result).toMatchObject({ created: 3, sent: 0, failed: 0 });
    const rows = await notificationRows();
    expect(rows.map((r) => [r.email, r.kind, r.emailState])).toEqual([
      ['ingenieur@ght-demo.fr', 'digest_engineer', 'disabled'],
      ['julien.moreau@ght-demo.fr', 'digest_engineer', 'disabled'],
      ['tech.chu@ght-demo.fr', 'digest_technician', 'disabled'],
    ]);
    const list = (await get(techChu, '/api/v1/notifications')).json();
    expect(list.unreadCount).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received).toEqual([]);
    await forget();
  });

  it('goes through the queue and the worker to the app and to the SMTP server: technicians get their due and overdue work, engineers the overdue regulatory work', async () => {
    const result = await withWorkers({ smtp: true }, digest);
    expect(result).toMatchObject({ created: 3, sent: 3, failed: 0 });
    expect(result.digestDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // In the app: the technician's digest, overdue first then due soon; nothing due later.
    const techList = (await get(techChu, '/api/v1/notifications')).json();
    expect(techList.unreadCount).toBe(1);
    const techDigest = techList.items[0];
    expect(techDigest).toMatchObject({ kind: 'digest_technician', overdueCount: 2, dueSoonCount: 1, dueSoonDays: 7, link: '/work-orders/mine', readAt: null, emailState: 'sent' });
    expect(techDigest.items.map((i: Json) => [i.number, i.overdue, i.regulatory])).toEqual([
      [wo.correctiveOverdue!.number, true, false],
      [wo.safetyOverdue!.number, true, true],
      [wo.qcSoon!.number, false, true],
    ]);
    // The engineer's: the overdue regulatory work of the sites (electrical safety, preventive with the maintenance obligation).
    const engDigest = (await get(engineer, '/api/v1/notifications')).json().items[0];
    expect(engDigest).toMatchObject({ kind: 'digest_engineer', overdueCount: 2, dueSoonCount: 0, link: '/work-orders?siteId=all&overdue=1' });
    expect(engDigest.items.map((i: Json) => i.number)).toEqual([wo.preventiveOverdue!.number, wo.safetyOverdue!.number]);
    // Nothing to say: no notification.
    expect((await get(techCh1, '/api/v1/notifications')).json()).toEqual({ items: [], nextCursor: null, unreadCount: 0 });

    // By email, as the SMTP server received them.
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(RECIPIENTS);
    const toTech = smtp.received.find((m) => m.to.includes('tech.chu@ght-demo.fr'))!;
    expect(toTech.to).toEqual(['tech.chu@ght-demo.fr']);
    expect(toTech.from).toBe('gmao@ght-demo.fr');
    expect(toTech.subject).toMatch(/^GMAO — vos bons de travail : 2 en retard, 1 à échéance \(\d{2}\/\d{2}\/\d{4}\)$/);
    expect(toTech.text).toContain('Bonjour Thomas Technicien,');
    for (const key of ['correctiveOverdue', 'safetyOverdue', 'qcSoon']) {
      expect(toTech.text).toContain(wo[key]!.number);
      expect(toTech.html).toContain(`https://gmao.ght-demo.fr/work-orders/${wo[key]!.id}`);
    }
    expect(toTech.text).not.toContain(wo.correctiveLater!.number);
    expect(toTech.text).toContain('Sécurité électrique (réglementaire)');
    const toEngineer = smtp.received.find((m) => m.to.includes('ingenieur@ght-demo.fr'))!;
    expect(toEngineer.subject).toMatch(/^GMAO — 2 interventions réglementaires en retard/);
    expect(toEngineer.text).toContain(wo.preventiveOverdue!.number);
    expect(toEngineer.text).toContain(wo.safetyOverdue!.number);
    expect(toEngineer.text).not.toContain(wo.correctiveOverdue!.number);
    expect(toEngineer.text).not.toContain(wo.preventivePlain!.number);
  });

  it('creates and sends nothing twice when the job runs again, or twice at once', async () => {
    const again = await withWorkers({ smtp: true, count: 2 }, async () => {
      const queue = ctx.queues.get('maintenance');
      const jobs = await Promise.all([queue.add('notification-digest', {}), queue.add('notification-digest', {})]);
      return Promise.all(jobs.map(finished));
    });
    expect(again.map((r) => [r.created, r.sent])).toEqual([[0, 0], [0, 0]]);
    expect(smtp.received).toHaveLength(3);
    expect(await notificationRows()).toHaveLength(3);
  });

  it('makes each digest and sends each email exactly once when three runs of a new day start together', async () => {
    await forget();
    const results = await withWorkers({ smtp: true, count: 3 }, async () => {
      const queue = ctx.queues.get('maintenance');
      const jobs = await Promise.all([1, 2, 3].map(() => queue.add('notification-digest', {})));
      return Promise.all(jobs.map(finished));
    });
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(3);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(3);
    const rows = await notificationRows();
    expect(rows.map((r) => [r.email, r.emailState, r.emailAttempts])).toEqual(RECIPIENTS.map((email) => [email, 'sent', 1]));
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(RECIPIENTS);
  });

  it('marks an email refused by the SMTP server failed, and sends it at the next run', async () => {
    await forget();
    smtp.behave({ mode: 'refuse' });
    const first = await withWorkers({ smtp: true }, digest);
    expect(first).toMatchObject({ created: 3, sent: 0, failed: 3 });
    const failed = await notificationRows();
    for (const r of failed) {
      expect(r.emailState).toBe('failed');
      expect(r.emailAttempts).toBe(1);
      expect(r.emailError).toMatch(/451/);
    }
    expect((await get(techChu, '/api/v1/notifications')).json().items[0].emailState).toBe('failed');
    expect(smtp.received).toEqual([]);

    smtp.behave({ mode: 'accept' });
    const next = await withWorkers({ smtp: true }, digest);
    expect(next).toMatchObject({ created: 0, sent: 3, failed: 0 });
    expect((await notificationRows()).map((r) => [r.emailState, r.emailAttempts, r.emailError])).toEqual(RECIPIENTS.map(() => ['sent', 2, null]));
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(RECIPIENTS);
  });
});

describe('the digest day', () => {
  it('is the Europe/Paris day: 22:30 UTC on 30 June is already 1 July in Paris', async () => {
    // Nothing of this file is due by those dates: no digest, only the day.
    const r = await createDailyDigests(ctx.database.db, { now: new Date('2026-06-30T22:30:00Z'), dueSoonDays: 7, emailEnabled: false });
    expect(r).toEqual({ digestDay: '2026-07-01', created: 0 });
    expect((await createDailyDigests(ctx.database.db, { now: new Date('2025-12-31T22:59:00Z'), dueSoonDays: 7, emailEnabled: false })).digestDay).toBe('2025-12-31');
  });
});

describe('the notifications API', () => {
  let older: Json;
  beforeAll(async () => {
    // One more (older) digest of the technician, made yesterday, unread.
    const yesterday = new Date(Date.now() - DAY);
    const row = await ctx.database.db.insertInto('notifications').values({
      territoryId: ids.territoryId, userId: ids.user('tech.chu@ght-demo.fr'), kind: 'digest_technician',
      digestDay: sql<string>`(${yesterday.toISOString()}::timestamptz at time zone 'Europe/Paris')::date`,
      payload: JSON.stringify({ overdueCount: 1, dueSoonCount: 0, dueSoonDays: 7, items: [] }), link: '/work-orders/mine',
      emailState: 'sent', emailSentAt: yesterday, createdAt: yesterday,
    }).returning('id').executeTakeFirstOrThrow();
    older = row;
    // Made before today's: today's get numbers after it (the list's order is the insertion order).
    await sql`update notifications set number = default where id <> ${older.id}`.execute(ctx.database.db);
  });

  it('lists the signed-in user’s notifications, newest first, a page at a time, with the unread count', async () => {
    const first = (await get(techChu, '/api/v1/notifications?limit=1')).json();
    expect(first.unreadCount).toBe(2);
    expect(first.items).toHaveLength(1);
    expect(first.items[0].kind).toBe('digest_technician');
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await get(techChu, `/api/v1/notifications?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((n: Json) => n.id)).toEqual([older.id]);
    expect(second.nextCursor).toBeNull();
    expect((await get(techChu, '/api/v1/notifications?cursor=abc')).statusCode).toBe(400);
  });

  it('marks one read (404 for another user’s), then all; unread=true lists the unread ones', async () => {
    const mine = (await get(techChu, '/api/v1/notifications')).json().items as Json[];
    const engineers = (await get(engineer, '/api/v1/notifications')).json().items as Json[];
    const notMine = await post(techChu, `/api/v1/notifications/${engineers[0]!.id}/read`);
    expect(notMine.statusCode).toBe(404);
    expect(problemOf(notMine).code).toBe('not_found');
    expect((await get(engineer, '/api/v1/notifications')).json().unreadCount).toBe(1);

    const read = await post(techChu, `/api/v1/notifications/${mine[0]!.id}/read`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().readAt).toEqual(expect.any(String));
    // Read again: the first reading's time stays.
    expect((await post(techChu, `/api/v1/notifications/${mine[0]!.id}/read`)).json().readAt).toBe(read.json().readAt);
    const unread = (await get(techChu, '/api/v1/notifications?unread=true')).json();
    expect(unread.unreadCount).toBe(1);
    expect(unread.items.map((n: Json) => n.id)).toEqual([older.id]);

    const all = await post(techChu, '/api/v1/notifications/read-all');
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json()).toEqual({ marked: 1, unreadCount: 0 });
    expect((await get(techChu, '/api/v1/notifications?unread=true')).json()).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    // The engineer's are untouched.
    expect((await get(engineer, '/api/v1/notifications')).json().unreadCount).toBe(1);
  });

  it('needs a session and shows nothing across territories', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/notifications/read-all' })).statusCode).toBe(401);
    await otherTerritory(ctx.database.db);
    const neighbour = await login(ctx.app, 'admin@ght-voisin.fr', 'Voisin!2026-secret');
    expect((await get(neighbour, '/api/v1/notifications')).json()).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    const engineers = (await get(engineer, '/api/v1/notifications')).json().items as Json[];
    expect((await post(neighbour, `/api/v1/notifications/${engineers[0]!.id}/read`)).statusCode).toBe(404);
    expect((await post(neighbour, '/api/v1/notifications/read-all')).json()).toEqual({ marked: 0, unreadCount: 0 });
  });
});
