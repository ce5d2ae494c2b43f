/**
 * Where to cut a file into byte ranges so that each can be framed on its own.
 *
 * A cut must fall where a sequential scan also starts a record, or the two workers on either side
 * would frame the bytes around it differently from `readRecordsSync`. The scanner's rule 1 (a
 * leader length that ends on a record terminator) is what a sequential scan takes for nearly every
 * record, so a cut is only made at a position p where:
 * - the last non-separator byte before p is a record terminator 0x1D,
 * - p holds a plausible leader whose length L ends on another 0x1D, and
 * - p + L is the end of the file or, after separators, another plausible leader.
 * Data bytes that fake all three at once (a terminator inside a field followed by a leader-shaped
 * run whose length lands on a terminator, twice) don't occur in real files.
 *
 * The cut is a pure function of the bytes near the nominal offset, so the two workers sharing a cut
 * compute it independently and agree, and the main thread never reads the file.
 */

import { RECORD_TERMINATOR } from '../iso2709/constants.js';
import { isSeparator, leaderLengthAt, looksLikeLeader } from '../iso2709/scanner.js';
import { indexOfByte } from '../util/bytes.js';

/** Reads up to `length` bytes at `position` (fewer only at the end of the file). */
export type ReadAt = (position: number, length: number) => Uint8Array;

// Records are ~1 KiB, so a cut is nearly always in the first few KiB: a small first window keeps
// small tasks cheap (256 KiB read twice per 1 MiB task was half again the task's own reads).
const WINDOW = 16 * 1024;

/** 1: a cut at the returned position; 0: not here; -1: need more bytes to decide. */
function checkAfterTerminator(buf: Uint8Array, t: number, eof: boolean): number {
  let p = t + 1;
  while (p < buf.length && isSeparator(buf[p] as number)) p++;
  if (p >= buf.length) return eof ? p : -1;
  const here = looksLikeLeader(buf, p, buf.length, eof);
  if (here !== 1) return here === -1 ? -1 : 0;
  const length = leaderLengthAt(buf, p);
  if (length < 24) return 0;
  if (p + length > buf.length) return eof ? 0 : -1;
  if (buf[p + length - 1] !== RECORD_TERMINATOR) return 0;
  let q = p + length;
  while (q < buf.length && isSeparator(buf[q] as number)) q++;
  if (q >= buf.length) return eof ? p : -1;
  const next = looksLikeLeader(buf, q, buf.length, eof);
  if (next === -1) return -1;
  return next === 1 ? p : 0;
}

/** The first cut at or after `from` (0 and `size` are always cuts). */
export function findBoundary(readAt: ReadAt, size: number, from: number): number {
  if (from <= 0) return 0;
  if (from >= size) return size;
  // Start one byte early: a terminator at from-1 makes `from` itself a candidate.
  let origin = from - 1;
  let window = WINDOW;
  while (origin < size) {
    const wanted = Math.min(window, size - origin);
    const buf = readAt(origin, wanted);
    // A short read means the file is shorter than `size` said (it shrank): its end is the end.
    const eof = origin + buf.length >= size || buf.length < wanted;
    if (buf.length === 0) return origin;
    let t = indexOfByte(buf, RECORD_TERMINATOR);
    let grow = -1;
    while (t >= 0) {
      const found = checkAfterTerminator(buf, t, eof);
      if (found > 0) return origin + found;
      if (found === -1) {
        grow = t;
        break;
      }
      t = indexOfByte(buf, RECORD_TERMINATOR, t + 1);
    }
    if (grow >= 0) {
      // A candidate runs past the window (a long record): read again from it with more room.
      origin += grow;
      window *= 2;
      continue;
    }
    if (eof) return size;
    origin += buf.length;
    window = WINDOW;
  }
  return size;
}
