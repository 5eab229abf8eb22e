import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  ApiError,
  ServerUnreachableError,
  fileNameFromContentDisposition,
  request,
  requestFile,
  setAuthHooks,
  setConnectivityHooks,
  setRequestLanguage,
} from './client.ts';

const Thing = z.object({ ok: z.boolean() });

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

const unauthorized = () => json(401, { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'unauthorized' });

describe('api client', () => {
  let token: string;
  let refresh: ReturnType<typeof vi.fn<() => Promise<boolean>>>;
  let onSessionLost: ReturnType<typeof vi.fn<() => void>>;
  let onUnreachable: ReturnType<typeof vi.fn<(method: string) => void>>;

  beforeEach(() => {
    token = 'old';
    refresh = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      token = 'new';
      return true;
    });
    onSessionLost = vi.fn();
    onUnreachable = vi.fn();
    setAuthHooks({ getAccessToken: () => token, refresh, onSessionLost });
    setConnectivityHooks({ onUnreachable, onReachable: () => undefined });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('shares one refresh between concurrent 401s and retries each call with the new token', async () => {
    const seen: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const auth = (init.headers as Record<string, string>).Authorization ?? '';
        seen.push(auth);
        return auth === 'Bearer new' ? json(200, { ok: true }) : unauthorized();
      }),
    );
    const results = await Promise.all([request('/a', Thing), request('/b', Thing), request('/c', Thing)]);
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(seen.filter((a) => a === 'Bearer new')).toHaveLength(3);
    expect(onSessionLost).not.toHaveBeenCalled();
  });

  it('sends the UI language as Accept-Language, files included', async () => {
    const seen: (string | undefined)[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        seen.push((init.headers as Record<string, string>)['Accept-Language']);
        return json(200, { ok: true });
      }),
    );
    setRequestLanguage('en');
    await request('/a', Thing);
    await requestFile('/b.pdf', { accept: 'application/pdf' });
    setRequestLanguage('fr');
    await request('/c', Thing);
    setRequestLanguage(null);
    expect(seen).toEqual(['en', 'en', 'fr']);
  });

  it('reports a lost session when the refresh fails', async () => {
    refresh.mockResolvedValueOnce(false);
    vi.stubGlobal('fetch', vi.fn(async () => unauthorized()));
    await expect(request('/a', Thing)).rejects.toBeInstanceOf(ApiError);
    expect(onSessionLost).toHaveBeenCalledTimes(1);
  });

  it('parses problem details, field errors and Retry-After', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(
          429,
          {
            type: 'https://example.test/too-many',
            title: 'Too Many Requests',
            status: 429,
            code: 'too_many_attempts',
            detail: 'Réessayez plus tard',
            errors: [{ path: 'body.email', message: 'Adresse invalide' }],
          },
          { 'Retry-After': '42' },
        ),
      ),
    );
    const error = await request('/auth/login', Thing, { method: 'POST', body: {}, auth: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.code).toBe('too_many_attempts');
    expect(apiError.retryAfterSeconds).toBe(42);
    expect(apiError.message).toBe('Réessayez plus tard');
    expect(apiError.fieldErrors()).toEqual({ email: 'Adresse invalide' });
    expect(refresh).not.toHaveBeenCalled();
  });

  it('sends If-Match and JSON bodies', async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => json(200, { ok: true }));
    vi.stubGlobal('fetch', fetchMock);
    await request('/sites/1', Thing, { method: 'PATCH', body: { name: 'X' }, ifMatch: 7, query: { q: 'a b', cursor: null } });
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/v1/sites/1?q=a+b');
    expect(init?.headers).toMatchObject({ 'If-Match': '7', 'Content-Type': 'application/json', Authorization: 'Bearer old' });
    expect(init?.body).toBe('{"name":"X"}');
  });

  it('sends a FormData as multipart, without a JSON content type, and again after a refresh', async () => {
    const sent: { auth: string; contentType: string | undefined; body: unknown }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const headers = init.headers as Record<string, string>;
        sent.push({ auth: headers.Authorization ?? '', contentType: headers['Content-Type'], body: init.body });
        return headers.Authorization === 'Bearer new' ? json(201, { ok: true }) : unauthorized();
      }),
    );
    const form = new FormData();
    form.set('siteId', 's1');
    form.set('file', new Blob(['a;b\n1;2\n'], { type: 'text/csv' }), 'inventaire.csv');
    await expect(request('/equipment-imports', Thing, { method: 'POST', body: form })).resolves.toEqual({ ok: true });
    expect(sent.map((s) => s.auth)).toEqual(['Bearer old', 'Bearer new']);
    for (const s of sent) {
      expect(s.contentType).toBeUndefined();
      expect(s.body).toBe(form);
    }
  });

  it('treats network failures and gateway errors as an unreachable server', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await expect(request('/a', Thing)).rejects.toBeInstanceOf(ServerUnreachableError);
    vi.stubGlobal('fetch', vi.fn(async () => new Response('Bad gateway', { status: 502 })));
    await expect(request('/a', Thing, { method: 'POST' })).rejects.toBeInstanceOf(ServerUnreachableError);
    expect(onUnreachable.mock.calls).toEqual([['GET'], ['POST']]);
  });

  it("shows the API's own 503 problem (queue unavailable) with its Retry-After, not as an unreachable server", async () => {
    const problem = {
      type: 'https://gmao-territoire.fr/problems/queue-unavailable', title: 'Service Unavailable', status: 503, code: 'queue_unavailable',
      detail: "La file d'attente des tâches est indisponible pour le moment : rien n'a été modifié, réessayez dans quelques instants.",
    };
    vi.stubGlobal('fetch', vi.fn(async () => json(503, problem, { 'Retry-After': '30' })));
    const error = await request('/a', Thing, { method: 'POST' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: 'queue_unavailable', retryAfterSeconds: 30, message: problem.detail });
    expect(onUnreachable).not.toHaveBeenCalled();
    // A proxy's 503 page is still an unreachable server.
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<h1>503</h1>', { status: 503, headers: { 'Content-Type': 'text/html' } })));
    await expect(request('/a', Thing)).rejects.toBeInstanceOf(ServerUnreachableError);
  });

  it('rejects an answer that does not match the contract', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(200, { ok: 'yes' })));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const error = await request('/a', Thing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_response');
  });

  it('downloads a file with the bearer token, its media type in Accept, and its name', async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) =>
      new Response('%PDF-1.7', { status: 200, headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': 'inline; filename="etiquettes.pdf"' } }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const file = await requestFile('/equipment/labels.pdf', { method: 'POST', body: { ids: ['a'] }, accept: 'application/pdf' });
    expect(file.fileName).toBe('etiquettes.pdf');
    expect(await file.blob.text()).toBe('%PDF-1.7');
    const [, init] = fetchMock.mock.calls[0] ?? [];
    expect(init?.headers).toMatchObject({ Accept: 'application/pdf, application/problem+json', Authorization: 'Bearer old' });
  });

  it('answers a problem of a file endpoint as an ApiError', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(400, { type: 'about:blank', title: 'Bad Request', status: 400, code: 'unknown_equipment', errors: [{ path: 'body.ids.1', message: 'inconnu' }] })));
    const error = await requestFile('/equipment/labels.pdf', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem.errors?.[0]?.path).toBe('body.ids.1');
  });
});

describe('Content-Disposition file names', () => {
  it('reads quoted, bare and RFC 5987 names, the extended one first', () => {
    expect(fileNameFromContentDisposition('attachment; filename="inventaire-2026-03-01.csv"')).toBe('inventaire-2026-03-01.csv');
    expect(fileNameFromContentDisposition('attachment; filename=inventaire.xlsx')).toBe('inventaire.xlsx');
    expect(fileNameFromContentDisposition('ATTACHMENT; FILENAME = "a b.csv"')).toBe('a b.csv');
    expect(fileNameFromContentDisposition(`attachment; filename="etiquette.svg"; filename*=UTF-8''%C3%A9tiquette%20CH1.svg`)).toBe('étiquette CH1.svg');
    expect(fileNameFromContentDisposition(`attachment; filename*=utf-8''r%C3%A9form%C3%A9.pdf`)).toBe('réformé.pdf');
    expect(fileNameFromContentDisposition('attachment; filename="say \\"hi\\".txt"')).toBe('say "hi".txt');
  });

  it('keeps the last path segment and falls back when the extended value is broken', () => {
    expect(fileNameFromContentDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(fileNameFromContentDisposition('attachment; filename="C:\\\\temp\\\\x.csv"')).toBe('x.csv');
    expect(fileNameFromContentDisposition(`attachment; filename*=UTF-8''%E0%A4%A; filename="plain.csv"`)).toBe('plain.csv');
  });

  it('is null without a name', () => {
    expect(fileNameFromContentDisposition(null)).toBeNull();
    expect(fileNameFromContentDisposition('inline')).toBeNull();
    expect(fileNameFromContentDisposition('attachment; filename=""')).toBeNull();
  });
});
