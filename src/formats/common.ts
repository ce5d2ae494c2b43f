/**
 * What every text format shares: chunk decoding, the mode rules for bad records, the sync wrapper
 * over an incremental parser, and the writer shape.
 *
 * Every reader here is an incremental parser: `push` a chunk (bytes or text) and get back the
 * results it completed, `end` at end of input. The sync readers push a whole buffer through the
 * same parser in slices, and the async / stream layer in src/io pushes what it reads, so every
 * source goes through one code path and behaves alike.
 */

import type { ByteSink } from '../util/byte-sink.js';
import { MarcError, type ErrorCode, type MarcErrorContext, type Mode, type SkippedRecord } from '../errors.js';
import { DEFAULT_MAX_ERRORS, type ReadResult } from '../iso2709/reader.js';
import type { Record } from '../record/record.js';

export type { ReadResult };

export type TextChunk = Uint8Array | string;

/** Options every format reader takes, with the meaning they have for ISO 2709. */
export interface FormatReadOptions {
  /** 'strict' (default) throws at the first defect; 'lenient' repairs; 'permissive' also skips. */
  mode?: Mode;
  /** Called for every record skipped in permissive mode. */
  onError?: (skipped: SkippedRecord) => void;
  /** Stop with E099 after this many skipped records. */
  maxErrors?: number;
  /** Limits against hostile input (E008): fields in one record, subfields in one field. */
  maxFields?: number;
  maxSubfields?: number;
}

export const DEFAULT_MAX_FIELDS = 10_000;
export const DEFAULT_MAX_SUBFIELDS = 10_000;

function overLimit(record: Record, maxFields: number, maxSubfields: number): string | null {
  const fields = record.fields;
  if (fields.length > maxFields) return `a record has more than maxFields (${maxFields}) fields`;
  for (const field of fields) {
    if (field.isDataField() && field.subfieldList().length > maxSubfields) return `field ${field.tag} has more than maxSubfields (${maxSubfields}) subfields`;
  }
  return null;
}

/** An incremental parser: chunks in, finished results out. */
export interface RecordParser {
  push(chunk: TextChunk): ReadResult[];
  end(): ReadResult[];
}

/** A streaming writer: a header, one string per record, a footer. Concatenated, they are the file. */
export interface RecordWriter {
  /** Text before the first record ('' when the format has none). */
  begin(): string;
  write(record: Record): string;
  /**
   * `write(record)` as UTF-8 appended to `sink`, where a writer can produce bytes directly (the
   * MARCXML and MARC-in-JSON writers copy untouched UTF-8 fields from their source bytes).
   */
  writeTo?(record: Record, sink: ByteSink): void;
  /** Text after the last record. */
  end(): string;
}

const encoder = new TextEncoder();

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * UTF-8 chunks to text, with characters split across chunks kept whole and a leading BOM dropped.
 * Strings pass through (a BOM at their start is dropped too).
 */
export class ChunkDecoder {
  readonly #decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  #started = false;

  decode(chunk: TextChunk): string {
    if (typeof chunk === 'string') {
      if (!this.#started) {
        this.#started = true;
        if (chunk.charCodeAt(0) === 0xfeff) return chunk.slice(1);
      }
      return chunk;
    }
    this.#started = true;
    return this.#decoder.decode(chunk, { stream: true });
  }

  flush(): string {
    return this.#decoder.decode();
  }
}

/**
 * The strict / lenient / permissive rules for text formats, kept identical to ISO 2709's
 * `RecordAssembler`: repairs throw in strict mode and are listed on the record otherwise; an
 * unreadable record throws in strict and lenient mode and is skipped (and reported) in permissive.
 */
export class ModeGate {
  readonly mode: Mode;
  readonly source: string;
  readonly #options: FormatReadOptions;
  #index = 0;
  #skipped = 0;

  constructor(options: FormatReadOptions, source: string) {
    this.mode = options.mode ?? 'strict';
    this.source = source;
    this.#options = options;
  }

  /** Index the next record will get. */
  get nextIndex(): number {
    return this.#index;
  }

  get skipped(): number {
    return this.#skipped;
  }

  error(code: ErrorCode, detail: string, context: MarcErrorContext = {}, warning = false): MarcError {
    return new MarcError(code, detail, { source: this.source, ...context }, warning ? { severity: 'warning' } : undefined);
  }

  /** A repairable defect: throws in strict mode, otherwise returns it (as a warning) for the record. */
  repair(errors: MarcError[], code: ErrorCode, detail: string, context: MarcErrorContext = {}): void {
    const error = this.error(code, detail, { recordIndex: this.#index, ...context }, this.mode !== 'strict');
    if (this.mode === 'strict') throw error;
    errors.push(error);
  }

  /** A finished record. `errors` are its repairs. */
  ok(record: Record, errors: MarcError[], raw: Uint8Array | (() => Uint8Array), recordOffset: number): ReadResult {
    // The hostile-input limits, for every text format in one place (E008; skipped in permissive).
    const over = overLimit(record, this.#options.maxFields ?? DEFAULT_MAX_FIELDS, this.#options.maxSubfields ?? DEFAULT_MAX_SUBFIELDS);
    if (over !== null) return this.fail(this.error('E008', over, { recordOffset }), raw, recordOffset);
    const recordIndex = this.#index++;
    if (errors.length > 0) {
      const control = record.get('001');
      const controlNumber = control?.isControlField() ? control.data : undefined;
      for (const e of errors) e.withContext({ recordIndex, controlNumber });
      record.errors.push(...errors);
    }
    return makeResult(record, record.errors, raw, recordIndex, recordOffset);
  }

  /** A record that cannot be read: throws unless permissive, where it is skipped and reported. */
  fail(error: MarcError, raw: Uint8Array | (() => Uint8Array), recordOffset: number): ReadResult {
    const recordIndex = this.#index++;
    error.withContext({ recordIndex, recordOffset, source: this.source });
    if (this.mode !== 'permissive') throw error;
    this.#skipped++;
    const max = this.#options.maxErrors ?? DEFAULT_MAX_ERRORS;
    if (this.#skipped > max) {
      throw new MarcError('E099', `more than ${max} unreadable records; stopped (raise maxErrors to go on)`, { recordIndex, recordOffset, source: this.source });
    }
    const result = makeResult(null, [error], raw, recordIndex, recordOffset);
    this.#options.onError?.({ error, raw: result.raw, recordIndex, recordOffset });
    return result;
  }
}

/**
 * A result whose `raw` bytes are made on first access: text formats hold the record's text, and
 * encoding it for every record would cost time nobody asked for.
 */
function makeResult(record: Record | null, errors: MarcError[], raw: Uint8Array | (() => Uint8Array), recordIndex: number, recordOffset: number): ReadResult {
  if (raw instanceof Uint8Array) return { record, errors, raw, recordIndex, recordOffset };
  let bytes: Uint8Array | null = null;
  return {
    record,
    errors,
    get raw(): Uint8Array {
      bytes ??= raw();
      return bytes;
    },
    recordIndex,
    recordOffset,
  };
}

/** Slice size for the sync wrappers: big enough to amortise, small enough to stay lazy. */
export const SYNC_SLICE = 1 << 20;

/**
 * Runs a whole buffer or string through an incremental parser, lazily: results are handed out as
 * each slice completes them, so a large input never has all its records alive at once.
 */
export function* runSync(parser: RecordParser, input: TextChunk): Generator<ReadResult, void, undefined> {
  const length = input.length;
  let at = 0;
  while (at < length) {
    let to = Math.min(at + SYNC_SLICE, length);
    // Never split a surrogate pair between two string slices.
    if (typeof input === 'string' && to < length && (input.charCodeAt(to - 1) & 0xfc00) === 0xd800) to++;
    yield* parser.push(typeof input === 'string' ? input.slice(at, to) : input.subarray(at, to));
    at = to;
  }
  yield* parser.end();
}

/** Records only, from results: skipped ones were already reported through onError. */
export function* recordsOf(results: Iterable<ReadResult>): Generator<Record, void, undefined> {
  for (const result of results) if (result.record !== null) yield result.record;
}

/** Line and column (1-based) of offset `at` in `text`, for error messages of line formats. */
export function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}

/** Writes every record through `writer` into one string (begin, records, end). */
export function writeAll(writer: RecordWriter, records: Iterable<Record>): string {
  let out = writer.begin();
  for (const record of records) out += writer.write(record);
  return out + writer.end();
}
