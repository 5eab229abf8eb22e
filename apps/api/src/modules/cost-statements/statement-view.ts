import type { LedgerKind, LedgerLine, StatementByKind, StatementPair, StatementSiteTotal } from '@gmao/contracts';
import type { ApprovalRow, FlowRow, LineRow, SiteRow } from './cost-statements.repository.js';

/**
 * From the month's sums per (creditor, debtor, kind) to the statement: what each site gave
 * (creditor) and received (debtor), by kind, and every pair of sites with lines. Pure: the
 * totals are sums of the same rows, so they always add up to the lines.
 */

const KIND_KEY: Record<LedgerKind, keyof StatementByKind> = {
  labour: 'labour', travel: 'travel', part_transfer: 'partTransfer', shared_contract: 'sharedContract',
};

const noKinds = (): StatementByKind => ({ labour: 0, travel: 0, partTransfer: 0, sharedContract: 0 });

export function siteTotals(sites: readonly SiteRow[], flows: readonly FlowRow[], approvals: readonly ApprovalRow[]): StatementSiteTotal[] {
  return sites.map((site) => {
    const gaveByKind = noKinds();
    const receivedByKind = noKinds();
    let gave = 0;
    let received = 0;
    let lines = 0;
    for (const f of flows) {
      const key = KIND_KEY[f.kind as LedgerKind];
      if (f.creditorSiteId === site.id) {
        gave += f.amountCents;
        gaveByKind[key] += f.amountCents;
        lines += f.lines;
      }
      if (f.debtorSiteId === site.id) {
        received += f.amountCents;
        receivedByKind[key] += f.amountCents;
        lines += f.lines;
      }
    }
    const a = approvals.find((x) => x.siteId === site.id);
    return {
      siteId: site.id, siteName: site.name, gaveCents: gave, receivedCents: received, netCents: gave - received, gaveByKind, receivedByKind, lines,
      approval: a ? { approvedBy: { id: a.approvedBy, name: a.approverName }, approvedAt: a.approvedAt.toISOString() } : null,
    };
  });
}

/** Every pair with lines, A before B in the sites' order (by name), netCents = what B owes A. */
export function sitePairs(sites: readonly SiteRow[], flows: readonly FlowRow[]): StatementPair[] {
  const rank = new Map(sites.map((s, i) => [s.id, i]));
  const pairs = new Map<string, StatementPair>();
  for (const f of flows) {
    const creditorFirst = (rank.get(f.creditorSiteId) ?? 0) <= (rank.get(f.debtorSiteId) ?? 0);
    const [a, b] = creditorFirst ? [f.creditorSiteId, f.debtorSiteId] : [f.debtorSiteId, f.creditorSiteId];
    const key = `${a}/${b}`;
    const p = pairs.get(key) ?? { siteAId: a, siteBId: b, aGaveCents: 0, bGaveCents: 0, netCents: 0, lines: 0 };
    if (creditorFirst) p.aGaveCents += f.amountCents;
    else p.bGaveCents += f.amountCents;
    p.netCents = p.aGaveCents - p.bGaveCents;
    p.lines += f.lines;
    pairs.set(key, p);
  }
  return [...pairs.values()].sort((x, y) => (rank.get(x.siteAId)! - rank.get(y.siteAId)!) || (rank.get(x.siteBId)! - rank.get(y.siteBId)!));
}

export function toLedgerLine(r: LineRow): LedgerLine {
  const model = [r.manufacturer, r.modelName].filter(Boolean).join(' ');
  return {
    id: r.id, month: r.month, occurredOn: r.occurredOn, creditorSiteId: r.creditorSiteId, debtorSiteId: r.debtorSiteId,
    kind: r.kind as LedgerKind, amountCents: r.amountCents, quantity: r.quantity, unitCostCents: r.unitCostCents,
    sourceType: r.sourceType as LedgerLine['sourceType'], sourceId: r.sourceId, sourceMonth: r.sourceMonth,
    workOrder: r.workOrderId ? { id: r.workOrderId, number: r.workOrderNumber ?? '' } : null,
    equipment: r.equipmentId ? { id: r.equipmentId, label: model ? `${r.inventoryNumber} — ${model}` : (r.inventoryNumber ?? '') } : null,
    user: r.userId ? { id: r.userId, name: r.userName ?? '' } : null,
    part: r.partId ? { id: r.partId, label: [r.partReference, r.partDescription].filter(Boolean).join(' — ') } : null,
    conventionVersionId: r.conventionVersionId, correction: r.correction, description: r.description, createdAt: r.createdAt.toISOString(),
  };
}

/** 'YYYY-MM' → its first day. */
export const firstDay = (month: string): string => `${month}-01`;

/** The first day of the month after 'YYYY-MM'. */
export function nextMonthFirstDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** 'YYYY-MM' shifted by n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** The last day of 'YYYY-MM'. */
export function lastDay(month: string): string {
  const d = new Date(Date.parse(`${nextMonthFirstDay(month)}T00:00:00Z`) - 86_400_000);
  return d.toISOString().slice(0, 10);
}
