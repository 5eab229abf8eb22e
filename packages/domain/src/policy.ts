/**
 * The one place that decides who may do what, where. Pure: no I/O.
 *
 * Rules (issue #2 and API.md):
 * - Nobody acts on another territory's data.
 * - territory_admin may do everything inside their territory.
 * - Anyone signed in reads the whole territory: sites, locations, inventory, stock.
 * - Work orders are read by the biomedical team (technician, engineer, site_manager of any
 *   site) territory-wide; care staff read their sites' work orders and their own requests,
 *   and the callback name and phone only of their own (work-order-abilities.ts: `read`,
 *   `readCallback`, `workOrderReadScope`).
 * - Writes need a role on the resource's site:
 *   inventory.write — technician, engineer or site_manager of the site;
 *   stock.issue — technician, engineer or site_manager of the store's site: issue parts and
 *   take them back (returns), on a work order or not;
 *   stock.manage — engineer or site_manager of the store's site: receive, count (adjust),
 *   set minimums, maximums and bins, record parts harvested from a réforme, open, rename
 *   and close the site's stores;
 *   part.write (the territory's part catalogue) — engineer or site_manager of any site;
 *   purchasing.manage (grouped orders for the whole territory: create, cancel, receive and
 *   split the receipt into every site's stores, ADR 0014) — engineer or site_manager of any site;
 *   maintenance.plan — engineer or site_manager of the site: maintenance plans of one
 *   device of the site, its plan opt-outs, and runs of the preventive generator for the site;
 *   maintenance.plan.territory — engineer of any site: maintenance plans of an equipment
 *   model or a category, which apply to devices of every site, and runs for the whole
 *   territory (issue 13);
 *   decommission.approve — site_manager of the site (réforme);
 *   conformity.decide — engineer of the site: overrides a failed measurement with a
 *   conforming verdict, puts a non-conforming device back in service (R.5212-28);
 *   workorder.request — any role on the site (care staff report faults);
 *   workorder.create — technician, engineer or site_manager of the site (any type of work order);
 *   checklist.write (checklist templates, territory-wide) — engineer of any site;
 *   site.update, location.write — site_manager of the site;
 *   catalog.write (equipment models) — technician, engineer or site_manager of any site;
 *   user.read — site_manager of any site (to find people to grant or send);
 *   role.grant / role.revoke — site_manager of the site, for engineer, technician and
 *   care_staff roles on that site only;
 *   competency.read (the competency map: skill catalogue, people's skills, matrix, coverage) —
 *   technician, engineer or site_manager of any site (not care staff);
 *   kpi.read (the indicators of every site, issue 15) — technician, engineer or site_manager of any
 *   site (not care staff);
 *   skill.manage (the skill catalogue: create, rename, retire, seed from the categories) —
 *   engineer of any site; who writes and validates one person's skill: competency.ts
 *   (`userSkillRights`, issue 14);
 *   cost.statement.read (the monthly inter-site statements: every site's totals; the lines in
 *   detail only of one's own sites unless engineer, ADR 0023) — engineer or site_manager of any site;
 *   cost.statement.approve — site_manager of the site (approves the site's monthly statement);
 *   contract.manage (maintenance contracts) — engineer or site_manager of the payer site;
 *   site.create, user.create, user.update, user.deactivate, audit.read, settings.write
 *   (territory settings: priority targets, automatic closure), cost.convention.manage (the
 *   territory's cost convention) — territory_admin only.
 */
export const ROLE_NAMES = ['territory_admin', 'site_manager', 'engineer', 'technician', 'care_staff'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface Grant {
  role: RoleName;
  /** null for a territory-wide grant (territory_admin). */
  siteId: string | null;
}

export interface Principal {
  userId: string;
  territoryId: string;
  grants: readonly Grant[];
}

export const ACTIONS = [
  'territory.read',
  'inventory.read',
  'stock.read',
  'inventory.write',
  'catalog.write',
  'part.write',
  'purchasing.manage',
  'stock.issue',
  'stock.manage',
  'maintenance.plan',
  'maintenance.plan.territory',
  'decommission.approve',
  'conformity.decide',
  'workorder.request',
  'workorder.create',
  'checklist.write',
  'settings.write',
  'site.create',
  'site.update',
  'location.write',
  'user.read',
  'user.create',
  'user.update',
  'user.deactivate',
  'role.grant',
  'role.revoke',
  'audit.read',
  'competency.read',
  'skill.manage',
  'kpi.read',
  'cost.statement.read',
  'cost.statement.approve',
  'contract.manage',
  'cost.convention.manage',
] as const;
export type Action = (typeof ACTIONS)[number];

export interface Resource {
  territoryId: string;
  /** The site the resource belongs to; null or absent for territory-level resources. */
  siteId?: string | null;
  /** For role.grant / role.revoke: the role being granted or revoked. */
  role?: RoleName;
}

const READ_ACTIONS: ReadonlySet<Action> = new Set(['territory.read', 'inventory.read', 'stock.read']);

const SITE_WRITERS: Partial<Record<Action, readonly RoleName[]>> = {
  'inventory.write': ['technician', 'engineer', 'site_manager'],
  'stock.issue': ['technician', 'engineer', 'site_manager'],
  'stock.manage': ['engineer', 'site_manager'],
  'maintenance.plan': ['engineer', 'site_manager'],
  'decommission.approve': ['site_manager'],
  'conformity.decide': ['engineer'],
  'workorder.request': ['care_staff', 'technician', 'engineer', 'site_manager'],
  'workorder.create': ['technician', 'engineer', 'site_manager'],
  'site.update': ['site_manager'],
  'location.write': ['site_manager'],
  'cost.statement.approve': ['site_manager'],
  'contract.manage': ['engineer', 'site_manager'],
};

/** Roles a site_manager may grant or revoke on their own site. */
const DELEGABLE_ROLES: ReadonlySet<RoleName> = new Set(['engineer', 'technician', 'care_staff']);

export function isTerritoryAdmin(p: Principal): boolean {
  return p.grants.some((g) => g.role === 'territory_admin');
}

export function hasRoleOnSite(p: Principal, siteId: string, roles: readonly RoleName[]): boolean {
  return p.grants.some((g) => g.siteId === siteId && roles.includes(g.role));
}

export function can(p: Principal, action: Action, resource: Resource): boolean {
  if (p.territoryId !== resource.territoryId) return false;
  if (isTerritoryAdmin(p)) return true;
  if (READ_ACTIONS.has(action)) return true;

  const siteId = resource.siteId ?? null;
  const writers = SITE_WRITERS[action];
  if (writers) return siteId !== null && hasRoleOnSite(p, siteId, writers);

  switch (action) {
    case 'catalog.write':
      return p.grants.some((g) => g.role === 'technician' || g.role === 'engineer' || g.role === 'site_manager');
    case 'part.write':
    case 'purchasing.manage':
      return p.grants.some((g) => g.role === 'engineer' || g.role === 'site_manager');
    case 'competency.read':
    case 'kpi.read':
      return p.grants.some((g) => g.role === 'technician' || g.role === 'engineer' || g.role === 'site_manager');
    case 'cost.statement.read':
      return p.grants.some((g) => g.role === 'engineer' || g.role === 'site_manager');
    case 'checklist.write':
    case 'maintenance.plan.territory':
    case 'skill.manage':
      return p.grants.some((g) => g.role === 'engineer');
    case 'user.read':
      return p.grants.some((g) => g.role === 'site_manager');
    case 'role.grant':
    case 'role.revoke':
      return (
        siteId !== null &&
        resource.role !== undefined &&
        DELEGABLE_ROLES.has(resource.role) &&
        hasRoleOnSite(p, siteId, ['site_manager'])
      );
    default:
      // site.create, user.create, user.update, user.deactivate, audit.read, settings.write: territory_admin only.
      return false;
  }
}

/** Sites on which the principal holds one of the roles (territory admins: null = every site). */
export function sitesWithRole(p: Principal, roles: readonly RoleName[]): string[] | null {
  if (isTerritoryAdmin(p)) return null;
  return [...new Set(p.grants.filter((g) => g.siteId !== null && roles.includes(g.role)).map((g) => g.siteId as string))];
}
