import { until } from '../support/wait.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { exitOf, startProcess } from '../support/processes.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

/**
 * The certificate-expiry job with the worker process killed in the middle of it (as the
 * digest's kill test): its notifications made, five emails accepted by the SMTP server, the
 * sixth being delivered. The next run crosses no milestone again and sends the emails not yet
 * accepted: every milestone and notification exists once, every email is received once.
 */
let ctx: TestContext;
let smtp: TestSmtpServer;
const HOLDERS = 12;

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
  await smtp?.close();
});

describe('certificate-expiry: worker killed mid-run', () => {
  it('tells every milestone once and loses no email when the worker is killed while sending, then run again', async () => {
    const db = ctx.database.db;
    const ids = await demoIds(db);
    const chu = ids.site('CHU');
    await sql`update user_skills set certificate_expires_at = null`.execute(db);
    const skill = await db.selectFrom('skills').select('id').where('code', '=', 'ELEC-62353').where('territoryId', '=', ids.territoryId).executeTakeFirstOrThrow();
    // 12 technicians of the CHU, each with a certificate expiring in 10 days (milestone 30).
    await sql`
      with t as (
        insert into users (territory_id, email, full_name, home_site_id, password_hash)
        select ${ids.territoryId}, 'kill.cert' || n || '@ght-demo.fr', 'Certifié ' || n, ${chu}, 'not-a-hash'
          from generate_series(1, ${HOLDERS}) as n
        returning id),
      g as (insert into role_grants (territory_id, user_id, site_id, role) select ${ids.territoryId}, t.id, ${chu}, 'technician' from t)
      insert into user_skills (territory_id, user_id, skill_id, level, validated, certificate_expires_at, proposed_by, updated_by)
      select ${ids.territoryId}, t.id, ${skill.id}, 'confirmed', false, current_date + 10, t.id, t.id from t`.execute(db);

    const env = {
      DATABASE_URL: ctx.deps.config.DATABASE_URL!, REDIS_URL: ctx.redisUrl, QUEUE_PREFIX: ctx.prefix, LOG_LEVEL: 'info',
      SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), SMTP_FROM: 'gmao@ght-demo.fr',
    };
    smtp.behave({ mode: 'stall', acceptBefore: 5 });
    const worker = startProcess('apps/worker/src/main.ts', env);
    await worker.waitFor(/worker started/);
    const queue = ctx.queues.get('maintenance');
    await queue.add('certificate-expiry', {});
    await until('the sixth email is being delivered', async () => smtp.stalled() === 1);
    const count = async () => (await sql<{ n: number }>`select count(*)::int as n from notifications`.execute(db)).rows[0]!.n;
    const made = await count();
    // The holders' own, and the team's (engineers, the CHU's site managers).
    expect(made).toBeGreaterThan(HOLDERS);
    const states = async () =>
      (await sql<{ state: string; n: number }>`select email_state as state, count(*)::int as n from notifications group by 1 order by 1`.execute(db)).rows;
    expect(await states()).toEqual([{ state: 'not_sent', n: made - 5 }, { state: 'sent', n: 5 }]);

    worker.killAll('SIGKILL');
    await exitOf(worker.child);
    const workerSessions = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'gmao-worker'`;
    await until('the killed worker’s sessions ended', async () => (await workerSessions.execute(db)).rows[0]!.n === 0);
    expect(await states()).toEqual([{ state: 'not_sent', n: made - 5 }, { state: 'sent', n: 5 }]);
    expect(smtp.received).toHaveLength(5);

    smtp.behave({ mode: 'accept' });
    const again = startProcess('apps/worker/src/main.ts', env);
    await again.waitFor(/worker started/);
    try {
      const job = await queue.add('certificate-expiry', {});
      await until('the second run completed', async () => (await queue.getJobState(job.id!)) === 'completed', 30_000);
      expect((await queue.getJob(job.id!))!.returnvalue).toMatchObject({ milestones: 0, notified: 0, sent: made - 5, failed: 0 });
    } finally {
      again.killAll('SIGTERM');
      await exitOf(again.child);
    }

    expect(await count()).toBe(made);
    expect(await states()).toEqual([{ state: 'sent', n: made }]);
    const milestones = await sql<{ n: number }>`select count(*)::int as n from certificate_milestones`.execute(db);
    expect(milestones.rows[0]!.n).toBe(HOLDERS);
    const emails = (await db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.userId').select('u.email').execute()).map((r) => r.email).sort();
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(emails);
  });
});
