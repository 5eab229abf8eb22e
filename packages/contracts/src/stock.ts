import { z } from 'zod';
import { PART_UNITS, STOCK_MOVEMENT_TYPES } from '@gmao/domain';
import { DateInput, IsoDate, listQuery, QueryBoolean, StoredText, Timestamp, Uuid } from './common.js';
import { PartCreate } from './work-orders.js';

/** Spare parts and stock (issue 12). Money in cents, quantities in the part's unit. */

export { PART_UNITS };
export const PartUnit = z.enum(PART_UNITS);

const Cents = z.number().int().min(0).max(100_000_000_00);

export const Part = z
  .object({
    id: Uuid,
    reference: z.string(),
    manufacturer: z.string(),
    manufacturerPartNumber: z.string(),
    description: z.string(),
    unit: PartUnit,
    defaultSupplier: z.string().nullable(),
    lastUnitCostCents: z.number().int().nullable(),
    active: z.boolean(),
    compatibleModelIds: z.array(Uuid),
    version: z.number().int(),
  })
  .meta({ id: 'Part' });
export type Part = z.infer<typeof Part>;

export const CataloguePartCreate = z.object({
  reference: z.string().trim().min(1).max(60),
  manufacturer: z.string().trim().max(120).default(''),
  manufacturerPartNumber: z.string().trim().max(80).default(''),
  description: z.string().trim().min(1).max(300),
  unit: PartUnit.default('piece'),
  defaultSupplier: z.string().trim().min(1).max(120).nullable().default(null),
  lastUnitCostCents: Cents.nullable().default(null),
  active: z.boolean().default(true),
  compatibleModelIds: z.array(Uuid).max(200).default([]),
});
export type CataloguePartCreate = z.input<typeof CataloguePartCreate>;

/** PATCH /api/v1/parts/{id} (If-Match: its version). */
export const CataloguePartUpdate = z
  .object({
    reference: z.string().trim().min(1).max(60),
    manufacturer: z.string().trim().max(120),
    manufacturerPartNumber: z.string().trim().max(80),
    description: z.string().trim().min(1).max(300),
    unit: PartUnit,
    defaultSupplier: z.string().trim().min(1).max(120).nullable(),
    lastUnitCostCents: Cents.nullable(),
    active: z.boolean(),
    compatibleModelIds: z.array(Uuid).max(200),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: 'au moins un champ à modifier' });
export type CataloguePartUpdate = z.input<typeof CataloguePartUpdate>;

export const PartListQuery = listQuery(z.tuple([StoredText, Uuid])).extend({
  q: z.string().trim().max(100).optional(),
  equipmentModelId: Uuid.optional(),
  active: QueryBoolean.optional(),
});

export const Store = z
  .object({ id: Uuid, siteId: Uuid, siteName: z.string(), code: z.string(), name: z.string(), active: z.boolean(), version: z.number().int() })
  .meta({ id: 'Store' });
export type Store = z.infer<typeof Store>;

export const StoreListQuery = z.object({ siteId: Uuid.optional() });

/** POST /api/v1/stores: a new store of a site (site managers and engineers of the site). */
export const StoreCreate = z.object({
  siteId: Uuid,
  code: z.string().trim().min(1).max(30),
  name: z.string().trim().min(1).max(120),
});
export type StoreCreate = z.input<typeof StoreCreate>;

/** PATCH /api/v1/stores/{id} (If-Match: its version): rename, or close (active false, only once empty). */
export const StoreUpdate = z
  .object({ code: z.string().trim().min(1).max(30), name: z.string().trim().min(1).max(120), active: z.boolean() })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: 'au moins un champ à modifier' });
export type StoreUpdate = z.input<typeof StoreUpdate>;

/** Value of the parts on the shelves (on hand × weighted average unit cost), in cents. */
const StockValueTotals = z.object({
  valueCents: z.number().int(),
  /** Units on hand. */
  units: z.number().int(),
  /** (store, part) rows with stock on hand. */
  lines: z.number().int(),
});
export const StockValue = z
  .object({
    territory: StockValueTotals.extend({
      /** Shipped between sites and not yet received, at the cost the parts left with. */
      inTransitValueCents: z.number().int(),
    }),
    sites: z.array(StockValueTotals.extend({
      siteId: Uuid,
      siteName: z.string(),
      stores: z.array(StockValueTotals.extend({ storeId: Uuid, storeName: z.string(), storeCode: z.string() })),
    })),
  })
  .meta({ id: 'StockValue' });
export type StockValue = z.infer<typeof StockValue>;
export const StockValueQuery = z.object({ siteId: Uuid.optional() });

export const StockLevel = z
  .object({
    storeId: Uuid,
    siteId: Uuid,
    partId: Uuid,
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    minimum: z.number().int(),
    maximum: z.number().int().nullable(),
    bin: z.string(),
    averageUnitCostCents: z.number().int(),
    /** What a stock row shows without fetching the part, the store and the site. */
    partReference: z.string(),
    partDescription: z.string(),
    partUnit: PartUnit,
    storeName: z.string(),
    siteName: z.string(),
    /** A closed store takes no movement; a deactivated part is no longer received. */
    storeActive: z.boolean(),
    partActive: z.boolean(),
  })
  .meta({ id: 'StockLevel' });
export type StockLevel = z.infer<typeof StockLevel>;

export const StockListQuery = listQuery(z.tuple([Uuid, Uuid])).extend({
  siteId: Uuid.optional(),
  storeId: Uuid.optional(),
  partId: Uuid.optional(),
  q: z.string().trim().max(100).optional(),
  belowMinimum: QueryBoolean.optional(),
});

/** PATCH /api/v1/stock/{storeId}/{partId}: the reorder point, the maximum and the bin (site managers, engineers). */
export const StockSettingsUpdate = z
  .object({
    minimum: z.number().int().min(0).max(1_000_000),
    maximum: z.number().int().min(0).max(1_000_000).nullable(),
    bin: z.string().trim().max(40),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: 'au moins un champ à modifier' })
  .refine((p) => p.minimum === undefined || p.maximum === undefined || p.maximum === null || p.maximum >= p.minimum, {
    message: 'le maximum doit être supérieur ou égal au minimum', path: ['maximum'],
  });
export const StockKeyParams = z.object({ storeId: Uuid, partId: Uuid });

export const STOCK_MOVEMENT_TYPE_VALUES = STOCK_MOVEMENT_TYPES;

export const StockMovement = z
  .object({
    id: z.number().int(),
    type: z.enum(STOCK_MOVEMENT_TYPE_VALUES),
    storeId: Uuid,
    partId: Uuid,
    delta: z.number().int(),
    quantity: z.number().int(),
    unitCostCents: z.number().int().nullable(),
    workOrderId: Uuid.nullable(),
    /** The decommissioned device a harvested part came from. */
    equipmentId: Uuid.nullable(),
    supplier: z.string().nullable(),
    purchaseOrderReference: z.string().nullable(),
    countedQuantity: z.number().int().nullable(),
    reason: z.string().nullable(),
    createdBy: z.object({ id: Uuid, fullName: z.string() }),
    createdAt: Timestamp,
  })
  .meta({ id: 'StockMovement' });
export type StockMovement = z.infer<typeof StockMovement>;

const MovementQuantity = z.number().int().min(-100_000).max(100_000);

/**
 * POST /api/v1/stock/movements. `quantity` is positive, except an adjustment's, which is
 * signed (the count found more: positive; fewer: negative) and never zero.
 */
export const StockMovementCreate = z
  .object({
    type: z.enum(['receipt', 'issue', 'return', 'adjustment']),
    storeId: Uuid,
    partId: Uuid,
    /** Required, except for an adjustment given as a count (`countedQuantity`). */
    quantity: MovementQuantity.optional(),
    /**
     * An inventory count (adjustments only): what is on the shelf. The delta (counted − on
     * hand) is computed when the stock row is locked, so a movement committed meanwhile is not
     * undone; 409 count_matches_stock when it finds what the books say.
     */
    countedQuantity: z.number().int().min(0).max(1_000_000).optional(),
    workOrderId: Uuid.optional(),
    unitCostCents: Cents.optional(),
    supplier: z.string().trim().min(1).max(120).optional(),
    purchaseOrderReference: z.string().trim().min(1).max(60).optional(),
    reason: z.string().trim().min(1).max(300).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.countedQuantity !== undefined) {
      if (m.type !== 'adjustment') ctx.addIssue({ code: 'custom', path: ['countedQuantity'], message: 'réservé aux ajustements (comptages)' });
      if (m.quantity !== undefined) ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'donnez la quantité comptée ou l’écart, pas les deux' });
    } else if (m.quantity === undefined) {
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'la quantité est obligatoire' });
    } else if (m.type === 'adjustment' ? m.quantity === 0 : m.quantity <= 0) {
      ctx.addIssue({
        code: 'custom', path: ['quantity'],
        message: m.type === 'adjustment' ? "l'ajustement doit changer la quantité (positif ou négatif)" : 'la quantité doit être positive',
      });
    }
    // A cost, supplier and order reference describe stock coming in from a supplier; the
    // other movements are valued at the store's weighted average cost.
    if (m.type !== 'receipt') {
      for (const field of ['unitCostCents', 'supplier', 'purchaseOrderReference'] as const) {
        if (m[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'réservé aux réceptions' });
      }
    }
    if (m.type === 'adjustment' && !m.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: "le motif de l'ajustement est obligatoire" });
    }
  });
export type StockMovementCreate = z.input<typeof StockMovementCreate>;

export const StockMovementResult = z.object({ movement: StockMovement, stock: StockLevel }).meta({ id: 'StockMovementResult' });

export const StockMovementListQuery = listQuery(z.tuple([z.number().int().min(1)])).extend({
  storeId: Uuid.optional(),
  partId: Uuid.optional(),
  workOrderId: Uuid.optional(),
  equipmentId: Uuid.optional(),
});

/**
 * POST /api/v1/equipment/{id}/harvest: parts taken from a device decommissioned for parts
 * harvesting (réforme, reason parts_harvesting, approved) into a store of the device's
 * site. A line valued (`unitCostCents`, 0 included) moves the store's weighted average; a
 * line without a value leaves it as it is (the parts count at the store's average).
 */
export const HarvestCreate = z.object({
  storeId: Uuid,
  parts: z
    .array(z.object({ partId: Uuid, quantity: z.number().int().min(1).max(10_000), unitCostCents: Cents.optional() }))
    .min(1)
    .max(50)
    .refine((lines) => new Set(lines.map((l) => l.partId)).size === lines.length, { message: 'chaque pièce une seule fois' }),
  note: z.string().trim().min(1).max(300).optional(),
});
export type HarvestCreate = z.input<typeof HarvestCreate>;
export const HarvestResult = z.object({ items: z.array(StockMovement) }).meta({ id: 'HarvestResult' });

export const StockAvailabilityQuery = z
  .object({
    partId: Uuid.optional(),
    q: z.string().trim().min(2).max(100).optional(),
    equipmentModelId: Uuid.optional(),
  })
  .refine((v) => [v.partId, v.q, v.equipmentModelId].filter((x) => x !== undefined).length === 1, {
    message: 'indiquez exactement un critère : partId, q ou equipmentModelId',
  });

export const StockAvailability = z
  .object({
    storeId: Uuid,
    storeName: z.string(),
    siteId: Uuid,
    siteName: z.string(),
    partId: Uuid,
    partReference: z.string(),
    partDescription: z.string(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    distanceKm: z.number().nullable(),
  })
  .meta({ id: 'StockAvailability' });
export type StockAvailability = z.infer<typeof StockAvailability>;

/** POST /api/v1/work-orders/{id}/parts with a part of the catalogue: issued from a store. */
export const WorkOrderStockPartCreate = z.object({
  partId: Uuid,
  storeId: Uuid,
  quantity: z.number().int().min(1).max(10_000),
});

/** The body of POST /api/v1/work-orders/{id}/parts: a part of a store, or a free-text line. */
export const WorkOrderPartCreate = z.union([WorkOrderStockPartCreate, PartCreate]);
export type WorkOrderPartCreate = z.input<typeof WorkOrderPartCreate>;

/** Quantity of a store held for an open work order (counted in the store's `reserved`). */
export const StockReservation = z
  .object({
    id: Uuid,
    workOrderId: Uuid,
    storeId: Uuid,
    partId: Uuid,
    /** What is still held (0 once used or released). */
    quantity: z.number().int(),
    state: z.enum(['active', 'used', 'released']),
    createdAt: Timestamp,
    closedAt: Timestamp.nullable(),
  })
  .meta({ id: 'StockReservation' });
export type StockReservation = z.infer<typeof StockReservation>;

export const ReservationParams = z.object({ id: Uuid, reservationId: Uuid });

/** POST /api/v1/work-orders/{id}/reservations/{reservationId}/release: why, optionally. */
export const ReservationRelease = z.object({ reason: z.string().trim().min(1).max(300).optional() }).default({});

// ---- Transfers between sites ------------------------------------------------------------

export const STOCK_TRANSFER_STATES = ['requested', 'approved', 'rejected', 'shipped', 'received', 'cancelled'] as const;

const TransferQuantity = z.number().int().min(1).max(100_000);
const Note = z.string().trim().min(1).max(300);
const Step = z.object({ by: Uuid, at: Timestamp }).nullable();

/**
 * A transfer of a part from a store of the owning (source) site to a store of the
 * requesting (destination) site. In transit while `shipped`. A receipt closes it:
 * `quantityLost` = shipped − received, with its `lossReason`. `unitCostCents` is the source's
 * weighted average cost when shipped; the values are quantities × that cost.
 */
export const StockTransfer = z
  .object({
    id: Uuid,
    state: z.enum(STOCK_TRANSFER_STATES),
    partId: Uuid,
    sourceStoreId: Uuid,
    sourceSiteId: Uuid,
    destinationStoreId: Uuid,
    destinationSiteId: Uuid,
    workOrderId: Uuid.nullable(),
    quantityRequested: z.number().int(),
    quantityApproved: z.number().int().nullable(),
    quantityShipped: z.number().int().nullable(),
    quantityReceived: z.number().int().nullable(),
    quantityLost: z.number().int().nullable(),
    /** Shipped but not yet received. */
    quantityInTransit: z.number().int(),
    unitCostCents: z.number().int().nullable(),
    valueShippedCents: z.number().int().nullable(),
    valueReceivedCents: z.number().int().nullable(),
    valueLostCents: z.number().int().nullable(),
    reason: z.string().nullable(),
    decisionNote: z.string().nullable(),
    lossReason: z.string().nullable(),
    cancelReason: z.string().nullable(),
    outMovementId: z.number().int().nullable(),
    inMovementId: z.number().int().nullable(),
    requested: z.object({ by: Uuid, at: Timestamp }),
    approved: Step,
    rejected: Step,
    shipped: Step,
    received: Step,
    cancelled: Step,
    version: z.number().int(),
  })
  .meta({ id: 'StockTransfer' });
export type StockTransfer = z.infer<typeof StockTransfer>;

/** POST /api/v1/stock/transfers: the requesting site asks a store of another site for a part. */
export const StockTransferCreate = z.object({
  sourceStoreId: Uuid,
  destinationStoreId: Uuid,
  partId: Uuid,
  quantity: TransferQuantity,
  workOrderId: Uuid.optional(),
  reason: Note.optional(),
});
export type StockTransferCreate = z.input<typeof StockTransferCreate>;

export const StockTransferListQuery = listQuery(z.tuple([z.number().int().min(1)])).extend({
  /** Transfers from or to this site. */
  siteId: Uuid.optional(),
  state: z.enum(STOCK_TRANSFER_STATES).optional(),
  partId: Uuid.optional(),
  /** The transfers requested for this work order. */
  workOrderId: Uuid.optional(),
});

/** approve: optionally fewer than requested. */
export const StockTransferApprove = z.object({ quantity: TransferQuantity.optional(), note: Note.optional() }).default({});
/** reject: why (required). */
export const StockTransferReject = z.object({ reason: Note });
/** ship: optionally fewer than approved. */
export const StockTransferShip = z.object({ quantity: TransferQuantity.optional(), note: Note.optional() }).default({});
/** receive: what arrived (default: everything shipped); what did not is lost, with its reason. */
export const StockTransferReceive = z
  .object({ quantity: z.number().int().min(0).max(100_000).optional(), lossReason: Note.optional() })
  .default({});
/** cancel (before shipping): why (required). */
export const StockTransferCancel = z.object({ reason: Note });

/**
 * GET /api/v1/stock/transfers/balance: what the sites gave each other through transfers
 * shipped in the period (Europe/Paris days, both included), valued at the unit cost the
 * parts left with (the source's weighted average). The requesting site owes what was
 * shipped to it; what was lost on the way is shown apart (and counted in what it owes).
 */
export const StockTransferBalanceQuery = z
  .object({ from: DateInput, to: DateInput, siteId: Uuid.optional() })
  .refine((q) => q.from <= q.to, { message: 'la date de fin doit suivre la date de début', path: ['to'] });
export const StockTransferBalance = z
  .object({
    from: IsoDate,
    to: IsoDate,
    pairs: z.array(z.object({
      fromSiteId: Uuid, fromSiteName: z.string(), toSiteId: Uuid, toSiteName: z.string(),
      transfers: z.number().int(), quantityShipped: z.number().int(),
      valueShippedCents: z.number().int(), valueLostCents: z.number().int(),
    })),
    sites: z.array(z.object({
      siteId: Uuid, siteName: z.string(),
      /** Value shipped to other sites. */
      givenCents: z.number().int(),
      /** Value shipped to it by other sites. */
      receivedCents: z.number().int(),
      /** given − received: what the other sites owe it (negative: what it owes). */
      netCents: z.number().int(),
    })),
  })
  .meta({ id: 'StockTransferBalance' });
export type StockTransferBalance = z.infer<typeof StockTransferBalance>;
