/**
 * Waits until `check` answers true, polling every `everyMs`, for at most `ms`; throws
 * `timeout: <what>` after. For what a worker does in the background (a job's effect, a
 * process up or down).
 */
export async function until(what: string, check: () => Promise<boolean>, ms = 20_000, everyMs = 50): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
