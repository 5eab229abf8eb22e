import { z } from 'zod';
import {
  CostConventionList, CostConventionVersion, CostStatement, CostStatementMonths, LedgerLinePage, MaintenanceContract, MaintenanceContractPage,
  type CostConventionInput, type LedgerKind, type MaintenanceContractInput, type StatementApprovalInput,
} from '@gmao/contracts';
import { request, requestFile } from './client.ts';

/** Cost allocation between sites (issue 15, ADR 0023): statements, approvals, exports, the convention, maintenance contracts. */

const enc = encodeURIComponent;

export type StatementFormat = 'csv' | 'xlsx' | 'pdf';

export interface LedgerLinesParams {
  siteId?: string;
  counterpartSiteId?: string;
  kind?: LedgerKind;
  limit?: number;
  cursor?: string | null;
}

export const costStatementsApi = {
  /** The months that have lines or a period, newest first. */
  months: () => request('/cost-statements', CostStatementMonths),
  get: (month: string) => request(`/cost-statements/${enc(month)}`, CostStatement),
  /** The drill-down, keyset-paged (a site manager: only lines of their own sites). */
  lines: (month: string, params: LedgerLinesParams = {}) =>
    request(`/cost-statements/${enc(month)}/lines`, LedgerLinePage, {
      query: {
        siteId: params.siteId,
        counterpartSiteId: params.counterpartSiteId,
        kind: params.kind,
        limit: params.limit,
        cursor: params.cursor ?? undefined,
      },
    }),
  /** The month's statement as a file (CSV, Excel, or the steering committee's PDF). */
  file: (month: string, format: StatementFormat) => requestFile(`/cost-statements/${enc(month)}.${format}`),
  /** The site's manager approves its statement of an ended month (409: period_not_ended, already_approved, period_closed). */
  approve: (month: string, body: StatementApprovalInput) =>
    request(`/cost-statements/${enc(month)}/approvals`, z.unknown(), { method: 'POST', body }),
};

export const costConventionsApi = {
  /** Every version, newest first, and the one in force today. */
  list: () => request('/cost-conventions', CostConventionList),
  /** A new version (territory admin): versions are never edited. */
  create: (body: CostConventionInput) => request('/cost-conventions', CostConventionVersion, { method: 'POST', body }),
};

export const maintenanceContractsApi = {
  /** By reference; active contracts only unless includeInactive (then both). */
  list: (params: { includeInactive?: boolean; siteId?: string; limit?: number; cursor?: string | null } = {}) =>
    request('/maintenance-contracts', MaintenanceContractPage, {
      query: { active: params.includeInactive ? undefined : 'true', siteId: params.siteId, limit: params.limit, cursor: params.cursor ?? undefined },
    }),
  /** One contract with its covered devices' ids (`equipmentIds`). */
  get: (id: string) => request(`/maintenance-contracts/${enc(id)}`, MaintenanceContract),
  create: (body: MaintenanceContractInput) => request('/maintenance-contracts', MaintenanceContract, { method: 'POST', body }),
  /** The whole contract again, covered devices included (If-Match: the version read; 412 when stale). */
  update: (id: string, version: number, body: MaintenanceContractInput) =>
    request(`/maintenance-contracts/${enc(id)}`, MaintenanceContract, { method: 'PUT', body, ifMatch: version }),
  /** Deactivated, never deleted: its shares are reversed by the next posting (409 contract_inactive when it is already). */
  deactivate: (id: string) => request(`/maintenance-contracts/${enc(id)}/deactivate`, MaintenanceContract, { method: 'POST', body: {} }),
};
