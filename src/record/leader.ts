/**
 * The 24-character record leader.
 *
 * Stored as one string because that is what every consumer prints, compares and serialises;
 * typed accessors read and write single positions. Lengths (00-04) and the base address (12-16)
 * are recomputed by the writers, so the values here are what the input said.
 */

import {
  CODED_LEADER_POSITIONS,
  allowedLeaderValues,
  describeLeaderValue,
  isValidLeaderValue,
  leaderPositionName,
} from './leader-values.js';

export const LEADER_LENGTH = 24;

/** One coded leader position as MARC 21 documents it. */
export interface LeaderValueInfo {
  position: number;
  /** LC's name for the position in this record's format. */
  name: string;
  value: string;
  /** LC's description of the value; undefined when the format does not define it. */
  description: string | undefined;
}

/** A leader position whose value MARC 21 does not allow. */
export interface LeaderValueProblem extends LeaderValueInfo {
  /** The values MARC 21 allows there. */
  allowed: string[];
}

// Checked by validate(); 00-04 and 12-16 are left out because writers recompute them and
// MARCXML and JSON leaders often carry blanks or stale numbers there.
const VALIDATED_POSITIONS: readonly number[] = [...CODED_LEADER_POSITIONS, 10, 11, 20, 21, 22, 23].sort((a, b) => a - b);

/** Byte positions of the leader, named as in the MARC 21 documentation. */
export const LeaderPosition = {
  recordLength: 0,
  recordStatus: 5,
  recordType: 6,
  bibliographicLevel: 7,
  typeOfControl: 8,
  characterCodingScheme: 9,
  indicatorCount: 10,
  subfieldCodeCount: 11,
  baseAddress: 12,
  encodingLevel: 17,
  descriptiveCatalogingForm: 18,
  multipartResourceRecordLevel: 19,
  lengthOfFieldLength: 20,
  lengthOfStartingCharacterPosition: 21,
  lengthOfImplementationDefinedPortion: 22,
  undefinedEntryMap: 23,
} as const;

/** A new record's leader: lengths and base address are the writer's to fill in. */
export const DEFAULT_LEADER = '00000nam a2200000   4500';

function checkedLeader(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`a leader is a 24-character string, not ${value === null ? 'null' : typeof value}`);
  if (value.length !== LEADER_LENGTH) {
    throw new RangeError(`a leader is 24 characters; ${JSON.stringify(value)} is ${value.length} (Leader.normalise(value) pads with blanks or cuts)`);
  }
  return value;
}

export class Leader {
  #chars: string;

  /**
   * Throws a `RangeError` for a string that is not 24 characters: padding or cutting it would shift
   * or drop positions without a word. Readers repair a leader of another length with `normalise`
   * and report it (E002); code that means to pad or cut calls `normalise` too.
   */
  constructor(value: string = DEFAULT_LEADER) {
    this.#chars = checkedLeader(value);
  }

  /** @internal What `normalise` does to `value`, for the readers' E002 report ("leader is 17 characters, not 24; padded with blanks"). */
  static lengthRepair(value: string): string {
    return `leader is ${value.length} characters, not 24; ${value.length < LEADER_LENGTH ? 'padded with blanks' : 'cut'}`;
  }

  /** Pads with blanks or cuts to 24 characters: the explicit repair for a leader of another length. */
  static normalise(value: string): string {
    if (value.length === LEADER_LENGTH) return value;
    return value.length > LEADER_LENGTH ? value.slice(0, LEADER_LENGTH) : value.padEnd(LEADER_LENGTH, ' ');
  }

  toString(): string {
    return this.#chars;
  }

  toJSON(): string {
    return this.#chars;
  }

  get value(): string {
    return this.#chars;
  }

  set value(value: string) {
    this.#chars = checkedLeader(value);
  }

  /** Characters at `position` (0-based), `length` long. */
  get(position: number, length = 1): string {
    checkRange(position, length);
    return this.#chars.slice(position, position + length);
  }

  /** Overwrites characters from `position`; `value` may span several positions (e.g. '4500' at 20). */
  set(position: number, value: string): this {
    checkRange(position, value.length);
    this.#chars = this.#chars.slice(0, position) + value + this.#chars.slice(position + value.length);
    return this;
  }

  clone(): Leader {
    return new Leader(this.#chars);
  }

  /** 00-04 as a number, or NaN when they are not digits. */
  get recordLength(): number {
    return digits(this.#chars, 0, 5);
  }
  set recordLength(n: number) {
    this.set(0, fiveDigits(n, 'recordLength'));
  }

  get recordStatus(): string { return this.#chars.charAt(5); }
  set recordStatus(v: string) { this.set(5, one(v)); }

  get recordType(): string { return this.#chars.charAt(6); }
  set recordType(v: string) { this.set(6, one(v)); }

  get bibliographicLevel(): string { return this.#chars.charAt(7); }
  set bibliographicLevel(v: string) { this.set(7, one(v)); }

  get typeOfControl(): string { return this.#chars.charAt(8); }
  set typeOfControl(v: string) { this.set(8, one(v)); }

  /** 09: ' ' MARC-8, 'a' UCS/Unicode. */
  get characterCodingScheme(): string { return this.#chars.charAt(9); }
  set characterCodingScheme(v: string) { this.set(9, one(v)); }

  get indicatorCount(): number { return digits(this.#chars, 10, 1); }
  set indicatorCount(n: number) { this.set(10, oneDigit(n)); }

  get subfieldCodeCount(): number { return digits(this.#chars, 11, 1); }
  set subfieldCodeCount(n: number) { this.set(11, oneDigit(n)); }

  /** 12-16 as a number, or NaN when they are not digits. */
  get baseAddress(): number {
    return digits(this.#chars, 12, 5);
  }
  set baseAddress(n: number) {
    this.set(12, fiveDigits(n, 'baseAddress'));
  }

  get encodingLevel(): string { return this.#chars.charAt(17); }
  set encodingLevel(v: string) { this.set(17, one(v)); }

  get descriptiveCatalogingForm(): string { return this.#chars.charAt(18); }
  set descriptiveCatalogingForm(v: string) { this.set(18, one(v)); }

  get multipartResourceRecordLevel(): string { return this.#chars.charAt(19); }
  set multipartResourceRecordLevel(v: string) { this.set(19, one(v)); }

  /**
   * Each coded position (05-09, 17-19) with its MARC 21 name and description, read in the format
   * leader/06 names (authority, holdings, …) unless `recordType` (a leader/06 code or a format
   * name) says otherwise.
   */
  describe(recordType?: string): LeaderValueInfo[] {
    const type = recordType ?? this.recordType;
    return CODED_LEADER_POSITIONS.map((position) => this.#info(position, type));
  }

  /**
   * The positions whose value is not valid MARC 21 for this record's format: coded positions
   * holding an undefined or obsolete code, and 10, 11, 20-23 when they are not '2', '2', '4500'.
   * Empty for a valid leader.
   */
  validate(recordType?: string): LeaderValueProblem[] {
    const type = recordType ?? this.recordType;
    const problems: LeaderValueProblem[] = [];
    for (const position of VALIDATED_POSITIONS) {
      const value = this.#chars.charAt(position);
      if (isValidLeaderValue(position, value, type)) continue;
      problems.push({ ...this.#info(position, type), allowed: allowedLeaderValues(position, type) });
    }
    return problems;
  }

  #info(position: number, recordType: string): LeaderValueInfo {
    const value = this.#chars.charAt(position);
    return {
      position,
      name: leaderPositionName(position, recordType) ?? 'Undefined',
      value,
      description: describeLeaderValue(position, value, recordType),
    };
  }

  /** 20-23, normally '4500'. */
  get entryMap(): string { return this.#chars.slice(20, 24); }
  set entryMap(v: string) {
    if (v.length !== 4) throw new RangeError('entry map is 4 characters');
    this.set(20, v);
  }
}

function checkRange(position: number, length: number): void {
  if (!Number.isInteger(position) || position < 0 || position + length > LEADER_LENGTH) {
    throw new RangeError(`leader position ${position}..${position + length - 1} is outside 0..23`);
  }
}

function digits(s: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    n = n * 10 + c;
  }
  return n;
}

function one(v: string): string {
  if (v.length !== 1) throw new RangeError(`a leader position takes one character, got ${JSON.stringify(v)}`);
  return v;
}

function oneDigit(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9) throw new RangeError(`expected a digit, got ${n}`);
  return String(n);
}

function fiveDigits(n: number, what: string): string {
  if (!Number.isInteger(n) || n < 0 || n > 99999) throw new RangeError(`${what} must be 0..99999, got ${n}`);
  return String(n).padStart(5, '0');
}
