import { createHash, randomBytes, randomUUID } from 'node:crypto';
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

export class AuthService {
  constructor(
    private readonly deps: Pick<AppDeps, 'config' | 'db'>,
    private readonly app: FastifyInstance,
    private readonly limiter: LoginRateLimiter,
  ) {}

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
          // A used or revoked token presented again: it may have been stolen. Revoke the family.
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
      const pair = await this.issue(trx, user, claimed.familyId, meta, claimed.id);
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

  me(userId: string): Promise<Me> {
    return loadMe(this.deps.db, userId);
  }

  private async issue(
    trx: AppDeps['db'],
    user: repo.UserAuthRow,
    familyId: string,
    meta: ClientMeta,
    previousId?: string,
  ): Promise<TokenPair> {
    const { ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_DAYS } = this.deps.config;
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpires = new Date(Date.now() + REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    const id = await repo.insertRefreshToken(trx, {
      userId: user.id, familyId, tokenHash: hashToken(refreshToken), expiresAt: refreshExpires,
      userAgent: meta.userAgent?.slice(0, 300) ?? null, ip: meta.ip,
    });
    if (previousId) await repo.setReplacedBy(trx, previousId, id);
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
  const user = await repo.findUserById(db, userId);
  if (!user) throw unauthorized();
  const [territory, homeSite, grants] = await Promise.all([
    repo.territoryRef(db, user.territoryId),
    user.homeSiteId ? repo.siteRef(db, user.homeSiteId) : Promise.resolve(undefined),
    repo.grantsOfUsers(db, [user.id]),
  ]);
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    territory,
    homeSite: homeSite ?? null,
    roles: grants.get(user.id) ?? [],
  };
}
