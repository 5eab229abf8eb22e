/**
 * What one person may do on one work order: the single answer used by the API (which
 * refuses with 403 or 409 from it) and by the web app (which shows only what the API
 * would accept). Pure: the caller brings the work order's facts and its assignees.
 */
import { can, hasRoleOnSite, isTerritoryAdmin, type Principal, type RoleName } from './policy.js';
import {
  OPEN_WORK_ORDER_STATES, WORKABLE_WORK_ORDER_STATES, WORK_ORDER_STATES, allowedWorkOrderTransitions, type WorkOrderState,
} from './work-orders.js';

/** What the rights depend on: where the work order is, its state, who asked for it. */
export interface WorkOrderFacts {
  territoryId: string;
  siteId: string;
  state: WorkOrderState;
  requestedBy: string;
}

/** Who the person is for this work order. */
export interface WorkOrderRoles {
  /** An engineer or site manager of the work order's site, or the territory admin: plans, assigns, closes. */
  planner: boolean;
  /** One of the work order's assignees. */
  assignee: boolean;
  /** The person who reported the fault or created the work order. */
  requester: boolean;
  /** A technician of the work order's site (may take it himself). */
  siteTechnician: boolean;
  /** Holds a technician or engineer role somewhere: can be assigned to work orders. */
  assignable: boolean;
  /** Holds any role on the work order's site (care staff of the ward included). */
  siteMember: boolean;
  /** Reads every work order of the territory: the biomedical team (technician, engineer, site manager anywhere) and the territory admin. */
  team: boolean;
}

export const WORK_ORDER_ABILITIES = [
  'read',
  'readCallback',
  'editReport',
  'triage',
  'setPriority',
  'assignSelf',
  'take',
  'assign',
  'addLabour',
  'labourForOthers',
  'addExternal',
  'addParts',
  'editChecklist',
  'attach',
  'sign',
  'cancel',
  'close',
  'reschedule',
] as const;
export type WorkOrderAbility = (typeof WORK_ORDER_ABILITIES)[number];

export type WorkOrderAbilities = WorkOrderRoles &
  Record<WorkOrderAbility, boolean> & {
    /** The right to ask for each move, whatever the state (the state machine says if it is legal now). */
    moves: Record<WorkOrderState, boolean>;
    /**
     * The moves this person can make now, as buttons: legal from the current state and
     * allowed. `assigned` is not among them: assigning someone makes that move.
     */
    transitions: WorkOrderState[];
  };

/** Why an ability is refused: the person's role (403) or the work order's state (409). */
export type WorkOrderRefusal = 'role' | 'state';

const ALL_STATES: readonly WorkOrderState[] = WORK_ORDER_STATES;

/** States from which a move to `to` is legal. */
function statesLeadingTo(to: WorkOrderState): readonly WorkOrderState[] {
  return WORK_ORDER_STATES.filter((s) => allowedWorkOrderTransitions(s).includes(to));
}

/** Who may ask for a move to `to`: planners close and cancel; the requester withdraws a request nobody took; the work is moved by its assignees and planners. */
function mayMove(r: WorkOrderRoles, wo: WorkOrderFacts, to: WorkOrderState): boolean {
  if (to === 'closed') return r.planner;
  if (to === 'cancelled') return r.planner || (r.requester && wo.state === 'requested');
  return r.planner || r.assignee;
}

interface Rule {
  who(r: WorkOrderRoles, wo: WorkOrderFacts): boolean;
  states: readonly WorkOrderState[];
  /** Refuse on the state before looking at the role (assignment says « terminé » before « not yours »). */
  stateFirst?: true;
}

const worker = (r: WorkOrderRoles) => r.planner || r.assignee;

function readsWorkOrder(r: WorkOrderRoles): boolean {
  return r.team || r.siteMember || r.requester || r.assignee;
}

const RULES: Record<WorkOrderAbility, Rule> = {
  /**
   * See the work order at all (elsewhere it is unknown: 404, absent from the lists): the
   * biomedical team reads the territory's; care staff read their site's and their own requests.
   */
  read: { who: readsWorkOrder, states: ALL_STATES },
  /**
   * The callback name and phone of a fault report: only those who work on or plan it — its
   * assignees, the technicians and planners of its site — and whoever reported it.
   */
  readCallback: { who: (r) => r.planner || r.assignee || r.siteTechnician || r.requester, states: ALL_STATES },
  /** Diagnosis and actions. */
  editReport: { who: worker, states: WORKABLE_WORK_ORDER_STATES },
  /** Send a priority (triage, also before anyone took the work order); changing it needs setPriority. */
  triage: { who: worker, states: OPEN_WORK_ORDER_STATES },
  /** Change the priority, also while nobody has taken the work order yet. */
  setPriority: { who: (r) => r.planner, states: OPEN_WORK_ORDER_STATES },
  /** The right to assign oneself (the API then checks that one can be assigned). */
  assignSelf: { who: (r) => r.siteTechnician || r.planner, states: OPEN_WORK_ORDER_STATES, stateFirst: true },
  /** "Take it": assign oneself, not yet assigned and assignable. */
  take: { who: (r) => !r.assignee && r.assignable && (r.siteTechnician || r.planner), states: OPEN_WORK_ORDER_STATES, stateFirst: true },
  /** Assign other people. */
  assign: { who: (r) => r.planner, states: OPEN_WORK_ORDER_STATES, stateFirst: true },
  addLabour: { who: worker, states: WORKABLE_WORK_ORDER_STATES },
  /** Record the time of another assignee. */
  labourForOthers: { who: (r) => r.planner, states: WORKABLE_WORK_ORDER_STATES },
  addExternal: { who: worker, states: WORKABLE_WORK_ORDER_STATES },
  addParts: { who: worker, states: WORKABLE_WORK_ORDER_STATES },
  /** Add checklist items and answer them. */
  editChecklist: { who: worker, states: WORKABLE_WORK_ORDER_STATES },
  /** Photos and PDFs, in any state: planners, technicians of the site, assignees and the requester. */
  attach: { who: (r) => r.planner || r.siteTechnician || r.assignee || r.requester, states: ALL_STATES },
  /** Only an assignee signs the intervention. */
  sign: { who: (r) => r.assignee, states: WORKABLE_WORK_ORDER_STATES },
  cancel: { who: (r, wo) => mayMove(r, wo, 'cancelled'), states: statesLeadingTo('cancelled') },
  close: { who: (r, wo) => mayMove(r, wo, 'closed'), states: statesLeadingTo('closed') },
  /**
   * Move planned work to another day within its tolerance window (PUT
   * /work-orders/{id}/planned-date): its planners, while it is open. Whether the work order
   * is planned work and the day within its window is the API's check, not a right.
   */
  reschedule: { who: (r) => r.planner, states: OPEN_WORK_ORDER_STATES },
};

/**
 * The site roles that plan a site's work orders (assign, set the priority, close):
 * `maintenance.plan` on the site. The territory admin may too, everywhere.
 */
export const PLANNER_ROLES: readonly RoleName[] = ['site_manager', 'engineer'];

/** The roles of the people work orders can be assigned to. */
export const ASSIGNABLE_ROLES: readonly RoleName[] = ['technician', 'engineer'];

/** The roles that read every work order of the territory (with the territory admin); care staff read less (WorkOrderReadScope). */
export const WORK_ORDER_TEAM_ROLES: readonly RoleName[] = ['technician', 'engineer', 'site_manager'];

/**
 * Which work orders of the territory a person reads, for the lists (the same rule as the
 * `read` ability): all of them (null), or those of `siteIds` (the sites where they hold a
 * role), those they asked for (`userId` as requester) and those they are assigned to.
 */
export interface WorkOrderReadScope {
  siteIds: string[];
  userId: string;
}

export function workOrderReadScope(p: Principal): WorkOrderReadScope | null {
  if (isTerritoryAdmin(p) || p.grants.some((g) => WORK_ORDER_TEAM_ROLES.includes(g.role))) return null;
  return { siteIds: [...new Set(p.grants.flatMap((g) => (g.siteId === null ? [] : [g.siteId])))], userId: p.userId };
}

/** Whether work orders can be assigned to this person: a technician or engineer somewhere in the territory. */
export function canBeAssigned(p: Pick<Principal, 'grants'>): boolean {
  return p.grants.some((g) => ASSIGNABLE_ROLES.includes(g.role));
}

export function workOrderRoles(p: Principal, wo: WorkOrderFacts, assigneeIds: readonly string[]): WorkOrderRoles {
  return {
    planner: can(p, 'maintenance.plan', { territoryId: wo.territoryId, siteId: wo.siteId }),
    assignee: assigneeIds.includes(p.userId),
    requester: wo.requestedBy === p.userId,
    siteTechnician: hasRoleOnSite(p, wo.siteId, ['technician']),
    assignable: canBeAssigned(p),
    siteMember: p.grants.some((g) => g.siteId === wo.siteId),
    team: workOrderReadScope(p) === null,
  };
}

function refusal(rule: Rule, r: WorkOrderRoles, wo: WorkOrderFacts): WorkOrderRefusal | null {
  const byState = !rule.states.includes(wo.state);
  const byRole = !rule.who(r, wo);
  if (rule.stateFirst) return byState ? 'state' : byRole ? 'role' : null;
  return byRole ? 'role' : byState ? 'state' : null;
}

const sameTerritory = (p: Principal, wo: WorkOrderFacts) => p.territoryId === wo.territoryId;

/** Everything `p` may do on the work order, given its assignees' user ids. */
export function workOrderAbilities(p: Principal, wo: WorkOrderFacts, assigneeIds: readonly string[]): WorkOrderAbilities {
  const r = workOrderRoles(p, wo, assigneeIds);
  const inTerritory = sameTerritory(p, wo);
  const abilities = Object.fromEntries(
    WORK_ORDER_ABILITIES.map((a) => [a, inTerritory && refusal(RULES[a], r, wo) === null]),
  ) as Record<WorkOrderAbility, boolean>;
  const moves = Object.fromEntries(WORK_ORDER_STATES.map((to) => [to, inTerritory && mayMove(r, wo, to)])) as Record<WorkOrderState, boolean>;
  return {
    ...r,
    ...abilities,
    moves,
    transitions: allowedWorkOrderTransitions(wo.state).filter((to) => to !== 'assigned' && moves[to]),
  };
}

/**
 * Why `p` may not use `ability` on the work order (null: they may). Another territory's
 * work order is refused as 'role' (the API answers 404 before asking).
 */
export function workOrderRefusal(
  p: Principal,
  wo: WorkOrderFacts,
  assigneeIds: readonly string[],
  ability: WorkOrderAbility,
): WorkOrderRefusal | null {
  if (!sameTerritory(p, wo)) return 'role';
  return refusal(RULES[ability], workOrderRoles(p, wo, assigneeIds), wo);
}
