import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { encodeCursor, type AssignableQuery, type WorkOrderListQuery } from '@gmao/contracts';
import { assigneesOf, type DB } from '@gmao/db';
import { foldSearch, looksLikeWorkOrderNumber, sitesWithRole, workOrderReadScope } from '@gmao/domain';
import type { ActorContext } from '../../lib/context.js';
import { forbidden } from '../../lib/problem.js';
import { assignableGrants, listWorkOrders } from './backlog.repository.js';
import { toWorkOrderSummary } from './work-order-view.js';

/** The lists of work orders (backlog, mine, my requests, a device's) and the people who can be assigned. */
export class BacklogService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}

  async list(ctx: ActorContext, query: z.output<typeof WorkOrderListQuery>) {
    const rows = await listWorkOrders(this.deps.db, {
      territoryId: ctx.principal.territoryId,
      // Care staff: their sites' work orders and their own requests (packages/domain).
      readScope: workOrderReadScope(ctx.principal) ?? undefined,
      assigneeId: query.assignee === 'me' ? ctx.principal.userId : undefined,
      requestedById: query.requestedBy === 'me' ? ctx.principal.userId : undefined,
      // A work-order number is looked for in every state: a closed work order is found by its number.
      states: query.q && looksLikeWorkOrderNumber(query.q) ? undefined : query.state, siteId: query.siteId, types: query.type, priorities: query.priority, equipmentId: query.equipmentId, planId: query.planId,
      overdue: query.overdue,
      text: query.q ? { raw: query.q, folded: foldSearch(query.q) } : undefined,
      after: query.cursor,
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const assignees = await assigneesOf(this.deps.db, items.map((r) => r.id));
    const last = items.at(-1);
    return {
      // The summary a list shows (no callback, hence no rights check per row); the full work order is GET /work-orders/{id}.
      items: items.map((r) => toWorkOrderSummary(r, assignees.get(r.id) ?? [])),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.priorityRank, last.dueKey, last.number]) : null,
    };
  }

  /** Active technicians and engineers of the territory with their sites, for assignment. */
  async assignable(ctx: ActorContext, query: z.output<typeof AssignableQuery>) {
    // The biomedical team assigns work; care staff have no use for the list of its people.
    const team = sitesWithRole(ctx.principal, ['technician', 'engineer', 'site_manager']);
    if (team !== null && team.length === 0) throw forbidden('Réservé à l’équipe biomédicale.');
    const rows = await assignableGrants(this.deps.db, ctx.principal.territoryId, query.q ? foldSearch(query.q) : undefined);
    const byUser = new Map<string, { id: string; fullName: string; sites: { id: string; shortCode: string; role: 'technician' | 'engineer' }[] }>();
    for (const r of rows) {
      const entry = byUser.get(r.id) ?? { id: r.id, fullName: r.fullName, sites: [] };
      entry.sites.push({ id: r.siteId, shortCode: r.shortCode, role: r.role as 'technician' | 'engineer' });
      byUser.set(r.id, entry);
    }
    return { items: [...byUser.values()].sort((a, b) => a.fullName.localeCompare(b.fullName, 'fr')) };
  }
}
