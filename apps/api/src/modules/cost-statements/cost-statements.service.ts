import type { z } from 'zod';
import {
  encodeCursor, type CostStatement, type CostStatementMonths, type LedgerLine, type LedgerLinesQuery, type SiteBalance, type SiteBalanceQuery,
  type StatementApprovalInput,
} from '@gmao/contracts';
import { can, isTerritoryAdmin, sitesWithRole, type Principal } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { parisDay } from '../../lib/french.js';
import { badRequest, conflict, forbidden, notFound } from '../../lib/problem.js';
import * as repo from './cost-statements.repository.js';
import { addMonths, firstDay, nextMonthFirstDay, siteTotals, sitePairs, toLedgerLine } from './statement-view.js';

const DENIED = 'Les relevés de répartition des coûts sont réservés aux ingénieurs, aux responsables de site et à l’administrateur du territoire.';
const LINES_DENIED = 'Vous ne voyez le détail que des lignes de vos sites : les totaux des autres sites restent visibles dans le relevé.';
/** The longest balance a site's home page asks for (months). */
export const BALANCE_MAX_MONTHS = 60;
/** Lines read per query when an export reads them all. */
const EXPORT_PAGE = 5000;

/** The sites whose lines the caller may read in detail: null for every site (engineers and the territory admin). */
export function detailSiteIds(p: Principal): string[] | null {
  if (isTerritoryAdmin(p) || p.grants.some((g) => g.role === 'engineer')) return null;
  return sitesWithRole(p, ['site_manager']) ?? null;
}

/** The month has ended in Paris: it may be approved. */
export function monthEnded(month: string, today = parisDay()): boolean {
  return nextMonthFirstDay(month) <= today;
}

export interface StatementExport {
  statement: CostStatement;
  sites: repo.SiteRow[];
  lines: LedgerLine[];
}

/**
 * The monthly statements of the inter-site ledger (issue 15, ADR 0023): every reader sees
 * every site's totals and pairs; the lines only of the sites they manage, unless engineer or
 * territory admin. Each site's manager approves the month once it has ended; the last
 * approval closes it in the same transaction.
 */
export class CostStatementsService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  private reader(p: Principal) {
    if (!can(p, 'cost.statement.read', { territoryId: p.territoryId })) throw forbidden(DENIED);
  }

  async months(ctx: ActorContext): Promise<CostStatementMonths> {
    this.reader(ctx.principal);
    const territoryId = ctx.principal.territoryId;
    const [rows, sites] = await Promise.all([repo.statementMonths(this.deps.db, territoryId), repo.territorySites(this.deps.db, territoryId)]);
    return {
      items: rows.map((r) => ({ month: r.month, state: r.closedAt ? 'closed' : 'open', totalCents: r.totalCents, approvals: r.approvals, sites: sites.length })),
    };
  }

  async statement(ctx: ActorContext, month: string): Promise<CostStatement> {
    this.reader(ctx.principal);
    return this.build(ctx.principal, month);
  }

  private async build(p: Principal, month: string): Promise<CostStatement> {
    const db = this.deps.db;
    const day = firstDay(month);
    const [sites, period, approvals, flows] = await Promise.all([
      repo.territorySites(db, p.territoryId), repo.findPeriod(db, p.territoryId, day),
      repo.periodApprovals(db, p.territoryId, day), repo.monthFlows(db, p.territoryId, day),
    ]);
    const closedAt = period?.closedAt ?? null;
    const totals = siteTotals(sites, flows, approvals);
    return {
      month,
      state: closedAt ? 'closed' : 'open',
      closedAt: closedAt ? closedAt.toISOString() : null,
      awaitingSiteIds: closedAt ? [] : totals.filter((s) => s.approval === null).map((s) => s.siteId),
      approvable: !closedAt && monthEnded(month),
      totalCents: flows.reduce((a, f) => a + f.amountCents, 0),
      sites: totals,
      pairs: sitePairs(sites, flows),
      detailSiteIds: detailSiteIds(p),
    };
  }

  /** The site filters must be sites of the territory (404); a site manager asking for another site's lines: 403. */
  private async lineScope(p: Principal, q: { siteId?: string; counterpartSiteId?: string }) {
    const sites = await repo.territorySites(this.deps.db, p.territoryId);
    for (const id of [q.siteId, q.counterpartSiteId]) if (id && !sites.some((s) => s.id === id)) throw notFound('Site');
    const visible = detailSiteIds(p);
    if (visible !== null) {
      if (q.siteId && !visible.includes(q.siteId)) throw forbidden(LINES_DENIED);
      if (visible.length === 0) throw forbidden(LINES_DENIED);
    }
    return { sites, visible };
  }

  async lines(ctx: ActorContext, month: string, q: z.output<typeof LedgerLinesQuery>) {
    this.reader(ctx.principal);
    const { visible } = await this.lineScope(ctx.principal, q);
    const rows = await repo.ledgerLines(this.deps.db, {
      territoryId: ctx.principal.territoryId, month: firstDay(month), visibleSiteIds: visible, siteId: q.siteId,
      counterpartSiteId: q.counterpartSiteId, kind: q.kind, afterId: q.cursor?.[0], limit: q.limit + 1,
    });
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return { items: items.map(toLedgerLine), nextCursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null };
  }

  /** The statement and every line the caller may read (the exports). */
  async exportData(ctx: ActorContext, month: string): Promise<StatementExport> {
    this.reader(ctx.principal);
    const p = ctx.principal;
    const statement = await this.build(p, month);
    const sites = await repo.territorySites(this.deps.db, p.territoryId);
    const visible = statement.detailSiteIds;
    const lines: LedgerLine[] = [];
    if (visible === null || visible.length > 0) {
      let afterId: number | undefined;
      for (;;) {
        const rows = await repo.ledgerLines(this.deps.db, { territoryId: p.territoryId, month: firstDay(month), visibleSiteIds: visible, afterId, limit: EXPORT_PAGE });
        lines.push(...rows.map(toLedgerLine));
        if (rows.length < EXPORT_PAGE) break;
        afterId = rows.at(-1)!.id;
      }
    }
    return { statement, sites, lines };
  }

  async approve(ctx: ActorContext, month: string, input: z.output<typeof StatementApprovalInput>): Promise<CostStatement> {
    const p = ctx.principal;
    const sites = await repo.territorySites(this.deps.db, p.territoryId);
    if (!sites.some((s) => s.id === input.siteId)) throw notFound('Site');
    if (!can(p, 'cost.statement.approve', { territoryId: p.territoryId, siteId: input.siteId })) {
      throw forbidden('Seul le responsable du site approuve son relevé mensuel.');
    }
    const day = firstDay(month);
    // A month before the ledger's first month holds nothing to approve, and opening it would
    // make every posting run reread the history from there (ADR 0023): refused.
    const first = (await repo.firstPeriodMonth(this.deps.db, p.territoryId)) ?? firstDay(addMonths(parisDay().slice(0, 7), -1));
    if (day < first) {
      throw conflict(`Aucune répartition n’est tenue avant ${first.slice(0, 7)} : le mois ${month} n’a rien à approuver.`, 'period_before_ledger');
    }
    await this.deps.db.transaction().execute(async (trx) => {
      const period = await repo.lockPeriod(trx, p.territoryId, day);
      if (period.closedAt) throw conflict(`Le mois ${month} est clos : chaque site l’a approuvé.`, 'period_closed');
      if (!monthEnded(month)) throw conflict(`Le mois ${month} n’est pas terminé : il s’approuve à partir du 1er du mois suivant.`, 'period_not_ended');
      const approvals = await repo.periodApprovals(trx, p.territoryId, day);
      if (approvals.some((a) => a.siteId === input.siteId)) throw conflict(`Ce site a déjà approuvé le relevé de ${month}.`, 'already_approved');
      const row = await repo.insertApproval(trx, { territoryId: p.territoryId, month: day, siteId: input.siteId, approvedBy: p.userId, note: input.note });
      const approved = new Set([...approvals.map((a) => a.siteId), input.siteId]);
      const closedAt = sites.every((s) => approved.has(s.id)) ? await repo.closePeriod(trx, p.territoryId, day) : null;
      await audit(trx, ctx, 'cost.statement.approve', 'cost_period', `${p.territoryId}:${month}`, null, {
        month, siteId: input.siteId, note: input.note, approvedAt: row.approvedAt, closedAt,
      });
    });
    return this.build(p, month);
  }

  async balance(ctx: ActorContext, q: z.output<typeof SiteBalanceQuery>): Promise<SiteBalance> {
    this.reader(ctx.principal);
    const territoryId = ctx.principal.territoryId;
    if (q.from > q.to) throw badRequest('Période invalide : « from » après « to ».', [{ path: 'querystring.to', message: 'mois de fin avant le mois de début' }]);
    if (addMonths(q.from, BALANCE_MAX_MONTHS - 1) < q.to) {
      throw badRequest(`Période trop longue : ${BALANCE_MAX_MONTHS} mois au plus.`, [{ path: 'querystring.to', message: `${BALANCE_MAX_MONTHS} mois au plus` }]);
    }
    const sites = await repo.territorySites(this.deps.db, territoryId);
    if (!sites.some((s) => s.id === q.siteId)) throw notFound('Site');
    const rows = await repo.siteBalance(this.deps.db, { territoryId, siteId: q.siteId, from: firstDay(q.from), to: firstDay(q.to) });
    const months: SiteBalance['months'] = [];
    for (let m = q.from; m <= q.to; m = addMonths(m, 1)) {
      const of = rows.filter((r) => r.month === m);
      const gave = of.reduce((a, r) => a + r.gaveCents, 0);
      const received = of.reduce((a, r) => a + r.receivedCents, 0);
      months.push({ month: m, gaveCents: gave, receivedCents: received, netCents: gave - received });
    }
    const counterparts = sites.filter((s) => s.id !== q.siteId).flatMap((s) => {
      const of = rows.filter((r) => r.counterpartSiteId === s.id);
      if (of.length === 0) return [];
      const gave = of.reduce((a, r) => a + r.gaveCents, 0);
      const received = of.reduce((a, r) => a + r.receivedCents, 0);
      return [{ siteId: s.id, siteName: s.name, gaveCents: gave, receivedCents: received, netCents: gave - received }];
    });
    return { siteId: q.siteId, months, counterparts };
  }
}
