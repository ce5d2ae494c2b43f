/**
 * MARC-8 → Unicode, one field at a time.
 *
 * Escape state (G0 = ASCII, G1 = ANSEL) is reset at the start of every `decode` call, as the
 * FieldDecoder contract says. Everything else follows LC's code tables and the MARC-8 spec:
 * technique-1 escapes (ESC g/b/p/s), technique-2 designations of any set into G0 or G1
 * (ESC ( , ) - and the $ forms for EACC, plus yaz's ESC ) ! E for ANSEL), combining marks moved
 * from before their base to after it, LC's lossless `&#xHHHH;` references expanded, NFC by default.
 *
 * Bad bytes never throw: they become U+FFFD and a DecodeProblem (E302) with the absolute offset.
 * A run of bad input with nothing valid in between gives one U+FFFD and one problem, as ruby-marc
 * does, so a stretch of garbage in an 880 does not bury the record in replacement characters.
 */

import type { DecodeProblem, FieldDecoder } from '../charset.js';
import { latin1 } from '../../util/bytes.js';
import {
  ANSEL_SET,
  ASCII_SET,
  C1,
  EACC_SET,
  FLAG_COMBINING,
  FLAG_SECOND_HALF,
  GREEK_SYMBOLS_SET,
  SET_BY_FINAL,
  SET_NAMES,
  SINGLE,
  SUBSCRIPT_SET,
  SUPERSCRIPT_SET,
  eacc,
  singleWithHalves,
  type EaccTables,
} from './tables.js';

export interface Marc8DecoderOptions {
  /**
   * Unicode normalisation of each decoded field. 'NFC' (default) is what pymarc and ruby-marc
   * return; 'NFD' is the decomposed form yaz, marc4j and LC's converters write; false gives
   * exactly what the tables say: each base followed by its marks in their MARC-8 order.
   */
  normalize?: 'NFC' | 'NFD' | false;
  /**
   * Map the ligature and double-tilde halves (ANSEL EB/EC, FA/FB) to U+FE20/FE21 and U+FE22/FE23,
   * as pymarc and pre-2004 converters do. Default false: LC's primary mapping since 2004, where the
   * first half becomes U+0361 / U+0360 and the second half maps to nothing.
   */
  ligatureHalves?: boolean;
  /** Expand LC lossless numeric character references `&#xHHHH;` (4–6 hex digits). Default true. */
  expandNcr?: boolean;
}

const REPLACEMENT = 0xfffd;
const ESC = 0x1b;
const SUBFIELD = 0x1f;
const MAX_MARKS = 32;

const NCR_RE = /&#x([0-9A-Fa-f]{4,6});/g;

function hex(n: number, width = 2): string {
  return '0x' + n.toString(16).toUpperCase().padStart(width, '0');
}

function showEscape(bytes: Uint8Array, from: number, to: number): string {
  const parts = ['ESC'];
  for (let k = from + 1; k < to; k++) {
    const b = bytes[k] as number;
    parts.push(b > 0x20 && b < 0x7f ? String.fromCharCode(b) : hex(b));
  }
  return parts.join(' ');
}

/** Expands `&#xHHHH;`; references to surrogates or past U+10FFFF are left as written. */
export function expandNcrs(text: string): string {
  return text.replace(NCR_RE, (whole, digits: string) => {
    const cp = parseInt(digits, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return whole;
    return String.fromCodePoint(cp);
  });
}

export class Marc8Decoder implements FieldDecoder {
  readonly name = 'marc-8';
  /** ESC-only fields switch sets and `&#x…;` expands, so ASCII input is not passed through as-is. */
  readonly asciiTransparent = false;

  private readonly normalize: 'NFC' | 'NFD' | false;
  private readonly expandNcr: boolean;
  private readonly table: Int32Array;
  private out = new Uint16Array(1024);
  private readonly marks = new Int32Array(MAX_MARKS);

  constructor(options: Marc8DecoderOptions = {}) {
    const normalize = options.normalize ?? 'NFC';
    if (normalize !== 'NFC' && normalize !== 'NFD' && normalize !== false) {
      throw new RangeError(`marc-8: normalize must be 'NFC', 'NFD' or false, not ${JSON.stringify(normalize)}`);
    }
    this.normalize = normalize;
    this.expandNcr = options.expandNcr ?? true;
    this.table = options.ligatureHalves === true ? singleWithHalves() : SINGLE;
  }

  decode(bytes: Uint8Array, start: number, end: number, problems: DecodeProblem[]): string {
    let i = start;
    // Most MARC-8 fields are plain ASCII: find the first byte that needs the state machine.
    while (i < end) {
      const b = bytes[i] as number;
      if (b >= 0x80 || b === ESC) break;
      i++;
    }
    if (i === end) {
      const text = latin1(bytes, start, end);
      return this.expandNcr && text.includes('&#x') ? this.finish(expandNcrs(text), true) : text;
    }
    return this.decodeSlow(bytes, start, i, end, problems);
  }

  private finish(text: string, touched: boolean): string {
    if (!touched || this.normalize === false) return text;
    // Normalise each subfield on its own: a value that starts with a combining mark must not
    // compose with the subfield code before it (found by the property tests).
    if (!text.includes('\x1f')) return text.normalize(this.normalize);
    const form = this.normalize;
    const parts = text.split('\x1f');
    let out = (parts[0] as string).normalize(form);
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i] as string;
      out += '\x1f' + part.slice(0, 1) + part.slice(1).normalize(form);
    }
    return out;
  }

  private decodeSlow(bytes: Uint8Array, start: number, from: number, end: number, problems: DecodeProblem[]): string {
    // Output never needs more than two code units per input byte (a surrogate pair per EACC triple
    // is less than that), plus marks flushed at the end.
    const need = (end - start) * 2 + MAX_MARKS + 2;
    if (this.out.length < need) this.out = new Uint16Array(Math.max(need, this.out.length * 2));
    const out = this.out;
    const marks = this.marks;
    const table = this.table;
    let n = 0;
    for (let k = start; k < from; k++) out[n++] = bytes[k] as number;

    // Plain locals, no closures: captured variables would live in a heap context and slow the loop.
    let g0 = ASCII_SET;
    let g1 = ANSEL_SET;
    let pending = 0; // marks waiting for their base
    let nonAscii = false; // something normalisation might change
    let badRun = false; // the last thing seen was an error: fold the next one into it
    let error: string | null = null;
    let errorAt = 0;
    let cjk: EaccTables | null = null; // unpacked on the first EACC character

    let i = from;
    while (i < end) {
      const b = bytes[i] as number;
      let cp = 0;
      let flags = 0;

      if (b === ESC) {
        const next = this.escape(bytes, i, end);
        if (this.escError === null) {
          if (this.escRegister === 0) g0 = this.escSet;
          else g1 = this.escSet;
          badRun = false;
          i = next;
          continue;
        }
        error = this.escError;
        errorAt = i;
        i = next;
      } else if (b === SUBFIELD) {
        for (let m = 0; m < pending; m++) n = put(out, n, marks[m] as number);
        pending = 0;
        out[n++] = SUBFIELD;
        i++;
        // The subfield code is ASCII whatever G0 holds. A delimiter followed by ESC has no code
        // (the ESC belongs to the text): leave the ESC to the escape parser and the record builder.
        if (i < end && bytes[i] !== ESC) {
          const code = bytes[i] as number;
          out[n++] = code;
          if (code >= 0x80) nonAscii = true;
          i++;
        }
        badRun = false;
        continue;
      } else if (b < 0x20 || b === 0x7f) {
        // C0 controls other than ESC and the delimiter are not MARC-8 graphics; pass them through
        // as the fast path does, and let the record layer judge them.
        out[n++] = b;
        i++;
        continue;
      } else if (b === 0x20) {
        // SPACE is 0x20 in every set, multibyte EACC included.
        cp = 0x20;
        i++;
      } else if (b >= 0x80 && b < 0xa0) {
        cp = C1[b - 0x80] as number;
        if (cp === 0) {
          error = `C1 control ${hex(b)} is not defined in MARC-8`;
          errorAt = i;
        }
        i++;
      } else {
        const set = b < 0x80 ? g0 : g1;
        if (set === EACC_SET) {
          const high = b & 0x80;
          const b2 = i + 1 < end ? (bytes[i + 1] as number) : -1;
          const b3 = i + 2 < end ? (bytes[i + 2] as number) : -1;
          // Continuation bytes share the lead byte's half (G0 or G1) and are graphics or space.
          const ok2 = b2 >= 0 && (b2 & 0x80) === high && (b2 & 0x7f) >= 0x20 && (b2 & 0x7f) < 0x7f;
          const ok3 = ok2 && b3 >= 0 && (b3 & 0x80) === high && (b3 & 0x7f) >= 0x20 && (b3 & 0x7f) < 0x7f;
          if (!ok3) {
            error = `truncated EACC character at ${hex(b)}`;
            errorAt = i;
            i += ok2 ? 2 : 1;
          } else {
            const c1 = (b & 0x7f) - 0x20;
            const c2 = (b2 & 0x7f) - 0x20;
            const c3 = (b3 & 0x7f) - 0x20;
            if (cjk === null) cjk = eacc();
            const row = cjk.rows[c1 * 96 + c2] as number;
            cp = row < 0 ? 0 : (cjk.cells[row * 96 + c3] as number);
            if (cp === 0xffff) cp = cjk.astral.get(((c1 + 0x20) << 16) | ((c2 + 0x20) << 8) | (c3 + 0x20)) ?? 0;
            if (cp === 0) {
              error = `EACC code ${hex(((c1 + 0x20) << 16) | ((c2 + 0x20) << 8) | (c3 + 0x20), 6)} has no Unicode mapping`;
              errorAt = i;
            }
            i += 3;
          }
        } else {
          const entry = table[set * 128 + (b & 0x7f)] as number;
          if (entry === 0) {
            error = `byte ${hex(b)} is not mapped in ${SET_NAMES[set]} (${b < 0x80 ? 'G0' : 'G1'})`;
            errorAt = i;
          } else if ((entry & FLAG_SECOND_HALF) !== 0) {
            // LC maps the second half to nothing: the first half's mark already spans both.
            badRun = false;
            i++;
            continue;
          }
          cp = entry & 0x1fffff;
          flags = entry;
          i++;
        }
      }

      if (error !== null) {
        if (!badRun) {
          problems.push({ code: 'E302', message: error, offset: errorAt });
          // A replacement is a base character like any other: pending marks stay with it.
          out[n++] = REPLACEMENT;
          nonAscii = true;
          for (let m = 0; m < pending; m++) n = put(out, n, marks[m] as number);
          pending = 0;
        }
        badRun = true;
        error = null;
        continue;
      }

      badRun = false;
      if ((flags & FLAG_COMBINING) !== 0) {
        nonAscii = true;
        if (pending < MAX_MARKS) marks[pending++] = cp;
        else n = put(out, n, cp); // an absurd stack of marks: keep the rest in order, unattached
        continue;
      }
      if (cp >= 0x80) nonAscii = true;
      n = put(out, n, cp);
      if (pending > 0) {
        for (let m = 0; m < pending; m++) n = put(out, n, marks[m] as number);
        pending = 0;
      }
    }
    // Marks with no base (end of field) are kept where they are.
    for (let m = 0; m < pending; m++) n = put(out, n, marks[m] as number);

    let text = codeUnitsToString(out, n);
    if (this.expandNcr && text.includes('&#x')) {
      const expanded = expandNcrs(text);
      if (expanded !== text) {
        text = expanded;
        nonAscii = true;
      }
    }
    return this.finish(text, nonAscii);
  }

  // Result registers of `escape`, kept on the instance so parsing an escape allocates nothing.
  private escRegister: 0 | 1 = 0;
  private escSet = 0;
  private escError: string | null = null;

  /**
   * Parses the escape sequence at `i` and returns the index after it. On success sets escRegister
   * and escSet; otherwise escError, and the returned index skips what can be recognised (only the
   * ESC itself when the sequence is cut short, so the bytes after it are still read as text).
   */
  private escape(bytes: Uint8Array, i: number, end: number): number {
    this.escError = null;
    let j = i + 1;
    if (j >= end) {
      this.escError = 'escape at end of field';
      return i + 1;
    }
    let c = bytes[j] as number;
    // Technique 1: MARC's own locking shifts of G0.
    const t1 = c === 0x67 ? GREEK_SYMBOLS_SET : c === 0x62 ? SUBSCRIPT_SET : c === 0x70 ? SUPERSCRIPT_SET : c === 0x73 ? ASCII_SET : -1;
    if (t1 >= 0) {
      this.escRegister = 0;
      this.escSet = t1;
      return j + 1;
    }
    let multibyte = false;
    if (c === 0x24) {
      multibyte = true;
      j++;
      if (j >= end) {
        this.escError = 'truncated escape sequence ESC $';
        return i + 1;
      }
      c = bytes[j] as number;
    }
    let register: 0 | 1 = 0;
    if (c === 0x28 || c === 0x2c) {
      j++;
    } else if (c === 0x29 || c === 0x2d) {
      register = 1;
      j++;
    } else if (!multibyte) {
      if (c >= 0x30 && c < 0x7f) {
        this.escError = `unknown escape sequence ${showEscape(bytes, i, j + 1)}`;
        return j + 1;
      }
      this.escError = `escape followed by ${hex(c)}`;
      return i + 1;
    }
    if (j < end && bytes[j] === 0x21) j++; // ESC ) ! E, the registered form of ANSEL
    const final = j < end ? (bytes[j] as number) : -1;
    if (final < 0x30 || final >= 0x7f) {
      this.escError = `truncated escape sequence ${showEscape(bytes, i, j)}`;
      return i + 1;
    }
    const set = SET_BY_FINAL[final] as number;
    if (set < 0) {
      this.escError = `unknown escape sequence ${showEscape(bytes, i, j + 1)}`;
      return j + 1;
    }
    this.escRegister = register;
    this.escSet = set;
    return j + 1;
  }
}

function put(out: Uint16Array, n: number, cp: number): number {
  if (cp > 0xffff) {
    cp -= 0x10000;
    out[n++] = 0xd800 + (cp >> 10);
    out[n++] = 0xdc00 + (cp & 0x3ff);
    return n;
  }
  out[n++] = cp;
  return n;
}

const CHUNK = 4096;

function codeUnitsToString(units: Uint16Array, n: number): string {
  if (n <= CHUNK) return String.fromCharCode.apply(null, units.subarray(0, n) as unknown as number[]);
  let text = '';
  for (let k = 0; k < n; k += CHUNK) {
    text += String.fromCharCode.apply(null, units.subarray(k, Math.min(n, k + CHUNK)) as unknown as number[]);
  }
  return text;
}
