import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { dummyPasswordHash, insertAudit, verifyPassword } from '@gmao/db';
import type { Me, TokenPair } from '@gmao/contracts';
import type { AppDeps } from '../../lib/context.js';
import { unauthorized } from '../../lib/problem.js';
import * as repo from './auth.repository.js';
import type { LoginRateLimiter } from './login-rate-limit.js';

export interface ClientMeta {
  ip: string;
  userAgent: string | null;
  requestId: string;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The user agent as stored with a refresh token (and compared to recognise the same client). */
const storedAgent = (meta: ClientMeta) => meta.userAgent?.slice(0, 300) ?? null;

export class AuthService {
  /** Derives a rotated refresh token from the one it replaces (see `successorOf`). */
  private readonly successorKey: Buffer;

  constructor(
    private readonly deps: Pick<AppDeps, 'config' | 'db'>,
    private readonly app: FastifyInstance,
    private readonly limiter: LoginRateLimiter,
    /** The server's signing secret; a key for refresh-token successors is derived from it. */
    secret: string,
  ) {
    this.successorKey = createHmac('sha256', secret).update('gmao:refresh-token-successor:v1').digest();
  }

  /**
   * The refresh token that replaces `token` on rotation: an HMAC of it under a server key,
   * so a concurrent refresh of the same token can be given the same successor again without
   * the server keeping any token in clear. Unguessable without the key, as a random one.
   */
  private successorOf(token: string): string {
    return createHmac('sha256', this.successorKey).update(token).digest('base64url');
  }

  async login(email: string, password: string, meta: ClientMeta): Promise<TokenPair> {
    const normalized = email.trim().toLowerCase();
    await this.limiter.assertAllowed(normalized, meta.ip);
    const user = await repo.findUserByEmail(this.deps.db, normalized);
    // Verify against a dummy hash for unknown emails: same timing either way.
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !ok) {
      await this.limiter.recordFailure(normalized, meta.ip);
      throw unauthorized('Adresse e-mail ou mot de passe incorrect.', 'invalid_credentials');
    }
    if (!user.active) {
      await this.limiter.recordFailure(normalized, meta.ip);
      throw unauthorized('Ce compte est désactivé : adressez-vous à votre administrateur.', 'account_disabled');
    }
    await this.limiter.recordSuccess(normalized, meta.ip);
    return this.deps.db.transaction().execute(async (trx) => {
      const pair = await this.issue(trx, user, randomUUID(), meta);
      await insertAudit(trx, {
        territoryId: user.territoryId, actorId: user.id, action: 'auth.login', entityType: 'user', entityId: user.id,
        requestId: meta.requestId, ip: meta.ip, after: { userAgent: meta.userAgent },
      });
      return pair;
    });
  }

  async refresh(refreshToken: string, meta: ClientMeta): Promise<TokenPair> {
    const tokenHash = hashToken(refreshToken);
    type Outcome = { pair: TokenPair } | { error: 'reused' | 'expired' | 'unknown' | 'disabled' };
    const outcome: Outcome = await this.deps.db.transaction().execute(async (trx): Promise<Outcome> => {
      const claimed = await repo.claimRefreshToken(trx, tokenHash);
      if (!claimed) {
        const known = await repo.findRefreshToken(trx, tokenHash);
        if (known && (known.usedAt !== null || known.revokedAt !== null)) {
          // Two refreshes racing (two tabs, a retried request): the same client within the
          // grace gets the pair the first one got.
          const replayed = await this.replay(trx, known, refreshToken, meta);
          if (replayed) return { pair: replayed };
          // Otherwise a used or revoked token presented again may have been stolen: revoke the family.
          const revoked = await repo.revokeFamily(trx, known.familyId);
          const user = await repo.findUserById(trx, known.userId);
          await insertAudit(trx, {
            territoryId: user?.territoryId ?? null, actorId: known.userId, action: 'auth.refresh_reuse_detected',
            entityType: 'refresh_token_family', entityId: known.familyId, after: { revokedTokens: revoked },
            requestId: meta.requestId, ip: meta.ip,
          });
          return { error: 'reused' as const };
        }
        return { error: known ? ('expired' as const) : ('unknown' as const) };
      }
      const user = await repo.findUserById(trx, claimed.userId);
      if (!user || !user.active) {
        await repo.revokeFamily(trx, claimed.familyId);
        return { error: 'disabled' as const };
      }
      const pair = await this.issue(trx, user, claimed.familyId, meta, { id: claimed.id, token: refreshToken });
      await insertAudit(trx, {
        territoryId: user.territoryId, actorId: user.id, action: 'auth.refresh', entityType: 'refresh_token_family',
        entityId: claimed.familyId, requestId: meta.requestId, ip: meta.ip,
      });
      return { pair };
    });
    if ('pair' in outcome) return outcome.pair;
    const messages = {
      reused: ['refresh_token_reused', 'Ce jeton de rafraîchissement a déjà servi : la session est révoquée, reconnectez-vous.'],
      expired: ['refresh_token_expired', 'Session expirée : reconnectez-vous.'],
      unknown: ['invalid_refresh_token', 'Jeton de rafraîchissement invalide : reconnectez-vous.'],
      disabled: ['account_disabled', 'Ce compte est désactivé.'],
    } as const;
    const [code, detail] = messages[outcome.error];
    throw unauthorized(detail, code);
  }

  /** Revokes the session (the refresh token's family). Unknown tokens are ignored. */
  async logout(refreshToken: string, meta: ClientMeta): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const known = await repo.findRefreshToken(trx, hashToken(refreshToken));
      if (!known) return;
      const revoked = await repo.revokeFamily(trx, known.familyId);
      if (revoked === 0) return;
      const user = await repo.findUserById(trx, known.userId);
      await insertAudit(trx, {
        territoryId: user?.territoryId ?? null, actorId: known.userId, action: 'auth.logout',
        entityType: 'refresh_token_family', entityId: known.familyId, requestId: meta.requestId, ip: meta.ip,
      });
    });
  }

  /** GET /me: what the principal cache loaded with the request's principal, else the database. */
  async me(userId: string, cached: Me | null): Promise<Me> {
    return cached ?? loadMe(this.deps.db, userId);
  }

  /**
   * A second use of a rotated token answered with the same successor, when it comes within
   * REFRESH_REUSE_GRACE_SECONDS of the first use, from the same client (the same address
   * and user agent as the first use, stored with the successor), and the successor is
   * still unused. Null otherwise: the caller treats it as a reuse.
   */
  private async replay(
    trx: AppDeps['db'],
    known: repo.RefreshTokenRow,
    refreshToken: string,
    meta: ClientMeta,
  ): Promise<TokenPair | null> {
    const grace = this.deps.config.REFRESH_REUSE_GRACE_SECONDS;
    if (grace === 0 || known.revokedAt !== null) return null;
    const next = await repo.findFreshSuccessor(trx, known.id, grace);
    if (!next || next.ip !== meta.ip || next.userAgent !== storedAgent(meta)) return null;
    const successor = this.successorOf(refreshToken);
    if (hashToken(successor) !== next.tokenHash) return null;
    const user = await repo.findUserById(trx, known.userId);
    if (!user?.active) return null;
    await insertAudit(trx, {
      territoryId: user.territoryId, actorId: user.id, action: 'auth.refresh', entityType: 'refresh_token_family',
      entityId: known.familyId, requestId: meta.requestId, ip: meta.ip, after: { concurrentReplay: true },
    });
    return this.pairFor(trx, user, successor, next.expiresAt);
  }

  private async issue(
    trx: AppDeps['db'],
    user: repo.UserAuthRow,
    familyId: string,
    meta: ClientMeta,
    previous?: { id: string; token: string },
  ): Promise<TokenPair> {
    const refreshToken = previous ? this.successorOf(previous.token) : randomBytes(32).toString('base64url');
    const refreshExpires = new Date(Date.now() + this.deps.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    const id = await repo.insertRefreshToken(trx, {
      userId: user.id, familyId, tokenHash: hashToken(refreshToken), expiresAt: refreshExpires,
      userAgent: storedAgent(meta), ip: meta.ip,
    });
    if (previous) await repo.setReplacedBy(trx, previous.id, id);
    return this.pairFor(trx, user, refreshToken, refreshExpires);
  }

  /** A fresh access token (same claims, new jti) with the given refresh token. */
  private async pairFor(trx: AppDeps['db'], user: repo.UserAuthRow, refreshToken: string, refreshExpires: Date): Promise<TokenPair> {
    const { ACCESS_TOKEN_TTL_SECONDS } = this.deps.config;
    const accessToken = this.app.jwt.sign({ sub: user.id, tid: user.territoryId, jti: randomUUID() }, { expiresIn: ACCESS_TOKEN_TTL_SECONDS });
    const me = await loadMe(trx, user.id);
    return {
      accessToken,
      accessTokenExpiresAt: new Date(Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000).toISOString(),
      refreshToken,
      refreshTokenExpiresAt: refreshExpires.toISOString(),
      user: me,
    };
  }
}

/** The signed-in user as GET /me shows them: territory, home site and roles per site. */
export async function loadMe(db: AppDeps['db'], userId: string): Promise<Me> {
  const me = await repo.findMe(db, userId);
  if (!me) throw unauthorized();
  return me;
}
