import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DateInput, StoredText, TimestampInput, Uuid, encodeCursor, keysetCursor, unstorableTextPaths, withStorableText } from './index.js';

describe('withStorableText', () => {
  it('names every string and key PostgreSQL cannot store, at any depth, and leaves bytes alone', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const paths = (v: unknown) => unstorableTextPaths(v).map((f) => f.path);
    expect(paths({ a: 'ok', b: ['x', { c: 'y\u0000' }], 'k\u0000': 1, d: 'lone \uD800', e: '👩‍🔧 Łukasz', file: { data: Buffer.from([0, 0]) } }).sort()).toEqual(
      [['b', 1, 'c'], ['d'], ['k\u0000']].sort(),
    );
    expect(paths({ file: { filename: 'a.png', data: Buffer.from([0]) } })).toEqual([]);
    expect(paths(deep)).toHaveLength(1);
  });

  it('refuses before the schema reads the value, with the path and the reason', () => {
    const schema = withStorableText(z.object({ name: z.string().min(3), note: z.string() }));
    const result = schema.safeParse({ name: '\u0000', note: '\uDFFF\uD800' });
    expect(result.error?.issues.map((i) => [i.path, i.message]).sort()).toEqual([
      [['name'], 'caractère NUL (U+0000) interdit'],
      [['note'], 'texte Unicode invalide (demi-paire de substitution isolée)'],
    ]);
    expect(schema.parse({ name: 'Alice', note: '' })).toEqual({ name: 'Alice', note: '' });
    expect(StoredText.safeParse('a\u0000').success).toBe(false);
    expect(StoredText.safeParse('\uD800').success).toBe(false);
  });
});

describe('dates a client sends', () => {
  it('are real days and instants of the years 1900 to 2200, with one message each', () => {
    for (const ok of ['1900-01-01', '2200-12-31', '2024-02-29']) expect(DateInput.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['0000-01-01', '1899-12-31', '2201-01-01', '9999-12-31', '2026-02-30']) expect(DateInput.safeParse(bad).success, bad).toBe(false);
    expect(TimestampInput.safeParse('2026-11-30T10:00:00+01:00').success).toBe(true);
    expect(TimestampInput.safeParse('0000-01-01T00:00:00Z').error?.issues).toHaveLength(1);
    expect(TimestampInput.safeParse('demain').error?.issues).toHaveLength(1);
  });
});

describe('keyset cursors', () => {
  const cursor = keysetCursor(z.tuple([StoredText, Uuid]));
  const id = '0b6c1c9e-8f0a-4c7e-9d1e-1f2a3b4c5d6e';

  it('round-trip any text, as Node’s base64url writes it too', () => {
    for (const key of [['Łukasz 李 عربي 👩‍🔧', id], ['', id], ['a'.repeat(200), id]] as [string, string][]) {
      expect(encodeCursor(key)).toBe(Buffer.from(JSON.stringify(key)).toString('base64url'));
      expect(cursor.parse(encodeCursor(key))).toEqual(key);
    }
  });

  it('refuse any other shape with one issue on the cursor itself', () => {
    const forged = [
      encodeCursor(['x', 'not-a-uuid']), encodeCursor(['x\u0000', id]), encodeCursor(['x']), encodeCursor([1, id]),
      Buffer.from('{"a":1}').toString('base64url'), Buffer.from([0xff, 0xfe]).toString('base64url'), '!!!', '%', 'a', '',
    ];
    for (const text of forged) {
      const result = cursor.safeParse(text);
      expect(result.error?.issues.map((i) => [i.path, i.message]), text).toEqual([[[], 'curseur invalide']]);
    }
  });
});
