import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Equipment, Me, WorkOrder, page } from '@gmao/contracts';
import { ResponseContractError, compileSerializer, responseJsonSchema } from './serializer.js';

const Item = z.object({
  id: z.uuid(),
  name: z.string(),
  count: z.number().int(),
  note: z.string().nullable(),
  at: z.iso.datetime({ offset: true }),
  tags: z.array(z.enum(['a', 'b'])),
  extra: z.unknown().optional(),
}).meta({ id: 'SerializerTestItem' });
const Page = page(Item);
const item = {
  id: '0b7d2f4e-9f5c-4a4e-8f39-6d1f5f0e2a11', name: 'Pousse-seringue « Perfusor » \u2028 "quoted"', count: 3,
  note: null, at: '2026-11-30T10:00:00.000+01:00', tags: ['a'] as ('a' | 'b')[], extra: { nested: [1, 'x'] } as unknown,
};

describe('compiled response serialiser', () => {
  it('writes what zod and JSON.stringify wrote, shared schemas included', () => {
    const serialize = compileSerializer(Page, 'GET /x', false);
    const data = { items: [item, { ...item, note: 'n', extra: undefined }], nextCursor: null };
    expect(JSON.parse(serialize(data))).toEqual(JSON.parse(JSON.stringify(z.encode(Page, data))));
  });

  it('writes only the properties the contract declares, as zod did', () => {
    const serialize = compileSerializer(Item, 'GET /x', true);
    const out = JSON.parse(serialize({ ...item, passwordHash: 'secret' }));
    expect(out).not.toHaveProperty('passwordHash');
    expect(out.name).toBe(item.name);
  });

  it('writes only the declared properties of a nullable object or an array item that carries more', () => {
    const Outer = z.object({
      score: z.object({ total: z.number().int() }).nullable(),
      parts: z.array(z.object({ name: z.string() })),
    });
    const serialize = compileSerializer(Outer, 'GET /x', false);
    const out = JSON.parse(serialize({ score: { total: 3, parts: [1, 2] }, parts: [{ name: 'a', secret: 's' }] }));
    expect(out).toEqual({ score: { total: 3 }, parts: [{ name: 'a' }] });
    expect(JSON.parse(serialize({ score: null, parts: [] }))).toEqual({ score: null, parts: [] });
  });

  it('chooses the branch of a nullable timestamp by type, and keeps properties named like keywords', async () => {
    const Row = z.object({
      at: z.iso.datetime({ offset: true }).nullable(),
      format: z.string(),
      pattern: z.object({ id: z.uuid() }).nullable(),
    });
    const json = responseJsonSchema(Row) as { properties: Record<string, unknown> };
    expect(Object.keys(json.properties)).toEqual(['at', 'format', 'pattern']);
    expect(JSON.stringify(json)).not.toMatch(/"format":"|"pattern":"/);
    const serialize = compileSerializer(Row, 'GET /x', true);
    const row = { at: '2026-11-30T10:00:00.000+01:00', format: 'csv', pattern: { id: '0b7d2f4e-9f5c-4a4e-8f39-6d1f5f0e2a11' } };
    expect(JSON.parse(serialize(row))).toEqual(row);
    expect(JSON.parse(serialize({ at: null, format: 'pdf', pattern: null }))).toEqual({ at: null, format: 'pdf', pattern: null });
  });

  it('with contract checks, refuses an answer that breaks its contract', () => {
    const serialize = compileSerializer(Item, 'GET /x', true);
    expect(() => serialize({ ...item, count: 'three' })).toThrow(ResponseContractError);
    expect(() => serialize({ ...item, tags: ['c'] })).toThrow(/GET \/x/);
    const { name: _name, ...missing } = item;
    expect(() => serialize(missing)).toThrow(ResponseContractError);
  });

  it('compiles the big contracts of the API', () => {
    for (const schema of [page(Equipment), page(WorkOrder), Me]) expect(() => compileSerializer(schema, 'GET /x', false)).not.toThrow();
  });
});
