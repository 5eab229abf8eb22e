import type { Kysely } from 'kysely';
import {
  APPLIED_PART_TYPES, DEFAULT_PRIORITY_TARGETS, ELECTRICAL_CLASSES, IEC_62353_TEMPLATE, electricalSafetyChecklist, evaluateMeasurement,
  type AppliedPartType, type ElectricalClass, type ElectricalProfile, type HoldReason, type Verdict, type LeakageMethod, type WorkOrderPriority, type WorkOrderState,
  type WorkOrderType,
} from '@gmao/domain';
import type { DB } from '../generated/db.js';
import { insertEquipmentEvent, setEquipmentStatus } from '../equipment/equipment-status.repository.js';
import { nextWorkOrderNumber } from '../work-orders/work-orders.repository.js';

/** A 1×1 PNG: the demo's drawn signatures (the register and reports only need one to exist). */
const SIGNATURE = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface Scenario {
  state: WorkOrderState;
  type: WorkOrderType;
  priority: WorkOrderPriority;
  symptom: string;
  /** How long ago it was requested. */
  ago: number;
  outOfService?: boolean;
  holdReason?: HoldReason;
  cancelReason?: string;
  diagnosis?: string;
  actions?: string;
  labourMinutes?: number;
  vendor?: { vendor: string; reference: string; technicianName: string; costCents: number };
  /** The verdict of a completed work order, with its note. */
  conformity?: Verdict;
  conformityNote?: string;
  part?: { reference: string; description: string; quantity: number };
  /** The IEC 62353 test of the device's class, answered with readings that pass (varied per site: see demoReadings). */
  electricalSafety?: boolean;
  /** Assign a technician of another site (cross-site intervention, with travel). */
  crossSite?: boolean;
}

/** What every site's backlog holds: a bit of each state, as a working week leaves it. */
const SCENARIOS: Scenario[] = [
  { state: 'requested', type: 'corrective', priority: 'normal', symptom: 'Alarme « occlusion » répétée sans cause visible', ago: 3 * HOUR },
  { state: 'requested', type: 'corrective', priority: 'high', symptom: 'Ne s’allume plus, voyant secteur éteint', ago: 5 * HOUR, outOfService: true },
  { state: 'assigned', type: 'corrective', priority: 'normal', symptom: 'Écran tactile qui ne répond plus par endroits', ago: 1 * DAY },
  {
    state: 'in_progress', type: 'corrective', priority: 'high', symptom: 'Batterie ne tient plus la charge', ago: 3 * DAY,
    diagnosis: 'Batterie en fin de vie (autonomie mesurée 12 min)', labourMinutes: 45,
  },
  {
    state: 'on_hold', type: 'corrective', priority: 'normal', symptom: 'Capot de la trappe batterie cassé', ago: 6 * DAY, holdReason: 'waiting_parts',
    diagnosis: 'Clip de fermeture cassé', labourMinutes: 20, part: { reference: 'CLIP-TRAPPE-01', description: 'Clip de trappe batterie', quantity: 1 },
  },
  { state: 'assigned', type: 'preventive', priority: 'low', symptom: 'Maintenance préventive annuelle selon le constructeur', ago: 2 * DAY, crossSite: true },
  {
    state: 'completed', type: 'corrective', priority: 'high', symptom: 'Message d’erreur E-21 au démarrage', ago: 4 * DAY, outOfService: true,
    diagnosis: 'Capteur de pression défectueux', actions: 'Remplacement du capteur, étalonnage et essai fonctionnel', labourMinutes: 75,
    part: { reference: 'CAPT-PRESS-02', description: 'Capteur de pression', quantity: 1 },
    conformity: 'conforming_with_reservations', conformityNote: 'Boîtier fissuré près du connecteur : à remplacer à la prochaine maintenance',
  },
  {
    state: 'closed', type: 'electrical_safety', priority: 'low', symptom: 'Contrôle de sécurité électrique périodique (IEC 62353)', ago: 40 * DAY,
    diagnosis: 'Contrôle périodique', actions: 'Mesures IEC 62353 : conformes', labourMinutes: 30, electricalSafety: true, conformity: 'conforming',
  },
  {
    state: 'closed', type: 'preventive', priority: 'low', symptom: 'Maintenance préventive annuelle (contrat constructeur)', ago: 95 * DAY,
    diagnosis: 'Maintenance préventive', actions: 'Kit de maintenance posé par le constructeur, essais conformes',
    vendor: { vendor: 'Service technique constructeur', reference: 'RI-2026-0412', technicianName: 'Marc Lefèvre', costCents: 48_000 },
    conformity: 'conforming',
  },
  { state: 'cancelled', type: 'corrective', priority: 'normal', symptom: 'Ne démarre pas', ago: 9 * DAY, cancelReason: 'Prise murale débranchée : résolu sur place' },
];

/** The legal path from requested to a state, with each step's delay after the request. */
function pathTo(s: Scenario): { to: WorkOrderState; after: number }[] {
  const span = Math.min(s.ago, 2 * DAY);
  const steps: { to: WorkOrderState; after: number }[] = [];
  if (s.state === 'requested') return steps;
  if (s.state === 'cancelled') return [{ to: 'cancelled', after: span / 2 }];
  steps.push({ to: 'assigned', after: span * 0.1 });
  if (s.state === 'assigned') return steps;
  steps.push({ to: 'in_progress', after: span * 0.2 });
  if (s.state === 'on_hold') steps.push({ to: 'on_hold', after: span * 0.4 });
  if (s.state === 'completed' || s.state === 'closed') steps.push({ to: 'completed', after: span * 0.6 });
  if (s.state === 'closed') steps.push({ to: 'closed', after: span * 0.9 });
  return steps;
}

/**
 * Demo work orders on every site of the demo territory: fault reports waiting, work in
 * progress or on hold, one to verify, a cross-site intervention and, in the register,
 * a closed electrical-safety test and a vendor's preventive maintenance. Consistent with
 * the rules of packages/domain (transitions, downtime, device statuses). Runs inside the
 * demo seed's transaction, on its fresh territory.
 */
export async function seedDemoWorkOrders(db: Kysely<DB>, territoryId: string): Promise<number> {
  const sites = await db.selectFrom('sites').select(['id', 'shortCode']).where('territoryId', '=', territoryId).orderBy('shortCode').execute();
  const grants = await db
    .selectFrom('roleGrants as g')
    .innerJoin('users as u', 'u.id', 'g.userId')
    .select(['g.role', 'g.siteId', 'u.id', 'u.fullName', 'u.homeSiteId'])
    .where('g.territoryId', '=', territoryId)
    .orderBy('u.email')
    .execute();
  const people = (siteId: string, role: string) => grants.filter((g) => g.siteId === siteId && g.role === role);
  const now = Date.now();
  let count = 0;

  for (const [siteIndex, site] of sites.entries()) {
    const technicians = people(site.id, 'technician');
    const care = people(site.id, 'care_staff');
    const planner = people(site.id, 'engineer')[0] ?? people(site.id, 'site_manager')[0];
    const outsider = grants.find((g) => g.role === 'technician' && !grants.some((h) => h.id === g.id && h.siteId === site.id));
    if (technicians.length === 0 || care.length === 0 || !planner) continue;
    const devices = await db
      .selectFrom('equipment as e')
      .leftJoin('equipmentModels as m', 'm.id', 'e.modelId')
      .select(['e.id', 'e.status', 'm.electricalClass', 'm.appliedPartType'])
      .where('e.siteId', '=', site.id)
      .where('e.status', '=', 'in_service')
      .orderBy('e.inventoryNumber')
      .limit(SCENARIOS.length * 7)
      .execute();

    for (const [i, s] of SCENARIOS.entries()) {
      let device = devices[(i * 7 + siteIndex) % devices.length];
      // An electrical-safety test needs the model's class: the next device whose model says it.
      if (s.electricalSafety && device && !profileOf(device)) {
        device = devices.slice((i * 7 + siteIndex) % devices.length).find((d) => profileOf(d)) ?? device;
      }
      if (!device) continue;
      const requestedAt = new Date(now - s.ago);
      const planned = s.type !== 'corrective';
      const requester = planned ? planner : care[i % care.length]!;
      const technician = s.crossSite && outsider ? outsider : technicians[i % technicians.length]!;
      const crossSite = s.crossSite === true && outsider !== undefined;
      const targets = DEFAULT_PRIORITY_TARGETS[s.priority];
      const steps = pathTo(s);
      const at = (state: WorkOrderState) => {
        const step = steps.find((x) => x.to === state);
        return step ? new Date(requestedAt.getTime() + step.after) : null;
      };
      const completedAt = at('completed');
      const downtimeEnded = s.outOfService && completedAt ? completedAt : null;
      const signed = s.state === 'completed' || s.state === 'closed';
      const wo = await db
        .insertInto('workOrders')
        .values({
          territoryId, siteId: site.id, equipmentId: device.id, number: await nextWorkOrderNumber(db, requestedAt),
          type: s.type, priority: s.priority, state: s.state, symptom: s.symptom, deviceOutOfService: s.outOfService === true,
          callbackName: planned ? null : requester.fullName, callbackPhone: planned ? null : `04 00 00 ${String(10 + i).padStart(2, '0')} ${String(10 + siteIndex).padStart(2, '0')}`,
          requestedBy: requester.id, requestedAt, createdAt: requestedAt, updatedAt: new Date(requestedAt.getTime() + (steps.at(-1)?.after ?? 0)),
          dueResponseAt: planned ? null : new Date(requestedAt.getTime() + targets.responseMinutes * 60_000),
          dueRepairAt: planned ? new Date(requestedAt.getTime() + 30 * DAY) : new Date(requestedAt.getTime() + targets.repairMinutes * 60_000),
          holdReason: s.holdReason ?? null, diagnosis: s.diagnosis ?? null, actions: s.actions ?? null, cancelReason: s.cancelReason ?? null,
          downtimeStartedAt: s.outOfService ? requestedAt : null, downtimeEndedAt: downtimeEnded,
          completedAt, closedAt: at('closed'), backInService: s.outOfService && completedAt ? true : null,
          conformity: completedAt ? (s.conformity ?? 'not_evaluated') : null, conformityNote: completedAt ? (s.conformityNote ?? null) : null,
          signedBy: signed ? technician.id : null, signedName: signed ? technician.fullName : null, signedAt: completedAt, signatureImage: signed ? SIGNATURE : null,
          version: 1 + steps.length,
        })
        .returning(['id', 'number'])
        .executeTakeFirstOrThrow();
      count++;

      await db.insertInto('workOrderTransitions').values([
        { workOrderId: wo.id, fromState: null, toState: 'requested', actorId: requester.id, at: requestedAt, reason: s.symptom },
        ...steps.map((step, k) => ({
          workOrderId: wo.id, fromState: k === 0 ? 'requested' : steps[k - 1]!.to, toState: step.to,
          actorId: step.to === 'closed' || step.to === 'cancelled' ? planner.id : technician.id,
          at: new Date(requestedAt.getTime() + step.after),
          holdReason: step.to === 'on_hold' ? (s.holdReason ?? null) : null,
          reason: step.to === 'cancelled' ? (s.cancelReason ?? null) : null,
        })),
      ]).execute();

      const assignedAt = at('assigned');
      if (assignedAt) {
        await db.insertInto('workOrderAssignees').values({ workOrderId: wo.id, userId: technician.id, assignedBy: planner.id, assignedAt, crossSite }).execute();
      }
      if (s.labourMinutes) {
        const start = at('in_progress') ?? requestedAt;
        await db.insertInto('workOrderLabour').values({
          workOrderId: wo.id, technicianId: technician.id, startedAt: start, endedAt: new Date(start.getTime() + s.labourMinutes * 60_000),
          minutes: s.labourMinutes, travelMinutes: crossSite ? 35 : 0, recordedBy: technician.id, recordedAt: start,
        }).execute();
      }
      if (s.vendor) {
        await db.insertInto('workOrderExternal').values({
          workOrderId: wo.id, vendor: s.vendor.vendor, vendorReference: s.vendor.reference, technicianName: s.vendor.technicianName, costCents: s.vendor.costCents,
          performedOn: (completedAt ?? requestedAt).toISOString().slice(0, 10), recordedBy: technician.id, recordedAt: completedAt ?? requestedAt,
        }).execute();
      }
      if (s.part) {
        await db.insertInto('workOrderParts').values({ workOrderId: wo.id, ...s.part, recordedBy: technician.id, recordedAt: at('in_progress') ?? requestedAt }).execute();
      }
      const profile = s.electricalSafety ? profileOf(device) : null;
      if (profile) {
        const method = demoMethod(profile, siteIndex);
        const template = IEC_62353_TEMPLATE.map((t) => ({
          key: t.key, label: t.label, kind: t.kind, mandatory: t.mandatory, unit: t.unit ?? null, min: t.limits?.min ?? null, max: t.limits?.max ?? null,
        }));
        const readings = demoReadings(profile, method, siteIndex);
        await db.insertInto('workOrderChecklistItems').values(electricalSafetyChecklist(template, profile, method).map((t, position) => {
          const value = t.kind === 'measurement' ? (readings[t.key] ?? null) : null;
          return {
            workOrderId: wo.id, position, key: t.key, label: t.label, kind: t.kind, mandatory: t.mandatory, unit: t.unit, minValue: t.min, maxValue: t.max,
            templateCode: 'iec-62353', measurementMethod: t.method, measurableFrom: t.measurableFrom, limitBasis: t.limitBasis,
            outcome: value === null ? 'pass' : evaluateMeasurement(value, t), numericValue: value, answeredBy: technician.id, answeredAt: completedAt,
          };
        })).execute();
      }
      if (s.outOfService) {
        const down = { territoryId, equipmentId: device.id, details: { workOrderId: wo.id } };
        const reported = { code: 'work_order_reported', number: wo.number, symptom: s.symptom } as const;
        if (downtimeEnded) {
          await insertEquipmentEvent(db, { ...down, kind: 'status_changed', actorId: requester.id, at: requestedAt, fromStatus: 'in_service', toStatus: 'out_of_service', codedReason: reported });
          await insertEquipmentEvent(db, { ...down, kind: 'status_changed', actorId: technician.id, at: downtimeEnded, fromStatus: 'out_of_service', toStatus: 'in_service', codedReason: { code: 'back_in_service', number: wo.number } });
        } else {
          await setEquipmentStatus(db, { ...down, from: 'in_service', to: 'out_of_service', actorId: requester.id, at: requestedAt, reason: null, codedReason: reported });
        }
      }
    }
  }
  return count;
}

function profileOf(d: { electricalClass: string | null; appliedPartType: string | null }): ElectricalProfile | null {
  const cls = ELECTRICAL_CLASSES.find((c) => c === d.electricalClass);
  const ap = APPLIED_PART_TYPES.find((a) => a === d.appliedPartType);
  return cls && ap ? { electricalClass: cls as ElectricalClass, appliedPartType: ap as AppliedPartType } : null;
}

/** The leakage method of a site's tester: direct, alternative or differential in turn (differential only where readings reach 75 µA: class I). */
function demoMethod(p: ElectricalProfile, siteIndex: number): LeakageMethod {
  const method = (['direct', 'alternative', 'differential'] as const)[siteIndex % 3]!;
  return method === 'differential' && p.electricalClass !== 'I' ? 'direct' : method;
}

/**
 * Readings a technician would note on a sound device of this class, varied per site: an
 * earth bond of a few tens of milliohms, insulation in the hundreds of megohms, leakage
 * currents well under their limits (higher by the alternative method, which puts the
 * whole mains voltage on the insulation; never under 75 µA by the differential method).
 */
function demoReadings(p: ElectricalProfile, method: LeakageMethod, siteIndex: number): Record<string, number> {
  const k = siteIndex % 6;
  const classI = p.electricalClass === 'I';
  const equipment = classI
    ? { direct: 62 + 37 * k, differential: 88 + 41 * k, alternative: 180 + 73 * k }[method]
    : { direct: 9 + 8 * k, differential: 9 + 8 * k, alternative: 48 + 27 * k }[method];
  return {
    protective_earth_resistance: Math.round((0.045 + 0.027 * k) * 1000) / 1000,
    insulation_resistance: classI ? 95 + 61 * k : 210 + 88 * k,
    insulation_resistance_applied_parts: 350 + 120 * k,
    equipment_leakage_current: equipment,
    applied_part_leakage_current: p.appliedPartType === 'CF' ? 3 + 4 * k : 24 + 55 * k,
  };
}

