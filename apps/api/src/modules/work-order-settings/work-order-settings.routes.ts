import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChecklistTemplate, ChecklistTemplateCode, ChecklistTemplateCreate, ChecklistTemplateWrite, WorkOrderSettings, WorkOrderSettingsWrite,
} from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { IfMatchHeaders, problems, requiredVersion } from '../../lib/http.js';
import type { WorkOrderSettingsService } from './work-order-settings.service.js';

const CodeParams = z.object({ code: ChecklistTemplateCode });

export const workOrderSettingsRoutes: FastifyPluginAsyncZod<{ settings: WorkOrderSettingsService }> = async (app, { settings }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/settings/work-orders', {
    schema: {
      tags: ['settings'], summary: "The territory's priority targets and automatic closure delay (version 0: the defaults)",
      response: { 200: WorkOrderSettings, ...problems(401) },
    },
  }, async (request) => settings.settings(actor(request)));

  app.put('/settings/work-orders', {
    schema: {
      tags: ['settings'], summary: 'Set the priority targets and the automatic closure delay (territory admin); If-Match: version',
      headers: IfMatchHeaders, body: WorkOrderSettingsWrite, response: { 200: WorkOrderSettings, ...problems(400, 401, 403, 412, 428) },
    },
  }, async (request) => settings.saveSettings(actor(request), requiredVersion(request), request.body));

  app.get('/checklist-templates', {
    schema: {
      tags: ['settings'], summary: "The territory's checklist templates (built-in ones, as customized, and its own)",
      response: { 200: z.object({ items: z.array(ChecklistTemplate) }), ...problems(401) },
    },
  }, async (request) => settings.templates(actor(request)));

  app.post('/checklist-templates', {
    schema: {
      tags: ['settings'], summary: 'Create a checklist template of the territory (engineers, admin)',
      body: ChecklistTemplateCreate, response: { 201: ChecklistTemplate, ...problems(400, 401, 403, 409) },
    },
  }, async (request, reply) => {
    const created = await settings.createTemplate(actor(request), request.body);
    return reply.status(201).header('location', `/api/v1/checklist-templates/${created.code}`).send(created);
  });

  app.get('/checklist-templates/:code', {
    schema: { tags: ['settings'], summary: 'One checklist template', params: CodeParams, response: { 200: ChecklistTemplate, ...problems(400, 401, 404) } },
  }, async (request) => settings.template(actor(request), request.params.code));

  app.put('/checklist-templates/:code', {
    schema: {
      tags: ['settings'], summary: 'Replace the name and items of a template, e.g. the limits of IEC 62353 (engineers, admin); If-Match: version (0 for a built-in one never changed)',
      params: CodeParams, headers: IfMatchHeaders, body: ChecklistTemplateWrite,
      response: { 200: ChecklistTemplate, ...problems(400, 401, 403, 404, 412, 428) },
    },
  }, async (request) => settings.saveTemplate(actor(request), request.params.code, requiredVersion(request), request.body));

  app.delete('/checklist-templates/:code', {
    schema: {
      tags: ['settings'], summary: "Back to a built-in template's defaults, or delete a territory's own template (work orders keep their copies); If-Match: version",
      params: CodeParams, headers: IfMatchHeaders, response: { 204: z.undefined(), ...problems(400, 401, 403, 404, 409, 412, 428) },
    },
  }, async (request, reply) => {
    await settings.removeTemplate(actor(request), request.params.code, requiredVersion(request));
    return reply.status(204).send();
  });
};
