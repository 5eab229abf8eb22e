import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { EquipmentCategory, EquipmentStatus } from '@gmao/contracts';
import { CRITICALITIES, EQUIPMENT_STATUSES, MAINTENANCE_MODES, RISK_CLASSES } from '@gmao/domain';
import type { EquipmentListParams } from '../api/endpoints.ts';
import { ApiError } from '../api/client.ts';
import { ALL_SITES, oneOf, queryValue } from './url-query.ts';

type RiskClass = (typeof RISK_CLASSES)[number];
type Criticality = (typeof CRITICALITIES)[number];
type MaintenanceMode = (typeof MAINTENANCE_MODES)[number];

/** The inventory list's filters, as the page edits them and the URL carries them. */
export interface InventoryFilters {
  q: string;
  /** '' for every site of the territory. */
  siteId: string;
  locationId: string;
  categoryId: string;
  status: EquipmentStatus[];
  riskClass: RiskClass | '';
  criticality: Criticality | '';
  maintenanceMode: MaintenanceMode | '';
  /** yyyy-mm-dd, or ''. */
  warrantyEndsBefore: string;
}

// The lists' URL value for every site, with the filters that read it (one definition: url-query.ts).
export { ALL_SITES };

/** Reads the filters from the URL; unknown values are dropped, no site means the current one. */
export function filtersFromQuery(query: LocationQuery, currentSiteId: string | null): InventoryFilters {
  const site = queryValue(query.siteId);
  const statuses = queryValue(query.status)
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is EquipmentStatus => (EQUIPMENT_STATUSES as readonly string[]).includes(s));
  const date = queryValue(query.warrantyEndsBefore);
  return {
    q: queryValue(query.q),
    siteId: site === ALL_SITES ? '' : site || (currentSiteId ?? ''),
    locationId: site === ALL_SITES ? '' : queryValue(query.locationId),
    categoryId: queryValue(query.categoryId),
    status: EQUIPMENT_STATUSES.filter((s) => statuses.includes(s)),
    riskClass: oneOf(RISK_CLASSES, queryValue(query.riskClass)),
    criticality: oneOf(CRITICALITIES, queryValue(query.criticality)),
    maintenanceMode: oneOf(MAINTENANCE_MODES, queryValue(query.maintenanceMode)),
    warrantyEndsBefore: /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : '',
  };
}

/** The URL query of a view: always names the site, so that a shared link shows the same list. */
export function queryFromFilters(f: InventoryFilters): LocationQueryRaw {
  const query: Record<string, string> = { siteId: f.siteId || ALL_SITES };
  if (f.q.trim()) query.q = f.q.trim();
  if (f.siteId && f.locationId) query.locationId = f.locationId;
  if (f.categoryId) query.categoryId = f.categoryId;
  if (f.status.length > 0) query.status = f.status.join(',');
  if (f.riskClass) query.riskClass = f.riskClass;
  if (f.criticality) query.criticality = f.criticality;
  if (f.maintenanceMode) query.maintenanceMode = f.maintenanceMode;
  if (f.warrantyEndsBefore) query.warrantyEndsBefore = f.warrantyEndsBefore;
  return query;
}

/** The filters as GET /equipment parameters. */
export function listParams(f: InventoryFilters): EquipmentListParams {
  return {
    q: f.q.trim() || undefined,
    siteId: f.siteId || undefined,
    locationId: (f.siteId && f.locationId) || undefined,
    categoryId: f.categoryId || undefined,
    status: f.status.length > 0 ? f.status : undefined,
    riskClass: f.riskClass ? [f.riskClass] : undefined,
    criticality: f.criticality ? [f.criticality] : undefined,
    maintenanceMode: f.maintenanceMode ? [f.maintenanceMode] : undefined,
    warrantyEndsBefore: f.warrantyEndsBefore || undefined,
  };
}

/** How many filters narrow the list, besides the search text and the site. */
export function activeFilterCount(f: InventoryFilters): number {
  return [f.locationId, f.categoryId, f.riskClass, f.criticality, f.maintenanceMode, f.warrantyEndsBefore].filter(Boolean).length +
    (f.status.length > 0 ? 1 : 0);
}

export interface TreeOption<T> {
  item: T;
  depth: number;
}

/** The category nomenclature as a depth-first list (siblings by code), for an indented picker. */
export function categoryTree(categories: readonly EquipmentCategory[]): TreeOption<EquipmentCategory>[] {
  const ids = new Set(categories.map((c) => c.id));
  const children = new Map<string | null, EquipmentCategory[]>();
  for (const c of categories) {
    // A parent outside the list (should not happen) makes the category a root.
    const parent = c.parentId && ids.has(c.parentId) ? c.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(c);
    children.set(parent, list);
  }
  const out: TreeOption<EquipmentCategory>[] = [];
  const walk = (parentId: string | null, depth: number) => {
    for (const c of [...(children.get(parentId) ?? [])].sort((a, b) => a.code.localeCompare(b.code))) {
      out.push({ item: c, depth });
      walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Indentation for an option of a native <select>, which ignores CSS padding. */
export function indent(depth: number): string {
  return '\u00a0\u00a0'.repeat(depth);
}

/** For a 422 legal_fields_missing answer: the missing fields' names (keys of LEGAL_FIELD_LABELS); else null. */
export function missingLegalFieldsOf(error: unknown): string[] | null {
  if (!(error instanceof ApiError) || error.code !== 'legal_fields_missing') return null;
  return Object.keys(error.fieldErrors());
}
