/**
 * Heuristics for records whose leader/09 lies about the encoding.
 *
 * Each function answers for a byte range (a field, or a record's data area) and looks only for
 * positive evidence: plain ASCII, which reads the same either way, gives false from both helpers.
 * They are cheap enough to run on every field of a suspect record, and only the record layer knows
 * whether a record is suspect, so none is called from the decoders themselves.
 */

import { indexOfByte, isAscii, isUtf8 } from '../../util/bytes.js';
import type { DecodeProblem } from '../charset.js';
import { Marc8Decoder } from './decoder.js';
import { SET_BY_FINAL } from './tables.js';

const ESC = 0x1b;

/**
 * What the bytes of [start, end) are, given what the leader claims ('utf-8' or 'marc-8'; anything
 * else is returned unchanged). The reader's rule (E303: a warning in lenient modes, thrown in
 * strict mode), and the one behind `looksLikeUtf8` / `looksLikeMarc8`, so the helpers never
 * disagree with what a read decides.
 *
 * Both lies are common (field-notes): UTF-8 text flagged MARC-8, and MARC-8 bytes flagged UTF-8.
 * - A MARC-8 escape sequence (a designation with a final byte MARC-8 defines) means MARC-8, even
 *   in bytes that are valid UTF-8: 7-bit MARC-8 (G0 Cyrillic, Hebrew, Arabic…) is pure ASCII
 *   apart from its escapes, and an escape means nothing in UTF-8 text.
 * - Valid UTF-8 with at least one multibyte sequence means UTF-8: ANSEL puts combining marks
 *   (0xE0–0xFE) before an ASCII base letter, which is never valid UTF-8.
 * - Pure ASCII is evidence of nothing: the claim stands.
 * - Invalid UTF-8 with no valid multibyte sequence at all, every high byte in ANSEL's graphic
 *   range (0xA1–0xFE), and a MARC-8 decode without a single problem, means MARC-8; any valid
 *   sequence means UTF-8 with a few bad bytes, and bytes neither encoding reads cleanly leave the
 *   claim standing.
 */
export function detectEncoding(bytes: Uint8Array, start: number, end: number, claimed: string): string {
  if (claimed !== 'marc-8' && claimed !== 'utf-8') return claimed;
  if (hasMarc8Escape(bytes, start, end)) return 'marc-8';
  if (isAscii(bytes, start, end)) return claimed;
  if (isUtf8(bytes, start, end)) return 'utf-8';
  if (claimed === 'marc-8') return 'marc-8';
  let validMultibyte = 0;
  let i = start;
  while (i < end) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    let ok = need > 0 && i + need < end;
    for (let k = 1; ok && k <= need; k++) ok = ((bytes[i + k] as number) & 0xc0) === 0x80;
    if (ok) {
      validMultibyte++;
      i += need + 1;
    } else {
      if (b < 0xa1 || b === 0xff) return 'utf-8';
      i++;
    }
  }
  if (validMultibyte > 0) return 'utf-8';
  const problems: DecodeProblem[] = [];
  probe.decode(bytes, start, end, problems);
  return problems.length === 0 ? 'marc-8' : 'utf-8';
}

const probe = new Marc8Decoder({ normalize: false, expandNcr: false });

/**
 * For a record flagged MARC-8 (leader/09 blank): true when `detectEncoding` would read the bytes
 * as UTF-8 instead: valid UTF-8 with at least one multibyte sequence and no MARC-8 escape.
 * pymarc's utf8_without_leader_flag.dat is the textbook case.
 */
export function looksLikeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  return detectEncoding(bytes, start, end, 'marc-8') === 'utf-8';
}

/**
 * For a record flagged UTF-8 (leader/09 'a'): true when `detectEncoding` would read the bytes as
 * MARC-8 instead: a MARC-8 escape sequence, or invalid UTF-8 with no valid multibyte sequence
 * that decodes as MARC-8 without a problem (ruby-marc's marc8_accented_chars.marc).
 */
export function looksLikeMarc8(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  return detectEncoding(bytes, start, end, 'utf-8') === 'marc-8';
}

/** Whether [start, end) holds a MARC-8 escape sequence. */
function hasMarc8Escape(bytes: Uint8Array, start: number, end: number): boolean {
  for (let at = indexOfByte(bytes, ESC, start); at >= 0 && at < end; at = indexOfByte(bytes, ESC, at + 1)) {
    if (isMarc8Escape(bytes, at, end)) return true;
  }
  return false;
}

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
