import type { z } from 'zod';
import {
  encodeCursor, type EquipmentCategory, type EquipmentModel, type EquipmentModelCreate, type EquipmentModelListQuery, type EquipmentModelUpdate,
} from '@gmao/contracts';
import { can, type Criticality } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { badRequest, forbidden, notFound, versionMismatch } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';
import * as repo from './catalog.repository.js';

const UNIQUE = {
  equipment_models_name_key: { path: 'body.modelName', message: 'Ce modèle existe déjà pour ce fabricant.' },
};

type ModelRow = NonNullable<Awaited<ReturnType<typeof repo.findModel>>>;
export function toModel(r: ModelRow): EquipmentModel {
  return {
    ...r,
    riskClass: r.riskClass as EquipmentModel['riskClass'],
    electricalClass: r.electricalClass as EquipmentModel['electricalClass'],
    appliedPartType: r.appliedPartType as EquipmentModel['appliedPartType'],
  };
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

  async model(ctx: ActorContext, id: string): Promise<EquipmentModel> {
    const row = await repo.findModel(this.deps.db, ctx.principal.territoryId, id);
    if (!row) throw notFound('Modèle');
    return toModel(row);
  }

  /** The electrical class and applied parts (which the electrical-safety checklist needs) and the EU identifiers. */
  async updateModel(ctx: ActorContext, id: string, version: number, patch: z.output<typeof EquipmentModelUpdate>): Promise<EquipmentModel> {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'catalog.write', { territoryId })) throw forbidden();
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await repo.findModel(trx, territoryId, id);
      if (!current) throw notFound('Modèle');
      if (current.version !== version) throw versionMismatch(current.version);
      if (!(await repo.updateModel(trx, id, version, patch))) throw versionMismatch(current.version + 1);
      const row = await repo.findModel(trx, territoryId, id);
      if (!row) throw notFound('Modèle');
      const model = toModel(row);
      await audit(trx, ctx, 'equipment_model.update', 'equipment_model', id, toModel(current), model);
      return model;
    });
  }
}
