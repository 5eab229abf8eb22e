import type { z } from 'zod';
import { encodeCursor, type MaintenanceContract, type MaintenanceContractInput, type MaintenanceContractListQuery } from '@gmao/contracts';
import { can } from '@gmao/domain';
import { audit, type ActorContext, type AppDeps } from '../../lib/context.js';
import { badRequest, conflict, forbidden, notFound, unprocessable, versionMismatch } from '../../lib/problem.js';
import { rethrowUnique } from '../../lib/unique.js';
import type { Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import {
  contractDevices, coveredBySite, findContract, insertContract, listContracts, replaceContractDevices, siteOfTerritory, territoryDeviceIds,
  updateContract, type ContractRow,
} from './maintenance-contracts.repository.js';

const DENIED = 'Seuls l’ingénieur et le responsable du site payeur gèrent ses contrats de maintenance.';
const UNIQUE = { maintenance_contracts_reference_key: { path: 'body.reference', message: 'un contrat porte déjà cette référence' } };

/**
 * Maintenance contracts (issue 15, ADR 0023): the payer site pays the vendor; the covered
 * devices of other sites owe it their share, posted by the cost-ledger job (every change marks
 * the contract for it). Read by whoever reads the statements or the indicators; written by
 * contract.manage on the payer site (both the old and the new one when it changes).
 */
export class MaintenanceContractsService {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  private mayRead(ctx: ActorContext) {
    const territoryId = ctx.principal.territoryId;
    if (!can(ctx.principal, 'cost.statement.read', { territoryId }) && !can(ctx.principal, 'kpi.read', { territoryId })) {
      throw forbidden('Les contrats de maintenance se consultent avec les indicateurs ou les relevés inter-sites.');
    }
  }

  private async view(db: Kysely<DB>, rows: ContractRow[], withIds: boolean): Promise<MaintenanceContract[]> {
    const covered = await coveredBySite(db, rows.map((r) => r.id));
    const out: MaintenanceContract[] = [];
    for (const r of rows) {
      const named = withIds ? await contractDevices(db, r.id) : null;
      const sites = covered.filter((c) => c.contractId === r.id).map((c) => ({ siteId: c.siteId, devices: c.devices, acquisitionValueCents: Number(c.value) }));
      out.push({
        id: r.id, reference: r.reference, vendor: r.vendor, payerSiteId: r.payerSiteId, startsOn: r.startsOn, endsOn: r.endsOn, totalCostCents: r.totalCostCents,
        note: r.note, active: r.active, coveredBySite: sites, devices: sites.reduce((s, c) => s + c.devices, 0),
        ...(named ? { equipmentIds: named.map((d) => d.id).sort(), coveredDevices: named } : {}),
        version: r.version, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
      });
    }
    return out;
  }

  async list(ctx: ActorContext, q: z.output<typeof MaintenanceContractListQuery>) {
    this.mayRead(ctx);
    const rows = await listContracts(this.deps.db, { territoryId: ctx.principal.territoryId, siteId: q.siteId, active: q.active, after: q.cursor, limit: q.limit });
    const items = await this.view(this.deps.db, rows.slice(0, q.limit), false);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.reference, last.id]) : null };
  }

  async get(ctx: ActorContext, id: string): Promise<MaintenanceContract> {
    this.mayRead(ctx);
    const row = await findContract(this.deps.db, ctx.principal.territoryId, id);
    if (!row) throw notFound('Contrat de maintenance');
    return (await this.view(this.deps.db, [row], true))[0]!;
  }

  /** The payer site and covered devices are of the territory; the period is ordered and under ten years. */
  private async check(trx: Kysely<DB>, ctx: ActorContext, input: z.output<typeof MaintenanceContractInput>) {
    const territoryId = ctx.principal.territoryId;
    if (!(await siteOfTerritory(trx, territoryId, input.payerSiteId))) {
      throw unprocessable('Le site payeur n’est pas un site de ce territoire.', 'contract_payer_site_unknown', [{ path: 'body.payerSiteId', message: 'site inconnu' }]);
    }
    if (!can(ctx.principal, 'contract.manage', { territoryId, siteId: input.payerSiteId })) throw forbidden(DENIED);
    if (input.endsOn < input.startsOn) {
      throw badRequest('La fin du contrat précède son début.', [{ path: 'body.endsOn', message: 'fin avant le début' }]);
    }
    if ((Date.parse(input.endsOn) - Date.parse(input.startsOn)) / 86_400_000 >= 3660) {
      throw badRequest('Un contrat dure dix ans au plus.', [{ path: 'body.endsOn', message: 'dix ans au plus' }]);
    }
    const ids = [...new Set(input.equipmentIds)];
    const known = await territoryDeviceIds(trx, territoryId, ids);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw unprocessable(
        `${unknown.length} équipement(s) couvert(s) inconnu(s) dans ce territoire.`,
        'contract_equipment_unknown',
        unknown.slice(0, 20).map((id) => ({ path: `body.equipmentIds.${input.equipmentIds.indexOf(id)}`, message: `équipement inconnu : ${id}` })),
      );
    }
  }

  async create(ctx: ActorContext, input: z.output<typeof MaintenanceContractInput>): Promise<MaintenanceContract> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      await this.check(trx, ctx, input);
      const { equipmentIds, ...fields } = input;
      let id: string;
      try {
        id = await insertContract(trx, { ...fields, territoryId, createdBy: ctx.principal.userId });
      } catch (err) {
        rethrowUnique(err, UNIQUE);
      }
      await replaceContractDevices(trx, id, equipmentIds);
      const created = (await this.view(trx, [(await findContract(trx, territoryId, id))!], true))[0]!;
      await audit(trx, ctx, 'maintenance_contract.create', 'maintenance_contract', id, null, created);
      return created;
    });
  }

  async replace(ctx: ActorContext, id: string, version: number, input: z.output<typeof MaintenanceContractInput>): Promise<MaintenanceContract> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await findContract(trx, territoryId, id, true);
      if (!row) throw notFound('Contrat de maintenance');
      if (!can(ctx.principal, 'contract.manage', { territoryId, siteId: row.payerSiteId })) throw forbidden(DENIED);
      await this.check(trx, ctx, input);
      if (row.version !== version) throw versionMismatch(row.version);
      if (!row.active) throw conflict('Ce contrat est désactivé : créez-en un nouveau.', 'contract_inactive');
      const before = (await this.view(trx, [row], true))[0]!;
      const { equipmentIds, ...fields } = input;
      try {
        await updateContract(trx, id, fields);
      } catch (err) {
        rethrowUnique(err, UNIQUE);
      }
      await replaceContractDevices(trx, id, equipmentIds);
      const after = (await this.view(trx, [(await findContract(trx, territoryId, id))!], true))[0]!;
      await audit(trx, ctx, 'maintenance_contract.update', 'maintenance_contract', id, before, after);
      return after;
    });
  }

  /** Deactivating a contract makes it worth nothing: the ledger job reverses its shares (counter-entries for closed months). */
  async deactivate(ctx: ActorContext, id: string): Promise<MaintenanceContract> {
    const territoryId = ctx.principal.territoryId;
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await findContract(trx, territoryId, id, true);
      if (!row) throw notFound('Contrat de maintenance');
      if (!can(ctx.principal, 'contract.manage', { territoryId, siteId: row.payerSiteId })) throw forbidden(DENIED);
      if (!row.active) throw conflict('Ce contrat est déjà désactivé.', 'contract_inactive');
      const before = (await this.view(trx, [row], false))[0]!;
      await updateContract(trx, id, { active: false });
      const after = (await this.view(trx, [(await findContract(trx, territoryId, id))!], true))[0]!;
      await audit(trx, ctx, 'maintenance_contract.deactivate', 'maintenance_contract', id, before, after);
      return after;
    });
  }
}
