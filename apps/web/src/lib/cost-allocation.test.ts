import { describe, expect, it } from 'vitest';
import { CostConventionInput } from '@gmao/contracts';
import {
  conventionBody, correctionKind, formatMonth, formatSignedMoney, lineSource, mayReadLines, orientPair, pairDrill, parsePercent,
  sharesTotal, sitesToApprove, type ConventionDraft,
} from './cost-allocation.ts';
import { formatMoney, parseEuros } from './format.ts';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
/** Intl writes narrow no-break spaces in French: compare with plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('euro amounts', () => {
  it('formats cents in French and English, with a sign for balances', () => {
    expect(plain(formatMoney(123456, 'fr'))).toBe('1 234,56 €');
    expect(formatMoney(123456, 'en')).toBe('€1,234.56');
    expect(plain(formatSignedMoney(8000, 'fr'))).toBe('+80,00 €');
    expect(plain(formatSignedMoney(-8000, 'fr'))).toBe('-80,00 €');
    expect(plain(formatSignedMoney(0, 'fr'))).toBe('0,00 €');
  });

  it('reads euros typed in French or English as cents, refusing three decimals', () => {
    expect(parseEuros('52,50')).toBe(5250);
    expect(parseEuros('1 234,5 €')).toBe(123450);
    expect(parseEuros('0.35')).toBe(35);
    expect(parseEuros('')).toBeNull();
    expect(parseEuros('1,234')).toBeNaN();
    expect(parseEuros('-3')).toBeNaN();
  });

  it('names a month in the reader’s language', () => {
    expect(formatMonth('2026-11', 'fr')).toBe('novembre 2026');
    expect(formatMonth('2026-01', 'en')).toBe('January 2026');
    expect(formatMonth('bad', 'fr')).toBe('bad');
  });
});

describe('percentages and fixed shares', () => {
  it('reads a percentage of two decimals at most, between 0 and 100', () => {
    expect(parsePercent('12,5')).toBe(12.5);
    expect(parsePercent('33.33')).toBe(33.33);
    expect(parsePercent('0,07')).toBe(0.07);
    expect(parsePercent('100')).toBe(100);
    expect(parsePercent('')).toBeNull();
    expect(parsePercent('33,333')).toBeNaN();
    expect(parsePercent('100,01')).toBeNaN();
    expect(parsePercent('-1')).toBeNaN();
    expect(parsePercent('abc')).toBeNaN();
  });

  it('totals the shares exactly (no float drift), empty ones counting 0', () => {
    expect(sharesTotal(['33,33', '33,33', '33,34'])).toEqual({ total: 100, readable: true, complete: true });
    // 0.1 + 0.2 is not 0.3 in floats: the total is kept in hundredths.
    expect(sharesTotal(['0,1', '0,2', '99,7'])).toEqual({ total: 100, readable: true, complete: true });
    expect(sharesTotal(['50', '', '40'])).toEqual({ total: 90, readable: true, complete: false });
    expect(sharesTotal(['60', '50'])).toEqual({ total: 110, readable: true, complete: false });
    expect(sharesTotal(['50', 'x', '50'])).toEqual({ total: 100, readable: false, complete: false });
  });
});

describe('pairs: who owes whom', () => {
  it('turns a pair’s net into a debtor, a creditor and a positive amount', () => {
    expect(orientPair({ siteAId: A, siteBId: B, netCents: 12_000 })).toEqual({ debtorSiteId: B, creditorSiteId: A, amountCents: 12_000 });
    expect(orientPair({ siteAId: A, siteBId: B, netCents: -450 })).toEqual({ debtorSiteId: A, creditorSiteId: B, amountCents: 450 });
    expect(orientPair({ siteAId: A, siteBId: B, netCents: 0 })).toBeNull();
  });

  it('drills into a pair from a side whose lines the caller may read, or not at all', () => {
    expect(pairDrill(null, { siteAId: A, siteBId: B })).toEqual({ siteId: A, counterpartSiteId: B });
    expect(pairDrill([B], { siteAId: A, siteBId: B })).toEqual({ siteId: B, counterpartSiteId: A });
    expect(pairDrill([C], { siteAId: A, siteBId: B })).toBeNull();
    expect(mayReadLines(null, C)).toBe(true);
    expect(mayReadLines([A], C)).toBe(false);
  });
});

describe('approvals', () => {
  const site = (siteId: string, approved: boolean) => ({
    siteId, siteName: siteId, gaveCents: 0, receivedCents: 0, netCents: 0, lines: 0,
    gaveByKind: { labour: 0, travel: 0, partTransfer: 0, sharedContract: 0 },
    receivedByKind: { labour: 0, travel: 0, partTransfer: 0, sharedContract: 0 },
    approval: approved ? { approvedBy: { id: A, name: 'X' }, approvedAt: '2026-12-01T08:00:00.000Z' } : null,
  });
  const sites = [site(A, false), site(B, true), site(C, false)];

  it('offers the sites not yet approved where the user may approve, once the month has ended', () => {
    const mine = (siteId: string) => siteId === A || siteId === B;
    expect(sitesToApprove({ state: 'open', approvable: true, sites }, mine)).toEqual([A]);
    expect(sitesToApprove({ state: 'open', approvable: false, sites }, mine)).toEqual([]);
    expect(sitesToApprove({ state: 'closed', approvable: true, sites }, mine)).toEqual([]);
    expect(sitesToApprove({ state: 'open', approvable: true, sites }, () => false)).toEqual([]);
  });
});

describe('ledger lines', () => {
  const base = { sourceType: 'work_order_labour' as const, sourceId: C, workOrder: null, part: null, user: null };

  it('names the source: the work order first, else the contract, the part, the person', () => {
    expect(lineSource({ ...base, workOrder: { id: A, number: 'BT-2026-000042' }, user: { id: B, name: 'Léa' } })).toEqual({ type: 'workOrder', id: A, number: 'BT-2026-000042' });
    expect(lineSource({ ...base, sourceType: 'maintenance_contract' })).toEqual({ type: 'contract', id: C });
    expect(lineSource({ ...base, sourceType: 'stock_transfer', part: { id: A, label: 'Batterie' } })).toEqual({ type: 'part', label: 'Batterie' });
    expect(lineSource({ ...base, user: { id: B, name: 'Léa' } })).toEqual({ type: 'person', name: 'Léa' });
    expect(lineSource(base)).toEqual({ type: 'other' });
  });

  it('tells a counter-entry (a closed month’s source) from a correction within the month', () => {
    expect(correctionKind({ correction: false, month: '2026-11', sourceMonth: '2026-11-01' })).toBeNull();
    expect(correctionKind({ correction: true, month: '2026-11', sourceMonth: '2026-11-01' })).toBe('correction');
    expect(correctionKind({ correction: true, month: '2026-11', sourceMonth: null })).toBe('correction');
    expect(correctionKind({ correction: true, month: '2026-12', sourceMonth: '2026-10-01' })).toBe('counterEntry');
  });
});

describe('the convention form’s body', () => {
  const draft: ConventionDraft = {
    appliesFrom: '2027-01-01', technicianHourlyRate: '48,50', engineerHourlyRate: '65', travelMode: 'per_km', travelPerMinute: '9,99',
    travelPerKm: '0,45', overheadPercent: '12,5', contractSplit: 'fixed_shares', shares: { [A]: '60', [B]: '40', [C]: '' }, note: '',
  };

  it('sends cents, the other travel rate as 0, and the shares typed (empty ones left out)', () => {
    const { body, errors } = conventionBody(draft);
    expect(errors).toEqual({});
    expect(body).toMatchObject({
      technicianHourlyRateCents: 4850, engineerHourlyRateCents: 6500, travelMode: 'per_km', travelCentsPerMinute: 0, travelCentsPerKm: 45,
      overheadPercent: 12.5, contractSplit: 'fixed_shares', fixedShares: [{ siteId: A, percent: 60 }, { siteId: B, percent: 40 }],
    });
    expect(CostConventionInput.safeParse(body).success).toBe(true);
  });

  it('sends no shares with another split, and names the fields it cannot read', () => {
    expect(conventionBody({ ...draft, contractSplit: 'devices' }).body.fixedShares).toBeNull();
    const { errors } = conventionBody({ ...draft, technicianHourlyRate: '', engineerHourlyRate: '65,123', overheadPercent: '120', shares: { [A]: 'x' } });
    expect(errors).toEqual({
      technicianHourlyRateCents: 'required', engineerHourlyRateCents: 'invalidAmount', overheadPercent: 'invalidPercent', [`share.${A}`]: 'invalidPercent',
    });
  });
});
