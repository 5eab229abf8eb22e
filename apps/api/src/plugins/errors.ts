import path from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { QueueUnavailableError } from '@gmao/queue';
import { pgErrorCode } from '../lib/http.js';
import { HttpProblem, TITLES, queueUnavailable, type FieldError } from '../lib/problem.js';

const PROBLEM_BASE = 'https://gmao-territoire.fr/problems/';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
) {
  const body: ProblemBody = {
    type: PROBLEM_BASE + code.replaceAll('_', '-'),
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: String(request.id),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
  // Bypass route response schemas: problems have their own shape.
  return reply
    .status(status)
    .type('application/problem+json; charset=utf-8')
    .serializer((p: unknown) => JSON.stringify(p))
    .send(body);
}

/**
 * PostgreSQL data exceptions that a client's value causes: text too long (22001), a number
 * out of range (22003), a bad or out-of-range date (22007, 22008), NUL in text (22021), a
 * value of the wrong form for its type (22P02), NUL in JSON (22P05), a LIKE escape (22025).
 * Validation refuses them first; this is the safety net for a field it has missed.
 */
const PG_DATA_EXCEPTIONS = new Set(['22001', '22003', '22007', '22008', '22021', '22P02', '22P05', '22025']);

/** 40001 serialization_failure, 40P01 deadlock_detected: the transaction was rolled back and may be retried. */
function isPgTransientConflict(err: unknown): boolean {
  const code = pgErrorCode(err);
  return (code === '40001' || code === '40P01') && typeof (err as { severity?: unknown }).severity === 'string';
}

function isPgDataException(err: unknown): boolean {
  const code = pgErrorCode(err);
  return code !== undefined && PG_DATA_EXCEPTIONS.has(code) && typeof (err as { severity?: unknown }).severity === 'string';
}

/** Maps every error — ours, Fastify's, validation — to RFC 9457 problem details. */
export function registerErrorHandling(
  app: FastifyInstance,
  opts: { spaFallback?: (request: FastifyRequest, reply: FastifyReply) => unknown } = {},
) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Redis did not take a job or answer about one: a 503 saying nothing changed.
    if (error instanceof QueueUnavailableError) request.log.warn({ err: error.message }, 'job queue unavailable');
    const err = error instanceof QueueUnavailableError ? queueUnavailable() : error;
    if (err instanceof HttpProblem) {
      if (err.headers) reply.headers(err.headers);
      return sendProblem(request, reply, err.status, err.code, err.message, err.errors);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = (err as FastifyError & { validationContext?: string }).validationContext ?? 'body';
      const errors = err.validation.map((v) => ({
        path: [context, ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalide',
      }));
      return sendProblem(request, reply, 400, 'validation_failed', 'La requête contient des valeurs invalides.', errors);
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendProblem(request, reply, 400, 'invalid_json', 'Le corps de la requête n’est pas un JSON valide.');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(request, reply, 400, 'empty_body', 'Le corps de la requête est vide alors que du JSON est attendu.');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(request, reply, 413, 'body_too_large', 'Le corps de la requête dépasse la taille autorisée.');
      case 'FST_REQ_FILE_TOO_LARGE':
        return sendProblem(request, reply, 413, 'file_too_large', 'Le fichier dépasse la taille autorisée.');
      case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
        return sendProblem(request, reply, 415, 'unsupported_media_type', 'Envoyez le fichier en multipart/form-data.');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendProblem(request, reply, 415, 'unsupported_media_type', 'Type de contenu non pris en charge : envoyez application/json.');
      case 'FST_ERR_CTP_INVALID_TYPE':
        return sendProblem(request, reply, 400, 'invalid_request', 'Requête invalide.');
      default:
        break;
    }
    if (err instanceof SyntaxError) {
      return sendProblem(request, reply, 400, 'invalid_json', 'Le corps de la requête n’est pas un JSON valide.');
    }
    if (isPgDataException(err)) {
      // A 400 for the client, and a warning for us: validation should have said which field.
      request.log.warn({ err }, 'value refused by PostgreSQL: a validation gap');
      return sendProblem(request, reply, 400, 'invalid_value', 'Une valeur de la requête est invalide ou hors des limites admises.');
    }
    if (isPgTransientConflict(err)) {
      // Two transactions waited on each other (deadlock) or could not be serialised: nothing
      // was written; the same request again will go through. Lock orders are meant to rule
      // this out: a warning, so that we hear of it.
      request.log.warn({ err }, 'transaction aborted by PostgreSQL (deadlock or serialisation): answered 409 concurrent_update');
      return sendProblem(request, reply, 409, 'concurrent_update', 'Une autre opération simultanée a bloqué celle-ci : rien n’a été enregistré, réessayez.');
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return sendProblem(request, reply, status, 'invalid_request', err.message);
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(request, reply, 500, 'internal_error', 'Erreur interne : l’incident est journalisé (voir requestId).');
  });

  app.setNotFoundHandler((request, reply) => {
    // Browser navigation to an SPA route (history mode) gets the SPA; the API gets problems.
    const pathname = request.url.split('?')[0] ?? '';
    if (opts.spaFallback && (request.method === 'GET' || request.method === 'HEAD') && !pathname.startsWith('/api') && !path.extname(pathname)) {
      return opts.spaFallback(request, reply);
    }
    return sendProblem(request, reply, 404, 'route_not_found', `Aucune route ${request.method} ${pathname}.`);
  });
}
