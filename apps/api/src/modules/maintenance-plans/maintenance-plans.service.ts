import type { Kysely } from 'kysely';
import type { z } from 'zod';
import {
  EVERY_MESSAGE, LEVEL_WITHOUT_SKILL_MESSAGE, encodeCursor, type MaintenancePlan, type MaintenancePlanCreate, type MaintenancePlanListQuery, type MaintenancePlanUpdate, type MeterReading,
  type DeviceMaintenanceSchedule, type MeterReadingCreate, type MeterReadingListQuery, type PlanCoverage, type PlanDevice, type PlanDeviceListQuery, type PlanOptOut,
} from '@gmao/contracts';
import { findChecklistTemplate, lockTerritorySchedule, planDevices, refreshPairs, reschedulePending, type DB } from '@gmao/db';
import { EM_THRESHOLD, can, everyFitsUnit, unitFitsTrigger, type PmBase, type PmPerformer, type PmTrigger, type PmUnit, type PmWorkOrderType, type SkillLevel, DEFAULT_REQUIRED_LEVEL } from '@gmao/domain';
import type { Queues } from '@gmao/queue';
import { audit, type ActorContext } from '../../lib/context.js';
import { badRequest, conflict, forbidden, notFound, unprocessable, versionMismatch } from '../../lib/problem.js';
import {
  endOptOut, findCategory, findDeviceSite, findSkill, findModel, findPlan, findPlanForUpdate, insertMeterReading, insertOptOut, insertPlan, listPlans,
  meterReadings, optOutById, planCoversDevice, uncoveredDevices, updatePlan, currentOptOuts, deviceSchedule, type PlanRow,
} from './maintenance-plans.repository.js';

export function toPlan(r: PlanRow): MaintenancePlan {
  return {
    id: r.id, name: r.name, equipmentId: r.equipmentId, modelId: r.modelId, categoryId: r.categoryId,
    workOrderType: r.workOrderType as PmWorkOrderType, trigger: r.trigger as PmTrigger, every: r.every, unit: r.unit as PmUnit, base: r.base as PmBase,
    anchorDate: r.anchorDate, toleranceDaysBefore: r.toleranceDaysBefore, toleranceDaysAfter: r.toleranceDaysAfter, leadTimeDays: r.leadTimeDays,
    checklistTemplate: r.checklistTemplate, estimatedMinutes: r.estimatedMinutes, requiredSkillId: r.requiredSkillId,
    requiredLevel: r.requiredLevel as SkillLevel | null, requiredSkillCode: r.requiredSkillCode, requiredSkillName: r.requiredSkillName,
    regulatory: r.regulatory, performedBy: r.performedBy as PmPerformer, active: r.active, deviceCount: r.deviceCount,
    version: r.version, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * The required skill and level after a PATCH: removing the skill removes its level; a skill
 * without a level keeps the plan's level, else confirmed; a level alone needs the plan's skill.
 */
function requiredSkillChange(before: PlanRow, input: z.output<typeof MaintenancePlanUpdate>): { requiredSkillId?: string | null; requiredLevel?: string | null } {
  if (input.requiredSkillId === undefined && input.requiredLevel === undefined) return {};
  const skillId = input.requiredSkillId === undefined ? before.requiredSkillId : input.requiredSkillId;
  if (skillId === null) {
    if (input.requiredLevel != null) {
      throw badRequest('Niveau requis sans compétence.', [{ path: 'body.requiredLevel', message: LEVEL_WITHOUT_SKILL_MESSAGE }], 'validation_failed');
    }
    return { requiredSkillId: null, requiredLevel: null };
  }
  const level = input.requiredLevel === undefined ? (before.requiredLevel ?? DEFAULT_REQUIRED_LEVEL) : (input.requiredLevel ?? DEFAULT_REQUIRED_LEVEL);
  return { requiredSkillId: skillId, requiredLevel: level };
}

const DENIED_DEVICE = "Seuls l'ingénieur et le responsable du site de l'équipement planifient sa maintenance.";
const DENIED_TERRITORY = 'Seuls les ingénieurs biomédicaux (et l’administrateur du territoire) planifient la maintenance d’un modèle ou d’une catégorie, qui vaut pour tous les sites.';

/**
 * Maintenance plans (issue 13): rights (maintenance.plan for a device's plan, on its site;
 * maintenance.plan.territory for a model's or category's), validation against the
 * territory's data, and the schedule kept in the same transaction (packages/db/src/pm).
 */
export class MaintenancePlansService {
  constructor(private readonly deps: { db: Kysely<DB>; queues: Queues }) {}

  async list(ctx: ActorContext, q: z.output<typeof MaintenancePlanListQuery>) {
    const rows = await listPlans(this.deps.db, {
      territoryId: ctx.principal.territoryId, equipmentId: q.equipmentId, modelId: q.modelId, categoryId: q.categoryId,
      workOrderType: q.workOrderType, includeInactive: q.includeInactive, after: q.cursor, limit: q.limit,
    });
    const items = rows.slice(0, q.limit).map(toPlan);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.name, last.id]) : null };
  }

  async get(ctx: ActorContext, id: string): Promise<MaintenancePlan> {
    const row = await findPlan(this.deps.db, ctx.principal.territoryId, id);
    if (!row) throw notFound('Plan de maintenance');
    return toPlan(row);
  }

  /** Whether the actor may plan for this scope: 403 otherwise; 400 naming the field when the target is unknown. */
  private async checkScope(trx: Kysely<DB>, ctx: ActorContext, scope: { equipmentId: string | null; modelId: string | null; categoryId: string | null }) {
    const territoryId = ctx.principal.territoryId;
    if (scope.equipmentId) {
      const device = await findDeviceSite(trx, territoryId, scope.equipmentId);
      if (!device) throw badRequest('Équipement inconnu.', [{ path: 'body.equipmentId', message: 'équipement inconnu' }]);
      if (!can(ctx.principal, 'maintenance.plan', { territoryId, siteId: device.siteId })) throw forbidden(DENIED_DEVICE);
      return;
    }
    if (scope.modelId && !(await findModel(trx, territoryId, scope.modelId))) {
      throw badRequest('Modèle inconnu.', [{ path: 'body.modelId', message: 'modèle inconnu' }]);
    }
    if (scope.categoryId && !(await findCategory(trx, territoryId, scope.categoryId))) {
      throw badRequest('Catégorie inconnue.', [{ path: 'body.categoryId', message: 'catégorie inconnue' }]);
    }
    if (!can(ctx.principal, 'maintenance.plan.territory', { territoryId })) throw forbidden(DENIED_TERRITORY);
  }

  private async checkTemplate(trx: Kysely<DB>, territoryId: string, code: string | null | undefined) {
    if (code && !(await findChecklistTemplate(trx, territoryId, code))) {
      throw badRequest('Modèle de points de contrôle inconnu.', [{ path: 'body.checklistTemplate', message: `modèle inconnu : ${code}` }]);
    }
  }

  /** A plan's required skill: a skill of the territory (422 skill_not_found), active (422 skill_retired). */
  private async checkSkill(trx: Kysely<DB>, territoryId: string, skillId: string | null | undefined) {
    if (!skillId) return;
    const skill = await findSkill(trx, territoryId, skillId);
    const errors = (message: string) => [{ path: 'body.requiredSkillId', message }];
    if (!skill) throw unprocessable('Compétence inconnue dans ce territoire.', 'skill_not_found', errors('compétence inconnue'));
    if (!skill.active) {
      throw unprocessable('Cette compétence est retirée du référentiel : un plan ne la requiert plus.', 'skill_retired', errors('compétence retirée'));
    }
  }

  async create(ctx: ActorContext, input: z.output<typeof MaintenancePlanCreate>): Promise<MaintenancePlan> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const scope = { equipmentId: input.equipmentId ?? null, modelId: input.modelId ?? null, categoryId: input.categoryId ?? null };
      await this.checkScope(trx, ctx, scope);
      await this.checkTemplate(trx, territoryId, input.checklistTemplate);
      await this.checkSkill(trx, territoryId, input.requiredSkillId);
      const { equipmentId: _e, modelId: _m, categoryId: _c, ...fields } = input;
      // A skill without a level asks for confirmed (autonomous); the contract refuses a level without a skill.
      const requiredLevel = input.requiredSkillId === null ? null : (input.requiredLevel ?? DEFAULT_REQUIRED_LEVEL);
      const id = await insertPlan(trx, { territoryId, ...scope, ...fields, requiredLevel, createdBy: ctx.principal.userId });
      await refreshPairs(trx, { territoryId, planIds: [id] });
      const created = toPlan((await findPlan(trx, territoryId, id))!);
      await audit(trx, ctx, 'maintenance_plan.create', 'maintenance_plan', id, null, created);
      return created;
    });
  }

  /** A change reschedules the plan's pairs whose next occurrence has no work order yet; a new work-order type re-ranks the plans of its devices. */
  async update(ctx: ActorContext, id: string, version: number, input: z.output<typeof MaintenancePlanUpdate>): Promise<MaintenancePlan> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      // Before anything: a run of the generator in progress finishes first (and the next sees this change).
      await lockTerritorySchedule(trx, territoryId);
      const before = await findPlanForUpdate(trx, territoryId, id);
      if (!before) throw notFound('Plan de maintenance');
      await this.checkScope(trx, ctx, before);
      if (before.version !== version) throw versionMismatch(before.version);
      if (!before.active) throw conflict('Ce plan est désactivé : créez-en un nouveau.', 'plan_inactive');
      const trigger = input.trigger ?? (before.trigger as PmTrigger);
      const unit = input.unit ?? (before.unit as PmUnit);
      if (!unitFitsTrigger(trigger, unit)) {
        throw badRequest('Unité incompatible avec le déclencheur.', [{ path: 'body.unit', message: 'unité incompatible avec le déclencheur (calendaire : jours…années ; compteur : heures, cycles)' }]);
      }
      if (!everyFitsUnit(input.every ?? before.every, unit)) {
        throw badRequest('Périodicité trop longue.', [{ path: input.every !== undefined ? 'body.every' : 'body.unit', message: EVERY_MESSAGE }]);
      }
      await this.checkTemplate(trx, territoryId, input.checklistTemplate);
      // The plan's own skill, retired since, may stay (a form sends every field back).
      if (input.requiredSkillId !== before.requiredSkillId) await this.checkSkill(trx, territoryId, input.requiredSkillId);
      await updatePlan(trx, id, { ...input, ...requiredSkillChange(before, input) }, ctx.principal.userId);
      if (input.workOrderType !== undefined && input.workOrderType !== before.workOrderType) await refreshPairs(trx, { territoryId, planIds: [id] });
      await reschedulePending(trx, { planIds: [id], previousEvery: before.every });
      const after = toPlan((await findPlan(trx, territoryId, id))!);
      await audit(trx, ctx, 'maintenance_plan.update', 'maintenance_plan', id, toPlan(before), after);
      return after;
    });
  }

  /** DELETE: the plan is deactivated (kept with its history and work orders); its devices fall back to the next most specific plan. */
  async deactivate(ctx: ActorContext, id: string): Promise<void> {
    const territoryId = ctx.principal.territoryId;
    await this.deps.db.transaction().execute(async (trx) => {
      await lockTerritorySchedule(trx, territoryId);
      const before = await findPlanForUpdate(trx, territoryId, id);
      if (!before) throw notFound('Plan de maintenance');
      await this.checkScope(trx, ctx, before);
      if (!before.active) return;
      await updatePlan(trx, id, { active: false }, ctx.principal.userId);
      await refreshPairs(trx, { territoryId, planIds: [id] });
      await audit(trx, ctx, 'maintenance_plan.deactivate', 'maintenance_plan', id, { active: true }, { active: false });
    });
  }

  async devices(ctx: ActorContext, id: string, q: z.output<typeof PlanDeviceListQuery>) {
    await this.get(ctx, id);
    const rows = await planDevices(this.deps.db, id, { limit: q.limit, after: q.cursor ? { inventoryNumber: q.cursor[0], id: q.cursor[1] } : undefined });
    const items: PlanDevice[] = rows.slice(0, q.limit).map((r) => ({
      equipment: { id: r.id, inventoryNumber: r.inventoryNumber, status: r.status }, site: { id: r.siteId, name: r.siteName },
      nextDueDate: r.dueDate, nextDueValue: r.dueValue, lastDueDate: r.lastDueDate, lastCompletedOn: r.lastCompletedOn,
      workOrder: r.workOrderId && r.workOrderNumber && r.workOrderState ? { id: r.workOrderId, number: r.workOrderNumber, state: r.workOrderState } : null,
    }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.equipment.inventoryNumber, last.equipment.id]) : null };
  }

  async coverage(ctx: ActorContext, siteId?: string): Promise<PlanCoverage> {
    const r = await uncoveredDevices(this.deps.db, ctx.principal.territoryId, siteId);
    const sites = new Map<string, PlanCoverage['sites'][number]>();
    for (const row of r.rows) {
      let s = sites.get(row.siteId);
      if (!s) sites.set(row.siteId, (s = { site: { id: row.siteId, name: row.siteName }, uncovered: 0, devices: [] }));
      s.uncovered++;
      s.devices.push({ id: row.id, inventoryNumber: row.inventoryNumber, emScore: row.emScore, label: row.label, modelId: row.modelId });
    }
    return { threshold: EM_THRESHOLD, sites: [...sites.values()] };
  }

  private async deviceFor(trx: Kysely<DB>, ctx: ActorContext, equipmentId: string, action: 'maintenance.plan' | 'inventory.write' | 'inventory.read') {
    const device = await findDeviceSite(trx, ctx.principal.territoryId, equipmentId);
    if (!device) throw notFound('Équipement');
    if (!can(ctx.principal, action, { territoryId: ctx.principal.territoryId, siteId: device.siteId })) {
      throw forbidden(action === 'maintenance.plan' ? DENIED_DEVICE : "Seule l'équipe biomédicale du site relève les compteurs de ses équipements.");
    }
    return device;
  }

  /** GET /equipment/{id}/maintenance-schedule: whoever may read the device sees the plans that apply to it and its current opt-outs. */
  async deviceSchedule(ctx: ActorContext, equipmentId: string): Promise<DeviceMaintenanceSchedule> {
    await this.deviceFor(this.deps.db, ctx, equipmentId, 'inventory.read');
    const [rows, optOuts] = await Promise.all([deviceSchedule(this.deps.db, equipmentId), currentOptOuts(this.deps.db, equipmentId)]);
    return {
      items: rows.map((r) => ({
        plan: {
          id: r.planId, name: r.name, workOrderType: r.workOrderType as PmWorkOrderType, regulatory: r.regulatory, performedBy: r.performedBy as PmPerformer,
          trigger: r.trigger as PmTrigger, every: r.every, unit: r.unit as PmUnit,
        },
        nextDueDate: r.dueDate, nextDueValue: r.dueValue, lastCompletedOn: r.lastCompletedOn,
        workOrder: r.workOrderId && r.workOrderNumber && r.workOrderState ? { id: r.workOrderId, number: r.workOrderNumber, state: r.workOrderState } : null,
      })),
      optOuts: optOuts.map((o) => ({
        id: o.id, planId: o.planId, planName: o.planName, equipmentId: o.equipmentId, reason: o.reason, createdBy: { id: o.createdBy, fullName: o.fullName },
        createdAt: o.createdAt.toISOString(), endedAt: o.endedAt?.toISOString() ?? null,
      })),
    };
  }

  /** POST /equipment/{id}/plan-opt-outs/{planId}: the device leaves the plan (with the reason); the next most specific plan applies. */
  async optOut(ctx: ActorContext, equipmentId: string, planId: string, reason: string): Promise<PlanOptOut> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      await lockTerritorySchedule(trx, territoryId);
      await this.deviceFor(trx, ctx, equipmentId, 'maintenance.plan');
      if (!(await findPlan(trx, territoryId, planId))) throw notFound('Plan de maintenance');
      if (!(await planCoversDevice(trx, planId, equipmentId))) {
        throw conflict('Ce plan ne s’applique pas à cet équipement (ou il est désactivé) : il n’y a rien à exclure.', 'plan_not_applicable');
      }
      const id = await insertOptOut(trx, { planId, equipmentId, reason, createdBy: ctx.principal.userId });
      if (!id) throw conflict('Cet équipement est déjà exclu de ce plan.', 'already_opted_out');
      await refreshPairs(trx, { territoryId, equipmentIds: [equipmentId] });
      const row = await optOutById(trx, id);
      await audit(trx, ctx, 'maintenance_plan.opt_out', 'equipment', equipmentId, null, { planId, reason });
      return {
        id: row.id, planId: row.planId, equipmentId: row.equipmentId, reason: row.reason, createdBy: { id: row.createdBy, fullName: row.fullName },
        createdAt: row.createdAt.toISOString(), endedAt: row.endedAt?.toISOString() ?? null,
      };
    });
  }

  /** DELETE /equipment/{id}/plan-opt-outs/{planId}: the device is back in the plan (the opt-out's row stays, ended). */
  async endOptOut(ctx: ActorContext, equipmentId: string, planId: string): Promise<void> {
    const territoryId = ctx.principal.territoryId;
    await this.deps.db.transaction().execute(async (trx) => {
      await lockTerritorySchedule(trx, territoryId);
      await this.deviceFor(trx, ctx, equipmentId, 'maintenance.plan');
      if (!(await endOptOut(trx, planId, equipmentId, ctx.principal.userId))) throw notFound('Exclusion du plan');
      await refreshPairs(trx, { territoryId, equipmentIds: [equipmentId] });
      await audit(trx, ctx, 'maintenance_plan.opt_in', 'equipment', equipmentId, { planId }, null);
    });
  }

  async readings(ctx: ActorContext, equipmentId: string, q: z.output<typeof MeterReadingListQuery>) {
    await this.deviceFor(this.deps.db, ctx, equipmentId, 'inventory.read');
    const rows = await meterReadings(this.deps.db, equipmentId, { unit: q.unit, after: q.cursor, limit: q.limit });
    const page = rows.slice(0, q.limit);
    const items: MeterReading[] = page.map(toReading);
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.readKey, last.id]) : null };
  }

  /** A reading: its device's meter plans get their estimated due date again. */
  async addReading(ctx: ActorContext, equipmentId: string, input: z.output<typeof MeterReadingCreate>): Promise<MeterReading> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      await lockTerritorySchedule(trx, territoryId);
      await this.deviceFor(trx, ctx, equipmentId, 'inventory.write');
      const readAt = input.readAt ? new Date(input.readAt) : new Date();
      if (readAt.getTime() > Date.now() + 5 * 60_000) throw badRequest('Relevé dans le futur.', [{ path: 'body.readAt', message: 'date de relevé dans le futur' }]);
      const id = await insertMeterReading(trx, { territoryId, equipmentId, unit: input.unit, value: input.value, readAt, recordedBy: ctx.principal.userId });
      await reschedulePending(trx, { equipmentIds: [equipmentId] });
      const row = (await meterReadings(trx, equipmentId, { limit: 200 })).find((r) => r.id === id)!;
      await audit(trx, ctx, 'equipment.meter_reading', 'equipment', equipmentId, null, { unit: input.unit, value: input.value, readAt: readAt.toISOString() });
      return toReading(row);
    });
  }

  /** POST /pm/generate: a run now (the site's, or the territory's); 202 with the job to follow at GET /jobs/{jobId}. */
  async generate(ctx: ActorContext, siteId: string | undefined): Promise<{ jobId: string }> {
    const territoryId = ctx.principal.territoryId;
    if (siteId) {
      if (!can(ctx.principal, 'maintenance.plan', { territoryId, siteId })) throw forbidden('Seuls l’ingénieur et le responsable du site lancent la génération de ses bons préventifs.');
    } else if (!can(ctx.principal, 'maintenance.plan.territory', { territoryId })) {
      throw forbidden('Seuls les ingénieurs biomédicaux lancent la génération pour tout le territoire ; indiquez un site (siteId).');
    }
    const jobId = await this.deps.queues.enqueue('pm-generate', siteId ? { territoryId, siteId } : { territoryId });
    await audit(this.deps.db, ctx, 'pm.generate', 'territory', territoryId, null, { siteId: siteId ?? null, jobId });
    return { jobId };
  }
}

function toReading(r: { id: number; unit: string; value: number; readAt: Date; recordedBy: string; fullName: string; recordedAt: Date }): MeterReading {
  return {
    id: r.id, unit: r.unit as MeterReading['unit'], value: r.value, readAt: r.readAt.toISOString(),
    recordedBy: { id: r.recordedBy, fullName: r.fullName }, recordedAt: r.recordedAt.toISOString(),
  };
}
