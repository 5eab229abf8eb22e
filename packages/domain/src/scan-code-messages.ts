/**
 * What is wrong with a scanned code, in French and in English: `parseScanCode` answers a
 * reason code with its parameters, and these sentences say it to the person holding the phone.
 */
import { aiEntry, type Gs1Linter } from './gs1/dictionary.js';
import type { LabelLocale } from './labels.js';

export type ScanErrorReason =
  /** Nothing was read (`symbology`: only a symbology identifier). */
  | 'empty'
  | 'too_long'
  | 'url_malformed'
  /** A URL that is neither our label nor a GS1 Digital Link. */
  | 'url_unknown'
  /** Broken percent-encoding (`what`: 'label' or 'dl'). */
  | 'bad_encoding'
  | 'label_invalid'
  | 'inventory_too_long'
  | 'inventory_first_char'
  | 'inventory_char'
  | 'inventory_invalid'
  | 'gs1_empty'
  /** Element string: no AI of the dictionary at this position. */
  | 'gs1_no_ai'
  | 'bracket_malformed'
  | 'ai_unknown'
  | 'ai_empty'
  /** A length the AI's format does not allow. */
  | 'ai_length'
  | 'ai_too_long'
  /** Element string: a pre-defined length value cut short. */
  | 'ai_truncated'
  | 'ai_not_numeric'
  | 'ai_bad_char'
  | 'ai_check_digit'
  | 'ai_check_pair'
  | 'ai_date'
  | 'ai_time'
  /** Another syntax test of the dictionary failed (`linter`). */
  | 'ai_invalid'
  /** The same AI twice with different values. */
  | 'ai_conflict'
  /** Digital Link: the same AI twice. */
  | 'ai_repeated'
  /** Two AIs the dictionary forbids together (`ex`). */
  | 'ai_excludes'
  /** An AI without the AIs it needs (`req`). */
  | 'ai_requires'
  /** A digital signature (AI 8030) over a GDTI, GCN or GRAI without its serial component. */
  | 'ai_digsig_serial'
  | 'dl_bad_char'
  | 'dl_key_value'
  | 'dl_not_qualifier'
  | 'dl_qualifier_order'
  | 'dl_missing_value'
  | 'dl_trailing_slash'
  | 'dl_not_attribute'
  | 'dl_attribute_in_path';

export type ScanErrorParams = Readonly<Record<string, string | number | boolean>>;

/** Names of the AIs met on medical devices; the others take the dictionary's (English) title. */
const AI_TITLES: Record<string, readonly [fr: string, en: string]> = {
  '00': ['SSCC', 'SSCC'],
  '01': ['GTIN', 'GTIN'],
  '02': ['GTIN contenu', 'GTIN of contained items'],
  '03': ['GTIN sur commande', 'made-to-order GTIN'],
  '10': ['lot', 'batch or lot'],
  '11': ['date de fabrication', 'production date'],
  '12': ["date d'échéance", 'due date'],
  '13': ["date d'emballage", 'packaging date'],
  '15': ['date de durabilité minimale', 'best before date'],
  '16': ['date limite de vente', 'sell by date'],
  '17': ['date de péremption', 'expiry date'],
  '20': ['variante', 'variant'],
  '21': ['numéro de série', 'serial number'],
  '22': ['variante produit', 'consumer product variant'],
  '235': ['extension TPX', 'third-party serial extension (TPX)'],
  '240': ['identification complémentaire', 'additional product identification'],
  '241': ['référence client', 'customer part number'],
  '242': ['variante sur commande', 'made-to-order variation'],
  '243': ["composant d'emballage", 'packaging component number'],
  '250': ['numéro de série secondaire', 'secondary serial number'],
  '251': ["référence de l'entité source", 'reference to source entity'],
  '254': ['extension de GLN', 'GLN extension component'],
  '30': ['quantité variable', 'variable count'],
  '37': ['quantité', 'count of trade items'],
  '400': ['numéro de commande', 'order number'],
  '410': ['GLN destinataire', 'ship to GLN'],
  '411': ['GLN facturé', 'bill to GLN'],
  '412': ['GLN fournisseur', 'purchased from GLN'],
  '413': ['GLN destinataire final', 'ship for GLN'],
  '414': ['GLN de lieu', 'location GLN'],
  '415': ['GLN du facturant', 'invoicing party GLN'],
  '416': ['GLN de production', 'production or service location GLN'],
  '417': ['GLN de partie', 'party GLN'],
  '422': ["pays d'origine", 'country of origin'],
  '7003': ['date et heure de péremption', 'expiry date and time'],
  '710': ['code national de remboursement (DE)', 'national healthcare reimbursement number (DE)'],
  '711': ['code national de remboursement (FR)', 'national healthcare reimbursement number (FR)'],
  '712': ['code national de remboursement (ES)', 'national healthcare reimbursement number (ES)'],
  '713': ['code national de remboursement (BR)', 'national healthcare reimbursement number (BR)'],
  '714': ['code national de remboursement (PT)', 'national healthcare reimbursement number (PT)'],
  '715': ['code national de remboursement (US)', 'national healthcare reimbursement number (US)'],
  '716': ['code national de remboursement (IT)', 'national healthcare reimbursement number (IT)'],
  '717': ['code national de remboursement (SRN)', 'national healthcare reimbursement number (SRN)'],
  '8004': ["identifiant d'actif (GIAI)", 'individual asset identifier (GIAI)'],
  '8006': ['composant (ITIP)', 'component of a trade item (ITIP)'],
  '8012': ['version logicielle', 'software version'],
  '8013': ['numéro de modèle (GMN)', 'global model number (GMN)'],
  '8014': ['UDI-DI maître (MUDI)', 'master UDI-DI (MUDI)'],
  '8020': ['référence de paiement', 'payment slip reference'],
  '8200': ['URL du produit', 'product URL'],
  '90': ['donnée convenue entre partenaires', 'mutually agreed information'],
};

/** Titles shared by a range of AIs, by their first three digits. */
const RANGE_TITLES: Record<string, readonly [fr: string, en: string]> = {
  '310': ['poids net (kg)', 'net weight (kg)'],
  '311': ['longueur (m)', 'length (m)'],
  '312': ['largeur (m)', 'width (m)'],
  '313': ['hauteur (m)', 'height (m)'],
  '315': ['volume net (l)', 'net volume (l)'],
  '330': ['poids brut (kg)', 'gross weight (kg)'],
  '390': ['montant à payer (monnaie locale)', 'amount payable (local currency)'],
  '391': ['montant à payer (ISO 4217)', 'amount payable (ISO 4217)'],
  '392': ['prix à payer (monnaie locale)', 'price (local currency)'],
  '393': ['prix à payer (ISO 4217)', 'price (ISO 4217)'],
};

const MONTHS = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

const LINTER_PROBLEMS: Partial<Record<Gs1Linter, readonly [fr: string, en: string]>> = {
  couponcode: ['code de coupon nord-américain invalide', 'invalid North American coupon code'],
  couponposoffer: ["code de coupon (fichier d'offres positives) invalide", 'invalid positive offer file coupon code'],
  csumalpha: ['paire de caractères de contrôle illisible', 'unreadable check character pair'],
  gcppos1: ["ne commence pas par un préfixe d'entreprise GS1 (4 chiffres au moins)", 'does not start with a GS1 company prefix (at least 4 digits)'],
  gcppos2: ["ne contient pas de préfixe d'entreprise GS1 (4 chiffres au moins)", 'does not hold a GS1 company prefix (at least 4 digits)'],
  hasnondigit: ["doit contenir un caractère autre qu'un chiffre", 'must hold a character other than a digit'],
  hyphen: ['seul un tiret « - » est admis', 'only a hyphen “-” is allowed'],
  iban: ['IBAN invalide', 'invalid IBAN'],
  importeridx: ["index d'importateur invalide", 'invalid importer index'],
  iso3166: ['code pays ISO 3166 inconnu', 'unknown ISO 3166 country code'],
  iso3166999: ['code pays ISO 3166 (ou 999) inconnu', 'unknown ISO 3166 country code (or 999)'],
  iso3166alpha2: ['code pays ISO 3166 alpha-2 inconnu', 'unknown ISO 3166 alpha-2 country code'],
  iso4217: ['code de devise ISO 4217 inconnu', 'unknown ISO 4217 currency code'],
  iso5218: ['code de sexe ISO 5218 invalide (0, 1, 2 ou 9)', 'invalid ISO 5218 sex code (0, 1, 2 or 9)'],
  latitude: ['latitude hors limites', 'latitude out of range'],
  longitude: ['longitude hors limites', 'longitude out of range'],
  mediatype: ['type de support inconnu', 'unknown media type'],
  nonzero: ['la valeur ne peut pas être nulle', 'the value may not be zero'],
  nozeroprefix: ['ne peut pas commencer par 0', 'may not start with 0'],
  packagetype: ["type d'emballage inconnu", 'unknown package type'],
  pcenc: ['encodage %xx invalide', 'invalid %xx encoding'],
  pieceoftotal: ['numéro de pièce nul ou supérieur au nombre total', 'piece number zero or greater than the total'],
  posinseqslash: ['position dans la séquence mal formée (n/total)', 'malformed position in sequence (n/total)'],
  winding: ["sens d'enroulement invalide (0, 1 ou 9)", 'invalid winding direction (0, 1 or 9)'],
  yesno: ['0 ou 1 attendu', '0 or 1 expected'],
  zero: ['0 attendu', '0 expected'],
};

function showChar(ch: string): string {
  if (ch === '\u001d') return '<GS>';
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return ch;
}

/** The words of one language, with the helpers the sentences use. */
function words(locale: LabelLocale) {
  const fr = locale === 'fr';
  /** A value quoted in a message: long values shortened, control characters made visible. */
  const q = (value: unknown): string => {
    const chars = [...[...String(value)].map(showChar).join('')];
    const shown = chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join('');
    return fr ? `« ${shown} »` : `“${shown}”`;
  };
  const name = (value: unknown): string => {
    const ai = String(value);
    const pick = AI_TITLES[ai] ?? RANGE_TITLES[ai.slice(0, 3)];
    const title = pick ? pick[fr ? 0 : 1] : aiEntry(ai)?.title;
    return title ? `AI ${ai} (${title})` : `AI ${ai}`;
  };
  /** 'a|b|c' → « a, b ou c ». */
  const or = (items: readonly string[]): string =>
    items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${fr ? 'ou' : 'or'} ${items.at(-1) ?? ''}`;
  /** '6-6|12-12' → « 6 ou 12 » ; '13-30' → « 13 à 30 ». */
  const lengths = (value: unknown): string =>
    or(String(value).split('|').map((r) => {
      const [lo, hi] = r.split('-');
      return lo === hi ? (lo ?? '') : `${lo ?? ''} ${fr ? 'à' : 'to'} ${hi ?? ''}`;
    }));
  /** '22,10,21|235' → « 22 puis 10 puis 21, ou 235 ». */
  const sequences = (value: unknown): string =>
    String(value).split('|').map((s) => s.split(',').join(fr ? ' puis ' : ' then ')).join(fr ? ', ou ' : ', or ');
  const unit = (p: ScanErrorParams) => (p.digits ? (fr ? 'chiffres' : 'digits') : fr ? 'caractères' : 'characters');
  const gsHint = (p: ScanErrorParams) =>
    p.gsHint ? (fr ? ` — séparateur GS manquant après l'AI ${String(p.ai)} ?` : ` — GS separator missing after AI ${String(p.ai)}?`) : '';
  return { fr, q, name, or, lengths, sequences, unit, gsHint };
}

type Words = ReturnType<typeof words>;

function dateProblem(p: ScanErrorParams, w: Words): string {
  const month = Number(p.month);
  const monthName = MONTHS[w.fr ? 'fr' : 'en'][month - 1] ?? '';
  switch (p.problem) {
    case 'month':
      return w.fr ? `le mois ${String(month).padStart(2, '0')} n'existe pas` : `month ${String(month).padStart(2, '0')} does not exist`;
    case 'day_zero':
      return w.fr ? "le jour 00 (mois sans jour précis) n'est pas admis pour cet AI" : 'day 00 (no particular day) is not allowed for this AI';
    default:
      return w.fr ? `le ${String(p.day)} ${monthName} ${String(p.year)} n'existe pas` : `${monthName} ${String(p.day)}, ${String(p.year)} does not exist`;
  }
}

const MESSAGES: Record<ScanErrorReason, (p: ScanErrorParams, w: Words) => string> = {
  empty: (p, w) =>
    p.symbology
      ? w.fr ? `Code vide : seul l'identifiant de symbologie ${String(p.symbology)} a été lu.` : `Empty code: only the symbology identifier ${String(p.symbology)} was read.`
      : w.fr ? "Code vide : rien n'a été lu." : 'Empty code: nothing was read.',
  too_long: (p, w) =>
    w.fr ? `Code trop long : ${String(p.length)} caractères, ${String(p.max)} au plus.` : `Code too long: ${String(p.length)} characters, at most ${String(p.max)}.`,
  url_malformed: (p, w) => (w.fr ? `URL mal formée : ${w.q(p.value)}.` : `Malformed URL: ${w.q(p.value)}.`),
  url_unknown: (_p, w) =>
    w.fr ? 'URL non reconnue : ni étiquette GMAO ni GS1 Digital Link.' : 'Unrecognised URL: neither a GMAO label nor a GS1 Digital Link.',
  bad_encoding: (p, w) => {
    const what = p.what === 'label' ? (w.fr ? 'Étiquette GMAO' : 'GMAO label') : 'GS1 Digital Link';
    return w.fr ? `${what} : encodage d'URL invalide dans ${w.q(p.value)}.` : `${what}: invalid URL encoding in ${w.q(p.value)}.`;
  },
  label_invalid: (p, w) =>
    w.fr ? `Étiquette GMAO : numéro d'inventaire invalide ${w.q(p.value)}.` : `GMAO label: invalid inventory number ${w.q(p.value)}.`,
  inventory_too_long: (p, w) =>
    w.fr
      ? `Code illisible : ${String(p.length)} caractères, un numéro d'inventaire en compte 64 au plus.`
      : `Unreadable code: ${String(p.length)} characters, an inventory number has at most 64.`,
  inventory_first_char: (p, w) =>
    w.fr
      ? `Code illisible : un numéro d'inventaire commence par une lettre ou un chiffre, pas par ${w.q(p.char)}.`
      : `Unreadable code: an inventory number starts with a letter or a digit, not with ${w.q(p.char)}.`,
  inventory_char: (p, w) =>
    w.fr
      ? `Code illisible : caractère ${w.q(p.char)} non autorisé dans un numéro d'inventaire (lettres, chiffres, espaces, . _ / -).`
      : `Unreadable code: character ${w.q(p.char)} not allowed in an inventory number (letters, digits, spaces, . _ / -).`,
  inventory_invalid: (p, w) =>
    w.fr ? `Code illisible : ${w.q(p.value)} n'est pas un numéro d'inventaire valide.` : `Unreadable code: ${w.q(p.value)} is not a valid inventory number.`,
  gs1_empty: (_p, w) =>
    w.fr ? "Code GS1 vide : aucun identifiant d'application (AI) lu." : 'Empty GS1 code: no Application Identifier (AI) read.',
  gs1_no_ai: (p, w) =>
    w.fr
      ? `Code GS1 illisible : aucun AI connu au début de ${w.q(p.text)} (position ${String(p.position)}).`
      : `Unreadable GS1 code: no known AI at the start of ${w.q(p.text)} (position ${String(p.position)}).`,
  bracket_malformed: (p, w) =>
    w.fr
      ? `Code GS1 entre parenthèses mal formé : ${w.q(p.text)} ne commence pas par un AI comme (01).`
      : `Malformed bracketed GS1 code: ${w.q(p.text)} does not start with an AI such as (01).`,
  ai_unknown: (p, w) => {
    const ai = p.bracketed ? `(${String(p.ai)})` : String(p.ai);
    return w.fr ? `AI ${ai} inconnu ou non pris en charge.` : `AI ${ai} is unknown to the GS1 dictionary.`;
  },
  ai_empty: (p, w) => (w.fr ? `${w.name(p.ai)} : valeur vide.` : `${w.name(p.ai)}: empty value.`),
  ai_length: (p, w) =>
    w.fr
      ? `${w.name(p.ai)} : ${w.lengths(p.lengths)} ${w.unit(p)} attendus, ${String(p.length)} lus dans ${w.q(p.value)}.`
      : `${w.name(p.ai)}: ${w.lengths(p.lengths)} ${w.unit(p)} expected, ${String(p.length)} read in ${w.q(p.value)}.`,
  ai_too_long: (p, w) =>
    p.gsHint
      ? w.fr
        ? `${w.name(p.ai)} : ${String(p.length)} caractères lus pour ${String(p.max)} au plus (${w.q(p.value)})${w.gsHint(p)}`
        : `${w.name(p.ai)}: ${String(p.length)} characters read for at most ${String(p.max)} (${w.q(p.value)})${w.gsHint(p)}`
      : w.fr
        ? `${w.name(p.ai)} : ${String(p.max)} caractères au plus, ${String(p.length)} lus dans ${w.q(p.value)}.`
        : `${w.name(p.ai)}: at most ${String(p.max)} characters, ${String(p.length)} read in ${w.q(p.value)}.`,
  ai_truncated: (p, w) => {
    const read = p.value ? ` (${w.q(p.value)})` : '';
    return w.fr
      ? `${w.name(p.ai)} : ${String(p.expected)} ${w.unit(p)} attendus, seulement ${String(p.length)} lus${read}.`
      : `${w.name(p.ai)}: ${String(p.expected)} ${w.unit(p)} expected, only ${String(p.length)} read${read}.`;
  },
  ai_not_numeric: (p, w) =>
    p.gsHint
      ? w.fr
        ? `${w.name(p.ai)} : valeur non numérique ${w.q(p.value)}${w.gsHint(p)}`
        : `${w.name(p.ai)}: non-numeric value ${w.q(p.value)}${w.gsHint(p)}`
      : w.fr
        ? `${w.name(p.ai)} : valeur non numérique ${w.q(p.value)}, chiffres attendus.`
        : `${w.name(p.ai)}: non-numeric value ${w.q(p.value)}, digits expected.`,
  ai_bad_char: (p, w) => {
    const expected = p.digit ? (w.fr ? ' (chiffre attendu)' : ' (digit expected)') : '';
    return w.fr
      ? `${w.name(p.ai)} : caractère non autorisé ${w.q(p.char)} dans ${w.q(p.value)}${expected}.`
      : `${w.name(p.ai)}: character ${w.q(p.char)} not allowed in ${w.q(p.value)}${expected}.`;
  },
  ai_check_digit: (p, w) => {
    const key = p.gtin ? ' GTIN' : '';
    return w.fr
      ? `${w.name(p.ai)} : clé de contrôle${key} invalide : attendu ${String(p.expected)}, lu ${String(p.read)} dans ${w.q(p.value)}.`
      : `${w.name(p.ai)}: wrong${key} check digit: ${String(p.expected)} expected, ${String(p.read)} read in ${w.q(p.value)}.`;
  },
  ai_check_pair: (p, w) =>
    w.fr
      ? `${w.name(p.ai)} : caractères de contrôle invalides : attendu ${String(p.expected)}, lu ${String(p.read)} dans ${w.q(p.value)}.`
      : `${w.name(p.ai)}: wrong check characters: ${String(p.expected)} expected, ${String(p.read)} read in ${w.q(p.value)}.`,
  ai_date: (p, w) => {
    const format = p.format === 'yyyymmdd' ? (w.fr ? 'AAAAMMJJ' : 'YYYYMMDD') : w.fr ? 'AAMMJJ' : 'YYMMDD';
    return w.fr
      ? `${w.name(p.ai)} : date invalide ${w.q(p.value)} (${format}) : ${dateProblem(p, w)}.`
      : `${w.name(p.ai)}: invalid date ${w.q(p.value)} (${format}): ${dateProblem(p, w)}.`;
  },
  ai_time: (p, w) => (w.fr ? `${w.name(p.ai)} : heure invalide ${w.q(p.value)}.` : `${w.name(p.ai)}: invalid time ${w.q(p.value)}.`),
  ai_invalid: (p, w) => {
    const problem = LINTER_PROBLEMS[p.linter as Gs1Linter];
    const text = problem ? problem[w.fr ? 0 : 1] : w.fr ? 'valeur invalide' : 'invalid value';
    return w.fr ? `${w.name(p.ai)} : ${text} : ${w.q(p.value)}.` : `${w.name(p.ai)}: ${text}: ${w.q(p.value)}.`;
  },
  ai_conflict: (p, w) =>
    w.fr
      ? `${w.name(p.ai)} présent deux fois avec des valeurs différentes : ${w.q(p.first)} et ${w.q(p.second)}.`
      : `${w.name(p.ai)} present twice with different values: ${w.q(p.first)} and ${w.q(p.second)}.`,
  ai_repeated: (p, w) =>
    w.fr ? `GS1 Digital Link : ${w.name(p.ai)} présent deux fois.` : `GS1 Digital Link: ${w.name(p.ai)} present twice.`,
  ai_excludes: (p, w) =>
    w.fr
      ? `${w.name(p.ai)} et ${w.name(p.other)} ne peuvent pas figurer dans le même code.`
      : `${w.name(p.ai)} and ${w.name(p.other)} may not appear in the same code.`,
  ai_requires: (p, w) => {
    const groups = w.or(String(p.groups).split('|').map((g) => g.split('+').join(' + ')));
    return w.fr
      ? `${w.name(p.ai)} : l'AI ${groups} doit figurer dans le même code.`
      : `${w.name(p.ai)}: AI ${groups} must appear in the same code.`;
  },
  ai_digsig_serial: (p, w) =>
    w.fr
      ? `${w.name('8030')} : ${w.name(p.ai)} doit porter sa partie série.`
      : `${w.name('8030')}: ${w.name(p.ai)} must carry its serial component.`,
  dl_bad_char: (p, w) =>
    w.fr ? `GS1 Digital Link : caractère ${w.q(p.char)} interdit dans une URI.` : `GS1 Digital Link: character ${w.q(p.char)} is not allowed in a URI.`,
  dl_key_value: (p, w) =>
    w.fr
      ? `GS1 Digital Link : GTIN ${w.q(p.value)} invalide, 8, 12, 13 ou 14 chiffres attendus.`
      : `GS1 Digital Link: invalid GTIN ${w.q(p.value)}, 8, 12, 13 or 14 digits expected.`,
  dl_not_qualifier: (p, w) =>
    p.sequences
      ? w.fr
        ? `GS1 Digital Link : /${String(p.ai)} n'est pas un qualificatif de ${w.name(p.key)} (qualificatifs possibles, dans cet ordre : ${w.sequences(p.sequences)}).`
        : `GS1 Digital Link: /${String(p.ai)} is not a qualifier of ${w.name(p.key)} (possible qualifiers, in this order: ${w.sequences(p.sequences)}).`
      : w.fr
        ? `GS1 Digital Link : /${String(p.ai)} n'est pas un qualificatif de ${w.name(p.key)}, qui n'en admet aucun.`
        : `GS1 Digital Link: /${String(p.ai)} is not a qualifier of ${w.name(p.key)}, which takes none.`,
  dl_qualifier_order: (p, w) => {
    const got = String(p.got).split(',').map((a) => `/${a}`).join(' ');
    return w.fr
      ? `GS1 Digital Link : qualificatifs de ${w.name(p.key)} dans le mauvais ordre (${got}) : l'ordre est ${w.sequences(p.sequences)}.`
      : `GS1 Digital Link: qualifiers of ${w.name(p.key)} in the wrong order (${got}): the order is ${w.sequences(p.sequences)}.`;
  },
  dl_missing_value: (p, w) =>
    w.fr ? `GS1 Digital Link : valeur manquante après /${String(p.key)}.` : `GS1 Digital Link: value missing after /${String(p.key)}.`,
  dl_trailing_slash: (_p, w) =>
    w.fr ? 'GS1 Digital Link : le chemin ne doit pas finir par « / ».' : 'GS1 Digital Link: the path may not end with “/”.',
  dl_not_attribute: (p, w) =>
    w.fr
      ? `GS1 Digital Link : ${w.name(p.ai)} ne peut pas figurer dans la requête (?${String(p.ai)}=…).`
      : `GS1 Digital Link: ${w.name(p.ai)} may not appear in the query (?${String(p.ai)}=…).`,
  dl_attribute_in_path: (p, w) =>
    w.fr
      ? `GS1 Digital Link : ${w.name(p.ai)} doit figurer dans le chemin (/${String(p.ai)}/…), pas dans la requête.`
      : `GS1 Digital Link: ${w.name(p.ai)} belongs in the path (/${String(p.ai)}/…), not in the query.`,
};

/** The sentence saying what is wrong with a scanned code, in French or in English. */
export function scanErrorMessage(failure: { reason: ScanErrorReason; params: ScanErrorParams }, locale: LabelLocale): string {
  return MESSAGES[failure.reason](failure.params, words(locale));
}
