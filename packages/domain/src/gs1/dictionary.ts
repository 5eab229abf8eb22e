/**
 * The GS1 Application Identifiers as the GS1 Barcode Syntax Dictionary defines them (the table
 * is generated: `syntax-dictionary.generated.ts`), with the questions the scan parser asks of it.
 */
import { GS1_AI_ENTRIES } from './syntax-dictionary.generated.js';
import type { Gs1AiEntry } from './syntax-dictionary-types.js';

export type { Gs1AiEntry, Gs1Component, Gs1Linter } from './syntax-dictionary-types.js';

let byAi: Map<string, Gs1AiEntry> | null = null;

/** The dictionary entry of one AI (ranges such as 3100-3105 expanded), built on first use. */
export function aiEntry(ai: string): Gs1AiEntry | undefined {
  if (!byAi) {
    byAi = new Map();
    for (const entry of GS1_AI_ENTRIES) {
      const last = Number(entry.last ?? entry.ai);
      for (let n = Number(entry.ai); n <= last; n++) byAi.set(String(n).padStart(entry.ai.length, '0'), entry);
    }
  }
  return byAi.get(ai);
}

/** The AI at the start of `s` (the AI set is prefix-free: at most one of 2, 3 or 4 digits fits). */
export function aiAt(s: string, at: number): string | null {
  for (const length of [2, 3, 4]) {
    const candidate = s.slice(at, at + length);
    if (candidate.length === length && /^\d+$/.test(candidate) && aiEntry(candidate)) return candidate;
  }
  return null;
}

/** The length of a pre-defined length AI's value (flag `*`: all its components are fixed). */
export function predefinedLength(entry: Gs1AiEntry): number {
  return entry.parts.reduce((sum, p) => sum + p.max, 0);
}

/** The value lengths an AI accepts, as ranges: e.g. N6 [N6] → [6, 6], [12, 12]; N13 [X..17] → [13, 13], [14, 30]. */
export function valueLengths(entry: Gs1AiEntry): [number, number][] {
  const mandatory = entry.parts.filter((p) => !p.optional);
  const ranges: [number, number][] = [[mandatory.reduce((n, p) => n + p.min, 0), mandatory.reduce((n, p) => n + p.max, 0)]];
  let before = ranges[0]?.[1] ?? 0;
  for (const part of entry.parts.filter((p) => p.optional)) {
    const last = ranges.at(-1);
    if (last && last[1] + 1 >= before + part.min) last[1] = before + part.max;
    else ranges.push([before + part.min, before + part.max]);
    before += part.max;
  }
  return ranges;
}

/** Whether an AI matches a dictionary pattern such as `310n` or `31nn` (n: any digit). */
export function matchesPattern(ai: string, pattern: string): boolean {
  if (ai.length !== pattern.length) return false;
  for (let i = 0; i < ai.length; i++) if (pattern[i] !== 'n' && pattern[i] !== ai[i]) return false;
  return true;
}

/** The first AI present that `entry`'s `ex` attribute excludes (an AI never excludes itself). */
export function excludedBy(ai: string, entry: Gs1AiEntry, present: readonly string[]): string | null {
  for (const pattern of entry.ex ?? []) {
    const other = present.find((p) => p !== ai && matchesPattern(p, pattern));
    if (other !== undefined) return other;
  }
  return null;
}

/** The first `req` attribute of `entry` that no group of present AIs satisfies, or null. */
export function unmetRequirement(ai: string, entry: Gs1AiEntry, present: readonly string[]): readonly (readonly string[])[] | null {
  const has = (pattern: string) => present.some((p) => p !== ai && matchesPattern(p, pattern));
  for (const alternatives of entry.req ?? []) {
    if (!alternatives.some((group) => group.every(has))) return alternatives;
  }
  return null;
}

/**
 * Whether `path` (AIs in URI path order, primary key first) is a valid GS1 Digital Link key and
 * qualifier sequence: the qualifiers are an ordered subset of one of the key's sequences.
 */
export function isDlPathSequence(path: readonly string[]): boolean {
  const [key, ...qualifiers] = path;
  const sequences = key === undefined ? undefined : aiEntry(key)?.dlpkey;
  if (!sequences) return false;
  return sequences.some((sequence) => {
    let at = 0;
    for (const q of qualifiers) {
      const found = sequence.indexOf(q, at);
      if (found === -1) return false;
      at = found + 1;
    }
    return true;
  });
}

/** The GS1 Digital Link convenience alphas of earlier versions (`/gtin/…/ser/…`), accepted in the path. */
export const DL_CONVENIENCE_ALPHAS: Readonly<Record<string, string>> = {
  cpid: '8010', cpsn: '8011', cpv: '22', gcn: '255', gdti: '253', giai: '8004', ginc: '401', gln: '414', glnx: '254', gmn: '8013',
  grai: '8003', gsin: '402', gsrn: '8018', gsrnp: '8017', gtin: '01', itip: '8006', lot: '10', party: '417', refno: '8020',
  ser: '21', srin: '8019', sscc: '00',
};
