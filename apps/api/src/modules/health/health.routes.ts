import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Health, Ready } from '@gmao/contracts';
import type { AppDeps } from '../../lib/context.js';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export const healthRoutes: FastifyPluginAsyncZod<{ deps: Pick<AppDeps, 'database' | 'redis'> }> = async (app, { deps }) => {
  app.get('/health', {
    schema: { tags: ['health'], summary: 'The process is up', response: { 200: Health } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/ready', {
    schema: {
      tags: ['health'], summary: 'PostgreSQL and Redis are reachable (503 names the one that is not)',
      response: { 200: Ready, 503: Ready },
    },
  }, async (_request, reply) => {
    const [postgres, redis] = await Promise.all([
      withTimeout(deps.database.ping(), 2000).then(() => 'up' as const, () => 'down' as const),
      withTimeout(deps.redis.ping(), 2000).then(() => 'up' as const, () => 'down' as const),
    ]);
    const ok = postgres === 'up' && redis === 'up';
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', checks: { postgres, redis } });
  });
};
