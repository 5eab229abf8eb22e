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
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
  techChu = await login(ctx.app, 'tech.chu@ght-demo.fr');
  techCh1 = await login(ctx.app, 'tech.ch1@ght-demo.fr');
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const get = (s: Session, url: string) => ctx.app.inject({ method: 'GET', url, headers: s.auth });
const post = (s: Session, url: string, payload: object, version?: number) =>
  ctx.app.inject({ method: 'POST', url, payload, headers: { ...s.auth, ...(version === undefined ? {} : { 'if-match': String(version) }) } });

async function criticalDeviceInService(): Promise<Json> {
  const cats = (await get(care, '/api/v1/equipment-categories')).json().items as Json[];
  const vent = cats.find((c) => c.code === 'VENT-REA')!;
  return (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&categoryId=${vent.id}&status=in_service&limit=1`)).json().items[0];
}

describe('fault report to work in progress', () => {
  it('care staff report a device down; a technician of another site takes it; the states follow the rules', async () => {
    const device = await criticalDeviceInService();
    const report = await post(care, '/api/v1/work-requests', {
      equipmentId: device.id, symptom: 'Alarme haute pression permanente', deviceOutOfService: true, callbackName: 'IDE Réa', callbackPhone: '04 00 00 00 00',
    });
    expect(report.statusCode).toBe(201);
    let wo = report.json();
    expect(wo).toMatchObject({ state: 'requested', type: 'corrective', priority: 'critical', deviceOutOfService: true, requestedBy: { fullName: 'Sophie Soignante' } });
    expect(wo.number).toMatch(/^BT-\d{4}-\d{6}$/);
    expect(new Date(wo.dueResponseAt).getTime() - new Date(wo.requestedAt).getTime()).toBeCloseTo(60 * 60_000, -4);
    expect(wo.downtimeStartedAt).not.toBeNull();
    const down = (await get(care, `/api/v1/equipment/${device.id}`)).json();
    expect(down.status).toBe('out_of_service');
    expect((await get(care, `/api/v1/equipment/${device.id}/history`)).json().items[0]).toMatchObject({ kind: 'status_changed', toStatus: 'out_of_service' });

    // A technician of CH1 (no role at the CHU) cannot take it himself; the engineer sends him: cross-site.
    expect((await post(techCh1, `/api/v1/work-orders/${wo.id}/assignees`, { userId: techCh1.userId })).statusCode).toBe(403);
    const assigned = await post(engineer, `/api/v1/work-orders/${wo.id}/assignees`, { userId: techCh1.userId });
    expect(assigned.statusCode).toBe(200);
    wo = assigned.json();
    expect(wo).toMatchObject({ state: 'assigned', assignees: [{ fullName: 'Camille Technicienne', crossSite: true }] });
    expect((await post(engineer, `/api/v1/work-orders/${wo.id}/assignees`, { userId: techCh1.userId })).statusCode).toBe(409);
    expect((await post(engineer, `/api/v1/work-orders/${wo.id}/assignees`, { userId: care.userId })).statusCode).toBe(422);
    // A technician of the site takes part too: not cross-site.
    wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/assignees`, { userId: techChu.userId })).json();
    expect(wo.assignees.map((a: Json) => a.crossSite)).toEqual([true, false]);

    const url = `/api/v1/work-orders/${wo.id}/transitions`;
    expect((await post(care, url, { to: 'in_progress' }, wo.version)).statusCode).toBe(403);
    const started = await post(techCh1, url, { to: 'in_progress' }, wo.version);
    expect(started.statusCode).toBe(200);
    wo = started.json();
    expect((await post(techCh1, url, { to: 'on_hold' }, wo.version)).statusCode).toBe(422);
    const held = await post(techCh1, url, { to: 'on_hold', holdReason: 'waiting_parts', reason: 'Capteur commandé' }, wo.version);
    expect(held.json()).toMatchObject({ state: 'on_hold', holdReason: 'waiting_parts' });
    wo = held.json();
    const illegal = await post(techCh1, url, { to: 'closed' }, wo.version);
    expect(illegal.statusCode).toBe(403);
    const illegal2 = await post(engineer, url, { to: 'closed' }, wo.version);
    expect(illegal2.statusCode).toBe(409);
    expect(problemOf(illegal2)).toMatchObject({ code: 'invalid_transition' });
    expect(problemOf(illegal2).detail).toContain('en cours');
    expect((await post(techCh1, url, { to: 'in_progress' }, wo.version - 1)).statusCode).toBe(412);
    wo = (await post(techCh1, url, { to: 'in_progress' }, wo.version)).json();
    const done = await post(techCh1, url, { to: 'completed' }, wo.version);
    expect(done.statusCode).toBe(422);
    expect(problemOf(done).errors!.map((e) => e.path)).toEqual(['diagnosis', 'actions', 'labour', 'signature', 'backInService']);


    // The technician records the work, signs, and completes; the device comes back into service.
    const patch = (payload: object, version: number, who = techCh1) =>
      ctx.app.inject({ method: 'PATCH', url: `/api/v1/work-orders/${wo.id}`, payload, headers: { ...who.auth, 'if-match': String(version) } });
    expect((await patch({ priority: 'low' }, wo.version)).statusCode).toBe(403);
    wo = (await patch({ diagnosis: 'Capteur de pression expiratoire HS', actions: 'Remplacement du capteur, test de fuite, étalonnage' }, wo.version)).json();
    expect(wo.diagnosis).toBe('Capteur de pression expiratoire HS');
    expect((await post(care, `/api/v1/work-orders/${wo.id}/labour`, { minutes: 30 })).statusCode).toBe(403);
    expect((await post(techCh1, `/api/v1/work-orders/${wo.id}/labour`, { minutes: 30, startedAt: '2026-11-24T08:00:00Z', endedAt: '2026-11-24T09:00:00Z' })).statusCode).toBe(400);
    expect((await post(techCh1, `/api/v1/work-orders/${wo.id}/labour`, { startedAt: '2026-11-24T09:00:00Z', endedAt: '2026-11-24T08:00:00Z' })).statusCode).toBe(400);
    wo = (await post(techCh1, `/api/v1/work-orders/${wo.id}/labour`, { startedAt: '2026-11-24T08:00:00Z', endedAt: '2026-11-24T09:30:00Z', travelMinutes: 40 })).json();
    wo = (await post(engineer, `/api/v1/work-orders/${wo.id}/labour`, { technicianId: techChu.userId, minutes: 20 })).json();
    expect(wo.labourMinutes).toBe(110);
    const labour = (await get(care, `/api/v1/work-orders/${wo.id}/labour`)).json().items as Json[];
    expect(labour.map((l) => [l.technician.fullName, l.minutes, l.travelMinutes])).toEqual([['Camille Technicienne', 90, 40], ['Thomas Technicien', 20, 0]]);
    expect((await post(techCh1, `/api/v1/work-orders/${wo.id}/parts`, { reference: 'CAP-EXP-01', quantity: 0 })).statusCode).toBe(400);
    const parts = (await post(techCh1, `/api/v1/work-orders/${wo.id}/parts`, { reference: 'CAP-EXP-01', description: 'Capteur de pression expiratoire', quantity: 1 })).json().items;
    expect(parts).toEqual([expect.objectContaining({ reference: 'CAP-EXP-01', quantity: 1 })]);
    wo = (await post(techCh1, `/api/v1/work-orders/${wo.id}/external-interventions`, { vendor: 'Dräger France', vendorReference: 'INT-8841', costCents: 45000 })).json();
    expect((await post(engineer, `/api/v1/work-orders/${wo.id}/signature`, { name: 'Étienne', image: 'data:image/png;base64,iVBORw0KGgo=' })).statusCode).toBe(403);
    const signed = await post(techCh1, `/api/v1/work-orders/${wo.id}/signature`, { name: 'Camille Technicienne', image: 'data:image/png;base64,iVBORw0KGgo=' });
    expect(signed.json().signature.name).toBe('Camille Technicienne');
    wo = signed.json();
    const noAnswer = await post(techCh1, url, { to: 'completed' }, wo.version);
    expect(problemOf(noAnswer).errors!.map((e) => e.path)).toEqual(['backInService']);
    const completed = await post(techCh1, url, { to: 'completed', backInService: true }, wo.version);
    expect(completed.statusCode).toBe(200);
    wo = completed.json();
    expect(wo.state).toBe('completed');
    expect(wo.downtimeEndedAt).not.toBeNull();
    expect((await get(care, `/api/v1/equipment/${device.id}`)).json().status).toBe('in_service');
    expect((await post(techCh1, `/api/v1/work-orders/${wo.id}/labour`, { minutes: 5 })).statusCode).toBe(409);
    const closed = await post(engineer, url, { to: 'closed' }, wo.version);
    expect(closed.json()).toMatchObject({ state: 'closed' });
    expect(closed.json().closedAt).not.toBeNull();

    // The intervention report, in French, names the device and the work done.
    const pdf = await get(care, `/api/v1/work-orders/${wo.id}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const { text } = await readPdf(new Uint8Array(pdf.rawPayload));
    for (const expected of [`Bon d'intervention ${wo.number}`, device.inventoryNumber, 'Capteur de pression expiratoire HS', 'Camille Technicienne', 'Dräger France', 'CAP-EXP-01']) {
      expect(text).toContain(expected);
    }

    // The register names who did it and for which employer (the legal entity of their home site, or the vendor),
    // with the stop and restart dates; a corrective work order completed without a verdict is not evaluated.
    const register = (await get(care, `/api/v1/equipment/${device.id}/register`)).json();
    const entry = register.entries.at(-1);
    expect(entry).toMatchObject({ number: wo.number, nature: 'corrective', conformity: 'not_evaluated', stoppedAt: wo.downtimeStartedAt, restartedAt: wo.downtimeEndedAt });
    const legalEntity = async (site: string) => {
      const s = (await get(care, `/api/v1/sites/${ids.site(site)}`)).json();
      return { kind: 'establishment', name: s.legalEntityName, finess: s.legalEntityFiness };
    };
    expect(entry.performers).toEqual([
      { name: 'Camille Technicienne', employer: { ...(await legalEntity('CH1')), name: 'Centre hospitalier de Bellerive' } },
      { name: 'Thomas Technicien', employer: { ...(await legalEntity('CHU')), name: 'Centre hospitalier universitaire de Valmont-sur-Loire' } },
      { name: 'Dräger France (réf. INT-8841)', employer: { kind: 'vendor', name: 'Dräger France' } },
    ]);

    const mine = (await get(techCh1, '/api/v1/work-orders?assignee=me')).json().items as Json[];
    expect(mine.map((w) => w.id)).toContain(wo.id);
    const requests = (await get(care, '/api/v1/work-orders?requestedBy=me')).json().items as Json[];
    expect(requests.map((w) => w.id)).toEqual([wo.id]);
    const audit = await ctx.database.db.selectFrom('auditLog').select('action').where('entityId', '=', wo.id).execute();
    expect(audit.map((a) => a.action)).toEqual([
      'work_order.request', 'work_order.assign', 'work_order.assign', 'work_order.transition', 'work_order.transition', 'work_order.transition',
      'work_order.update', 'work_order.labour', 'work_order.labour', 'work_order.part', 'work_order.external', 'work_order.sign', 'work_order.transition', 'work_order.transition',
    ]);
  });

  it('an electrical-safety checklist: measurements judged against their limits, mandatory items before completion', async () => {
    const device = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=1&cursor=${Buffer.from(JSON.stringify(['CHU-2015'])).toString('base64url')}`)).json().items[0];
    // The limits follow the model's electrical class and applied parts (tests/api/electrical-safety.int.test.ts): class I, type BF here.
    const model = (await get(engineer, `/api/v1/equipment-models/${device.model.id}`)).json();
    const classed = await ctx.app.inject({
      method: 'PATCH', url: `/api/v1/equipment-models/${model.id}`, payload: { electricalClass: 'I', appliedPartType: 'BF' }, headers: { ...engineer.auth, 'if-match': String(model.version) },
    });
    expect(classed.statusCode).toBe(200);
    let wo = (await post(care, '/api/v1/work-requests', { equipmentId: device.id, symptom: 'Contrôle après chute', deviceOutOfService: false })).json();
    wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/assignees`, { userId: techChu.userId })).json();
    const url = `/api/v1/work-orders/${wo.id}/transitions`;
    wo = (await post(techChu, url, { to: 'in_progress' }, wo.version)).json();
    const list = (await post(techChu, `/api/v1/work-orders/${wo.id}/checklist`, { template: 'iec-62353' })).json().items as Json[];
    expect(list.map((i) => i.key)).toEqual([
      'visual_inspection', 'protective_earth_resistance', 'insulation_resistance', 'insulation_resistance_applied_parts', 'equipment_leakage_current',
      'applied_part_leakage_current', 'functional_test',
    ]);
    expect((await post(techChu, `/api/v1/work-orders/${wo.id}/checklist`, { template: 'iec-62353' })).statusCode).toBe(409);
    const manual = (await post(techChu, `/api/v1/work-orders/${wo.id}/checklist`, { item: { label: 'Autonomie batterie', kind: 'measurement', unit: 'min', min: 60, mandatory: true } })).json().items as Json[];
    const item = (key: string) => (manual.find((i) => i.key === key) ?? manual.at(-1))!;
    const answer = (it: Json, body: object) => ctx.app.inject({ method: 'PUT', url: `/api/v1/work-orders/${wo.id}/checklist/${it.id}`, payload: body, headers: techChu.auth });

    const earthBad = (await answer(item('protective_earth_resistance'), { value: 0.5, outcome: 'pass' })).json();
    expect(earthBad).toMatchObject({ value: 0.5, outcome: 'fail', unit: 'Ω', max: 0.3 });
    expect((await answer(item('protective_earth_resistance'), { value: 0.12 })).json().outcome).toBe('pass');
    expect((await answer(item('equipment_leakage_current'), {})).statusCode).toBe(400);

    wo = (await ctx.app.inject({ method: 'PATCH', url: `/api/v1/work-orders/${wo.id}`, payload: { diagnosis: 'RAS', actions: 'Contrôle de sécurité électrique' }, headers: { ...techChu.auth, 'if-match': String(wo.version) } })).json();
    wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/labour`, { minutes: 25 })).json();
    wo = (await post(techChu, `/api/v1/work-orders/${wo.id}/signature`, { name: 'Thomas Technicien', image: 'data:image/png;base64,iVBORw0KGgo=' })).json();
    const blocked = await post(techChu, url, { to: 'completed' }, wo.version);
    expect(problemOf(blocked).errors!.map((e) => e.path)).toEqual([
      'checklist.visual_inspection', 'checklist.equipment_leakage_current', 'checklist.applied_part_leakage_current', 'checklist.functional_test', `checklist.${manual.at(-1)!.key}`,
    ]);
    await answer(item('visual_inspection'), { outcome: 'pass' });
    expect((await answer(item('equipment_leakage_current'), { value: 120 })).json().outcome).toBe('pass');
    expect((await answer(item('applied_part_leakage_current'), { value: 6000 })).json().outcome).toBe('fail');
    await answer(item('functional_test'), { outcome: 'pass' });
    expect((await answer(manual.at(-1)!, { value: 45 })).json().outcome).toBe('fail');
    wo = (await get(techChu, `/api/v1/work-orders/${wo.id}`)).json();
    // Failed measurements: a verdict is required, and it is at best non conforming.
    expect(problemOf(await post(techChu, url, { to: 'completed' }, wo.version))).toMatchObject({ status: 422, code: 'verdict_required' });
    expect(problemOf(await post(techChu, url, { to: 'completed', conformity: 'conforming' }, wo.version))).toMatchObject({ status: 422, code: 'verdict_contradicts_measurement' });
    const done = await post(techChu, url, { to: 'completed', conformity: 'non_conforming', conformityNote: 'Fuite des parties appliquées et autonomie hors limites' }, wo.version);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ conformity: 'non_conforming', conformityNote: 'Fuite des parties appliquées et autonomie hors limites' });
    expect((await get(care, `/api/v1/equipment/${device.id}`)).json().status).toBe('out_of_service');
    const final = (await get(care, `/api/v1/work-orders/${wo.id}/checklist`)).json().items as Json[];
    expect(final.filter((i) => i.outcome === 'fail').map((i) => i.key)).toEqual(['applied_part_leakage_current', manual.at(-1)!.key]);
    const register = (await get(care, `/api/v1/equipment/${device.id}/register`)).json();
    expect(register.entries.at(-1)).toMatchObject({ conformity: 'non_conforming', description: 'RAS — Contrôle de sécurité électrique' });
    expect(register.entries.at(-1).performance).toContain('Résistance du conducteur de protection (avec le cordon ; appareil 0,2 Ω + cordon 0,1 Ω mesurés séparément) : 0,12 Ω (≤ 0,3) conforme');
    expect(register.entries.at(-1).performance).toContain('Courant de fuite des parties appliquées (type BF, méthode directe) : 6 000 µA (≤ 5 000) non conforme');
    const csv = await get(care, `/api/v1/equipment/${device.id}/register?format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.startsWith('\ufeffN° du bon;Date de réalisation;Nature;')).toBe(true);
    expect(csv.body).toContain(`${wo.number};`);
    expect(csv.body).toContain('Non conforme');
    const registerPdf = await get(care, `/api/v1/equipment/${device.id}/register?format=pdf`);
    expect(registerPdf.headers['content-type']).toBe('application/pdf');
    const { text: registerText } = await readPdf(new Uint8Array(registerPdf.rawPayload));
    for (const expected of ['Registre de maintenance et de contrôle qualité', device.inventoryNumber, wo.number, 'Non conforme', 'Thomas Technicien (Centre hospitalier universitaire']) {
      expect(registerText).toContain(expected);
    }
  });

  it('a requester cancels their own request while nobody took it, with a reason', async () => {
    const device = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=1`)).json().items[0];
    const wo = (await post(care, '/api/v1/work-requests', { equipmentId: device.id, symptom: 'Écran qui clignote', deviceOutOfService: false })).json();
    expect(wo.priority).not.toBe('critical');
    expect((await get(care, `/api/v1/equipment/${device.id}`)).json().status).toBe('in_service');
    const url = `/api/v1/work-orders/${wo.id}/transitions`;
    expect((await post(care, url, { to: 'cancelled' }, wo.version)).statusCode).toBe(422);
    const cancelled = await post(care, url, { to: 'cancelled', reason: 'Câble mal branché, résolu' }, wo.version);
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', cancelReason: 'Câble mal branché, résolu' });
  });

  it('sorts by priority then due date, and refuses reports on other sites', async () => {
    const list = (await get(engineer, `/api/v1/work-orders?siteId=${ids.site('CHU')}`)).json().items as Json[];
    const ranks = list.map((w) => ['critical', 'high', 'normal', 'low'].indexOf(w.priority));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    const other = (await get(care, `/api/v1/equipment?siteId=${ids.site('CH2')}&limit=1`)).json().items[0];
    expect((await post(care, '/api/v1/work-requests', { equipmentId: other.id, symptom: 'Panne générale', deviceOutOfService: true })).statusCode).toBe(403);
    expect((await post(care, '/api/v1/work-requests', { equipmentId: other.id, symptom: 'x', deviceOutOfService: true })).statusCode).toBe(400);
  });
});

describe('attachments', () => {
  function multipart(file: { name: string; data: Buffer; type: string }) {
    const boundary = `----wo${Date.now()}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
      file.data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  }

  it('takes photos and PDFs by their content, refuses other types and oversize files, and serves them back', async () => {
    const device = (await get(care, `/api/v1/equipment?siteId=${ids.site('CHU')}&status=in_service&limit=1`)).json().items[0];
    const wo = (await post(care, '/api/v1/work-requests', { equipmentId: device.id, symptom: 'Boîtier fissuré', deviceOutOfService: false })).json();
    const upload = (who: Session, name: string, data: Buffer, type: string) => {
      const m = multipart({ name, data, type });
      return ctx.app.inject({ method: 'POST', url: `/api/v1/work-orders/${wo.id}/attachments`, payload: m.payload, headers: { ...who.auth, ...m.headers } });
    };
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    const photo = await upload(care, 'fissure.png', png, 'image/png');
    expect(photo.statusCode).toBe(201);
    expect(photo.json()).toMatchObject({ fileName: 'fissure.png', mediaType: 'image/png', sizeBytes: png.length, uploadedBy: { fullName: 'Sophie Soignante' } });
    // A script named like a picture is still a script.
    expect((await upload(care, 'photo.jpg', Buffer.from('<script>alert(1)</script>'), 'image/jpeg')).statusCode).toBe(415);
    const pdf = await upload(techChu, 'devis.pdf', Buffer.from('%PDF-1.7\n%fake but typed\n'), 'application/octet-stream');
    expect(pdf.json().mediaType).toBe('application/pdf');
    expect((await upload(techCh1, 'x.png', png, 'image/png')).statusCode).toBe(403);

    const list = (await get(engineer, `/api/v1/work-orders/${wo.id}/attachments`)).json().items;
    expect(list.map((a: Json) => a.fileName)).toEqual(['fissure.png', 'devis.pdf']);
    // The vendor's report is one of the attachments; another work order's is refused.
    await post(techChu, `/api/v1/work-orders/${wo.id}/assignees`, { userId: techChu.userId });
    const vendor = { vendor: 'Biomed Services', vendorReference: 'RI-778', costCents: 45000, performedOn: '2026-11-23' };
    expect((await post(techChu, `/api/v1/work-orders/${wo.id}/external-interventions`, { ...vendor, reportAttachmentId: pdf.json().id })).statusCode).toBe(200);
    const strange = await post(techChu, `/api/v1/work-orders/${wo.id}/external-interventions`, { ...vendor, reportAttachmentId: '00000000-0000-4000-8000-000000000000' });
    expect(problemOf(strange)).toMatchObject({ status: 422, errors: [{ path: 'body.reportAttachmentId' }] });
    expect((await get(care, `/api/v1/work-orders/${wo.id}/external-interventions`)).json().items).toEqual([
      expect.objectContaining({ vendor: 'Biomed Services', reportAttachmentId: pdf.json().id, costCents: 45000 }),
    ]);

    const back = await get(engineer, `/api/v1/work-orders/${wo.id}/attachments/${photo.json().id}`);
    expect(back.statusCode).toBe(200);
    expect(back.headers['content-type']).toBe('image/png');
    expect(back.rawPayload.equals(png)).toBe(true);

    const small = await createTestContext({ env: { ATTACHMENT_MAX_BYTES: '1024' } });
    try {
      const s = await login(small.app, 'soignant.chu@ght-demo.fr');
      const d = (await small.app.inject({ method: 'GET', url: `/api/v1/equipment?siteId=${(await demoIds(small.database.db)).site('CHU')}&limit=1`, headers: s.auth })).json().items[0];
      const w = (await small.app.inject({ method: 'POST', url: '/api/v1/work-requests', payload: { equipmentId: d.id, symptom: 'Trop grande photo', deviceOutOfService: false }, headers: s.auth })).json();
      const m = multipart({ name: 'big.png', data: Buffer.concat([png, Buffer.alloc(4096)]), type: 'image/png' });
      const big = await small.app.inject({ method: 'POST', url: `/api/v1/work-orders/${w.id}/attachments`, payload: m.payload, headers: { ...s.auth, ...m.headers } });
      expect(big.statusCode).toBe(413);
      expect(problemOf(big).code).toBe('file_too_large');
    } finally {
      await small.close();
    }
  });
});
