import type { z } from 'zod';
import { PassThrough, type Readable } from 'node:stream';
import type {
  CertificateList, CompetencyCoverage, CompetencyMatrix, CompetencyNeeds, Skill, SkillCreate as SkillCreateSchema, SkillUpdate as SkillUpdateSchema, UserSkill,
  UserSkillPut as UserSkillPutSchema,
} from '@gmao/contracts';
import { seedSkillsFromCategories } from '@gmao/db';
import {
  CERTIFICATE_WARNING_DAYS, MATRIX_ROLES, SKILL_HOLDER_ROLES, can, certificateExpiringSoon, coverageFlags, decideUserSkillWrite,
  dependsOnOtherSites, levelRank, parisDay, planCompetencyNeeds, userSkillRights, type NeedsCategory, type NeedsPerson, type CoverageCounts, type RoleName, type SkillCategory, type SkillHolder,
  type SkillLevel,
} from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { badRequest, conflict, forbidden, HttpProblem, notFound, unprocessable, versionMismatch } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';
import type { Locale } from '../../lib/french.js';
import * as repo from './competency.repository.js';
import type { HolderRow } from './competency.repository.js';
import { needsCsv, writeNeedsXlsx } from './needs-export.js';

const UNIQUE = {
  skills_code_key: { path: 'body.code', message: 'Ce code de compétence est déjà utilisé dans le territoire.' },
  skills_category_key: { path: 'body.equipmentCategoryId', message: 'Cette catégorie d’équipement a déjà sa compétence de maintenance.' },
  skills_model_key: { path: 'body.modelId', message: 'Ce modèle a déjà sa compétence de maintenance.' },
};

const FORBIDDEN_DETAIL: Record<'skill_proposal_forbidden' | 'skill_validation_forbidden' | 'skill_self_validation_forbidden', string> = {
  skill_proposal_forbidden:
    'Vous ne pouvez pas modifier les compétences de cette personne : un technicien propose les siennes, un ingénieur ou le responsable de son site les valide.',
  skill_validation_forbidden: 'Seul un ingénieur ou le responsable du site de cette personne valide ses compétences.',
  skill_self_validation_forbidden: 'Vous ne pouvez pas valider vos propres compétences : un ingénieur ou le responsable de votre site les valide.',
};

export function toSkill(r: repo.SkillRow): Skill {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    skillCategory: r.skillCategory as SkillCategory,
    equipmentCategoryId: r.equipmentCategoryId,
    modelId: r.modelId,
    active: r.active,
    retiredAt: r.retiredAt ? r.retiredAt.toISOString() : null,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function toUserSkill(r: repo.UserSkillView): UserSkill {
  return {
    skillId: r.skillId,
    level: r.level as SkillLevel,
    validated: r.validated,
    validatedBy: r.validatedBy,
    validatedAt: r.validatedAt ? r.validatedAt.toISOString() : null,
    evidence: r.evidence,
    certificateExpiresAt: r.certificateExpiresAt,
    skillCode: r.skillCode,
    skillName: r.skillName,
    skillCategory: r.skillCategory as SkillCategory,
    skillActive: r.skillActive,
    evidenceDate: r.evidenceDate,
    validatedByName: r.validatedByName,
    proposedBy: r.proposedBy,
    updatedAt: r.updatedAt.toISOString(),
    version: r.version,
  };
}

/** The sites where a user holds a technician, engineer or site manager role. */
function holderSites(grants: { role: string; siteId: string | null }[]): string[] {
  return [...new Set(grants.filter((g) => g.siteId !== null && SKILL_HOLDER_ROLES.includes(g.role as RoleName)).map((g) => g.siteId as string))];
}

function emptyCounts(): CoverageCounts {
  return { devices: 0, experts: 0, confirmed: 0, beginners: 0, expiringCertificates: 0 };
}

export class CompetencyService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  private requireReader(ctx: ActorContext) {
    if (!can(ctx.principal, 'competency.read', { territoryId: ctx.principal.territoryId })) {
      throw forbidden('La cartographie des compétences est réservée à l’équipe biomédicale du territoire.');
    }
  }

  private requireManager(ctx: ActorContext) {
    if (!can(ctx.principal, 'skill.manage', { territoryId: ctx.principal.territoryId })) {
      throw forbidden('Seuls les ingénieurs biomédicaux gèrent le référentiel des compétences.');
    }
  }

  // --- The catalogue -------------------------------------------------------------------

  async listSkills(ctx: ActorContext, query: { skillCategory?: SkillCategory; includeRetired?: boolean }) {
    this.requireReader(ctx);
    const rows = await repo.listSkills(this.deps.db, ctx.principal.territoryId, query);
    return { items: rows.map(toSkill) };
  }

  async createSkill(ctx: ActorContext, input: z.output<typeof SkillCreateSchema>): Promise<Skill> {
    this.requireManager(ctx);
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      let equipmentCategoryId = input.equipmentCategoryId;
      if (input.modelId !== null) {
        const model = await repo.findEquipmentModel(trx, territoryId, input.modelId);
        if (!model) throw badRequest('Modèle inconnu.', [{ path: 'body.modelId', message: 'Modèle introuvable dans le territoire' }]);
        if (equipmentCategoryId !== null && equipmentCategoryId !== model.categoryId) {
          throw badRequest('Le modèle n’est pas de cette catégorie.', [{ path: 'body.equipmentCategoryId', message: 'Ce n’est pas la catégorie du modèle' }]);
        }
        equipmentCategoryId = model.categoryId;
      } else if (equipmentCategoryId !== null) {
        const category = await repo.findEquipmentCategory(trx, territoryId, equipmentCategoryId);
        if (!category) {
          throw badRequest('Catégorie d’équipement inconnue.', [{ path: 'body.equipmentCategoryId', message: 'Catégorie introuvable dans le territoire' }]);
        }
      }
      const row = await repo
        .insertSkill(trx, territoryId, ctx.principal.userId, { ...input, equipmentCategoryId })
        .catch((e) => rethrowUnique(e, UNIQUE));
      const skill = toSkill(row);
      await audit(trx, ctx, 'skill.create', 'skill', skill.id, null, skill);
      return skill;
    });
  }

  async updateSkill(ctx: ActorContext, id: string, version: number, patch: z.output<typeof SkillUpdateSchema>): Promise<Skill> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await repo.findSkill(trx, territoryId, id, true);
      if (!current) throw notFound('Compétence');
      this.requireManager(ctx);
      if (current.version !== version) throw versionMismatch(current.version);
      const retired = patch.retired === undefined || patch.retired === !current.active
        ? undefined
        : patch.retired ? { by: ctx.principal.userId } : null;
      const row = await repo.updateSkill(trx, id, version, { name: patch.name, retired });
      if (!row) throw versionMismatch(current.version + 1);
      const skill = toSkill(row);
      await audit(trx, ctx, 'skill.update', 'skill', id, toSkill(current), skill);
      return skill;
    });
  }

  /** Idempotent: adds the fixed skills and a maintenance skill per leaf category that has none (ADR 0019). */
  async seedFromCategories(ctx: ActorContext): Promise<{ created: number; total: number }> {
    this.requireManager(ctx);
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const created = await seedSkillsFromCategories(trx, territoryId, ctx.principal.userId);
      const total = await repo.countSkills(trx, territoryId);
      if (created > 0) await audit(trx, ctx, 'skill.seed', 'territory', territoryId, null, { created, total });
      return { created, total };
    });
  }

  // --- A person's skills ----------------------------------------------------------------

  private async holder(db: AppDeps['db'], territoryId: string, userId: string) {
    const user = await repo.findUserWithGrants(db, territoryId, userId);
    if (!user) throw notFound('Utilisateur');
    return user;
  }

  async listUserSkills(ctx: ActorContext, userId: string) {
    this.requireReader(ctx);
    const user = await this.holder(this.deps.db, ctx.principal.territoryId, userId);
    const rows = await repo.listUserSkills(this.deps.db, ctx.principal.territoryId, userId);
    return {
      items: rows.map(toUserSkill),
      historyUrl: `/api/v1/users/${userId}/skills/history`,
      holder: { userId, name: user.fullName, siteIds: holderSites(user.grants) },
    };
  }

  async history(ctx: ActorContext, userId: string, skillId?: string) {
    this.requireReader(ctx);
    await this.holder(this.deps.db, ctx.principal.territoryId, userId);
    const rows = await repo.listHistory(this.deps.db, ctx.principal.territoryId, userId, skillId);
    return {
      items: rows.map((r) => ({
        id: r.id, skillId: r.skillId, skillCode: r.skillCode, skillName: r.skillName,
        change: r.change as 'proposed' | 'changed' | 'validated' | 'unvalidated' | 'removed',
        level: r.level as SkillLevel | null, previousLevel: r.previousLevel as SkillLevel | null, validated: r.validated,
        evidence: r.evidence, evidenceDate: r.evidenceDate, certificateExpiresAt: r.certificateExpiresAt,
        actorId: r.actorId, actorName: r.actorName, at: r.at.toISOString(),
      })),
    };
  }

  /**
   * PUT /users/{id}/skills/{skillId}: records or changes a person's skill. Rights and what the
   * write becomes (validation or proposal): `decideUserSkillWrite` of the domain. Every change
   * appends a history row and an audit record; a write that changes nothing writes nothing.
   */
  async putUserSkill(ctx: ActorContext, userId: string, skillId: string, body: z.output<typeof UserSkillPutSchema>, version?: number): Promise<UserSkill> {
    const territoryId = ctx.principal.territoryId;
    const actorId = ctx.principal.userId;
    return this.deps.db.transaction().execute(async (trx) => {
      const user = await this.holder(trx, territoryId, userId);
      const holder: SkillHolder = { userId, siteIds: holderSites(user.grants) };
      const decision = decideUserSkillWrite(ctx.principal, holder, body.validated);
      if (!decision.ok) throw new HttpProblem(403, decision.code, FORBIDDEN_DETAIL[decision.code]);
      if (!user.active || !user.grants.some((g) => SKILL_HOLDER_ROLES.includes(g.role as RoleName))) {
        throw unprocessable(
          'Seuls les techniciens, ingénieurs et responsables de site actifs figurent dans la cartographie des compétences.',
          'not_biomedical_staff',
        );
      }
      const skill = await repo.findSkill(trx, territoryId, skillId);
      if (!skill) throw notFound('Compétence');
      if (!skill.active) throw conflict('Cette compétence est retirée du référentiel : elle ne s’attribue plus.', 'skill_retired');

      const current = await repo.lockUserSkill(trx, userId, skillId);
      // If-Match (optional): the version the writer read; a pair not recorded has none.
      if (version !== undefined && current?.version !== version) throw versionMismatch(current?.version ?? 0);
      const pick = <T>(given: T | undefined, kept: T | null | undefined): T | null => (given === undefined ? kept ?? null : given);
      const evidence = pick(body.evidence === '' ? null : body.evidence, current?.evidence);
      const evidenceDate = pick(body.evidenceDate, current?.evidenceDate);
      const certificateExpiresAt = pick(body.certificateExpiresAt, current?.certificateExpiresAt);
      const contentChanged = !current || current.level !== body.level || current.evidence !== evidence
        || current.evidenceDate !== evidenceDate || current.certificateExpiresAt !== certificateExpiresAt;
      const rights = userSkillRights(ctx.principal, holder);
      // Nothing said about validation and nothing changed: a validator's write validates a
      // proposal as it stands; anyone else's leaves the skill as it is.
      const validated = current && !contentChanged && body.validated === undefined
        ? (rights.validate ? true : current.validated)
        : decision.validated;
      if (current && !contentChanged && validated === current.validated) {
        return toUserSkill((await repo.findUserSkillView(trx, userId, skillId))!);
      }
      // A validation that only confirms what was validated already keeps its validator.
      const keepValidation = current?.validated === true && validated && !contentChanged;
      const values: repo.UserSkillValues = {
        level: body.level, evidence, evidenceDate, certificateExpiresAt, validated,
        validatedBy: validated ? (keepValidation ? current!.validatedBy : actorId) : null,
        validatedAt: validated ? (keepValidation ? current!.validatedAt : new Date()) : null,
      };
      const before = current ? toUserSkill((await repo.findUserSkillView(trx, userId, skillId))!) : null;
      if (current) {
        // A proposal (unvalidated write) is the proposer's: who proposed it last.
        await repo.updateUserSkill(trx, current.id, actorId, validated ? values : { ...values, proposedBy: actorId });
      } else {
        const inserted = await repo.insertUserSkill(trx, { ...values, territoryId, userId, skillId, proposedBy: actorId });
        if (!inserted) {
          throw conflict('Une autre opération simultanée a enregistré cette compétence : rien n’a été enregistré, rechargez puis réessayez.', 'concurrent_update');
        }
      }
      const change = !current
        ? (validated ? 'validated' : 'proposed')
        : validated && !current.validated ? 'validated' : !validated && current.validated ? 'unvalidated' : 'changed';
      await repo.insertHistory(trx, {
        territoryId, userId, skillId, change, level: body.level, previousLevel: current?.level ?? null, validated,
        evidence, evidenceDate, certificateExpiresAt, actorId,
      });
      const after = toUserSkill((await repo.findUserSkillView(trx, userId, skillId))!);
      await audit(trx, ctx, 'user_skill.put', 'user', userId, before, after);
      return after;
    });
  }

  /** Removes a person's skill: a validator of their skills, or the person for their own proposal. */
  async deleteUserSkill(ctx: ActorContext, userId: string, skillId: string, version?: number): Promise<void> {
    const territoryId = ctx.principal.territoryId;
    await this.deps.db.transaction().execute(async (trx) => {
      const user = await this.holder(trx, territoryId, userId);
      const holder: SkillHolder = { userId, siteIds: holderSites(user.grants) };
      const rights = userSkillRights(ctx.principal, holder);
      if (!rights.propose) throw new HttpProblem(403, 'skill_proposal_forbidden', FORBIDDEN_DETAIL.skill_proposal_forbidden);
      const current = await repo.lockUserSkill(trx, userId, skillId);
      if (!current || current.territoryId !== territoryId) throw notFound('Compétence de cette personne');
      if (version !== undefined && current.version !== version) throw versionMismatch(current.version);
      if (!rights.validate && current.validated) {
        throw new HttpProblem(403, 'skill_validation_forbidden', 'Une compétence validée ne se retire que par un ingénieur ou le responsable du site de la personne.');
      }
      const before = toUserSkill((await repo.findUserSkillView(trx, userId, skillId))!);
      await repo.deleteUserSkill(trx, current.id);
      await repo.insertHistory(trx, {
        territoryId, userId, skillId, change: 'removed', level: null, previousLevel: current.level, validated: false,
        evidence: current.evidence, evidenceDate: current.evidenceDate, certificateExpiresAt: current.certificateExpiresAt, actorId: ctx.principal.userId,
      });
      await audit(trx, ctx, 'user_skill.delete', 'user', userId, before, null);
    });
  }

  // --- Analyses ---------------------------------------------------------------------------

  async matrix(ctx: ActorContext, query: { siteId?: string; skillCategory?: SkillCategory }): Promise<CompetencyMatrix> {
    this.requireReader(ctx);
    const territoryId = ctx.principal.territoryId;
    const db = this.deps.db;
    const [users, skills, cells] = await Promise.all([
      repo.listActiveUsersWithGrants(db, territoryId),
      repo.listSkills(db, territoryId, { skillCategory: query.skillCategory }),
      repo.listMatrixCells(db, territoryId, query.skillCategory),
    ]);
    const skilled = new Set(cells.map((c) => c.userId));
    const people = users
      .map((u) => ({
        userId: u.id,
        name: u.fullName,
        siteIds: holderSites(u.grants),
        roles: [...new Set(u.grants.map((g) => g.role as RoleName))].sort(),
        onMap: u.grants.some((g) => MATRIX_ROLES.includes(g.role as RoleName)) || skilled.has(u.id),
      }))
      .filter((p) => p.onMap && (query.siteId === undefined || p.siteIds.includes(query.siteId)))
      .map(({ onMap: _onMap, ...p }) => p);
    const shown = new Set(people.map((p) => p.userId));
    return {
      people,
      skills: skills.map((s) => ({ id: s.id, code: s.code, name: s.name, skillCategory: s.skillCategory as SkillCategory })),
      cells: cells.filter((c) => shown.has(c.userId)).map((c) => ({ ...c, level: c.level as SkillLevel })),
    };
  }

  /**
   * Per equipment category present in the inventory: devices, and people with a validated
   * maintenance skill of the category (its own skill or one of its models'; a person counts
   * once, at their best level) per site where they hold a technician, engineer or site
   * manager role, and for the territory; with the flags of the domain's `coverageFlags`.
   */
  async coverage(ctx: ActorContext, siteId?: string): Promise<CompetencyCoverage> {
    this.requireReader(ctx);
    const { today, categories } = await this.computeCoverage(ctx.principal.territoryId);
    const result = categories
      .map((c) => ({ ...c, sites: c.sites.filter((s) => siteId === undefined || s.siteId === siteId) }))
      .filter((c) => siteId === undefined || c.sites.length > 0)
      .map(({ levels: _levels, ...c }) => c);
    return { asOf: today, certificateWarningDays: CERTIFICATE_WARNING_DAYS, categories: result };
  }

  /**
   * Trainings and recruitments from the coverage's gaps (ADR 0021): the coverage of the whole
   * territory (trainers and trainees may come from other sites), planned by the domain's
   * `planCompetencyNeeds`. With siteId: the needs of that site, and the territory's
   * recruitments of the categories it has devices of.
   */
  async needs(ctx: ActorContext, siteId?: string): Promise<CompetencyNeeds> {
    this.requireReader(ctx);
    const territoryId = ctx.principal.territoryId;
    const db = this.deps.db;
    const [{ today, categories, skills }, users, sites] = await Promise.all([
      this.computeCoverage(territoryId),
      repo.listActiveUsersWithGrants(db, territoryId),
      repo.listSitesWithCoordinates(db, territoryId),
    ]);
    const sitesOfRoles = (grants: HolderRow['grants'], roles: readonly RoleName[]) =>
      [...new Set(grants.filter((g) => g.siteId !== null && roles.includes(g.role as RoleName)).map((g) => g.siteId as string))];
    const people: NeedsPerson[] = users.map((u) => ({
      userId: u.id, name: u.fullName, siteIds: sitesOfRoles(u.grants, MATRIX_ROLES), holderSiteIds: sitesOfRoles(u.grants, SKILL_HOLDER_ROLES),
    }));
    const input: NeedsCategory[] = categories.map((c) => {
      // The category's own skill, else one of its models'.
      const skill = skills.filter((s) => s.equipmentCategoryId === c.categoryId).sort((a, b) => Number(a.modelId !== null) - Number(b.modelId !== null))[0];
      return {
        categoryId: c.categoryId, code: c.code, label: c.label, skill: skill ? { id: skill.id, code: skill.code, name: skill.name } : null,
        devices: c.territory.devices, levels: c.levels, sites: c.sites,
      };
    });
    const planned = planCompetencyNeeds(input, people, sites.map((s) => ({
      id: s.id, name: s.name, latitude: s.latitude === null ? null : Number(s.latitude), longitude: s.longitude === null ? null : Number(s.longitude),
    })));
    if (siteId === undefined) return { asOf: today, ...planned };
    const here = new Set(categories.filter((c) => c.sites.some((s) => s.siteId === siteId && s.devices > 0)).map((c) => c.categoryId));
    return {
      asOf: today,
      trainings: planned.trainings.filter((t) => t.siteId === siteId),
      recruitments: planned.recruitments.filter((r) => r.siteId === siteId || (r.siteId === null && here.has(r.categoryId))),
    };
  }

  /** The needs as CSV (one table, a type column) or XLSX (a sheet each), in `locale`. */
  async needsExport(ctx: ActorContext, siteId: string | undefined, locale: Locale, format: 'csv' | 'xlsx'): Promise<string | Readable> {
    const needs = await this.needs(ctx, siteId);
    if (format === 'csv') return needsCsv(needs, locale);
    const out = new PassThrough();
    writeNeedsXlsx(needs, locale, out).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
    return out;
  }

  /**
   * The expired certificates and those expiring within `withinDays` (Europe/Paris days) of
   * the territory's active people, of active skills, soonest first; with siteId, of the
   * people with a technician, engineer or site manager role on that site.
   */
  async certificates(ctx: ActorContext, query: { withinDays?: number; siteId?: string }): Promise<CertificateList> {
    this.requireReader(ctx);
    const territoryId = ctx.principal.territoryId;
    const today = parisDay(new Date());
    const withinDays = query.withinDays ?? CERTIFICATE_WARNING_DAYS;
    const rows = await repo.listExpiringCertificates(this.deps.db, territoryId, today, withinDays, query.siteId);
    return {
      asOf: today,
      withinDays,
      items: rows.map((r) => {
        const daysLeft = daysBetween(today, r.certificateExpiresAt);
        return {
          userId: r.userId, name: r.name, siteIds: r.siteIds, skillId: r.skillId, skillCode: r.skillCode, skillName: r.skillName,
          level: r.level as SkillLevel, validated: r.validated, certificateExpiresAt: r.certificateExpiresAt, daysLeft, expired: daysLeft < 0,
        };
      }),
    };
  }

  /**
   * The one computation of the coverage (the coverage page and the needs read it): every
   * category with devices, every site, and each person's best validated level per category.
   */
  private async computeCoverage(territoryId: string) {
    const db = this.deps.db;
    const today = parisDay(new Date());
    const [devices, skilled, holderSiteRows, skills, siteRows] = await Promise.all([
      repo.countDevicesByCategoryAndSite(db, territoryId),
      repo.listValidatedMaintenanceSkills(db, territoryId),
      repo.listHolderSites(db, territoryId),
      repo.listMaintenanceSkills(db, territoryId),
      repo.listSitesByName(db, territoryId),
    ]);
    const siteOrder = new Map(siteRows.map((r, i) => [r.id, i]));
    const siteName = new Map(siteRows.map((r) => [r.id, r.name]));
    const sitesOf = new Map<string, Set<string>>();
    for (const r of holderSiteRows) {
      if (!sitesOf.has(r.userId)) sitesOf.set(r.userId, new Set());
      sitesOf.get(r.userId)!.add(r.siteId!);
    }
    // Per category, per person: best level and certificates expiring soon.
    const people = new Map<string, Map<string, { level: SkillLevel; expiring: number }>>();
    for (const r of skilled) {
      const categoryId = r.equipmentCategoryId!;
      if (!people.has(categoryId)) people.set(categoryId, new Map());
      const byUser = people.get(categoryId)!;
      const level = r.level as SkillLevel;
      const expiring = certificateExpiringSoon(r.certificateExpiresAt, today) ? 1 : 0;
      const had = byUser.get(r.userId);
      byUser.set(r.userId, had
        ? { level: levelRank(level) > levelRank(had.level) ? level : had.level, expiring: had.expiring + expiring }
        : { level, expiring });
    }
    const devicesOf = new Map<string, Map<string, number>>();
    for (const r of devices) {
      if (!devicesOf.has(r.categoryId)) devicesOf.set(r.categoryId, new Map());
      devicesOf.get(r.categoryId)!.set(r.siteId, Number(r.devices));
    }
    const categories = await repo.listCategories(db, territoryId, [...devicesOf.keys()]);
    const add = (c: CoverageCounts, p: { level: SkillLevel; expiring: number }) => {
      if (p.level === 'expert') c.experts++;
      else if (p.level === 'confirmed') c.confirmed++;
      else c.beginners++;
      c.expiringCertificates += p.expiring;
    };
    const result = [];
    for (const category of categories) {
      const deviceSites = devicesOf.get(category.id)!;
      const byUser = people.get(category.id) ?? new Map<string, { level: SkillLevel; expiring: number }>();
      const territory = emptyCounts();
      territory.devices = [...deviceSites.values()].reduce((a, b) => a + b, 0);
      const perSite = new Map<string, CoverageCounts>();
      const site = (id: string) => {
        if (!perSite.has(id)) perSite.set(id, emptyCounts());
        return perSite.get(id)!;
      };
      for (const [id, n] of deviceSites) site(id).devices = n;
      for (const [userId, p] of byUser) {
        add(territory, p);
        for (const s of sitesOf.get(userId) ?? []) add(site(s), p);
      }
      const territoryCompetent = territory.experts + territory.confirmed;
      const sites = [...perSite.entries()]
        .map(([id, c]) => {
          // People counted here are counted in the territory too: the others are elsewhere.
          const elsewhere = territoryCompetent - (c.experts + c.confirmed);
          return { siteId: id, siteName: siteName.get(id) ?? '', ...c, ...coverageFlags(c), dependsOnOtherSites: dependsOnOtherSites(c, elsewhere) };
        })
        .sort((a, b) => (siteOrder.get(a.siteId) ?? 0) - (siteOrder.get(b.siteId) ?? 0));
      result.push({
        categoryId: category.id,
        code: category.code,
        label: category.label,
        skillIds: skills.filter((s) => s.equipmentCategoryId === category.id).map((s) => s.id),
        territory: { ...territory, ...coverageFlags(territory) },
        sites,
        levels: new Map([...byUser].map(([userId, p]) => [userId, p.level])),
      });
    }
    return { today, categories: result, skills };
  }
}

/** Whole days from `from` to `to` (YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
