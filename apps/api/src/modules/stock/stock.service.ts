import type { z } from 'zod';
import type { Kysely } from 'kysely';
import {
  encodeCursor, type StockAvailability, type StockAvailabilityQuery, type StockLevel, type StockListQuery, type StockMovement,
  type StockMovementCreate, type StockMovementListQuery, type StockSettingsUpdate, type Store, type StoreListQuery,
} from '@gmao/contracts';
import { applyStockMovement, CountMatchesStockError, issuePartToWorkOrder, touchWorkOrder, InsufficientStockError, recordLastUnitCosts, StoreInactiveError, type DB, type StockMovementRow, type StockRow } from '@gmao/db';
import { can, distanceKm, nearestFirst, searchWords } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../lib/problem.js';
import * as repo from './stock.repository.js';
import { lockWorkOrder, requireAbility } from '../work-orders/work-order-access.js';
import type { StockAlertsNotifier } from './stock-alerts.notifier.js';

/**
 * The 409s of the one stock write (applyStockMovement, reservations): stock that would go
 * below zero, a closed store, a count that finds what the books say; rethrows anything else.
 */
export function rethrowStockError(err: unknown): never {
  if (err instanceof InsufficientStockError) {
    throw conflict(
      `Stock insuffisant : ${err.requested} demandé(s), ${err.available} disponible(s).`,
      'insufficient_stock',
      [{ path: 'body.quantity', message: `${err.available} disponible(s)`, code: 'insufficient_stock' }],
    );
  }
  if (err instanceof StoreInactiveError) throw conflict('Ce magasin est fermé : aucun mouvement n’y est possible.', 'store_inactive');
  if (err instanceof CountMatchesStockError) {
    throw conflict(`Le comptage correspond au stock (${err.onHand}) : rien à ajuster.`, 'count_matches_stock', [
      { path: 'body.countedQuantity', message: 'égal au stock', code: 'count_matches_stock' },
    ]);
  }
  throw err;
}

/** The names a stock row carries (part, store, site). */
export type StockNames = Pick<StockLevel, 'partReference' | 'partDescription' | 'partUnit' | 'storeName' | 'siteName' | 'storeActive' | 'partActive'>;

/** The names of a (store, part) from the rows a write has already read. */
export function stockNames(
  store: { name: string; siteName: string; active: boolean },
  part: { reference: string; description: string; unit: string; active: boolean },
): StockNames {
  return {
    partReference: part.reference, partDescription: part.description, partUnit: part.unit as StockLevel['partUnit'],
    storeName: store.name, siteName: store.siteName, storeActive: store.active, partActive: part.active,
  };
}

export function toStockLevel(
  r: Pick<StockRow, 'storeId' | 'siteId' | 'partId' | 'onHand' | 'reserved' | 'minimum' | 'maximum' | 'bin' | 'averageUnitCostCents'>,
  names: StockNames,
): StockLevel {
  return {
    storeId: r.storeId, siteId: r.siteId, partId: r.partId, onHand: r.onHand, reserved: r.reserved, available: r.onHand - r.reserved,
    minimum: r.minimum, maximum: r.maximum, bin: r.bin, averageUnitCostCents: r.averageUnitCostCents,
    partReference: names.partReference, partDescription: names.partDescription, partUnit: names.partUnit,
    storeName: names.storeName, siteName: names.siteName, storeActive: names.storeActive, partActive: names.partActive,
  };
}

export function toMovement(r: Omit<StockMovementRow, 'territoryId' | 'createdAt'> & { createdAt: Date; createdByName: string }): StockMovement {
  return {
    id: r.id, type: r.type as StockMovement['type'], storeId: r.storeId, partId: r.partId, delta: r.delta, quantity: r.quantity,
    unitCostCents: r.unitCostCents, workOrderId: r.workOrderId, equipmentId: r.equipmentId, supplier: r.supplier, purchaseOrderReference: r.purchaseOrderReference,
    countedQuantity: r.countedQuantity, reason: r.reason, createdBy: { id: r.createdBy, fullName: r.createdByName }, createdAt: r.createdAt.toISOString(),
  };
}

const FORBIDDEN_MANAGE = 'Seuls le responsable du site et l’ingénieur réceptionnent, ajustent et fixent les seuils dans les magasins de leur site.';
const FORBIDDEN_RETURN = 'Un retour sans bon de travail est une entrée en stock : le responsable du site ou l’ingénieur l’enregistre.';
const FORBIDDEN_ISSUE = 'Vous ne sortez et ne retournez des pièces que dans les magasins de vos sites.';

/** Stores, stock levels, movements and cross-site availability (issue 12). */
export class StockService {
  constructor(private readonly deps: Pick<AppDeps, 'db'> & { alerts: StockAlertsNotifier }) {}

  async stores(ctx: ActorContext, query: z.output<typeof StoreListQuery>): Promise<{ items: Store[] }> {
    return { items: await repo.listStores(this.deps.db, ctx.principal.territoryId, query.siteId) };
  }

  async list(ctx: ActorContext, query: z.output<typeof StockListQuery>) {
    const rows = await repo.listStock(this.deps.db, ctx.principal.territoryId, {
      siteId: query.siteId, storeId: query.storeId, partId: query.partId, belowMinimum: query.belowMinimum,
      words: query.q ? searchWords(query.q) : undefined, after: query.cursor, limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((r) => toStockLevel(r, { ...r, partUnit: r.partUnit as StockLevel['partUnit'] })),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.storeId, last.partId]) : null,
    };
  }

  async movements(ctx: ActorContext, query: z.output<typeof StockMovementListQuery>) {
    const rows = await repo.listMovements(this.deps.db, ctx.principal.territoryId, {
      storeId: query.storeId, partId: query.partId, workOrderId: query.workOrderId, equipmentId: query.equipmentId, before: query.cursor?.[0], limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toMovement), nextCursor: rows.length > query.limit && last ? encodeCursor([last.id]) : null };
  }

  /**
   * Receipts and adjustments (stock.manage), issues and returns (stock.issue) at the store's
   * site. An issue for a work order goes through the work order (locked, its parts open to
   * the user: 403/409 as on POST /work-orders/{id}/parts), uses its reservation first and
   * writes its part line, exactly as that route does. A return for a work order gives back
   * at most what was issued to it from that store (counted under the stock row's lock); a
   * return without a work order is stock coming back from nowhere known: stock.manage, like a
   * receipt. An adjustment gives its signed quantity, or the counted quantity (the delta is
   * then computed under the lock).
   */
  async move(ctx: ActorContext, input: z.output<typeof StockMovementCreate>) {
    const territoryId = ctx.principal.territoryId;
    const db = this.deps.db;
    const store = await repo.findStore(db, territoryId, input.storeId);
    if (!store) throw badRequest('Magasin inconnu.', [{ path: 'body.storeId', message: 'magasin inconnu' }], 'validation_failed');
    const manage = input.type === 'receipt' || input.type === 'adjustment' || (input.type === 'return' && !input.workOrderId);
    if (!can(ctx.principal, manage ? 'stock.manage' : 'stock.issue', { territoryId, siteId: store.siteId })) {
      throw forbidden(input.type === 'return' && !input.workOrderId ? FORBIDDEN_RETURN : manage ? FORBIDDEN_MANAGE : FORBIDDEN_ISSUE);
    }
    if (!store.active) throw conflict('Ce magasin est fermé : aucun mouvement n’y est possible.', 'store_inactive');
    const part = await repo.findPart(db, territoryId, input.partId);
    if (!part) throw badRequest('Pièce inconnue.', [{ path: 'body.partId', message: 'pièce inconnue' }], 'validation_failed');
    if (input.workOrderId && !(await repo.findWorkOrderSite(db, territoryId, input.workOrderId))) {
      throw badRequest('Bon de travail inconnu.', [{ path: 'body.workOrderId', message: 'bon inconnu' }], 'validation_failed');
    }
    if (input.type === 'receipt' && !part.active) throw conflict('Cette pièce est désactivée : elle ne se réceptionne plus.', 'part_inactive');
    // Read before the transaction: nothing more than the write itself while the stock row is locked.
    const { fullName } = await repo.userName(db, ctx.principal.userId);
    const names = stockNames(store, part);
    const workOrderId = input.workOrderId;
    // The contract requires it, except for a count.
    const quantity = input.quantity ?? 0;
    const result = input.type === 'issue' && workOrderId
      ? await lockWorkOrder(db, ctx, workOrderId, async ({ trx, wo, assignees }) => {
        requireAbility(ctx, wo, assignees, 'addParts');
        const done = await issuePartToWorkOrder(trx, {
          territoryId, siteId: store.siteId, storeId: store.id, partId: part.id, workOrderId: wo.id, quantity, recordedBy: ctx.principal.userId,
        }).catch(rethrowStockError);
        await touchWorkOrder(trx, wo.id);
        return this.answer(trx, ctx, done, fullName, names);
      })
      : await db.transaction().execute(async (trx) => {
        if (input.type === 'return' && workOrderId) {
          // The stock row first: concurrent returns of the same parts count one after the other.
          await repo.lockStockRow(trx, store.id, part.id);
          const net = await repo.netIssuedToWorkOrder(trx, workOrderId, input.storeId, input.partId);
          if (quantity > net) {
            throw conflict(`On ne retourne pas plus que ce qui a été sorti pour ce bon (${net}).`, 'return_exceeds_issued', [
              { path: 'body.quantity', message: `au plus ${net}` },
            ]);
          }
        }
        const done = await applyStockMovement(trx, {
          territoryId, storeId: store.id, siteId: store.siteId, partId: part.id, type: input.type, quantity,
          countedQuantity: input.countedQuantity, unitCostCents: input.unitCostCents ?? null, workOrderId: workOrderId ?? null,
          supplier: input.supplier ?? null, purchaseOrderReference: input.purchaseOrderReference ?? null, reason: input.reason ?? null,
          createdBy: ctx.principal.userId,
        }).catch(rethrowStockError);
        if (input.type === 'receipt') await recordLastUnitCosts(trx, [{ partId: part.id, unitCostCents: input.unitCostCents }]);
        return this.answer(trx, ctx, done, fullName, names);
      });
    // Committed: the below-minimum alerts follow (best effort, never fails the movement).
    await this.deps.alerts.stockMoved(territoryId);
    return result;
  }

  /** The movement and stock row of a write, audited. */
  private async answer(trx: Kysely<DB>, ctx: ActorContext, done: { movement: StockMovementRow; stock: StockRow }, fullName: string, names: StockNames) {
    const movement = toMovement({ ...done.movement, createdByName: fullName });
    const stock = toStockLevel(done.stock, names);
    await audit(trx, ctx, `stock.${done.movement.type}`, 'stock_movement', String(done.movement.id), null, { movement, stock });
    return { movement, stock };
  }

  /** The reorder point, maximum and bin of a part in a store (stock.manage at the store's site). */
  async settings(ctx: ActorContext, storeId: string, partId: string, patch: z.output<typeof StockSettingsUpdate>): Promise<StockLevel> {
    const territoryId = ctx.principal.territoryId;
    const store = await repo.findStore(this.deps.db, territoryId, storeId);
    if (!store) throw notFound('Magasin');
    if (!can(ctx.principal, 'stock.manage', { territoryId, siteId: store.siteId })) throw forbidden(FORBIDDEN_MANAGE);
    const part = await repo.findPart(this.deps.db, territoryId, partId);
    if (!part) throw notFound('Pièce');
    const names = stockNames(store, part);
    const level = await this.deps.db.transaction().execute(async (trx) => {
      const { before, after } = await repo.upsertStockSettings(trx, { territoryId, siteId: store.siteId, storeId, partId }, patch);
      if (!after) {
        throw badRequest('Le maximum doit être supérieur ou égal au minimum.', [{ path: 'body.maximum', message: 'inférieur au minimum' }], 'validation_failed');
      }
      const level = toStockLevel(after, names);
      await audit(trx, ctx, 'stock.settings', 'stock', `${storeId}/${partId}`, toStockLevel(before, names), level);
      return level;
    });
    // A new minimum may raise or clear the alert (best effort, after the commit).
    if (patch.minimum !== undefined) await this.deps.alerts.stockMoved(territoryId);
    return level;
  }

  /** Stores holding the part(s), nearest to the asker's home site first. */
  async availability(ctx: ActorContext, query: z.output<typeof StockAvailabilityQuery>): Promise<{ items: StockAvailability[] }> {
    const territoryId = ctx.principal.territoryId;
    const db = this.deps.db;
    let home: Awaited<ReturnType<typeof repo.homeSite>>;
    let rows: Awaited<ReturnType<typeof repo.holdings>>;
    if (query.partId) {
      // The three reads at once (holdings are of the territory's stores whatever the part): one round trip of latency.
      const [part, h, r] = await Promise.all([
        repo.findPart(db, territoryId, query.partId), repo.homeSite(db, ctx.principal.userId), repo.holdings(db, territoryId, [query.partId]),
      ]);
      if (!part) throw notFound('Pièce');
      [home, rows] = [h, r];
    } else {
      const [h, parts] = await Promise.all([
        repo.homeSite(db, ctx.principal.userId),
        repo.listParts(db, territoryId, { words: query.q ? searchWords(query.q) : undefined, equipmentModelId: query.equipmentModelId, active: true, limit: 50 }),
      ]);
      home = h;
      rows = await repo.holdings(db, territoryId, parts.map((p) => p.id));
    }
    const items = rows.map((r) => ({
      storeId: r.storeId, storeName: r.storeName, siteId: r.siteId, siteName: r.siteName, partId: r.partId,
      partReference: r.partReference, partDescription: r.partDescription, onHand: r.onHand, reserved: r.reserved,
      available: r.onHand - r.reserved, distanceKm: distanceKm(home, r),
    }));
    return { items: nearestFirst(items, (i) => `${i.siteName} ${i.storeName} ${i.partReference}`) };
  }
}
