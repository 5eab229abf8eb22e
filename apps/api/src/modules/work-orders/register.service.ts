import type { Register } from '@gmao/contracts';
import { LABELS_FR, inSentence, type WorkOrderState, type WorkOrderType } from '@gmao/domain';
import type { ActorContext, AppDeps } from '../../lib/context.js';
import { notFound } from '../../lib/problem.js';
import { findEquipment } from '../equipment/equipment.repository.js';
import * as repo from './work-orders.repository.js';
import { registerPdf, workOrderReportPdf } from './report-pdf.js';

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

const CONFORMITY_LABELS = { conforme: 'Conforme', non_conforme: 'Non conforme', non_evalue: 'Non évaluée' } as const;

/** The register as a French PDF, for inspectors. */
export function registerAsPdf(r: Register): Promise<Uint8Array> {
  return registerPdf({
    device: { inventoryNumber: r.equipment.inventoryNumber, site: r.equipment.site, model: r.equipment.model, serialNumber: r.equipment.serialNumber },
    entries: r.entries.map((e) => ({
      number: e.number, date: paris(e.date), nature: NATURE_LABELS[e.nature], description: e.description || '—',
      performers: e.performedBy.map((p) => `${p.name} (${p.employer})`).join(', ') || '—',
      stop: paris(e.stoppedAt), restart: paris(e.restartedAt), performance: e.performance, conformity: CONFORMITY_LABELS[e.conformity],
    })),
  });
}

/** The register as French-Excel CSV (BOM, `;`, CRLF, Paris times). */
export function registerCsv(r: Register): string {
  const header = ['N° du bon', 'Date', 'Nature', 'Description', 'Intervenants (employeur)', 'Arrêt', 'Remise en service', 'Performances obtenues', 'Conformité'];
  const lines = r.entries.map((e) => [
    e.number, paris(e.date), NATURE_LABELS[e.nature], e.description,
    e.performedBy.map((p) => `${p.name} (${p.employer})`).join(', '), paris(e.stoppedAt), paris(e.restartedAt), e.performance.join(' ; '),
    CONFORMITY_LABELS[e.conformity],
  ].map(cell).join(';'));
  return '\ufeff' + [header.join(';'), ...lines].join('\r\n') + '\r\n';
}

const PRIORITY_LABELS: Record<string, string> = { critical: 'critique', high: 'haute', normal: 'normale', low: 'basse' };

/** The intervention report (bon d'intervention) of a work order, as a French PDF. */
export async function workOrderReport(deps: AppDeps, ctx: ActorContext, id: string): Promise<{ number: string; pdf: Uint8Array }> {
  const db = deps.db;
  const wo = await repo.findWorkOrder(db, ctx.principal.territoryId, id);
  if (!wo) throw notFound('Bon de travail');
  const device = await findEquipment(db, ctx.principal.territoryId, wo.equipmentId);
  const [labour, external, checklist, parts] = await Promise.all([repo.labourOf(db, id), repo.externalOf(db, id), repo.checklistOf(db, id), repo.partsOf(db, id)]);
  const euros = (cents: number) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);
  const png = wo.signatureImage?.startsWith('data:image/png;base64,') ? Buffer.from(wo.signatureImage.slice(22), 'base64') : null;
  const pdf = await workOrderReportPdf({
    number: wo.number, state: inSentence(LABELS_FR.workOrderStates[wo.state as WorkOrderState]), type: NATURE_LABELS[wo.type as WorkOrderType] ?? wo.type,
    priority: PRIORITY_LABELS[wo.priority] ?? wo.priority, site: wo.siteName,
    device: {
      inventoryNumber: wo.inventoryNumber, label: wo.manufacturer ? `${wo.manufacturer} ${wo.modelName}` : wo.inventoryNumber,
      serialNumber: device?.serialNumber ?? null,
      location: device ? [device.l0Code, device.l1Code, device.l2Label, device.l3Code].filter(Boolean).join(' › ') || null : null,
    },
    request: { symptom: wo.symptom, by: wo.requestedByName, at: paris(wo.requestedAt.toISOString()), outOfService: wo.deviceOutOfService },
    diagnosis: wo.diagnosis, actions: wo.actions,
    checklist: checklist.map((c) => ({
      label: c.label,
      result: c.outcome === 'not_applicable' ? 'sans objet'
        : c.kind === 'measurement' && c.numericValue !== null ? `${fmt(c.numericValue)} ${c.unit ?? ''} — ${c.outcome === 'pass' ? 'conforme' : 'non conforme'}`
        : c.kind === 'text' ? (c.textValue ?? '—')
        : c.outcome === 'pass' ? 'conforme' : c.outcome === 'fail' ? 'non conforme' : 'sans réponse',
    })),
    labour: labour.map((l) => ({ who: l.fullName, minutes: l.minutes, travelMinutes: l.travelMinutes })),
    parts: parts.map((p) => ({ reference: p.reference, description: p.description, quantity: p.quantity })),
    external: external.map((x) => ({ vendor: x.vendor, reference: x.vendorReference, cost: euros(x.costCents) })),
    downtime: { from: wo.downtimeStartedAt ? paris(wo.downtimeStartedAt.toISOString()) : null, to: wo.downtimeEndedAt ? paris(wo.downtimeEndedAt.toISOString()) : null },
    signature: wo.signedName && wo.signedAt ? { name: wo.signedName, at: paris(wo.signedAt.toISOString()), png } : null,
  });
  return { number: wo.number, pdf };
}
