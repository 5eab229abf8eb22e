import { describe, expect, it } from 'vitest';
import { dueDateToIso, wallClockOf, wallClockToIso } from './hospital-time.ts';

// Paris switches to summer time on 2026-03-29 at 02:00 (→ 03:00) and back on 2026-10-25 at 03:00 (→ 02:00).

describe('datetime-local values as Paris wall-clock time', () => {
  it('adds the offset of that moment, winter or summer', () => {
    expect(wallClockToIso('2026-01-15T09:30')).toBe('2026-01-15T09:30:00+01:00');
    expect(wallClockToIso('2026-07-14T09:30')).toBe('2026-07-14T09:30:00+02:00');
    expect(wallClockToIso(' 2026-07-14T09:30:15 ')).toBe('2026-07-14T09:30:15+02:00');
  });

  it('switches offset at the change to summer time', () => {
    expect(wallClockToIso('2026-03-29T01:59')).toBe('2026-03-29T01:59:00+01:00');
    expect(wallClockToIso('2026-03-29T03:00')).toBe('2026-03-29T03:00:00+02:00');
    // 02:30 does not exist that night: read with the summer offset.
    expect(wallClockToIso('2026-03-29T02:30')).toBe('2026-03-29T02:30:00+02:00');
  });

  it('switches offset at the change back to winter time', () => {
    expect(wallClockToIso('2026-10-25T01:59')).toBe('2026-10-25T01:59:00+02:00');
    expect(wallClockToIso('2026-10-25T03:00')).toBe('2026-10-25T03:00:00+01:00');
    // 02:30 happens twice that night: the second one (winter time) is taken.
    expect(wallClockToIso('2026-10-25T02:30')).toBe('2026-10-25T02:30:00+01:00');
  });

  it('refuses what is not a date and time', () => {
    expect(wallClockToIso('')).toBeNull();
    expect(wallClockToIso('2026-02-30T10:00')).toBeNull();
    expect(wallClockToIso('2026-01-01T24:00')).toBeNull();
    expect(wallClockToIso('2026-01-01')).toBeNull();
  });

  it('shows an instant as Paris wall-clock time, on both sides of each change', () => {
    expect(wallClockOf(Date.parse('2026-03-29T00:59:00Z'))).toBe('2026-03-29T01:59');
    expect(wallClockOf(Date.parse('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00');
    expect(wallClockOf(Date.parse('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30');
    expect(wallClockOf(Date.parse('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30');
    expect(wallClockOf(Date.parse('2026-10-25T02:00:00Z'))).toBe('2026-10-25T03:00');
  });

  it('round-trips with wallClockOf outside the changes', () => {
    for (const iso of ['2026-01-15T08:30:00Z', '2026-07-14T07:30:00Z', '2026-12-31T23:00:00Z']) {
      const typed = wallClockToIso(wallClockOf(Date.parse(iso)));
      expect(typed && Date.parse(typed)).toBe(Date.parse(iso));
    }
  });
});

describe('due dates', () => {
  it('turns a due date into the end of that day in Paris, with its offset', () => {
    expect(dueDateToIso('')).toBeNull();
    expect(dueDateToIso('2026-01-15')).toBe('2026-01-15T23:59:00+01:00');
    expect(dueDateToIso('2026-07-15')).toBe('2026-07-15T23:59:00+02:00');
    // The last Sunday of March switches to summer time at 2:00.
    expect(dueDateToIso('2026-03-28')).toBe('2026-03-28T23:59:00+01:00');
    expect(dueDateToIso('2026-03-29')).toBe('2026-03-29T23:59:00+02:00');
    // The last Sunday of October goes back to winter time at 3:00.
    expect(dueDateToIso('2026-10-24')).toBe('2026-10-24T23:59:00+02:00');
    expect(dueDateToIso('2026-10-25')).toBe('2026-10-25T23:59:00+01:00');
    expect(dueDateToIso('2026-02-30')).toBeUndefined();
    expect(dueDateToIso('15/01/2026')).toBeUndefined();
  });
});
