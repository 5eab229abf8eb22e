import { z } from 'zod';

export const Health = z.object({ status: z.literal('ok') });
export const Ready = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.object({ postgres: z.enum(['up', 'down']), redis: z.enum(['up', 'down']) }),
});
