/**
 * The ISO 2709 builder: one record's bytes → a lazy `Record`.
 *
 * It reads the leader and directory into integers and checks every field's terminator, which is
 * cheap, and leaves strings for later. Repairs follow the two sources of truth real files give us:
 * the directory and the terminators (0x1E, 0x1D). When they disagree, the terminators win, because
 * exporters that miscount (characters for bytes, stale lengths) still write terminators.
 */

import { MarcError, hexWindow, modeOf, type ErrorCode, type MarcErrorContext, type Mode } from '../errors.js';
import { getDecoder, normaliseEncodingName, utf8Decoder, type DecodeProblem, type FieldDecoder } from '../encoding/charset.js';
import { ControlField, DataField, isPlainCode, type Field, type FieldSource } from '../record/field.js';
import { Record, type LazyFields, type RecordOrigin } from '../record/record.js';
import { indexOfByte, isAscii, isUtf8, latin1, firstInvalidUtf8 } from '../util/bytes.js';
import * as iso from './constants.js';
import { detectEncoding } from '../encoding/marc8/detect.js';
import { firstBytesHint } from './scanner.js';
import { marc21Checks } from '../validate/hook.js';
// Leader/09 blank means MARC-8, so reading ISO 2709 always needs the MARC-8 decoder registered.
import '../encoding/marc8/index.js';

// Module-local copies of the constants: TurboFan loads an imported binding from its module cell,
// with a hole check, at every use in the loops below; a local const is folded into the code
// (read: 6.7% fewer instructions).
const DIRECTORY_ENTRY_LENGTH = iso.DIRECTORY_ENTRY_LENGTH;
const FIELD_TERMINATOR = iso.FIELD_TERMINATOR;
const LEADER_LENGTH = iso.LEADER_LENGTH;
const RECORD_TERMINATOR = iso.RECORD_TERMINATOR;
const SUBFIELD_DELIMITER = iso.SUBFIELD_DELIMITER;

export interface ParseOptions {
  /** 'strict' (default) throws at the first defect; 'lenient' and 'permissive' repair and record. */
  mode?: Mode;
  /**
   * 'auto' (default) follows leader/09 ('a' UTF-8, blank MARC-8); any other name overrides it:
   * 'utf-8', 'marc-8', or a legacy charset TextDecoder knows ('windows-1251', 'ibm866', 'latin1').
   */
  encoding?: string;
  /** Passed to the MARC-8 decoder: Unicode normalisation of decoded text (default 'NFC'). */
  normalize?: 'NFC' | 'NFD' | false;
  /** Further MARC-8 decoder options (`ligatureHalves`, `expandNcr`; see docs/marc8.md). */
  marc8?: { ligatureHalves?: boolean; expandNcr?: boolean };
  /**
   * Find every decoding problem now, at read time, rather than on access: every field is decoded,
   * unless a pass over the record's bytes shows decoding could find nothing (then its fields
   * decode on first access, as usual).
   */
  eager?: boolean;
  /**
   * 'structure' (default) checks what reading needs. 'marc21' also checks leader values (E002),
   * indicators against each tag's MARC 21 rules (E201) and subfield codes (E202), and decodes every
   * field (as `eager`): mrrc's strict_marc level. Real catalogues fail it more often than you'd
   * think (LC's own records use indicators the rules call obsolete); use `validate()` for a report.
   */
  validation?: 'structure' | 'marc21';
  /** Limits, against hostile input. */
  maxFields?: number;
  /** Subfields in one field above which decoding reports E008. */
  maxSubfields?: number;
  /** Context for error messages, filled in by readers. */
  recordIndex?: number;
  recordOffset?: number;
}

export const DEFAULT_MAX_FIELDS = 10_000;

interface Problem {
  code: ErrorCode;
  detail: string;
  at: number;
  tag?: string;
}

/** Thrown inside the builder for a defect that ends the record in every mode. */
class Unreadable extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

const decoderCache = new Map<string, FieldDecoder>();

function decoderFor(name: string, options: ParseOptions): FieldDecoder {
  const { normalize, marc8 } = options;
  const key = `${name}|${String(normalize)}|${marc8?.ligatureHalves === true}|${marc8?.expandNcr !== false}`;
  let decoder = decoderCache.get(key);
  if (decoder === undefined) {
    decoder = getDecoder(name, normalize === undefined && marc8 === undefined ? undefined : { ...marc8, ...(normalize === undefined ? {} : { normalize }) });
    decoderCache.set(key, decoder);
  }
  return decoder;
}

/**
 * Everything one parsed record needs later, in one object: the bytes and directory the lazy
 * fields decode from, the context errors are built with, and the origin a writer checks before
 * copying bytes through. One allocation instead of four, because `read` is counted in hundreds
 * of nanoseconds per record.
 */
class IsoRecordSource implements FieldSource, LazyFields, RecordOrigin {
  #asciiText: string | null | undefined;
  #controlNumber: string | undefined | null = null;
  #reported: Set<string> | null = null;
  /** Errors found while building; handed to the record, which owns them afterwards. */
  errors: MarcError[] | null = null;
  record: Record | null = null;
  decoder: FieldDecoder = utf8Decoder;
  ascii = false;
  utf8Compatible = false;
  encoding = 'utf-8';
  clean = true;
  maxSubfields: number | undefined = undefined;
  /** Per entry: tag offset, data start, data end (exclusive, before the terminator). */
  entries: number[] = EMPTY_ENTRIES;
  count = 0;

  constructor(
    readonly raw: Uint8Array,
    readonly mode: Mode,
    readonly recordIndex: number | undefined,
    readonly recordOffset: number | undefined,
  ) {}

  get bytes(): Uint8Array {
    return this.raw;
  }

  get source(): FieldSource {
    return this;
  }

  /**
   * The leader as the record holds it. Text that was not ASCII has been decoded to Unicode, so
   * the record says so (leader/09 'a'), whatever the bytes were; the raw bytes keep theirs.
   */
  get leader(): string {
    const text = latin1(this.raw, 0, LEADER_LENGTH);
    return this.ascii || text.charCodeAt(9) === 0x61 ? text : text.slice(0, 9) + 'a' + text.slice(10);
  }

  get asciiText(): string | null {
    if (this.#asciiText === undefined) this.#asciiText = this.ascii ? latin1(this.raw, 0, this.raw.length) : null;
    return this.#asciiText;
  }

  /** Looked up only when an error needs it: most records never pay for it. */
  get controlNumber(): string | undefined {
    if (this.#controlNumber === null) this.#controlNumber = findControlNumber(this.raw);
    return this.#controlNumber;
  }

  error(code: ErrorCode, detail: string, at: number, tag?: string, subfieldCode?: string, severity?: 'warning' | 'error'): MarcError {
    detail += firstBytesHint(this.raw, this.recordOffset ?? 0);
    const context: MarcErrorContext = {
      recordIndex: this.recordIndex,
      recordOffset: this.recordOffset,
      byteOffset: (this.recordOffset ?? 0) + at,
      controlNumber: this.controlNumber,
      tag,
      subfieldCode,
      bytesNear: hexWindow(this.raw, Math.min(Math.max(at, 0), this.raw.length - 1)),
      source: 'iso2709',
    };
    return new MarcError(code, detail, context, severity === undefined ? undefined : { severity });
  }

  /** A defect that can be repaired: throws in strict mode, is recorded otherwise. */
  repair(code: ErrorCode, detail: string, at: number, tag?: string): void {
    if (this.mode === 'strict') throw this.error(code, detail, at, tag);
    (this.errors ??= []).push(this.error(code, detail, at, tag, undefined, 'warning'));
  }

  /** Decoding problems found after the record was handed out go to the record's own list. */
  report(problems: DecodeProblem[], tag: string, subfieldCode?: string): void {
    for (const p of problems) {
      const error = this.error(p.code, p.message, p.offset, tag, subfieldCode ?? this.#subfieldAt(p.offset));
      if (this.mode === 'strict') throw error;
      // A field a writer builds for one write and drops (re-encoding to MARC-8, say) decodes
      // again next time: its problems go on the record's list once.
      const key = `${p.code} ${p.offset} ${tag} ${p.message}`;
      if ((this.#reported ??= new Set()).has(key)) continue;
      this.#reported.add(key);
      if (this.record !== null) this.record.errors.push(error);
      else (this.errors ??= []).push(error);
    }
  }

  /** The code of the subfield holding byte `offset` (error path only: a backwards scan). */
  #subfieldAt(offset: number): string | undefined {
    for (let i = Math.min(offset, this.raw.length - 1); i >= LEADER_LENGTH; i--) {
      const b = this.raw[i] as number;
      if (b === FIELD_TERMINATOR || b === RECORD_TERMINATOR) return undefined;
      if (b === SUBFIELD_DELIMITER && i < offset) return String.fromCharCode(this.raw[i + 1] as number);
    }
    return undefined;
  }

  tagAt(index: number): string {
    const at = this.entries[index * 3] as number;
    const bytes = this.raw;
    return internTag(bytes[at] as number, bytes[at + 1] as number, bytes[at + 2] as number);
  }

  tagEquals(index: number, tag: string): boolean {
    if (tag.length !== 3) return false;
    const bytes = this.raw;
    const at = this.entries[index * 3] as number;
    return bytes[at] === tag.charCodeAt(0) && bytes[at + 1] === tag.charCodeAt(1) && bytes[at + 2] === tag.charCodeAt(2);
  }

  startOf(index: number): number {
    return this.entries[index * 3 + 1] as number;
  }

  endOf(index: number): number {
    return this.entries[index * 3 + 2] as number;
  }

  tagOffsetOf(index: number): number {
    return this.entries[index * 3] as number;
  }

  build(index: number): Field {
    const bytes = this.raw;
    const entries = this.entries;
    const at = entries[index * 3] as number;
    const a = bytes[at] as number;
    const b = bytes[at + 1] as number;
    const c = bytes[at + 2] as number;
    const tag = internTag(a, b, c);
    const start = entries[index * 3 + 1] as number;
    const end = entries[index * 3 + 2] as number;
    // isControlTag, on the bytes already in hand (written out here: this runs for every field built,
    // and the call measured a few percent more instructions in callgrind).
    if (a === 48 && b === 48 && c >= 48 && c <= 57) return ControlField.fromSource(tag, this, start, end);
    // Indicators are single bytes; a non-ASCII one is kept as its Latin-1 char, never dropped.
    const ind1 = end - start >= 1 ? (LATIN1_CHARS[bytes[start] as number] as string) : ' ';
    const ind2 = end - start >= 2 ? (LATIN1_CHARS[bytes[start + 1] as number] as string) : ' ';
    const dataStart = Math.min(start + 2, end);
    return DataField.fromSource(tag, ind1, ind2, this, dataStart, end, end - start >= 2);
  }
}

const EMPTY_ENTRIES: number[] = [];

// Tags repeat across millions of records: one shared string per tag instead of one per field.
// Digit tags (nearly all) index an array directly; a Map lookup cost ~15 ns a field.
const digitTags: (string | undefined)[] = new Array<string | undefined>(1000).fill(undefined);
const otherTags = new Map<number, string>();

function internTag(a: number, b: number, c: number): string {
  const d0 = a - 48;
  const d1 = b - 48;
  const d2 = c - 48;
  if (d0 >>> 0 <= 9 && d1 >>> 0 <= 9 && d2 >>> 0 <= 9) {
    const key = d0 * 100 + d1 * 10 + d2;
    return digitTags[key] ?? (digitTags[key] = String.fromCharCode(a, b, c));
  }
  const key = (a << 16) | (b << 8) | c;
  let tag = otherTags.get(key);
  if (tag === undefined) {
    tag = String.fromCharCode(a, b, c);
    if (otherTags.size < 65536) otherTags.set(key, tag);
  }
  return tag;
}

const LATIN1_CHARS: readonly string[] = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));

/**
 * The number in `length` (4 or 5, or any other) ASCII digits at `at`, or -1. Unrolled: a directory
 * entry holds two of these, and the loop form cost ~150 instructions a call in V8 (callgrind).
 */
function digitsAt(bytes: Uint8Array, at: number, length: number): number {
  if (length === 4 || length === 5) {
    const d0 = (bytes[at] as number) - 48;
    const d1 = (bytes[at + 1] as number) - 48;
    const d2 = (bytes[at + 2] as number) - 48;
    const d3 = (bytes[at + 3] as number) - 48;
    // `>>> 0` makes a negative difference huge, so one unsigned comparison rejects both sides.
    if (d0 >>> 0 > 9 || d1 >>> 0 > 9 || d2 >>> 0 > 9 || d3 >>> 0 > 9) return -1;
    const n = d0 * 1000 + d1 * 100 + d2 * 10 + d3;
    if (length === 4) return n;
    const d4 = (bytes[at + 4] as number) - 48;
    return d4 >>> 0 > 9 ? -1 : n * 10 + d4;
  }
  let n = 0;
  for (let i = at; i < at + length; i++) {
    const d = (bytes[i] as number) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Parses one record. `bytes` is exactly the record (the reader's scanner framed it); in strict mode
 * any defect throws a `MarcError`, otherwise repairs are listed in `record.errors` and only a record
 * that cannot be read at all throws.
 */
export function parseRecord(bytes: Uint8Array, options: ParseOptions = {}): Record {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`parseRecord: expected the record's bytes (a Uint8Array), not ${bytes === null ? 'null' : typeof bytes}`);
  modeOf(options.mode);
  return parseRecordAt(bytes, options, options.recordIndex, options.recordOffset);
}

/**
 * @internal The parse options as an object of one fixed shape, made once per reader. The parser
 * reads them for every record: options of many shapes (a map worker spreads a new object for each
 * task) made TurboFan throw away `build` twice in each worker ('wrong map' at `maxFields`), three
 * compilations of ~30 ms each on the cores the workers need.
 */
export function parsePlan(options: ParseOptions): ParseOptions {
  return {
    mode: options.mode,
    encoding: options.encoding,
    normalize: options.normalize,
    marc8: options.marc8,
    eager: options.eager,
    validation: options.validation,
    maxFields: options.maxFields,
    maxSubfields: options.maxSubfields,
    recordIndex: undefined,
    recordOffset: undefined,
  };
}

/**
 * @internal parseRecord with the reader's index and offset passed apart from the options. Its
 * callers (the assemblers, parseRecord) have checked `mode` once, not per record.
 */
export function parseRecordAt(bytes: Uint8Array, options: ParseOptions, recordIndex: number | undefined, recordOffset: number | undefined): Record {
  const mode = options.mode ?? 'strict';
  const ctx = new IsoRecordSource(bytes, mode, recordIndex, recordOffset);
  try {
    return build(bytes, options, ctx, mode);
  } catch (e) {
    if (e instanceof Unreadable) {
      const p = e.problem;
      throw ctx.error(p.code, p.detail, p.at, p.tag);
    }
    throw e;
  }
}

function build(bytes: Uint8Array, options: ParseOptions, ctx: IsoRecordSource, mode: Mode): Record {
  const length = bytes.length;
  if (length < LEADER_LENGTH) {
    throw new Unreadable({ code: 'E005', detail: `record is ${length} bytes, shorter than a leader`, at: 0 });
  }

  // Leader 00-04: the scanner framed the record, so a wrong length is repairable here.
  const declaredLength = digitsAt(bytes, 0, 5);
  if (declaredLength < 0) {
    ctx.repair('E001', `record length ${JSON.stringify(latin1(bytes, 0, 5))} is not five digits; using the ${length} bytes up to the record terminator`, 0);
  } else if (declaredLength < LEADER_LENGTH) {
    ctx.repair('E001', `record length ${declaredLength} is below the 24-byte minimum; using the ${length} bytes up to the record terminator`, 0);
  } else if (declaredLength !== length) {
    ctx.repair('E001', `leader says ${declaredLength} bytes but the record terminator is at byte ${length - 1}`, 0);
  }

  if (!isDigitByte(bytes[10] as number) || !isDigitByte(bytes[11] as number)) {
    const at = isDigitByte(bytes[10] as number) ? 11 : 10;
    ctx.repair('E002', `leader/${at} (${at === 10 ? 'indicator count' : 'subfield code count'}) is ${JSON.stringify(String.fromCharCode(bytes[at] as number))}, not a digit; reading as MARC 21 (2)`, at);
  }

  // Base address, confirmed by the directory terminator just before it; otherwise the first
  // terminator after the leader says where the data starts (looked for only then: one search less
  // per record).
  let base = digitsAt(bytes, 12, 5);
  if (base <= LEADER_LENGTH || base > length || bytes[base - 1] !== FIELD_TERMINATOR) base = baseByDirectoryTerminator(bytes, base, ctx);
  const dirEnd = base - 1;

  if (bytes[length - 1] !== RECORD_TERMINATOR) {
    ctx.repair('E006', 'the record does not end with a record terminator (0x1D)', length - 1);
  }
  const dataLimit = bytes[length - 1] === RECORD_TERMINATOR ? length - 1 : length;

  const dirLength = dirEnd - LEADER_LENGTH;
  if (dirLength % DIRECTORY_ENTRY_LENGTH !== 0) {
    ctx.repair('E101', `directory length ${dirLength} is not a multiple of 12; the last ${dirLength % DIRECTORY_ENTRY_LENGTH} bytes are not an entry`, LEADER_LENGTH + dirLength - (dirLength % DIRECTORY_ENTRY_LENGTH));
  }
  const count = Math.floor(dirLength / DIRECTORY_ENTRY_LENGTH);
  const maxFields = options.maxFields ?? DEFAULT_MAX_FIELDS;
  if (count > maxFields) {
    throw new Unreadable({ code: 'E008', detail: `${count} directory entries exceed maxFields (${maxFields})`, at: LEADER_LENGTH });
  }
  if (count === 0) {
    // A leader, the directory terminator and the record terminator alone is a well-formed record
    // with no fields: what a writer (ours, yaz's) makes of one, so it must read back. Strict mode
    // refuses it, as pymarc does (NoFieldsFound); the other modes read the leader, with a warning.
    // Anything else without an entry holds bytes no field would keep: unreadable.
    if (dirLength !== 0 || base < dataLimit) throw new Unreadable({ code: 'E107', detail: 'the record has no directory entries', at: LEADER_LENGTH });
    ctx.repair('E107', 'the record has no fields; read as its leader alone', LEADER_LENGTH);
  }

  // A plain array of small integers allocates faster than a typed array for ~25 entries. Each
  // entry's three slots are written in the loop below, on every path (a separate zeroing pass cost
  // ~950 instructions a record more; Array.prototype.fill is a C++ call that costs more still).
  const entries: number[] = new Array<number>(count * 3);
  let needTerminatorWalk = false;
  let misshapen = false;
  let badEntries: number[] | null = null;
  for (let i = 0; i < count; i++) {
    const e = LEADER_LENGTH + i * DIRECTORY_ENTRY_LENGTH;
    entries[i * 3] = e;
    entries[i * 3 + 1] = 0;
    entries[i * 3 + 2] = 0;
    const t0 = bytes[e] as number;
    const t1 = bytes[e + 1] as number;
    const t2 = bytes[e + 2] as number;
    if (t0 < 0x20 || t0 > 0x7e || t1 < 0x20 || t1 > 0x7e || t2 < 0x20 || t2 > 0x7e) {
      ctx.repair('E101', `directory entry ${i} has a tag with non-printable or non-ASCII bytes; kept as read`, e);
    }
    const fieldLength = digitsAt(bytes, e + 3, 4);
    const start = digitsAt(bytes, e + 7, 5);
    if (fieldLength < 0 || start < 0) {
      ctx.repair('E101', `directory entry ${i} has a non-digit ${fieldLength < 0 ? 'length' : 'starting position'}; located by field terminators`, fieldLength < 0 ? e + 3 : e + 7);
      (badEntries ??= []).push(i);
      needTerminatorWalk = true;
      continue;
    }
    const from = base + start;
    const to = from + fieldLength; // exclusive, includes the terminator
    if (fieldLength < 3 && !isControlTagBytes(t0, t1, t2)) {
      ctx.repair('E106', `data field ${tagText(bytes, e)} is ${fieldLength} bytes, too short for two indicators and a terminator`, e + 3, tagText(bytes, e));
      needTerminatorWalk = true;
      (badEntries ??= []).push(i);
      continue;
    }
    if (to > dataLimit || from > dataLimit) {
      ctx.repair('E106', `field ${i} (${tagText(bytes, e)}) runs past the data: starts at ${from}, ${fieldLength} bytes, data ends at ${dataLimit}`, e + 3, tagText(bytes, e));
      needTerminatorWalk = true;
      (badEntries ??= []).push(i);
      continue;
    }
    if (fieldLength === 0 || bytes[to - 1] !== FIELD_TERMINATOR) {
      ctx.repair('E102', `field ${i} (${tagText(bytes, e)}) does not end with a field terminator where the directory says`, Math.max(from, to - 1), tagText(bytes, e));
      needTerminatorWalk = true;
      (badEntries ??= []).push(i);
      continue;
    }
    entries[i * 3 + 1] = from;
    entries[i * 3 + 2] = to - 1;
    // A data field begins with two indicators then a subfield delimiter: tested here, with the
    // entry in hand; reported below, after any relocation, in field order.
    if (!isControlTagBytes(t0, t1, t2) && isMisshapenDataField(bytes, from, to - 1)) misshapen = true;
  }

  if (needTerminatorWalk) {
    relocateByTerminators(bytes, base, dataLimit, entries, count, badEntries ?? []);
  }

  // Data fields begin with two indicators then a subfield delimiter (the relocated ones untested).
  for (let i = 0; (misshapen || needTerminatorWalk) && i < count; i++) {
    const e = entries[i * 3] as number;
    const from = entries[i * 3 + 1] as number;
    const to = entries[i * 3 + 2] as number;
    if (isControlTagBytes(bytes[e] as number, bytes[e + 1] as number, bytes[e + 2] as number) || !isMisshapenDataField(bytes, from, to)) continue;
    if (to - from < 2) {
      ctx.repair('E106', `data field ${tagText(bytes, e)} is ${to - from + 1} bytes, too short for two indicators`, from, tagText(bytes, e));
    } else {
      ctx.repair('E106', `data field ${tagText(bytes, e)} has no subfield delimiter after its indicators; the text before the first delimiter is kept under an empty code`, from + 2, tagText(bytes, e));
    }
  }

  // Character set.
  const auto = options.encoding === undefined || options.encoding === 'auto';
  let encoding = auto ? (bytes[9] === 0x61 ? 'utf-8' : 'marc-8') : normaliseEncodingName(options.encoding as string);
  // 7-bit MARC-8 is not plain ASCII when it holds escapes (G0 Cyrillic, Hebrew… are 7-bit) or
  // lossless character references (&#xHHHH;): those records must go through the decoder. Nor is
  // a 7-bit record flagged UTF-8 that holds an escape: it may be MARC-8 under a lying leader.
  const ascii = isAscii(bytes) && (encoding === 'marc-8' ? indexOfByte(bytes, ESC_BYTE) < 0 && !hasCharacterReference(bytes) : !auto || indexOfByte(bytes, ESC_BYTE) < 0);
  if (!ascii && auto) {
    const detected = detectEncoding(bytes, LEADER_LENGTH, length, encoding);
    if (detected !== encoding) {
      const claim = `leader/09 ${JSON.stringify(String.fromCharCode(bytes[9] as number))} says ${encoding} but the bytes are ${detected}`;
      // Strict mode never guesses, but reading on as the leader says would be silent damage
      // (MARC-8 escapes left in UTF-8 text, or UTF-8 read as ANSEL): stop and say why.
      if (mode === 'strict') throw ctx.error('E303', `${claim}; read in lenient mode, or pass encoding: '${detected}'`, 9, undefined, undefined, 'error');
      (ctx.errors ??= []).push(ctx.error('E303', `${claim}; read as ${detected}`, 9, undefined, undefined, 'warning'));
      encoding = detected;
    }
  }
  // Whether the text is well-formed as it stands (ASCII, or UTF-8 read as UTF-8), so decoding it
  // can find no character problems (eager reads use this to skip the decode).
  const wellFormed = ascii || (encoding === 'utf-8' && isUtf8(bytes));
  if (encoding === 'utf-8' && !wellFormed) {
    const at = firstInvalidUtf8(bytes, 0, length);
    const tag = tagOfOffset(bytes, entries, count, at);
    const error = ctx.error('E301', `invalid UTF-8 byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}`, at, tag);
    if (mode === 'strict') throw error;
    // Lenient: the lazy decode reports each bad field again with U+FFFD; no need to list twice.
    // Nothing decodes the leader or bytes between fields, though: a bad byte there is reported
    // now (the leader keeps it as the Latin-1 character, and writes it back). One in the
    // directory was reported as a bad tag or number (E101).
    for (let bad = at; bad >= 0; bad = firstInvalidUtf8(bytes, bad + 1, length)) {
      if ((bad >= LEADER_LENGTH && bad <= dirEnd) || tagOfOffset(bytes, entries, count, bad) !== undefined) continue;
      const where = bad < LEADER_LENGTH ? `in the leader (position ${bad}), read as U+${(bytes[bad] ?? 0).toString(16).toUpperCase().padStart(4, '0')}` : 'outside every field';
      (ctx.errors ??= []).push(ctx.error('E301', `invalid UTF-8 byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} ${where}`, bad, undefined, undefined, 'warning'));
    }
  }
  const plainFields = options.eager === true || options.validation === 'marc21' ? findControlBytes(bytes, entries, count, encoding !== 'utf-8', ctx) : false;
  // An ASCII record reads the same in every encoding we know, so don't even look the decoder up.
  ctx.decoder = ascii ? utf8Decoder : decoderFor(encoding, options);
  ctx.ascii = ascii;
  ctx.utf8Compatible = ascii || encoding === 'utf-8';
  ctx.encoding = encoding;
  ctx.clean = ctx.errors === null;
  ctx.entries = entries;
  ctx.count = count;
  if (options.maxSubfields !== undefined) ctx.maxSubfields = options.maxSubfields;
  const record = Record.fromLazy(ctx, ctx, ctx.errors);
  ctx.record = record;
  if (options.validation === 'marc21') checkMarc21(record, ctx);
  else if (options.eager === true) {
    // Decoding a field can report only a character problem, a subfield code that needs repair or
    // too many subfields. With none possible, every field would decode silently, so the strings
    // are left to be built on first access: `mrrc check` builds none (half its time and most of
    // its garbage went into strings nobody read).
    const nothingToFind = wellFormed && plainFields && ctx.decoder === utf8Decoder && ctx.maxSubfields === undefined;
    if (!nothingToFind) record.decodeAll();
  }
  return record;
}

/**
 * Control bytes inside a field's text, which MARC 21 allows nowhere (ESC aside, in MARC-8): a
 * field or record terminator means the directory and the terminators disagree (readers that split
 * at terminators, as yaz does, cut the field there; E102), anything else (a tab, a line break, a
 * form feed) is text no MARC 21 character set has and XML 1.0 mostly cannot carry (E305). The
 * directory is trusted and the bytes kept as read; reported once a field and kind, or thrown in
 * strict mode. A pass over every byte would cost a plain read nearly half again, so only eager
 * and validating reads (and so `mrrc check`) look. Returns whether the fields are of the plain
 * shape whose decoding can report nothing when the text is well-formed: every subfield code
 * printable ASCII (others are repaired, E202), and no field's first two bytes (a data field's
 * indicators) outside ASCII, since the text is decoded from after the indicators, and a
 * character split there decodes as invalid.
 */
function findControlBytes(bytes: Uint8Array, entries: number[], count: number, escapes: boolean, ctx: IsoRecordSource): boolean {
  let plain = true;
  for (let i = 0; i < count; i++) {
    const from = entries[i * 3 + 1] as number;
    const end = entries[i * 3 + 2] as number;
    if (((bytes[from] as number) | (bytes[from + 1] as number)) >= 0x80) plain = false;
    let terminatorAt = -1;
    let controlAt = -1;
    let controls = 0;
    for (let at = from; at < end; at++) {
      const b = bytes[at] as number;
      if (b >= 0x20 || (b === ESC_BYTE && escapes)) continue;
      if (b === SUBFIELD_DELIMITER) {
        // The byte after it is a subfield code, judged where codes are read (E202). A second
        // delimiter is not a code: the first held no subfield, and the second is looked at in turn.
        if (at + 1 < end) {
          const code = bytes[at + 1] as number;
          if (code === SUBFIELD_DELIMITER) continue;
          if (!isPlainCode(code)) plain = false;
        }
        at++;
        continue;
      }
      if (b === FIELD_TERMINATOR || b === RECORD_TERMINATOR) {
        if (terminatorAt < 0) terminatorAt = at;
      } else if (controls++ === 0) {
        controlAt = at;
      }
    }
    if (terminatorAt < 0 && controlAt < 0) continue;
    const tag = tagText(bytes, entries[i * 3] as number);
    if (terminatorAt >= 0) {
      const name = bytes[terminatorAt] === FIELD_TERMINATOR ? 'field terminator (0x1E)' : 'record terminator (0x1D)';
      ctx.repair('E102', `field ${i} (${tag}) holds a ${name} at byte ${terminatorAt}, before its end at byte ${end}; kept as data`, terminatorAt, tag);
    }
    if (controlAt >= 0) {
      const more = controls > 1 ? ` and ${controls - 1} more` : '';
      ctx.repair('E305', `field ${i} (${tag}) holds control character 0x${(bytes[controlAt] as number).toString(16).padStart(2, '0').toUpperCase()} at byte ${controlAt}${more}; kept as read`, controlAt, tag);
    }
  }
  return plain;
}

/** The base address of a record whose leader's is wrong, from the directory's terminator (repaired, or the record unreadable). */
function baseByDirectoryTerminator(bytes: Uint8Array, base: number, ctx: IsoRecordSource): number {
  const length = bytes.length;
  const directoryEnd = indexOfByte(bytes, FIELD_TERMINATOR, LEADER_LENGTH);
  if (base < 0) {
    if (directoryEnd < 0) throw new Unreadable({ code: 'E003', detail: 'base address is not five digits and no directory terminator was found', at: 12 });
    ctx.repair('E003', `base address ${JSON.stringify(latin1(bytes, 12, 17))} is not five digits; data starts after the directory terminator at ${directoryEnd}`, 12);
  } else if (base <= LEADER_LENGTH) {
    if (directoryEnd < 0) throw new Unreadable({ code: 'E003', detail: `base address ${base} is inside the leader`, at: 12 });
    ctx.repair('E003', `base address ${base} is inside the leader; data starts after the directory terminator at ${directoryEnd}`, 12);
  } else if (base > length) {
    if (directoryEnd < 0) throw new Unreadable({ code: 'E004', detail: `base address ${base} is past the end of the ${length}-byte record`, at: 12 });
    ctx.repair('E004', `base address ${base} is past the end of the ${length}-byte record; data starts after the directory terminator at ${directoryEnd}`, 12);
  } else {
    // The byte before the base address is not the directory's terminator.
    if (directoryEnd < 0 || directoryEnd >= length - 1) {
      throw new Unreadable({ code: 'E101', detail: 'the directory has no terminator (0x1E)', at: base - 1 });
    }
    ctx.repair('E101', `no directory terminator before the base address ${base}; the directory ends at byte ${directoryEnd}`, base - 1);
  }
  return directoryEnd + 1;
}

const ESC_BYTE = 0x1b;

/** Whether `&#x` occurs: the start of a MARC-8 lossless character reference. */
function hasCharacterReference(bytes: Uint8Array): boolean {
  for (let at = indexOfByte(bytes, 0x26); at >= 0; at = indexOfByte(bytes, 0x26, at + 1)) {
    if (bytes[at + 1] === 0x23 && (bytes[at + 2] === 0x78 || bytes[at + 2] === 0x58)) return true;
  }
  return false;
}

/** mrrc's strict_marc level: MARC 21 values in the leader and indicators; subfield codes as decoded. */
function checkMarc21(record: Record, ctx: IsoRecordSource): void {
  const { checkLeaderValues, checkIndicators } = marc21Checks();
  const recordType = record.leader.recordType;
  const report = (code: ErrorCode, message: string, at: number, tag?: string, subfieldCode?: string): void => {
    const error = ctx.error(code, message, at, tag, subfieldCode);
    if (ctx.mode === 'strict') throw error;
    record.errors.push(error);
  };
  for (const p of checkLeaderValues(record.leader, recordType)) report(p.code, p.message, p.position ?? 0);
  record.decodeAll();
  for (let i = 0; i < record.fields.length; i++) {
    const field = record.fields[i] as Field;
    if (!field.isDataField()) continue;
    const at = ctx.count === record.fields.length ? ctx.startOf(i) : 0;
    for (const p of checkIndicators(field.tag, field.ind1, field.ind2, recordType)) report(p.code, p.message, at + (p.indicator === 2 ? 1 : 0), field.tag);
    // Subfield codes (E202) were checked as decodeAll() built the subfields: every mode does that.
  }
}

function isDigitByte(b: number): boolean {
  return b >= 48 && b <= 57;
}

/** `isControlTag` on a tag's three bytes: 00 and a digit. */
function isControlTagBytes(a: number, b: number, c: number): boolean {
  return a === 48 && b === 48 && isDigitByte(c);
}

/** A data field's content [from, end) too short for its two indicators, or with no delimiter after them. */
function isMisshapenDataField(bytes: Uint8Array, from: number, end: number): boolean {
  return end - from < 2 || (end - from > 2 && bytes[from + 2] !== SUBFIELD_DELIMITER);
}

function tagText(bytes: Uint8Array, entry: number): string {
  return latin1(bytes, entry, entry + 3);
}

function tagOfOffset(bytes: Uint8Array, entries: number[], count: number, at: number): string | undefined {
  for (let i = 0; i < count; i++) {
    if (at >= (entries[i * 3 + 1] as number) && at <= (entries[i * 3 + 2] as number)) return tagText(bytes, entries[i * 3] as number);
  }
  return undefined;
}

/**
 * Gives entries whose directory data was unusable a range from the field terminators. When the
 * data area holds exactly one terminated chunk per entry (the usual miscounted-lengths case),
 * every entry takes its chunk in order; otherwise each bad entry takes the chunk after its
 * predecessor's.
 */
function relocateByTerminators(bytes: Uint8Array, base: number, dataLimit: number, entries: number[], count: number, bad: number[]): void {
  const chunks: number[] = [];
  let from = base;
  while (from < dataLimit) {
    let to = indexOfByte(bytes, FIELD_TERMINATOR, from);
    if (to < 0 || to >= dataLimit) to = dataLimit;
    chunks.push(from, to);
    from = to + 1;
  }
  if (chunks.length / 2 === count) {
    for (let i = 0; i < count; i++) {
      entries[i * 3 + 1] = chunks[i * 2] as number;
      entries[i * 3 + 2] = chunks[i * 2 + 1] as number;
    }
    return;
  }
  const badSet = new Set(bad);
  let cursor = base;
  for (let i = 0; i < count; i++) {
    if (!badSet.has(i)) {
      cursor = (entries[i * 3 + 2] as number) + 1;
      continue;
    }
    const start = Math.min(cursor, dataLimit);
    let end = indexOfByte(bytes, FIELD_TERMINATOR, start);
    if (end < 0 || end > dataLimit) end = dataLimit;
    entries[i * 3 + 1] = start;
    entries[i * 3 + 2] = end;
    cursor = end + 1;
  }
}

/** The 001's text for error messages, found without building the record. */
export function findControlNumber(bytes: Uint8Array): string | undefined {
  // Called on broken records too: take the base from the directory terminator when the leader's
  // is unusable, and never index outside the record.
  let base = digitsAt(bytes, 12, 5);
  if (base <= LEADER_LENGTH || base > bytes.length) {
    const end = indexOfByte(bytes, FIELD_TERMINATOR, LEADER_LENGTH);
    if (end < 0) return undefined;
    base = end + 1;
  }
  const limit = Math.min(base > 0 ? base : bytes.length, bytes.length);
  for (let e = LEADER_LENGTH; e + DIRECTORY_ENTRY_LENGTH <= limit; e += DIRECTORY_ENTRY_LENGTH) {
    if (bytes[e] === FIELD_TERMINATOR) break;
    if (bytes[e] !== 48 || bytes[e + 1] !== 48 || bytes[e + 2] !== 49) continue;
    const len = digitsAt(bytes, e + 3, 4);
    const start = digitsAt(bytes, e + 7, 5);
    if (len <= 0 || start < 0 || base + start + len > bytes.length) return undefined;
    if (base + start + len - 1 < base + start) return undefined;
    const text = latin1(bytes, base + start, base + start + len - 1);
    return text.length <= 64 ? text : text.slice(0, 64);
  }
  return undefined;
}

