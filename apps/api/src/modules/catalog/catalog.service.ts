import type { z } from 'zod';
import { encodeCursor, type EquipmentCategory, type EquipmentModel, type EquipmentModelCreate, type EquipmentModelListQuery } from '@gmao/contracts';
import { can, type Criticality } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { badRequest, forbidden, notFound } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';
import * as repo from './catalog.repository.js';

const UNIQUE = {
  equipment_models_name_key: { path: 'body.modelName', message: 'Ce modèle existe déjà pour ce fabricant.' },
};

type ModelRow = NonNullable<Awaited<ReturnType<typeof repo.findModel>>>;
export function toModel(r: ModelRow): EquipmentModel {
  return { ...r, riskClass: r.riskClass as EquipmentModel['riskClass'] };
}

export class CatalogService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  async categories(ctx: ActorContext): Promise<{ items: EquipmentCategory[] }> {
    const rows = await repo.listCategories(this.deps.db, ctx.principal.territoryId);
    return {
      items: rows.map((r) => ({
        id: r.id, code: r.code, label: r.label, parentId: r.parentId, emdnCode: r.emdnCode,
        defaultFunctionScore: r.defaultFunctionScore, defaultPhysicalRisk: r.defaultPhysicalRisk,
        defaultMaintenanceRequirement: r.defaultMaintenanceRequirement, defaultCriticality: r.defaultCriticality as Criticality,
        ionisingRadiation: r.ionisingRadiation,
      })),
    };
  }

  async models(ctx: ActorContext, query: z.output<typeof EquipmentModelListQuery>) {
    const territoryId = ctx.principal.territoryId;
    let categoryIds: string[] | undefined;
    if (query.categoryId) {
      if (!(await repo.findCategory(this.deps.db, territoryId, query.categoryId))) {
        throw badRequest('Catégorie inconnue.', [{ path: 'querystring.categoryId', message: 'catégorie inconnue' }]);
      }
      categoryIds = await repo.categorySubtree(this.deps.db, query.categoryId);
    }
    const rows = await repo.listModels(this.deps.db, territoryId, { q: query.q, categoryIds, after: query.cursor, limit: query.limit + 1 });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map(toModel),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.manufacturer, last.modelName, last.id]) : null,
    };
  }

  async createModel(ctx: ActorContext, input: z.output<typeof EquipmentModelCreate>): Promise<EquipmentModel> {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'catalog.write', { territoryId })) throw forbidden();
    return this.deps.db.transaction().execute(async (trx) => {
      if (!(await repo.findCategory(trx, territoryId, input.categoryId))) {
        throw badRequest('Catégorie inconnue.', [{ path: 'body.categoryId', message: 'catégorie inconnue' }]);
      }
      const id = await repo.insertModel(trx, { territoryId, ...input }).catch((e) => rethrowUnique(e, UNIQUE));
      const row = await repo.findModel(trx, territoryId, id);
      if (!row) throw notFound('Modèle');
      const model = toModel(row);
      await audit(trx, ctx, 'equipment_model.create', 'equipment_model', id, null, model);
      return model;
    });
  }
}
