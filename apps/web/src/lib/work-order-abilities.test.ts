import { describe, expect, it } from 'vitest';
import type { Principal } from '@gmao/domain';
import { abilitiesOn, takeRefusal, type WorkOrderSeen } from './work-order-abilities.ts';

const SITE = { id: 'site-a' };
const technician: Principal = { userId: 'tech', territoryId: 't1', grants: [{ role: 'technician', siteId: 'site-a' }] };
const engineer: Principal = { userId: 'eng', territoryId: 't1', grants: [{ role: 'engineer', siteId: 'site-a' }] };
const carer: Principal = { userId: 'care', territoryId: 't1', grants: [{ role: 'care_staff', siteId: 'site-a' }] };

function order(state: WorkOrderSeen['state'], assigneeIds: string[] = []): WorkOrderSeen {
  return {
    site: SITE,
    state,
    requestedBy: { id: 'care' },
    assignees: assigneeIds.map((id) => ({ id })),
  };
}

describe('abilitiesOn', () => {
  it('is null when nobody is signed in', () => {
    expect(abilitiesOn(null, order('requested'))).toBeNull();
  });

  it('reads the site, the requester and the assignees from the work order the API sent', () => {
    expect(abilitiesOn(carer, order('requested'))).toMatchObject({ requester: true, cancel: true, take: false });
    expect(abilitiesOn(technician, order('requested'))).toMatchObject({ siteTechnician: true, take: true, editReport: false });
    expect(abilitiesOn(technician, order('in_progress', ['tech']))).toMatchObject({ assignee: true, take: false, editReport: true, sign: true });
    expect(abilitiesOn(engineer, order('completed', ['tech']))).toMatchObject({ planner: true, close: true, editReport: false });
  });

  it('offers the buttons of the state machine the person may use', () => {
    expect(abilitiesOn(technician, order('in_progress', ['tech']))?.transitions).toEqual(['on_hold', 'completed']);
    expect(abilitiesOn(carer, order('assigned', ['tech']))?.transitions).toEqual([]);
  });
});

describe('takeRefusal', () => {
  const otherSiteTech: Principal = { userId: 'tech-b', territoryId: 't1', grants: [{ role: 'technician', siteId: 'site-b' }] };
  it('says a technician of another site may not take a request because of his role', () => {
    expect(takeRefusal(otherSiteTech, order('requested'))).toBe('role');
    expect(takeRefusal(technician, order('requested'))).toBeNull();
    expect(takeRefusal(technician, order('closed'))).toBe('state');
    expect(takeRefusal(null, order('requested'))).toBeNull();
  });
});
