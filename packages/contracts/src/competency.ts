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
    /**
     * Besides the fields: whose skills these are (name, and the sites where they hold a
     * technician, engineer or site manager role), also for someone the matrix leaves out.
     */
    holder: z.object({ userId: Uuid, name: z.string(), siteIds: z.array(Uuid) }),
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

/* ------------------------------------------------------------------------------------------ */
/* Choosing a technician: GET /api/v1/work-orders/{id}/candidates (issue 14, names fixed).     */
/* ------------------------------------------------------------------------------------------ */

export const WorkOrderCandidatesQuery = z.object({
  /** At most this many, best first (default 50). */
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const WorkOrderCandidate = z
  .object({
    userId: Uuid,
    name: z.string(),
    /** The person's site nearest to the work order's site (the work order's own when they hold a role there). */
    siteId: Uuid,
    siteName: z.string(),
    /** Their level in the required skill (validated or proposed); null: they do not hold it, or no skill is required. */
    level: SkillLevel.nullable(),
    /** false while their skill is only proposed (not validated by an engineer or a site manager). */
    validated: z.boolean(),
    /** Whether they meet the requirement: the skill validated, at the required level or above. */
    meetsRequirement: z.boolean(),
    /** true: a certificate recorded for the skill and not expired; false: expired, or none recorded. */
    certificateValid: z.boolean(),
    certificateExpiresAt: IsoDate.nullable(),
    /** Road-free distance between the two sites' coordinates (great circle), km; 0 on the same site; null: a site without coordinates. */
    distanceKm: z.number().nullable(),
    /** Estimated hours of their open work orders (assigned to them, not completed, closed or cancelled). */
    openHours: z.number(),
    /** Higher is better; the items come sorted by it (the requirement's tier, then proximity; ties broken by load, level, then name; ADR 0020). */
    score: z.number(),
    /** The reasons for the rank, in words, in the reader's language (?lang or Accept-Language). */
    reasons: z.array(z.string()),
    /** The same reasons as stable codes, in the same order (for clients that write their own text). */
    reasonCodes: z.array(z.string()),
  })
  .meta({ id: 'WorkOrderCandidate' });
export type WorkOrderCandidate = z.infer<typeof WorkOrderCandidate>;

export const WorkOrderCandidates = z
  .object({
    /** From the work order's plan, else the device's model's skill, else its category's (nearest parent with a skill); null: none known. */
    requiredSkillId: Uuid.nullable(),
    requiredSkillName: z.string().nullable(),
    /** The plan's minimum level, else `confirmed` (autonomous); null when no skill is required. */
    requiredLevel: SkillLevel.nullable(),
    /** Where the requirement came from. */
    requirementSource: z.enum(['plan', 'model', 'category', 'none']),
    /** Active technicians and engineers of the territory, best first. */
    items: z.array(WorkOrderCandidate),
  })
  .meta({ id: 'WorkOrderCandidates' });
export type WorkOrderCandidates = z.infer<typeof WorkOrderCandidates>;

/* ------------------------------------------------------------------------------------------ */
/* Needs: GET /api/v1/competency/needs (also .csv, .xlsx)                                      */
/* ------------------------------------------------------------------------------------------ */

export const CompetencyNeedsQuery = z.object({ siteId: Uuid.optional() });

const NeedPerson = z.object({
  userId: Uuid,
  name: z.string(),
  siteId: Uuid,
  siteName: z.string(),
  /** Their validated level in the skill; null: they do not hold it yet. */
  level: SkillLevel.nullable(),
});

export const TrainingNeed = z
  .object({
    categoryId: Uuid,
    categoryCode: z.string(),
    categoryLabel: z.string(),
    skillId: Uuid,
    skillCode: z.string(),
    skillName: z.string(),
    /** The site whose gap the training closes. */
    siteId: Uuid,
    siteName: z.string(),
    /** An expert of the same site, else of the nearest site. */
    trainer: NeedPerson,
    /** Beginners (or people without the skill) of the site, or of a site nearby, to bring to confirmed. */
    trainees: z.array(NeedPerson),
    /** 0 when the trainer works on the site. */
    distanceKm: z.number().nullable(),
    /** The gap it answers: no_one_competent, single_expert, depends_on_other_sites. */
    gap: z.enum(['no_one_competent', 'single_expert', 'depends_on_other_sites']),
    devices: z.number().int(),
    /** 1 (most urgent) to 3. */
    priority: z.number().int().min(1).max(3),
  })
  .meta({ id: 'TrainingNeed' });
export type TrainingNeed = z.infer<typeof TrainingNeed>;

export const RecruitmentNeed = z
  .object({
    categoryId: Uuid,
    categoryCode: z.string(),
    categoryLabel: z.string(),
    skillId: Uuid.nullable(),
    /** null: a need of the territory (no one anywhere can train). */
    siteId: Uuid.nullable(),
    siteName: z.string().nullable(),
    /** The level to recruit. */
    level: SkillLevel,
    /** no_expert_in_territory: nobody to train from; single_expert: one absence stops the service. */
    gap: z.enum(['no_expert_in_territory', 'no_one_competent', 'single_expert']),
    devices: z.number().int(),
    priority: z.number().int().min(1).max(3),
  })
  .meta({ id: 'RecruitmentNeed' });
export type RecruitmentNeed = z.infer<typeof RecruitmentNeed>;

export const CompetencyNeeds = z
  .object({
    asOf: IsoDate,
    /** Most urgent first. */
    trainings: z.array(TrainingNeed),
    recruitments: z.array(RecruitmentNeed),
  })
  .meta({ id: 'CompetencyNeeds' });
export type CompetencyNeeds = z.infer<typeof CompetencyNeeds>;

/* ------------------------------------------------------------------------------------------ */
/* Certificates: GET /api/v1/competency/certificates (the engineer's home-page notice)         */
/* ------------------------------------------------------------------------------------------ */

export const CertificateListQuery = z.object({
  /** Expired and expiring within this many days (default 90). */
  withinDays: z.coerce.number().int().min(0).max(730).optional(),
  siteId: Uuid.optional(),
});

export const ExpiringCertificate = z
  .object({
    userId: Uuid,
    name: z.string(),
    siteIds: z.array(Uuid),
    skillId: Uuid,
    skillCode: z.string(),
    skillName: z.string(),
    level: SkillLevel,
    validated: z.boolean(),
    certificateExpiresAt: IsoDate,
    /** Negative once expired. */
    daysLeft: z.number().int(),
    expired: z.boolean(),
  })
  .meta({ id: 'ExpiringCertificate' });
export type ExpiringCertificate = z.infer<typeof ExpiringCertificate>;

export const CertificateList = z
  .object({
    asOf: IsoDate,
    withinDays: z.number().int(),
    /** Soonest first (expired first). */
    items: z.array(ExpiringCertificate),
  })
  .meta({ id: 'CertificateList' });
export type CertificateList = z.infer<typeof CertificateList>;
