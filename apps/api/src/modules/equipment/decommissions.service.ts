import type { z } from 'zod';
import type { Decommission, DecommissionCreate, DecommissionDecision } from '@gmao/contracts';
import type { Kysely } from 'kysely';
import { insertEquipmentEvent, setEquipmentStatus, type DB } from '@gmao/db';
import { can, type DecommissionReason, type EquipmentStatus } from '@gmao/domain';
import { audit, type ActorContext } from '../../lib/context.js';
import { parisDay } from '../../lib/french.js';
import { conflict, forbidden, notFound, unprocessable } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';
import * as repo from './decommissions.repository.js';
import { findEquipment } from './equipment.repository.js';

function toDecommission(r: repo.DecommissionRow): Decommission {
  return {
    id: r.id, equipmentId: r.equipmentId, reason: r.reason as DecommissionReason, decommissionDate: r.decommissionDate,
    comment: r.comment, status: r.status as Decommission['status'],
    requestedBy: { id: r.requestedBy, fullName: r.requestedByName }, requestedAt: r.requestedAt.toISOString(),
    decidedBy: r.decidedBy ? { id: r.decidedBy, fullName: r.decidedByName ?? '' } : null,
    decidedAt: r.decidedAt?.toISOString() ?? null, decisionComment: r.decisionComment,
  };
}

/**
 * Decommissioning (réforme): the biomedical team asks, the site manager approves or
 * rejects. Approval sets the device's status to decommissioned; its record and history
 * stay (the law keeps them 5 years after the end of use; the application deletes nothing).
 */
export class DecommissionsService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}

  async list(ctx: ActorContext, equipmentId: string): Promise<{ items: Decommission[] }> {
    if (!(await findEquipment(this.deps.db, ctx.principal.territoryId, equipmentId))) throw notFound('Équipement');
    return { items: (await repo.decommissionsOf(this.deps.db, equipmentId)).map(toDecommission) };
  }

  async request(ctx: ActorContext, equipmentId: string, input: z.output<typeof DecommissionCreate>): Promise<Decommission> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const device = await findEquipment(trx, territoryId, equipmentId);
      if (!device) throw notFound('Équipement');
      if (!can(ctx.principal, 'inventory.write', { territoryId, siteId: device.siteId })) throw forbidden();
      if (device.status === 'decommissioned') throw conflict('Cet équipement est déjà réformé.', 'decommissioned');
      const date = input.decommissionDate ?? parisDay();
      if (date > parisDay()) {
        throw unprocessable('La date de réforme ne peut pas être dans le futur.', 'date_in_future', [
          { path: 'body.decommissionDate', message: 'date future' },
        ]);
      }
      const id = await repo
        .insertDecommission(trx, { territoryId, equipmentId, reason: input.reason, decommissionDate: date, comment: input.comment, requestedBy: ctx.principal.userId })
        .catch((e) => rethrowUnique(e, { equipment_decommissions_one_pending_idx: { path: 'body', message: 'Une demande de réforme est déjà en attente pour cet équipement.' } }));
      await insertEquipmentEvent(trx, {
        territoryId, equipmentId, kind: 'decommission_requested', actorId: ctx.principal.userId,
        codedReason: { code: 'decommission', reason: input.reason, ...(input.comment ? { comment: input.comment } : {}) },
        details: { decommissionId: id, reason: input.reason, decommissionDate: date },
      });
      const created = toDecommission((await repo.findDecommission(trx, equipmentId, id))!);
      await audit(trx, ctx, 'equipment.decommission_request', 'equipment', equipmentId, null, created);
      return created;
    });
  }

  async decide(ctx: ActorContext, equipmentId: string, id: string, input: z.output<typeof DecommissionDecision>): Promise<Decommission> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const device = await findEquipment(trx, territoryId, equipmentId);
      if (!device) throw notFound('Équipement');
      const current = await repo.findDecommission(trx, equipmentId, id);
      if (!current) throw notFound('Demande de réforme');
      if (!can(ctx.principal, 'decommission.approve', { territoryId, siteId: device.siteId })) {
        throw forbidden('Seul le responsable du site approuve ou refuse une réforme.');
      }
      const approve = input.decision === 'approve';
      if (!(await repo.decide(trx, id, approve ? 'approved' : 'rejected', ctx.principal.userId, input.comment))) {
        throw conflict('Cette demande a déjà été traitée.', 'already_decided');
      }
      // The decision's comment as written, or the request's reason (written in the reader's language).
      const reason = input.comment || null;
      const codedReason = input.comment ? null : ({ code: 'decommission', reason: current.reason as DecommissionReason } as const);
      if (approve) {
        await setEquipmentStatus(trx, {
          territoryId, equipmentId, from: device.status as EquipmentStatus, to: 'decommissioned', kind: 'decommissioned',
          actorId: ctx.principal.userId, reason, codedReason, details: { decommissionId: id },
          decommission: { date: current.decommissionDate, reason: current.reason },
        });
      } else {
        await insertEquipmentEvent(trx, { territoryId, equipmentId, kind: 'decommission_rejected', actorId: ctx.principal.userId, reason, codedReason, details: { decommissionId: id } });
      }
      const decided = toDecommission((await repo.findDecommission(trx, equipmentId, id))!);
      await audit(trx, ctx, approve ? 'equipment.decommission_approve' : 'equipment.decommission_reject', 'equipment', equipmentId, toDecommission(current), decided);
      return decided;
    });
  }
}
