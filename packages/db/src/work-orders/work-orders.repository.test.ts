import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRIORITY_RANK, WORK_ORDER_PRIORITIES } from '@gmao/domain';
import { PRIORITY_RANK_SQL } from './work-orders.repository.js';

describe('the lists’ priority rank in SQL', () => {
  it('ranks priorities as packages/domain does', () => {
    const ranks = Object.fromEntries([...PRIORITY_RANK_SQL.matchAll(/when '(\w+)' then (\d)/g)].map((m) => [m[1], Number(m[2])]));
    const otherwise = Number(/else (\d) end$/.exec(PRIORITY_RANK_SQL)?.[1]);
    for (const p of WORK_ORDER_PRIORITIES) expect(ranks[p] ?? otherwise, p).toBe(PRIORITY_RANK[p]);
  });

  it('is spelled as the list indexes are built, so that PostgreSQL uses them', () => {
    const migration = fs.readFileSync(new URL('../../../../migrations/20261124T130000_work_order_settings.sql', import.meta.url), 'utf8');
    const indexed = PRIORITY_RANK_SQL.replace('case w.priority', 'case priority');
    expect(migration.split(indexed).length - 1).toBe(3);
  });
});
