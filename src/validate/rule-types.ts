/** Shapes of the generated MARC 21 rule tables (marc21-rules.generated.ts). */

export interface FieldRule {
  readonly label: string;
  readonly repeatable: boolean;
  /** True for control fields (001-009): no indicators or subfields. */
  readonly control?: boolean;
  /** Allowed first/second indicator values as one string (' ' is blank); null: undefined, must be blank. */
  readonly ind1?: string | null;
  readonly ind2?: string | null;
  readonly ind1Label?: string;
  readonly ind2Label?: string;
  /** Defined subfield codes: [label, repeatable]. */
  readonly subfields?: { readonly [code: string]: readonly [string, boolean] };
  /** Codes MARC 21 made obsolete in this field. */
  readonly obsoleteSubfields?: string;
}

export interface FixedPosition {
  /** The position as LC writes it: '06', '18-21'. */
  readonly key: string;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly label: string;
  /** Allowed values; absent when the position holds free data (dates, place, language). */
  readonly codes?: readonly string[];
  /** Numeric ranges such as ['001', '999'] (running time). */
  readonly ranges?: readonly (readonly [string, string])[];
  readonly obsolete?: readonly string[];
  /** For positions holding several codes (illustrations 18-21): the length of one code. */
  readonly unit?: number;
}
