import { sql } from 'kysely';
import type { z } from 'zod';
import type {
  AssignableQuery, AssigneeAdd, ChecklistAdd, ChecklistAnswerInput, ChecklistItem, ExternalCreate, PartCreate, LabourCreate, SignatureCreate, WorkOrder, WorkOrderCreate,
  WorkOrderListQuery, WorkOrderTransitionRequest, WorkOrderUpdate, WorkRequestCreate,
} from '@gmao/contracts';
import {
  OPEN_WORK_ORDER_STATES, foldSearch, LABELS_FR, inSentence, can, evaluateMeasurement, canTransition, checkWorkOrderTransition, completionProblems, faultReportPriority, hasRoleOnSite, sitesWithRole,
  type Criticality, type EquipmentStatus, type HoldReason, type WorkOrderPriority, type WorkOrderState,
} from '@gmao/domain';
import { nextWorkOrderNumber } from '@gmao/db';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { decodeCursor, encodeCursor } from '../../lib/http.js';
import { HttpProblem, badRequest, conflict, forbidden, notFound, unprocessable, versionMismatch } from '../../lib/problem.js';
import { likePattern } from '../../lib/sql.js';
import { findEquipment, insertEvent } from '../equipment/equipment.repository.js';
import { checklistTemplate } from '../work-order-settings/work-order-settings.service.js';
import * as repo from './work-orders.repository.js';

const STATE_LABELS = Object.fromEntries(Object.entries(LABELS_FR.workOrderStates).map(([k, v]) => [k, inSentence(v)])) as Record<WorkOrderState, string>;

/** A list cursor's key as the list writes it: priority rank, due date (PostgreSQL text or infinity), number. */
function isListKey(key: readonly unknown[]): key is [number, string, string] {
  const [rank, due, number] = key;
  return (
    typeof rank === 'number' && Number.isInteger(rank) && rank >= 0 && rank <= 3 &&
    typeof due === 'string' && /^(infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?)$/.test(due) &&
    typeof number === 'string' && number.length <= 40
  );
}

/** Up to this many text-search matches are collected then sorted; beyond, the list's index order is walked. */
const TEXT_SEARCH_SORT_LIMIT = 500;


function toChecklistItem(r: repo.ChecklistRow): ChecklistItem {
  return {
    id: r.id, key: r.key, label: r.label, kind: r.kind as ChecklistItem['kind'], mandatory: r.mandatory, unit: r.unit,
    min: r.minValue, max: r.maxValue, outcome: r.outcome as ChecklistItem['outcome'], text: r.textValue, value: r.numericValue,
    answeredAt: r.answeredAt?.toISOString() ?? null,
  };
}

function toWorkOrder(r: repo.WorkOrderRow, assignees: { id: string; fullName: string; crossSite: boolean; assignedAt: Date }[]): WorkOrder {
  return {
    id: r.id, number: r.number, type: r.type as WorkOrder['type'], priority: r.priority as WorkOrderPriority, state: r.state as WorkOrderState,
    site: { id: r.siteId, name: r.siteName, shortCode: r.siteShortCode },
    equipment: { id: r.equipmentId, inventoryNumber: r.inventoryNumber, label: r.manufacturer ? `${r.manufacturer} ${r.modelName}` : r.inventoryNumber, status: r.equipmentStatus },
    symptom: r.symptom, deviceOutOfService: r.deviceOutOfService, callbackName: r.callbackName, callbackPhone: r.callbackPhone,
    requestedBy: { id: r.requestedBy, fullName: r.requestedByName }, requestedAt: r.requestedAt.toISOString(),
    dueResponseAt: r.dueResponseAt?.toISOString() ?? null, dueRepairAt: r.dueRepairAt?.toISOString() ?? null,
    holdReason: r.holdReason as HoldReason | null,
    assignees: assignees.map((a) => ({ id: a.id, fullName: a.fullName, crossSite: a.crossSite, assignedAt: a.assignedAt.toISOString() })),
    downtimeStartedAt: r.downtimeStartedAt?.toISOString() ?? null, downtimeEndedAt: r.downtimeEndedAt?.toISOString() ?? null,
    cancelReason: r.cancelReason, diagnosis: r.diagnosis, actions: r.actions, labourMinutes: r.labourMinutes,
    signature: r.signedName && r.signedAt ? { name: r.signedName, signedAt: r.signedAt.toISOString() } : null,
    completedAt: r.completedAt?.toISOString() ?? null, closedAt: r.closedAt?.toISOString() ?? null,
    version: r.version, updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * Work orders: fault reports (work requests) and planned work orders, assignment
 * (cross-site recorded), the state machine of packages/domain with every transition
 * recorded, the device's availability (out of service → downtime → back in service),
 * labour, vendor interventions, parts, checklists from the territory's templates, the
 * signature and completion (422 listing what is missing).
 */
export class WorkOrdersService {
  constructor(private readonly deps: AppDeps) {}

  async request(ctx: ActorContext, input: z.output<typeof WorkRequestCreate>): Promise<WorkOrder> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const device = await this.deviceFor(trx, ctx, input.equipmentId, 'workorder.request');
      const priority = faultReportPriority(device.criticality as Criticality, input.deviceOutOfService);
      const id = await this.insert(trx, ctx, device, {
        type: 'corrective', priority, symptom: input.symptom, deviceOutOfService: input.deviceOutOfService,
        callbackName: input.callbackName, callbackPhone: input.callbackPhone, dueAt: null,
      });
      const created = await this.load(trx, territoryId, id);
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
      const template = input.checklistTemplate ? await this.templateItems(trx, territoryId, input.checklistTemplate, 'body.checklistTemplate') : null;
      const id = await this.insert(trx, ctx, device, {
        type: input.type, priority, symptom: input.description, deviceOutOfService: input.deviceOutOfService,
        callbackName: null, callbackPhone: null, dueAt: input.dueAt,
      });
      const wo = { id, siteId: device.siteId, state: 'requested' };
      for (const [i, userId] of [...new Set(input.assigneeIds)].entries()) await this.addAssignee(trx, ctx, wo, userId, `body.assigneeIds.${i}`);
      if (template) await trx.insertInto('workOrderChecklistItems').values(template.map((t, position) => ({ ...t, workOrderId: id, position }))).execute();
      const created = await this.load(trx, territoryId, id);
      await audit(trx, ctx, 'work_order.create', 'work_order', id, null, created);
      return created;
    });
  }

  /** The device a new work order is about, checked: known, not decommissioned, the right to act on its site. */
  private async deviceFor(trx: AppDeps['db'], ctx: ActorContext, equipmentId: string, action: 'workorder.request' | 'workorder.create') {
    const territoryId = ctx.principal.territoryId;
    const device = await findEquipment(trx, territoryId, equipmentId);
    if (!device) throw badRequest('Équipement inconnu.', [{ path: 'body.equipmentId', message: 'équipement inconnu' }]);
    if (!can(ctx.principal, action, { territoryId, siteId: device.siteId })) {
      throw forbidden(action === 'workorder.request' ? "Vous n'avez pas de rôle sur le site de cet équipement." : "Seule l'équipe biomédicale du site de l'équipement crée des bons de travail.");
    }
    if (device.status === 'decommissioned') throw conflict('Cet équipement est réformé.', 'decommissioned');
    return device;
  }

  /**
   * Inserts a requested work order with its due dates (the territory's targets, or `dueAt`
   * for the repair), records its first transition and, when the device is down, takes it
   * out of service and starts the downtime.
   */
  private async insert(
    trx: AppDeps['db'],
    ctx: ActorContext,
    device: NonNullable<Awaited<ReturnType<typeof findEquipment>>>,
    w: { type: string; priority: WorkOrderPriority; symptom: string; deviceOutOfService: boolean; callbackName: string | null; callbackPhone: string | null; dueAt: string | null },
  ): Promise<string> {
    const territoryId = ctx.principal.territoryId;
    const targets = await repo.priorityTargets(trx, territoryId, w.priority);
    const now = Date.now();
    const takeDown = w.deviceOutOfService && canTransition(device.status as EquipmentStatus, 'out_of_service');
    const number = await nextWorkOrderNumber(trx);
    const { id } = await trx
      .insertInto('workOrders')
      .values({
        territoryId, siteId: device.siteId, equipmentId: device.id, number, type: w.type, priority: w.priority, symptom: w.symptom,
        deviceOutOfService: w.deviceOutOfService, callbackName: w.callbackName, callbackPhone: w.callbackPhone, requestedBy: ctx.principal.userId,
        dueResponseAt: w.dueAt === null ? new Date(now + targets.responseMinutes * 60_000) : null,
        dueRepairAt: w.dueAt === null ? new Date(now + targets.repairMinutes * 60_000) : new Date(w.dueAt),
        downtimeStartedAt: takeDown ? new Date(now) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await repo.insertTransition(trx, { workOrderId: id, fromState: null, toState: 'requested', actorId: ctx.principal.userId, reason: w.symptom });
    if (takeDown) {
      await trx.updateTable('equipment').set({ status: 'out_of_service', version: sql`version + 1`, updatedAt: sql`now()` }).where('id', '=', device.id).execute();
      await insertEvent(trx, {
        territoryId, equipmentId: device.id, kind: 'status_changed', actorId: ctx.principal.userId, fromStatus: device.status,
        toStatus: 'out_of_service', reason: `Bon ${number} : ${w.symptom}`.slice(0, 500), details: { workOrderId: id },
      });
    }
    return id;
  }

  /** A template's items, ready to be copied into a work order's checklist. */
  private async templateItems(trx: AppDeps['db'], territoryId: string, code: string, path: string) {
    const template = await checklistTemplate(trx, territoryId, code).catch((err: unknown) => {
      if (err instanceof HttpProblem && err.status === 404) throw badRequest('Modèle de points de contrôle inconnu.', [{ path, message: `modèle inconnu : ${code}` }]);
      throw err;
    });
    return template.items.map((t) => ({
      key: t.key, label: t.label, kind: t.kind, mandatory: t.mandatory, unit: t.unit, minValue: t.min, maxValue: t.max, templateCode: template.code,
    }));
  }

  async list(ctx: ActorContext, query: z.output<typeof WorkOrderListQuery>) {
    const territoryId = ctx.principal.territoryId;
    let q = repo.selectWorkOrders(this.deps.db).where('w.territoryId', '=', territoryId);
    if (query.assignee === 'me') {
      q = q.where((eb) => eb.exists(eb.selectFrom('workOrderAssignees as a').select('a.userId').whereRef('a.workOrderId', '=', 'w.id').where('a.userId', '=', ctx.principal.userId)));
    }
    if (query.requestedBy === 'me') q = q.where('w.requestedBy', '=', ctx.principal.userId);
    if (query.state) q = q.where('w.state', 'in', query.state);
    if (query.siteId) q = q.where('w.siteId', '=', query.siteId);
    if (query.type) q = q.where('w.type', 'in', query.type);
    if (query.priority) q = q.where('w.priority', 'in', query.priority);
    if (query.equipmentId) q = q.where('w.equipmentId', '=', query.equipmentId);
    if (query.overdue === true) q = q.where('w.state', 'in', OPEN_WORK_ORDER_STATES).where('w.dueRepairAt', '<', sql<Date>`now()`);
    if (query.overdue === false) q = q.where((eb) => eb.or([eb('w.dueRepairAt', 'is', null), eb('w.dueRepairAt', '>=', sql<Date>`now()`), eb('w.state', 'not in', OPEN_WORK_ORDER_STATES)]));
    const after = decodeCursor(query.cursor, 3) as [number, string, string] | undefined;
    if (after && !isListKey(after)) {
      throw badRequest('Curseur de pagination invalide.', [{ path: 'querystring.cursor', message: 'curseur invalide' }], 'invalid_cursor');
    }
    const rank = sql<number>`case w.priority when 'critical' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;
    const due = sql<string>`coalesce(w.due_repair_at, 'infinity'::timestamptz)`;
    if (after) q = q.where(sql<boolean>`(${rank}, ${due}, w.number) > (${after[0]}, ${after[1]}::timestamptz, ${after[2]})`);
    if (query.q) {
      // Each branch has its trigram index; the devices' through equipment.search_text (which
      // holds the folded inventory number), as an array so that PostgreSQL can OR the bitmaps.
      const pattern = likePattern(query.q);
      const folded = likePattern(foldSearch(query.q));
      q = q.where(sql<boolean>`(w.number ilike ${pattern} or gmao_fold(w.symptom) like ${folded}
        or w.equipment_id = any(array(select d.id from equipment d where d.territory_id = ${territoryId} and d.search_text like ${folded})))`);
      // The planner cannot tell a word found in thousands of work orders (walk the list's
      // order until a page is full) from one found in a few (collect them, then sort): ask.
      const candidates = await q.clearSelect().select('w.id').limit(TEXT_SEARCH_SORT_LIMIT + 1).execute();
      if (candidates.length <= TEXT_SEARCH_SORT_LIMIT) {
        q = q.where(sql<boolean>`w.id = any(${candidates.map((c) => c.id)}::uuid[])`);
      }
    }
    const rows = await q.orderBy(rank).orderBy(due).orderBy('w.number').limit(query.limit + 1).execute();
    const items = rows.slice(0, query.limit);
    const assignees = await repo.assigneesOf(this.deps.db, items.map((r) => r.id));
    const last = items.at(-1);
    return {
      items: items.map((r) => toWorkOrder(r, assignees.get(r.id) ?? [])),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.priorityRank, last.dueKey, last.number]) : null,
    };
  }

  get(ctx: ActorContext, id: string): Promise<WorkOrder> {
    return this.load(this.deps.db, ctx.principal.territoryId, id);
  }

  async assign(ctx: ActorContext, id: string, input: z.output<typeof AssigneeAdd>): Promise<WorkOrder> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const wo = await repo.findWorkOrderForUpdate(trx, territoryId, id);
      if (!wo) throw notFound('Bon de travail');
      if (['completed', 'closed', 'cancelled'].includes(wo.state)) throw conflict(`Bon ${STATE_LABELS[wo.state as WorkOrderState]} : affectation impossible.`, 'invalid_state');
      const crossSite = await this.addAssignee(trx, ctx, wo, input.userId, 'body.userId');
      const after = await this.load(trx, territoryId, id);
      await audit(trx, ctx, 'work_order.assign', 'work_order', id, null, { userId: input.userId, crossSite });
      return after;
    });
  }

  /**
   * Assigns an active technician or engineer of the territory (anyone, by a planner of the
   * site; oneself, by a technician of the site); someone with no role at the site makes it a
   * cross-site intervention. A requested work order becomes assigned. Answers crossSite.
   */
  private async addAssignee(trx: AppDeps['db'], ctx: ActorContext, wo: { id: string; siteId: string; state: string }, userId: string, path: string): Promise<boolean> {
    const territoryId = ctx.principal.territoryId;
    const self = userId === ctx.principal.userId && hasRoleOnSite(ctx.principal, wo.siteId, ['technician']);
    if (!self && !can(ctx.principal, 'maintenance.plan', { territoryId, siteId: wo.siteId })) throw forbidden("Seuls l'ingénieur et le responsable du site affectent d'autres personnes.");
    const grants = await trx
      .selectFrom('users as u')
      .innerJoin('roleGrants as g', 'g.userId', 'u.id')
      .select(['g.role', 'g.siteId'])
      .where('u.id', '=', userId)
      .where('u.territoryId', '=', territoryId)
      .where('u.active', '=', true)
      .execute();
    if (!grants.some((g) => g.role === 'technician' || g.role === 'engineer')) {
      throw unprocessable('Seul un technicien ou un ingénieur actif du territoire peut être affecté.', 'invalid_assignee', [{ path, message: 'ni technicien ni ingénieur' }]);
    }
    const crossSite = !grants.some((g) => g.siteId === wo.siteId);
    const inserted = await trx
      .insertInto('workOrderAssignees')
      .values({ workOrderId: wo.id, userId, assignedBy: ctx.principal.userId, crossSite })
      .onConflict((oc) => oc.doNothing())
      .returning('userId')
      .executeTakeFirst();
    if (!inserted) throw conflict('Cette personne est déjà affectée à ce bon.', 'already_assigned', [{ path, message: 'déjà affectée' }]);
    if (wo.state === 'requested') {
      await trx.updateTable('workOrders').set({ state: 'assigned', version: sql`version + 1`, updatedAt: sql`now()` }).where('id', '=', wo.id).execute();
      await repo.insertTransition(trx, { workOrderId: wo.id, fromState: 'requested', toState: 'assigned', actorId: ctx.principal.userId });
      wo.state = 'assigned';
    }
    return crossSite;
  }

  /** Active technicians and engineers of the territory with their sites, for assignment. */
  async assignable(ctx: ActorContext, query: z.output<typeof AssignableQuery>) {
    // The biomedical team assigns work; care staff have no use for the list of its people.
    const team = sitesWithRole(ctx.principal, ['technician', 'engineer', 'site_manager']);
    if (team !== null && team.length === 0) throw forbidden('Réservé à l’équipe biomédicale.');
    let q = this.deps.db
      .selectFrom('users as u')
      .innerJoin('roleGrants as g', 'g.userId', 'u.id')
      .innerJoin('sites as s', 's.id', 'g.siteId')
      .select(['u.id', 'u.fullName', 's.id as siteId', 's.shortCode', 'g.role'])
      .where('u.territoryId', '=', ctx.principal.territoryId)
      .where('u.active', '=', true)
      .where('g.role', 'in', ['technician', 'engineer']);
    if (query.q) q = q.where(sql<boolean>`gmao_fold(u.full_name) like ${likePattern(foldSearch(query.q))}`);
    const rows = await q.orderBy('s.shortCode').execute();
    const byUser = new Map<string, { id: string; fullName: string; sites: { id: string; shortCode: string; role: 'technician' | 'engineer' }[] }>();
    for (const r of rows) {
      const entry = byUser.get(r.id) ?? { id: r.id, fullName: r.fullName, sites: [] };
      entry.sites.push({ id: r.siteId, shortCode: r.shortCode, role: r.role as 'technician' | 'engineer' });
      byUser.set(r.id, entry);
    }
    return { items: [...byUser.values()].sort((a, b) => a.fullName.localeCompare(b.fullName, 'fr')) };
  }

  /** Every change of state of a work order, oldest first. */
  async transitions(ctx: ActorContext, id: string) {
    const wo = await repo.findWorkOrder(this.deps.db, ctx.principal.territoryId, id);
    if (!wo) throw notFound('Bon de travail');
    const rows = await repo.transitionsOf(this.deps.db, id);
    return {
      items: rows.map((r) => ({
        fromState: r.fromState as WorkOrderState | null, toState: r.toState as WorkOrderState,
        actor: r.actorId && r.actorName ? { id: r.actorId, fullName: r.actorName } : null, at: r.at.toISOString(),
        holdReason: r.holdReason as HoldReason | null, reason: r.reason,
      })),
    };
  }

  async externals(ctx: ActorContext, id: string) {
    const wo = await repo.findWorkOrder(this.deps.db, ctx.principal.territoryId, id);
    if (!wo) throw notFound('Bon de travail');
    const rows = await repo.externalOf(this.deps.db, id);
    return {
      items: rows.map((r) => ({
        id: r.id, vendor: r.vendor, vendorReference: r.vendorReference, costCents: r.costCents,
        performedOn: r.performedOn, reportAttachmentId: r.reportAttachmentId, recordedAt: r.recordedAt.toISOString(),
      })),
    };
  }

  async transition(ctx: ActorContext, id: string, version: number, input: z.output<typeof WorkOrderTransitionRequest>): Promise<WorkOrder> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const wo = await repo.findWorkOrderForUpdate(trx, territoryId, id);
      if (!wo) throw notFound('Bon de travail');
      const from = wo.state as WorkOrderState;
      const assignees = (await repo.assigneesOf(trx, [id])).get(id) ?? [];
      const isAssignee = assignees.some((a) => a.id === ctx.principal.userId);
      const planner = can(ctx.principal, 'maintenance.plan', { territoryId, siteId: wo.siteId });
      const requester = wo.requestedBy === ctx.principal.userId;
      const allowed =
        input.to === 'closed' ? planner
        : input.to === 'cancelled' ? planner || (requester && from === 'requested')
        : planner || isAssignee;
      if (!allowed) throw forbidden();
      if (wo.version !== version) throw versionMismatch(wo.version);
      const check = checkWorkOrderTransition(from, input.to, { holdReason: input.holdReason, text: input.reason });
      if (!check.ok && check.kind === 'illegal') {
        throw conflict(
          `Passage de « ${STATE_LABELS[from]} » à « ${STATE_LABELS[input.to]} » impossible. Possibles : ${check.allowed.length ? check.allowed.map((s) => STATE_LABELS[s]).join(', ') : 'aucun'}.`,
          'invalid_transition',
        );
      }
      if (!check.ok) throw unprocessable(check.message, 'reason_required', [{ path: input.to === 'on_hold' && !input.holdReason ? 'body.holdReason' : 'body.reason', message: check.message }]);
      if (input.to === 'assigned' && assignees.length === 0) throw unprocessable('Affectez au moins un technicien.', 'no_assignee');
      let restoreDevice = false;
      if (input.to === 'completed') {
        const checklist = (await repo.checklistOf(trx, id)).map((c) => ({
          key: c.key, label: c.label, kind: c.kind as ChecklistItem['kind'], mandatory: c.mandatory,
          answer: c.answeredAt ? { key: c.key, outcome: c.outcome as ChecklistItem['outcome'], text: c.textValue, value: c.numericValue } : null,
        }));
        const problems = completionProblems({
          diagnosis: wo.diagnosis, actions: wo.actions, labourEntries: wo.labourEntries, externalInterventions: wo.externalInterventions,
          checklist, signature: wo.signedName && wo.signatureImage ? { name: wo.signedName, signedAt: '', image: wo.signatureImage } : null,
        }).map((p) => ({ path: p.path, message: p.message }));
        const downtimeOpen = wo.downtimeStartedAt !== null && wo.downtimeEndedAt === null;
        if (downtimeOpen && input.backInService === undefined) {
          problems.push({ path: 'backInService', message: "dites si l'équipement est remis en service" });
        }
        if (problems.length > 0) throw new HttpProblem(422, 'completion_incomplete', 'Le bon ne peut pas être terminé : il manque des éléments.', problems);
        restoreDevice = downtimeOpen && input.backInService === true;
      }
      if (restoreDevice) {
        const device = await findEquipment(trx, territoryId, wo.equipmentId);
        if (device && canTransition(device.status as EquipmentStatus, 'in_service')) {
          await trx.updateTable('equipment').set({ status: 'in_service', version: sql`version + 1`, updatedAt: sql`now()` }).where('id', '=', device.id).execute();
          await insertEvent(trx, {
            territoryId, equipmentId: device.id, kind: 'status_changed', actorId: ctx.principal.userId, fromStatus: device.status,
            toStatus: 'in_service', reason: `Remise en service après le bon ${wo.number}`, details: { workOrderId: id },
          });
        }
      }
      await trx
        .updateTable('workOrders')
        .set({
          state: input.to,
          holdReason: input.to === 'on_hold' ? input.holdReason : null,
          cancelReason: input.to === 'cancelled' ? input.reason : wo.cancelReason,
          closedAt: input.to === 'closed' ? sql`now()` : wo.closedAt,
          completedAt: input.to === 'completed' ? sql`now()` : input.to === 'in_progress' && from === 'completed' ? null : wo.completedAt,
          backInService: input.to === 'completed' ? (input.backInService ?? null) : wo.backInService,
          downtimeEndedAt: restoreDevice ? sql`now()` : wo.downtimeEndedAt,
          version: sql`version + 1`,
          updatedAt: sql`now()`,
        })
        .where('id', '=', id)
        .execute();
      await repo.insertTransition(trx, { workOrderId: id, fromState: from, toState: input.to, actorId: ctx.principal.userId, holdReason: input.holdReason, reason: input.reason });
      const after = await this.load(trx, territoryId, id);
      await audit(trx, ctx, 'work_order.transition', 'work_order', id, { state: from }, { state: input.to, reason: input.reason, holdReason: input.holdReason });
      return after;
    });
  }

  /**
   * Diagnosis and actions (assignees, planners), priority (planners, also while nobody has
   * taken the work order yet: triage). A new priority moves the due dates of a work order
   * dated by the territory's targets (from its request time); a planned one keeps its date.
   */
  async update(ctx: ActorContext, id: string, version: number, patch: z.output<typeof WorkOrderUpdate>): Promise<WorkOrder> {
    const triage = patch.diagnosis === undefined && patch.actions === undefined;
    return this.work(ctx, id, 'work_order.update', async (trx, wo, who) => {
      const newPriority = patch.priority !== undefined && patch.priority !== wo.priority ? patch.priority : null;
      if (newPriority && !who.planner) throw forbidden('Seuls l’ingénieur et le responsable du site changent la priorité.');
      if (wo.version !== version) throw versionMismatch(wo.version);
      let due: { dueResponseAt: Date; dueRepairAt: Date } | Record<string, never> = {};
      if (newPriority && wo.dueResponseAt !== null) {
        const targets = await repo.priorityTargets(trx, ctx.principal.territoryId, newPriority);
        const from = wo.requestedAt.getTime();
        due = { dueResponseAt: new Date(from + targets.responseMinutes * 60_000), dueRepairAt: new Date(from + targets.repairMinutes * 60_000) };
      }
      await trx.updateTable('workOrders').set({ ...patch, ...due, version: sql`version + 1`, updatedAt: sql`now()` }).where('id', '=', id).execute();
      return { ...patch, ...due };
    }, triage ? OPEN_WORK_ORDER_STATES : undefined);
  }

  async labour(ctx: ActorContext, id: string) {
    const wo = await repo.findWorkOrder(this.deps.db, ctx.principal.territoryId, id);
    if (!wo) throw notFound('Bon de travail');
    const rows = await repo.labourOf(this.deps.db, id);
    return {
      items: rows.map((r) => ({
        id: r.id, technician: { id: r.technicianId, fullName: r.fullName }, startedAt: r.startedAt?.toISOString() ?? null,
        endedAt: r.endedAt?.toISOString() ?? null, minutes: r.minutes, travelMinutes: r.travelMinutes, recordedAt: r.recordedAt.toISOString(),
      })),
    };
  }

  async addLabour(ctx: ActorContext, id: string, input: z.output<typeof LabourCreate>): Promise<WorkOrder> {
    return this.work(ctx, id, 'work_order.labour', async (trx, wo, who) => {
      const technicianId = input.technicianId ?? ctx.principal.userId;
      if (technicianId !== ctx.principal.userId && !who.planner) throw forbidden('Vous ne saisissez que votre propre temps.');
      if (!who.assignees.some((a) => a.id === technicianId)) {
        throw unprocessable("Ce technicien n'est pas affecté au bon.", 'not_assigned', [{ path: 'body.technicianId', message: 'non affecté' }]);
      }
      let minutes = input.minutes;
      if (input.startedAt && input.endedAt) {
        minutes = Math.round((Date.parse(input.endedAt) - Date.parse(input.startedAt)) / 60_000);
        if (minutes <= 0 || minutes > 24 * 60) {
          throw badRequest('La fin doit suivre le début, sur 24 h au plus.', [{ path: 'body.endedAt', message: 'période invalide' }], 'validation_failed');
        }
      }
      const row = { workOrderId: wo.id, technicianId, startedAt: input.startedAt ?? null, endedAt: input.endedAt ?? null, minutes: minutes!, travelMinutes: input.travelMinutes, recordedBy: ctx.principal.userId };
      await trx.insertInto('workOrderLabour').values(row).execute();
      return row;
    });
  }

  async addExternal(ctx: ActorContext, id: string, input: z.output<typeof ExternalCreate>): Promise<WorkOrder> {
    return this.work(ctx, id, 'work_order.external', async (trx, wo) => {
      if (input.reportAttachmentId !== null) {
        const attachment = await trx.selectFrom('workOrderAttachments').select('id').where('id', '=', input.reportAttachmentId).where('workOrderId', '=', wo.id).executeTakeFirst();
        if (!attachment) {
          throw unprocessable("Le rapport doit être une pièce jointe de ce bon.", 'invalid_attachment', [{ path: 'body.reportAttachmentId', message: 'pièce jointe inconnue sur ce bon' }]);
        }
      }
      const row = { workOrderId: wo.id, ...input, recordedBy: ctx.principal.userId };
      await trx.insertInto('workOrderExternal').values(row).execute();
      return row;
    });
  }

  async parts(ctx: ActorContext, id: string) {
    const wo = await repo.findWorkOrder(this.deps.db, ctx.principal.territoryId, id);
    if (!wo) throw notFound('Bon de travail');
    return { items: (await repo.partsOf(this.deps.db, id)).map((p) => ({ ...p, recordedAt: p.recordedAt.toISOString() })) };
  }

  async addPart(ctx: ActorContext, id: string, input: z.output<typeof PartCreate>) {
    await this.work(ctx, id, 'work_order.part', async (trx, wo) => {
      const row = { workOrderId: wo.id, ...input, recordedBy: ctx.principal.userId };
      await trx.insertInto('workOrderParts').values(row).execute();
      return row;
    });
    return this.parts(ctx, id);
  }

  async sign(ctx: ActorContext, id: string, input: z.output<typeof SignatureCreate>): Promise<WorkOrder> {
    return this.work(ctx, id, 'work_order.sign', async (trx, wo, who) => {
      if (!who.assignees.some((a) => a.id === ctx.principal.userId)) throw forbidden('Seul un technicien affecté au bon le signe.');
      await trx
        .updateTable('workOrders')
        .set({ signedBy: ctx.principal.userId, signedName: input.name, signedAt: sql`now()`, signatureImage: input.image, version: sql`version + 1`, updatedAt: sql`now()` })
        .where('id', '=', wo.id)
        .execute();
      return { name: input.name, imageBytes: input.image.length };
    });
  }

  async checklist(ctx: ActorContext, id: string): Promise<{ items: ChecklistItem[] }> {
    const wo = await repo.findWorkOrder(this.deps.db, ctx.principal.territoryId, id);
    if (!wo) throw notFound('Bon de travail');
    return { items: (await repo.checklistOf(this.deps.db, id)).map(toChecklistItem) };
  }

  async addChecklist(ctx: ActorContext, id: string, input: z.output<typeof ChecklistAdd>): Promise<{ items: ChecklistItem[] }> {
    await this.work(ctx, id, 'work_order.checklist_add', async (trx, wo) => {
      const existing = await repo.checklistOf(trx, wo.id);
      let position = existing.length;
      const items =
        'template' in input
          ? await this.templateItems(trx, ctx.principal.territoryId, input.template, 'body.template')
          : [{
              key: `item-${existing.length + 1}-${Date.now().toString(36)}`, label: input.item.label, kind: input.item.kind, mandatory: input.item.mandatory,
              unit: input.item.unit, minValue: input.item.min, maxValue: input.item.max, templateCode: null,
            }];
      const fresh = items.filter((i) => !existing.some((e) => e.key === i.key));
      if (fresh.length === 0) throw conflict('Ces points de contrôle sont déjà dans la liste.', 'duplicate');
      await trx.insertInto('workOrderChecklistItems').values(fresh.map((i) => ({ ...i, workOrderId: wo.id, position: position++ }))).execute();
      return { added: fresh.map((i) => i.key) };
    });
    return this.checklist(ctx, id);
  }

  async answer(ctx: ActorContext, id: string, itemId: string, input: z.output<typeof ChecklistAnswerInput>): Promise<ChecklistItem> {
    let answered: ChecklistItem | undefined;
    await this.work(ctx, id, 'work_order.checklist_answer', async (trx, wo) => {
      const item = (await repo.checklistOf(trx, wo.id)).find((c) => c.id === itemId);
      if (!item) throw notFound('Point de contrôle');
      const na = input.outcome === 'not_applicable';
      let outcome = input.outcome;
      if (!na) {
        if (item.kind === 'measurement') {
          if (input.value === null) throw badRequest('Valeur mesurée attendue.', [{ path: 'body.value', message: 'valeur obligatoire' }], 'validation_failed');
          // The result of a measurement comes from its limits, never from the client.
          outcome = evaluateMeasurement(input.value, { min: item.minValue, max: item.maxValue });
        } else if (item.kind === 'text') {
          if (!input.text) throw badRequest('Texte attendu.', [{ path: 'body.text', message: 'texte obligatoire' }], 'validation_failed');
          outcome = null;
        } else if (outcome !== 'pass' && outcome !== 'fail') {
          throw badRequest('Conforme, non conforme ou sans objet attendu.', [{ path: 'body.outcome', message: 'pass, fail ou not_applicable' }], 'validation_failed');
        }
      }
      const row = await trx
        .updateTable('workOrderChecklistItems')
        .set({
          outcome, textValue: item.kind === 'text' && !na ? input.text : null, numericValue: item.kind === 'measurement' && !na ? input.value : null,
          answeredBy: ctx.principal.userId, answeredAt: sql`now()`,
        })
        .where('id', '=', itemId)
        .returningAll()
        .executeTakeFirstOrThrow();
      answered = toChecklistItem(row);
      return answered;
    });
    return answered!;
  }

  /** Work on an open work order, by one of its assignees or a planner of its site; audited. */
  private async work(
    ctx: ActorContext,
    id: string,
    action: string,
    fn: (trx: AppDeps['db'], wo: repo.WorkOrderRow, who: { planner: boolean; assignees: { id: string }[] }) => Promise<unknown>,
    states: readonly WorkOrderState[] = ['assigned', 'in_progress', 'on_hold'],
  ): Promise<WorkOrder> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const wo = await repo.findWorkOrderForUpdate(trx, territoryId, id);
      if (!wo) throw notFound('Bon de travail');
      const assignees = (await repo.assigneesOf(trx, [id])).get(id) ?? [];
      const planner = can(ctx.principal, 'maintenance.plan', { territoryId, siteId: wo.siteId });
      if (!planner && !assignees.some((a) => a.id === ctx.principal.userId)) throw forbidden();
      if (!states.includes(wo.state as WorkOrderState)) {
        throw conflict(
          wo.state === 'requested'
            ? 'Bon demandé : affectez-le d’abord à un technicien pour saisir le travail.'
            : `Bon ${STATE_LABELS[wo.state as WorkOrderState]} : il ne se modifie plus${wo.state === 'completed' ? ' (rouvrez-le d’abord)' : ''}.`,
          'invalid_state',
        );
      }
      const after = await fn(trx, wo, { planner, assignees });
      await trx.updateTable('workOrders').set({ updatedAt: sql`now()` }).where('id', '=', id).execute();
      await audit(trx, ctx, action, 'work_order', id, null, after);
      return this.load(trx, territoryId, id);
    });
  }

  private async load(db: AppDeps['db'], territoryId: string, id: string): Promise<WorkOrder> {
    const row = await repo.findWorkOrder(db, territoryId, id);
    if (!row) throw notFound('Bon de travail');
    return toWorkOrder(row, (await repo.assigneesOf(db, [id])).get(id) ?? []);
  }
}
