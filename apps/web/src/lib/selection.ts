import { ApiError } from '../api/client.ts';

/** Most labels one PDF holds (POST /equipment/labels.pdf refuses more). */
export const MAX_LABELS = 500;

/** Devices picked in the inventory list: id → inventory number (to sort and to name them). */
export type Selection = ReadonlyMap<string, string>;

interface Selectable {
  id: string;
  inventoryNumber: string;
}

/** The selection with `item` added (on) or removed (off). */
export function toggled(selection: Selection, item: Selectable, on: boolean): Selection {
  const next = new Map(selection);
  if (on) next.set(item.id, item.inventoryNumber);
  else next.delete(item.id);
  return next;
}

/** Every row shown added to the selection (kept: the ones picked under other filters). */
export function withAll(selection: Selection, items: readonly Selectable[]): Selection {
  const next = new Map(selection);
  for (const item of items) next.set(item.id, item.inventoryNumber);
  return next;
}

/** The rows shown (or unknown devices) taken out of the selection. */
export function withoutAll(selection: Selection, items: readonly Pick<Selectable, 'id'>[]): Selection {
  const next = new Map(selection);
  for (const item of items) next.delete(item.id);
  return next;
}

/** How much of the rows shown is selected: the "select all" box is checked, mixed or empty. */
export function coverage(selection: Selection, items: readonly Selectable[]): 'none' | 'some' | 'all' {
  const picked = items.filter((item) => selection.has(item.id)).length;
  if (picked === 0) return 'none';
  return picked === items.length ? 'all' : 'some';
}

/** The selected ids by inventory number, as the list sorts them (digits compared as numbers). */
export function orderedIds(selection: Selection): string[] {
  const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });
  return [...selection].sort(([, a], [, b]) => collator.compare(a, b)).map(([id]) => id);
}

/** Whether a sheet can be asked for: something selected, and no more than MAX_LABELS. */
export function sheetProblem(count: number): 'empty' | 'tooMany' | null {
  if (count === 0) return 'empty';
  return count > MAX_LABELS ? 'tooMany' : null;
}

/** For a 400 of labels.pdf: the ids it did not know (errors[].path `body.ids.N`); else []. */
export function unknownIds(error: unknown, sent: readonly string[]): string[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  const out = new Set<string>();
  for (const { path } of error.problem.errors ?? []) {
    const match = /^body\.ids\.(\d+)$/.exec(path);
    const id = match ? sent[Number(match[1])] : undefined;
    if (id) out.add(id);
  }
  return [...out];
}
