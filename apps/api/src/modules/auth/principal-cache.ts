/**
 * Who a request acts as — the user's territory, roles and active flag — kept in the API
 * process for PRINCIPAL_CACHE_SECONDS, so that an authenticated request does not read
 * them from PostgreSQL each time.
 *
 * A revoked role or a deactivated account must still take effect at once on every API
 * process. A change is therefore published on Redis (`<prefix>:principal-changed`, the
 * user's id) once its transaction has committed, and every process forgets that user when
 * the message arrives. The cache is used only while this process is subscribed: when the
 * subscription drops (Redis restarted, network cut), everything is forgotten and each
 * request reads the database until it is back, so that no missed message can leave a
 * stale entry. A load that was under way when a change arrived is not kept.
 */
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';

/** What the cache keeps per user: at least the territory and the grants (the API keeps what GET /me shows too). */
export interface LoadedPrincipal {
  territoryId: string;
  grants: readonly { role: string; siteId: string | null }[];
}

type Loader<P> = (userId: string) => Promise<P | null>;

const MAX_ENTRIES = 10_000;

/** The message that makes every process forget every user (e.g. a site renamed: its name is in their roles). */
export const EVERYONE = '*';

export class PrincipalCache<P extends LoadedPrincipal = LoadedPrincipal> {
  private readonly entries = new Map<string, { value: P; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<P | null>>();
  /** Bumped by every change heard and every loss of the subscription. */
  private generation = 0;
  private subscribed = false;
  private closed = false;
  readonly channel: string;

  /**
   * @param publisher the process's Redis connection, to publish changes
   * @param subscriber a connection of its own (a subscribed connection can do nothing else)
   */
  constructor(
    private readonly opts: { ttlSeconds: number; prefix: string; publisher: Redis; subscriber: Redis; log: FastifyBaseLogger; load: Loader<P> },
  ) {
    this.channel = `${opts.prefix}:principal-changed`;
    const { subscriber } = opts;
    subscriber.on('error', (err: Error) => opts.log.debug({ err: err.message }, 'principal cache: redis subscriber error'));
    subscriber.on('message', (channel: string, userId: string) => {
      if (channel === this.channel) this.forget(userId);
    });
    // Subscribed only between 'ready' and the next 'close' of this connection.
    subscriber.on('ready', () => void this.subscribe());
    subscriber.on('close', () => this.unsubscribed());
    if (subscriber.status === 'ready') void this.subscribe();
  }

  /** True while entries are kept (the subscription is live and the cache is on). */
  get active(): boolean {
    return this.subscribed && this.opts.ttlSeconds > 0 && !this.closed;
  }

  async get(userId: string): Promise<P | null> {
    if (!this.active) return this.opts.load(userId);
    const hit = this.entries.get(userId);
    if (hit && hit.expiresAt > Date.now()) return hit.value;
    const pending = this.loading.get(userId);
    if (pending) return pending;
    const generation = this.generation;
    const load = this.opts.load(userId).then(
      (value) => {
        this.loading.delete(userId);
        // A deactivated or unknown user is not kept: it is rare, and its reactivation must show at once.
        if (value && this.active && generation === this.generation) this.keep(userId, value);
        return value;
      },
      (err: unknown) => {
        this.loading.delete(userId);
        throw err;
      },
    );
    this.loading.set(userId, load);
    return load;
  }

  /**
   * Call after the transaction that changed a user's roles or active flag (or, with
   * EVERYONE, what every cached user shows: a site's name) has committed:
   * this process forgets the user at once, the others when the message reaches them
   * (Redis hands it to every subscriber before it answers the publish). If Redis refuses
   * the message, it is sent again each second, in the background, for as long as an entry
   * may live elsewhere.
   */
  async changed(userId: string): Promise<void> {
    this.forget(userId);
    if (await this.publish(userId)) return;
    const deadline = Date.now() + this.opts.ttlSeconds * 1000;
    void (async () => {
      while (!this.closed && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1000).unref());
        if (await this.publish(userId)) return;
      }
    })();
  }

  private async publish(userId: string): Promise<boolean> {
    try {
      await this.opts.publisher.publish(this.channel, userId);
      return true;
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message, userId }, 'principal cache: could not publish a change; retrying');
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribed();
    this.opts.subscriber.disconnect();
  }

  private forget(userId: string) {
    this.generation++;
    if (userId === EVERYONE) this.entries.clear();
    else this.entries.delete(userId);
  }

  private keep(userId: string, value: P) {
    this.entries.delete(userId);
    this.entries.set(userId, { value, expiresAt: Date.now() + this.opts.ttlSeconds * 1000 });
    // Oldest first: a Map iterates in insertion order.
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  private async subscribe() {
    try {
      await this.opts.subscriber.subscribe(this.channel);
      if (this.opts.subscriber.status !== 'ready') return;
      this.generation++;
      this.entries.clear();
      this.subscribed = true;
    } catch (err) {
      this.opts.log.debug({ err: (err as Error).message }, 'principal cache: could not subscribe');
    }
  }

  private unsubscribed() {
    this.subscribed = false;
    this.generation++;
    this.entries.clear();
  }
}
