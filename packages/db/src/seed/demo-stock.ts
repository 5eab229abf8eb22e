import { sql, type Kysely } from 'kysely';
import type { DB } from '../generated/db.js';
import { reconcileStockAlertsIn } from '../stock/stock-alerts.js';

/**
 * Spare parts of the demo territory (issue 12): parts compatible with the demo models
 * (batteries, probes, SpO2 sensors, filters, cables, pump doors, defibrillator pads…), one
 * "Atelier biomédical" store per site (and a satellite store at the support site), stock in
 * every store recorded as receipts on the ledger (so that on hand equals the ledger), some
 * below their minimum, and one part held only at another site than the support site.
 * Deterministic: the same demo each time.
 */

type Template = { name: string; unit?: string; costCents: number; supplier: string };

const FAMILY: Record<string, Template[]> = {
  VENT: [
    { name: 'Cellule O₂', costCents: 9500, supplier: 'Dräger France' },
    { name: 'Filtre antibactérien expiratoire', unit: 'box', costCents: 6400, supplier: 'Intersurgical' },
    { name: 'Capteur de débit', costCents: 21000, supplier: 'Dräger France' },
    { name: 'Batterie interne', costCents: 32000, supplier: 'Accu Service Médical' },
    { name: 'Kit de maintenance annuelle', unit: 'kit', costCents: 45000, supplier: 'Dräger France' },
  ],
  PERF: [
    { name: 'Porte de pompe', costCents: 8900, supplier: 'B. Braun Medical' },
    { name: 'Batterie Li-ion', costCents: 12500, supplier: 'Accu Service Médical' },
    { name: 'Câble secteur', costCents: 1800, supplier: 'Distrimed' },
    { name: 'Capteur de goutte', costCents: 5400, supplier: 'B. Braun Medical' },
  ],
  CARD: [
    { name: 'Électrodes de défibrillation adulte', unit: 'pack', costCents: 4590, supplier: 'Zoll Medical France' },
    { name: 'Batterie', costCents: 28900, supplier: 'Accu Service Médical' },
    { name: 'Câble patient ECG 10 brins', costCents: 16500, supplier: 'Distrimed' },
    { name: 'Papier thermique', unit: 'box', costCents: 3900, supplier: 'Distrimed' },
  ],
  MONI: [
    { name: 'Capteur SpO₂ adulte réutilisable', costCents: 13900, supplier: 'Masimo France' },
    { name: 'Brassard PNI adulte', costCents: 2900, supplier: 'Welch Allyn France' },
    { name: 'Câble ECG 5 brins', costCents: 9800, supplier: 'Distrimed' },
    { name: 'Batterie', costCents: 18900, supplier: 'Accu Service Médical' },
    { name: 'Ligne d’échantillonnage CO₂', unit: 'box', costCents: 11500, supplier: 'Medtronic France' },
  ],
  IMAG: [
    { name: 'Sonde (réparation échange standard)', costCents: 350000, supplier: 'Imagerie Services' },
    { name: 'Filtre à air', costCents: 2500, supplier: 'Imagerie Services' },
    { name: 'Câble haute tension', costCents: 98000, supplier: 'Imagerie Services' },
  ],
  DIAL: [
    { name: 'Filtre à dialysat', costCents: 8500, supplier: 'Fresenius Medical Care' },
    { name: 'Capteur de conductivité', costCents: 42000, supplier: 'Fresenius Medical Care' },
    { name: 'Joint de pompe', unit: 'kit', costCents: 3500, supplier: 'Fresenius Medical Care' },
  ],
  NEO: [
    { name: 'Sonde de température cutanée', costCents: 7500, supplier: 'Dräger France' },
    { name: 'Filtre à air', costCents: 2200, supplier: 'Dräger France' },
    { name: 'Joint de hublot', unit: 'kit', costCents: 4800, supplier: 'Dräger France' },
  ],
  BLOC: [
    { name: 'Câble bipolaire', costCents: 11000, supplier: 'Erbe France' },
    { name: 'Pédale de commande', costCents: 39000, supplier: 'Erbe France' },
    { name: 'Fusible 6,3 A', unit: 'box', costCents: 900, supplier: 'Distrimed' },
  ],
  OTHER: [
    { name: 'Batterie', costCents: 9900, supplier: 'Accu Service Médical' },
    { name: 'Câble secteur', costCents: 1800, supplier: 'Distrimed' },
    { name: 'Fusible', unit: 'box', costCents: 800, supplier: 'Distrimed' },
  ],
};

/** A small deterministic generator (mulberry32). */
function generator(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEMO_STORE_NAME = 'Atelier biomédical';
/** The part of the demo held only at one site (Trois-Rivières), for the cross-site search. */
export const DEMO_ONLY_ELSEWHERE_REFERENCE = 'PDR-CELL-O2-EV800';

export async function seedDemoStock(db: Kysely<DB>, territoryId: string): Promise<{ parts: number; stores: number; stockRows: number }> {
  const random = generator(12);
  const sites = await db.selectFrom('sites').select(['id', 'shortCode', 'isSupportSite']).where('territoryId', '=', territoryId).orderBy('shortCode').execute();
  const admin = await db
    .selectFrom('roleGrants').select('userId').where('territoryId', '=', territoryId).where('role', '=', 'territory_admin')
    .orderBy('createdAt').executeTakeFirstOrThrow();
  const models = await db
    .selectFrom('equipmentModels as m').innerJoin('equipmentCategories as c', 'c.id', 'm.categoryId')
    .select(['m.id', 'm.manufacturer', 'm.modelName', 'c.code']).where('m.territoryId', '=', territoryId)
    .orderBy('m.manufacturer').orderBy('m.modelName').execute();

  const stores = await db
    .insertInto('stores')
    .values([
      ...sites.map((s) => ({ territoryId, siteId: s.id, code: 'ATELIER', name: DEMO_STORE_NAME })),
      ...sites.filter((s) => s.isSupportSite).map((s) => ({ territoryId, siteId: s.id, code: 'BLOC', name: 'Magasin satellite du bloc' })),
    ])
    .returning(['id', 'siteId', 'code'])
    .execute();

  const parts: { territoryId: string; reference: string; manufacturer: string; manufacturerPartNumber: string; description: string; unit: string; defaultSupplier: string; lastUnitCostCents: number }[] = [];
  const compat: { reference: string; modelId: string }[] = [];
  models.forEach((m, i) => {
    const family = FAMILY[m.code.split('-')[0]!] ?? FAMILY.OTHER!;
    family.forEach((t, j) => {
      const reference = `PDR-${String(i + 1).padStart(3, '0')}-${String(j + 1).padStart(2, '0')}`;
      parts.push({
        territoryId, reference, manufacturer: m.manufacturer, manufacturerPartNumber: `${m.manufacturer.slice(0, 3).toUpperCase()}-${1000 + i * 10 + j}`,
        description: `${t.name} – ${m.manufacturer} ${m.modelName}`, unit: t.unit ?? 'piece', defaultSupplier: t.supplier, lastUnitCostCents: t.costCents,
      });
      compat.push({ reference, modelId: m.id });
    });
  });
  const evita = models.find((m) => m.modelName === 'Evita V800');
  parts.push({
    territoryId, reference: DEMO_ONLY_ELSEWHERE_REFERENCE, manufacturer: 'Dräger', manufacturerPartNumber: '6850645',
    description: 'Cellule O₂ de rechange – Dräger Evita V800 (stock unique du territoire)', unit: 'piece', defaultSupplier: 'Dräger France', lastUnitCostCents: 11800,
  });
  if (evita) compat.push({ reference: DEMO_ONLY_ELSEWHERE_REFERENCE, modelId: evita.id });

  const inserted = await db.insertInto('parts').values(parts).returning(['id', 'reference', 'lastUnitCostCents']).execute();
  const partId = new Map(inserted.map((p) => [p.reference, p.id]));
  await db.insertInto('partCompatibleModels').values(compat.map((c) => ({ partId: partId.get(c.reference)!, modelId: c.modelId }))).execute();

  const stockRows: { storeId: string; partId: string; territoryId: string; siteId: string; onHand: number; minimum: number; maximum: number; bin: string; averageUnitCostCents: number }[] = [];
  const onlyAt = sites.find((s) => s.shortCode === 'CH3') ?? sites.find((s) => !s.isSupportSite) ?? sites[0]!;
  for (const store of stores) {
    const satellite = store.code !== 'ATELIER';
    for (const p of inserted) {
      const only = p.reference === DEMO_ONLY_ELSEWHERE_REFERENCE;
      if (only ? !(store.siteId === onlyAt.id && !satellite) : random() > (satellite ? 0.15 : 0.6)) continue;
      const minimum = only ? 1 : 1 + Math.floor(random() * 4);
      // About one row in eight is below its minimum (some at zero).
      const below = !only && random() < 0.125;
      const onHand = only ? 2 : below ? Math.floor(random() * minimum) : minimum + Math.floor(random() * 10);
      const cost = p.lastUnitCostCents ?? 0;
      stockRows.push({
        storeId: store.id, partId: p.id, territoryId, siteId: store.siteId, onHand, minimum, maximum: minimum * 4 + 6,
        bin: `${String.fromCharCode(65 + Math.floor(random() * 6))}-${1 + Math.floor(random() * 12)}`,
        averageUnitCostCents: Math.round(cost * (0.9 + random() * 0.2)),
      });
    }
  }
  for (let i = 0; i < stockRows.length; i += 1000) await db.insertInto('stock').values(stockRows.slice(i, i + 1000)).execute();
  const receipts = stockRows.filter((r) => r.onHand > 0).map((r) => ({
    territoryId, storeId: r.storeId, partId: r.partId, type: 'receipt', delta: r.onHand, quantity: r.onHand, unitCostCents: r.averageUnitCostCents,
    reason: 'Stock initial de la démonstration', createdBy: admin.userId, createdAt: sql<Date>`now() - interval '30 days'`,
  }));
  for (let i = 0; i < receipts.length; i += 1000) await db.insertInto('stockMovements').values(receipts.slice(i, i + 1000)).execute();
  // The rows below their minimum have their alerts from the start, as the worker would raise them.
  await reconcileStockAlertsIn(db, territoryId);
  return { parts: inserted.length, stores: stores.length, stockRows: stockRows.length };
}
