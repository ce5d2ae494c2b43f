/**
 * A typed view of a MARC 21 authority record (leader/06 'z'): the heading (1XX), its tracings
 * (4XX see-from, 5XX see-also), notes, source data (670/675), linking entries (7XX) and the
 * authority 008 (MARC 21 Format for Authority Data, loc.gov/marc/authority).
 *
 * A view reads the record; it holds no copies, so it reflects later edits to the record. It never
 * hands out live subfield arrays, so viewing a record leaves it writable byte for byte.
 */

import type { DataField } from '../record/field.js';
import type { Record } from '../record/record.js';
import { readRecordsSync, type SyncSource } from '../io/sync.js';
import type { ReadOptions } from '../iso2709/reader.js';
import { coded, dataFields, RecordTypeError, subfieldsOf, type CodeTable, type Coded } from './common.js';

export type HeadingType =
  | 'personal-name'
  | 'corporate-name'
  | 'meeting-name'
  | 'uniform-title'
  | 'named-event'
  | 'chronological-term'
  | 'topical-term'
  | 'geographic-name'
  | 'genre-form-term'
  | 'medium-of-performance'
  | 'general-subdivision'
  | 'geographic-subdivision'
  | 'chronological-subdivision'
  | 'form-subdivision';

/** Heading type by the last two digits of a 1XX, 4XX, 5XX or 7XX tag. */
export const HEADING_TYPES: Readonly<{ [tagTail: string]: HeadingType }> = {
  '00': 'personal-name',
  '10': 'corporate-name',
  '11': 'meeting-name',
  '30': 'uniform-title',
  '47': 'named-event',
  '48': 'chronological-term',
  '50': 'topical-term',
  '51': 'geographic-name',
  '55': 'genre-form-term',
  '62': 'medium-of-performance',
  '80': 'general-subdivision',
  '81': 'geographic-subdivision',
  '82': 'chronological-subdivision',
  '85': 'form-subdivision',
};

/** The tags the "heading of a known type" means: the established-heading 1XX tags. */
export const HEADING_TAGS = ['100', '110', '111', '130', '147', '148', '150', '151', '155', '162', '180', '181', '182', '185'] as const;

export interface Heading {
  field: DataField;
  tag: string;
  type: HeadingType;
  /** The heading as displayed: main part, then subdivisions ($v $x $y $z) after ' -- '. */
  text: string;
  /** Subdivisions in field order. */
  subdivisions: { code: 'v' | 'x' | 'y' | 'z'; value: string }[];
  /** $0 authority record control numbers / URIs. */
  identifiers: string[];
  /** $6 linkage, when the field has an 880 counterpart. */
  linkage?: string;
}

/** A 4XX or 5XX tracing: a heading plus how it relates to the established one. */
export interface Tracing extends Heading {
  /** $i relationship information. */
  relationship: string | undefined;
  /** $4 relationship codes or URIs. */
  relationshipCodes: string[];
  /** $w control subfield (e.g. 'g' broader term, 'h' narrower term, 'a' earlier heading). */
  control: string | undefined;
}

/** A 7XX linking entry: the same heading in another thesaurus or file. */
export interface LinkingEntry extends Heading {
  /** Second indicator: the thesaurus ('0' LCSH, '2' MeSH, '7' source in $2, …). */
  thesaurus: string;
  /** $2 source of heading, when ind2 is 7. */
  source: string | undefined;
}

export interface SourceDataFound {
  field: DataField;
  /** $a source citation. */
  citation: string | undefined;
  /** $b information found. */
  information: string[];
  /** $u URIs. */
  uris: string[];
}

export type AuthorityNoteKind =
  | 'nonpublic-general'
  | 'biographical-or-historical'
  | 'public-general'
  | 'subject-example-tracing'
  | 'deleted-heading'
  | 'application-history'
  | 'other';

const NOTE_KINDS: Readonly<{ [tag: string]: AuthorityNoteKind }> = {
  '667': 'nonpublic-general',
  '678': 'biographical-or-historical',
  '680': 'public-general',
  '681': 'subject-example-tracing',
  '682': 'deleted-heading',
  '688': 'application-history',
};

export interface AuthorityNote {
  field: DataField;
  tag: string;
  kind: AuthorityNoteKind;
  text: string;
}

// Authority 008 code tables (loc.gov/marc/authority/ad008.html); '|' is "no attempt to code".
const FILL = { '|': 'No attempt to code' };
const AB_USE = { a: 'Appropriate', b: 'Not appropriate', ...FILL };

export const AUTHORITY_008: Readonly<{ [name: string]: { position: number; length?: number; label: string; codes: CodeTable } }> = {
  geographicSubdivision: { position: 6, label: 'Direct or indirect geographic subdivision', codes: { ' ': 'Not subdivided geographically', d: 'Subdivided geographically-direct', i: 'Subdivided geographically-indirect', n: 'Not applicable', ...FILL } },
  romanizationScheme: { position: 7, label: 'Romanization scheme', codes: { a: 'International standard', b: 'National standard', c: 'National library association standard', d: 'National library or bibliographic agency standard', e: 'Local standard', f: 'Standard of unknown origin', g: 'Conventional romanization or conventional form of name in language of cataloging agency', n: 'Not applicable', ...FILL } },
  languageOfCatalog: { position: 8, label: 'Language of catalog', codes: { ' ': 'No information provided', b: 'English and French', e: 'English only', f: 'French only', ...FILL } },
  kindOfRecord: { position: 9, label: 'Kind of record', codes: { a: 'Established heading', b: 'Untraced reference', c: 'Traced reference', d: 'Subdivision', e: 'Node label', f: 'Established heading and subdivision', g: 'Reference and subdivision' } },
  descriptiveCatalogingRules: { position: 10, label: 'Descriptive cataloging rules', codes: { a: 'Earlier rules', b: 'AACR 1', c: 'AACR 2', d: 'AACR 2 compatible heading', n: 'Not applicable', z: 'Other', ...FILL } },
  subjectHeadingSystem: { position: 11, label: 'Subject heading system/thesaurus', codes: { a: 'Library of Congress Subject Headings', b: "LC subject headings for children's literature", c: 'Medical Subject Headings', d: 'National Agricultural Library subject authority file', k: 'Canadian Subject Headings', n: 'Not applicable', r: 'Art and Architecture Thesaurus', s: 'Sears List of Subject Heading', v: 'Répertoire de vedettes-matière', z: 'Other', ...FILL } },
  typeOfSeries: { position: 12, label: 'Type of series', codes: { a: 'Monographic series', b: 'Multipart item', c: 'Series-like phrase', n: 'Not applicable', z: 'Other', ...FILL } },
  numberedSeries: { position: 13, label: 'Numbered or unnumbered series', codes: { a: 'Numbered', b: 'Unnumbered', c: 'Numbering varies', n: 'Not applicable', ...FILL } },
  mainOrAddedEntryUse: { position: 14, label: 'Heading use-main or added entry', codes: AB_USE },
  subjectAddedEntryUse: { position: 15, label: 'Heading use-subject added entry', codes: AB_USE },
  seriesAddedEntryUse: { position: 16, label: 'Heading use-series added entry', codes: AB_USE },
  typeOfSubjectSubdivision: { position: 17, label: 'Type of subject subdivision', codes: { a: 'Topical', b: 'Form', c: 'Chronological', d: 'Geographic', e: 'Language', n: 'Not applicable', ...FILL } },
  typeOfGovernmentAgency: { position: 28, label: 'Type of government agency', codes: { ' ': 'Not a government agency', a: 'Autonomous or semi-autonomous component', c: 'Multilocal', f: 'Federal/national', i: 'International intergovernmental', l: 'Local', m: 'Multistate', o: 'Government agency-type undetermined', s: 'State, provincial, territorial, dependent, etc.', u: 'Unknown if heading is government agency', z: 'Other', ...FILL } },
  referenceEvaluation: { position: 29, label: 'Reference evaluation', codes: { a: 'Tracings are consistent with the heading', b: 'Tracings are not necessarily consistent with the heading', n: 'Not applicable', ...FILL } },
  recordUpdateInProcess: { position: 31, label: 'Record update in process', codes: { a: 'Record can be used', b: 'Record is being updated', ...FILL } },
  undifferentiatedPersonalName: { position: 32, label: 'Undifferentiated personal name', codes: { a: 'Differentiated personal name', b: 'Undifferentiated personal name', n: 'Not applicable', ...FILL } },
  levelOfEstablishment: { position: 33, label: 'Level of establishment', codes: { a: 'Fully established', b: 'Memorandum', c: 'Provisional', d: 'Preliminary', n: 'Not applicable', ...FILL } },
  modifiedRecord: { position: 38, label: 'Modified record', codes: { ' ': 'Not modified', s: 'Shortened', x: 'Missing characters', ...FILL } },
  catalogingSource: { position: 39, label: 'Cataloging source', codes: { ' ': 'National bibliographic agency', c: 'Cooperative cataloging program', d: 'Other', u: 'Unknown', ...FILL } },
};

export type Authority008Name = keyof typeof AUTHORITY_008 & string;

export interface Authority008 {
  /** The 008 as read. */
  raw: string;
  /** True when it has the 40 characters MARC 21 defines. */
  complete: boolean;
  /** 00-05, yymmdd. */
  dateEnteredOnFile: string;
  geographicSubdivision: Coded;
  romanizationScheme: Coded;
  languageOfCatalog: Coded;
  kindOfRecord: Coded;
  descriptiveCatalogingRules: Coded;
  subjectHeadingSystem: Coded;
  typeOfSeries: Coded;
  numberedSeries: Coded;
  mainOrAddedEntryUse: Coded;
  subjectAddedEntryUse: Coded;
  seriesAddedEntryUse: Coded;
  typeOfSubjectSubdivision: Coded;
  typeOfGovernmentAgency: Coded;
  referenceEvaluation: Coded;
  recordUpdateInProcess: Coded;
  undifferentiatedPersonalName: Coded;
  levelOfEstablishment: Coded;
  modifiedRecord: Coded;
  catalogingSource: Coded;
}

export function parseAuthority008(data: string): Authority008 {
  const out: { [k: string]: unknown } = { raw: data, complete: data.length === 40, dateEnteredOnFile: data.slice(0, 6) };
  for (const [name, def] of Object.entries(AUTHORITY_008)) out[name] = coded(data, def.position, def.length ?? 1, def.codes);
  return out as unknown as Authority008;
}

// Subfields that carry no heading text: linkage and control ($6 $8), identifiers and sources
// ($0 $1 $2 $5), tracing control ($w $i $4).
const NOT_TEXT = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'w', 'i']);
const SUBDIVISION = new Set(['v', 'x', 'y', 'z']);

function headingType(tag: string): HeadingType | undefined {
  return HEADING_TYPES[tag.slice(1)];
}

function readHeading(field: DataField): Heading | undefined {
  const type = headingType(field.tag);
  if (type === undefined) return undefined;
  const subdivisions: Heading['subdivisions'] = [];
  const identifiers: string[] = [];
  let linkage: string | undefined;
  let text = '';
  for (const { code, value } of subfieldsOf(field)) {
    if (code === '0') identifiers.push(value);
    if (code === '6') linkage = value;
    if (NOT_TEXT.has(code) || code === '') continue;
    const v = value.trim();
    if (SUBDIVISION.has(code)) {
      subdivisions.push({ code: code as 'v' | 'x' | 'y' | 'z', value: v });
      text += ` -- ${v}`;
    } else {
      text += (text === '' ? '' : ' ') + v;
    }
  }
  const heading: Heading = { field, tag: field.tag, type, text: text.trim(), subdivisions, identifiers };
  if (linkage !== undefined) heading.linkage = linkage;
  return heading;
}

function readTracing(field: DataField): Tracing | undefined {
  const heading = readHeading(field);
  if (heading === undefined) return undefined;
  return { ...heading, relationship: field.get('i'), relationshipCodes: field.getAll('4'), control: field.get('w') };
}

export class AuthorityRecord {
  readonly record: Record;

  /** Throws RecordTypeError unless leader/06 is 'z'. */
  constructor(record: Record) {
    if (record.leader.recordType !== 'z') throw new RecordTypeError(record, ['z'], 'an authority record');
    this.record = record;
  }

  /** The established heading (the first 1XX with a known type), or undefined for a record without one. */
  get heading(): Heading | undefined {
    for (const field of dataFields(this.record, (t) => t.charAt(0) === '1')) {
      const heading = readHeading(field);
      if (heading !== undefined) return heading;
    }
    return undefined;
  }

  get headingType(): Heading['type'] | undefined {
    return this.heading?.type;
  }

  /** 4XX see-from tracings. */
  get seeFrom(): Tracing[] {
    return this.#tracings('4');
  }

  /** 5XX see-also-from tracings. */
  get seeAlso(): Tracing[] {
    return this.#tracings('5');
  }

  #tracings(hundred: string): Tracing[] {
    const out: Tracing[] = [];
    for (const field of dataFields(this.record, (t) => t.charAt(0) === hundred)) {
      const tracing = readTracing(field);
      if (tracing !== undefined) out.push(tracing);
    }
    return out;
  }

  /** 667, 678, 680, 681, 682, 688 and other 66X-68X notes, in record order. */
  get notes(): AuthorityNote[] {
    const out: AuthorityNote[] = [];
    for (const field of dataFields(this.record, (t) => t >= '660' && t <= '689' && t !== '670' && t !== '675')) {
      out.push({ field, tag: field.tag, kind: NOTE_KINDS[field.tag] ?? 'other', text: field.getAll('a').join(' ') });
    }
    return out;
  }

  /** 670 Source data found. */
  get sourceDataFound(): SourceDataFound[] {
    return dataFields(this.record, (t) => t === '670').map((field) => ({ field, citation: field.get('a'), information: field.getAll('b'), uris: field.getAll('u') }));
  }

  /** 675 Source data not found: each $a citation. */
  get sourceDataNotFound(): string[] {
    const out: string[] = [];
    for (const field of dataFields(this.record, (t) => t === '675')) out.push(...field.getAll('a'));
    return out;
  }

  /** 7XX heading linking entries (700-788). */
  get linkingEntries(): LinkingEntry[] {
    const out: LinkingEntry[] = [];
    for (const field of dataFields(this.record, (t) => t >= '700' && t <= '788')) {
      const heading = readHeading(field);
      if (heading !== undefined) out.push({ ...heading, thesaurus: field.ind2, source: field.get('2') });
    }
    return out;
  }

  /** The 008 as typed values, or undefined when the record has none. */
  get fixedData(): Authority008 | undefined {
    const data = this.record.getControlField('008')?.data;
    return data === undefined ? undefined : parseAuthority008(data);
  }

  get controlNumber(): string | undefined {
    return this.record.getControlField('001')?.data;
  }
}

export function isAuthority(record: Record): boolean {
  return record.leader.recordType === 'z';
}

/** The authority view of `record`; throws RecordTypeError for any other record type. */
export function authority(record: Record): AuthorityRecord {
  return new AuthorityRecord(record);
}

/** Authority records from a file or buffer; the first record of another type throws RecordTypeError. */
export function readAuthorityRecordsSync(source: SyncSource, options: ReadOptions = {}): Iterable<AuthorityRecord> {
  return {
    *[Symbol.iterator]() {
      for (const record of readRecordsSync(source, options)) yield new AuthorityRecord(record);
    },
  };
}
