/**
 * Chunk-to-record framing for any chunking of a byte stream.
 *
 * Records wholly inside a chunk are handed out as views of that chunk (no copy); a record that
 * spans chunks is assembled in a carry buffer and copied out once complete. Peers get this wrong
 * (marcjs keeps only the previous chunk; @natlibfi concatenates strings and splits UTF-8), so the
 * carry buffer keeps every byte until its record is complete, however many chunks that takes.
 */

import { MarcError } from '../errors.js';
import { FrameKind, frameProblem, leaderLengthAt, newFrameResult, scanFrame } from './scanner.js';
import { copyOf } from '../util/bytes.js';

export const DEFAULT_MAX_RECORD_SIZE = 16 * 1024 * 1024;

export interface Frame {
  /** The record's bytes (or the junk's, for `junk`). */
  bytes: Uint8Array;
  /** Absolute offset of `bytes[0]` in the stream. */
  offset: number;
  junk: boolean;
  problem: MarcError | null;
}

export interface FramerOptions {
  maxRecordSize?: number;
  /**
   * Copy every frame out of the caller's chunks (for chunk buffers that will be reused): `true`
   * gives each frame a buffer of its own; a function makes the copy itself.
   */
  copy?: boolean | ((frame: Uint8Array) => Uint8Array);
}

export class Iso2709Framer {
  readonly #maxRecordSize: number;
  readonly #copy: ((frame: Uint8Array) => Uint8Array) | null;
  #carry: Uint8Array = new Uint8Array(0);
  #carryLength = 0;
  /** Absolute stream offset of `#carry[0]`, or of the next chunk when the carry is empty. */
  #offset = 0;
  readonly #result = newFrameResult();
  /** How many bytes the pending record needs before a rescan is worthwhile. */
  #needUntil = 0;

  constructor(options: FramerOptions = {}) {
    this.#maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE;
    this.#copy = copierOf(options);
  }

  /** Bytes held while waiting for the rest of a record. */
  get pendingBytes(): number {
    return this.#carryLength;
  }

  /** Frames completed by `chunk`, in order. */
  push(chunk: Uint8Array, out: Frame[] = []): Frame[] {
    if (chunk.length === 0) return out;
    if (this.#carryLength === 0) {
      const consumed = this.#scan(chunk, 0, chunk.length, false, out, this.#copy);
      this.#offset += consumed;
      if (consumed < chunk.length) this.#appendCarry(chunk.subarray(consumed));
      return out;
    }
    this.#appendCarry(chunk);
    if (this.#carryLength < this.#needUntil) return out;
    const consumed = this.#scan(this.#carry, 0, this.#carryLength, false, out, this.#copy ?? copyOf);
    this.#dropCarry(consumed);
    return out;
  }

  /** Frames left at end of input (a truncated record or junk among them). */
  end(out: Frame[] = []): Frame[] {
    if (this.#carryLength > 0) {
      const consumed = this.#scan(this.#carry, 0, this.#carryLength, true, out, this.#copy ?? copyOf);
      this.#dropCarry(consumed);
    }
    return out;
  }

  /** Frames of a complete buffer, one at a time, as views of it (whole files in memory). */
  static *frames(bytes: Uint8Array, options: FramerOptions = {}): Generator<Frame, void, undefined> {
    const maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE;
    const copy = copierOf(options);
    const r = newFrameResult();
    let pos = 0;
    while (true) {
      const kind = scanFrame(bytes, pos, bytes.length, true, maxRecordSize, r);
      if (kind === FrameKind.End || kind === FrameKind.NeedMore) return;
      const view = bytes.subarray(r.start, r.end);
      yield {
        bytes: copy === null ? view : copy(view),
        offset: r.start,
        junk: kind === FrameKind.Junk,
        problem: r.problem === null ? null : frameProblem(r.problem, r.detail, r.start, r.end),
      };
      pos = r.end;
    }
  }

  /**
   * Scans buf[from, limit) and pushes whole frames; returns the number of bytes consumed.
   * Stops at the first frame that needs more input.
   */
  #scan(buf: Uint8Array, from: number, limit: number, eof: boolean, out: Frame[], copy: ((frame: Uint8Array) => Uint8Array) | null): number {
    const r = this.#result;
    let pos = from;
    this.#needUntil = 0;
    while (true) {
      const kind = scanFrame(buf, pos, limit, eof, this.#maxRecordSize, r);
      if (kind === FrameKind.End) return limit;
      if (kind === FrameKind.NeedMore) {
        // A pending record with a trustworthy length needs no rescan until that many bytes are in.
        const declared = r.start + 5 <= limit ? leaderLengthAt(buf, r.start) : -1;
        this.#needUntil = declared >= 24 ? declared : 0;
        // A record whose leader gives its length (at most 99,999 bytes) is waited for whatever
        // maxRecordSize says, as a read of the whole input frames it (a limit under that length
        // made streams refuse records a buffer read); the limit bounds input with no such length.
        if (limit - r.start > Math.max(this.#maxRecordSize, this.#needUntil)) {
          // Cannot happen with the scanner's own bound, but never hold unbounded input.
          throw new MarcError('E008', `a record exceeds maxRecordSize (${this.#maxRecordSize} bytes)`, { byteOffset: this.#offset + r.start });
        }
        return r.start;
      }
      const view = buf.subarray(r.start, r.end);
      const offset = this.#offset + r.start - from;
      const problem = r.problem === null ? null : frameProblem(r.problem, r.detail, offset, offset + r.end - r.start);
      out.push({ bytes: copy === null ? view : copy(view), offset, junk: kind === FrameKind.Junk, problem });
      pos = r.end;
    }
  }

  #appendCarry(bytes: Uint8Array): void {
    const needed = this.#carryLength + bytes.length;
    if (needed > this.#carry.length) {
      const grown = new Uint8Array(Math.max(needed, this.#carry.length * 2, 64 * 1024));
      grown.set(this.#carry.subarray(0, this.#carryLength));
      this.#carry = grown;
    }
    this.#carry.set(bytes, this.#carryLength);
    this.#carryLength = needed;
  }

  #dropCarry(consumed: number): void {
    if (consumed === 0) return;
    this.#carry.copyWithin(0, consumed, this.#carryLength);
    this.#carryLength -= consumed;
    this.#offset += consumed;
    // Give back a carry grown for one huge record.
    if (this.#carryLength === 0 && this.#carry.length > 4 * 1024 * 1024) this.#carry = new Uint8Array(0);
  }
}

function copierOf(options: FramerOptions): ((frame: Uint8Array) => Uint8Array) | null {
  return options.copy === true ? copyOf : typeof options.copy === 'function' ? options.copy : null;
}
