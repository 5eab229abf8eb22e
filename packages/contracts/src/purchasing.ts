import { z } from 'zod';
import { GROUPED_ORDER_STATES } from '@gmao/domain';
import { listQuery, Timestamp, Uuid } from './common.js';
import { PartUnit } from './stock.js';

/** Grouped purchasing across the territory (issue 12, ADR 0014). Money in cents (excluding tax). */

const Cents = z.number().int().min(0).max(100_000_000_00);
const Quantity = z.number().int().min(1).max(100_000);
const Supplier = z.string().trim().min(1).max(120);

// ---- The proposal ----------------------------------------------------------------------

/** GET /api/v1/purchasing/grouped-order (and its exports): optional filters. */
export const GroupedOrderProposalQuery = z.object({
  /** One supplier's lines; `supplier=` (empty) for the parts without a default supplier. */
  supplier: z.string().trim().max(120).optional(),
  /** Only the stores of this site. */
  siteId: Uuid.optional(),
});

/** A store's need for a part: its stock, what is coming, and the quantity proposed. */
export const ProposalAllocation = z
  .object({
    storeId: Uuid,
    storeName: z.string(),
    siteId: Uuid,
    siteName: z.string(),
    onHand: z.number().int(),
    minimum: z.number().int(),
    maximum: z.number().int().nullable(),
    /** On open grouped orders for this store and not yet received. */
    onOrder: z.number().int(),
    /** Transfers to this store approved or shipped, not yet received. */
    inTransit: z.number().int(),
    averageUnitCostCents: z.number().int(),
    quantity: z.number().int(),
  })
  .meta({ id: 'ProposalAllocation' });
export type ProposalAllocation = z.infer<typeof ProposalAllocation>;

const PartColumns = {
  partId: Uuid,
  partReference: z.string(),
  manufacturer: z.string(),
  manufacturerPartNumber: z.string(),
  description: z.string(),
  unit: PartUnit,
};

export const ProposalLine = z
  .object({
    ...PartColumns,
    /** The part's default supplier; null when it has none. */
    supplier: z.string().nullable(),
    unitCostCents: z.number().int(),
    /** last: the part's last purchase cost; average: the stores' weighted average; none: unknown (0). */
    unitCostSource: z.enum(['last', 'average', 'none']),
    quantity: z.number().int(),
    totalCents: z.number().int(),
    allocations: z.array(ProposalAllocation),
  })
  .meta({ id: 'ProposalLine' });
export type ProposalLine = z.infer<typeof ProposalLine>;

export const GroupedOrderProposal = z
  .object({
    /** One group per supplier (by name), the parts without a supplier last (supplier null). */
    groups: z.array(z.object({ supplier: z.string().nullable(), lines: z.array(ProposalLine), totalCents: z.number().int() })),
    totalCents: z.number().int(),
    generatedAt: Timestamp,
  })
  .meta({ id: 'GroupedOrderProposal' });
export type GroupedOrderProposal = z.infer<typeof GroupedOrderProposal>;

// ---- Orders ----------------------------------------------------------------------------

export const GroupedOrderAllocation = z
  .object({
    id: Uuid,
    storeId: Uuid,
    storeName: z.string(),
    siteId: Uuid,
    siteName: z.string(),
    quantityOrdered: z.number().int(),
    quantityReceived: z.number().int(),
  })
  .meta({ id: 'GroupedOrderAllocation' });

export const GroupedOrderLine = z
  .object({
    id: Uuid,
    ...PartColumns,
    supplier: z.string(),
    unitCostCents: z.number().int(),
    quantityOrdered: z.number().int(),
    quantityReceived: z.number().int(),
    totalCents: z.number().int(),
    allocations: z.array(GroupedOrderAllocation),
  })
  .meta({ id: 'GroupedOrderLine' });
export type GroupedOrderLine = z.infer<typeof GroupedOrderLine>;

const Step = z.object({ by: Uuid, at: Timestamp }).nullable();

export const GroupedOrder = z
  .object({
    id: Uuid,
    /** The human number (CG-000042), the purchase-order reference of its receipts on the ledger. */
    number: z.string(),
    state: z.enum(GROUPED_ORDER_STATES),
    note: z.string().nullable(),
    cancelReason: z.string().nullable(),
    /** Why the rest of a partially received order was closed. */
    closeReason: z.string().nullable(),
    suppliers: z.array(z.string()),
    quantityOrdered: z.number().int(),
    quantityReceived: z.number().int(),
    totalCents: z.number().int(),
    lines: z.array(GroupedOrderLine),
    created: z.object({ by: Uuid, at: Timestamp }),
    lastReceived: Step,
    cancelled: Step,
    closed: Step,
    version: z.number().int(),
  })
  .meta({ id: 'GroupedOrder' });
export type GroupedOrder = z.infer<typeof GroupedOrder>;

/** The list answers the order without its lines (GET /purchasing/grouped-orders/{id} has them). */
export const GroupedOrderSummary = GroupedOrder.omit({ lines: true }).extend({ lineCount: z.number().int() }).meta({ id: 'GroupedOrderSummary' });
export type GroupedOrderSummary = z.infer<typeof GroupedOrderSummary>;

export const GroupedOrderListQuery = listQuery(z.tuple([z.number().int().min(1)])).extend({
  state: z.enum(GROUPED_ORDER_STATES).optional(),
});

/** POST /api/v1/purchasing/grouped-orders: the proposal as the buyer edited it. */
export const GroupedOrderCreate = z
  .object({
    note: z.string().trim().min(1).max(500).optional(),
    lines: z
      .array(z.object({
        partId: Uuid,
        supplier: Supplier,
        unitCostCents: Cents,
        allocations: z.array(z.object({ storeId: Uuid, quantity: Quantity })).min(1).max(200),
      }))
      .min(1)
      .max(5000),
  })
  .superRefine((o, ctx) => {
    const parts = new Set<string>();
    o.lines.forEach((line, i) => {
      if (parts.has(line.partId)) ctx.addIssue({ code: 'custom', path: ['lines', i, 'partId'], message: 'pièce déjà commandée sur une autre ligne' });
      parts.add(line.partId);
      const stores = new Set<string>();
      line.allocations.forEach((a, j) => {
        if (stores.has(a.storeId)) ctx.addIssue({ code: 'custom', path: ['lines', i, 'allocations', j, 'storeId'], message: 'magasin déjà servi sur cette ligne' });
        stores.add(a.storeId);
      });
    });
  });
export type GroupedOrderCreate = z.input<typeof GroupedOrderCreate>;

/** POST /api/v1/purchasing/grouped-orders/{id}/cancel: why (before any receipt). */
export const GroupedOrderCancel = z.object({ reason: z.string().trim().min(1).max(300) });
/** POST /api/v1/purchasing/grouped-orders/{id}/close: why the rest of a partially received order will not come. */
export const GroupedOrderClose = GroupedOrderCancel;

/**
 * POST /api/v1/purchasing/grouped-orders/{id}/receipt: what arrived, per line (its id or its
 * part), split into the stores by ADR 0014's rule; optionally at another unit cost.
 */
export const GroupedOrderReceipt = z
  .object({
    lines: z
      .array(z.object({
        lineId: Uuid.optional(),
        partId: Uuid.optional(),
        quantityReceived: z.number().int().min(1).max(10_000_000),
        unitCostCents: Cents.optional(),
      }).refine((l) => (l.lineId === undefined) !== (l.partId === undefined), { message: 'indiquez lineId ou partId (un seul)' }))
      .min(1)
      .max(5000),
    /** The supplier's own reference (delivery note, confirmation), written after the order's number. */
    purchaseOrderReference: z.string().trim().min(1).max(40).optional(),
    /** The supplier on the ledger rows (default: each line's). */
    supplier: Supplier.optional(),
    /**
     * What arrived at one site (a delivery per site): split between that site's stores only.
     * Without it, between every store of the line. The receiver needs stock.manage at every
     * site whose stores receive (the territory admin everywhere).
     */
    siteId: Uuid.optional(),
  });
export type GroupedOrderReceipt = z.input<typeof GroupedOrderReceipt>;

/** The answer of a receipt: the order after it, and one receipt movement per store that received parts. */
export const GroupedOrderReceiptResult = z
  .object({
    order: GroupedOrder,
    receipts: z.array(z.object({
      lineId: Uuid, partId: Uuid, storeId: Uuid, siteId: Uuid, quantity: z.number().int(), unitCostCents: z.number().int(), movementId: z.number().int(),
    })),
  })
  .meta({ id: 'GroupedOrderReceiptResult' });
export type GroupedOrderReceiptResult = z.infer<typeof GroupedOrderReceiptResult>;
