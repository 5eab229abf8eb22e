import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CertificateList, CertificateListQuery, CompetencyCoverage, CompetencyCoverageQuery, CompetencyNeeds, CompetencyNeedsQuery, LanguageQuery, CompetencyMatrix, CompetencyMatrixQuery, IdParams, Skill, SkillCreate, SkillList, SkillListQuery,
  SkillSeedRequest, SkillSeedResult, SkillUpdate, UserSkill, UserSkillHistory, UserSkillHistoryQuery, UserSkillList, UserSkillParams, UserSkillPut,
} from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { IfMatchHeaders, optionalVersion, problems, requiredVersion } from '../../lib/http.js';
import { fileHeaders } from '../../lib/file-reply.js';
import { parisDay } from '../../lib/french.js';
import { requestLocale } from '../../lib/locale.js';
import type { CompetencyService } from './competency.service.js';
import { needsFileName } from './needs-export.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MEDIA = { csv: 'text/csv; charset=utf-8', xlsx: XLSX } as const;
const DOC_MEDIA = { csv: 'text/csv', xlsx: XLSX } as const;

/** A response that is a file, documented by its media type (as the purchasing exports). */
function file(mediaType: string, description: string, binary: boolean) {
  const schema = z.custom<string | Readable>().meta(binary ? { type: 'string', format: 'binary' } : { type: 'string' });
  return { description, content: { [mediaType]: { schema } } };
}

/**
 * Competency map (issue 14, ADR 0019): the skill catalogue, each person's skills with their
 * validation and history, the people × skills matrix and the coverage of the equipment
 * categories. Read by the biomedical staff of the territory; care staff get 403.
 */
export const competencyRoutes: FastifyPluginAsyncZod<{ competency: CompetencyService }> = async (app, { competency }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/skills', {
    schema: {
      tags: ['competency'], summary: 'The skill catalogue (active skills unless includeRetired), by skill category then name',
      querystring: SkillListQuery, response: { 200: SkillList, ...problems(400, 401, 403) },
    },
  }, async (request) => competency.listSkills(actor(request), request.query));

  app.post('/skills', {
    schema: {
      tags: ['competency'], summary: 'Add a skill to the catalogue (engineers, territory admin); 409 when the code or the category’s maintenance skill exists',
      body: SkillCreate, response: { 201: Skill, ...problems(400, 401, 403, 409) },
    },
  }, async (request, reply) => {
    const skill = await competency.createSkill(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/skills/${skill.id}`).send(skill);
  });

  app.post('/skills/seed-from-categories', {
    schema: {
      tags: ['competency'],
      summary: 'Add the fixed skills and a maintenance skill per leaf equipment category that has none (engineers; idempotent: run it again after new categories)',
      body: SkillSeedRequest, response: { 200: SkillSeedResult, ...problems(400, 401, 403) },
    },
  }, async (request) => competency.seedFromCategories(actor(request)));

  app.patch('/skills/:id', {
    schema: {
      tags: ['competency'], summary: 'Rename a skill, retire it (retired: true) or bring it back (engineers, territory admin); If-Match: version',
      params: IdParams, headers: IfMatchHeaders, body: SkillUpdate, response: { 200: Skill, ...problems(400, 401, 403, 404, 412, 428) },
    },
  }, async (request) => competency.updateSkill(actor(request), request.params.id, requiredVersion(request), request.body));

  app.get('/users/:id/skills', {
    schema: {
      tags: ['competency'], summary: "A person's skills with their level, validation, evidence and certificate; historyUrl: the history of their levels",
      params: IdParams, response: { 200: UserSkillList, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => competency.listUserSkills(actor(request), request.params.id));

  app.get('/users/:id/skills/history', {
    schema: {
      tags: ['competency'], summary: "Every change of a person's skills (levels, validations, evidence), newest first (the latest 2,000)",
      params: IdParams, querystring: UserSkillHistoryQuery, response: { 200: UserSkillHistory, ...problems(400, 401, 403, 404) },
    },
  }, async (request) => competency.history(actor(request), request.params.id, request.query.skillId));

  app.put('/users/:id/skills/:skillId', {
    schema: {
      tags: ['competency'],
      summary: "Record or change a person's skill: a technician proposes their own (403 skill_self_validation_forbidden if they validate), an engineer or the person's site manager validates (403 skill_validation_forbidden, skill_proposal_forbidden); optional If-Match: version (412 when stale)",
      params: UserSkillParams, headers: IfMatchHeaders, body: UserSkillPut, response: { 200: UserSkill, ...problems(400, 401, 403, 404, 409, 412, 422) },
    },
  }, async (request) => competency.putUserSkill(actor(request), request.params.id, request.params.skillId, request.body, optionalVersion(request)));

  app.delete('/users/:id/skills/:skillId', {
    schema: {
      tags: ['competency'], summary: "Remove a person's skill (a validator of their skills; the person for their own unvalidated proposal); the history keeps it; optional If-Match: version",
      params: UserSkillParams, headers: IfMatchHeaders, response: { 204: z.undefined(), ...problems(400, 401, 403, 404, 412) },
    },
  }, async (request, reply) => {
    await competency.deleteUserSkill(actor(request), request.params.id, request.params.skillId, optionalVersion(request));
    return reply.status(204).send();
  });

  app.get('/competency/matrix', {
    schema: {
      tags: ['competency'], summary: 'People × skills with levels (cells only for recorded pairs), filtered by site and skill category',
      querystring: CompetencyMatrixQuery, response: { 200: CompetencyMatrix, ...problems(400, 401, 403) },
    },
  }, async (request) => competency.matrix(actor(request), request.query));

  app.get('/competency/coverage', {
    schema: {
      tags: ['competency'],
      summary: 'Per equipment category in the inventory, per site and for the territory: devices, validated experts, confirmed, beginners, and the fragility flags',
      querystring: CompetencyCoverageQuery, response: { 200: CompetencyCoverage, ...problems(400, 401, 403) },
    },
  }, async (request) => competency.coverage(actor(request), request.query.siteId));

  app.get('/competency/needs', {
    schema: {
      tags: ['competency'],
      summary: 'Trainings (an expert of the site or the nearest site with up to 3 trainees) and recruitments that close the coverage gaps, most urgent first',
      querystring: CompetencyNeedsQuery, response: { 200: CompetencyNeeds, ...problems(400, 401, 403) },
    },
  }, async (request) => competency.needs(actor(request), request.query.siteId));

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/competency/needs.${format}`, {
      schema: {
        tags: ['competency'],
        summary: format === 'csv'
          ? "The needs as CSV for French Excel, one table with a type column (training, recruitment); headers in the reader's language (?lang or Accept-Language)"
          : "The needs as an Excel workbook, a sheet of trainings and one of recruitments; headers in the reader's language (?lang or Accept-Language)",
        querystring: CompetencyNeedsQuery.extend(LanguageQuery.shape),
        response: { 200: file(DOC_MEDIA[format], 'The needs', format === 'xlsx'), ...problems(400, 401, 403) },
      },
    }, async (request, reply) => {
      const locale = requestLocale(request);
      const body = await competency.needsExport(actor(request), request.query.siteId, locale, format);
      return fileHeaders(reply, { mediaType: MEDIA[format], fileName: needsFileName(locale, format, parisDay()) })
        .header('cache-control', 'private, no-store').send(body);
    });
  }

  app.get('/competency/certificates', {
    schema: {
      tags: ['competency'],
      summary: "Certificates of the territory's people expired or expiring within withinDays (default 90) of today (Europe/Paris), soonest first",
      querystring: CertificateListQuery, response: { 200: CertificateList, ...problems(400, 401, 403) },
    },
  }, async (request) => competency.certificates(actor(request), request.query));
};
