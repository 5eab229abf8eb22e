import fs from 'node:fs';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DB } from '@gmao/db';
import {
  CRITICALITIES, EQUIPMENT_STATUSES, MAINTENANCE_MODES, RISK_CLASSES, WORK_ORDER_PRIORITIES, WORK_ORDER_STATES, WORK_ORDER_TYPES,
} from '@gmao/domain';
import { DEMO_PASSWORD, createTestContext, login, type Session, type TestContext } from '../support/app.js';
import { withDemoWorkOrders } from '../support/fixtures.js';
import { multipartBody, requestArb, type FuzzRequest, type GeneratorContext, type OpenApiDocument, type Pools } from '../support/fuzz.js';

/**
 * Fuzz test: every operation of the OpenAPI document gets requests generated from its
 * schemas (tests/support/fuzz.ts), mostly valid with hostile values anywhere, sent as a
 * territory admin, an engineer, nobody, or a forged token. No answer may be a 5xx.
 *
 * FUZZ_RUNS (requests per operation, default 12) and FUZZ_SEED (default fixed) tune it:
 * `FUZZ_RUNS=1000 npx vitest run tests/api/fuzz.int.test.ts`. A failure lists each
 * operation's 5xx with the request, the answer and the server's logged error; the same seed
 * and runs replay the same requests. FUZZ_DUMP=<file> writes every failure as JSON;
 * FUZZ_VERBOSE=1 prints the statuses seen per operation (to check the fuzz gets past 400s).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);

let ctx: TestContext;
let admin: Session;
let engineer: Session;
let doc: OpenApiDocument;
let gen: GeneratorContext;
let forgedTokens: string[];
/** The server's error log by request id: what a 5xx was, for the report. */
const serverErrors = new Map<string, string>();

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _enc, cb) {
      try {
        const line = JSON.parse(String(chunk)) as { reqId?: string; err?: { message?: string; code?: string; type?: string } };
        if (line.reqId && line.err) serverErrors.set(line.reqId, `${line.err.type ?? 'Error'} ${line.err.code ?? ''}: ${line.err.message ?? ''}`);
      } catch {
        // not a JSON log line
      }
      cb();
    },
  });
  ctx = await createTestContext({ logger: { level: 'warn', stream } });
  const db = ctx.database.db;
  const ids = await withDemoWorkOrders(db);
  admin = await login(ctx.app, 'admin@ght-demo.fr');
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
  // Sessions the fuzzed refresh and logout may use up; the acting ones are never offered.
  const spare = await Promise.all([login(ctx.app, 'tech.chu@ght-demo.fr'), login(ctx.app, 'tech.ch1@ght-demo.fr')]);

  // A work order with an attachment, and an import, so that their routes have something to read.
  const wo = await db.selectFrom('workOrders').select('id').where('state', '=', 'in_progress').executeTakeFirstOrThrow();
  const photo = multipartBody({}, {
    name: 'photo.png', type: 'image/png',
    data: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
  });
  const uploaded = await ctx.app.inject({ method: 'POST', url: `/api/v1/work-orders/${wo.id}/attachments`, payload: photo.payload, headers: { ...admin.auth, 'content-type': photo.contentType } });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  const csv = multipartBody({ siteId: ids.site('CHU') }, { name: 'inventaire.csv', type: 'text/csv', data: Buffer.from('Numéro d’inventaire;Fabricant;Modèle\r\nFUZZ-1;Mindray;BeneHeart D3\r\n') });
  const imported = await ctx.app.inject({ method: 'POST', url: '/api/v1/equipment-imports', payload: csv.payload, headers: { ...admin.auth, 'content-type': csv.contentType } });
  expect(imported.statusCode, imported.body).toBeLessThan(300);

  // A maintenance plan with its devices and a meter reading, so that the plans' routes have something to read.
  const model = await db.selectFrom('equipment').select('modelId').where('modelId', 'is not', null).limit(1).executeTakeFirstOrThrow();
  const plan = await ctx.app.inject({
    method: 'POST', url: '/api/v1/maintenance-plans', headers: admin.auth,
    payload: { name: 'Plan fuzz', modelId: model.modelId, workOrderType: 'preventive', trigger: 'calendar', every: 1, unit: 'years', anchorDate: '2026-12-01' },
  });
  expect(plan.statusCode, plan.body).toBe(201);
  const col = async (table: keyof DB, column: string) =>
    (await sql<{ v: string }>`select ${sql.ref(column)}::text as v from ${sql.table(table)} limit 30`.execute(db)).rows.map((r) => r.v);
  const acting = [admin.userId, engineer.userId];
  const sites = await col('sites', 'id');
  const locations = await col('locations', 'id');
  const users = await col('users', 'id');
  const equipment = await col('equipment', 'id');
  const workOrders = await col('workOrders', 'id');
  const pools: Pools = {
    siteId: sites, lenderSiteId: sites, homeSiteId: sites, 'sites:id': sites,
    locationId: locations, parentId: locations, 'locations:id': locations,
    userId: users, technicianId: users, assigneeId: users,
    // Deactivating or stripping the acting users would only turn the rest into 401s and 403s.
    'users:id': users.filter((u) => !acting.includes(u)),
    grantId: (await db.selectFrom('roleGrants').select('id').where('userId', 'not in', acting).limit(30).execute()).map((r) => r.id),
    categoryId: await col('equipmentCategories', 'id'),
    modelId: await col('equipmentModels', 'id'),
    equipmentId: equipment, ids: equipment, 'equipment:id': equipment,
    decommissionId: await col('equipmentDecommissions', 'id'),
    'equipment-imports:id': await col('equipmentImports', 'id'),
    'work-orders:id': workOrders,
    'maintenance-plans:id': await col('maintenancePlans', 'id'), planId: await col('maintenancePlans', 'id'),
    // The competency map: skills of the catalogue, and the demo people's skills to change.
    'skills:id': await col('skills', 'id'), skillId: await col('skills', 'id'),
    itemId: await col('workOrderChecklistItems', 'id'),
    attachmentId: await col('workOrderAttachments', 'id'), reportAttachmentId: await col('workOrderAttachments', 'id'),
    'checklist-templates:code': await col('checklistTemplates', 'code'),
    template: await col('checklistTemplates', 'code'), checklistTemplate: await col('checklistTemplates', 'code'),
    'equipment:code': await col('equipment', 'inventoryNumber'),
    inventoryNumber: await col('equipment', 'inventoryNumber'),
    finess: await col('sites', 'finess'),
    email: (await col('users', 'email')).filter((e) => e !== 'admin@ght-demo.fr' && e !== 'ingenieur@ght-demo.fr'),
    password: [DEMO_PASSWORD],
    refreshToken: spare.map((s) => s.refreshToken),
    // Comma-separated filters (`?state=a,b`): their JSON schema is a bare string.
    'work-orders:state': csvFilters(WORK_ORDER_STATES), 'work-orders:type': csvFilters(WORK_ORDER_TYPES),
    'work-orders:priority': csvFilters(WORK_ORDER_PRIORITIES), 'equipment:status': csvFilters(EQUIPMENT_STATUSES),
    'equipment:riskClass': csvFilters(RISK_CLASSES), 'equipment:criticality': csvFilters(CRITICALITIES),
    'equipment:maintenanceMode': csvFilters(MAINTENANCE_MODES),
  };

  // Real cursors of each list, for the fuzz to tamper with.
  for (const list of ['sites', 'users', 'equipment-models', 'equipment', 'work-orders']) {
    const page = await ctx.app.inject({ method: 'GET', url: `/api/v1/${list}?limit=1`, headers: admin.auth });
    const next = (page.json() as { nextCursor: string | null }).nextCursor;
    expect(next, `${list} has a second page`).toBeTruthy();
    pools[`${list}:cursor`] = [next!];
  }

  doc = (await ctx.app.inject({ method: 'GET', url: '/api/docs/openapi.json' })).json();
  gen = { doc, pools };
  const sign = (payload: object) => ctx.app.jwt.sign(payload as { sub: string; tid: string; jti: string });
  forgedTokens = [
    sign({ sub: 'not-a-uuid', tid: ids.territoryId, jti: 'x' }),
    sign({ sub: `${admin.userId}\u0000`, tid: ids.territoryId, jti: 'x' }),
    sign({ sub: admin.userId, tid: 'not-a-uuid', jti: 'x' }),
    sign({ sub: 42, tid: ids.territoryId, jti: 'x' }),
    sign({ sub: { id: admin.userId }, tid: ids.territoryId }),
    sign({ tid: ids.territoryId }),
    sign({ sub: '00000000-0000-4000-8000-000000000000', tid: ids.territoryId, jti: 'x' }),
    'garbage', 'a.b.c', `${admin.accessToken}x`,
  ];
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

/** Each value alone, and the first two together: `a`, `b`, …, `a,b`. */
function csvFilters(values: readonly string[]): string[] {
  return [...values, values.slice(0, 2).join(',')];
}

type Actor = { kind: 'admin' | 'engineer' | 'anonymous' } | { kind: 'forged'; token: string };

function actorArb(): fc.Arbitrary<Actor> {
  return fc.oneof(
    { arbitrary: fc.constant({ kind: 'admin' as const }), weight: 6 },
    { arbitrary: fc.constant({ kind: 'engineer' as const }), weight: 2 },
    { arbitrary: fc.constant({ kind: 'anonymous' as const }), weight: 1 },
    { arbitrary: fc.constantFrom(...forgedTokens).map((token) => ({ kind: 'forged' as const, token })), weight: 1 },
  );
}

function authorization(actor: Actor): Record<string, string> {
  switch (actor.kind) {
    case 'admin':
      return admin.auth;
    case 'engineer':
      return engineer.auth;
    case 'forged':
      return { authorization: `Bearer ${actor.token}` };
    default:
      return {};
  }
}

interface Failure {
  operation: string;
  actor: string;
  request: FuzzRequest;
  status: number;
  answer: string;
  logged?: string;
}

const clip = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

function describeFailure(f: Failure) {
  const payload = f.request.payload === undefined ? '' : clip(Buffer.isBuffer(f.request.payload) ? f.request.payload.toString('latin1') : f.request.payload);
  return [
    `  ${f.operation} as ${f.actor} → ${f.status}`,
    `    ${f.request.method} ${clip(f.request.url, 600)}`,
    `    headers ${JSON.stringify({ ...f.request.headers, authorization: undefined })}`,
    payload ? `    body ${JSON.stringify(payload)}` : '',
    `    answer ${clip(f.answer)}`,
    f.logged ? `    logged ${clip(f.logged)}` : '',
  ].filter(Boolean).join('\n');
}

describe('fuzz: every operation of the OpenAPI document', () => {
  it(`answers no 5xx to generated and hostile requests (${RUNS} per operation, seed ${SEED})`, async () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(50);
    const failures: Failure[] = [];
    const statuses = new Map<string, Map<number, number>>();
    let index = 0;
    for (const { path, method, op } of operations) {
      const operation = `${method.toUpperCase()} ${path}`;
      const seen = new Map<number, number>();
      statuses.set(operation, seen);
      await fc.assert(
        fc.asyncProperty(actorArb(), requestArb(gen, method, path, op), async (actor, request) => {
          const res = await ctx.app.inject({
            method: request.method as 'GET',
            url: request.url,
            headers: { ...request.headers, ...authorization(actor) },
            payload: request.payload,
          });
          seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
          // A 400 `invalid_value` is the error handler's safety net for a value PostgreSQL
          // refused: validation missed a field, which is a failure here too.
          const safetyNet = res.statusCode === 400 && res.body.includes('"code":"invalid_value"');
          if (res.statusCode >= 500 || safetyNet) {
            const requestId = String(res.headers['x-request-id'] ?? '');
            if (safetyNet) serverErrors.set(requestId, `${serverErrors.get(requestId) ?? ''} (the safety net caught it; validation should have)`);
            failures.push({
              operation, actor: actor.kind === 'forged' ? `forged token ${clip(actor.token, 60)}` : actor.kind,
              request, status: res.statusCode, answer: res.body, logged: serverErrors.get(requestId),
            });
          }
        }),
        // Every request runs (no shrinking): each failure is reported whole, with its answer.
        { numRuns: RUNS, seed: SEED + index++ },
      );
    }
    if (process.env.FUZZ_VERBOSE) {
      for (const [operation, seen] of statuses) console.info(operation, JSON.stringify(Object.fromEntries(seen)));
    }
    if (process.env.FUZZ_DUMP) fs.writeFileSync(process.env.FUZZ_DUMP, JSON.stringify(failures, null, 1));
    if (failures.length > 0) {
      const byOperation = new Map<string, Failure[]>();
      for (const f of failures) byOperation.set(f.operation, [...(byOperation.get(f.operation) ?? []), f]);
      const report = [...byOperation].map(([operation, list]) => `${operation}: ${list.length}\n${list.slice(0, 3).map(describeFailure).join('\n')}`);
      throw new Error(
        `${failures.length} answers ≥ 500 or caught by the safety net in ${byOperation.size} operations (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} replays them):\n${report.join('\n')}`,
      );
    }
    // The generator must get past validation, or the fuzz only tests the schemas.
    const reachedHandler = [...statuses.values()].filter((seen) => [...seen.keys()].some((s) => s < 300)).length;
    expect(reachedHandler, 'operations that answered a 2xx at least once').toBeGreaterThanOrEqual(operations.length / 2);
  }, Math.max(120_000, RUNS * 2_000));
});
