/**
 * The maintenance register as article R.5212-28 of the Public Health Code reads it (issue 11,
 * docs/regulatory.md "The maintenance register (R.5212-28)"): who did the work and for which
 * employer, the day it was carried out, the verdict, the stop and restart dates, the evidence,
 * and internal or external quality control.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';
import { readPdf } from '../support/documents.js';

let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let care: Session;
let techChu: Session;
let techCh1: Session;
let engineer: Session;
let admin: Session;
let devices: Json[];
let nextDevice = 0;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
  techChu = await login(ctx.app, 'tech.chu@ght-demo.fr');
  techCh1 = await login(ctx.app, 'tech.ch1@ght-demo.fr');
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
  admin = await login(ctx.app, 'admin@ght-demo.fr');
  devices = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=40`)).json().items;
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const send = (s: Session, method: 'POST' | 'PATCH' | 'PUT', url: string, payload: object, version?: number) =>
  ctx.app.inject({ method, url, payload, headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });
const post = (s: Session, url: string, payload: object, version?: number) => send(s, 'POST', url, payload, version);

/** A calendar day in Paris, yyyy-mm-dd. */
const parisDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(at);
const DAY = 86_400_000;

/** A fresh device of the CHU, in service, with no work order of these tests yet. */
function freshDevice(): Json {
  const device = devices[nextDevice++];
  if (!device) throw new Error('not enough devices in service');
  return device;
}

async function legalEntity(site: string) {
  const s = (await get(care, `/api/v1/sites/${ids.site(site)}`)).json();
  expect(s.legalEntityName).toBeTruthy();
  return { kind: 'establishment', name: s.legalEntityName as string, finess: s.legalEntityFiness as string };
}

/**
 * A work order of `type` on `device`, created by the engineer for Thomas (CHU), Camille (CH1)
 * and himself, started, with its report written.
 */
async function startedWorkOrder(type: string, device: Json, extra: object = {}): Promise<Json> {
  const created = await post(engineer, '/api/v1/work-orders', {
    equipmentId: device.id, type, description: 'Opération planifiée du registre', assigneeIds: [techChu.userId, techCh1.userId, engineer.userId], ...extra,
  });
  expect(created.statusCode).toBe(201);
  let wo = created.json();
  wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/transitions`, { to: 'in_progress' }, wo.version)).json();
  wo = (await send(techChu, 'PATCH', `/api/v1/work-orders/${wo.id}`, { diagnosis: 'Contrôle selon le plan', actions: 'Opérations du constructeur réalisées' }, wo.version)).json();
  expect(wo.state).toBe('in_progress');
  return wo;
}

async function sign(who: Session, wo: Json, name: string): Promise<Json> {
  const res = await post(who, `/api/v1/work-orders/${wo.id}/signature`, { name, image: 'data:image/png;base64,iVBORw0KGgo=' });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const complete = (who: Session, wo: Json, body: object = {}) => post(who, `/api/v1/work-orders/${wo.id}/transitions`, { to: 'completed', ...body }, wo.version);
const fresh = async (wo: Json) => (await get(engineer, `/api/v1/work-orders/${wo.id}`)).json();
const entryOf = async (device: Json, wo: Json) => {
  const register = (await get(care, `/api/v1/equipment/${device.id}/register`)).json();
  return register.entries.find((e: Json) => e.number === wo.number);
};

describe('who did the work, for which employer, and when (R.5212-28)', () => {
  it('names the technician who logged the time and the signer, not an assignee who did nothing, dated on the day of the work', async () => {
    const device = freshDevice();
    let wo = await startedWorkOrder('preventive', device);
    // Thomas worked five days ago (10:00 to 11:15 in Paris); Camille signs; Étienne, assigned, logged nothing.
    const workedAt = new Date(Date.now() - 5 * DAY);
    workedAt.setUTCHours(9, 0, 0, 0);
    const labour = await post(techChu, `/api/v1/work-orders/${wo.id}/labour`, {
      startedAt: workedAt.toISOString(), endedAt: new Date(workedAt.getTime() + 75 * 60_000).toISOString(),
    });
    expect(labour.statusCode).toBe(200);
    wo = await sign(techCh1, labour.json(), 'Camille Technicienne');
    const done = await complete(techChu, wo, { conformity: 'conforming' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ conformity: 'conforming', conformityNote: null, conformityOverride: null });

    const entry = await entryOf(device, wo);
    expect(entry.performers).toEqual([
      { name: 'Thomas Technicien', employer: await legalEntity('CHU') },
      { name: 'Camille Technicienne', employer: await legalEntity('CH1') },
    ]);
    expect(entry.performers.map((p: Json) => p.name)).not.toContain('Étienne Ingénieur');
    // The employer is a legal entity with its FINESS juridique, never the territory.
    for (const p of entry.performers) {
      expect(p.employer.finess).toMatch(/^\d{9}$/);
      expect(p.employer.name).not.toMatch(/GHT/);
    }
    expect(entry.performedOn).toBe(parisDay(workedAt));
    expect(entry.completedAt).toBe(done.json().completedAt);
    expect(parisDay(new Date(entry.completedAt))).not.toBe(entry.performedOn);
    expect(entry).toMatchObject({ nature: 'preventive', conformity: 'conforming', qualityControl: null, evidence: [] });
  });

  it('dates a vendor intervention done three days before completion on its own day, naming its technician and the vendor', async () => {
    const device = freshDevice();
    let wo = await startedWorkOrder('preventive', device);
    const vendorDay = parisDay(new Date(Date.now() - 3 * DAY));
    const vendor = await post(techChu, `/api/v1/work-orders/${wo.id}/external-interventions`, {
      vendor: 'Dräger Service', technicianName: 'Jean Vendeur', vendorReference: 'RI-3310', costCents: 30000, performedOn: vendorDay,
    });
    expect(vendor.statusCode).toBe(200);
    expect((await get(care, `/api/v1/work-orders/${wo.id}/external-interventions`)).json().items).toEqual([
      expect.objectContaining({ vendor: 'Dräger Service', technicianName: 'Jean Vendeur', accreditationReference: null, performedOn: vendorDay }),
    ]);
    wo = await sign(techChu, vendor.json(), 'Thomas Technicien');
    expect((await complete(techChu, wo, { conformity: 'conforming' })).statusCode).toBe(200);

    const entry = await entryOf(device, wo);
    expect(entry.performedOn).toBe(vendorDay);
    expect(parisDay(new Date(entry.completedAt))).toBe(parisDay(new Date()));
    expect(entry.performers).toEqual([
      { name: 'Thomas Technicien', employer: await legalEntity('CHU') },
      { name: 'Jean Vendeur', employer: { kind: 'vendor', name: 'Dräger Service' } },
    ]);
    const csv = (await get(care, `/api/v1/equipment/${device.id}/register?format=csv`)).body;
    const line = csv.split('\r\n').find((l) => l.startsWith(`${wo.number};`))!;
    const [y, m, d] = vendorDay.split('-');
    expect(line.split(';')[1]).toBe(`${d}/${m}/${y}`);
    expect(line).toContain('Jean Vendeur (Dräger Service)');
  });
});

describe('the verdict at completion', () => {
  it('refuses to complete a preventive work order without a verdict (422), and a reservation not described', async () => {
    const device = freshDevice();
    let wo = await startedWorkOrder('preventive', device);
    wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/labour`, { minutes: 40 })).json();
    wo = await sign(techChu, wo, 'Thomas Technicien');
    const none = await complete(techChu, wo);
    expect(none.statusCode).toBe(422);
    expect(problemOf(none)).toMatchObject({ code: 'verdict_required', errors: [{ path: 'body.conformity' }] });
    expect(problemOf(none).detail).toMatch(/conformité/);
    const bad = await complete(techChu, wo, { conformity: 'passable' });
    expect(bad.statusCode).toBe(400);
    const undescribed = await complete(techChu, wo, { conformity: 'conforming_with_reservations', conformityNote: '  ' });
    expect(problemOf(undescribed)).toMatchObject({ status: 422, code: 'verdict_note_required', errors: [{ path: 'body.conformityNote' }] });
    expect((await fresh(wo)).state).toBe('in_progress');
    const done = await complete(techChu, wo, { conformity: 'conforming_with_reservations', conformityNote: 'Galets de la pompe usés : à remplacer sous 3 mois' });
    expect(done.statusCode).toBe(200);
    expect((await entryOf(device, wo))).toMatchObject({ conformity: 'conforming_with_reservations', conformityNote: 'Galets de la pompe usés : à remplacer sous 3 mois' });
    // A reopened work order gives its verdict again.
    const reopened = await post(engineer, `/api/v1/work-orders/${wo.id}/transitions`, { to: 'in_progress', reason: 'Galets changés finalement' }, done.json().version);
    expect(reopened.json()).toMatchObject({ state: 'in_progress', conformity: null, conformityNote: null });
  });

  it('a non-conforming completion leaves the device out of service until an engineer decides; the register shows the stop and restart dates', async () => {
    const device = freshDevice();
    let wo = await startedWorkOrder('preventive', device);
    wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/labour`, { minutes: 30 })).json();
    wo = await sign(techChu, wo, 'Thomas Technicien');
    const nonConforming = { conformity: 'non_conforming', conformityNote: 'Alarme de pression inopérante' };
    const backIn = await complete(techChu, wo, { ...nonConforming, backInService: true });
    expect(problemOf(backIn)).toMatchObject({ status: 422, code: 'non_conforming_back_in_service', errors: [{ path: 'body.backInService' }] });
    expect(problemOf(await complete(techChu, wo, { conformity: 'non_conforming' }))).toMatchObject({ status: 422, code: 'verdict_note_required' });
    const done = await complete(techChu, wo, nonConforming);
    expect(done.statusCode).toBe(200);
    wo = done.json();
    expect(wo).toMatchObject({ state: 'completed', conformity: 'non_conforming', restartDecision: null, downtimeEndedAt: null });
    expect(wo.downtimeStartedAt).not.toBeNull();
    let status = (await get(care, `/api/v1/equipment/${device.id}`)).json();
    expect(status.status).toBe('out_of_service');
    const history = (await get(care, `/api/v1/equipment/${device.id}/history`)).json().items;
    expect(history[0]).toMatchObject({ kind: 'status_changed', fromStatus: 'in_service', toStatus: 'out_of_service' });
    expect(history[0].reason).toContain(wo.number);
    let entry = await entryOf(device, wo);
    expect(entry).toMatchObject({ conformity: 'non_conforming', stoppedAt: wo.downtimeStartedAt, restartedAt: null });

    // Nobody puts it back through the device page; closing the work order does not either.
    const direct = await send(techChu, 'POST', `/api/v1/equipment/${device.id}/status`, { to: 'in_service', reason: 'Réparé' }, status.version);
    expect(problemOf(direct)).toMatchObject({ status: 409, code: 'non_conformity_pending' });
    wo = (await post(engineer, `/api/v1/work-orders/${wo.id}/transitions`, { to: 'closed' }, wo.version)).json();
    expect(wo.state).toBe('closed');
    expect((await get(care, `/api/v1/equipment/${device.id}`)).json().status).toBe('out_of_service');

    // Only an engineer decides, with a reason.
    expect((await post(techChu, `/api/v1/work-orders/${wo.id}/restart`, { reason: 'Alarme réparée et testée' }, wo.version)).statusCode).toBe(403);
    expect((await post(engineer, `/api/v1/work-orders/${wo.id}/restart`, { reason: 'ok' }, wo.version)).statusCode).toBe(400);
    expect((await post(engineer, `/api/v1/work-orders/${wo.id}/restart`, { reason: 'Alarme réparée et testée' }, wo.version - 1)).statusCode).toBe(412);
    const restarted = await post(engineer, `/api/v1/work-orders/${wo.id}/restart`, { reason: 'Alarme réparée et testée' }, wo.version);
    expect(restarted.statusCode).toBe(200);
    wo = restarted.json();
    expect(wo.restartDecision).toMatchObject({ reason: 'Alarme réparée et testée', by: { fullName: 'Étienne Ingénieur' } });
    expect(wo.downtimeEndedAt).not.toBeNull();
    status = (await get(care, `/api/v1/equipment/${device.id}`)).json();
    expect(status.status).toBe('in_service');
    entry = await entryOf(device, wo);
    expect(entry).toMatchObject({ stoppedAt: wo.downtimeStartedAt, restartedAt: wo.downtimeEndedAt });
    expect(problemOf(await post(engineer, `/api/v1/work-orders/${wo.id}/restart`, { reason: 'Encore une fois' }, wo.version))).toMatchObject({ status: 409, code: 'restart_already_decided' });
    // The intervention report says it too.
    const report = await readPdf(new Uint8Array((await get(care, `/api/v1/work-orders/${wo.id}/report.pdf`)).rawPayload));
    for (const expected of ['Résultat (conformité)', 'Non conforme — Alarme de pression inopérante', 'Remis en service', 'Alarme réparée et testée']) {
      expect(report.text).toContain(expected);
    }
    // Once decided, the device page's status changes are free again.
    expect((await send(techChu, 'POST', `/api/v1/equipment/${device.id}/status`, { to: 'under_maintenance', reason: 'Vérification' }, status.version)).statusCode).toBe(200);
  });

  it('a failed measurement makes the verdict at best non conforming, unless an engineer overrides it with a reason (recorded)', async () => {
    const device = freshDevice();
    let wo = await startedWorkOrder('electrical_safety', device, { checklistTemplate: 'iec-62353' });
    const items = (await get(techChu, `/api/v1/work-orders/${wo.id}/checklist`)).json().items as Json[];
    const answers: Record<string, object> = {
      visual_inspection: { outcome: 'pass' }, protective_earth_resistance: { value: 0.1 }, equipment_leakage_current: { value: 90 },
      applied_part_leakage_current: { value: 6000 }, functional_test: { outcome: 'pass' },
    };
    for (const item of items) {
      if (!answers[item.key]) continue;
      expect((await send(techChu, 'PUT', `/api/v1/work-orders/${wo.id}/checklist/${item.id}`, answers[item.key]!)).statusCode).toBe(200);
    }
    wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/labour`, { minutes: 20 })).json();
    wo = await sign(techChu, wo, 'Thomas Technicien');
    const byTech = await complete(techChu, wo, { conformity: 'conforming', conformityOverrideReason: 'Je pense que ça va' });
    expect(problemOf(byTech)).toMatchObject({ status: 422, code: 'verdict_contradicts_measurement', errors: [{ path: 'body.conformity' }] });
    expect(problemOf(byTech).detail).toContain('Courant de fuite des parties appliquées');
    const noReason = await complete(engineer, wo, { conformity: 'conforming' });
    expect(problemOf(noReason)).toMatchObject({ status: 422, code: 'verdict_contradicts_measurement', errors: [{ path: 'body.conformityOverrideReason' }] });
    const reason = 'Mesure refaite avec un second analyseur étalonné : 45 µA';
    const overridden = await complete(engineer, wo, { conformity: 'conforming', conformityOverrideReason: reason });
    expect(overridden.statusCode).toBe(200);
    expect(overridden.json()).toMatchObject({ conformity: 'conforming', conformityOverride: { reason, by: { fullName: 'Étienne Ingénieur' } } });
    expect(await entryOf(device, wo)).toMatchObject({ conformity: 'conforming', conformityOverride: { reason, by: 'Étienne Ingénieur' } });
    expect((await readPdf(new Uint8Array((await get(care, `/api/v1/work-orders/${wo.id}/report.pdf`)).rawPayload))).text).toContain('dérogation de Étienne Ingénieur');
    // Nothing waits for a restart decision after a conforming verdict.
    expect(problemOf(await post(engineer, `/api/v1/work-orders/${wo.id}/restart`, { reason: 'Pour voir si ça passe' }, overridden.json().version)))
      .toMatchObject({ status: 409, code: 'no_pending_non_conformity' });
    // A verdict belongs to the completion only.
    expect(problemOf(await post(engineer, `/api/v1/work-orders/${wo.id}/transitions`, { to: 'closed', conformity: 'non_conforming' }, overridden.json().version)))
      .toMatchObject({ status: 400, errors: [{ path: 'body.conformity' }] });
    const audit = await ctx.database.db.selectFrom('auditLog').select(['action', 'after']).where('entityId', '=', wo.id).where('action', '=', 'work_order.transition').orderBy('id').execute();
    expect(audit.at(-1)!.after).toMatchObject({ state: 'completed', conformity: 'conforming', conformityOverride: { reason, by: engineer.userId } });
  });

  it('lets a corrective work order be completed without a verdict: not evaluated', async () => {
    const device = freshDevice();
    let wo = (await post(care, '/api/v1/work-requests', { equipmentId: device.id, symptom: 'Roulette cassée', deviceOutOfService: false })).json();
    wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/assignees`, { userId: techChu.userId })).json();
    wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/transitions`, { to: 'in_progress' }, wo.version)).json();
    wo = (await send(techChu, 'PATCH', `/api/v1/work-orders/${wo.id}`, { diagnosis: 'Roulette fendue', actions: 'Roulette remplacée' }, wo.version)).json();
    wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/labour`, { minutes: 10 })).json();
    wo = await sign(techChu, wo, 'Thomas Technicien');
    const done = await complete(techChu, wo);
    expect(done.statusCode).toBe(200);
    expect(done.json().conformity).toBe('not_evaluated');
    expect((await entryOf(device, wo)).conformity).toBe('not_evaluated');
  });
});

describe('internal and external quality control', () => {
  function multipart(file: { name: string; data: Buffer; type: string }) {
    const boundary = `----qc${Date.now()}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
      file.data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  }

  it('a quality control is internal by default; the kind is only for quality controls', async () => {
    const device = freshDevice();
    const internal = await post(engineer, '/api/v1/work-orders', { equipmentId: device.id, type: 'quality_control', description: 'CQI mensuel' });
    expect(internal.json()).toMatchObject({ type: 'quality_control', qualityControlKind: 'internal' });
    const wrong = await post(engineer, '/api/v1/work-orders', { equipmentId: device.id, type: 'preventive', description: 'Maintenance', qualityControlKind: 'external' });
    expect(problemOf(wrong)).toMatchObject({ status: 400, errors: [{ path: 'body.qualityControlKind' }] });
    const other = await post(engineer, '/api/v1/work-orders', { equipmentId: device.id, type: 'preventive', description: 'Maintenance annuelle' });
    expect(other.json().qualityControlKind).toBeNull();
  });

  it('an external quality control needs the accredited body and its report, and the register shows both', async () => {
    const device = freshDevice();
    let wo = await startedWorkOrder('quality_control', device, { qualityControlKind: 'external' });
    expect(wo.qualityControlKind).toBe('external');
    const m = multipart({ name: 'rapport-cqe.pdf', data: Buffer.from('%PDF-1.7\n%rapport CQE\n'), type: 'application/pdf' });
    const report = await ctx.app.inject({ method: 'POST', url: `/api/v1/work-orders/${wo.id}/attachments`, payload: m.payload, headers: { ...techChu.auth, ...m.headers } });
    expect(report.statusCode).toBe(201);
    wo = await sign(techChu, (await post(techChu, `/api/v1/work-orders/${wo.id}/labour`, { minutes: 15 })).json(), 'Thomas Technicien');

    // No accredited body yet, then no report: the completion says what is missing.
    const noBody = await complete(techChu, wo, { conformity: 'conforming' });
    expect(problemOf(noBody)).toMatchObject({ status: 422, code: 'completion_incomplete', errors: [{ path: 'external' }] });
    const body = { vendor: 'Qualimed Contrôles', technicianName: 'Léa Roux', accreditationReference: 'COFRAC 1-2345', performedOn: parisDay(new Date(Date.now() - DAY)) };
    wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/external-interventions`, body)).json();
    expect(problemOf(await complete(techChu, wo, { conformity: 'conforming' }))).toMatchObject({ status: 422, errors: [{ path: 'external.report' }] });
    wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/external-interventions`, { ...body, reportAttachmentId: report.json().id })).json();
    expect((await complete(techChu, wo, { conformity: 'conforming' })).statusCode).toBe(200);

    const entry = await entryOf(device, wo);
    expect(entry).toMatchObject({
      nature: 'quality_control', conformity: 'conforming', performedOn: body.performedOn,
      qualityControl: { kind: 'external', body: { name: 'Qualimed Contrôles', accreditationReference: 'COFRAC 1-2345' } },
      evidence: [{ attachmentId: report.json().id, fileName: 'rapport-cqe.pdf' }],
    });
    expect(entry.performers).toContainEqual({ name: 'Léa Roux', employer: { kind: 'vendor', name: 'Qualimed Contrôles' } });

    const csv = (await get(care, `/api/v1/equipment/${device.id}/register?format=csv`)).body;
    const line = csv.split('\r\n').find((l) => l.startsWith(`${wo.number};`))!;
    expect(line).toContain('Contrôle qualité — Externe, par un organisme accrédité (CQE)');
    expect(line).toContain('Qualimed Contrôles (accréditation COFRAC 1-2345)');
    expect(line).toContain('rapport-cqe.pdf');
    const pdf = await get(care, `/api/v1/equipment/${device.id}/register?format=pdf`);
    const { text } = await readPdf(new Uint8Array(pdf.rawPayload));
    for (const expected of ['Organisme accrédité', 'COFRAC 1-2345', 'Pièces justificatives', 'rapport-cqe.pdf']) expect(text).toContain(expected);
    const english = (await get(care, `/api/v1/equipment/${device.id}/register?format=csv&lang=en`)).body;
    expect(english).toContain('Qualimed Contrôles (accreditation COFRAC 1-2345)');
  });
});

describe('sites: their legal entity apart from their own FINESS', () => {
  it('records the FINESS juridique and name together, in the official format (Corsica and overseas included)', async () => {
    const site = (await get(admin, `/api/v1/sites/${ids.site('CH2')}`)).json();
    expect(site.legalEntityName).toBe('Centre hospitalier de Montclair');
    expect(site.legalEntityFiness).not.toBe(site.finess);
    const patch = (payload: object, version: number) => send(admin, 'PATCH', `/api/v1/sites/${site.id}`, payload, version);
    const bad = await patch({ legalEntityFiness: '2C0001234', legalEntityName: 'Centre hospitalier de Corse' }, site.version);
    expect(problemOf(bad)).toMatchObject({ status: 400, errors: [{ path: 'body.legalEntityFiness' }] });
    const alone = await patch({ legalEntityName: 'Centre hospitalier de Corse' }, site.version);
    expect(problemOf(alone)).toMatchObject({ status: 400, errors: [{ path: 'body.legalEntityName' }] });
    const ok = await patch({ legalEntityFiness: '2a0001234', legalEntityName: 'Centre hospitalier de Corse-du-Sud' }, site.version);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ legalEntityFiness: '2A0001234', legalEntityName: 'Centre hospitalier de Corse-du-Sud', finess: site.finess });
    const created = await post(admin, '/api/v1/sites', {
      name: 'Clinique d’outre-mer', shortCode: 'OM1', finess: '9D0000123', legalEntityFiness: '9D0000115', legalEntityName: 'Association Santé Réunion', kind: 'clinic',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ finess: '9D0000123', legalEntityFiness: '9D0000115' });
  });
});
