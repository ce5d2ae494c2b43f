/**
 * `validate(record)`: MARC 21 content-designation checks against rule tables generated from a
 * machine-readable MARC 21 schema (marc21-rules.generated.ts; see docs/validation.md), plus
 * identifier check digits, $6 link consistency and the encoding problems found on read.
 *
 * The generated tables describe the Bibliographic format only: authority and holdings records
 * get the leader, structure, 008 length, encoding and linkage checks but no per-tag rules, unless
 * `options.schema` brings rules compiled from an Avram schema (avram.ts), which then replace the
 * built-in tables whatever the record's format.
 *
 * Validation only reads: it never hands out live subfield arrays, so a validated record is still
 * written back byte for byte.
 */

import { MarcError, type Severity } from '../errors.js';
import { isControlTag, isPlainCode, type DataField, type Field } from '../record/field.js';
import { Leader, LEADER_LENGTH } from '../record/leader.js';
import { formatOfRecordType, type MarcFormat } from '../record/leader-values.js';
import type { Record } from '../record/record.js';
import { controlCharactersIn, describeControlCharacters } from '../record/control-characters.js';
import { linkageOf, linkageReport, type LinkProblemKind } from '../linkage/linkage.js';
import { fieldsWhere } from '../query/scan.js';
import { VALIDATION_CODES, type ValidationCode } from './codes.js';
import { BIBLIOGRAPHIC_FIELDS, BIBLIOGRAPHIC_FIXED_FIELDS, SCHEMA_SOURCE } from './marc21-rules.generated.js';
import type { FieldRule, FixedPosition, ValidationSchema } from './rule-types.js';
import { installMarc21Checks } from './hook.js';

/** The built-in rule tables (MARC 21 Bibliographic, generated from MARC::Schema's marc-schema.json). */
export const BIBLIOGRAPHIC_SCHEMA: ValidationSchema = {
  title: SCHEMA_SOURCE.title,
  url: SCHEMA_SOURCE.url,
  fields: BIBLIOGRAPHIC_FIELDS,
  fixedFields: BIBLIOGRAPHIC_FIXED_FIELDS,
};

type FieldRules = ValidationSchema['fields'];

export interface IssuePosition {
  /** 0-based index of the field in the record. */
  field?: number;
  indicator?: 1 | 2;
  /** 0-based index of the subfield in its field. */
  subfield?: number;
  subfieldCode?: string;
  /** Character position in the leader or a fixed field. */
  char?: number;
  length?: number;
}

export interface ValidationIssue {
  code: ValidationCode;
  slug: string;
  severity: Severity;
  /** 'LDR' for the leader. */
  tag?: string;
  position?: IssuePosition;
  message: string;
  /** The offending value as found. */
  value?: string;
}

export interface ValidateOptions {
  /** Codes to leave out ('V102', 'V402', …). */
  ignore?: Iterable<string>;
  /** Read the record as this format instead of the one leader/06 names. */
  format?: MarcFormat;
  /** Check identifiers (ISBN, ISSN). Default true. */
  identifiers?: boolean;
  /** Check $6 linkage. Default true. */
  linkage?: boolean;
  /** Check 008 positions against the material type's codes (and schema control-field positions). Default true. */
  fixedFieldValues?: boolean;
  /**
   * Rule tables to check against instead of the built-in MARC 21 Bibliographic ones, from
   * `compileAvramSchema` / `loadAvramSchema`. They apply to every record whatever its format,
   * so authority and holdings records get per-tag rules too.
   */
  schema?: ValidationSchema;
}

/** A structural fault the ISO 2709 reader can check cheaply while parsing (strict_marc level). */
export interface StructuralProblem {
  code: 'E002' | 'E201' | 'E202';
  message: string;
  tag?: string;
  /** Leader character position (E002). */
  position?: number;
  /** Indicator position (E201). */
  indicator?: 1 | 2;
  found: string;
  /** What MARC 21 allows there, as readable text. */
  expected: string;
}

function issue(code: ValidationCode, message: string, extra: { tag?: string; position?: IssuePosition; value?: string } = {}): ValidationIssue {
  const info = VALIDATION_CODES[code];
  const out: ValidationIssue = { code, slug: info.slug, severity: info.severity, message };
  if (extra.tag !== undefined) out.tag = extra.tag;
  if (extra.position !== undefined) out.position = extra.position;
  if (extra.value !== undefined) out.value = extra.value;
  return out;
}

function showChar(c: string): string {
  if (c === ' ') return 'blank';
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x21 || code === 0x7f) return `U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `'${c}'`;
}

function showAllowed(values: string): string {
  return [...values].map((c) => (c === ' ' ? 'blank' : c)).join(', ');
}

// ---------------------------------------------------------------- cheap structural checks

/** Leader positions whose value MARC 21 does not define for the record's format (E002). */
export function checkLeaderValues(leader: Leader | string, recordType?: string): StructuralProblem[] {
  const l = typeof leader === 'string' ? new Leader(Leader.normalise(leader)) : leader;
  const problems: StructuralProblem[] = l.validate(recordType).map((p) => ({
    code: 'E002' as const,
    message: `leader/${String(p.position).padStart(2, '0')} (${p.name}) is ${showChar(p.value)}; MARC 21 allows ${p.allowed.map((v) => (v === ' ' ? 'blank' : v)).join(', ')}`,
    position: p.position,
    found: p.value,
    expected: p.allowed.join(''),
  }));
  if (typeof leader === 'string' && leader.length !== LEADER_LENGTH) {
    problems.unshift({ code: 'E002', message: `${Leader.lengthRepair(leader)} to check its positions`, found: leader, expected: '24 characters' });
  }
  return problems;
}

function validIndicatorChar(c: string): boolean {
  return c.length === 1 && (c === ' ' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'));
}

function formatOf(recordType: string | undefined): MarcFormat {
  return recordType === undefined ? 'bibliographic' : formatOfRecordType(recordType);
}

/**
 * Indicator faults (E201): a character that is not a digit, lowercase letter or blank, and, for
 * bibliographic records, a value MARC 21 does not define for the tag (245 ind1 '9'). Tags MARC 21
 * does not define (local 9XX, X9X) get only the character check. `recordType` is leader/06;
 * omitted means bibliographic. Real catalogue data often carries obsolete or blank values the
 * per-tag rules reject (pymarc's test.dat has 100 ind1 '2'); `perTag: false` keeps only the
 * character check.
 */
export function checkIndicators(tag: string, ind1: string, ind2: string, recordType?: string, options: { perTag?: boolean; schema?: ValidationSchema } = {}): StructuralProblem[] {
  // 880 takes the indicators of the field it links to, which only its $6 tells.
  const fields = options.schema?.fields ?? (formatOf(recordType) === 'bibliographic' ? BIBLIOGRAPHIC_FIELDS : undefined);
  const rule = options.perTag !== false && tag !== '880' ? fields?.[tag] : undefined;
  return indicatorProblems(tag, ind1, ind2, rule, options.schema === undefined ? 'MARC 21' : 'the schema');
}

function indicatorProblems(tag: string, ind1: string, ind2: string, rule: FieldRule | undefined, who: string): StructuralProblem[] {
  const out: StructuralProblem[] = [];
  for (const [n, value] of [[1, ind1], [2, ind2]] as const) {
    if (!validIndicatorChar(value)) {
      out.push({ code: 'E201', tag, indicator: n, found: value, expected: 'a digit, a lowercase letter or blank', message: `${tag} indicator ${n} is ${value === '' ? 'missing' : showChar(value)}: indicators are digits, lowercase letters or blank` });
      continue;
    }
    if (rule === undefined || rule.control === true) continue;
    const defined = n === 1 ? rule.ind1 : rule.ind2;
    if (defined === undefined) continue; // the schema does not constrain this indicator
    const allowed = defined ?? ' ';
    if (allowed.includes(value)) continue;
    const label = n === 1 ? rule.ind1Label : rule.ind2Label;
    const what = defined === null ? 'undefined (blank)' : `${label ?? 'values'}: ${showAllowed(allowed)}`;
    out.push({ code: 'E201', tag, indicator: n, found: value, expected: allowed, message: `${tag} indicator ${n} is ${showChar(value)}; ${who} allows ${what}` });
  }
  return out;
}

/** A subfield code that is not a printable ASCII character (E202), or null. */
export function checkSubfieldCode(tag: string, code: string): StructuralProblem | null {
  const c = code.length === 1 ? code.charCodeAt(0) : -1;
  if (isPlainCode(c)) return null;
  return { code: 'E202', tag, found: code, expected: 'a printable ASCII character', message: `${tag} has a subfield code ${code === '' ? '(none)' : showChar(code)}: subfield codes are printable ASCII characters` };
}

// ---------------------------------------------------------------- identifiers

/** ISBN-10 or ISBN-13 check digit; null when the text is not 10 or 13 digits after hyphens go. */
export function isbnCheck(value: string): { digits: string; valid: boolean } | null {
  const m = /^\s*([0-9][0-9\- ]*[0-9Xx]?)/.exec(value);
  if (m === null) return null;
  const digits = (m[1] as string).replace(/[- ]/g, '').toUpperCase();
  if (digits.length === 10 && /^\d{9}[\dX]$/.test(digits)) {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (10 - i) * (digits[i] === 'X' ? 10 : Number(digits[i]));
    return { digits, valid: sum % 11 === 0 };
  }
  if (digits.length === 13 && /^\d{13}$/.test(digits)) {
    let sum = 0;
    for (let i = 0; i < 13; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(digits[i]);
    return { digits, valid: sum % 10 === 0 };
  }
  return null;
}

/** ISSN check digit; null when the text is not NNNN-NNNC. */
export function issnCheck(value: string): { digits: string; valid: boolean } | null {
  const m = /^\s*(\d{4})-?(\d{3}[\dXx])\b/.exec(value);
  if (m === null) return null;
  const digits = ((m[1] as string) + (m[2] as string)).toUpperCase();
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (8 - i) * (digits[i] === 'X' ? 10 : Number(digits[i]));
  return { digits, valid: sum % 11 === 0 };
}

// ---------------------------------------------------------------- fixed fields

const FIXED_LENGTH: { readonly [F in MarcFormat]?: number } = { bibliographic: 40, authority: 40, holdings: 32, community: 40, classification: 14 };

/** The 008 material configuration leader/06-07 select (MARC 21 Bibliographic 008/18-34). */
export function materialType(leader: Leader): string | undefined {
  const type = leader.recordType;
  const level = leader.bibliographicLevel;
  if (type === 'a' || type === 't') return type === 'a' && (level === 'b' || level === 'i' || level === 's') ? 'Continuing Resources' : 'Books';
  if (type === 'm') return 'Computer Files';
  if (type === 'e' || type === 'f') return 'Maps';
  if (type === 'c' || type === 'd' || type === 'i' || type === 'j') return 'Music';
  if (type === 'p') return 'Mixed Materials';
  if (type === 'g' || type === 'k' || type === 'o' || type === 'r') return 'Visual Materials';
  return undefined;
}

function allowedAt(pos: FixedPosition, value: string): boolean {
  const codes = pos.codes as readonly string[];
  if (codes.includes(value)) return true;
  for (const [lo, hi] of pos.ranges ?? []) if (value.length === lo.length && /^\d+$/.test(value) && value >= lo && value <= hi) return true;
  if (pos.unit !== undefined) {
    for (let i = 0; i < value.length; i += pos.unit) if (!codes.includes(value.slice(i, i + pos.unit))) return false;
    return true;
  }
  return false;
}

function check008Positions(data: string, leader: Leader, fieldIndex: number, tables: { readonly [type: string]: readonly FixedPosition[] }, bibliographic: boolean, who: string, out: ValidationIssue[]): void {
  const type = bibliographic ? materialType(leader) : undefined;
  const positions = [...(tables['All Materials'] ?? []), ...(type === undefined ? [] : tables[type] ?? [])];
  for (const pos of positions) {
    if (pos.codes === undefined || pos.end > data.length) continue;
    const value = data.slice(pos.start, pos.end);
    if (allowedAt(pos, value)) continue;
    const position = { field: fieldIndex, char: pos.start, length: pos.end - pos.start };
    const where = `008/${pos.key} (${pos.label}${type === undefined || pos.start < 18 || pos.start > 34 ? '' : `, ${type}`})`;
    if (pos.obsolete?.includes(value)) {
      out.push(issue('V403', `${where} is ${JSON.stringify(value)}, a code ${who} made obsolete`, { tag: '008', position, value }));
    } else {
      out.push(issue('V402', `${where} is ${JSON.stringify(value)}; ${who} defines ${(pos.codes as readonly string[]).map((c) => JSON.stringify(c)).join(', ')}${(pos.ranges ?? []).map(([lo, hi]) => `, ${lo}-${hi}`).join('')}`, { tag: '008', position, value }));
    }
  }
}

/** Positions a schema gives for a control field (Avram field `positions`): V405, V406. */
function checkPositions(tag: string, data: string, positions: readonly FixedPosition[], fieldIndex: number, out: ValidationIssue[]): void {
  for (const pos of positions) {
    if (pos.end > data.length) continue;
    const value = data.slice(pos.start, pos.end);
    const position = { field: fieldIndex, char: pos.start, length: pos.end - pos.start };
    const where = `${tag}/${pos.key}${pos.label === '' ? '' : ` (${pos.label})`}`;
    if (pos.codes !== undefined && !allowedAt(pos, value)) {
      if (pos.obsolete?.includes(value)) out.push(issue('V406', `${where} is ${JSON.stringify(value)}, a code the schema lists as deprecated`, { tag, position, value }));
      else out.push(issue('V405', `${where} is ${JSON.stringify(value)}; the schema defines ${pos.codes.map((c) => JSON.stringify(c)).join(', ')}${(pos.ranges ?? []).map(([lo, hi]) => `, ${lo}-${hi}`).join('')}`, { tag, position, value }));
    } else if (pos.pattern !== undefined && !patternOf(pos.pattern).test(value)) {
      out.push(issue('V405', `${where} is ${JSON.stringify(value)}, which does not match /${pos.pattern}/`, { tag, position, value }));
    }
  }
}

const PATTERNS = new Map<string, RegExp>();

/** Avram patterns are ECMAScript regular expressions in Unicode mode, matched anywhere in the value. */
function patternOf(source: string): RegExp {
  let re = PATTERNS.get(source);
  if (re === undefined) {
    re = new RegExp(source, 'u');
    PATTERNS.set(source, re);
  }
  return re;
}

const REQUIRED_TAGS = new WeakMap<FieldRules, readonly string[]>();

function requiredTags(fields: FieldRules): readonly string[] {
  let tags = REQUIRED_TAGS.get(fields);
  if (tags === undefined) {
    tags = Object.keys(fields).filter((tag) => fields[tag]?.required === true).sort();
    REQUIRED_TAGS.set(fields, tags);
  }
  return tags;
}

function labelOf(rule: FieldRule | undefined): string {
  return rule === undefined || rule.label === '' ? '' : ` (${rule.label})`;
}

// ---------------------------------------------------------------- the record walk

const LINK_CODES: { readonly [K in LinkProblemKind]: ValidationCode } = {
  malformed: 'V601',
  'missing-880': 'V602',
  'missing-field': 'V602',
  duplicate: 'V603',
  'not-880': 'V604',
};

function isLocalTag(tag: string): boolean {
  return tag.charAt(0) === '9' || tag.charAt(1) === '9';
}

const ENCODING_CODES = new Set(['E301', 'E302', 'E303']);

function encodingIssue(error: MarcError, fieldIndex: number | undefined): ValidationIssue | null {
  if (!ENCODING_CODES.has(error.code)) return null;
  const extra: { tag?: string; position?: IssuePosition } = {};
  if (error.tag !== undefined) extra.tag = error.tag;
  const position: IssuePosition = {};
  if (fieldIndex !== undefined) position.field = fieldIndex;
  if (error.subfieldCode !== undefined) position.subfieldCode = error.subfieldCode;
  if (Object.keys(position).length > 0) extra.position = position;
  const out = issue(error.code as ValidationCode, error.detail, extra);
  // E303 is a warning by default but a reader may have raised it as an error, and the reverse.
  out.severity = error.severity;
  return out;
}

/** Copies the subfields; in strict mode a field that cannot be decoded throws here, and is reported. */
function readSubfields(field: DataField, fieldIndex: number, out: ValidationIssue[]): { code: string; value: string }[] | null {
  try {
    return field.toJSON().subfields;
  } catch (e) {
    if (e instanceof MarcError) {
      const found = encodingIssue(e, fieldIndex);
      if (found !== null) {
        out.push(found);
        return null;
      }
    }
    throw e;
  }
}

/** E305 for control characters in a control field's data or a subfield value (an indicator holding one is E201 above). */
function checkControlCharacters(text: string, tag: string, where: string, position: IssuePosition, out: ValidationIssue[]): void {
  const found = controlCharactersIn(text);
  if (found === null) return;
  out.push(issue('E305', describeControlCharacters(position.field ?? -1, tag, where, found), { tag, position, value: text }));
}

function validateDataField(field: DataField, fieldIndex: number, rule: FieldRule | undefined, who: string, out: ValidationIssue[]): void {
  const tag = field.tag;
  const ruleTag = tag === '880' ? linkageOf(field)?.tag ?? tag : tag;
  const name = ruleTag === tag ? tag : `880 for ${ruleTag}`;
  for (const p of indicatorProblems(ruleTag, field.ind1, field.ind2, rule, who)) {
    const message = ruleTag === tag ? p.message : `880 (for ${ruleTag}): ${p.message}`;
    out.push(issue('E201', message, { tag, position: { field: fieldIndex, indicator: p.indicator as 1 | 2 }, value: p.found }));
  }
  const subfields = readSubfields(field, fieldIndex, out);
  if (subfields === null) return;
  for (let i = 0; i < subfields.length; i++) {
    const { code, value } = subfields[i] as { code: string; value: string };
    checkControlCharacters(value, tag, `$${code}`, code === '' ? { field: fieldIndex, subfield: i } : { field: fieldIndex, subfield: i, subfieldCode: code }, out);
  }
  if (subfields.length === 0) {
    out.push(issue('V304', `${tag} has no subfields`, { tag, position: { field: fieldIndex } }));
    return;
  }
  const seen = new Map<string, number>();
  for (let i = 0; i < subfields.length; i++) {
    const { code, value } = subfields[i] as { code: string; value: string };
    const position = { field: fieldIndex, subfield: i, subfieldCode: code };
    if (code === '') {
      out.push(issue('V306', `${tag} has text before its first subfield: ${JSON.stringify(value)}`, { tag, position: { field: fieldIndex, subfield: i }, value }));
      continue;
    }
    const bad = checkSubfieldCode(tag, code);
    if (bad !== null) {
      out.push(issue('E202', bad.message, { tag, position, value: code }));
      continue;
    }
    if (value === '') out.push(issue('V305', `${tag} $${code} is empty`, { tag, position }));
    const count = (seen.get(code) ?? 0) + 1;
    seen.set(code, count);
    const subfieldRules = rule?.subfields;
    if (subfieldRules === undefined) continue;
    const def = subfieldRules[code];
    if (def === undefined) {
      if (rule?.obsoleteSubfields?.includes(code) === true) {
        out.push(issue('V302', `${name} $${code} is obsolete${labelOf(rule)}`, { tag, position, value }));
      } else {
        out.push(issue('V301', `${name}${labelOf(rule)} does not define subfield $${code}`, { tag, position, value }));
      }
      continue;
    }
    const sub = def[0] === '' ? '' : ` (${def[0]})`;
    if (count === 2 && !def[1]) {
      out.push(issue('V303', `${name} $${code}${sub} is not repeatable but occurs more than once`, { tag, position }));
    }
    const values = rule?.subfieldValues?.[code];
    if (values === undefined || value === '') continue;
    if (values.pattern !== undefined && !patternOf(values.pattern).test(value)) {
      out.push(issue('V308', `${name} $${code}${sub} ${JSON.stringify(value)} does not match /${values.pattern}/`, { tag, position, value }));
    }
    if (values.obsolete?.includes(value) === true) {
      out.push(issue('V310', `${name} $${code}${sub} ${JSON.stringify(value)} is a deprecated code`, { tag, position, value }));
    } else if (values.codes !== undefined && !values.codes.includes(value)) {
      out.push(issue('V309', `${name} $${code}${sub} ${JSON.stringify(value)} is not in the schema's codes`, { tag, position, value }));
    }
  }
  // Avram: at least one subfield for each subfield definition with "required" true.
  for (const code of rule?.requiredSubfields ?? '') {
    if (seen.has(code)) continue;
    const def = rule?.subfields?.[code];
    out.push(issue('V307', `${name}${labelOf(rule)} has no $${code}${def === undefined || def[0] === '' ? '' : ` (${def[0]})`}, which the schema requires`, { tag, position: { field: fieldIndex, subfieldCode: code } }));
  }
}

/**
 * Checks `record` against MARC 21 and returns every issue found, in record order (leader first).
 * An empty array means no problem was found.
 */
export function validate(record: Record, options: ValidateOptions = {}): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const leader = record.leader;
  const recordType = leader.recordType;
  const format = options.format ?? formatOfRecordType(recordType);
  const bibliographic = format === 'bibliographic';
  // Per-tag rules: a given schema's, else the built-in ones for bibliographic records (with
  // `format` given, leader/06 is read as that format).
  const typeForRules = bibliographic ? 'a' : recordType;
  const schema = options.schema ?? (bibliographic ? BIBLIOGRAPHIC_SCHEMA : undefined);
  const rules = schema?.fields;
  const who = options.schema === undefined ? 'MARC 21' : 'the schema';

  for (const p of checkLeaderValues(leader, options.format === undefined ? undefined : typeForRules)) {
    out.push(issue('E002', p.message, { tag: 'LDR', position: { char: p.position as number }, value: p.found }));
  }
  // Decoding is lazy: problems a lenient read records appear in record.errors as fields are
  // decoded, so the walk below decodes every field and record.errors is read after it.
  const knownErrors = record.errors.length;
  const fields = fieldsWhere(record);
  const counts = new Map<string, number>();
  let has008 = false;
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index] as Field;
    const tag = field.tag;
    if (!/^[0-9A-Za-z]{3}$/.test(tag)) {
      out.push(issue('V101', `tag ${JSON.stringify(tag)} is not three ASCII digits or letters`, { tag, position: { field: index } }));
      continue;
    }
    const count = (counts.get(tag) ?? 0) + 1;
    counts.set(tag, count);
    let rule = rules?.[tag];
    if (rules !== undefined && rule === undefined && !isLocalTag(tag)) {
      const what = options.schema === undefined ? 'a MARC 21 bibliographic field' : `defined by ${options.schema.title === undefined ? 'the schema' : JSON.stringify(options.schema.title)}`;
      out.push(issue('V102', `${tag} is not ${what}`, { tag, position: { field: index } }));
    }
    if (rule !== undefined && count === 2 && !rule.repeatable) {
      out.push(issue('V103', `${tag}${labelOf(rule)} is not repeatable but occurs more than once`, { tag, position: { field: index } }));
    }
    if (field.isControlField()) {
      let data: string;
      try {
        data = field.data;
      } catch (e) {
        const found = e instanceof MarcError ? encodingIssue(e, index) : null;
        if (found === null) throw e;
        out.push(found);
        continue;
      }
      checkControlCharacters(data, tag, 'data', { field: index }, out);
      if (!isControlTag(tag)) {
        out.push(issue('V104', `${tag} is a data field tag but holds control data`, { tag, position: { field: index } }));
        continue;
      }
      if (tag === '008') {
        has008 = true;
        const expected = FIXED_LENGTH[format];
        if (expected !== undefined && data.length !== expected) {
          out.push(issue('V401', `008 has ${data.length} characters; a ${format} 008 has ${expected}`, { tag, position: { field: index, length: data.length }, value: data }));
        }
        const tables = schema?.fixedFields['008'];
        if (tables !== undefined && options.fixedFieldValues !== false) check008Positions(data, leader, index, tables, bibliographic, who, out);
      }
      if (rule?.positions !== undefined && options.fixedFieldValues !== false) checkPositions(tag, data, rule.positions, index, out);
      continue;
    }
    if (isControlTag(tag)) {
      out.push(issue('V104', `${tag} is a control field tag but holds indicators and subfields`, { tag, position: { field: index } }));
    }
    if (tag === '880') {
      // An 880's indicators and subfields are "same as associated field": check them against the
      // rules of the tag its $6 names (none when the link is malformed).
      const link = linkageOf(field);
      rule = link === null ? undefined : rules?.[link.tag];
    }
    validateDataField(field, index, rule, who, out);
    if (bibliographic && options.identifiers !== false) checkIdentifiers(field, index, out);
  }
  if (!has008 && (format === 'bibliographic' || format === 'authority' || format === 'holdings')) {
    out.push(issue('V404', 'the record has no 008', { tag: '008' }));
  }
  if (rules !== undefined) {
    for (const tag of requiredTags(rules)) {
      if (!counts.has(tag)) out.push(issue('V105', `the record has no ${tag}${labelOf(rules[tag])}, which the schema requires`, { tag }));
    }
  }
  const errors = record.errors;
  for (let i = 0; i < errors.length; i++) {
    const found = encodingIssue(errors[i] as MarcError, undefined);
    if (found === null) continue;
    if (i >= knownErrors && found.tag !== undefined) {
      // Raised during this walk: the field is known, point at it.
      const at = fields.findIndex((f) => f.tag === found.tag);
      if (at >= 0) found.position = { ...found.position, field: at };
    }
    out.push(found);
  }
  if (options.linkage !== false) {
    for (const p of linkageReport(record).problems) {
      out.push(issue(LINK_CODES[p.kind], p.message, { tag: p.field.tag, position: { field: p.fieldIndex }, ...(p.linkage === null ? {} : { value: p.linkage.raw }) }));
    }
  }
  const ignore = new Set(options.ignore ?? []);
  const kept = ignore.size === 0 ? out : out.filter((i) => !ignore.has(i.code));
  // Leader issues first, then by field; a stable sort keeps each field's issues in check order.
  return kept.sort((a, b) => (a.position?.field ?? -1) - (b.position?.field ?? -1));
}

function checkIdentifiers(field: DataField, index: number, out: ValidationIssue[]): void {
  if (field.tag !== '020' && field.tag !== '022') return;
  const codes = field.tag === '020' ? ['a'] : ['a', 'l'];
  for (const code of codes) {
    for (const value of field.getAll(code)) {
      const position = { field: index, subfieldCode: code };
      if (field.tag === '020') {
        const r = isbnCheck(value);
        if (r === null) out.push(issue('V502', `020 $a ${JSON.stringify(value)} does not start with a 10- or 13-digit ISBN`, { tag: '020', position, value }));
        else if (!r.valid) out.push(issue('V501', `020 $a ISBN ${r.digits} has a wrong check digit`, { tag: '020', position, value }));
      } else {
        const r = issnCheck(value);
        if (r === null) out.push(issue('V504', `022 $${code} ${JSON.stringify(value)} is not an ISSN (NNNN-NNNC)`, { tag: '022', position, value }));
        else if (!r.valid) out.push(issue('V503', `022 $${code} ISSN ${r.digits.slice(0, 4)}-${r.digits.slice(4)} has a wrong check digit`, { tag: '022', position, value }));
      }
    }
  }
}

installMarc21Checks({ checkLeaderValues, checkIndicators });
