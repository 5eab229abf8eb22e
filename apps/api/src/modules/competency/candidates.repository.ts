import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';
import { DEFAULT_WORK_ESTIMATE_MINUTES, OPEN_WORK_ORDER_STATES } from '@gmao/domain';

/** Choosing a technician (issue 14, ADR 0020): the work order's requirement, and the people who may do it. Two queries. */

export interface RequirementRow {
  /** The work order's site's coordinates (null: not recorded). */
  siteLatitude: number | null;
  siteLongitude: number | null;
  /** Null: no requirement known. */
  source: 'plan' | 'model' | 'category' | null;
  skillId: string | null;
  skillName: string | null;
  /** The plan's minimum level (null: a model's or category's skill, or a plan without one). */
  level: string | null;
}

/**
 * The work order's site's coordinates, and what it needs, in order of precedence: its plan's
 * required skill, else the device's model's skill (active), else the maintenance skill
 * (active, not a model's) of the device's category or of its nearest ancestor that has one.
 * Undefined: no such work order in the territory.
 */
export async function workOrderRequirement(db: Kysely<DB>, territoryId: string, workOrderId: string): Promise<RequirementRow | undefined> {
  const r = await sql<RequirementRow>`
    with recursive wo as (
      select w.site_id, w.plan_id, e.model_id, m.category_id
        from work_orders w
        join equipment e on e.id = w.equipment_id
        left join equipment_models m on m.id = e.model_id
       where w.id = ${workOrderId}::uuid and w.territory_id = ${territoryId}::uuid
    ), up (id, parent_id, depth) as (
      select c.id, c.parent_id, 0 from equipment_categories c join wo on c.id = wo.category_id
      union all
      select c.id, c.parent_id, up.depth + 1 from equipment_categories c join up on c.id = up.parent_id where up.depth < 50
    )
    select st.latitude as site_latitude, st.longitude as site_longitude, req.source, req.skill_id, req.skill_name, req.level
      from wo
      join sites st on st.id = wo.site_id
      left join lateral (
        select * from (
          select 'plan' as source, 1 as rank, 0 as depth, s.id as skill_id, s.name as skill_name, p.required_level as level
            from maintenance_plans p join skills s on s.id = p.required_skill_id
           where p.id = wo.plan_id
          union all
          select 'model', 2, 0, s.id, s.name, null
            from skills s
           where s.model_id = wo.model_id and s.territory_id = ${territoryId}::uuid and s.active
          union all
          select 'category', 3, up.depth, s.id, s.name, null
            from up join skills s on s.equipment_category_id = up.id
           where s.territory_id = ${territoryId}::uuid and s.active and s.model_id is null and s.skill_category = 'equipment_maintenance'
        ) x
        order by rank, depth, skill_id
        limit 1
      ) req on true`.execute(db);
  return r.rows[0];
}

export interface CandidateRow {
  userId: string;
  name: string;
  level: string | null;
  validated: boolean | null;
  certificateExpiresAt: string | null;
  /** The sites of their technician and engineer roles, with coordinates. */
  sites: { siteId: string; siteName: string; latitude: number | null; longitude: number | null }[];
  /** Estimated minutes of their open work orders (the plan's estimate, else the default of the type). */
  openMinutes: number;
}

/**
 * Active users holding a technician or engineer role on a site of the territory, with their
 * skill `skillId` (null: no skill asked), their sites and the estimated minutes of the open
 * work orders assigned to them.
 */
export async function candidatePeople(db: Kysely<DB>, territoryId: string, skillId: string | null): Promise<CandidateRow[]> {
  const open = sql.join(OPEN_WORK_ORDER_STATES.map((s) => sql`${s}`));
  const r = await sql<CandidateRow>`
    select u.id as user_id, u.full_name as name, us.level, us.validated, us.certificate_expires_at::text as certificate_expires_at,
      (select json_agg(json_build_object('siteId', s.id, 'siteName', s.name, 'latitude', s.latitude, 'longitude', s.longitude) order by s.name, s.id)
         from sites s
        where s.territory_id = u.territory_id
          and exists (select 1 from role_grants g where g.user_id = u.id and g.site_id = s.id and g.role in ('technician', 'engineer'))) as sites,
      (select coalesce(sum(coalesce(p.estimated_minutes,
                case when w.type = 'corrective' then ${DEFAULT_WORK_ESTIMATE_MINUTES.corrective}::int else ${DEFAULT_WORK_ESTIMATE_MINUTES.other}::int end)), 0)::int
         from work_order_assignees a
         join work_orders w on w.id = a.work_order_id
         left join maintenance_plans p on p.id = w.plan_id
        where a.user_id = u.id and w.territory_id = u.territory_id and w.state in (${open})) as open_minutes
    from users u
    left join user_skills us on us.user_id = u.id and us.skill_id = ${skillId}::uuid
    where u.territory_id = ${territoryId}::uuid and u.active
      and exists (
        select 1 from role_grants g join sites s on s.id = g.site_id
         where g.user_id = u.id and g.role in ('technician', 'engineer') and s.territory_id = u.territory_id)`.execute(db);
  return r.rows;
}
