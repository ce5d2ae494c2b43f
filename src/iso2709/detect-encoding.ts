/**
 * Telling what a record's bytes really are when leader/09 may lie (lenient modes only).
 *
 * Both lies are common (field-notes): UTF-8 text flagged MARC-8 and MARC-8 bytes flagged UTF-8.
 * The test leans on a property of the two encodings: ANSEL puts combining marks (0xE0–0xFE)
 * before an ASCII base letter, which is never valid UTF-8, while real UTF-8 text of any length is
 * vanishingly unlikely to be produced by MARC-8 bytes.
 */

import { isAscii, isUtf8 } from '../util/bytes.js';

const ESC = 0x1b;

/**
 * Returns the encoding the bytes of [start, end) are in, given what the leader claims
 * ('utf-8' or 'marc-8'); anything else is returned unchanged.
 */
export function detectEncoding(bytes: Uint8Array, start: number, end: number, claimed: string): string {
  if (claimed === 'marc-8') {
    if (bytes.indexOf(ESC, start) >= 0 && bytes.indexOf(ESC, start) < end) return 'marc-8';
    // Pure ASCII is valid UTF-8 too, but it says nothing against the leader (and may hold
    // MARC-8 character references): only real multibyte UTF-8 outvotes leader/09.
    if (isAscii(bytes, start, end)) return 'marc-8';
    return isUtf8(bytes, start, end) ? 'utf-8' : 'marc-8';
  }
  if (claimed === 'utf-8') {
    if (isUtf8(bytes, start, end)) return 'utf-8';
    const escAt = bytes.indexOf(ESC, start);
    if (escAt >= 0 && escAt < end) return 'marc-8';
    // Some valid multibyte sequences mean UTF-8 with a few bad bytes; none at all, with every
    // high byte in ANSEL's graphic range, means MARC-8 mislabelled.
    let validMultibyte = 0;
    let i = start;
    while (i < end) {
      const b = bytes[i] as number;
      if (b < 0x80) { i++; continue; }
      const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
      let ok = need > 0 && i + need < end;
      for (let k = 1; ok && k <= need; k++) ok = ((bytes[i + k] as number) & 0xc0) === 0x80;
      if (ok) { validMultibyte++; i += need + 1; }
      else {
        if (b < 0xa1 || b === 0xff) return 'utf-8';
        i++;
      }
    }
    return validMultibyte === 0 ? 'marc-8' : 'utf-8';
  }
  return claimed;
}
