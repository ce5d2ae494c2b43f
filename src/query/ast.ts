/**
 * The parsed form of a MARCspec (https://marcspec.github.io/MARCspec/), plus mrrc's extensions.
 *
 * Positions are kept as written ('#' stays '#') because their meaning depends on the length of the
 * data they are applied to, which is only known per field or per subfield at evaluation time.
 */

/** A character position or field/subfield index: a number from the start, or '#' for the last. */
export type Position = number | '#';

/** `[0]`, `[#]`, `[1-3]`, `[#-1]` or `/6`, `/35-37`, `/#-1`. A single position has start === end. */
export interface PosRange {
  start: Position;
  end: Position;
}

export interface FieldSelector {
  /** The tag as written: '245', '6..', 'LDR'. For `LNK245` this is '880'. */
  tag: string;
  /** mrrc extension `600-699`: inclusive tag range (tag holds the start). */
  tagEnd?: string;
  /** mrrc extension `LNK245`: only 880s whose $6 links to a field matching this tag pattern. */
  linkedTo?: string;
  index?: PosRange;
}

export interface SubfieldPart {
  /** The codes this part references, `$a-c` expanded to ['a', 'b', 'c']. */
  codes: string[];
  index?: PosRange;
  chars?: PosRange;
  subSpecs: SubSpec[];
  /** 0-based column of the '$' in the spec, for messages. */
  column: number;
}

export type SpecKind = 'field' | 'subfield' | 'indicator';

/** A whole MARCspec, or a spec used as a subterm (which never has subSpecs of its own). */
export interface Spec {
  kind: SpecKind;
  field: FieldSelector;
  /** fieldSpec only: `008/35-37`. */
  chars?: PosRange;
  /** indicatorSpec only. */
  indicator?: 1 | 2;
  /** subfieldSpec only: `245$a$b{…}$c`. */
  subfields: SubfieldPart[];
  /** SubSpecs after a fieldSpec or indicatorSpec. A subfieldSpec keeps them on its parts. */
  subSpecs: SubSpec[];
}

export type Operator = '=' | '!=' | '~' | '!~' | '?' | '!' | '=~' | '!=~';

export type SubTerm =
  | { kind: 'spec'; spec: Spec; binding: Binding }
  | { kind: 'string'; value: string }
  | { kind: 'regex'; regex: RegExp; source: string }
  /** The omitted left-hand subterm: the data element the subSpec is attached to. */
  | { kind: 'self' };

/**
 * How a subterm spec relates to the data being filtered. MARCspec evaluates a subSpec once per
 * occurrence of the spec it is attached to (its "interpretation" section spells `020$q{$c}` out as
 * `020[0]$q{020[0]$c} OR 020[1]$q{020[1]$c}`), so a subterm naming the same field refers to the
 * field occurrence in hand, and an abbreviated character spec to the very element.
 * - record: evaluated over the whole record (another tag, or an explicit index).
 * - field: evaluated on the field occurrence being filtered.
 * - element: the character spec applies to the element being filtered (`245$a{/#=\/}`).
 */
export type Binding = 'record' | 'field' | 'element';

export interface SubTermSet {
  left: SubTerm;
  operator: Operator;
  right: SubTerm;
}

/** `{a|b|c}`: true when any of its term sets is true. Several subSpecs in a row must all be true. */
export interface SubSpec {
  alternatives: SubTermSet[];
  /** True when every term can be decided per field (no term bound to the element). */
  fieldLevel: boolean;
}
