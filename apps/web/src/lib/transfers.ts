import type { StockTransfer } from '@gmao/contracts';

/** Transfers of parts between sites (issue 12, ADR 0013), as the SPA shows them. Pure: no Vue state. */

export const TRANSFER_STEPS = ['requested', 'approved', 'rejected', 'shipped', 'received', 'cancelled'] as const;
export type TransferStep = (typeof TRANSFER_STEPS)[number];

export interface TransferStepView {
  step: TransferStep;
  by: string;
  at: string;
  /** The side whose people take this step (cancel: either). */
  side: 'source' | 'destination' | 'either';
}

const SIDE: Record<TransferStep, TransferStepView['side']> = {
  requested: 'destination', approved: 'source', rejected: 'source', shipped: 'source', received: 'destination', cancelled: 'either',
};

/** The steps the transfer went through, in the order they happened. */
export function transferSteps(t: Pick<StockTransfer, TransferStep>): TransferStepView[] {
  return TRANSFER_STEPS.flatMap((step) => {
    const s = t[step];
    return s ? [{ step, by: s.by, at: s.at, side: SIDE[step] }] : [];
  }).sort((a, b) => a.at.localeCompare(b.at));
}

/** Whether the transfer brings parts to the site ('in'), takes them from it ('out'), or neither. */
export function transferDirection(t: Pick<StockTransfer, 'sourceSiteId' | 'destinationSiteId'>, siteId: string | null): 'in' | 'out' | null {
  if (siteId === t.destinationSiteId) return 'in';
  if (siteId === t.sourceSiteId) return 'out';
  return null;
}

/** Badge tone of each state. */
export const TRANSFER_TONES: Record<StockTransfer['state'], string> = {
  requested: '', approved: 'badge-info', rejected: 'badge-danger', shipped: 'badge-info', received: 'badge-ok', cancelled: 'badge-off',
};

/**
 * What a receipt of `typed` parts would record: the quantity received and the shortfall, which
 * needs a loss reason. null when the number is not a whole number from 0 to what was shipped.
 */
export function receiptOf(shipped: number, typed: unknown): { received: number; lost: number } | null {
  const text = String(typed ?? '').trim();
  if (!/^\d+$/.test(text)) return null;
  const received = Number(text);
  return received <= shipped ? { received, lost: shipped - received } : null;
}
