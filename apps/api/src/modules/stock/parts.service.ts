import type { z } from 'zod';
import { encodeCursor, type CataloguePartCreate, type CataloguePartUpdate, type Part, type PartListQuery } from '@gmao/contracts';
import { can, searchWords } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { badRequest, forbidden, notFound, versionMismatch } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';
import * as repo from './stock.repository.js';

const UNIQUE = {
  parts_reference_key: { path: 'body.reference', message: 'Cette référence interne existe déjà dans le territoire.' },
};

function toPart(r: repo.PartRow, compatibleModelIds: string[]): Part {
  return { ...r, unit: r.unit as Part['unit'], compatibleModelIds };
}

/** The territory's part catalogue (issue 12). */
export class PartsService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  async list(ctx: ActorContext, query: z.output<typeof PartListQuery>) {
    const rows = await repo.listParts(this.deps.db, ctx.principal.territoryId, {
      words: query.q ? searchWords(query.q) : undefined,
      equipmentModelId: query.equipmentModelId,
      active: query.active,
      after: query.cursor,
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const models = await repo.compatibleModels(this.deps.db, items.map((r) => r.id));
    const last = items.at(-1);
    return {
      items: items.map((r) => toPart(r, models.get(r.id) ?? [])),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.reference, last.id]) : null,
    };
  }

  async get(ctx: ActorContext, id: string): Promise<Part> {
    const row = await repo.findPart(this.deps.db, ctx.principal.territoryId, id);
    if (!row) throw notFound('Pièce');
    const models = await repo.compatibleModels(this.deps.db, [id]);
    return toPart(row, models.get(id) ?? []);
  }

  async create(ctx: ActorContext, input: z.output<typeof CataloguePartCreate>): Promise<Part> {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'part.write', { territoryId })) throw forbidden('Seuls les ingénieurs et responsables de site gèrent le catalogue des pièces.');
    const { compatibleModelIds, ...values } = input;
    return this.deps.db.transaction().execute(async (trx) => {
      await this.checkModels(trx, territoryId, compatibleModelIds);
      const id = await repo.insertPart(trx, { territoryId, ...values }).catch((e) => rethrowUnique(e, UNIQUE));
      await repo.replaceCompatibleModels(trx, id, compatibleModelIds);
      const part = await this.read(trx, territoryId, id);
      await audit(trx, ctx, 'part.create', 'part', id, null, part);
      return part;
    });
  }

  async update(ctx: ActorContext, id: string, version: number, patch: z.output<typeof CataloguePartUpdate>): Promise<Part> {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'part.write', { territoryId })) throw forbidden('Seuls les ingénieurs et responsables de site gèrent le catalogue des pièces.');
    const { compatibleModelIds, ...values } = patch;
    return this.deps.db.transaction().execute(async (trx) => {
      const before = await this.read(trx, territoryId, id);
      if (before.version !== version) throw versionMismatch(before.version);
      if (compatibleModelIds) await this.checkModels(trx, territoryId, compatibleModelIds);
      const done = await repo.updatePart(trx, id, version, values).catch((e) => rethrowUnique(e, UNIQUE));
      if (!done) throw versionMismatch(before.version + 1);
      if (compatibleModelIds) await repo.replaceCompatibleModels(trx, id, compatibleModelIds);
      const part = await this.read(trx, territoryId, id);
      await audit(trx, ctx, 'part.update', 'part', id, before, part);
      return part;
    });
  }

  private async read(db: AppDeps['db'], territoryId: string, id: string): Promise<Part> {
    const row = await repo.findPart(db, territoryId, id);
    if (!row) throw notFound('Pièce');
    const models = await repo.compatibleModels(db, [id]);
    return toPart(row, models.get(id) ?? []);
  }

  private async checkModels(db: AppDeps['db'], territoryId: string, modelIds: readonly string[]): Promise<void> {
    const unique = [...new Set(modelIds)];
    if ((await repo.countModels(db, territoryId, unique)) !== unique.length) {
      throw badRequest('Modèle d’équipement inconnu.', [{ path: 'body.compatibleModelIds', message: 'modèle inconnu dans le territoire' }], 'validation_failed');
    }
  }
}
