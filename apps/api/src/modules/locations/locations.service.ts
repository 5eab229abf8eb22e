import type { z } from 'zod';
import type { Location, LocationCreate, LocationMove, LocationUpdate } from '@gmao/contracts';
import { LABELS_FR, can, inSentence, locationDepth, orderTree, parentKindOf, type LocationLevel } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { forbidden, notFound, unprocessable, versionMismatch } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';
import { findSite } from '../sites/sites.repository.js';
import * as repo from './locations.repository.js';

const UNIQUE = {
  locations_code_key: { path: 'body.code', message: 'Ce code existe déjà au même niveau de ce site.' },
};

/** A level with its article, as written in a sentence: « un bâtiment », « une salle ». */
const ARTICLES: Record<LocationLevel, string> = { building: 'un', floor: 'un', care_unit: 'une', room: 'une' };
const kindLabel = (kind: LocationLevel) => `${ARTICLES[kind]} ${inSentence(LABELS_FR.locationKinds[kind])}`;

function toLocation(r: repo.LocationRow, path: string): Location {
  const kind = r.kind as LocationLevel;
  return {
    id: r.id, siteId: r.siteId, parentId: r.parentId, kind, code: r.code, label: r.label, path,
    depth: locationDepth(kind), version: r.version,
    createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  };
}

export class LocationsService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  async tree(ctx: ActorContext, siteId: string): Promise<{ items: Location[] }> {
    const site = await findSite(this.deps.db, ctx.principal.territoryId, siteId);
    if (!site) throw notFound('Site');
    const rows = await repo.locationsOfSite(this.deps.db, siteId);
    return { items: orderTree(rows).map((r) => toLocation(r, r.path)) };
  }

  async create(ctx: ActorContext, siteId: string, input: z.output<typeof LocationCreate>): Promise<Location> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const site = await findSite(trx, territoryId, siteId);
      if (!site) throw notFound('Site');
      if (!can(ctx.principal, 'location.write', { territoryId, siteId })) throw forbidden();
      await this.checkParent(trx, territoryId, siteId, input.kind, input.parentId);
      const row = await repo
        .insertLocation(trx, { territoryId, siteId, parentId: input.parentId, kind: input.kind, code: input.code, label: input.label })
        .catch((e) => rethrowUnique(e, UNIQUE));
      const location = toLocation(row, await repo.pathOf(trx, row.id));
      await audit(trx, ctx, 'location.create', 'location', row.id, null, location);
      return location;
    });
  }

  async update(ctx: ActorContext, id: string, version: number, patch: z.output<typeof LocationUpdate>): Promise<Location> {
    return this.change(ctx, id, version, 'location.update', async () => patch);
  }

  async move(ctx: ActorContext, id: string, version: number, input: LocationMove): Promise<Location> {
    return this.change(ctx, id, version, 'location.move', async (trx, current) => {
      await this.checkParent(trx, ctx.principal.territoryId, current.siteId, current.kind as LocationLevel, input.parentId);
      return { parentId: input.parentId };
    });
  }

  private async change(
    ctx: ActorContext,
    id: string,
    version: number,
    action: string,
    makePatch: (trx: AppDeps['db'], current: repo.LocationRow) => Promise<Partial<Pick<repo.LocationRow, 'code' | 'label' | 'parentId'>>>,
  ): Promise<Location> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await repo.findLocation(trx, territoryId, id);
      if (!current) throw notFound('Emplacement');
      if (!can(ctx.principal, 'location.write', { territoryId, siteId: current.siteId })) throw forbidden();
      if (current.version !== version) throw versionMismatch(current.version);
      const before = toLocation(current, await repo.pathOf(trx, id));
      const patch = await makePatch(trx, current);
      const row = await repo.updateLocation(trx, id, version, patch).catch((e) => rethrowUnique(e, UNIQUE));
      if (!row) throw versionMismatch(current.version + 1);
      const after = toLocation(row, await repo.pathOf(trx, id));
      await repo.refreshEquipmentSearchText(trx, id);
      await audit(trx, ctx, action, 'location', id, before, after);
      return after;
    });
  }

  /** A building has no parent; any other location sits under the level just above, on the same site. */
  private async checkParent(trx: AppDeps['db'], territoryId: string, siteId: string, kind: LocationLevel, parentId: string | null) {
    const expected = parentKindOf(kind);
    if (expected === null) {
      if (parentId !== null) {
        throw unprocessable('Un bâtiment est à la racine du site : il n’a pas de parent.', 'invalid_parent', [
          { path: 'body.parentId', message: 'doit être null pour un bâtiment' },
        ]);
      }
      return;
    }
    const fail = () =>
      unprocessable(`${kindLabel(kind)} doit être rattaché(e) à ${kindLabel(expected)} du même site.`, 'invalid_parent', [
        { path: 'body.parentId', message: `doit désigner ${kindLabel(expected)} du site` },
      ]);
    if (parentId === null) throw fail();
    const parent = await repo.findLocation(trx, territoryId, parentId);
    if (!parent || parent.siteId !== siteId || parent.kind !== expected) throw fail();
  }
}
