/**
 * A typed view of a MARC 21 holdings record (leader/06 'u', 'v', 'x', 'y'): 852 locations,
 * 853-855 captions paired with 863-865 enumerations by link number, 866-868 textual holdings,
 * 876-878 item information and the holdings 008 (MARC 21 Format for Holdings Data,
 * loc.gov/marc/holdings).
 *
 * Captions and enumerations pair through $8 `link.sequence`: 853 $8 1 describes the levels
 * ($a v., $b no., $i (year)) of every 863 whose $8 starts with `1.`. An enumeration whose link
 * has no caption is kept and reported, never dropped.
 */

import type { DataField } from '../record/field.js';
import type { Record } from '../record/record.js';
import { readRecordsSync, type SyncSource } from '../io/sync.js';
import type { ReadOptions } from '../iso2709/reader.js';
import { coded, dataFields, RecordTypeError, subfieldsOf, type CodeTable, type Coded } from './common.js';

export const HOLDINGS_RECORD_TYPES = ['u', 'v', 'x', 'y'] as const;

/** 853/863/866/876 basic bibliographic unit, 854/864/867/877 supplements, 855/865/868/878 indexes. */
export type HoldingsUnit = 'basic' | 'supplement' | 'index';

function unitOf(tag: string): HoldingsUnit {
  const last = tag.charAt(2);
  return last === '3' || last === '6' ? 'basic' : last === '4' || last === '7' ? 'supplement' : 'index';
}

export interface Location {
  field: DataField;
  /** $a location (institution code). */
  institution: string | undefined;
  /** $b sublocation or collection. */
  sublocations: string[];
  /** $c shelving location. */
  shelvingLocations: string[];
  /** $h classification part, $i item part, $k prefix, $m suffix, joined as a call number. */
  callNumber: string | undefined;
  classificationPart: string | undefined;
  itemParts: string[];
  prefixes: string[];
  suffixes: string[];
  /** $t copy number. */
  copyNumber: string | undefined;
  /** $z public notes. */
  publicNotes: string[];
  /** $x nonpublic notes. */
  nonpublicNotes: string[];
  /** $8 field link and sequence number. */
  link: string | undefined;
}

/** One level of enumeration ($a-$h) or chronology ($i-$m). */
export interface Level {
  code: string;
  kind: 'enumeration' | 'chronology';
  /** From the caption field: 'v.', 'no.', '(year)'. */
  caption: string | undefined;
  /** From the enumeration field; undefined in a caption. */
  value?: string;
}

export interface Caption {
  field: DataField;
  unit: HoldingsUnit;
  /** $8 link number. */
  link: string;
  levels: Level[];
  /** $w frequency. */
  frequency: string | undefined;
}

export interface Enumeration {
  field: DataField;
  unit: HoldingsUnit;
  /** Link number, the part of $8 before the '.'. */
  link: string;
  /** Sequence number, the part of $8 after the '.'. */
  sequence: string;
  /** The 853-855 with the same link number, when there is one. */
  caption: Caption | undefined;
  levels: Level[];
  /** Levels with their captions, e.g. 'v.1-10:no.1-12 (1990-1999)'. */
  display: string;
  publicNotes: string[];
}

export interface TextualHoldings {
  field: DataField;
  unit: HoldingsUnit;
  /** $a textual string. */
  text: string | undefined;
  publicNotes: string[];
  nonpublicNotes: string[];
  link: string | undefined;
}

export interface ItemInformation {
  field: DataField;
  unit: HoldingsUnit;
  /** $a internal item number. */
  internalNumber: string | undefined;
  /** $p piece designation (usually the barcode). */
  pieceDesignations: string[];
  /** $t copy number. */
  copyNumber: string | undefined;
  /** $j item status. */
  statuses: string[];
  /** $l temporary location. */
  temporaryLocations: string[];
  /** $c cost. */
  costs: string[];
  /** $d date acquired. */
  datesAcquired: string[];
  /** $h use restrictions. */
  useRestrictions: string[];
  /** $3 materials specified. */
  materialsSpecified: string | undefined;
  publicNotes: string[];
  nonpublicNotes: string[];
  link: string | undefined;
}

export interface HoldingsProblem {
  field: DataField;
  message: string;
}

const FILL = { '|': 'No attempt to code' };

// Holdings 008 (loc.gov/marc/holdings/hd008.html): 32 characters.
export const HOLDINGS_008: Readonly<{ [name: string]: { position: number; length?: number; label: string; codes?: CodeTable } }> = {
  receiptOrAcquisitionStatus: { position: 6, label: 'Receipt or acquisition status', codes: { '0': 'Unknown', '1': 'Other receipt or acquisition status', '2': 'Received and complete or ceased', '3': 'On order', '4': 'Currently received', '5': 'Not currently received', ...FILL } },
  methodOfAcquisition: { position: 7, label: 'Method of acquisition', codes: { c: 'Cooperative or consortial purchase', d: 'Deposit', e: 'Exchange', f: 'Free', g: 'Gift', l: 'Legal deposit', m: 'Membership', n: 'Non-library purchase', p: 'Purchase', q: 'Lease', u: 'Unknown', z: 'Other method of acquisition', ...FILL } },
  expectedAcquisitionEndDate: { position: 8, length: 4, label: 'Expected acquisition end date' },
  generalRetentionPolicy: { position: 12, label: 'General retention policy', codes: { '0': 'Unknown', '1': 'Other general retention policy', '2': 'Retained except as replaced by updates', '3': 'Sample issue retained', '4': 'Retained until replaced by microform', '5': 'Retained until replaced by cumulation, replacement volume, or revision', '6': 'Retained for a limited period', '7': 'Not retained', '8': 'Permanently retained', ...FILL } },
  specificRetentionPolicyType: { position: 13, label: 'Specific retention policy: policy type', codes: { ' ': 'No information provided', l: 'Latest', p: 'Previous', ...FILL } },
  specificRetentionPolicyUnits: { position: 14, label: 'Specific retention policy: number of units' },
  specificRetentionPolicyUnitType: { position: 15, label: 'Specific retention policy: unit type', codes: { ' ': 'No information provided', m: 'Month(s)', w: 'Week(s)', y: 'Year(s)', e: 'Edition(s)', i: 'Issue(s)', s: 'Supplement(s)', ...FILL } },
  completeness: { position: 16, label: 'Completeness', codes: { '0': 'Other', '1': 'Complete', '2': 'Incomplete', '3': 'Scattered', '4': 'Not applicable', ...FILL } },
  numberOfCopiesReported: { position: 17, length: 3, label: 'Number of copies reported' },
  lendingPolicy: { position: 20, label: 'Lending policy', codes: { a: 'Will lend', b: 'Will not lend', c: 'Will lend hard copy only', l: 'Limited lending policy', u: 'Unknown', ...FILL } },
  reproductionPolicy: { position: 21, label: 'Reproduction policy', codes: { a: 'Will reproduce', b: 'Will not reproduce', u: 'Unknown', ...FILL } },
  language: { position: 22, length: 3, label: 'Language' },
  separateOrCompositeCopyReport: { position: 25, label: 'Separate or composite copy report', codes: { '0': 'Separate copy report', '1': 'Composite copy report', ...FILL } },
  dateOfReport: { position: 26, length: 6, label: 'Date of report' },
};

export interface Holdings008 {
  raw: string;
  /** True when it has the 32 characters MARC 21 defines. */
  complete: boolean;
  dateEnteredOnFile: string;
  receiptOrAcquisitionStatus: Coded;
  methodOfAcquisition: Coded;
  expectedAcquisitionEndDate: string;
  generalRetentionPolicy: Coded;
  specificRetentionPolicyType: Coded;
  specificRetentionPolicyUnits: string;
  specificRetentionPolicyUnitType: Coded;
  completeness: Coded;
  numberOfCopiesReported: string;
  lendingPolicy: Coded;
  reproductionPolicy: Coded;
  language: string;
  separateOrCompositeCopyReport: Coded;
  dateOfReport: string;
}

export function parseHoldings008(data: string): Holdings008 {
  const out: { [k: string]: unknown } = { raw: data, complete: data.length === 32, dateEnteredOnFile: data.slice(0, 6) };
  for (const [name, def] of Object.entries(HOLDINGS_008)) {
    const length = def.length ?? 1;
    out[name] = def.codes === undefined ? data.slice(def.position, def.position + length) : coded(data, def.position, length, def.codes);
  }
  return out as unknown as Holdings008;
}

const ENUMERATION_CODES = 'abcdefgh';
const CHRONOLOGY_CODES = 'ijklm';

function levelsOf(field: DataField, withValues: boolean, caption?: Caption): Level[] {
  const out: Level[] = [];
  for (const { code, value } of subfieldsOf(field)) {
    const kind = ENUMERATION_CODES.includes(code) ? 'enumeration' : CHRONOLOGY_CODES.includes(code) && code !== '' ? 'chronology' : null;
    if (kind === null) continue;
    const level: Level = { code, kind, caption: withValues ? caption?.levels.find((l) => l.code === code)?.caption : value };
    if (withValues) level.value = value;
    out.push(level);
  }
  return out;
}

function splitLink(value: string | undefined): [string, string] {
  if (value === undefined) return ['', ''];
  const dot = value.indexOf('.');
  return dot < 0 ? [value.trim(), ''] : [value.slice(0, dot).trim(), value.slice(dot + 1).trim()];
}

/** 'v.1-10:no.1-12 (1990-1999)': enumeration levels joined by ':', chronology in parentheses. */
function display(levels: Level[]): string {
  const shown = (l: Level): string => {
    const caption = l.caption ?? '';
    // A caption in parentheses ('(year)') names the level without being printed.
    return (caption.startsWith('(') ? '' : caption) + (l.value ?? '');
  };
  const enumeration = levels.filter((l) => l.kind === 'enumeration').map(shown).join(':');
  const chronology = levels.filter((l) => l.kind === 'chronology').map(shown).join(':');
  if (enumeration === '') return chronology;
  return chronology === '' ? enumeration : `${enumeration} (${chronology})`;
}

export class HoldingsRecord {
  readonly record: Record;

  /** Throws RecordTypeError unless leader/06 is u, v, x or y. */
  constructor(record: Record) {
    if (!isHoldings(record)) throw new RecordTypeError(record, HOLDINGS_RECORD_TYPES, 'a holdings record');
    this.record = record;
  }

  /** 852 locations. */
  get locations(): Location[] {
    return dataFields(this.record, (t) => t === '852').map((field) => {
      const classificationPart = field.get('h');
      const itemParts = field.getAll('i');
      const prefixes = field.getAll('k');
      const suffixes = field.getAll('m');
      const parts = [...prefixes, classificationPart, ...itemParts, ...suffixes].filter((p): p is string => p !== undefined && p.trim() !== '');
      return {
        field,
        institution: field.get('a'),
        sublocations: field.getAll('b'),
        shelvingLocations: field.getAll('c'),
        callNumber: parts.length === 0 ? undefined : parts.map((p) => p.trim()).join(' '),
        classificationPart,
        itemParts,
        prefixes,
        suffixes,
        copyNumber: field.get('t'),
        publicNotes: field.getAll('z'),
        nonpublicNotes: field.getAll('x'),
        link: field.get('8'),
      };
    });
  }

  /** 853-855 captions and patterns. */
  get captions(): Caption[] {
    return dataFields(this.record, (t) => t === '853' || t === '854' || t === '855').map((field) => ({
      field,
      unit: unitOf(field.tag),
      link: splitLink(field.get('8'))[0],
      levels: levelsOf(field, false),
      frequency: field.get('w'),
    }));
  }

  /** 863-865 enumeration and chronology, each with its caption when one has its link number. */
  get enumerations(): Enumeration[] {
    return this.#pair().enumerations;
  }

  /** Enumerations without a caption, and captions claimed twice. */
  get problems(): HoldingsProblem[] {
    return this.#pair().problems;
  }

  #pair(): { enumerations: Enumeration[]; problems: HoldingsProblem[] } {
    const problems: HoldingsProblem[] = [];
    const byKey = new Map<string, Caption>();
    for (const caption of this.captions) {
      const key = `${caption.unit}|${caption.link}`;
      if (byKey.has(key)) problems.push({ field: caption.field, message: `${caption.field.tag} link number ${JSON.stringify(caption.link)} is used by an earlier ${caption.field.tag}` });
      else byKey.set(key, caption);
    }
    const enumerations = dataFields(this.record, (t) => t === '863' || t === '864' || t === '865').map((field) => {
      const unit = unitOf(field.tag);
      const [link, sequence] = splitLink(field.get('8'));
      const caption = byKey.get(`${unit}|${link}`);
      if (caption === undefined) {
        const captionTag = `85${field.tag.charAt(2)}`;
        problems.push({ field, message: `${field.tag} $8 ${JSON.stringify(field.get('8') ?? '')} has no ${captionTag} with link number ${JSON.stringify(link)}` });
      }
      const levels = levelsOf(field, true, caption);
      return { field, unit, link, sequence, caption, levels, display: display(levels), publicNotes: field.getAll('z') };
    });
    return { enumerations, problems };
  }

  /** 866-868 textual holdings. */
  get textualHoldings(): TextualHoldings[] {
    return dataFields(this.record, (t) => t === '866' || t === '867' || t === '868').map((field) => ({
      field,
      unit: unitOf(field.tag),
      text: field.get('a'),
      publicNotes: field.getAll('z'),
      nonpublicNotes: field.getAll('x'),
      link: field.get('8'),
    }));
  }

  /** 876-878 item information. */
  get items(): ItemInformation[] {
    return dataFields(this.record, (t) => t === '876' || t === '877' || t === '878').map((field) => ({
      field,
      unit: unitOf(field.tag),
      internalNumber: field.get('a'),
      pieceDesignations: field.getAll('p'),
      copyNumber: field.get('t'),
      statuses: field.getAll('j'),
      temporaryLocations: field.getAll('l'),
      costs: field.getAll('c'),
      datesAcquired: field.getAll('d'),
      useRestrictions: field.getAll('h'),
      materialsSpecified: field.get('3'),
      publicNotes: field.getAll('z'),
      nonpublicNotes: field.getAll('x'),
      link: field.get('8'),
    }));
  }

  /** The 008 as typed values, or undefined when the record has none. */
  get fixedData(): Holdings008 | undefined {
    const data = this.record.getControlField('008')?.data;
    return data === undefined ? undefined : parseHoldings008(data);
  }

  /** 004 Control number for related bibliographic record. */
  get bibliographicControlNumber(): string | undefined {
    return this.record.getControlField('004')?.data;
  }
}

export function isHoldings(record: Record): boolean {
  return (HOLDINGS_RECORD_TYPES as readonly string[]).includes(record.leader.recordType);
}

/** The holdings view of `record`; throws RecordTypeError for any other record type. */
export function holdings(record: Record): HoldingsRecord {
  return new HoldingsRecord(record);
}

/** Holdings records from a file or buffer; the first record of another type throws RecordTypeError. */
export function readHoldingsRecordsSync(source: SyncSource, options: ReadOptions = {}): Iterable<HoldingsRecord> {
  return {
    *[Symbol.iterator]() {
      for (const record of readRecordsSync(source, options)) yield new HoldingsRecord(record);
    },
  };
}
