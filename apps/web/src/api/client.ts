import { Problem } from '@gmao/contracts';
import type { z } from 'zod';

/** Base of every versioned endpoint. The SPA is served by the API, so paths stay relative. */
export const API_BASE = '/api/v1';

/** An error answered by the API, parsed from its RFC 9457 problem details. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  /** From the Retry-After header (429, 503), in seconds. */
  readonly retryAfterSeconds: number | null;

  constructor(problem: Problem, retryAfterSeconds: number | null = null) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Field errors keyed by the field's path, without the "body." / "query." prefix. */
  fieldErrors(): Record<string, string> {
    return this.byField('message');
  }

  /** The stable codes some field errors carry (e.g. `weak_password`), keyed like fieldErrors(). */
  fieldCodes(): Record<string, string> {
    return this.byField('code');
  }

  private byField(what: 'message' | 'code'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const key = e.path.replace(/^(body|query|params)\.?/, '').replace(/^\//, '').replace(/\//g, '.');
      const value = e[what];
      if (value !== undefined) out[key] ??= value;
    }
    return out;
  }
}

/** The API could not be reached at all (network down, proxy answering 502/503/504). */
export class ServerUnreachableError extends Error {
  constructor(cause?: unknown) {
    super('Server unreachable', { cause });
    this.name = 'ServerUnreachableError';
  }
}

export interface AuthHooks {
  getAccessToken(): string | null;
  /** Gets a new access token; resolves false when the session is over. */
  refresh(): Promise<boolean>;
  /** Called when a refresh failed: the user must sign in again. */
  onSessionLost(): void;
}

export interface ConnectivityHooks {
  onUnreachable(method: string): void;
  onReachable(): void;
}

let authHooks: AuthHooks | null = null;
let connectivityHooks: ConnectivityHooks | null = null;
let language: string | null = null;
let refreshInFlight: Promise<boolean> | null = null;

export function setAuthHooks(hooks: AuthHooks): void {
  authHooks = hooks;
}

export function setConnectivityHooks(hooks: ConnectivityHooks): void {
  connectivityHooks = hooks;
}

/**
 * The UI language, sent as Accept-Language with every call: what the API writes in words
 * (the PDFs and CSV it answers, the register's results, history reasons) follows it.
 */
export function setRequestLanguage(locale: string | null): void {
  language = locale;
}

/** Concurrent 401s share one refresh call. */
function refreshOnce(hooks: AuthHooks): Promise<boolean> {
  refreshInFlight ??= hooks.refresh().finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: Method;
  query?: Record<string, QueryValue>;
  /** Sent as JSON, except a FormData, sent as multipart/form-data (the browser sets the boundary). */
  body?: unknown;
  /** The object's version, sent as If-Match for optimistic concurrency. */
  ifMatch?: number;
  /** Sends the bearer token and refreshes it on 401 (default true). */
  auth?: boolean;
  signal?: AbortSignal;
  /** Media type of a file answer (requestFile); errors still come as problem details. */
  accept?: string;
}

const UNREACHABLE_STATUSES = new Set([502, 503, 504]);

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const url = path.startsWith('/api/') ? path : `${API_BASE}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (e.g. an HTML error page from a proxy): fall back to the status line.
  }
  const parsed = Problem.safeParse(body);
  if (parsed.success) return new ApiError({ ...parsed.data, status: response.status }, retryAfter);
  return new ApiError(
    {
      type: 'about:blank',
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      code: `http_${response.status}`,
    },
    retryAfter,
  );
}

async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: `${options.accept ?? 'application/json'}, application/problem+json` };
  const { body } = options;
  // A FormData goes as multipart/form-data: fetch writes the header with its boundary.
  if (body !== undefined && !(body instanceof FormData)) headers['Content-Type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['If-Match'] = String(options.ifMatch);
  if (language) headers['Accept-Language'] = language;
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: body === undefined || body instanceof FormData ? body : JSON.stringify(body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    connectivityHooks?.onUnreachable(method);
    throw new ServerUnreachableError(error);
  }
  // A 503 in problem details comes from the API itself (e.g. queue_unavailable: nothing was
  // changed, try again): the server is reachable and the problem says what failed.
  const isProblem = (response.headers.get('Content-Type') ?? '').startsWith('application/problem+json');
  if (UNREACHABLE_STATUSES.has(response.status) && !(response.status === 503 && isProblem)) {
    connectivityHooks?.onUnreachable(method);
    throw new ServerUnreachableError(await toApiError(response));
  }
  connectivityHooks?.onReachable();
  return response;
}

/** Sends a request and returns the raw response of a successful call; throws ApiError otherwise. */
async function execute(path: string, options: RequestOptions): Promise<Response> {
  const useAuth = options.auth ?? true;
  const hooks = useAuth ? authHooks : null;
  const token = hooks?.getAccessToken() ?? null;
  let response = await send(path, options, token);

  if (response.status === 401 && hooks) {
    // Another call may already have refreshed the token while this one was in flight.
    const current = hooks.getAccessToken();
    const refreshed = current !== null && current !== token ? true : await refreshOnce(hooks);
    if (!refreshed) {
      hooks.onSessionLost();
      throw await toApiError(response);
    }
    response = await send(path, options, hooks.getAccessToken());
    if (response.status === 401) {
      hooks.onSessionLost();
    }
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

/** Calls the API and validates the JSON answer against the contract's schema. */
export async function request<T>(path: string, schema: z.ZodType<T>, options: RequestOptions = {}): Promise<T> {
  const response = await execute(path, options);
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    console.error('Unexpected API response', path, parsed.error.issues);
    throw new ApiError({
      type: 'about:blank',
      title: 'Invalid response',
      status: response.status,
      code: 'invalid_response',
    });
  }
  return parsed.data;
}

/** A file answered by the API, with the name its Content-Disposition suggests. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string | null;
}

/**
 * The file name of a Content-Disposition header (RFC 6266): `filename*=UTF-8''…` when given,
 * else `filename="…"` or a bare token; only the last path segment is kept. Null without one.
 */
export function fileNameFromContentDisposition(header: string | null): string | null {
  if (!header) return null;
  let name: string | null = null;
  const extended = /(?:^|;)\s*filename\*\s*=\s*([^';\s]*)'[^']*'([^;\s]+)/i.exec(header);
  if (extended) {
    try {
      const charset = (extended[1] ?? '').toLowerCase();
      if (charset === 'utf-8' || charset === '') name = decodeURIComponent(extended[2] ?? '');
    } catch {
      // Malformed percent-encoding: fall back to the plain parameter.
    }
  }
  if (name === null) {
    const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
    if (plain) name = plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : (plain[2] ?? null);
  }
  const base = name?.split(/[/\\]/).pop()?.trim();
  return base ? base : null;
}

/**
 * Calls an endpoint that answers a file (image, PDF, export) and reads it whole; errors are
 * ApiError as elsewhere. A body cut off mid-way (the connection dropped) is a ServerUnreachableError.
 */
export async function requestFile(path: string, options: RequestOptions = {}): Promise<DownloadedFile> {
  const response = await execute(path, options);
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ServerUnreachableError(error);
  }
  return { blob, fileName: fileNameFromContentDisposition(response.headers.get('Content-Disposition')) };
}

/** Calls an endpoint that answers without a body (204). */
export async function requestNoContent(path: string, options: RequestOptions = {}): Promise<void> {
  await execute(path, options);
}
