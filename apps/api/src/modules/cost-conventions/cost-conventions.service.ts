import type { z } from 'zod';
import type { CostConventionInput, CostConventionList, CostConventionVersion } from '@gmao/contracts';
import { can, checkConventionVersion, conventionOn, parisDay, withAppliesTo, type ContractSplitName } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { pgConstraint, pgErrorCode } from '../../lib/http.js';
import { conflict, forbidden, notFound, unprocessable } from '../../lib/problem.js';
import { insertConventionVersion, listConventionVersions, monthClosed, territorySiteIds, type ConventionRow } from './cost-conventions.repository.js';

function toVersion(r: ConventionRow & { appliesTo: string | null }): CostConventionVersion {
  return {
    id: r.id, appliesFrom: r.appliesFrom, appliesTo: r.appliesTo, technicianHourlyRateCents: r.technicianHourlyRateCents,
    engineerHourlyRateCents: r.engineerHourlyRateCents, travelMode: r.travelMode as CostConventionVersion['travelMode'],
    travelCentsPerMinute: r.travelCentsPerMinute, travelCentsPerKm: r.travelCentsPerKm, overheadPercent: Number(r.overheadPercent),
    contractSplit: r.contractSplit as ContractSplitName, fixedShares: (r.fixedShares as CostConventionVersion['fixedShares']) ?? null, note: r.note,
    createdBy: { id: r.createdById, name: r.createdByName }, createdAt: r.createdAt.toISOString(),
  };
}

/**
 * The territory's cost convention (ADR 0023): versions, each applying from its day until the
 * next one's. Read by whoever reads the statements or the indicators; written by the
 * territory admin only, never edited (a correction is a new version), never inside a closed month.
 */
export class CostConventionsService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  async list(ctx: ActorContext, now = new Date()): Promise<CostConventionList> {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'cost.statement.read', { territoryId }) && !can(ctx.principal, 'kpi.read', { territoryId })) {
      throw forbidden('La convention de répartition des coûts se consulte avec les indicateurs ou les relevés inter-sites.');
    }
    const items = withAppliesTo(await listConventionVersions(this.deps.db, territoryId)).map(toVersion);
    return { items, currentId: conventionOn(items, parisDay(now))?.id ?? null };
  }

  async create(ctx: ActorContext, input: z.output<typeof CostConventionInput>): Promise<CostConventionVersion> {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'cost.convention.manage', { territoryId })) {
      throw forbidden("Seul l'administrateur du territoire établit la convention de répartition des coûts.");
    }
    const fixedShares = input.fixedShares ?? null;
    return this.deps.db.transaction().execute(async (trx) => {
      const refusal = checkConventionVersion({ contractSplit: input.contractSplit, fixedShares }, await territorySiteIds(trx, territoryId));
      if (refusal) {
        const detail = {
          cost_convention_fixed_shares_required: 'La répartition par parts fixes demande la part de chaque site.',
          cost_convention_fixed_shares_not_100: 'Les parts fixes doivent faire exactement 100 %.',
          cost_convention_fixed_shares_unexpected: 'Des parts fixes ne se donnent qu’avec la répartition par parts fixes.',
          cost_convention_fixed_shares_unknown_site: 'Une part fixe désigne un site qui n’est pas de ce territoire.',
          cost_convention_fixed_shares_duplicate_site: 'Un site a deux parts fixes.',
        }[refusal.code];
        throw unprocessable(detail, refusal.code, [{ path: refusal.path, message: refusal.message, code: refusal.code }]);
      }
      if (await monthClosed(trx, territoryId, input.appliesFrom)) {
        throw conflict(
          'Ce mois est clos : une nouvelle version ne peut s’appliquer qu’à partir d’un mois ouvert (les mois clos ne sont jamais réévalués).',
          'cost_convention_applies_too_early',
          [{ path: 'body.appliesFrom', message: 'jour d’un mois clos' }],
        );
      }
      let id: string;
      try {
        id = await insertConventionVersion(trx, {
          territoryId, appliesFrom: input.appliesFrom, technicianHourlyRateCents: input.technicianHourlyRateCents, engineerHourlyRateCents: input.engineerHourlyRateCents,
          travelMode: input.travelMode, travelCentsPerMinute: input.travelCentsPerMinute, travelCentsPerKm: input.travelCentsPerKm,
          overheadPercent: input.overheadPercent, contractSplit: input.contractSplit, fixedShares, note: input.note, createdBy: ctx.principal.userId,
        });
      } catch (err) {
        if (pgErrorCode(err) === '23505' && pgConstraint(err) === 'cost_convention_versions_day_key') {
          throw conflict('Une version s’applique déjà à partir de ce jour : choisissez un autre jour.', 'cost_convention_day_taken', [
            { path: 'body.appliesFrom', message: 'une version s’applique déjà à partir de ce jour' },
          ]);
        }
        if (pgErrorCode(err) === '23514' && pgConstraint(err) === 'cost_convention_overhead') {
          throw unprocessable('Frais généraux : deux décimales au plus, entre 0 et 100 %.', 'invalid_value', [{ path: 'body.overheadPercent', message: 'entre 0 et 100' }]);
        }
        throw err;
      }
      const versions = withAppliesTo(await listConventionVersions(trx, territoryId)).map(toVersion);
      const created = versions.find((v) => v.id === id);
      if (!created) throw notFound('Version de la convention');
      await audit(trx, ctx, 'cost_convention.create', 'cost_convention_version', id, null, created);
      return created;
    });
  }
}
