import type { z } from 'zod';
import {
  encodeCursor,
  type ObligationReviewItem, type ObligationReviewQuery,
  type Equipment, type EquipmentCreate, type EquipmentSummary, type EquipmentEvent, type EquipmentListQuery, type EquipmentMove, type EquipmentStatusChange, type EquipmentUpdate,
} from '@gmao/contracts';
import {
  LABELS_FR, inSentence, allowedStatusTransitions, locationDisplayPath, can, canTransition, emScore, missingLegalFields, requiresLegalFields,
  parseScanCode, searchWords, computeObligations, obligationMismatches, MAINTENANCE_OBLIGATION_CLASSES,
  type EquipmentStatus, type LegalInventoryFields, type RiskClass, type UdiIssuingEntity,
} from '@gmao/domain';
import { historyReason } from '@gmao/domain';
import { insertEquipmentEvent, pendingNonConformity, type EquipmentEventValues } from '@gmao/db';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import type { Locale } from '../../lib/french.js';
import { HttpProblem, badRequest, conflict, forbidden, notFound, unprocessable, versionMismatch, type FieldError } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';
import { categorySubtree, findCategory, modelCriticality } from '../catalog/catalog.repository.js';
import { findLocation } from '../locations/locations.repository.js';
import { findSite } from '../sites/sites.repository.js';
import * as repo from './equipment.repository.js';

const UNIQUE = {
  equipment_inventory_number_key: { path: 'body.inventoryNumber', message: 'Ce numéro d’inventaire existe déjà dans le territoire.' },
};

/** A status as written in a French sentence (« hors service »). */
const statusLabel = (s: EquipmentStatus) => inSentence(LABELS_FR.equipmentStatuses[s]);

function locationPath(r: repo.EquipmentRow): string | null {
  const levels = [
    [r.l0Kind, r.l0Code, r.l0Label], [r.l1Kind, r.l1Code, r.l1Label], [r.l2Kind, r.l2Code, r.l2Label], [r.l3Kind, r.l3Code, r.l3Label],
  ].filter(([kind]) => kind !== null);
  if (levels.length === 0) return null;
  // Care units read best by their name (Réanimation); other levels by their code.
  return locationDisplayPath(levels.map(([kind, code, label]) => ({ kind: kind!, code: code ?? '', label: label ?? '' })));
}

function legalFields(r: Pick<repo.EquipmentRow, 'modelId' | 'supplier' | 'serialNumber' | 'locationId' | 'commissioningDate'>): LegalInventoryFields {
  return { modelId: r.modelId, supplier: r.supplier, serialNumber: r.serialNumber, locationId: r.locationId, commissioningDate: r.commissioningDate };
}

export function toEquipment(r: repo.EquipmentRow): Equipment {
  const overrides = { function: r.emFunction, physicalRisk: r.emPhysicalRisk, maintenance: r.emMaintenance, incidentHistory: r.emIncidentHistory };
  const category = r.categoryId
    ? { function: r.defaultFunctionScore!, physicalRisk: r.defaultPhysicalRisk!, maintenance: r.defaultMaintenanceRequirement! }
    : null;
  const computed = computeObligations({
    hasModel: r.modelId !== null, riskClass: r.riskClass as RiskClass | null, ionisingRadiation: r.ionisingRadiation ?? false,
  });
  return {
    id: r.id,
    inventoryNumber: r.inventoryNumber,
    site: { id: r.siteId, name: r.siteName, shortCode: r.siteShortCode },
    locationId: r.locationId,
    locationPath: locationPath(r),
    model: r.modelId ? { id: r.modelId, manufacturer: r.manufacturer!, modelName: r.modelName!, riskClass: r.riskClass as RiskClass | null } : null,
    category: r.categoryId ? { id: r.categoryId, code: r.categoryCode!, label: r.categoryLabel! } : null,
    serialNumber: r.serialNumber,
    udiDi: r.udiDi,
    udiIssuingEntity: r.udiIssuingEntity as UdiIssuingEntity | null,
    udiPi: r.udiPi,
    supplier: r.supplier,
    acquisitionDate: r.acquisitionDate,
    acquisitionCostCents: r.acquisitionCostCents,
    commissioningDate: r.commissioningDate,
    warrantyEnd: r.warrantyEnd,
    ownership: r.ownership as Equipment['ownership'],
    lenderSiteId: r.lenderSiteId,
    lenderName: r.lenderName,
    status: r.status as EquipmentStatus,
    maintenanceMode: r.maintenanceMode as Equipment['maintenanceMode'],
    criticality: r.criticality as Equipment['criticality'],
    maintenanceObligation: r.maintenanceObligation,
    qualityControlObligation: r.qualityControlObligation,
    computedObligations: { ...computed, mismatches: obligationMismatches(r, computed) },
    emOverrides: overrides,
    emScore: emScore(category, overrides),
    missingLegalFields: missingLegalFields(legalFields(r)),
    notes: r.notes,
    decommissionedAt: r.decommissionedAt,
    decommissionReason: r.decommissionReason as Equipment['decommissionReason'],
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * What the lists show of a device (GET /equipment). The EM score loses its parts here: the
 * compiled serialiser drops the properties a contract lacks at the top of an object, but not
 * inside a nullable one (it picks the branch of `X | null` by validating the value).
 */
export function toEquipmentSummary(e: Equipment): EquipmentSummary {
  return {
    id: e.id, inventoryNumber: e.inventoryNumber, site: e.site, locationId: e.locationId, locationPath: e.locationPath,
    model: e.model, category: e.category, serialNumber: e.serialNumber, status: e.status, criticality: e.criticality,
    maintenanceMode: e.maintenanceMode,
    emScore: e.emScore && { total: e.emScore.total, inPlannedMaintenance: e.emScore.inPlannedMaintenance },
    version: e.version, updatedAt: e.updatedAt,
  };
}

type Row = repo.EquipmentRow;
type CreateInput = z.output<typeof EquipmentCreate>;
type UpdateInput = z.output<typeof EquipmentUpdate>;

/** Column values from the API's field names (emOverrides spread into their columns). */
function columns(input: Partial<CreateInput & UpdateInput>): repo.EquipmentValues {
  const { emOverrides, ...rest } = input as Partial<CreateInput>;
  const out: Record<string, unknown> = { ...rest };
  if (emOverrides) {
    if ('function' in emOverrides) out.emFunction = emOverrides.function;
    if ('physicalRisk' in emOverrides) out.emPhysicalRisk = emOverrides.physicalRisk;
    if ('maintenance' in emOverrides) out.emMaintenance = emOverrides.maintenance;
    if ('incidentHistory' in emOverrides) out.emIncidentHistory = emOverrides.incidentHistory;
  }
  return out as repo.EquipmentValues;
}

function legalProblem(missing: (keyof LegalInventoryFields)[], status: EquipmentStatus) {
  return unprocessable(
    `Un équipement ${statusLabel(status)} doit avoir les informations d’inventaire exigées par l’article R.5212-28 du code de la santé publique : ${missing.map((m) => LABELS_FR.legalFields[m]).join(', ')}.`,
    'legal_fields_missing',
    missing.map((m) => ({ path: `body.${m}`, message: `${LABELS_FR.legalFields[m]} obligatoire` })),
  );
}

export class EquipmentService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  /** GET /equipment: the page as the lists show it (EquipmentSummary); the full device is `get`. */
  async listSummaries(ctx: ActorContext, query: z.output<typeof EquipmentListQuery>): Promise<{ items: EquipmentSummary[]; nextCursor: string | null }> {
    const page = await this.list(ctx, query);
    return { items: page.items.map(toEquipmentSummary), nextCursor: page.nextCursor };
  }

  /** The full devices of a page of the inventory (the exports read every field). */
  async list(ctx: ActorContext, query: z.output<typeof EquipmentListQuery>) {
    const territoryId = ctx.principal.territoryId;
    const db = this.deps.db;
    let locationIds: string[] | undefined;
    if (query.locationId) {
      const loc = await findLocation(db, territoryId, query.locationId);
      if (!loc) throw badRequest('Localisation inconnue.', [{ path: 'querystring.locationId', message: 'localisation inconnue' }]);
      locationIds = await repo.locationSubtree(db, query.locationId);
    }
    let categoryIds: string[] | undefined;
    if (query.categoryId) {
      if (!(await findCategory(db, territoryId, query.categoryId))) {
        throw badRequest('Catégorie inconnue.', [{ path: 'querystring.categoryId', message: 'catégorie inconnue' }]);
      }
      categoryIds = await categorySubtree(db, query.categoryId);
    }
    const rows = await repo.listEquipment(db, territoryId, {
      words: query.q ? searchWords(query.q) : undefined,
      siteId: query.siteId,
      locationIds,
      categoryIds,
      statuses: query.status,
      riskClasses: query.riskClass,
      criticalities: query.criticality,
      maintenanceModes: query.maintenanceMode,
      warrantyEndsBefore: query.warrantyEndsBefore,
      decommissionPending: query.decommissionPending,
      after: query.cursor?.[0],
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toEquipment), nextCursor: rows.length > query.limit && last ? encodeCursor([last.inventoryNumber]) : null };
  }

  /** GET /equipment/obligation-review: active devices whose manual obligation flags disagree with the computed ones. */
  async obligationReview(
    ctx: ActorContext,
    query: z.output<typeof ObligationReviewQuery>,
  ): Promise<{ items: ObligationReviewItem[]; nextCursor: string | null }> {
    const territoryId = ctx.principal.territoryId;
    if (query.siteId && !(await findSite(this.deps.db, territoryId, query.siteId))) {
      throw badRequest('Site inconnu.', [{ path: 'querystring.siteId', message: 'site inconnu' }]);
    }
    const rows = await repo.listObligationReview(this.deps.db, territoryId, {
      siteId: query.siteId, obligation: query.obligation, maintenanceClasses: MAINTENANCE_OBLIGATION_CLASSES,
      after: query.cursor?.[0], limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit).map(toEquipment);
    const last = items.at(-1);
    return {
      items: items.map((e) => ({
        ...toEquipmentSummary(e),
        maintenanceObligation: e.maintenanceObligation, qualityControlObligation: e.qualityControlObligation,
        computedObligations: e.computedObligations,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.inventoryNumber]) : null,
    };
  }

  async get(ctx: ActorContext, id: string): Promise<Equipment> {
    const row = await repo.findEquipment(this.deps.db, ctx.principal.territoryId, id);
    if (!row) throw notFound('Équipement');
    return toEquipment(row);
  }

  async create(ctx: ActorContext, input: CreateInput): Promise<Equipment> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const site = await findSite(trx, territoryId, input.siteId);
      if (!site) throw badRequest('Site inconnu.', [{ path: 'body.siteId', message: 'site inconnu' }]);
      if (!can(ctx.principal, 'inventory.write', { territoryId, siteId: site.id })) throw forbidden();
      const model = await this.checkReferences(trx, territoryId, site.id, input);
      const values = columns(input);
      // Without an explicit criticality, the category's default applies.
      if (values.criticality === undefined) values.criticality = model?.defaultCriticality ?? 'medium';
      // Without explicit obligation flags, the computed obligations apply (when they can be told).
      const computed = computeObligations({
        hasModel: model !== undefined, riskClass: (model?.riskClass ?? null) as RiskClass | null, ionisingRadiation: model?.ionisingRadiation ?? false,
      });
      if (values.maintenanceObligation === undefined) values.maintenanceObligation = computed.maintenance ?? false;
      if (values.qualityControlObligation === undefined) values.qualityControlObligation = computed.qualityControl ?? false;
      if (requiresLegalFields(input.status)) {
        const missing = missingLegalFields({
          modelId: input.modelId ?? null, supplier: input.supplier ?? null, serialNumber: input.serialNumber ?? null,
          locationId: input.locationId ?? null, commissioningDate: input.commissioningDate ?? null,
        });
        if (missing.length > 0) throw legalProblem(missing, input.status);
      }
      const id = await repo.insertEquipment(trx, territoryId, values).catch((e) => rethrowUnique(e, UNIQUE));
      const device = toEquipment((await repo.findEquipment(trx, territoryId, id))!);
      await insertEquipmentEvent(trx, {
        territoryId, equipmentId: id, kind: 'created', actorId: ctx.principal.userId, toStatus: device.status,
        toSiteId: site.id, toLocationId: device.locationId,
      });
      await audit(trx, ctx, 'equipment.create', 'equipment', id, null, device);
      return device;
    });
  }

  async update(ctx: ActorContext, id: string, version: number, patch: UpdateInput): Promise<Equipment> {
    return this.change(ctx, id, version, async (trx, current) => {
      await this.checkReferences(trx, ctx.principal.territoryId, current.siteId, patch);
      const values = columns(patch);
      const status = current.status as EquipmentStatus;
      if (requiresLegalFields(status)) {
        const missing = missingLegalFields({ ...legalFields(current), ...pickLegal(values) });
        if (missing.length > 0) throw legalProblem(missing, status);
      }
      return { values, event: (before, after) => ({ kind: 'updated', details: { changed: diff(before, after) } }), action: 'equipment.update' };
    });
  }

  async move(ctx: ActorContext, id: string, version: number, input: z.output<typeof EquipmentMove>): Promise<Equipment> {
    const territoryId = ctx.principal.territoryId;
    return this.change(ctx, id, version, async (trx, current) => {
      const target = await findSite(trx, territoryId, input.siteId);
      if (!target) throw badRequest('Site inconnu.', [{ path: 'body.siteId', message: 'site inconnu' }]);
      if (!can(ctx.principal, 'inventory.write', { territoryId, siteId: target.id })) {
        throw forbidden("Vous n'avez pas de rôle sur le site de destination.");
      }
      if (input.locationId) await this.checkLocation(trx, territoryId, target.id, input.locationId, 'body.locationId');
      if (current.siteId === target.id && current.locationId === input.locationId) {
        throw unprocessable('L’équipement est déjà à cet emplacement.', 'no_change');
      }
      const status = current.status as EquipmentStatus;
      if (requiresLegalFields(status) && input.locationId === null) throw legalProblem(['locationId'], status);
      return {
        values: { siteId: target.id, locationId: input.locationId },
        event: () => ({
          kind: 'moved', reason: input.reason, fromSiteId: current.siteId, toSiteId: target.id,
          fromLocationId: current.locationId, toLocationId: input.locationId,
        }),
        action: 'equipment.move',
      };
    });
  }

  async changeStatus(ctx: ActorContext, id: string, version: number, input: z.output<typeof EquipmentStatusChange>): Promise<Equipment> {
    return this.change(ctx, id, version, async (trx, current) => {
      const from = current.status as EquipmentStatus;
      if (input.to === 'in_service') {
        // After a non-conforming verdict, only the engineer's decision on the work order puts the device back (R.5212-28).
        const pending = await pendingNonConformity(trx, id);
        if (pending) {
          throw conflict(
            `Équipement déclaré non conforme au bon ${pending.number} : sa remise en service est décidée par un ingénieur biomédical sur ce bon.`,
            'non_conformity_pending',
          );
        }
      }
      if (!canTransition(from, input.to)) {
        const allowed = allowedStatusTransitions(from);
        throw conflict(
          input.to === 'decommissioned'
            ? 'La réforme passe par une demande approuvée par le responsable du site.'
            : `Passage de « ${statusLabel(from)} » à « ${statusLabel(input.to)} » impossible. Statuts possibles : ${allowed.length > 0 ? allowed.map((s) => `${s} (${statusLabel(s)})`).join(', ') : 'aucun'}.`,
          'invalid_transition',
        );
      }
      if (requiresLegalFields(input.to)) {
        const missing = missingLegalFields(legalFields(current));
        if (missing.length > 0) throw legalProblem(missing, input.to);
      }
      return {
        values: { status: input.to },
        event: () => ({ kind: 'status_changed', fromStatus: from, toStatus: input.to, reason: input.reason }),
        action: 'equipment.status',
      };
    });
  }

  /** What a phone camera read off a device → the matching devices (400 malformed, 404 nothing). */
  async lookup(ctx: ActorContext, raw: string) {
    const parsed = parseScanCode(raw);
    if (!parsed.ok) throw badRequest(parsed.error, [{ path: 'querystring.code', message: parsed.error }], 'invalid_code');
    const code = parsed.code;
    const territoryId = ctx.principal.territoryId;
    const rows =
      code.kind === 'gs1'
        ? code.gtin === null && code.serial === null
          ? []
          : await repo.equipmentByUdi(this.deps.db, territoryId, code.gtin, code.serial)
        : await repo.equipmentByInventoryNumber(this.deps.db, territoryId, code.inventoryNumber);
    if (rows.length === 0) throw new HttpProblem(404, 'no_match', 'Aucun équipement ne correspond à ce code.');
    const { kind, ...rest } = code;
    return { kind, parsed: rest as Record<string, unknown>, items: rows.map(toEquipment) };
  }

  /** The device's timeline, newest first; the reasons the product wrote are in the reader's language. */
  async history(ctx: ActorContext, id: string, locale: Locale = 'fr'): Promise<{ items: EquipmentEvent[] }> {
    const row = await repo.findEquipment(this.deps.db, ctx.principal.territoryId, id);
    if (!row) throw notFound('Équipement');
    const events = await repo.history(this.deps.db, id);
    return {
      items: events.map((e) => ({
        id: String(e.id),
        kind: e.kind as EquipmentEvent['kind'],
        at: e.at.toISOString(),
        actor: e.actorId ? { id: e.actorId, fullName: e.actorName ?? '' } : null,
        fromStatus: e.fromStatus as EquipmentStatus | null,
        toStatus: e.toStatus as EquipmentStatus | null,
        fromSite: e.fromSiteId ? { id: e.fromSiteId, name: e.fromSiteName ?? '' } : null,
        toSite: e.toSiteId ? { id: e.toSiteId, name: e.toSiteName ?? '' } : null,
        fromLocationId: e.fromLocationId,
        toLocationId: e.toLocationId,
        reason: historyReason(e, locale),
        details: (e.details as Record<string, unknown> | null) ?? null,
      })),
    };
  }

  /** Load, authorize, check the version, apply, record the event and the audit. */
  private async change(
    ctx: ActorContext,
    id: string,
    version: number,
    plan: (trx: AppDeps['db'], current: Row) => Promise<{
      values: repo.EquipmentValues;
      event: (before: Equipment, after: Equipment) => Omit<EquipmentEventValues, 'territoryId' | 'equipmentId' | 'actorId'>;
      action: string;
    }>,
  ): Promise<Equipment> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await repo.findEquipment(trx, territoryId, id);
      if (!current) throw notFound('Équipement');
      if (!can(ctx.principal, 'inventory.write', { territoryId, siteId: current.siteId })) throw forbidden();
      if (current.status === 'decommissioned') {
        throw conflict('Cet équipement est réformé : son dossier est conservé mais ne se modifie plus.', 'decommissioned');
      }
      if (current.version !== version) throw versionMismatch(current.version);
      const { values, event, action } = await plan(trx, current);
      const ok = await repo.updateEquipment(trx, id, version, values).catch((e) => rethrowUnique(e, UNIQUE));
      if (!ok) throw versionMismatch(current.version + 1);
      const before = toEquipment(current);
      const after = toEquipment((await repo.findEquipment(trx, territoryId, id))!);
      await insertEquipmentEvent(trx, { territoryId, equipmentId: id, actorId: ctx.principal.userId, ...event(before, after) });
      await audit(trx, ctx, action, 'equipment', id, before, after);
      return after;
    });
  }

  /** Location on the site, model and lender site of the territory; returns the model's category defaults. */
  private async checkReferences(
    trx: AppDeps['db'],
    territoryId: string,
    siteId: string,
    input: { locationId?: string | null; modelId?: string | null; lenderSiteId?: string | null },
  ) {
    const errors: FieldError[] = [];
    if (input.locationId) await this.checkLocation(trx, territoryId, siteId, input.locationId, 'body.locationId');
    let model: { defaultCriticality: string; riskClass: string | null; ionisingRadiation: boolean } | undefined;
    if (input.modelId) {
      model = await modelCriticality(trx, territoryId, input.modelId);
      if (!model) errors.push({ path: 'body.modelId', message: 'modèle inconnu' });
    }
    if (input.lenderSiteId && !(await findSite(trx, territoryId, input.lenderSiteId))) {
      errors.push({ path: 'body.lenderSiteId', message: 'site inconnu' });
    }
    if (errors.length > 0) throw badRequest('Références invalides.', errors, 'validation_failed');
    return model;
  }

  private async checkLocation(trx: AppDeps['db'], territoryId: string, siteId: string, locationId: string, path: string) {
    const loc = await findLocation(trx, territoryId, locationId);
    if (!loc || loc.siteId !== siteId) {
      throw badRequest('La localisation doit appartenir au site de l’équipement.', [{ path, message: 'localisation hors du site' }], 'validation_failed');
    }
  }
}

function pickLegal(values: repo.EquipmentValues): Partial<LegalInventoryFields> {
  const out: Partial<LegalInventoryFields> = {};
  for (const k of ['modelId', 'supplier', 'serialNumber', 'locationId', 'commissioningDate'] as const) {
    if (k in values) out[k] = (values as Record<string, string | null>)[k] ?? null;
  }
  return out;
}

// Derived values: their causes are recorded (model, flags, overrides), not them.
const DIFF_IGNORED = new Set(['version', 'updatedAt', 'emScore', 'missingLegalFields', 'computedObligations']);
function diff(before: Equipment, after: Equipment): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof Equipment)[]) {
    if (DIFF_IGNORED.has(key)) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = { from: before[key], to: after[key] };
  }
  return out;
}
