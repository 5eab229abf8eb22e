import type { Kysely } from 'kysely';
import type { Register } from '@gmao/contracts';
import { checklistOf, externalOf, labourOf, partsOf, type DB } from '@gmao/db';
import { LABELS_FR, inSentence, type WorkOrderType } from '@gmao/domain';
import type { ActorContext } from '../../lib/context.js';
import { frenchNumber } from '../../lib/french.js';
import { notFound } from '../../lib/problem.js';
import { findEquipment } from '../equipment/equipment.repository.js';
import { registerChecks, registerOrders, registerPerformers } from './register.repository.js';
import { workOrderReportPdf } from './work-order-documents.js';
import { findOr404 } from './work-order-view.js';

/**
 * The maintenance register of a device (decree 2001-1154, art. R.5212-28 CSP): every
 * maintenance and quality-control operation in time order, with who did it and for which
 * employer, the date, the stop and restart dates, the nature of the operation, the
 * performance obtained and the conformity result. Built from completed work orders.
 * Also the intervention report (bon d'intervention) of one work order.
 */
export class RegisterService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}

  async register(ctx: ActorContext, equipmentId: string): Promise<Register> {
    const db = this.deps.db;
    const device = await findEquipment(db, ctx.principal.territoryId, equipmentId);
    if (!device) throw notFound('Équipement');
    const orders = await registerOrders(db, equipmentId);
    const ids = orders.map((o) => o.id);
    const [{ assignees, vendors }, checks] = await Promise.all([registerPerformers(db, ids), registerChecks(db, ids)]);
    const verdict = (outcome: string | null) => inSentence(LABELS_FR.checklistOutcomes[outcome === 'pass' ? 'pass' : 'fail']);
    const entries = orders.map((o) => {
      const items = checks.filter((c) => c.workOrderId === o.id && c.outcome !== 'not_applicable' && (c.outcome !== null || c.textValue !== null));
      const performance = items.map((c) => {
        if (c.kind === 'measurement') {
          const limits = [c.minValue !== null ? `≥ ${frenchNumber(c.minValue)}` : null, c.maxValue !== null ? `≤ ${frenchNumber(c.maxValue)}` : null].filter(Boolean).join(' et ');
          return `${c.label} : ${frenchNumber(c.numericValue!)} ${c.unit ?? ''}${limits ? ` (${limits})` : ''} ${verdict(c.outcome)}`.replace(/\s+/g, ' ').trim();
        }
        if (c.kind === 'text') return `${c.label} : ${c.textValue}`;
        return `${c.label} : ${verdict(c.outcome)}`;
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

  /** The intervention report (bon d'intervention) of a work order, as a French PDF. */
  async report(ctx: ActorContext, id: string): Promise<{ number: string; pdf: Uint8Array }> {
    const db = this.deps.db;
    const wo = await findOr404(db, ctx.principal, id);
    const device = await findEquipment(db, ctx.principal.territoryId, wo.equipmentId);
    const [labour, external, checklist, parts] = await Promise.all([labourOf(db, id), externalOf(db, id), checklistOf(db, id), partsOf(db, id)]);
    return { number: wo.number, pdf: await workOrderReportPdf({ wo, device, labour, external, checklist, parts }) };
  }
}
