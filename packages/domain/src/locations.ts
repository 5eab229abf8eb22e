/** A site's locations: building › floor › care unit › room, each level strictly under the previous. */
export const LOCATION_LEVELS = ['building', 'floor', 'care_unit', 'room'] as const;
export type LocationLevel = (typeof LOCATION_LEVELS)[number];

export function locationDepth(kind: LocationLevel): number {
  return LOCATION_LEVELS.indexOf(kind);
}

/** The kind a parent must have for a location of this kind (null: it is a root). */
export function parentKindOf(kind: LocationLevel): LocationLevel | null {
  const i = LOCATION_LEVELS.indexOf(kind);
  return i <= 0 ? null : LOCATION_LEVELS[i - 1]!;
}

export interface LocationNodeInput {
  id: string;
  parentId: string | null;
  code: string;
}

/**
 * Orders a site's locations depth-first (siblings by code, natural order) and gives each
 * its path of codes from the root and its depth. Orphans (parent not in the list) are
 * dropped, so a bad row never loops.
 */
export function orderTree<T extends LocationNodeInput>(rows: readonly T[]): (T & { path: string; depth: number })[] {
  const children = new Map<string | null, T[]>();
  for (const r of rows) {
    const list = children.get(r.parentId) ?? [];
    list.push(r);
    children.set(r.parentId, list);
  }
  const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });
  for (const list of children.values()) list.sort((a, b) => collator.compare(a.code, b.code));
  const out: (T & { path: string; depth: number })[] = [];
  const visit = (parentId: string | null, prefix: string, depth: number) => {
    for (const node of children.get(parentId) ?? []) {
      const path = prefix ? `${prefix} › ${node.code}` : node.code;
      out.push({ ...node, path, depth });
      visit(node.id, path, depth + 1);
    }
  };
  visit(null, '', 0);
  return out;
}

/** One level of a location path, from the building down. */
export interface LocationPathLevel {
  kind: string;
  code: string;
  label: string;
}

/**
 * A location as the register shows and exports it, e.g. "A › A1 › Réanimation › A101":
 * care units by their name, the other levels by their code. The import reads it back.
 */
export function locationDisplayPath(levels: readonly LocationPathLevel[]): string {
  return levels.map((l) => (l.kind === 'care_unit' ? l.label : l.code)).join(' › ');
}
