import { describe, expect, it } from 'vitest';
import { assigneeOptions, nameMatches, type AssignablePerson } from './assignees.ts';

const SITE = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

describe('assignee options', () => {
  const person = (id: string, fullName: string, sites: AssignablePerson['sites']): AssignablePerson => ({ id, fullName, sites });
  const A = (shortCode: string, role: 'technician' | 'engineer' = 'technician') => ({
    id: shortCode === 'CHU' ? SITE : OTHER,
    shortCode,
    role,
  });

  it('lists the device site’s technicians, then its engineers, then the other sites', () => {
    const options = assigneeOptions(
      [
        person('1', 'Zoé Autre', [A('CH1')]),
        person('2', 'Étienne Ingénieur', [A('CH1', 'engineer'), A('CHU', 'engineer')]),
        person('3', 'Thomas Technicien', [A('CHU')]),
        person('4', 'Anne Ailleurs', [A('CH1')]),
      ],
      SITE,
    );
    expect(options.map((o) => [o.fullName, o.sameSite, o.role, o.siteCodes.join(',')])).toEqual([
      ['Thomas Technicien', true, 'technician', 'CHU'],
      ['Étienne Ingénieur', true, 'engineer', 'CHU,CH1'],
      ['Anne Ailleurs', false, 'technician', 'CH1'],
      ['Zoé Autre', false, 'technician', 'CH1'],
    ]);
  });

  it('marks everyone as another site’s when the site is not known', () => {
    const options = assigneeOptions([person('1', 'Camille Autre', [A('CH1', 'engineer'), A('CH2')])], null);
    expect(options).toEqual([{ id: '1', fullName: 'Camille Autre', sameSite: false, role: 'engineer', siteCodes: ['CH1', 'CH2'] }]);
  });

  it('matches names whatever the case and the accents', () => {
    expect(nameMatches('Étienne Ingénieur', 'etienne')).toBe(true);
    expect(nameMatches('Étienne Ingénieur', ' INGÉ ')).toBe(true);
    expect(nameMatches('Étienne Ingénieur', '')).toBe(true);
    expect(nameMatches('Étienne Ingénieur', 'thomas')).toBe(false);
  });
});
