import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  AssigneeAdd, ChecklistItem, RestartDecisionCreate, WorkOrder, WorkOrderCreate, WorkOrderPlanners, WorkOrderTransitionRequest, WorkRequestCreate,
} from '@gmao/contracts';
import {
  assignWorkOrder, checklistOf, createWorkOrder, externalOf, moveWorkOrders, recordCompletionVerdict, restartAfterNonConformity, transitionsOf,
  type CompletionVerdict, type DB, type WorkOrderRow,
} from '@gmao/db';
import {
  historyReason, can, checkWorkOrderTransition, completionProblems, decideVerdict, externalQualityControlProblems, faultReportPriority,
  type Criticality, type HoldReason, type QualityControlKind, type WorkOrderState, type WorkOrderType,
} from '@gmao/domain';
import { audit, type ActorContext } from '../../lib/context.js';
import type { Locale } from '../../lib/french.js';
import { HttpProblem, badRequest, conflict, forbidden, unprocessable, versionMismatch } from '../../lib/problem.js';
import { findEquipment } from '../equipment/equipment.repository.js';
import { sitePlannerGrants } from './backlog.repository.js';
import { templateChecklistItems } from './checklist-items.js';
import { lockWorkOrder, requireAbility } from './work-order-access.js';
import { findOr404, loadWorkOrder, stateLabel } from './work-order-view.js';

/**
 * The life of a work order through the API: fault reports and planned work orders,
 * assignment (cross-site recorded), and the state machine of packages/domain, on the
 * shared core of packages/db (the worker creates and closes through the same code).
 */
export class WorkOrderLifecycleService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}

  /** A fault report: the priority follows the device's criticality and whether it is down. */
  async request(ctx: ActorContext, input: z.output<typeof WorkRequestCreate>): Promise<WorkOrder> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const device = await this.deviceFor(trx, ctx, input.equipmentId, 'workorder.request');
      const { id } = await createWorkOrder(trx, {
        territoryId, device, type: 'corrective', priority: faultReportPriority(device.criticality as Criticality, input.deviceOutOfService),
        symptom: input.symptom, deviceOutOfService: input.deviceOutOfService, callbackName: input.callbackName, callbackPhone: input.callbackPhone,
        dueAt: null, requestedBy: ctx.principal.userId,
      });
      const created = await loadWorkOrder(trx, ctx.principal, id);
      await audit(trx, ctx, 'work_order.request', 'work_order', id, null, created);
      return created;
    });
  }

  /**
   * A work order of any type (preventive, quality control, electrical safety, ...) by the
   * biomedical team of the device's site, optionally assigned and with a checklist template.
   */
  async create(ctx: ActorContext, input: z.output<typeof WorkOrderCreate>): Promise<WorkOrder> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const device = await this.deviceFor(trx, ctx, input.equipmentId, 'workorder.create');
      if (input.dueAt !== null && Date.parse(input.dueAt) < Date.now() - 24 * 3600_000) {
        throw badRequest("L'échéance est passée.", [{ path: 'body.dueAt', message: 'échéance dans le passé' }], 'validation_failed');
      }
      const planner = can(ctx.principal, 'maintenance.plan', { territoryId, siteId: device.siteId });
      if (input.priority !== undefined && !planner) {
        throw forbidden("Seuls l'ingénieur et le responsable du site fixent la priorité : sans elle, elle est déduite de l'équipement.");
      }
      const priority = input.priority ?? (input.type === 'corrective' ? faultReportPriority(device.criticality as Criticality, input.deviceOutOfService) : 'normal');
      const checklist = input.checklistTemplate ? await templateChecklistItems(trx, { territoryId, equipmentId: input.equipmentId, method: input.checklistMethod }, input.checklistTemplate, 'body.checklistTemplate') : [];
      const { id } = await createWorkOrder(trx, {
        territoryId, device, type: input.type, priority, symptom: input.description, deviceOutOfService: input.deviceOutOfService,
        dueAt: input.dueAt === null ? null : new Date(input.dueAt), requestedBy: ctx.principal.userId, checklist,
        qualityControlKind: input.qualityControlKind,
      });
      const wo = await findOr404(trx, ctx.principal, id);
      for (const [i, userId] of [...new Set(input.assigneeIds)].entries()) await this.addAssignee(trx, ctx, wo, userId, `body.assigneeIds.${i}`);
      const created = await loadWorkOrder(trx, ctx.principal, id);
      await audit(trx, ctx, 'work_order.create', 'work_order', id, null, created);
      return created;
    });
  }

  get(ctx: ActorContext, id: string): Promise<WorkOrder> {
    return loadWorkOrder(this.deps.db, ctx.principal, id);
  }

  /**
   * Who assigns the work order (to tell whoever cannot take it whom to ask): the site manager
   * and engineers of its site, or the territory admins when the site has none. Anyone who may
   * read the work order may read these names.
   */
  async planners(ctx: ActorContext, id: string): Promise<WorkOrderPlanners> {
    const wo = await this.get(ctx, id);
    const rows = await sitePlannerGrants(this.deps.db, ctx.principal.territoryId, wo.site.id);
    const onSite = rows.filter((r) => r.role !== 'territory_admin');
    const chosen = onSite.length > 0 ? onSite : rows;
    const rank: Record<string, number> = { site_manager: 0, engineer: 1, territory_admin: 2 };
    const byUser = new Map<string, WorkOrderPlanners['items'][number]>();
    for (const r of [...chosen].sort((a, b) => rank[a.role]! - rank[b.role]!)) {
      if (!byUser.has(r.id)) byUser.set(r.id, { id: r.id, fullName: r.fullName, role: r.role as WorkOrderPlanners['items'][number]['role'] });
    }
    return { items: [...byUser.values()] };
  }

  async assign(ctx: ActorContext, id: string, input: z.output<typeof AssigneeAdd>): Promise<WorkOrder> {
    return lockWorkOrder(this.deps.db, ctx, id, async ({ trx, wo }) => {
      const crossSite = await this.addAssignee(trx, ctx, wo, input.userId, 'body.userId');
      const after = await loadWorkOrder(trx, ctx.principal, id);
      await audit(trx, ctx, 'work_order.assign', 'work_order', id, null, { userId: input.userId, crossSite });
      return after;
    });
  }

  /** Every change of state of a work order, oldest first; the reasons the product wrote are in the reader's language. */
  async transitions(ctx: ActorContext, id: string, locale: Locale = 'fr') {
    await findOr404(this.deps.db, ctx.principal, id);
    const rows = await transitionsOf(this.deps.db, id);
    return {
      items: rows.map((r) => ({
        fromState: r.fromState as WorkOrderState | null, toState: r.toState as WorkOrderState,
        actor: r.actorId && r.actorName ? { id: r.actorId, fullName: r.actorName } : null, at: r.at.toISOString(),
        holdReason: r.holdReason as HoldReason | null, reason: historyReason(r, locale),
      })),
    };
  }

  async transition(ctx: ActorContext, id: string, version: number, input: z.output<typeof WorkOrderTransitionRequest>): Promise<WorkOrder> {
    return lockWorkOrder(this.deps.db, ctx, id, async ({ trx, wo, assignees, abilities }) => {
      const from = wo.state as WorkOrderState;
      if (!abilities.moves[input.to]) throw forbidden();
      if (wo.version !== version) throw versionMismatch(wo.version);
      const check = checkWorkOrderTransition(from, input.to, { holdReason: input.holdReason, text: input.reason });
      if (!check.ok && check.kind === 'illegal') {
        throw conflict(
          `Passage de « ${stateLabel(from)} » à « ${stateLabel(input.to)} » impossible. Possibles : ${check.allowed.length ? check.allowed.map(stateLabel).join(', ') : 'aucun'}.`,
          'invalid_transition',
        );
      }
      if (!check.ok) throw unprocessable(check.message, 'reason_required', [{ path: input.to === 'on_hold' && !input.holdReason ? 'body.holdReason' : 'body.reason', message: check.message }]);
      if (input.to === 'assigned' && assignees.length === 0) throw unprocessable('Affectez au moins un technicien.', 'no_assignee');
      const verdict = input.to === 'completed' ? await this.checkCompletion(trx, ctx, wo, input) : null;
      const moved = await moveWorkOrders(trx, [id], {
        from, to: input.to, actorId: ctx.principal.userId, holdReason: input.holdReason, reason: input.reason,
        // A non-conforming device stays out of service (packages/domain decideVerdict refused "back in service").
        backInService: verdict?.conformity === 'non_conforming' ? false : (input.backInService ?? null),
      });
      // Cannot happen while the row is locked; kept so that a move is never silently lost.
      if (moved.length === 0) throw conflict('Le bon a changé entre-temps : rechargez-le.', 'invalid_state');
      if (verdict) await recordCompletionVerdict(trx, wo, verdict, ctx.principal.userId);
      const after = await loadWorkOrder(trx, ctx.principal, id);
      await audit(trx, ctx, 'work_order.transition', 'work_order', id, { state: from }, {
        state: input.to, reason: input.reason, holdReason: input.holdReason,
        ...(verdict ? { conformity: verdict.conformity, conformityNote: verdict.note, conformityOverride: verdict.override } : {}),
      });
      return after;
    });
  }

  /**
   * Before completion: 422 listing everything missing (packages/domain completionProblems,
   * "back in service?" when the device is down, an external quality control's accredited
   * body and report), then the verdict rule (decideVerdict: 422 with its own code). Answers
   * the verdict to record.
   */
  private async checkCompletion(
    trx: Kysely<DB>, ctx: ActorContext, wo: WorkOrderRow, input: z.output<typeof WorkOrderTransitionRequest>,
  ): Promise<CompletionVerdict> {
    const [rows, external] = await Promise.all([checklistOf(trx, wo.id), externalOf(trx, wo.id)]);
    const checklist = rows.map((c) => ({
      key: c.key, label: c.label, kind: c.kind as ChecklistItem['kind'], mandatory: c.mandatory,
      answer: c.answeredAt ? { key: c.key, outcome: c.outcome as ChecklistItem['outcome'], text: c.textValue, value: c.numericValue } : null,
    }));
    const problems = completionProblems({
      diagnosis: wo.diagnosis, actions: wo.actions, labourEntries: wo.labourEntries, externalInterventions: wo.externalInterventions,
      checklist, signature: wo.signedName && wo.signatureImage ? { name: wo.signedName, signedAt: '', image: wo.signatureImage } : null,
    }).map((p) => ({ path: p.path, message: p.message }));
    const downtimeOpen = wo.downtimeStartedAt !== null && wo.downtimeEndedAt === null;
    // A non-conforming device stays out of service: nothing to ask.
    if (downtimeOpen && input.backInService === undefined && input.conformity !== 'non_conforming') {
      problems.push({ path: 'backInService', message: "dites si l'équipement est remis en service" });
    }
    problems.push(...externalQualityControlProblems(wo.qualityControlKind as QualityControlKind | null, external));
    if (problems.length > 0) throw new HttpProblem(422, 'completion_incomplete', 'Le bon ne peut pas être terminé : il manque des éléments.', problems);
    const decision = decideVerdict({
      type: wo.type as WorkOrderType, conformity: input.conformity, note: input.conformityNote,
      failedMeasurements: rows.filter((c) => c.kind === 'measurement' && c.outcome === 'fail').map((c) => c.label),
      overrideReason: input.conformityOverrideReason,
      byEngineer: can(ctx.principal, 'conformity.decide', { territoryId: wo.territoryId, siteId: wo.siteId }),
      backInService: input.backInService ?? null,
    });
    if (!decision.ok) throw new HttpProblem(422, decision.code, decision.message, decision.problems);
    return {
      conformity: decision.conformity,
      note: decision.conformity === 'not_evaluated' ? null : input.conformityNote,
      override: decision.overridden ? { reason: input.conformityOverrideReason!.trim(), by: ctx.principal.userId } : null,
    };
  }

  /**
   * After a non-conforming verdict the device stays out of service until an engineer of the
   * work order's site decides to put it back (conformity.decide), with a reason: the
   * downtime ends, the device goes back in service, the register shows the restart date.
   */
  async restart(ctx: ActorContext, id: string, version: number, input: z.output<typeof RestartDecisionCreate>): Promise<WorkOrder> {
    return lockWorkOrder(this.deps.db, ctx, id, async ({ trx, wo }) => {
      if (!can(ctx.principal, 'conformity.decide', { territoryId: wo.territoryId, siteId: wo.siteId })) {
        throw forbidden("Seul un ingénieur biomédical du site décide de la remise en service d'un équipement non conforme.");
      }
      if (wo.version !== version) throw versionMismatch(wo.version);
      if (wo.restartDecidedAt !== null) throw conflict('La remise en service a déjà été décidée.', 'restart_already_decided');
      const waiting = wo.downtimeStartedAt !== null && wo.downtimeEndedAt === null;
      if (wo.conformity !== 'non_conforming' || !['completed', 'closed'].includes(wo.state) || !waiting) {
        throw conflict("Seul un bon terminé non conforme, l'équipement encore arrêté, attend une décision de remise en service.", 'no_pending_non_conformity');
      }
      await restartAfterNonConformity(trx, wo, { decidedBy: ctx.principal.userId, reason: input.reason });
      const after = await loadWorkOrder(trx, ctx.principal, id);
      await audit(trx, ctx, 'work_order.restart', 'work_order', id, { conformity: wo.conformity }, { restartReason: input.reason });
      return after;
    });
  }

  /**
   * Assigns someone: oneself (a technician of the site, or a planner), or anyone (planners
   * of the site); the core of packages/db checks that the person can be assigned and
   * records a cross-site intervention. Answers crossSite.
   */
  private async addAssignee(trx: Kysely<DB>, ctx: ActorContext, wo: WorkOrderRow, userId: string, path: string): Promise<boolean> {
    const self = userId === ctx.principal.userId;
    // The right to assign does not depend on who is already assigned.
    requireAbility(ctx, wo, [], self ? 'assignSelf' : 'assign', {
      state: `Bon ${stateLabel(wo.state)} : affectation impossible.`,
      role: "Seuls l'ingénieur et le responsable du site affectent d'autres personnes.",
    });
    const result = await assignWorkOrder(trx, wo, userId, ctx.principal.userId);
    if (result.ok) return result.crossSite;
    if (result.problem === 'not_assignable') {
      throw unprocessable('Seul un technicien ou un ingénieur actif du territoire peut être affecté.', 'invalid_assignee', [{ path, message: 'ni technicien ni ingénieur' }]);
    }
    throw conflict('Cette personne est déjà affectée à ce bon.', 'already_assigned', [{ path, message: 'déjà affectée' }]);
  }

  /** The device a new work order is about, checked: known, not decommissioned, the right to act on its site. */
  private async deviceFor(trx: Kysely<DB>, ctx: ActorContext, equipmentId: string, action: 'workorder.request' | 'workorder.create') {
    const territoryId = ctx.principal.territoryId;
    const device = await findEquipment(trx, territoryId, equipmentId);
    if (!device) throw badRequest('Équipement inconnu.', [{ path: 'body.equipmentId', message: 'équipement inconnu' }]);
    if (!can(ctx.principal, action, { territoryId, siteId: device.siteId })) {
      throw forbidden(action === 'workorder.request' ? "Vous n'avez pas de rôle sur le site de cet équipement." : "Seule l'équipe biomédicale du site de l'équipement crée des bons de travail.");
    }
    if (device.status === 'decommissioned') throw conflict('Cet équipement est réformé.', 'decommissioned');
    return device;
  }
}
