import { describe, expect, it } from 'vitest';
import { ACTIONS, ROLE_NAMES, can, sitesWithRole, type Action, type Principal, type RoleName } from './policy.js';

const T1 = 'territory-1';
const T2 = 'territory-2';
const OWN = 'site-own';
const OTHER = 'site-other';

function principal(role: RoleName): Principal {
  return { userId: 'u1', territoryId: T1, grants: [{ role, siteId: role === 'territory_admin' ? null : OWN }] };
}

type Scope = 'own' | 'other' | 'territory';
/**
 * The rights matrix, written out by hand: for each role, the actions allowed on a resource
 * of their own site, of another site of the territory, and at territory level. Role
 * grants are checked with a delegable role (technician) here; other roles below.
 */
const ALLOWED: Record<RoleName, Record<Scope, Action[]>> = {
  territory_admin: { own: [...ACTIONS], other: [...ACTIONS], territory: [...ACTIONS] },
  site_manager: {
    own: ['territory.read', 'inventory.read', 'stock.read', 'inventory.write', 'catalog.write', 'part.write', 'purchasing.manage', 'stock.issue', 'stock.manage',
      'maintenance.plan', 'decommission.approve', 'workorder.request', 'workorder.create', 'site.update', 'location.write', 'user.read', 'role.grant', 'role.revoke', 'competency.read', 'kpi.read', 'cost.statement.read', 'cost.statement.approve', 'contract.manage'],
    other: ['territory.read', 'inventory.read', 'stock.read', 'catalog.write', 'part.write', 'purchasing.manage', 'user.read', 'competency.read', 'kpi.read', 'cost.statement.read'],
    territory: ['territory.read', 'inventory.read', 'stock.read', 'catalog.write', 'part.write', 'purchasing.manage', 'user.read', 'competency.read', 'kpi.read', 'cost.statement.read'],
  },
  engineer: {
    own: ['territory.read', 'inventory.read', 'stock.read', 'inventory.write', 'catalog.write', 'part.write', 'purchasing.manage', 'stock.issue', 'stock.manage',
      'maintenance.plan', 'maintenance.plan.territory', 'workorder.request', 'workorder.create', 'checklist.write', 'conformity.decide', 'competency.read', 'kpi.read', 'skill.manage', 'cost.statement.read', 'contract.manage'],
    other: ['territory.read', 'inventory.read', 'stock.read', 'catalog.write', 'part.write', 'purchasing.manage', 'checklist.write', 'maintenance.plan.territory', 'competency.read', 'kpi.read', 'skill.manage', 'cost.statement.read'],
    territory: ['territory.read', 'inventory.read', 'stock.read', 'catalog.write', 'part.write', 'purchasing.manage', 'checklist.write', 'maintenance.plan.territory', 'competency.read', 'kpi.read', 'skill.manage', 'cost.statement.read'],
  },
  technician: {
    own: ['territory.read', 'inventory.read', 'stock.read', 'inventory.write', 'catalog.write', 'stock.issue', 'workorder.request', 'workorder.create', 'competency.read', 'kpi.read'],
    other: ['territory.read', 'inventory.read', 'stock.read', 'catalog.write', 'competency.read', 'kpi.read'],
    territory: ['territory.read', 'inventory.read', 'stock.read', 'catalog.write', 'competency.read', 'kpi.read'],
  },
  care_staff: {
    own: ['territory.read', 'inventory.read', 'stock.read', 'workorder.request'],
    other: ['territory.read', 'inventory.read', 'stock.read'],
    territory: ['territory.read', 'inventory.read', 'stock.read'],
  },
};

const resourceFor = (scope: Scope, territoryId = T1) => ({
  territoryId,
  siteId: scope === 'own' ? OWN : scope === 'other' ? OTHER : null,
  role: 'technician' as const,
});

describe('policy: every role × action × scope', () => {
  for (const role of ROLE_NAMES) {
    for (const scope of ['own', 'other', 'territory'] as const) {
      for (const action of ACTIONS) {
        const expected = ALLOWED[role][scope].includes(action);
        it(`${role} ${expected ? 'may' : 'may not'} ${action} (${scope})`, () => {
          expect(can(principal(role), action, resourceFor(scope))).toBe(expected);
        });
      }
    }
    it(`${role} may do nothing in another territory`, () => {
      for (const action of ACTIONS) {
        for (const scope of ['own', 'other', 'territory'] as const) {
          expect(can(principal(role), action, resourceFor(scope, T2))).toBe(false);
        }
      }
    });
  }
});

describe('policy: maintenance plans (issue 13)', () => {
  it("a device's plan is planned by the engineers and site manager of its site; a model's or category's by engineers of any site and the territory admin", () => {
    const device = { territoryId: T1, siteId: OWN };
    expect(can(principal('engineer'), 'maintenance.plan', device)).toBe(true);
    expect(can(principal('site_manager'), 'maintenance.plan', device)).toBe(true);
    expect(can(principal('technician'), 'maintenance.plan', device)).toBe(false);
    expect(can(principal('engineer'), 'maintenance.plan', { territoryId: T1, siteId: OTHER })).toBe(false);
    const territoryWide = { territoryId: T1 };
    expect(can(principal('engineer'), 'maintenance.plan.territory', territoryWide)).toBe(true);
    expect(can(principal('territory_admin'), 'maintenance.plan.territory', territoryWide)).toBe(true);
    expect(can(principal('site_manager'), 'maintenance.plan.territory', territoryWide)).toBe(false);
    expect(can(principal('technician'), 'maintenance.plan.territory', territoryWide)).toBe(false);
  });
});

describe('policy: competency map (issue 14)', () => {
  it('the biomedical staff read the map, care staff do not; engineers (and the admin) manage the skill catalogue', () => {
    const territoryWide = { territoryId: T1 };
    for (const role of ['technician', 'engineer', 'site_manager', 'territory_admin'] as const) {
      expect(can(principal(role), 'competency.read', territoryWide), role).toBe(true);
    }
    expect(can(principal('care_staff'), 'competency.read', territoryWide)).toBe(false);
    expect(can(principal('engineer'), 'skill.manage', territoryWide)).toBe(true);
    expect(can(principal('territory_admin'), 'skill.manage', territoryWide)).toBe(true);
    expect(can(principal('site_manager'), 'skill.manage', territoryWide)).toBe(false);
    expect(can(principal('technician'), 'skill.manage', territoryWide)).toBe(false);
    expect(can(principal('engineer'), 'competency.read', { territoryId: T2 })).toBe(false);
  });
});

describe('policy: indicators (issue 15)', () => {
  it('the biomedical team and site managers read every site’s indicators, care staff do not', () => {
    for (const role of ['technician', 'engineer', 'site_manager', 'territory_admin'] as const) {
      expect(can(principal(role), 'kpi.read', { territoryId: T1 }), role).toBe(true);
    }
    expect(can(principal('care_staff'), 'kpi.read', { territoryId: T1 })).toBe(false);
    expect(can(principal('site_manager'), 'kpi.read', { territoryId: T2 })).toBe(false);
  });
});

describe('policy: role delegation', () => {
  const manager = principal('site_manager');
  it('a site manager grants engineer, technician and care_staff on their own site only', () => {
    for (const role of ['engineer', 'technician', 'care_staff'] as const) {
      expect(can(manager, 'role.grant', { territoryId: T1, siteId: OWN, role })).toBe(true);
      expect(can(manager, 'role.revoke', { territoryId: T1, siteId: OWN, role })).toBe(true);
      expect(can(manager, 'role.grant', { territoryId: T1, siteId: OTHER, role })).toBe(false);
    }
  });
  it('a site manager cannot make site managers or territory admins', () => {
    expect(can(manager, 'role.grant', { territoryId: T1, siteId: OWN, role: 'site_manager' })).toBe(false);
    expect(can(manager, 'role.grant', { territoryId: T1, siteId: null, role: 'territory_admin' })).toBe(false);
    expect(can(manager, 'role.grant', { territoryId: T1, siteId: OWN })).toBe(false);
  });
  it('the territory admin grants anything in the territory', () => {
    const admin = principal('territory_admin');
    expect(can(admin, 'role.grant', { territoryId: T1, siteId: null, role: 'territory_admin' })).toBe(true);
    expect(can(admin, 'role.grant', { territoryId: T2, siteId: null, role: 'technician' })).toBe(false);
  });
});

describe('policy: grouped purchasing', () => {
  it('engineers and site managers of any site buy for the whole territory; technicians and care staff do not', () => {
    for (const role of ['engineer', 'site_manager', 'territory_admin'] as const) {
      expect(can(principal(role), 'purchasing.manage', { territoryId: T1, siteId: null })).toBe(true);
      expect(can(principal(role), 'purchasing.manage', { territoryId: T1, siteId: OTHER })).toBe(true);
      expect(can(principal(role), 'purchasing.manage', { territoryId: T2, siteId: null })).toBe(false);
    }
    for (const role of ['technician', 'care_staff'] as const) {
      expect(can(principal(role), 'purchasing.manage', { territoryId: T1, siteId: OWN })).toBe(false);
    }
  });
});

describe('policy: several roles', () => {
  it('a technician lent to a second site writes on both, and only there', () => {
    const p: Principal = { userId: 'u', territoryId: T1, grants: [
      { role: 'technician', siteId: OWN }, { role: 'technician', siteId: OTHER },
    ] };
    expect(can(p, 'inventory.write', { territoryId: T1, siteId: OWN })).toBe(true);
    expect(can(p, 'inventory.write', { territoryId: T1, siteId: OTHER })).toBe(true);
    expect(can(p, 'inventory.write', { territoryId: T1, siteId: 'third' })).toBe(false);
    expect(sitesWithRole(p, ['technician'])?.sort()).toEqual([OTHER, OWN].sort());
  });
  it('a user with no role reads the territory and writes nothing', () => {
    const p: Principal = { userId: 'u', territoryId: T1, grants: [] };
    expect(can(p, 'inventory.read', { territoryId: T1, siteId: OWN })).toBe(true);
    expect(ACTIONS.filter((a) => can(p, a, { territoryId: T1, siteId: OWN }))).toEqual(['territory.read', 'inventory.read', 'stock.read']);
  });
  it('sitesWithRole is null (every site) for a territory admin', () => {
    expect(sitesWithRole(principal('territory_admin'), ['technician'])).toBeNull();
  });
});
