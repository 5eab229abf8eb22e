import { PassThrough, Readable } from 'node:stream';
import type { z } from 'zod';
import { EquipmentListQuery, type Equipment } from '@gmao/contracts';
import { can, labelUrl } from '@gmao/domain';
import type { ActorContext, AppDeps } from '../../lib/context.js';
import { badRequest, notFound } from '../../lib/problem.js';
import { findEquipment } from '../equipment/equipment.repository.js';
import { EquipmentService, toEquipment } from '../equipment/equipment.service.js';
import { equipmentByIds } from './equipment-documents.repository.js';
import { csvChunks, writeXlsx } from './export.js';
import { labelSvg, type LabelData } from './label-svg.js';
import { labelsPdf, type LabelFormatName } from './labels-pdf.js';

/** The inventory filters of GET /equipment, without its paging. */
export type ExportQuery = Omit<z.output<typeof EquipmentListQuery>, 'limit' | 'cursor'>;

/** Devices read per query while exporting. */
export const EXPORT_PAGE_SIZE = 1000;

export function toLabel(e: Equipment, origin: string): LabelData {
  return {
    url: labelUrl(origin, e.inventoryNumber),
    inventoryNumber: e.inventoryNumber,
    siteShortCode: e.site.shortCode,
    category: e.category?.label ?? null,
    model: e.model ? `${e.model.manufacturer} ${e.model.modelName}` : null,
  };
}

/**
 * Documents made from the inventory: QR labels (SVG for one device, PDF sheets for many)
 * and the CSV / XLSX exports. Anyone signed in reads the whole territory, so anyone may
 * print or export; another territory's devices are unknown here, as elsewhere.
 */
export class EquipmentDocumentsService {
  private readonly equipment: EquipmentService;

  constructor(private readonly deps: Pick<AppDeps, 'db'>) {
    this.equipment = new EquipmentService(deps);
  }

  async labelSvg(ctx: ActorContext, id: string, origin: string): Promise<{ svg: string; inventoryNumber: string }> {
    const territoryId = ctx.principal.territoryId;
    const row = can(ctx.principal, 'inventory.read', { territoryId }) ? await findEquipment(this.deps.db, territoryId, id) : undefined;
    if (!row) throw notFound('Équipement');
    const device = toEquipment(row);
    return { svg: labelSvg(toLabel(device, origin)), inventoryNumber: device.inventoryNumber };
  }

  /** Labels in the order of `ids` (a repeated id prints twice); unknown ids → 400 naming each. */
  async labelsPdf(ctx: ActorContext, ids: readonly string[], format: LabelFormatName, origin: string): Promise<Uint8Array> {
    const territoryId = ctx.principal.territoryId;
    const rows = can(ctx.principal, 'inventory.read', { territoryId })
      ? await equipmentByIds(this.deps.db, territoryId, [...new Set(ids)])
      : [];
    const byId = new Map(rows.map((r) => [r.id, toEquipment(r)]));
    const unknown = ids.flatMap((id, i) => (byId.has(id) ? [] : [{ path: `body.ids.${i}`, message: 'équipement inconnu' }]));
    if (unknown.length > 0) {
      throw badRequest(
        unknown.length === 1 ? 'Un équipement demandé est inconnu.' : `${unknown.length} équipements demandés sont inconnus.`,
        unknown,
        'unknown_equipment',
      );
    }
    return labelsPdf(ids.map((id) => toLabel(byId.get(id)!, origin)), format);
  }

  /** The filtered inventory as CSV, streamed page by page; a bad filter is a 400 before any byte is sent. */
  async exportCsv(ctx: ActorContext, query: ExportQuery): Promise<Readable> {
    return Readable.from(csvChunks(await this.pages(ctx, query)), { objectMode: false });
  }

  /** The filtered inventory as XLSX, written by exceljs's streaming writer as pages arrive. */
  async exportXlsx(ctx: ActorContext, query: ExportQuery): Promise<Readable> {
    const pages = await this.pages(ctx, query);
    const out = new PassThrough();
    writeXlsx(pages, out).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
    return out;
  }

  /**
   * Pages of EXPORT_PAGE_SIZE devices along the inventory-number keyset, through the same
   * service method as GET /equipment (same filters, same rules). The first page is read
   * before returning, so that an unknown location or category answers a 400.
   */
  private async pages(ctx: ActorContext, query: ExportQuery): Promise<AsyncIterable<Equipment[]>> {
    if (!can(ctx.principal, 'inventory.read', { territoryId: ctx.principal.territoryId })) throw notFound('Inventaire');
    const list = this.equipment;
    const first = await list.list(ctx, { ...query, limit: EXPORT_PAGE_SIZE, cursor: undefined });
    return (async function* () {
      let page = first;
      yield page.items;
      while (page.nextCursor !== null) {
        page = await list.list(ctx, { ...query, limit: EXPORT_PAGE_SIZE, cursor: EquipmentListQuery.shape.cursor.parse(page.nextCursor) });
        yield page.items;
      }
    })();
  }
}
