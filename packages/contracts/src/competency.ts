import { z } from 'zod';
import { ROLE_NAMES, SKILL_CATEGORIES, SKILL_LEVELS } from '@gmao/domain';
import { DateInput, IsoDate, QueryBoolean, Timestamp, Uuid } from './common.js';

/** Competency map (issue 14, ADR 0019): the skill catalogue, people's skills, matrix and coverage. */

export const SkillCategory = z.enum(SKILL_CATEGORIES);
export const SkillLevel = z.enum(SKILL_LEVELS);

export const Skill = z
  .object({
    id: Uuid,
    code: z.string(),
    name: z.string(),
    skillCategory: SkillCategory,
    /** Maintenance skills: the equipment category they cover (the model's, for a model's skill). */
    equipmentCategoryId: Uuid.nullable(),
    /** A skill specific to one equipment model (null: the whole category, or not a maintenance skill). */
    modelId: Uuid.nullable(),
    /** false once retired: kept for the people's history, no longer offered. */
    active: z.boolean(),
    retiredAt: Timestamp.nullable(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Skill' });
export type Skill = z.infer<typeof Skill>;

/** GET /api/v1/skills — the whole catalogue, by category then name (a few dozen to a few hundred skills). */
export const SkillListQuery = z.object({
  skillCategory: SkillCategory.optional(),
  includeRetired: QueryBoolean.optional(),
});
export const SkillList = z.object({ items: z.array(Skill) }).meta({ id: 'SkillList' });

const SkillCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9._/-]{1,59}$/, 'Code de compétence : 2 à 60 lettres, chiffres, . _ / -');
const SkillName = z.string().trim().min(2, 'Nom de la compétence : 2 caractères au moins').max(200);

export const SkillCreate = z
  .object({
    code: SkillCode,
    name: SkillName,
    skillCategory: SkillCategory,
    equipmentCategoryId: Uuid.nullable().default(null),
    modelId: Uuid.nullable().default(null),
  })
  .refine((v) => v.skillCategory === 'equipment_maintenance' || (v.equipmentCategoryId === null && v.modelId === null), {
    message: 'Catégorie d’équipement et modèle pour les compétences de maintenance seulement', path: ['equipmentCategoryId'],
  })
  .refine((v) => v.skillCategory !== 'equipment_maintenance' || v.equipmentCategoryId !== null || v.modelId !== null, {
    message: 'Une compétence de maintenance porte sur une catégorie d’équipement ou un modèle', path: ['equipmentCategoryId'],
  });
export type SkillCreate = z.input<typeof SkillCreate>;

/** PATCH /api/v1/skills/{id} (If-Match: version): rename, retire (retired: true) or bring back (false). */
export const SkillUpdate = z
  .object({ name: SkillName, retired: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Aucun champ à modifier' });
export type SkillUpdate = z.input<typeof SkillUpdate>;

/** POST /api/v1/skills/seed-from-categories takes an empty object. */
export const SkillSeedRequest = z.object({}).strict();
export const SkillSeedResult = z.object({ created: z.number().int(), total: z.number().int() }).meta({ id: 'SkillSeedResult' });

/** One skill of one person (GET /api/v1/users/{id}/skills). */
export const UserSkill = z
  .object({
    skillId: Uuid,
    level: SkillLevel,
    validated: z.boolean(),
    validatedBy: Uuid.nullable(),
    validatedAt: Timestamp.nullable(),
    evidence: z.string().nullable(),
    certificateExpiresAt: IsoDate.nullable(),
    /** Besides the fields: the skill's code, name and category, the evidence's date, who proposed it, the version. */
    skillCode: z.string(),
    skillName: z.string(),
    skillCategory: SkillCategory,
    skillActive: z.boolean(),
    evidenceDate: IsoDate.nullable(),
    validatedByName: z.string().nullable(),
    proposedBy: Uuid,
    updatedAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'UserSkill' });
export type UserSkill = z.infer<typeof UserSkill>;

export const UserSkillList = z
  .object({
    items: z.array(UserSkill),
    /** Where the history of the person's levels is read. */
    historyUrl: z.string(),
  })
  .meta({ id: 'UserSkillList' });

export const UserSkillParams = z.object({ id: Uuid, skillId: Uuid });

/**
 * PUT /api/v1/users/{id}/skills/{skillId}. Omitted evidence, evidence date or certificate keep
 * what is recorded (null clears it). `validated`: true validates (an engineer, the territory
 * admin or the site manager of the person's site, never on oneself); false records a
 * proposal; omitted, a validator's write is a validation and anyone else's a proposal.
 */
export const UserSkillPut = z.object({
  level: SkillLevel,
  evidence: z.string().trim().max(2000).nullable().optional(),
  evidenceDate: DateInput.nullable().optional(),
  certificateExpiresAt: DateInput.nullable().optional(),
  validated: z.boolean().optional(),
});
export type UserSkillPut = z.input<typeof UserSkillPut>;

export const SkillChange = z.enum(['proposed', 'changed', 'validated', 'unvalidated', 'removed']);

export const UserSkillHistoryEntry = z
  .object({
    id: z.number().int(),
    skillId: Uuid,
    skillCode: z.string(),
    skillName: z.string(),
    change: SkillChange,
    level: SkillLevel.nullable(),
    previousLevel: SkillLevel.nullable(),
    validated: z.boolean(),
    evidence: z.string().nullable(),
    evidenceDate: IsoDate.nullable(),
    certificateExpiresAt: IsoDate.nullable(),
    actorId: Uuid.nullable(),
    actorName: z.string().nullable(),
    at: Timestamp,
  })
  .meta({ id: 'UserSkillHistoryEntry' });
export const UserSkillHistoryQuery = z.object({ skillId: Uuid.optional() });
export const UserSkillHistory = z.object({ items: z.array(UserSkillHistoryEntry) }).meta({ id: 'UserSkillHistory' });

/** GET /api/v1/competency/matrix */
export const CompetencyMatrixQuery = z.object({
  siteId: Uuid.optional(),
  skillCategory: SkillCategory.optional(),
});

export const CompetencyMatrix = z
  .object({
    /** Technicians and engineers (of the site, with siteId), and anyone else holding a skill; by name. */
    people: z.array(z.object({ userId: Uuid, name: z.string(), siteIds: z.array(Uuid), roles: z.array(z.enum(ROLE_NAMES)) })),
    /** Active skills (of the category, with skillCategory), by category then name. */
    skills: z.array(z.object({ id: Uuid, code: z.string(), name: z.string(), skillCategory: SkillCategory })),
    /** Only the (person, skill) pairs recorded: an absent pair is no skill. */
    cells: z.array(z.object({
      userId: Uuid, skillId: Uuid, level: SkillLevel, validated: z.boolean(), certificateExpiresAt: IsoDate.nullable(),
    })),
  })
  .meta({ id: 'CompetencyMatrix' });
export type CompetencyMatrix = z.infer<typeof CompetencyMatrix>;

/** GET /api/v1/competency/coverage */
export const CompetencyCoverageQuery = z.object({ siteId: Uuid.optional() });

const coverageCounts = {
  /** Devices of the category in the inventory (not decommissioned). */
  devices: z.number().int(),
  /** People with a validated skill of the category at this level (their best level); beginners do not make it covered. */
  experts: z.number().int(),
  confirmed: z.number().int(),
  beginners: z.number().int(),
  /** Validated skills of the people counted whose certificate has expired or expires within 90 days. */
  expiringCertificates: z.number().int(),
  noOneCompetent: z.boolean(),
  singleExpert: z.boolean(),
  certificatesExpiringSoon: z.boolean(),
};

export const CoverageSite = z.object({
  siteId: Uuid,
  siteName: z.string(),
  ...coverageCounts,
  /** Devices here, nobody confirmed or expert here, and someone at another site. */
  dependsOnOtherSites: z.boolean(),
});

export const CompetencyCoverage = z
  .object({
    /** The day the certificates' 90 days are counted from (Europe/Paris). */
    asOf: IsoDate,
    certificateWarningDays: z.number().int(),
    categories: z.array(z.object({
      categoryId: Uuid,
      code: z.string(),
      label: z.string(),
      /** The category's maintenance skills (the category's own and its models'). */
      skillIds: z.array(Uuid),
      territory: z.object(coverageCounts),
      /** Each site with devices of the category or people skilled in it (only the site asked, with siteId), by site name. */
      sites: z.array(CoverageSite),
    })),
  })
  .meta({ id: 'CompetencyCoverage' });
export type CompetencyCoverage = z.infer<typeof CompetencyCoverage>;
