import { describe, expect, it } from 'vitest';
import type { EquipmentCategory } from '@gmao/contracts';
import { ALL_SITES, activeFilterCount, categoryTree, filtersFromQuery, listParams, queryFromFilters } from './inventory.ts';
import { centsToInput, formatDate, formatMoney, parseEuros, todayIso } from './format.ts';

const SITE = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

describe('inventory filters in the URL', () => {
  it('defaults to the current site and round-trips every filter', () => {
    const bare = filtersFromQuery({}, SITE);
    expect(bare.siteId).toBe(SITE);
    expect(queryFromFilters(bare)).toEqual({ siteId: SITE });

    const query = {
      q: ' pousse ',
      siteId: OTHER,
      locationId: 'loc',
      categoryId: 'cat',
      status: 'in_service,bogus,on_loan',
      riskClass: 'IIb',
      criticality: 'high',
      maintenanceMode: 'mixed',
      warrantyEndsBefore: '2027-01-31',
    };
    const f = filtersFromQuery(query, SITE);
    expect(f).toMatchObject({ q: 'pousse', siteId: OTHER, status: ['in_service', 'on_loan'], riskClass: 'IIb' });
    expect(queryFromFilters(f)).toEqual({ ...query, q: 'pousse', status: 'in_service,on_loan' });
    expect(activeFilterCount(f)).toBe(7);
    expect(listParams(f)).toMatchObject({ status: ['in_service', 'on_loan'], riskClass: ['IIb'], criticality: ['high'], warrantyEndsBefore: '2027-01-31' });
  });

  it('"all sites" drops the location and is kept in the URL', () => {
    const f = filtersFromQuery({ siteId: ALL_SITES, locationId: 'loc', riskClass: 'IV', warrantyEndsBefore: '31/01/2027' }, SITE);
    expect(f.siteId).toBe('');
    expect(f.locationId).toBe('');
    expect(f.riskClass).toBe('');
    expect(f.warrantyEndsBefore).toBe('');
    expect(queryFromFilters(f)).toEqual({ siteId: ALL_SITES });
    expect(listParams(f).siteId).toBeUndefined();
  });
});

describe('category tree', () => {
  const cat = (id: string, code: string, parentId: string | null): EquipmentCategory => ({
    id, code, label: code, parentId, emdnCode: null,
    defaultFunctionScore: 5, defaultPhysicalRisk: 3, defaultMaintenanceRequirement: 3, defaultCriticality: 'medium', ionisingRadiation: false,
  });

  it('lists parents before their children, siblings by code', () => {
    const tree = categoryTree([cat('b', 'B', null), cat('a2', 'A2', 'a'), cat('a', 'A', null), cat('a1', 'A1', 'a'), cat('x', 'X', 'gone')]);
    expect(tree.map((o) => `${o.depth}:${o.item.code}`)).toEqual(['0:A', '1:A1', '1:A2', '0:B', '0:X']);
  });
});

describe('money and dates', () => {
  it('reads euros typed with a decimal comma, spaces or a euro sign as cents', () => {
    expect(parseEuros('')).toBeNull();
    expect(parseEuros('  ')).toBeNull();
    expect(parseEuros('12')).toBe(1200);
    expect(parseEuros('12,5')).toBe(1250);
    expect(parseEuros('1 234,56 €')).toBe(123456);
    expect(parseEuros('1\u202f234.05')).toBe(123405);
    expect(parseEuros('0,07')).toBe(7);
    expect(parseEuros('12,345')).toBeNaN();
    expect(parseEuros('-3')).toBeNaN();
    expect(parseEuros('abc')).toBeNaN();
  });

  it('shows cents for editing and for reading', () => {
    expect(centsToInput(123456, 'fr')).toBe('1234,56');
    expect(centsToInput(123400, 'fr')).toBe('1234');
    expect(centsToInput(5, 'en')).toBe('0.05');
    expect(centsToInput(null, 'fr')).toBe('');
    expect(formatMoney(123456, 'fr').replace(/\s/g, ' ')).toBe('1 234,56 €');
    expect(formatDate('2026-03-01', 'fr')).toBe('01/03/2026');
    // Today is reckoned in Paris: 23:30 UTC on 31 December is already 1 January there.
    expect(todayIso(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
    expect(todayIso(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(formatDate('2026-03-01', 'en')).toBe('01/03/2026');
  });
});
