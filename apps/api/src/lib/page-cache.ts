/**
 * Rendered list pages kept in the API process, served again only while the database is
 * provably unchanged (ADR 0010).
 *
 * The proof is PostgreSQL's own: `pg_current_snapshot()` names which transactions a read
 * sees (the oldest still running, the next transaction id, the ones in progress). Two equal
 * snapshots see exactly the same rows, in every table. So a page is stored with the
 * snapshot read before its queries ran, only if the snapshot read after them is the same
 * (nothing committed or began writing meanwhile), and served again only to a request whose
 * own snapshot, read after it arrived, is still that one. Any commit of any writer (this
 * process, another API process, the worker, someone in psql) changes the snapshot, so no
 * answer is ever staler than the database was when the request arrived: there is nothing
 * to invalidate, and nothing to forget.
 *
 * One snapshot query serves all the requests that arrived before it was sent
 * (SnapshotClock), so a burst of reads costs one round trip, not one each.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Principal } from '@gmao/domain';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Cache this GET's answers (see page-cache.ts). `territory`: the answer depends only
     * on the URL and the caller's territory (no rights check that differs between its
     * users); `user`: on the URL and the caller. `when` may refuse a request whose answer
     * depends on something else (the clock, for one).
     */
    pageCache?: { scope: 'territory' | 'user'; when?: (request: FastifyRequest) => boolean };
  }
  interface FastifyRequest {
    /** Set on a miss of a cached route: the page is stored when it is sent, if still valid. */
    pageCacheFill: { key: string; snapshot: string } | null;
  }
}

/**
 * The database's current snapshot, from a query sent after the caller asked: a caller
 * that arrives while a query is under way waits for the next one (which may have started
 * before that caller's request reached a commit it knows of otherwise), and every caller
 * waiting for the next one shares it. At most one query is under way.
 */
export class SnapshotClock {
  private running: Promise<string> | null = null;
  private queued: Promise<string> | null = null;

  constructor(private readonly read: () => Promise<string>) {}

  current(): Promise<string> {
    if (this.running === null) return this.begin();
    this.queued ??= this.running.then(noop, noop).then(() => {
      this.queued = null;
      return this.begin();
    });
    return this.queued;
  }

  private begin(): Promise<string> {
    const query = this.read().finally(() => {
      if (this.running === query) this.running = null;
    });
    this.running = query;
    return query;
  }
}

function noop(): void {}

const grantKeys = new WeakMap<object, string>();

/** The roles of a principal as text, computed once per loaded principal. */
function grantsKey(grants: Principal['grants']): string {
  let key = grantKeys.get(grants);
  if (key === undefined) {
    key = grants.map((g) => `${g.role}@${g.siteId ?? '*'}`).sort().join(',');
    grantKeys.set(grants, key);
  }
  return key;
}

/** The read a SnapshotClock makes: the snapshot of a fresh statement. */
export function databaseSnapshot<T>(db: Kysely<T>): () => Promise<string> {
  const query = sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`;
  return async () => (await query.execute(db)).rows[0]!.snapshot;
}

interface Page {
  /** UTF-8, as sent: a hit neither encodes the text again nor measures it for content-length. */
  body: Buffer;
  storedAt: number;
}

/**
 * Pages by key, all of one snapshot: when a newer snapshot is seen, every page is dropped
 * (snapshots only move forward, so none of them can be valid again). Bounded in bytes
 * (least recently used first) and in age.
 */
export class PageStore {
  private snapshot: string | null = null;
  private readonly pages = new Map<string, Page>();
  private size = 0;

  constructor(private readonly opts: { maxBytes: number; maxAgeMs: number; now?: () => number }) {}

  get bytes(): number {
    return this.size;
  }

  get count(): number {
    return this.pages.size;
  }

  /** The page of `key` if it was rendered at `snapshot` (the one just read) and is young enough. */
  lookup(key: string, snapshot: string): Buffer | undefined {
    if (snapshot !== this.snapshot) {
      this.clear();
      this.snapshot = snapshot;
      return undefined;
    }
    const page = this.pages.get(key);
    if (!page) return undefined;
    if (this.now() - page.storedAt > this.opts.maxAgeMs) {
      this.remove(key, page);
      return undefined;
    }
    // Most recently used last.
    this.pages.delete(key);
    this.pages.set(key, page);
    return page.body;
  }

  /** Keeps a page rendered at `snapshot` if that is still the latest snapshot seen. */
  store(key: string, snapshot: string, text: string): void {
    if (snapshot !== this.snapshot) return;
    const body = Buffer.from(text, 'utf8');
    if (body.length > this.opts.maxBytes) return;
    const old = this.pages.get(key);
    if (old) this.remove(key, old);
    this.pages.set(key, { body, storedAt: this.now() });
    this.size += body.length;
    for (const [oldest, page] of this.pages) {
      if (this.size <= this.opts.maxBytes) break;
      this.remove(oldest, page);
    }
  }

  clear(): void {
    this.pages.clear();
    this.size = 0;
  }

  private remove(key: string, page: Page): void {
    this.pages.delete(key);
    this.size -= page.body.length;
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }
}

/**
 * Serves the routes whose config has `pageCache` from the store. Register before anything
 * that rewrites answers on send (compression): the store keeps the JSON text.
 */
export function registerPageCache(
  app: FastifyInstance,
  opts: { clock: SnapshotClock; store: PageStore; enabled: boolean },
): void {
  app.decorateRequest('pageCacheFill', null);
  if (!opts.enabled) return;
  const { clock, store } = opts;

  async function serveOrMark(request: FastifyRequest, reply: FastifyReply) {
    const policy = request.routeOptions.config.pageCache;
    const principal = request.principal;
    if (!policy || !principal || (policy.when && !policy.when(request))) return;
    // A user's page depends on their roles too: a page rendered with roles the principal
    // cache had not yet forgotten is not served once it has.
    const owner = policy.scope === 'user' ? `u:${principal.userId}:${grantsKey(principal.grants)}` : `t:${principal.territoryId}`;
    const key = `${owner} ${request.url}`;
    let snapshot: string;
    try {
      snapshot = await clock.current();
    } catch {
      return; // the handler meets the database's trouble itself
    }
    const body = store.lookup(key, snapshot);
    if (body !== undefined) {
      reply.header('x-page-cache', 'hit').type('application/json; charset=utf-8');
      return reply.send(body);
    }
    reply.header('x-page-cache', 'miss');
    request.pageCacheFill = { key, snapshot };
  }

  app.addHook('onRoute', (route) => {
    if (!route.config?.pageCache) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.every((m) => m === 'GET' || m === 'HEAD')) throw new Error(`pageCache is for GET routes (${route.url})`);
    const existing = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    route.preHandler = [...existing, serveOrMark];
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const fill = request.pageCacheFill;
    if (fill === null || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    request.pageCacheFill = null;
    // Kept only if nothing committed since the snapshot read before the handler's queries.
    clock.current().then((after) => {
      if (after === fill.snapshot) store.store(fill.key, fill.snapshot, payload);
    }, noop);
    return payload;
  });
}
