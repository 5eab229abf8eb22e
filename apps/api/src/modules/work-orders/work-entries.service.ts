import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ExternalCreate, LabourCreate, SignatureCreate, StockReservation, WorkOrder, WorkOrderPartCreate, WorkOrderStockPartCreate, WorkOrderUpdate } from '@gmao/contracts';
import {
  attachmentOfWorkOrder, dueDates, externalOf, insertExternal, insertLabour, insertPart, issuePartToWorkOrder, labourOf, partsOf, releaseReservations, reservationsOf, reserveStock, saveSignature, updateWorkOrder,
  type StockReservationRow,
  type DB, type WorkOrderEdit,
} from '@gmao/db';
import { can, type WorkOrderPriority } from '@gmao/domain';
import type { ActorContext } from '../../lib/context.js';
import { badRequest, conflict, forbidden, notFound, unprocessable, versionMismatch } from '../../lib/problem.js';
import { rethrowStockError } from '../stock/stock.service.js';
import { findPart, findStore } from '../stock/stock.repository.js';
import type { StockAlertsNotifier } from '../stock/stock-alerts.notifier.js';
import { requireAbility, writeWork } from './work-order-access.js';
import { findOr404 } from './work-order-view.js';

function toReservation(r: StockReservationRow): StockReservation {
  return {
    id: r.id, workOrderId: r.workOrderId, storeId: r.storeId, partId: r.partId, quantity: r.quantity, state: r.state as StockReservation['state'],
    createdAt: r.createdAt.toISOString(), closedAt: r.closedAt?.toISOString() ?? null,
  };
}

/**
 * The work written on a work order: diagnosis and actions (and the priority, by
 * planners), labour, vendor interventions, parts and the technician's signature.
 */
export class WorkEntriesService {
  constructor(private readonly deps: { db: Kysely<DB>; alerts: StockAlertsNotifier }) {}

  /**
   * Diagnosis and actions (assignees, planners), priority (planners, also while nobody has
   * taken the work order yet: triage). A new priority moves the due dates of a work order
   * dated by the territory's targets (from its request time); a planned one keeps its date.
   */
  async update(ctx: ActorContext, id: string, version: number, patch: z.output<typeof WorkOrderUpdate>): Promise<WorkOrder> {
    // The report is written while the work is open to writing; a priority alone (triage) also before anyone took it.
    const report = patch.diagnosis !== undefined || patch.actions !== undefined;
    return writeWork(this.deps.db, ctx, id, report ? 'editReport' : 'triage', 'work_order.update', async ({ trx, wo, assignees }) => {
      const newPriority = patch.priority !== undefined && patch.priority !== wo.priority ? patch.priority : null;
      if (newPriority) requireAbility(ctx, wo, assignees, 'setPriority', { role: 'Seuls l’ingénieur et le responsable du site changent la priorité.' });
      if (wo.version !== version) throw versionMismatch(wo.version);
      const edit: WorkOrderEdit = { ...patch };
      if (newPriority && wo.dueResponseAt !== null) Object.assign(edit, await dueDates(trx, ctx.principal.territoryId, newPriority as WorkOrderPriority, wo.requestedAt));
      await updateWorkOrder(trx, id, edit);
      return edit;
    });
  }

  async labour(ctx: ActorContext, id: string) {
    await findOr404(this.deps.db, ctx.principal, id);
    const rows = await labourOf(this.deps.db, id);
    return {
      items: rows.map((r) => ({
        id: r.id, technician: { id: r.technicianId, fullName: r.fullName }, startedAt: r.startedAt?.toISOString() ?? null,
        endedAt: r.endedAt?.toISOString() ?? null, minutes: r.minutes, travelMinutes: r.travelMinutes, recordedAt: r.recordedAt.toISOString(),
      })),
    };
  }

  async addLabour(ctx: ActorContext, id: string, input: z.output<typeof LabourCreate>): Promise<WorkOrder> {
    return writeWork(this.deps.db, ctx, id, 'addLabour', 'work_order.labour', async ({ trx, wo, assignees, abilities }) => {
      const technicianId = input.technicianId ?? ctx.principal.userId;
      if (technicianId !== ctx.principal.userId && !abilities.labourForOthers) throw forbidden('Vous ne saisissez que votre propre temps.');
      if (!assignees.some((a) => a.id === technicianId)) {
        throw unprocessable("Ce technicien n'est pas affecté au bon.", 'not_assigned', [{ path: 'body.technicianId', message: 'non affecté' }]);
      }
      let minutes = input.minutes;
      if (input.startedAt && input.endedAt) {
        minutes = Math.round((Date.parse(input.endedAt) - Date.parse(input.startedAt)) / 60_000);
        if (minutes <= 0 || minutes > 24 * 60) {
          throw badRequest('La fin doit suivre le début, sur 24 h au plus.', [{ path: 'body.endedAt', message: 'période invalide' }], 'validation_failed');
        }
      }
      const row = { workOrderId: wo.id, technicianId, startedAt: input.startedAt ?? null, endedAt: input.endedAt ?? null, minutes: minutes!, travelMinutes: input.travelMinutes, recordedBy: ctx.principal.userId };
      await insertLabour(trx, row);
      return row;
    });
  }

  async externals(ctx: ActorContext, id: string) {
    await findOr404(this.deps.db, ctx.principal, id);
    const rows = await externalOf(this.deps.db, id);
    return {
      items: rows.map((r) => ({
        id: r.id, vendor: r.vendor, vendorReference: r.vendorReference, technicianName: r.technicianName, accreditationReference: r.accreditationReference, costCents: r.costCents,
        performedOn: r.performedOn, reportAttachmentId: r.reportAttachmentId, recordedAt: r.recordedAt.toISOString(),
      })),
    };
  }

  async addExternal(ctx: ActorContext, id: string, input: z.output<typeof ExternalCreate>): Promise<WorkOrder> {
    return writeWork(this.deps.db, ctx, id, 'addExternal', 'work_order.external', async ({ trx, wo }) => {
      if (input.reportAttachmentId !== null && !(await attachmentOfWorkOrder(trx, wo.id, input.reportAttachmentId))) {
        throw unprocessable("Le rapport doit être une pièce jointe de ce bon.", 'invalid_attachment', [{ path: 'body.reportAttachmentId', message: 'pièce jointe inconnue sur ce bon' }]);
      }
      const row = { workOrderId: wo.id, ...input, recordedBy: ctx.principal.userId };
      await insertExternal(trx, row);
      return row;
    });
  }

  async parts(ctx: ActorContext, id: string) {
    await findOr404(this.deps.db, ctx.principal, id);
    return { items: (await partsOf(this.deps.db, id)).map((p) => ({ ...p, recordedAt: p.recordedAt.toISOString() })) };
  }

  /**
   * A part of a store is issued from the stock and recorded on the work order in one
   * transaction (stock.issue at the store's site; 409 insufficient_stock); a free-text line
   * (a part bought on the spot) moves no stock.
   */
  async addPart(ctx: ActorContext, id: string, input: z.output<typeof WorkOrderPartCreate>) {
    await writeWork(this.deps.db, ctx, id, 'addParts', 'work_order.part', async ({ trx, wo }) => {
      if ('partId' in input) {
        const territoryId = ctx.principal.territoryId;
        const store = await this.storeForParts(trx, ctx, input.storeId, input.partId);
        const done = await issuePartToWorkOrder(trx, {
          territoryId, siteId: store.siteId, storeId: store.id, partId: input.partId, workOrderId: wo.id, quantity: input.quantity,
          recordedBy: ctx.principal.userId,
        }).catch(rethrowStockError);
        return { ...input, movementId: done.movement.id, lineId: done.lineId, onHand: done.stock.onHand };
      }
      const row = { workOrderId: wo.id, ...input, recordedBy: ctx.principal.userId };
      await insertPart(trx, row);
      return row;
    });
    // An issue from a store moved its stock: the alerts follow (best effort, after the commit).
    if ('partId' in input) await this.deps.alerts.stockMoved(ctx.principal.territoryId);
    return this.parts(ctx, id);
  }

  async reservations(ctx: ActorContext, id: string): Promise<{ items: StockReservation[] }> {
    await findOr404(this.deps.db, ctx.principal, id);
    return { items: (await reservationsOf(this.deps.db, id)).map(toReservation) };
  }

  /**
   * Holds stock of a store for this work order (stock.issue at the store's site, while the
   * work order is open to parts); 409 insufficient_stock beyond what is available.
   */
  async reserve(ctx: ActorContext, id: string, input: z.output<typeof WorkOrderStockPartCreate>) {
    await writeWork(this.deps.db, ctx, id, 'addParts', 'work_order.reservation', async ({ trx, wo }) => {
      const territoryId = ctx.principal.territoryId;
      const store = await this.storeForParts(trx, ctx, input.storeId, input.partId);
      const done = await reserveStock(trx, {
        territoryId, storeId: store.id, partId: input.partId, workOrderId: wo.id, quantity: input.quantity, createdBy: ctx.principal.userId,
      }).catch(rethrowStockError);
      return { reservationId: done.reservation.id, ...input, reserved: done.stock.reserved };
    });
    return this.reservations(ctx, id);
  }

  /**
   * Gives an active reservation back to the shelves: whoever may add parts to the work order
   * and issue at the reservation's store (stock.issue at its site), as for reserving.
   */
  async release(ctx: ActorContext, id: string, reservationId: string, reason: string | null) {
    await writeWork(this.deps.db, ctx, id, 'addParts', 'work_order.reservation_release', async ({ trx, wo }) => {
      const target = (await reservationsOf(trx, wo.id)).find((r) => r.id === reservationId && r.state === 'active');
      if (!target) throw notFound('Réservation active');
      const store = await findStore(trx, ctx.principal.territoryId, target.storeId);
      if (!store || !can(ctx.principal, 'stock.issue', { territoryId: ctx.principal.territoryId, siteId: store.siteId })) {
        throw forbidden('Vous ne rendez aux rayons que les pièces des magasins de vos sites.');
      }
      const released: StockReservationRow[] = await releaseReservations(trx, [wo.id], reservationId);
      if (released.length === 0) throw notFound('Réservation active');
      return { reservationId, quantity: released[0]!.quantity, reason };
    });
    return this.reservations(ctx, id);
  }

  private async storeForParts(trx: Kysely<DB>, ctx: ActorContext, storeId: string, partId: string) {
    const territoryId = ctx.principal.territoryId;
    const store = await findStore(trx, territoryId, storeId);
    if (!store) throw badRequest('Magasin inconnu.', [{ path: 'body.storeId', message: 'magasin inconnu' }], 'validation_failed');
    if (!can(ctx.principal, 'stock.issue', { territoryId, siteId: store.siteId })) {
      throw forbidden('Vous ne sortez des pièces que des magasins de vos sites.');
    }
    if (!store.active) throw conflict('Ce magasin est fermé : aucun mouvement n’y est possible.', 'store_inactive');
    if (!(await findPart(trx, territoryId, partId))) {
      throw badRequest('Pièce inconnue.', [{ path: 'body.partId', message: 'pièce inconnue' }], 'validation_failed');
    }
    return store;
  }

  async sign(ctx: ActorContext, id: string, input: z.output<typeof SignatureCreate>): Promise<WorkOrder> {
    // Whoever works on the work order reaches the form (403/409 as for any work); only an assignee signs.
    return writeWork(this.deps.db, ctx, id, 'editReport', 'work_order.sign', async ({ trx, wo, abilities }) => {
      if (!abilities.sign) throw forbidden('Seul un technicien affecté au bon le signe.');
      await saveSignature(trx, wo.id, { signedBy: ctx.principal.userId, signedName: input.name, signatureImage: input.image });
      return { name: input.name, imageBytes: input.image.length };
    });
  }
}
