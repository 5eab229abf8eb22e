import { encodeCursor, type Site } from '@gmao/contracts';
import { can } from '@gmao/domain';
import type { z } from 'zod';
import type { SiteCreate as SiteCreateSchema, SiteUpdate as SiteUpdateSchema } from '@gmao/contracts';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { forbidden, notFound, versionMismatch } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';
import * as repo from './sites.repository.js';
import { EVERYONE, type PrincipalCache } from '../auth/principal-cache.js';

const UNIQUE = {
  sites_finess_key: { path: 'body.finess', message: 'Ce numéro FINESS est déjà enregistré dans le territoire.' },
  sites_short_code_key: { path: 'body.shortCode', message: 'Ce code court est déjà utilisé dans le territoire.' },
  sites_name_key: { path: 'body.name', message: 'Un site porte déjà ce nom dans le territoire.' },
  sites_one_support_site_idx: {
    path: 'body.isSupportSite',
    message: 'Le territoire a déjà un établissement support : retirez-lui ce rôle d’abord.',
  },
};

export function toSite(r: repo.SiteRow): Site {
  return {
    id: r.id,
    name: r.name,
    shortCode: r.shortCode,
    finess: r.finess,
    legalEntityFiness: r.legalEntityFiness,
    legalEntityName: r.legalEntityName,
    kind: r.kind as Site['kind'],
    address: r.address,
    postalCode: r.postalCode,
    city: r.city,
    latitude: r.latitude,
    longitude: r.longitude,
    isSupportSite: r.isSupportSite,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export class SitesService {
  /** `principals`: a renamed site changes what every signed-in user's roles show (GET /me). */
  constructor(private readonly deps: Pick<AppDeps, 'db'> & { principals: Pick<PrincipalCache, 'changed'> }) {}

  async list(ctx: ActorContext, query: { q?: string; limit: number; cursor?: [string, string] }) {
    const rows = await repo.listSites(this.deps.db, ctx.principal.territoryId, {
      q: query.q, after: query.cursor, limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map(toSite),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.name, last.id]) : null,
    };
  }

  async get(ctx: ActorContext, id: string): Promise<Site> {
    const row = await repo.findSite(this.deps.db, ctx.principal.territoryId, id);
    if (!row) throw notFound('Site');
    return toSite(row);
  }

  async create(ctx: ActorContext, input: z.output<typeof SiteCreateSchema>): Promise<Site> {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'site.create', { territoryId })) throw forbidden();
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await repo.insertSite(trx, territoryId, input).catch((e) => rethrowUnique(e, UNIQUE));
      const site = toSite(row);
      await audit(trx, ctx, 'site.create', 'site', site.id, null, site);
      return site;
    });
  }

  async update(ctx: ActorContext, id: string, version: number, patch: z.output<typeof SiteUpdateSchema>): Promise<Site> {
    const territoryId = ctx.principal.territoryId;
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const current = await repo.findSite(trx, territoryId, id);
      if (!current) throw notFound('Site');
      if (!can(ctx.principal, 'site.update', { territoryId, siteId: id })) throw forbidden();
      // Only a territory admin designates the support establishment.
      if (patch.isSupportSite !== undefined && patch.isSupportSite !== current.isSupportSite
        && !can(ctx.principal, 'site.create', { territoryId })) {
        throw forbidden("Seul l'administrateur du territoire désigne l'établissement support.");
      }
      if (current.version !== version) throw versionMismatch(current.version);
      const row = await repo.updateSite(trx, id, version, patch).catch((e) => rethrowUnique(e, UNIQUE));
      if (!row) throw versionMismatch(current.version + 1);
      const site = toSite(row);
      await audit(trx, ctx, 'site.update', 'site', id, toSite(current), site);
      return site;
    });
    await this.deps.principals.changed(EVERYONE);
    return updated;
  }
}
