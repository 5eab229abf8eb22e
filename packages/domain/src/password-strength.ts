import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import * as fr from '@zxcvbn-ts/language-fr';

/**
 * Password strength, estimated with zxcvbn-ts (the maintained TypeScript port of Dropbox's
 * zxcvbn) over the common password list and the French and English dictionaries (words,
 * first and last names, Wikipedia), plus the user's own email and name.
 *
 * The minimum is score 3 of 4: at least 10^8 guesses by zxcvbn's estimate. Online guessing
 * is slowed by the login limiter and stored hashes are Argon2id, so 10^8 is out of reach of
 * both; score 4 (10^10) would refuse many memorable three-word passphrases, which hospital
 * staff then write down. Score 3 refuses what the weak-password list names: one character
 * repeated, sequences and keyboard rows, common passwords, dictionary words and names, and
 * the email or name itself, with or without digits and l33t.
 *
 * Kept out of the package's main entry (`@gmao/domain`) because the dictionaries weigh
 * about 1.5 MB: import `@gmao/domain/password-strength` where a password is set.
 */
export const PASSWORD_MIN_SCORE = 3;

let factory: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...fr.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: fr.translations,
  });
  return factory;
}

/** The parts of an email and a name that a password must not lean on. */
export function personalInputs(email: string, fullName?: string | null): string[] {
  const [local = '', domain = ''] = email.toLowerCase().split('@');
  const words = [local, ...local.split(/[._+-]+/), domain.split('.')[0] ?? '', ...(fullName ?? '').toLowerCase().split(/[\s'’.-]+/)];
  return [...new Set([email.toLowerCase(), ...words].filter((w) => w.length >= 3))];
}

const letters = (s: string) => s.normalize('NFD').replace(/[^a-zA-Z]/g, '').toLowerCase();

/**
 * True when the password's letters are only the user's own words (e.g. `Marie Dupont`,
 * `MarieDupont2026`): zxcvbn scores some of those 3, as two "words" and a year.
 */
function onlyPersonalWords(password: string, userInputs: readonly string[]): boolean {
  let rest = letters(password);
  if (rest.length === 0) return false;
  const words = userInputs.map(letters).filter((w) => w.length >= 3).sort((a, b) => b.length - a.length);
  if (words.length === 0) return false;
  for (const w of words) rest = rest.replaceAll(w, '');
  return rest.length < 4;
}

export interface PasswordVerdict {
  score: number;
  /** Null when strong enough; otherwise a French sentence saying why and how to do better. */
  problem: string | null;
}

/** Judges a new password against the user's own data (their email, their name). */
export function judgePassword(password: string, userInputs: readonly string[] = []): PasswordVerdict {
  const result = zxcvbn().check(password, [...userInputs]);
  if (onlyPersonalWords(password, userInputs)) {
    return { score: Math.min(result.score, 1), problem: 'Mot de passe trop faible : il ne doit pas reprendre votre adresse e-mail ou votre nom.' };
  }
  if (result.score >= PASSWORD_MIN_SCORE) return { score: result.score, problem: null };
  const why = result.feedback.warning ?? 'Ce mot de passe est trop facile à deviner.';
  const how = result.feedback.suggestions[0] ?? 'Ajoutez des mots peu courants ou des caractères variés.';
  return { score: result.score, problem: `Mot de passe trop faible : ${sentence(why)} ${sentence(how)}` };
}

const sentence = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);
