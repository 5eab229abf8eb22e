import type { Register } from '@gmao/contracts';
import type { WorkOrderType } from '@gmao/domain';
import type { ActorContext, AppDeps } from '../../lib/context.js';
import { notFound } from '../../lib/problem.js';
import { findEquipment } from '../equipment/equipment.repository.js';

const fmt = (n: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 3 }).format(n);

/**
 * The maintenance register of a device (decree 2001-1154, art. R.5212-28 CSP): every
 * maintenance and quality-control operation in time order, with who did it and for which
 * employer, the date, the stop and restart dates, the nature of the operation, the
 * performance obtained and the conformity result. Built from completed work orders.
 */
export class RegisterService {
  constructor(private readonly deps: AppDeps) {}

  async register(ctx: ActorContext, equipmentId: string): Promise<Register> {
    const db = this.deps.db;
    const device = await findEquipment(db, ctx.principal.territoryId, equipmentId);
    if (!device) throw notFound('Équipement');
    const orders = await db
      .selectFrom('workOrders')
      .select(['id', 'number', 'type', 'siteId', 'completedAt', 'diagnosis', 'actions', 'downtimeStartedAt', 'downtimeEndedAt'])
      .where('equipmentId', '=', equipmentId)
      .where('state', 'in', ['completed', 'closed'])
      .where('completedAt', 'is not', null)
      .orderBy('completedAt')
      .execute();
    const ids = orders.map((o) => o.id);
    const [assignees, vendors, checks] = ids.length === 0 ? [[], [], []] : await Promise.all([
      db.selectFrom('workOrderAssignees as a').innerJoin('users as u', 'u.id', 'a.userId').leftJoin('sites as s', 's.id', 'u.homeSiteId')
        .select(['a.workOrderId', 'u.fullName', 'u.homeSiteId', 's.name as siteName']).where('a.workOrderId', 'in', ids).orderBy('a.assignedAt').execute(),
      db.selectFrom('workOrderExternal').select(['workOrderId', 'vendor', 'vendorReference']).where('workOrderId', 'in', ids).orderBy('recordedAt').execute(),
      db.selectFrom('workOrderChecklistItems').select(['workOrderId', 'label', 'kind', 'unit', 'minValue', 'maxValue', 'outcome', 'numericValue', 'textValue'])
        .where('workOrderId', 'in', ids).orderBy('position').execute(),
    ]);
    const entries = orders.map((o) => {
      const items = checks.filter((c) => c.workOrderId === o.id && c.outcome !== 'not_applicable' && (c.outcome !== null || c.textValue !== null));
      const performance = items.map((c) => {
        if (c.kind === 'measurement') {
          const limits = [c.minValue !== null ? `≥ ${fmt(c.minValue)}` : null, c.maxValue !== null ? `≤ ${fmt(c.maxValue)}` : null].filter(Boolean).join(' et ');
          return `${c.label} : ${fmt(c.numericValue!)} ${c.unit ?? ''}${limits ? ` (${limits})` : ''} ${c.outcome === 'pass' ? 'conforme' : 'non conforme'}`.replace(/\s+/g, ' ').trim();
        }
        if (c.kind === 'text') return `${c.label} : ${c.textValue}`;
        return `${c.label} : ${c.outcome === 'pass' ? 'conforme' : 'non conforme'}`;
      });
      const judged = items.filter((c) => c.outcome === 'pass' || c.outcome === 'fail');
      return {
        workOrderId: o.id,
        number: o.number,
        date: o.completedAt!.toISOString(),
        nature: o.type as WorkOrderType,
        description: [o.diagnosis, o.actions].filter(Boolean).join(' — '),
        performedBy: [
          ...assignees.filter((a) => a.workOrderId === o.id).map((a) => ({
            name: a.fullName, employer: a.siteName ?? 'GHT', kind: a.homeSiteId === o.siteId ? ('own_site' as const) : ('other_site' as const),
          })),
          ...vendors.filter((v) => v.workOrderId === o.id).map((v) => ({
            name: v.vendorReference ? `${v.vendor} (réf. ${v.vendorReference})` : v.vendor, employer: v.vendor, kind: 'vendor' as const,
          })),
        ],
        stoppedAt: o.downtimeStartedAt?.toISOString() ?? null,
        restartedAt: o.downtimeEndedAt?.toISOString() ?? null,
        performance,
        conformity: judged.length === 0 ? ('non_evalue' as const) : judged.some((c) => c.outcome === 'fail') ? ('non_conforme' as const) : ('conforme' as const),
      };
    });
    return {
      equipment: {
        id: device.id, inventoryNumber: device.inventoryNumber, site: device.siteName,
        model: device.manufacturer ? `${device.manufacturer} ${device.modelName}` : null, serialNumber: device.serialNumber,
      },
      entries,
    };
  }
}

const NATURE_LABELS: Record<WorkOrderType, string> = {
  corrective: 'Maintenance corrective', preventive: 'Maintenance préventive', quality_control: 'Contrôle qualité',
  electrical_safety: 'Contrôle de sécurité électrique', commissioning: 'Mise en service', recall_action: 'Action de rappel',
  decommissioning: 'Réforme', other: 'Autre',
};

const cell = (v: string) => (/[";\r\n]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"` : v);
const paris = (iso: string | null) => (iso ? new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso)) : '');

/** The register as French-Excel CSV (BOM, `;`, CRLF, Paris times). */
export function registerCsv(r: Register): string {
  const header = ['N° du bon', 'Date', 'Nature', 'Description', 'Intervenants (employeur)', 'Arrêt', 'Remise en service', 'Performances obtenues', 'Conformité'];
  const lines = r.entries.map((e) => [
    e.number, paris(e.date), NATURE_LABELS[e.nature], e.description,
    e.performedBy.map((p) => `${p.name} (${p.employer})`).join(', '), paris(e.stoppedAt), paris(e.restartedAt), e.performance.join(' ; '),
    e.conformity === 'conforme' ? 'Conforme' : e.conformity === 'non_conforme' ? 'Non conforme' : 'Non évaluée',
  ].map(cell).join(';'));
  return '\ufeff' + [header.join(';'), ...lines].join('\r\n') + '\r\n';
}
