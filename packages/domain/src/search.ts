/**
 * Folds text for accent- and case-insensitive search, exactly as the SQL function
 * gmao_fold() does when it fills equipment.search_text (lower case, French accents off).
 */
const FROM = 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿœæ';
const TO = 'aaaaaaceeeeiiiinooooouuuuyyoa';
const MAP = new Map([...FROM].map((ch, i) => [ch, TO[i]!]));

export function foldSearch(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) out += MAP.get(ch) ?? ch;
  return out;
}

/** The words of a free-text query, folded; words shorter than 2 characters are dropped. */
export function searchWords(q: string): string[] {
  return foldSearch(q)
    .split(/\s+/)
    .map((w) => w.trim())
    .filter((w) => w.length >= 2)
    .slice(0, 8);
}
