/**
 * Reading many records: the framer finds them, the builder makes them, and the mode decides what
 * happens to bad ones. This is the one reading core; the sync iterator here and the async, stream
 * and worker readers in src/io and src/parallel are thin wrappers around `RecordAssembler`.
 */

import { DEFAULT_MAX_ERRORS, MarcError, hexWindow, modeOf, tooManyUnreadable, type Mode, type SkippedRecord } from '../errors.js';
import { Iso2709Framer, type Frame, type FramerOptions } from './framer.js';
import { findControlNumber, parsePlan, parseRecordAt, type ParseOptions } from './parser.js';
import { FrameKind, firstBytesHint, frameProblem, newFrameResult, scanFrame } from './scanner.js';
import { DEFAULT_MAX_RECORD_SIZE } from './framer.js';
import type { Record } from '../record/record.js';

export interface ReadOptions extends Omit<ParseOptions, 'recordIndex' | 'recordOffset'> {
  /** Called for every record skipped in permissive mode (and for every repaired record's errors, never). */
  onError?: (skipped: SkippedRecord) => void;
  /** Stop with E099 after this many skipped records (permissive) — a file of garbage is not data. */
  maxErrors?: number;
  maxRecordSize?: number;
}

export { DEFAULT_MAX_ERRORS };

/** One entry of the errors-included iteration: a record, or the bytes that could not be one. */
export interface ReadResult {
  record: Record | null;
  /** For a record: its repairs (lenient, permissive). For a skipped frame: why it was skipped. */
  errors: MarcError[];
  raw: Uint8Array;
  recordIndex: number;
  recordOffset: number;
}

/**
 * Turns frames into results with the mode's rules; shared by every reader so they all behave alike.
 */
export class RecordAssembler {
  readonly mode: Mode;
  readonly #options: ReadOptions;
  readonly #parse: ParseOptions;
  #index = 0;
  #skipped = 0;

  constructor(options: ReadOptions = {}) {
    this.mode = modeOf(options.mode);
    this.#options = options;
    this.#parse = parsePlan(options);
  }

  get recordsSeen(): number {
    return this.#index;
  }

  get skipped(): number {
    return this.#skipped;
  }

  /** Sets the index the next frame gets: a worker pool may hand batches over out of file order. */
  seek(recordIndex: number): void {
    this.#index = recordIndex;
  }

  /**
   * Builds the result for one frame. In strict mode, and in lenient mode for an unreadable frame,
   * throws. In permissive mode never throws for bad data; it returns `record: null` and calls onError.
   */
  assemble(frame: Frame): ReadResult {
    const recordIndex = this.#index++;
    const recordOffset = frame.offset;
    const problem = frame.problem;
    if (problem !== null) {
      const at = (problem.byteOffset ?? recordOffset) - recordOffset;
      problem.withContext({
        recordIndex,
        recordOffset,
        controlNumber: frame.junk ? undefined : findControlNumber(frame.bytes),
        bytesNear: frame.bytes.length > 0 ? hexWindow(frame.bytes, Math.min(Math.max(at, 0), frame.bytes.length - 1)) : undefined,
      });
    }
    if (frame.junk || (problem !== null && this.mode === 'strict')) {
      let error = problem ?? new MarcError('E009', 'bytes that are not a record', { recordIndex, recordOffset, byteOffset: recordOffset });
      const hint = firstBytesHint(frame.bytes, recordOffset);
      if (hint !== '') error = MarcError.fromJSON({ ...error.toJSON(), message: error.detail + hint });
      return this.#fail(error, frame, recordIndex, recordOffset);
    }
    try {
      const record = parseRecordAt(frame.bytes, this.#parse, recordIndex, recordOffset);
      if (problem !== null) {
        const { code, detail, byteOffset, source, bytesNear, controlNumber } = problem;
        // The scanner's E006 says where the leader put the missing terminator; the parser's own
        // E006 (the frame does not end in 0x1D) is the same fault, reported once.
        if (code === 'E006') {
          for (let i = record.errors.length - 1; i >= 0; i--) if (record.errors[i]?.code === 'E006') record.errors.splice(i, 1);
        }
        record.errors.unshift(new MarcError(code, detail, { recordIndex, recordOffset, byteOffset, source, bytesNear, controlNumber }, { severity: 'warning' }));
      }
      return { record, errors: record.errors, raw: frame.bytes, recordIndex, recordOffset };
    } catch (e) {
      if (!(e instanceof MarcError)) throw e;
      return this.#fail(e, frame, recordIndex, recordOffset);
    }
  }

  /**
   * The common case without the frame and result objects: a frame the scanner found no fault in.
   * Returns null for a record skipped in permissive mode.
   */
  assembleClean(bytes: Uint8Array, recordOffset: number): Record | null {
    const recordIndex = this.#index++;
    try {
      return parseRecordAt(bytes, this.#parse, recordIndex, recordOffset);
    } catch (e) {
      if (!(e instanceof MarcError)) throw e;
      this.#fail(e, { bytes, offset: recordOffset, junk: false, problem: null }, recordIndex, recordOffset);
      return null;
    }
  }

  #fail(error: MarcError, frame: Frame, recordIndex: number, recordOffset: number): ReadResult {
    if (this.mode !== 'permissive') throw error;
    this.#skipped++;
    const max = this.#options.maxErrors ?? DEFAULT_MAX_ERRORS;
    if (this.#skipped > max) {
      throw tooManyUnreadable(max, { recordIndex, recordOffset });
    }
    this.#options.onError?.({ error, raw: frame.bytes, recordIndex, recordOffset });
    return { record: null, errors: [error], raw: frame.bytes, recordIndex, recordOffset };
  }
}

/**
 * Records of a complete ISO 2709 buffer, lazily, as a re-iterable. Records are views of `bytes`;
 * don't modify the buffer while records from it are alive.
 */
export function readRecordsSync(bytes: Uint8Array, options: ReadOptions = {}): Iterable<Record> {
  return {
    *[Symbol.iterator]() {
      const assembler = new RecordAssembler(options);
      const maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE;
      const r = newFrameResult();
      let pos = 0;
      while (true) {
        const kind = scanFrame(bytes, pos, bytes.length, true, maxRecordSize, r);
        if (kind === FrameKind.End || kind === FrameKind.NeedMore) return;
        const view = bytes.subarray(r.start, r.end);
        if (kind === FrameKind.Record && r.problem === null) {
          const record = assembler.assembleClean(view, r.start);
          if (record !== null) yield record;
        } else {
          const problem = frameProblem(r.problem ?? 'E009', r.detail, r.start, r.end);
          const result = assembler.assemble({ bytes: view, offset: r.start, junk: kind === FrameKind.Junk, problem });
          if (result.record !== null) yield result.record;
        }
        pos = r.end;
      }
    },
  };
}

/** The errors-included iteration: every frame of the input, as a record or as skipped bytes. */
export function readResultsSync(bytes: Uint8Array, options: ReadOptions = {}): Iterable<ReadResult> {
  return {
    *[Symbol.iterator]() {
      const assembler = new RecordAssembler(options);
      const framerOptions: FramerOptions = options.maxRecordSize === undefined ? {} : { maxRecordSize: options.maxRecordSize };
      for (const frame of Iso2709Framer.frames(bytes, framerOptions)) yield assembler.assemble(frame);
    },
  };
}
