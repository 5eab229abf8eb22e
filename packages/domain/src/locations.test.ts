import { describe, expect, it } from 'vitest';
import { orderTree, parentKindOf } from './locations.js';

describe('location levels', () => {
  it('each level sits under the one above', () => {
    expect(parentKindOf('building')).toBeNull();
    expect(parentKindOf('floor')).toBe('building');
    expect(parentKindOf('care_unit')).toBe('floor');
    expect(parentKindOf('room')).toBe('care_unit');
  });
});

describe('orderTree', () => {
  it('orders depth-first with siblings in natural order and builds paths', () => {
    const rows = [
      { id: 'r10', parentId: 'f1', code: 'R10' },
      { id: 'b', parentId: null, code: 'B' },
      { id: 'f1', parentId: 'a', code: 'A1' },
      { id: 'r2', parentId: 'f1', code: 'R2' },
      { id: 'a', parentId: null, code: 'A' },
    ];
    const out = orderTree(rows);
    expect(out.map((r) => r.id)).toEqual(['a', 'f1', 'r2', 'r10', 'b']);
    expect(out.find((r) => r.id === 'r10')).toMatchObject({ path: 'A › A1 › R10', depth: 2 });
  });
  it('drops orphans instead of looping', () => {
    const out = orderTree([{ id: 'x', parentId: 'missing', code: 'X' }, { id: 'a', parentId: null, code: 'A' }]);
    expect(out.map((r) => r.id)).toEqual(['a']);
  });
});
