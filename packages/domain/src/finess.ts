/**
 * FINESS numbers identify French health establishments: 9 characters, the first two
 * the département (digits, or 2A/2B for Corsica), the last one a Luhn check key
 * computed over the first eight (2A and 2B count as 20 for the key).
 */
export function isValidFiness(value: string): boolean {
  if (!/^(\d{2}|2A|2B)\d{7}$/.test(value)) return false;
  const digits = value.replace(/^2[AB]/, '20');
  return luhnValid(digits);
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

/** The check key that completes eight FINESS characters into a valid number. */
export function finessCheckKey(first8: string): string {
  const digits = first8.replace(/^2[AB]/, '20');
  for (let k = 0; k <= 9; k++) {
    if (luhnValid(digits + String(k))) return String(k);
  }
  throw new Error('unreachable');
}
