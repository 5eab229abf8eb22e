import type { Kysely } from 'kysely';
import type { CostStatement, Kpis } from '@gmao/contracts';
import { pmOverdueRegulatory, type DB, type PmOverdueRegulatoryRow } from '@gmao/db';
import { can } from '@gmao/domain';
import type { ActorContext } from '../../lib/context.js';
import { parisDay, type Locale } from '../../lib/french.js';
import { badRequest, forbidden } from '../../lib/problem.js';
import type { CostStatementsService } from '../cost-statements/cost-statements.service.js';
import { addMonths, firstDay, lastDay, nextMonthFirstDay } from '../cost-statements/statement-view.js';
import type { KpisService } from './kpis.service.js';
import * as repo from './steering-report.repository.js';
import { steeringReportPdf } from './steering-report.js';

/** Months of trend in the report, the month itself included. */
export const TREND_MONTHS = 12;
/** Rows of each list of events. */
const EVENTS_LIMIT = 10;

export interface SteeringReportData {
  territoryName: string;
  month: string;
  /** The indicators of each month of the trend, oldest first; the last is the report's month. */
  trend: { month: string; kpis: Kpis }[];
  statement: CostStatement;
  events: {
    workOrders: repo.WorkOrderCounts;
    decommissionedCount: number;
    decommissioned: repo.DecommissionedRow[];
    downtimes: repo.DowntimeRow[];
    /** Regulatory planned work due before the month's end and still not done (today). */
    overdueRegulatory: PmOverdueRegulatoryRow[];
    overdueRegulatoryMore: boolean;
  };
  generatedAt: Date;
}

/**
 * The monthly steering report (issue 15): the six indicators per site and for the territory
 * with twelve months of trend — computed by the KPI service, month by month, from the
 * rollups (ADR 0022) —, the month's cost allocation (the statements' service, ADR 0023) and
 * the main events. Read by engineers, site managers and the territory admin (the readers of
 * the statements); technicians and care staff get 403.
 */
export class SteeringReportService {
  constructor(private readonly deps: { db: Kysely<DB>; kpis: Pick<KpisService, 'kpis'>; statements: Pick<CostStatementsService, 'statement'> }) {}

  async data(ctx: ActorContext, month: string): Promise<SteeringReportData> {
    const p = ctx.principal;
    if (!can(p, 'cost.statement.read', { territoryId: p.territoryId })) {
      throw forbidden('Le rapport de pilotage est réservé aux ingénieurs, aux responsables de site et à l’administrateur du territoire.');
    }
    const today = parisDay();
    if (firstDay(month) > today) {
      throw badRequest('Ce mois n’a pas commencé.', [{ path: 'querystring.month', message: 'mois à venir' }]);
    }
    const trend: SteeringReportData['trend'] = [];
    // One month at a time: each answer is a handful of sums over the monthly rollups.
    for (let i = TREND_MONTHS - 1; i >= 0; i--) {
      const m = addMonths(month, -i);
      trend.push({ month: m, kpis: await this.deps.kpis.kpis(ctx, { from: firstDay(m), to: lastDay(m) }) });
    }
    const scope = { territoryId: p.territoryId, from: firstDay(month), to: lastDay(month) };
    const end = nextMonthFirstDay(month) < today ? nextMonthFirstDay(month) : today;
    const db = this.deps.db;
    const [statement, territoryName, workOrders, decommissionedCount, decommissioned, downtimes, overdue] = await Promise.all([
      this.deps.statements.statement(ctx, month),
      repo.territoryName(db, p.territoryId),
      repo.workOrderCounts(db, scope),
      repo.decommissionedCount(db, scope),
      repo.decommissionedInMonth(db, scope, EVENTS_LIMIT),
      repo.longestDowntimes(db, scope, EVENTS_LIMIT),
      pmOverdueRegulatory(db, { territoryId: p.territoryId, today: end, limit: EVENTS_LIMIT + 1 }),
    ]);
    return {
      territoryName, month, trend, statement,
      events: {
        workOrders, decommissionedCount, decommissioned, downtimes,
        overdueRegulatory: overdue.slice(0, EVENTS_LIMIT), overdueRegulatoryMore: overdue.length > EVENTS_LIMIT,
      },
      generatedAt: new Date(),
    };
  }

  async pdf(ctx: ActorContext, month: string, locale: Locale): Promise<Uint8Array> {
    return steeringReportPdf(await this.data(ctx, month), locale);
  }
}
