import {
  DeviceMaintenanceSchedule,
  JobAccepted,
  JobStatus,
  MaintenancePlan,
  MeterReading,
  PlanCoverage,
  PlanDevice,
  PlanOptOut,
  SkillList,
  page,
  type MaintenancePlanCreate,
  type MaintenancePlanUpdate,
} from '@gmao/contracts';
import type { PmMeterUnit, PmWorkOrderType } from '@gmao/domain';
import type { z } from 'zod';
import { request, requestNoContent } from './client.ts';

/** Preventive maintenance (issue 13): plans, their devices, coverage, a device's schedule, opt-outs, meter readings, runs of the generator. */

const enc = encodeURIComponent;

const PlanPage = page(MaintenancePlan);
const PlanDevicePage = page(PlanDevice);
const ReadingPage = page(MeterReading);

export type PlanPage = z.infer<typeof PlanPage>;
export type PlanDevicePage = z.infer<typeof PlanDevicePage>;

export interface PlanListParams {
  workOrderType?: PmWorkOrderType;
  includeInactive?: boolean;
  equipmentId?: string;
  modelId?: string;
  categoryId?: string;
  cursor?: string | null;
  limit?: number;
}

export const plansApi = {
  /** The competency map's catalogue, retired skills too (a plan may still require one): what a plan may require. */
  skills: () => request('/skills', SkillList, { query: { includeRetired: 'true' } }),
  /** By name; active plans unless includeInactive. */
  list: (params: PlanListParams = {}) =>
    request('/maintenance-plans', PlanPage, {
      query: { ...params, includeInactive: params.includeInactive ? 'true' : undefined, cursor: params.cursor ?? undefined },
    }),
  get: (id: string) => request(`/maintenance-plans/${enc(id)}`, MaintenancePlan),
  create: (body: MaintenancePlanCreate) => request('/maintenance-plans', MaintenancePlan, { method: 'POST', body }),
  update: (id: string, version: number, body: MaintenancePlanUpdate) =>
    request(`/maintenance-plans/${enc(id)}`, MaintenancePlan, { method: 'PATCH', body, ifMatch: version }),
  /** Deactivates the plan (kept with its history and work orders). */
  deactivate: (id: string) => requestNoContent(`/maintenance-plans/${enc(id)}`, { method: 'DELETE' }),
  /** The plan's devices with their next occurrence, by inventory number. */
  devices: (id: string, params: { cursor?: string | null; limit?: number } = {}) =>
    request(`/maintenance-plans/${enc(id)}/devices`, PlanDevicePage, { query: { cursor: params.cursor ?? undefined, limit: params.limit } }),
  /** Devices with EM ≥ 12 that no active plan covers, per site. */
  coverage: (siteId?: string) => request('/maintenance-plans/coverage', PlanCoverage, { query: { siteId } }),
  /** A run of the generator now (one site, or the territory): follow the job with `job()`. */
  generate: (siteId?: string) => request('/pm/generate', JobAccepted, { method: 'POST', body: siteId ? { siteId } : {} }),
  job: (jobId: string) => request(`/jobs/${enc(jobId)}`, JobStatus),
};

export const deviceMaintenanceApi = {
  /** The plans that apply to the device with their next occurrence, and its current opt-outs. */
  schedule: (equipmentId: string) => request(`/equipment/${enc(equipmentId)}/maintenance-schedule`, DeviceMaintenanceSchedule),
  optOut: (equipmentId: string, planId: string, reason: string) =>
    request(`/equipment/${enc(equipmentId)}/plan-opt-outs/${enc(planId)}`, PlanOptOut, { method: 'POST', body: { reason } }),
  endOptOut: (equipmentId: string, planId: string) =>
    requestNoContent(`/equipment/${enc(equipmentId)}/plan-opt-outs/${enc(planId)}`, { method: 'DELETE' }),
  readings: (equipmentId: string, params: { unit?: PmMeterUnit; cursor?: string | null; limit?: number } = {}) =>
    request(`/equipment/${enc(equipmentId)}/meter-readings`, ReadingPage, { query: { unit: params.unit, cursor: params.cursor ?? undefined, limit: params.limit } }),
  addReading: (equipmentId: string, body: { unit: PmMeterUnit; value: number; readAt?: string }) =>
    request(`/equipment/${enc(equipmentId)}/meter-readings`, MeterReading, { method: 'POST', body }),
};
