import { describe, expect, it } from 'vitest';
import { isLiveJobState } from './index.js';

describe('a live job', () => {
  it('is one a worker has still to run or is running: waiting, prioritized, waiting for children, delayed, active', () => {
    for (const state of ['waiting', 'prioritized', 'waiting-children', 'delayed', 'active'] as const) expect(isLiveJobState(state), state).toBe(true);
  });

  it('is not a missing job, nor a finished one (completed, failed), nor one Redis does not know', () => {
    for (const state of ['completed', 'failed', 'unknown', null, undefined] as const) expect(isLiveJobState(state), String(state)).toBe(false);
  });
});
