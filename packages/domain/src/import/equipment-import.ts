/**
 * Import of an existing inventory (spreadsheet) into the register: which columns map to
 * which fields, and the validation of every row against the territory's references.
 * Pure: the caller loads the references and the existing inventory numbers.
 */
import { parseScanCode, isValidGtin } from '../scan-code.js';
import { INVENTORY_NUMBER_PATTERN } from '../scan-code.js';
import { missingLegalFields, requiresLegalFields, type EquipmentStatus } from '../equipment.js';
import { LABELS_FR } from '../labels.js';
import { UDI_ISSUING_ENTITIES, UDI_PI_GS1_AIS, normaliseUdiDi, type UdiIssuingEntity } from '../udi.js';
import { SAMPLE_CELL_CHARS, truncateCell as shown } from './table-limits.js';
import { foldLabel, parseBoolean, parseEnum, parseEuroCents, parseFrenchDate, type Parsed } from './values.js';

export const IMPORT_FIELDS = [
  { key: 'inventoryNumber', label: "N° d'inventaire", aliases: ['n inventaire', 'numero inventaire', 'numero d inventaire', 'inventaire', 'num inv', 'n inv', 'code inventaire', 'inventory number', 'no inventaire'] },
  { key: 'site', label: 'Site', aliases: ['site', 'etablissement', 'finess', 'code site', 'hopital'] },
  { key: 'location', label: 'Localisation', aliases: ['localisation', 'local', 'salle', 'piece', 'emplacement', 'uf', 'service', 'location', 'chambre'] },
  { key: 'category', label: 'Catégorie', aliases: ['categorie', 'type', 'famille', 'designation', 'denomination commune', 'type equipement', 'type d equipement', 'category', 'nature'] },
  { key: 'manufacturer', label: 'Fabricant', aliases: ['fabricant', 'marque', 'constructeur', 'manufacturer'] },
  { key: 'modelName', label: 'Modèle', aliases: ['modele', 'model', 'denomination commerciale', 'reference modele'] },
  { key: 'serialNumber', label: 'N° de série', aliases: ['n serie', 'numero de serie', 'n de serie', 'serie', 'sn', 'serial', 'serial number', 'no serie'] },
  { key: 'udi', label: 'UDI', aliases: ['udi', 'udi di', 'code udi', 'gtin', 'ide udi'] },
  { key: 'udiIssuingEntity', label: 'Entité UDI', aliases: ['entite udi', 'entite d attribution', 'entite d attribution udi', 'udi issuing entity', 'issuing entity'] },
  { key: 'supplier', label: 'Fournisseur', aliases: ['fournisseur', 'distributeur', 'supplier'] },
  { key: 'acquisitionDate', label: "Date d'acquisition", aliases: ['date d acquisition', 'date acquisition', 'date achat', 'date d achat', 'acquisition'] },
  { key: 'acquisitionCost', label: "Coût d'acquisition (€)", aliases: ['cout d acquisition', 'cout d acquisition e', 'cout acquisition', 'prix', 'prix achat', 'prix d achat', 'valeur', 'cout', 'montant', 'valeur d achat'] },
  { key: 'commissioningDate', label: 'Date de mise en service', aliases: ['date de mise en service', 'mise en service', 'date mes', 'mes', 'date mise en service'] },
  { key: 'warrantyEnd', label: 'Fin de garantie', aliases: ['fin de garantie', 'garantie', 'date fin garantie', 'date de fin de garantie', 'fin garantie'] },
  { key: 'ownership', label: 'Propriété', aliases: ['propriete', 'statut juridique', 'mode d acquisition', 'mode acquisition'] },
  { key: 'status', label: 'Statut', aliases: ['statut', 'etat', 'status'] },
  { key: 'maintenanceMode', label: 'Mode de maintenance', aliases: ['mode de maintenance', 'maintenance', 'type de maintenance'] },
  { key: 'criticality', label: 'Criticité', aliases: ['criticite', 'criticality'] },
  { key: 'maintenanceObligation', label: 'Maintenance obligatoire', aliases: ['maintenance obligatoire', 'obligation de maintenance'] },
  { key: 'qualityControlObligation', label: 'Contrôle qualité obligatoire', aliases: ['controle qualite', 'cq obligatoire', 'controle qualite obligatoire'] },
  { key: 'notes', label: 'Remarques', aliases: ['remarques', 'commentaire', 'commentaires', 'notes', 'observations'] },
] as const;
export type ImportFieldKey = (typeof IMPORT_FIELDS)[number]['key'];
export const IMPORT_FIELD_KEYS = IMPORT_FIELDS.map((f) => f.key) as unknown as readonly [ImportFieldKey, ...ImportFieldKey[]];

/** Field → column header of the file. */
export type ImportMapping = Partial<Record<ImportFieldKey, string>>;

/**
 * Guesses the mapping from the file's headers: a field's own label (the inventory export's
 * headers) or one of its aliases, accent- and case-insensitive.
 */
export function suggestMapping(headers: readonly string[]): ImportMapping {
  const out: ImportMapping = {};
  const taken = new Set<string>();
  for (const field of IMPORT_FIELDS) {
    const names = [foldLabel(field.label), ...field.aliases];
    const hit = headers.find((h) => !taken.has(h) && names.includes(foldLabel(h)));
    if (hit !== undefined) {
      out[field.key] = hit;
      taken.add(hit);
    }
  }
  return out;
}

/** Each value's usual names, plus its label in the register (what the inventory export writes). */
function withLabels<K extends string>(names: Record<K, readonly string[]>, labels: Record<K, string>): Record<K, readonly string[]> {
  const out = { ...names };
  for (const k of Object.keys(names) as K[]) out[k] = [labels[k], ...names[k]];
  return out;
}

const STATUS_LABELS = withLabels<Exclude<EquipmentStatus, 'decommissioned'>>({
  in_stock: ['en stock', 'stock', 'magasin', 'neuf en stock'],
  in_service: ['en service', 'service', 'actif', 'en fonctionnement', 'en utilisation'],
  out_of_service: ['hors service', 'hs', 'en panne', 'panne'],
  under_maintenance: ['en maintenance', 'maintenance', 'en reparation', 'reparation'],
  on_loan: ['en pret', 'pret', 'prete'],
}, LABELS_FR.equipmentStatuses);
const OWNERSHIP_LABELS = withLabels({
  owned: ['propriete', 'proprietaire', 'achat', 'achete', 'propre'],
  leased: ['location', 'loue', 'leasing', 'credit bail'],
  lent_by_site: ['pret inter etablissement', 'prete par un site', 'pret site'],
  lent_by_vendor: ['pret fournisseur', 'mise a disposition', 'prete par le fournisseur', 'mad'],
}, LABELS_FR.ownerships);
const MODE_LABELS = withLabels({
  internal: ['interne', 'en interne', 'biomedical'],
  external_contract: ['externe', 'contrat', 'contrat externe', 'sous traitance', 'constructeur'],
  mixed: ['mixte'],
}, LABELS_FR.maintenanceModes);
const CRITICALITY_LABELS = withLabels({
  low: ['faible', 'basse', 'bas'],
  medium: ['moyenne', 'moyen', 'normale'],
  high: ['haute', 'elevee', 'forte'],
  critical: ['critique', 'vitale', 'tres haute'],
}, LABELS_FR.criticalities);

export interface ImportReferences {
  /** Folded short code, name or FINESS → site id. */
  sites: Map<string, string>;
  /** Per site: folded location key (code, code path, unique label) → id, or null when ambiguous. */
  locations: Map<string, Map<string, string | null>>;
  /** Folded category code or label → id. */
  categories: Map<string, string>;
  /** `${fold(manufacturer)}|${fold(model)}` → model id. */
  models: Map<string, string>;
  /** Lower-cased inventory numbers already in the territory. */
  existingInventoryNumbers: Set<string>;
}

export interface ImportOptions {
  /** Site of rows without a site column (or with it empty). */
  defaultSiteId: string | null;
  createMissingModels: boolean;
  createMissingCategories: boolean;
  /** Supplier of rows whose supplier column is empty (or not mapped). */
  defaultSupplier?: string | null;
}

export interface ImportProblem {
  /** Row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  column: string | null;
  field: ImportFieldKey | null;
  value: string;
  message: string;
}

export interface ImportRow {
  row: number;
  inventoryNumber: string;
  siteId: string;
  locationId: string | null;
  modelId: string | null;
  /** Model to create (key into `toCreate.models`). */
  newModelKey: string | null;
  serialNumber: string | null;
  udiDi: string | null;
  /** Null exactly when udiDi is; GS1 when the file names no entity. */
  udiIssuingEntity: UdiIssuingEntity | null;
  udiPi: string | null;
  supplier: string | null;
  acquisitionDate: string | null;
  acquisitionCostCents: number | null;
  commissioningDate: string | null;
  warrantyEnd: string | null;
  ownership: keyof typeof OWNERSHIP_LABELS;
  status: Exclude<EquipmentStatus, 'decommissioned'>;
  maintenanceMode: keyof typeof MODE_LABELS;
  criticality: keyof typeof CRITICALITY_LABELS | null;
  /** null: not in the file; the commit takes the obligation computed from the model (obligations.ts). */
  maintenanceObligation: boolean | null;
  qualityControlObligation: boolean | null;
  notes: string;
}

export interface ImportPlan {
  rows: ImportRow[];
  problems: ImportProblem[];
  toCreate: {
    categories: { key: string; label: string }[];
    models: { key: string; manufacturer: string; modelName: string; categoryId: string | null; categoryKey: string }[];
  };
}

export function modelKey(manufacturer: string, modelName: string): string {
  return `${foldLabel(manufacturer)}|${foldLabel(modelName)}`;
}

/** Validates every row; reports each problem with its row and column; never stops early. */
export function planImport(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  mapping: ImportMapping,
  refs: ImportReferences,
  options: ImportOptions,
): ImportPlan {
  const problems: ImportProblem[] = [];
  const out: ImportRow[] = [];
  const index = new Map<ImportFieldKey, number>();
  for (const [field, column] of Object.entries(mapping) as [ImportFieldKey, string][]) {
    const i = header.indexOf(column);
    if (i === -1) problems.push({ row: 1, column, field, value: column, message: `colonne « ${column} » absente du fichier` });
    else index.set(field, i);
  }
  if (!index.has('inventoryNumber')) {
    problems.push({ row: 1, column: null, field: 'inventoryNumber', value: '', message: "aucune colonne n'est associée au n° d'inventaire" });
    return { rows: [], problems, toCreate: { categories: [], models: [] } };
  }
  const newCategories = new Map<string, { key: string; label: string }>();
  const newModels = new Map<string, ImportPlan['toCreate']['models'][number]>();
  const seen = new Map<string, number>();

  rows.forEach((cells, i) => {
    const rowNumber = i + 2;
    const rowProblems: ImportProblem[] = [];
    const cell = (field: ImportFieldKey): string => {
      const c = index.get(field);
      return c === undefined ? '' : (cells[c] ?? '').trim();
    };
    // Problems quote cells cut short: a report never echoes a whole 10,000-character cell.
    const problem = (field: ImportFieldKey, message: string) =>
      rowProblems.push({ row: rowNumber, column: mapping[field] ?? null, field, value: shown(cell(field)), message });
    const optional = <T>(field: ImportFieldKey, parse: (s: string) => Parsed<T>): T | null => {
      const raw = cell(field);
      if (raw === '') return null;
      const r = parse(raw);
      if (!r.ok) {
        problem(field, raw.length > SAMPLE_CELL_CHARS ? r.error.replace(raw.trim(), shown(raw.trim())) : r.error);
        return null;
      }
      return r.value;
    };

    const inventoryNumber = cell('inventoryNumber');
    if (inventoryNumber === '') problem('inventoryNumber', "n° d'inventaire manquant");
    else if (!INVENTORY_NUMBER_PATTERN.test(inventoryNumber)) problem('inventoryNumber', "n° d'inventaire invalide (lettres, chiffres, espaces, . _ / -, 64 au plus)");
    else {
      const lower = inventoryNumber.toLowerCase();
      const first = seen.get(lower);
      if (first !== undefined) problem('inventoryNumber', `n° d'inventaire en double dans le fichier (déjà ligne ${first})`);
      else seen.set(lower, rowNumber);
      if (refs.existingInventoryNumbers.has(lower)) problem('inventoryNumber', "n° d'inventaire déjà enregistré dans le territoire");
    }

    const siteRaw = cell('site');
    let siteId: string | null = options.defaultSiteId;
    if (siteRaw !== '') {
      siteId = refs.sites.get(foldLabel(siteRaw)) ?? null;
      if (!siteId) problem('site', `site inconnu « ${shown(siteRaw)} » (code court, nom ou FINESS attendu)`);
    } else if (!siteId) problem('site', 'site manquant (et aucun site par défaut choisi)');

    let locationId: string | null = null;
    const locationRaw = cell('location');
    if (locationRaw !== '' && siteId) {
      const found = refs.locations.get(siteId)?.get(foldLabel(locationRaw));
      if (found === undefined) problem('location', `localisation inconnue sur ce site « ${shown(locationRaw)} »`);
      else if (found === null) problem('location', `localisation ambiguë « ${shown(locationRaw)} » : indiquez le chemin (ex. A › A1 › A101)`);
      else locationId = found;
    }

    let modelId: string | null = null;
    let newModel: string | null = null;
    const manufacturer = cell('manufacturer');
    const modelName = cell('modelName');
    const categoryRaw = cell('category');
    if (manufacturer !== '' || modelName !== '') {
      if (manufacturer === '' || modelName === '') {
        problem(manufacturer === '' ? 'manufacturer' : 'modelName', 'fabricant et modèle vont ensemble : les deux sont nécessaires');
      } else {
        const key = modelKey(manufacturer, modelName);
        modelId = refs.models.get(key) ?? null;
        if (!modelId) {
          const categoryKey = foldLabel(categoryRaw);
          const categoryId = categoryRaw === '' ? null : refs.categories.get(categoryKey) ?? null;
          if (categoryRaw === '') problem('category', `modèle inconnu « ${shown(`${manufacturer} ${modelName}`)} » : une catégorie est nécessaire pour le créer`);
          else if (!categoryId && !options.createMissingCategories) {
            problem('category', `catégorie inconnue « ${shown(categoryRaw)} » (elle peut être créée)`);
          } else if (!options.createMissingModels) {
            problem('modelName', `modèle inconnu « ${shown(`${manufacturer} ${modelName}`)} » (il peut être créé)`);
          } else {
            if (!categoryId) newCategories.set(categoryKey, { key: categoryKey, label: categoryRaw });
            if (!newModels.has(key)) newModels.set(key, { key, manufacturer, modelName, categoryId, categoryKey });
            newModel = key;
          }
        }
      }
    } else if (categoryRaw !== '') {
      problem('modelName', 'catégorie sans fabricant ni modèle : le modèle est nécessaire');
    }

    let udiDi: string | null = null;
    let udiPi: string | null = null;
    const udiRaw = cell('udi');
    const entityRaw = cell('udiIssuingEntity').toUpperCase();
    const entity = (UDI_ISSUING_ENTITIES as readonly string[]).includes(entityRaw) ? (entityRaw as UdiIssuingEntity) : null;
    if (entityRaw !== '' && entity === null) problem('udiIssuingEntity', `entité d’attribution inconnue « ${shown(entityRaw)} » (GS1, HIBCC, ICCBBA ou IFA)`);
    if (udiRaw !== '' && entity !== null && entity !== 'GS1') {
      // Another entity's UDI-DI, checked against its format (docs/regulatory.md).
      const checked = normaliseUdiDi(entity, udiRaw);
      if (checked.ok) udiDi = checked.value;
      else problem('udi', checked.message);
    } else if (udiRaw !== '') {
      if (/^\d{8}$|^\d{12,14}$/.test(udiRaw)) {
        if (isValidGtin(udiRaw)) udiDi = udiRaw.padStart(14, '0');
        else problem('udi', 'UDI-DI (GTIN) : clé de contrôle invalide');
      } else {
        const parsed = parseScanCode(udiRaw);
        if (!parsed.ok) problem('udi', `UDI illisible : ${parsed.error}`);
        else if (parsed.code.kind !== 'gs1' || !parsed.code.gtin) problem('udi', 'UDI : un GTIN (AI 01) est attendu');
        else {
          udiDi = parsed.code.gtin;
          // The UDI-PI keeps the production identifiers only (lot, dates, serial, software version).
          udiPi = Object.entries(parsed.code.ais)
            .filter(([ai]) => (UDI_PI_GS1_AIS as readonly string[]).includes(ai))
            .map(([ai, v]) => `(${ai})${v}`)
            .join('') || null;
        }
      }
    }

    const status = optional('status', (s) => parseEnum(s, STATUS_LABELS, 'statut')) ?? 'in_service';
    const row: ImportRow = {
      row: rowNumber,
      inventoryNumber,
      siteId: siteId ?? '',
      locationId,
      modelId,
      newModelKey: newModel,
      serialNumber: cell('serialNumber') || null,
      udiDi,
      udiIssuingEntity: udiDi === null ? null : entity ?? 'GS1',
      udiPi,
      supplier: cell('supplier') || options.defaultSupplier?.trim() || null,
      acquisitionDate: optional('acquisitionDate', parseFrenchDate),
      acquisitionCostCents: optional('acquisitionCost', parseEuroCents),
      commissioningDate: optional('commissioningDate', parseFrenchDate),
      warrantyEnd: optional('warrantyEnd', parseFrenchDate),
      ownership: optional('ownership', (s) => parseEnum(s, OWNERSHIP_LABELS, 'mode de propriété')) ?? 'owned',
      status,
      maintenanceMode: optional('maintenanceMode', (s) => parseEnum(s, MODE_LABELS, 'mode de maintenance')) ?? 'internal',
      criticality: optional('criticality', (s) => parseEnum(s, CRITICALITY_LABELS, 'criticité')),
      maintenanceObligation: optional('maintenanceObligation', parseBoolean) ?? null,
      qualityControlObligation: optional('qualityControlObligation', parseBoolean) ?? null,
      notes: cell('notes').slice(0, 5000),
    };
    if (row.serialNumber && row.serialNumber.length > 80) problem('serialNumber', 'n° de série trop long (80 au plus)');
    if (row.supplier && row.supplier.length > 160) problem('supplier', 'fournisseur trop long (160 au plus)');
    if (requiresLegalFields(status) && rowProblems.length === 0) {
      const missing = missingLegalFields({
        modelId: row.modelId ?? row.newModelKey, supplier: row.supplier, serialNumber: row.serialNumber,
        locationId: row.locationId, commissioningDate: row.commissioningDate,
      });
      for (const m of missing) {
        const field: ImportFieldKey = m === 'modelId' ? 'modelName' : m === 'locationId' ? 'location' : m;
        problem(field, `${LABELS_FR.legalFields[m]} obligatoire pour un équipement en service (art. R.5212-28 CSP)`);
      }
    }
    if (rowProblems.length > 0) problems.push(...rowProblems);
    else out.push(row);
  });
  return { rows: out, problems, toCreate: { categories: [...newCategories.values()], models: [...newModels.values()] } };
}
