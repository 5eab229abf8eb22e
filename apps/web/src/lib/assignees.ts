import type { z } from 'zod';
import type { Assignable } from '@gmao/contracts';

/** A technician or engineer one may assign (GET /technicians). */
export type AssignablePerson = z.infer<typeof Assignable>;

/** One person a work order may be assigned to, as the assignee picker shows them. */
export interface AssigneeOption {
  id: string;
  fullName: string;
  /** Holds a role on the work order's site: anyone else intervenes cross-site ("autre site"). */
  sameSite: boolean;
  /** Their role on the work order's site, else their first role elsewhere. */
  role: 'technician' | 'engineer';
  /** Short codes of their sites (every one, the work order's first). */
  siteCodes: string[];
}

/**
 * The territory's technicians and engineers for a work order (or a device) of `siteId`: the
 * site's own team first (technicians before engineers), then the others, each group by name.
 */
export function assigneeOptions(people: readonly AssignablePerson[], siteId: string | null): AssigneeOption[] {
  const options = people.map((p): AssigneeOption => {
    const here = p.sites.filter((s) => s.id === siteId);
    const codes = [...new Set([...here, ...p.sites].map((s) => s.shortCode))];
    const role = here.some((s) => s.role === 'technician') ? 'technician' : (here[0]?.role ?? p.sites[0]?.role ?? 'technician');
    return { id: p.id, fullName: p.fullName, sameSite: here.length > 0, role, siteCodes: codes };
  });
  const rank = (o: AssigneeOption) => (o.sameSite ? 0 : 2) + (o.role === 'technician' ? 0 : 1);
  return options.sort((a, b) => rank(a) - rank(b) || a.fullName.localeCompare(b.fullName, 'fr'));
}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** Whether a name contains the typed text, ignoring case and accents ('' matches every name). */
export function nameMatches(fullName: string, text: string): boolean {
  return fold(fullName).includes(fold(text.trim()));
}
