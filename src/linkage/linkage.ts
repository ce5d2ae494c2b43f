/**
 * 880 linkage: subfield $6 and the pairing of regular fields with their alternate graphic
 * representations (MARC 21 Bibliographic, "Appendix A: Control subfields", and field 880).
 *
 * $6 is `<linking tag>-<occurrence>[/<script>[/<orientation>]]`: `880-01` in the regular field,
 * `245-01/(2/r` in the 880. Occurrence `00` marks an 880 with no regular counterpart. Nothing
 * here throws on bad data: malformed and dangling links are reported, because a record with a
 * broken link is still a record somebody has to catalogue.
 */

import type { DataField, Field } from '../record/field.js';
import type { Record } from '../record/record.js';
import { fieldsWhere } from '../query/scan.js';

export interface Linkage {
  /** The tag of the field at the other end: '880' in a regular field, '245' in an 880. */
  tag: string;
  /** Occurrence number as written ('01', '00', '123'). */
  occurrence: string;
  /** Script identification code: '(3' Arabic, '(B' Latin, '$1' CJK, '(N' Cyrillic, '(S' Greek, '(2' Hebrew. */
  script?: string;
  /** Field orientation: 'r' for right-to-left. */
  orientation?: string;
  /** The $6 value as read. */
  raw: string;
}

export const SCRIPT_CODES: Readonly<{ [code: string]: string }> = {
  '(3': 'Arabic',
  '(B': 'Latin',
  '$1': 'Chinese, Japanese, Korean',
  '(N': 'Cyrillic',
  '(S': 'Greek',
  '(2': 'Hebrew',
};

// Lenient about what follows the occurrence: real records carry stray spaces and trailing
// punctuation after it more often than a script code.
const LINKAGE = /^\s*([0-9A-Za-z]{3})-([0-9]{2,})(?:\/([^/]*))?(?:\/([^/]*))?/;

/** Parses a $6 value; null when it is not `tag-NN…`. */
export function parseLinkage(value: string): Linkage | null {
  const m = LINKAGE.exec(value);
  if (m === null) return null;
  const link: Linkage = { tag: m[1] as string, occurrence: m[2] as string, raw: value };
  const script = m[3]?.trim();
  const orientation = m[4]?.trim();
  if (script !== undefined && script !== '') link.script = script;
  if (orientation !== undefined && orientation !== '') link.orientation = orientation;
  return link;
}

/** The parsed $6 of a field, or null (control field, no $6, or a malformed one). */
export function linkageOf(field: Field): Linkage | null {
  if (!field.isDataField()) return null;
  const value = field.get('6');
  return value === undefined ? null : parseLinkage(value);
}

export interface LinkedPair {
  /** The field in the regular position (245, 100, …). */
  field: DataField;
  /** Its 880 counterpart. */
  alternate: DataField;
  occurrence: string;
  script?: string;
  orientation?: string;
}

export type LinkProblemKind =
  /** $6 is present but is not `tag-NN…`. */
  | 'malformed'
  /** A regular field's $6 names an 880 occurrence that no 880 carries. */
  | 'missing-880'
  /** An 880 names a regular field (tag and occurrence) the record does not have. */
  | 'missing-field'
  /** A regular field's $6 names a tag other than 880. */
  | 'not-880'
  /** Two fields on the same side claim the same link. */
  | 'duplicate';

export interface LinkProblem {
  kind: LinkProblemKind;
  field: DataField;
  /** 0-based position of the field in the record. */
  fieldIndex: number;
  linkage: Linkage | null;
  message: string;
}

export interface LinkageReport {
  pairs: LinkedPair[];
  /** 880s with occurrence 00: vernacular with no regular field, reported, never dropped. */
  unlinked: DataField[];
  problems: LinkProblem[];
}

interface Entry {
  field: DataField;
  index: number;
  link: Linkage;
}

/** Every $6 link in the record: pairs, unlinked 880s and what does not match up. */
export function linkageReport(record: Record): LinkageReport {
  const regular = new Map<string, Entry>();
  const alternates = new Map<string, Entry>();
  const report: LinkageReport = { pairs: [], unlinked: [], problems: [] };
  const problem = (kind: LinkProblemKind, e: { field: DataField; index: number; link: Linkage | null }, message: string): void => {
    report.problems.push({ kind, field: e.field, fieldIndex: e.index, linkage: e.link, message });
  };
  const fields = fieldsWhere(record);
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index] as Field;
    if (!field.isDataField()) continue;
    const raw = field.get('6');
    if (raw === undefined) continue;
    const link = parseLinkage(raw);
    if (link === null) {
      problem('malformed', { field, index, link: null }, `${field.tag} $6 ${JSON.stringify(raw)} is not "tag-occurrence[/script[/orientation]]"`);
      continue;
    }
    if (field.tag === '880') {
      if (/^0+$/.test(link.occurrence)) {
        report.unlinked.push(field);
        continue;
      }
      const key = `${link.tag}-${link.occurrence}`;
      if (alternates.has(key)) problem('duplicate', { field, index, link }, `a second 880 claims ${key}`);
      else alternates.set(key, { field, index, link });
    } else {
      if (link.tag !== '880') {
        // $6 in a regular field may point elsewhere only in formats that link other fields; here
        // it is a cataloguing slip worth reporting.
        problem('not-880', { field, index, link }, `${field.tag} $6 ${JSON.stringify(raw)} links to ${link.tag}, not 880`);
        continue;
      }
      const key = `${field.tag}-${link.occurrence}`;
      if (regular.has(key)) problem('duplicate', { field, index, link }, `a second ${field.tag} claims 880-${link.occurrence}`);
      else regular.set(key, { field, index, link });
    }
  }
  for (const [key, r] of regular) {
    const alt = alternates.get(key);
    if (alt === undefined) {
      problem('missing-880', r, `${r.field.tag} $6 ${JSON.stringify(r.link.raw)} has no 880 with $6 ${key}`);
      continue;
    }
    alternates.delete(key);
    const pair: LinkedPair = { field: r.field, alternate: alt.field, occurrence: r.link.occurrence };
    if (alt.link.script !== undefined) pair.script = alt.link.script;
    if (alt.link.orientation !== undefined) pair.orientation = alt.link.orientation;
    report.pairs.push(pair);
  }
  for (const [key, alt] of alternates) {
    problem('missing-field', alt, `880 $6 ${JSON.stringify(alt.link.raw)} has no ${alt.link.tag} with $6 880-${key.slice(4)}`);
  }
  report.pairs.sort((a, b) => fields.indexOf(a.field) - fields.indexOf(b.field));
  report.problems.sort((a, b) => a.fieldIndex - b.fieldIndex);
  return report;
}

/** The pairs of regular field and 880 counterpart, in record order. */
export function linkedPairs(record: Record): LinkedPair[] {
  return linkageReport(record).pairs;
}

/**
 * The fields linked to `field` through $6: for a regular field its 880s, for an 880 its regular
 * field. Empty when there is no link or it dangles (see linkageReport for why).
 */
export function linkedFields(record: Record, field: Field): DataField[] {
  const link = linkageOf(field);
  if (link === null || /^0+$/.test(link.occurrence)) return [];
  const out: DataField[] = [];
  // The other end names this field's tag: an 880 names its regular field, a regular field 880.
  for (const other of record.getFields(link.tag)) {
    if (other === field || !other.isDataField()) continue;
    const back = linkageOf(other);
    if (back !== null && back.occurrence === link.occurrence && back.tag === field.tag) out.push(other);
  }
  return out;
}
