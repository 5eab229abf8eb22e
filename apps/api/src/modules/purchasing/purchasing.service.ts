import { PassThrough, type Readable } from 'node:stream';
import type { z } from 'zod';
import type { Kysely } from 'kysely';
import {
  encodeCursor, type GroupedOrder, type GroupedOrderCancel, type GroupedOrderClose, type GroupedOrderCreate, type GroupedOrderListQuery, type GroupedOrderProposal,
  type GroupedOrderProposalQuery, type GroupedOrderReceipt, type GroupedOrderReceiptResult as ReceiptResult, type GroupedOrderSummary, type ProposalLine,
} from '@gmao/contracts';
import { applyStockMovement, recordLastUnitCosts, type DB } from '@gmao/db';
import {
  can, groupedOrderState, mayCancelGroupedOrder, mayCloseGroupedOrder, mayReceiveGroupedOrder, proposedUnitCost, quantityToOrder, splitReceipt, type GroupedOrderState,
} from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import type { Locale } from '../../lib/french.js';
import { badRequest, conflict, forbidden, notFound, versionMismatch, type FieldError } from '../../lib/problem.js';
import { exportCsv, orderRows, proposalRows, writeXlsx, type ExportRow } from './export.js';
import type { StockAlertsNotifier } from '../stock/stock-alerts.notifier.js';
import { rethrowStockError } from '../stock/stock.service.js';
import * as repo from './purchasing.repository.js';

/**
 * Grouped purchasing across the territory (issue 12, ADR 0014): the proposal from every
 * store below its minimum, the orders, their exports, and their receipts split back into
 * the stores as `receipt` movements, all in one transaction per receipt.
 */

const FORBIDDEN = 'Seuls les ingénieurs, les responsables de site et l’administrateur du territoire passent les commandes groupées.';
const STATE_LABELS: Record<GroupedOrderState, string> = {
  ordered: 'commandée', partially_received: 'partiellement reçue', received: 'entièrement reçue', closed: 'soldée', cancelled: 'annulée',
};

const iso = (d: Date) => d.toISOString();
const step = (by: string | null, at: Date | null) => (by && at ? { by, at: iso(at) } : null);
type Unit = ProposalLine['unit'];

function toOrder(o: repo.OrderRow, lines: repo.LineRow[], allocations: repo.AllocationRow[]): GroupedOrder {
  const byLine = new Map<string, repo.AllocationRow[]>();
  for (const a of allocations) byLine.set(a.lineId, [...(byLine.get(a.lineId) ?? []), a]);
  const outLines = lines.map((l) => {
    const allocs = byLine.get(l.id) ?? [];
    const quantityOrdered = allocs.reduce((n, a) => n + a.quantityOrdered, 0);
    return {
      id: l.id, partId: l.partId, partReference: l.partReference, manufacturer: l.manufacturer, manufacturerPartNumber: l.manufacturerPartNumber,
      description: l.description, unit: l.unit as Unit, supplier: l.supplier, unitCostCents: l.unitCostCents, quantityOrdered,
      quantityReceived: allocs.reduce((n, a) => n + a.quantityReceived, 0), totalCents: quantityOrdered * l.unitCostCents,
      allocations: allocs.map((a) => ({
        id: a.id, storeId: a.storeId, storeName: a.storeName, siteId: a.siteId, siteName: a.siteName,
        quantityOrdered: a.quantityOrdered, quantityReceived: a.quantityReceived,
      })),
    };
  });
  return {
    id: o.id, number: o.reference, state: o.state as GroupedOrderState, note: o.note, cancelReason: o.cancelReason, closeReason: o.closeReason,
    suppliers: [...new Set(lines.map((l) => l.supplier))].sort(),
    quantityOrdered: outLines.reduce((n, l) => n + l.quantityOrdered, 0), quantityReceived: outLines.reduce((n, l) => n + l.quantityReceived, 0),
    totalCents: outLines.reduce((n, l) => n + l.totalCents, 0), lines: outLines,
    created: { by: o.createdBy, at: iso(o.createdAt) }, lastReceived: step(o.lastReceivedBy, o.lastReceivedAt),
    cancelled: step(o.cancelledBy, o.cancelledAt), closed: step(o.closedBy, o.closedAt), version: o.version,
  };
}

function toSummary(o: repo.OrderListRow): GroupedOrderSummary {
  return {
    id: o.id, number: o.reference, state: o.state as GroupedOrderState, note: o.note, cancelReason: o.cancelReason, closeReason: o.closeReason,
    suppliers: o.suppliers ?? [],
    quantityOrdered: Number(o.quantityOrdered ?? 0), quantityReceived: Number(o.quantityReceived ?? 0), totalCents: Number(o.totalCents ?? 0),
    lineCount: o.lineCount ?? 0, created: { by: o.createdBy, at: iso(o.createdAt) }, lastReceived: step(o.lastReceivedBy, o.lastReceivedAt),
    cancelled: step(o.cancelledBy, o.cancelledAt), closed: step(o.closedBy, o.closedAt), version: o.version,
  };
}


export class PurchasingService {
  constructor(private readonly deps: Pick<AppDeps, 'db'> & { alerts: StockAlertsNotifier }) {}

  /**
   * The proposed grouped order: every store below its minimum, the quantity to order for it
   * (packages/domain quantityToOrder), grouped per supplier then part; the stores whose need
   * is already covered by what is coming are left out, and so are the parts left with none.
   */
  async proposal(ctx: ActorContext, query: z.output<typeof GroupedOrderProposalQuery>): Promise<GroupedOrderProposal> {
    const rows = await repo.belowMinimumNeeds(this.deps.db, ctx.principal.territoryId, query);
    const lines: ProposalLine[] = [];
    let current: ProposalLine | undefined;
    let averages: number[] = [];
    let lastCost: number | null = null;
    const finishLine = () => {
      if (!current) return;
      const cost = proposedUnitCost(lastCost, averages);
      current.unitCostCents = cost.cents;
      current.unitCostSource = cost.source;
      current.totalCents = current.quantity * cost.cents;
      if (current.quantity > 0) lines.push(current);
    };
    for (const r of rows) {
      if (!current || current.partId !== r.partId) {
        finishLine();
        current = {
          partId: r.partId, partReference: r.reference, manufacturer: r.manufacturer, manufacturerPartNumber: r.manufacturerPartNumber,
          description: r.description, unit: r.unit as Unit, supplier: r.defaultSupplier, unitCostCents: 0, unitCostSource: 'none', quantity: 0,
          totalCents: 0, allocations: [],
        };
        averages = [];
        lastCost = r.lastUnitCostCents;
      }
      const quantity = quantityToOrder(r);
      if (quantity === 0) continue;
      averages.push(r.averageUnitCostCents);
      current.quantity += quantity;
      current.allocations.push({
        storeId: r.storeId, storeName: r.storeName, siteId: r.siteId, siteName: r.siteName, onHand: r.onHand, minimum: r.minimum,
        maximum: r.maximum, onOrder: r.onOrder, inTransit: r.inTransit, averageUnitCostCents: r.averageUnitCostCents, quantity,
      });
    }
    finishLine();
    const groups: GroupedOrderProposal['groups'] = [];
    for (const line of lines) {
      let group = groups.at(-1);
      if (!group || group.supplier !== line.supplier) groups.push((group = { supplier: line.supplier, lines: [], totalCents: 0 }));
      group.lines.push(line);
      group.totalCents += line.totalCents;
    }
    return { groups, totalCents: groups.reduce((n, g) => n + g.totalCents, 0), generatedAt: new Date().toISOString() };
  }

  async list(ctx: ActorContext, query: z.output<typeof GroupedOrderListQuery>) {
    const rows = await repo.listOrders(this.deps.db, ctx.principal.territoryId, { state: query.state, before: query.cursor?.[0], limit: query.limit + 1 });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toSummary), nextCursor: rows.length > query.limit && last ? encodeCursor([Number(last.number)]) : null };
  }

  async get(ctx: ActorContext, id: string): Promise<GroupedOrder> {
    const order = await repo.findOrder(this.deps.db, ctx.principal.territoryId, id);
    if (!order) throw notFound('Commande groupée');
    return this.load(this.deps.db, order);
  }

  private async load(db: Kysely<DB>, order: repo.OrderRow): Promise<GroupedOrder> {
    const [lines, allocations] = await Promise.all([repo.orderLines(db, order.id), repo.orderAllocations(db, order.id)]);
    return toOrder(order, lines, allocations);
  }

  /** Creates the order from the edited proposal: parts of the territory and active, active stores of the territory. */
  async create(ctx: ActorContext, input: z.output<typeof GroupedOrderCreate>): Promise<GroupedOrder> {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'purchasing.manage', { territoryId })) throw forbidden(FORBIDDEN);
    const db = this.deps.db;
    const partIds = input.lines.map((l) => l.partId);
    const storeIds = [...new Set(input.lines.flatMap((l) => l.allocations.map((a) => a.storeId)))];
    const [parts, stores] = await Promise.all([repo.findParts(db, territoryId, partIds), repo.findStores(db, territoryId, storeIds)]);
    const partById = new Map(parts.map((p) => [p.id, p]));
    const storeById = new Map(stores.map((s) => [s.id, s]));
    const errors: FieldError[] = [];
    input.lines.forEach((line, i) => {
      const part = partById.get(line.partId);
      if (!part) errors.push({ path: `body.lines.${i}.partId`, message: 'pièce inconnue', code: 'unknown_part' });
      else if (!part.active) errors.push({ path: `body.lines.${i}.partId`, message: 'pièce désactivée', code: 'part_inactive' });
      line.allocations.forEach((a, j) => {
        const store = storeById.get(a.storeId);
        if (!store) errors.push({ path: `body.lines.${i}.allocations.${j}.storeId`, message: 'magasin inconnu', code: 'unknown_store' });
        else if (!store.active) errors.push({ path: `body.lines.${i}.allocations.${j}.storeId`, message: 'magasin fermé', code: 'store_inactive' });
      });
    });
    if (errors.length > 0) throw badRequest('La commande groupée contient des pièces ou des magasins invalides.', errors.slice(0, 100), 'validation_failed');
    return db.transaction().execute(async (trx) => {
      const order = await repo.insertOrder(trx, { territoryId, note: input.note ?? null, createdBy: ctx.principal.userId });
      await repo.insertLines(trx, order.id, input.lines.map((l) => ({
        partId: l.partId, supplier: l.supplier, unitCostCents: l.unitCostCents,
        allocations: l.allocations.map((a) => ({ storeId: a.storeId, siteId: storeById.get(a.storeId)!.siteId, quantity: a.quantity })),
      })));
      const out = await this.load(trx, order);
      await audit(trx, ctx, 'grouped_order.create', 'grouped_order', order.id, null, out);
      return out;
    });
  }

  /** Cancels an order before any receipt, with a reason. */
  cancel(ctx: ActorContext, id: string, version: number | undefined, input: z.output<typeof GroupedOrderCancel>): Promise<GroupedOrder> {
    return this.end(ctx, id, version, 'cancel', (by, at) => ({ cancelReason: input.reason, cancelledBy: by, cancelledAt: at }));
  }

  /** Closes a partially received order whose rest will not come, with a reason: the remainder is no longer awaited. */
  close(ctx: ActorContext, id: string, version: number | undefined, input: z.output<typeof GroupedOrderClose>): Promise<GroupedOrder> {
    return this.end(ctx, id, version, 'close', (by, at) => ({ closeReason: input.reason, closedBy: by, closedAt: at }));
  }

  /** Ends an order (cancel or close) under its row lock: rights, If-Match, the state, then the audit record. */
  private async end(
    ctx: ActorContext, id: string, version: number | undefined, action: 'cancel' | 'close',
    changes: (by: string, at: Date) => Parameters<typeof repo.updateOrderState>[4],
  ): Promise<GroupedOrder> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const order = await repo.findOrder(trx, territoryId, id, { lock: true });
      if (!order) throw notFound('Commande groupée');
      if (!can(ctx.principal, 'purchasing.manage', { territoryId })) throw forbidden(FORBIDDEN);
      if (version !== undefined && version !== order.version) throw versionMismatch(order.version);
      const state = order.state as GroupedOrderState;
      if (action === 'cancel' && !mayCancelGroupedOrder(state)) {
        throw conflict(`Cette commande est ${STATE_LABELS[state]} : seule une commande dont rien n’a été reçu s’annule.`, 'grouped_order_state');
      }
      if (action === 'close' && !mayCloseGroupedOrder(state)) {
        throw conflict(
          `Cette commande est ${STATE_LABELS[state]} : seule une commande partiellement reçue se solde (une commande dont rien n’a été reçu s’annule).`,
          'grouped_order_state',
        );
      }
      const before = await this.load(trx, order);
      const row = await repo.updateOrderState(trx, id, order.state, action === 'cancel' ? 'cancelled' : 'closed', changes(ctx.principal.userId, new Date()));
      const after = await this.load(trx, row);
      await audit(trx, ctx, `grouped_order.${action}`, 'grouped_order', id, before, after);
      return after;
    });
  }

  /**
   * Receives parts of an order: each line's quantity is split between its stores by
   * splitReceipt (the stores furthest below their minimum first, never more than a store
   * awaits) and enters each store as a `receipt` through applyStockMovement, with the
   * supplier and the order's number as purchase-order reference, all in one transaction
   * under the order's row lock. More than awaited: 409 over_receipt, nothing received.
   */
  async receive(ctx: ActorContext, id: string, version: number | undefined, input: z.output<typeof GroupedOrderReceipt>): Promise<ReceiptResult> {
    const territoryId = ctx.principal.territoryId;
    const result = await this.deps.db.transaction().execute(async (trx) => {
      const order = await repo.findOrder(trx, territoryId, id, { lock: true });
      if (!order) throw notFound('Commande groupée');
      if (!can(ctx.principal, 'purchasing.manage', { territoryId })) throw forbidden(FORBIDDEN);
      if (version !== undefined && version !== order.version) throw versionMismatch(order.version);
      const state = order.state as GroupedOrderState;
      if (!mayReceiveGroupedOrder(state)) {
        throw conflict(`Cette commande est ${STATE_LABELS[state]} : elle ne reçoit plus de pièces.`, 'grouped_order_state');
      }
      const [lines, allocations] = await Promise.all([repo.orderLines(trx, id), repo.orderAllocations(trx, id, { lock: true })]);
      const before = toOrder(order, lines, allocations);

      // Which line each entry names, once each.
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      const wanted = input.lines.flatMap((entry, i) => {
        const line = entry.lineId ? lines.find((l) => l.id === entry.lineId) : lines.find((l) => l.partId === entry.partId);
        const field = entry.lineId ? 'lineId' : 'partId';
        if (!line) {
          errors.push({ path: `body.lines.${i}.${field}`, message: 'ligne absente de cette commande', code: 'unknown_line' });
          return [];
        }
        if (seen.has(line.id)) {
          errors.push({ path: `body.lines.${i}.${field}`, message: 'ligne déjà réceptionnée plus haut dans cette réception', code: 'duplicate_line' });
          return [];
        }
        seen.add(line.id);
        return [{ index: i, entry, line }];
      });
      if (errors.length > 0) throw badRequest('La réception nomme des lignes absentes de la commande ou deux fois la même.', errors, 'validation_failed');

      // The split of each line between its stores, from their stock now.
      const levels = await repo.stockLevels(trx, allocations.map((a) => a.storeId), wanted.map((w) => w.line.partId));
      const level = (storeId: string, partId: string) => levels.find((k) => k.storeId === storeId && k.partId === partId);
      const moves: { line: repo.LineRow; allocation: repo.AllocationRow; quantity: number; unitCostCents: number }[] = [];
      const over: FieldError[] = [];
      for (const { index, entry, line } of wanted) {
        const allocs = allocations.filter((a) => a.lineId === line.id && (!input.siteId || a.siteId === input.siteId));
        const result = splitReceipt(entry.quantityReceived, allocs.map((a) => ({
          key: a.id, remaining: a.quantityOrdered - a.quantityReceived,
          onHand: level(a.storeId, a.partId)?.onHand ?? 0, minimum: level(a.storeId, a.partId)?.minimum ?? 0,
        })));
        if ('error' in result) {
          over.push({ path: `body.lines.${index}.quantityReceived`, message: `au plus ${result.remaining} (reste attendu)`, code: 'over_receipt' });
          continue;
        }
        for (const a of allocs) {
          const quantity = result.split.get(a.id) ?? 0;
          if (quantity > 0) moves.push({ line, allocation: a, quantity, unitCostCents: entry.unitCostCents ?? line.unitCostCents });
        }
      }
      if (over.length > 0) {
        throw conflict('On ne réceptionne pas plus que ce qui reste attendu sur la commande : rien n’a été enregistré.', 'over_receipt', over);
      }

      // Stock comes into a store only by someone who manages it (stock.manage at its site; the
      // territory admin everywhere): a buyer receives at their sites, or per site with siteId.
      const refused = [...new Set(moves.map((m) => m.allocation.siteId))].filter((siteId) => !can(ctx.principal, 'stock.manage', { territoryId, siteId }));
      if (refused.length > 0) {
        throw forbidden(
          `Cette réception entre des pièces dans les magasins de ${refused.length} site(s) où vous n’avez pas de rôle : réceptionnez site par site (siteId), chacun par son responsable ou son ingénieur.`,
        );
      }

      // One movement per store, in (store, part) order so that concurrent receipts lock stock rows in the same order.
      moves.sort((a, b) => (a.allocation.storeId + a.allocation.partId < b.allocation.storeId + b.allocation.partId ? -1 : 1));
      const reference = input.purchaseOrderReference ? `${order.reference} / ${input.purchaseOrderReference}` : order.reference;
      const receipts: ReceiptResult['receipts'] = [];
      for (const m of moves) {
        const { movement } = await applyStockMovement(trx, {
          territoryId, storeId: m.allocation.storeId, siteId: m.allocation.siteId, partId: m.allocation.partId, type: 'receipt', quantity: m.quantity,
          unitCostCents: m.unitCostCents, supplier: input.supplier ?? m.line.supplier, purchaseOrderReference: reference,
          reason: `Commande groupée ${order.reference} : réception`, createdBy: ctx.principal.userId,
        }).catch(rethrowStockError);
        await repo.addReceived(trx, m.allocation.id, m.quantity);
        m.allocation.quantityReceived += m.quantity;
        receipts.push({
          lineId: m.line.id, partId: m.allocation.partId, storeId: m.allocation.storeId, siteId: m.allocation.siteId, quantity: m.quantity,
          unitCostCents: m.unitCostCents, movementId: movement.id,
        });
      }
      // The parts' last cost after every stock row (lock order: stock rows, then parts).
      await recordLastUnitCosts(trx, moves.map((m) => ({ partId: m.allocation.partId, unitCostCents: m.unitCostCents })));
      const next = groupedOrderState(allocations.map((a) => ({ ordered: a.quantityOrdered, received: a.quantityReceived })));
      const row = await repo.updateOrderState(trx, id, order.state, next, { lastReceivedBy: ctx.principal.userId, lastReceivedAt: new Date() });
      const after = toOrder(row, lines, allocations);
      await audit(trx, ctx, 'grouped_order.receipt', 'grouped_order', id, before, { order: after, receipts });
      return { order: after, receipts };
    });
    // Committed: the stores' below-minimum alerts clear (best effort, never fails the receipt).
    await this.deps.alerts.stockMoved(territoryId);
    return result;
  }

  // ---- Exports ----

  async proposalExport(ctx: ActorContext, query: z.output<typeof GroupedOrderProposalQuery>, locale: Locale, format: 'csv' | 'xlsx') {
    return exportFile(proposalRows(await this.proposal(ctx, query), locale), locale, false, format);
  }

  async orderExport(ctx: ActorContext, id: string, locale: Locale, format: 'csv' | 'xlsx') {
    const order = await this.get(ctx, id);
    return { number: order.number, file: exportFile(orderRows(order, locale), locale, true, format) };
  }
}

function exportFile(rows: ExportRow[], locale: Locale, withReceived: boolean, format: 'csv' | 'xlsx'): string | Readable {
  if (format === 'csv') return exportCsv(rows, locale, withReceived);
  const out = new PassThrough();
  writeXlsx(rows, locale, withReceived, out).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
