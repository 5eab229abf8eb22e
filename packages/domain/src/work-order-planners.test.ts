import { describe, expect, it } from 'vitest';
import { ROLE_NAMES, can } from './policy.js';
import { PLANNER_ROLES, workOrderAbilities } from './work-order-abilities.js';

/** PLANNER_ROLES names exactly the site roles that may plan (and so assign) a site's work orders. */
describe('PLANNER_ROLES', () => {
  const territoryId = 't1';
  const siteId = 's1';
  for (const role of ROLE_NAMES.filter((r) => r !== 'territory_admin')) {
    it(`${role}: ${PLANNER_ROLES.includes(role) ? 'plans' : 'does not plan'} the work orders of its site`, () => {
      const p = { userId: 'u1', territoryId, grants: [{ role, siteId }] };
      expect(can(p, 'maintenance.plan', { territoryId, siteId })).toBe(PLANNER_ROLES.includes(role));
      const abilities = workOrderAbilities(p, { territoryId, siteId, state: 'requested', requestedBy: 'u2' }, []);
      expect(abilities.assign).toBe(PLANNER_ROLES.includes(role));
    });
  }
});
