import {
  CompetencyCoverage, CompetencyMatrix, CompetencyNeeds, Skill, SkillList, SkillSeedResult, UserSkill, UserSkillHistory, UserSkillList,
  type SkillCreate, type SkillUpdate, type UserSkillPut,
} from '@gmao/contracts';
import type { SkillCategory } from '@gmao/domain';
import { request, requestFile, requestNoContent } from './client.ts';

/** The competency map (issue 14): the skill catalogue, a person's skills and history, the matrix, coverage and needs. */

const enc = encodeURIComponent;

export const skillsApi = {
  /** By skill category then name; active skills unless includeRetired. */
  list: (params: { skillCategory?: SkillCategory; includeRetired?: boolean } = {}) =>
    request('/skills', SkillList, { query: { skillCategory: params.skillCategory, includeRetired: params.includeRetired ? 'true' : undefined } }),
  create: (body: SkillCreate) => request('/skills', Skill, { method: 'POST', body }),
  /** Rename, retire (retired: true) or bring back (false); If-Match. */
  update: (id: string, version: number, body: SkillUpdate) => request(`/skills/${enc(id)}`, Skill, { method: 'PATCH', body, ifMatch: version }),
  /** The fixed skills and a maintenance skill per leaf equipment category that has none (idempotent). */
  seedFromCategories: () => request('/skills/seed-from-categories', SkillSeedResult, { method: 'POST', body: {} }),
};

export const userSkillsApi = {
  list: (userId: string) => request(`/users/${enc(userId)}/skills`, UserSkillList),
  history: (userId: string) => request(`/users/${enc(userId)}/skills/history`, UserSkillHistory),
  /** A validator's write validates unless `validated: false`; anyone else's is a proposal. */
  put: (userId: string, skillId: string, body: UserSkillPut) =>
    request(`/users/${enc(userId)}/skills/${enc(skillId)}`, UserSkill, { method: 'PUT', body }),
  remove: (userId: string, skillId: string) => requestNoContent(`/users/${enc(userId)}/skills/${enc(skillId)}`, { method: 'DELETE' }),
};

export const competencyApi = {
  matrix: (params: { siteId?: string; skillCategory?: SkillCategory } = {}) =>
    request('/competency/matrix', CompetencyMatrix, { query: { siteId: params.siteId, skillCategory: params.skillCategory } }),
  coverage: (siteId?: string) => request('/competency/coverage', CompetencyCoverage, { query: { siteId } }),
  needs: (siteId?: string) => request('/competency/needs', CompetencyNeeds, { query: { siteId } }),
  /** The needs as a file: CSV or Excel. */
  needsFile: (format: 'csv' | 'xlsx', siteId?: string) => requestFile(`/competency/needs.${format}`, { query: { siteId } }),
};
