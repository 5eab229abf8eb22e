import { createHash } from 'node:crypto';
import net from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../../lib/context.js';
import { tooManyRequests } from '../../lib/problem.js';

/**
 * Login attempts slow down; they never lock an account.
 *
 * Attempts are counted in Redis (so the limit holds across API instances), under the
 * configured key prefix, in three scopes:
 * - the (email, address) pair: past LOGIN_MAX_FAILURES (5) attempts, each further attempt
 *   of that pair must come a delay after the previous failure;
 * - the address, whatever the email: the same past LOGIN_ADDRESS_MAX_FAILURES (50), higher
 *   because a hospital's staff may share one NAT address;
 * - the email, whatever the address (a distributed attack on one account): past the same
 *   higher threshold the email gets a delay too, which applies only to addresses that have
 *   themselves failed on that email. An address that has not failed on an email is never
 *   held back by what other addresses did to it.
 * The delay doubles from 1 s with each attempt past a threshold, up to
 * LOGIN_MAX_DELAY_SECONDS (30 s); a request that comes before it ends is answered 429 with
 * Retry-After, without checking the password. An attempt counts as soon as it starts (so a
 * burst of parallel guesses gets no free attempts) and is refunded when it succeeds: a
 * success forgets the pair and takes one off the address and email counts. The counters
 * are forgotten after LOGIN_WINDOW_SECONDS (15 min) without an attempt.
 *
 * With the defaults that is at most about 130 guesses an hour per (email, address) pair and
 * about 175 an hour per address over all emails (README, "Login slow-down").
 *
 * IPv6 addresses count by /64 network (one subscriber's allocation). If Redis is down
 * the limit is not enforced (logged), rather than refusing every sign-in.
 */
export class LoginRateLimiter {
  constructor(
    private readonly deps: Pick<AppDeps, 'config' | 'redis'>,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Counts the attempt, or refuses it with 429 while one of its scopes must wait. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const { LOGIN_MAX_FAILURES, LOGIN_ADDRESS_MAX_FAILURES, LOGIN_WINDOW_SECONDS, LOGIN_MAX_DELAY_SECONDS } = this.deps.config;
    let waitMs: number;
    try {
      waitMs = Number(await this.deps.redis.eval(
        ATTEMPT, 6, ...this.keys(email, ip),
        LOGIN_MAX_FAILURES, LOGIN_ADDRESS_MAX_FAILURES, LOGIN_ADDRESS_MAX_FAILURES, LOGIN_WINDOW_SECONDS, LOGIN_MAX_DELAY_SECONDS * 1000,
      ));
    } catch (err) {
      this.log.error({ err }, 'login rate limit unavailable (Redis)');
      return;
    }
    if (waitMs > 0) {
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
      throw tooManyRequests(retryAfter, `Trop de tentatives de connexion échouées : réessayez dans ${retryAfter} s.`);
    }
  }

  /** A failed attempt: the wait of each scope past its threshold starts now. */
  async recordFailure(email: string, ip: string): Promise<void> {
    const { LOGIN_MAX_FAILURES, LOGIN_ADDRESS_MAX_FAILURES, LOGIN_MAX_DELAY_SECONDS } = this.deps.config;
    await this.run(() => this.deps.redis.eval(
      FAILURE, 6, ...this.keys(email, ip),
      LOGIN_MAX_FAILURES, LOGIN_ADDRESS_MAX_FAILURES, LOGIN_ADDRESS_MAX_FAILURES, LOGIN_MAX_DELAY_SECONDS * 1000,
    ));
  }

  /** A success: the pair is forgotten; the address and the email get their attempt back. */
  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.run(() => this.deps.redis.eval(SUCCESS, 6, ...this.keys(email, ip)));
  }

  private async run(op: () => Promise<unknown>): Promise<void> {
    try {
      await op();
    } catch (err) {
      this.log.error({ err }, 'login rate limit unavailable (Redis)');
    }
  }

  /** Counts of the pair, the address and the email, then their waits. */
  private keys(email: string, ip: string): string[] {
    const prefix = `${this.deps.config.QUEUE_PREFIX}:login`;
    const who = createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
    const where = addressKey(ip);
    const counts = [`${prefix}:pair:${who}:${where}`, `${prefix}:address:${where}`, `${prefix}:email:${who}`];
    return [...counts, ...counts.map((k) => `${k}:wait`)];
  }
}

/** The address a login is counted against: IPv4 as is, IPv6 by its /64 network. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (net.isIPv6(ip)) {
    const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::');
    const left = head ? head.split(':') : [];
    const right = tail ? tail.split(':') : [];
    const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
    return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
  }
  return ip;
}

// KEYS: pair, address, email counts; then their waits.
// The delay of a scope with n attempts past threshold t: min(max, 1 s × 2^(n − t)).
const DELAY = `
local function delay(n, threshold, maxMs)
  return math.floor(math.min(maxMs, 1000 * 2 ^ math.min(n - threshold, 30)))
end
`;

// ARGV: pair threshold, address threshold, email threshold, window (s), max delay (ms).
// Returns the milliseconds to wait (0: the attempt is allowed and counted).
const ATTEMPT = `${DELAY}
local pairCount = tonumber(redis.call('GET', KEYS[1]) or '0')
local wait = math.max(redis.call('PTTL', KEYS[4]), redis.call('PTTL', KEYS[5]), 0)
if pairCount > 0 then wait = math.max(wait, redis.call('PTTL', KEYS[6])) end
if wait > 0 then return wait end
for i = 1, 3 do
  local n = redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], tonumber(ARGV[4]))
  local threshold = tonumber(ARGV[i])
  if n >= threshold then redis.call('SET', KEYS[i + 3], '1', 'PX', delay(n, threshold, tonumber(ARGV[5]))) end
end
return 0
`;

// ARGV: pair threshold, address threshold, email threshold, max delay (ms).
const FAILURE = `${DELAY}
for i = 1, 3 do
  local n = tonumber(redis.call('GET', KEYS[i]) or '0')
  local threshold = tonumber(ARGV[i])
  if n >= threshold then redis.call('SET', KEYS[i + 3], '1', 'PX', delay(n, threshold, tonumber(ARGV[4]))) end
end
return 0
`;

const SUCCESS = `
redis.call('DEL', KEYS[1], KEYS[4])
for i = 2, 3 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 0
`;
