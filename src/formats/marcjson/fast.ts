/**
 * A MARC-in-JSON record read straight from the text into a `Record`, for the common case: the
 * LC shape as pymarc, yaz, marc4j and our writer produce it, nothing that needs a repair.
 *
 * `JSON.parse` alone caps reading at about 60k records/s here: it builds a dictionary object per
 * field and per subfield (keys like "245" and "a" differ from object to object), and the
 * converter then walks them again. This parser instead matches the fixed structure and takes
 * each string as a slice between quotes found by `indexOf`, so the only per-character work is
 * native (`indexOf`, one regex for backslashes and control characters).
 *
 * It is only an accelerator: on anything it does not expect (other key orders or keys, escapes
 * it cannot decode, raw control characters, values a repair would change, text cut at the chunk
 * end) it returns null and the caller takes the general path (brace scanner, `JSON.parse`, the
 * converter), so records, repairs and errors are exactly those of the general path. A success
 * implies the text is a valid JSON object whose `JSON.parse` + converter result is this record,
 * and whose extent is the one the brace scanner would have found.
 */

import { ControlField, DataField, type Field, type Subfield } from '../../record/field.js';
import { Record } from '../../record/record.js';
import { stringEnd, type JsonFastPath, type JsonFastHit } from './scanner.js';
import { isWellFormed } from '../../util/well-formed.js';

/** Characters after which a string needs more than a slice: escapes, or text JSON rejects. */
const SPECIAL = /[\x00-\x1f\\]/g;
const CONTROL = /[\x00-\x1f]/g;
const NONE = Number.MAX_SAFE_INTEGER;
/** Shared strings for numeric tags: a fresh 3-character string per field was measurable garbage. */
const TAGS: string[] = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

export class MarcJsonFastPath implements JsonFastPath {
  #buf = '';
  #pos = 0;
  /** First SPECIAL character at or after the last place it was looked for (-1: look again). */
  #special = -1;

  begin(buf: string): void {
    this.#buf = buf;
    this.#special = -1;
  }

  /** Reused: the scanner reads it before the next call, and one object per record is garbage. */
  readonly #hit: JsonFastHit = { end: 0, value: null, unescaped: true };
  #escaped = false;

  parse(start: number): JsonFastHit | null {
    this.#pos = start;
    this.#escaped = false;
    try {
      const record = this.#record();
      if (record === null) return null;
      this.#hit.end = this.#pos;
      this.#hit.value = record;
      this.#hit.unescaped = !this.#escaped;
      return this.#hit;
    } catch {
      // Only JSON.parse of an escaped string throws: the general path reports it.
      return null;
    }
  }

  /** Skips JSON whitespace; returns the next character code (NaN past the end). */
  #next(): number {
    const buf = this.#buf;
    let i = this.#pos;
    let c = buf.charCodeAt(i);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = buf.charCodeAt(++i);
    this.#pos = i;
    return c;
  }

  /** Consumes `c` (after whitespace) or fails. */
  #eat(c: number): boolean {
    if (this.#next() !== c) return false;
    this.#pos++;
    return true;
  }

  /** A string at the next token, or null. */
  #string(): string | null {
    if (this.#next() !== 0x22) return null;
    const buf = this.#buf;
    const from = this.#pos + 1;
    const close = buf.indexOf('"', from);
    if (close < 0) return null;
    let special = this.#special;
    if (special < from) {
      SPECIAL.lastIndex = from;
      special = SPECIAL.exec(buf)?.index ?? NONE;
      this.#special = special;
    }
    if (special > close) {
      this.#pos = close + 1;
      return buf.slice(from, close);
    }
    // A backslash: find the real closing quote and let JSON.parse decode (and validate) the escapes.
    if (buf.charCodeAt(special) !== 0x5c) return null;
    const end = stringEnd(buf, from);
    if (end < 0) return null;
    CONTROL.lastIndex = from;
    const control = CONTROL.exec(buf)?.index ?? NONE;
    if (control < end) return null;
    this.#special = -1;
    this.#pos = end + 1;
    this.#escaped = true;
    const value = JSON.parse(buf.slice(from - 1, end + 1)) as string;
    // Half a surrogate pair: the general path replaces and reports it.
    return isWellFormed(value) ? value : null;
  }

  /** `"key":` with a known key. */
  #key(key: string): boolean {
    const k = this.#string();
    return k === key && this.#eat(0x3a);
  }

  #record(): Record | null {
    if (!this.#eat(0x7b) || !this.#key('leader')) return null;
    const leader = this.#string();
    // A leader of another length is repaired (E002) by the converter.
    if (leader === null || leader.length !== 24) return null;
    if (!this.#eat(0x2c) || !this.#key('fields') || !this.#eat(0x5b)) return null;
    const fields: Field[] = [];
    if (this.#next() === 0x5d) this.#pos++;
    else {
      for (;;) {
        const field = this.#field();
        if (field === null) return null;
        fields.push(field);
        const c = this.#next();
        this.#pos++;
        if (c === 0x5d) break;
        if (c !== 0x2c) return null;
      }
    }
    if (!this.#eat(0x7d)) return null;
    return new Record({ leader, fields });
  }

  #field(): Field | null {
    if (!this.#eat(0x7b)) return null;
    const tag = this.#tag();
    if (tag === null || tag.length !== 3 || !this.#eat(0x3a)) return null;
    let field: Field;
    if (this.#next() === 0x22) {
      const data = this.#string();
      if (data === null) return null;
      field = new ControlField(tag, data);
    } else {
      if (!this.#eat(0x7b)) return null;
      // pymarc, yaz and this writer put "subfields" first; marc4j and ruby-marc put the indicators first.
      const first = this.#string();
      let ind1: string | null;
      let ind2: string | null;
      let subfields: Subfield[] | null;
      if (first === 'subfields') {
        if (!this.#eat(0x3a) || (subfields = this.#subfields()) === null || !this.#eat(0x2c)) return null;
        if (!this.#key('ind1') || (ind1 = this.#indicator()) === null || !this.#eat(0x2c)) return null;
        if (!this.#key('ind2') || (ind2 = this.#indicator()) === null) return null;
      } else if (first === 'ind1') {
        if (!this.#eat(0x3a) || (ind1 = this.#indicator()) === null || !this.#eat(0x2c)) return null;
        if (!this.#key('ind2') || (ind2 = this.#indicator()) === null || !this.#eat(0x2c)) return null;
        if (!this.#key('subfields') || (subfields = this.#subfields()) === null) return null;
      } else return null;
      if (!this.#eat(0x7d)) return null;
      field = new DataField(tag, ind1, ind2, subfields);
    }
    return this.#eat(0x7d) ? field : null;
  }

  #tag(): string | null {
    const buf = this.#buf;
    const at = this.#next();
    const p = this.#pos;
    const a = buf.charCodeAt(p + 1) - 0x30;
    const b = buf.charCodeAt(p + 2) - 0x30;
    const c = buf.charCodeAt(p + 3) - 0x30;
    if (at === 0x22 && buf.charCodeAt(p + 4) === 0x22 && a >= 0 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9) {
      this.#pos = p + 5;
      return TAGS[a * 100 + b * 10 + c] as string;
    }
    return this.#string();
  }

  #indicator(): string | null {
    const s = this.#string();
    return s !== null && s.length === 1 ? s : null;
  }

  #subfields(): Subfield[] | null {
    if (!this.#eat(0x5b)) return null;
    const out: Subfield[] = [];
    if (this.#next() === 0x5d) {
      this.#pos++;
      return out;
    }
    for (;;) {
      if (!this.#eat(0x7b)) return null;
      const code = this.#string();
      if (code === null || code.length !== 1 || !this.#eat(0x3a)) return null;
      const value = this.#string();
      if (value === null || !this.#eat(0x7d)) return null;
      out.push({ code, value });
      const c = this.#next();
      this.#pos++;
      if (c === 0x5d) return out;
      if (c !== 0x2c) return null;
    }
  }
}
