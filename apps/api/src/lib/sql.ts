/** An (I)LIKE pattern matching `text` anywhere, with LIKE wildcards escaped. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
