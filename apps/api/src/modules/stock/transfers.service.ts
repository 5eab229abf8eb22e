import type { z } from 'zod';
import type { Kysely, Selectable, Updateable } from 'kysely';
import {
  encodeCursor, type StockTransfer, type StockTransferApprove, type StockTransferCancel, type StockTransferCreate, type StockTransferListQuery,
  type StockTransferReceive, type StockTransferReject, type StockTransferShip,
} from '@gmao/contracts';
import { applyStockMovement, reserveStock, type DB, type StockTransfers } from '@gmao/db';
import { mayActOnTransfer, receiptShortfall, transferTransition, type TransferAction, type TransferState } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { badRequest, conflict, forbidden, notFound, versionMismatch } from '../../lib/problem.js';
import * as repo from './stock.repository.js';
import * as transfersRepo from './transfers.repository.js';
import { rethrowStockError } from './stock.service.js';
import type { StockAlertsNotifier } from './stock-alerts.notifier.js';

/** Transfers of parts between sites (issue 12, ADR 0013): every step in one transaction with its stock movement. */

type TransferRow = Selectable<StockTransfers>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const step = (by: string | null, at: Date | null) => (by && at ? { by, at: at.toISOString() } : null);
const times = (q: number | null, c: number | null) => (q === null || c === null ? null : q * c);

export function toTransfer(r: TransferRow): StockTransfer {
  const cost = r.unitCostCents === null ? null : Number(r.unitCostCents);
  return {
    id: r.id, state: r.state as StockTransfer['state'], partId: r.partId, sourceStoreId: r.sourceStoreId, sourceSiteId: r.sourceSiteId,
    destinationStoreId: r.destinationStoreId, destinationSiteId: r.destinationSiteId, workOrderId: r.workOrderId,
    quantityRequested: r.quantityRequested, quantityApproved: r.quantityApproved, quantityShipped: r.quantityShipped,
    quantityReceived: r.quantityReceived, quantityLost: r.quantityLost,
    quantityInTransit: r.state === 'shipped' ? (r.quantityShipped ?? 0) : 0,
    unitCostCents: cost, valueShippedCents: times(r.quantityShipped, cost), valueReceivedCents: times(r.quantityReceived, cost),
    valueLostCents: times(r.quantityLost, cost),
    reason: r.reason, decisionNote: r.decisionNote, lossReason: r.lossReason, cancelReason: r.cancelReason,
    outMovementId: r.outMovementId === null ? null : Number(r.outMovementId), inMovementId: r.inMovementId === null ? null : Number(r.inMovementId),
    requested: { by: r.requestedBy, at: iso(r.requestedAt)! },
    approved: step(r.approvedBy, r.approvedAt), rejected: step(r.rejectedBy, r.rejectedAt), shipped: step(r.shippedBy, r.shippedAt),
    received: step(r.receivedBy, r.receivedAt), cancelled: step(r.cancelledBy, r.cancelledAt), version: r.version,
  };
}

const FORBIDDEN: Record<TransferAction | 'request', string> = {
  request: 'Vous ne demandez un transfert que vers un magasin de vos sites.',
  approve: 'Seuls le responsable et l’ingénieur du site qui détient la pièce approuvent un transfert.',
  reject: 'Seuls le responsable et l’ingénieur du site qui détient la pièce refusent un transfert.',
  ship: 'Seuls le responsable et l’ingénieur du site qui détient la pièce expédient un transfert.',
  receive: 'Seul le site demandeur réceptionne un transfert.',
  cancel: 'Seuls le site demandeur et le site qui détient la pièce annulent un transfert.',
};
const STATE_LABELS: Record<TransferState, string> = {
  requested: 'demandé', approved: 'approuvé', rejected: 'refusé', shipped: 'expédié (en transit)', received: 'réceptionné', cancelled: 'annulé',
};


export class TransfersService {
  constructor(private readonly deps: Pick<AppDeps, 'db'> & { alerts: StockAlertsNotifier }) {}

  async list(ctx: ActorContext, query: z.output<typeof StockTransferListQuery>) {
    const rows = await transfersRepo.listTransfers(this.deps.db, ctx.principal.territoryId, {
      siteId: query.siteId, state: query.state, partId: query.partId, workOrderId: query.workOrderId, before: query.cursor?.[0], limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toTransfer), nextCursor: rows.length > query.limit && last ? encodeCursor([Number(last.number)]) : null };
  }

  async get(ctx: ActorContext, id: string): Promise<StockTransfer> {
    const row = await transfersRepo.findTransfer(this.deps.db, ctx.principal.territoryId, id);
    if (!row) throw notFound('Transfert');
    return toTransfer(row);
  }

  async create(ctx: ActorContext, input: z.output<typeof StockTransferCreate>): Promise<StockTransfer> {
    const territoryId = ctx.principal.territoryId;
    const db = this.deps.db;
    const [source, destination, part] = await Promise.all([
      repo.findStore(db, territoryId, input.sourceStoreId), repo.findStore(db, territoryId, input.destinationStoreId), repo.findPart(db, territoryId, input.partId),
    ]);
    if (!destination) throw badRequest('Magasin destinataire inconnu.', [{ path: 'body.destinationStoreId', message: 'magasin inconnu' }], 'validation_failed');
    if (!source) throw badRequest('Magasin source inconnu.', [{ path: 'body.sourceStoreId', message: 'magasin inconnu' }], 'validation_failed');
    if (!part) throw badRequest('Pièce inconnue.', [{ path: 'body.partId', message: 'pièce inconnue' }], 'validation_failed');
    if (!mayActOnTransfer(ctx.principal, 'request', { territoryId, sourceSiteId: source.siteId, destinationSiteId: destination.siteId })) {
      throw forbidden(FORBIDDEN.request);
    }
    if (source.siteId === destination.siteId) {
      throw badRequest('Un transfert relie deux sites différents : le magasin source appartient déjà au site demandeur.', [
        { path: 'body.sourceStoreId', message: 'magasin d’un autre site attendu', code: 'same_site' },
      ], 'validation_failed');
    }
    if (input.workOrderId && !(await repo.findWorkOrderSite(db, territoryId, input.workOrderId))) {
      throw badRequest('Bon de travail inconnu.', [{ path: 'body.workOrderId', message: 'bon inconnu' }], 'validation_failed');
    }
    if (!source.active || !destination.active) throw conflict('Ce magasin est fermé : aucun transfert n’y est possible.', 'store_inactive');
    if (!part.active) throw conflict('Cette pièce est désactivée : elle ne se transfère plus.', 'part_inactive');
    return db.transaction().execute(async (trx) => {
      const row = await transfersRepo.insertTransfer(trx, {
        territoryId, partId: part.id, sourceStoreId: source.id, sourceSiteId: source.siteId, destinationStoreId: destination.id,
        destinationSiteId: destination.siteId, workOrderId: input.workOrderId ?? null, quantityRequested: input.quantity,
        reason: input.reason ?? null, requestedBy: ctx.principal.userId,
      });
      const transfer = toTransfer(row);
      await audit(trx, ctx, 'stock_transfer.request', 'stock_transfer', row.id, null, transfer);
      return transfer;
    });
  }

  /**
   * One step: the transfer row is locked (`FOR UPDATE`) for the transaction, so concurrent
   * steps of one transfer queue and the second sees the first's state (409 transfer_state);
   * the step's stock movement commits with the state change or not at all.
   */
  private async step(
    ctx: ActorContext, id: string, action: TransferAction, version: number | undefined,
    apply: (trx: Kysely<DB>, t: TransferRow) => Promise<Updateable<StockTransfers>>,
  ): Promise<StockTransfer> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const t = await transfersRepo.findTransfer(trx, territoryId, id, { lock: true });
      if (!t) throw notFound('Transfert');
      if (!mayActOnTransfer(ctx.principal, action, t)) throw forbidden(FORBIDDEN[action]);
      if (version !== undefined && version !== t.version) throw versionMismatch(t.version);
      const next = transferTransition(t.state as TransferState, action);
      if (!next) {
        throw conflict(`Ce transfert est ${STATE_LABELS[t.state as TransferState]} : l’action « ${action} » n’est plus possible.`, 'transfer_state');
      }
      const changes = await apply(trx, t);
      const row = await transfersRepo.updateTransferState(trx, id, t.state, next, changes);
      const before = toTransfer(t);
      const after = toTransfer(row);
      await audit(trx, ctx, `stock_transfer.${action}`, 'stock_transfer', id, before, after);
      return after;
    });
  }

  approve(ctx: ActorContext, id: string, version: number | undefined, input: z.output<typeof StockTransferApprove>) {
    return this.step(ctx, id, 'approve', version, async (_trx, t) => {
      const quantity = input.quantity ?? t.quantityRequested;
      if (quantity > t.quantityRequested) {
        throw badRequest('On n’approuve pas plus que la quantité demandée.', [{ path: 'body.quantity', message: `au plus ${t.quantityRequested}` }], 'validation_failed');
      }
      return { quantityApproved: quantity, decisionNote: input.note ?? null, approvedBy: ctx.principal.userId, approvedAt: new Date() };
    });
  }

  reject(ctx: ActorContext, id: string, version: number | undefined, input: z.output<typeof StockTransferReject>) {
    return this.step(ctx, id, 'reject', version, async () => ({ decisionNote: input.reason, rejectedBy: ctx.principal.userId, rejectedAt: new Date() }));
  }

  cancel(ctx: ActorContext, id: string, version: number | undefined, input: z.output<typeof StockTransferCancel>) {
    return this.step(ctx, id, 'cancel', version, async () => ({ cancelReason: input.reason, cancelledBy: ctx.principal.userId, cancelledAt: new Date() }));
  }

  /** transfer_out at the source store, valued at its weighted average cost, which the transfer keeps. */
  async ship(ctx: ActorContext, id: string, version: number | undefined, input: z.output<typeof StockTransferShip>) {
    const shipped = await this.step(ctx, id, 'ship', version, async (trx, t) => {
      const approved = t.quantityApproved ?? 0;
      const quantity = input.quantity ?? approved;
      if (quantity > approved) {
        throw badRequest('On n’expédie pas plus que la quantité approuvée.', [{ path: 'body.quantity', message: `au plus ${approved}` }], 'validation_failed');
      }
      const { movement } = await applyStockMovement(trx, {
        territoryId: t.territoryId, storeId: t.sourceStoreId, siteId: t.sourceSiteId, partId: t.partId, type: 'transfer_out', quantity,
        reason: `Transfert ${t.id} : expédition`, createdBy: ctx.principal.userId,
      }).catch(rethrowStockError);
      return {
        quantityShipped: quantity, unitCostCents: movement.unitCostCents ?? 0, outMovementId: movement.id,
        shippedBy: ctx.principal.userId, shippedAt: new Date(),
        decisionNote: input.note ? [t.decisionNote, input.note].filter(Boolean).join(' — ') : t.decisionNote,
      };
    });
    // The source store's stock went down: its alerts follow (best effort, after the commit).
    await this.deps.alerts.stockMoved(ctx.principal.territoryId);
    return shipped;
  }

  /**
   * transfer_in at the destination store at the cost the parts left with. One receipt closes
   * the transfer; a shortfall is recorded as lost with its reason (never stock anywhere).
   */
  async receive(ctx: ActorContext, id: string, version: number | undefined, input: z.output<typeof StockTransferReceive>) {
    const received = await this.step(ctx, id, 'receive', version, async (trx, t) => {
      const shipped = t.quantityShipped ?? 0;
      const quantity = input.quantity ?? shipped;
      const shortfall = receiptShortfall(shipped, quantity, input.lossReason);
      if ('error' in shortfall) {
        throw shortfall.error === 'received_exceeds_shipped'
          ? badRequest('On ne réceptionne pas plus que la quantité expédiée.', [{ path: 'body.quantity', message: `au plus ${shipped}` }], 'validation_failed')
          : badRequest('Indiquez pourquoi des pièces expédiées manquent (perdues, abîmées) : elles seront enregistrées comme perdues.', [
            { path: 'body.lossReason', message: 'motif obligatoire pour une réception partielle', code: 'loss_reason_required' },
          ], 'validation_failed');
      }
      let inMovementId: number | null = null;
      if (quantity > 0) {
        // Parts asked for a work order still open are held for it on arrival (a reservation),
        // so that nobody else at the site takes them first. The work order is locked (shared)
        // before the stock row, as its cancellation locks it before releasing its reservations.
        const forWorkOrder = t.workOrderId ? await transfersRepo.openWorkOrderForShare(trx, t.workOrderId) : null;
        const { movement } = await applyStockMovement(trx, {
          territoryId: t.territoryId, storeId: t.destinationStoreId, siteId: t.destinationSiteId, partId: t.partId, type: 'transfer_in', quantity,
          unitCostCents: t.unitCostCents === null ? null : Number(t.unitCostCents), reason: `Transfert ${t.id} : réception`, createdBy: ctx.principal.userId,
        }).catch(rethrowStockError);
        inMovementId = movement.id;
        if (forWorkOrder) {
          await reserveStock(trx, {
            territoryId: t.territoryId, storeId: t.destinationStoreId, partId: t.partId, workOrderId: forWorkOrder, quantity, createdBy: ctx.principal.userId,
          }).catch(rethrowStockError);
        }
      }
      return {
        quantityReceived: quantity, quantityLost: shortfall.lost, lossReason: shortfall.lost > 0 ? input.lossReason!.trim() : null,
        inMovementId, receivedBy: ctx.principal.userId, receivedAt: new Date(),
      };
    });
    // The destination store's stock came in: its alerts follow (best effort, after the commit).
    await this.deps.alerts.stockMoved(ctx.principal.territoryId);
    return received;
  }
}
