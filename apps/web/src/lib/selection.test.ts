import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { MAX_LABELS, coverage, orderedIds, sheetProblem, toggled, unknownIds, withAll, withoutAll, type Selection } from './selection.ts';

const row = (n: number) => ({ id: `id-${n}`, inventoryNumber: `INV-${n}` });
const none: Selection = new Map();

describe('selection of the inventory list', () => {
  it('toggles rows without touching the previous selection', () => {
    const one = toggled(none, row(1), true);
    expect([...one.keys()]).toEqual(['id-1']);
    expect(none.size).toBe(0);
    const two = toggled(one, row(2), true);
    expect(toggled(two, row(1), false)).toEqual(new Map([['id-2', 'INV-2']]));
    // Ticking twice keeps one entry.
    expect(toggled(two, row(2), true).size).toBe(2);
  });

  it('selects and clears the rows shown, keeping the ones picked under other filters', () => {
    const earlier = toggled(none, row(99), true);
    const shown = [row(1), row(2), row(3)];
    expect(coverage(earlier, shown)).toBe('none');
    expect(coverage(toggled(earlier, row(2), true), shown)).toBe('some');
    const all = withAll(earlier, shown);
    expect(all.size).toBe(4);
    expect(coverage(all, shown)).toBe('all');
    expect([...withoutAll(all, shown).keys()]).toEqual(['id-99']);
    expect(coverage(all, [])).toBe('none');
  });

  it('orders the labels by inventory number, digits as numbers', () => {
    let s = none;
    for (const n of [10, 2, 1]) s = toggled(s, row(n), true);
    expect(orderedIds(s)).toEqual(['id-1', 'id-2', 'id-10']);
  });

  it('refuses an empty selection and more labels than one PDF holds', () => {
    expect(sheetProblem(0)).toBe('empty');
    expect(sheetProblem(1)).toBeNull();
    expect(sheetProblem(MAX_LABELS)).toBeNull();
    expect(sheetProblem(MAX_LABELS + 1)).toBe('tooMany');
  });

  it('reads the unknown ids of a 400 from errors[].path body.ids.N', () => {
    const sent = ['a', 'b', 'c'];
    const error = new ApiError({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'unknown_equipment',
      errors: [
        { path: 'body.ids.2', message: 'équipement inconnu' },
        { path: 'body.ids.0', message: 'équipement inconnu' },
        { path: 'body.format', message: 'invalide' },
        { path: 'body.ids.7', message: 'hors liste' },
      ],
    });
    expect(unknownIds(error, sent)).toEqual(['c', 'a']);
    expect(unknownIds(new ApiError({ type: 'about:blank', title: 'x', status: 500, code: 'x' }), sent)).toEqual([]);
    expect(unknownIds(new Error('x'), sent)).toEqual([]);
  });
});
