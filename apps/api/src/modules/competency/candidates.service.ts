import type { Kysely } from 'kysely';
import type { WorkOrderCandidates } from '@gmao/contracts';
import { assigneesOf, findWorkOrder, type DB } from '@gmao/db';
import {
  DEFAULT_REQUIRED_LEVEL, candidateReasonText, distanceKm, hoursOf, parisDay, rankCandidates, workOrderAbilities,
  type CandidatePerson, type SkillLevel,
} from '@gmao/domain';
import type { ActorContext } from '../../lib/context.js';
import type { Locale } from '../../lib/french.js';
import { notFound } from '../../lib/problem.js';
import { requireAbility } from '../work-orders/work-order-access.js';
import { factsOf } from '../work-orders/work-order-view.js';
import { candidatePeople, workOrderRequirement } from './candidates.repository.js';

/** Candidates answered when the query does not say (the contract's default). */
export const DEFAULT_CANDIDATE_LIMIT = 50;

/**
 * Choosing a technician for a work order (issue 14, ADR 0020): who may assign it reads the
 * active technicians and engineers of the territory ranked by `rankCandidates` of
 * packages/domain, with the reasons in the reader's language.
 */
export class CandidatesService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}

  async candidates(ctx: ActorContext, workOrderId: string, query: { limit?: number }, locale: Locale): Promise<WorkOrderCandidates> {
    const { db } = this.deps;
    const territoryId = ctx.principal.territoryId;
    const wo = await findWorkOrder(db, territoryId, workOrderId);
    if (!wo) throw notFound('Bon de travail');
    const assignees = (await assigneesOf(db, [wo.id])).get(wo.id) ?? [];
    // One who may not read it does not learn it exists (404, as another territory's); one who reads but may not assign: 403.
    if (!workOrderAbilities(ctx.principal, factsOf(wo), assignees.map((a) => a.id)).read) throw notFound('Bon de travail');
    requireAbility(ctx, wo, assignees, 'assign', { role: "Seuls l'ingénieur et le responsable du site de ce bon (ou l'administrateur du territoire) choisissent qui l'exécute." });

    const req = await workOrderRequirement(db, territoryId, wo.id);
    const skillId = req?.skillId ?? null;
    const requiredLevel: SkillLevel | null = skillId === null ? null : ((req?.level as SkillLevel | null) ?? DEFAULT_REQUIRED_LEVEL);
    const rows = await candidatePeople(db, territoryId, skillId);
    const here = { latitude: req?.siteLatitude ?? null, longitude: req?.siteLongitude ?? null };
    const people: CandidatePerson[] = rows
      .filter((r) => (r.sites ?? []).length > 0)
      .map((r) => ({
        userId: r.userId, name: r.name, level: r.level as SkillLevel | null, validated: r.validated ?? false,
        certificateExpiresAt: r.certificateExpiresAt, openHours: hoursOf(r.openMinutes),
        sites: r.sites.map((s) => ({
          siteId: s.siteId, siteName: s.siteName,
          distanceKm: s.siteId === wo.siteId ? 0 : distanceKm(here, s),
        })),
      }));
    const ranked = rankCandidates({ skillId, minimumLevel: requiredLevel }, wo.siteId, people, parisDay(new Date()));
    return {
      requiredSkillId: skillId,
      requiredSkillName: req?.skillName ?? null,
      requiredLevel,
      requirementSource: req?.source ?? 'none',
      items: ranked.slice(0, query.limit ?? DEFAULT_CANDIDATE_LIMIT).map((c) => ({
        userId: c.userId, name: c.name, siteId: c.siteId, siteName: c.siteName, level: c.level, validated: c.validated,
        meetsRequirement: c.meetsRequirement, certificateValid: c.certificateValid, certificateExpiresAt: c.certificateExpiresAt,
        distanceKm: c.distanceKm, openHours: c.openHours, score: c.score,
        reasons: c.reasons.map((r) => candidateReasonText(r, locale)), reasonCodes: c.reasons.map((r) => r.code),
      })),
    };
  }
}
