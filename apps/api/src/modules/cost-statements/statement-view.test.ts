import { describe, expect, it } from 'vitest';
import { addMonths, lastDay, nextMonthFirstDay, sitePairs, siteTotals } from './statement-view.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const sites = [{ id: A, name: 'Alpha' }, { id: B, name: 'Bêta' }, { id: C, name: 'Gamma' }];

describe('statement view', () => {
  const flows = [
    { creditorSiteId: A, debtorSiteId: B, kind: 'labour', amountCents: 10_000, lines: 2 },
    { creditorSiteId: B, debtorSiteId: A, kind: 'part_transfer', amountCents: 2_500, lines: 1 },
    { creditorSiteId: C, debtorSiteId: A, kind: 'shared_contract', amountCents: 4_000, lines: 1 },
    // A correction: a negative line.
    { creditorSiteId: A, debtorSiteId: B, kind: 'travel', amountCents: -300, lines: 1 },
  ];

  it('sums what each site gave and received, by kind', () => {
    const [a, b, c] = siteTotals(sites, flows, [{ siteId: B, approvedBy: A, approverName: 'Chef', approvedAt: new Date('2026-12-02T10:00:00Z'), note: '' }]);
    expect(a).toMatchObject({ gaveCents: 9_700, receivedCents: 6_500, netCents: 3_200, lines: 5, approval: null });
    expect(a!.gaveByKind).toEqual({ labour: 10_000, travel: -300, partTransfer: 0, sharedContract: 0 });
    expect(a!.receivedByKind).toEqual({ labour: 0, travel: 0, partTransfer: 2_500, sharedContract: 4_000 });
    expect(b).toMatchObject({ gaveCents: 2_500, receivedCents: 9_700, netCents: -7_200, lines: 4 });
    expect(b!.approval).toEqual({ approvedBy: { id: A, name: 'Chef' }, approvedAt: '2026-12-02T10:00:00.000Z' });
    expect(c).toMatchObject({ gaveCents: 4_000, receivedCents: 0, netCents: 4_000, lines: 1 });
    expect(a!.netCents + b!.netCents + c!.netCents).toBe(0);
  });

  it('pairs A before B in the sites’ order, net = what B owes A', () => {
    expect(sitePairs(sites, flows)).toEqual([
      { siteAId: A, siteBId: B, aGaveCents: 9_700, bGaveCents: 2_500, netCents: 7_200, lines: 4 },
      { siteAId: A, siteBId: C, aGaveCents: 0, bGaveCents: 4_000, netCents: -4_000, lines: 1 },
    ]);
  });

  it('walks months', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-11', -11)).toBe('2025-12');
    expect(nextMonthFirstDay('2026-12')).toBe('2027-01-01');
    expect(lastDay('2024-02')).toBe('2024-02-29');
    expect(lastDay('2026-02')).toBe('2026-02-28');
    expect(lastDay('2026-12')).toBe('2026-12-31');
  });
});
