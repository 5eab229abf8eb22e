/**
 * Generates packages/domain/src/gs1/syntax-dictionary.generated.ts from the GS1 Barcode Syntax
 * Dictionary (https://github.com/gs1/gs1-syntax-dictionary, Apache-2.0): every Application
 * Identifier with its components, linters, flags, `req`, `ex` and `dlpkey` attributes, and the
 * code lists that some linters check against (ISO 3166, ISO 4217, package types, media types),
 * taken from the reference linters' sources of the same release.
 *
 * Usage (from the repository root):
 *
 *   git clone --branch 2026-01-27 https://github.com/gs1/gs1-syntax-dictionary /tmp/gs1-syntax-dictionary
 *   pnpm gs1:generate /tmp/gs1-syntax-dictionary
 *
 * The generator refuses anything it does not understand (an unknown flag, component or
 * attribute, a table that is not prefix-free, a pre-defined length AI with a variable part),
 * so that a new release of the dictionary cannot be half-read.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const OUTPUT = resolve(import.meta.dirname, '../packages/domain/src/gs1/syntax-dictionary.generated.ts');

const KNOWN_LINTERS = new Set([
  'csum', 'csumalpha', 'gcppos1', 'gcppos2', 'hasnondigit', 'hh', 'hhmi', 'mi', 'ss', 'hyphen', 'iban', 'importeridx',
  'iso3166', 'iso3166999', 'iso3166alpha2', 'iso4217', 'iso5218', 'latitude', 'longitude', 'mediatype', 'nonzero',
  'nozeroprefix', 'packagetype', 'pcenc', 'pieceoftotal', 'posinseqslash', 'winding', 'yesno', 'yymmd0', 'yymmdd',
  'yyyymmd0', 'yyyymmdd', 'zero', 'couponcode', 'couponposoffer',
]);

interface Component {
  cset: 'N' | 'X' | 'Y' | 'Z';
  min: number;
  max: number;
  optional: boolean;
  linters: string[];
}

interface Entry {
  ai: string;
  last: string;
  predefined: boolean;
  dlAttr: boolean;
  parts: Component[];
  req: string[][][];
  ex: string[];
  dlpkey: string[][] | null;
  title: string;
}

function die(message: string): never {
  throw new Error(`gs1:generate: ${message}`);
}

const AI_PATTERN = /^\d[\dn]{1,3}$/;

function parseComponent(token: string, line: string): Component {
  const m = /^(\[)?([NXYZ])(\.\.)?(\d+)(\])?((?:,[a-z0-9]+)*)$/.exec(token);
  if (!m || Boolean(m[1]) !== Boolean(m[5])) die(`component « ${token} » not understood in: ${line}`);
  const length = Number(m[4]);
  const linters = (m[6] ?? '').split(',').filter((x) => x !== '');
  for (const l of linters) if (!KNOWN_LINTERS.has(l)) die(`unknown linter « ${l} » in: ${line}`);
  return { cset: m[2] as Component['cset'], min: m[3] ? 1 : length, max: length, optional: Boolean(m[1]), linters };
}

function parseEntries(text: string): Entry[] {
  const entries: Entry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const hash = line.indexOf('#');
    const title = hash === -1 ? '' : line.slice(hash + 1).trim();
    const tokens = (hash === -1 ? line : line.slice(0, hash)).trim().split(/\s+/);
    const range = tokens.shift() ?? '';
    const r = /^(\d{2,4})(?:-(\d{2,4}))?$/.exec(range);
    if (!r) die(`AI « ${range} » not understood in: ${line}`);
    const ai = r[1] ?? '';
    const last = r[2] ?? ai;
    if (last.length !== ai.length || last < ai) die(`bad AI range in: ${line}`);
    let flags = '';
    if (tokens[0] !== undefined && /^[*!?"$%&'()+,\-./:;<=>@[\\\]^_`{|}~]+$/.test(tokens[0]) && !/^\[?[NXYZ]/.test(tokens[0])) {
      flags = tokens.shift() ?? '';
    }
    for (const f of flags) if (f !== '*' && f !== '?') die(`unknown flag « ${f} » in: ${line}`);
    const parts: Component[] = [];
    while (tokens[0] !== undefined && /^\[?[NXYZ]/.test(tokens[0])) parts.push(parseComponent(tokens.shift() ?? '', line));
    if (parts.length === 0) die(`no component in: ${line}`);
    parts.forEach((p, i) => {
      if (p.min !== p.max && i !== parts.length - 1) die(`variable-length component before the last in: ${line}`);
      if (!p.optional && parts.slice(0, i).some((q) => q.optional)) die(`mandatory component after an optional one in: ${line}`);
    });
    const entry: Entry = { ai, last, predefined: flags.includes('*'), dlAttr: flags.includes('?'), parts, req: [], ex: [], dlpkey: null, title };
    for (const attr of tokens) {
      const [key, value] = attr.split('=', 2) as [string, string | undefined];
      const patterns = (list: string): string[] =>
        list.split(',').map((p) => {
          if (!AI_PATTERN.test(p)) die(`AI pattern « ${p} » not understood in: ${line}`);
          return p;
        });
      if (key === 'req' && value) {
        entry.req.push(value.split(',').map((group) => group.split('+').flatMap(patterns)));
      } else if (key === 'ex' && value) {
        entry.ex.push(...patterns(value));
      } else if (key === 'dlpkey') {
        entry.dlpkey = value ? value.split('|').map(patterns) : [[]];
      } else {
        die(`attribute « ${attr} » not understood in: ${line}`);
      }
    }
    if (entry.predefined && parts.some((p) => p.min !== p.max || p.optional)) die(`pre-defined length AI with a variable part in: ${line}`);
    entries.push(entry);
  }
  return entries;
}

function expand(entry: Entry): string[] {
  const out: string[] = [];
  for (let n = Number(entry.ai); n <= Number(entry.last); n++) out.push(String(n).padStart(entry.ai.length, '0'));
  return out;
}

function checkPrefixFree(entries: Entry[]): void {
  const ais = entries.flatMap(expand);
  const all = new Set(ais);
  if (all.size !== ais.length) die('an AI is defined twice');
  for (const a of ais) {
    for (let len = 2; len < a.length; len++) if (all.has(a.slice(0, len))) die(`AI ${a.slice(0, len)} is a prefix of AI ${a}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Code lists from the reference linters

function arrayBody(source: string, name: string, file: string): string {
  const start = source.search(new RegExp(`static const [\\w ]+ ${name}\\[\\](?:\\[\\d+\\])? = \\{`));
  if (start === -1) die(`array ${name} not found in ${file}`);
  const open = source.indexOf('{', start);
  const close = /^\s*\};\s*$/m.exec(source.slice(open));
  if (!close) die(`end of array ${name} not found in ${file}`);
  return source.slice(open + 1, open + close.index);
}

/** The set bits of a GS1_LINTER_BITFIELD_LOOKUP table (most significant bit first), from its portable hex form. */
function bitfield(source: string, name: string, file: string, wordBits: number): number[] {
  const body = arrayBody(source, name, file);
  const portable = body.includes('#else') ? body.slice(body.indexOf('#else'), body.indexOf('#endif')) : body;
  const words = [...portable.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').matchAll(/0x([0-9a-fA-F]+)/g)].map((m) => BigInt(`0x${m[1]}`));
  if (words.length === 0) die(`no words in ${name} of ${file}`);
  const bits: number[] = [];
  words.forEach((word, w) => {
    for (let b = 0; b < wordBits; b++) if ((word >> BigInt(wordBits - 1 - b)) & 1n) bits.push(w * wordBits + b);
  });
  return bits;
}

function codeLists(repo: string) {
  const read = (name: string) => readFileSync(join(repo, 'src', `lint_${name}.c`), 'utf8');
  const iso3166 = bitfield(read('iso3166'), 'iso3166', 'lint_iso3166.c', 64).map((n) => String(n).padStart(3, '0'));
  const iso4217 = bitfield(read('iso4217'), 'iso4217', 'lint_iso4217.c', 64).map((n) => String(n).padStart(3, '0'));
  const letter = (n: number) => String.fromCharCode(65 + n);
  const alpha2 = bitfield(read('iso3166alpha2'), 'iso3166alpha2', 'lint_iso3166alpha2.c', 64).map((n) => letter(Math.floor(n / 26)) + letter(n % 26));
  const media = bitfield(read('mediatype'), 'mediatypes', 'lint_mediatype.c', 8).map((n) => String(n).padStart(2, '0'));
  const packageTypes = [...arrayBody(read('packagetype'), 'packagetypes', 'lint_packagetype.c').matchAll(/"([0-9A-Z]{1,3})"/g)].map((m) => m[1] ?? '');
  if (iso3166.length < 200 || alpha2.length < 200 || iso4217.length < 100 || packageTypes.length < 300 || media.length < 10) {
    die('a code list is suspiciously short');
  }
  return { iso3166, iso4217, alpha2, media, packageTypes };
}

// ---------------------------------------------------------------------------------------------
// Output

const q = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const list = (xs: readonly string[]) => `[${xs.map(q).join(', ')}]`;

function emitEntry(e: Entry): string {
  const parts = e.parts
    .map((p) => `{ cset: '${p.cset}', min: ${p.min}, max: ${p.max}${p.optional ? ', optional: true' : ''}${p.linters.length ? `, linters: ${list(p.linters)}` : ''} }`)
    .join(', ');
  const fields = [
    `ai: ${q(e.ai)}`,
    ...(e.last !== e.ai ? [`last: ${q(e.last)}`] : []),
    ...(e.predefined ? ['predefined: true'] : []),
    ...(e.dlAttr ? ['dlAttr: true'] : []),
    `parts: [${parts}]`,
    ...(e.req.length ? [`req: [${e.req.map((alts) => `[${alts.map(list).join(', ')}]`).join(', ')}]`] : []),
    ...(e.ex.length ? [`ex: ${list(e.ex)}`] : []),
    ...(e.dlpkey ? [`dlpkey: [${e.dlpkey.map(list).join(', ')}]`] : []),
    `title: ${q(e.title)}`,
  ];
  return `  { ${fields.join(', ')} },`;
}

function main(): void {
  const repoArg = process.argv[2];
  if (!repoArg) die('usage: pnpm gs1:generate <checkout of gs1/gs1-syntax-dictionary>');
  const repo = resolve(repoArg);
  const text = readFileSync(join(repo, 'gs1-syntax-dictionary.txt'), 'utf8');
  const release = /^# Release: (.+)$/m.exec(text)?.[1]?.trim() ?? die('no "Release:" line');
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout: the release line is enough.
  }
  const copyright = text.split('\n').filter((l) => /^# Copyright/.test(l)).map((l) => l.slice(2));
  if (copyright.length === 0 || !text.includes('Apache License, Version 2.0')) die('licence notice not found');

  const entries = parseEntries(text);
  checkPrefixFree(entries);
  const lists = codeLists(repo);

  const out = `/**
 * GENERATED FILE — do not edit. Regenerate with \`pnpm gs1:generate <checkout>\`
 * (scripts/generate-gs1-syntax-dictionary.ts).
 *
 * The GS1 Barcode Syntax Dictionary, release ${release}
 * (https://github.com/gs1/gs1-syntax-dictionary, commit ${commit}),
 * and the code lists of its reference linters (src/lint_*.c of the same release).
 *
${copyright.map((l) => ` * ${l}`).join('\n')}
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
 * except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0. Unless required by applicable law or agreed to
 * in writing, software distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the License for
 * the specific language governing permissions and limitations under the License.
 */
import type { Gs1AiEntry } from './syntax-dictionary-types.js';

export const GS1_SYNTAX_DICTIONARY_RELEASE = ${q(release)};

/** Every AI (or range of AIs) of the dictionary, in its order. */
export const GS1_AI_ENTRIES: readonly Gs1AiEntry[] = [
${entries.map(emitEntry).join('\n')}
];

/** ISO 3166-1 numeric country codes (linter iso3166). */
export const ISO3166_NUMERIC = ${q(lists.iso3166.join(' '))};
/** ISO 3166-1 alpha-2 country codes (linter iso3166alpha2). */
export const ISO3166_ALPHA2 = ${q(lists.alpha2.join(' '))};
/** ISO 4217 numeric currency codes (linter iso4217). */
export const ISO4217_NUMERIC = ${q(lists.iso4217.join(' '))};
/** AIDC media types (linter mediatype). */
export const MEDIA_TYPES = ${q(lists.media.join(' '))};
/** UN/ECE Recommendation 21 package types, with GS1 additions (linter packagetype). */
export const PACKAGE_TYPES = ${q(lists.packageTypes.join(' '))};
`;
  writeFileSync(OUTPUT, out);
  console.info(`gs1:generate: ${entries.length} entries (${entries.flatMap(expand).length} AIs), release ${release} → ${OUTPUT}`);
}

main();
