import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Register } from '@gmao/contracts';
import { checklistOf, externalOf, labourOf, partReturnsOf, partsOf, transitionsOf, type DB } from '@gmao/db';
import { operationDay, type Conformity, type QualityControlKind, type WorkOrderType } from '@gmao/domain';
import type { ActorContext } from '../../lib/context.js';
import { parisDay, type Locale } from '../../lib/french.js';
import { notFound } from '../../lib/problem.js';
import { findEquipment } from '../equipment/equipment.repository.js';
import { imageAttachmentsOf } from './attachments.repository.js';
import { documentTexts, limitsText } from './document-texts.js';
import { registerChecks, registerOrders, registerPerformers } from './register.repository.js';
import { workOrderReportPdf, type ReportImage } from './work-order-documents.js';
import { findOr404 } from './work-order-view.js';

/**
 * The employer of internal staff: the legal entity of their home site (its name and FINESS
 * juridique; the site's name until its legal entity is recorded), never the territory,
 * which is not a legal person. Null for someone with no home site: the register does not
 * guess an employer.
 */
function establishmentOf(p: { siteName: string | null; legalEntityName: string | null; legalEntityFiness: string | null }): Register['entries'][number]['performers'][number]['employer'] {
  if (p.siteName === null) return null;
  return { kind: 'establishment', name: p.legalEntityName ?? p.siteName, ...(p.legalEntityFiness ? { finess: p.legalEntityFiness } : {}) };
}

/**
 * The maintenance register of a device (decree 2001-1154, art. R.5212-28 CSP): every
 * maintenance and quality-control operation in time order, with who did it and for which
 * employer, the date, the stop and restart dates, the nature of the operation, the
 * performance obtained and the conformity result. Built from completed work orders.
 * Also the intervention report (bon d'intervention) of one work order. Results and texts
 * are written in the reader's language (French or English).
 */
export class RegisterService {
  constructor(private readonly deps: { db: Kysely<DB>; attachmentsDir: string }) {}

  async register(ctx: ActorContext, equipmentId: string, locale: Locale = 'fr'): Promise<Register> {
    const t = documentTexts(locale);
    const db = this.deps.db;
    const device = await findEquipment(db, ctx.principal.territoryId, equipmentId);
    if (!device) throw notFound('Équipement');
    const orders = await registerOrders(db, equipmentId);
    const ids = orders.map((o) => o.id);
    const [{ labour, signers, vendors }, checks] = await Promise.all([registerPerformers(db, ids), registerChecks(db, ids)]);
    const verdict = (outcome: string | null) => t.inSentence(t.labels.checklistOutcomes[outcome === 'pass' ? 'pass' : 'fail']);
    const entries = orders.map((o): Register['entries'][number] => {
      const items = checks.filter((c) => c.workOrderId === o.id && c.outcome !== 'not_applicable' && (c.outcome !== null || c.textValue !== null));
      const performance = items.map((c) => {
        if (c.kind === 'measurement') {
          const limits = limitsText(t, c, false);
          const value = `${t.formats.number(c.numericValue!)}${c.unit ? ` ${c.unit}` : ''}${limits ? ` (${limits})` : ''}`;
          // Plain spaces (the French thousands separator is a narrow no-break space), as the register always wrote them.
          return t.register.performanceLine(c.label, value, verdict(c.outcome)).replace(/\s+/g, ' ').trim();
        }
        if (c.kind === 'text') return t.register.performanceLine(c.label, null, c.textValue ?? '');
        return t.register.performanceLine(c.label, null, verdict(c.outcome));
      });
      const work = labour.filter((l) => l.workOrderId === o.id);
      const external = vendors.filter((v) => v.workOrderId === o.id);
      const people = [...work, ...signers.filter((s) => s.workOrderId === o.id)];
      const performers: Register['entries'][number]['performers'] = [];
      const seen = new Set<string>();
      for (const p of people) {
        if (seen.has(p.userId)) continue;
        seen.add(p.userId);
        performers.push({ name: p.fullName ?? '', employer: establishmentOf(p) });
      }
      for (const v of external) {
        performers.push({
          name: v.technicianName ?? (v.vendorReference ? t.register.vendorWithReference(v.vendor, v.vendorReference) : v.vendor),
          employer: { kind: 'vendor', name: v.vendor },
        });
      }
      const accredited = external.find((v) => v.accreditationReference !== null) ?? null;
      const body = accredited ?? (o.qualityControlKind === 'external' ? (external[0] ?? null) : null);
      const evidence = [...new Map(external.filter((v) => v.reportAttachmentId !== null && v.reportFileName !== null)
        .map((v) => [v.reportAttachmentId!, { attachmentId: v.reportAttachmentId!, fileName: v.reportFileName! }])).values()];
      return {
        workOrderId: o.id,
        number: o.number,
        performedOn: operationDay([...work.map((l) => parisDay(l.workedAt)), ...external.map((v) => v.performedOn)], parisDay(o.completedAt!)),
        completedAt: o.completedAt!.toISOString(),
        nature: o.type as WorkOrderType,
        qualityControl: o.qualityControlKind === null ? null : {
          kind: o.qualityControlKind as QualityControlKind,
          body: o.qualityControlKind === 'external' && body ? { name: body.vendor, accreditationReference: body.accreditationReference } : null,
        },
        description: [o.diagnosis, o.actions].filter(Boolean).join(' — '),
        performers,
        stoppedAt: o.downtimeStartedAt?.toISOString() ?? null,
        restartedAt: o.downtimeEndedAt?.toISOString() ?? null,
        performance,
        // Work orders completed before verdicts existed and never migrated (none should be) read as not evaluated.
        conformity: (o.conformity ?? 'not_evaluated') as Conformity,
        conformityNote: o.conformityNote,
        conformityOverride: o.conformityOverrideReason ? { reason: o.conformityOverrideReason, by: o.conformityOverrideByName ?? '' } : null,
        evidence,
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

  /** The intervention report (bon d'intervention) of a work order, as a PDF in the reader's language, with its photos. */
  async report(ctx: ActorContext, id: string, locale: Locale = 'fr'): Promise<{ number: string; pdf: Uint8Array }> {
    const db = this.deps.db;
    const territoryId = ctx.principal.territoryId;
    const wo = await findOr404(db, ctx.principal, id);
    const device = await findEquipment(db, territoryId, wo.equipmentId);
    const [labour, external, checklist, parts, returns, transitions, attachments] = await Promise.all([
      labourOf(db, id), externalOf(db, id), checklistOf(db, id), partsOf(db, id), partReturnsOf(db, id), transitionsOf(db, id), imageAttachmentsOf(db, id),
    ]);
    const images: ReportImage[] = [];
    for (const a of attachments) {
      // A file missing from the storage is still named in the report (with no picture).
      const bytes = await fs.readFile(path.join(this.deps.attachmentsDir, territoryId, a.storageKey)).catch(() => new Uint8Array());
      images.push({ fileName: a.fileName, mediaType: a.mediaType, uploadedBy: a.fullName, uploadedAt: a.uploadedAt, bytes });
    }
    const pdf = await workOrderReportPdf({ wo, device, labour, external, checklist, parts, returns, transitions, images }, locale);
    return { number: wo.number, pdf };
  }
}
