import type { PDFFont } from 'pdf-lib';

/**
 * Text drawn with the standard 14 fonts (WinAnsi): what they can encode, fitting and
 * wrapping. The equipment labels use it (short, mostly ASCII codes and names, where a
 * replacement is acceptable). Documents that are records — the intervention report and the
 * maintenance register — embed Unicode fonts instead and never lose a character:
 * `lib/pdf-document.ts`.
 */

// --- WinAnsi-safe text --------------------------------------------------------------------

/** Code points of Windows-1252 above Latin-1's 0x80–0x9F gap: what the standard fonts' WinAnsiEncoding adds. */
const CP1252_EXTRAS = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
]);

/** True when the standard 14 fonts (WinAnsiEncoding) can draw this code point. */
export function isWinAnsi(codePoint: number): boolean {
  return (codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0xff) || CP1252_EXTRAS.has(codePoint);
}

/** Common characters WinAnsi lacks, and what to print instead. */
const REPLACEMENTS: Record<string, string> = {
  '\t': ' ', '\n': ' ', '\r': ' ',
  '\u2002': ' ', '\u2003': ' ', '\u2004': ' ', '\u2005': ' ', '\u2006': ' ', '\u2007': ' ', '\u2008': ' ', '\u2009': ' ',
  '\u200a': ' ', '\u202f': ' ', '\u205f': ' ', '\u3000': ' ',
  '\u200b': '', '\u200c': '', '\u200d': '', '\u2060': '', '\ufeff': '', '\u00ad': '',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2015': '-', '\u2212': '-',
  '\u2032': "'", '\u2033': '"', '\u2035': "'", '\u201b': "'", '\u201f': '"',
  '\u2264': '<=', '\u2265': '>=', '\u2260': '!=', '\u2248': '~', '\u2192': '->', '\u2190': '<-', '\u2194': '<->', '\u21d2': '=>',
  '\u03bc': '\u00b5', '\u2126': 'Ohm', '\u03a9': 'Ohm', '\u2103': '\u00b0C', '\u2116': 'No',
  '\u0141': 'L', '\u0142': 'l', '\u0110': 'D', '\u0111': 'd', '\u0131': 'i',
};

/**
 * Text the standard Helvetica can encode: French accents, œ, €, ’ and › pass as they are;
 * other characters become an ASCII equivalent, their base letter without diacritics, or `?`.
 */
export function winAnsiSafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (isWinAnsi(cp)) {
      out += ch;
      continue;
    }
    const replacement = REPLACEMENTS[ch];
    if (replacement !== undefined) {
      out += replacement;
      continue;
    }
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
    if (base.length > 0 && [...base].every((c) => isWinAnsi(c.codePointAt(0)!))) out += base;
    else if (/\p{M}/u.test(ch)) continue; // a lone combining mark
    else if (/\p{Cc}/u.test(ch)) out += ' ';
    else out += '?';
  }
  return out;
}

// --- Text fitting ---------------------------------------------------------------------------

/** The largest size (down to `min`) at which the text fits, cut with an ellipsis if even `min` is too wide. */
export function fitText(font: PDFFont, text: string, maxWidth: number, size: number, min: number): { text: string; size: number } {
  let s = size;
  while (s > min && font.widthOfTextAtSize(text, s) > maxWidth) s = Math.max(min, s - 0.5);
  return { text: cut(font, text, s, maxWidth), size: s };
}

function cut(font: PDFFont, text: string, size: number, maxWidth: number): string {
  if (font.widthOfTextAtSize(text, size) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 1 && font.widthOfTextAtSize(`${chars.join('')}…`, size) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** Greedy word wrap into at most `maxLines` lines, the last one cut with an ellipsis when needed. */
export function wrapText(font: PDFFont, text: string, size: number, maxWidth: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const candidate = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= maxWidth || !current) {
      current = candidate;
      continue;
    }
    if (lines.length === maxLines - 1) {
      current = `${current} ${words.slice(i).join(' ')}`;
      break;
    }
    lines.push(cut(font, current, size, maxWidth));
    current = word;
  }
  if (current) lines.push(cut(font, current, size, maxWidth));
  return lines;
}

