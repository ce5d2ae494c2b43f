/**
 * MARC 21 code tables for the coded leader positions (05-09, 17-19), per record format.
 *
 * The five MARC 21 formats share the leader's structure but not its codes: leader/06 says which
 * format a record is in (z authority, u v x y holdings, w classification, q community
 * information, anything else bibliographic), and 17 means "encoding level" in all of them with
 * entirely different codes. Tables follow the Library of Congress MARC 21 field lists
 * (loc.gov/marc/{bibliographic,authority,holdings,classification,community}); blank is written
 * ' ' here where LC writes '#'. Obsolete codes are kept apart so that old records can still be
 * described while validation reports them.
 */

export type MarcFormat = 'bibliographic' | 'authority' | 'holdings' | 'classification' | 'community';

/** Leader positions whose values are codes (as opposed to lengths and the entry map). */
export const CODED_LEADER_POSITIONS = [5, 6, 7, 8, 9, 17, 18, 19] as const;
export type CodedLeaderPosition = (typeof CODED_LEADER_POSITIONS)[number];

export interface LeaderPositionDefinition {
  /** LC's name for the position in this format. */
  readonly name: string;
  /** Current codes and their LC descriptions. */
  readonly values: Readonly<{ [code: string]: string }>;
  /** Codes MARC 21 made obsolete; described, but not valid. */
  readonly obsolete?: Readonly<{ [code: string]: string }>;
}

type FormatTable = Readonly<{ [P in CodedLeaderPosition]: LeaderPositionDefinition }>;

// Positions a format leaves undefined must hold a blank.
const UNDEFINED: LeaderPositionDefinition = { name: 'Undefined', values: { ' ': 'Undefined' } };

const CHARACTER_CODING: LeaderPositionDefinition = {
  name: 'Character coding scheme',
  values: { ' ': 'MARC-8', a: 'UCS/Unicode' },
};

const BIBLIOGRAPHIC_TYPES: { [code: string]: string } = {
  a: 'Language material',
  c: 'Notated music',
  d: 'Manuscript notated music',
  e: 'Cartographic material',
  f: 'Manuscript cartographic material',
  g: 'Projected medium',
  i: 'Nonmusical sound recording',
  j: 'Musical sound recording',
  k: 'Two-dimensional nonprojectable graphic',
  m: 'Computer file',
  o: 'Kit',
  p: 'Mixed materials',
  r: 'Three-dimensional artifact or naturally occurring object',
  t: 'Manuscript language material',
};

const BIBLIOGRAPHIC_OBSOLETE_TYPES: { [code: string]: string } = {
  b: 'Archival and manuscripts control',
  h: 'Microform publications',
  n: 'Special instructional material',
};

const FORMAT_TYPES: Readonly<{ [F in Exclude<MarcFormat, 'bibliographic'>]: { [code: string]: string } }> = {
  authority: { z: 'Authority data' },
  holdings: {
    u: 'Unknown',
    v: 'Multipart item holdings',
    x: 'Single-part item holdings',
    y: 'Serial item holdings',
  },
  classification: { w: 'Classification data' },
  community: { q: 'Community information' },
};

// Leader/06 is what decides the format, so it is described from every format's codes at once.
const TYPE_OF_RECORD: LeaderPositionDefinition = {
  name: 'Type of record',
  values: { ...BIBLIOGRAPHIC_TYPES, ...FORMAT_TYPES.authority, ...FORMAT_TYPES.holdings, ...FORMAT_TYPES.classification, ...FORMAT_TYPES.community },
  obsolete: BIBLIOGRAPHIC_OBSOLETE_TYPES,
};

const TABLES: Readonly<{ [F in MarcFormat]: FormatTable }> = {
  bibliographic: {
    5: {
      name: 'Record status',
      values: {
        a: 'Increase in encoding level',
        c: 'Corrected or revised',
        d: 'Deleted',
        n: 'New',
        p: 'Increase in encoding level from prepublication',
      },
    },
    6: TYPE_OF_RECORD,
    7: {
      name: 'Bibliographic level',
      values: {
        a: 'Monographic component part',
        b: 'Serial component part',
        c: 'Collection',
        d: 'Subunit',
        i: 'Integrating resource',
        m: 'Monograph/Item',
        s: 'Serial',
      },
    },
    8: { name: 'Type of control', values: { ' ': 'No specified type', a: 'Archival' } },
    9: CHARACTER_CODING,
    17: {
      name: 'Encoding level',
      values: {
        ' ': 'Full level',
        '1': 'Full level, material not examined',
        '2': 'Less-than-full level, material not examined',
        '3': 'Abbreviated level',
        '4': 'Core level',
        '5': 'Partial (preliminary) level',
        '7': 'Minimal level',
        '8': 'Prepublication level',
        u: 'Unknown',
        z: 'Not applicable',
      },
    },
    18: {
      name: 'Descriptive cataloging form',
      values: {
        ' ': 'Non-ISBD',
        a: 'AACR 2',
        c: 'ISBD punctuation omitted',
        i: 'ISBD punctuation included',
        n: 'Non-ISBD punctuation omitted',
        u: 'Unknown',
      },
      obsolete: { p: 'Partial ISBD (BK)', r: 'Provisional (VM MP MU)' },
    },
    19: {
      name: 'Multipart resource record level',
      values: {
        ' ': 'Not specified or not applicable',
        a: 'Set',
        b: 'Part with independent title',
        c: 'Part with dependent title',
      },
    },
  },
  authority: {
    5: {
      name: 'Record status',
      values: {
        a: 'Increase in encoding level',
        c: 'Corrected or revised',
        d: 'Deleted',
        n: 'New',
        o: 'Obsolete',
        s: 'Deleted; heading split into two or more headings',
        x: 'Deleted; heading replaced by another heading',
      },
    },
    6: TYPE_OF_RECORD,
    7: UNDEFINED,
    8: UNDEFINED,
    9: CHARACTER_CODING,
    17: {
      name: 'Encoding level',
      values: { n: 'Complete authority record', o: 'Incomplete authority record' },
      obsolete: { '0': 'Full level (CAN/MARC)', '1': 'RECON record (CAN/MARC)', '3': 'Incomplete record (CAN/MARC)' },
    },
    18: {
      name: 'Punctuation policy',
      values: {
        ' ': 'No information provided',
        c: 'Punctuation omitted',
        i: 'Punctuation included',
        u: 'Unknown',
      },
    },
    19: UNDEFINED,
  },
  holdings: {
    5: { name: 'Record status', values: { c: 'Corrected or revised', d: 'Deleted', n: 'New' } },
    6: TYPE_OF_RECORD,
    7: UNDEFINED,
    8: UNDEFINED,
    9: CHARACTER_CODING,
    17: {
      name: 'Encoding level',
      values: {
        '1': 'Holdings level 1',
        '2': 'Holdings level 2',
        '3': 'Holdings level 3',
        '4': 'Holdings level 4',
        '5': 'Holdings level 4 with piece designation',
        m: 'Mixed level',
        u: 'Unknown',
        z: 'Other level',
      },
    },
    18: { name: 'Item information in record', values: { i: 'Item information', n: 'No item information' } },
    19: UNDEFINED,
  },
  classification: {
    5: {
      name: 'Record status',
      values: { a: 'Increase in encoding level', c: 'Corrected or revised', d: 'Deleted', n: 'New' },
    },
    6: TYPE_OF_RECORD,
    7: UNDEFINED,
    8: UNDEFINED,
    9: CHARACTER_CODING,
    17: {
      name: 'Encoding level',
      values: { n: 'Complete classification record', o: 'Incomplete classification record' },
    },
    18: UNDEFINED,
    19: UNDEFINED,
  },
  community: {
    5: { name: 'Record status', values: { c: 'Corrected or revised', d: 'Deleted', n: 'New' } },
    6: TYPE_OF_RECORD,
    7: {
      name: 'Kind of data',
      values: { n: 'Individual', o: 'Organization', p: 'Program or service', q: 'Event', z: 'Other' },
    },
    8: UNDEFINED,
    9: CHARACTER_CODING,
    17: UNDEFINED,
    18: UNDEFINED,
    19: UNDEFINED,
  },
};

const FORMATS: readonly MarcFormat[] = ['bibliographic', 'authority', 'holdings', 'classification', 'community'];

/**
 * The format leader/06 `code` belongs to. Codes no format defines (and the obsolete
 * bibliographic ones) count as bibliographic, the format nearly every such record is in.
 */
export function formatOfRecordType(code: string): MarcFormat {
  for (const format of FORMATS) {
    if (format !== 'bibliographic' && Object.hasOwn(FORMAT_TYPES[format], code)) return format;
  }
  return 'bibliographic';
}

/** `recordType` is a leader/06 code ('z') or a format name ('authority'); default bibliographic. */
function resolveFormat(recordType: string | undefined): MarcFormat {
  if (recordType === undefined) return 'bibliographic';
  if ((FORMATS as readonly string[]).includes(recordType)) return recordType as MarcFormat;
  return formatOfRecordType(recordType);
}

function isCodedPosition(position: number): position is CodedLeaderPosition {
  return (CODED_LEADER_POSITIONS as readonly number[]).includes(position);
}

/**
 * The definition of coded leader `position` in the format of `recordType` (a leader/06 code or a
 * format name; bibliographic when omitted). Undefined for positions that hold no codes.
 */
export function leaderPositionDefinition(position: number, recordType?: string): LeaderPositionDefinition | undefined {
  if (!isCodedPosition(position)) return undefined;
  return TABLES[resolveFormat(recordType)][position];
}

/** LC's name for leader `position` in the given format ('Encoding level', 'Punctuation policy', …). */
export function leaderPositionName(position: number, recordType?: string): string | undefined {
  const definition = leaderPositionDefinition(position, recordType);
  if (definition !== undefined) return definition.name;
  return STRUCTURAL_NAMES[position];
}

/**
 * LC's description of `value` at coded leader `position` in the format of `recordType`:
 * `describeLeaderValue(6, 'a')` → 'Language material', `describeLeaderValue(17, 'n', 'z')` →
 * 'Complete authority record'. Obsolete codes are described with ' [obsolete]' appended.
 * Undefined for values the format does not define, and for positions that hold no codes.
 */
export function describeLeaderValue(position: number, value: string, recordType?: string): string | undefined {
  const definition = leaderPositionDefinition(position, recordType);
  if (definition === undefined) return undefined;
  if (Object.hasOwn(definition.values, value)) return definition.values[value];
  if (definition.obsolete !== undefined && Object.hasOwn(definition.obsolete, value)) {
    return `${definition.obsolete[value]} [obsolete]`;
  }
  return undefined;
}

/**
 * True when `value` is a current MARC 21 code for coded leader `position` in the format of
 * `recordType`. Obsolete codes are not valid. Positions that hold no codes are checked against
 * their fixed MARC 21 value where there is one (10 and 11 '2', 20-23 '4500'); lengths and the
 * base address (00-04, 12-16) must be digits.
 */
export function isValidLeaderValue(position: number, value: string, recordType?: string): boolean {
  const definition = leaderPositionDefinition(position, recordType);
  if (definition !== undefined) return Object.hasOwn(definition.values, value);
  const fixed = FIXED_VALUES[position];
  if (fixed !== undefined) return value === fixed;
  if (position >= 0 && position <= 4) return /^[0-9]$/.test(value);
  if (position >= 12 && position <= 16) return /^[0-9]$/.test(value);
  return false;
}

/** Values MARC 21 fixes for every record (ISO 2709 allows others; MARC 21 does not). */
const FIXED_VALUES: { [position: number]: string } = { 10: '2', 11: '2', 20: '4', 21: '5', 22: '0', 23: '0' };

const STRUCTURAL_NAMES: { [position: number]: string } = {
  0: 'Record length',
  1: 'Record length',
  2: 'Record length',
  3: 'Record length',
  4: 'Record length',
  10: 'Indicator count',
  11: 'Subfield code count',
  12: 'Base address of data',
  13: 'Base address of data',
  14: 'Base address of data',
  15: 'Base address of data',
  16: 'Base address of data',
  20: 'Length of the length-of-field portion',
  21: 'Length of the starting-character-position portion',
  22: 'Length of the implementation-defined portion',
  23: 'Undefined',
};

/** The current codes for `position` in the given format, in code order, for messages. */
export function allowedLeaderValues(position: number, recordType?: string): string[] {
  const definition = leaderPositionDefinition(position, recordType);
  // Sorted because integer-like keys ('1', '2') come first in object key order, ahead of ' '.
  if (definition !== undefined) return Object.keys(definition.values).sort();
  const fixed = FIXED_VALUES[position];
  if (fixed !== undefined) return [fixed];
  if ((position >= 0 && position <= 4) || (position >= 12 && position <= 16)) return ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  return [];
}
