/**
 * Errors a service may raise; the error handler turns each into RFC 9457 problem details.
 * `code` is a stable machine-readable key; `detail` is for people (French first).
 */
export interface FieldError {
  path: string;
  message: string;
  /** A stable key of this field's refusal (e.g. `weak_password`), for clients that word it themselves. */
  code?: string;
}

export class HttpProblem extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    detail: string,
    public readonly errors?: FieldError[],
    public readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const badRequest = (detail: string, errors?: FieldError[], code = 'invalid_request') =>
  new HttpProblem(400, code, detail, errors);
export const unauthorized = (detail = 'Authentification requise.', code = 'unauthorized') =>
  new HttpProblem(401, code, detail);
export const forbidden = (detail = "Vous n'avez pas le droit d'effectuer cette action.") =>
  new HttpProblem(403, 'forbidden', detail);
export const notFound = (what = 'Ressource') => new HttpProblem(404, 'not_found', `${what} introuvable.`);
export const conflict = (detail: string, code = 'conflict', errors?: FieldError[]) =>
  new HttpProblem(409, code, detail, errors);
export const unprocessable = (detail: string, code: string, errors?: FieldError[]) =>
  new HttpProblem(422, code, detail, errors);
export const versionMismatch = (current: number) =>
  new HttpProblem(
    412,
    'version_mismatch',
    `La ressource a été modifiée entre-temps (version actuelle ${current}) : rechargez-la avant de la modifier.`,
  );
/** Redis (the job queues) did not take the request: nothing was changed, try again shortly. */
export const queueUnavailable = (retryAfterSeconds = 30) =>
  new HttpProblem(
    503,
    'queue_unavailable',
    "La file d'attente des tâches est indisponible pour le moment : rien n'a été modifié, réessayez dans quelques instants.",
    undefined,
    { 'retry-after': String(retryAfterSeconds) },
  );
export const tooManyRequests = (retryAfterSeconds: number, detail: string) =>
  new HttpProblem(429, 'too_many_attempts', detail, undefined, { 'retry-after': String(retryAfterSeconds) });
