import type { EquipmentEvent } from '@gmao/contracts';

/** One changed field of an "updated" event: the API records `details.changed[field] = {from, to}`. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export function changesOf(event: EquipmentEvent): FieldChange[] {
  const changed = event.details?.changed;
  if (!changed || typeof changed !== 'object') return [];
  return Object.entries(changed as Record<string, unknown>).map(([field, value]) => {
    const v = value && typeof value === 'object' ? (value as { from?: unknown; to?: unknown }) : {};
    return { field, from: v.from ?? null, to: v.to ?? null };
  });
}

/** The sites whose locations the timeline names (to show paths rather than ids). */
export function sitesToResolve(events: readonly EquipmentEvent[], fallbackSiteId: string): string[] {
  const ids = new Set<string>();
  for (const e of events) {
    if (e.fromLocationId) ids.add(e.fromSite?.id ?? fallbackSiteId);
    if (e.toLocationId) ids.add(e.toSite?.id ?? fallbackSiteId);
  }
  return [...ids];
}
