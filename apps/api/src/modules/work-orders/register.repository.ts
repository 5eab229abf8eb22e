import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { DONE_WORK_ORDER_STATES } from '@gmao/domain';

/** The device's work orders that enter its maintenance register: completed (or closed), in the order they were done. */
export function registerOrders(db: Kysely<DB>, equipmentId: string) {
  return db
    .selectFrom('workOrders as w')
    .leftJoin('users as ov', 'ov.id', 'w.conformityOverrideBy')
    .select([
      'w.id', 'w.number', 'w.type', 'w.siteId', 'w.completedAt', 'w.diagnosis', 'w.actions', 'w.downtimeStartedAt', 'w.downtimeEndedAt',
      'w.qualityControlKind', 'w.conformity', 'w.conformityNote', 'w.conformityOverrideReason', 'ov.fullName as conformityOverrideByName',
    ])
    .where('w.equipmentId', '=', equipmentId)
    .where('w.state', 'in', DONE_WORK_ORDER_STATES)
    .where('w.completedAt', 'is not', null)
    .orderBy('w.completedAt')
    .execute();
}

/**
 * Who did the work of these work orders, and when: the people who logged time (when each
 * entry's work was done), the signer, and the vendors' interventions (with their
 * technician, accreditation and report). Each person comes with the legal entity of their
 * home site: their employer.
 */
export async function registerPerformers(db: Kysely<DB>, workOrderIds: readonly string[]) {
  if (workOrderIds.length === 0) return { labour: [], signers: [], vendors: [] };
  const [labour, signers, vendors] = await Promise.all([
    db.selectFrom('workOrderLabour as l').innerJoin('users as u', 'u.id', 'l.technicianId').leftJoin('sites as s', 's.id', 'u.homeSiteId')
      .select([
        'l.workOrderId', 'u.id as userId', 'u.fullName', 's.name as siteName', 's.legalEntityName', 's.legalEntityFiness',
        // When the work was done: its start, or when it was logged.
        sql<Date>`coalesce(l.started_at, l.recorded_at)`.as('workedAt'),
      ])
      .where('l.workOrderId', 'in', workOrderIds).orderBy('l.workOrderId').orderBy(sql`coalesce(l.started_at, l.recorded_at)`).execute(),
    db.selectFrom('workOrders as w').innerJoin('users as u', 'u.id', 'w.signedBy').leftJoin('sites as s', 's.id', 'u.homeSiteId')
      .select(['w.id as workOrderId', 'u.id as userId', 'w.signedName as fullName', 's.name as siteName', 's.legalEntityName', 's.legalEntityFiness'])
      .where('w.id', 'in', workOrderIds).execute(),
    db.selectFrom('workOrderExternal as x').leftJoin('workOrderAttachments as a', 'a.id', 'x.reportAttachmentId')
      .select(['x.workOrderId', 'x.vendor', 'x.vendorReference', 'x.technicianName', 'x.accreditationReference', 'x.performedOn', 'x.reportAttachmentId', 'a.fileName as reportFileName'])
      .where('x.workOrderId', 'in', workOrderIds).orderBy('x.recordedAt').execute(),
  ]);
  return { labour, signers, vendors };
}

/** The checklist results of these work orders: the performance obtained. */
export function registerChecks(db: Kysely<DB>, workOrderIds: readonly string[]) {
  if (workOrderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('workOrderChecklistItems')
    .select(['workOrderId', 'label', 'kind', 'unit', 'minValue', 'maxValue', 'outcome', 'numericValue', 'textValue'])
    .where('workOrderId', 'in', workOrderIds)
    .orderBy('position')
    .execute();
}
