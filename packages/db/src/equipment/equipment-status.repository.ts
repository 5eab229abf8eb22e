import { sql, type Kysely } from 'kysely';
import { codedReasonText, type CodedReason, type EquipmentStatus } from '@gmao/domain';
import type { DB } from '../generated/db.js';

/** One entry of a device's history (equipment_events). */
export interface EquipmentEventValues {
  territoryId: string;
  equipmentId: string;
  kind: string;
  actorId: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  fromSiteId?: string | null;
  toSiteId?: string | null;
  fromLocationId?: string | null;
  toLocationId?: string | null;
  reason?: string | null;
  /** A reason the product writes (packages/domain history-reasons.ts), read in the reader's language; `reason` then defaults to its French text. */
  codedReason?: CodedReason | null;
  details?: unknown;
  /** When it happened; by default now (the demo seed writes a past). */
  at?: Date;
}

export async function insertEquipmentEvent(db: Kysely<DB>, e: EquipmentEventValues): Promise<void> {
  const coded = e.codedReason ?? null;
  await db
    .insertInto('equipmentEvents')
    .values({
      ...e,
      reason: e.reason ?? (coded ? codedReasonText(coded, 'fr') : null),
      codedReason: coded ? JSON.stringify(coded) : null,
      details: e.details === undefined ? null : JSON.stringify(e.details),
    })
    .execute();
}

export interface EquipmentStatusChange {
  territoryId: string;
  equipmentId: string;
  from: EquipmentStatus;
  to: EquipmentStatus;
  actorId: string | null;
  reason: string | null;
  codedReason?: CodedReason | null;
  details?: unknown;
  /** The history entry's kind: a plain status change, or the approval of a réforme. */
  kind?: 'status_changed' | 'decommissioned';
  /** What a réforme records with the status. */
  decommission?: { date: string; reason: string };
  /** When it happened, for the history; by default now (the demo seed writes a past). */
  at?: Date;
}

/**
 * A device's status changed by something else than the device's own record (a work order,
 * a réforme, the demo): the new status (its version moves on) and the entry in its
 * history, in the caller's transaction. The caller has checked that the move is allowed
 * (packages/domain canTransition). The device page's own status change goes through the
 * versioned edit of the equipment module (If-Match), which writes its history the same way.
 */
export async function setEquipmentStatus(db: Kysely<DB>, c: EquipmentStatusChange): Promise<void> {
  await db
    .updateTable('equipment')
    .set({
      status: c.to,
      ...(c.decommission ? { decommissionedAt: c.decommission.date, decommissionReason: c.decommission.reason } : {}),
      version: sql`version + 1`,
      updatedAt: sql`now()`,
    })
    .where('id', '=', c.equipmentId)
    .where('territoryId', '=', c.territoryId)
    .execute();
  await insertEquipmentEvent(db, {
    territoryId: c.territoryId,
    equipmentId: c.equipmentId,
    kind: c.kind ?? 'status_changed',
    actorId: c.actorId,
    fromStatus: c.from,
    toStatus: c.to,
    reason: c.reason,
    codedReason: c.codedReason,
    details: c.details,
    at: c.at,
  });
}

/** The current status of devices, by id (to check a move before making it). */
export async function equipmentStatuses(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, EquipmentStatus>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('equipment').select(['id', 'status']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.status as EquipmentStatus]));
}
