import type { z } from 'zod';
import type { HarvestCreate, StockMovement } from '@gmao/contracts';
import { applyStockMovement } from '@gmao/db';
import { can } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../lib/problem.js';
import * as repo from './harvest.repository.js';
import * as stockRepo from './stock.repository.js';
import type { StockAlertsNotifier } from './stock-alerts.notifier.js';
import { rethrowStockError, toMovement } from './stock.service.js';

/**
 * Parts harvested from a device decommissioned for that purpose (réforme, reason
 * parts_harvesting, approved) come into a store of the device's site as 'harvest'
 * movements naming the device (issue 12). Like a receipt, it is recorded by the site's
 * manager or engineer (stock.manage); the parts move on to other sites by transfers. A line
 * without a value leaves the store's average cost as it is (ADR 0011: only a valued harvest
 * moves it).
 */
export class HarvestService {
  constructor(private readonly deps: Pick<AppDeps, 'db'> & { alerts: StockAlertsNotifier }) {}

  async harvest(ctx: ActorContext, equipmentId: string, input: z.output<typeof HarvestCreate>): Promise<{ items: StockMovement[] }> {
    const territoryId = ctx.principal.territoryId;
    const db = this.deps.db;
    const device = await repo.findDevice(db, territoryId, equipmentId);
    if (!device) throw notFound('Équipement');
    const store = await stockRepo.findStore(db, territoryId, input.storeId);
    if (!store) throw badRequest('Magasin inconnu.', [{ path: 'body.storeId', message: 'magasin inconnu' }], 'validation_failed');
    if (!can(ctx.principal, 'stock.manage', { territoryId, siteId: store.siteId })) {
      throw forbidden('Seuls le responsable du site et l’ingénieur enregistrent les pièces récupérées dans les magasins de leur site.');
    }
    if (device.status !== 'decommissioned' || device.decommissionReason !== 'parts_harvesting') {
      throw conflict(
        'Seul un équipement réformé pour récupération de pièces (réforme approuvée) donne des pièces au stock.',
        'not_harvestable',
      );
    }
    if (store.siteId !== device.siteId) {
      throw conflict('Les pièces récupérées entrent dans un magasin du site de l’équipement ; un transfert les envoie ensuite ailleurs.', 'harvest_other_site', [
        { path: 'body.storeId', message: 'magasin d’un autre site que l’équipement' },
      ]);
    }
    if (!store.active) throw conflict('Ce magasin est fermé : aucun mouvement n’y est possible.', 'store_inactive');
    const ids = input.parts.map((l) => l.partId);
    const known = new Set((await repo.activeParts(db, territoryId, ids)).map((p) => p.id));
    const unknown = input.parts.flatMap((l, i) => (known.has(l.partId) ? [] : [{ path: `body.parts.${i}.partId`, message: 'pièce inconnue ou désactivée' }]));
    if (unknown.length > 0) throw badRequest('Pièce inconnue ou désactivée.', unknown, 'validation_failed');
    const { fullName } = await stockRepo.userName(db, ctx.principal.userId);
    const result = await db.transaction().execute(async (trx) => {
      const items: StockMovement[] = [];
      // In part order: concurrent harvests lock the stock rows in the same order.
      for (const line of [...input.parts].sort((a, b) => a.partId.localeCompare(b.partId))) {
        const { movement } = await applyStockMovement(trx, {
          territoryId, storeId: store.id, siteId: store.siteId, partId: line.partId, type: 'harvest', quantity: line.quantity,
          unitCostCents: line.unitCostCents ?? null, equipmentId: device.id, reason: input.note ?? null, createdBy: ctx.principal.userId,
        }).catch(rethrowStockError);
        items.push(toMovement({ ...movement, createdByName: fullName }));
      }
      await audit(trx, ctx, 'stock.harvest', 'equipment', device.id, null, { storeId: store.id, movements: items });
      return { items };
    });
    // Committed: the below-minimum alerts follow (best effort, never fails the harvest).
    await this.deps.alerts.stockMoved(territoryId);
    return result;
  }
}
