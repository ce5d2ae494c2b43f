/**
 * Heuristics for records whose leader/09 lies about the encoding.
 *
 * Both functions answer for a byte range (a field, or a record's data area) and look only for
 * positive evidence: plain ASCII, which reads the same either way, gives false from both. They are
 * cheap enough to run on every field of a suspect record, and only the record layer knows whether
 * a record is suspect, so neither is called from the decoders themselves.
 */

import { isUtf8 } from '../../util/bytes.js';
import type { DecodeProblem } from '../charset.js';
import { Marc8Decoder } from './decoder.js';
import { SET_BY_FINAL } from './tables.js';

/**
 * For a record flagged MARC-8 (leader/09 blank): true when the bytes are valid UTF-8 with at least
 * one multibyte sequence and no ESC. MARC-8's ANSEL bytes almost never form valid UTF-8 (a
 * combining mark 0xE0–0xFE is followed by an ASCII base letter, not by continuation bytes), so
 * well-formed multibyte UTF-8 is strong evidence. pymarc's utf8_without_leader_flag.dat is the
 * textbook case.
 */
export function looksLikeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  let multibyte = false;
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if (b === 0x1b) return false;
    if (b >= 0xc2) multibyte = true;
  }
  return multibyte && isUtf8(bytes, start, end);
}

/**
 * For a record flagged UTF-8 (leader/09 'a'): true when the bytes hold a MARC-8 escape sequence
 * (Cyrillic, Hebrew, CJK… MARC-8 is pure 7-bit ASCII apart from ANSEL, so such records are even
 * valid UTF-8), or when they are not valid UTF-8 but decode as MARC-8 without a single problem
 * (ANSEL diacritics, as in ruby-marc's marc8_accented_chars.marc).
 */
export function looksLikeMarc8(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  let high = false;
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if (b === 0x1b && isMarc8Escape(bytes, i, end)) return true;
    if (b >= 0x80) high = true;
  }
  if (!high || isUtf8(bytes, start, end)) return false;
  const problems: DecodeProblem[] = [];
  probe.decode(bytes, start, end, problems);
  return problems.length === 0;
}

const probe = new Marc8Decoder({ normalize: false, expandNcr: false });

/** A designation MARC-8 defines: ESC g/b/p/s, or ESC [$] ( , ) - [!] F with a known final F. */
function isMarc8Escape(bytes: Uint8Array, i: number, end: number): boolean {
  let j = i + 1;
  if (j >= end) return false;
  let c = bytes[j];
  if (c === 0x67 || c === 0x62 || c === 0x70 || c === 0x73) return true;
  if (c === 0x24) c = bytes[++j];
  if (c === 0x28 || c === 0x2c || c === 0x29 || c === 0x2d) c = bytes[++j];
  else if (bytes[i + 1] !== 0x24) return false;
  if (c === 0x21) c = bytes[++j];
  return j < end && c !== undefined && c < 0x80 && (SET_BY_FINAL[c] as number) >= 0;
}
