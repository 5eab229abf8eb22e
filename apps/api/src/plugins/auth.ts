import fp from 'fastify-plugin';
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Uuid } from '@gmao/contracts';
import type { Principal } from '@gmao/domain';
import type { ActorContext } from '../lib/context.js';
import { unauthorized } from '../lib/problem.js';
import type { LoadedPrincipal, MeRow } from '../modules/auth/auth.repository.js';
import type { PrincipalCache } from '../modules/auth/principal-cache.js';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; tid: string; jti: string };
    user: { sub: string; tid: string; jti: string };
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** The signed-in user as GET /me shows them, from the principal cache (set with principal). */
    me: MeRow | null;
  }
  interface FastifyInstance {
    /** preHandler: requires a valid access token of an active user; sets request.principal. */
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
}

/**
 * The claims an access token of ours carries. A token signed with our secret but with
 * other claims (a leaked secret, a token of another deployment, a hand-made one) is
 * refused as invalid rather than sent to the database as it is.
 */
const AccessTokenClaims = z.object({ sub: Uuid, tid: Uuid, jti: z.string().min(1).max(100) });

/** The acting user's context for services; only call after `authenticate`. */
export function actor(request: FastifyRequest): ActorContext {
  if (!request.principal) throw unauthorized();
  return { principal: request.principal, requestId: String(request.id), ip: request.ip };
}

type Claims = z.output<typeof AccessTokenClaims>;

/**
 * Access tokens already verified by this process, by their exact Authorization header, with
 * their expiry: the signature of a given text does not change, so checking it again for each
 * request of a session (an HMAC and a JSON decoding) proves nothing new. Expiry is checked at
 * each use; access tokens are never revoked before they expire (roles and the active flag are
 * checked on each request through the principal cache).
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { claims: Claims; expiresAtMs: number }>();
  private static readonly MAX_ENTRIES = 10_000;

  get(header: string): Claims | undefined {
    const entry = this.entries.get(header);
    if (entry === undefined) return undefined;
    if (Date.now() < entry.expiresAtMs) return entry.claims;
    this.entries.delete(header);
    return undefined;
  }

  keep(header: string, claims: Claims, exp: unknown): void {
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return;
    if (this.entries.size >= VerifiedTokens.MAX_ENTRIES) this.entries.clear();
    this.entries.set(header, { claims, expiresAtMs: exp * 1000 });
  }
}

export const authPlugin = fp(async (app: FastifyInstance, opts: { principals: PrincipalCache<LoadedPrincipal>; secret: string }) => {
  await app.register(fastifyJwt, { secret: opts.secret, sign: { algorithm: 'HS256' }, verify: { algorithms: ['HS256'] } });
  const verifiedTokens = new VerifiedTokens();

  async function verify(request: FastifyRequest, header: string): Promise<Claims> {
    let verified: unknown;
    try {
      verified = await request.jwtVerify();
    } catch (err) {
      const expired = (err as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED';
      throw expired
        ? unauthorized("Jeton d'accès expiré : rafraîchissez-le.", 'token_expired')
        : unauthorized("Jeton d'accès invalide.", 'invalid_token');
    }
    const claims = AccessTokenClaims.safeParse(verified);
    if (!claims.success) throw unauthorized("Jeton d'accès invalide.", 'invalid_token');
    verifiedTokens.keep(header, claims.data, (verified as { exp?: unknown }).exp);
    return claims.data;
  }

  app.decorateRequest('principal', null);
  app.decorateRequest('me', null);
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header || !/^Bearer\s+\S+$/i.test(header)) {
      throw unauthorized('Authentification requise : en-tête Authorization: Bearer <jeton> manquant.', 'missing_token');
    }
    const payload = verifiedTokens.get(header) ?? (await verify(request, header));
    // Roles and the active flag are checked on each request (through the principal cache,
    // which every API process empties of a user at once when they change), so a revoked
    // role or a deactivated account takes effect at once rather than when the token expires.
    const loaded = await opts.principals.get(payload.sub);
    if (!loaded || loaded.territoryId !== payload.tid) {
      throw unauthorized('Compte inconnu ou désactivé.', 'account_disabled');
    }
    request.principal = { userId: payload.sub, territoryId: loaded.territoryId, grants: loaded.grants };
    request.me = loaded.me;
  });
});
