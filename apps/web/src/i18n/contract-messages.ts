/**
 * English for the messages written in French in the shared contracts (packages/contracts):
 * the API answers them in its field errors and the SPA shows them when it validates a form with
 * the same schemas. Keyed by the French text; `contract-messages.test.ts` checks that every
 * message of the contracts is here. zod's own (generic) messages follow the UI language
 * through `z.config()` (i18n/index.ts).
 */
import { KPI_MAX_DAYS, PASSWORD_MIN_LENGTH, PM_COMPLIANCE_MAX_DAYS, PM_PLANNING_MAX_DAYS } from '@gmao/contracts';
import { UDI_DI_MESSAGES, UDI_PI_MESSAGES } from '@gmao/domain';

export const CONTRACT_MESSAGES_EN: Readonly<Record<string, string>> = {
  [`Le mot de passe doit faire au moins ${PASSWORD_MIN_LENGTH} caractères`]: `The password must be ${PASSWORD_MIN_LENGTH} characters long at least`,
  'UDI-DI : 14 chiffres (GTIN-14)': 'UDI-DI: 14 digits (GTIN-14)',
  'N° d’inventaire : lettres, chiffres, espaces, . _ / - (64 au plus)': 'Inventory no.: letters, digits, spaces, . _ / - (64 at most)',
  'Aucun champ à modifier': 'Nothing to change',
  'Code de compétence : 2 à 60 lettres, chiffres, . _ / -': 'Skill code: 2 to 60 letters, digits, . _ / -',
  'Nom de la compétence : 2 caractères au moins': 'Skill name: 2 characters at least',
  'Catégorie d’équipement et modèle pour les compétences de maintenance seulement': 'An equipment category and a model are for maintenance skills only',
  'Une compétence de maintenance porte sur une catégorie d’équipement ou un modèle': 'A maintenance skill covers an equipment category or a model',
  'Nom du plan : 2 caractères au moins': 'Plan name: 2 characters at least',
  'Un plan porte sur un seul de : équipement, modèle, catégorie': 'A plan applies to exactly one of: a device, a model, a category',
  'Unité incompatible avec le déclencheur (calendaire : jours, semaines, mois, années ; compteur : heures, cycles)':
    'Unit does not fit the trigger (calendar: days, weeks, months, years; meter: hours, cycles)',
  'Périodicité trop longue : cent ans au plus (36 500 jours, 5 200 semaines, 1 200 mois, 100 ans)':
    'Interval too long: a hundred years at most (36,500 days, 5,200 weeks, 1,200 months, 100 years)',
  'Niveau requis sans compétence : choisissez d’abord la compétence': 'A required level without a skill: choose the skill first',
  'Motif obligatoire (3 caractères au moins)': 'Reason required (3 characters at least)',
  'origine attendue : http(s)://hôte[:port], sans chemin ni paramètres': 'origin expected: http(s)://host[:port], without path or parameters',
  'Code : lettres, chiffres, espaces, . _ / -': 'Code: letters, digits, spaces, . _ / -',
  'Numéro FINESS invalide : 9 caractères, département (2 chiffres, 2A, 2B, 9A à 9F) puis 7 chiffres': 'Invalid FINESS number: 9 characters, the département (2 digits, 2A, 2B, 9A to 9F) then 7 digits',
  'Entité juridique : FINESS juridique et raison sociale ensemble': 'Legal entity: its FINESS number and its registered name together',
  'Motivez la décision (5 caractères au moins)': 'Give the reason for the decision (5 characters at least)',
  'Réservé aux contrôles de qualité': 'For quality controls only',
  'Le résultat (conformité) se donne à la clôture du travail (to = completed)': 'The result (conformity) is given when the work is completed (to = completed)',
  'Code court : 2 à 16 lettres, chiffres ou tirets': 'Short code: 2 to 16 letters, digits or hyphens',
  'Code postal : 5 chiffres': 'Postcode: 5 digits',
  'code : minuscules, chiffres et tirets (2 à 40)': 'code: lower-case letters, digits and hyphens (2 to 40)',
  'Décrivez la panne (5 caractères au moins)': 'Describe the fault (5 characters at least)',
  'Numéro de téléphone invalide': 'Invalid phone number',
  'Décrivez le travail (5 caractères au moins)': 'Describe the work (5 characters at least)',
  'Indiquez soit le début et la fin, soit une durée en minutes': 'Give either the start and the end, or a duration in minutes',
  'Image PNG (data URL) attendue': 'PNG image (data URL) expected',
  'unité et limites pour les mesures seulement': 'unit and limits for measurements only',
  'unité obligatoire pour une mesure': 'a measurement needs a unit',
  'min doit être ≤ max': 'min must be ≤ max',
  'clé : minuscules, chiffres, _ ou - (60 au plus)': 'key: lower-case letters, digits, _ or - (60 at most)',
  'deux points ont la même clé': 'two items have the same key',
  'le délai de réparation doit être ≥ au délai de réponse': 'the repair time must be ≥ the response time',
  'curseur invalide': 'invalid cursor',
  'caractère NUL (U+0000) interdit': 'NUL character (U+0000) not allowed',
  'texte Unicode invalide (demi-paire de substitution isolée)': 'invalid Unicode text (a lone surrogate)',
  'année hors de 1900–2200': 'year outside 1900–2200',
  'classe électrique : I, II ou internal (alimentation interne)': 'electrical class: I, II or internal (internally powered)',
  'type de parties appliquées : none, B, BF ou CF': 'applied-part type: none, B, BF or CF',
  'code EMDN : une lettre suivie de chiffres, 13 caractères au plus (ex. Z12030501)': 'EMDN code: a letter followed by digits, 13 characters at most (e.g. Z12030501)',
  'Basic UDI-DI vide': 'Empty Basic UDI-DI',
  'Basic UDI-DI : 120 caractères au plus': 'Basic UDI-DI: 120 characters at most',
  'méthode : direct, differential ou alternative': 'method: direct, differential or alternative',
  // UDI (packages/contracts/src/equipment.ts and the messages of packages/domain/src/udi.ts).
  'UDI-DI obligatoire avec son entité d’attribution': 'UDI-DI required with its issuing entity',
  'pas d’entité d’attribution sans UDI-DI': 'no issuing entity without a UDI-DI',
  [UDI_DI_MESSAGES.gs1_format]: 'GS1 UDI-DI: 14 digits (GTIN-14)',
  [UDI_DI_MESSAGES.gs1_check_digit]: 'GS1 UDI-DI: the GTIN’s check digit is wrong',
  [UDI_DI_MESSAGES.hibcc_format]: 'HIBCC UDI-DI: labeler identification code (a letter and 3 alphanumerics), product number (1 to 18 alphanumerics) and unit of measure (1 digit)',
  [UDI_DI_MESSAGES.hibcc_check_character]: 'HIBCC UDI-DI: the check character (modulo 43) is wrong',
  [UDI_DI_MESSAGES.iccbba_format]: 'ICCBBA UDI-DI (ISBT 128, PPIC): 16 characters, FIN (5), facility product code (6) and description code (5)',
  [UDI_DI_MESSAGES.ifa_format]: 'IFA UDI-DI (PPN): agency code (2 digits), product number (1 to 18 alphanumerics) and 2 check digits',
  [UDI_DI_MESSAGES.ifa_check_digits]: 'IFA UDI-DI (PPN): the check digits (modulo 97) are wrong',
  [UDI_PI_MESSAGES.format]: 'UDI-PI: GS1 form “(AI)value…” expected',
  [UDI_PI_MESSAGES.notProduction]: 'UDI-PI: production identifiers only, (10) lot, (11) manufacturing date, (17) expiry date, (21) serial number, (8012) software version; the UDI-DI has its own field',
  [UDI_PI_MESSAGES.empty]: 'UDI-PI: every AI needs a value',
  // Stock (packages/contracts/src/stock.ts).
  'au moins un champ à modifier': 'at least one field to change',
  'le maximum doit être supérieur ou égal au minimum': 'the maximum must be at least the minimum',
  'réservé aux réceptions': 'for receipts only',
  'indiquez exactement un critère : partId, q ou equipmentModelId': 'give exactly one criterion: partId, q or equipmentModelId',
  'chaque pièce une seule fois': 'each part once only',
  'réservé aux ajustements (comptages)': 'for adjustments (counts) only',
  'donnez la quantité comptée ou l’écart, pas les deux': 'give the counted quantity or the difference, not both',
  'la quantité est obligatoire': 'the quantity is required',
  'la date de fin doit suivre la date de début': 'the end date must follow the start date',
  // Grouped purchasing (packages/contracts/src/purchasing.ts).
  'pièce déjà commandée sur une autre ligne': 'part already ordered on another line',
  'magasin déjà servi sur cette ligne': 'store already served on this line',
  'indiquez lineId ou partId (un seul)': 'give lineId or partId (only one)',
  // Planning views of preventive maintenance (packages/contracts/src/pm-planning.ts).
  [`Période invalide : « du » avant « au », ${PM_PLANNING_MAX_DAYS} jours au plus`]: `Invalid period: “from” before “to”, ${PM_PLANNING_MAX_DAYS} days at most`,
  [`Période invalide : « du » avant « au », ${PM_COMPLIANCE_MAX_DAYS} jours au plus`]: `Invalid period: “from” before “to”, ${PM_COMPLIANCE_MAX_DAYS} days at most`,
  // Users (packages/contracts/src/users.ts).
  'Heures hebdomadaires : de 0 à 60, par demi-heures': 'Weekly hours: 0 to 60, by half hours',
  'Équivalent temps plein : de 0 à 1, par centièmes': 'Full-time equivalent: 0 to 1, by hundredths',
  // Indicators (packages/contracts/src/kpis.ts).
  [`Période invalide : « du » avant « au », ${KPI_MAX_DAYS} jours au plus`]: `Invalid period: “from” before “to”, ${KPI_MAX_DAYS} days at most`,
  // Cost allocation (packages/contracts/src/cost-allocation.ts).
  'mois attendu : AAAA-MM': 'month expected: YYYY-MM',
};
