/**
 * One error type for everything mrrc reports, with stable codes.
 *
 * Codes follow the catalogue of the Rust/Python mrrc (docs/errors.md lists them all) so that
 * people moving between the two see the same numbers. A code never changes meaning once released.
 */

export type Severity = 'error' | 'warning';

export interface ErrorCodeInfo {
  readonly slug: string;
  readonly severity: Severity;
  readonly summary: string;
}

export const ERROR_CODES = {
  E001: { slug: 'record_length_invalid', severity: 'error', summary: 'leader record length is not five digits, is below 24, or disagrees with the record terminator' },
  E002: { slug: 'leader_invalid', severity: 'error', summary: 'leader is malformed (indicator / subfield code counts, or a value outside MARC 21)' },
  E003: { slug: 'base_address_invalid', severity: 'error', summary: 'leader base address of data is not five digits or is below 25' },
  E004: { slug: 'base_address_not_found', severity: 'error', summary: 'base address of data points past the end of the record' },
  E005: { slug: 'truncated_record', severity: 'error', summary: 'input ended before the record did' },
  E006: { slug: 'end_of_record_not_found', severity: 'error', summary: 'no record terminator (0x1D) where the leader says the record ends' },
  E007: { slug: 'io_error', severity: 'error', summary: 'an input source or an output destination failed' },
  E008: { slug: 'limit_exceeded', severity: 'error', summary: 'a configured limit (record size, fields, subfields, depth) was exceeded' },
  E009: { slug: 'junk_between_records', severity: 'error', summary: 'bytes between records that are not a record' },
  E099: { slug: 'fatal_reader_error', severity: 'error', summary: 'too many errors in one input; reading stopped' },
  E101: { slug: 'directory_invalid', severity: 'error', summary: 'directory entry malformed (non-digit, non-ASCII tag, missing terminator, length not a multiple of 12)' },
  E102: { slug: 'directory_field_mismatch', severity: 'error', summary: 'directory offsets disagree with the field terminators' },
  E105: { slug: 'field_not_found', severity: 'error', summary: 'a required field is absent' },
  E106: { slug: 'invalid_field', severity: 'error', summary: 'a field is malformed (runs past the data, too short, missing subfield delimiter)' },
  E107: { slug: 'no_fields', severity: 'error', summary: 'the record has no fields' },
  E108: { slug: 'wrong_record_type', severity: 'error', summary: 'a reader or view for one record type was given another (leader/06)' },
  E201: { slug: 'invalid_indicator', severity: 'error', summary: 'an indicator is not a digit, lowercase letter or blank' },
  E202: { slug: 'bad_subfield_code', severity: 'error', summary: 'a subfield code is not a printable ASCII character' },
  E301: { slug: 'utf8_invalid', severity: 'error', summary: 'bytes that are not valid UTF-8 in a record read as UTF-8' },
  E302: { slug: 'marc8_invalid', severity: 'error', summary: 'MARC-8 text with an unknown escape, an unmapped byte or a truncated multibyte character' },
  E303: { slug: 'encoding_mismatch', severity: 'warning', summary: 'leader/09 does not describe the bytes (read as what they are)' },
  E304: { slug: 'unencodable_character', severity: 'error', summary: 'a character cannot be written in the target encoding' },
  E305: { slug: 'control_character', severity: 'error', summary: "a control character (0x00-0x1F) inside a field's text, which MARC 21 does not allow" },
  E401: { slug: 'marcxml_invalid', severity: 'error', summary: 'MARCXML is malformed or not MARCXML' },
  E402: { slug: 'marcjson_invalid', severity: 'error', summary: 'MARC-in-JSON is malformed' },
  E403: { slug: 'format_invalid', severity: 'error', summary: 'input in another text format (MARCMaker, JSON) is malformed' },
  E404: { slug: 'record_too_large_for_iso2709', severity: 'error', summary: 'the record cannot be written as ISO 2709 (too large, bad tag, indicator or code, a delimiter in a value, writer closed)' },
  W001: { slug: 'repaired', severity: 'warning', summary: 'a structural defect was repaired while reading (lenient mode)' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface MarcErrorContext {
  /** 0-based index of the record in its input. */
  recordIndex?: number;
  /** Byte offset of the record's first byte in the input. */
  recordOffset?: number;
  /** Byte offset of the fault in the input (absolute). */
  byteOffset?: number;
  /** The record's 001, when it could be read. */
  controlNumber?: string;
  tag?: string;
  subfieldCode?: string;
  /** Hex dump of the bytes around the fault. */
  bytesNear?: string;
  /** 1-based line and column for text formats. */
  line?: number;
  column?: number;
  /** The format or component that raised it, e.g. 'iso2709', 'marcxml', 'marc8'. */
  source?: string;
}

/** Plain-data form: survives postMessage and JSON, where Error subclasses lose their fields. */
export interface MarcErrorData extends MarcErrorContext {
  code: ErrorCode;
  message: string;
  severity: Severity;
}

export class MarcError extends Error implements MarcErrorContext {
  override readonly name = 'MarcError';
  readonly code: ErrorCode;
  readonly slug: string;
  readonly severity: Severity;
  /** The message without the context suffix. */
  readonly detail: string;
  recordIndex?: number;
  recordOffset?: number;
  byteOffset?: number;
  controlNumber?: string;
  tag?: string;
  subfieldCode?: string;
  bytesNear?: string;
  line?: number;
  column?: number;
  source?: string;

  constructor(code: ErrorCode, detail: string, context: MarcErrorContext = {}, options?: { cause?: unknown; severity?: Severity }) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    const info = ERROR_CODES[code];
    this.code = code;
    this.slug = info.slug;
    this.severity = options?.severity ?? info.severity;
    this.detail = detail;
    Object.assign(this, stripUndefined(context));
    this.message = this.describe();
  }

  /** Adds context known only to an outer layer (the reader knows the index, the parser the tag). */
  withContext(context: MarcErrorContext): this {
    for (const [key, value] of Object.entries(context)) {
      if (value !== undefined && (this as Record<string, unknown>)[key] === undefined) {
        (this as Record<string, unknown>)[key] = value;
      }
    }
    this.message = this.describe();
    return this;
  }

  /**
   * Adds to the detail what only an outer layer can tell (that the input is compressed, say), once:
   * a second call with the same words changes nothing.
   */
  explain(more: string): this {
    if (more === '' || this.detail.endsWith(more)) return this;
    (this as { detail: string }).detail = this.detail + more;
    this.message = this.describe();
    return this;
  }

  private describe(): string {
    const where: string[] = [];
    if (this.recordIndex !== undefined) where.push(`record ${this.recordIndex}`);
    if (this.controlNumber !== undefined) where.push(`001 ${JSON.stringify(this.controlNumber)}`);
    if (this.tag !== undefined) where.push(`tag ${this.tag}` + (this.subfieldCode !== undefined ? ` $${this.subfieldCode}` : ''));
    if (this.byteOffset !== undefined) where.push(`byte ${this.byteOffset}`);
    else if (this.recordOffset !== undefined) where.push(`record at byte ${this.recordOffset}`);
    if (this.line !== undefined) where.push(`line ${this.line}` + (this.column !== undefined ? ` column ${this.column}` : ''));
    let text = `${this.code} ${this.slug}: ${this.detail}`;
    if (where.length > 0) text += ` (${where.join(', ')})`;
    if (this.bytesNear !== undefined) text += ` near [${this.bytesNear}]`;
    return text;
  }

  toJSON(): MarcErrorData {
    const data: MarcErrorData = { code: this.code, message: this.detail, severity: this.severity };
    for (const key of CONTEXT_KEYS) {
      const value = this[key];
      if (value !== undefined) (data as unknown as Record<string, unknown>)[key] = value;
    }
    return data;
  }

  static fromJSON(data: MarcErrorData): MarcError {
    const { code, message, severity, ...context } = data;
    return new MarcError(code, message, context, { severity });
  }

  static is(value: unknown): value is MarcError {
    return value instanceof MarcError;
  }
}

const CONTEXT_KEYS = [
  'recordIndex', 'recordOffset', 'byteOffset', 'controlNumber', 'tag', 'subfieldCode',
  'bytesNear', 'line', 'column', 'source',
] as const satisfies readonly (keyof MarcErrorContext)[];

function stripUndefined(context: MarcErrorContext): MarcErrorContext {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context)) if (value !== undefined) out[key] = value;
  return out as MarcErrorContext;
}

/** Hex window of up to `radius` bytes either side of `at`, the faulty byte in brackets. */
export function hexWindow(bytes: Uint8Array, at: number, radius = 8): string {
  const from = Math.max(0, at - radius);
  const to = Math.min(bytes.length, at + radius + 1);
  const parts: string[] = [];
  for (let i = from; i < to; i++) {
    const hex = (bytes[i] ?? 0).toString(16).padStart(2, '0');
    parts.push(i === at ? `>${hex}<` : hex);
  }
  return parts.join(' ');
}

/**
 * How a reader treats bad input.
 * - strict: the first defect throws.
 * - lenient: repairs what can be repaired and lists each repair in `record.errors`; a record that
 *   cannot be read at all still throws.
 * - permissive: as lenient, and a record that cannot be read is skipped and reported (with its raw
 *   bytes) through `onError` and the errors-included iteration, never dropped in silence.
 */
export type Mode = 'strict' | 'lenient' | 'permissive';

/** How many unreadable records a reader skips (permissive mode) before it stops with E099. */
export const DEFAULT_MAX_ERRORS = 10_000;

/** E099: a reader's `maxErrors` was passed; every reader stops with the same words. */
export function tooManyUnreadable(maxErrors: number, context: MarcErrorContext): MarcError {
  return new MarcError('E099', `more than ${maxErrors} unreadable records; stopped (raise maxErrors to go on)`, context);
}

/**
 * The `mode` option, checked: absent means strict; anything else is a RangeError. A misspelt mode
 * must not read in some mode nobody asked for.
 */
export function modeOf(mode: unknown): Mode {
  if (mode === undefined) return 'strict';
  if (mode === 'strict' || mode === 'lenient' || mode === 'permissive') return mode;
  throw new RangeError(`mode must be 'strict', 'lenient' or 'permissive', not ${JSON.stringify(mode)}`);
}

/** A record that could not be read, as handed to `onError` and the errors-included iteration. */
export interface SkippedRecord {
  error: MarcError;
  /** The bytes that were skipped. */
  raw: Uint8Array;
  recordIndex: number;
  recordOffset: number;
}
