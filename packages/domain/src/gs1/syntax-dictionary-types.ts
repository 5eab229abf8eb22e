/**
 * The shape of the GS1 Barcode Syntax Dictionary entries in `syntax-dictionary.generated.ts`
 * (see the dictionary's own header for the meaning of each field).
 */

/** The reference linters ("syntax tests") that the dictionary names. */
export type Gs1Linter =
  | 'csum' | 'csumalpha' | 'gcppos1' | 'gcppos2' | 'hasnondigit' | 'hh' | 'hhmi' | 'mi' | 'ss' | 'hyphen' | 'iban'
  | 'importeridx' | 'iso3166' | 'iso3166999' | 'iso3166alpha2' | 'iso4217' | 'iso5218' | 'latitude' | 'longitude'
  | 'mediatype' | 'nonzero' | 'nozeroprefix' | 'packagetype' | 'pcenc' | 'pieceoftotal' | 'posinseqslash' | 'winding'
  | 'yesno' | 'yymmd0' | 'yymmdd' | 'yyyymmd0' | 'yyyymmdd' | 'zero' | 'couponcode' | 'couponposoffer';

/** One component of an AI's data field, e.g. `N6,yymmd0` or `[X..17]`. */
export interface Gs1Component {
  /** N: digits; X: GS1 character set 82; Y: character set 39; Z: base64url (character set 64). */
  cset: 'N' | 'X' | 'Y' | 'Z';
  min: number;
  max: number;
  /** `[…]`: may be left out once the data is exhausted. */
  optional?: boolean;
  linters?: readonly Gs1Linter[];
}

export interface Gs1AiEntry {
  /** The AI, or the first of a range such as 3100-3105. */
  ai: string;
  /** The last AI of a range. */
  last?: string;
  /** Flag `*`: pre-defined length, no FNC1 separator after it. */
  predefined?: boolean;
  /** Flag `?`: may be a GS1 Digital Link data attribute (query string). */
  dlAttr?: boolean;
  parts: readonly Gs1Component[];
  /** Each `req=` attribute: alternatives, each a group of AI patterns (`31nn`) that must all be present. */
  req?: readonly (readonly (readonly string[])[])[];
  /** `ex=`: AIs or patterns that may not appear with this one. */
  ex?: readonly string[];
  /** `dlpkey`: a Digital Link primary key, with its alternative ordered qualifier sequences. */
  dlpkey?: readonly (readonly string[])[];
  /** The dictionary's (English) data title. */
  title: string;
}
