import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../../lib/context.js';
import { tooManyRequests } from '../../lib/problem.js';

/**
 * Failed logins are counted in Redis per email and per client IP over a fixed window, so
 * the limit holds across every API instance. Past LOGIN_MAX_FAILURES in the window, login
 * answers 429 with Retry-After. A success clears the email's counter. If Redis is down the
 * limit is not enforced (logged), rather than locking everybody out.
 */
export class LoginRateLimiter {
  constructor(
    private readonly deps: Pick<AppDeps, 'config' | 'redis'>,
    private readonly log: FastifyBaseLogger,
  ) {}

  private keys(email: string, ip: string): [string, string] {
    const prefix = `${this.deps.config.QUEUE_PREFIX}:login-failures`;
    const emailKey = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32);
    return [`${prefix}:email:${emailKey}`, `${prefix}:ip:${ip}`];
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    try {
      const counts = await this.deps.redis.mget(...keys);
      const max = this.deps.config.LOGIN_MAX_FAILURES;
      const blocked = keys.filter((_, i) => Number(counts[i] ?? 0) >= max);
      if (blocked.length === 0) return;
      const ttls = await Promise.all(blocked.map((k) => this.deps.redis.pttl(k)));
      const retryAfter = Math.max(1, Math.ceil(Math.max(...ttls) / 1000));
      throw tooManyRequests(
        retryAfter,
        `Trop de tentatives de connexion échouées : réessayez dans ${retryAfter} s.`,
      );
    } catch (err) {
      if ((err as { status?: number }).status === 429) throw err;
      this.log.error({ err }, 'login rate limit unavailable (Redis)');
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const window = this.deps.config.LOGIN_WINDOW_SECONDS;
    try {
      const multi = this.deps.redis.multi();
      for (const k of this.keys(email, ip)) multi.incr(k).expire(k, window, 'NX');
      await multi.exec();
    } catch (err) {
      this.log.error({ err }, 'login rate limit unavailable (Redis)');
    }
  }

  async recordSuccess(email: string, ip: string): Promise<void> {
    try {
      await this.deps.redis.del(this.keys(email, ip)[0]);
    } catch (err) {
      this.log.error({ err }, 'login rate limit unavailable (Redis)');
    }
  }
}
