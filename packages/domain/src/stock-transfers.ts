/**
 * Transfers of spare parts between sites (issue 12, ADR 0013): the state machine and who
 * may take each step. Pure: no I/O.
 *
 *   requested ─approve→ approved ─ship→ shipped (in transit) ─receive→ received
 *       │  └─reject→ rejected            (partial receipt: received < shipped, the rest lost)
 *       └──────cancel (requested or approved)→ cancelled
 */
import { can, type Principal } from './policy.js';

export const TRANSFER_STATES = ['requested', 'approved', 'rejected', 'shipped', 'received', 'cancelled'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

export const TRANSFER_ACTIONS = ['approve', 'reject', 'ship', 'receive', 'cancel'] as const;
export type TransferAction = (typeof TRANSFER_ACTIONS)[number];

const TRANSITIONS: Record<TransferAction, { from: readonly TransferState[]; to: TransferState }> = {
  approve: { from: ['requested'], to: 'approved' },
  reject: { from: ['requested'], to: 'rejected' },
  ship: { from: ['approved'], to: 'shipped' },
  receive: { from: ['shipped'], to: 'received' },
  // Before shipping only: once the parts have left, they are received (or recorded lost).
  cancel: { from: ['requested', 'approved'], to: 'cancelled' },
};

/** The state after the action, or null when the action is not allowed from this state. */
export function transferTransition(state: TransferState, action: TransferAction): TransferState | null {
  const t = TRANSITIONS[action];
  return t.from.includes(state) ? t.to : null;
}

/** The states from which the action is allowed. */
export function transferActionFrom(action: TransferAction): readonly TransferState[] {
  return TRANSITIONS[action].from;
}

/** States in which nothing more can happen. */
export function isTransferClosed(state: TransferState): boolean {
  return state === 'rejected' || state === 'received' || state === 'cancelled';
}

export interface TransferSides {
  territoryId: string;
  /** The owning site (source store's). */
  sourceSiteId: string;
  /** The requesting site (destination store's). */
  destinationSiteId: string;
}

/**
 * Who takes each step (the territory admin every one, through `can`):
 * - request, receive: the requesting site (stock.issue at the destination's site; site
 *   managers and engineers hold it too);
 * - approve, reject, ship: the owning site's managers and engineers (stock.manage at the source's site);
 * - cancel (before shipping): either side, the requester's site (stock.issue at the
 *   destination) or the owning site (stock.manage at the source).
 */
export function mayActOnTransfer(p: Principal, action: TransferAction | 'request', t: TransferSides): boolean {
  const atDestination = can(p, 'stock.issue', { territoryId: t.territoryId, siteId: t.destinationSiteId });
  const manageSource = can(p, 'stock.manage', { territoryId: t.territoryId, siteId: t.sourceSiteId });
  switch (action) {
    case 'request':
    case 'receive':
      return atDestination;
    case 'approve':
    case 'reject':
    case 'ship':
      return manageSource;
    case 'cancel':
      return atDestination || manageSource;
  }
}

/**
 * A receipt of `received` parts out of `shipped`: the transfer closes; what did not arrive
 * is lost (damaged, missing) and needs a reason. Returns the lost quantity, or an error code.
 */
export function receiptShortfall(shipped: number, received: number, lossReason: string | null | undefined):
  { lost: number } | { error: 'received_exceeds_shipped' | 'loss_reason_required' } {
  if (!Number.isInteger(received) || received < 0 || received > shipped) return { error: 'received_exceeds_shipped' };
  const lost = shipped - received;
  if (lost > 0 && !lossReason?.trim()) return { error: 'loss_reason_required' };
  return { lost };
}

/**
 * The steps a person may take on a transfer now: those its state allows (`transferTransition`)
 * and their rights give (`mayActOnTransfer`), in the order a screen offers them. The SPA shows
 * exactly these buttons; the API refuses the others (403 for the rights, 409 for the state).
 */
export function transferActionsFor(p: Principal | null | undefined, t: TransferSides & { state: TransferState }): TransferAction[] {
  if (!p) return [];
  return TRANSFER_ACTIONS.filter((action) => transferTransition(t.state, action) !== null && mayActOnTransfer(p, action, t));
}
