import type { z } from 'zod';
import type { Store, StoreCreate, StoreUpdate } from '@gmao/contracts';
import { can } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { badRequest, conflict, forbidden, notFound, versionMismatch } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';
import * as repo from './stores.repository.js';

const UNIQUE = { stores_code_key: { path: 'body.code', message: 'Ce code de magasin existe déjà sur ce site.' } };
const FORBIDDEN = 'Seuls le responsable du site et l’ingénieur ouvrent, renomment et ferment les magasins de leur site.';

/** A site's stores: the biomedical workshop, a satellite store (issue 12). */
export class StoresService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  async create(ctx: ActorContext, input: z.output<typeof StoreCreate>): Promise<Store> {
    const territoryId = ctx.principal.territoryId;
    const site = await repo.findSiteOfTerritory(this.deps.db, territoryId, input.siteId);
    if (!site) throw badRequest('Site inconnu.', [{ path: 'body.siteId', message: 'site inconnu dans le territoire' }], 'validation_failed');
    if (!can(ctx.principal, 'stock.manage', { territoryId, siteId: site.id })) throw forbidden(FORBIDDEN);
    return this.deps.db.transaction().execute(async (trx) => {
      const id = await repo.insertStore(trx, { territoryId, siteId: site.id, code: input.code, name: input.name }).catch((e) => rethrowUnique(e, UNIQUE));
      const store = await this.read(trx, territoryId, id);
      await audit(trx, ctx, 'store.create', 'store', id, null, store);
      return store;
    });
  }

  /** Renames or closes a store; a store closes only once empty, with no transfer under way. */
  async update(ctx: ActorContext, id: string, version: number, patch: z.output<typeof StoreUpdate>): Promise<Store> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      // Locked: a movement under way finishes first (its store is held shared), and none
      // starts before this one commits, so that an empty store is still empty when closed.
      const before = await this.read(trx, territoryId, id, true);
      if (!can(ctx.principal, 'stock.manage', { territoryId, siteId: before.siteId })) throw forbidden(FORBIDDEN);
      if (before.version !== version) throw versionMismatch(before.version);
      if (patch.active === false && before.active) {
        const held = await repo.storeHoldings(trx, id);
        if (held.units > 0 || held.openTransfers > 0) {
          throw conflict(
            'Ce magasin contient encore des pièces ou a des transferts en cours : videz-le (transferts, ajustements) avant de le fermer.',
            'store_not_empty',
            [{ path: 'body.active', message: `${held.units} pièce(s), ${held.openTransfers} transfert(s) en cours` }],
          );
        }
      }
      if (!(await repo.updateStore(trx, id, version, patch).catch((e) => rethrowUnique(e, UNIQUE)))) throw versionMismatch(before.version + 1);
      const after = await this.read(trx, territoryId, id);
      await audit(trx, ctx, 'store.update', 'store', id, before, after);
      return after;
    });
  }

  private async read(db: AppDeps['db'], territoryId: string, id: string, lock = false): Promise<Store> {
    const row = await repo.readStore(db, territoryId, id, { lock });
    if (!row) throw notFound('Magasin');
    return row;
  }
}
