import type { z } from 'zod';
import { encodeCursor, type RoleGrant, type RoleGrantCreate, type User, type UserCreate, type UserListQuery, type UserUpdate } from '@gmao/contracts';
import { hashPassword } from '@gmao/db';
import { can, type RoleName } from '@gmao/domain';
import { judgePassword, personalInputs } from '@gmao/domain/password-strength';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { badRequest, conflict, forbidden, notFound, unprocessable, versionMismatch, type FieldError } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';
import { grantsOfUsers, revokeAllOfUser, type GrantRow } from '../auth/auth.repository.js';
import type { PrincipalCache } from '../auth/principal-cache.js';
import * as repo from './users.repository.js';

/**
 * Emails are unique across territories (they are the login), so a clash cannot be avoided;
 * the answer is the same whether the address is used here or in another territory, and
 * says nothing of the account that holds it (docs/adr/0007).
 */
const UNIQUE_USER = { users_email_key: { path: 'body.email', message: 'Cette adresse e-mail ne peut pas être utilisée pour un nouveau compte.' } };
const UNIQUE_GRANT = { role_grants_unique: { path: 'body.role', message: 'Ce rôle est déjà attribué sur ce site.' } };

function toUser(r: repo.UserRow, grants: GrantRow[]): User {
  return {
    id: r.id, email: r.email, fullName: r.fullName, homeSiteId: r.homeSiteId, homeSiteName: r.homeSiteName,
    active: r.active, roles: grants, weeklyHours: r.weeklyHours, fte: r.fte, version: r.version,
    createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  };
}

export class UsersService {
  /** `principals`: told of every change of a user's roles or active flag, once committed. */
  constructor(private readonly deps: Pick<AppDeps, 'db'> & { principals: Pick<PrincipalCache, 'changed'> }) {}

  async list(ctx: ActorContext, query: z.output<typeof UserListQuery>) {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'user.read', { territoryId })) throw forbidden();
    const rows = await repo.listUsers(this.deps.db, territoryId, {
      q: query.q, siteId: query.siteId, role: query.role, active: query.active, after: query.cursor, limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const grants = await grantsOfUsers(this.deps.db, items.map((r) => r.id));
    const last = items.at(-1);
    return {
      items: items.map((r) => toUser(r, grants.get(r.id) ?? [])),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.fullName, last.id]) : null,
    };
  }

  async get(ctx: ActorContext, id: string): Promise<User> {
    const territoryId = ctx.principal.territoryId;
    const row = await repo.findUser(this.deps.db, territoryId, id);
    if (!row) throw notFound('Utilisateur');
    if (id !== ctx.principal.userId && !can(ctx.principal, 'user.read', { territoryId })) throw forbidden();
    return this.load(this.deps.db, territoryId, id);
  }

  async create(ctx: ActorContext, input: z.output<typeof UserCreate>): Promise<User> {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'user.create', { territoryId })) throw forbidden();
    const siteIds = [input.homeSiteId, ...input.roles.map((r) => r.siteId)].filter((s): s is string => s !== null);
    const known = await repo.sitesInTerritory(this.deps.db, territoryId, siteIds);
    const errors: FieldError[] = [];
    if (input.homeSiteId && !known.has(input.homeSiteId)) errors.push({ path: 'body.homeSiteId', message: 'site inconnu' });
    input.roles.forEach((r, i) => errors.push(...scopeErrors(r, known, `body.roles.${i}`)));
    const weak = judgePassword(input.password, personalInputs(input.email, input.fullName)).problem;
    if (weak) errors.push({ path: 'body.password', message: weak, code: 'weak_password' });
    if (errors.length > 0) {
      throw badRequest(!weak ? 'Rôles ou site invalides.' : errors.length === 1 ? weak : 'Données invalides.', errors, 'validation_failed');
    }

    const passwordHash = await hashPassword(input.password);
    return this.deps.db.transaction().execute(async (trx) => {
      const id = await repo
        .insertUser(trx, { territoryId, email: input.email, fullName: input.fullName, homeSiteId: input.homeSiteId, passwordHash })
        .catch((e) => rethrowUnique(e, UNIQUE_USER));
      for (const r of input.roles) {
        await repo
          .insertGrant(trx, { territoryId, userId: id, siteId: r.siteId, role: r.role, grantedBy: ctx.principal.userId })
          .catch((e) => rethrowUnique(e, UNIQUE_GRANT));
      }
      const user = await this.load(trx, territoryId, id);
      await audit(trx, ctx, 'user.create', 'user', id, null, user);
      return user;
    });
  }

  /** A user's settings (the weekly hours of the workload view, the FTE of the indicators): who edits users (territory admin), If-Match: version; audited. */
  async update(ctx: ActorContext, id: string, version: number, input: z.output<typeof UserUpdate>): Promise<User> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await repo.findUserForUpdate(trx, territoryId, id);
      if (!current) throw notFound('Utilisateur');
      if (!can(ctx.principal, 'user.update', { territoryId })) throw forbidden();
      if (current.version !== version) throw versionMismatch(current.version);
      const before = await this.load(trx, territoryId, id);
      await repo.updateUser(trx, id, { weeklyHours: input.weeklyHours, fte: input.fte });
      const after = await this.load(trx, territoryId, id);
      // The audit record names the settings the request gave.
      const given = (u: User) => Object.fromEntries((['weeklyHours', 'fte'] as const).filter((k) => input[k] !== undefined).map((k) => [k, u[k]]));
      await audit(trx, ctx, 'user.update', 'user', id, given(before), given(after));
      return after;
    });
  }

  async setActive(ctx: ActorContext, id: string, active: boolean): Promise<User> {
    const territoryId = ctx.principal.territoryId;
    const user = await this.deps.db.transaction().execute(async (trx) => {
      const current = await repo.findUser(trx, territoryId, id);
      if (!current) throw notFound('Utilisateur');
      if (!can(ctx.principal, active ? 'user.update' : 'user.deactivate', { territoryId })) throw forbidden();
      if (!active && id === ctx.principal.userId) {
        throw unprocessable('Vous ne pouvez pas désactiver votre propre compte.', 'cannot_deactivate_self');
      }
      const before = await this.load(trx, territoryId, id);
      if (current.active === active) return before;
      await repo.setActive(trx, id, active);
      // A deactivated account loses its sessions at once.
      if (!active) await revokeAllOfUser(trx, id);
      const after = await this.load(trx, territoryId, id);
      await audit(trx, ctx, active ? 'user.activate' : 'user.deactivate', 'user', id, before, after);
      return after;
    });
    await this.deps.principals.changed(id);
    return user;
  }

  async grant(ctx: ActorContext, userId: string, input: z.output<typeof RoleGrantCreate>): Promise<RoleGrant> {
    const territoryId = ctx.principal.territoryId;
    const granted = await this.deps.db.transaction().execute(async (trx) => {
      const user = await repo.findUser(trx, territoryId, userId);
      if (!user) throw notFound('Utilisateur');
      const known = await repo.sitesInTerritory(trx, territoryId, input.siteId ? [input.siteId] : []);
      const errors = scopeErrors(input, known, 'body');
      if (errors.length > 0) throw badRequest('Rôle invalide.', errors, 'validation_failed');
      if (!can(ctx.principal, 'role.grant', { territoryId, siteId: input.siteId, role: input.role })) throw forbidden();
      const { id } = await repo
        .insertGrant(trx, { territoryId, userId, siteId: input.siteId, role: input.role, grantedBy: ctx.principal.userId })
        .catch((e) => rethrowUnique(e, UNIQUE_GRANT));
      const grant = (await grantsOfUsers(trx, [userId])).get(userId)?.find((g) => g.id === id);
      if (!grant) throw new Error('grant vanished');
      await audit(trx, ctx, 'role.grant', 'user', userId, null, grant);
      return grant;
    });
    await this.deps.principals.changed(userId);
    return granted;
  }

  async revoke(ctx: ActorContext, userId: string, grantId: string): Promise<void> {
    const territoryId = ctx.principal.territoryId;
    await this.deps.db.transaction().execute(async (trx) => {
      const user = await repo.findUser(trx, territoryId, userId);
      if (!user) throw notFound('Utilisateur');
      const grant = await repo.findGrant(trx, userId, grantId);
      if (!grant) throw notFound('Rôle');
      const role = grant.role as RoleName;
      if (!can(ctx.principal, 'role.revoke', { territoryId, siteId: grant.siteId, role })) throw forbidden();
      if (role === 'territory_admin' && user.active && (await repo.countActiveAdmins(trx, territoryId)) <= 1) {
        throw conflict('Impossible de retirer le dernier administrateur actif du territoire.', 'last_admin');
      }
      await repo.deleteGrant(trx, grantId);
      await audit(trx, ctx, 'role.revoke', 'user', userId, { id: grant.id, role, siteId: grant.siteId }, null);
    });
    await this.deps.principals.changed(userId);
  }

  private async load(db: AppDeps['db'], territoryId: string, id: string): Promise<User> {
    const row = await repo.findUser(db, territoryId, id);
    if (!row) throw notFound('Utilisateur');
    const grants = await grantsOfUsers(db, [id]);
    return toUser(row, grants.get(id) ?? []);
  }
}

/** territory_admin is territory-wide (no site); every other role needs a site of the territory. */
function scopeErrors(r: { role: RoleName; siteId: string | null }, known: Set<string>, path: string): FieldError[] {
  if (r.role === 'territory_admin') {
    return r.siteId === null ? [] : [{ path: `${path}.siteId`, message: 'doit être null pour territory_admin' }];
  }
  if (r.siteId === null) return [{ path: `${path}.siteId`, message: 'site obligatoire pour ce rôle' }];
  return known.has(r.siteId) ? [] : [{ path: `${path}.siteId`, message: 'site inconnu' }];
}
