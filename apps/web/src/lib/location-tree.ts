import { LOCATION_KINDS, type Location, type LocationKind } from '@gmao/contracts';

/** What the location editor is doing: adding under a parent (null: a building), editing or moving a node. */
export type LocationEditorMode =
  | { mode: 'add'; parent: Location | null; kind: LocationKind }
  | { mode: 'edit'; node: Location }
  | { mode: 'move'; node: Location };

export function levelOf(kind: LocationKind): number {
  return LOCATION_KINDS.indexOf(kind);
}

/** The kind a child of this node has (building › floor › care unit › room); null under a room. */
export function childKind(kind: LocationKind): LocationKind | null {
  return LOCATION_KINDS[levelOf(kind) + 1] ?? null;
}

/** The kind this node's parent must have; null for a building. */
export function parentKind(kind: LocationKind): LocationKind | null {
  const level = levelOf(kind);
  return level > 0 ? (LOCATION_KINDS[level - 1] ?? null) : null;
}

/** Where a node may move to: the nodes of the level just above, except its current parent. */
export function moveTargets(items: readonly Location[], node: Location): Location[] {
  const kind = parentKind(node.kind);
  return kind === null ? [] : items.filter((l) => l.kind === kind && l.id !== node.parentId);
}
