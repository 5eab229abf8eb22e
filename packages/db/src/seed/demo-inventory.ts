import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { codedReasonText, computeObligations, type RiskClass } from '@gmao/domain';
import type { DB } from '../generated/db.js';
import { demoElectrical } from './demo-electrical.js';

/**
 * Models of the demo territory: real manufacturers and product lines, by category code, with
 * their risk class (docs/regulatory.md, "Risk classes"): laboratory analysers and instruments
 * are in-vitro diagnostic devices, class A (Regulation (EU) 2017/746, Annex VIII, rule 5);
 * manual defibrillators class IIb (Regulation (EU) 2017/745, Annex VIII, rule 9), automated
 * external defibrillators class III (rule 22); sterilisers class IIa, washer-disinfectors of
 * invasive devices IIb (rule 16); the laboratory refrigerator is not a medical device (no class).
 */
export const DEMO_MODELS: Record<string, { manufacturer: string; model: string; riskClass: RiskClass | null }[]> = {
  'VENT-REA': [{ manufacturer: 'Dräger', model: 'Evita V800', riskClass: 'IIb' }, { manufacturer: 'Hamilton Medical', model: 'Hamilton-C6', riskClass: 'IIb' }, { manufacturer: 'Getinge', model: 'Servo-u', riskClass: 'IIb' }],
  'VENT-TRA': [{ manufacturer: 'Hamilton Medical', model: 'Hamilton-T1', riskClass: 'IIb' }, { manufacturer: 'Dräger', model: 'Oxylog 3000 plus', riskClass: 'IIb' }],
  'VENT-VNI': [{ manufacturer: 'ResMed', model: 'Astral 150', riskClass: 'IIb' }, { manufacturer: 'Philips', model: 'Trilogy Evo', riskClass: 'IIb' }],
  'VENT-ANE': [{ manufacturer: 'Dräger', model: 'Perseus A500', riskClass: 'IIb' }, { manufacturer: 'GE HealthCare', model: 'Aisys CS2', riskClass: 'IIb' }, { manufacturer: 'Getinge', model: 'Flow-i', riskClass: 'IIb' }],
  'VENT-PPC': [{ manufacturer: 'ResMed', model: 'AirSense 11', riskClass: 'IIa' }],
  'PERF-POMPE': [{ manufacturer: 'B. Braun', model: 'Infusomat Space', riskClass: 'IIb' }, { manufacturer: 'Fresenius Kabi', model: 'Agilia VP', riskClass: 'IIb' }, { manufacturer: 'BD', model: 'Alaris GP', riskClass: 'IIb' }],
  'PERF-PSE': [{ manufacturer: 'B. Braun', model: 'Perfusor Space', riskClass: 'IIb' }, { manufacturer: 'Fresenius Kabi', model: 'Agilia SP', riskClass: 'IIb' }, { manufacturer: 'BD', model: 'Alaris CC', riskClass: 'IIb' }],
  'PERF-ENT': [{ manufacturer: 'Fresenius Kabi', model: 'Applix Smart', riskClass: 'IIa' }],
  'PERF-PCA': [{ manufacturer: 'Smiths Medical', model: 'CADD-Solis', riskClass: 'IIb' }],
  'PERF-RECH': [{ manufacturer: '3M', model: 'Ranger 245', riskClass: 'IIb' }],
  'CARD-DEF': [{ manufacturer: 'Zoll', model: 'R Series', riskClass: 'IIb' }, { manufacturer: 'Stryker', model: 'LIFEPAK 15', riskClass: 'IIb' }, { manufacturer: 'Schiller', model: 'Defigard Touch 7', riskClass: 'IIb' }],
  'CARD-DAE': [{ manufacturer: 'Philips', model: 'HeartStart FRx', riskClass: 'III' }, { manufacturer: 'Zoll', model: 'AED Plus', riskClass: 'III' }],
  'CARD-ECG': [{ manufacturer: 'GE HealthCare', model: 'MAC 2000', riskClass: 'IIa' }, { manufacturer: 'Schiller', model: 'Cardiovit AT-102 G2', riskClass: 'IIa' }, { manufacturer: 'Philips', model: 'PageWriter TC30', riskClass: 'IIa' }],
  'CARD-HOL': [{ manufacturer: 'Schiller', model: 'Medilog AR12 plus', riskClass: 'IIa' }],
  'CARD-EFF': [{ manufacturer: 'GE HealthCare', model: 'CASE', riskClass: 'IIa' }],
  'CARD-STIM': [{ manufacturer: 'Medtronic', model: '5392', riskClass: 'III' }],
  'MONI-MULTI': [{ manufacturer: 'Philips', model: 'IntelliVue MX450', riskClass: 'IIb' }, { manufacturer: 'GE HealthCare', model: 'Carescape B450', riskClass: 'IIb' }, { manufacturer: 'Mindray', model: 'BeneVision N12', riskClass: 'IIb' }, { manufacturer: 'Dräger', model: 'Vista 120', riskClass: 'IIb' }],
  'MONI-CENT': [{ manufacturer: 'Philips', model: 'IntelliVue Information Center iX', riskClass: 'IIb' }],
  'MONI-SPO2': [{ manufacturer: 'Masimo', model: 'Radical-7', riskClass: 'IIb' }, { manufacturer: 'Nonin', model: '7500', riskClass: 'IIb' }],
  'MONI-PNI': [{ manufacturer: 'Welch Allyn', model: 'Connex Spot Monitor', riskClass: 'IIa' }],
  'MONI-CAP': [{ manufacturer: 'Medtronic', model: 'Capnostream 35', riskClass: 'IIb' }],
  'MONI-FOET': [{ manufacturer: 'Philips', model: 'Avalon FM30', riskClass: 'IIb' }],
  'IMAG-ECHO': [{ manufacturer: 'GE HealthCare', model: 'LOGIQ E10', riskClass: 'IIa' }, { manufacturer: 'Philips', model: 'EPIQ 7', riskClass: 'IIa' }, { manufacturer: 'Canon Medical', model: 'Aplio i800', riskClass: 'IIa' }],
  'IMAG-MOB': [{ manufacturer: 'Siemens Healthineers', model: 'Mobilett Elara Max', riskClass: 'IIb' }, { manufacturer: 'GE HealthCare', model: 'AMX Navigate', riskClass: 'IIb' }],
  'IMAG-RX': [{ manufacturer: 'Siemens Healthineers', model: 'Ysio X.pree', riskClass: 'IIb' }],
  'IMAG-TDM': [{ manufacturer: 'Siemens Healthineers', model: 'Somatom go.Top', riskClass: 'IIb' }, { manufacturer: 'GE HealthCare', model: 'Revolution EVO', riskClass: 'IIb' }],
  'IMAG-IRM': [{ manufacturer: 'Siemens Healthineers', model: 'Magnetom Sola', riskClass: 'IIa' }, { manufacturer: 'Philips', model: 'Ingenia Ambition', riskClass: 'IIa' }],
  'IMAG-MAMMO': [{ manufacturer: 'Hologic', model: '3Dimensions', riskClass: 'IIb' }],
  'IMAG-ARC': [{ manufacturer: 'Siemens Healthineers', model: 'Cios Spin', riskClass: 'IIb' }, { manufacturer: 'GE HealthCare', model: 'OEC 3D', riskClass: 'IIb' }],
  'DIAL-GEN': [{ manufacturer: 'Fresenius Medical Care', model: '5008S CorDiax', riskClass: 'IIb' }, { manufacturer: 'B. Braun', model: 'Dialog+', riskClass: 'IIb' }],
  'DIAL-EAU': [{ manufacturer: 'Fresenius Medical Care', model: 'AquaBplus', riskClass: 'IIb' }],
  'NEO-COUV': [{ manufacturer: 'Dräger', model: 'Babyleo TN500', riskClass: 'IIb' }, { manufacturer: 'GE HealthCare', model: 'Giraffe OmniBed Carestation', riskClass: 'IIb' }],
  'NEO-TABLE': [{ manufacturer: 'Dräger', model: 'Resuscitaire', riskClass: 'IIb' }],
  'NEO-PHOTO': [{ manufacturer: 'Natus', model: 'neoBLUE', riskClass: 'IIb' }],
  'BLOC-BIST': [{ manufacturer: 'Erbe', model: 'VIO 3', riskClass: 'IIb' }, { manufacturer: 'Medtronic', model: 'Valleylab FT10', riskClass: 'IIb' }],
  'BLOC-TABLE': [{ manufacturer: 'Maquet', model: 'Alphamaxx', riskClass: 'I' }, { manufacturer: 'Trumpf Medical', model: 'TruSystem 7500', riskClass: 'I' }],
  'BLOC-SCIA': [{ manufacturer: 'Maquet', model: 'Volista', riskClass: 'I' }],
  'BLOC-ASP': [{ manufacturer: 'Medela', model: 'Dominant Flex', riskClass: 'IIa' }],
  'BLOC-GARR': [{ manufacturer: 'Zimmer Biomet', model: 'A.T.S. 4000', riskClass: 'IIa' }],
  'BLOC-LASER': [{ manufacturer: 'Lumenis', model: 'Pulse 120H', riskClass: 'IIb' }],
  'ENDO-SOUP': [{ manufacturer: 'Olympus', model: 'GIF-H190', riskClass: 'IIa' }, { manufacturer: 'Pentax Medical', model: 'EG-2990i', riskClass: 'IIa' }, { manufacturer: 'Fujifilm', model: 'EG-760R', riskClass: 'IIa' }],
  'ENDO-RIG': [{ manufacturer: 'Karl Storz', model: 'Hopkins II 26003', riskClass: 'IIa' }],
  'ENDO-LAV': [{ manufacturer: 'Steris', model: 'Reliance EPS', riskClass: 'IIb' }],
  'ENDO-VID': [{ manufacturer: 'Olympus', model: 'Evis X1 CV-1500', riskClass: 'IIa' }],
  'LABO-BIOC': [{ manufacturer: 'Roche Diagnostics', model: 'cobas c 311', riskClass: 'A' }],
  'LABO-HEMA': [{ manufacturer: 'Sysmex', model: 'XN-1000', riskClass: 'A' }],
  'LABO-GAZ': [{ manufacturer: 'Radiometer', model: 'ABL90 FLEX', riskClass: 'A' }],
  'LABO-CENT': [{ manufacturer: 'Hettich', model: 'Rotina 380', riskClass: 'A' }],
  'LABO-REFR': [{ manufacturer: 'Liebherr', model: 'LKUv 1613', riskClass: null }],
  'LABO-MICR': [{ manufacturer: 'Zeiss', model: 'Primostar 3', riskClass: 'A' }],
  'STER-AUTO': [{ manufacturer: 'Steris', model: 'AMSCO 400', riskClass: 'IIa' }, { manufacturer: 'Getinge', model: 'HS66', riskClass: 'IIa' }],
  'STER-LAV': [{ manufacturer: 'Getinge', model: '86-series', riskClass: 'IIb' }],
  'LITS-ELEC': [{ manufacturer: 'Hillrom', model: 'Progressa', riskClass: 'I' }, { manufacturer: 'Linet', model: 'Eleganza 3', riskClass: 'I' }, { manufacturer: 'Arjo', model: 'Enterprise 9000', riskClass: 'I' }],
  'LITS-BRAN': [{ manufacturer: 'Stryker', model: 'Prime Series', riskClass: 'I' }],
  'LITS-MATE': [{ manufacturer: 'Arjo', model: 'Nimbus 4', riskClass: 'I' }],
  'LITS-LEVE': [{ manufacturer: 'Arjo', model: 'Maxi Move', riskClass: 'I' }, { manufacturer: 'Hillrom', model: 'Liko Viking M', riskClass: 'I' }],
  'REED-ELEC': [{ manufacturer: 'Compex', model: 'Performance 3.0', riskClass: 'IIa' }],
  'REED-US': [{ manufacturer: 'Enraf-Nonius', model: 'Sonopuls 190', riskClass: 'IIa' }],
  'DIVE-THER': [{ manufacturer: 'Covidien', model: 'Genius 3', riskClass: 'IIa' }],
  'DIVE-PESE': [{ manufacturer: 'Seca', model: '877', riskClass: 'I' }],
  'DIVE-OPHT': [{ manufacturer: 'Heine', model: 'Beta 200', riskClass: 'I' }],
  'DIVE-ASPM': [{ manufacturer: 'Amico', model: 'Vacuum Regulator Continuous', riskClass: 'IIa' }],
  'DIVE-DEBI': [{ manufacturer: 'Air Liquide Medical Systems', model: 'Débitmètre Nemo', riskClass: 'IIa' }],
  'DIVE-ESPS': [{ manufacturer: 'Helmer Scientific', model: 'iB125', riskClass: 'IIa' }],
};

/** How many devices of each category a site of each kind holds (per 100 of its fleet). */
const FLEET_MIX: Record<string, { CHU: number; CH: number; EHPAD: number; cost: number }> = {
  'PERF-POMPE': { CHU: 12, CH: 12, EHPAD: 0, cost: 3_500_00 }, 'PERF-PSE': { CHU: 14, CH: 12, EHPAD: 10, cost: 2_800_00 },
  'MONI-MULTI': { CHU: 9, CH: 8, EHPAD: 0, cost: 12_000_00 }, 'MONI-SPO2': { CHU: 4, CH: 5, EHPAD: 10, cost: 900_00 },
  'MONI-PNI': { CHU: 3, CH: 4, EHPAD: 8, cost: 2_200_00 }, 'LITS-ELEC': { CHU: 14, CH: 18, EHPAD: 40, cost: 4_000_00 },
  'LITS-BRAN': { CHU: 3, CH: 3, EHPAD: 0, cost: 3_000_00 }, 'LITS-MATE': { CHU: 3, CH: 3, EHPAD: 12, cost: 3_500_00 },
  'LITS-LEVE': { CHU: 1, CH: 2, EHPAD: 8, cost: 4_500_00 }, 'CARD-ECG': { CHU: 2, CH: 2, EHPAD: 2, cost: 5_000_00 },
  'CARD-DEF': { CHU: 2, CH: 2, EHPAD: 0, cost: 18_000_00 }, 'CARD-DAE': { CHU: 1, CH: 1, EHPAD: 4, cost: 1_500_00 },
  'VENT-REA': { CHU: 3, CH: 2, EHPAD: 0, cost: 35_000_00 }, 'VENT-TRA': { CHU: 1, CH: 1, EHPAD: 0, cost: 15_000_00 },
  'VENT-VNI': { CHU: 1, CH: 1, EHPAD: 0, cost: 9_000_00 }, 'VENT-ANE': { CHU: 2, CH: 1, EHPAD: 0, cost: 60_000_00 },
  'IMAG-ECHO': { CHU: 2, CH: 2, EHPAD: 0, cost: 80_000_00 }, 'IMAG-MOB': { CHU: 1, CH: 1, EHPAD: 0, cost: 120_000_00 },
  'IMAG-ARC': { CHU: 1, CH: 0.5, EHPAD: 0, cost: 150_000_00 }, 'BLOC-BIST': { CHU: 2, CH: 1.5, EHPAD: 0, cost: 25_000_00 },
  'BLOC-TABLE': { CHU: 1, CH: 1, EHPAD: 0, cost: 45_000_00 }, 'BLOC-SCIA': { CHU: 1, CH: 1, EHPAD: 0, cost: 30_000_00 },
  'BLOC-ASP': { CHU: 2, CH: 2, EHPAD: 0, cost: 1_200_00 }, 'ENDO-SOUP': { CHU: 2, CH: 1.5, EHPAD: 0, cost: 30_000_00 },
  'ENDO-VID': { CHU: 0.5, CH: 0.5, EHPAD: 0, cost: 60_000_00 }, 'DIAL-GEN': { CHU: 2, CH: 1.5, EHPAD: 0, cost: 25_000_00 },
  'NEO-COUV': { CHU: 1.5, CH: 1, EHPAD: 0, cost: 30_000_00 }, 'NEO-PHOTO': { CHU: 0.5, CH: 0.5, EHPAD: 0, cost: 6_000_00 },
  'LABO-GAZ': { CHU: 0.5, CH: 0.5, EHPAD: 0, cost: 40_000_00 }, 'LABO-CENT': { CHU: 1, CH: 1, EHPAD: 0, cost: 5_000_00 },
  'STER-AUTO': { CHU: 0.5, CH: 0.5, EHPAD: 0, cost: 150_000_00 }, 'DIVE-THER': { CHU: 2, CH: 3, EHPAD: 6, cost: 300_00 },
  'DIVE-PESE': { CHU: 1, CH: 2, EHPAD: 4, cost: 800_00 }, 'DIVE-ASPM': { CHU: 2, CH: 2, EHPAD: 0, cost: 400_00 },
  'DIVE-DEBI': { CHU: 2, CH: 3, EHPAD: 6, cost: 250_00 }, 'PERF-ENT': { CHU: 1, CH: 1, EHPAD: 2, cost: 1_800_00 },
  'IMAG-TDM': { CHU: 0.3, CH: 0.3, EHPAD: 0, cost: 900_000_00 }, 'IMAG-IRM': { CHU: 0.2, CH: 0, EHPAD: 0, cost: 1_500_000_00 },
};

const SITE_FLEET: Record<string, number> = { CHU: 900, CH1: 350, CH2: 350, CH3: 250, EHPAD: 150 };

const SUPPLIER_OF: Record<string, string> = {
  'Dräger': 'Dräger France', 'B. Braun': 'B. Braun Medical', 'Fresenius Kabi': 'Fresenius Kabi France', 'BD': 'Becton Dickinson France',
  'Philips': 'Philips France Commercial', 'GE HealthCare': 'GE HealthCare SCS', 'Siemens Healthineers': 'Siemens Healthcare SAS',
  'Getinge': 'Getinge France', 'Hillrom': 'Hill-Rom SAS', 'Arjo': 'Arjo France', 'Linet': 'Linet France',
};

/** Mulberry32: a small deterministic PRNG so the demo fleet is the same on every machine. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The demo fleet: models, then about 2,000 devices spread over the demo sites, with a history entry each. */
export async function seedDemoInventory(db: Kysely<DB>, territoryId: string): Promise<{ models: number; devices: number }> {
  const rand = prng(20261124);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  const categories = await db
    .selectFrom('equipmentCategories')
    .select(['id', 'code', 'ionisingRadiation'])
    .where('territoryId', '=', territoryId)
    .execute();
  const categoryId = new Map(categories.map((c) => [c.code, c.id]));
  const ionising = new Map(categories.map((c) => [c.code, c.ionisingRadiation]));
  const models: {
    id: string; territoryId: string; manufacturer: string; modelName: string; categoryId: string; riskClass: RiskClass | null; code: string;
    electricalClass: string | null; appliedPartType: string | null;
  }[] = [];
  for (const [code, list] of Object.entries(DEMO_MODELS)) {
    const cid = categoryId.get(code);
    if (!cid) continue;
    for (const m of list) {
      models.push({ id: randomUUID(), territoryId, manufacturer: m.manufacturer, modelName: m.model, categoryId: cid, riskClass: m.riskClass, code, ...demoElectrical(code, m.manufacturer, m.model) });
    }
  }
  await db.insertInto('equipmentModels').values(models.map(({ code: _code, ...m }) => m)).execute();
  const modelsByCode = new Map<string, typeof models>();
  for (const m of models) modelsByCode.set(m.code, [...(modelsByCode.get(m.code) ?? []), m]);

  const sites = await db.selectFrom('sites').select(['id', 'shortCode', 'kind']).where('territoryId', '=', territoryId).execute();
  const rooms = await db
    .selectFrom('locations')
    .select(['id', 'siteId', 'kind'])
    .where('territoryId', '=', territoryId)
    .where('kind', 'in', ['room', 'care_unit'])
    .execute();

  const devices: Record<string, unknown>[] = [];
  for (const site of sites) {
    const total = SITE_FLEET[site.shortCode] ?? 100;
    const kind = site.kind === 'EHPAD' ? 'EHPAD' : site.kind === 'CHU' ? 'CHU' : 'CH';
    const mix = Object.entries(FLEET_MIX).filter(([, m]) => m[kind] > 0);
    const weight = mix.reduce((s, [, m]) => s + m[kind], 0);
    const siteRooms = rooms.filter((r) => r.siteId === site.id);
    let seq = 0;
    for (const [code, m] of mix) {
      const count = Math.max(1, Math.round((total * m[kind]) / weight));
      const candidates = modelsByCode.get(code) ?? [];
      for (let i = 0; i < count && candidates.length > 0; i++) {
        seq++;
        const model = pick(candidates);
        const year = 2012 + Math.floor(rand() * 13);
        const acquired = new Date(Date.UTC(year, Math.floor(rand() * 12), 1 + Math.floor(rand() * 27)));
        const commissioned = new Date(acquired.getTime() + (7 + Math.floor(rand() * 30)) * 86_400_000);
        const warranty = new Date(Date.UTC(acquired.getUTCFullYear() + (rand() < 0.3 ? 3 : 2), acquired.getUTCMonth(), acquired.getUTCDate()));
        const r = rand();
        const status = r < 0.86 ? 'in_service' : r < 0.91 ? 'in_stock' : r < 0.95 ? 'under_maintenance' : r < 0.98 ? 'out_of_service' : 'on_loan';
        const inStock = status === 'in_stock';
        const prefix = model.manufacturer.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase();
        const heavy = code.startsWith('IMAG') || code === 'STER-AUTO';
        // The legal obligations as the rule computes them (docs/regulatory.md).
        const obligations = computeObligations({ hasModel: true, riskClass: model.riskClass, ionisingRadiation: ionising.get(code) ?? false });
        devices.push({
          territoryId,
          siteId: site.id,
          locationId: inStock && rand() < 0.5 ? null : pick(siteRooms).id,
          inventoryNumber: `${site.shortCode}-${year}-${String(seq).padStart(5, '0')}`,
          modelId: model.id,
          serialNumber: `${prefix}${year % 100}${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`,
          supplier: SUPPLIER_OF[model.manufacturer] ?? `${model.manufacturer} France`,
          acquisitionDate: iso(acquired),
          acquisitionCostCents: Math.round(m.cost * (0.8 + rand() * 0.4)),
          commissioningDate: inStock && rand() < 0.5 ? null : iso(commissioned),
          warrantyEnd: iso(warranty),
          ownership: heavy && rand() < 0.3 ? 'leased' : 'owned',
          status,
          maintenanceMode: heavy ? 'external_contract' : code.startsWith('VENT') || code.startsWith('DIAL') ? 'mixed' : 'internal',
          criticality: sql`(select default_criticality from equipment_categories where id = ${model.categoryId})`,
          maintenanceObligation: obligations.maintenance ?? false,
          qualityControlObligation: obligations.qualityControl ?? false,
        });
      }
    }
  }
  for (let i = 0; i < devices.length; i += 500) {
    await db.insertInto('equipment').values(devices.slice(i, i + 500) as never).execute();
  }
  await sql`
    insert into equipment_events (territory_id, equipment_id, kind, at, to_status, to_site_id, to_location_id, reason, coded_reason)
    select territory_id, id, 'imported', created_at, status, site_id, location_id,
           ${codedReasonText({ code: 'demo_inventory' }, 'fr')}, ${JSON.stringify({ code: 'demo_inventory' })}::jsonb
    from equipment where territory_id = ${territoryId}`.execute(db);
  return { models: models.length, devices: devices.length };
}
