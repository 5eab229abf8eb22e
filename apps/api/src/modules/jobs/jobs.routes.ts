import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { JobStatus } from '@gmao/contracts';
import { QUEUE_NAMES, type Queues } from '@gmao/queue';
import { actor } from '../../plugins/auth.js';
import { problems } from '../../lib/http.js';
import { notFound } from '../../lib/problem.js';
import type { AppDeps } from '../../lib/context.js';

/** GET /jobs/{jobId}: state and progress of long work (imports, reports…) of one's territory. */
export const jobsRoutes: FastifyPluginAsyncZod<{ deps: Pick<AppDeps, 'queues'> }> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);
  app.get('/jobs/:jobId', {
    schema: {
      tags: ['jobs'], summary: 'State of a background job: {state, progress 0–100, result?, error?}',
      params: z.object({ jobId: z.string().min(1).max(200) }), response: { 200: JobStatus, ...problems(400, 401, 404, 503) },
    },
  }, async (request) => {
    const { territoryId } = actor(request).principal;
    // Redis down: a 503 within the producers' bounded wait, not a 500 or a request left hanging.
    const status = await deps.queues.call(() => jobStatus(deps.queues, request.params.jobId, territoryId));
    if (!status) throw notFound('Tâche');
    return status;
  });
};

async function jobStatus(queues: Queues, jobId: string, territoryId: string): Promise<JobStatus | null> {
  for (const name of QUEUE_NAMES) {
    const queue = queues.get(name);
    let job = await queue.getJob(jobId);
    // Jobs carry their territory: another territory's job is as unknown as a missing one.
    if (!job || (job.data as { territoryId?: string }).territoryId !== territoryId) continue;
    const state = await job.getState();
    // The job may have finished between reading it and reading its state: read it again,
    // so that a finished job always comes with its result or error.
    if (state === 'completed' || state === 'failed') job = (await queue.getJob(jobId)) ?? job;
    const progress = typeof job.progress === 'number' ? Math.max(0, Math.min(100, Math.round(job.progress))) : 0;
    return {
      id: String(job.id), name: job.name, state: state as JobStatus['state'], progress: state === 'completed' ? 100 : progress,
      ...(state === 'completed' ? { result: job.returnvalue } : {}),
      ...(state === 'failed' ? { error: job.failedReason } : {}),
    };
  }
  return null;
}
