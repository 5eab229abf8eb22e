import { z } from 'zod';
import { StoredText, Timestamp, Uuid, listQuery } from './common.js';
import { isValidFiness } from '@gmao/domain';

export const SITE_KINDS = ['CHU', 'CH', 'EHPAD', 'clinic', 'other'] as const;
export const SiteKind = z.enum(SITE_KINDS);
export type SiteKind = z.infer<typeof SiteKind>;

export const Finess = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isValidFiness, { message: 'Numéro FINESS invalide : 9 caractères, département (2 chiffres, 2A, 2B, 9A à 9F) puis 7 chiffres' });

export const Site = z
  .object({
    id: Uuid,
    name: z.string(),
    shortCode: z.string(),
    /** The site's own FINESS (FINESS géographique). */
    finess: z.string(),
    /** The legal entity that runs the site and employs its staff: its FINESS juridique and name (null until recorded). */
    legalEntityFiness: z.string().nullable(),
    legalEntityName: z.string().nullable(),
    kind: SiteKind,
    address: z.string(),
    postalCode: z.string(),
    city: z.string(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    isSupportSite: z.boolean(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Site' });
export type Site = z.infer<typeof Site>;

const siteFields = {
  name: z.string().trim().min(2).max(200),
  shortCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9-]{1,15}$/, 'Code court : 2 à 16 lettres, chiffres ou tirets'),
  finess: Finess,
  legalEntityFiness: Finess.nullable().default(null),
  legalEntityName: z.string().trim().min(2).max(200).nullable().default(null),
  kind: SiteKind,
  address: z.string().trim().max(300).default(''),
  postalCode: z
    .string()
    .trim()
    .regex(/^(\d{5})?$/, 'Code postal : 5 chiffres')
    .default(''),
  city: z.string().trim().max(120).default(''),
  latitude: z.number().min(-90).max(90).nullable().default(null),
  longitude: z.number().min(-180).max(180).nullable().default(null),
  isSupportSite: z.boolean().default(false),
};

/** A legal entity is recorded whole: its FINESS juridique with its name. */
const legalEntityWhole = (v: { legalEntityFiness?: string | null; legalEntityName?: string | null }) =>
  v.legalEntityFiness === undefined || v.legalEntityName === undefined || (v.legalEntityFiness === null) === (v.legalEntityName === null);
const LEGAL_ENTITY_MESSAGE = { message: 'Entité juridique : FINESS juridique et raison sociale ensemble', path: ['legalEntityName'] };

export const SiteCreate = z.object(siteFields).refine(legalEntityWhole, LEGAL_ENTITY_MESSAGE);
export type SiteCreate = z.input<typeof SiteCreate>;

export const SiteUpdate = z
  .object({
    name: siteFields.name,
    shortCode: siteFields.shortCode,
    finess: siteFields.finess,
    legalEntityFiness: Finess.nullable(),
    legalEntityName: z.string().trim().min(2).max(200).nullable(),
    kind: siteFields.kind,
    address: z.string().trim().max(300),
    postalCode: z.string().trim().regex(/^(\d{5})?$/, 'Code postal : 5 chiffres'),
    city: z.string().trim().max(120),
    latitude: z.number().min(-90).max(90).nullable(),
    longitude: z.number().min(-180).max(180).nullable(),
    isSupportSite: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Aucun champ à modifier' })
  .refine((v) => (v.legalEntityFiness === undefined) === (v.legalEntityName === undefined) && legalEntityWhole(v), LEGAL_ENTITY_MESSAGE);
export type SiteUpdate = z.input<typeof SiteUpdate>;

/** GET /api/v1/sites — sorted by name then id. */
export const SiteListQuery = listQuery(z.tuple([StoredText, Uuid])).extend({ q: z.string().trim().max(100).optional() });
