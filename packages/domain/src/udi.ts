/**
 * UDI-DIs of the four issuing entities designated in the EU by Commission Implementing
 * Decision (EU) 2019/939: GS1, HIBCC, ICCBBA and IFA (docs/regulatory.md, "Unique device
 * identification"). `normaliseUdiDi` checks one against its entity's format and returns its
 * data content: what identifies the device, without the carrier's flag, data identifier or
 * check character.
 *
 * - GS1: the GTIN-14 (14 digits, the last a mod-10 check digit).
 * - HIBCC (HIBC LIC primary data structure): labeler identification code (LIC: a letter and
 *   3 alphanumerics) + product or catalogue number (1–18 alphanumerics) + unit of measure
 *   (1 digit). Given as the bar code's data (`+` flag … mod-43 check character), the check
 *   character is verified and dropped.
 * - ICCBBA (ISBT 128 Processor Product Identification Code, data structure 034): FIN of the
 *   processor (5 characters of A–N, P–Z, 0–9) + facility-defined product code (6) + product
 *   description code (5); the data identifier `=/` is dropped.
 * - IFA (Pharmacy Product Number, PPN): product registration agency code (2 digits) +
 *   registered product number (alphanumeric) + 2 check digits (mod 97 over the ASCII codes
 *   weighted 2, 3, 4 … from the left); the ASC data identifier `9N` is dropped.
 */
import { isValidGtin } from './scan-code.js';

export const UDI_ISSUING_ENTITIES = ['GS1', 'HIBCC', 'ICCBBA', 'IFA'] as const;
export type UdiIssuingEntity = (typeof UDI_ISSUING_ENTITIES)[number];

export type UdiDiProblem =
  | 'gs1_format' | 'gs1_check_digit'
  | 'hibcc_format' | 'hibcc_check_character'
  | 'iccbba_format'
  | 'ifa_format' | 'ifa_check_digits';

export type UdiDiResult = { ok: true; value: string } | { ok: false; problem: UdiDiProblem; message: string };

/** French messages (the API's language for input errors), one per problem. */
export const UDI_DI_MESSAGES: Record<UdiDiProblem, string> = {
  gs1_format: 'UDI-DI GS1 : 14 chiffres (GTIN-14)',
  gs1_check_digit: 'UDI-DI GS1 : la clé de contrôle du GTIN est fausse',
  hibcc_format: 'UDI-DI HIBCC : code de l’étiqueteur (une lettre et 3 caractères alphanumériques), référence produit (1 à 18 caractères alphanumériques) et unité de conditionnement (1 chiffre)',
  hibcc_check_character: 'UDI-DI HIBCC : le caractère de contrôle (modulo 43) est faux',
  iccbba_format: 'UDI-DI ICCBBA (ISBT 128, PPIC) : 16 caractères, FIN (5), code produit de l’établissement (6) et code de description (5)',
  ifa_format: 'UDI-DI IFA (PPN) : code de l’agence (2 chiffres), numéro de produit (1 à 18 caractères alphanumériques) et 2 chiffres de contrôle',
  ifa_check_digits: 'UDI-DI IFA (PPN) : les chiffres de contrôle (modulo 97) sont faux',
};

const fail = (problem: UdiDiProblem): UdiDiResult => ({ ok: false, problem, message: UDI_DI_MESSAGES[problem] });

/** The 43 characters of the HIBC mod-43 check, in the order of their values 0–42. */
const MOD43 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%';

/** HIBC mod-43 check character of `data` (every character from the `+` flag on); null if one is outside the set. */
export function hibcCheckCharacter(data: string): string | null {
  let sum = 0;
  for (const ch of data) {
    const v = MOD43.indexOf(ch);
    if (v < 0) return null;
    sum += v;
  }
  return MOD43[sum % 43]!;
}

/** PPN check digits of `data` (the PRA code and the product number): two digits, mod 97. */
export function ppnCheckDigits(data: string): string {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data.charCodeAt(i) * (i + 2);
  return String(sum % 97).padStart(2, '0');
}

const HIBCC_DI = /^[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}[0-9]$/;
const ICCBBA_DI = /^[A-NP-Z0-9]{5}[A-Z0-9]{11}$/;
const IFA_DI = /^[0-9]{2}[A-Z0-9]{1,18}[0-9]{2}$/;

export function normaliseUdiDi(entity: UdiIssuingEntity, raw: string): UdiDiResult {
  const s = raw.trim();
  switch (entity) {
    case 'GS1': {
      if (!/^\d{14}$/.test(s)) return fail('gs1_format');
      return isValidGtin(s) ? { ok: true, value: s } : fail('gs1_check_digit');
    }
    case 'HIBCC': {
      const u = s.toUpperCase();
      if (u.startsWith('+')) {
        const body = u.slice(1, -1);
        if (!HIBCC_DI.test(body)) return fail('hibcc_format');
        return hibcCheckCharacter(u.slice(0, -1)) === u.slice(-1) ? { ok: true, value: body } : fail('hibcc_check_character');
      }
      return HIBCC_DI.test(u) ? { ok: true, value: u } : fail('hibcc_format');
    }
    case 'ICCBBA': {
      const u = s.toUpperCase();
      const body = u.startsWith('=/') ? u.slice(2) : u;
      return ICCBBA_DI.test(body) ? { ok: true, value: body } : fail('iccbba_format');
    }
    case 'IFA': {
      const u = s.toUpperCase();
      const body = u.startsWith('9N') ? u.slice(2) : u;
      if (!IFA_DI.test(body)) return fail('ifa_format');
      return ppnCheckDigits(body.slice(0, -2)) === body.slice(-2) ? { ok: true, value: body } : fail('ifa_check_digits');
    }
  }
}

/**
 * The GS1 application identifiers of production identifiers (Regulation (EU) 2017/745,
 * Annex VI, Part C, definitions: lot or batch, serial number, manufacturing date, expiry date,
 * software version): 10 batch/lot, 11 production date, 17 expiration date, 21 serial number,
 * 8012 software version.
 */
export const UDI_PI_GS1_AIS = ['10', '11', '17', '21', '8012'] as const;

/** French messages of the UDI-PI's problems (fixed texts: the SPA translates them). */
export const UDI_PI_MESSAGES = {
  format: 'UDI-PI : forme GS1 attendue « (AI)valeur… »',
  notProduction: 'UDI-PI : identifiants de production seulement, (10) lot, (11) date de fabrication, (17) date de péremption, (21) numéro de série, (8012) version logicielle ; l’UDI-DI a son propre champ',
  empty: 'UDI-PI : chaque AI doit avoir une valeur',
} as const;

/**
 * A UDI-PI holds production identifiers only. Written in the GS1 bracketed form ("(17)…(10)…"),
 * only the AIs of UDI_PI_GS1_AIS are accepted (never the DI's (01)); in another entity's form it
 * is kept as printed. Returns the French message of the problem, or null.
 */
export function udiPiProblem(raw: string): string | null {
  const s = raw.trim();
  if (!s.startsWith('(')) return null;
  const parts = [...s.matchAll(/\((\d{2,4})\)([^(]*)/g)];
  if (parts.map((p) => p[0]).join('') !== s) return UDI_PI_MESSAGES.format;
  for (const [, ai, value] of parts) {
    if (!(UDI_PI_GS1_AIS as readonly string[]).includes(ai!)) return UDI_PI_MESSAGES.notProduction;
    if (value!.trim() === '') return UDI_PI_MESSAGES.empty;
  }
  return null;
}
