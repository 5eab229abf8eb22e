import { CertificateList, WorkOrderCandidates } from '@gmao/contracts';
import { request } from './client.ts';

/**
 * The competency map's answers that other pages show (issue 14): the ranked candidates of a
 * work order's assignment panel, and the expiring certificates of the home page's notice. Apart
 * from endpoints.ts so that the home page's notice loads only this (and its two contracts).
 * The reasons come in the UI language: the client sends it as Accept-Language.
 */
export const candidatesApi = {
  /** The technicians and engineers of the territory ranked for the work order, best first. */
  forWorkOrder: (workOrderId: string, limit?: number) =>
    request(`/work-orders/${encodeURIComponent(workOrderId)}/candidates`, WorkOrderCandidates, { query: { limit } }),
};

export const certificatesApi = {
  /** Validated skills' certificates expired or expiring within `withinDays` (default 90), soonest first. */
  expiring: (withinDays = 90) => request('/competency/certificates', CertificateList, { query: { withinDays } }),
};
