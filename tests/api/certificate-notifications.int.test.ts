import { until } from '../support/wait.js';
import type { Job } from 'bullmq';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpSettings, parseConfig } from '@gmao/config';
import { parisDay } from '@gmao/domain';
import { startWorkers, type RunningWorkers } from '@gmao/worker';
import { createTestContext, login, type Session, type TestContext } from '../support/app.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

/**
 * The expiring-certificate notifications (issue 14, ADR 0021): certificates set through the
 * API → the `certificate-expiry` job through the real queue and worker → notifications in the
 * app for the holder, the territory's engineers and the holder's site manager, and emails
 * received by a real SMTP server. Exactly once per (person, skill, expiry date, milestone):
 * run again, or twice at once, tells nobody twice; a renewed certificate is told again.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let ctx: TestContext;
let smtp: TestSmtpServer;
let ids: Awaited<ReturnType<typeof demoIds>>;
let engineer: Session;
let holder: Session;
let manager: Session;
/** Everyone told of the holder's certificates: the holder, the territory's engineers, the CH1's site manager. */
let recipients: string[];
let teamRecipients: string[];
let skills: { elec: string; tdm: string; later: string };
let foreignEngineer: string;
const DAY = 24 * 3600_000;
const inDays = (n: number) => parisDay(new Date(Date.now() + n * DAY));

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const put = (s: Session, url: string, payload: object) => ctx.app.inject({ method: 'PUT', url, payload, headers: s.auth });

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestContext();
  const db = ctx.database.db;
  ids = await demoIds(db);
  [engineer, holder, manager] = await Promise.all([
    login(ctx.app, 'ingenieur@ght-demo.fr'), login(ctx.app, 'tech.ch1@ght-demo.fr'), login(ctx.app, 'responsable.ch1@ght-demo.fr'),
  ]);
  // Only this file's certificates: the demo map's are cleared.
  await sql`update user_skills set certificate_expires_at = null`.execute(db);
  const code = async (c: string) => (await db.selectFrom('skills').select('id').where('code', '=', c).where('territoryId', '=', ids.territoryId).executeTakeFirstOrThrow()).id;
  skills = { elec: await code('ELEC-62353'), tdm: await code('MAINT-IMAG-TDM'), later: await code('QUAL-AUDIT') };
  const set = async (skillId: string, certificateExpiresAt: string) => {
    const res = await put(engineer, `/api/v1/users/${holder.userId}/skills/${skillId}`, { level: 'confirmed', certificateExpiresAt });
    expect(res.statusCode, res.body).toBe(200);
  };
  await set(skills.elec, inDays(-3)); // expired: milestone 0
  await set(skills.tdm, inDays(20)); // milestone 30
  await set(skills.later, inDays(120)); // nothing yet
  const engineers = await db.selectFrom('users as u').innerJoin('roleGrants as g', 'g.userId', 'u.id')
    .select('u.email').distinct().where('g.role', '=', 'engineer').where('u.territoryId', '=', ids.territoryId).where('u.active', '=', true).execute();
  expect(engineers.length).toBeGreaterThanOrEqual(2);
  teamRecipients = [...engineers.map((e) => e.email), 'responsable.ch1@ght-demo.fr'].sort();
  recipients = [...teamRecipients, 'tech.ch1@ght-demo.fr'].sort();
  // Another territory's engineer is never told.
  const other = await otherTerritory(db);
  await db.insertInto('roleGrants').values({ territoryId: other.territoryId, userId: other.userId, siteId: other.siteId, role: 'engineer' }).execute();
  foreignEngineer = other.userId;
});
afterAll(async () => {
  await ctx?.close();
  await smtp?.close();
});

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

async function withWorkers<T>(count: number, run: () => Promise<T>): Promise<T> {
  const config = parseConfig({ SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), SMTP_FROM: 'GMAO GHT <gmao@ght-demo.fr>' });
  const started: RunningWorkers[] = [];
  try {
    for (let i = 0; i < count; i++) {
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
const expiry = async () => finished(await ctx.queues.get('maintenance').add('certificate-expiry', {}));

const rows = () => ctx.database.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.userId')
  .select(['u.email', 'n.kind', 'n.emailState', 'n.payload']).orderBy('u.email').orderBy('n.number').execute();

describe('the certificate-expiry job', () => {
  it('tells the holder, the territory’s engineers and the holder’s site manager through the queue, in the app and by email', async () => {
    const result = await withWorkers(1, expiry);
    expect(result).toMatchObject({ day: parisDay(new Date()), milestones: 2, notified: recipients.length, sent: recipients.length, failed: 0 });
    const all = await rows();
    expect(all.map((r) => r.email)).toEqual(recipients);
    expect(all.every((r) => r.emailState === 'sent')).toBe(true);
    expect(all.find((r) => r.email === 'tech.ch1@ght-demo.fr')?.kind).toBe('certificate_expiring');
    expect(all.filter((r) => r.kind === 'certificates_expiring_team').map((r) => r.email)).toEqual(teamRecipients);
    expect(await ctx.database.db.selectFrom('notifications').select('id').where('userId', '=', foreignEngineer).execute()).toEqual([]);

    // In the app: the holder's own, expired first, with a link to their skill sheet.
    const mine = (await get(holder, '/api/v1/notifications')).json();
    expect(mine.unreadCount).toBe(1);
    expect(mine.items[0]).toMatchObject({ kind: 'certificate_expiring', link: `/competency/people/${holder.userId}`, items: [], overdueCount: 0 });
    expect(mine.items[0].certificates.map((c: Json) => [c.skillId, c.certificateExpiresAt, c.daysLeft, c.milestone])).toEqual([
      [skills.elec, inDays(-3), -3, 0],
      [skills.tdm, inDays(20), 20, 30],
    ]);
    const team = (await get(manager, '/api/v1/notifications')).json().items[0];
    expect(team).toMatchObject({ kind: 'certificates_expiring_team', link: '/competency/coverage' });
    expect(team.certificates.map((c: Json) => [c.userId, c.name])).toEqual([[holder.userId, 'Camille Technicienne'], [holder.userId, 'Camille Technicienne']]);

    // By email (French).
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(recipients);
    const toHolder = smtp.received.find((m) => m.to.includes('tech.ch1@ght-demo.fr'))!;
    expect(toHolder.subject).toMatch(/^GMAO — 2 de vos certificats expirent bientôt \(\d{2}\/\d{2}\/\d{4}\)$/);
    expect(toHolder.text).toContain('Bonjour Camille Technicienne,');
    expect(toHolder.text).toContain(`expiré le ${inDays(-3).split('-').reverse().join('/')}`);
    expect(toHolder.text).toContain('(dans 20 jours)');
    expect(toHolder.text).toContain(`https://gmao.ght-demo.fr/competency/people/${holder.userId}`);
    const toEngineer = smtp.received.find((m) => m.to.includes('ingenieur@ght-demo.fr'))!;
    expect(toEngineer.subject).toMatch(/^GMAO — 2 certificats de l’équipe expirent bientôt/);
    expect(toEngineer.text).toContain('Camille Technicienne — ');
  });

  it('tells nobody twice when the job runs again, or twice at once', async () => {
    const again = await withWorkers(2, async () => {
      const queue = ctx.queues.get('maintenance');
      const jobs = await Promise.all([queue.add('certificate-expiry', {}), queue.add('certificate-expiry', {})]);
      return Promise.all(jobs.map(finished));
    });
    expect(again.map((r) => [r.milestones, r.notified, r.sent])).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(await rows()).toHaveLength(recipients.length);
    expect(smtp.received).toHaveLength(recipients.length);
  });

  it('tells a renewed certificate again (a new expiry date re-arms its milestones), once', async () => {
    smtp.received.length = 0;
    const res = await put(engineer, `/api/v1/users/${holder.userId}/skills/${skills.elec}`, { level: 'confirmed', certificateExpiresAt: inDays(60) });
    expect(res.statusCode, res.body).toBe(200);
    const results = await withWorkers(2, async () => {
      const queue = ctx.queues.get('maintenance');
      const jobs = await Promise.all([queue.add('certificate-expiry', {}), queue.add('certificate-expiry', {})]);
      return Promise.all(jobs.map(finished));
    });
    expect(results.reduce((n, r) => n + r.milestones, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.notified, 0)).toBe(recipients.length);
    const mine = (await get(holder, '/api/v1/notifications')).json();
    expect(mine.items).toHaveLength(2);
    expect(mine.items[0].certificates.map((c: Json) => [c.skillId, c.certificateExpiresAt, c.milestone])).toEqual([[skills.elec, inDays(60), 90]]);
    await until('the emails of the renewal', async () => smtp.received.length >= recipients.length);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(recipients);
    const milestones = await ctx.database.db.selectFrom('certificateMilestones').select(['skillId', 'certificateExpiresAt', 'milestone'])
      .where('userId', '=', holder.userId).orderBy('certificateExpiresAt').execute();
    expect(milestones.map((m) => [m.skillId, m.certificateExpiresAt, m.milestone])).toEqual([
      [skills.elec, inDays(-3), 0], [skills.tdm, inDays(20), 30], [skills.elec, inDays(60), 90],
    ]);
    expect((await withWorkers(1, expiry))).toMatchObject({ milestones: 0, notified: 0 });
  });
});
