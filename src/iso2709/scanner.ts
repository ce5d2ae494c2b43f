/**
 * The ISO 2709 scanner: finds record boundaries in bytes, nothing more.
 *
 * Kept apart from the builder (parser.ts) as htmlparser2 keeps its tokenizer apart from its
 * handler: the worker pool splits files with it, the stream reader frames chunks with it, and
 * neither needs record objects to do so.
 *
 * Framing rule (field-notes: leader lengths lie, in both directions):
 * 1. The leader length L is believed when the byte at L-1 is the record terminator 0x1D.
 * 2. Otherwise the first 0x1D after the leader ends the record, when what follows looks like the
 *    next leader or the end of input (IA dumps 1–16 bytes too long; lengths counted in characters).
 * 3. Otherwise, if bytes at L look like the next leader, the record is L bytes with its terminator
 *    missing.
 * 4. Bytes that do not start with a plausible leader are junk up to the next plausible leader.
 * Between records, newlines, 0x1A (DOS end-of-file) and space/NUL block padding are skipped.
 */

import { MarcError } from '../errors.js';
import { LEADER_LENGTH, RECORD_TERMINATOR } from './constants.js';
import { foreignSignature, indexOfByte } from '../util/bytes.js';

export const enum FrameKind {
  /** `start..end` is a record (maybe with `problem`). */
  Record = 1,
  /** `start..end` is not a record; `problem` says why. */
  Junk = 2,
  /** Not enough bytes to decide; call again with more (or with eof). */
  NeedMore = 3,
  /** Nothing left. */
  End = 4,
}

export interface FrameResult {
  kind: FrameKind;
  start: number;
  end: number;
  /** Set when framing itself found a defect: 'E005' truncated, 'E006' terminator missing, 'E009' junk. */
  problem: 'E005' | 'E006' | 'E009' | null;
  detail: string;
}

/**
 * What an input's first bytes say when they are no MARC at all, for the first record's errors:
 * a compressed file, an archive or UTF-16 text read as ISO 2709 otherwise gets only a baffling
 * E001/E003/E009.
 */
export function firstBytesHint(bytes: Uint8Array, offset: number): string {
  if (offset !== 0) return '';
  const signature = foreignSignature(bytes);
  switch (signature) {
    case null:
      return '';
    case 'gzip':
      return '; the input starts with gzip\'s magic bytes 1f 8b: decompress it first (zlib.createGunzip(); the mrrc command does it itself)';
    case 'utf-16le':
    case 'utf-16be': {
      const how = bytes[0] === 0xff || bytes[0] === 0xfe ? 'starts with a UTF-16 byte order mark' : 'looks like UTF-16 (a zero in every other byte)';
      return `; the input ${how}: ISO 2709 is read as bytes, MARC text formats as UTF-8`;
    }
    case 'zip':
    case 'tar':
      return `; the input is a ${signature} archive: take the MARC file out of it first`;
    default:
      return `; the input is ${signature}-compressed (by its magic bytes): decompress it first`;
  }
}

/** The error for a framing problem, at absolute offsets (`start`, `end` of the frame). */
export function frameProblem(code: 'E005' | 'E006' | 'E009', detail: string, start: number, end: number): MarcError {
  return new MarcError(code, detail, { recordOffset: start, byteOffset: code === 'E009' ? start : end - 1, source: 'iso2709' });
}

export function newFrameResult(): FrameResult {
  return { kind: FrameKind.End, start: 0, end: 0, problem: null, detail: '' };
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 48 && b <= 57;
}

/** The leader's five-digit record length at `at`, or -1 when they are not digits. */
export function leaderLengthAt(buf: Uint8Array, at: number): number {
  let n = 0;
  for (let i = at; i < at + 5; i++) {
    const d = (buf[i] as number) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Whether a leader plausibly starts at `at`: digits where a leader has digits. Undecidable (-1) when fewer than 24 bytes are available and more may come.
 */
export function looksLikeLeader(buf: Uint8Array, at: number, limit: number, eof: boolean): 1 | 0 | -1 {
  if (at + LEADER_LENGTH > limit) {
    if (!eof) return -1;
    return 0;
  }
  // Twelve digit positions: length, indicator and subfield-code counts, base address. The entry
  // map (20-23) is not checked: real leaders carry '45e0', '450 ', '4504' there.
  for (let i = 0; i < 5; i++) if (!isDigit(buf[at + i])) return 0;
  if (!isDigit(buf[at + 10]) || !isDigit(buf[at + 11])) return 0;
  for (let i = 12; i < 17; i++) if (!isDigit(buf[at + i])) return 0;
  return 1;
}

/**
 * Bytes that carry nothing between records: line ends some exporters add, DOS end-of-file 0x1A,
 * and the space or NUL padding of fixed-length blocks (tape-era exports, pymarc bad_indicator.dat).
 * A leader never starts with any of them.
 */
export function isSeparator(b: number): boolean {
  return b === 0x0a || b === 0x0d || b === 0x1a || b === 0x20 || b === 0x00;
}

/**
 * Finds the next frame in buf[pos, limit). `eof` says whether more bytes can follow `limit`.
 * `maxRecordSize` bounds how far a record may extend: a terminator past it frames nothing, in a
 * whole buffer as in a stream that has not seen that far.
 */
export function scanFrame(buf: Uint8Array, pos: number, limit: number, eof: boolean, maxRecordSize: number, out: FrameResult): FrameKind {
  out.problem = null;
  while (pos < limit && isSeparator(buf[pos] as number)) pos++;
  out.start = pos;
  if (pos >= limit) return (out.kind = eof ? FrameKind.End : FrameKind.NeedMore);
  if (limit - pos < 5 && !eof) return (out.kind = FrameKind.NeedMore);

  const declared = limit - pos >= 5 ? leaderLengthAt(buf, pos) : -1;
  const validLength = declared >= LEADER_LENGTH;
  const declaredEnd = pos + declared;

  // Rule 1, the fast path taken by almost every record.
  if (validLength && declaredEnd <= limit && buf[declaredEnd - 1] === RECORD_TERMINATOR) {
    out.end = declaredEnd;
    return (out.kind = FrameKind.Record);
  }
  if (validLength && declaredEnd > limit && !eof) {
    // Wait for the declared length (at most 99,999 bytes): deciding earlier on a terminator that
    // happens to be followed by leader-like digits would frame differently depending on where
    // the chunks fall (found by the fuzzer).
    return (out.kind = FrameKind.NeedMore);
  }

  const leaderHere = looksLikeLeader(buf, pos, limit, eof);
  if (leaderHere === -1) return (out.kind = FrameKind.NeedMore);

  if (leaderHere === 0 && !validLength) {
    return junk(buf, pos, limit, eof, maxRecordSize, out);
  }

  // Rule 2: the first terminator after the leader, if what follows it is a record boundary.
  let t = indexOfByte(buf, RECORD_TERMINATOR, pos + Math.min(LEADER_LENGTH, limit - pos));
  while (t >= 0 && t < limit) {
    // Bounded before it is looked at: a stream gives up past maxRecordSize without seeing what
    // lies beyond, so a whole buffer must not frame by a terminator there either.
    if (t + 1 - pos > maxRecordSize) break;
    const next = t + 1 >= limit ? (eof ? 1 : -1) : nextIsBoundary(buf, t + 1, limit, eof);
    if (next === -1) return (out.kind = FrameKind.NeedMore);
    if (next === 1) {
      // Rule 3 beats rule 2 when the declared end is itself a boundary before this terminator.
      if (validLength && declaredEnd < t + 1 && declaredEnd <= limit && nextIsBoundary(buf, declaredEnd, limit, eof) === 1) {
        out.end = declaredEnd;
        out.problem = 'E006';
        out.detail = `no record terminator at byte ${declared - 1} where the leader says the record ends`;
        return (out.kind = FrameKind.Record);
      }
      out.end = t + 1;
      return (out.kind = FrameKind.Record);
    }
    t = indexOfByte(buf, RECORD_TERMINATOR, t + 1);
  }
  if (!eof && limit - pos <= maxRecordSize) {
    // Rule 3 without waiting: the declared end is already visible and is followed by a leader.
    if (validLength && declaredEnd <= limit && looksLikeLeader(buf, declaredEnd, limit, eof) === 1) {
      out.end = declaredEnd;
      out.problem = 'E006';
      out.detail = `no record terminator at byte ${declared - 1} where the leader says the record ends`;
      return (out.kind = FrameKind.Record);
    }
    return (out.kind = FrameKind.NeedMore);
  }
  // At end of input (or past the size limit) with no terminator after the leader.
  if (validLength && declaredEnd <= limit) {
    out.end = declaredEnd;
    out.problem = 'E006';
    out.detail = `no record terminator at byte ${declared - 1} where the leader says the record ends`;
    return (out.kind = FrameKind.Record);
  }
  const end = Math.min(limit, pos + maxRecordSize);
  out.end = end;
  out.problem = 'E005';
  out.detail = validLength
    ? `the leader says ${declared} bytes but the input ends after ${end - pos}`
    : `the input ends after ${end - pos} bytes with no record terminator`;
  return (out.kind = FrameKind.Record);
}

/** After a record terminator: end of input, separators then a leader, or a leader. */
function nextIsBoundary(buf: Uint8Array, at: number, limit: number, eof: boolean): 1 | 0 | -1 {
  while (at < limit && isSeparator(buf[at] as number)) at++;
  if (at >= limit) return eof ? 1 : -1;
  return looksLikeLeader(buf, at, limit, eof);
}

function junk(buf: Uint8Array, pos: number, limit: number, eof: boolean, maxRecordSize: number, out: FrameResult): FrameKind {
  // Junk runs to the next verified leader (its length ends on a record terminator), or, when the
  // next record terminator comes first, the bytes up to it are handed to the builder as a record
  // with a broken leader: lenient mode may still recover it.
  const scanLimit = Math.min(limit, pos + maxRecordSize);
  let t = indexOfByte(buf, RECORD_TERMINATOR, pos);
  if (t >= scanLimit) t = -1;
  const searchEnd = t >= 0 ? t : scanLimit;
  for (let i = pos + 1; i < searchEnd; i++) {
    if (!isDigit(buf[i])) continue;
    const leader = looksLikeLeader(buf, i, limit, eof);
    if (leader === -1) return (out.kind = FrameKind.NeedMore);
    if (leader !== 1) continue;
    const len = leaderLengthAt(buf, i);
    // A candidate whose end has not arrived yet is undecided, not rejected: wait for it.
    if (len >= LEADER_LENGTH && i + len > limit && !eof) return (out.kind = FrameKind.NeedMore);
    if (len < LEADER_LENGTH || i + len > limit || buf[i + len - 1] !== RECORD_TERMINATOR) continue;
    out.end = i;
    out.problem = 'E009';
    out.detail = `${i - pos} bytes that are not a record`;
    return (out.kind = FrameKind.Junk);
  }
  if (t >= 0) {
    out.end = t + 1;
    return (out.kind = FrameKind.Record);
  }
  if (!eof && limit - pos < maxRecordSize) return (out.kind = FrameKind.NeedMore);
  out.end = scanLimit;
  out.problem = 'E009';
  out.detail = `${scanLimit - pos} bytes that are not a record`;
  return (out.kind = FrameKind.Junk);
}
