import { until } from '../support/wait.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { exitOf, startProcess } from '../support/processes.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

/**
 * The notification digest with the worker process killed in the middle of it: its digests
 * made, five emails accepted by the SMTP server, the sixth being delivered (the server holds
 * its answer). The next run makes no digest again and sends the emails not yet accepted:
 * every digest exists once, every email is received, none twice.
 *
 * What SMTP cannot guarantee is not asserted: a process killed after the server answered 250
 * and before the notification's transaction committed sends that one email again (ADR 0017).
 */
let ctx: TestContext;
let smtp: TestSmtpServer;
const TECHNICIANS = 20;

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
  await smtp?.close();
});


describe('notification digest: worker killed mid-run', () => {
  it('makes every digest once and loses no email when the worker is killed while sending, then run again', async () => {
    const db = ctx.database.db;
    const ids = await demoIds(db);
    const chu = ids.site('CHU');
    const engineerId = ids.user('ingenieur@ght-demo.fr');
    await sql`update work_orders set due_repair_at = null, due_response_at = null`.execute(db);
    const device = await db.selectFrom('equipment').select('id').where('siteId', '=', chu).orderBy('inventoryNumber').limit(1).executeTakeFirstOrThrow();
    // 20 technicians of the CHU, each assigned one overdue corrective work order.
    await sql`
      with t as (
        insert into users (territory_id, email, full_name, home_site_id, password_hash)
        select ${ids.territoryId}, 'kill.tech' || n || '@ght-demo.fr', 'Technicien ' || n, ${chu}, 'not-a-hash'
          from generate_series(1, ${TECHNICIANS}) as n
        returning id, email),
      g as (
        insert into role_grants (territory_id, user_id, site_id, role) select ${ids.territoryId}, t.id, ${chu}, 'technician' from t),
      w as (
        insert into work_orders (territory_id, site_id, equipment_id, number, type, priority, symptom, requested_by, state, due_repair_at)
        select ${ids.territoryId}, ${chu}, ${device.id}, 'KILL-' || t.email, 'corrective', 'normal', 'Panne ' || t.email, ${engineerId}, 'assigned',
               now() - interval '2 days'
          from t
        returning id, number)
      insert into work_order_assignees (work_order_id, user_id, assigned_by, cross_site)
      select w.id, t.id, ${engineerId}, false from w join t on w.number = 'KILL-' || t.email`.execute(db);
    const recipients = (await db.selectFrom('users').select('email').where('email', 'like', 'kill.tech%').orderBy('email').execute()).map((u) => u.email);
    expect(recipients).toHaveLength(TECHNICIANS);

    const env = {
      DATABASE_URL: ctx.deps.config.DATABASE_URL!, REDIS_URL: ctx.redisUrl, QUEUE_PREFIX: ctx.prefix, LOG_LEVEL: 'info',
      SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), SMTP_FROM: 'gmao@ght-demo.fr',
    };
    // The server accepts five messages, then holds the sixth without answering.
    smtp.behave({ mode: 'stall', acceptBefore: 5 });
    const worker = startProcess('apps/worker/src/main.ts', env);
    await worker.waitFor(/worker started/);
    const queue = ctx.queues.get('maintenance');
    await queue.add('notification-digest', {});
    await until('the sixth email is being delivered', async () => smtp.stalled() === 1);
    const states = async () =>
      (await sql<{ state: string; n: number }>`select email_state as state, count(*)::int as n from notifications group by 1 order by 1`.execute(db)).rows;
    // The digests are made (committed before any email), five emails marked sent.
    expect(await states()).toEqual([{ state: 'not_sent', n: TECHNICIANS - 5 }, { state: 'sent', n: 5 }]);

    worker.killAll('SIGKILL');
    await exitOf(worker.child);
    const workerSessions = sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'gmao-worker'`;
    await until('the killed worker’s sessions ended', async () => (await workerSessions.execute(db)).rows[0]!.n === 0);
    // The one being delivered was never accepted: still to send.
    expect(await states()).toEqual([{ state: 'not_sent', n: TECHNICIANS - 5 }, { state: 'sent', n: 5 }]);
    expect(smtp.received).toHaveLength(5);

    // The next run (tomorrow's schedule, or a retry) finishes the sending.
    smtp.behave({ mode: 'accept' });
    const again = startProcess('apps/worker/src/main.ts', env);
    await again.waitFor(/worker started/);
    try {
      const job = await queue.add('notification-digest', {});
      await until('the second run completed', async () => (await queue.getJobState(job.id!)) === 'completed', 30_000);
      expect((await queue.getJob(job.id!))!.returnvalue).toMatchObject({ created: 0, sent: TECHNICIANS - 5, failed: 0 });
    } finally {
      again.killAll('SIGTERM');
      await exitOf(again.child);
    }

    // Every digest once, every email sent once and received once.
    const rows = await db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.userId')
      .select(['u.email', 'n.kind', 'n.emailState', 'n.emailAttempts']).orderBy('u.email').execute();
    expect(rows).toEqual(recipients.map((email) => ({ email, kind: 'digest_technician', emailState: 'sent', emailAttempts: 1 })));
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(recipients);
    for (const m of smtp.received) expect(m.text).toContain(`KILL-${m.to[0]}`);
  });
});
