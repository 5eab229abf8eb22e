/**
 * FINESS numbers identify French health establishments (FINESS géographique) and their
 * legal entities (FINESS juridique): 9 characters, the first two the département code as
 * the FINESS nomenclature writes it (two digits, 2A/2B for Corsica, 9A–9F overseas), then
 * seven digits, the last one a check key. Only the format is checked: no official source
 * at hand states the key's algorithm for every département code (Luhn is commonly used
 * for the all-digit ones), and refusing a real number would block its establishment
 * (docs/regulatory.md, "FINESS numbers").
 */
export function isValidFiness(value: string): boolean {
  return /^(\d{2}|2[AB]|9[A-F])\d{7}$/.test(value);
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A Luhn key that completes eight FINESS characters (2A/2B counted as 20): plausible numbers for demo data and tests. */
export function finessCheckKey(first8: string): string {
  const digits = first8.replace(/^2[AB]/, '20');
  for (let k = 0; k <= 9; k++) {
    if (luhnValid(digits + String(k))) return String(k);
  }
  throw new Error('unreachable');
}
