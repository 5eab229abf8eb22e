import { describe, expect, it } from 'vitest';
import type { Principal } from './policy.js';
import { WORK_ORDER_ABILITIES, workOrderAbilities, workOrderReadScope, workOrderRefusal, type WorkOrderAbility } from './work-order-abilities.js';
import { WORK_ORDER_STATES, type WorkOrderState } from './work-orders.js';

const T = 'territory-1';
const SITE = 'site-a';
const OTHER_SITE = 'site-b';

const people = {
  admin: { userId: 'admin', territoryId: T, grants: [{ role: 'territory_admin', siteId: null }] },
  engineer: { userId: 'engineer', territoryId: T, grants: [{ role: 'engineer', siteId: SITE }] },
  manager: { userId: 'manager', territoryId: T, grants: [{ role: 'site_manager', siteId: SITE }] },
  technician: { userId: 'technician', territoryId: T, grants: [{ role: 'technician', siteId: SITE }] },
  assignee: { userId: 'assignee', territoryId: T, grants: [{ role: 'technician', siteId: SITE }] },
  crossSite: { userId: 'cross-site', territoryId: T, grants: [{ role: 'technician', siteId: OTHER_SITE }] },
  otherEngineer: { userId: 'other-engineer', territoryId: T, grants: [{ role: 'engineer', siteId: OTHER_SITE }] },
  requester: { userId: 'requester', territoryId: T, grants: [{ role: 'care_staff', siteId: SITE }] },
  care: { userId: 'care', territoryId: T, grants: [{ role: 'care_staff', siteId: SITE }] },
  otherTechnician: { userId: 'other-technician', territoryId: T, grants: [{ role: 'technician', siteId: OTHER_SITE }] },
  careElsewhere: { userId: 'care-elsewhere', territoryId: T, grants: [{ role: 'care_staff', siteId: OTHER_SITE }] },
  stranger: { userId: 'stranger', territoryId: 'territory-2', grants: [{ role: 'territory_admin', siteId: null }] },
} satisfies Record<string, Principal>;
type Person = keyof typeof people;

const ASSIGNEES = ['assignee', 'cross-site'];

// States by their initials: requested, assigned, in progress (p), on hold (h), completed, closed (x), cancelled (n).
const S: Record<string, WorkOrderState> = { r: 'requested', a: 'assigned', p: 'in_progress', h: 'on_hold', c: 'completed', x: 'closed', n: 'cancelled' };
const states = (initials: string): WorkOrderState[] => [...initials].map((i) => S[i]!);
const ALL = 'raphcxn';
const OPEN = 'raph';
const WORK = 'aph';

/** For each person, the states in which each ability holds (absent: never). */
const expected: Record<Person, Partial<Record<WorkOrderAbility, string>>> = {
  admin: {
    read: ALL, readCallback: ALL, editReport: WORK, triage: OPEN, setPriority: OPEN, assignSelf: OPEN, assign: OPEN, addLabour: WORK, labourForOthers: WORK,
    addExternal: WORK, addParts: WORK, editChecklist: WORK, attach: ALL, cancel: 'ra', close: 'c', reschedule: OPEN,
  },
  engineer: {
    read: ALL, readCallback: ALL, editReport: WORK, triage: OPEN, setPriority: OPEN, assignSelf: OPEN, take: OPEN, assign: OPEN, addLabour: WORK, labourForOthers: WORK,
    addExternal: WORK, addParts: WORK, editChecklist: WORK, attach: ALL, cancel: 'ra', close: 'c', reschedule: OPEN,
  },
  // A site manager plans but cannot be assigned: no "take".
  manager: {
    read: ALL, readCallback: ALL, editReport: WORK, triage: OPEN, setPriority: OPEN, assignSelf: OPEN, assign: OPEN, addLabour: WORK, labourForOthers: WORK,
    addExternal: WORK, addParts: WORK, editChecklist: WORK, attach: ALL, cancel: 'ra', close: 'c', reschedule: OPEN,
  },
  // A technician of the site who is not on the work order takes it, attaches photos, and nothing else.
  technician: { read: ALL, readCallback: ALL, assignSelf: OPEN, take: OPEN, attach: ALL },
  assignee: {
    read: ALL, readCallback: ALL, editReport: WORK, triage: OPEN, assignSelf: OPEN, addLabour: WORK, addExternal: WORK, addParts: WORK, editChecklist: WORK, attach: ALL, sign: WORK,
  },
  // Sent from another site: does the work, cannot assign himself elsewhere.
  crossSite: { read: ALL, readCallback: ALL, editReport: WORK, triage: OPEN, addLabour: WORK, addExternal: WORK, addParts: WORK, editChecklist: WORK, attach: ALL, sign: WORK },
  // The biomedical team reads the territory's work orders, but not who to call back on another site's.
  otherEngineer: { read: ALL },
  otherTechnician: { read: ALL },
  // Care staff who reported the fault: photos, and withdrawing the request until someone takes it.
  requester: { read: ALL, readCallback: ALL, attach: ALL, cancel: 'r' },
  // Care staff of the ward read its work orders, without the callback name and phone.
  care: { read: ALL },
  // Care staff of another site do not see it at all.
  careElsewhere: {},
  stranger: {},
};

/** The buttons each person sees, by state (transitions). */
const expectedMoves: Record<Person, Partial<Record<WorkOrderState, WorkOrderState[]>>> = {
  admin: { requested: ['cancelled'], assigned: ['in_progress', 'cancelled'], in_progress: ['on_hold', 'completed'], on_hold: ['in_progress'], completed: ['closed', 'in_progress'] },
  engineer: { requested: ['cancelled'], assigned: ['in_progress', 'cancelled'], in_progress: ['on_hold', 'completed'], on_hold: ['in_progress'], completed: ['closed', 'in_progress'] },
  manager: { requested: ['cancelled'], assigned: ['in_progress', 'cancelled'], in_progress: ['on_hold', 'completed'], on_hold: ['in_progress'], completed: ['closed', 'in_progress'] },
  technician: {},
  assignee: { assigned: ['in_progress'], in_progress: ['on_hold', 'completed'], on_hold: ['in_progress'], completed: ['in_progress'] },
  crossSite: { assigned: ['in_progress'], in_progress: ['on_hold', 'completed'], on_hold: ['in_progress'], completed: ['in_progress'] },
  otherEngineer: {},
  otherTechnician: {},
  requester: { requested: ['cancelled'] },
  care: {},
  careElsewhere: {},
  stranger: {},
};

const facts = (state: WorkOrderState) => ({ territoryId: T, siteId: SITE, state, requestedBy: 'requester' });

describe('workOrderAbilities', () => {
  for (const person of Object.keys(people) as Person[]) {
    for (const state of WORK_ORDER_STATES) {
      it(`${person}, work order ${state}`, () => {
        const abilities = workOrderAbilities(people[person], facts(state), ASSIGNEES);
        const want = Object.fromEntries(
          WORK_ORDER_ABILITIES.map((a) => [a, states(expected[person][a] ?? '').includes(state)]),
        );
        const got = Object.fromEntries(WORK_ORDER_ABILITIES.map((a) => [a, abilities[a]]));
        expect(got).toEqual(want);
        expect(abilities.transitions).toEqual(expectedMoves[person][state] ?? []);
      });
    }
  }

  it('says who the person is for the work order', () => {
    expect(workOrderAbilities(people.assignee, facts('assigned'), ASSIGNEES)).toMatchObject({
      planner: false, assignee: true, requester: false, siteTechnician: true, assignable: true,
    });
    expect(workOrderAbilities(people.manager, facts('assigned'), ASSIGNEES)).toMatchObject({ planner: true, assignee: false, assignable: false });
    expect(workOrderAbilities(people.requester, facts('requested'), [])).toMatchObject({ requester: true, siteTechnician: false });
  });

  it('never offers the move to « assigned »: assigning someone makes it', () => {
    for (const person of Object.values(people)) {
      expect(workOrderAbilities(person, facts('requested'), ASSIGNEES).transitions).not.toContain('assigned');
    }
  });
});

describe('who reads a work order and its callback details', () => {
  it('care staff read their own requests on any site, with what they wrote', () => {
    const elsewhere = { ...facts('in_progress'), requestedBy: people.careElsewhere.userId };
    expect(workOrderAbilities(people.careElsewhere, elsewhere, ASSIGNEES)).toMatchObject({ read: true, readCallback: true, requester: true });
    expect(workOrderAbilities(people.care, elsewhere, ASSIGNEES)).toMatchObject({ read: true, readCallback: false });
  });

  it('a role on the site, as care staff, is enough to read; a technician role anywhere reads the territory', () => {
    const both = { userId: 'both', territoryId: T, grants: [{ role: 'care_staff', siteId: OTHER_SITE }, { role: 'technician', siteId: 'site-c' }] } satisfies Principal;
    expect(workOrderAbilities(both, facts('assigned'), ASSIGNEES)).toMatchObject({ read: true, readCallback: false });
  });

  it('gives the lists the same rule: every work order for the team, the sites and own requests for care staff', () => {
    for (const person of ['admin', 'engineer', 'manager', 'technician', 'otherTechnician', 'otherEngineer'] as const) {
      expect(workOrderReadScope(people[person]), person).toBeNull();
    }
    expect(workOrderReadScope(people.care)).toEqual({ siteIds: [SITE], userId: 'care' });
    const twoWards = { userId: 'two', territoryId: T, grants: [{ role: 'care_staff', siteId: SITE }, { role: 'care_staff', siteId: OTHER_SITE }] } satisfies Principal;
    expect(workOrderReadScope(twoWards)).toEqual({ siteIds: [SITE, OTHER_SITE], userId: 'two' });
    expect(workOrderReadScope({ userId: 'none', territoryId: T, grants: [] })).toEqual({ siteIds: [], userId: 'none' });
  });
});

describe('workOrderRefusal', () => {
  it('tells a wrong role (403) from a wrong state (409)', () => {
    expect(workOrderRefusal(people.technician, facts('in_progress'), ASSIGNEES, 'editReport')).toBe('role');
    expect(workOrderRefusal(people.assignee, facts('completed'), ASSIGNEES, 'editReport')).toBe('state');
    expect(workOrderRefusal(people.assignee, facts('in_progress'), ASSIGNEES, 'editReport')).toBeNull();
  });

  it('looks at the role first for the work, at the state first for assignment', () => {
    // Neither the role nor the state: the work answers "not yours", assignment "finished".
    expect(workOrderRefusal(people.care, facts('closed'), ASSIGNEES, 'addLabour')).toBe('role');
    expect(workOrderRefusal(people.care, facts('closed'), ASSIGNEES, 'assign')).toBe('state');
    expect(workOrderRefusal(people.care, facts('assigned'), ASSIGNEES, 'assign')).toBe('role');
  });

  it('refuses everything on another territory’s work order', () => {
    for (const ability of WORK_ORDER_ABILITIES) {
      expect(workOrderRefusal(people.stranger, facts('assigned'), ASSIGNEES, ability)).toBe('role');
    }
  });
});
