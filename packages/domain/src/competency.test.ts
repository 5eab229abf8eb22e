import { describe, expect, it } from 'vitest';
import {
  SKILL_LEVELS, certificateExpiringSoon, coverageFlags, decideUserSkillWrite, dependsOnOtherSites, levelRank, maxLevel, meetsLevel,
  userSkillRights,
} from './competency.js';
import { ENUM_LABELS } from './labels.js';
import type { Principal, RoleName } from './policy.js';

const T = 'territory-1';
const A = 'site-a';
const B = 'site-b';
const who = (userId: string, grants: [RoleName, string | null][]): Principal => ({
  userId, territoryId: T, grants: grants.map(([role, siteId]) => ({ role, siteId })),
});

const tech = who('tech', [['technician', A]]);
const engineer = who('eng', [['engineer', B]]);
const managerA = who('mgr', [['site_manager', A]]);
const admin = who('admin', [['territory_admin', null]]);
const care = who('care', [['care_staff', A]]);

describe('competency: levels', () => {
  it('orders beginner < confirmed < expert', () => {
    expect(SKILL_LEVELS.map(levelRank)).toEqual([1, 2, 3]);
    expect(meetsLevel('expert', 'confirmed')).toBe(true);
    expect(meetsLevel('confirmed', 'confirmed')).toBe(true);
    expect(meetsLevel('beginner', 'confirmed')).toBe(false);
    expect(maxLevel('beginner', 'expert')).toBe('expert');
    expect(maxLevel(null, 'confirmed')).toBe('confirmed');
    expect(maxLevel('confirmed', null)).toBe('confirmed');
    expect(maxLevel(null, null)).toBeNull();
  });

  it('has French and English labels (débutant, confirmé, expert)', () => {
    expect(ENUM_LABELS.fr.skillLevels).toEqual({ beginner: 'Débutant', confirmed: 'Confirmé', expert: 'Expert' });
    expect(ENUM_LABELS.en.skillLevels.confirmed).toBe('Confirmed');
    expect(Object.keys(ENUM_LABELS.fr.skillCategories)).toHaveLength(5);
  });
});

describe('competency: who proposes and who validates', () => {
  const techHolder = { userId: 'tech', siteIds: [A] };
  const otherTechAtB = { userId: 'other', siteIds: [B] };

  it('a technician proposes for themselves, never validates, and writes nothing for others', () => {
    expect(userSkillRights(tech, techHolder)).toEqual({ propose: true, validate: false });
    expect(userSkillRights(tech, otherTechAtB)).toEqual({ propose: false, validate: false });
    expect(decideUserSkillWrite(tech, techHolder, undefined)).toEqual({ ok: true, validated: false });
    expect(decideUserSkillWrite(tech, techHolder, false)).toEqual({ ok: true, validated: false });
    expect(decideUserSkillWrite(tech, techHolder, true)).toEqual({ ok: false, code: 'skill_self_validation_forbidden' });
    expect(decideUserSkillWrite(tech, otherTechAtB, undefined)).toEqual({ ok: false, code: 'skill_proposal_forbidden' });
  });

  it('an engineer writes and validates anyone of the territory; their write is a validation unless they say validated: false', () => {
    expect(userSkillRights(engineer, techHolder)).toEqual({ propose: true, validate: true });
    expect(decideUserSkillWrite(engineer, techHolder, undefined)).toEqual({ ok: true, validated: true });
    expect(decideUserSkillWrite(engineer, techHolder, true)).toEqual({ ok: true, validated: true });
    expect(decideUserSkillWrite(engineer, techHolder, false)).toEqual({ ok: true, validated: false });
  });

  it('a site manager validates the people of their site only', () => {
    expect(userSkillRights(managerA, techHolder)).toEqual({ propose: true, validate: true });
    expect(userSkillRights(managerA, otherTechAtB)).toEqual({ propose: false, validate: false });
    expect(userSkillRights(managerA, { userId: 'lent', siteIds: [B, A] }).validate).toBe(true);
    expect(decideUserSkillWrite(managerA, otherTechAtB, true)).toEqual({ ok: false, code: 'skill_proposal_forbidden' });
  });

  it('nobody validates their own skill: a self-edit by an engineer is a proposal', () => {
    const self = { userId: 'eng', siteIds: [B] };
    expect(userSkillRights(engineer, self)).toEqual({ propose: true, validate: false });
    expect(decideUserSkillWrite(engineer, self, undefined)).toEqual({ ok: true, validated: false });
    expect(decideUserSkillWrite(engineer, self, true)).toEqual({ ok: false, code: 'skill_self_validation_forbidden' });
  });

  it('the territory admin validates anyone; care staff write nothing but their own proposals', () => {
    expect(userSkillRights(admin, techHolder)).toEqual({ propose: true, validate: true });
    expect(userSkillRights(care, techHolder)).toEqual({ propose: false, validate: false });
    expect(decideUserSkillWrite(care, techHolder, true)).toEqual({ ok: false, code: 'skill_proposal_forbidden' });
  });
});

describe('competency: certificates and coverage flags', () => {
  it('flags certificates expired or expiring within 90 days', () => {
    expect(certificateExpiringSoon(null, '2026-12-01')).toBe(false);
    expect(certificateExpiringSoon('2026-11-30', '2026-12-01')).toBe(true);
    expect(certificateExpiringSoon('2027-03-01', '2026-12-01')).toBe(true);
    expect(certificateExpiringSoon('2027-03-02', '2026-12-01')).toBe(false);
  });

  const none = { devices: 0, experts: 0, confirmed: 0, beginners: 0, expiringCertificates: 0 };

  it('no one competent: devices and nobody confirmed or expert (beginners do not count)', () => {
    expect(coverageFlags({ ...none, devices: 3, beginners: 2 }).noOneCompetent).toBe(true);
    expect(coverageFlags({ ...none, devices: 3, confirmed: 1 }).noOneCompetent).toBe(false);
    expect(coverageFlags({ ...none, devices: 0 }).noOneCompetent).toBe(false);
  });

  it('single expert: devices and exactly one expert', () => {
    expect(coverageFlags({ ...none, devices: 3, experts: 1, confirmed: 4 }).singleExpert).toBe(true);
    expect(coverageFlags({ ...none, devices: 3, experts: 2 }).singleExpert).toBe(false);
    expect(coverageFlags({ ...none, devices: 0, experts: 1 }).singleExpert).toBe(false);
  });

  it('certificates expiring soon: any among the people counted', () => {
    expect(coverageFlags({ ...none, expiringCertificates: 1 }).certificatesExpiringSoon).toBe(true);
    expect(coverageFlags(none).certificatesExpiringSoon).toBe(false);
  });

  it('depends on other sites: devices, nobody confirmed or expert here, someone elsewhere', () => {
    expect(dependsOnOtherSites({ ...none, devices: 2, beginners: 1 }, 1)).toBe(true);
    expect(dependsOnOtherSites({ ...none, devices: 2 }, 0)).toBe(false);
    expect(dependsOnOtherSites({ ...none, devices: 2, confirmed: 1 }, 3)).toBe(false);
    expect(dependsOnOtherSites({ ...none, devices: 0 }, 3)).toBe(false);
  });
});
