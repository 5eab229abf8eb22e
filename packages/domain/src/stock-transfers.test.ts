import { describe, expect, it } from 'vitest';
import type { Principal, RoleName } from './policy.js';
import {
  isTransferClosed, mayActOnTransfer, receiptShortfall, TRANSFER_ACTIONS, TRANSFER_STATES, transferActionsFor, transferTransition, type TransferAction, type TransferState,
} from './stock-transfers.js';

const SIDES = { territoryId: 't1', sourceSiteId: 'source', destinationSiteId: 'dest' };
const who = (role: RoleName, siteId: string | null, territoryId = 't1'): Principal => ({ userId: 'u', territoryId, grants: [{ role, siteId }] });

describe('transfer state machine', () => {
  it('allows exactly these transitions', () => {
    const allowed: Record<string, TransferState> = {
      'requested/approve': 'approved', 'requested/reject': 'rejected', 'requested/cancel': 'cancelled',
      'approved/ship': 'shipped', 'approved/cancel': 'cancelled', 'shipped/receive': 'received',
    };
    for (const state of TRANSFER_STATES) {
      for (const action of TRANSFER_ACTIONS) {
        expect(transferTransition(state, action), `${state}/${action}`).toBe(allowed[`${state}/${action}`] ?? null);
      }
    }
  });

  it('never cancels parts in transit and closes rejected, received and cancelled transfers', () => {
    expect(transferTransition('shipped', 'cancel')).toBeNull();
    expect(TRANSFER_STATES.filter(isTransferClosed)).toEqual(['rejected', 'received', 'cancelled']);
    for (const state of TRANSFER_STATES.filter(isTransferClosed)) {
      expect(TRANSFER_ACTIONS.map((a) => transferTransition(state, a)).every((s) => s === null)).toBe(true);
    }
  });
});

describe('transfer rights', () => {
  const matrix = (p: Principal) => Object.fromEntries((['request', ...TRANSFER_ACTIONS] as const).map((a: TransferAction | 'request') => [a, mayActOnTransfer(p, a, SIDES)]));
  it('gives the requesting site request, receive and cancel', () => {
    expect(matrix(who('technician', 'dest'))).toEqual({ request: true, approve: false, reject: false, ship: false, receive: true, cancel: true });
    expect(matrix(who('site_manager', 'dest'))).toEqual({ request: true, approve: false, reject: false, ship: false, receive: true, cancel: true });
  });
  it('gives the owning site’s managers and engineers approve, reject, ship and cancel, not its technicians', () => {
    for (const role of ['site_manager', 'engineer'] as const) {
      expect(matrix(who(role, 'source'))).toEqual({ request: false, approve: true, reject: true, ship: true, receive: false, cancel: true });
    }
    expect(Object.values(matrix(who('technician', 'source'))).some(Boolean)).toBe(false);
  });
  it('gives a third site and care staff nothing, the territory admin everything (of their territory)', () => {
    expect(Object.values(matrix(who('site_manager', 'third'))).some(Boolean)).toBe(false);
    expect(Object.values(matrix(who('care_staff', 'dest'))).some(Boolean)).toBe(false);
    expect(Object.values(matrix(who('territory_admin', null))).every(Boolean)).toBe(true);
    expect(Object.values(matrix(who('territory_admin', null, 't2'))).some(Boolean)).toBe(false);
  });
});

describe('partial receipt', () => {
  it('records the shortfall as lost, with a reason', () => {
    expect(receiptShortfall(5, 5, null)).toEqual({ lost: 0 });
    expect(receiptShortfall(5, 3, 'deux capteurs cassés')).toEqual({ lost: 2 });
    expect(receiptShortfall(5, 0, 'colis perdu')).toEqual({ lost: 5 });
    expect(receiptShortfall(5, 3, ' ')).toEqual({ error: 'loss_reason_required' });
    expect(receiptShortfall(5, 6, 'x')).toEqual({ error: 'received_exceeds_shipped' });
    expect(receiptShortfall(5, -1, 'x')).toEqual({ error: 'received_exceeds_shipped' });
  });
});

describe('transferActionsFor', () => {
  const at = (state: TransferState) => ({ ...SIDES, state });
  it('offers the owning site approve, reject and cancel on a request, then ship and cancel once approved', () => {
    const manager = who('site_manager', 'source');
    expect(transferActionsFor(manager, at('requested'))).toEqual(['approve', 'reject', 'cancel']);
    expect(transferActionsFor(manager, at('approved'))).toEqual(['ship', 'cancel']);
    expect(transferActionsFor(manager, at('shipped'))).toEqual([]);
  });
  it('offers the requesting site cancel before shipping and receive once shipped', () => {
    const technician = who('technician', 'dest');
    expect(transferActionsFor(technician, at('requested'))).toEqual(['cancel']);
    expect(transferActionsFor(technician, at('approved'))).toEqual(['cancel']);
    expect(transferActionsFor(technician, at('shipped'))).toEqual(['receive']);
  });
  it('offers nothing on a closed transfer, to a third site or to nobody', () => {
    const admin = who('territory_admin', null);
    for (const state of ['rejected', 'received', 'cancelled'] as const) expect(transferActionsFor(admin, at(state))).toEqual([]);
    expect(transferActionsFor(who('site_manager', 'third'), at('requested'))).toEqual([]);
    expect(transferActionsFor(null, at('requested'))).toEqual([]);
    expect(transferActionsFor(admin, at('requested'))).toEqual(['approve', 'reject', 'cancel']);
  });
});
