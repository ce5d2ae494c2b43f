/**
 * Shapes of the MARC 21 rule tables: the generated built-in ones (marc21-rules.generated.ts) and
 * those `compileAvramSchema` builds from a user's Avram schema at run time (avram.ts). Both come
 * from the same conversion (`avramFieldRules`), so a schema means the same thing either way.
 */

export interface FieldRule {
  readonly label: string;
  readonly repeatable: boolean;
  /** True when a record must have at least one such field (Avram `required`). */
  readonly required?: boolean;
  /** True for control fields (001-009): no indicators or subfields. */
  readonly control?: boolean;
  /**
   * Allowed first/second indicator values as one string (' ' is blank); null: undefined, must be
   * blank; absent: not constrained (a schema that gives no codes for the indicator).
   */
  readonly ind1?: string | null;
  readonly ind2?: string | null;
  readonly ind1Label?: string;
  readonly ind2Label?: string;
  /** Defined subfield codes: [label, repeatable]. Absent: the schema does not list subfields. */
  readonly subfields?: { readonly [code: string]: readonly [string, boolean] };
  /** Codes of the subfields every occurrence of the field must have (Avram subfield `required`). */
  readonly requiredSubfields?: string;
  /** Codes MARC 21 made obsolete in this field. */
  readonly obsoleteSubfields?: string;
  /** Rules for subfield values (Avram subfield `pattern`, `codes`, `deprecated-codes`), by code. */
  readonly subfieldValues?: { readonly [code: string]: SubfieldValueRule };
  /** Character positions of a control field (Avram field `positions`). */
  readonly positions?: readonly FixedPosition[];
}

export interface SubfieldValueRule {
  /** ECMAScript regular expression (Unicode mode) the value must match somewhere. */
  readonly pattern?: string;
  /** Allowed values. */
  readonly codes?: readonly string[];
  /** Values the schema lists as deprecated. */
  readonly obsolete?: readonly string[];
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
  /** ECMAScript regular expression (Unicode mode) the position's value must match. */
  readonly pattern?: string;
}

/** Rule tables for validate(): the built-in MARC 21 Bibliographic ones or a compiled Avram schema. */
export interface ValidationSchema {
  readonly title?: string;
  readonly url?: string;
  /** Field rules by tag. */
  readonly fields: { readonly [tag: string]: FieldRule };
  /** 006/007/008 positions by material type ('All Materials', 'Books', …), as the built-in tables. */
  readonly fixedFields: { readonly [tag: string]: { readonly [type: string]: readonly FixedPosition[] } };
}
