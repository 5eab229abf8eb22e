import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../generated/db.js';
import { maintenanceSkillCode, seedSkillsFromCategories } from '../competency/skill-seed.js';

type Level = 'beginner' | 'confirmed' | 'expert';
interface DemoSkill {
  email: string;
  skill: string;
  level: Level;
  /** Unvalidated: a proposal waiting for an engineer or the site manager. */
  proposal?: boolean;
  evidence?: string;
  /** Days from the seed's day to the certificate's expiry (negative: expired). */
  certificateDays?: number;
  /** The level it was validated at first, a year earlier (its history shows the change). */
  before?: Level;
  /** Who validated it (default the territory's engineer). */
  validator?: string;
}

const ENGINEER = 'ingenieur@ght-demo.fr';
const m = (category: string) => maintenanceSkillCode(category);

/**
 * The demo competency map: realistic and fragile on purpose. The MRI, the dialysis generators,
 * the autoclaves and the anaesthesia stations have a single expert in the territory; the
 * X-ray C-arms, blood-gas analysers, electrosurgical units and phototherapy have nobody;
 * some manufacturer certificates expire within 90 days; CH de Bellerive (CH1) has dialysis
 * generators and scanners but relies on the CHU's experts; a few proposals wait for validation.
 */
const DEMO_MAP: DemoSkill[] = [
  // CHU technicians.
  { email: 'tech.chu@ght-demo.fr', skill: m('VENT-REA'), level: 'expert', before: 'confirmed', evidence: 'Formation constructeur Dräger Evita V800', certificateDays: 400 },
  { email: 'tech.chu@ght-demo.fr', skill: m('PERF-POMPE'), level: 'confirmed', evidence: 'Formation B. Braun Infusomat Space' },
  { email: 'tech.chu@ght-demo.fr', skill: m('CARD-DEF'), level: 'confirmed' },
  { email: 'tech.chu@ght-demo.fr', skill: 'ELEC-62353', level: 'expert', evidence: 'Habilitation électrique BR + formation IEC 62353' },
  { email: 'tech.chu@ght-demo.fr', skill: m('IMAG-ECHO'), level: 'confirmed', proposal: true, evidence: 'Formation GE Logiq (3 jours)' },
  { email: 'karim.benali@ght-demo.fr', skill: m('DIAL-GEN'), level: 'expert', before: 'confirmed', evidence: 'Certification Fresenius 5008S', certificateDays: 60 },
  { email: 'karim.benali@ght-demo.fr', skill: m('STER-AUTO'), level: 'expert', evidence: 'Formation constructeur Getinge HS66', certificateDays: 80 },
  { email: 'karim.benali@ght-demo.fr', skill: m('PERF-PSE'), level: 'confirmed' },
  { email: 'karim.benali@ght-demo.fr', skill: m('MONI-MULTI'), level: 'confirmed' },
  { email: 'lea.rousseau@ght-demo.fr', skill: m('PERF-POMPE'), level: 'expert' },
  { email: 'lea.rousseau@ght-demo.fr', skill: m('PERF-PSE'), level: 'expert' },
  { email: 'lea.rousseau@ght-demo.fr', skill: m('VENT-REA'), level: 'confirmed' },
  { email: 'lea.rousseau@ght-demo.fr', skill: m('NEO-COUV'), level: 'confirmed' },
  { email: 'lea.rousseau@ght-demo.fr', skill: m('LITS-ELEC'), level: 'confirmed' },
  { email: 'lea.rousseau@ght-demo.fr', skill: 'ELEC-62353', level: 'beginner' },
  { email: 'mathieu.girard@ght-demo.fr', skill: m('IMAG-IRM'), level: 'expert', evidence: 'Formation Siemens Magnetom (niveau 2)', certificateDays: 45 },
  { email: 'mathieu.girard@ght-demo.fr', skill: m('IMAG-TDM'), level: 'expert', evidence: 'Formation Siemens Somatom', certificateDays: 500 },
  { email: 'mathieu.girard@ght-demo.fr', skill: m('IMAG-ECHO'), level: 'confirmed' },
  { email: 'mathieu.girard@ght-demo.fr', skill: m('ENDO-SOUP'), level: 'confirmed' },
  { email: 'sarah.lambert@ght-demo.fr', skill: m('VENT-ANE'), level: 'expert', before: 'confirmed', evidence: 'Formation Dräger Perseus A500', certificateDays: 300 },
  { email: 'sarah.lambert@ght-demo.fr', skill: m('MONI-MULTI'), level: 'confirmed' },
  // CH1 (Bellerive).
  { email: 'tech.ch1@ght-demo.fr', skill: m('VENT-REA'), level: 'confirmed' },
  { email: 'tech.ch1@ght-demo.fr', skill: m('PERF-POMPE'), level: 'expert' },
  { email: 'tech.ch1@ght-demo.fr', skill: m('PERF-PSE'), level: 'confirmed' },
  { email: 'tech.ch1@ght-demo.fr', skill: 'ELEC-62353', level: 'confirmed' },
  { email: 'tech.ch1@ght-demo.fr', skill: m('DIAL-GEN'), level: 'beginner', proposal: true, evidence: 'Compagnonnage avec Karim Benali (CHU), 2 semaines' },
  { email: 'nicolas.bonnet@ght-demo.fr', skill: m('PERF-POMPE'), level: 'confirmed', validator: 'responsable.ch1@ght-demo.fr' },
  { email: 'nicolas.bonnet@ght-demo.fr', skill: m('CARD-DEF'), level: 'confirmed', validator: 'responsable.ch1@ght-demo.fr' },
  { email: 'nicolas.bonnet@ght-demo.fr', skill: m('LITS-ELEC'), level: 'confirmed', validator: 'responsable.ch1@ght-demo.fr' },
  { email: 'nicolas.bonnet@ght-demo.fr', skill: m('VENT-ANE'), level: 'beginner' },
  // CH2 and CH3.
  { email: 'emilie.faure@ght-demo.fr', skill: m('DIAL-GEN'), level: 'confirmed', before: 'beginner' },
  { email: 'emilie.faure@ght-demo.fr', skill: m('PERF-POMPE'), level: 'confirmed' },
  { email: 'emilie.faure@ght-demo.fr', skill: m('PERF-PSE'), level: 'expert' },
  { email: 'emilie.faure@ght-demo.fr', skill: m('CARD-DEF'), level: 'confirmed' },
  { email: 'antoine.mercier@ght-demo.fr', skill: m('VENT-REA'), level: 'expert', evidence: 'Formation Hamilton C6', certificateDays: 20 },
  { email: 'antoine.mercier@ght-demo.fr', skill: m('MONI-MULTI'), level: 'confirmed' },
  { email: 'antoine.mercier@ght-demo.fr', skill: m('IMAG-ECHO'), level: 'beginner' },
  { email: 'antoine.mercier@ght-demo.fr', skill: 'ELEC-62353', level: 'confirmed' },
  { email: 'pauline.chevalier@ght-demo.fr', skill: m('PERF-POMPE'), level: 'confirmed' },
  { email: 'pauline.chevalier@ght-demo.fr', skill: m('PERF-PSE'), level: 'confirmed' },
  { email: 'pauline.chevalier@ght-demo.fr', skill: m('DIAL-GEN'), level: 'beginner' },
  { email: 'pauline.chevalier@ght-demo.fr', skill: m('MONI-MULTI'), level: 'beginner' },
  { email: 'pauline.chevalier@ght-demo.fr', skill: 'ELEC-62353', level: 'confirmed', evidence: 'Habilitation électrique BR', certificateDays: 10 },
  { email: 'youssef.haddad@ght-demo.fr', skill: m('VENT-REA'), level: 'confirmed', proposal: true, evidence: 'Formation interne réanimation (2 jours)' },
  { email: 'youssef.haddad@ght-demo.fr', skill: m('PERF-POMPE'), level: 'confirmed' },
  { email: 'youssef.haddad@ght-demo.fr', skill: m('CARD-DEF'), level: 'confirmed' },
  { email: 'youssef.haddad@ght-demo.fr', skill: m('LITS-ELEC'), level: 'confirmed' },
  // Engineers: projects, quality and regulation; a few devices.
  { email: ENGINEER, skill: 'PROJ-ACQ', level: 'expert', validator: 'julien.moreau@ght-demo.fr' },
  { email: ENGINEER, skill: 'PROJ-RENEW', level: 'expert', validator: 'julien.moreau@ght-demo.fr' },
  { email: ENGINEER, skill: 'QUAL-REG', level: 'expert', validator: 'julien.moreau@ght-demo.fr' },
  { email: ENGINEER, skill: 'QUAL-AUDIT', level: 'confirmed', validator: 'julien.moreau@ght-demo.fr' },
  { email: 'julien.moreau@ght-demo.fr', skill: m('IMAG-TDM'), level: 'confirmed' },
  { email: 'julien.moreau@ght-demo.fr', skill: 'QUAL-MATV', level: 'expert' },
  { email: 'julien.moreau@ght-demo.fr', skill: 'PROJ-RENEW', level: 'confirmed' },
  { email: 'claire.dubois@ght-demo.fr', skill: 'QUAL-MATV', level: 'confirmed' },
  { email: 'claire.dubois@ght-demo.fr', skill: 'PROJ-ACQ', level: 'confirmed' },
  { email: 'claire.dubois@ght-demo.fr', skill: 'QUAL-AUDIT', level: 'beginner', proposal: true },
];

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The demo territory's skill catalogue (from its categories) and competency map. Returns the skills created and people's skills. */
export async function seedDemoCompetency(db: Kysely<DB>, territoryId: string, now = new Date()): Promise<{ skills: number; userSkills: number }> {
  const skills = await seedSkillsFromCategories(db, territoryId, null);
  const skillIds = new Map((await db.selectFrom('skills').select(['id', 'code']).where('territoryId', '=', territoryId).execute()).map((s) => [s.code, s.id]));
  const userIds = new Map((await db.selectFrom('users').select(['id', 'email']).where('territoryId', '=', territoryId).execute()).map((u) => [u.email, u.id]));
  const id = (map: Map<string, string>, key: string) => {
    const v = map.get(key);
    if (!v) throw new Error(`demo competency: unknown ${key}`);
    return v;
  };
  const rows = [];
  const history = [];
  for (const [i, d] of DEMO_MAP.entries()) {
    const userId = id(userIds, d.email);
    const skillId = id(skillIds, d.skill);
    const validator = d.proposal ? null : id(userIds, d.validator ?? ENGINEER);
    const validatedAt = new Date(now.getTime() - (20 + (i * 7) % 200) * DAY);
    const proposedAt = new Date(validatedAt.getTime() - 3 * DAY);
    const certificateExpiresAt = d.certificateDays === undefined ? null : isoDay(new Date(now.getTime() + d.certificateDays * DAY));
    const evidenceDate = d.evidence ? isoDay(new Date(validatedAt.getTime() - 30 * DAY)) : null;
    const common = { territoryId, userId, skillId, evidence: d.evidence ?? null, evidenceDate, certificateExpiresAt };
    rows.push({
      ...common, id: randomUUID(), level: d.level, validated: !d.proposal, validatedBy: validator, validatedAt: d.proposal ? null : validatedAt,
      proposedBy: d.proposal ? userId : id(userIds, d.validator ?? ENGINEER), createdAt: d.before ? new Date(validatedAt.getTime() - 365 * DAY) : proposedAt,
      updatedBy: d.proposal ? userId : validator, updatedAt: d.proposal ? proposedAt : validatedAt, version: d.before ? 2 : 1,
    });
    if (d.before) {
      history.push({ ...common, change: 'validated', level: d.before, previousLevel: null, validated: true, actorId: validator, at: new Date(validatedAt.getTime() - 365 * DAY) });
      history.push({ ...common, change: 'validated', level: d.level, previousLevel: d.before, validated: true, actorId: validator, at: validatedAt });
    } else if (d.proposal) {
      history.push({ ...common, change: 'proposed', level: d.level, previousLevel: null, validated: false, actorId: userId, at: proposedAt });
    } else {
      history.push({ ...common, change: 'validated', level: d.level, previousLevel: null, validated: true, actorId: validator, at: validatedAt });
    }
  }
  await db.insertInto('userSkills').values(rows).execute();
  await db.insertInto('userSkillHistory').values(history).execute();
  return { skills, userSkills: rows.length };
}
