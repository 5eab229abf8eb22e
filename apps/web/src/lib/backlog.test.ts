import { describe, expect, it } from 'vitest';
import {
  ALL_SITES,
  activeBacklogFilterCount,
  defaultBacklogFilters,
  backlogFiltersFromQuery,
  backlogListParams,
  backlogQueryFromFilters,
  deviceLabel,
  isOverdue,
  shortText,
  suggestedTemplate,
} from './backlog.ts';

const SITE = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

describe('backlog filters in the URL', () => {
  it('defaults to the open work orders of the current site', () => {
    const bare = backlogFiltersFromQuery({}, SITE);
    expect(bare).toEqual({ siteId: SITE, state: 'open', type: '', priority: '', overdue: false, q: '' });
    expect(backlogQueryFromFilters(bare)).toEqual({ siteId: SITE });
    expect(backlogListParams(bare)).toEqual({
      siteId: SITE,
      state: ['requested', 'assigned', 'in_progress', 'on_hold'],
      type: undefined,
      priority: undefined,
      overdue: undefined,
      q: undefined,
    });
    expect(activeBacklogFilterCount(bare, SITE)).toBe(0);
    expect(defaultBacklogFilters(SITE)).toEqual(bare);
    expect(backlogFiltersFromQuery({}, null).siteId).toBe('');
  });

  it('round-trips every filter and drops unknown values', () => {
    const query = { siteId: OTHER, state: 'completed', type: 'electrical_safety', priority: 'high', overdue: '1', q: ' BT-2026 ' };
    const f = backlogFiltersFromQuery(query, SITE);
    expect(f).toEqual({ siteId: OTHER, state: 'completed', type: 'electrical_safety', priority: 'high', overdue: true, q: 'BT-2026' });
    expect(backlogQueryFromFilters(f)).toEqual({ ...query, q: 'BT-2026' });
    expect(backlogListParams(f)).toMatchObject({ state: ['completed'], type: ['electrical_safety'], priority: ['high'], overdue: true, q: 'BT-2026' });
    // Another site than the current one is a filter too.
    expect(activeBacklogFilterCount(f, SITE)).toBe(6);
    expect(activeBacklogFilterCount(f, OTHER)).toBe(5);
    expect(activeBacklogFilterCount({ ...defaultBacklogFilters(SITE), siteId: '' }, SITE)).toBe(1);

    const bogus = backlogFiltersFromQuery({ state: 'done', type: 'repair', priority: 'urgent', overdue: 'yes' }, SITE);
    expect(bogus).toMatchObject({ state: 'open', type: '', priority: '', overdue: false });
  });

  it('"all sites" and "all states" are kept in the URL and sent as no filter', () => {
    const f = backlogFiltersFromQuery({ siteId: ALL_SITES, state: 'all' }, SITE);
    expect(f.siteId).toBe('');
    expect(backlogQueryFromFilters(f)).toEqual({ siteId: ALL_SITES, state: 'all' });
    expect(backlogListParams(f)).toMatchObject({ siteId: undefined, state: undefined });
    // Two views show the same list when their URLs are the same (what the page compares).
    expect(backlogQueryFromFilters({ ...f, q: '  ' })).toEqual(backlogQueryFromFilters(f));
    expect(backlogQueryFromFilters({ ...f, overdue: true })).not.toEqual(backlogQueryFromFilters(f));
  });
});

describe('backlog rows', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  it('is overdue only while open and past the repair due date', () => {
    expect(isOverdue({ state: 'in_progress', dueRepairAt: '2026-03-10T11:00:00Z' }, now)).toBe(true);
    expect(isOverdue({ state: 'requested', dueRepairAt: '2026-03-10T13:00:00Z' }, now)).toBe(false);
    expect(isOverdue({ state: 'completed', dueRepairAt: '2026-03-01T00:00:00Z' }, now)).toBe(false);
    expect(isOverdue({ state: 'on_hold', dueRepairAt: null }, now)).toBe(false);
  });

  it('shortens long symptoms after a whole word', () => {
    expect(shortText('  Écran\n noir  ')).toBe('Écran noir');
    const long = 'Le pousse-seringue affiche une alarme d’occlusion dès le démarrage, même sans ligne posée sur le piston';
    const short = shortText(long, 60);
    expect(short.length).toBeLessThanOrEqual(60);
    expect(short.endsWith('…')).toBe(true);
    expect(long.startsWith(short.slice(0, -1))).toBe(true);
    expect(shortText('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('new work order helpers', () => {
  it('names a device by its category and model', () => {
    const model = { id: SITE, manufacturer: 'B. Braun', modelName: 'Perfusor Space', riskClass: null };
    const category = { id: OTHER, code: 'PSE', label: 'Pousse-seringue' };
    expect(deviceLabel({ category, model })).toBe('Pousse-seringue — B. Braun Perfusor Space');
    expect(deviceLabel({ category: null, model })).toBe('B. Braun Perfusor Space');
    expect(deviceLabel({ category: null, model: null })).toBe('');
  });

  it('suggests the IEC 62353 template for electrical-safety tests only', () => {
    expect(suggestedTemplate('electrical_safety', ['iec-62353', 'x'])).toBe('iec-62353');
    expect(suggestedTemplate('electrical_safety', ['x'])).toBeNull();
    expect(suggestedTemplate('preventive', ['iec-62353'])).toBeNull();
  });
});
