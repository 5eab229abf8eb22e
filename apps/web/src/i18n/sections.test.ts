import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fr from './fr.ts';
import { SHELL_SECTIONS } from './sections.ts';

/**
 * The main bundle holds only the shell sections of the catalogue: every page the router shows
 * without waiting for the others (meta.shell), and everything they import, must use only those.
 */
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string) => readFileSync(path.join(SRC, file), 'utf8');

/** The source files a file imports statically (relative imports), transitively. */
function staticClosure(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of read(file).matchAll(/^import\s+(?!type\b)[^'";]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
      const target = path.relative(SRC, path.resolve(SRC, path.dirname(file), specifier!));
      if (/\.(ts|vue)$/.test(target) && !target.startsWith('i18n/')) queue.push(target);
    }
  }
  return seen;
}

/** The catalogue sections a file names in t(), te() or a title key. */
function sectionsUsed(file: string): string[] {
  const source = read(file);
  return [...source.matchAll(/\bt[e]?\(\s*['`]([A-Za-z]+)\./g)].map((m) => m[1]!);
}

const router = read('router/index.ts');
const shellRoutes = [...router.matchAll(/import\('\.\.\/(pages\/[A-Za-z]+\.vue)'\)[^\n]*shell: true/g)].map((m) => m[1]!);

describe('the catalogue shell (i18n/sections.ts)', () => {
  it('names sections of the catalogue', () => {
    for (const section of SHELL_SECTIONS) expect(Object.keys(fr)).toContain(section);
  });

  it('is all the shell pages, the layout and the app use', () => {
    expect(shellRoutes).toEqual(expect.arrayContaining(['pages/LoginPage.vue', 'pages/HomePage.vue']));
    const files = staticClosure(['main.ts', 'App.vue', 'layouts/AppLayout.vue', ...shellRoutes]);
    const outside = [...files].flatMap((file) => sectionsUsed(file).filter((s) => !SHELL_SECTIONS.includes(s)).map((s) => `${file}: ${s}`));
    expect(outside).toEqual([]);
  });

  it('titles the shell routes with shell sections', () => {
    const titles = [...router.matchAll(/shell: true, title: '([A-Za-z]+)\./g)].map((m) => m[1]!);
    expect(titles.length).toBe(shellRoutes.length);
    for (const section of titles) expect(SHELL_SECTIONS).toContain(section);
  });
});
