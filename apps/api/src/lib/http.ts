import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Problem } from '@gmao/contracts';
import { HttpProblem } from './problem.js';

/** Problem responses to document on a route, e.g. problems(400, 401, 404). */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  return Object.fromEntries(statuses.map((s) => [s, Problem]));
}

export const IfMatchHeaders = z.object({
  'if-match': z.string().optional().describe('The version of the object being changed (from its `version` field).'),
});

/**
 * The version the client read, from `If-Match: <version>` (quotes and W/ tolerated).
 * Missing → 428; malformed → 400.
 */
export function requiredVersion(request: FastifyRequest): number {
  const raw = request.headers['if-match'];
  if (raw === undefined || raw === '') {
    throw new HttpProblem(428, 'if_match_required', "En-tête If-Match obligatoire : indiquez la version de l'objet lu.");
  }
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(String(raw));
  if (!m) {
    throw new HttpProblem(400, 'invalid_if_match', 'En-tête If-Match invalide : un numéro de version est attendu.', [
      { path: 'headers.if-match', message: 'numéro de version attendu' },
    ]);
  }
  return Number(m[1]);
}

/** The If-Match version when the client sent one (where it is optional); malformed → 400. */
export function optionalVersion(request: FastifyRequest): number | undefined {
  const raw = request.headers['if-match'];
  return raw === undefined || raw === '' ? undefined : requiredVersion(request);
}

/** Postgres error codes the services translate. */
export function pgErrorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export function pgConstraint(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'constraint' in err
    ? String((err as { constraint: unknown }).constraint)
    : undefined;
}

